/*
 * Registration with the NameServers (BrokerController.registerBrokerAll, spec
 * remoting.md 5.1.1, 5.1.2): REGISTER_BROKER with the whole topic table (JSON body form,
 * or the compressed form with compressedRegister) to every address of namesrvAddr, at
 * start, every registerNameServerPeriod and after a topic change; UNREGISTER_BROKER at
 * shutdown.
 *
 * Runs on: the management thread (asynchronous requests; results logged on the client's
 * loop) and the stopping thread (unregistration, synchronous).
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/checksum.h"
#include "common/log.h"
#include "protocol/codes.h"
#include "protocol/namesrv_header.h"
#include "protocol/register_broker.h"
#include "remoting/client.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static void to_proto(const store_topic_config_t *tc, proto_topic_config_t *pt) {
    proto_topic_config_init(pt, tc->topic_name);
    pt->readQueueNums = tc->read_queue_nums;
    pt->writeQueueNums = tc->write_queue_nums;
    pt->perm = tc->perm;
    pt->topicFilterType =
        tc->multi_tag ? PROTO_TOPIC_FILTER_MULTI_TAG : PROTO_TOPIC_FILTER_SINGLE_TAG;
    pt->topicSysFlag = tc->topic_sys_flag;
    pt->order = tc->order;
    for (size_t i = 0; i < tc->nattrs; i++)
        proto_kvs_put(&pt->attributes, tc->attrs[i].key, tc->attrs[i].value);
}

void broker_register_build(broker_t *b, remoting_cmd_t *req) {
    proto_register_broker_body_t body;
    memset(&body, 0, sizeof body);
    pthread_rwlock_rdlock(&b->topics.lock);
    const store_data_version_t *dv = &b->topics.table.data_version;
    body.wrapper.dataVersion = (proto_data_version_t){
        .stateVersion = dv->state_version, .timestamp = dv->timestamp, .counter = dv->counter};
    const char **keys = rmq_map_keys_sorted(&b->topics.table.table);
    for (size_t i = 0; keys && keys[i]; i++) {
        const store_topic_config_t *tc = store_topics_get(&b->topics.table, keys[i]);
        proto_topic_config_t pt;
        to_proto(tc, &pt);
        /* The broker's permission caps every topic's, as upstream registers them. */
        if (!(b->cfg.brokerPermission & STORE_PERM_WRITE) ||
            !(b->cfg.brokerPermission & STORE_PERM_READ))
            pt.perm &= b->cfg.brokerPermission | STORE_PERM_INHERIT;
        proto_topic_config_wrapper_add(&body.wrapper, &pt);
    }
    rmq_free(keys);
    pthread_rwlock_unlock(&b->topics.lock);

    remoting_cmd_set_request(req, PROTO_REGISTER_BROKER);
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_register_body_form_t form =
        b->cfg.compressedRegister ? PROTO_REGISTER_BODY_COMPRESSED : PROTO_REGISTER_BODY_JSON;
    proto_register_broker_body_encode(&body, form, req->version, &out);
    proto_register_broker_body_close(&body);
    proto_register_broker_request_header_t h = {
        .brokerName = b->cfg.brokerName,
        .brokerAddr = b->addr,
        .clusterName = b->cfg.brokerClusterName,
        .haServerAddr = b->ha_addr,
        .brokerId = b->cfg.brokerId,
        .enableActingMaster = false,
        .has_enableActingMaster = true,
        .compressed = false,
        .bodyCrc32 = rmq_crc32_masked(out.data, out.len),
    };
    proto_register_broker_request_header_encode(&h, req);
    size_t len;
    char *data = rmq_buf_steal(&out, &len);
    if (data)
        remoting_cmd_take_body(req, data, len);
}

/* Calls fn for each NameServer address of namesrvAddr (';'-separated). */
static void each_namesrv(broker_t *b, void (*fn)(broker_t *b, const char *addr, void *arg),
                         void *arg) {
    const char *list = b->cfg.namesrvAddr ? b->cfg.namesrvAddr : "";
    while (*list) {
        const char *end = strchr(list, ';');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        char addr[256];
        if (len && len < sizeof addr) {
            memcpy(addr, list, len);
            addr[len] = 0;
            char *a = addr;
            while (*a == ' ')
                a++;
            if (*a)
                fn(b, a, arg);
        }
        list += len + (end ? 1 : 0);
    }
}

/* A caller of broker_register_all_then waiting for every NameServer's answer. */
typedef struct {
    atomic_int pending; /* answers still due, plus one while requests are being sent */
    void (*done)(void *arg);
    void *arg;
} reg_wait_t;

typedef struct {
    char *addr;
    reg_wait_t *w; /* NULL: nobody waits */
} reg_call_t;

typedef struct {
    remoting_cmd_t *req;
    reg_wait_t *w;
} reg_send_t;

static void wait_release(reg_wait_t *w) {
    if (w && atomic_fetch_sub(&w->pending, 1) == 1) {
        w->done(w->arg);
        rmq_free(w);
    }
}

static void on_registered(void *arg, int status, remoting_cmd_t *resp) {
    reg_call_t *call = arg;
    const char *addr = call->addr;
    if (status != 0)
        rmq_log_warn("broker", "register broker to name server %s failed: %s", addr,
                     strerror(-status));
    else if (resp->code != PROTO_SUCCESS)
        rmq_log_warn("broker", "register broker to name server %s: code %d %s", addr, resp->code,
                     remoting_cmd_remark(resp) ? remoting_cmd_remark(resp) : "");
    else
        rmq_log_debug("broker", "register broker to name server %s OK", addr);
    remoting_cmd_destroy(resp);
    wait_release(call->w);
    rmq_free(call->addr);
    rmq_free(call);
}

static void register_one(broker_t *b, const char *addr, void *arg) {
    reg_send_t *send = arg;
    reg_call_t *call = RMQ_NEW(reg_call_t);
    call->addr = rmq_strdup(addr);
    call->w = send->w;
    if (call->w)
        atomic_fetch_add(&call->w->pending, 1);
    int rc = remoting_client_invoke_async(b->client, addr, send->req,
                                          b->cfg.registerBrokerTimeoutMills, on_registered, call);
    if (rc != 0) {
        rmq_log_warn("broker", "register broker to name server %s failed: %s", addr, strerror(-rc));
        if (call->w)
            atomic_fetch_sub(&call->w->pending, 1); /* the caller's own count keeps it > 0 */
        rmq_free(call->addr);
        rmq_free(call);
    }
}

static void register_all(broker_t *b, reg_wait_t *w) {
    atomic_store(&b->topics.changed, false);
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    broker_register_build(b, &req);
    reg_send_t send = {.req = &req, .w = w};
    each_namesrv(b, register_one, &send);
    remoting_cmd_close(&req);
}

void broker_register_all(broker_t *b) {
    if (b->client)
        register_all(b, NULL);
}

bool broker_register_all_then(broker_t *b, void (*done)(void *arg), void *arg) {
    if (!b->client)
        return false;
    reg_wait_t *w = RMQ_NEW(reg_wait_t);
    atomic_init(&w->pending, 1);
    w->done = done;
    w->arg = arg;
    register_all(b, w);
    if (atomic_load(&w->pending) == 1) { /* nothing sent: no answer to wait for */
        rmq_free(w);
        return false;
    }
    wait_release(w);
    return true;
}

static void unregister_one(broker_t *b, const char *addr, void *arg) {
    (void)arg;
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, PROTO_UNREGISTER_BROKER);
    proto_broker_identity_header_t h = {
        .brokerName = b->cfg.brokerName,
        .brokerAddr = b->addr,
        .clusterName = b->cfg.brokerClusterName,
        .brokerId = b->cfg.brokerId,
    };
    proto_broker_identity_header_encode(&h, &req);
    remoting_cmd_t *resp = NULL;
    int rc = remoting_client_invoke_sync(b->client, addr, &req, 3000, &resp);
    if (rc != 0)
        rmq_log_warn("broker", "unregister broker from name server %s failed: %s", addr,
                     strerror(-rc));
    else
        rmq_log_info("broker", "unregister broker from name server %s OK", addr);
    remoting_cmd_destroy(resp);
    remoting_cmd_close(&req);
}

void broker_unregister_all(broker_t *b) {
    if (b->client)
        each_namesrv(b, unregister_one, NULL);
}
