/*
 * The lite pull consumer (Java's DefaultLitePullConsumer). A background thread pulls
 * every unpaused queue ahead of the application into a per-queue cache, and poll takes
 * from the caches; as in Java's PullTaskImpl and poll:
 *
 *   prefetch  one PULL_MESSAGE in flight per queue, asynchronous and long-polling (the
 *             broker holds it up to 20 s), pullBatchSize messages at most, the
 *             expression in the request. The next pull of a queue waits while the
 *             consumer caches more than pullThresholdForAll messages in all, or the queue
 *             more than pullThresholdForQueue messages or pullThresholdSizeForQueue MiB
 *             (looked at again every 50 ms), so memory stays bounded.
 *   poll      takes up to pullBatchSize of the cached messages of one unpaused queue
 *             (queues in turn), waiting up to its time-out for some to arrive.
 *
 * Positions: a queue's pull offset runs ahead; its consume offset (what the offset
 * store caches and commits) is the offset of its first message still cached, or the
 * pull offset when none is: it advances only as poll returns messages. Queues start at
 * the committed offset (else consumeFromWhere). seek drops the queue's cache and any
 * pull in flight (its result is recognised by pull_id and thrown away) and moves both
 * offsets. pause stops the queue's pulls and hides its cache from poll until resume.
 * commit_sync (or the auto-commit every autoCommitIntervalMillis inside poll) writes
 * the offset store to the brokers.
 *
 * Subscribe mode rebalances with AllocateMessageQueueAveragely on the background thread
 * every 20 s (at once after start; every second while a topic has no route or no
 * consumer ids); the heartbeat names the group as CONSUME_ACTIVELY.
 *
 * Threads: the caller's for the public functions; the prefetch thread; the I/O thread
 * for pull completions. Locks: `mu` guards the queues, their caches and the counters; it
 * is never held across a network call (pull responses are decoded under it, as the
 * subscription they are filtered by may move when assign adds a topic).
 */
#include "client/consumer.h"

#include "common/cond.h"
#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "protocol/codes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LITE_REBALANCE_MS       20000
#define LITE_REBALANCE_RETRY_MS 1000
#define LITE_FLOW_DELAY_MS      50
#define LITE_BROKER_SUSPEND_MS  20000
#define LITE_PULL_TIMEOUT_MS    30000
#define LITE_IDLE_WAIT_MS       1000
#define LITE_DEFAULT_BATCH      10 /* DefaultLitePullConsumer.pullBatchSize */
#define MIB                     (1024 * 1024)

typedef struct {
    client_cmq_t mq;
    const proto_subscription_t *sub;
    int64_t next; /* the next pull's offset; -1: not computed yet */
    bool is_paused, is_pulling;
    uint64_t pull_id;    /* of the pull in flight; the result of any other is stale */
    int64_t due_ms;      /* no pull before */
    client_msgs_t cache; /* pulled, not polled yet, by ascending offset */
    size_t cached_bytes;
} lite_queue_t;

struct rmq_lite_pull_consumer_s {
    rmq_conf_t *conf;
    client_instance_t *ci;
    char *group, *from_where;
    int64_t consume_ts_ms;
    int pull_batch, poll_timeout, threshold_all, threshold_queue, threshold_mib;
    bool auto_commit, is_started, is_stopping, is_assign, is_subscribe;
    int64_t commit_interval_ms, last_commit_ms, pull_delay_on_error_ms;
    proto_subscription_t *subs;
    size_t sub_count;
    client_offset_store_t offsets;

    pthread_mutex_t mu;
    pthread_cond_t pull_cv;  /* the prefetch thread: something to pull may have changed */
    pthread_cond_t cache_cv; /* poll: messages may have arrived */
    lite_queue_t *queues;
    size_t queue_count, rr, cached_total;
    uint64_t last_pull_id, flow_control_times;
    pthread_t thread;
};

/* A pull in flight: the queue is found again by name when it completes. */
typedef struct {
    rmq_lite_pull_consumer_t *c;
    client_cmq_t mq; /* owned copies */
    uint64_t pull_id;
} lite_pull_ctx_t;

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
    /* The queues' pointers into subs moved with it. */
    for (size_t i = 0; i < c->queue_count; i++)
        c->queues[i].sub = find_sub(c, c->queues[i].mq.topic);
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

/* Drops q's cached messages. Locks: mu. */
static void cache_clear(rmq_lite_pull_consumer_t *c, lite_queue_t *q) {
    c->cached_total -= q->cache.count;
    client_msgs_close(&q->cache);
    q->cached_bytes = 0;
}

static void free_queues(lite_queue_t *qs, size_t n) {
    for (size_t i = 0; i < n; i++) {
        client_msgs_close(&qs[i].cache);
        rmq_free(qs[i].mq.topic);
        rmq_free(qs[i].mq.broker_name);
    }
    rmq_free(qs);
}

/* Replaces the queue set by mqs: queues in both keep their positions, cache and pull in
 * flight; the others' caches go. Locks: mu. */
static void set_queues(rmq_lite_pull_consumer_t *c, const client_cmq_t *mqs, size_t n) {
    lite_queue_t *qs = rmq_calloc(n + 1, sizeof *qs);
    for (size_t i = 0; i < n; i++) {
        lite_queue_t *old = find_queue(c, mqs[i].topic, mqs[i].broker_name, mqs[i].queue_id);
        if (old) {
            qs[i] = *old;
            memset(&old->cache, 0, sizeof old->cache);
            old->mq.topic = old->mq.broker_name = NULL;
        } else {
            qs[i].mq = (client_cmq_t){rmq_strdup(mqs[i].topic), rmq_strdup(mqs[i].broker_name),
                                      mqs[i].queue_id};
            qs[i].next = -1;
        }
        qs[i].sub = find_sub(c, mqs[i].topic);
    }
    for (size_t i = 0; i < c->queue_count; i++)
        c->cached_total -= c->queues[i].cache.count;
    free_queues(c->queues, c->queue_count);
    c->queues = qs;
    c->queue_count = n;
    c->rr = 0;
    for (size_t i = 0; i < n; i++)
        c->cached_total += qs[i].cache.count;
    pthread_cond_signal(&c->pull_cv);
}

/* Runs on: the instance's timer thread. Reads subs, fixed after start. */
static void on_heartbeat(void *ctx, proto_heartbeat_t *hb) {
    rmq_lite_pull_consumer_t *c = ctx;
    hb->consumers = rmq_realloc(hb->consumers, (hb->consumer_count + 1) * sizeof *hb->consumers);
    client_consumer_data_fill(&hb->consumers[hb->consumer_count++], c->group, "CONSUME_ACTIVELY",
                              "CLUSTERING", c->from_where, c->subs,
                              c->is_subscribe ? c->sub_count : 0);
}

/* ------------------------------------------------------------------ prefetch */

/* Subscribe mode: this member's share of every subscribed topic. Returns false when a
 * topic could not be balanced. Runs on: the prefetch thread. Locks: takes mu. */
static bool rebalance(rmq_lite_pull_consumer_t *c) {
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
    if (ok || mine.count > 0) {
        pthread_mutex_lock(&c->mu);
        set_queues(c, mine.items, mine.count);
        pthread_mutex_unlock(&c->mu);
    }
    if (!ok)
        client_instance_heartbeat(c->ci);
    client_cmqs_close(&mine);
    return ok;
}

/* Runs on: the I/O thread. Locks: takes mu. */
static void on_pull_done(void *arg, int status, remoting_cmd_t *resp) {
    lite_pull_ctx_t *ctx = arg;
    rmq_lite_pull_consumer_t *c = ctx->c;
    pthread_mutex_lock(&c->mu);
    lite_queue_t *q = find_queue(c, ctx->mq.topic, ctx->mq.broker_name, ctx->mq.queue_id);
    if (c->is_stopping || !q || !q->is_pulling || q->pull_id != ctx->pull_id) {
        /* Stale: the queue was sought, dropped or reassigned meanwhile. */
        pthread_mutex_unlock(&c->mu);
        goto done;
    }
    q->is_pulling = false;
    client_pull_result_t r = {.status = CLIENT_PULL_ERROR};
    if (status == 0)
        client_pull_result_decode(resp, &q->mq, q->sub, &r);
    switch (r.status) {
    case CLIENT_PULL_FOUND:
        for (size_t i = 0; i < r.msgs.count; i++) {
            client_msgs_add(&q->cache, r.msgs.items[i]);
            q->cached_bytes += r.msgs.items[i]->msg.body_len;
        }
        c->cached_total += r.msgs.count;
        rmq_free(r.msgs.items);
        memset(&r.msgs, 0, sizeof r.msgs);
        q->next = r.next_begin_offset;
        pthread_cond_broadcast(&c->cache_cv);
        break;
    case CLIENT_PULL_OFFSET_ILLEGAL:
        rmq_log_warn("consumer", "group=%s pull %s/%s/%d: offset %lld illegal, moving to %lld",
                     c->group, q->mq.topic, q->mq.broker_name, (int)q->mq.queue_id,
                     (long long)q->next, (long long)r.next_begin_offset);
        q->next = r.next_begin_offset;
        break;
    case CLIENT_PULL_NO_NEW_MSG:
    case CLIENT_PULL_NO_MATCHED_MSG:
        q->next = r.next_begin_offset;
        break;
    default:
        if (status == 0)
            rmq_log_warn("consumer", "group=%s pull %s/%s/%d answered code=%d", c->group,
                         q->mq.topic, q->mq.broker_name, (int)q->mq.queue_id, (int)resp->code);
        q->due_ms = rmq_mono_ms() + c->pull_delay_on_error_ms;
        break;
    }
    pthread_cond_signal(&c->pull_cv);
    pthread_mutex_unlock(&c->mu);
    client_pull_result_close(&r);
done:
    remoting_cmd_destroy(resp);
    rmq_free(ctx->mq.topic);
    rmq_free(ctx->mq.broker_name);
    rmq_free(ctx);
}

/* Sends the next pull of q. Locks: mu held on entry and exit, released around the
 * network (q may be gone afterwards). */
static void start_pull(rmq_lite_pull_consumer_t *c, lite_queue_t *q) {
    q->is_pulling = true;
    q->pull_id = ++c->last_pull_id;
    lite_pull_ctx_t *ctx = RMQ_NEW(lite_pull_ctx_t);
    ctx->c = c;
    ctx->mq =
        (client_cmq_t){rmq_strdup(q->mq.topic), rmq_strdup(q->mq.broker_name), q->mq.queue_id};
    ctx->pull_id = q->pull_id;
    remoting_cmd_t *req = client_pull_request(c->group, &q->mq, q->next, c->pull_batch, 0, true,
                                              q->sub, LITE_BROKER_SUSPEND_MS);
    pthread_mutex_unlock(&c->mu);
    char addr[128];
    int rc = -ENOENT;
    if (client_broker_master(c->ci, ctx->mq.topic, ctx->mq.broker_name, addr, sizeof addr))
        rc = remoting_client_invoke_async(client_instance_remoting(c->ci), addr, req,
                                          LITE_PULL_TIMEOUT_MS, on_pull_done, ctx);
    remoting_cmd_destroy(req);
    pthread_mutex_lock(&c->mu);
    if (rc != 0) {
        q = find_queue(c, ctx->mq.topic, ctx->mq.broker_name, ctx->mq.queue_id);
        if (q && q->is_pulling && q->pull_id == ctx->pull_id) {
            q->is_pulling = false;
            q->due_ms = rmq_mono_ms() + c->pull_delay_on_error_ms;
        }
        rmq_free(ctx->mq.topic);
        rmq_free(ctx->mq.broker_name);
        rmq_free(ctx);
    }
}

/* Computes where q starts (the committed offset, else consumeFromWhere). Locks: mu held
 * on entry and exit, released around the network. */
static void compute_start(rmq_lite_pull_consumer_t *c, lite_queue_t *q) {
    client_cmq_t mq = {rmq_strdup(q->mq.topic), rmq_strdup(q->mq.broker_name), q->mq.queue_id};
    pthread_mutex_unlock(&c->mu);
    int64_t off = -1;
    rmq_err_t err =
        client_compute_pull_from(&c->offsets, &mq, c->from_where, c->consume_ts_ms, &off);
    pthread_mutex_lock(&c->mu);
    q = find_queue(c, mq.topic, mq.broker_name, mq.queue_id);
    if (q && q->next < 0) { /* not sought meanwhile */
        if (err)
            q->due_ms = rmq_mono_ms() + c->pull_delay_on_error_ms;
        else
            q->next = off;
    }
    rmq_free(mq.topic);
    rmq_free(mq.broker_name);
}

/* Whether a pull of q must wait for the application to take messages. Locks: mu. */
static bool flow_controlled(rmq_lite_pull_consumer_t *c, const lite_queue_t *q) {
    const char *why = NULL;
    if (c->cached_total > (size_t)c->threshold_all)
        why = "pullThresholdForAll";
    else if (q->cache.count > (size_t)c->threshold_queue)
        why = "pullThresholdForQueue";
    else if (q->cached_bytes / MIB > (size_t)c->threshold_mib)
        why = "pullThresholdSizeForQueue";
    if (why && c->flow_control_times++ % 1000 == 0)
        rmq_log_warn("consumer",
                     "group=%s %s/%s/%d: flow control (%s), cached=%zu (all %zu) size=%zu MiB, "
                     "pulls postponed %llu times",
                     c->group, q->mq.topic, q->mq.broker_name, (int)q->mq.queue_id, why,
                     q->cache.count, c->cached_total, q->cached_bytes / MIB,
                     (unsigned long long)c->flow_control_times);
    return why != NULL;
}

/* One pass over the queues: starts what is due. Returns true when it let go of mu (the
 * queue array may have changed: the caller passes again), else sets *wait_ms until the
 * next pass is useful. Locks: mu. */
static bool prefetch_pass(rmq_lite_pull_consumer_t *c, int64_t *wait_ms) {
    int64_t now = rmq_mono_ms();
    for (size_t i = 0; i < c->queue_count; i++) {
        lite_queue_t *q = &c->queues[i];
        if (q->is_pulling || q->is_paused)
            continue;
        if (q->due_ms > now) {
            if (q->due_ms - now < *wait_ms)
                *wait_ms = q->due_ms - now;
            continue;
        }
        if (flow_controlled(c, q)) {
            q->due_ms = now + LITE_FLOW_DELAY_MS;
            if (LITE_FLOW_DELAY_MS < *wait_ms)
                *wait_ms = LITE_FLOW_DELAY_MS;
            continue;
        }
        if (q->next < 0)
            compute_start(c, q);
        else
            start_pull(c, q);
        return true;
    }
    return false;
}

static void *prefetch_main(void *arg) {
    rmq_lite_pull_consumer_t *c = arg;
    int64_t next_rebalance = 0;
    pthread_mutex_lock(&c->mu);
    while (!c->is_stopping) {
        if (c->is_subscribe && rmq_mono_ms() >= next_rebalance) {
            pthread_mutex_unlock(&c->mu);
            bool ok = rebalance(c);
            pthread_mutex_lock(&c->mu);
            next_rebalance = rmq_mono_ms() + (ok ? LITE_REBALANCE_MS : LITE_REBALANCE_RETRY_MS);
            continue;
        }
        int64_t wait_ms = LITE_IDLE_WAIT_MS;
        if (c->is_subscribe && next_rebalance - rmq_mono_ms() < wait_ms)
            wait_ms = next_rebalance - rmq_mono_ms();
        if (prefetch_pass(c, &wait_ms))
            continue;
        if (wait_ms > 0)
            rmq_cond_wait_ms(&c->pull_cv, &c->mu, wait_ms);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
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
    c->pull_batch = rmq_conf_is_set(conf, "pullBatchSize")
                        ? (int)client_conf_int(conf, "pullBatchSize")
                        : LITE_DEFAULT_BATCH;
    c->poll_timeout = (int)client_conf_int(conf, "pollTimeoutMillis");
    c->threshold_all = (int)client_conf_int(conf, "pullThresholdForAll");
    c->threshold_queue = (int)client_conf_int(conf, "pullThresholdForQueue");
    c->threshold_mib = (int)client_conf_int(conf, "pullThresholdSizeForQueue");
    c->pull_delay_on_error_ms = client_conf_int(conf, "pullTimeDelayMillsWhenException");
    c->auto_commit = client_conf_bool(conf, "autoCommit");
    c->commit_interval_ms = client_conf_int(conf, "autoCommitIntervalMillis");
    pthread_mutex_init(&c->mu, NULL);
    rmq_cond_init_monotonic(&c->pull_cv);
    rmq_cond_init_monotonic(&c->cache_cv);
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
    c->is_stopping = false;
    c->last_commit_ms = rmq_mono_ms();
    pthread_create(&c->thread, NULL, prefetch_main, c);
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

/* Moves up to max cached messages of the next unpaused queue with any into out; the
 * queue's consume offset follows. Returns how many. Locks: mu. */
static size_t take_cached(rmq_lite_pull_consumer_t *c, rmq_message_ext_t **out, size_t max) {
    for (size_t k = 0; k < c->queue_count; k++) {
        size_t i = (c->rr + k) % c->queue_count;
        lite_queue_t *q = &c->queues[i];
        if (q->is_paused || q->cache.count == 0)
            continue;
        size_t n = q->cache.count;
        if (n > max)
            n = max;
        if (n > (size_t)c->pull_batch)
            n = (size_t)c->pull_batch;
        for (size_t j = 0; j < n; j++) {
            out[j] = q->cache.items[j];
            q->cached_bytes -= out[j]->msg.body_len;
        }
        memmove(q->cache.items, q->cache.items + n, (q->cache.count - n) * sizeof *out);
        q->cache.count -= n;
        c->cached_total -= n;
        int64_t consumed = q->cache.count > 0 ? q->cache.items[0]->queue_offset : q->next;
        client_offset_store_update(&c->offsets, &q->mq, consumed, false);
        c->rr = i + 1;
        pthread_cond_signal(&c->pull_cv); /* flow control may be over */
        return n;
    }
    return 0;
}

size_t rmq_lite_pull_consumer_poll(rmq_lite_pull_consumer_t *c, int timeout_ms,
                                   rmq_message_ext_t **msgs, size_t max) {
    if (!c || !msgs || max == 0 || !c->is_started)
        return 0;
    int64_t deadline = rmq_mono_ms() + (timeout_ms < 0 ? c->poll_timeout : timeout_ms);
    pthread_mutex_lock(&c->mu);
    bool commit = c->auto_commit && rmq_mono_ms() - c->last_commit_ms >= c->commit_interval_ms;
    if (commit)
        c->last_commit_ms = rmq_mono_ms();
    pthread_mutex_unlock(&c->mu);
    if (commit)
        client_offset_store_persist(&c->offsets);
    size_t got = 0;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        got = take_cached(c, msgs, max);
        int64_t left = deadline - rmq_mono_ms();
        if (got > 0 || left <= 0 || c->is_stopping)
            break;
        rmq_cond_wait_ms(&c->cache_cv, &c->mu, left);
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
        cache_clear(c, q);
        q->next = offset;
        q->is_pulling = false; /* a pull in flight is stale now */
        q->due_ms = 0;
        client_offset_store_update(&c->offsets, &q->mq, offset, false);
        pthread_cond_signal(&c->pull_cv);
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
    c->last_commit_ms = rmq_mono_ms();
    pthread_mutex_unlock(&c->mu);
    return client_offset_store_persist(&c->offsets);
}

static rmq_err_t set_paused(rmq_lite_pull_consumer_t *c, const rmq_message_queue_t *mq,
                            bool paused) {
    if (!c)
        return RMQ_ERR__INVALID_ARG;
    pthread_mutex_lock(&c->mu);
    lite_queue_t *q = queue_of(c, mq);
    if (q) {
        q->is_paused = paused;
        if (!paused) {
            pthread_cond_signal(&c->pull_cv);
            pthread_cond_broadcast(&c->cache_cv);
        }
    }
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
    c->is_stopping = true;
    pthread_cond_broadcast(&c->pull_cv);
    pthread_cond_broadcast(&c->cache_cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    if (c->auto_commit)
        client_offset_store_persist(&c->offsets);
    client_instance_set_heartbeat_hook(c->ci, NULL, NULL);
    const char **topics = rmq_calloc(c->sub_count + 1, sizeof(char *));
    for (size_t i = 0; i < c->sub_count; i++)
        topics[i] = c->subs[i].topic;
    client_consumer_unregister(c->ci, c->group, topics, c->sub_count);
    rmq_free(topics);
    /* Pulls still held by brokers complete here with -ECANCELED (thrown away). */
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
    pthread_cond_destroy(&c->pull_cv);
    pthread_cond_destroy(&c->cache_cv);
    pthread_mutex_destroy(&c->mu);
    rmq_free(c->group);
    rmq_free(c->from_where);
    rmq_conf_destroy(c->conf);
    rmq_free(c);
}
