/*
 * mqbench: progress lines, the final summary and the JSON object.
 *
 * Interval figures come from cumulative totals: each tick merges the workers' live
 * histograms (relaxed reads, no lock) into `cur` and subtracts the previous tick's
 * merge (hist_diff), so workers never reset anything. The summary uses the exact
 * cumulative histogram after the workers joined.
 *
 * JSON (one object, keys in this order; latencies in microseconds):
 *   {"tool":"mqbench","mode":"producer",
 *    "config":{"namesrv","topic","group","size","threads","window","batch","tags","keys",
 *              "duration_s","count","interval_s"},
 *    "totals":{"messages","requests","errors","bytes","elapsed_s","tps","mib_per_s"},
 *    "latency_us":{"count","min","mean","p50","p90","p99","p99_9","max"},
 *    "first_error":null | {"code":N,"text":"..."},
 *    consumer and e2e modes only:
 *    "received":{"messages","bytes","unstamped","tps"},
 *    "e2e_latency_us":{"count","min","mean","p50","p90","p99","p99_9","max"}}
 * In consumer mode "totals" and "latency_us" are zero (nothing is sent).
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bench_report_s {
    bench_t *b;
    hist_t *cur, *prev, *interval;
    hist_t *rx_cur, *rx_prev; /* consumer/e2e: the receiving side's, the same way */
    uint64_t prev_messages, prev_errors, prev_rx_messages;
    double prev_elapsed;
};

static hist_t *hist_new(void) {
    hist_t *h = malloc(sizeof *h);
    if (!h)
        abort();
    hist_init(h);
    return h;
}

bench_report_t *bench_report_new(bench_t *b) {
    bench_report_t *r = calloc(1, sizeof *r);
    if (!r)
        abort();
    r->b = b;
    r->cur = hist_new();
    r->prev = hist_new();
    r->interval = hist_new();
    r->rx_cur = hist_new();
    r->rx_prev = hist_new();
    return r;
}

void bench_report_destroy(bench_report_t *r) {
    if (!r)
        return;
    free(r->cur);
    free(r->prev);
    free(r->interval);
    free(r->rx_cur);
    free(r->rx_prev);
    free(r);
}

typedef struct totals_s {
    uint64_t messages, requests, errors, bytes;
    uint64_t rx_messages, rx_bytes, rx_unstamped;
} totals_t;

/* Sums the counters and merges the histograms of every worker into r->cur. */
static totals_t collect(bench_report_t *r) {
    totals_t t = {0};
    hist_init(r->cur);
    for (int i = 0; i < r->b->worker_count; i++) {
        bench_worker_t *w = &r->b->workers[i];
        t.messages += atomic_load_explicit(&w->messages, memory_order_relaxed);
        t.requests += atomic_load_explicit(&w->requests, memory_order_relaxed);
        t.errors += atomic_load_explicit(&w->errors, memory_order_relaxed);
        t.bytes += atomic_load_explicit(&w->bytes, memory_order_relaxed);
        hist_merge(r->cur, &w->hist);
    }
    bench_worker_t *rx = r->b->rx;
    if (rx) {
        t.rx_messages = atomic_load_explicit(&rx->messages, memory_order_relaxed);
        t.rx_bytes = atomic_load_explicit(&rx->bytes, memory_order_relaxed);
        t.rx_unstamped = atomic_load_explicit(&rx->unstamped, memory_order_relaxed);
        hist_copy(r->rx_cur, &rx->hist);
    }
    return t;
}

static double ms(uint64_t us) {
    return (double)us / 1000.0;
}

/* The receiving side's line: rate and end-to-end latency of the interval. */
static void progress_rx(bench_report_t *r, const totals_t *t, double elapsed_s, double dt) {
    hist_diff(r->interval, r->rx_cur, r->rx_prev);
    const hist_t *h = r->interval;
    double tps = dt > 0 ? (double)(t->rx_messages - r->prev_rx_messages) / dt : 0;
    printf("[%7.1fs] receive TPS %.0f  e2e latency ms p50 %.3f p99 %.3f p99.9 %.3f max %.3f"
           "  total %llu\n",
           elapsed_s, tps, ms(hist_percentile(h, 50)), ms(hist_percentile(h, 99)),
           ms(hist_percentile(h, 99.9)), ms(hist_max(h)), (unsigned long long)t->rx_messages);
    hist_t *swap = r->rx_prev;
    r->rx_prev = r->rx_cur;
    r->rx_cur = swap;
    r->prev_rx_messages = t->rx_messages;
}

void bench_report_progress(bench_report_t *r, double elapsed_s) {
    totals_t t = collect(r);
    double dt = elapsed_s - r->prev_elapsed;
    if (r->b->rx)
        progress_rx(r, &t, elapsed_s, dt);
    if (r->b->worker_count == 0) {
        fflush(stdout);
        r->prev_elapsed = elapsed_s;
        return;
    }
    hist_diff(r->interval, r->cur, r->prev);
    double tps = dt > 0 ? (double)(t.messages - r->prev_messages) / dt : 0;
    const hist_t *h = r->interval;
    printf("[%7.1fs] %s TPS %.0f  errors %llu  latency ms p50 %.3f p99 %.3f p99.9 %.3f max %.3f"
           "  total %llu\n",
           elapsed_s, bench_mode_name(r->b->opts->mode), tps,
           (unsigned long long)(t.errors - r->prev_errors), ms(hist_percentile(h, 50)),
           ms(hist_percentile(h, 99)), ms(hist_percentile(h, 99.9)), ms(hist_max(h)),
           (unsigned long long)t.messages);
    fflush(stdout);
    hist_t *swap = r->prev;
    r->prev = r->cur;
    r->cur = swap;
    r->prev_messages = t.messages;
    r->prev_errors = t.errors;
    r->prev_elapsed = elapsed_s;
}

/* A JSON string, or null. */
static void json_str(FILE *f, const char *s) {
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void json_latency(FILE *f, const hist_t *h) {
    fprintf(f,
            "{\"count\":%llu,\"min\":%llu,\"mean\":%.1f,\"p50\":%llu,\"p90\":%llu,"
            "\"p99\":%llu,\"p99_9\":%llu,\"max\":%llu}",
            (unsigned long long)hist_count(h), (unsigned long long)hist_min(h), hist_mean(h),
            (unsigned long long)hist_percentile(h, 50), (unsigned long long)hist_percentile(h, 90),
            (unsigned long long)hist_percentile(h, 99),
            (unsigned long long)hist_percentile(h, 99.9), (unsigned long long)hist_max(h));
}

static void write_json(FILE *f, const bench_report_t *r, const totals_t *t, double elapsed_s) {
    const bench_opts_t *o = r->b->opts;
    const hist_t *h = r->cur;
    fprintf(f, "{\"tool\":\"mqbench\",\"mode\":\"%s\",\"config\":{\"namesrv\":",
            bench_mode_name(o->mode));
    json_str(f, o->namesrv);
    fputs(",\"topic\":", f);
    json_str(f, o->topic);
    fputs(",\"group\":", f);
    json_str(f, o->group);
    fprintf(f, ",\"size\":%zu,\"threads\":%d,\"window\":%d,\"batch\":%d,\"tags\":", o->size,
            o->threads, o->window, o->batch);
    json_str(f, o->tags);
    fprintf(f, ",\"keys\":%s,\"duration_s\":%.3f,\"count\":%llu,\"interval_s\":%.3f},",
            o->keys ? "true" : "false", o->duration, (unsigned long long)o->count, o->interval);
    double tps = elapsed_s > 0 ? (double)t->messages / elapsed_s : 0;
    double mibs = elapsed_s > 0 ? (double)t->bytes / elapsed_s / (1024.0 * 1024.0) : 0;
    fprintf(f,
            "\"totals\":{\"messages\":%llu,\"requests\":%llu,\"errors\":%llu,\"bytes\":%llu,"
            "\"elapsed_s\":%.3f,\"tps\":%.1f,\"mib_per_s\":%.3f},",
            (unsigned long long)t->messages, (unsigned long long)t->requests,
            (unsigned long long)t->errors, (unsigned long long)t->bytes, elapsed_s, tps, mibs);
    fputs("\"latency_us\":", f);
    json_latency(f, h);
    fputs(",\"first_error\":", f);
    if (r->b->first_error[0]) {
        fprintf(f, "{\"code\":%lld,\"text\":", (long long)r->b->first_error_code);
        json_str(f, r->b->first_error);
        fputc('}', f);
    } else {
        fputs("null", f);
    }
    if (r->b->rx) {
        double rx_tps = elapsed_s > 0 ? (double)t->rx_messages / elapsed_s : 0;
        fprintf(f,
                ",\"received\":{\"messages\":%llu,\"bytes\":%llu,\"unstamped\":%llu,"
                "\"tps\":%.1f},\"e2e_latency_us\":",
                (unsigned long long)t->rx_messages, (unsigned long long)t->rx_bytes,
                (unsigned long long)t->rx_unstamped, rx_tps);
        json_latency(f, r->rx_cur);
    }
    fputs("}\n", f);
}

int bench_report_final(bench_report_t *r, double elapsed_s) {
    const bench_opts_t *o = r->b->opts;
    totals_t t = collect(r);
    const hist_t *h = r->cur;
    double tps = elapsed_s > 0 ? (double)t.messages / elapsed_s : 0;
    if (r->b->worker_count == 0) {
        printf("mqbench %s: topic %s, group %s, %.2f s\n", bench_mode_name(o->mode), o->topic,
               o->group, elapsed_s);
    } else {
        printf("mqbench %s: topic %s, %d threads, %s, body %zu B, batch %d%s%s%s\n",
               bench_mode_name(o->mode), o->topic, o->threads, o->window ? "async" : "sync",
               o->size, o->batch, o->tags ? ", tags " : "", o->tags ? o->tags : "",
               o->keys ? ", keys" : "");
        if (o->window)
            printf("  window %d in flight per thread\n", o->window);
        printf("  %llu messages in %llu requests, %.2f s: %.1f msg/s, %.3f MiB/s; errors %llu\n",
               (unsigned long long)t.messages, (unsigned long long)t.requests, elapsed_s, tps,
               elapsed_s > 0 ? (double)t.bytes / elapsed_s / (1024.0 * 1024.0) : 0,
               (unsigned long long)t.errors);
        printf("  latency ms: min %.3f mean %.3f p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max "
               "%.3f\n",
               ms(hist_min(h)), hist_mean(h) / 1000.0, ms(hist_percentile(h, 50)),
               ms(hist_percentile(h, 90)), ms(hist_percentile(h, 99)), ms(hist_percentile(h, 99.9)),
               ms(hist_max(h)));
    }
    if (r->b->first_error[0])
        printf("  first error: %lld %s\n", (long long)r->b->first_error_code, r->b->first_error);
    if (r->b->rx) {
        const hist_t *e = r->rx_cur;
        printf("  received %llu messages (%llu without a send time stamp), %.1f msg/s\n",
               (unsigned long long)t.rx_messages, (unsigned long long)t.rx_unstamped,
               elapsed_s > 0 ? (double)t.rx_messages / elapsed_s : 0);
        printf("  e2e latency ms: min %.3f mean %.3f p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f "
               "max %.3f\n",
               ms(hist_min(e)), hist_mean(e) / 1000.0, ms(hist_percentile(e, 50)),
               ms(hist_percentile(e, 90)), ms(hist_percentile(e, 99)), ms(hist_percentile(e, 99.9)),
               ms(hist_max(e)));
    }
    fflush(stdout);
    if (!o->json)
        return 0;
    FILE *f = fopen(o->json, "w");
    if (!f) {
        perror(o->json);
        return -1;
    }
    write_json(f, r, &t, elapsed_s);
    if (fclose(f) != 0) {
        perror(o->json);
        return -1;
    }
    return 0;
}
