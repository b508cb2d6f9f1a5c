/*
 * mqbench producer mode: each worker thread sends to one topic through one shared
 * rmq_producer_t (the library is built for that: sends may run concurrently).
 *
 *   sync   (--window 0): rmq_producer_send, or rmq_producer_send_batch with -b N; the
 *          latency is the call's duration.
 *   async  (--window N): rmq_producer_send_async with at most N requests in flight per
 *          thread; the latency runs from the call to its callback, which runs on the
 *          library's I/O thread and records under the worker's lock (the histogram's
 *          single-writer rule).
 *
 * Bodies: `size` bytes of a fixed pattern, the first 8 (when size >= 8) the wall-clock
 * send time in microseconds since the epoch, big-endian: what e2e mode will read on the
 * consuming side. With --keys each message gets the key "mqbench-<thread>-<seq>".
 * After an error a worker pauses 10 ms so a dead broker does not turn into a busy loop.
 */
#include "bench.h"
#include "client.h"
#include "source.h"

#include <rocketmq/rocketmq.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One async request in flight. */
typedef struct pending_s {
    bench_worker_t *w;
    uint64_t t0;
    size_t bytes;
} pending_t;

static rmq_producer_t *producer_of(const bench_worker_t *w) {
    return w->bench->mode_ctx;
}

static void pause_after_error(void) {
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static void set_key(rmq_message_t *msg, const bench_worker_t *w, uint64_t seq) {
    char key[64];
    snprintf(key, sizeof key, "mqbench-%d-%llu", w->index, (unsigned long long)seq);
    rmq_message_set_keys(msg, key);
}

static void count_ok(bench_worker_t *w, uint64_t latency_us, int n, size_t bytes) {
    hist_record(&w->hist, latency_us);
    atomic_fetch_add_explicit(&w->messages, (uint64_t)n, memory_order_relaxed);
    atomic_fetch_add_explicit(&w->requests, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&w->bytes, bytes, memory_order_relaxed);
}

static void count_error(bench_worker_t *w, int n, rmq_err_t err, const char *errstr) {
    atomic_fetch_add_explicit(&w->errors, (uint64_t)n, memory_order_relaxed);
    char text[256];
    snprintf(text, sizeof text, "%s: %s", rmq_err2str(err), errstr ? errstr : "");
    bench_note_error(w->bench, err, text);
}

/* ------------------------------------------------------------------ sync */

static void run_sync(bench_worker_t *w, rmq_message_t **msgs, unsigned char **bodies) {
    const bench_opts_t *o = w->bench->opts;
    rmq_send_result_t *res = rmq_send_result_new();
    uint64_t seq = 0;
    char errstr[256];
    while (!atomic_load_explicit(&w->bench->stop, memory_order_relaxed)) {
        int n = bench_claim(w->bench, o->batch);
        if (n == 0)
            break;
        for (int i = 0; i < n; i++) {
            bench_body_stamp_write(bodies[i], o->size, bench_wall_us());
            if (o->keys)
                set_key(msgs[i], w, seq++);
        }
        errstr[0] = '\0';
        uint64_t t0 = bench_now_us();
        rmq_err_t err =
            o->batch > 1
                ? rmq_producer_send_batch(producer_of(w), (const rmq_message_t *const *)msgs,
                                          (size_t)n, res, errstr, sizeof errstr)
                : rmq_producer_send(producer_of(w), msgs[0], res, errstr, sizeof errstr);
        uint64_t t1 = bench_now_us();
        if (err == RMQ_ERR_NO_ERROR) {
            count_ok(w, t1 - t0, n, (size_t)n * o->size);
        } else {
            count_error(w, n, err, errstr);
            pause_after_error();
        }
    }
    rmq_send_result_destroy(res);
}

/* ------------------------------------------------------------------ async */

static void on_sent(void *opaque, rmq_err_t err, const char *errstr, const rmq_send_result_t *res) {
    (void)res;
    pending_t *pd = opaque;
    bench_worker_t *w = pd->w;
    uint64_t t1 = bench_now_us();
    pthread_mutex_lock(&w->mu);
    if (err == RMQ_ERR_NO_ERROR)
        count_ok(w, t1 - pd->t0, 1, pd->bytes);
    else
        count_error(w, 1, err, errstr);
    w->inflight--;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    free(pd);
}

/* Waits until fewer than `limit` requests are in flight or `stop_early` and stop. */
static void wait_window(bench_worker_t *w, int limit, bool stop_early, uint64_t give_up_us) {
    pthread_mutex_lock(&w->mu);
    while (w->inflight > limit - 1 && bench_now_us() < give_up_us) {
        if (stop_early && atomic_load(&w->bench->stop))
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
    }
    pthread_mutex_unlock(&w->mu);
}

static void run_async(bench_worker_t *w, rmq_message_t *msg, unsigned char *body) {
    const bench_opts_t *o = w->bench->opts;
    uint64_t seq = 0;
    char errstr[256];
    while (!atomic_load_explicit(&w->bench->stop, memory_order_relaxed)) {
        wait_window(w, o->window, true, UINT64_MAX);
        if (atomic_load(&w->bench->stop) || bench_claim(w->bench, 1) == 0)
            break;
        bench_body_stamp_write(body, o->size, bench_wall_us());
        if (o->keys)
            set_key(msg, w, seq++);
        pending_t *pd = malloc(sizeof *pd);
        if (!pd)
            abort();
        *pd = (pending_t){.w = w, .bytes = o->size};
        pthread_mutex_lock(&w->mu);
        w->inflight++;
        pthread_mutex_unlock(&w->mu);
        pd->t0 = bench_now_us();
        errstr[0] = '\0';
        rmq_err_t err =
            rmq_producer_send_async(producer_of(w), msg, on_sent, pd, errstr, sizeof errstr);
        if (err != RMQ_ERR_NO_ERROR) {
            pthread_mutex_lock(&w->mu);
            w->inflight--;
            pthread_mutex_unlock(&w->mu);
            free(pd);
            count_error(w, 1, err, errstr);
            pause_after_error();
        }
    }
    /* Drain: every callback comes within the send time-out (retries included); after
     * 30 s the producer's shutdown cancels the rest (their callbacks still run). */
    wait_window(w, 1, false, bench_now_us() + 30 * 1000000u);
}

/* ------------------------------------------------------------------ worker */

static void *worker_main(void *arg) {
    bench_worker_t *w = arg;
    const bench_opts_t *o = w->bench->opts;
    int n = o->batch;
    rmq_message_t **msgs = calloc((size_t)n, sizeof *msgs);
    unsigned char **bodies = calloc((size_t)n, sizeof *bodies);
    if (!msgs || !bodies)
        abort();
    for (int i = 0; i < n; i++) {
        bodies[i] = malloc(o->size);
        if (!bodies[i])
            abort();
        for (size_t j = 0; j < o->size; j++)
            bodies[i][j] = (unsigned char)('a' + (j + (size_t)i) % 26);
        msgs[i] = rmq_message_new(o->topic);
        /* The body stays ours: the message borrows it and sees each new timestamp. */
        rmq_message_set_body(msgs[i], bodies[i], o->size, RMQ_MSG_F_NOCOPY);
        if (o->tags)
            rmq_message_set_tags(msgs[i], o->tags);
    }
    if (o->window > 0)
        run_async(w, msgs[0], bodies[0]);
    else
        run_sync(w, msgs, bodies);
    for (int i = 0; i < n; i++) {
        rmq_message_destroy(msgs[i]);
        free(bodies[i]);
    }
    free(msgs);
    free(bodies);
    atomic_store(&w->done, true);
    return NULL;
}

/* ------------------------------------------------------------------ setup */

/*
 * e2e: one message without a send time stamp (its body starts "mqbench-", no plausible
 * time) to each queue of the topic, then a wait of up to WARM_UP_US for the source to
 * receive them all, so the measured run starts with every one of the consumer's queues
 * assigned, its start offset settled and pulling: otherwise the first rebalance's wait
 * for a new topic's route (up to a second) would be in the e2e latency, and a queue whose
 * start offset (CONSUME_FROM_LAST_OFFSET: the end of an empty queue) was looked up after
 * the first measured send to it would skip that send. Then the receiving side's counters
 * start from zero. 0, or 1 when a warm-up message could not be sent.
 */
#define WARM_UP_US (30u * 1000000u)

typedef struct {
    size_t pick, count;
} warm_pick_t;

static int warm_select(size_t queue_count, const rmq_message_t *msg, void *arg) {
    (void)msg;
    warm_pick_t *w = arg;
    w->count = queue_count;
    return (int)(w->pick < queue_count ? w->pick : 0);
}

static int e2e_warm_up(bench_t *b, rmq_producer_t *p, volatile int *signalled) {
    static const char body[] = "mqbench-warm-up";
    rmq_message_t *msg = rmq_message_new(b->opts->topic);
    rmq_message_set_body(msg, body, sizeof body - 1, RMQ_MSG_F_COPY);
    rmq_send_result_t *res = rmq_send_result_new();
    char errstr[256] = "";
    warm_pick_t w = {0, 1};
    rmq_err_t err = RMQ_ERR_NO_ERROR;
    for (w.pick = 0; w.pick < w.count && err == RMQ_ERR_NO_ERROR; w.pick++)
        err = rmq_producer_send_select(p, msg, warm_select, &w, res, errstr, sizeof errstr);
    rmq_send_result_destroy(res);
    rmq_message_destroy(msg);
    if (err != RMQ_ERR_NO_ERROR) {
        fprintf(stderr, "mqbench: e2e warm-up send: %s: %s\n", rmq_err2str(err), errstr);
        return 1;
    }
    uint64_t t0 = bench_now_us();
    while (atomic_load(&b->rx->messages) < w.count && !*signalled &&
           bench_now_us() - t0 < WARM_UP_US) {
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (atomic_load(&b->rx->messages) < w.count)
        fprintf(stderr, "mqbench: e2e warm-up: %llu of %zu received in %u s; measuring anyway\n",
                (unsigned long long)atomic_load(&b->rx->messages), w.count, WARM_UP_US / 1000000u);
    bench_rx_reset(b);
    return 0;
}

int bench_producer_run(const bench_opts_t *opts, const bench_source_ops_t *rx,
                       volatile int *signalled) {
    rmq_conf_t *conf = bench_client_conf(opts, NULL);
    if (!conf)
        return 1;
    char errstr[256];
    rmq_producer_t *p = rmq_producer_new(conf, errstr, sizeof errstr);
    rmq_conf_destroy(conf);
    if (!p) {
        fprintf(stderr, "mqbench: %s\n", errstr);
        return 1;
    }
    if (rmq_producer_start(p, errstr, sizeof errstr) != RMQ_ERR_NO_ERROR) {
        fprintf(stderr, "mqbench: start: %s\n", errstr);
        rmq_producer_destroy(p);
        return 1;
    }
    bench_t b;
    bench_init(&b, opts, opts->threads);
    b.mode_ctx = p;
    int rc = 0;
    if (rx) {
        /* e2e: the receiving side first, so it sees the first message sent. */
        rc = bench_rx_start(&b, rx, errstr, sizeof errstr);
        if (rc != 0)
            fprintf(stderr, "mqbench: %s\n", errstr);
        rc = rc == BENCH_SOURCE_UNAVAILABLE ? 2 : rc != 0 ? 1 : 0;
        if (rc == 0)
            rc = e2e_warm_up(&b, p, signalled);
    }
    if (rc == 0)
        rc = bench_run(&b, worker_main, signalled);
    rmq_producer_shutdown(p);
    rmq_producer_destroy(p);
    bench_close(&b);
    return rc;
}
