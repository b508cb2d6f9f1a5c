/*
 * mqbench: a load generator for RocketMQ brokers built on librocketmq's public API
 * (include/rocketmq) only, as any application would use it.
 *
 *   mqbench producer -n 127.0.0.1:9876 -t T -s 1k -w 16 -d 10 --json out.json
 *
 * Modes: producer; consumer and e2e (consume.c, and producer.c with a source), written
 * against the source interface of source.h, whose only implementation in this build
 * refuses to start (librocketmq has no consumer API yet: issue 5, item 3), so they exit
 * 2. See opts.c for the options; report.c for the progress line, summary and JSON.
 *
 * Exit status: 0 the run stored messages without an error, 1 errors (or nothing sent,
 * or the JSON file could not be written), 2 mode not available, 64 bad command line.
 */
#include "bench.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile int signalled;

static void on_signal(int sig) {
    (void)sig;
    signalled = 1;
}

int main(int argc, char **argv) {
    bench_opts_t opts;
    char err[256];
    int rc = bench_opts_parse(argc, argv, &opts, err, sizeof err);
    if (rc == 1) {
        fputs(bench_usage(), stdout);
        return 0;
    }
    if (rc != 0) {
        fprintf(stderr, "mqbench: %s\n%s", err, bench_usage());
        return 64;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* The only source in this build refuses to start (source.h): consumer and e2e modes
     * exit 2 until librocketmq has a consumer API. */
    const bench_source_ops_t *source = &bench_source_none;
    switch (opts.mode) {
    case BENCH_CONSUMER:
        return bench_consume_run(&opts, source, &signalled);
    case BENCH_E2E:
        return bench_producer_run(&opts, source, &signalled);
    case BENCH_PRODUCER:
        break;
    }
    return bench_producer_run(&opts, NULL, &signalled);
}
