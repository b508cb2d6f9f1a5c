/*
 * mqbench: where consumer and e2e modes get messages from - a small interface so the
 * modes do not depend on which consumer API delivers them.
 *
 * A source subscribes to opts->topic (all tags) in group opts->group and calls `cb` with
 * each batch of received messages, on any thread, possibly several at once. The bodies
 * are borrowed for the call. stop() returns once no callback runs any more.
 *
 * Sources: bench_source_push (source_push.c: librocketmq's push consumer, its listener
 * mapped onto `cb` one to one), what mqbench runs; bench_source_none (source_none.c),
 * which refuses to start (a build without a consumer; the unit tests check the exit
 * status it leads to). The unit tests also use fake sources.
 */
#ifndef MQBENCH_SOURCE_H
#define MQBENCH_SOURCE_H

#include "opts.h"

#include <stddef.h>
#include <stdint.h>

/* One received message, borrowed for the callback. */
typedef struct bench_rx_s {
    const void *body;
    size_t len;
} bench_rx_t;

typedef void(bench_rx_cb_t)(void *opaque, const bench_rx_t *msgs, size_t n);

typedef struct bench_source_ops_s {
    const char *name;
    /* 0 and *state set; BENCH_SOURCE_UNAVAILABLE when this build cannot consume; any
     * other non-zero on failure. err says why. */
    int (*start)(const bench_opts_t *o, bench_rx_cb_t *cb, void *opaque, void **state, char *err,
                 size_t errlen);
    void (*stop)(void *state);
} bench_source_ops_t;

#define BENCH_SOURCE_UNAVAILABLE 2

extern const bench_source_ops_t bench_source_none;
extern const bench_source_ops_t bench_source_push; /* in the mqbench executable only */

/*
 * The send time mqbench's producer wrote into a body (its first 8 bytes, big-endian
 * wall-clock microseconds), if `body` carries a plausible one: 1 and *ts_us set, else 0
 * (too short, or a time more than a day before or a minute after `now_us`).
 */
int bench_body_stamp(const void *body, size_t len, uint64_t now_us, uint64_t *ts_us);

/* Writes the stamp (size >= 8; shorter bodies are left alone). */
void bench_body_stamp_write(void *body, size_t len, uint64_t ts_us);

#endif
