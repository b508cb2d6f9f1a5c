/*
 * Subscription groups and consumer progress (spec remoting.md 5.5.4, 5.5.7, 5.5.11;
 * upstream AdminBrokerProcessor, Broker2Client.resetOffset):
 * UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200), GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201),
 * DELETE_SUBSCRIPTIONGROUP (207), GET_SUBSCRIPTIONGROUP_CONFIG (352), GET_CONSUME_STATS (208),
 * UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST (225),
 * INVOKE_BROKER_TO_RESET_OFFSET (222, which sends RESET_CONSUMER_CLIENT_OFFSET 220 to the group's
 * clients).
 *
 * Reset: as the 5.3 broker with useServerSideResetOffset (its default), the broker
 * computes each queue's target (by timestamp; -1 = the queue's max offset; a given
 * queueId and offset reset that queue only) and commits it, so offline groups move too.
 * Our pull path has no reset table that overrides the next pull, so the online members
 * are also told with a one-way 220 (the Broker2Client path) and move at once; a Java
 * consumer then commits the new offsets itself.
 *
 * Runs on: I/O loops. Locks: groups_lock, the offsets table's mutex, clients.lock (in
 * the copy functions); never two at once.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/admin_body.h"
#include "protocol/admin_header.h"
#include "protocol/codes.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void broker_admin_offset_keys(broker_t *b, const char *topic, const char *group,
                              proto_strs_t *out) {
    store_consumer_offsets_t *t = &b->offsets;
    pthread_mutex_lock(&t->lock);
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&t->table, &i, &e);) {
        const char *at = strchr(e->key, '@'); /* topics and groups never contain '@' */
        if (!at)
            continue;
        size_t tl = (size_t)(at - e->key);
        const char *other = NULL;
        size_t olen = 0;
        if (topic && strlen(topic) == tl && memcmp(e->key, topic, tl) == 0) {
            other = at + 1;
            olen = strlen(other);
        } else if (group && strcmp(at + 1, group) == 0) {
            other = e->key;
            olen = tl;
        }
        if (!other)
            continue;
        char *s = rmq_malloc(olen + 1);
        memcpy(s, other, olen);
        s[olen] = '\0';
        if (!proto_strs_has(out, s))
            proto_strs_add(out, s, olen);
        rmq_free(s);
    }
    pthread_mutex_unlock(&t->lock);
}

/* ---- subscription groups ---- */

/* Decodes a SubscriptionGroupConfig body through the subscriptionGroup.json reader, so
 * both keep the same fields. NULL when the body is not a config with a groupName. */
static store_sub_group_t *decode_group(rmq_slice_t body, char **name) {
    rmq_json_doc_t *doc = proto_json_parse(body.ptr, body.len);
    if (!doc)
        return NULL;
    *name = proto_json_dup_str(rmq_json_root(doc), "groupName");
    rmq_json_doc_destroy(doc);
    if (!*name)
        return NULL;
    rmq_buf_t wrap;
    rmq_buf_init(&wrap);
    rmq_buf_append_cstr(&wrap, "{\"subscriptionGroupTable\":{");
    rmq_json_escape(&wrap, *name, strlen(*name), 0);
    rmq_buf_append_u8(&wrap, ':');
    rmq_buf_append(&wrap, body.ptr, body.len);
    rmq_buf_append_cstr(&wrap, "}}");
    store_sub_groups_t tmp;
    store_sub_groups_init(&tmp);
    store_sub_group_t *g = NULL;
    if (store_sub_groups_decode(&tmp, rmq_buf_slice(&wrap)) == 0)
        g = rmq_map_del(&tmp.table, *name);
    store_sub_groups_close(&tmp);
    rmq_buf_close(&wrap);
    return g;
}

int broker_admin_update_sub_group(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                  remoting_cmd_t *resp) {
    broker_t *b = ctx;
    char *name = NULL;
    store_sub_group_t *g = req->body.len ? decode_group(req->body, &name) : NULL;
    if (!g) {
        rmq_free(name);
        return 0; /* Java decodes null and answers SUCCESS */
    }
    char buf[512];
    const char *bad = broker_group_validate(name, buf, sizeof buf);
    if (bad) {
        resp->code = PROTO_INVALID_PARAMETER;
        remoting_cmd_set_remark(resp, bad);
        store_sub_group_destroy(g);
        rmq_free(name);
        return 0;
    }
    pthread_mutex_lock(&b->groups_lock);
    store_sub_group_destroy(rmq_map_put(&b->groups.table, name, g));
    store_data_version_next(&b->groups.data_version);
    pthread_mutex_unlock(&b->groups_lock);
    rmq_log_info("broker", "update subscription group %s, caller=%s", name,
                 b->conn_ops->peer(conn));
    rmq_free(name);
    broker_groups_persist(b);
    return 0;
}

/* UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST (225, mqadmin updateSubGroupList): a
 * SubscriptionGroupList {"groupConfigList":[SubscriptionGroupConfig..]}; every name is
 * validated before any group changes, then all are stored and the file written once. */
int broker_admin_update_sub_group_list(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                       remoting_cmd_t *resp) {
    broker_t *b = ctx;
    rmq_json_doc_t *doc = req->body.len ? proto_json_parse(req->body.ptr, req->body.len) : NULL;
    const rmq_json_t *list = doc ? rmq_json_get(rmq_json_root(doc), "groupConfigList") : NULL;
    if (!list || list->type != RMQ_JSON_ARRAY) {
        if (doc)
            rmq_json_doc_destroy(doc);
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remark(resp, "bad SubscriptionGroupList");
        return 0;
    }
    char buf[512];
    rmq_buf_t names;
    rmq_buf_init(&names);
    for (const rmq_json_t *v = list->child; v; v = v->next) {
        const char *name = rmq_json_get_str(v, "groupName", "");
        const char *bad = broker_group_validate(name, buf, sizeof buf);
        if (bad) {
            resp->code = PROTO_INVALID_PARAMETER;
            remoting_cmd_set_remark(resp, bad);
            rmq_buf_close(&names);
            rmq_json_doc_destroy(doc);
            return 0;
        }
        rmq_buf_append_cstr(&names, name);
        rmq_buf_append_u8(&names, ';');
    }
    rmq_log_info("broker", "updateAndCreateSubscriptionGroupList: groupNames: %.*s, called by %s",
                 (int)names.len, names.data ? names.data : "", b->conn_ops->peer(conn));
    rmq_buf_close(&names);
    size_t n = 0;
    pthread_mutex_lock(&b->groups_lock);
    for (const rmq_json_t *v = list->child; v; v = v->next) {
        store_sub_group_t *g = store_sub_group_read(v);
        if (!g)
            continue;
        store_sub_groups_put(&b->groups, g);
        n++;
    }
    if (n)
        store_data_version_next(&b->groups.data_version);
    pthread_mutex_unlock(&b->groups_lock);
    rmq_json_doc_destroy(doc);
    if (n)
        broker_groups_persist(b);
    return 0;
}

int broker_admin_get_all_sub_group(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                   remoting_cmd_t *resp) {
    broker_t *b = ctx;
    rmq_buf_t out;
    rmq_buf_init(&out);
    pthread_mutex_lock(&b->groups_lock);
    store_sub_groups_encode(&b->groups, &out);
    size_t total = rmq_map_count(&b->groups.table);
    pthread_mutex_unlock(&b->groups_lock);
    remoting_cmd_ext_set_i64(resp, "totalGroupNum", (int64_t)total);
    broker_take_body(resp, &out);
    return 0;
}

int broker_admin_delete_sub_group(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                  remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_delete_sub_group_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_delete_sub_group_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    rmq_log_info("broker", "delete subscription group %s, caller=%s", h.groupName,
                 b->conn_ops->peer(conn));
    pthread_mutex_lock(&b->groups_lock);
    store_sub_group_t *g = rmq_map_del(&b->groups.table, h.groupName);
    if (g)
        store_data_version_next(&b->groups.data_version);
    pthread_mutex_unlock(&b->groups_lock);
    if (g) {
        store_sub_group_destroy(g);
        broker_groups_persist(b);
    }
    if (h.has_cleanOffset && h.cleanOffset) {
        proto_strs_t topics = {0};
        broker_admin_offset_keys(b, NULL, h.groupName, &topics);
        for (size_t i = 0; i < topics.count; i++)
            store_consumer_offsets_remove(&b->offsets, topics.items[i], h.groupName);
        proto_strs_close(&topics);
    }
    return 0;
}

/* ---- GET_CONSUME_STATS ---- */

static bool subscribed(const broker_client_group_t *cg, const char *topic) {
    for (size_t i = 0; i < cg->nsub; i++)
        if (cg->subs[i].topic && strcmp(cg->subs[i].topic, topic) == 0)
            return true;
    return false;
}

/* AdminBrokerProcessor.getTopicsForCollectingConsumeStats. */
static void topics_for_stats(broker_t *b, const proto_get_consume_stats_request_header_t *h,
                             proto_strs_t *topics) {
    if (h->topicList && *h->topicList) {
        const char *p = h->topicList;
        while (*p) {
            const char *end = strchr(p, ';');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            if (n)
                proto_strs_add(topics, p, n);
            p += n + (end ? 1 : 0);
        }
        return;
    }
    if (h->topic && *h->topic)
        proto_strs_add(topics, h->topic, strlen(h->topic));
    else
        broker_admin_offset_keys(b, NULL, h->consumerGroup, topics);
    broker_client_group_t cg;
    if (broker_clients_consumer_copy(b, h->consumerGroup, &cg) != 0)
        return;
    if (cg.nsub) {
        for (size_t i = 0; i < topics->count;) {
            if (subscribed(&cg, topics->items[i])) {
                i++;
                continue;
            }
            rmq_free(topics->items[i]);
            memmove(&topics->items[i], &topics->items[i + 1],
                    (topics->count - i - 1) * sizeof *topics->items);
            topics->count--;
        }
    }
    broker_client_group_close(b, &cg);
}

int broker_admin_consume_stats(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                               remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_get_consume_stats_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_get_consume_stats_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    proto_strs_t topics = {0};
    topics_for_stats(b, &h, &topics);
    proto_consume_stats_t cs = {0};
    for (size_t t = 0; t < topics.count; t++) {
        const char *topic = topics.items[t];
        broker_topic_info_t ti;
        if (!broker_topics_get(b, topic, &ti))
            continue;
        rmq_slice_t ts = rmq_slice_cstr(topic);
        for (int32_t i = 0; i < ti.read_queue_nums; i++) {
            proto_offset_wrapper_t *ow = proto_consume_stats_add(&cs, topic, b->cfg.brokerName, i);
            int64_t max = store_max_offset(b->store, ts, i);
            ow->brokerOffset = max < 0 ? 0 : max;
            int64_t co = store_consumer_offsets_query(&b->offsets, topic, h.consumerGroup, i);
            ow->consumerOffset = co < 0 ? 0 : co;
            ow->pullOffset = ow->consumerOffset;
            if (ow->consumerOffset > 0) {
                int64_t last = store_msg_store_time(b->store, ts, i, ow->consumerOffset - 1);
                if (last > 0)
                    ow->lastTimestamp = last;
            }
        }
    }
    proto_strs_close(&topics);
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_consume_stats_encode(&cs, &out);
    proto_consume_stats_close(&cs);
    broker_take_body(resp, &out);
    return 0;
}

/* ---- INVOKE_BROKER_TO_RESET_OFFSET ---- */

static int64_t target_offset(broker_t *b, const char *topic, int32_t qid, int64_t timestamp) {
    rmq_slice_t ts = rmq_slice_cstr(topic);
    if (timestamp < 0)
        return store_max_offset(b->store, ts, qid);
    int64_t off = store_offset_by_time(b->store, ts, qid, timestamp, STORE_BOUNDARY_LOWER);
    return off < 0 ? 0 : off;
}

/* Sends RESET_CONSUMER_CLIENT_OFFSET to every online member; how many were told. */
static size_t notify_clients(broker_t *b, const proto_reset_offset_request_header_t *h,
                             const proto_reset_offset_t *ro) {
    broker_client_group_t cg;
    if (broker_clients_consumer_copy(b, h->group, &cg) != 0)
        return 0;
    size_t told = 0;
    for (size_t i = 0; i < cg.nconn; i++) {
        const broker_client_conn_t *c = &cg.conns[i];
        remoting_cmd_t r;
        remoting_cmd_init(&r);
        remoting_cmd_set_request(&r, PROTO_RESET_CONSUMER_CLIENT_OFFSET);
        proto_reset_offset_request_header_t rh = {
            .topic = h->topic,
            .group = h->group,
            .queueId = -1,
            .has_queueId = true,
            .timestamp = h->timestamp,
            .isForce = false,
            .has_isForce = true,
        };
        proto_reset_offset_request_header_encode(&rh, &r);
        rmq_buf_t body;
        rmq_buf_init(&body);
        proto_reset_offset_encode(ro, c->language == REMOTING_LANG_CPP, &body);
        size_t len;
        char *data = rmq_buf_steal(&body, &len);
        remoting_cmd_take_body(&r, data, len);
        if (b->conn_ops->oneway(c->conn, &r) == 0)
            told++;
        rmq_log_info("broker", "[reset-offset] topic=%s group=%s client=%s", h->topic, h->group,
                     c->client_id);
        remoting_cmd_close(&r);
    }
    broker_client_group_close(b, &cg);
    return told;
}

int broker_admin_reset_offset(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                              remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_reset_offset_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_reset_offset_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    rmq_log_info("broker", "[reset-offset] by %s: topic=%s group=%s timestamp=%lld",
                 b->conn_ops->peer(conn), h.topic, h.group, (long long)h.timestamp);
    broker_topic_info_t ti;
    if (!broker_topics_get(b, h.topic, &ti)) {
        resp->code = PROTO_TOPIC_NOT_EXIST;
        remoting_cmd_set_remarkf(resp, "Topic %s does not exist", h.topic);
        return 0;
    }
    if (!broker_groups_get(b, h.group, false, NULL)) {
        resp->code = PROTO_SUBSCRIPTION_GROUP_NOT_EXIST;
        remoting_cmd_set_remarkf(resp, "Group %s does not exist", h.group);
        return 0;
    }
    proto_reset_offset_t ro = {0};
    int32_t qid = h.has_queueId ? h.queueId : -1;
    if (qid >= 0) {
        int64_t off;
        if (h.has_offset && h.offset != -1) {
            rmq_slice_t ts = rmq_slice_cstr(h.topic);
            int64_t min = store_min_offset(b->store, ts, qid);
            int64_t max = store_max_offset(b->store, ts, qid);
            if ((min >= 0 && h.offset < min) || h.offset > max + 1) {
                resp->code = PROTO_SYSTEM_ERROR;
                remoting_cmd_set_remarkf(
                    resp, "Target offset %lld not in consume queue range [%lld-%lld]",
                    (long long)h.offset, (long long)min, (long long)max);
                return 0;
            }
            off = h.offset;
        } else {
            off = target_offset(b, h.topic, qid, h.timestamp);
        }
        proto_reset_offset_add(&ro, h.topic, b->cfg.brokerName, qid, off);
    } else {
        for (int32_t i = 0; i < ti.read_queue_nums; i++)
            proto_reset_offset_add(&ro, h.topic, b->cfg.brokerName, i,
                                   target_offset(b, h.topic, i, h.timestamp));
    }
    if (!ro.count) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remark(resp, "No queues to reset.");
        return 0;
    }
    for (size_t i = 0; i < ro.count; i++)
        if (ro.items[i].offset >= 0)
            store_consumer_offsets_commit(&b->offsets, h.topic, h.group, ro.items[i].mq.queueId,
                                          ro.items[i].offset);
    notify_clients(b, &h, &ro);
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_reset_offset_encode(&ro, false, &out);
    proto_reset_offset_close(&ro);
    broker_take_body(resp, &out);
    return 0;
}

int broker_admin_get_sub_group(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                               remoting_cmd_t *resp) {
    broker_t *b = ctx;
    const char *group = remoting_cmd_ext_get(req, "group");
    if (!group)
        return broker_bad_header(resp, "group");
    rmq_buf_t all;
    rmq_buf_init(&all);
    pthread_mutex_lock(&b->groups_lock);
    store_sub_groups_encode(&b->groups, &all);
    pthread_mutex_unlock(&b->groups_lock);
    if (!broker_admin_body_of_entry(&all, "subscriptionGroupTable", group, resp)) {
        resp->code = PROTO_SUBSCRIPTION_GROUP_NOT_EXIST;
        remoting_cmd_set_remark(resp, "No group in this broker");
    }
    rmq_buf_close(&all);
    return 0;
}
