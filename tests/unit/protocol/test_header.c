/* Tests protocol/header.c and protocol/namesrv_header.c: ext-field decode and encode. */
#include "protocol/codes.h"
#include "protocol/namesrv_header.h"
#include "test.h"

#include <errno.h>

static void test_register_broker_header_round_trip(void) {
    remoting_cmd_t *cmd = remoting_cmd_new();
    proto_register_broker_request_header_t h = {
        .brokerName = "broker-a",
        .brokerAddr = "10.0.0.1:10911",
        .clusterName = "DefaultCluster",
        .haServerAddr = "10.0.0.1:10912",
        .brokerId = 0,
        .enableActingMaster = false,
        .has_enableActingMaster = true,
        .bodyCrc32 = 2010220930,
    };
    proto_register_broker_request_header_encode(&h, cmd);
    CHECK_STREQ(remoting_cmd_ext_get(cmd, "brokerId"), "0");
    CHECK_STREQ(remoting_cmd_ext_get(cmd, "compressed"), "false");
    CHECK_STREQ(remoting_cmd_ext_get(cmd, "enableActingMaster"), "false");
    CHECK_STREQ(remoting_cmd_ext_get(cmd, "bodyCrc32"), "2010220930");
    CHECK(remoting_cmd_ext_get(cmd, "heartbeatTimeoutMillis") == NULL);

    proto_register_broker_request_header_t d = {0};
    CHECK_EQ(proto_register_broker_request_header_decode(cmd, &d, NULL), 0);
    CHECK_STREQ(d.brokerName, "broker-a");
    CHECK_STREQ(d.haServerAddr, "10.0.0.1:10912");
    CHECK_EQ(d.brokerId, 0);
    CHECK(d.has_enableActingMaster);
    CHECK(!d.has_heartbeatTimeoutMillis);
    CHECK_EQ(d.bodyCrc32, 2010220930);
    remoting_cmd_destroy(cmd);
}

static void test_missing_required_field_names_it(void) {
    remoting_cmd_t *cmd = remoting_cmd_new();
    remoting_cmd_ext_set(cmd, "brokerName", "b");
    remoting_cmd_ext_set(cmd, "brokerAddr", "a:1");
    remoting_cmd_ext_set(cmd, "clusterName", "c");
    proto_broker_identity_header_t h = {0};
    const char *bad = NULL;
    CHECK_EQ(proto_broker_identity_header_decode(cmd, &h, &bad), -EINVAL);
    CHECK_STREQ(bad, "brokerId");
    remoting_cmd_ext_set(cmd, "brokerId", "x1");
    CHECK_EQ(proto_broker_identity_header_decode(cmd, &h, &bad), -EINVAL);
    remoting_cmd_ext_set(cmd, "brokerId", "-1");
    CHECK_EQ(proto_broker_identity_header_decode(cmd, &h, &bad), 0);
    CHECK_EQ(h.brokerId, -1);
    remoting_cmd_destroy(cmd);
}

static void test_optional_fields_and_booleans(void) {
    remoting_cmd_t *cmd = remoting_cmd_new();
    remoting_cmd_ext_set(cmd, "topic", "TopicTest");
    proto_get_route_info_request_header_t h = {0};
    CHECK_EQ(proto_get_route_info_request_header_decode(cmd, &h, NULL), 0);
    CHECK(!h.has_acceptStandardJsonOnly);
    remoting_cmd_ext_set(cmd, "acceptStandardJsonOnly", "TRUE");
    CHECK_EQ(proto_get_route_info_request_header_decode(cmd, &h, NULL), 0);
    CHECK(h.has_acceptStandardJsonOnly && h.acceptStandardJsonOnly);
    remoting_cmd_ext_set(cmd, "acceptStandardJsonOnly", "yes");
    CHECK_EQ(proto_get_route_info_request_header_decode(cmd, &h, NULL), 0);
    CHECK(!h.acceptStandardJsonOnly);

    /* An optional number that does not parse is dropped, not an error. */
    remoting_cmd_ext_set(cmd, "clusterName", "c");
    remoting_cmd_ext_set(cmd, "brokerAddr", "a:1");
    remoting_cmd_ext_set(cmd, "brokerName", "b");
    remoting_cmd_ext_set(cmd, "epoch", "zz");
    remoting_cmd_ext_set(cmd, "heartbeatTimeoutMills", "10000");
    proto_broker_heartbeat_request_header_t hb = {0};
    CHECK_EQ(proto_broker_heartbeat_request_header_decode(cmd, &hb, NULL), 0);
    CHECK(!hb.has_epoch);
    CHECK(hb.has_heartbeatTimeoutMills);
    CHECK_EQ(hb.heartbeatTimeoutMills, 10000);
    remoting_cmd_destroy(cmd);
}

static void test_response_headers(void) {
    remoting_cmd_t *cmd = remoting_cmd_new();
    proto_wipe_write_perm_of_broker_response_header_t w = {.wipeTopicCount = 7};
    proto_wipe_write_perm_of_broker_response_header_encode(&w, cmd);
    CHECK_STREQ(remoting_cmd_ext_get(cmd, "wipeTopicCount"), "7");
    proto_query_data_version_response_header_t q = {.changed = true, .has_changed = true};
    proto_query_data_version_response_header_encode(&q, cmd);
    CHECK_STREQ(remoting_cmd_ext_get(cmd, "changed"), "true");
    proto_kv_config_request_header_t kv = {.namespace_ = "NS", .key = "k"};
    proto_kv_config_request_header_encode(&kv, cmd);
    CHECK_STREQ(remoting_cmd_ext_get(cmd, "namespace"), "NS");
    remoting_cmd_destroy(cmd);
}

static void test_code_names(void) {
    CHECK_EQ(PROTO_GET_ROUTEINFO_BY_TOPIC, 105);
    CHECK_EQ(PROTO_GET_ROUTEINTO_BY_TOPIC, 105);
    CHECK_EQ(PROTO_BROKER_HEARTBEAT, 904);
    CHECK_EQ(PROTO_TOPIC_NOT_EXIST, 17);
    CHECK_EQ(PROTO_QUERY_NOT_FOUND, 22);
    CHECK_EQ(PROTO_GO_AWAY, 1500);
    CHECK_STREQ(proto_request_code_name(103), "REGISTER_BROKER");
    CHECK(proto_request_code_name(99999) == NULL);
}

int main(void) {
    RUN(test_register_broker_header_round_trip);
    RUN(test_missing_required_field_names_it);
    RUN(test_optional_fields_and_booleans);
    RUN(test_response_headers);
    RUN(test_code_names);
    return 0;
}
