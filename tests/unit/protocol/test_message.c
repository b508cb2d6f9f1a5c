/* protocol/message.c, heartbeat.c, send_header.c, pull_header.c: the broker's codec pieces. */
#include "common/alloc.h"
#include "protocol/codes.h"
#include "protocol/heartbeat.h"
#include "protocol/message.h"
#include "protocol/pull_header.h"
#include "protocol/send_header.h"
#include "test.h"

#include <errno.h>

static void test_props_append_get_remove(void) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_props_append(&b, "TAGS", "TagA", 4);
    proto_props_append(&b, "KEYS", "k1 k2", 5);
    proto_props_append(&b, "TAGS", "TagB", 4);
    rmq_slice_t v;
    CHECK(proto_props_get(rmq_buf_slice(&b), "TAGS", &v));
    CHECK_MEMSTR(v.ptr, v.len, "TagB"); /* last one wins, as Java's map */
    CHECK(proto_props_get(rmq_buf_slice(&b), "KEYS", &v));
    CHECK_MEMSTR(v.ptr, v.len, "k1 k2");
    CHECK(!proto_props_get(rmq_buf_slice(&b), "WAIT", &v));
    rmq_buf_t o;
    rmq_buf_init(&o);
    proto_props_remove(rmq_buf_slice(&b), "TAGS", &o);
    CHECK_MEMSTR(o.data, o.len, "KEYS\001k1 k2\002");
    /* Empty values and a missing final separator, as Java parses them. */
    rmq_slice_t odd = RMQ_SLICE_LIT("A\001\002B\001x");
    CHECK(!proto_props_get(odd, "A", &v));
    CHECK(proto_props_get(odd, "B", &v));
    CHECK_MEMSTR(v.ptr, v.len, "x");
    rmq_buf_close(&b);
    rmq_buf_close(&o);
}

static void test_msg_id_roundtrip(void) {
    const uint8_t ip[4] = {192, 168, 0, 10};
    char id[57];
    CHECK_EQ(proto_msg_id_encode(ip, 4, 10911, 4096, id), 32);
    CHECK_STREQ(id, "C0A8000A00002A9F0000000000001000");
    uint8_t addr[16];
    size_t alen;
    int32_t port;
    int64_t off;
    CHECK_EQ(proto_msg_id_decode(id, 32, addr, &alen, &port, &off), 0);
    CHECK_EQ(alen, 4);
    CHECK_EQ(addr[0], 192);
    CHECK_EQ(port, 10911);
    CHECK_EQ(off, 4096);
    CHECK_EQ(proto_msg_id_decode("XYZ", 3, addr, &alen, &port, &off), -EINVAL);
}

static void test_uniq_gen(void) {
    proto_uniq_gen_t g;
    const uint8_t ip[4] = {127, 0, 0, 1};
    proto_uniq_gen_init(&g, ip, 0x0F2C, 0x18B4AAC2);
    char a[33], b[33];
    proto_uniq_gen_next(&g, 1700000000000, a);
    proto_uniq_gen_next(&g, 1700000000000, b);
    CHECK_EQ(strlen(a), 32);
    CHECK(strncmp(a, "7F0000010F2C18B4AAC2", 20) == 0);
    CHECK(strcmp(a, b) != 0);
}

static void test_batch_iterate(void) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_batch_append(&b, 0, RMQ_SLICE_LIT("a"),
                       RMQ_SLICE_LIT("UNIQ_KEY\001X\002WAIT\001true\002TAGS\001TagA\002"));
    proto_batch_append(&b, 7, RMQ_SLICE_LIT("bc"), RMQ_SLICE_LIT(""));
    CHECK_EQ(rmq_get_u32be(b.data), 0x36); /* the spec's example record */
    rmq_slice_t rest = rmq_buf_slice(&b);
    proto_batch_msg_t m;
    CHECK_EQ(proto_batch_next(&rest, &m), 1);
    CHECK_MEMSTR(m.body.ptr, m.body.len, "a");
    CHECK_EQ(proto_batch_next(&rest, &m), 1);
    CHECK_EQ(m.flag, 7);
    CHECK_MEMSTR(m.body.ptr, m.body.len, "bc");
    CHECK_EQ(proto_batch_next(&rest, &m), 0);
    rmq_slice_t bad = rmq_slice(b.data, 30);
    CHECK_EQ(proto_batch_next(&bad, &m), -EBADMSG);
    rmq_buf_close(&b);
}

static void test_topic_validate(void) {
    char buf[256];
    CHECK(proto_topic_validate("TopicTest", buf, sizeof buf) == NULL);
    CHECK(proto_topic_validate("%RETRY%g", buf, sizeof buf) == NULL);
    CHECK_STREQ(proto_topic_validate(" ", buf, sizeof buf), "The specified topic is blank.");
    CHECK_STREQ(proto_topic_validate("a b", buf, sizeof buf),
                "The specified topic: a b, contains illegal characters, allowing only "
                "^[%|a-zA-Z0-9_-]+$");
    CHECK(proto_topic_is_not_allowed_send("SCHEDULE_TOPIC_XXXX"));
    CHECK(!proto_topic_is_not_allowed_send("TopicTest"));
}

static void test_heartbeat_decode(void) {
    const char *json =
        "{\"clientID\":\"192.168.0.5@12345#1234567890\",\"consumerDataSet\":[{"
        "\"consumeFromWhere\":\"CONSUME_FROM_LAST_OFFSET\",\"consumeType\":\"CONSUME_PASSIVELY\","
        "\"groupName\":\"CG\",\"messageModel\":\"CLUSTERING\",\"subscriptionDataSet\":[{"
        "\"classFilterMode\":false,\"codeSet\":[2598919,2598920],\"expressionType\":\"TAG\","
        "\"subString\":\"TagA || TagB\",\"subVersion\":1700000000123,\"tagsSet\":[\"TagA\","
        "\"TagB\"],\"topic\":\"TopicTest\"}],\"unitMode\":false}],\"heartbeatFingerprint\":0,"
        "\"producerDataSet\":[{\"groupName\":\"PG\"}],\"withoutSub\":false}";
    proto_heartbeat_t hb;
    CHECK_EQ(proto_heartbeat_decode(json, strlen(json), &hb), 0);
    CHECK_STREQ(hb.clientID, "192.168.0.5@12345#1234567890");
    CHECK_EQ(hb.producerGroups.count, 1);
    CHECK_EQ(hb.consumer_count, 1);
    CHECK_STREQ(hb.consumers[0].groupName, "CG");
    CHECK_EQ(hb.consumers[0].sub_count, 1);
    CHECK_EQ(hb.consumers[0].subs[0].code_count, 2);
    CHECK_EQ(hb.consumers[0].subs[0].codes[0], 2598919);
    CHECK_EQ(hb.consumers[0].subs[0].subVersion, 1700000000123LL);
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_heartbeat_encode(&hb, &out);
    proto_heartbeat_t again;
    CHECK_EQ(proto_heartbeat_decode(out.data, out.len, &again), 0);
    CHECK_EQ(again.consumers[0].subs[0].codes[1], 2598920);
    proto_heartbeat_close(&again);
    proto_heartbeat_close(&hb);
    rmq_buf_close(&out);
    CHECK_EQ(proto_heartbeat_decode("{}", 2, &hb), -EINVAL);
}

static void test_subscription_build(void) {
    proto_subscription_t s;
    CHECK_EQ(proto_subscription_build(&s, "T", " TagA ||TagB|| ", NULL), 0);
    CHECK_EQ(s.code_count, 2);
    CHECK_EQ(s.codes[0], 2598919);
    proto_subscription_close(&s);
    CHECK_EQ(proto_subscription_build(&s, "T", "*", "TAG"), 0);
    CHECK_EQ(s.code_count, 0);
    proto_subscription_close(&s);
    CHECK_EQ(proto_subscription_build(&s, "T", "a > 1", "SQL92"), -EINVAL);
    proto_subscription_close(&s);

    /* The allocation-free form gives the same codes, counts past its array. */
    int64_t codes[1];
    size_t n = 9;
    CHECK_EQ(proto_tag_codes(" TagA ||TagB|| ", NULL, codes, 1, &n), 0);
    CHECK_EQ(n, 2);
    CHECK_EQ(codes[0], 2598919);
    CHECK_EQ(proto_tag_codes("*", "TAG", codes, 1, &n), 0);
    CHECK_EQ(n, 0);
    CHECK_EQ(proto_tag_codes("", NULL, codes, 1, &n), 0);
    CHECK_EQ(n, 0);
    CHECK_EQ(proto_tag_codes("a > 1", "SQL92", codes, 1, &n), -EINVAL);
}

static void test_send_header_v1_v2(void) {
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    remoting_cmd_set_request(&cmd, PROTO_SEND_MESSAGE_V2);
    const char *kv[][2] = {{"a", "PG"},         {"b", "T"},   {"c", "TBW102"}, {"d", "4"},
                           {"e", "1"},          {"f", "0"},   {"g", "17"},     {"h", "0"},
                           {"i", "X\001Y\002"}, {"m", "true"}};
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        remoting_cmd_ext_set(&cmd, kv[i][0], kv[i][1]);
    proto_send_message_request_header_t h = {0};
    CHECK_EQ(proto_send_message_request_header_decode_any(&cmd, &h, NULL), 0);
    CHECK_STREQ(h.topic, "T");
    CHECK_EQ(h.queueId, 1);
    CHECK_EQ(h.bornTimestamp, 17);
    CHECK(h.batch && h.has_batch);
    /* The same fields under code 10 need the long names. */
    cmd.code = PROTO_SEND_MESSAGE;
    const char *bad = NULL;
    CHECK_EQ(proto_send_message_request_header_decode_any(&cmd, &h, &bad), -EINVAL);
    CHECK_STREQ(bad, "producerGroup");
    remoting_cmd_close(&cmd);
}

static void test_pull_response_header(void) {
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    proto_pull_message_response_header_t rh = {
        .nextBeginOffset = 5, .maxOffset = 9, .topicSysFlag = 0, .has_topicSysFlag = true};
    proto_pull_message_response_header_encode(&rh, &cmd);
    CHECK_STREQ(remoting_cmd_ext_get(&cmd, "nextBeginOffset"), "5");
    CHECK_STREQ(remoting_cmd_ext_get(&cmd, "suggestWhichBrokerId"), "0");
    CHECK_STREQ(remoting_cmd_ext_get(&cmd, "topicSysFlag"), "0");
    CHECK(remoting_cmd_ext_get(&cmd, "groupSysFlag") == NULL);
    remoting_cmd_close(&cmd);
}

int main(void) {
    RUN(test_props_append_get_remove);
    RUN(test_msg_id_roundtrip);
    RUN(test_uniq_gen);
    RUN(test_batch_iterate);
    RUN(test_topic_validate);
    RUN(test_heartbeat_decode);
    RUN(test_subscription_build);
    RUN(test_send_header_v1_v2);
    RUN(test_pull_response_header);
    return 0;
}
