/*
 * mqbench: a load generator for RocketMQ brokers built on librocketmq's public API
 * (include/rocketmq) only, as any application would use it.
 *
 *   mqbench producer -n 127.0.0.1:9876 -t T -s 1k -w 16 -d 10 --json out.json
 *
 * Modes: producer; consumer (consume.c) and e2e (producer.c with a source), which
 * receive through the source interface of source.h, implemented on librocketmq's push
 * consumer (source_push.c). See opts.c for the options; report.c for the progress
 * line, summary and JSON.
 *
 * Exit status: 0 the run stored (consumer: received) messages without an error, 1
 * errors (or nothing sent or received, or the JSON file could not be written), 2 mode
 * not available, 64 bad command line.
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
    const bench_source_ops_t *source = &bench_source_push;
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
