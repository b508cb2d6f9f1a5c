/*
 * The push consumer's consume side (Java's ConsumeMessageConcurrentlyService and
 * ConsumeMessageOrderlyService) and the orderly queue locks.
 *
 * Concurrent: pulled messages are cut into tasks of consumeMessageBatchMaxSize; any
 * worker runs any task. The queue remembers the offsets handed out and not finished;
 * the offset to commit is the smallest of them, or the highest received + 1 when none
 * is left (ProcessQueue.removeMessage). RECONSUME_LATER (CLUSTERING) sends each message
 * back with CONSUMER_SEND_MSG_BACK, delay level 0 (the broker picks 3 + reconsume
 * times); one that cannot be sent back is consumed again here 5 s later.
 *
 * Orderly: a queue has at most one task; its worker takes messages in offset order,
 * batch by batch, while the queue stays locked (CLUSTERING: LOCK_BATCH_MQ, lock valid
 * 30 s, renewed every 20 s by the timer thread). SUSPEND puts the batch back and pauses
 * the queue suspendCurrentQueueTimeMillis; a message past maxReconsumeTimes goes to the
 * dead-letter queue (a send-back with delay level -1) and the queue moves on.
 *
 * Threads: consumeThreadMin workers waiting on task_cv (a fixed pool: Java's
 * ThreadPoolExecutor(consumeThreadMin, consumeThreadMax) never grows past its core size
 * either, its task queue being unbounded). Locks: mu (consumer_push.h),
 * released around listener calls and network calls.
 */
#include "client/consumer_push.h"

#include "common/cond.h"
#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "protocol/codes.h"
#include "protocol/lock_body.h"
#include "protocol/lookup_header.h"
#include "protocol/message.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEND_BACK_RETRY_DELAY_MS 5000
#define LOCK_MAX_LIVE_MS         30000
#define ORDERLY_RELOCK_DELAY_MS  100
#define MAX_CONTINUOUS_MS        60000

/* ------------------------------------------------------------------ tasks */

/* Locks: mu held. */
static void task_push(rmq_push_consumer_t *c, task_t *t) {
    t->next = NULL;
    if (c->tasks_tail)
        c->tasks_tail->next = t;
    else
        c->tasks = t;
    c->tasks_tail = t;
    pthread_cond_signal(&c->task_cv);
}

static void task_submit_orderly(rmq_push_consumer_t *c, pq_t *pq, int64_t due_ms) {
    if (pq->has_task || pq->is_dropped)
        return;
    pq->has_task = true;
    push_pq_retain(pq);
    task_t *t = RMQ_NEW(task_t);
    t->pq = pq;
    t->due_ms = due_ms;
    task_push(c, t);
}

void push_consume_submit(rmq_push_consumer_t *c, pq_t *pq, client_msgs_t *msgs) {
    for (size_t i = 0; i < msgs->count; i++)
        if (msgs->items[i]->queue_offset > pq->max_offset)
            pq->max_offset = msgs->items[i]->queue_offset;
    if (c->is_orderly) {
        for (size_t i = 0; i < msgs->count; i++) {
            client_msgs_add(&pq->pending, msgs->items[i]);
            pq->cached_bytes += msgs->items[i]->msg.body_len;
        }
        rmq_free(msgs->items);
        memset(msgs, 0, sizeof *msgs);
        task_submit_orderly(c, pq, 0);
        return;
    }
    int64_t now = rmq_mono_ms();
    for (size_t i = 0; i < msgs->count;) {
        task_t *t = RMQ_NEW(task_t);
        t->pq = pq;
        t->due_ms = now;
        push_pq_retain(pq);
        for (int k = 0; k < c->batch_max && i < msgs->count; k++, i++) {
            push_inflight_add(pq, msgs->items[i]);
            client_msgs_add(&t->msgs, msgs->items[i]);
        }
        task_push(c, t);
    }
    rmq_free(msgs->items);
    memset(msgs, 0, sizeof *msgs);
}

/* The first task due now, unlinked; else NULL and *wait_ms until one is. Locks: mu. */
static task_t *task_take(rmq_push_consumer_t *c, int64_t *wait_ms) {
    int64_t now = rmq_mono_ms();
    *wait_ms = 1000;
    task_t *prev = NULL;
    for (task_t *t = c->tasks; t; prev = t, t = t->next) {
        if (t->due_ms <= now) {
            if (prev)
                prev->next = t->next;
            else
                c->tasks = t->next;
            if (c->tasks_tail == t)
                c->tasks_tail = prev;
            return t;
        }
        if (t->due_ms - now < *wait_ms)
            *wait_ms = t->due_ms - now;
    }
    return NULL;
}

/* ------------------------------------------------------------------ send back */

bool push_send_back(rmq_push_consumer_t *c, const push_send_back_t *m, int max_reconsume,
                    int delay_level) {
    char addr[128];
    if (!client_broker_master(c->ci, m->topic, m->broker_name, addr, sizeof addr))
        snprintf(addr, sizeof addr, "%s", m->store_host);
    remoting_cmd_t *req = remoting_cmd_new();
    remoting_cmd_set_request(req, PROTO_CONSUMER_SEND_MSG_BACK);
    proto_consumer_send_msg_back_request_header_t h = {
        .offset = m->commitlog_offset,
        .group = c->group,
        .delayLevel = delay_level,
        .originMsgId = (char *)m->msg_id,
        .originTopic = (char *)m->topic,
        .unitMode = false,
        .has_unitMode = true,
        .maxReconsumeTimes = max_reconsume,
        .has_maxReconsumeTimes = true,
    };
    proto_consumer_send_msg_back_request_header_encode(&h, req);
    remoting_cmd_t *resp = NULL;
    char e[256];
    rmq_err_t err = client_rpc_call(client_instance_rpc(c->ci), addr, req, &resp, e, sizeof e);
    remoting_cmd_destroy(req);
    remoting_cmd_destroy(resp);
    if (err)
        rmq_log_warn("consumer", "send back %s to %s failed: %s (%s)", m->msg_id, addr,
                     rmq_err_name(err), e);
    return err == RMQ_ERR_NO_ERROR;
}

/* push_send_back of a received message. Locks: none. */
static bool send_back(rmq_push_consumer_t *c, const rmq_message_ext_t *m, int max_reconsume,
                      int delay_level) {
    push_send_back_t b = {m->msg.topic, m->broker_name, m->store_host, m->msg_id,
                          m->commitlog_offset};
    return push_send_back(c, &b, max_reconsume, delay_level);
}

/* ------------------------------------------------------------------ concurrent */

static void run_concurrently(rmq_push_consumer_t *c, task_t *t) {
    pq_t *pq = t->pq;
    rmq_consume_status_t st = c->on_concurrently((const rmq_message_ext_t *const *)t->msgs.items,
                                                 t->msgs.count, c->opaque);
    client_msgs_t retry_local = {0};
    if (st != RMQ_CONSUME_SUCCESS && !c->is_broadcast) {
        int max = c->max_reconsume < 0 ? 16 : c->max_reconsume;
        for (size_t i = 0; i < t->msgs.count; i++) {
            rmq_message_ext_t *m = t->msgs.items[i];
            if (!send_back(c, m, max, 0)) {
                m->reconsume_times++;
                client_msgs_add(&retry_local, m);
                t->msgs.items[i] = NULL;
            }
        }
    } else if (st != RMQ_CONSUME_SUCCESS) {
        rmq_log_warn("consumer", "group=%s BROADCASTING drops %zu messages not consumed", c->group,
                     t->msgs.count);
    }
    /* Messages re-consumed locally stay in flight; the others are done. */
    client_msgs_t done = {0};
    for (size_t i = 0; i < t->msgs.count; i++)
        if (t->msgs.items[i])
            client_msgs_add(&done, t->msgs.items[i]);
    pthread_mutex_lock(&c->mu);
    int64_t offset = push_inflight_remove(pq, &done);
    pq->last_consume_ms = rmq_now_ms();
    bool dropped = pq->is_dropped;
    if (retry_local.count > 0 && !dropped) {
        task_t *later = RMQ_NEW(task_t);
        later->pq = pq;
        later->msgs = retry_local;
        later->due_ms = rmq_mono_ms() + SEND_BACK_RETRY_DELAY_MS;
        push_pq_retain(pq);
        task_push(c, later);
        memset(&retry_local, 0, sizeof retry_local);
    }
    pthread_mutex_unlock(&c->mu);
    if (!dropped)
        client_offset_store_update(&c->offsets, &pq->mq, offset, true);
    client_msgs_close(&done);
    client_msgs_close(&retry_local);
    rmq_free(t->msgs.items);
    memset(&t->msgs, 0, sizeof t->msgs);
}

/* ------------------------------------------------------------------ orderly */

/* Whether pq may be consumed now (locked and not expired in CLUSTERING). Locks: mu. */
static bool orderly_can_run(rmq_push_consumer_t *c, const pq_t *pq) {
    if (c->is_broadcast)
        return true;
    return pq->is_locked && rmq_mono_ms() - pq->last_lock_ms < LOCK_MAX_LIVE_MS;
}

static void run_orderly(rmq_push_consumer_t *c, task_t *t) {
    pq_t *pq = t->pq;
    int64_t began = rmq_mono_ms();
    pthread_mutex_lock(&c->mu);
    pq->has_task = false;
    if (pq->is_consuming) {
        /* Another worker runs this queue: look again when it is likely done. */
        task_submit_orderly(c, pq, rmq_mono_ms() + 10);
        pthread_mutex_unlock(&c->mu);
        return;
    }
    pq->is_consuming = true;
    while (!pq->is_dropped && !c->is_stopping) {
        if (!orderly_can_run(c, pq)) {
            task_submit_orderly(c, pq, rmq_mono_ms() + ORDERLY_RELOCK_DELAY_MS);
            break;
        }
        if (rmq_mono_ms() - began > MAX_CONTINUOUS_MS) {
            task_submit_orderly(c, pq, rmq_mono_ms() + 10);
            break;
        }
        /* ProcessQueue.takeMessages */
        size_t n =
            pq->pending.count < (size_t)c->batch_max ? pq->pending.count : (size_t)c->batch_max;
        if (n == 0)
            break;
        for (size_t i = 0; i < n; i++)
            client_msgs_add(&pq->taken, pq->pending.items[i]);
        memmove(pq->pending.items, pq->pending.items + n,
                (pq->pending.count - n) * sizeof *pq->pending.items);
        pq->pending.count -= n;
        pthread_mutex_unlock(&c->mu);
        rmq_consume_orderly_status_t st = c->on_orderly(
            (const rmq_message_ext_t *const *)pq->taken.items, pq->taken.count, c->opaque);
        bool suspend = false;
        if (st != RMQ_ORDERLY_SUCCESS) {
            /* checkReconsumeTimes: past the limit goes to the DLQ, the rest is retried. */
            int max = c->max_reconsume < 0 ? INT32_MAX : c->max_reconsume;
            for (size_t i = 0; i < pq->taken.count; i++) {
                rmq_message_ext_t *m = pq->taken.items[i];
                if (m->reconsume_times >= max) {
                    if (!send_back(c, m, max, -1))
                        suspend = true;
                } else {
                    suspend = true;
                }
            }
        }
        pthread_mutex_lock(&c->mu);
        pq->last_consume_ms = rmq_now_ms();
        if (suspend) {
            /* makeMessageToConsumeAgain: the batch goes back in front. */
            for (size_t i = 0; i < pq->taken.count; i++)
                pq->taken.items[i]->reconsume_times++;
            client_msgs_t merged = {0};
            for (size_t i = 0; i < pq->taken.count; i++)
                client_msgs_add(&merged, pq->taken.items[i]);
            for (size_t i = 0; i < pq->pending.count; i++)
                client_msgs_add(&merged, pq->pending.items[i]);
            rmq_free(pq->pending.items);
            rmq_free(pq->taken.items);
            pq->pending = merged;
            memset(&pq->taken, 0, sizeof pq->taken);
            task_submit_orderly(c, pq, rmq_mono_ms() + c->suspend_ms);
            break;
        }
        /* ProcessQueue.commit: everything taken is done. */
        int64_t offset = pq->taken.items[pq->taken.count - 1]->queue_offset + 1;
        for (size_t i = 0; i < pq->taken.count; i++)
            pq->cached_bytes -= pq->taken.items[i]->msg.body_len;
        client_msgs_close(&pq->taken);
        if (!pq->is_dropped) {
            pthread_mutex_unlock(&c->mu);
            client_offset_store_update(&c->offsets, &pq->mq, offset, false);
            pthread_mutex_lock(&c->mu);
        }
    }
    pq->is_consuming = false;
    pthread_mutex_unlock(&c->mu);
}

/* ------------------------------------------------------------------ workers */

static void *worker_main(void *arg) {
    rmq_push_consumer_t *c = arg;
    pthread_mutex_lock(&c->mu);
    while (!c->is_stopping) {
        int64_t wait_ms;
        task_t *t = task_take(c, &wait_ms);
        if (!t) {
            rmq_cond_wait_ms(&c->task_cv, &c->mu, wait_ms);
            continue;
        }
        bool dropped = t->pq->is_dropped;
        if (!dropped && !c->is_orderly)
            push_inflight_start(t->pq, &t->msgs, rmq_mono_ms());
        pthread_mutex_unlock(&c->mu);
        if (!dropped) {
            if (c->is_orderly)
                run_orderly(c, t);
            else
                run_concurrently(c, t);
        }
        client_msgs_close(&t->msgs);
        pthread_mutex_lock(&c->mu);
        if (dropped && c->is_orderly)
            t->pq->has_task = false;
        push_pq_release(t->pq);
        rmq_free(t);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

rmq_err_t push_consume_start(rmq_push_consumer_t *c) {
    c->workers = rmq_calloc((size_t)c->threads, sizeof(pthread_t));
    for (int i = 0; i < c->threads; i++)
        pthread_create(&c->workers[i], NULL, worker_main, c);
    return RMQ_ERR_NO_ERROR;
}

void push_consume_stop(rmq_push_consumer_t *c) {
    pthread_mutex_lock(&c->mu);
    pthread_cond_broadcast(&c->task_cv);
    pthread_mutex_unlock(&c->mu);
    for (int i = 0; i < c->threads; i++)
        pthread_join(c->workers[i], NULL);
    rmq_free(c->workers);
    c->workers = NULL;
    pthread_mutex_lock(&c->mu);
    while (c->tasks) {
        task_t *t = c->tasks;
        c->tasks = t->next;
        client_msgs_close(&t->msgs);
        push_pq_release(t->pq);
        rmq_free(t);
    }
    c->tasks_tail = NULL;
    pthread_mutex_unlock(&c->mu);
}

/* ------------------------------------------------------------------ locks */

/* Groups mqs by broker name: calls fn once per broker with its queues. */
static void by_broker(const client_cmqs_t *mqs,
                      void (*fn)(rmq_push_consumer_t *, const char *, const client_cmqs_t *,
                                 void *),
                      rmq_push_consumer_t *c, void *arg) {
    bool *seen = rmq_calloc(mqs->count + 1, sizeof(bool));
    for (size_t i = 0; i < mqs->count; i++) {
        if (seen[i])
            continue;
        client_cmqs_t part = {0};
        for (size_t j = i; j < mqs->count; j++)
            if (!seen[j] && strcmp(mqs->items[j].broker_name, mqs->items[i].broker_name) == 0) {
                seen[j] = true;
                client_cmqs_add(&part, mqs->items[j].topic, mqs->items[j].broker_name,
                                mqs->items[j].queue_id);
            }
        fn(c, mqs->items[i].broker_name, &part, arg);
        client_cmqs_close(&part);
    }
    rmq_free(seen);
}

static void lock_body(rmq_push_consumer_t *c, const client_cmqs_t *mqs, rmq_buf_t *out) {
    proto_lock_batch_t lb = {.consumerGroup = c->group,
                             .clientId = (char *)client_instance_id(c->ci)};
    for (size_t i = 0; i < mqs->count; i++)
        proto_lock_mqs_add(&lb.mqSet, mqs->items[i].topic, mqs->items[i].broker_name,
                           mqs->items[i].queue_id);
    proto_lock_batch_encode(&lb, out);
    proto_lock_mqs_close(&lb.mqSet);
}

typedef struct {
    const client_cmq_t *one;
    bool one_locked;
} lock_ctx_t;

/* Sends code (LOCK_BATCH_MQ or UNLOCK_BATCH_MQ; what: "lock" or "unlock") for mqs, all
 * on broker, to its master. The answer (the caller destroys it), or NULL when the broker
 * has no master address or the call failed (logged). */
static remoting_cmd_t *batch_mq_call(rmq_push_consumer_t *c, const char *broker,
                                     const client_cmqs_t *mqs, int code, const char *what) {
    char addr[128];
    if (!client_broker_master(c->ci, mqs->items[0].topic, broker, addr, sizeof addr))
        return NULL;
    rmq_buf_t body;
    rmq_buf_init(&body);
    lock_body(c, mqs, &body);
    remoting_cmd_t *req = remoting_cmd_new();
    remoting_cmd_set_request(req, code);
    remoting_cmd_borrow_body(req, body.data, body.len);
    remoting_cmd_t *resp = NULL;
    char e[256];
    rmq_err_t err = client_rpc_call(client_instance_rpc(c->ci), addr, req, &resp, e, sizeof e);
    remoting_cmd_destroy(req);
    rmq_buf_close(&body);
    if (err) {
        rmq_log_warn("consumer", "%s on %s failed: %s (%s)", what, addr, rmq_err_name(err), e);
        remoting_cmd_destroy(resp);
        return NULL;
    }
    return resp;
}

static void lock_broker(rmq_push_consumer_t *c, const char *broker, const client_cmqs_t *mqs,
                        void *arg) {
    lock_ctx_t *lc = arg;
    remoting_cmd_t *resp = batch_mq_call(c, broker, mqs, PROTO_LOCK_BATCH_MQ, "lock");
    if (!resp)
        return;
    proto_lock_mqs_t ok = {0};
    if (resp->body.ptr)
        proto_lock_batch_response_decode(resp->body.ptr, resp->body.len, &ok);
    remoting_cmd_destroy(resp);
    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < mqs->count; i++) {
        bool locked = false;
        for (size_t j = 0; j < ok.count && !locked; j++)
            locked = strcmp(ok.items[j].topic, mqs->items[i].topic) == 0 &&
                     strcmp(ok.items[j].brokerName, mqs->items[i].broker_name) == 0 &&
                     ok.items[j].queueId == mqs->items[i].queue_id;
        if (lc->one && client_cmq_cmp(lc->one, &mqs->items[i]) == 0)
            lc->one_locked = locked;
        if (!lc->one && mqs->count == 1)
            lc->one_locked = locked;
        char *key =
            client_cmq_key(mqs->items[i].topic, mqs->items[i].broker_name, mqs->items[i].queue_id);
        pq_t *pq = rmq_map_get(&c->pqs, key);
        rmq_free(key);
        if (pq) {
            pq->is_locked = locked;
            if (locked)
                pq->last_lock_ms = rmq_mono_ms();
        }
    }
    pthread_mutex_unlock(&c->mu);
    proto_lock_mqs_close(&ok);
}

bool push_lock_mqs(rmq_push_consumer_t *c, const client_cmqs_t *mqs, const client_cmq_t *one) {
    lock_ctx_t lc = {.one = one};
    by_broker(mqs, lock_broker, c, &lc);
    return lc.one_locked;
}

void push_lock_all(rmq_push_consumer_t *c) {
    client_cmqs_t mqs = {0};
    pthread_mutex_lock(&c->mu);
    size_t it = 0;
    rmq_map_entry_t *ent;
    while (rmq_map_next(&c->pqs, &it, &ent)) {
        pq_t *pq = ent->value;
        client_cmqs_add(&mqs, pq->mq.topic, pq->mq.broker_name, pq->mq.queue_id);
    }
    pthread_mutex_unlock(&c->mu);
    lock_ctx_t lc = {0};
    if (mqs.count > 0)
        by_broker(&mqs, lock_broker, c, &lc);
    client_cmqs_close(&mqs);
}

static void unlock_broker(rmq_push_consumer_t *c, const char *broker, const client_cmqs_t *mqs,
                          void *arg) {
    (void)arg;
    remoting_cmd_destroy(batch_mq_call(c, broker, mqs, PROTO_UNLOCK_BATCH_MQ, "unlock"));
}

void push_unlock_mqs(rmq_push_consumer_t *c, const client_cmqs_t *mqs) {
    by_broker(mqs, unlock_broker, c, NULL);
}
