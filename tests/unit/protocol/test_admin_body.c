/*
 * protocol/admin_body.c: the administration bodies with MessageQueue-keyed maps written
 * in fastjson's object-key form, and read back (also from the quoted-key form).
 */
#include "common/alloc.h"
#include "protocol/admin_body.h"
#include "test.h"

#include <string.h>

static void test_consume_stats_round_trip(void) {
    proto_consume_stats_t cs = {0};
    proto_offset_wrapper_t *ow = proto_consume_stats_add(&cs, "TopicTest", "broker-a", 0);
    ow->brokerOffset = 100;
    ow->consumerOffset = 90;
    ow->pullOffset = 95;
    ow->lastTimestamp = 1700000000000;
    cs.consumeTps = 1.5;
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_consume_stats_encode(&cs, &out);
    CHECK_STREQ(rmq_buf_cstr(&out),
                "{\"consumeTps\":1.5,\"offsetTable\":{{\"brokerName\":\"broker-a\",\"queueId\":0,"
                "\"topic\":\"TopicTest\"}:{\"brokerOffset\":100,\"consumerOffset\":90,"
                "\"lastTimestamp\":1700000000000,\"pullOffset\":95}}}");
    proto_consume_stats_t back;
    CHECK_EQ(proto_consume_stats_decode(out.data, out.len, &back), 0);
    CHECK_EQ(back.count, 1);
    CHECK_STREQ(back.items[0].mq.topic, "TopicTest");
    CHECK_STREQ(back.items[0].mq.brokerName, "broker-a");
    CHECK_EQ(back.items[0].brokerOffset, 100);
    CHECK_EQ(back.items[0].pullOffset, 95);
    CHECK(back.consumeTps == 1.5);
    proto_consume_stats_close(&back);
    proto_consume_stats_close(&cs);
    rmq_buf_close(&out);
}

static void test_topic_stats_round_trip(void) {
    proto_topic_stats_t ts = {0};
    for (int i = 0; i < 2; i++) {
        proto_topic_offset_t *to = proto_topic_stats_add(&ts, "T", "b", i);
        to->maxOffset = 10 + i;
        to->lastUpdateTimestamp = 5;
    }
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_topic_stats_encode(&ts, &out);
    CHECK_STREQ(rmq_buf_cstr(&out),
                "{\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":0,\"topic\":\"T\"}:{"
                "\"lastUpdateTimestamp\":5,\"maxOffset\":10,\"minOffset\":0},{\"brokerName\":\"b\","
                "\"queueId\":1,\"topic\":\"T\"}:{\"lastUpdateTimestamp\":5,\"maxOffset\":11,"
                "\"minOffset\":0}},\"topicPutTps\":0.0}");
    proto_topic_stats_t back;
    CHECK_EQ(proto_topic_stats_decode(out.data, out.len, &back), 0);
    CHECK_EQ(back.count, 2);
    CHECK_EQ(back.items[1].mq.queueId, 1);
    CHECK_EQ(back.items[1].maxOffset, 11);
    proto_topic_stats_close(&back);
    proto_topic_stats_close(&ts);
    rmq_buf_close(&out);
}

static void test_reset_offset_forms(void) {
    proto_reset_offset_t ro = {0};
    proto_reset_offset_add(&ro, "T", "b", 3, 42);
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_reset_offset_encode(&ro, false, &out);
    CHECK_STREQ(rmq_buf_cstr(&out),
                "{\"offsetTable\":{{\"brokerName\":\"b\",\"queueId\":3,\"topic\":\"T\"}:42}}");
    proto_reset_offset_t back;
    CHECK_EQ(proto_reset_offset_decode(out.data, out.len, &back), 0);
    CHECK_EQ(back.count, 1);
    CHECK_EQ(back.items[0].offset, 42);
    CHECK_EQ(back.items[0].mq.queueId, 3);
    proto_reset_offset_close(&back);
    rmq_buf_reset(&out);
    proto_reset_offset_encode(&ro, true, &out);
    CHECK_STREQ(
        rmq_buf_cstr(&out),
        "{\"offsetTable\":[{\"brokerName\":\"b\",\"offset\":42,\"queueId\":3,\"topic\":\"T\"}]}");
    CHECK_EQ(proto_reset_offset_decode(out.data, out.len, &back), 0);
    CHECK_EQ(back.count, 1);
    CHECK_STREQ(back.items[0].mq.topic, "T");
    CHECK_EQ(back.items[0].offset, 42);
    proto_reset_offset_close(&back);
    /* A strict-JSON writer's quoted key holding the key object. */
    const char *quoted = "{\"offsetTable\":{\"{\\\"brokerName\\\":\\\"b\\\",\\\"queueId\\\":1,"
                         "\\\"topic\\\":\\\"T\\\"}\":7}}";
    CHECK_EQ(proto_reset_offset_decode(quoted, strlen(quoted), &back), 0);
    CHECK_EQ(back.count, 1);
    CHECK_EQ(back.items[0].mq.queueId, 1);
    CHECK_EQ(back.items[0].offset, 7);
    proto_reset_offset_close(&back);
    CHECK(proto_reset_offset_decode("[1]", 3, &back) != 0);
    proto_reset_offset_close(&ro);
    rmq_buf_close(&out);
}

static void test_connections(void) {
    proto_client_connection_t cc = {0};
    proto_client_connection_add(&cc, "127.0.0.1@1#2", "127.0.0.1:53000", "JAVA", 479);
    cc.consumeType = rmq_strdup("CONSUME_PASSIVELY");
    cc.messageModel = rmq_strdup("CLUSTERING");
    cc.consumeFromWhere = rmq_strdup("CONSUME_FROM_LAST_OFFSET");
    cc.subs = rmq_calloc(1, sizeof *cc.subs);
    CHECK_EQ(proto_subscription_build(&cc.subs[0], "TopicTest", "*", "TAG"), 0);
    cc.subs[0].subVersion = 1700000000000;
    cc.nsub = 1;
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_client_connection_encode(&cc, true, &out);
    CHECK_STREQ(
        rmq_buf_cstr(&out),
        "{\"connectionSet\":[{\"clientAddr\":\"127.0.0.1:53000\",\"clientId\":"
        "\"127.0.0.1@1#2\",\"language\":\"JAVA\",\"version\":479}],\"consumeFromWhere\":"
        "\"CONSUME_FROM_LAST_OFFSET\",\"consumeType\":\"CONSUME_PASSIVELY\",\"messageModel\":"
        "\"CLUSTERING\",\"subscriptionTable\":{\"TopicTest\":{\"classFilterMode\":false,"
        "\"codeSet\":[],\"expressionType\":\"TAG\",\"subString\":\"*\",\"subVersion\":"
        "1700000000000,\"tagsSet\":[],\"topic\":\"TopicTest\"}}}");
    proto_client_connection_t back;
    CHECK_EQ(proto_client_connection_decode(out.data, out.len, &back), 0);
    CHECK_EQ(back.nconn, 1);
    CHECK_STREQ(back.conns[0].language, "JAVA");
    CHECK_EQ(back.conns[0].version, 479);
    CHECK_STREQ(back.messageModel, "CLUSTERING");
    CHECK_EQ(back.nsub, 1);
    CHECK_STREQ(back.subs[0].topic, "TopicTest");
    proto_client_connection_close(&back);
    rmq_buf_reset(&out);
    proto_client_connection_encode(&cc, false, &out);
    CHECK_STREQ(rmq_buf_cstr(&out),
                "{\"connectionSet\":[{\"clientAddr\":\"127.0.0.1:53000\",\"clientId\":"
                "\"127.0.0.1@1#2\",\"language\":\"JAVA\",\"version\":479}]}");
    proto_client_connection_close(&cc);
    rmq_buf_close(&out);
}

int main(void) {
    test_consume_stats_round_trip();
    test_topic_stats_round_trip();
    test_reset_offset_forms();
    test_connections();
    return 0;
}
