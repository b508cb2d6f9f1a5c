/*
 * rmq_admin_t: the admin handle and its NameServer and broker requests
 * (rocketmq/admin.h), each one request/response pair built from the protocol layer's
 * typed headers and decoded into a result object.
 *
 * Every call: build the request, client_rpc_call (NameServer choice and fail-over in
 * rpc.c), decode. Calls that change every NameServer (KV put/delete, config update) loop
 * over the list and return the last failure, as MQClientAPIImpl does.
 *
 * Threads: the application's, any number at once; the remoting client's single I/O
 * thread does the socket work.
 */
#include "client/admin_int.h"
#include "client/client.h"
#include "client/result.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/props.h"
#include "protocol/codes.h"
#include "protocol/kv_table.h"
#include "protocol/namesrv_header.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ handle */

rmq_admin_t *rmq_admin_new(const rmq_conf_t *conf, char *errstr, size_t errlen) {
    rmq_admin_t *admin = RMQ_NEW(rmq_admin_t);
    admin->conf = conf ? rmq_conf_dup(conf) : rmq_conf_new();
    const char *list = rmq_conf_get(admin->conf, "namesrvAddr");
    if (!list || !*list)
        list = getenv("NAMESRV_ADDR");
    unsigned seed = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16) ^ (unsigned)(uintptr_t)admin;
    if (client_namesrv_init(&admin->rpc.ns, list, seed, errstr, errlen) != RMQ_ERR_NO_ERROR)
        goto fail;
    admin->rpc.timeout_ms = (int)client_conf_int(admin->conf, "mqClientApiTimeout");
    const char *level = rmq_conf_get(admin->conf, "logLevel");
    if (level && *level)
        rmq_log_set_level((rmq_log_level_t)rmq_log_level_parse(level));
    int64_t idle_s = client_conf_int(admin->conf, "clientChannelMaxIdleTimeSeconds");
    remoting_client_opts_t opts = {
        .io_threads = 1,
        .connect_timeout_ms = (int)client_conf_int(admin->conf, "connectTimeoutMillis"),
        .idle_timeout_ms = idle_s == 0 ? -1 : (int)(idle_s * 1000),
    };
    int rc = remoting_client_new(&opts, &admin->rpc.rc);
    if (rc != 0) {
        client_errstr(errstr, errlen, "cannot start the client I/O thread: %s", strerror(-rc));
        goto fail;
    }
    return admin;
fail:
    client_namesrv_close(&admin->rpc.ns);
    rmq_conf_destroy(admin->conf);
    rmq_free(admin);
    return NULL;
}

void rmq_admin_destroy(rmq_admin_t *admin) {
    if (!admin)
        return;
    remoting_client_destroy(admin->rpc.rc);
    client_namesrv_close(&admin->rpc.ns);
    rmq_conf_destroy(admin->conf);
    rmq_free(admin);
}

size_t rmq_admin_namesrv_count(const rmq_admin_t *admin) {
    return admin ? admin->rpc.ns.count : 0;
}

const char *rmq_admin_namesrv_addr(const rmq_admin_t *admin, size_t i) {
    return admin && i < admin->rpc.ns.count ? admin->rpc.ns.addrs[i] : NULL;
}

/* ------------------------------------------------------------------ helpers */

bool admin_bad_args(const void *admin, const void *a, const void *b, char *errstr, size_t errlen) {
    if (admin && a && b)
        return false;
    client_errstr(errstr, errlen, "NULL argument");
    return true;
}

/* A request with code `code` and no header. */
remoting_cmd_t *admin_request(int32_t code) {
    remoting_cmd_t *req = remoting_cmd_new();
    remoting_cmd_set_request(req, code);
    return req;
}

/* One call that expects SUCCESS; the response is destroyed unless resp is given. */
rmq_err_t admin_call(rmq_admin_t *admin, const char *addr, remoting_cmd_t *req,
                     remoting_cmd_t **resp, char *errstr, size_t errlen) {
    remoting_cmd_t *r = NULL;
    rmq_err_t err = client_rpc_call(&admin->rpc, addr, req, &r, errstr, errlen);
    remoting_cmd_destroy(req);
    if (resp)
        *resp = r;
    else
        remoting_cmd_destroy(r);
    return err;
}

/* Sends req to every configured NameServer; returns the last failure, else success. */
rmq_err_t admin_call_all(rmq_admin_t *admin, remoting_cmd_t *req, char *errstr, size_t errlen) {
    rmq_err_t last = RMQ_ERR_NO_ERROR;
    for (size_t i = 0; i < admin->rpc.ns.count; i++) {
        remoting_cmd_t *resp = NULL;
        char e[512];
        rmq_err_t err =
            client_rpc_call(&admin->rpc, admin->rpc.ns.addrs[i], req, &resp, e, sizeof e);
        remoting_cmd_destroy(resp);
        if (err) {
            last = err;
            client_errstr(errstr, errlen, "%s", e);
            /* Java stops at a transport failure (an exception) but not at a response
             * code; follow it. */
            if (err < 0)
                break;
        }
    }
    remoting_cmd_destroy(req);
    return last;
}

rmq_err_t admin_config_get(rmq_admin_t *admin, const char *addr, int32_t code, rmq_kvlist_t **out,
                           char *errstr, size_t errlen) {
    *out = NULL;
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, addr, admin_request(code), &resp, errstr, errlen);
    if (err)
        return err;
    rmq_props_t props;
    rmq_props_init(&props);
    if (resp->body.ptr)
        rmq_props_parse(&props, resp->body.ptr, resp->body.len);
    remoting_cmd_destroy(resp);
    rmq_kvlist_t *l = rmq_kvlist_new();
    for (size_t i = 0; i < props.count; i++)
        proto_kvs_put(&l->kvs, props.items[i].key, props.items[i].value);
    rmq_props_close(&props);
    *out = l;
    return RMQ_ERR_NO_ERROR;
}

remoting_cmd_t *admin_config_update_request(int32_t code, const rmq_kvlist_t *props) {
    /* MixAll.properties2String: "k=v\n" per entry, unescaped. */
    rmq_buf_t body;
    rmq_buf_init(&body);
    for (size_t i = 0; i < props->kvs.count; i++)
        rmq_buf_appendf(&body, "%s=%s\n", props->kvs.items[i].key, props->kvs.items[i].value);
    remoting_cmd_t *req = admin_request(code);
    size_t len = body.len;
    remoting_cmd_take_body(req, rmq_buf_steal(&body, NULL), len);
    return req;
}

rmq_err_t admin_bad_body(remoting_cmd_t *resp, const char *what, char *errstr, size_t errlen) {
    remoting_cmd_destroy(resp);
    client_errstr(errstr, errlen, "malformed %s body", what);
    return RMQ_ERR__BAD_MSG;
}

/* ------------------------------------------------------------------ NameServer */

rmq_err_t rmq_admin_cluster_info(rmq_admin_t *admin, rmq_cluster_info_t **out, char *errstr,
                                 size_t errlen) {
    if (admin_bad_args(admin, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, NULL, admin_request(PROTO_GET_BROKER_CLUSTER_INFO), &resp,
                               errstr, errlen);
    if (err)
        return err;
    proto_cluster_info_t ci = {0};
    if (proto_cluster_info_decode(resp->body.ptr, resp->body.len, &ci) != 0)
        return admin_bad_body(resp, "ClusterInfo", errstr, errlen);
    remoting_cmd_destroy(resp);
    *out = client_cluster_info_new(&ci);
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_admin_topic_route(rmq_admin_t *admin, const char *topic, rmq_topic_route_t **out,
                                char *errstr, size_t errlen) {
    if (admin_bad_args(admin, topic, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *req = admin_request(PROTO_GET_ROUTEINFO_BY_TOPIC);
    proto_get_route_info_request_header_t hdr = {.topic = topic};
    proto_get_route_info_request_header_encode(&hdr, req);
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, NULL, req, &resp, errstr, errlen);
    if (err)
        return err;
    proto_topic_route_data_t rd = {0};
    if (!resp->body.ptr || proto_topic_route_data_decode(resp->body.ptr, resp->body.len, &rd) != 0)
        return admin_bad_body(resp, "TopicRouteData", errstr, errlen);
    remoting_cmd_destroy(resp);
    *out = client_topic_route_new(&rd);
    return RMQ_ERR_NO_ERROR;
}

/* Decodes a TopicList body into a strlist in Java HashSet order (what Java iterates). */
static rmq_err_t topic_list_result(remoting_cmd_t *resp, rmq_strlist_t **out, char *errstr,
                                   size_t errlen) {
    proto_topic_list_t tl;
    if (!resp->body.ptr || proto_topic_list_decode(resp->body.ptr, resp->body.len, &tl) != 0)
        return admin_bad_body(resp, "TopicList", errstr, errlen);
    remoting_cmd_destroy(resp);
    size_t n = tl.topicList.count;
    size_t *order = rmq_calloc(n ? n : 1, sizeof(size_t));
    proto_java_hash_order((const char *const *)tl.topicList.items, n, order);
    rmq_strlist_t *l = RMQ_NEW(rmq_strlist_t);
    for (size_t i = 0; i < n; i++) {
        const char *s = tl.topicList.items[order[i]];
        proto_strs_add(&l->strs, s, strlen(s));
    }
    rmq_free(order);
    proto_topic_list_close(&tl);
    *out = l;
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_admin_topic_list(rmq_admin_t *admin, rmq_strlist_t **out, char *errstr,
                               size_t errlen) {
    if (admin_bad_args(admin, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, NULL, admin_request(PROTO_GET_ALL_TOPIC_LIST_FROM_NAMESERVER),
                               &resp, errstr, errlen);
    return err ? err : topic_list_result(resp, out, errstr, errlen);
}

rmq_err_t rmq_admin_topic_list_by_cluster(rmq_admin_t *admin, const char *cluster,
                                          rmq_strlist_t **out, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, cluster, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *req = admin_request(PROTO_GET_TOPICS_BY_CLUSTER);
    proto_get_topics_by_cluster_request_header_t hdr = {.cluster = cluster};
    proto_get_topics_by_cluster_request_header_encode(&hdr, req);
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, NULL, req, &resp, errstr, errlen);
    return err ? err : topic_list_result(resp, out, errstr, errlen);
}

rmq_err_t rmq_admin_kv_put(rmq_admin_t *admin, const char *ns, const char *key, const char *value,
                           char *errstr, size_t errlen) {
    if (admin_bad_args(admin, ns, key, errstr, errlen) ||
        admin_bad_args(value, value, value, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    remoting_cmd_t *req = admin_request(PROTO_PUT_KV_CONFIG);
    proto_put_kv_config_request_header_t hdr = {.namespace_ = ns, .key = key, .value = value};
    proto_put_kv_config_request_header_encode(&hdr, req);
    return admin_call_all(admin, req, errstr, errlen);
}

rmq_err_t rmq_admin_kv_get(rmq_admin_t *admin, const char *ns, const char *key, char **value,
                           char *errstr, size_t errlen) {
    if (admin_bad_args(admin, ns, key, errstr, errlen) ||
        admin_bad_args(value, value, value, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *value = NULL;
    remoting_cmd_t *req = admin_request(PROTO_GET_KV_CONFIG);
    proto_kv_config_request_header_t hdr = {.namespace_ = ns, .key = key};
    proto_kv_config_request_header_encode(&hdr, req);
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, NULL, req, &resp, errstr, errlen);
    if (err)
        return err;
    proto_get_kv_config_response_header_t rh = {0};
    if (proto_get_kv_config_response_header_decode(resp, &rh, NULL) != 0 || !rh.value) {
        /* Java returns null here; a C caller gets an empty string. */
        rh.value = "";
    }
    *value = rmq_strdup(rh.value);
    remoting_cmd_destroy(resp);
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_admin_kv_delete(rmq_admin_t *admin, const char *ns, const char *key, char *errstr,
                              size_t errlen) {
    if (admin_bad_args(admin, ns, key, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    remoting_cmd_t *req = admin_request(PROTO_DELETE_KV_CONFIG);
    proto_kv_config_request_header_t hdr = {.namespace_ = ns, .key = key};
    proto_kv_config_request_header_encode(&hdr, req);
    return admin_call_all(admin, req, errstr, errlen);
}

/* Decodes a KVTable body into a new kvlist. */
static rmq_err_t kv_table_result(remoting_cmd_t *resp, rmq_kvlist_t **out, char *errstr,
                                 size_t errlen) {
    rmq_kvlist_t *l = rmq_kvlist_new();
    if (!resp->body.ptr || proto_kv_table_decode(resp->body.ptr, resp->body.len, &l->kvs) != 0) {
        rmq_kvlist_destroy(l);
        return admin_bad_body(resp, "KVTable", errstr, errlen);
    }
    remoting_cmd_destroy(resp);
    *out = l;
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_admin_kv_list(rmq_admin_t *admin, const char *ns, rmq_kvlist_t **out, char *errstr,
                            size_t errlen) {
    if (admin_bad_args(admin, ns, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *req = admin_request(PROTO_GET_KVLIST_BY_NAMESPACE);
    proto_get_kvlist_by_namespace_request_header_t hdr = {.namespace_ = ns};
    proto_get_kvlist_by_namespace_request_header_encode(&hdr, req);
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, NULL, req, &resp, errstr, errlen);
    return err ? err : kv_table_result(resp, out, errstr, errlen);
}

rmq_err_t rmq_admin_namesrv_config_get(rmq_admin_t *admin, const char *namesrv_addr,
                                       rmq_kvlist_t **out, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, out, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    return admin_config_get(admin, namesrv_addr, PROTO_GET_NAMESRV_CONFIG, out, errstr, errlen);
}

rmq_err_t rmq_admin_namesrv_config_update(rmq_admin_t *admin, const char *namesrv_addr,
                                          const rmq_kvlist_t *props, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, props, props, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    if (props->kvs.count == 0)
        return RMQ_ERR_NO_ERROR;
    remoting_cmd_t *req = admin_config_update_request(PROTO_UPDATE_NAMESRV_CONFIG, props);
    if (namesrv_addr)
        return admin_call(admin, namesrv_addr, req, NULL, errstr, errlen);
    return admin_call_all(admin, req, errstr, errlen);
}

static rmq_err_t write_perm(rmq_admin_t *admin, int32_t code, const char *namesrv_addr,
                            const char *broker_name, int *topic_count, char *errstr,
                            size_t errlen) {
    if (admin_bad_args(admin, broker_name, broker_name, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    remoting_cmd_t *req = admin_request(code);
    proto_write_perm_of_broker_request_header_t hdr = {.brokerName = broker_name};
    proto_write_perm_of_broker_request_header_encode(&hdr, req);
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, namesrv_addr, req, &resp, errstr, errlen);
    if (err)
        return err;
    int32_t count = 0;
    const char *key = code == PROTO_WIPE_WRITE_PERM_OF_BROKER ? "wipeTopicCount" : "addTopicCount";
    int rc = remoting_cmd_ext_i32(resp, key, &count);
    remoting_cmd_destroy(resp);
    if (rc != 0) {
        client_errstr(errstr, errlen, "response lacks %s", key);
        return RMQ_ERR__BAD_MSG;
    }
    if (topic_count)
        *topic_count = count;
    return RMQ_ERR_NO_ERROR;
}

rmq_err_t rmq_admin_wipe_write_perm(rmq_admin_t *admin, const char *namesrv_addr,
                                    const char *broker_name, int *topic_count, char *errstr,
                                    size_t errlen) {
    return write_perm(admin, PROTO_WIPE_WRITE_PERM_OF_BROKER, namesrv_addr, broker_name,
                      topic_count, errstr, errlen);
}

rmq_err_t rmq_admin_add_write_perm(rmq_admin_t *admin, const char *namesrv_addr,
                                   const char *broker_name, int *topic_count, char *errstr,
                                   size_t errlen) {
    return write_perm(admin, PROTO_ADD_WRITE_PERM_OF_BROKER, namesrv_addr, broker_name, topic_count,
                      errstr, errlen);
}

/* ------------------------------------------------------------------ broker */

rmq_err_t rmq_admin_broker_runtime_info(rmq_admin_t *admin, const char *broker_addr,
                                        rmq_kvlist_t **out, char *errstr, size_t errlen) {
    if (admin_bad_args(admin, broker_addr, out, errstr, errlen))
        return RMQ_ERR__INVALID_ARG;
    *out = NULL;
    remoting_cmd_t *resp;
    rmq_err_t err = admin_call(admin, broker_addr, admin_request(PROTO_GET_BROKER_RUNTIME_INFO),
                               &resp, errstr, errlen);
    return err ? err : kv_table_result(resp, out, errstr, errlen);
}
