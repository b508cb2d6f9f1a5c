/*
 * Tests namesrv/routeinfo.c: expiry by an injected clock, removal when the registering
 * connection closes, id/address switches and data-version rules.
 */
#include "ns_test_util.h"

static const char *const topics[] = {"TopicTest", "TBW102"};

/* Connections are opaque identities while no server runs. */
#define CONN_A ((remoting_conn_t *)(uintptr_t)0x1000)
#define CONN_B ((remoting_conn_t *)(uintptr_t)0x2000)

static void test_expiry_after_120s(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, CONN_A, "C", "b", 0, "h:1", topics, 2);
    f.now += 120000;
    namesrv_scan_not_active_brokers(f.ns);
    CHECK_EQ(route_of(&f, "TopicTest", 479, NULL), PROTO_SUCCESS);
    f.now += 1;
    namesrv_scan_not_active_brokers(f.ns);
    CHECK_EQ(route_of(&f, "TopicTest", 479, NULL), PROTO_TOPIC_NOT_EXIST);
    fixture_close(&f);
}

static void test_heartbeat_and_query_keep_alive(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, CONN_A, "C", "b", 0, "h:1", topics, 2);
    f.now += 100000;
    remoting_cmd_t *req = new_req(PROTO_BROKER_HEARTBEAT);
    remoting_cmd_ext_set(req, "clusterName", "C");
    remoting_cmd_ext_set(req, "brokerAddr", "h:1");
    remoting_cmd_ext_set(req, "brokerName", "b");
    remoting_cmd_destroy(call(&f, req));
    remoting_cmd_destroy(req);
    f.now += 100000;
    namesrv_scan_not_active_brokers(f.ns);
    CHECK_EQ(route_of(&f, "TopicTest", 479, NULL), PROTO_SUCCESS);
    fixture_close(&f);
}

static void test_own_heartbeat_timeout(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = register_req("C", "b", 0, "h:1", topics, 2, 1);
    remoting_cmd_ext_set_i64(req, "heartbeatTimeoutMillis", 10000);
    remoting_cmd_destroy(call_on(&f, CONN_A, req));
    remoting_cmd_destroy(req);
    do_register(&f, CONN_B, "C", "b2", 0, "h:2", topics, 2);
    f.now += 10001;
    namesrv_scan_not_active_brokers(f.ns);
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(route_of(&f, "TopicTest", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "\"b\"", 3) == NULL);
    CHECK(memmem(b.data, b.len, "\"b2\"", 4) != NULL);
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void test_connection_close_unregisters(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, CONN_A, "C", "b", 0, "h:1", topics, 2);
    do_register(&f, CONN_B, "C", "b", 1, "h:2", topics, 2);
    namesrv_on_conn_close(f.ns, CONN_A);
    rmq_buf_t b;
    rmq_buf_init(&b);
    /* The slave stays; the topic keeps its queue data (taken from the master before). */
    CHECK_EQ(route_of(&f, "TopicTest", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "{\"1\":\"h:2\"}", 11) != NULL);
    namesrv_on_conn_close(f.ns, CONN_B);
    CHECK_EQ(route_of(&f, "TopicTest", 479, NULL), PROTO_TOPIC_NOT_EXIST);
    namesrv_on_conn_close(f.ns, CONN_B); /* unknown connection: nothing happens */
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void test_slave_becomes_master(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, NULL, "C", "b", 0, "h:1", topics, 2);
    do_register(&f, NULL, "C", "b", 1, "h:2", topics, 2);
    /* h:1 goes; h:2 registers as id 0: one address per id and per address. */
    remoting_cmd_t *req = new_req(PROTO_UNREGISTER_BROKER);
    remoting_cmd_ext_set(req, "brokerName", "b");
    remoting_cmd_ext_set(req, "brokerAddr", "h:1");
    remoting_cmd_ext_set(req, "clusterName", "C");
    remoting_cmd_ext_set(req, "brokerId", "0");
    remoting_cmd_destroy(call(&f, req));
    remoting_cmd_destroy(req);
    do_register(&f, NULL, "C", "b", 0, "h:2", topics, 2);
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(route_of(&f, "TopicTest", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "\"brokerAddrs\":{\"0\":\"h:2\"}", 25) != NULL);
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void test_newer_state_version_wins(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = register_req("C", "b", 0, "h:1", topics, 2, 1);
    /* Rewrite the body with stateVersion 5. */
    proto_register_broker_body_t body = {0};
    body.wrapper.dataVersion = (proto_data_version_t){.stateVersion = 5, .counter = 1};
    proto_topic_config_t tc;
    proto_topic_config_init(&tc, "T5");
    proto_topic_config_wrapper_add(&body.wrapper, &tc);
    proto_topic_config_init(&tc, "T6");
    proto_topic_config_wrapper_add(&body.wrapper, &tc);
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_register_broker_body_encode(&body, PROTO_REGISTER_BODY_JSON, 479, &b);
    remoting_cmd_ext_set_i64(req, "bodyCrc32", 0);
    remoting_cmd_copy_body(req, b.data, b.len);
    remoting_cmd_destroy(call(&f, req));
    remoting_cmd_destroy(req);
    proto_register_broker_body_close(&body);

    /* Another address claims id 0 with an older state version: ignored, SUCCESS. */
    req = register_req("C", "b", 0, "h:9", topics, 2, 1);
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    CHECK_EQ(route_of(&f, "T5", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "h:9", 3) == NULL);
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void test_unchanged_data_version_keeps_queue_data(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, NULL, "C", "b", 0, "h:1", topics, 2);
    /* Wipe, then a re-registration with the same DataVersion does not restore perm. */
    remoting_cmd_t *req = new_req(PROTO_WIPE_WRITE_PERM_OF_BROKER);
    remoting_cmd_ext_set(req, "brokerName", "b");
    remoting_cmd_destroy(call(&f, req));
    remoting_cmd_destroy(req);
    do_register(&f, NULL, "C", "b", 0, "h:1", topics, 2);
    rmq_buf_t b;
    rmq_buf_init(&b);
    route_of(&f, "TopicTest", 479, &b);
    CHECK(memmem(b.data, b.len, "\"perm\":4", 8) != NULL);
    /* A new DataVersion does. */
    req = register_req("C", "b", 0, "h:1", topics, 2, 2);
    remoting_cmd_destroy(call(&f, req));
    remoting_cmd_destroy(req);
    route_of(&f, "TopicTest", 479, &b);
    CHECK(memmem(b.data, b.len, "\"perm\":6", 8) != NULL);
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void set_acting(namesrv_config_t *cfg) {
    cfg->supportActingMaster = true;
}

static void test_acting_master(void) {
    ns_fixture_t f;
    fixture_open_with(&f, set_acting);
    /* A slave of an acting-master group registers without a master: read-only queues,
     * and routes show it as id 0. */
    remoting_cmd_t *req = register_req("C", "b", 1, "h:2", topics, 2, 1);
    remoting_cmd_ext_set(req, "enableActingMaster", "true");
    remoting_cmd_destroy(call(&f, req));
    remoting_cmd_destroy(req);
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(route_of(&f, "TopicTest", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "\"perm\":4", 8) != NULL);
    CHECK(memmem(b.data, b.len, "{\"0\":\"h:2\"}", 11) != NULL);
    /* The cluster info still tells the truth. */
    req = new_req(PROTO_GET_BROKER_CLUSTER_INFO);
    remoting_cmd_t *resp = call(&f, req);
    CHECK(memmem(resp->body.ptr, resp->body.len, "{1:\"h:2\"}", 9) != NULL);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    rmq_buf_close(&b);
    fixture_close(&f);
}

int main(void) {
    RUN(test_expiry_after_120s);
    RUN(test_heartbeat_and_query_keep_alive);
    RUN(test_own_heartbeat_timeout);
    RUN(test_connection_close_unregisters);
    RUN(test_slave_becomes_master);
    RUN(test_newer_state_version_wins);
    RUN(test_unchanged_data_version_keeps_queue_data);
    RUN(test_acting_master);
    return 0;
}
