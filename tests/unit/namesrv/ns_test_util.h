/* Helpers shared by the namesrv unit tests: a NameServer in a temp dir with a fake
 * clock, and one-call request/response. */
#ifndef NS_TEST_UTIL_H
#define NS_TEST_UTIL_H

#include "common/checksum.h"
#include "namesrv/internal.h"
#include "protocol/codes.h"
#include "protocol/namesrv_header.h"
#include "protocol/register_broker.h"
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    namesrv_t *ns;
    int64_t now;
    char dir[64];
    char kv_path[128];
    char cfg_path[128];
} ns_fixture_t;

static inline int64_t fixture_clock(void *arg) {
    return ((ns_fixture_t *)arg)->now;
}

static inline void fixture_open_with(ns_fixture_t *f, void (*tweak)(namesrv_config_t *)) {
    strcpy(f->dir, "/tmp/rmq-ns-test-XXXXXX");
    CHECK(mkdtemp(f->dir) != NULL);
    snprintf(f->kv_path, sizeof f->kv_path, "%s/kv/kvConfig.json", f->dir);
    snprintf(f->cfg_path, sizeof f->cfg_path, "%s/namesrv.properties", f->dir);
    namesrv_config_t cfg;
    namesrv_config_init(&cfg);
    namesrv_config_set(&cfg, "kvConfigPath", f->kv_path);
    namesrv_config_set(&cfg, "configStorePath", f->cfg_path);
    if (tweak)
        tweak(&cfg);
    CHECK_EQ(namesrv_new(&cfg, NULL, &f->ns), 0);
    namesrv_config_close(&cfg);
    f->now = 1700000000000LL;
    namesrv_set_clock(f->ns, fixture_clock, f);
}

static inline void fixture_open(ns_fixture_t *f) {
    fixture_open_with(f, NULL);
}

static inline void fixture_close(ns_fixture_t *f) {
    namesrv_destroy(f->ns);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    CHECK_EQ(system(cmd), 0);
}

static inline remoting_cmd_t *new_req(int code) {
    remoting_cmd_t *req = remoting_cmd_new();
    remoting_cmd_set_request(req, code);
    req->opaque = 42;
    return req;
}

/* Runs req through the dispatcher; returns the response (destroy it). */
static inline remoting_cmd_t *call_on(ns_fixture_t *f, remoting_conn_t *conn, remoting_cmd_t *req) {
    remoting_cmd_t *resp = remoting_cmd_new();
    remoting_cmd_set_response(resp, 0, req->opaque, NULL);
    CHECK_EQ(namesrv_handle_request(f->ns, conn, req, resp), 0);
    CHECK_EQ(resp->opaque, 42);
    return resp;
}

static inline remoting_cmd_t *call(ns_fixture_t *f, remoting_cmd_t *req) {
    return call_on(f, NULL, req);
}

static inline void check_body(const remoting_cmd_t *resp, const char *expect) {
    CHECK_MEMSTR(resp->body.ptr, resp->body.len, expect);
}

/* A REGISTER_BROKER request with `topics` (each with 4 queues, perm 6), JSON body. */
static inline remoting_cmd_t *register_req(const char *cluster, const char *name, int64_t id,
                                           const char *addr, const char *const *topics, size_t n,
                                           int64_t counter) {
    remoting_cmd_t *req = new_req(PROTO_REGISTER_BROKER);
    proto_register_broker_request_header_t h = {
        .brokerName = name,
        .brokerAddr = addr,
        .clusterName = cluster,
        .haServerAddr = "10.0.0.9:10912",
        .brokerId = id,
        .enableActingMaster = false,
        .has_enableActingMaster = true,
    };
    proto_register_broker_body_t body = {0};
    body.wrapper.dataVersion = (proto_data_version_t){.counter = counter, .timestamp = 1};
    for (size_t i = 0; i < n; i++) {
        proto_topic_config_t tc;
        proto_topic_config_init(&tc, topics[i]);
        tc.readQueueNums = tc.writeQueueNums = 4;
        proto_topic_config_wrapper_add(&body.wrapper, &tc);
    }
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(proto_register_broker_body_encode(&body, PROTO_REGISTER_BODY_JSON, 479, &b), 0);
    h.bodyCrc32 = rmq_crc32_masked(b.data, b.len);
    proto_register_broker_request_header_encode(&h, req);
    size_t len;
    char *data = rmq_buf_steal(&b, &len);
    remoting_cmd_take_body(req, data, len);
    proto_register_broker_body_close(&body);
    return req;
}

static inline void do_register(ns_fixture_t *f, remoting_conn_t *conn, const char *cluster,
                               const char *name, int64_t id, const char *addr,
                               const char *const *topics, size_t n) {
    remoting_cmd_t *req = register_req(cluster, name, id, addr, topics, n, 1);
    remoting_cmd_t *resp = call_on(f, conn, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
}

/* Route query: returns the response code; copies the body into out (if not NULL). */
static inline int route_of(ns_fixture_t *f, const char *topic, int version, rmq_buf_t *out) {
    remoting_cmd_t *req = new_req(PROTO_GET_ROUTEINFO_BY_TOPIC);
    req->version = version;
    remoting_cmd_ext_set(req, "topic", topic);
    remoting_cmd_t *resp = call(f, req);
    int code = resp->code;
    if (out) {
        rmq_buf_reset(out);
        rmq_buf_append(out, resp->body.ptr, resp->body.len);
    }
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    return code;
}

#endif
