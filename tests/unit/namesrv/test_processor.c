/*
 * Tests namesrv/processor.c with the route and KV managers behind it: requests are
 * built as brokers, clients and mqadmin send them and answered by the dispatcher.
 */
#include "ns_test_util.h"

static const char *const topics_a[] = {"TopicTest", "TBW102"};

static void test_register_then_route_both_renderings(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, NULL, "DefaultCluster", "broker-a", 0, "192.168.0.10:10911", topics_a, 2);
    do_register(&f, NULL, "DefaultCluster", "broker-a", 1, "192.168.0.11:10911", topics_a, 2);
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(route_of(&f, "TopicTest", 317, &b), PROTO_SUCCESS);
    CHECK_MEMSTR(
        b.data, b.len,
        "{\"brokerDatas\":[{\"brokerAddrs\":{0:\"192.168.0.10:10911\",1:\"192.168.0.11:10911\"},"
        "\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\",\"enableActingMaster\":false}"
        "],\"filterServerTable\":{},\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":6,"
        "\"readQueueNums\":4,\"topicSysFlag\":0,\"writeQueueNums\":4}]}");
    CHECK_EQ(route_of(&f, "TopicTest", 479, &b), PROTO_SUCCESS);
    CHECK_MEMSTR(
        b.data, b.len,
        "{\"brokerDatas\":[{\"brokerAddrs\":{\"0\":\"192.168.0.10:10911\",\"1\":\"192.168.0.11:"
        "10911\"},\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\","
        "\"enableActingMaster\":false}],\"filterServerTable\":{},\"queueDatas\":[{\"brokerName\":"
        "\"broker-a\",\"perm\":6,\"readQueueNums\":4,\"topicSysFlag\":0,\"writeQueueNums\":4}]}");

    /* acceptStandardJsonOnly forces the standard rendering for old clients too. */
    remoting_cmd_t *req = new_req(PROTO_GET_ROUTEINFO_BY_TOPIC);
    req->version = 121;
    remoting_cmd_ext_set(req, "topic", "TopicTest");
    remoting_cmd_ext_set(req, "acceptStandardJsonOnly", "true");
    remoting_cmd_t *resp = call(&f, req);
    CHECK(memmem(resp->body.ptr, resp->body.len, "{\"0\":", 5) != NULL);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    CHECK_EQ(route_of(&f, "Nope", 479, NULL), PROTO_TOPIC_NOT_EXIST);
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void test_route_not_found_remark(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = new_req(PROTO_GET_ROUTEINFO_BY_TOPIC);
    remoting_cmd_ext_set(req, "topic", "T1");
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_TOPIC_NOT_EXIST);
    CHECK_STREQ(remoting_cmd_remark(resp),
                "No topic route info in name server for the topic: T1\nSee "
                "https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void test_missing_header_field_is_system_error(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = new_req(PROTO_GET_ROUTEINFO_BY_TOPIC);
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remoting_cmd_remark(resp), "the custom field <topic> is null");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void test_unknown_code_not_supported(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = new_req(PROTO_SEND_MESSAGE);
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_REQUEST_CODE_NOT_SUPPORTED);
    CHECK_STREQ(remoting_cmd_remark(resp), " request type 10 not supported");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void test_register_crc_and_body_errors(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = register_req("C", "b", 0, "h:1", topics_a, 2, 1);
    remoting_cmd_ext_set_i64(req, "bodyCrc32", 12345);
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remoting_cmd_remark(resp), "crc32 not match");
    remoting_cmd_destroy(resp);
    /* CRC 0 = not checked; a broken body is then a decode error. */
    remoting_cmd_ext_set_i64(req, "bodyCrc32", 0);
    remoting_cmd_copy_body(req, "{\"topicConfigSerializeWrapper\":[", 31);
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SYSTEM_ERROR);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void test_single_topic_registration_rule(void) {
    ns_fixture_t f;
    fixture_open(&f);
    const char *one[] = {"Only"};
    remoting_cmd_t *req = register_req("C", "b", 0, "h:1", one, 1, 1);
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remoting_cmd_remark(resp), "register broker failed");
    remoting_cmd_destroy(resp);
    /* After a full registration the incremental one is accepted. */
    do_register(&f, NULL, "C", "b", 0, "h:1", topics_a, 2);
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    CHECK_EQ(route_of(&f, "Only", 479, NULL), PROTO_SUCCESS);
    fixture_close(&f);
}

static void test_compressed_body_even_when_flag_says_not(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = new_req(PROTO_REGISTER_BROKER);
    proto_register_broker_request_header_t h = {.brokerName = "b",
                                                .brokerAddr = "h:1",
                                                .clusterName = "C",
                                                .haServerAddr = "h:2",
                                                .compressed = false};
    proto_register_broker_body_t body = {0};
    for (int i = 0; i < 2; i++) {
        proto_topic_config_t tc;
        proto_topic_config_init(&tc, i ? "Z1" : "Z0");
        proto_topic_config_wrapper_add(&body.wrapper, &tc);
    }
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(proto_register_broker_body_encode(&body, PROTO_REGISTER_BODY_COMPRESSED, 479, &b), 0);
    proto_register_broker_request_header_encode(&h, req);
    remoting_cmd_copy_body(req, b.data, b.len);
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    CHECK_EQ(route_of(&f, "Z1", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "\"readQueueNums\":16", 18) != NULL);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    proto_register_broker_body_close(&body);
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void test_slave_gets_master_addresses(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, NULL, "C", "b", 0, "h:1", topics_a, 2);
    remoting_cmd_t *req = register_req("C", "b", 1, "h:3", topics_a, 2, 1);
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    CHECK_STREQ(remoting_cmd_ext_get(resp, "masterAddr"), "h:1");
    CHECK_STREQ(remoting_cmd_ext_get(resp, "haServerAddr"), "10.0.0.9:10912");
    CHECK(resp->body.len == 0);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void test_order_topic_config(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = new_req(PROTO_PUT_KV_CONFIG);
    remoting_cmd_ext_set(req, "namespace", "ORDER_TOPIC_CONFIG");
    remoting_cmd_ext_set(req, "key", "TopicTest");
    remoting_cmd_ext_set(req, "value", "broker-a:4");
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    /* The registration answer carries the namespace as a KVTable. */
    req = register_req("C", "broker-a", 0, "h:1", topics_a, 2, 1);
    resp = call(&f, req);
    check_body(resp, "{\"table\":{\"TopicTest\":\"broker-a:4\"}}");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    /* Route data only has orderTopicConf with orderMessageEnable. */
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(route_of(&f, "TopicTest", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "orderTopicConf", 14) == NULL);
    req = new_req(PROTO_UPDATE_NAMESRV_CONFIG);
    remoting_cmd_copy_body(req, "orderMessageEnable=true\n", 24);
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    CHECK_EQ(route_of(&f, "TopicTest", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "\"orderTopicConf\":\"broker-a:4\"", 29) != NULL);
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void test_kv_requests(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = new_req(PROTO_PUT_KV_CONFIG);
    remoting_cmd_ext_set(req, "key", "k");
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remoting_cmd_remark(resp), "namespace or key is null");
    remoting_cmd_destroy(resp);
    remoting_cmd_ext_set(req, "namespace", "NS");
    remoting_cmd_ext_set(req, "value", "v1");
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    CHECK(!resp->has_ext);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    req = new_req(PROTO_GET_KV_CONFIG);
    remoting_cmd_ext_set(req, "namespace", "NS");
    remoting_cmd_ext_set(req, "key", "k");
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    CHECK_STREQ(remoting_cmd_ext_get(resp, "value"), "v1");
    remoting_cmd_destroy(resp);

    remoting_cmd_t *del = new_req(PROTO_DELETE_KV_CONFIG);
    remoting_cmd_ext_set(del, "namespace", "NS");
    remoting_cmd_ext_set(del, "key", "k");
    resp = call(&f, del);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    resp = call(&f, del); /* absent: still SUCCESS */
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(del);

    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_QUERY_NOT_FOUND);
    CHECK_STREQ(remoting_cmd_remark(resp), "No config item, Namespace: NS Key: k");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    req = new_req(PROTO_GET_KVLIST_BY_NAMESPACE);
    remoting_cmd_ext_set(req, "namespace", "NS");
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS); /* the namespace stays, empty */
    check_body(resp, "{\"table\":{}}");
    remoting_cmd_destroy(resp);
    remoting_cmd_ext_set(req, "namespace", "Other");
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_QUERY_NOT_FOUND);
    CHECK_STREQ(remoting_cmd_remark(resp), "No config item, Namespace: Other");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void test_cluster_info_and_member_group(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, NULL, "DefaultCluster", "broker-a", 0, "192.168.0.10:10911", topics_a, 2);
    do_register(&f, NULL, "DefaultCluster", "broker-a", 1, "192.168.0.11:10911", topics_a, 2);
    remoting_cmd_t *req = new_req(PROTO_GET_BROKER_CLUSTER_INFO);
    req->version = 479; /* always legacy */
    remoting_cmd_t *resp = call(&f, req);
    check_body(resp,
               "{\"brokerAddrTable\":{\"broker-a\":{\"brokerAddrs\":{0:\"192.168.0.10:10911\","
               "1:\"192.168.0.11:10911\"},\"brokerName\":\"broker-a\",\"cluster\":"
               "\"DefaultCluster\",\"enableActingMaster\":false}},\"clusterAddrTable\":{"
               "\"DefaultCluster\":[\"broker-a\"]}}");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    req = new_req(PROTO_GET_BROKER_MEMBER_GROUP);
    remoting_cmd_ext_set(req, "clusterName", "DefaultCluster");
    remoting_cmd_ext_set(req, "brokerName", "broker-a");
    resp = call(&f, req);
    check_body(resp, "{\"brokerMemberGroup\":{\"brokerAddrs\":{0:\"192.168.0.10:10911\",1:"
                     "\"192.168.0.11:10911\"},\"brokerName\":\"broker-a\",\"cluster\":"
                     "\"DefaultCluster\"}}");
    remoting_cmd_destroy(resp);
    remoting_cmd_ext_set(req, "brokerName", "nobody");
    resp = call(&f, req);
    check_body(resp, "{\"brokerMemberGroup\":{\"brokerAddrs\":{},\"brokerName\":\"nobody\","
                     "\"cluster\":\"DefaultCluster\"}}");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void set_no_lists(namesrv_config_t *cfg) {
    cfg->enableAllTopicList = false;
    cfg->enableTopicList = false;
}

static void test_topic_lists(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, NULL, "C1", "b1", 0, "h:1", topics_a, 2);
    const char *t2[] = {"Other", "TBW102"};
    do_register(&f, NULL, "C2", "b2", 0, "h:2", t2, 2);

    remoting_cmd_t *req = new_req(PROTO_GET_ALL_TOPIC_LIST_FROM_NAMESERVER);
    remoting_cmd_t *resp = call(&f, req);
    proto_topic_list_t tl;
    CHECK_EQ(proto_topic_list_decode(resp->body.ptr, resp->body.len, &tl), 0);
    CHECK_EQ(tl.topicList.count, 3);
    proto_topic_list_close(&tl);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    req = new_req(PROTO_GET_TOPICS_BY_CLUSTER);
    remoting_cmd_ext_set(req, "cluster", "C2");
    resp = call(&f, req);
    CHECK_EQ(proto_topic_list_decode(resp->body.ptr, resp->body.len, &tl), 0);
    CHECK_EQ(tl.topicList.count, 2);
    CHECK(proto_strs_has(&tl.topicList, "Other"));
    CHECK(!proto_strs_has(&tl.topicList, "TopicTest"));
    proto_topic_list_close(&tl);
    remoting_cmd_destroy(resp);
    remoting_cmd_ext_set(req, "cluster", "none");
    resp = call(&f, req);
    check_body(resp, "{\"topicList\":[]}");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    req = new_req(PROTO_GET_SYSTEM_TOPIC_LIST_FROM_NS);
    resp = call(&f, req);
    CHECK_EQ(proto_topic_list_decode(resp->body.ptr, resp->body.len, &tl), 0);
    CHECK_EQ(tl.topicList.count, 4); /* C1 b1 C2 b2 */
    CHECK(tl.brokerAddr != NULL);
    proto_topic_list_close(&tl);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    req = new_req(PROTO_GET_UNIT_TOPIC_LIST);
    resp = call(&f, req);
    check_body(resp, "{\"topicList\":[]}");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);

    fixture_open_with(&f, set_no_lists);
    int codes[] = {PROTO_GET_ALL_TOPIC_LIST_FROM_NAMESERVER, PROTO_GET_TOPICS_BY_CLUSTER,
                   PROTO_GET_UNIT_TOPIC_LIST, PROTO_GET_HAS_UNIT_SUB_TOPIC_LIST,
                   PROTO_GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        req = new_req(codes[i]);
        resp = call(&f, req);
        CHECK_EQ(resp->code, PROTO_SYSTEM_ERROR);
        CHECK_STREQ(remoting_cmd_remark(resp), "disable");
        remoting_cmd_destroy(resp);
        remoting_cmd_destroy(req);
    }
    fixture_close(&f);
}

static void test_write_perm(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, NULL, "C", "broker-a", 0, "h:1", topics_a, 2);
    remoting_cmd_t *req = new_req(PROTO_WIPE_WRITE_PERM_OF_BROKER);
    remoting_cmd_ext_set(req, "brokerName", "broker-a");
    remoting_cmd_t *resp = call(&f, req);
    CHECK_STREQ(remoting_cmd_ext_get(resp, "wipeTopicCount"), "2");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    rmq_buf_t b;
    rmq_buf_init(&b);
    route_of(&f, "TopicTest", 479, &b);
    CHECK(memmem(b.data, b.len, "\"perm\":4", 8) != NULL);

    req = new_req(PROTO_ADD_WRITE_PERM_OF_BROKER);
    remoting_cmd_ext_set(req, "brokerName", "broker-a");
    resp = call(&f, req);
    CHECK_STREQ(remoting_cmd_ext_get(resp, "addTopicCount"), "2");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    route_of(&f, "TopicTest", 479, &b);
    CHECK(memmem(b.data, b.len, "\"perm\":6", 8) != NULL);
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void test_delete_and_register_topic(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, NULL, "C1", "b1", 0, "h:1", topics_a, 2);
    do_register(&f, NULL, "C2", "b2", 0, "h:2", topics_a, 2);

    remoting_cmd_t *req = new_req(PROTO_DELETE_TOPIC_IN_NAMESRV);
    remoting_cmd_ext_set(req, "topic", "TopicTest");
    remoting_cmd_ext_set(req, "clusterName", "C1");
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(route_of(&f, "TopicTest", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "\"b1\"", 4) == NULL);
    remoting_cmd_ext_set(req, "clusterName", "");
    resp = call(&f, req);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    CHECK_EQ(route_of(&f, "TopicTest", 479, NULL), PROTO_TOPIC_NOT_EXIST);

    req = new_req(PROTO_REGISTER_TOPIC_IN_NAMESRV);
    remoting_cmd_ext_set(req, "topic", "NewTopic");
    const char *rd = "{\"queueDatas\":[{\"brokerName\":\"b2\",\"perm\":6,\"readQueueNums\":2,"
                     "\"topicSysFlag\":0,\"writeQueueNums\":2}]}";
    remoting_cmd_copy_body(req, rd, strlen(rd));
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    CHECK_EQ(route_of(&f, "NewTopic", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "\"readQueueNums\":2", 17) != NULL);

    /* Unknown broker names are refused. */
    req = new_req(PROTO_REGISTER_TOPIC_IN_NAMESRV);
    remoting_cmd_ext_set(req, "topic", "Ghost");
    const char *ghost = "{\"queueDatas\":[{\"brokerName\":\"bX\",\"perm\":6}]}";
    remoting_cmd_copy_body(req, ghost, strlen(ghost));
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    CHECK_EQ(route_of(&f, "Ghost", 479, NULL), PROTO_TOPIC_NOT_EXIST);
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void test_query_data_version_and_heartbeat(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = new_req(PROTO_QUERY_DATA_VERSION);
    remoting_cmd_ext_set(req, "brokerName", "b");
    remoting_cmd_ext_set(req, "brokerAddr", "h:1");
    remoting_cmd_ext_set(req, "clusterName", "C");
    remoting_cmd_ext_set(req, "brokerId", "0");
    const char *dv = "{\"counter\":1,\"stateVersion\":0,\"timestamp\":1}";
    remoting_cmd_copy_body(req, dv, strlen(dv));
    remoting_cmd_t *resp = call(&f, req);
    CHECK_STREQ(remoting_cmd_ext_get(resp, "changed"), "true");
    CHECK_EQ(resp->body.len, 0);
    remoting_cmd_destroy(resp);

    do_register(&f, NULL, "C", "b", 0, "h:1", topics_a, 2);
    resp = call(&f, req);
    CHECK_STREQ(remoting_cmd_ext_get(resp, "changed"), "false");
    check_body(resp, dv);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    req = new_req(PROTO_BROKER_HEARTBEAT);
    remoting_cmd_ext_set(req, "clusterName", "C");
    remoting_cmd_ext_set(req, "brokerAddr", "h:1");
    remoting_cmd_ext_set(req, "brokerName", "b");
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void test_unregister(void) {
    ns_fixture_t f;
    fixture_open(&f);
    do_register(&f, NULL, "C", "b", 0, "h:1", topics_a, 2);
    remoting_cmd_t *req = new_req(PROTO_UNREGISTER_BROKER);
    remoting_cmd_ext_set(req, "brokerName", "b");
    remoting_cmd_ext_set(req, "brokerAddr", "h:1");
    remoting_cmd_ext_set(req, "clusterName", "C");
    remoting_cmd_ext_set(req, "brokerId", "0");
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    CHECK_EQ(route_of(&f, "TopicTest", 479, NULL), PROTO_TOPIC_NOT_EXIST);
    req = new_req(PROTO_GET_BROKER_CLUSTER_INFO);
    resp = call(&f, req);
    check_body(resp, "{\"brokerAddrTable\":{},\"clusterAddrTable\":{}}");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void test_config_get_update(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = new_req(PROTO_UPDATE_NAMESRV_CONFIG);
    remoting_cmd_copy_body(req, "kvConfigPath=/tmp/x\n", 20);
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_NO_PERMISSION);
    CHECK_STREQ(remoting_cmd_remark(resp), "Can not update config in black list.");
    remoting_cmd_destroy(resp);
    remoting_cmd_copy_body(req, "rocketmqHome=/x\n", 16);
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_NO_PERMISSION);
    remoting_cmd_destroy(resp);
    remoting_cmd_copy_body(req, "enableAllTopicList=false\nnoSuchKey=1\n", 37);
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    CHECK(access(f.cfg_path, R_OK) == 0);

    req = new_req(PROTO_GET_NAMESRV_CONFIG);
    resp = call(&f, req);
    CHECK(memmem(resp->body.ptr, resp->body.len, "\nenableAllTopicList=false\n", 26) != NULL);
    CHECK(memmem(resp->body.ptr, resp->body.len, "\nlistenPort=9876\n", 17) != NULL);
    CHECK(memmem(resp->body.ptr, resp->body.len, "noSuchKey", 9) == NULL);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);

    req = new_req(PROTO_GET_ALL_TOPIC_LIST_FROM_NAMESERVER);
    resp = call(&f, req);
    CHECK_STREQ(remoting_cmd_remark(resp), "disable");
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void set_wait(namesrv_config_t *cfg) {
    cfg->needWaitForService = true;
    cfg->waitSecondsForService = 45;
}

static void test_wait_for_service(void) {
    ns_fixture_t f;
    fixture_open_with(&f, set_wait);
    do_register(&f, NULL, "C", "b", 0, "h:1", topics_a, 2);
    remoting_cmd_t *req = new_req(PROTO_GET_ROUTEINFO_BY_TOPIC);
    remoting_cmd_ext_set(req, "topic", "TopicTest");
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remoting_cmd_remark(resp), "name server not ready");
    remoting_cmd_destroy(resp);
    f.now += 45000;
    resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

int main(void) {
    RUN(test_register_then_route_both_renderings);
    RUN(test_route_not_found_remark);
    RUN(test_missing_header_field_is_system_error);
    RUN(test_unknown_code_not_supported);
    RUN(test_register_crc_and_body_errors);
    RUN(test_single_topic_registration_rule);
    RUN(test_compressed_body_even_when_flag_says_not);
    RUN(test_slave_gets_master_addresses);
    RUN(test_order_topic_config);
    RUN(test_kv_requests);
    RUN(test_cluster_info_and_member_group);
    RUN(test_topic_lists);
    RUN(test_write_perm);
    RUN(test_delete_and_register_topic);
    RUN(test_query_data_version_and_heartbeat);
    RUN(test_unregister);
    RUN(test_config_get_update);
    RUN(test_wait_for_service);
    return 0;
}
