/*
 * mqbench consumer mode: receive from the topic through a source (source.h) until the
 * deadline, -c messages or a signal, reporting the receive rate and, for bodies that
 * carry mqbench's send time stamp, the end-to-end latency. No threads of its own: the
 * source's callback threads record into bench_t.rx.
 */
#include "bench.h"

#include <stdio.h>

int bench_consume_run(const bench_opts_t *opts, const bench_source_ops_t *src,
                      volatile int *signalled) {
    bench_t b;
    bench_init(&b, opts, 0);
    char err[256] = "";
    int rc = bench_rx_start(&b, src, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "mqbench: %s\n", err);
        bench_close(&b);
        return rc == BENCH_SOURCE_UNAVAILABLE ? 2 : 1;
    }
    rc = bench_run(&b, NULL, signalled);
    bench_close(&b);
    return rc;
}
