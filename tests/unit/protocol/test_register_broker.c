/* Tests protocol/register_broker.c and topic_config.c: the three body forms. */
#include "protocol/codes.h"
#include "protocol/register_broker.h"
#include "test.h"

#include <string.h>
#include <zlib.h>

/* Java 5.3.3 output for one topic (spec remoting.md 5.1.1). */
static const char spec_body[] =
    "{\"filterServerList\":[],\"topicConfigSerializeWrapper\":{\"dataVersion\":{\"counter\":5,"
    "\"stateVersion\":0,\"timestamp\":1700000000000},\"mappingDataVersion\":{\"counter\":0,"
    "\"stateVersion\":0,\"timestamp\":1700000000001},\"topicConfigTable\":{\"TopicTest\":"
    "{\"attributes\":{},\"order\":false,\"perm\":6,\"readQueueNums\":4,\"topicFilterType\":"
    "\"SINGLE_TAG\",\"topicName\":\"TopicTest\",\"topicSysFlag\":0,\"writeQueueNums\":4}},"
    "\"topicQueueMappingDetailMap\":{},\"topicQueueMappingInfoMap\":{}}}";

static void test_json_form_round_trip(void) {
    proto_register_broker_body_t body;
    CHECK_EQ(proto_register_broker_body_decode(spec_body, strlen(spec_body),
                                               PROTO_REGISTER_BODY_JSON, 479, &body),
             0);
    CHECK_EQ(body.wrapper.dataVersion.counter, 5);
    CHECK_EQ(body.wrapper.dataVersion.timestamp, 1700000000000LL);
    CHECK_EQ(body.wrapper.topic_count, 1);
    CHECK_STREQ(body.wrapper.topics[0].topicName, "TopicTest");
    CHECK_EQ(body.wrapper.topics[0].readQueueNums, 4);
    CHECK_EQ(body.wrapper.topics[0].perm, 6);
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(proto_register_broker_body_encode(&body, PROTO_REGISTER_BODY_JSON, 479, &b), 0);
    CHECK_MEMSTR(b.data, b.len, spec_body);
    rmq_buf_close(&b);
    proto_register_broker_body_close(&body);
}

static void test_old_form(void) {
    const char *old = "{\"dataVersion\":{\"counter\":2,\"timestamp\":7},\"topicConfigTable\":"
                      "{\"T\":{\"perm\":7,\"readQueueNums\":8,\"topicName\":\"T\","
                      "\"writeQueueNums\":8}}}";
    CHECK_EQ(proto_register_body_sniff(old, strlen(old), false, 30), PROTO_REGISTER_BODY_OLD);
    proto_register_broker_body_t body;
    CHECK_EQ(
        proto_register_broker_body_decode(old, strlen(old), PROTO_REGISTER_BODY_OLD, 30, &body), 0);
    CHECK_EQ(body.wrapper.dataVersion.counter, 2);
    CHECK_EQ(body.wrapper.topic_count, 1);
    CHECK_EQ(body.wrapper.topics[0].perm, 7);
    CHECK_EQ(body.wrapper.topics[0].topicFilterType, PROTO_TOPIC_FILTER_SINGLE_TAG);
    proto_register_broker_body_close(&body);
}

static void test_compressed_form_round_trip(void) {
    proto_register_broker_body_t body = {0};
    body.wrapper.dataVersion = (proto_data_version_t){.counter = 3, .timestamp = 99};
    for (int i = 0; i < 3; i++) {
        proto_topic_config_t tc;
        char name[16];
        snprintf(name, sizeof name, "T%d", i);
        proto_topic_config_init(&tc, name);
        tc.readQueueNums = 4 + i;
        tc.topicSysFlag = 1; /* lost by the text form */
        if (i == 2)
            proto_kvs_put(&tc.attributes, "+message.type", "FIFO");
        proto_topic_config_wrapper_add(&body.wrapper, &tc);
    }
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(proto_register_broker_body_encode(&body, PROTO_REGISTER_BODY_COMPRESSED, 479, &b), 0);
    CHECK_EQ((unsigned char)b.data[0], 0x78);
    CHECK_EQ((unsigned char)b.data[1], 0xDA);
    CHECK_EQ(proto_register_body_sniff(b.data, b.len, false, 479), PROTO_REGISTER_BODY_COMPRESSED);

    proto_register_broker_body_t got;
    CHECK_EQ(
        proto_register_broker_body_decode(b.data, b.len, PROTO_REGISTER_BODY_COMPRESSED, 479, &got),
        0);
    CHECK_EQ(got.wrapper.dataVersion.counter, 3);
    CHECK_EQ(got.wrapper.dataVersion.timestamp, 99);
    CHECK_EQ(got.wrapper.topic_count, 3);
    CHECK_STREQ(got.wrapper.topics[1].topicName, "T1");
    CHECK_EQ(got.wrapper.topics[1].readQueueNums, 5);
    CHECK_EQ(got.wrapper.topics[1].topicSysFlag, 0);
    CHECK_STREQ(proto_kvs_get(&got.wrapper.topics[2].attributes, "+message.type"), "FIFO");
    proto_register_broker_body_close(&got);

    /* A body without the mapping section decodes for an old version only. */
    CHECK_EQ(
        proto_register_broker_body_decode(b.data, b.len, PROTO_REGISTER_BODY_COMPRESSED, 400, &got),
        0);
    proto_register_broker_body_close(&got);

    /* Truncated streams fail cleanly. */
    CHECK(proto_register_broker_body_decode(b.data, b.len / 2, PROTO_REGISTER_BODY_COMPRESSED, 479,
                                            &got) != 0);
    rmq_buf_close(&b);
    proto_register_broker_body_close(&body);
}

static void test_compressed_hostile_counts(void) {
    /* DataVersion part, then a topic count far beyond the data. */
    unsigned char raw[64];
    const char *dv = "{\"counter\":1}";
    size_t n = 0;
    rmq_put_u32be(raw, (uint32_t)strlen(dv));
    n = 4;
    memcpy(raw + n, dv, strlen(dv));
    n += strlen(dv);
    rmq_put_u32be(raw + n, 0x7fffffff);
    n += 4;
    unsigned char z[128];
    uLongf zl = sizeof z;
    CHECK_EQ(compress2(z, &zl, raw, n, 9), Z_OK);
    proto_register_broker_body_t got;
    CHECK(proto_register_broker_body_decode((const char *)z, zl, PROTO_REGISTER_BODY_COMPRESSED,
                                            479, &got) != 0);
    CHECK(proto_register_broker_body_decode("\x78\x01garbage", 9, PROTO_REGISTER_BODY_COMPRESSED,
                                            479, &got) != 0);
}

static void test_topic_config_text_form(void) {
    proto_topic_config_t tc;
    const char *t = "TopicTest 4 4 6 SINGLE_TAG {}";
    CHECK_EQ(proto_topic_config_decode_text(t, strlen(t), &tc), 0);
    CHECK_STREQ(tc.topicName, "TopicTest");
    CHECK_EQ(tc.writeQueueNums, 4);
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_topic_config_encode_text(&tc, &b);
    CHECK_MEMSTR(b.data, b.len, t);
    rmq_buf_close(&b);
    proto_topic_config_close(&tc);

    const char *bad[] = {"T 4 4", "T x 4 6 SINGLE_TAG {}", "T 4 4 6 NOPE {}"};
    for (size_t i = 0; i < 3; i++)
        CHECK(proto_topic_config_decode_text(bad[i], strlen(bad[i]), &tc) != 0);
    /* Attributes with a space do not survive: upstream drops them. */
    const char *sp = "T 1 1 6 MULTI_TAG {\"a\":\"x y\"}";
    CHECK_EQ(proto_topic_config_decode_text(sp, strlen(sp), &tc), 0);
    CHECK_EQ(tc.topicFilterType, PROTO_TOPIC_FILTER_MULTI_TAG);
    CHECK_EQ(tc.attributes.count, 0);
    proto_topic_config_close(&tc);
}

static void test_sniffing(void) {
    CHECK_EQ(proto_register_body_sniff("{}", 2, true, 479), PROTO_REGISTER_BODY_JSON);
    CHECK_EQ(proto_register_body_sniff("\x78\xda", 2, false, 479), PROTO_REGISTER_BODY_COMPRESSED);
    CHECK_EQ(proto_register_body_sniff("", 0, false, 479), PROTO_REGISTER_BODY_JSON);
}

static void test_result_decode(void) {
    remoting_cmd_t *resp = remoting_cmd_new();
    remoting_cmd_ext_set(resp, "masterAddr", "h:1");
    const char *kv = "{\"table\":{\"T\":\"broker-a:4\"}}";
    remoting_cmd_borrow_body(resp, kv, strlen(kv));
    proto_register_broker_result_t res;
    CHECK_EQ(proto_register_broker_result_decode(resp, &res), 0);
    CHECK_STREQ(res.masterAddr, "h:1");
    CHECK(res.haServerAddr == NULL);
    CHECK_STREQ(proto_kvs_get(&res.kvTable, "T"), "broker-a:4");
    proto_register_broker_result_close(&res);
    remoting_cmd_destroy(resp);
}

int main(void) {
    RUN(test_json_form_round_trip);
    RUN(test_old_form);
    RUN(test_compressed_form_round_trip);
    RUN(test_compressed_hostile_counts);
    RUN(test_topic_config_text_form);
    RUN(test_sniffing);
    RUN(test_result_decode);
    return 0;
}
