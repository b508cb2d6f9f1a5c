/*
 * mqbench: the source that refuses to start (source.h: BENCH_SOURCE_UNAVAILABLE) and
 * the body time stamp shared by the producer (writes it) and the consuming side (reads
 * it).
 */
#include "source.h"

#include <stdio.h>

static int none_start(const bench_opts_t *o, bench_rx_cb_t *cb, void *opaque, void **state,
                      char *err, size_t errlen) {
    (void)cb;
    (void)opaque;
    *state = NULL;
    snprintf(err, errlen, "%s mode is not available in this build (no consumer source)",
             bench_mode_name(o->mode));
    return BENCH_SOURCE_UNAVAILABLE;
}

static void none_stop(void *state) {
    (void)state;
}

const bench_source_ops_t bench_source_none = {
    .name = "none",
    .start = none_start,
    .stop = none_stop,
};

#define DAY_US    (86400ull * 1000000ull)
#define MINUTE_US (60ull * 1000000ull)

int bench_body_stamp(const void *body, size_t len, uint64_t now_us, uint64_t *ts_us) {
    if (len < 8)
        return 0;
    const unsigned char *p = body;
    uint64_t ts = 0;
    for (int i = 0; i < 8; i++)
        ts = ts << 8 | p[i];
    if (ts + DAY_US < now_us || ts > now_us + MINUTE_US)
        return 0;
    *ts_us = ts;
    return 1;
}

void bench_body_stamp_write(void *body, size_t len, uint64_t ts_us) {
    if (len < 8)
        return;
    unsigned char *p = body;
    for (int i = 7; i >= 0; i--) {
        p[i] = (unsigned char)(ts_us & 0xff);
        ts_us >>= 8;
    }
}
