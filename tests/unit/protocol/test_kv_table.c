/* Tests protocol/kv_table.c and cluster_info.c: KVTable, TopicList, kvConfig.json,
 * ClusterInfo and BrokerMemberGroup. */
#include "protocol/cluster_info.h"
#include "protocol/kv_table.h"
#include "test.h"

#include <string.h>

static void test_kv_table(void) {
    proto_kvs_t t = {0};
    proto_kvs_put(&t, "TopicTest", "broker-a:4;broker-b:4");
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_kv_table_encode(&t, &b);
    CHECK_MEMSTR(b.data, b.len, "{\"table\":{\"TopicTest\":\"broker-a:4;broker-b:4\"}}");
    proto_kvs_t r = {0};
    CHECK_EQ(proto_kv_table_decode(b.data, b.len, &r), 0);
    CHECK_STREQ(proto_kvs_get(&r, "TopicTest"), "broker-a:4;broker-b:4");
    CHECK(proto_kv_table_decode("[]", 2, &r) != 0);
    proto_kvs_close(&r);
    proto_kvs_close(&t);
    rmq_buf_close(&b);
}

static void test_topic_list(void) {
    proto_topic_list_t tl = {0};
    proto_strs_add(&tl.topicList, "TopicTest", 9);
    proto_strs_add(&tl.topicList, "TBW102", 6);
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_topic_list_encode(&tl, &b);
    CHECK_MEMSTR(b.data, b.len, "{\"topicList\":[\"TopicTest\",\"TBW102\"]}");
    tl.brokerAddr = strdup("h:1");
    rmq_buf_reset(&b);
    proto_topic_list_encode(&tl, &b);
    CHECK_MEMSTR(b.data, b.len,
                 "{\"brokerAddr\":\"h:1\",\"topicList\":[\"TopicTest\",\"TBW102\"]}");
    proto_topic_list_t r;
    CHECK_EQ(proto_topic_list_decode(b.data, b.len, &r), 0);
    CHECK_STREQ(r.brokerAddr, "h:1");
    CHECK_EQ(r.topicList.count, 2);
    proto_topic_list_close(&r);
    free(tl.brokerAddr);
    tl.brokerAddr = NULL;
    proto_topic_list_close(&tl);
    rmq_buf_close(&b);
}

static void test_kv_config_file(void) {
    const char *in =
        "{\"configTable\":{\"ORDER_TOPIC_CONFIG\":{\"T\":\"b:4\"},\"NS\":{\"k\":\"v\"}}}";
    proto_kv_config_t cfg;
    CHECK_EQ(proto_kv_config_decode(in, strlen(in), &cfg), 0);
    CHECK_EQ(cfg.count, 2);
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_kv_config_encode(&cfg, &b);
    /* java.util.HashMap iterates ORDER_TOPIC_CONFIG before NS. */
    CHECK_MEMSTR(b.data, b.len, in);
    proto_kv_config_close(&cfg);
    rmq_buf_close(&b);
}

static const char cluster_spec[] =
    "{\"brokerAddrTable\":{\"broker-a\":{\"brokerAddrs\":{0:\"192.168.0.10:10911\",1:\"192.168.0."
    "11:10911\"},\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\",\"enableActingMaster"
    "\":false}},\"clusterAddrTable\":{\"DefaultCluster\":[\"broker-a\"]}}";

static void test_cluster_info(void) {
    proto_cluster_info_t ci;
    CHECK_EQ(proto_cluster_info_decode(cluster_spec, strlen(cluster_spec), &ci), 0);
    CHECK_EQ(ci.broker_count, 1);
    CHECK_EQ(ci.cluster_count, 1);
    CHECK_STREQ(ci.clusters[0].brokerNames.items[0], "broker-a");
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_cluster_info_encode(&ci, &b);
    CHECK_MEMSTR(b.data, b.len, cluster_spec);
    proto_cluster_info_close(&ci);
    rmq_buf_close(&b);
}

static void test_broker_member_group(void) {
    const char *spec = "{\"brokerMemberGroup\":{\"brokerAddrs\":{0:\"h:1\",1:\"h:2\"},"
                       "\"brokerName\":\"broker-a\",\"cluster\":\"C\"}}";
    proto_broker_member_group_t g;
    CHECK_EQ(proto_broker_member_group_decode(spec, strlen(spec), &g), 0);
    CHECK_EQ(g.addr_count, 2);
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_broker_member_group_encode(&g, &b);
    CHECK_MEMSTR(b.data, b.len, spec);
    proto_broker_member_group_close(&g);
    rmq_buf_close(&b);
}

int main(void) {
    RUN(test_kv_table);
    RUN(test_topic_list);
    RUN(test_kv_config_file);
    RUN(test_cluster_info);
    RUN(test_broker_member_group);
    return 0;
}
