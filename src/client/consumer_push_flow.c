/*
 * What a push consumer's process queue caches, and the limits on it (Java's ProcessQueue
 * bookkeeping, the flow control at the top of DefaultMQPushConsumerImpl.pullMessage and
 * ProcessQueue.cleanExpiredMsg).
 *
 * A concurrent queue keeps one entry per message handed to a task and not finished,
 * sorted by offset (finished ones leave holes until those before them are gone too): the
 * lowest is the offset to commit, lowest..highest the span. An
 * entry points at the task's message (alive while the entry exists: a task removes its
 * entries before freeing its messages) and holds the time a worker began consuming it.
 * An orderly queue caches its messages in pq->pending and pq->taken. Both count the
 * bodies' bytes in pq->cached_bytes.
 *
 * Before each pull the pull thread asks push_flow_check: more than pullThresholdForQueue
 * messages, more than pullThresholdSizeForQueue MiB, or (concurrent) a span wider than
 * consumeConcurrentlyMaxSpan postpones the pull by 50 ms, so a queue caches at most
 * about threshold + pullBatchSize messages. pullThresholdForTopic / ...SizeForTopic, when
 * set, replace the per-queue limits by their share among the consumer's queues, as Java's
 * messageQueueChanged does, but before a rebalance's new queues are first pulled (Java
 * divides afterwards, so their first pulls may run on the previous share).
 *
 * consumeTimeout: every consumeTimeout minutes the timer thread looks at the lowest
 * cached messages of each concurrent queue; those consumed for longer than that are sent
 * back (CONSUMER_SEND_MSG_BACK, delay level 3) and dropped from the queue, so a stuck
 * listener stops holding back the committed offset. The listener call itself goes on.
 *
 * Locks: mu (consumer_push.h) for everything, except push_clean_expired, which takes it.
 */
#include "client/consumer_push.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"

#include <stdio.h>
#include <string.h>

#define EXPIRED_SEND_BACK_LEVEL 3
#define EXPIRED_MAX_PER_QUEUE   16
#define MIB                     (1024 * 1024)

/* ------------------------------------------------------------------ cached messages */

size_t push_pq_cached(const pq_t *pq) {
    return pq->inflight_count + pq->pending.count + pq->taken.count;
}

int64_t push_pq_commit_offset(const pq_t *pq) {
    return pq->inflight_count > 0 ? pq->inflight[pq->inflight_head].offset : pq->max_offset + 1;
}

int64_t push_pq_max_span(const pq_t *pq) {
    if (pq->inflight_count == 0)
        return 0;
    return pq->inflight[pq->inflight_end - 1].offset - pq->inflight[pq->inflight_head].offset;
}

void push_pq_clear(pq_t *pq) {
    client_msgs_close(&pq->pending);
    client_msgs_close(&pq->taken);
    pq->inflight_head = pq->inflight_end = pq->inflight_count = 0;
    pq->cached_bytes = 0;
}

/* Moves the live entries to the front of the array, dropping the holes. */
static void inflight_compact(pq_t *pq) {
    size_t k = 0;
    for (size_t i = pq->inflight_head; i < pq->inflight_end; i++)
        if (pq->inflight[i].msg)
            pq->inflight[k++] = pq->inflight[i];
    pq->inflight_head = 0;
    pq->inflight_end = k;
}

void push_inflight_add(pq_t *pq, rmq_message_ext_t *m) {
    if (pq->inflight_end == pq->inflight_cap && pq->inflight_count < pq->inflight_cap / 2)
        inflight_compact(pq);
    if (pq->inflight_end == pq->inflight_cap) {
        pq->inflight_cap = pq->inflight_cap ? pq->inflight_cap * 2 : 64;
        pq->inflight = rmq_realloc(pq->inflight, pq->inflight_cap * sizeof *pq->inflight);
    }
    /* Offsets arrive ascending; after an offset reset one may come back lower. */
    size_t i = pq->inflight_end;
    while (i > pq->inflight_head && pq->inflight[i - 1].offset > m->queue_offset)
        i--;
    memmove(pq->inflight + i + 1, pq->inflight + i, (pq->inflight_end - i) * sizeof *pq->inflight);
    pq->inflight[i] = (pq_inflight_t){.offset = m->queue_offset, .msg = m};
    pq->inflight_end++;
    pq->inflight_count++;
    pq->cached_bytes += m->msg.body_len;
}

/* The index of m's entry, or inflight_end. By pointer: after an offset reset two entries
 * may share an offset. */
static size_t inflight_find(const pq_t *pq, const rmq_message_ext_t *m) {
    for (size_t i = pq->inflight_head; i < pq->inflight_end; i++)
        if (pq->inflight[i].msg == m)
            return i;
    return pq->inflight_end;
}

/* Leaves a hole at i, then trims the holes at both ends. */
static void inflight_remove_at(pq_t *pq, size_t i) {
    pq->cached_bytes -= pq->inflight[i].msg->msg.body_len;
    pq->inflight[i].msg = NULL;
    pq->inflight_count--;
    while (pq->inflight_head < pq->inflight_end && !pq->inflight[pq->inflight_head].msg)
        pq->inflight_head++;
    while (pq->inflight_end > pq->inflight_head && !pq->inflight[pq->inflight_end - 1].msg)
        pq->inflight_end--;
    if (pq->inflight_head == pq->inflight_end)
        pq->inflight_head = pq->inflight_end = 0;
}

int64_t push_inflight_remove(pq_t *pq, const client_msgs_t *msgs) {
    for (size_t k = 0; k < msgs->count; k++) {
        size_t i = inflight_find(pq, msgs->items[k]);
        if (i < pq->inflight_end)
            inflight_remove_at(pq, i);
    }
    return push_pq_commit_offset(pq);
}

void push_inflight_start(pq_t *pq, const client_msgs_t *msgs, int64_t now_ms) {
    for (size_t k = 0; k < msgs->count; k++) {
        size_t i = inflight_find(pq, msgs->items[k]);
        if (i < pq->inflight_end)
            pq->inflight[i].start_ms = now_ms;
    }
}

void push_inflight_drop(pq_t *pq, int64_t offset) {
    for (size_t i = pq->inflight_head; i < pq->inflight_end; i++)
        if (pq->inflight[i].msg && pq->inflight[i].offset == offset) {
            inflight_remove_at(pq, i);
            return;
        }
}

/* ------------------------------------------------------------------ flow control */

push_flow_t push_flow_check(const rmq_push_consumer_t *c, const pq_t *pq) {
    if (push_pq_cached(pq) > (size_t)c->threshold)
        return PUSH_FLOW_COUNT;
    if (pq->cached_bytes / MIB > (size_t)c->threshold_mib)
        return PUSH_FLOW_SIZE;
    if (!c->is_orderly && push_pq_max_span(pq) > c->max_span)
        return PUSH_FLOW_SPAN;
    return PUSH_FLOW_OK;
}

void push_flow_adjust(rmq_push_consumer_t *c, size_t queue_count) {
    if (queue_count == 0)
        return;
    if (c->threshold_topic != -1) {
        int v = c->threshold_topic / (int)queue_count;
        c->threshold = v > 1 ? v : 1;
    }
    if (c->threshold_size_topic != -1) {
        int v = c->threshold_size_topic / (int)queue_count;
        c->threshold_mib = v > 1 ? v : 1;
    }
}

/* ------------------------------------------------------------------ consume time-out */

size_t push_expired_peek(const rmq_push_consumer_t *c, const pq_t *pq, int64_t now_ms,
                         push_expired_t *out, size_t max) {
    size_t n = 0;
    for (size_t i = pq->inflight_head; i < pq->inflight_end && n < max; i++) {
        const pq_inflight_t *e = &pq->inflight[i];
        if (!e->msg)
            continue;
        if (e->start_ms == 0 || now_ms - e->start_ms <= c->consume_timeout_ms)
            break;
        const rmq_message_ext_t *m = e->msg;
        push_expired_t *x = &out[n++];
        x->topic = rmq_strdup(m->msg.topic);
        x->broker_name = rmq_strdup(m->broker_name);
        snprintf(x->msg_id, sizeof x->msg_id, "%s", m->msg_id);
        snprintf(x->store_host, sizeof x->store_host, "%s", m->store_host);
        x->offset = e->offset;
        x->commitlog_offset = m->commitlog_offset;
    }
    return n;
}

void push_expired_close(push_expired_t *e) {
    rmq_free(e->topic);
    rmq_free(e->broker_name);
    e->topic = e->broker_name = NULL;
}

/* DefaultMQPushConsumer.sendMessageBack(msg, 3) of an expired message. Locks: none. */
static bool send_back_expired(rmq_push_consumer_t *c, const push_expired_t *x) {
    push_send_back_t b = {x->topic, x->broker_name, x->store_host, x->msg_id, x->commitlog_offset};
    return push_send_back(c, &b, c->max_reconsume < 0 ? 16 : c->max_reconsume,
                          EXPIRED_SEND_BACK_LEVEL);
}

/* One queue's expired messages: copied under mu, sent back without it, then dropped. */
static void clean_pq(rmq_push_consumer_t *c, pq_t *pq) {
    push_expired_t x[EXPIRED_MAX_PER_QUEUE];
    size_t n = push_expired_peek(c, pq, rmq_mono_ms(), x, EXPIRED_MAX_PER_QUEUE);
    if (n == 0)
        return;
    pthread_mutex_unlock(&c->mu);
    bool sent[EXPIRED_MAX_PER_QUEUE];
    for (size_t i = 0; i < n; i++) {
        sent[i] = send_back_expired(c, &x[i]);
        if (sent[i])
            rmq_log_info("consumer", "group=%s sent back expired %s (%s offset %lld)", c->group,
                         x[i].msg_id, pq->key, (long long)x[i].offset);
    }
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < n; i++) {
        if (sent[i])
            push_inflight_drop(pq, x[i].offset);
        push_expired_close(&x[i]);
    }
    int64_t offset = push_pq_commit_offset(pq);
    bool dropped = pq->is_dropped;
    pthread_mutex_unlock(&c->mu);
    if (!dropped)
        client_offset_store_update(&c->offsets, &pq->mq, offset, true);
    pthread_mutex_lock(&c->mu);
}

void push_clean_expired(rmq_push_consumer_t *c) {
    if (c->is_orderly)
        return;
    pthread_mutex_lock(&c->mu);
    /* The queues are retained first: clean_pq lets go of mu, and a rebalance may drop them. */
    size_t n = rmq_map_count(&c->pqs), k = 0;
    pq_t **pqs = rmq_calloc(n + 1, sizeof *pqs);
    size_t it = 0;
    rmq_map_entry_t *ent;
    while (k < n && rmq_map_next(&c->pqs, &it, &ent)) {
        pqs[k] = ent->value;
        push_pq_retain(pqs[k++]);
    }
    for (size_t i = 0; i < k; i++) {
        if (!pqs[i]->is_dropped)
            clean_pq(c, pqs[i]);
        push_pq_release(pqs[i]);
    }
    pthread_mutex_unlock(&c->mu);
    rmq_free(pqs);
}
