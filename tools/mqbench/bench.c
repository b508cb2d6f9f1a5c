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

void bench_init(bench_t *b, const bench_opts_t *opts) {
    memset(b, 0, sizeof *b);
    b->opts = opts;
    atomic_init(&b->stop, false);
    atomic_init(&b->remaining, (int64_t)opts->count);
    pthread_mutex_init(&b->err_mu, NULL);
    b->worker_count = opts->threads;
    b->workers = calloc((size_t)opts->threads, sizeof *b->workers);
    if (!b->workers)
        abort();
    for (int i = 0; i < opts->threads; i++) {
        bench_worker_t *w = &b->workers[i];
        w->bench = b;
        w->index = i;
        hist_init(&w->hist);
        pthread_mutex_init(&w->mu, NULL);
        pthread_cond_init(&w->cv, NULL);
    }
}

void bench_close(bench_t *b) {
    for (int i = 0; i < b->worker_count; i++) {
        pthread_mutex_destroy(&b->workers[i].mu);
        pthread_cond_destroy(&b->workers[i].cv);
    }
    free(b->workers);
    pthread_mutex_destroy(&b->err_mu);
}

static bool all_done(const bench_t *b) {
    for (int i = 0; i < b->worker_count; i++)
        if (!atomic_load(&b->workers[i].done))
            return false;
    return true;
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
        if (now >= deadline || *signalled || atomic_load(&b->stop) || all_done(b))
            break;
        uint64_t wake = next < deadline ? next : deadline;
        sleep_us(wake - now < 50000 ? wake - now : 50000);
    }
    atomic_store(&b->stop, true);
    for (int i = 0; i < started; i++)
        pthread_join(b->workers[i].thread, NULL);
    double elapsed = (double)(bench_now_us() - t0) / 1e6;
    int rc = bench_report_final(r, elapsed);
    bench_report_destroy(r);
    uint64_t messages = 0, errors = 0;
    for (int i = 0; i < b->worker_count; i++) {
        messages += atomic_load(&b->workers[i].messages);
        errors += atomic_load(&b->workers[i].errors);
    }
    return rc == 0 && messages > 0 && errors == 0 && started == b->worker_count ? 0 : 1;
}
