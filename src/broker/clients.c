/*
 * Producer and consumer connections (ProducerManager, ConsumerManager,
 * ClientManageProcessor, spec remoting.md 5.3.5 to 5.3.8): HEART_BEAT registers each
 * group's channel (client id + connection) and a consumer group's subscriptions;
 * UNREGISTER_CLIENT and closed connections remove them; channels silent for 120 s are
 * dropped. When a consumer group's members or subscriptions change, every member gets
 * NOTIFY_CONSUMER_IDS_CHANGED (one-way) so it rebalances. GET_CONSUMER_LIST_BY_GROUP
 * answers the members.
 *
 * Runs on: I/O loops (processors, connection close), the management thread (scan).
 * Locks: clients.lock (rwlock); notifications are sent after it is released. Each
 * channel holds a reference on its connection.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/codes.h"
#include "protocol/offset_header.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    char *client_id;
    remoting_conn_t *conn;
    int64_t last_update;
    remoting_lang_t language; /* of the client's last HEART_BEAT */
    int32_t version;
} channel_t;

typedef struct {
    channel_t *items;
    size_t n, cap;
} channels_t;

typedef struct {
    char *consume_type, *message_model, *from_where;
    channels_t chans;
    proto_subscription_t *subs;
    size_t nsub;
    int32_t fingerprint;
} consumer_group_t;

struct broker_clients {
    pthread_rwlock_t lock;
    rmq_map_t consumers; /* group -> consumer_group_t* */
    rmq_map_t producers; /* group -> channels_t* */
};

/* Connections to notify, collected under the lock, used after it. */
typedef struct {
    remoting_conn_t **conns;
    size_t n, cap;
    char *group;
} notify_list_t;

/* ---- channels ---- */

/* Adds or refreshes; true when the channel is new. */
static bool chan_upsert(broker_t *b, channels_t *cs, const char *client_id, remoting_conn_t *conn,
                        const remoting_cmd_t *req, int64_t now) {
    for (size_t i = 0; i < cs->n; i++) {
        channel_t *c = &cs->items[i];
        if (strcmp(c->client_id, client_id) != 0)
            continue;
        c->language = req->language;
        c->version = req->version;
        if (c->conn != conn) {
            b->conn_ops->retain(conn);
            b->conn_ops->release(c->conn);
            c->conn = conn;
        }
        c->last_update = now;
        return false;
    }
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 4;
        cs->items = rmq_realloc(cs->items, cs->cap * sizeof *cs->items);
    }
    b->conn_ops->retain(conn);
    cs->items[cs->n++] = (channel_t){rmq_strdup(client_id), conn, now, req->language, req->version};
    return true;
}

static void chan_remove_at(broker_t *b, channels_t *cs, size_t i) {
    rmq_free(cs->items[i].client_id);
    b->conn_ops->release(cs->items[i].conn);
    cs->items[i] = cs->items[--cs->n];
}

/* Removes channels matching conn (conn != NULL), client id (id != NULL) or older than
 * `before` (before > 0). Returns how many. */
static size_t chan_remove(broker_t *b, channels_t *cs, remoting_conn_t *conn, const char *id,
                          int64_t before, bool close_conn) {
    size_t removed = 0;
    for (size_t i = 0; i < cs->n;) {
        channel_t *c = &cs->items[i];
        bool match = (conn && c->conn == conn) || (id && strcmp(c->client_id, id) == 0) ||
                     (before > 0 && c->last_update < before);
        if (!match) {
            i++;
            continue;
        }
        if (close_conn) {
            rmq_log_warn("broker", "channel expired, remove it: client=%s peer=%s", c->client_id,
                         b->conn_ops->peer(c->conn));
            b->conn_ops->close(c->conn);
        }
        chan_remove_at(b, cs, i);
        removed++;
    }
    return removed;
}

static void chans_close(broker_t *b, channels_t *cs) {
    while (cs->n)
        chan_remove_at(b, cs, cs->n - 1);
    rmq_free(cs->items);
}

/* ---- groups ---- */

static void group_destroy(broker_t *b, consumer_group_t *g) {
    chans_close(b, &g->chans);
    for (size_t i = 0; i < g->nsub; i++)
        proto_subscription_close(&g->subs[i]);
    rmq_free(g->subs);
    rmq_free(g->consume_type);
    rmq_free(g->message_model);
    rmq_free(g->from_where);
    rmq_free(g);
}

static void set_str(char **dst, const char *src) {
    if (*dst && src && strcmp(*dst, src) == 0)
        return;
    rmq_free(*dst);
    *dst = src ? rmq_strdup(src) : NULL;
}

static bool has_topic(const proto_subscription_t *subs, size_t n, const char *topic) {
    for (size_t i = 0; i < n; i++)
        if (subs[i].topic && strcmp(subs[i].topic, topic) == 0)
            return true;
    return false;
}

/* Replaces the subscriptions with the heartbeat's (newer versions win). True if any
 * topic was added, removed or changed; *topics_changed only if a topic was added or
 * removed. Only that is a membership change to notify (as upstream's
 * ConsumerGroupInfo.updateSubscription): a Java consumer bumps its subVersion after every
 * rebalance that changed its queues and heartbeats at once, so notifying on a newer
 * version would make every member of the group rebalance again after each change. */
static bool update_subs(consumer_group_t *g, const proto_consumer_data_t *cd,
                        bool *topics_changed) {
    bool changed = false;
    *topics_changed = false;
    proto_subscription_t *subs = rmq_calloc(cd->sub_count ? cd->sub_count : 1, sizeof *subs);
    size_t n = 0;
    for (size_t i = 0; i < cd->sub_count; i++) {
        const proto_subscription_t *in = &cd->subs[i];
        proto_subscription_t *old = NULL;
        for (size_t j = 0; j < g->nsub; j++)
            if (g->subs[j].topic && strcmp(g->subs[j].topic, in->topic) == 0)
                old = &g->subs[j];
        if (old && old->subVersion >= in->subVersion) {
            subs[n++] = *old;
            memset(old, 0, sizeof *old);
            continue;
        }
        proto_subscription_copy(&subs[n++], in);
        changed = true;
        if (!old)
            *topics_changed = true;
    }
    for (size_t j = 0; j < g->nsub; j++) {
        if (g->subs[j].topic) {
            changed = true; /* dropped, or replaced by a newer one */
            if (!has_topic(subs, n, g->subs[j].topic))
                *topics_changed = true;
        }
        proto_subscription_close(&g->subs[j]);
    }
    rmq_free(g->subs);
    g->subs = subs;
    g->nsub = n;
    return changed;
}

/* Collects a group's connections to tell them its membership changed. BROADCASTING
 * groups are never told: every member consumes every queue (as upstream). */
static void collect(broker_t *b, const consumer_group_t *g, const char *group, notify_list_t *nl) {
    if (g->message_model && strcmp(g->message_model, "BROADCASTING") == 0)
        return;
    nl->group = rmq_strdup(group);
    nl->conns = rmq_calloc(g->chans.n ? g->chans.n : 1, sizeof *nl->conns);
    for (size_t i = 0; i < g->chans.n; i++) {
        b->conn_ops->retain(g->chans.items[i].conn);
        nl->conns[nl->n++] = g->chans.items[i].conn;
    }
}

/* Sends NOTIFY_CONSUMER_IDS_CHANGED to each collected connection and frees the list. */
static void notify(broker_t *b, notify_list_t *nl) {
    if (!nl->group)
        return;
    broker_group_info_t gi = {.notify_consumer_ids_changed_enable = true};
    broker_groups_get(b, nl->group, false, &gi);
    bool enabled = b->cfg.notifyConsumerIdsChangedEnable && gi.notify_consumer_ids_changed_enable;
    for (size_t i = 0; i < nl->n; i++) {
        if (enabled) {
            remoting_cmd_t req;
            remoting_cmd_init(&req);
            remoting_cmd_set_request(&req, PROTO_NOTIFY_CONSUMER_IDS_CHANGED);
            proto_consumer_group_header_t h = {.consumerGroup = nl->group};
            proto_consumer_group_header_encode(&h, &req);
            b->conn_ops->oneway(nl->conns[i], &req);
            remoting_cmd_close(&req);
        }
        b->conn_ops->release(nl->conns[i]);
    }
    rmq_free(nl->conns);
    rmq_free(nl->group);
    memset(nl, 0, sizeof *nl);
}

/* ---- manager ---- */

broker_clients_t *broker_clients_new(void) {
    broker_clients_t *c = RMQ_NEW(broker_clients_t);
    pthread_rwlock_init(&c->lock, NULL);
    rmq_map_init(&c->consumers);
    rmq_map_init(&c->producers);
    return c;
}

static void clear_all(broker_t *b, broker_clients_t *c) {
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&c->consumers, &i, &e);)
        group_destroy(b, e->value);
    for (size_t i = 0; rmq_map_next(&c->producers, &i, &e);) {
        chans_close(b, e->value);
        rmq_free(e->value);
    }
    rmq_map_close(&c->consumers);
    rmq_map_close(&c->producers);
    rmq_map_init(&c->consumers);
    rmq_map_init(&c->producers);
}

void broker_clients_destroy(broker_clients_t *c) {
    if (!c)
        return;
    /* Channels hold connection references; the connection ops are only needed to drop
     * them, and the broker is gone by now, so use a zeroed broker with the ops. */
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&c->consumers, &i, &e);)
        if (((consumer_group_t *)e->value)->chans.n)
            rmq_log_debug("broker", "consumer group %s still connected at exit", e->key);
    rmq_map_close(&c->consumers);
    rmq_map_close(&c->producers);
    pthread_rwlock_destroy(&c->lock);
    rmq_free(c);
}

void broker_clients_clear(broker_t *b) {
    pthread_rwlock_wrlock(&b->clients->lock);
    clear_all(b, b->clients);
    pthread_rwlock_unlock(&b->clients->lock);
}

/* Removes matching channels from every group; notifies the consumer groups that lost
 * members. */
static size_t remove_everywhere(broker_t *b, remoting_conn_t *conn, int64_t before,
                                bool close_conn) {
    broker_clients_t *c = b->clients;
    notify_list_t *nls = NULL;
    size_t nn = 0, removed = 0;
    pthread_rwlock_wrlock(&c->lock);
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&c->producers, &i, &e);)
        removed += chan_remove(b, e->value, conn, NULL, before, close_conn);
    nls = rmq_calloc(rmq_map_count(&c->consumers) + 1, sizeof *nls);
    const char **dead = rmq_calloc(rmq_map_count(&c->consumers) + 1, sizeof *dead);
    size_t ndead = 0;
    for (size_t i = 0; rmq_map_next(&c->consumers, &i, &e);) {
        consumer_group_t *g = e->value;
        size_t r = chan_remove(b, &g->chans, conn, NULL, before, close_conn);
        removed += r;
        if (!r)
            continue;
        if (g->chans.n)
            collect(b, g, e->key, &nls[nn++]);
        else
            dead[ndead++] = e->key;
    }
    for (size_t i = 0; i < ndead; i++) {
        rmq_log_info("broker",
                     "unregister consumer ok, no any connection, and remove consumer "
                     "group, %s",
                     dead[i]);
        group_destroy(b, rmq_map_del(&c->consumers, dead[i]));
    }
    rmq_free(dead);
    pthread_rwlock_unlock(&c->lock);
    for (size_t i = 0; i < nn; i++)
        notify(b, &nls[i]);
    rmq_free(nls);
    return removed;
}

void broker_clients_conn_closed(broker_t *b, remoting_conn_t *conn) {
    remove_everywhere(b, conn, 0, false);
}

int broker_clients_scan(broker_t *b) {
    return (int)remove_everywhere(b, NULL, broker_now(b) - BROKER_CHANNEL_EXPIRED_MS, true);
}

int broker_clients_subscription(broker_t *b, const char *group, const char *topic, int64_t *codes,
                                size_t cap, size_t *n, int64_t *sub_version) {
    broker_clients_t *c = b->clients;
    int rc = -ESRCH;
    pthread_rwlock_rdlock(&c->lock);
    const consumer_group_t *g = rmq_map_get(&c->consumers, group);
    if (!g) {
        rc = -ENOENT;
        goto out;
    }
    for (size_t i = 0; i < g->nsub; i++) {
        const proto_subscription_t *s = &g->subs[i];
        if (strcmp(s->topic, topic) != 0)
            continue;
        *n = s->code_count;
        if (s->code_count)
            memcpy(codes, s->codes, (s->code_count < cap ? s->code_count : cap) * sizeof *codes);
        *sub_version = s->subVersion;
        rc = 0;
        break;
    }
out:
    pthread_rwlock_unlock(&c->lock);
    return rc;
}

/* ---- copies for the admin requests ---- */

static void copy_chans(broker_t *b, const channels_t *cs, broker_client_group_t *out) {
    out->conns = rmq_calloc(cs->n ? cs->n : 1, sizeof *out->conns);
    for (size_t i = 0; i < cs->n; i++) {
        const channel_t *c = &cs->items[i];
        broker_client_conn_t *o = &out->conns[out->nconn++];
        o->client_id = rmq_strdup(c->client_id);
        snprintf(o->addr, sizeof o->addr, "%s", b->conn_ops->peer(c->conn));
        o->language = c->language;
        o->version = c->version;
        o->last_update = c->last_update;
        b->conn_ops->retain(c->conn);
        o->conn = c->conn;
    }
}

int broker_clients_consumer_copy(broker_t *b, const char *group, broker_client_group_t *out) {
    memset(out, 0, sizeof *out);
    broker_clients_t *c = b->clients;
    pthread_rwlock_rdlock(&c->lock);
    const consumer_group_t *g = rmq_map_get(&c->consumers, group);
    if (g) {
        copy_chans(b, &g->chans, out);
        out->consume_type = g->consume_type ? rmq_strdup(g->consume_type) : NULL;
        out->message_model = g->message_model ? rmq_strdup(g->message_model) : NULL;
        out->from_where = g->from_where ? rmq_strdup(g->from_where) : NULL;
        out->subs = rmq_calloc(g->nsub ? g->nsub : 1, sizeof *out->subs);
        for (size_t i = 0; i < g->nsub; i++)
            proto_subscription_copy(&out->subs[out->nsub++], &g->subs[i]);
    }
    pthread_rwlock_unlock(&c->lock);
    return g ? 0 : -ENOENT;
}

int broker_clients_producer_copy(broker_t *b, const char *group, broker_client_group_t *out) {
    memset(out, 0, sizeof *out);
    broker_clients_t *c = b->clients;
    pthread_rwlock_rdlock(&c->lock);
    const channels_t *cs = rmq_map_get(&c->producers, group);
    if (cs)
        copy_chans(b, cs, out);
    pthread_rwlock_unlock(&c->lock);
    return cs ? 0 : -ENOENT;
}

void broker_client_group_close(broker_t *b, broker_client_group_t *g) {
    for (size_t i = 0; i < g->nconn; i++) {
        rmq_free(g->conns[i].client_id);
        b->conn_ops->release(g->conns[i].conn);
    }
    rmq_free(g->conns);
    for (size_t i = 0; i < g->nsub; i++)
        proto_subscription_close(&g->subs[i]);
    rmq_free(g->subs);
    rmq_free(g->consume_type);
    rmq_free(g->message_model);
    rmq_free(g->from_where);
    memset(g, 0, sizeof *g);
}

void broker_clients_groups_of_topic(broker_t *b, const char *topic, proto_strs_t *out) {
    broker_clients_t *c = b->clients;
    pthread_rwlock_rdlock(&c->lock);
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&c->consumers, &i, &e);) {
        const consumer_group_t *g = e->value;
        for (size_t j = 0; j < g->nsub; j++)
            if (g->subs[j].topic && strcmp(g->subs[j].topic, topic) == 0 &&
                !proto_strs_has(out, e->key))
                proto_strs_add(out, e->key, strlen(e->key));
    }
    pthread_rwlock_unlock(&c->lock);
}

void broker_clients_producer_groups(broker_t *b, proto_strs_t *out) {
    broker_clients_t *c = b->clients;
    pthread_rwlock_rdlock(&c->lock);
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&c->producers, &i, &e);)
        proto_strs_add(out, e->key, strlen(e->key));
    pthread_rwlock_unlock(&c->lock);
}

/* ---- processors ---- */

/* Registers one consumer group of a heartbeat; fills nl when members must be told and
 * sets *retry_created when it created the group's retry topic. */
static void register_consumer(broker_t *b, remoting_conn_t *conn, const remoting_cmd_t *req,
                              const proto_heartbeat_t *hb, const proto_consumer_data_t *cd,
                              notify_list_t *nl, bool *sub_changed, bool *retry_created) {
    broker_group_info_t gi;
    if (!broker_groups_get(b, cd->groupName, true, &gi))
        return; /* unknown and not auto-creatable: skipped, as upstream */
    if (gi.retry_queue_nums > 0) {
        char retry[512];
        snprintf(retry, sizeof retry, "%s%s", PROTO_RETRY_GROUP_TOPIC_PREFIX, cd->groupName);
        broker_topic_info_t ti;
        if (!broker_topics_get(b, retry, &ti)) {
            broker_topics_create_if_absent(b, retry, gi.retry_queue_nums,
                                           STORE_PERM_READ | STORE_PERM_WRITE, &ti);
            *retry_created = true;
        }
    }
    broker_clients_t *c = b->clients;
    pthread_rwlock_wrlock(&c->lock);
    consumer_group_t *g = rmq_map_get(&c->consumers, cd->groupName);
    if (!g) {
        g = RMQ_NEW(consumer_group_t);
        rmq_map_put(&c->consumers, cd->groupName, g);
    }
    set_str(&g->consume_type, cd->consumeType);
    set_str(&g->message_model, cd->messageModel);
    set_str(&g->from_where, cd->consumeFromWhere);
    bool changed = chan_upsert(b, &g->chans, hb->clientID, conn, req, broker_now(b));
    if (changed)
        rmq_log_info("broker", "new consumer connected, group: %s channel: %s client: %s",
                     cd->groupName, b->conn_ops->peer(conn), hb->clientID);
    bool subs = false, topics = false;
    if (!hb->withoutSub) {
        subs = update_subs(g, cd, &topics);
        g->fingerprint = hb->heartbeatFingerprint;
    }
    if (subs)
        *sub_changed = true;
    if (changed || topics)
        collect(b, g, cd->groupName, nl);
    pthread_rwlock_unlock(&c->lock);
}

/* A heartbeat answered once the NameServers know the retry topics it created. */
typedef struct {
    broker_t *b;
    remoting_conn_t *conn; /* retained */
    int32_t opaque;
    bool sub_changed;
} held_heartbeat_t;

static void heartbeat_answer(remoting_cmd_t *resp, bool sub_changed) {
    remoting_cmd_ext_set(resp, "IS_SUPPORT_HEART_BEAT_V2", "true");
    remoting_cmd_ext_set(resp, "IS_SUB_CHANGE", sub_changed ? "true" : "false");
}

/* Runs on: a client loop (after the last NameServer's answer), exactly once. */
static void on_retry_topics_registered(void *arg) {
    held_heartbeat_t *h = arg;
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    remoting_cmd_set_response(&resp, PROTO_SUCCESS, h->opaque, NULL);
    heartbeat_answer(&resp, h->sub_changed);
    h->b->conn_ops->send(h->conn, &resp);
    remoting_cmd_close(&resp);
    h->b->conn_ops->release(h->conn);
    rmq_free(h);
}

/*
 * HEART_BEAT. When it creates a group's retry topic, the answer waits until every
 * NameServer has the new topic table, as upstream registers synchronously there
 * (TopicConfigManager.createTopicInSendMessageBackMethod): a client that looks up the
 * retry topic's route right after its heartbeat (ali-ons does) finds it.
 */
int broker_heartbeat_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                             remoting_cmd_t *resp) {
    broker_t *b = ctx;
    bool retry_created = false;
    proto_heartbeat_t hb;
    if (proto_heartbeat_decode(req->body.ptr, req->body.len, &hb) != 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remark(resp, "decode heartbeat body failed");
        return 0;
    }
    bool sub_changed = hb.heartbeatFingerprint == 0;
    for (size_t i = 0; i < hb.consumer_count; i++) {
        const proto_consumer_data_t *cd = &hb.consumers[i];
        if (b->cfg.rejectPullConsumerEnable && strcmp(cd->consumeType, "CONSUME_ACTIVELY") == 0)
            continue;
        notify_list_t nl = {0};
        register_consumer(b, conn, req, &hb, cd, &nl, &sub_changed, &retry_created);
        notify(b, &nl);
    }
    broker_clients_t *c = b->clients;
    pthread_rwlock_wrlock(&c->lock);
    for (size_t i = 0; i < hb.producerGroups.count; i++) {
        const char *g = hb.producerGroups.items[i];
        channels_t *cs = rmq_map_get(&c->producers, g);
        if (!cs) {
            cs = RMQ_NEW(channels_t);
            rmq_map_put(&c->producers, g, cs);
        }
        chan_upsert(b, cs, hb.clientID, conn, req, broker_now(b));
    }
    pthread_rwlock_unlock(&c->lock);
    proto_heartbeat_close(&hb);
    if (retry_created && !(req->flag & REMOTING_FLAG_ONEWAY)) {
        held_heartbeat_t *h = RMQ_NEW(held_heartbeat_t);
        h->b = b;
        h->conn = conn;
        h->opaque = req->opaque;
        h->sub_changed = sub_changed;
        b->conn_ops->retain(conn);
        if (broker_register_all_then(b, on_retry_topics_registered, h))
            return REMOTING_PENDING;
        b->conn_ops->release(conn);
        rmq_free(h);
    }
    heartbeat_answer(resp, sub_changed);
    return 0;
}

int broker_unregister_client_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                     remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_unregister_client_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_unregister_client_request_header_decode(req, &h, &bad) != 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "the custom field <%s> is null", bad);
        return 0;
    }
    broker_clients_t *c = b->clients;
    notify_list_t nl = {0};
    pthread_rwlock_wrlock(&c->lock);
    if (h.producerGroup) {
        channels_t *cs = rmq_map_get(&c->producers, h.producerGroup);
        if (cs)
            chan_remove(b, cs, NULL, h.clientID, 0, false);
    }
    if (h.consumerGroup) {
        consumer_group_t *g = rmq_map_get(&c->consumers, h.consumerGroup);
        if (g && chan_remove(b, &g->chans, NULL, h.clientID, 0, false)) {
            rmq_log_info("broker", "unregister consumer ok, group: %s client: %s", h.consumerGroup,
                         h.clientID);
            if (g->chans.n)
                collect(b, g, h.consumerGroup, &nl);
            else
                group_destroy(b, rmq_map_del(&c->consumers, h.consumerGroup));
        }
    }
    pthread_rwlock_unlock(&c->lock);
    notify(b, &nl);
    return 0;
}

int broker_consumer_list_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_consumer_group_header_t h = {0};
    if (proto_consumer_group_header_decode(req, &h, NULL) != 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remark(resp, "the custom field <consumerGroup> is null");
        return 0;
    }
    broker_clients_t *c = b->clients;
    rmq_buf_t out;
    rmq_buf_init(&out);
    pthread_rwlock_rdlock(&c->lock);
    const consumer_group_t *g = rmq_map_get(&c->consumers, h.consumerGroup);
    if (g && g->chans.n) {
        const char **ids = rmq_calloc(g->chans.n, sizeof *ids);
        for (size_t i = 0; i < g->chans.n; i++)
            ids[i] = g->chans.items[i].client_id;
        proto_consumer_list_encode(ids, g->chans.n, &out);
        rmq_free(ids);
    }
    pthread_rwlock_unlock(&c->lock);
    if (!out.len) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "no consumer for this group, %s", h.consumerGroup);
        rmq_log_warn("broker", "getConsumerListByGroup, the consumer group %s not found",
                     h.consumerGroup);
    } else {
        broker_take_body(resp, &out);
    }
    rmq_buf_close(&out);
    return 0;
}
