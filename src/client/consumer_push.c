/*
 * The push consumer (Java's DefaultMQPushConsumerImpl, RebalancePushImpl and
 * PullMessageService): life cycle, rebalance and the pull loop. Requests from brokers are
 * in consumer_push_requests.c, consumption in consumer_push_consume.c.
 *
 * Threads:
 *   timer    rebalance every 20 s and when a broker says the group changed (or sooner
 *            while a subscribed topic has no route yet), offsets persisted every
 *            persistConsumerOffsetInterval, orderly locks renewed every 20 s, offset
 *            resets asked by a broker, messages consumed past consumeTimeout sent back
 *            every consumeTimeout (consumer_push_flow.c)
 *   pull     takes due pulls off the schedule, postpones those of queues over a flow
 *            control limit by 50 ms, and sends the others asynchronously
 *            (long polling: the broker holds a pull up to 15 s); the completion, on the
 *            I/O thread, hands messages to the consume side and schedules the next pull
 *   consume  consumeThreadMin threads (consumer_push_consume.c)
 * A process queue (pq_t) is reference counted: the table, a pull in flight and every
 * task hold one, so a queue dropped by a rebalance lives until its last user lets go.
 */
#include "client/consumer_push.h"

#include "common/cond.h"
#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "protocol/admin_body.h"
#include "protocol/codes.h"
#include "protocol/message.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REBALANCE_INTERVAL_MS 20000
#define REBALANCE_RETRY_MS    1000
#define REBALANCE_EAGER_MS    60000 /* retry soon only this long after start */
#define LOCK_INTERVAL_MS      20000
#define BROKER_SUSPEND_MS     15000
#define PULL_TIMEOUT_MS       30000
#define FLOW_CONTROL_DELAY_MS 50

/* ------------------------------------------------------------------ process queues */

void push_pq_retain(pq_t *pq) {
    pq->refs++;
}

void push_pq_release(pq_t *pq) {
    if (--pq->refs > 0)
        return;
    push_pq_clear(pq);
    rmq_free(pq->inflight);
    rmq_free(pq->mq.topic);
    rmq_free(pq->mq.broker_name);
    rmq_free(pq->key);
    rmq_free(pq);
}

void push_schedule_pull(rmq_push_consumer_t *c, pq_t *pq, int64_t due_ms) {
    if (pq->is_dropped || pq->is_pull_scheduled || c->is_stopping)
        return;
    pq->is_pull_scheduled = true;
    push_pq_retain(pq);
    pull_entry_t *e = RMQ_NEW(pull_entry_t);
    e->pq = pq;
    e->due_ms = due_ms;
    /* Sorted by due time; most are due now and go to the end of the now-due run. */
    pull_entry_t **at = &c->pulls;
    while (*at && (*at)->due_ms <= due_ms)
        at = &(*at)->next;
    e->next = *at;
    *at = e;
    pthread_cond_signal(&c->pull_cv);
}

/* ------------------------------------------------------------------ pulls */

typedef struct {
    rmq_push_consumer_t *c;
    pq_t *pq;
} pull_ctx_t;

/* Runs on: the I/O thread. Locks: takes mu (after decoding, which needs none). */
static void on_pull_done(void *arg, int status, remoting_cmd_t *resp) {
    pull_ctx_t *ctx = arg;
    rmq_push_consumer_t *c = ctx->c;
    pq_t *pq = ctx->pq;
    rmq_free(ctx);
    client_pull_result_t r = {.status = CLIENT_PULL_ERROR};
    if (status == 0) {
        client_pull_result_decode(resp, &pq->mq, pq->sub, &r);
        /* Before the messages are shared with the consume side: from here on they only
         * change under mu (reconsume times) or not at all. */
        for (size_t i = 0; i < r.msgs.count; i++)
            client_msg_ext_reset_retry_topic(r.msgs.items[i], c->group);
    } else
        rmq_log_debug("consumer", "pull %s failed: %s", pq->key, strerror(-status));
    if (status == 0 && r.status == CLIENT_PULL_ERROR)
        rmq_log_warn("consumer", "pull %s answered code=%d %s", pq->key, (int)resp->code,
                     remoting_cmd_remark(resp) ? remoting_cmd_remark(resp) : "");
    remoting_cmd_destroy(resp);

    pthread_mutex_lock(&c->mu);
    int64_t now = rmq_mono_ms();
    int64_t next = now + c->pull_interval;
    switch (r.status) {
    case CLIENT_PULL_FOUND:
        pq->next_offset = r.next_begin_offset;
        if (!pq->is_dropped && r.msgs.count > 0)
            push_consume_submit(c, pq, &r.msgs);
        break;
    case CLIENT_PULL_NO_NEW_MSG:
    case CLIENT_PULL_NO_MATCHED_MSG:
        pq->next_offset = r.next_begin_offset;
        break;
    case CLIENT_PULL_OFFSET_ILLEGAL:
        rmq_log_warn("consumer", "pull %s: offset %lld illegal, moving to %lld", pq->key,
                     (long long)pq->next_offset, (long long)r.next_begin_offset);
        pq->next_offset = r.next_begin_offset;
        if (!pq->is_dropped)
            client_offset_store_update(&c->offsets, &pq->mq, r.next_begin_offset, false);
        break;
    default:
        next = now + c->pull_delay_on_error_ms;
        break;
    }
    pq->is_pull_scheduled = false;
    push_schedule_pull(c, pq, next);
    push_pq_release(pq);
    pthread_mutex_unlock(&c->mu);
    client_pull_result_close(&r);
}

/* Sends one pull. Runs on: the pull thread. Locks: none held. */
static void send_pull(rmq_push_consumer_t *c, pq_t *pq, int64_t offset, int64_t commit_offset) {
    char addr[128];
    int rc = -ENOENT;
    if (client_broker_master(c->ci, pq->mq.topic, pq->mq.broker_name, addr, sizeof addr)) {
        remoting_cmd_t *req = client_pull_request(c->group, &pq->mq, offset, c->pull_batch,
                                                  commit_offset, true, pq->sub, BROKER_SUSPEND_MS);
        pull_ctx_t *ctx = RMQ_NEW(pull_ctx_t);
        ctx->c = c;
        ctx->pq = pq;
        rc = remoting_client_invoke_async(client_instance_remoting(c->ci), addr, req,
                                          PULL_TIMEOUT_MS, on_pull_done, ctx);
        remoting_cmd_destroy(req);
        if (rc != 0)
            rmq_free(ctx);
    }
    if (rc != 0) {
        pthread_mutex_lock(&c->mu);
        pq->is_pull_scheduled = false;
        push_schedule_pull(c, pq, rmq_mono_ms() + c->pull_delay_on_error_ms);
        push_pq_release(pq);
        pthread_mutex_unlock(&c->mu);
    }
}

static void *pull_main(void *arg) {
    rmq_push_consumer_t *c = arg;
    pthread_mutex_lock(&c->mu);
    while (!c->is_stopping) {
        int64_t now = rmq_mono_ms();
        pull_entry_t *e = c->pulls;
        if (!e || e->due_ms > now) {
            rmq_cond_wait_ms(&c->pull_cv, &c->mu, e ? e->due_ms - now : 1000);
            continue;
        }
        c->pulls = e->next;
        pq_t *pq = e->pq;
        rmq_free(e);
        if (pq->is_dropped) {
            pq->is_pull_scheduled = false;
            push_pq_release(pq);
            continue;
        }
        push_flow_t flow = push_flow_check(c, pq);
        if (flow != PUSH_FLOW_OK && c->flow_control_times++ % 1000 == 0)
            rmq_log_warn("consumer",
                         "group=%s %s: flow control (%s), cached=%zu size=%zu MiB span=%lld, "
                         "pulls postponed %llu times",
                         c->group, pq->key,
                         flow == PUSH_FLOW_COUNT  ? "pullThresholdForQueue"
                         : flow == PUSH_FLOW_SIZE ? "pullThresholdSizeForQueue"
                                                  : "consumeConcurrentlyMaxSpan",
                         push_pq_cached(pq), pq->cached_bytes / (1024 * 1024),
                         (long long)push_pq_max_span(pq),
                         (unsigned long long)c->flow_control_times);
        if (flow != PUSH_FLOW_OK || (c->is_orderly && !c->is_broadcast && !pq->is_locked)) {
            /* Flow control, or an orderly queue not locked yet: look again shortly. */
            pq->is_pull_scheduled = false;
            push_schedule_pull(c, pq, now + FLOW_CONTROL_DELAY_MS);
            push_pq_release(pq);
            continue;
        }
        int64_t offset = pq->next_offset;
        pq->last_pull_ms = now;
        pthread_mutex_unlock(&c->mu);
        int64_t commit = -1;
        if (!c->is_broadcast) {
            rmq_err_t err;
            commit = client_offset_store_read(&c->offsets, &pq->mq, false, &err);
        }
        send_pull(c, pq, offset, commit); /* keeps the entry's reference */
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* ------------------------------------------------------------------ rebalance */

/* Drops pq from the table: no more pulls or consumption; offset persisted. Locks: mu
 * held on entry and exit; released around the network calls. */
static void drop_pq(rmq_push_consumer_t *c, pq_t *pq, client_cmqs_t *unlock) {
    pq->is_dropped = true;
    rmq_map_del(&c->pqs, pq->key);
    client_cmq_t mq = pq->mq;
    char *topic = rmq_strdup(mq.topic), *broker = rmq_strdup(mq.broker_name);
    mq.topic = topic;
    mq.broker_name = broker;
    if (c->is_orderly && !c->is_broadcast && unlock)
        client_cmqs_add(unlock, topic, broker, mq.queue_id);
    push_pq_release(pq);
    pthread_mutex_unlock(&c->mu);
    client_offset_store_remove(&c->offsets, &mq);
    pthread_mutex_lock(&c->mu);
    rmq_free(topic);
    rmq_free(broker);
}

/* Starts consuming mq: its start offset, then a process queue and a pull. Locks: none. */
static bool add_queue(rmq_push_consumer_t *c, const client_cmq_t *mq,
                      const proto_subscription_t *sub) {
    if (c->is_orderly && !c->is_broadcast) {
        client_cmqs_t one = {0};
        client_cmqs_add(&one, mq->topic, mq->broker_name, mq->queue_id);
        bool ok = push_lock_mqs(c, &one, NULL);
        client_cmqs_close(&one);
        if (!ok) {
            rmq_log_info("consumer", "group=%s cannot lock %s/%s/%d yet", c->group, mq->topic,
                         mq->broker_name, (int)mq->queue_id);
            return false;
        }
    }
    int64_t offset;
    rmq_err_t err =
        client_compute_pull_from(&c->offsets, mq, c->from_where, c->consume_ts_ms, &offset);
    if (err) {
        rmq_log_warn("consumer", "group=%s no start offset for %s/%s/%d: %s", c->group, mq->topic,
                     mq->broker_name, (int)mq->queue_id, rmq_err_name(err));
        return false;
    }
    pq_t *pq = RMQ_NEW(pq_t);
    pq->mq = (client_cmq_t){rmq_strdup(mq->topic), rmq_strdup(mq->broker_name), mq->queue_id};
    pq->key = client_cmq_key(mq->topic, mq->broker_name, mq->queue_id);
    pq->sub = sub;
    pq->refs = 1;
    pq->next_offset = offset;
    pq->max_offset = offset - 1;
    pq->is_locked = c->is_orderly && !c->is_broadcast;
    pq->last_lock_ms = rmq_mono_ms();
    rmq_log_info("consumer", "group=%s client=%s takes %s from offset %lld", c->group,
                 client_instance_id(c->ci), pq->key, (long long)offset);
    pthread_mutex_lock(&c->mu);
    if (c->is_stopping || rmq_map_has(&c->pqs, pq->key)) {
        push_pq_release(pq);
        pthread_mutex_unlock(&c->mu);
        return false;
    }
    rmq_map_put(&c->pqs, pq->key, pq);
    push_schedule_pull(c, pq, rmq_mono_ms());
    pthread_mutex_unlock(&c->mu);
    return true;
}

/* Java's rebalanceByTopic + updateProcessQueueTableInRebalance for one subscription.
 * Returns -1 when the topic could not be balanced (no route or no ids yet), else whether
 * the queue set changed. Runs on: the timer thread. */
static int rebalance_topic(rmq_push_consumer_t *c, const proto_subscription_t *sub) {
    client_cmqs_t all = {0};
    char e[256];
    rmq_err_t err = client_topic_mqs(c->ci, sub->topic, &all, e, sizeof e);
    if (err || all.count == 0) {
        rmq_log_info("consumer", "group=%s topic=%s has no route yet: %s", c->group, sub->topic,
                     rmq_err_name(err));
        client_cmqs_close(&all);
        return -1;
    }
    size_t start = 0, count = all.count;
    if (!c->is_broadcast) {
        proto_strs_t ids = {0};
        err = client_consumer_ids(c->ci, c->group, sub->topic, &ids, e, sizeof e);
        if (err || ids.count == 0) {
            rmq_log_info("consumer", "group=%s topic=%s: no consumer ids yet: %s (%s)", c->group,
                         sub->topic, rmq_err_name(err), e);
            proto_strs_close(&ids);
            client_cmqs_close(&all);
            return -1;
        }
        client_allocate_averagely(client_instance_id(c->ci), (const char *const *)ids.items,
                                  ids.count, all.count, &start, &count);
        proto_strs_close(&ids);
    }
    bool changed = false;
    /* Queues of this topic no longer ours. */
    client_cmqs_t unlock = {0};
    pthread_mutex_lock(&c->mu);
    const char **keys = rmq_map_keys_sorted(&c->pqs);
    size_t nkeys = rmq_map_count(&c->pqs);
    for (size_t i = 0; i < nkeys; i++) {
        pq_t *pq = rmq_map_get(&c->pqs, keys[i]);
        if (!pq || strcmp(pq->mq.topic, sub->topic) != 0)
            continue;
        bool keep = false;
        for (size_t j = start; j < start + count && !keep; j++)
            keep = client_cmq_cmp(&all.items[j], &pq->mq) == 0;
        if (!keep) {
            rmq_log_info("consumer", "group=%s client=%s drops %s", c->group,
                         client_instance_id(c->ci), pq->key);
            drop_pq(c, pq, &unlock);
            changed = true;
        }
    }
    rmq_free(keys);
    pthread_mutex_unlock(&c->mu);
    if (unlock.count > 0)
        push_unlock_mqs(c, &unlock);
    client_cmqs_close(&unlock);
    /* New ones. The topic-wide thresholds are shared among the queues they make before
     * their first pulls (Java divides them after, letting the first pulls run on the
     * old share); rebalance() settles them once every topic is done. */
    bool *have = rmq_calloc(count + 1, sizeof *have);
    size_t to_add = 0;
    pthread_mutex_lock(&c->mu);
    for (size_t j = start; j < start + count; j++) {
        char *key =
            client_cmq_key(all.items[j].topic, all.items[j].broker_name, all.items[j].queue_id);
        have[j - start] = rmq_map_has(&c->pqs, key);
        to_add += !have[j - start];
        rmq_free(key);
    }
    if (to_add > 0)
        push_flow_adjust(c, rmq_map_count(&c->pqs) + to_add);
    pthread_mutex_unlock(&c->mu);
    for (size_t j = start; j < start + count; j++)
        if (!have[j - start] && add_queue(c, &all.items[j], sub))
            changed = true;
    rmq_free(have);
    client_cmqs_close(&all);
    return changed;
}

/* Returns false when some topic could not be balanced. */
static bool rebalance(rmq_push_consumer_t *c) {
    bool ok = true, changed = false;
    for (size_t i = 0; i < c->sub_count; i++) {
        int rc = rebalance_topic(c, &c->subs[i]);
        if (rc < 0)
            ok = false;
        else if (rc > 0)
            changed = true;
    }
    if (changed) {
        pthread_mutex_lock(&c->mu);
        push_flow_adjust(c, rmq_map_count(&c->pqs));
        pthread_mutex_unlock(&c->mu);
    }
    /* A topic whose route just appeared names brokers that have not had our heartbeat
     * yet (the group is unknown there until then): send one now, not in 30 s. */
    if (changed || !ok)
        client_instance_heartbeat(c->ci);
    return ok;
}

/* Applies a RESET_CONSUMER_CLIENT_OFFSET (Java's resetOffset): the topic's queues are
 * dropped, the new offsets stored and persisted, and the next rebalance takes them back
 * from there. Runs on: the timer thread. */
static void apply_reset(rmq_push_consumer_t *c, char *topic, proto_reset_offset_t *ro) {
    pthread_mutex_lock(&c->mu);
    const char **keys = rmq_map_keys_sorted(&c->pqs);
    size_t nkeys = rmq_map_count(&c->pqs);
    for (size_t i = 0; i < nkeys; i++) {
        pq_t *pq = rmq_map_get(&c->pqs, keys[i]);
        if (pq && strcmp(pq->mq.topic, topic) == 0) {
            pq->is_dropped = true;
            rmq_map_del(&c->pqs, pq->key);
            push_pq_release(pq);
        }
    }
    rmq_free(keys);
    pthread_mutex_unlock(&c->mu);
    for (size_t i = 0; i < ro->count; i++) {
        client_cmq_t mq = {ro->items[i].mq.topic, ro->items[i].mq.brokerName,
                           ro->items[i].mq.queueId};
        client_offset_store_update(&c->offsets, &mq, ro->items[i].offset, false);
    }
    client_offset_store_persist(&c->offsets);
    rmq_log_info("consumer", "group=%s reset %zu offsets of %s", c->group, ro->count, topic);
    proto_reset_offset_close(ro);
    rmq_free(ro);
    rmq_free(topic);
}

static void *timer_main(void *arg) {
    rmq_push_consumer_t *c = arg;
    int64_t now = rmq_mono_ms();
    int64_t started = now;
    int64_t next_rebalance = now, next_persist = now + c->persist_interval_ms,
            next_lock = now + LOCK_INTERVAL_MS, next_expire = now + c->consume_timeout_ms;
    pthread_mutex_lock(&c->mu);
    while (!c->is_stopping) {
        now = rmq_mono_ms();
        if (c->pending_reset) {
            proto_reset_offset_t *ro = c->pending_reset;
            char *topic = c->pending_reset_topic;
            c->pending_reset = NULL;
            c->pending_reset_topic = NULL;
            pthread_mutex_unlock(&c->mu);
            apply_reset(c, topic, ro);
            pthread_mutex_lock(&c->mu);
            c->want_rebalance = true;
            continue;
        }
        if (c->want_rebalance || now >= next_rebalance) {
            c->want_rebalance = false;
            pthread_mutex_unlock(&c->mu);
            bool ok = rebalance(c);
            pthread_mutex_lock(&c->mu);
            /* A topic without a route yet (just created, or the retry topic the broker
             * creates on our first heartbeat) is looked at again soon after start;
             * later every 20 s as Java does. */
            bool eager = !ok && rmq_mono_ms() - started < REBALANCE_EAGER_MS;
            next_rebalance = rmq_mono_ms() + (eager ? REBALANCE_RETRY_MS : REBALANCE_INTERVAL_MS);
            continue;
        }
        if (now >= next_persist) {
            pthread_mutex_unlock(&c->mu);
            client_offset_store_persist(&c->offsets);
            pthread_mutex_lock(&c->mu);
            next_persist = rmq_mono_ms() + c->persist_interval_ms;
            continue;
        }
        if (now >= next_lock) {
            pthread_mutex_unlock(&c->mu);
            if (c->is_orderly && !c->is_broadcast)
                push_lock_all(c);
            pthread_mutex_lock(&c->mu);
            next_lock = rmq_mono_ms() + LOCK_INTERVAL_MS;
            continue;
        }
        if (now >= next_expire) {
            pthread_mutex_unlock(&c->mu);
            push_clean_expired(c);
            pthread_mutex_lock(&c->mu);
            next_expire = rmq_mono_ms() + c->consume_timeout_ms;
            continue;
        }
        int64_t due = next_rebalance;
        if (next_persist < due)
            due = next_persist;
        if (next_lock < due)
            due = next_lock;
        if (next_expire < due)
            due = next_expire;
        rmq_cond_wait_ms(&c->timer_cv, &c->mu, due - now);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Runs on: the instance's timer thread. */
static void on_heartbeat(void *ctx, proto_heartbeat_t *hb) {
    rmq_push_consumer_t *c = ctx;
    hb->consumers = rmq_realloc(hb->consumers, (hb->consumer_count + 1) * sizeof *hb->consumers);
    client_consumer_data_fill(&hb->consumers[hb->consumer_count++], c->group, "CONSUME_PASSIVELY",
                              c->model, c->from_where, c->subs, c->sub_count);
}

/* ------------------------------------------------------------------ life cycle */

/* yyyyMMddHHmmss (local time, as Java's UtilAll.parseDate) to ms; default 30 min ago. */
static int64_t parse_consume_ts(const char *s) {
    struct tm tm = {0};
    if (s && strlen(s) == 14 &&
        sscanf(s, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) == 6) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        tm.tm_isdst = -1;
        return (int64_t)mktime(&tm) * 1000;
    }
    return rmq_now_ms() - 30 * 60 * 1000;
}

/* DefaultMQPushConsumerImpl.checkConfig for what the conf table's ranges leave open. */
static bool check_conf(const rmq_conf_t *conf, char *errstr, size_t errlen) {
    int64_t min = client_conf_int(conf, "consumeThreadMin"),
            max = client_conf_int(conf, "consumeThreadMax");
    if (min > max) {
        client_errstr(errstr, errlen,
                      "consumeThreadMin (%lld) is larger than consumeThreadMax (%lld)",
                      (long long)min, (long long)max);
        return false;
    }
    if (client_conf_int(conf, "pullThresholdForTopic") == 0 ||
        client_conf_int(conf, "pullThresholdSizeForTopic") == 0) {
        client_errstr(errstr, errlen,
                      "pullThresholdForTopic and pullThresholdSizeForTopic are -1 or positive");
        return false;
    }
    return true;
}

rmq_push_consumer_t *rmq_push_consumer_new(const rmq_conf_t *conf, char *errstr, size_t errlen) {
    if (conf && !check_conf(conf, errstr, errlen))
        return NULL;
    const char *group;
    client_instance_t *ci = client_consumer_instance(conf, &group, errstr, errlen);
    if (!ci)
        return NULL;
    rmq_push_consumer_t *c = RMQ_NEW(rmq_push_consumer_t);
    c->conf = rmq_conf_dup(conf);
    c->ci = ci;
    c->group = rmq_strdup(group);
    c->model = rmq_strdup(rmq_conf_get(conf, "messageModel"));
    c->from_where = rmq_strdup(rmq_conf_get(conf, "consumeFromWhere"));
    c->is_broadcast = strcmp(c->model, "BROADCASTING") == 0;
    c->consume_ts_ms = parse_consume_ts(rmq_conf_get(conf, "consumeTimestamp"));
    c->threads = (int)client_conf_int(conf, "consumeThreadMin");
    c->pull_batch = (int)client_conf_int(conf, "pullBatchSize");
    c->batch_max = (int)client_conf_int(conf, "consumeMessageBatchMaxSize");
    c->threshold = (int)client_conf_int(conf, "pullThresholdForQueue");
    c->threshold_mib = (int)client_conf_int(conf, "pullThresholdSizeForQueue");
    c->threshold_topic = (int)client_conf_int(conf, "pullThresholdForTopic");
    c->threshold_size_topic = (int)client_conf_int(conf, "pullThresholdSizeForTopic");
    c->max_span = (int)client_conf_int(conf, "consumeConcurrentlyMaxSpan");
    c->consume_timeout_ms = client_conf_int(conf, "consumeTimeout") * 60 * 1000;
    c->max_reconsume = (int)client_conf_int(conf, "maxReconsumeTimes");
    c->suspend_ms = (int)client_conf_int(conf, "suspendCurrentQueueTimeMillis");
    c->pull_interval = (int)client_conf_int(conf, "pullInterval");
    c->persist_interval_ms = client_conf_int(conf, "persistConsumerOffsetInterval");
    c->pull_delay_on_error_ms = client_conf_int(conf, "pullTimeDelayMillsWhenException");
    pthread_mutex_init(&c->mu, NULL);
    rmq_cond_init_monotonic(&c->pull_cv);
    rmq_cond_init_monotonic(&c->task_cv);
    rmq_cond_init_monotonic(&c->timer_cv);
    rmq_map_init(&c->pqs);
    return c;
}

const char *rmq_push_consumer_client_id(const rmq_push_consumer_t *c) {
    return c ? client_instance_id(c->ci) : NULL;
}

static void add_sub(rmq_push_consumer_t *c, proto_subscription_t *s) {
    for (size_t i = 0; i < c->sub_count; i++)
        if (strcmp(c->subs[i].topic, s->topic) == 0) {
            proto_subscription_close(&c->subs[i]);
            c->subs[i] = *s;
            return;
        }
    c->subs = rmq_realloc(c->subs, (c->sub_count + 1) * sizeof *c->subs);
    c->subs[c->sub_count++] = *s;
}

rmq_err_t rmq_push_consumer_subscribe(rmq_push_consumer_t *c, const char *topic,
                                      const char *expression, char *errstr, size_t errlen) {
    if (!c || !topic || !*topic || c->is_started) {
        client_errstr(errstr, errlen, "a topic is needed, before start");
        return RMQ_ERR__INVALID_ARG;
    }
    proto_subscription_t s;
    if (proto_subscription_build(&s, topic, expression, "TAG") != 0) {
        proto_subscription_close(&s);
        client_errstr(errstr, errlen, "bad subscription expression");
        return RMQ_ERR__INVALID_ARG;
    }
    s.subVersion = rmq_now_ms();
    add_sub(c, &s);
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_push_consumer_set_listener_concurrently(rmq_push_consumer_t *c,
                                                      rmq_listener_concurrently_t cb,
                                                      void *opaque) {
    if (!c || !cb || c->is_started)
        return RMQ_ERR__INVALID_ARG;
    c->on_concurrently = cb;
    c->on_orderly = NULL;
    c->is_orderly = false;
    c->opaque = opaque;
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_push_consumer_set_listener_orderly(rmq_push_consumer_t *c, rmq_listener_orderly_t cb,
                                                 void *opaque) {
    if (!c || !cb || c->is_started)
        return RMQ_ERR__INVALID_ARG;
    c->on_orderly = cb;
    c->on_concurrently = NULL;
    c->is_orderly = true;
    c->opaque = opaque;
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_push_consumer_start(rmq_push_consumer_t *c, char *errstr, size_t errlen) {
    if (!c || c->is_started || c->sub_count == 0 || (!c->on_concurrently && !c->on_orderly)) {
        client_errstr(errstr, errlen, "subscribe and set a listener before start (once)");
        return RMQ_ERR__INVALID_ARG;
    }
    if (!c->is_broadcast) {
        char retry[512];
        snprintf(retry, sizeof retry, "%s%s", PROTO_RETRY_GROUP_TOPIC_PREFIX, c->group);
        proto_subscription_t s;
        proto_subscription_build(&s, retry, "*", "TAG");
        s.subVersion = rmq_now_ms();
        add_sub(c, &s);
    }
    char *path = NULL;
    if (c->is_broadcast)
        path = client_offset_store_local_path(rmq_conf_get(c->conf, "localOffsetStoreDir"),
                                              client_instance_id(c->ci), c->group);
    client_offset_store_init(&c->offsets, c->ci, c->group, path);
    rmq_free(path);
    client_instance_set_heartbeat_hook(c->ci, on_heartbeat, c);
    client_instance_set_request_hook(c->ci, push_on_request, c);
    rmq_err_t err = client_instance_start(c->ci, errstr, errlen);
    if (err) {
        client_offset_store_close(&c->offsets);
        return err;
    }
    c->start_ms = rmq_now_ms();
    /* Routes first (the heartbeat goes to the brokers they name), then the heartbeat. */
    for (size_t i = 0; i < c->sub_count; i++) {
        client_route_t *route = NULL;
        char e[256];
        if (client_instance_route(c->ci, c->subs[i].topic, NULL, 0, &route, e, sizeof e) == 0)
            client_route_release(route);
    }
    client_instance_heartbeat(c->ci);
    c->is_started = true;
    push_consume_start(c);
    pthread_create(&c->pull_thread, NULL, pull_main, c);
    pthread_create(&c->timer_thread, NULL, timer_main, c);
    return RMQ_ERR_NO_ERROR;
}

void rmq_push_consumer_shutdown(rmq_push_consumer_t *c) {
    if (!c || !c->is_started)
        return;
    pthread_mutex_lock(&c->mu);
    c->is_stopping = true;
    pthread_cond_broadcast(&c->timer_cv);
    pthread_cond_broadcast(&c->pull_cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->timer_thread, NULL);
    pthread_join(c->pull_thread, NULL);
    push_consume_stop(c); /* waits for running listener calls */
    /* Every queue dropped; offsets persisted; orderly locks released. */
    client_cmqs_t unlock = {0};
    pthread_mutex_lock(&c->mu);
    const char **keys = rmq_map_keys_sorted(&c->pqs);
    size_t n = rmq_map_count(&c->pqs);
    for (size_t i = 0; i < n; i++) {
        pq_t *pq = rmq_map_del(&c->pqs, keys[i]);
        pq->is_dropped = true;
        if (c->is_orderly && !c->is_broadcast)
            client_cmqs_add(&unlock, pq->mq.topic, pq->mq.broker_name, pq->mq.queue_id);
        push_pq_release(pq);
    }
    rmq_free(keys);
    while (c->pulls) {
        pull_entry_t *e = c->pulls;
        c->pulls = e->next;
        e->pq->is_pull_scheduled = false;
        push_pq_release(e->pq);
        rmq_free(e);
    }
    pthread_mutex_unlock(&c->mu);
    client_offset_store_persist(&c->offsets);
    if (unlock.count > 0)
        push_unlock_mqs(c, &unlock);
    client_cmqs_close(&unlock);
    const char **topics = rmq_calloc(c->sub_count + 1, sizeof(char *));
    for (size_t i = 0; i < c->sub_count; i++)
        topics[i] = c->subs[i].topic;
    client_instance_set_heartbeat_hook(c->ci, NULL, NULL);
    client_consumer_unregister(c->ci, c->group, topics, c->sub_count);
    rmq_free(topics);
    /* Pulls still held by brokers complete with -ECANCELED here, releasing their queues. */
    client_instance_stop(c->ci);
    c->is_started = false;
}

void rmq_push_consumer_destroy(rmq_push_consumer_t *c) {
    if (!c)
        return;
    bool was_started = c->is_started || c->is_stopping;
    rmq_push_consumer_shutdown(c);
    client_instance_destroy(c->ci);
    if (was_started)
        client_offset_store_close(&c->offsets);
    for (size_t i = 0; i < c->sub_count; i++)
        proto_subscription_close(&c->subs[i]);
    rmq_free(c->subs);
    if (c->pending_reset) {
        proto_reset_offset_close(c->pending_reset);
        rmq_free(c->pending_reset);
        rmq_free(c->pending_reset_topic);
    }
    rmq_map_close(&c->pqs);
    pthread_cond_destroy(&c->pull_cv);
    pthread_cond_destroy(&c->task_cv);
    pthread_cond_destroy(&c->timer_cv);
    pthread_mutex_destroy(&c->mu);
    rmq_free(c->group);
    rmq_free(c->model);
    rmq_free(c->from_where);
    rmq_conf_destroy(c->conf);
    rmq_free(c);
}
