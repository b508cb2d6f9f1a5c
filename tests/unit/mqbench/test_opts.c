/*
 * tools/mqbench/opts.c: defaults, every option in both spellings, limits, and the
 * combinations it refuses.
 */
#include "opts.h"
#include "test.h"

#include <string.h>

/* Parses a space-separated command line (after "mqbench"). */
static int parse(const char *line, bench_opts_t *o, char *err, size_t errlen) {
    static char buf[1024];
    static char *argv[64];
    int argc = 0;
    argv[argc++] = "mqbench";
    snprintf(buf, sizeof buf, "%s", line);
    for (char *tok = strtok(buf, " "); tok && argc < 63; tok = strtok(NULL, " "))
        argv[argc++] = tok;
    argv[argc] = NULL;
    err[0] = '\0';
    return bench_opts_parse(argc, argv, o, err, errlen);
}

static void test_defaults(void) {
    bench_opts_t o;
    char err[256];
    CHECK_EQ(parse("producer", &o, err, sizeof err), 0);
    CHECK_EQ(o.mode, BENCH_PRODUCER);
    CHECK(o.namesrv == NULL);
    CHECK_STREQ(o.topic, "BenchmarkTest");
    CHECK_STREQ(o.group, "mqbench_producer");
    CHECK_EQ(o.size, 128);
    CHECK_EQ(o.threads, 4);
    CHECK_EQ(o.window, 0);
    CHECK_EQ(o.batch, 1);
    CHECK(o.tags == NULL && !o.keys && !o.quiet && o.json == NULL);
    CHECK(o.duration == BENCH_DEFAULT_DURATION);
    CHECK_EQ(o.count, 0);
    CHECK(o.interval == 1.0);
    /* No mode: producer. */
    CHECK_EQ(parse("-w 2", &o, err, sizeof err), 0);
    CHECK_EQ(o.mode, BENCH_PRODUCER);
    CHECK_EQ(parse("consumer", &o, err, sizeof err), 0);
    CHECK_EQ(o.mode, BENCH_CONSUMER);
    CHECK_STREQ(o.group, "mqbench_consumer");
    CHECK_EQ(parse("e2e", &o, err, sizeof err), 0);
    CHECK_EQ(o.mode, BENCH_E2E);
}

static void test_every_option(void) {
    bench_opts_t o;
    char err[256];
    CHECK_EQ(parse("producer -n 127.0.0.1:9876;127.0.0.1:9877 -t T1 -g G1 -s 1k -w 16 "
                   "--window 32 --tags TagA --keys -d 2.5 -c 1000 -i 0.5 --json out.json "
                   "--conf sendMsgTimeout=5000 --conf=retryTimesWhenSendFailed=0 -q",
                   &o, err, sizeof err),
             0);
    CHECK_STREQ(o.namesrv, "127.0.0.1:9876;127.0.0.1:9877");
    CHECK_STREQ(o.topic, "T1");
    CHECK_STREQ(o.group, "G1");
    CHECK_EQ(o.size, 1024);
    CHECK_EQ(o.threads, 16);
    CHECK_EQ(o.window, 32);
    CHECK_STREQ(o.tags, "TagA");
    CHECK(o.keys && o.quiet);
    CHECK(o.duration == 2.5 && o.duration_set);
    CHECK_EQ(o.count, 1000);
    CHECK(o.interval == 0.5);
    CHECK_STREQ(o.json, "out.json");
    CHECK_EQ(o.conf_count, 2);
    CHECK_STREQ(o.conf[0], "sendMsgTimeout=5000");
    CHECK_STREQ(o.conf[1], "retryTimesWhenSendFailed=0");
    /* "--name=value" and sizes in MiB; batch. */
    CHECK_EQ(parse("--window=8 -s 2m -b 2", &o, err, sizeof err), -1); /* batch + window */
    CHECK(strstr(err, "--window") != NULL);
    CHECK_EQ(parse("--window=8 -s 2m", &o, err, sizeof err), 0);
    CHECK_EQ(o.window, 8);
    CHECK_EQ(o.size, 2 * 1024 * 1024);
    CHECK_EQ(parse("-b 64 -s 4k", &o, err, sizeof err), 0);
    CHECK_EQ(o.batch, 64);
    CHECK_EQ(parse("-h", &o, err, sizeof err), 1);
    CHECK_EQ(parse("producer --help", &o, err, sizeof err), 1);
}

/* -c alone is still bounded: the duration becomes the maximum, not "forever". */
static void test_count_is_bounded(void) {
    bench_opts_t o;
    char err[256];
    CHECK_EQ(parse("-c 5", &o, err, sizeof err), 0);
    CHECK(o.duration == BENCH_MAX_DURATION);
    CHECK_EQ(parse("-c 5 -d 3", &o, err, sizeof err), 0);
    CHECK(o.duration == 3.0);
    CHECK_EQ(parse("-d 3601", &o, err, sizeof err), -1);
    CHECK_EQ(parse("-d 0", &o, err, sizeof err), -1);
}

static void test_rejects(void) {
    bench_opts_t o;
    char err[256];
    const char *bad[] = {
        "bogus",        "producer consumer",
        "-s 0",         "-s 5m",
        "-s 12x",       "-s -1",
        "-w 0",         "-w 1025",
        "-w 2.5",       "--window 65537",
        "-b 0",         "-b 1025",
        "-c 0",         "-c -3",
        "-i 0.01",      "-d abc",
        "--conf nokey", "--conf =v",
        "-t",           "--json",
        "--unknown 1",  "-x",
        "-b 8 -s 1m",   "-b 10 -c 5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse(bad[i], &o, err, sizeof err);
        if (rc != -1)
            fprintf(stderr, "accepted: %s\n", bad[i]);
        CHECK_EQ(rc, -1);
        CHECK(err[0] != '\0');
    }
}

int main(void) {
    RUN(test_defaults);
    RUN(test_every_option);
    RUN(test_count_is_bounded);
    RUN(test_rejects);
    return 0;
}
