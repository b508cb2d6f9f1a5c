/*
 * Queue locks of orderly consumers (upstream RebalanceLockManager and the lock requests
 * of AdminBrokerProcessor; spec remoting.md 5.3.9, 5.3.10, 7.9):
 *
 *   LOCK_BATCH_MQ (41)     locks every queue of mqSet that is free, expired, or already
 *                          held by clientId (renewing it) and answers the locked subset
 *   UNLOCK_BATCH_MQ (42)   releases the queues clientId holds
 *   CHECK_CLIENT_CONFIG (46)  TAG subscriptions pass; SQL92 needs enablePropertyFilter
 *
 * A lock is a lease of BROKER_LOCK_MAX_LIVE_MS (60 s) per (group, queue), held by one
 * client id and renewed by every LOCK from it. The table is group -> (queue key -> entry);
 * a group whose entries have all expired marks its retry sends as ordinary (send.c asks
 * broker_locks_all_expired, as upstream diverts retry sends of a locking group to the DLQ).
 * Lease times use the broker clock (broker_now), so tests drive expiry without sleeping.
 *
 * Runs on: I/O loops. Locks: the table mutex, briefly.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/codes.h"
#include "protocol/lock_body.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    char *client_id;
    int64_t last_update_ms;
} lock_entry_t;

struct broker_locks {
    pthread_mutex_t mu;
    rmq_map_t groups; /* group -> rmq_map_t * (queue key -> lock_entry_t *) */
};

broker_locks_t *broker_locks_new(void) {
    broker_locks_t *l = RMQ_NEW(broker_locks_t);
    pthread_mutex_init(&l->mu, NULL);
    rmq_map_init(&l->groups);
    return l;
}

static void free_entry(lock_entry_t *e) {
    rmq_free(e->client_id);
    rmq_free(e);
}

void broker_locks_destroy(broker_locks_t *l) {
    if (!l)
        return;
    rmq_map_entry_t *g;
    for (size_t i = 0; rmq_map_next(&l->groups, &i, &g);) {
        rmq_map_t *queues = g->value;
        rmq_map_entry_t *q;
        for (size_t j = 0; rmq_map_next(queues, &j, &q);)
            free_entry(q->value);
        rmq_map_close(queues);
        rmq_free(queues);
    }
    rmq_map_close(&l->groups);
    pthread_mutex_destroy(&l->mu);
    rmq_free(l);
}

static bool expired(const lock_entry_t *e, int64_t now) {
    return now - e->last_update_ms > BROKER_LOCK_MAX_LIVE_MS;
}

/* MessageQueue identity: topic, broker name and queue id. */
static size_t queue_key(const proto_lock_mq_t *mq, char *buf, size_t cap) {
    int n = snprintf(buf, cap, "%s\001%s\001%d", mq->topic, mq->brokerName, mq->queueId);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* Locks one queue for client if free, expired or its own. Locks: l->mu held. */
static bool try_lock(broker_locks_t *l, const char *group, const proto_lock_mq_t *mq,
                     const char *client, int64_t now) {
    rmq_map_t *queues = rmq_map_get(&l->groups, group);
    if (!queues) {
        queues = RMQ_NEW(rmq_map_t);
        rmq_map_init(queues);
        rmq_map_put(&l->groups, group, queues);
    }
    char key[768];
    size_t n = queue_key(mq, key, sizeof key);
    lock_entry_t *e = rmq_map_getn(queues, key, n);
    if (!e) {
        e = RMQ_NEW(lock_entry_t);
        e->client_id = rmq_strdup(client);
        e->last_update_ms = now;
        rmq_map_putn(queues, key, n, e);
        rmq_log_info("broker",
                     "RebalanceLockManager#tryLock: lock a message queue which has not "
                     "been locked yet, group=%s, clientId=%s, mq=%s:%d",
                     group, client, mq->topic, mq->queueId);
        return true;
    }
    if (strcmp(e->client_id, client) == 0) {
        e->last_update_ms = now;
        return true;
    }
    if (expired(e, now)) {
        rmq_log_warn("broker",
                     "RebalanceLockManager#tryLock: try to lock a expired message "
                     "queue, group=%s, mq=%s:%d, old client id=%s, new client id=%s",
                     group, mq->topic, mq->queueId, e->client_id, client);
        rmq_free(e->client_id);
        e->client_id = rmq_strdup(client);
        e->last_update_ms = now;
        return true;
    }
    rmq_log_warn("broker",
                 "RebalanceLockManager#tryLock: message queue has been locked by other "
                 "client, group=%s, mq=%s:%d, locked client id=%s, current client id=%s",
                 group, mq->topic, mq->queueId, e->client_id, client);
    return false;
}

void broker_locks_lock(broker_t *b, const char *group, const proto_lock_mqs_t *mqs,
                       const char *client, proto_lock_mqs_t *ok) {
    broker_locks_t *l = b->locks;
    int64_t now = broker_now(b);
    pthread_mutex_lock(&l->mu);
    for (size_t i = 0; i < mqs->count; i++) {
        const proto_lock_mq_t *mq = &mqs->items[i];
        if (try_lock(l, group, mq, client, now))
            proto_lock_mqs_add(ok, mq->topic, mq->brokerName, mq->queueId);
    }
    pthread_mutex_unlock(&l->mu);
}

void broker_locks_unlock(broker_t *b, const char *group, const proto_lock_mqs_t *mqs,
                         const char *client) {
    broker_locks_t *l = b->locks;
    pthread_mutex_lock(&l->mu);
    rmq_map_t *queues = rmq_map_get(&l->groups, group);
    for (size_t i = 0; queues && i < mqs->count; i++) {
        char key[768];
        size_t n = queue_key(&mqs->items[i], key, sizeof key);
        key[n] = 0;
        lock_entry_t *e = rmq_map_get(queues, key);
        if (e && strcmp(e->client_id, client) == 0) {
            free_entry(rmq_map_del(queues, key));
            rmq_log_info("broker",
                         "RebalanceLockManager#unlockBatch: unlock mq, group=%s, "
                         "clientId=%s, mq=%s:%d",
                         group, client, mqs->items[i].topic, mqs->items[i].queueId);
        }
    }
    if (queues && rmq_map_count(queues) == 0) {
        rmq_map_del(&l->groups, group);
        rmq_map_close(queues);
        rmq_free(queues);
    }
    pthread_mutex_unlock(&l->mu);
}

bool broker_locks_all_expired(broker_t *b, const char *group) {
    broker_locks_t *l = b->locks;
    int64_t now = broker_now(b);
    bool all = true;
    pthread_mutex_lock(&l->mu);
    rmq_map_t *queues = rmq_map_get(&l->groups, group);
    rmq_map_entry_t *q;
    for (size_t j = 0; queues && all && rmq_map_next(queues, &j, &q);)
        all = expired(q->value, now);
    pthread_mutex_unlock(&l->mu);
    return all;
}

bool broker_locks_is_locked(broker_t *b, const char *group, const char *topic,
                            const char *broker_name, int32_t queue_id, const char *client) {
    broker_locks_t *l = b->locks;
    int64_t now = broker_now(b);
    proto_lock_mq_t mq = {(char *)topic, (char *)broker_name, queue_id};
    char key[768];
    size_t n = queue_key(&mq, key, sizeof key);
    bool locked = false;
    pthread_mutex_lock(&l->mu);
    rmq_map_t *queues = rmq_map_get(&l->groups, group);
    lock_entry_t *e = queues ? rmq_map_getn(queues, key, n) : NULL;
    if (e && !expired(e, now) && strcmp(e->client_id, client) == 0)
        locked = true;
    pthread_mutex_unlock(&l->mu);
    return locked;
}

/* ---- processors ---- */

static int bad_body(remoting_cmd_t *resp, const char *what) {
    resp->code = PROTO_SYSTEM_ERROR;
    remoting_cmd_set_remarkf(resp, "decode %s failed", what);
    return 0;
}

int broker_lock_batch_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                              remoting_cmd_t *resp) {
    (void)conn;
    broker_t *b = ctx;
    proto_lock_batch_t lb;
    if (proto_lock_batch_decode(req->body.ptr, req->body.len, &lb) != 0)
        return bad_body(resp, "LockBatchRequestBody");
    proto_lock_mqs_t ok = {0};
    broker_locks_lock(b, lb.consumerGroup ? lb.consumerGroup : "", &lb.mqSet,
                      lb.clientId ? lb.clientId : "", &ok);
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_lock_batch_response_encode(&ok, &out);
    size_t len = out.len;
    remoting_cmd_take_body(resp, rmq_buf_steal(&out, NULL), len);
    proto_lock_mqs_close(&ok);
    proto_lock_batch_close(&lb);
    resp->code = PROTO_SUCCESS;
    return 0;
}

int broker_unlock_batch_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                remoting_cmd_t *resp) {
    (void)conn;
    broker_t *b = ctx;
    proto_lock_batch_t lb;
    if (proto_lock_batch_decode(req->body.ptr, req->body.len, &lb) != 0)
        return bad_body(resp, "UnlockBatchRequestBody");
    broker_locks_unlock(b, lb.consumerGroup ? lb.consumerGroup : "", &lb.mqSet,
                        lb.clientId ? lb.clientId : "");
    proto_lock_batch_close(&lb);
    resp->code = PROTO_SUCCESS;
    return 0;
}

int broker_check_client_config_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                       remoting_cmd_t *resp) {
    (void)conn;
    broker_t *b = ctx;
    proto_check_client_t cc;
    if (proto_check_client_decode(req->body.ptr, req->body.len, &cc) != 0)
        return bad_body(resp, "CheckClientRequestBody");
    resp->code = PROTO_SUCCESS;
    const char *type = cc.expressionType;
    if (cc.has_subscription && type && *type && strcmp(type, "TAG") != 0) {
        if (!b->cfg.enablePropertyFilter) {
            resp->code = PROTO_SYSTEM_ERROR;
            remoting_cmd_set_remarkf(
                resp, "The broker does not support consumer to filter message by %s", type);
        } else {
            /* No property-filter engine here yet: the expression cannot be compiled,
             * which is what the pull path answers too. */
            resp->code = PROTO_SUBSCRIPTION_PARSE_FAILED;
            remoting_cmd_set_remarkf(resp, "Parse %s expression failed: %s is not supported",
                                     cc.subString ? cc.subString : "", type);
        }
    }
    proto_check_client_close(&cc);
    return 0;
}
