/*
 * mqbench: a load generator for RocketMQ brokers built on librocketmq's public API
 * (include/rocketmq) only, as any application would use it.
 *
 *   mqbench producer -n 127.0.0.1:9876 -t T -s 1k -w 16 -d 10 --json out.json
 *
 * Modes: producer (this file's only working mode for now), consumer and e2e, which
 * need the consumer API (issue 5, item 3) and exit 2 until it exists. See opts.c for
 * the options; report.c for the progress line, summary and JSON layout.
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
    if (opts.mode != BENCH_PRODUCER) {
        fprintf(stderr,
                "mqbench: %s mode is not yet available (it needs librocketmq's consumer API)\n",
                bench_mode_name(opts.mode));
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return bench_producer_run(&opts, &signalled);
}
