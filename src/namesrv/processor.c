/*
 * Request processors of the NameServer, one per request code (upstream
 * DefaultRequestProcessor and ClientRequestProcessor), and the dispatch table. Remarks
 * are the Java NameServer's, so tools print the same messages.
 *
 * Every processor: Runs on: an I/O loop. Locks: takes the route, KV or config lock
 * through the managers; never two at once (the config lock is only held to copy flags).
 * Returns 0: the response is sent (nothing for one-way requests).
 */
#include "namesrv/internal.h"

#include "common/alloc.h"
#include "common/checksum.h"
#include "common/log.h"
#include "protocol/codes.h"
#include "protocol/namesrv_header.h"

#include <errno.h>
#include <string.h>

#define FAQ_SUFFIX "\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details."

/* ---- helpers ---- */

/* Java leaves a missing required field null and fails with a NullPointerException;
 * we answer the same code with a remark that says which field. */
static int bad_header(remoting_cmd_t *resp, const char *field) {
    resp->code = PROTO_SYSTEM_ERROR;
    remoting_cmd_set_remarkf(resp, "the custom field <%s> is null", field ? field : "?");
    return 0;
}

static int fail(remoting_cmd_t *resp, int code, const char *remark) {
    resp->code = code;
    remoting_cmd_set_remark(resp, remark);
    return 0;
}

static void take_body(remoting_cmd_t *resp, rmq_buf_t *b) {
    size_t len;
    char *data = rmq_buf_steal(b, &len);
    if (data)
        remoting_cmd_take_body(resp, data, len);
}

/* ---- KV config (100, 101, 102, 219) ---- */

static int put_kv_config(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                         remoting_cmd_t *resp) {
    namesrv_t *ns = ctx;
    proto_put_kv_config_request_header_t h = {0};
    proto_put_kv_config_request_header_decode(req, &h, NULL);
    if (!h.namespace_ || !h.key)
        return fail(resp, PROTO_SYSTEM_ERROR, "namespace or key is null");
    char *path = namesrv_kv_path(ns);
    /* A null value reads back as absent, which a delete gives too. */
    if (h.value)
        namesrv_kv_put(&ns->kv, path, h.namespace_, h.key, h.value);
    else
        namesrv_kv_delete(&ns->kv, path, h.namespace_, h.key);
    rmq_free(path);
    return 0;
}

static int get_kv_config(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                         remoting_cmd_t *resp) {
    namesrv_t *ns = ctx;
    proto_kv_config_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_kv_config_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    char *value = namesrv_kv_get(&ns->kv, h.namespace_, h.key);
    proto_get_kv_config_response_header_t rh = {.value = value};
    proto_get_kv_config_response_header_encode(&rh, resp);
    if (!value) {
        resp->code = PROTO_QUERY_NOT_FOUND;
        remoting_cmd_set_remarkf(resp, "No config item, Namespace: %s Key: %s", h.namespace_,
                                 h.key);
    }
    rmq_free(value);
    return 0;
}

static int delete_kv_config(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                            remoting_cmd_t *resp) {
    namesrv_t *ns = ctx;
    proto_kv_config_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_kv_config_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    char *path = namesrv_kv_path(ns);
    namesrv_kv_delete(&ns->kv, path, h.namespace_, h.key);
    rmq_free(path);
    return 0;
}

static int get_kvlist_by_namespace(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                   remoting_cmd_t *resp) {
    namesrv_t *ns = ctx;
    proto_get_kvlist_by_namespace_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_get_kvlist_by_namespace_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    rmq_buf_t b;
    rmq_buf_init(&b);
    if (namesrv_kv_render_namespace(&ns->kv, h.namespace_, &b)) {
        take_body(resp, &b);
    } else {
        resp->code = PROTO_QUERY_NOT_FOUND;
        remoting_cmd_set_remarkf(resp, "No config item, Namespace: %s", h.namespace_);
    }
    rmq_buf_close(&b);
    return 0;
}

/* ---- broker registration (103, 104, 322, 904, 901) ---- */

static int register_broker(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                           remoting_cmd_t *resp) {
    namesrv_t *ns = ctx;
    proto_register_broker_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_register_broker_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    if (h.bodyCrc32 != 0 && rmq_crc32_masked(req->body.ptr, req->body.len) != h.bodyCrc32) {
        rmq_log_warn("namesrv", "register broker: crc32 not match broker=%s addr=%s", h.brokerName,
                     h.brokerAddr);
        return fail(resp, PROTO_SYSTEM_ERROR, "crc32 not match");
    }
    proto_register_body_form_t form =
        proto_register_body_sniff(req->body.ptr, req->body.len, h.compressed, req->version);
    proto_register_broker_body_t body;
    if (proto_register_broker_body_decode(req->body.ptr, req->body.len, form, req->version,
                                          &body) != 0) {
        rmq_log_warn("namesrv", "register broker: bad body broker=%s addr=%s len=%zu", h.brokerName,
                     h.brokerAddr, req->body.len);
        return fail(resp, PROTO_SYSTEM_ERROR, "Failed to decode RegisterBrokerBody");
    }
    namesrv_broker_id_t id = {
        .cluster = h.clusterName,
        .addr = h.brokerAddr,
        .name = h.brokerName,
        .ha_addr = h.haServerAddr,
        .zone = remoting_cmd_ext_get(req, "__ZONE_NAME"),
        .id = h.brokerId,
        .has_timeout = h.has_heartbeatTimeoutMillis,
        .timeout_ms = h.heartbeatTimeoutMillis,
        .has_acting_master = h.has_enableActingMaster,
        .acting_master = h.enableActingMaster,
    };
    namesrv_reg_result_t res;
    namesrv_reg_status_t st = namesrv_route_register(ns, &id, &body.wrapper, conn, &res);
    proto_register_broker_body_close(&body);
    if (st == NAMESRV_REG_REJECTED)
        return fail(resp, PROTO_SYSTEM_ERROR, "register broker failed");

    proto_register_broker_response_header_t rh = {.haServerAddr = res.ha_addr,
                                                  .masterAddr = res.master_addr};
    proto_register_broker_response_header_encode(&rh, resp);
    rmq_free(res.ha_addr);
    rmq_free(res.master_addr);
    if (namesrv_flags(ns).returnOrderTopicConfigToBroker) {
        rmq_buf_t b;
        rmq_buf_init(&b);
        if (namesrv_kv_render_namespace(&ns->kv, PROTO_NAMESPACE_ORDER_TOPIC_CONFIG, &b))
            take_body(resp, &b);
        rmq_buf_close(&b);
    }
    return 0;
}

static int unregister_broker(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                             remoting_cmd_t *resp) {
    proto_broker_identity_header_t h = {0};
    const char *bad = NULL;
    if (proto_broker_identity_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    namesrv_route_unregister(ctx, h.clusterName, h.brokerAddr, h.brokerName, h.brokerId);
    return 0;
}

static int query_data_version(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                              remoting_cmd_t *resp) {
    namesrv_t *ns = ctx;
    proto_broker_identity_header_t h = {0};
    const char *bad = NULL;
    if (proto_broker_identity_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    proto_data_version_t theirs, ours;
    bool have_theirs = proto_data_version_decode(req->body.ptr, req->body.len, &theirs) == 0;
    bool known = namesrv_route_data_version(ns, h.clusterName, h.brokerAddr, &ours);
    namesrv_route_touch(ns, h.clusterName, h.brokerAddr);
    proto_query_data_version_response_header_t rh = {
        .changed = !known || !have_theirs || !proto_data_version_equal(&ours, &theirs),
        .has_changed = true,
    };
    proto_query_data_version_response_header_encode(&rh, resp);
    if (known) {
        rmq_buf_t b;
        rmq_buf_init(&b);
        proto_data_version_encode(&ours, &b);
        take_body(resp, &b);
        rmq_buf_close(&b);
    }
    return 0;
}

static int broker_heartbeat(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                            remoting_cmd_t *resp) {
    proto_broker_heartbeat_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_broker_heartbeat_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    namesrv_route_touch(ctx, h.clusterName, h.brokerAddr);
    return 0;
}

static int get_broker_member_group(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                   remoting_cmd_t *resp) {
    proto_get_broker_member_group_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_get_broker_member_group_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    rmq_buf_t b;
    rmq_buf_init(&b);
    namesrv_route_render_member_group(ctx, h.clusterName, h.brokerName, &b);
    take_body(resp, &b);
    rmq_buf_close(&b);
    return 0;
}

/* ---- routes and cluster info (105, 106) ---- */

static int get_routeinfo_by_topic(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                  remoting_cmd_t *resp) {
    namesrv_t *ns = ctx;
    proto_get_route_info_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_get_route_info_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    namesrv_flags_t flags = namesrv_flags(ns);
    if (flags.needWaitForService &&
        namesrv_now(ns) - ns->start_ms < (int64_t)flags.waitSecondsForService * 1000) {
        rmq_log_warn("namesrv", "name server not ready, request code %d", (int)req->code);
        return fail(resp, PROTO_SYSTEM_ERROR, "name server not ready");
    }
    char *order_conf = NULL;
    if (flags.orderMessageEnable)
        order_conf = namesrv_kv_get(&ns->kv, PROTO_NAMESPACE_ORDER_TOPIC_CONFIG, h.topic);
    proto_json_mode_t mode = req->version >= PROTO_VERSION_V4_9_4 || h.acceptStandardJsonOnly
                                 ? PROTO_JSON_STANDARD
                                 : PROTO_JSON_LEGACY;
    rmq_buf_t b;
    rmq_buf_init(&b);
    if (namesrv_route_render_topic(ns, h.topic, order_conf, mode, &b)) {
        take_body(resp, &b);
    } else {
        resp->code = PROTO_TOPIC_NOT_EXIST;
        remoting_cmd_set_remarkf(resp, "No topic route info in name server for the topic: %s%s",
                                 h.topic, FAQ_SUFFIX);
    }
    rmq_buf_close(&b);
    rmq_free(order_conf);
    return 0;
}

static int get_broker_cluster_info(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                   remoting_cmd_t *resp) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    namesrv_route_render_cluster_info(ctx, &b);
    take_body(resp, &b);
    rmq_buf_close(&b);
    return 0;
}

/* ---- permissions and topics (205, 327, 216, 217) ---- */

static int write_perm(void *ctx, remoting_cmd_t *req, remoting_cmd_t *resp, bool add) {
    proto_write_perm_of_broker_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_write_perm_of_broker_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    int count = namesrv_route_write_perm(ctx, h.brokerName, add);
    rmq_log_info("namesrv", "%s write perm of broker=%s topics=%d", add ? "add" : "wipe",
                 h.brokerName, count);
    if (add) {
        proto_add_write_perm_of_broker_response_header_t rh = {.addTopicCount = count};
        proto_add_write_perm_of_broker_response_header_encode(&rh, resp);
    } else {
        proto_wipe_write_perm_of_broker_response_header_t rh = {.wipeTopicCount = count};
        proto_wipe_write_perm_of_broker_response_header_encode(&rh, resp);
    }
    return 0;
}

static int wipe_write_perm_of_broker(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                     remoting_cmd_t *resp) {
    return write_perm(ctx, req, resp, false);
}

static int add_write_perm_of_broker(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                    remoting_cmd_t *resp) {
    return write_perm(ctx, req, resp, true);
}

static int delete_topic_in_namesrv(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                   remoting_cmd_t *resp) {
    proto_delete_topic_from_namesrv_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_delete_topic_from_namesrv_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    const char *cluster = h.clusterName && h.clusterName[0] ? h.clusterName : NULL;
    namesrv_route_delete_topic(ctx, h.topic, cluster);
    return 0;
}

static int register_topic_in_namesrv(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                     remoting_cmd_t *resp) {
    proto_register_topic_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_register_topic_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    proto_topic_route_data_t rd;
    if (proto_topic_route_data_decode(req->body.ptr, req->body.len, &rd) == 0) {
        if (rd.queue_count > 0)
            namesrv_route_register_topic(ctx, h.topic, rd.queueDatas, rd.queue_count);
        proto_topic_route_data_close(&rd);
    }
    return 0;
}

/* ---- topic lists (206, 224, 304, 311-313) ---- */

static int render_list(namesrv_t *ns, remoting_cmd_t *resp, bool enabled,
                       namesrv_topic_filter_t filter) {
    if (!enabled)
        return fail(resp, PROTO_SYSTEM_ERROR, "disable");
    rmq_buf_t b;
    rmq_buf_init(&b);
    namesrv_route_render_topics(ns, filter, &b);
    take_body(resp, &b);
    rmq_buf_close(&b);
    return 0;
}

static int get_all_topic_list(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                              remoting_cmd_t *resp) {
    return render_list(ctx, resp, namesrv_flags(ctx).enableAllTopicList, NAMESRV_TOPICS_ALL);
}

static int get_unit_topic_list(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                               remoting_cmd_t *resp) {
    return render_list(ctx, resp, namesrv_flags(ctx).enableTopicList, NAMESRV_TOPICS_UNIT);
}

static int get_has_unit_sub_topic_list(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                       remoting_cmd_t *resp) {
    return render_list(ctx, resp, namesrv_flags(ctx).enableTopicList, NAMESRV_TOPICS_UNIT_SUB);
}

static int get_has_unit_sub_ununit_topic_list(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                              remoting_cmd_t *resp) {
    return render_list(ctx, resp, namesrv_flags(ctx).enableTopicList,
                       NAMESRV_TOPICS_UNIT_SUB_NOT_UNIT);
}

static int get_topics_by_cluster(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp) {
    if (!namesrv_flags(ctx).enableTopicList)
        return fail(resp, PROTO_SYSTEM_ERROR, "disable");
    proto_get_topics_by_cluster_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_get_topics_by_cluster_request_header_decode(req, &h, &bad) != 0)
        return bad_header(resp, bad);
    rmq_buf_t b;
    rmq_buf_init(&b);
    namesrv_route_render_cluster_topics(ctx, h.cluster, &b);
    take_body(resp, &b);
    rmq_buf_close(&b);
    return 0;
}

static int get_system_topic_list(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    namesrv_route_render_system_topics(ctx, &b);
    take_body(resp, &b);
    rmq_buf_close(&b);
    return 0;
}

/* ---- configuration (318, 319) ---- */

static int update_namesrv_config(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp) {
    namesrv_t *ns = ctx;
    if (req->body.len == 0)
        return 0;
    rmq_props_t props;
    rmq_props_init(&props);
    rmq_props_parse(&props, req->body.ptr, req->body.len);
    pthread_rwlock_wrlock(&ns->cfg_lock);
    for (size_t i = 0; i < props.count; i++) {
        if (namesrv_config_is_blacklisted(&ns->cfg, props.items[i].key)) {
            pthread_rwlock_unlock(&ns->cfg_lock);
            rmq_props_close(&props);
            return fail(resp, PROTO_NO_PERMISSION, "Can not update config in black list.");
        }
    }
    for (size_t i = 0; i < props.count; i++) {
        const rmq_prop_t *p = &props.items[i];
        int rc = namesrv_config_set(&ns->cfg, p->key, p->value);
        /* Upstream only updates keys it already has; a bad value is ignored. */
        if (rc == -ENOENT && rmq_props_get(&ns->cfg_extra, p->key))
            rmq_props_set(&ns->cfg_extra, p->key, p->value);
        rmq_log_info("namesrv", "update config %s=%s%s", p->key, p->value,
                     rc == 0 ? "" : " (ignored)");
    }
    rmq_buf_t b;
    rmq_buf_init(&b);
    namesrv_config_format_all(&ns->cfg, &ns->cfg_extra, &b);
    char *path = rmq_strdup(ns->cfg.configStorePath);
    pthread_rwlock_unlock(&ns->cfg_lock);
    int rc = namesrv_write_file_atomic(path, b.data ? b.data : "", b.len);
    if (rc != 0)
        rmq_log_error("namesrv", "persist config to %s failed: %s", path, strerror(-rc));
    rmq_free(path);
    rmq_buf_close(&b);
    rmq_props_close(&props);
    return 0;
}

static int get_namesrv_config(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                              remoting_cmd_t *resp) {
    namesrv_t *ns = ctx;
    rmq_buf_t b;
    rmq_buf_init(&b);
    pthread_rwlock_rdlock(&ns->cfg_lock);
    namesrv_config_format_all(&ns->cfg, &ns->cfg_extra, &b);
    pthread_rwlock_unlock(&ns->cfg_lock);
    take_body(resp, &b);
    rmq_buf_close(&b);
    return 0;
}

/* ---- dispatch ---- */

#define ROW(code, fn)                                                                              \
    { PROTO_##code, fn, 0, #code }

static const remoting_processor_t rows[] = {
    ROW(PUT_KV_CONFIG, put_kv_config),
    ROW(GET_KV_CONFIG, get_kv_config),
    ROW(DELETE_KV_CONFIG, delete_kv_config),
    ROW(REGISTER_BROKER, register_broker),
    ROW(UNREGISTER_BROKER, unregister_broker),
    ROW(GET_ROUTEINFO_BY_TOPIC, get_routeinfo_by_topic),
    ROW(GET_BROKER_CLUSTER_INFO, get_broker_cluster_info),
    ROW(WIPE_WRITE_PERM_OF_BROKER, wipe_write_perm_of_broker),
    ROW(GET_ALL_TOPIC_LIST_FROM_NAMESERVER, get_all_topic_list),
    ROW(DELETE_TOPIC_IN_NAMESRV, delete_topic_in_namesrv),
    ROW(REGISTER_TOPIC_IN_NAMESRV, register_topic_in_namesrv),
    ROW(GET_KVLIST_BY_NAMESPACE, get_kvlist_by_namespace),
    ROW(GET_TOPICS_BY_CLUSTER, get_topics_by_cluster),
    ROW(GET_SYSTEM_TOPIC_LIST_FROM_NS, get_system_topic_list),
    ROW(GET_UNIT_TOPIC_LIST, get_unit_topic_list),
    ROW(GET_HAS_UNIT_SUB_TOPIC_LIST, get_has_unit_sub_topic_list),
    ROW(GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST, get_has_unit_sub_ununit_topic_list),
    ROW(UPDATE_NAMESRV_CONFIG, update_namesrv_config),
    ROW(GET_NAMESRV_CONFIG, get_namesrv_config),
    ROW(QUERY_DATA_VERSION, query_data_version),
    ROW(ADD_WRITE_PERM_OF_BROKER, add_write_perm_of_broker),
    ROW(GET_BROKER_MEMBER_GROUP, get_broker_member_group),
    ROW(BROKER_HEARTBEAT, broker_heartbeat),
};

const remoting_dispatch_t namesrv_dispatch = {rows, sizeof rows / sizeof rows[0]};

int namesrv_handle_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                           remoting_cmd_t *resp) {
    return remoting_dispatch(&namesrv_dispatch, ctx, conn, req, resp);
}
