/*
 * Topic administration (spec remoting.md 5.5.1 to 5.5.3, 5.5.8; upstream
 * AdminBrokerProcessor): UPDATE_AND_CREATE_TOPIC (17), DELETE_TOPIC_IN_BROKER (215),
 * GET_ALL_TOPIC_CONFIG (21), GET_TOPIC_CONFIG (351), GET_TOPIC_STATS_INFO (202),
 * QUERY_TOPIC_CONSUME_BY_WHO (300), UPDATE_AND_CREATE_TOPIC_LIST (18, mqadmin updateTopicList:
 * a CreateTopicListRequestBody {"topicConfigList":[TopicConfig..]} whose attribute keys
 * carry AttributeParser's +/- sign).
 *
 * A change bumps the topic table's DataVersion, persists topics.json and sets
 * topics.changed, so the management thread's next tick (200 ms) registers the new table
 * with every NameServer: the route appears within a fraction of a second, as after the
 * Java broker's registerIncrementBrokerData.
 *
 * Runs on: I/O loops. Locks: topics.lock (write lock for changes).
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/admin_body.h"
#include "protocol/admin_header.h"
#include "protocol/codes.h"
#include "protocol/kv_table.h"
#include "protocol/topic_config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* TopicValidator's SYSTEM_TOPIC_SET as the Java broker starts it. */
static const char *const system_topics[] = {
    "TBW102",
    PROTO_SCHEDULE_TOPIC,
    "BenchmarkTest",
    "RMQ_SYS_TRANS_HALF_TOPIC",
    "RMQ_SYS_TRACE_TOPIC",
    "RMQ_SYS_TRANS_OP_HALF_TOPIC",
    "TRANS_CHECK_MAX_TIME_TOPIC",
    "SELF_TEST_TOPIC",
    "OFFSET_MOVED_EVENT",
    "CHECKPOINT_TOPIC",
};
#define NSYSTEM (sizeof system_topics / sizeof system_topics[0])

/* TopicValidator.isSystemTopic plus the topics the broker registers as system ones. */
bool broker_admin_is_system_topic(broker_t *b, const char *topic) {
    for (size_t i = 0; i < NSYSTEM; i++)
        if (strcmp(topic, system_topics[i]) == 0)
            return true;
    if (strncmp(topic, "rmq_sys_", 8) == 0)
        return true;
    const broker_config_t *c = &b->cfg;
    if (strcmp(topic, c->brokerClusterName) == 0 || strcmp(topic, c->brokerName) == 0 ||
        (c->traceTopicEnable && strcmp(topic, c->msgTraceTopicName) == 0))
        return true;
    size_t n = strlen(c->brokerClusterName);
    return strncmp(topic, c->brokerClusterName, n) == 0 && strcmp(topic + n, "_REPLY_TOPIC") == 0;
}

void broker_admin_system_topics(broker_t *b, proto_strs_t *out) {
    for (size_t i = 0; i < NSYSTEM; i++)
        proto_strs_add(out, system_topics[i], strlen(system_topics[i]));
    const broker_config_t *c = &b->cfg;
    char reply[512];
    snprintf(reply, sizeof reply, "%s_REPLY_TOPIC", c->brokerClusterName);
    const char *more[] = {c->brokerClusterName, c->brokerName, reply,
                          c->traceTopicEnable ? c->msgTraceTopicName : NULL};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        if (more[i] && !proto_strs_has(out, more[i]))
            proto_strs_add(out, more[i], strlen(more[i]));
}

/* ---- UPDATE_AND_CREATE_TOPIC ---- */

/* Applies AttributeParser's "+k=v,+k2=v2,-k3" to tc (starting from old's attributes).
 * Returns false when message.type=MIXED is asked for (not enabled here). */
static bool apply_attributes(store_topic_config_t *tc, const store_topic_config_t *old,
                             const char *mods) {
    if (old)
        for (size_t i = 0; i < old->nattrs; i++)
            store_topic_config_set_attr(tc, old->attrs[i].key, old->attrs[i].value);
    if (!mods || !*mods)
        return true;
    char *copy = rmq_strdup(mods), *save = NULL;
    bool ok = true;
    for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        while (*kv == ' ')
            kv++;
        char sign = *kv;
        if (sign == '+' || sign == '-')
            kv++;
        char *eq = strchr(kv, '=');
        if (eq)
            *eq++ = '\0';
        if (sign == '-') {
            for (size_t i = 0; i < tc->nattrs; i++) {
                if (strcmp(tc->attrs[i].key, kv) != 0)
                    continue;
                rmq_free(tc->attrs[i].key);
                rmq_free(tc->attrs[i].value);
                tc->attrs[i] = tc->attrs[--tc->nattrs];
                break;
            }
            continue;
        }
        if (strcmp(kv, "message.type") == 0 && eq && strcmp(eq, "MIXED") == 0)
            ok = false;
        store_topic_config_set_attr(tc, kv, eq ? eq : "");
    }
    rmq_free(copy);
    return ok;
}

static bool attrs_equal(const store_topic_config_t *a, const store_topic_config_t *b) {
    if (a->nattrs != b->nattrs)
        return false;
    for (size_t i = 0; i < a->nattrs; i++) {
        bool found = false;
        for (size_t j = 0; j < b->nattrs && !found; j++)
            found = strcmp(a->attrs[i].key, b->attrs[j].key) == 0 &&
                    strcmp(a->attrs[i].value, b->attrs[j].value) == 0;
        if (!found)
            return false;
    }
    return true;
}

static bool topic_equal(const store_topic_config_t *a, const store_topic_config_t *b) {
    return a->read_queue_nums == b->read_queue_nums && a->write_queue_nums == b->write_queue_nums &&
           a->perm == b->perm && a->multi_tag == b->multi_tag &&
           a->topic_sys_flag == b->topic_sys_flag && a->order == b->order && attrs_equal(a, b);
}

/* Marks the table changed (registration due). Runs with the write lock held. */
static void table_changed(broker_t *b) {
    store_data_version_next(&b->topics.table.data_version);
    atomic_store(&b->topics.changed, true);
}

/* TopicValidator.validateTopic and the system-topic check: false with resp filled. */
static bool check_topic_name(broker_t *b, const char *topic, remoting_cmd_t *resp) {
    char remark[512];
    if (proto_topic_validate(topic, remark, sizeof remark)) {
        resp->code = PROTO_INVALID_PARAMETER;
        remoting_cmd_set_remark(resp, remark);
        return false;
    }
    if (broker_admin_is_system_topic(b, topic)) {
        resp->code = PROTO_INVALID_PARAMETER;
        remoting_cmd_set_remarkf(resp, "The topic[%s] is conflict with system topic.", topic);
        return false;
    }
    return true;
}

typedef enum { PUT_UNCHANGED, PUT_CHANGED, PUT_MIXED } put_result_t;

/* Stores tc (taken) with its attributes altered by mods; table_changed when it differs
 * from the current config. dry_run only compares. */
static put_result_t put_topic(broker_t *b, store_topic_config_t *tc, const char *mods,
                              bool dry_run) {
    put_result_t r = PUT_UNCHANGED;
    pthread_rwlock_wrlock(&b->topics.lock);
    const store_topic_config_t *old = store_topics_get(&b->topics.table, tc->topic_name);
    if (!apply_attributes(tc, old, mods)) {
        r = PUT_MIXED;
    } else if (!old || !topic_equal(old, tc)) {
        r = PUT_CHANGED;
        if (!dry_run) {
            store_topics_put(&b->topics.table, tc);
            tc = NULL;
            table_changed(b);
        }
    }
    pthread_rwlock_unlock(&b->topics.lock);
    store_topic_config_destroy(tc);
    return r;
}

int broker_admin_update_topic(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                              remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_create_topic_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_create_topic_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    rmq_log_info("broker", "receive request to update or create topic=%s, caller=%s", h.topic,
                 b->conn_ops->peer(conn));
    if (!check_topic_name(b, h.topic, resp))
        return 0;
    store_topic_config_t *tc = store_topic_config_new(h.topic);
    tc->read_queue_nums = h.readQueueNums;
    tc->write_queue_nums = h.writeQueueNums;
    tc->perm = h.perm;
    tc->multi_tag = h.topicFilterType && strcmp(h.topicFilterType, "MULTI_TAG") == 0;
    tc->topic_sys_flag = h.has_topicSysFlag ? h.topicSysFlag : 0;
    tc->order = h.has_order && h.order;
    put_result_t r = put_topic(b, tc, h.attributes, false);
    if (r == PUT_MIXED) {
        resp->code = PROTO_INVALID_PARAMETER;
        remoting_cmd_set_remark(resp, "MIXED message type is not supported.");
        return 0;
    }
    if (r == PUT_CHANGED) {
        rmq_log_info("broker", "topic %s created or updated: read=%d write=%d perm=%d", h.topic,
                     h.readQueueNums, h.writeQueueNums, h.perm);
        broker_topics_persist(b);
    }
    return 0;
}

/* ---- UPDATE_AND_CREATE_TOPIC_LIST ---- */

/* A TopicConfig of the request as a store config plus its AttributeParser mods
 * ("+k=v,-k"; the body's attribute keys carry the sign). */
static store_topic_config_t *config_of(const proto_topic_config_t *pc, rmq_buf_t *mods) {
    store_topic_config_t *tc = store_topic_config_new(pc->topicName);
    tc->read_queue_nums = pc->readQueueNums;
    tc->write_queue_nums = pc->writeQueueNums;
    tc->perm = pc->perm;
    tc->multi_tag = pc->topicFilterType == PROTO_TOPIC_FILTER_MULTI_TAG;
    tc->topic_sys_flag = pc->topicSysFlag;
    tc->order = pc->order;
    rmq_buf_reset(mods);
    for (size_t i = 0; i < pc->attributes.count; i++) {
        const proto_kv_t *kv = &pc->attributes.items[i];
        if (mods->len)
            rmq_buf_append_u8(mods, ',');
        rmq_buf_append_cstr(mods, kv->key);
        if (kv->key[0] != '-') {
            rmq_buf_append_u8(mods, '=');
            rmq_buf_append_cstr(mods, kv->value);
        }
    }
    rmq_buf_append_u8(mods, '\0');
    return tc;
}

/* Decodes CreateTopicListRequestBody {"topicConfigList":[TopicConfig..]}; -EINVAL if bad. */
static int decode_topic_list(rmq_slice_t body, proto_topic_config_t **out, size_t *n) {
    *out = NULL;
    *n = 0;
    rmq_json_doc_t *doc = body.len ? proto_json_parse(body.ptr, body.len) : NULL;
    const rmq_json_t *list = doc ? rmq_json_get(rmq_json_root(doc), "topicConfigList") : NULL;
    if (!list || list->type != RMQ_JSON_ARRAY) {
        if (doc)
            rmq_json_doc_destroy(doc);
        return -EINVAL;
    }
    *out = rmq_calloc(list->count ? list->count : 1, sizeof **out);
    int rc = 0;
    for (const rmq_json_t *v = list->child; v && rc == 0; v = v->next) {
        proto_topic_config_t *pc = &(*out)[*n];
        proto_topic_config_init(pc, NULL);
        (*n)++;
        rc = proto_topic_config_read(v, pc);
        if (rc == 0 && !pc->topicName)
            rc = -EINVAL;
    }
    rmq_json_doc_destroy(doc);
    return rc;
}

int broker_admin_update_topic_list(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                   remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_topic_config_t *list;
    size_t n;
    rmq_buf_t mods;
    rmq_buf_init(&mods);
    if (decode_topic_list(req->body, &list, &n) != 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remark(resp, "bad CreateTopicListRequestBody");
        goto out;
    }
    rmq_buf_t names;
    rmq_buf_init(&names);
    for (size_t i = 0; i < n; i++) {
        rmq_buf_append_cstr(&names, list[i].topicName);
        rmq_buf_append_u8(&names, ';');
    }
    rmq_log_info("broker", "updateAndCreateTopicList: topicNames: %.*s, called by %s",
                 (int)names.len, names.data ? names.data : "", b->conn_ops->peer(conn));
    rmq_buf_close(&names);
    /* Validated first, as upstream; an unchanged topic ends the request with SUCCESS. */
    for (size_t i = 0; i < n; i++) {
        if (!check_topic_name(b, list[i].topicName, resp))
            goto out;
        store_topic_config_t *tc = config_of(&list[i], &mods);
        put_result_t r = put_topic(b, tc, mods.data, true);
        if (r == PUT_MIXED) {
            resp->code = PROTO_INVALID_PARAMETER;
            remoting_cmd_set_remark(resp, "MIXED message type is not supported.");
            goto out;
        }
        if (r == PUT_UNCHANGED)
            goto out;
    }
    bool changed = false;
    for (size_t i = 0; i < n; i++)
        changed |= put_topic(b, config_of(&list[i], &mods), mods.data, false) == PUT_CHANGED;
    if (changed)
        broker_topics_persist(b);
out:
    for (size_t i = 0; list && i < n; i++)
        proto_topic_config_close(&list[i]);
    rmq_free(list);
    rmq_buf_close(&mods);
    return 0;
}

/* ---- DELETE_TOPIC_IN_BROKER ---- */

int broker_admin_delete_topic(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                              remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_topic_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_topic_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    const char *p = h.topic;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p) {
        resp->code = PROTO_INVALID_PARAMETER;
        remoting_cmd_set_remark(resp, "The specified topic is blank.");
        return 0;
    }
    if (broker_admin_is_system_topic(b, h.topic)) {
        resp->code = PROTO_INVALID_PARAMETER;
        remoting_cmd_set_remarkf(resp, "The topic[%s] is conflict with system topic.", h.topic);
        return 0;
    }
    rmq_log_info("broker", "delete topic %s, caller=%s", h.topic, b->conn_ops->peer(conn));
    pthread_rwlock_wrlock(&b->topics.lock);
    bool existed = store_topics_get(&b->topics.table, h.topic) != NULL;
    if (existed) {
        store_topics_del(&b->topics.table, h.topic);
        table_changed(b);
    }
    pthread_rwlock_unlock(&b->topics.lock);
    if (existed)
        broker_topics_persist(b);
    proto_strs_t groups = {0};
    broker_admin_offset_keys(b, h.topic, NULL, &groups);
    for (size_t i = 0; i < groups.count; i++)
        store_consumer_offsets_remove(&b->offsets, h.topic, groups.items[i]);
    proto_strs_close(&groups);
    store_delete_topic(b->store, h.topic);
    return 0;
}

/* ---- GET_ALL_TOPIC_CONFIG ---- */

int broker_admin_get_all_topic_config(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                      remoting_cmd_t *resp) {
    broker_t *b = ctx;
    rmq_buf_t out;
    rmq_buf_init(&out);
    pthread_rwlock_rdlock(&b->topics.lock);
    store_topics_encode(&b->topics.table, &out);
    int64_t ts = b->topics.table.data_version.timestamp;
    size_t total = rmq_map_count(&b->topics.table.table);
    pthread_rwlock_unlock(&b->topics.lock);
    /* TopicConfigAndMappingSerializeWrapper: the topics.json object plus the (empty)
     * static-topic mapping members. */
    if (out.len && out.data[out.len - 1] == '}') {
        out.len--;
        rmq_buf_appendf(&out,
                        ",\"mappingDataVersion\":{\"counter\":0,\"stateVersion\":0,\"timestamp\":"
                        "%lld},\"topicQueueMappingDetailMap\":{},\"topicQueueMappingInfoMap\":{}}",
                        (long long)ts);
    }
    remoting_cmd_ext_set_i64(resp, "totalTopicNum", (int64_t)total);
    broker_take_body(resp, &out);
    return 0;
}

/* ---- GET_TOPIC_STATS_INFO ---- */

int broker_admin_topic_stats(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                             remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_topic_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_topic_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    broker_topic_info_t ti;
    if (!broker_topics_get(b, h.topic, &ti)) {
        resp->code = PROTO_TOPIC_NOT_EXIST;
        remoting_cmd_set_remarkf(resp, "topic[%s] not exist", h.topic);
        return 0;
    }
    int32_t n = ti.write_queue_nums > ti.read_queue_nums ? ti.write_queue_nums : ti.read_queue_nums;
    rmq_slice_t topic = rmq_slice_cstr(h.topic);
    proto_topic_stats_t ts = {0};
    for (int32_t i = 0; i < n; i++) {
        proto_topic_offset_t *to = proto_topic_stats_add(&ts, h.topic, b->cfg.brokerName, i);
        int64_t min = store_min_offset(b->store, topic, i);
        int64_t max = store_max_offset(b->store, topic, i);
        to->minOffset = min < 0 ? 0 : min;
        to->maxOffset = max < 0 ? 0 : max;
        if (to->maxOffset > 0) {
            int64_t t = store_msg_store_time(b->store, topic, i, to->maxOffset - 1);
            to->lastUpdateTimestamp = t > 0 ? t : 0;
        }
    }
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_topic_stats_encode(&ts, &out);
    proto_topic_stats_close(&ts);
    broker_take_body(resp, &out);
    return 0;
}

/* ---- QUERY_TOPIC_CONSUME_BY_WHO ---- */

int broker_admin_topic_consume_by_who(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                      remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_topic_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_topic_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    proto_strs_t groups = {0};
    broker_clients_groups_of_topic(b, h.topic, &groups);
    broker_admin_offset_keys(b, h.topic, NULL, &groups);
    rmq_buf_t out;
    rmq_buf_init(&out);
    rmq_jw_t w;
    rmq_jw_init(&w, &out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "groupList");
    proto_strs_write(&groups, &w, true);
    rmq_jw_obj_end(&w);
    proto_strs_close(&groups);
    broker_take_body(resp, &out);
    return 0;
}

/* ---- GET_TOPIC_CONFIG (351), GET_SUBSCRIPTIONGROUP_CONFIG (352) ---- */

/* Writes member `name` of the object `table_key` in the JSON text `all` to resp's body
 * (the config file's own encoding of one entry). False when absent. */
bool broker_admin_body_of_entry(rmq_buf_t *all, const char *table_key, const char *name,
                                remoting_cmd_t *resp) {
    rmq_json_doc_t *doc = proto_json_parse(all->data, all->len);
    if (!doc)
        return false;
    const rmq_json_t *table = rmq_json_get(rmq_json_root(doc), table_key);
    const rmq_json_t *v = table ? rmq_json_get(table, name) : NULL;
    if (v) {
        rmq_buf_t out;
        rmq_buf_init(&out);
        rmq_jw_t w;
        rmq_jw_init(&w, &out, 0);
        store_json_write_node(&w, v);
        broker_take_body(resp, &out);
    }
    rmq_json_doc_destroy(doc);
    return v != NULL;
}

int broker_admin_get_topic_config(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                  remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_topic_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_topic_request_header_decode(req, &h, &bad) != 0)
        return broker_bad_header(resp, bad);
    rmq_buf_t all;
    rmq_buf_init(&all);
    pthread_rwlock_rdlock(&b->topics.lock);
    store_topics_encode(&b->topics.table, &all);
    pthread_rwlock_unlock(&b->topics.lock);
    if (!broker_admin_body_of_entry(&all, "topicConfigTable", h.topic, resp)) {
        resp->code = PROTO_TOPIC_NOT_EXIST;
        remoting_cmd_set_remarkf(resp, "No topic in this broker. topic: %s", h.topic);
    }
    rmq_buf_close(&all);
    return 0;
}
