/* Unit tests for client/consumer_push_flow.c (issue 5): the push consumer's flow control
 * (pullThresholdForQueue, pullThresholdSizeForQueue, consumeConcurrentlyMaxSpan, the
 * topic-wide thresholds shared among the queues), the cached-message bookkeeping behind
 * it, consumeTimeout's choice of expired messages, and the configuration checks Java's
 * checkConfig makes. The consumer is made but never started: no network. */
#include "client/consumer_push.h"
#include "common/alloc.h"
#include "test.h"

#include <stdio.h>
#include <string.h>

#define MIB (1024 * 1024)

static rmq_push_consumer_t *new_consumer(const char *const *kv) {
    rmq_conf_t *conf = rmq_conf_new();
    char err[256];
    CHECK_EQ(rmq_conf_set(conf, "consumerGroup", "g", err, sizeof err), RMQ_ERR_NO_ERROR);
    /* Never contacted: the consumer is not started. */
    CHECK_EQ(rmq_conf_set(conf, "namesrvAddr", "127.0.0.1:1", err, sizeof err), RMQ_ERR_NO_ERROR);
    for (; kv && kv[0]; kv += 2)
        CHECK_EQ(rmq_conf_set(conf, kv[0], kv[1], err, sizeof err), RMQ_ERR_NO_ERROR);
    rmq_push_consumer_t *c = rmq_push_consumer_new(conf, err, sizeof err);
    if (!c)
        fprintf(stderr, "rmq_push_consumer_new: %s\n", err);
    CHECK(c != NULL);
    rmq_conf_destroy(conf);
    return c;
}

static pq_t *new_pq(void) {
    pq_t *pq = RMQ_NEW(pq_t);
    pq->mq = (client_cmq_t){rmq_strdup("T"), rmq_strdup("broker-a"), 0};
    pq->key = client_cmq_key("T", "broker-a", 0);
    pq->refs = 1;
    pq->max_offset = -1;
    return pq;
}

static rmq_message_ext_t *new_msg(int64_t offset, size_t body_len) {
    rmq_message_ext_t *m = RMQ_NEW(rmq_message_ext_t);
    m->msg.topic = rmq_strdup("T");
    m->msg.body = ""; /* only the length counts here */
    m->msg.body_len = body_len;
    m->broker_name = rmq_strdup("broker-a");
    m->queue_offset = offset;
    m->commitlog_offset = 1000 + offset;
    snprintf(m->msg_id, sizeof m->msg_id, "ID%lld", (long long)offset);
    snprintf(m->store_host, sizeof m->store_host, "127.0.0.1:10911");
    return m;
}

/* Hands messages at offsets[0..n-1] to the consume side as one pull would. */
static void submit(rmq_push_consumer_t *c, pq_t *pq, const int64_t *offsets, size_t n,
                   size_t body_len) {
    client_msgs_t msgs = {0};
    for (size_t i = 0; i < n; i++)
        client_msgs_add(&msgs, new_msg(offsets[i], body_len));
    push_consume_submit(c, pq, &msgs);
    CHECK_EQ(msgs.count, 0);
}

/* Runs the first task as a worker whose listener succeeded would: returns the offset
 * to commit. */
static int64_t finish_first_task(rmq_push_consumer_t *c) {
    task_t *t = c->tasks;
    CHECK(t != NULL);
    c->tasks = t->next;
    if (c->tasks_tail == t)
        c->tasks_tail = NULL;
    int64_t offset = push_inflight_remove(t->pq, &t->msgs);
    client_msgs_close(&t->msgs);
    push_pq_release(t->pq);
    rmq_free(t);
    return offset;
}

static void done(rmq_push_consumer_t *c, pq_t *pq) {
    while (c->tasks)
        finish_first_task(c);
    push_pq_release(pq);
    rmq_push_consumer_destroy(c);
}

static void test_count_threshold(void) {
    const char *kv[] = {"pullThresholdForQueue", "10", NULL};
    rmq_push_consumer_t *c = new_consumer(kv);
    pq_t *pq = new_pq();
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_OK);
    int64_t offs[11];
    for (int i = 0; i < 11; i++)
        offs[i] = i;
    submit(c, pq, offs, 10, 10);
    CHECK_EQ(push_pq_cached(pq), 10);
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_OK); /* Java: count > threshold */
    submit(c, pq, offs + 10, 1, 10);
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_COUNT);
    /* consumeMessageBatchMaxSize 1: one task per message; the first done frees a slot
     * and the offset to commit moves to the next cached one. */
    CHECK_EQ(finish_first_task(c), 1);
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_OK);
    CHECK_EQ(pq->cached_bytes, 100);
    done(c, pq);
}

static void test_size_threshold(void) {
    const char *kv[] = {"pullThresholdSizeForQueue", "1", NULL};
    rmq_push_consumer_t *c = new_consumer(kv);
    pq_t *pq = new_pq();
    const int64_t offs[] = {0, 1, 2, 3};
    submit(c, pq, offs, 3, 600 * 1024); /* 1.76 MiB: 1 whole MiB, not over 1 */
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_OK);
    submit(c, pq, offs + 3, 1, 600 * 1024); /* 2.3 MiB */
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_SIZE);
    CHECK_EQ(pq->cached_bytes, 4 * 600 * 1024);
    finish_first_task(c);
    finish_first_task(c);
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_OK);
    done(c, pq);
}

static void test_span(void) {
    const char *kv[] = {"consumeConcurrentlyMaxSpan", "100", "consumeMessageBatchMaxSize", "4",
                        NULL};
    rmq_push_consumer_t *c = new_consumer(kv);
    pq_t *pq = new_pq();
    const int64_t a[] = {0, 100};
    submit(c, pq, a, 2, 1);
    CHECK_EQ(push_pq_max_span(pq), 100);
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_OK);
    const int64_t b[] = {101};
    submit(c, pq, b, 1, 1);
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_SPAN);
    CHECK_EQ(finish_first_task(c), 101); /* the task of 0 and 100 */
    CHECK_EQ(push_pq_max_span(pq), 0);
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_OK);
    CHECK_EQ(finish_first_task(c), 102);
    done(c, pq);
}

static rmq_consume_orderly_status_t orderly_listener(const rmq_message_ext_t *const *msgs, size_t n,
                                                     void *opaque) {
    (void)msgs, (void)n, (void)opaque;
    return RMQ_ORDERLY_SUCCESS;
}

static void test_orderly_counts_pending_not_span(void) {
    const char *kv[] = {"consumeConcurrentlyMaxSpan", "1", "pullThresholdForQueue", "2", NULL};
    rmq_push_consumer_t *c = new_consumer(kv);
    CHECK_EQ(rmq_push_consumer_set_listener_orderly(c, orderly_listener, NULL), RMQ_ERR_NO_ERROR);
    pq_t *pq = new_pq();
    const int64_t offs[] = {0, 50};
    submit(c, pq, offs, 2, 7);
    CHECK_EQ(pq->pending.count, 2);
    CHECK_EQ(pq->cached_bytes, 14);
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_OK); /* no span check when orderly */
    const int64_t more[] = {51};
    submit(c, pq, more, 1, 7);
    CHECK_EQ(push_flow_check(c, pq), PUSH_FLOW_COUNT);
    /* The orderly task holds a reference; drop it as a stopped worker would. */
    task_t *t = c->tasks;
    c->tasks = c->tasks_tail = NULL;
    push_pq_release(t->pq);
    rmq_free(t);
    push_pq_clear(pq);
    CHECK_EQ(pq->cached_bytes, 0);
    done(c, pq);
}

static void test_topic_thresholds_shared(void) {
    const char *kv[] = {"pullThresholdForTopic", "100", "pullThresholdForQueue", "1000", NULL};
    rmq_push_consumer_t *c = new_consumer(kv);
    CHECK_EQ(c->threshold, 1000);
    push_flow_adjust(c, 8);
    CHECK_EQ(c->threshold, 12);
    CHECK_EQ(c->threshold_mib, 100); /* pullThresholdSizeForTopic -1: unchanged */
    push_flow_adjust(c, 1000);
    CHECK_EQ(c->threshold, 1);
    push_flow_adjust(c, 0); /* no queues: unchanged, as Java */
    CHECK_EQ(c->threshold, 1);
    rmq_push_consumer_destroy(c);

    const char *kv2[] = {"pullThresholdSizeForTopic", "10", NULL};
    c = new_consumer(kv2);
    push_flow_adjust(c, 4);
    CHECK_EQ(c->threshold_mib, 2);
    CHECK_EQ(c->threshold, 1000);
    rmq_push_consumer_destroy(c);
}

static void test_expired_choice(void) {
    const char *kv[] = {"consumeTimeout", "1", NULL};
    rmq_push_consumer_t *c = new_consumer(kv);
    CHECK_EQ(c->consume_timeout_ms, 60000);
    pq_t *pq = new_pq();
    const int64_t offs[] = {5, 6, 7};
    submit(c, pq, offs, 3, 10);
    /* Workers began 5 and 6 at t=1000; 7 waits for a worker. */
    client_msgs_t started = {0};
    client_msgs_add(&started, c->tasks->msgs.items[0]);
    client_msgs_add(&started, c->tasks->next->msgs.items[0]);
    push_inflight_start(pq, &started, 1000);
    rmq_free(started.items);
    push_expired_t x[16];
    CHECK_EQ(push_expired_peek(c, pq, 61000, x, 16), 0); /* not longer than 1 minute */
    CHECK_EQ(push_expired_peek(c, pq, 61001, x, 16), 2);
    CHECK_EQ(x[0].offset, 5);
    CHECK_EQ(x[0].commitlog_offset, 1005);
    CHECK_STREQ(x[0].msg_id, "ID5");
    CHECK_STREQ(x[1].topic, "T");
    CHECK_STREQ(x[1].broker_name, "broker-a");
    CHECK_EQ(push_expired_peek(c, pq, 61001, x + 2, 1), 1); /* at most max */
    for (int i = 0; i < 3; i++)
        push_expired_close(&x[i]);
    /* Sent back: dropped from the queue, whose offset moves past them; the listener of 5
     * ends later and its removal finds nothing. */
    push_inflight_drop(pq, 5);
    push_inflight_drop(pq, 6);
    CHECK_EQ(push_pq_cached(pq), 1);
    CHECK_EQ(pq->cached_bytes, 10);
    CHECK_EQ(finish_first_task(c), 7);
    CHECK_EQ(pq->cached_bytes, 10);
    /* 7 has not been started by a worker: never expired, however late. */
    CHECK_EQ(push_expired_peek(c, pq, 10000000, x, 16), 0);
    done(c, pq);
}

static void test_duplicate_offsets_removed_by_message(void) {
    rmq_push_consumer_t *c = new_consumer(NULL);
    pq_t *pq = new_pq();
    const int64_t offs[] = {3};
    submit(c, pq, offs, 1, 1);
    submit(c, pq, offs, 1, 2); /* the same offset again, after an offset reset */
    CHECK_EQ(push_pq_cached(pq), 2);
    /* The second task finishes first: its own entry goes, the first task's stays. */
    task_t *first = c->tasks, *second = first->next;
    c->tasks = first;
    first->next = NULL;
    c->tasks_tail = first;
    CHECK_EQ(push_inflight_remove(pq, &second->msgs), 3);
    CHECK_EQ(pq->inflight_count, 1);
    CHECK(pq->inflight[pq->inflight_head].msg == first->msgs.items[0]);
    CHECK_EQ(pq->cached_bytes, 1);
    client_msgs_close(&second->msgs);
    push_pq_release(pq);
    rmq_free(second);
    CHECK_EQ(finish_first_task(c), 4);
    done(c, pq);
}

/* Finished messages leave holes; the commit offset is the lowest live one, the span runs
 * to the highest live one, and a sliding window of 5 over 10000 messages keeps the array
 * small (holes are compacted away, not accumulated). */
static void test_inflight_holes(void) {
    pq_t *pq = new_pq();
    rmq_message_ext_t *m[10000];
    for (int i = 0; i < 4; i++) {
        m[i] = new_msg(i, 1);
        pq->max_offset = i;
        push_inflight_add(pq, m[i]);
    }
    client_msgs_t one = {0};
    client_msgs_add(&one, m[1]);
    CHECK_EQ(push_inflight_remove(pq, &one), 0); /* 0 still cached */
    CHECK_EQ(push_pq_cached(pq), 3);
    one.items[0] = m[3];
    CHECK_EQ(push_inflight_remove(pq, &one), 0);
    CHECK_EQ(push_pq_max_span(pq), 2); /* 0..2 */
    one.items[0] = m[0];
    CHECK_EQ(push_inflight_remove(pq, &one), 2);
    one.items[0] = m[2];
    CHECK_EQ(push_inflight_remove(pq, &one), 4); /* none left: max + 1 */
    CHECK_EQ(pq->inflight_head, 0);
    CHECK_EQ(pq->inflight_end, 0);
    for (int i = 0; i < 4; i++)
        rmq_message_ext_destroy(m[i]);

    /* A long-lived message at 0 keeps every later hole from being trimmed at the head:
     * the array is compacted instead of growing. */
    pq->max_offset = -1;
    for (int i = 0; i < 10000; i++) {
        m[i] = new_msg(i, 1);
        pq->max_offset = i;
        push_inflight_add(pq, m[i]);
        if (i >= 2) {
            one.items[0] = m[i - 1];
            CHECK_EQ(push_inflight_remove(pq, &one), 0);
            rmq_message_ext_destroy(m[i - 1]);
        }
        CHECK_EQ(push_pq_max_span(pq), i);
    }
    CHECK_EQ(pq->inflight_count, 2);
    CHECK(pq->inflight_cap <= 128);
    CHECK_EQ(pq->cached_bytes, 2);
    one.items[0] = m[0];
    CHECK_EQ(push_inflight_remove(pq, &one), 9999);
    one.items[0] = m[9999];
    CHECK_EQ(push_inflight_remove(pq, &one), 10000);
    CHECK_EQ(pq->cached_bytes, 0);
    rmq_message_ext_destroy(m[0]);
    rmq_message_ext_destroy(m[9999]);
    rmq_free(one.items);
    push_pq_release(pq);
}

static void test_conf_checks(void) {
    rmq_conf_t *conf = rmq_conf_new();
    char err[256] = "";
    CHECK_EQ(rmq_conf_set(conf, "consumerGroup", "g", err, sizeof err), RMQ_ERR_NO_ERROR);
    CHECK_EQ(rmq_conf_set(conf, "namesrvAddr", "127.0.0.1:1", err, sizeof err), RMQ_ERR_NO_ERROR);
    CHECK_EQ(rmq_conf_set(conf, "consumeThreadMin", "30", err, sizeof err), RMQ_ERR_NO_ERROR);
    CHECK(rmq_push_consumer_new(conf, err, sizeof err) == NULL);
    CHECK(strstr(err, "consumeThreadMin (30) is larger than consumeThreadMax (20)") != NULL);
    CHECK_EQ(rmq_conf_set(conf, "consumeThreadMax", "30", err, sizeof err), RMQ_ERR_NO_ERROR);
    rmq_push_consumer_t *c = rmq_push_consumer_new(conf, err, sizeof err);
    CHECK(c != NULL);
    CHECK_EQ(c->threads, 30);
    rmq_push_consumer_destroy(c);
    CHECK_EQ(rmq_conf_set(conf, "pullThresholdForTopic", "0", err, sizeof err), RMQ_ERR_NO_ERROR);
    CHECK(rmq_push_consumer_new(conf, err, sizeof err) == NULL);
    CHECK_EQ(rmq_conf_set(conf, "pullThresholdForTopic", "-2", err, sizeof err),
             RMQ_ERR__INVALID_CONF_VALUE);
    CHECK_EQ(rmq_conf_set(conf, "pullThresholdSizeForQueue", "1025", err, sizeof err),
             RMQ_ERR__INVALID_CONF_VALUE);
    CHECK_EQ(rmq_conf_set(conf, "consumeConcurrentlyMaxSpan", "0", err, sizeof err),
             RMQ_ERR__INVALID_CONF_VALUE);
    rmq_conf_destroy(conf);

    conf = rmq_conf_new();
    CHECK_STREQ(rmq_conf_get(conf, "pullThresholdSizeForQueue"), "100");
    CHECK_STREQ(rmq_conf_get(conf, "pullThresholdForTopic"), "-1");
    CHECK_STREQ(rmq_conf_get(conf, "pullThresholdSizeForTopic"), "-1");
    CHECK_STREQ(rmq_conf_get(conf, "consumeConcurrentlyMaxSpan"), "2000");
    CHECK_STREQ(rmq_conf_get(conf, "consumeTimeout"), "15");
    rmq_conf_destroy(conf);
}

int main(void) {
    RUN(test_count_threshold);
    RUN(test_size_threshold);
    RUN(test_span);
    RUN(test_orderly_counts_pending_not_span);
    RUN(test_topic_thresholds_shared);
    RUN(test_expired_choice);
    RUN(test_duplicate_offsets_removed_by_message);
    RUN(test_inflight_holes);
    RUN(test_conf_checks);
    return 0;
}
