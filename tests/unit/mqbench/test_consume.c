/*
 * tools/mqbench/consume.c, bench.c and report.c on the receiving side, with a fake
 * source (source.h) that delivers stamped and unstamped bodies from its own thread: the
 * counts, the end-to-end latency taken from the body's send time, the -c stop, the JSON
 * object; and the body stamp itself. Also: a source that cannot start makes consumer mode
 * exit 2, and e2e waits for messages that arrive after the senders stopped.
 */
#include "bench.h"
#include "source.h"
#include "test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STAMPED   900
#define UNSTAMPED 100
#define AGE_US    5000 /* how old the fake send time stamps are */

typedef struct fake_s {
    pthread_t thread;
    bench_rx_cb_t *cb;
    void *opaque;
} fake_t;

/* Delivers STAMPED bodies stamped AGE_US in the past, in batches of 30, then UNSTAMPED
 * short ones one by one. */
static void *fake_main(void *arg) {
    fake_t *f = arg;
    unsigned char bodies[30][64];
    bench_rx_t msgs[30];
    for (int sent = 0; sent < STAMPED; sent += 30) {
        for (int i = 0; i < 30; i++) {
            memset(bodies[i], 'x', sizeof bodies[i]);
            bench_body_stamp_write(bodies[i], sizeof bodies[i], bench_wall_us() - AGE_US);
            msgs[i] = (bench_rx_t){.body = bodies[i], .len = sizeof bodies[i]};
        }
        f->cb(f->opaque, msgs, 30);
    }
    for (int i = 0; i < UNSTAMPED; i++) {
        bench_rx_t m = {.body = "abc", .len = 3};
        f->cb(f->opaque, &m, 1);
    }
    return NULL;
}

static int fake_start(const bench_opts_t *o, bench_rx_cb_t *cb, void *opaque, void **state,
                      char *err, size_t errlen) {
    (void)o;
    (void)err;
    (void)errlen;
    fake_t *f = calloc(1, sizeof *f);
    CHECK(f != NULL);
    f->cb = cb;
    f->opaque = opaque;
    CHECK_EQ(pthread_create(&f->thread, NULL, fake_main, f), 0);
    *state = f;
    return 0;
}

static int fake_stops;

static void fake_stop(void *state) {
    fake_t *f = state;
    pthread_join(f->thread, NULL);
    free(f);
    fake_stops++;
}

static const bench_source_ops_t fake_source = {
    .name = "fake", .start = fake_start, .stop = fake_stop};

static char *read_all(const char *path) {
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static uint64_t json_u64(const char *json, const char *after, const char *key) {
    const char *p = strstr(json, after);
    CHECK(p != NULL);
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    p = strstr(p, pat);
    CHECK(p != NULL);
    return strtoull(p + strlen(pat), NULL, 10);
}

static void test_consumer_counts_and_e2e_latency(void) {
    char path[] = "/tmp/mqbench-test-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    char count[32];
    snprintf(count, sizeof count, "%d", STAMPED + UNSTAMPED);
    char *argv[] = {"mqbench", "consumer", "-t", "T",      "-c", count,
                    "-d",      "60",       "-q", "--json", path, NULL};
    bench_opts_t o;
    char err[256];
    CHECK_EQ(bench_opts_parse(11, argv, &o, err, sizeof err), 0);
    volatile int signalled = 0;
    fake_stops = 0;
    CHECK_EQ(bench_consume_run(&o, &fake_source, &signalled), 0);
    CHECK_EQ(fake_stops, 1);
    const char *json = read_all(path);
    unlink(path);
    CHECK(strstr(json, "\"mode\":\"consumer\"") != NULL);
    CHECK_EQ(json_u64(json, "\"received\"", "messages"), STAMPED + UNSTAMPED);
    CHECK_EQ(json_u64(json, "\"received\"", "unstamped"), UNSTAMPED);
    CHECK_EQ(json_u64(json, "\"received\"", "bytes"), STAMPED * 64 + UNSTAMPED * 3);
    CHECK_EQ(json_u64(json, "\"e2e_latency_us\"", "count"), STAMPED);
    /* Received after its stamp: at least AGE_US old. */
    uint64_t min = json_u64(json, "\"e2e_latency_us\"", "min");
    uint64_t p50 = json_u64(json, "\"e2e_latency_us\"", "p50");
    uint64_t p99 = json_u64(json, "\"e2e_latency_us\"", "p99");
    uint64_t max = json_u64(json, "\"e2e_latency_us\"", "max");
    CHECK(min >= AGE_US);
    CHECK(min <= p50 && p50 <= p99 && p99 <= max);
    /* Nothing was sent. */
    CHECK_EQ(json_u64(json, "\"totals\"", "messages"), 0);
}

static void test_unavailable_source_exits_2(void) {
    char *argv[] = {"mqbench", "consumer", "-d", "1", "-q", NULL};
    bench_opts_t o;
    char err[256];
    CHECK_EQ(bench_opts_parse(5, argv, &o, err, sizeof err), 0);
    volatile int signalled = 0;
    CHECK_EQ(bench_consume_run(&o, &bench_source_none, &signalled), 2);
}

static void test_body_stamp(void) {
    unsigned char body[16] = {0};
    uint64_t now = 1790000000000000ull, ts = 0;
    bench_body_stamp_write(body, sizeof body, now - 1234);
    CHECK_EQ(bench_body_stamp(body, sizeof body, now, &ts), 1);
    CHECK_EQ(ts, now - 1234);
    /* Big-endian. */
    CHECK_EQ(body[0], (unsigned char)((now - 1234) >> 56));
    CHECK_EQ(body[7], (unsigned char)((now - 1234) & 0xff));
    CHECK_EQ(bench_body_stamp(body, 7, now, &ts), 0);
    /* Implausible: older than a day, or from the future beyond a minute. */
    CHECK_EQ(bench_body_stamp(body, sizeof body, now + 86400ull * 1000000 + 1235, &ts), 0);
    CHECK_EQ(bench_body_stamp(body, sizeof body, now - 61ull * 1000000, &ts), 0);
    CHECK_EQ(bench_body_stamp("abcdefghij", 10, now, &ts), 0);
    /* Short bodies are left alone. */
    unsigned char small[4] = {1, 2, 3, 4};
    bench_body_stamp_write(small, sizeof small, now);
    CHECK_EQ(small[0], 1);
    CHECK_EQ(small[3], 4);
}

/* A source the test drives by hand from its own thread. */
static bench_rx_cb_t *manual_cb;
static void *manual_opaque;

static int manual_start(const bench_opts_t *o, bench_rx_cb_t *cb, void *opaque, void **state,
                        char *err, size_t errlen) {
    (void)o;
    (void)err;
    (void)errlen;
    manual_cb = cb;
    manual_opaque = opaque;
    *state = NULL;
    return 0;
}

static void manual_stop(void *state) {
    (void)state;
}

static const bench_source_ops_t manual_source = {
    .name = "manual", .start = manual_start, .stop = manual_stop};

static void deliver(int n, uint64_t age_us) {
    unsigned char body[16];
    bench_rx_t m = {.body = body, .len = sizeof body};
    for (int i = 0; i < n; i++) {
        bench_body_stamp_write(body, sizeof body, bench_wall_us() - age_us);
        manual_cb(manual_opaque, &m, 1);
    }
}

/* Progress lines cover the interval only: the second shows the second batch's count and
 * latency, not the first's. Reads the lines back from a temporary stdout. */
static void test_progress_lines_are_per_interval(void) {
    char *argv[] = {"mqbench", "consumer", "-d", "5", NULL};
    bench_opts_t o;
    char err[256];
    CHECK_EQ(bench_opts_parse(4, argv, &o, err, sizeof err), 0);
    bench_t b;
    bench_init(&b, &o, 0);
    CHECK_EQ(bench_rx_start(&b, &manual_source, err, sizeof err), 0);
    bench_report_t *r = bench_report_new(&b);

    char path[] = "/tmp/mqbench-progress-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    fflush(stdout);
    int saved = dup(1);
    CHECK(dup2(fd, 1) == 1);
    deliver(100, 2000);
    bench_report_progress(r, 1.0);
    deliver(50, 40000);
    bench_report_progress(r, 2.0);
    bench_report_progress(r, 3.0);
    fflush(stdout);
    CHECK(dup2(saved, 1) == 1);
    close(saved);
    close(fd);
    const char *out = read_all(path);
    unlink(path);
    fputs(out, stdout);

    const char *l1 = strstr(out, "[    1.0s] receive TPS 100 ");
    const char *l2 = strstr(out, "[    2.0s] receive TPS 50 ");
    const char *l3 = strstr(out, "[    3.0s] receive TPS 0 ");
    CHECK(l1 && l2 && l3);
    double p50_1 = atof(strstr(l1, "p50 ") + 4), p50_2 = atof(strstr(l2, "p50 ") + 4);
    CHECK(p50_1 >= 2.0 && p50_1 < 40.0); /* the first interval: 2 ms old bodies */
    CHECK(p50_2 >= 40.0);                /* the second: 40 ms old ones only */
    CHECK(strstr(l1, "total 100\n") != NULL);
    CHECK(strstr(l2, "total 150\n") != NULL);
    CHECK(strstr(l3, "p50 0.000 ") != NULL); /* nothing received in the third */
    /* No producer line in consumer mode. */
    CHECK(strstr(out, "consumer TPS") == NULL);
    bench_report_destroy(r);
    bench_close(&b);
}

/* What e2e's warm-up received is forgotten: counts and latencies start from zero. */
static void test_rx_reset(void) {
    char *argv[] = {"mqbench", "e2e", NULL};
    bench_opts_t o;
    char err[256];
    CHECK_EQ(bench_opts_parse(2, argv, &o, err, sizeof err), 0);
    bench_t b;
    bench_init(&b, &o, 0);
    CHECK_EQ(bench_rx_start(&b, &manual_source, err, sizeof err), 0);
    deliver(10, 1000);
    bench_rx_t m = {.body = "mqbench-warm-up", .len = 15};
    manual_cb(manual_opaque, &m, 1);
    CHECK_EQ(atomic_load(&b.rx->messages), 11);
    CHECK_EQ(atomic_load(&b.rx->unstamped), 1);
    CHECK_EQ(hist_count(&b.rx->hist), 10);
    bench_rx_reset(&b);
    CHECK_EQ(atomic_load(&b.rx->messages), 0);
    CHECK_EQ(atomic_load(&b.rx->requests), 0);
    CHECK_EQ(atomic_load(&b.rx->bytes), 0);
    CHECK_EQ(atomic_load(&b.rx->unstamped), 0);
    CHECK_EQ(hist_count(&b.rx->hist), 0);
    deliver(3, 1000);
    CHECK_EQ(atomic_load(&b.rx->messages), 3);
    CHECK_EQ(hist_count(&b.rx->hist), 3);
    bench_close(&b);
}

/* e2e's drain: workers "send" E2E_PER_WORKER messages each and return at the deadline;
 * only after both returned (the senders are done) and another 200 ms does the source
 * deliver them, unless it was stopped first. bench_run must wait for them: received ==
 * sent, and the source stopped once. */
#define E2E_PER_WORKER 150

static _Atomic int e2e_returned;

static void *e2e_worker(void *arg) {
    bench_worker_t *w = arg;
    atomic_fetch_add(&w->messages, E2E_PER_WORKER);
    atomic_fetch_add(&w->requests, E2E_PER_WORKER);
    while (!atomic_load(&w->bench->stop))
        usleep(5000);
    atomic_store(&w->done, true);
    atomic_fetch_add(&e2e_returned, 1);
    return NULL;
}

typedef struct late_s {
    pthread_t thread;
    bench_rx_cb_t *cb;
    void *opaque;
    _Atomic bool stopping;
} late_t;

static void *late_main(void *arg) {
    late_t *f = arg;
    while (atomic_load(&e2e_returned) < 2 && !atomic_load(&f->stopping))
        usleep(5000);
    for (int i = 0; i < 40 && !atomic_load(&f->stopping); i++)
        usleep(5000);
    unsigned char body[32];
    bench_rx_t m = {.body = body, .len = sizeof body};
    for (int i = 0; i < 2 * E2E_PER_WORKER && !atomic_load(&f->stopping); i++) {
        bench_body_stamp_write(body, sizeof body, bench_wall_us() - 1000);
        f->cb(f->opaque, &m, 1);
    }
    return NULL;
}

static int late_start(const bench_opts_t *o, bench_rx_cb_t *cb, void *opaque, void **state,
                      char *err, size_t errlen) {
    (void)o;
    (void)err;
    (void)errlen;
    late_t *f = calloc(1, sizeof *f);
    CHECK(f != NULL);
    f->cb = cb;
    f->opaque = opaque;
    CHECK_EQ(pthread_create(&f->thread, NULL, late_main, f), 0);
    *state = f;
    return 0;
}

static void late_stop(void *state) {
    late_t *f = state;
    atomic_store(&f->stopping, true);
    pthread_join(f->thread, NULL);
    free(f);
    fake_stops++;
}

static const bench_source_ops_t late_source = {
    .name = "late", .start = late_start, .stop = late_stop};

static void test_e2e_waits_for_late_messages(void) {
    char path[] = "/tmp/mqbench-e2e-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    char *argv[] = {"mqbench", "e2e", "-w", "2", "-d", "0.3", "-q", "--json", path, NULL};
    bench_opts_t o;
    char err[256];
    CHECK_EQ(bench_opts_parse(9, argv, &o, err, sizeof err), 0);
    volatile int signalled = 0;
    fake_stops = 0;
    atomic_store(&e2e_returned, 0);
    bench_t b;
    bench_init(&b, &o, o.threads);
    CHECK_EQ(bench_rx_start(&b, &late_source, err, sizeof err), 0);
    CHECK_EQ(bench_run(&b, e2e_worker, &signalled), 0);
    CHECK_EQ(fake_stops, 1);
    bench_close(&b);
    CHECK_EQ(fake_stops, 1); /* bench_close does not stop it twice */
    const char *json = read_all(path);
    unlink(path);
    CHECK(strstr(json, "\"mode\":\"e2e\"") != NULL);
    CHECK_EQ(json_u64(json, "\"totals\"", "messages"), 2 * E2E_PER_WORKER);
    CHECK_EQ(json_u64(json, "\"received\"", "messages"), 2 * E2E_PER_WORKER);
    CHECK_EQ(json_u64(json, "\"e2e_latency_us\"", "count"), 2 * E2E_PER_WORKER);
    CHECK(json_u64(json, "\"e2e_latency_us\"", "min") >= 1000);
}

int main(void) {
    RUN(test_body_stamp);
    RUN(test_unavailable_source_exits_2);
    RUN(test_consumer_counts_and_e2e_latency);
    RUN(test_progress_lines_are_per_interval);
    RUN(test_rx_reset);
    RUN(test_e2e_waits_for_late_messages);
    return 0;
}
