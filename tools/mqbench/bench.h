/*
 * mqbench: the state one run shares between its worker threads, the reporter (main
 * thread) and the library's callback thread.
 *
 * Each worker owns a bench_worker_t: its latency histogram (one writer: the worker for
 * sync sends, or the completion callbacks under the worker's lock for async sends) and
 * its counters (relaxed atomics). The reporter only reads them, so nothing on the send
 * path takes a lock shared between workers.
 */
#ifndef MQBENCH_BENCH_H
#define MQBENCH_BENCH_H

#include "hist.h"
#include "opts.h"
#include "source.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct bench_s bench_t;

typedef struct bench_worker_s {
    bench_t *bench;
    int index;
    pthread_t thread;
    hist_t hist;                /* latency of each successful request, microseconds */
    _Atomic uint64_t messages;  /* stored */
    _Atomic uint64_t requests;  /* successful requests (a batch is one) */
    _Atomic uint64_t errors;    /* messages whose request failed */
    _Atomic uint64_t bytes;     /* body bytes stored */
    _Atomic uint64_t unstamped; /* received bodies without mqbench's send time (rx only) */
    _Atomic bool done;
    /* Async sends: in-flight window. */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int inflight;
} bench_worker_t;

struct bench_s {
    const bench_opts_t *opts;
    _Atomic bool stop;         /* set by the reporter at the deadline or on a signal */
    _Atomic int64_t remaining; /* messages left to claim with -c; unused otherwise */
    int worker_count;
    bench_worker_t *workers;
    pthread_mutex_t err_mu; /* guards first_error */
    char first_error[256];
    int64_t first_error_code;
    void *mode_ctx; /* the mode's handle (producer.c: the rmq_producer_t) */
    /* Consumer and e2e modes: what the source received. hist holds end-to-end latency
     * (receive time - the send time in the body), written by the source's callback
     * threads under rx->mu; requests counts callbacks. NULL in producer mode. */
    bench_worker_t *rx;
    const bench_source_ops_t *source;
    void *source_state;
};

/* e2e: how long, after sending ends, the receiving side may take to catch up. */
#define BENCH_DRAIN_US (10u * 1000000u)

/* Monotonic microseconds. */
uint64_t bench_now_us(void);

/* Wall-clock microseconds since the epoch (the timestamp e2e mode reads from bodies). */
uint64_t bench_wall_us(void);

/* Remembers the first failure (code and text) for the summary. Any thread. */
void bench_note_error(bench_t *b, int code, const char *text);

/*
 * Claims up to `want` messages of the -c budget: the number granted (0: the budget is
 * spent, stop). Without -c, `want`. Any thread.
 */
int bench_claim(bench_t *b, int want);

/*
 * Starts opts->threads workers running `fn` (argument: their bench_worker_t), prints a
 * progress line every interval, sets `stop` at the deadline or when *signalled becomes
 * non-zero, joins the workers (each must return soon after `stop`, having drained
 * what it has in flight), with workers and a source (e2e) waits up to BENCH_DRAIN_US
 * until the source received as many messages as were stored, stops the source and
 * prints the summary (elapsed time: up to the workers' end). Returns the exit status: 0 when
 * messages were stored without an error, 1 otherwise.
 */
int bench_run(bench_t *b, void *(*fn)(void *), volatile int *signalled);

/* Initialises and frees a bench_t (caller's storage) with `workers` workers (0 in
 * consumer mode: the source's threads do the work). */
void bench_init(bench_t *b, const bench_opts_t *opts, int workers);
void bench_close(bench_t *b);

/*
 * Starts receiving through `src` into b->rx. Returns 0, BENCH_SOURCE_UNAVAILABLE, or
 * another non-zero value (err says why). Before bench_run.
 */
int bench_rx_start(bench_t *b, const bench_source_ops_t *src, char *err, size_t errlen);
/* Zeroes what the source received so far (counts and latencies). Before bench_run. */
void bench_rx_reset(bench_t *b);
/* Stops the source (no callback runs after it). Idempotent. */
void bench_rx_stop(bench_t *b);

/* ---- consume.c */

/* Runs consumer mode (no sending) with messages from `src`. Returns the exit status:
 * 0 messages received, 1 none, 2 the source is not available in this build. */
int bench_consume_run(const bench_opts_t *opts, const bench_source_ops_t *src,
                      volatile int *signalled);

/* ---- report.c */

typedef struct bench_report_s bench_report_t;

bench_report_t *bench_report_new(bench_t *b);
void bench_report_destroy(bench_report_t *r);
/* Prints one progress line for the interval since the previous call. Reporter thread. */
void bench_report_progress(bench_report_t *r, double elapsed_s);
/* Prints the summary (stdout) and, with --json, writes the JSON object. Returns 0, or
 * -1 when the JSON file cannot be written. After the workers joined. */
int bench_report_final(bench_report_t *r, double elapsed_s);

/* ---- producer.c */

/* Runs producer mode to the end (deadline, count or signal); with `rx` (e2e mode) it
 * receives through that source at the same time. Returns the exit status (2: the
 * source is not available). */
int bench_producer_run(const bench_opts_t *opts, const bench_source_ops_t *rx,
                       volatile int *signalled);

#endif
