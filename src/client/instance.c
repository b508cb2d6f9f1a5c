/*
 * The client instance (instance.h): route cache, broker address table, heartbeats and
 * the timer thread that drives route refresh and heartbeats on the Java client's
 * schedule (spec remoting.md 7.1).
 *
 * The timer thread sleeps on a condition variable (monotonic clock) until the next due
 * task or stop; its network calls are blocking calls through the remoting client's I/O
 * thread. Locks: `mu` guards topics, brokers, groups and the stop flag; it is never held
 * across a network call.
 */
#include "client/instance.h"

#include "client/send_codec.h"
#include "common/cond.h"
#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "protocol/codes.h"
#include "protocol/namesrv_header.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLIENT_INNER_PRODUCER_GROUP "CLIENT_INNER_PRODUCER"

typedef struct {
    client_route_t *route; /* one reference held by the table */
    char *raw;             /* the body it was decoded from, to detect changes */
    size_t raw_len;
    bool is_default; /* stand-in built from the default topic's route */
} topic_entry_t;

struct client_instance {
    rmq_conf_t *conf;
    client_rpc_t rpc;
    char *client_id;
    int64_t poll_interval_ms, heartbeat_interval_ms;

    pthread_mutex_t mu;
    pthread_cond_t cv; /* wakes the timer thread on stop */
    rmq_map_t topics;  /* topic -> topic_entry_t */
    rmq_map_t brokers; /* broker name -> proto_broker_data_t (deep copy) */
    proto_strs_t producer_groups;
    client_heartbeat_hook_t hb_hook;
    void *hb_ctx;
    client_request_hook_t req_hook;
    void *req_ctx;
    bool is_started, is_stopping;
    pthread_t timer;
};

/* ------------------------------------------------------------------ routes */

void client_route_release(client_route_t *route) {
    if (!route || atomic_fetch_sub(&route->refs, 1) != 1)
        return;
    client_publish_info_close(&route->pi);
    proto_topic_route_data_close(&route->rd);
    rmq_free(route);
}

static void entry_free(topic_entry_t *e) {
    client_route_release(e->route);
    rmq_free(e->raw);
    rmq_free(e);
}

/* Copies every BrokerData of rd into the address table. Locks: mu held. */
static void update_brokers(client_instance_t *ci, const proto_topic_route_data_t *rd) {
    for (size_t i = 0; i < rd->broker_count; i++) {
        const proto_broker_data_t *src = &rd->brokerDatas[i];
        proto_broker_data_t *bd = RMQ_NEW(proto_broker_data_t);
        proto_broker_data_init(bd, src->cluster, src->brokerName);
        for (size_t j = 0; j < src->addr_count; j++)
            proto_broker_data_put_addr(bd, src->addrs[j].id, src->addrs[j].addr);
        proto_broker_data_t *old = rmq_map_put(&ci->brokers, src->brokerName, bd);
        if (old) {
            proto_broker_data_close(old);
            rmq_free(old);
        }
    }
}

/* Asks the NameServer for `topic`'s route. On success *raw holds the body (owned). */
static rmq_err_t fetch_route(client_instance_t *ci, const char *topic, proto_topic_route_data_t *rd,
                             char **raw, size_t *raw_len, char *errstr, size_t errlen) {
    remoting_cmd_t *req = remoting_cmd_new();
    remoting_cmd_set_request(req, PROTO_GET_ROUTEINFO_BY_TOPIC);
    proto_get_route_info_request_header_t hdr = {.topic = topic};
    proto_get_route_info_request_header_encode(&hdr, req);
    remoting_cmd_t *resp = NULL;
    rmq_err_t err = client_rpc_call(&ci->rpc, NULL, req, &resp, errstr, errlen);
    remoting_cmd_destroy(req);
    if (err)
        return err;
    memset(rd, 0, sizeof *rd);
    if (!resp->body.ptr || proto_topic_route_data_decode(resp->body.ptr, resp->body.len, rd) != 0) {
        client_errstr(errstr, errlen, "malformed TopicRouteData for %s", topic);
        remoting_cmd_destroy(resp);
        return RMQ_ERR__BAD_MSG;
    }
    *raw_len = resp->body.len;
    *raw = rmq_malloc(resp->body.len + 1);
    memcpy(*raw, resp->body.ptr, resp->body.len);
    remoting_cmd_destroy(resp);
    return RMQ_ERR_NO_ERROR;
}

/* Installs a decoded route for topic (takes rd and raw). Returns the entry's route,
 * retained for the caller when `retain`. Locks: takes mu. */
static client_route_t *install_route(client_instance_t *ci, const char *topic,
                                     proto_topic_route_data_t *rd, char *raw, size_t raw_len,
                                     bool is_default, bool retain) {
    pthread_mutex_lock(&ci->mu);
    update_brokers(ci, rd);
    topic_entry_t *e = rmq_map_get(&ci->topics, topic);
    if (e && e->raw_len == raw_len && memcmp(e->raw, raw, raw_len) == 0 &&
        e->is_default == is_default) {
        /* Unchanged: keep the publish info and its index. */
        proto_topic_route_data_close(rd);
        rmq_free(raw);
    } else {
        client_route_t *route = RMQ_NEW(client_route_t);
        atomic_init(&route->refs, 1);
        route->rd = *rd;
        client_publish_info_build(&route->pi, &route->rd, (unsigned)rmq_mono_ns());
        if (!e) {
            e = RMQ_NEW(topic_entry_t);
            rmq_map_put(&ci->topics, topic, e);
        } else {
            client_route_release(e->route);
            rmq_free(e->raw);
        }
        e->route = route;
        e->raw = raw;
        e->raw_len = raw_len;
        e->is_default = is_default;
    }
    client_route_t *out = e->route;
    if (retain)
        atomic_fetch_add(&out->refs, 1);
    pthread_mutex_unlock(&ci->mu);
    return out;
}

client_route_t *client_instance_route_cached(client_instance_t *ci, const char *topic) {
    pthread_mutex_lock(&ci->mu);
    topic_entry_t *e = rmq_map_get(&ci->topics, topic);
    client_route_t *route = NULL;
    if (e && e->route->pi.count > 0) {
        route = e->route;
        atomic_fetch_add(&route->refs, 1);
    }
    pthread_mutex_unlock(&ci->mu);
    return route;
}

rmq_err_t client_instance_route(client_instance_t *ci, const char *topic, const char *default_topic,
                                int default_queue_nums, client_route_t **out, char *errstr,
                                size_t errlen) {
    *out = client_instance_route_cached(ci, topic);
    if (*out)
        return RMQ_ERR_NO_ERROR;
    proto_topic_route_data_t rd;
    char *raw = NULL;
    size_t raw_len = 0;
    rmq_err_t err = fetch_route(ci, topic, &rd, &raw, &raw_len, errstr, errlen);
    if (err == RMQ_ERR_NO_ERROR) {
        *out = install_route(ci, topic, &rd, raw, raw_len, false, true);
        if ((*out)->pi.count > 0)
            return RMQ_ERR_NO_ERROR;
        client_route_release(*out);
        *out = NULL;
    } else if (err != RMQ_ERR_TOPIC_NOT_EXIST || !default_topic || !*default_topic) {
        return err;
    }
    if (!default_topic || !*default_topic) {
        client_errstr(errstr, errlen, "No route info of this topic: %s", topic);
        return RMQ_ERR_TOPIC_NOT_EXIST;
    }
    /* Java: the default topic's route, queue counts clamped, sent with defaultTopic so
     * the broker creates the topic. */
    err = fetch_route(ci, default_topic, &rd, &raw, &raw_len, errstr, errlen);
    if (err) {
        client_errstr(errstr, errlen, "No route info of this topic: %s", topic);
        return RMQ_ERR_TOPIC_NOT_EXIST;
    }
    for (size_t i = 0; i < rd.queue_count; i++) {
        int32_t n = rd.queueDatas[i].readQueueNums;
        if (default_queue_nums < n)
            n = default_queue_nums;
        rd.queueDatas[i].readQueueNums = rd.queueDatas[i].writeQueueNums = n;
    }
    *out = install_route(ci, topic, &rd, raw, raw_len, true, true);
    if ((*out)->pi.count > 0)
        return RMQ_ERR_NO_ERROR;
    client_route_release(*out);
    *out = NULL;
    client_errstr(errstr, errlen, "No route info of this topic: %s", topic);
    return RMQ_ERR_TOPIC_NOT_EXIST;
}

bool client_instance_broker_addr(client_instance_t *ci, const char *broker_name, int64_t id,
                                 char *out, size_t outlen) {
    pthread_mutex_lock(&ci->mu);
    proto_broker_data_t *bd = rmq_map_get(&ci->brokers, broker_name);
    const char *addr = bd ? proto_broker_data_addr(bd, id) : NULL;
    bool ok = addr && strlen(addr) < outlen;
    if (ok)
        strcpy(out, addr);
    pthread_mutex_unlock(&ci->mu);
    return ok;
}

/* Refreshes every cached topic (MQClientInstance.updateTopicRouteInfoFromNameServer).
 * A topic the NameServer does not know keeps its route. Runs on: the timer thread. */
static void refresh_routes(client_instance_t *ci) {
    pthread_mutex_lock(&ci->mu);
    const char **keys = rmq_map_keys_sorted(&ci->topics);
    size_t n = rmq_map_count(&ci->topics);
    char **topics = rmq_calloc(n + 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        topics[i] = rmq_strdup(keys[i]);
    rmq_free(keys);
    pthread_mutex_unlock(&ci->mu);
    for (size_t i = 0; i < n; i++) {
        proto_topic_route_data_t rd;
        char *raw;
        size_t raw_len;
        char e[256];
        rmq_err_t err = fetch_route(ci, topics[i], &rd, &raw, &raw_len, e, sizeof e);
        if (err == RMQ_ERR_NO_ERROR)
            install_route(ci, topics[i], &rd, raw, raw_len, false, false);
        else if (err != RMQ_ERR_TOPIC_NOT_EXIST)
            rmq_log_warn("client", "route refresh topic=%s failed: %s (%s)", topics[i],
                         rmq_err_name(err), e);
        rmq_free(topics[i]);
    }
    rmq_free(topics);
}

/* ------------------------------------------------------------------ heartbeats */

void client_instance_add_producer_group(client_instance_t *ci, const char *group) {
    pthread_mutex_lock(&ci->mu);
    if (!proto_strs_has(&ci->producer_groups, group))
        proto_strs_add(&ci->producer_groups, group, strlen(group));
    pthread_mutex_unlock(&ci->mu);
}

void client_instance_set_heartbeat_hook(client_instance_t *ci, client_heartbeat_hook_t hook,
                                        void *ctx) {
    pthread_mutex_lock(&ci->mu);
    ci->hb_hook = hook;
    ci->hb_ctx = ctx;
    pthread_mutex_unlock(&ci->mu);
}

void client_instance_set_request_hook(client_instance_t *ci, client_request_hook_t hook,
                                      void *ctx) {
    ci->req_hook = hook;
    ci->req_ctx = ctx;
}

/* Requests from brokers. Runs on: the I/O thread. */
static int on_broker_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                             remoting_cmd_t *resp) {
    client_instance_t *ci = ctx;
    if (ci->req_hook)
        return ci->req_hook(ci->req_ctx, conn, req, resp);
    resp->code = PROTO_REQUEST_CODE_NOT_SUPPORTED;
    remoting_cmd_set_remarkf(resp, " request type %d not supported", (int)req->code);
    return 0;
}

void client_instance_heartbeat(client_instance_t *ci) {
    proto_heartbeat_t hb = {.clientID = ci->client_id};
    proto_strs_t addrs = {0}, slaves = {0};
    pthread_mutex_lock(&ci->mu);
    for (size_t i = 0; i < ci->producer_groups.count; i++)
        proto_strs_add(&hb.producerGroups, ci->producer_groups.items[i],
                       strlen(ci->producer_groups.items[i]));
    client_heartbeat_hook_t hook = ci->hb_hook;
    void *hook_ctx = ci->hb_ctx;
    size_t it = 0;
    rmq_map_entry_t *ent;
    while (rmq_map_next(&ci->brokers, &it, &ent)) {
        const proto_broker_data_t *bd = ent->value;
        for (size_t k = 0; k < bd->addr_count; k++)
            proto_strs_add(bd->addrs[k].id == 0 ? &addrs : &slaves, bd->addrs[k].addr,
                           strlen(bd->addrs[k].addr));
    }
    pthread_mutex_unlock(&ci->mu);
    if (hb.producerGroups.count > 0)
        proto_strs_add(&hb.producerGroups, CLIENT_INNER_PRODUCER_GROUP,
                       strlen(CLIENT_INNER_PRODUCER_GROUP));
    if (hook)
        hook(hook_ctx, &hb);
    /* Java's sendHeartbeatToAllBroker: slaves too once there is a consumer (they serve
     * pulls and must know the group). */
    if (hb.consumer_count > 0)
        for (size_t i = 0; i < slaves.count; i++)
            proto_strs_add(&addrs, slaves.items[i], strlen(slaves.items[i]));
    if (addrs.count > 0 && (hb.producerGroups.count > 0 || hb.consumer_count > 0)) {
        rmq_buf_t body;
        rmq_buf_init(&body);
        proto_heartbeat_encode(&hb, &body);
        remoting_cmd_t *req = remoting_cmd_new();
        remoting_cmd_set_request(req, PROTO_HEART_BEAT);
        remoting_cmd_borrow_body(req, body.data, body.len);
        for (size_t i = 0; i < addrs.count; i++) {
            remoting_cmd_t *resp = NULL;
            char e[256];
            rmq_err_t err = client_rpc_call(&ci->rpc, addrs.items[i], req, &resp, e, sizeof e);
            if (err)
                rmq_log_warn("client", "heartbeat to %s failed: %s (%s)", addrs.items[i],
                             rmq_err_name(err), e);
            remoting_cmd_destroy(resp);
        }
        remoting_cmd_destroy(req);
        rmq_buf_close(&body);
    }
    hb.clientID = NULL; /* borrowed */
    proto_heartbeat_close(&hb);
    proto_strs_close(&addrs);
    proto_strs_close(&slaves);
}

/* ------------------------------------------------------------------ timer thread */

static void *timer_main(void *arg) {
    client_instance_t *ci = arg;
    int64_t next_route = rmq_mono_ms() + 10, next_hb = rmq_mono_ms() + 1000;
    pthread_mutex_lock(&ci->mu);
    while (!ci->is_stopping) {
        int64_t now = rmq_mono_ms();
        if (now >= next_route) {
            pthread_mutex_unlock(&ci->mu);
            refresh_routes(ci);
            pthread_mutex_lock(&ci->mu);
            next_route = rmq_mono_ms() + ci->poll_interval_ms;
            continue;
        }
        if (now >= next_hb) {
            pthread_mutex_unlock(&ci->mu);
            client_instance_heartbeat(ci);
            pthread_mutex_lock(&ci->mu);
            next_hb = rmq_mono_ms() + ci->heartbeat_interval_ms;
            continue;
        }
        int64_t due = next_route < next_hb ? next_route : next_hb;
        rmq_cond_wait_ms(&ci->cv, &ci->mu, due - now);
    }
    pthread_mutex_unlock(&ci->mu);
    return NULL;
}

/* ------------------------------------------------------------------ life cycle */

/* Java's client id: ip@instanceName[@unitName], DEFAULT replaced by pid#nanoTime. */
static char *make_client_id(const rmq_conf_t *conf) {
    char ip[64];
    const char *conf_ip = rmq_conf_get(conf, "clientIP");
    if (conf_ip && *conf_ip) {
        snprintf(ip, sizeof ip, "%s", conf_ip);
    } else {
        uint8_t raw[4];
        client_local_ipv4(raw);
        inet_ntop(AF_INET, raw, ip, sizeof ip);
    }
    char inst[128];
    const char *name = rmq_conf_get(conf, "instanceName");
    if (!name || !*name || strcmp(name, "DEFAULT") == 0)
        snprintf(inst, sizeof inst, "%d#%lld", (int)getpid(), (long long)rmq_mono_ns());
    else
        snprintf(inst, sizeof inst, "%s", name);
    const char *unit = rmq_conf_get(conf, "unitName");
    char buf[320];
    if (unit && *unit)
        snprintf(buf, sizeof buf, "%s@%s@%s", ip, inst, unit);
    else
        snprintf(buf, sizeof buf, "%s@%s", ip, inst);
    return rmq_strdup(buf);
}

client_instance_t *client_instance_new(const rmq_conf_t *conf, char *errstr, size_t errlen) {
    client_instance_t *ci = RMQ_NEW(client_instance_t);
    ci->conf = conf ? rmq_conf_dup(conf) : rmq_conf_new();
    const char *list = rmq_conf_get(ci->conf, "namesrvAddr");
    if (!list || !*list)
        list = getenv("NAMESRV_ADDR");
    unsigned seed = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16) ^ (unsigned)(uintptr_t)ci;
    if (client_namesrv_init(&ci->rpc.ns, list, seed, errstr, errlen) != RMQ_ERR_NO_ERROR) {
        rmq_conf_destroy(ci->conf);
        rmq_free(ci);
        return NULL;
    }
    ci->rpc.timeout_ms = (int)client_conf_int(ci->conf, "mqClientApiTimeout");
    ci->poll_interval_ms = client_conf_int(ci->conf, "pollNameServerInterval");
    ci->heartbeat_interval_ms = client_conf_int(ci->conf, "heartbeatBrokerInterval");
    const char *level = rmq_conf_get(ci->conf, "logLevel");
    if (level && *level)
        rmq_log_set_level((rmq_log_level_t)rmq_log_level_parse(level));
    ci->client_id = make_client_id(ci->conf);
    pthread_mutex_init(&ci->mu, NULL);
    rmq_cond_init_monotonic(&ci->cv);
    rmq_map_init(&ci->topics);
    rmq_map_init(&ci->brokers);
    return ci;
}

rmq_err_t client_instance_start(client_instance_t *ci, char *errstr, size_t errlen) {
    int64_t idle_s = client_conf_int(ci->conf, "clientChannelMaxIdleTimeSeconds");
    remoting_client_opts_t opts = {
        .io_threads = 1,
        .connect_timeout_ms = (int)client_conf_int(ci->conf, "connectTimeoutMillis"),
        .idle_timeout_ms = idle_s == 0 ? -1 : (int)(idle_s * 1000),
        .on_request = on_broker_request,
        .ctx = ci,
    };
    int rc = remoting_client_new(&opts, &ci->rpc.rc);
    if (rc != 0) {
        client_errstr(errstr, errlen, "cannot start the client I/O thread: %s", strerror(-rc));
        return RMQ_ERR__FAIL;
    }
    rc = pthread_create(&ci->timer, NULL, timer_main, ci);
    if (rc != 0) {
        remoting_client_destroy(ci->rpc.rc);
        ci->rpc.rc = NULL;
        client_errstr(errstr, errlen, "cannot start the client timer thread: %s", strerror(rc));
        return RMQ_ERR__FAIL;
    }
    ci->is_started = true;
    return RMQ_ERR_NO_ERROR;
}

void client_instance_stop(client_instance_t *ci) {
    if (!ci->is_started)
        return;
    pthread_mutex_lock(&ci->mu);
    ci->is_stopping = true;
    pthread_cond_signal(&ci->cv);
    pthread_mutex_unlock(&ci->mu);
    pthread_join(ci->timer, NULL);
    remoting_client_destroy(ci->rpc.rc);
    ci->rpc.rc = NULL;
    ci->is_started = false;
}

void client_instance_destroy(client_instance_t *ci) {
    if (!ci)
        return;
    client_instance_stop(ci);
    size_t it = 0;
    rmq_map_entry_t *e;
    while (rmq_map_next(&ci->topics, &it, &e))
        entry_free(e->value);
    rmq_map_close(&ci->topics);
    it = 0;
    while (rmq_map_next(&ci->brokers, &it, &e)) {
        proto_broker_data_close(e->value);
        rmq_free(e->value);
    }
    rmq_map_close(&ci->brokers);
    proto_strs_close(&ci->producer_groups);
    pthread_cond_destroy(&ci->cv);
    pthread_mutex_destroy(&ci->mu);
    client_namesrv_close(&ci->rpc.ns);
    rmq_free(ci->client_id);
    rmq_conf_destroy(ci->conf);
    rmq_free(ci);
}

const char *client_instance_id(const client_instance_t *ci) {
    return ci->client_id;
}

remoting_client_t *client_instance_remoting(client_instance_t *ci) {
    return ci->rpc.rc;
}

client_rpc_t *client_instance_rpc(client_instance_t *ci) {
    return &ci->rpc;
}
