/*
 * mqbench: the source (source.h) on librocketmq's push consumer. A concurrent listener
 * subscribed to opts->topic with "*" in group opts->group (CLUSTERING) hands each call's
 * messages to the source callback and answers CONSUME_SUCCESS, so the library commits
 * them as a Java application's consumer would.
 *
 * Where a group without a committed offset starts: consumer mode defaults to
 * CONSUME_FROM_FIRST_OFFSET (it drains what a producer run left in the topic); e2e mode
 * keeps the library's CONSUME_FROM_LAST_OFFSET (new messages only: its warm-up, see
 * producer.c, sends to every queue and waits for all of them before measuring, so each
 * queue's start offset is settled first). --conf overrides either, and sets the
 * consumer's other keys (consumeThreadMin, pullBatchSize, consumeMessageBatchMaxSize...).
 */
#include "client.h"
#include "source.h"

#include <rocketmq/rocketmq.h>

#include <stdio.h>
#include <stdlib.h>

typedef struct push_source_s {
    rmq_push_consumer_t *consumer;
    bench_rx_cb_t *cb;
    void *opaque;
} push_source_t;

#define CHUNK 64

static rmq_consume_status_t on_messages(const rmq_message_ext_t *const *msgs, size_t n,
                                        void *opaque) {
    push_source_t *s = opaque;
    bench_rx_t rx[CHUNK];
    /* consumeMessageBatchMaxSize may exceed CHUNK: hand them over in slices. */
    for (size_t done = 0; done < n;) {
        size_t k = n - done < CHUNK ? n - done : CHUNK;
        for (size_t i = 0; i < k; i++)
            rx[i].body = rmq_message_body(rmq_message_ext_message(msgs[done + i]), &rx[i].len);
        s->cb(s->opaque, rx, k);
        done += k;
    }
    return RMQ_CONSUME_SUCCESS;
}

static int push_start(const bench_opts_t *o, bench_rx_cb_t *cb, void *opaque, void **state,
                      char *err, size_t errlen) {
    static const char *const consumer_defaults[] = {"consumeFromWhere", "CONSUME_FROM_FIRST_OFFSET",
                                                    NULL};
    *state = NULL;
    err[0] = '\0';
    rmq_conf_t *conf = bench_client_conf(o, o->mode == BENCH_CONSUMER ? consumer_defaults : NULL);
    if (!conf) {
        snprintf(err, errlen, "bad client configuration");
        return 1;
    }
    push_source_t *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->cb = cb;
    s->opaque = opaque;
    s->consumer = rmq_push_consumer_new(conf, err, errlen);
    rmq_conf_destroy(conf);
    if (!s->consumer) {
        free(s);
        return 1;
    }
    rmq_err_t e = rmq_push_consumer_subscribe(s->consumer, o->topic, "*", err, errlen);
    if (e == RMQ_ERR_NO_ERROR)
        e = rmq_push_consumer_set_listener_concurrently(s->consumer, on_messages, s);
    if (e == RMQ_ERR_NO_ERROR)
        e = rmq_push_consumer_start(s->consumer, err, errlen);
    if (e != RMQ_ERR_NO_ERROR) {
        if (!err[0])
            snprintf(err, errlen, "%s", rmq_err2str(e));
        rmq_push_consumer_destroy(s->consumer);
        free(s);
        return 1;
    }
    *state = s;
    return 0;
}

/* Shutdown waits for running listener calls and commits the offsets. */
static void push_stop(void *state) {
    push_source_t *s = state;
    if (!s)
        return;
    rmq_push_consumer_destroy(s->consumer);
    free(s);
}

const bench_source_ops_t bench_source_push = {
    .name = "push",
    .start = push_start,
    .stop = push_stop,
};
