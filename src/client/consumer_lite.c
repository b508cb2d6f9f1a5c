/*
 * The lite pull consumer (Java's DefaultLitePullConsumer), poll-driven: poll walks the
 * unpaused queues round robin from where the last poll stopped and pulls each once
 * (PULL_MESSAGE without suspension, the expression in the request) until one returns
 * messages or the time-out passes, pausing 20 ms after a round that found nothing.
 * Positions start at the committed offset (else consumeFromWhere) and advance as
 * messages are returned; the offset store's cache follows them and commit_sync (or the
 * auto-commit every autoCommitIntervalMillis inside poll) writes it to the brokers.
 *
 * Subscribe mode rebalances with AllocateMessageQueueAveragely inside poll every 20 s
 * (and at the first poll); the heartbeat names the group as CONSUME_ACTIVELY.
 *
 * Threads: the caller's; `mu` serialises every call on one consumer (poll holds it for
 * its whole duration, so seek/commit from another thread wait for the poll to end).
 */
#include "client/consumer.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "protocol/codes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LITE_REBALANCE_MS  20000
#define LITE_IDLE_PAUSE_MS 20

typedef struct {
    client_cmq_t mq;
    int64_t next; /* -1: not computed yet */
    bool is_paused;
    const proto_subscription_t *sub;
} lite_queue_t;

struct rmq_lite_pull_consumer_s {
    rmq_conf_t *conf;
    client_instance_t *ci;
    char *group, *from_where;
    int64_t consume_ts_ms;
    int pull_batch, poll_timeout;
    bool auto_commit, is_started, is_assign, is_subscribe;
    int64_t commit_interval_ms, last_commit_ms, next_rebalance_ms;
    proto_subscription_t *subs;
    size_t sub_count;
    lite_queue_t *queues;
    size_t queue_count, rr;
    client_offset_store_t offsets;
    pthread_mutex_t mu;
};

/* ------------------------------------------------------------------ helpers */

static const proto_subscription_t *find_sub(rmq_lite_pull_consumer_t *c, const char *topic) {
    for (size_t i = 0; i < c->sub_count; i++)
        if (strcmp(c->subs[i].topic, topic) == 0)
            return &c->subs[i];
    return NULL;
}

static void add_sub(rmq_lite_pull_consumer_t *c, const char *topic, const char *expr) {
    if (find_sub(c, topic))
        return;
    c->subs = rmq_realloc(c->subs, (c->sub_count + 1) * sizeof *c->subs);
    proto_subscription_t *s = &c->subs[c->sub_count++];
    proto_subscription_build(s, topic, expr, "TAG");
    s->subVersion = rmq_now_ms();
}

static lite_queue_t *find_queue(rmq_lite_pull_consumer_t *c, const char *topic, const char *broker,
                                int32_t qid) {
    for (size_t i = 0; i < c->queue_count; i++) {
        lite_queue_t *q = &c->queues[i];
        if (q->mq.queue_id == qid && strcmp(q->mq.topic, topic) == 0 &&
            strcmp(q->mq.broker_name, broker) == 0)
            return q;
    }
    return NULL;
}

static void free_queues(lite_queue_t *qs, size_t n) {
    for (size_t i = 0; i < n; i++) {
        rmq_free(qs[i].mq.topic);
        rmq_free(qs[i].mq.broker_name);
    }
    rmq_free(qs);
}

/* Replaces the queue set by mqs, keeping the positions of queues in both. Locks: mu. */
static void set_queues(rmq_lite_pull_consumer_t *c, const client_cmq_t *mqs, size_t n) {
    lite_queue_t *qs = rmq_calloc(n + 1, sizeof *qs);
    for (size_t i = 0; i < n; i++) {
        lite_queue_t *old = find_queue(c, mqs[i].topic, mqs[i].broker_name, mqs[i].queue_id);
        qs[i].mq = (client_cmq_t){rmq_strdup(mqs[i].topic), rmq_strdup(mqs[i].broker_name),
                                  mqs[i].queue_id};
        qs[i].next = old ? old->next : -1;
        qs[i].is_paused = old ? old->is_paused : false;
        qs[i].sub = find_sub(c, mqs[i].topic);
    }
    free_queues(c->queues, c->queue_count);
    c->queues = qs;
    c->queue_count = n;
    c->rr = 0;
}

/* Runs on: the instance's timer thread. Reads subs, fixed after start. */
static void on_heartbeat(void *ctx, proto_heartbeat_t *hb) {
    rmq_lite_pull_consumer_t *c = ctx;
    hb->consumers = rmq_realloc(hb->consumers, (hb->consumer_count + 1) * sizeof *hb->consumers);
    client_consumer_data_fill(&hb->consumers[hb->consumer_count++], c->group, "CONSUME_ACTIVELY",
                              "CLUSTERING", c->from_where, c->subs,
                              c->is_subscribe ? c->sub_count : 0);
}

/* Subscribe mode: this member's share of every subscribed topic. Locks: mu. */
static void rebalance(rmq_lite_pull_consumer_t *c) {
    client_cmqs_t mine = {0};
    bool ok = true;
    for (size_t i = 0; i < c->sub_count; i++) {
        client_cmqs_t all = {0};
        proto_strs_t ids = {0};
        char e[256];
        if (client_topic_mqs(c->ci, c->subs[i].topic, &all, e, sizeof e) != 0 ||
            client_consumer_ids(c->ci, c->group, c->subs[i].topic, &ids, e, sizeof e) != 0) {
            ok = false;
        } else {
            size_t start, count;
            client_allocate_averagely(client_instance_id(c->ci), (const char *const *)ids.items,
                                      ids.count, all.count, &start, &count);
            for (size_t j = start; j < start + count; j++)
                client_cmqs_add(&mine, all.items[j].topic, all.items[j].broker_name,
                                all.items[j].queue_id);
        }
        client_cmqs_close(&all);
        proto_strs_close(&ids);
    }
    if (ok || mine.count > 0)
        set_queues(c, mine.items, mine.count);
    if (!ok)
        client_instance_heartbeat(c->ci);
    client_cmqs_close(&mine);
    c->next_rebalance_ms = rmq_mono_ms() + (ok ? LITE_REBALANCE_MS : 1000);
}

/* ------------------------------------------------------------------ public */

rmq_lite_pull_consumer_t *rmq_lite_pull_consumer_new(const rmq_conf_t *conf, char *errstr,
                                                     size_t errlen) {
    const char *group;
    client_instance_t *ci = client_consumer_instance(conf, &group, errstr, errlen);
    if (!ci)
        return NULL;
    rmq_lite_pull_consumer_t *c = RMQ_NEW(rmq_lite_pull_consumer_t);
    c->conf = rmq_conf_dup(conf);
    c->ci = ci;
    c->group = rmq_strdup(group);
    c->from_where = rmq_strdup(rmq_conf_get(conf, "consumeFromWhere"));
    c->consume_ts_ms = rmq_now_ms() - 30 * 60 * 1000;
    c->pull_batch = (int)client_conf_int(conf, "pullBatchSize");
    c->poll_timeout = (int)client_conf_int(conf, "pollTimeoutMillis");
    c->auto_commit = client_conf_bool(conf, "autoCommit");
    c->commit_interval_ms = client_conf_int(conf, "autoCommitIntervalMillis");
    pthread_mutex_init(&c->mu, NULL);
    client_offset_store_init(&c->offsets, ci, c->group, NULL);
    return c;
}

rmq_err_t rmq_lite_pull_consumer_subscribe(rmq_lite_pull_consumer_t *c, const char *topic,
                                           const char *expression, char *errstr, size_t errlen) {
    if (!c || !topic || !*topic || c->is_assign || c->is_started) {
        client_errstr(errstr, errlen, "subscribe needs a topic, before start, not with assign");
        return RMQ_ERR__INVALID_ARG;
    }
    add_sub(c, topic, expression);
    c->is_subscribe = true;
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_lite_pull_consumer_assign(rmq_lite_pull_consumer_t *c, const rmq_message_queue_t *mqs,
                                        size_t n, char *errstr, size_t errlen) {
    if (!c || c->is_subscribe || (n > 0 && !mqs)) {
        client_errstr(errstr, errlen, "assign is not for a subscribing consumer");
        return RMQ_ERR__INVALID_ARG;
    }
    pthread_mutex_lock(&c->mu);
    client_cmq_t *list = rmq_calloc(n + 1, sizeof *list);
    for (size_t i = 0; i < n; i++) {
        add_sub(c, mqs[i].topic, "*");
        list[i] = (client_cmq_t){(char *)mqs[i].topic, (char *)mqs[i].broker_name, mqs[i].queue_id};
    }
    set_queues(c, list, n);
    rmq_free(list);
    c->is_assign = true;
    pthread_mutex_unlock(&c->mu);
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_lite_pull_consumer_start(rmq_lite_pull_consumer_t *c, char *errstr, size_t errlen) {
    if (!c || c->is_started)
        return RMQ_ERR__INVALID_ARG;
    client_instance_set_heartbeat_hook(c->ci, on_heartbeat, c);
    rmq_err_t err = client_instance_start(c->ci, errstr, errlen);
    if (err)
        return err;
    for (size_t i = 0; i < c->sub_count; i++) {
        client_route_t *route = NULL;
        char e[256];
        if (client_instance_route(c->ci, c->subs[i].topic, NULL, 0, &route, e, sizeof e) == 0)
            client_route_release(route);
    }
    client_instance_heartbeat(c->ci);
    c->is_started = true;
    c->last_commit_ms = rmq_mono_ms();
    c->next_rebalance_ms = 0;
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_lite_pull_consumer_fetch_queues(rmq_lite_pull_consumer_t *c, const char *topic,
                                              rmq_message_queue_t **mqs, size_t *n, char *errstr,
                                              size_t errlen) {
    if (!c || !topic || !mqs || !n || !c->is_started)
        return RMQ_ERR__INVALID_ARG;
    client_cmqs_t all = {0};
    rmq_err_t err = client_topic_mqs(c->ci, topic, &all, errstr, errlen);
    if (err) {
        client_cmqs_close(&all);
        return err;
    }
    *mqs = rmq_calloc(all.count + 1, sizeof **mqs);
    for (size_t i = 0; i < all.count; i++) {
        (*mqs)[i].topic = all.items[i].topic;
        (*mqs)[i].broker_name = all.items[i].broker_name;
        (*mqs)[i].queue_id = all.items[i].queue_id;
    }
    *n = all.count;
    rmq_free(all.items); /* the strings now belong to *mqs */
    return RMQ_ERR_NO_ERROR;
}

void rmq_message_queues_destroy(rmq_message_queue_t *mqs, size_t n) {
    if (!mqs)
        return;
    for (size_t i = 0; i < n; i++) {
        rmq_free((char *)mqs[i].topic);
        rmq_free((char *)mqs[i].broker_name);
    }
    rmq_free(mqs);
}

/* One pull of q; messages appended to out (at most max). Locks: mu. */
static size_t pull_once(rmq_lite_pull_consumer_t *c, lite_queue_t *q, rmq_message_ext_t **out,
                        size_t max) {
    if (q->next < 0) {
        int64_t off;
        rmq_err_t err =
            client_compute_pull_from(&c->offsets, &q->mq, c->from_where, c->consume_ts_ms, &off);
        if (err)
            return 0;
        q->next = off;
    }
    char addr[128];
    if (!client_broker_master(c->ci, q->mq.topic, q->mq.broker_name, addr, sizeof addr))
        return 0;
    int32_t nums = max < (size_t)c->pull_batch ? (int32_t)max : c->pull_batch;
    remoting_cmd_t *req = client_pull_request(c->group, &q->mq, q->next, nums, 0, false, q->sub, 0);
    remoting_cmd_t *resp = NULL;
    char e[256];
    rmq_err_t err = client_rpc_invoke(client_instance_rpc(c->ci), addr, req, &resp, e, sizeof e);
    remoting_cmd_destroy(req);
    if (err)
        return 0;
    client_pull_result_t r;
    client_pull_result_decode(resp, &q->mq, q->sub, &r);
    remoting_cmd_destroy(resp);
    size_t got = 0;
    if (r.status == CLIENT_PULL_FOUND || r.status == CLIENT_PULL_NO_NEW_MSG ||
        r.status == CLIENT_PULL_NO_MATCHED_MSG || r.status == CLIENT_PULL_OFFSET_ILLEGAL) {
        if (r.status == CLIENT_PULL_FOUND) {
            /* Keep only what fits; the rest is pulled again from its offset. */
            int64_t next = r.next_begin_offset;
            for (size_t i = 0; i < r.msgs.count; i++) {
                if (got < max) {
                    out[got++] = r.msgs.items[i];
                    r.msgs.items[i] = NULL;
                } else {
                    if (r.msgs.items[i]->queue_offset < next)
                        next = r.msgs.items[i]->queue_offset;
                }
            }
            q->next = next;
        } else {
            q->next = r.next_begin_offset;
        }
        if (got > 0)
            client_offset_store_update(&c->offsets, &q->mq, q->next, false);
    }
    for (size_t i = 0; i < r.msgs.count; i++)
        rmq_message_ext_destroy(r.msgs.items[i]);
    rmq_free(r.msgs.items);
    return got;
}

size_t rmq_lite_pull_consumer_poll(rmq_lite_pull_consumer_t *c, int timeout_ms,
                                   rmq_message_ext_t **msgs, size_t max) {
    if (!c || !msgs || max == 0 || !c->is_started)
        return 0;
    int64_t deadline = rmq_mono_ms() + (timeout_ms < 0 ? c->poll_timeout : timeout_ms);
    size_t got = 0;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        int64_t now = rmq_mono_ms();
        if (c->is_subscribe && now >= c->next_rebalance_ms)
            rebalance(c);
        for (size_t k = 0; k < c->queue_count && got == 0; k++) {
            lite_queue_t *q = &c->queues[c->rr % c->queue_count];
            c->rr++;
            if (!q->is_paused)
                got += pull_once(c, q, msgs + got, max - got);
        }
        if (c->auto_commit && rmq_mono_ms() - c->last_commit_ms >= c->commit_interval_ms) {
            client_offset_store_persist(&c->offsets);
            c->last_commit_ms = rmq_mono_ms();
        }
        if (got > 0 || rmq_mono_ms() >= deadline)
            break;
        pthread_mutex_unlock(&c->mu);
        int64_t left = deadline - rmq_mono_ms();
        usleep(
            (useconds_t)((left < LITE_IDLE_PAUSE_MS ? (left > 0 ? left : 0) : LITE_IDLE_PAUSE_MS) *
                         1000));
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return got;
}

static lite_queue_t *queue_of(rmq_lite_pull_consumer_t *c, const rmq_message_queue_t *mq) {
    if (!mq || !mq->topic || !mq->broker_name)
        return NULL;
    return find_queue(c, mq->topic, mq->broker_name, mq->queue_id);
}

rmq_err_t rmq_lite_pull_consumer_seek(rmq_lite_pull_consumer_t *c, const rmq_message_queue_t *mq,
                                      int64_t offset) {
    if (!c || offset < 0)
        return RMQ_ERR__INVALID_ARG;
    pthread_mutex_lock(&c->mu);
    lite_queue_t *q = queue_of(c, mq);
    if (q) {
        q->next = offset;
        client_offset_store_update(&c->offsets, &q->mq, offset, false);
    }
    pthread_mutex_unlock(&c->mu);
    return q ? RMQ_ERR_NO_ERROR : RMQ_ERR__INVALID_ARG;
}

int64_t rmq_lite_pull_consumer_committed(rmq_lite_pull_consumer_t *c,
                                         const rmq_message_queue_t *mq) {
    if (!c || !mq || !c->is_started)
        return -1;
    /* A scratch store: reading from the broker must not replace the positions cached. */
    client_offset_store_t tmp;
    client_offset_store_init(&tmp, c->ci, c->group, NULL);
    client_cmq_t m = {(char *)mq->topic, (char *)mq->broker_name, mq->queue_id};
    rmq_err_t err;
    int64_t off = client_offset_store_read(&tmp, &m, true, &err);
    client_offset_store_close(&tmp);
    return err ? -1 : off;
}

rmq_err_t rmq_lite_pull_consumer_commit_sync(rmq_lite_pull_consumer_t *c) {
    if (!c || !c->is_started)
        return RMQ_ERR__INVALID_ARG;
    pthread_mutex_lock(&c->mu);
    rmq_err_t err = client_offset_store_persist(&c->offsets);
    c->last_commit_ms = rmq_mono_ms();
    pthread_mutex_unlock(&c->mu);
    return err;
}

static rmq_err_t set_paused(rmq_lite_pull_consumer_t *c, const rmq_message_queue_t *mq,
                            bool paused) {
    if (!c)
        return RMQ_ERR__INVALID_ARG;
    pthread_mutex_lock(&c->mu);
    lite_queue_t *q = queue_of(c, mq);
    if (q)
        q->is_paused = paused;
    pthread_mutex_unlock(&c->mu);
    return q ? RMQ_ERR_NO_ERROR : RMQ_ERR__INVALID_ARG;
}

rmq_err_t rmq_lite_pull_consumer_pause(rmq_lite_pull_consumer_t *c, const rmq_message_queue_t *mq) {
    return set_paused(c, mq, true);
}

rmq_err_t rmq_lite_pull_consumer_resume(rmq_lite_pull_consumer_t *c,
                                        const rmq_message_queue_t *mq) {
    return set_paused(c, mq, false);
}

void rmq_lite_pull_consumer_shutdown(rmq_lite_pull_consumer_t *c) {
    if (!c || !c->is_started)
        return;
    pthread_mutex_lock(&c->mu);
    if (c->auto_commit)
        client_offset_store_persist(&c->offsets);
    pthread_mutex_unlock(&c->mu);
    client_instance_set_heartbeat_hook(c->ci, NULL, NULL);
    const char **topics = rmq_calloc(c->sub_count + 1, sizeof(char *));
    for (size_t i = 0; i < c->sub_count; i++)
        topics[i] = c->subs[i].topic;
    client_consumer_unregister(c->ci, c->group, topics, c->sub_count);
    rmq_free(topics);
    client_instance_stop(c->ci);
    c->is_started = false;
}

void rmq_lite_pull_consumer_destroy(rmq_lite_pull_consumer_t *c) {
    if (!c)
        return;
    rmq_lite_pull_consumer_shutdown(c);
    client_instance_destroy(c->ci);
    client_offset_store_close(&c->offsets);
    free_queues(c->queues, c->queue_count);
    for (size_t i = 0; i < c->sub_count; i++)
        proto_subscription_close(&c->subs[i]);
    rmq_free(c->subs);
    pthread_mutex_destroy(&c->mu);
    rmq_free(c->group);
    rmq_free(c->from_where);
    rmq_conf_destroy(c->conf);
    rmq_free(c);
}
