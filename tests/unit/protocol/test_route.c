/* Tests protocol/route.c: TopicRouteData in both renderings (spec remoting.md 3.3). */
#include "protocol/route.h"
#include "test.h"

#include <string.h>

static const char legacy[] =
    "{\"brokerDatas\":[{\"brokerAddrs\":{0:\"192.168.0.10:10911\",1:\"192.168.0.11:10911\"},"
    "\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\",\"enableActingMaster\":false}],"
    "\"filterServerTable\":{},\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":6,"
    "\"readQueueNums\":4,\"topicSysFlag\":0,\"writeQueueNums\":4}]}";

static const char standard[] =
    "{\"brokerDatas\":[{\"brokerAddrs\":{\"0\":\"192.168.0.10:10911\",\"1\":\"192.168.0.11:10911\"}"
    ","
    "\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\",\"enableActingMaster\":false}],"
    "\"filterServerTable\":{},\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":6,"
    "\"readQueueNums\":4,\"topicSysFlag\":0,\"writeQueueNums\":4}]}";

static void check_encodes(const proto_topic_route_data_t *rd, proto_json_mode_t mode,
                          const char *expect) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_topic_route_data_encode(rd, mode, &b);
    CHECK_MEMSTR(b.data, b.len, expect);
    rmq_buf_close(&b);
}

static void test_route_spec_examples_round_trip(void) {
    proto_topic_route_data_t rd;
    CHECK_EQ(proto_topic_route_data_decode(legacy, strlen(legacy), &rd), 0);
    CHECK_EQ(rd.broker_count, 1);
    CHECK_EQ(rd.brokerDatas[0].addr_count, 2);
    CHECK_STREQ(proto_broker_data_addr(&rd.brokerDatas[0], 1), "192.168.0.11:10911");
    CHECK_EQ(rd.queue_count, 1);
    CHECK_EQ(rd.queueDatas[0].perm, 6);
    CHECK(!rd.has_mapping);
    check_encodes(&rd, PROTO_JSON_LEGACY, legacy);
    check_encodes(&rd, PROTO_JSON_STANDARD, standard);
    proto_topic_route_data_close(&rd);

    CHECK_EQ(proto_topic_route_data_decode(standard, strlen(standard), &rd), 0);
    check_encodes(&rd, PROTO_JSON_LEGACY, legacy);
    proto_topic_route_data_close(&rd);
}

static void test_route_optional_parts(void) {
    const char *in =
        "{\"brokerDatas\":[{\"brokerAddrs\":{},\"brokerName\":\"b\xc3\xa9\","
        "\"cluster\":\"C\",\"enableActingMaster\":true,\"zoneName\":\"z\"}],"
        "\"filterServerTable\":{},\"orderTopicConf\":\"b:4\",\"queueDatas\":[],"
        "\"topicQueueMappingByBroker\":{\"b\":{\"bname\":\"b\",\"currIdMap\":{1:5,0:3},"
        "\"dirty\":false,\"epoch\":9,\"scope\":\"__global__\",\"topic\":\"T\","
        "\"totalQueues\":2}}}";
    proto_topic_route_data_t rd;
    CHECK_EQ(proto_topic_route_data_decode(in, strlen(in), &rd), 0);
    CHECK_STREQ(rd.orderTopicConf, "b:4");
    CHECK(rd.has_mapping);
    CHECK_EQ(rd.mapping_count, 1);
    CHECK_EQ(rd.mappings[0].id_count, 2);
    CHECK_EQ(rd.mappings[0].currIdMap[0].physicalId, 3);
    check_encodes(
        &rd, PROTO_JSON_STANDARD,
        "{\"brokerDatas\":[{\"brokerAddrs\":{},\"brokerName\":\"b\\u00E9\",\"cluster\":\"C\","
        "\"enableActingMaster\":true,\"zoneName\":\"z\"}],\"filterServerTable\":{},"
        "\"orderTopicConf\":\"b:4\",\"queueDatas\":[],\"topicQueueMappingByBroker\":{\"b\":"
        "{\"bname\":\"b\",\"currIdMap\":{\"0\":3,\"1\":5},\"dirty\":false,\"epoch\":9,"
        "\"scope\":\"__global__\",\"topic\":\"T\",\"totalQueues\":2}}}");
    proto_topic_route_data_close(&rd);
}

static void test_route_rejects_garbage(void) {
    proto_topic_route_data_t rd;
    const char *bad[] = {"[1]", "{\"queueDatas\":[{}]}", "{", "",
                         "{\"brokerDatas\":[{\"brokerAddrs\":{\"x\":\"a\"}}]}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(proto_topic_route_data_decode(bad[i], strlen(bad[i]), &rd) != 0);
}

static void test_broker_data_addrs(void) {
    proto_broker_data_t bd;
    proto_broker_data_init(&bd, "C", "b");
    CHECK(proto_broker_data_put_addr(&bd, 2, "h:2"));
    CHECK(proto_broker_data_put_addr(&bd, 0, "h:0"));
    CHECK(!proto_broker_data_put_addr(&bd, 2, "h:22"));
    CHECK_EQ(bd.addrs[0].id, 0);
    CHECK_STREQ(proto_broker_data_addr(&bd, 2), "h:22");
    CHECK(proto_broker_data_del_addr(&bd, 0));
    CHECK(!proto_broker_data_del_addr(&bd, 0));
    CHECK_EQ(bd.addr_count, 1);
    proto_broker_data_close(&bd);
}

int main(void) {
    RUN(test_route_spec_examples_round_trip);
    RUN(test_route_optional_parts);
    RUN(test_route_rejects_garbage);
    RUN(test_broker_data_addrs);
    return 0;
}
