/* Tests protocol/body.c: string lists and maps, Java hash order, the two renderings. */
#include "protocol/body.h"
#include "test.h"

#include "common/alloc.h"

#include <string.h>

static void test_java_hash_order_matches_hashmap(void) {
    /* Printed by java.util.HashMap.keySet() for these keys inserted in this order. */
    const char *keys[] = {"TopicTest",
                          "TBW102",
                          "broker-a",
                          "DefaultCluster",
                          "SCHEDULE_TOPIC_XXXX",
                          "%RETRY%group",
                          "RMQ_SYS_TRANS_HALF_TOPIC",
                          "OFFSET_MOVED_EVENT",
                          "a",
                          "b",
                          "zz",
                          "TopicA",
                          "TopicB",
                          "TopicC"};
    const char *expect = "%RETRY%group,zz,a,b,RMQ_SYS_TRANS_HALF_TOPIC,OFFSET_MOVED_EVENT,TBW102,"
                         "DefaultCluster,SCHEDULE_TOPIC_XXXX,TopicC,TopicB,TopicA,TopicTest,"
                         "broker-a";
    size_t order[14];
    proto_java_hash_order(keys, 14, order);
    rmq_buf_t b;
    rmq_buf_init(&b);
    for (size_t i = 0; i < 14; i++)
        rmq_buf_appendf(&b, "%s%s", i ? "," : "", keys[order[i]]);
    CHECK_MEMSTR(b.data, b.len, expect);
    rmq_buf_close(&b);
}

static void test_kvs_renderings(void) {
    proto_kvs_t m = {0};
    proto_kvs_put(&m, "k2", "v2");
    proto_kvs_put(&m, "k1", "v1");
    proto_kvs_put(&m, "key10", "\xc3\xa9");
    proto_kvs_put(&m, "k2", "v2b");
    CHECK_EQ(m.count, 3);
    CHECK_STREQ(proto_kvs_get(&m, "k2"), "v2b");
    rmq_buf_t b;
    rmq_buf_init(&b);
    rmq_jw_t w;
    rmq_jw_init(&w, &b, proto_json_flags(PROTO_JSON_LEGACY));
    proto_kvs_write(&m, &w, PROTO_JSON_LEGACY);
    CHECK_MEMSTR(b.data, b.len, "{\"k1\":\"v1\",\"k2\":\"v2b\",\"key10\":\"\xc3\xa9\"}");
    rmq_buf_reset(&b);
    rmq_jw_init(&w, &b, proto_json_flags(PROTO_JSON_STANDARD));
    proto_kvs_write(&m, &w, PROTO_JSON_STANDARD);
    CHECK_MEMSTR(b.data, b.len, "{\"k1\":\"v1\",\"k2\":\"v2b\",\"key10\":\"\\u00E9\"}");
    rmq_buf_close(&b);

    proto_kvs_t r = {0};
    const char *kvjson = "{\"a\":1,\"b\":null,\"c\":\"x\"}";
    rmq_json_doc_t *doc = proto_json_parse(kvjson, strlen(kvjson));
    CHECK(doc != NULL);
    CHECK_EQ(proto_kvs_read(rmq_json_root(doc), &r), 0);
    rmq_json_doc_destroy(doc);
    CHECK_EQ(r.count, 2);
    CHECK_STREQ(proto_kvs_get(&r, "a"), "1");
    CHECK(proto_kvs_get(&r, "b") == NULL);
    proto_kvs_close(&r);
    proto_kvs_close(&m);
}

static void test_strs(void) {
    proto_strs_t l = {0};
    proto_strs_add(&l, "b", 1);
    proto_strs_add(&l, "a", 1);
    CHECK(proto_strs_has(&l, "a"));
    CHECK(!proto_strs_has(&l, "c"));
    rmq_buf_t b;
    rmq_buf_init(&b);
    rmq_jw_t w;
    rmq_jw_init(&w, &b, 0);
    proto_strs_write(&l, &w, false);
    CHECK_MEMSTR(b.data, b.len, "[\"b\",\"a\"]");
    rmq_buf_reset(&b);
    rmq_jw_init(&w, &b, 0);
    proto_strs_write(&l, &w, true);
    CHECK_MEMSTR(b.data, b.len, "[\"a\",\"b\"]");
    rmq_buf_close(&b);
    proto_strs_close(&l);
}

static void test_sorted_order(void) {
    const char *keys[] = {"b", "c", "a"};
    size_t order[3];
    proto_sorted_order(keys, 3, order);
    CHECK_EQ(order[0], 2);
    CHECK_EQ(order[1], 0);
    CHECK_EQ(order[2], 1);
}

int main(void) {
    RUN(test_java_hash_order_matches_hashmap);
    RUN(test_kvs_renderings);
    RUN(test_strs);
    RUN(test_sorted_order);
    return 0;
}
