/*
 * mqbench: the run loop every mode shares - workers, deadline, progress lines, the -c
 * budget and error notes. The mode (producer.c) supplies the worker function.
 *
 * Threads: the main thread is the reporter; it sleeps in slices of at most 50 ms so a
 * signal or the deadline is seen promptly, and every run ends by opts->duration (plus
 * the workers' drain, bounded by the client's send time-out).
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t bench_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t bench_wall_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void bench_note_error(bench_t *b, int code, const char *text) {
    pthread_mutex_lock(&b->err_mu);
    if (!b->first_error[0]) {
        snprintf(b->first_error, sizeof b->first_error, "%s", text && *text ? text : "?");
        b->first_error_code = code;
        fprintf(stderr, "mqbench: first error: %d %s\n", code, b->first_error);
    }
    pthread_mutex_unlock(&b->err_mu);
}

int bench_claim(bench_t *b, int want) {
    if (!b->opts->count)
        return want;
    int64_t before = atomic_fetch_sub(&b->remaining, want);
    if (before <= 0)
        return 0;
    return before < want ? (int)before : want;
}

static void worker_init(bench_t *b, bench_worker_t *w, int index) {
    w->bench = b;
    w->index = index;
    hist_init(&w->hist);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
}

void bench_init(bench_t *b, const bench_opts_t *opts, int workers) {
    memset(b, 0, sizeof *b);
    b->opts = opts;
    atomic_init(&b->stop, false);
    atomic_init(&b->remaining, (int64_t)opts->count);
    pthread_mutex_init(&b->err_mu, NULL);
    b->worker_count = workers;
    b->workers = calloc((size_t)workers + 1, sizeof *b->workers);
    if (!b->workers)
        abort();
    for (int i = 0; i < workers; i++)
        worker_init(b, &b->workers[i], i);
}

void bench_close(bench_t *b) {
    bench_rx_stop(b);
    for (int i = 0; i < b->worker_count; i++) {
        pthread_mutex_destroy(&b->workers[i].mu);
        pthread_cond_destroy(&b->workers[i].cv);
    }
    if (b->rx) {
        pthread_mutex_destroy(&b->rx->mu);
        pthread_cond_destroy(&b->rx->cv);
        free(b->rx);
    }
    free(b->workers);
    pthread_mutex_destroy(&b->err_mu);
}

/* The source's callback: counts, and records each stamped body's end-to-end latency. */
static void on_rx(void *opaque, const bench_rx_t *msgs, size_t n) {
    bench_worker_t *rx = opaque;
    uint64_t now = bench_wall_us(), bytes = 0, unstamped = 0;
    pthread_mutex_lock(&rx->mu);
    for (size_t i = 0; i < n; i++) {
        uint64_t ts;
        bytes += msgs[i].len;
        if (bench_body_stamp(msgs[i].body, msgs[i].len, now, &ts))
            hist_record(&rx->hist, now > ts ? now - ts : 0);
        else
            unstamped++;
    }
    /* Counted under the lock too, so bench_rx_reset sees no half-counted call. */
    atomic_fetch_add_explicit(&rx->messages, n, memory_order_relaxed);
    atomic_fetch_add_explicit(&rx->requests, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&rx->bytes, bytes, memory_order_relaxed);
    atomic_fetch_add_explicit(&rx->unstamped, unstamped, memory_order_relaxed);
    pthread_mutex_unlock(&rx->mu);
}

int bench_rx_start(bench_t *b, const bench_source_ops_t *src, char *err, size_t errlen) {
    bench_worker_t *rx = calloc(1, sizeof *rx);
    if (!rx)
        abort();
    worker_init(b, rx, -1);
    b->rx = rx;
    int rc = src->start(b->opts, on_rx, rx, &b->source_state, err, errlen);
    if (rc == 0)
        b->source = src;
    return rc;
}

void bench_rx_reset(bench_t *b) {
    bench_worker_t *rx = b->rx;
    pthread_mutex_lock(&rx->mu);
    hist_init(&rx->hist);
    atomic_store(&rx->messages, 0);
    atomic_store(&rx->requests, 0);
    atomic_store(&rx->bytes, 0);
    atomic_store(&rx->unstamped, 0);
    pthread_mutex_unlock(&rx->mu);
}

void bench_rx_stop(bench_t *b) {
    if (b->source)
        b->source->stop(b->source_state);
    b->source = NULL;
    b->source_state = NULL;
}

static uint64_t sum_messages(const bench_t *b) {
    uint64_t n = 0;
    for (int i = 0; i < b->worker_count; i++)
        n += atomic_load(&b->workers[i].messages);
    return n;
}

/*
 * The run is complete before its deadline when the senders are done (-c spent) and the
 * receiving side, if any, has caught up: every message sent (e2e), or -c messages
 * (consumer mode; without -c it runs to the deadline).
 */
static bool finished(const bench_t *b) {
    for (int i = 0; i < b->worker_count; i++)
        if (!atomic_load(&b->workers[i].done))
            return false;
    if (!b->rx)
        return b->worker_count > 0;
    uint64_t got = atomic_load(&b->rx->messages);
    if (b->worker_count > 0)
        return got >= sum_messages(b);
    return b->opts->count && got >= b->opts->count;
}

static void sleep_us(uint64_t us) {
    struct timespec ts = {.tv_sec = (time_t)(us / 1000000u),
                          .tv_nsec = (long)(us % 1000000u) * 1000};
    nanosleep(&ts, NULL);
}

int bench_run(bench_t *b, void *(*fn)(void *), volatile int *signalled) {
    bench_report_t *r = bench_report_new(b);
    uint64_t t0 = bench_now_us();
    uint64_t deadline = t0 + (uint64_t)(b->opts->duration * 1e6);
    uint64_t interval = (uint64_t)(b->opts->interval * 1e6);
    uint64_t next = t0 + interval;
    int started = 0;
    for (; started < b->worker_count; started++)
        if (pthread_create(&b->workers[started].thread, NULL, fn, &b->workers[started]) != 0) {
            fprintf(stderr, "mqbench: cannot start thread %d\n", started);
            atomic_store(&b->stop, true);
            break;
        }
    /* Wait for the deadline, the -c budget or a signal, reporting each interval. */
    for (;;) {
        uint64_t now = bench_now_us();
        if (now >= next) {
            if (!b->opts->quiet)
                bench_report_progress(r, (double)(now - t0) / 1e6);
            next += interval;
            if (next <= now)
                next = now + interval;
        }
        if (now >= deadline || *signalled || atomic_load(&b->stop) || finished(b))
            break;
        uint64_t wake = next < deadline ? next : deadline;
        sleep_us(wake - now < 50000 ? wake - now : 50000);
    }
    atomic_store(&b->stop, true);
    for (int i = 0; i < started; i++)
        pthread_join(b->workers[i].thread, NULL);
    /* The run's time is the sending (consumer mode: receiving) time. */
    double elapsed = (double)(bench_now_us() - t0) / 1e6;
    /* e2e: what was sent last is still on its way; the receiving side gets up to
     * BENCH_DRAIN_US to catch up, progress lines going on. Then it stops: the summary
     * counts what arrived. */
    uint64_t drain_end = bench_now_us() + BENCH_DRAIN_US;
    while (b->rx && b->worker_count > 0 && !*signalled &&
           atomic_load(&b->rx->messages) < sum_messages(b)) {
        uint64_t now = bench_now_us();
        if (now >= drain_end)
            break;
        if (now >= next) {
            if (!b->opts->quiet)
                bench_report_progress(r, (double)(now - t0) / 1e6);
            next += interval;
            if (next <= now)
                next = now + interval;
        }
        sleep_us(10000);
    }
    bench_rx_stop(b);
    int rc = bench_report_final(r, elapsed);
    bench_report_destroy(r);
    uint64_t messages = sum_messages(b), errors = 0;
    for (int i = 0; i < b->worker_count; i++)
        errors += atomic_load(&b->workers[i].errors);
    bool ok = rc == 0 && errors == 0 && started == b->worker_count;
    if (b->worker_count > 0 && messages == 0)
        ok = false;
    if (b->rx && atomic_load(&b->rx->messages) == 0)
        ok = false;
    return ok ? 0 : 1;
}
