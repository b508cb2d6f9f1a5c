/*
 * Byte-exact tests against bodies produced by the Java classes (tests/vectors/, see its
 * README): decode each vector, encode it again and compare the bytes.
 */
#include "protocol/cluster_info.h"
#include "protocol/kv_table.h"
#include "protocol/register_broker.h"
#include "test.h"

#include "common/alloc.h"

#include <zlib.h>

static rmq_buf_t vec;

static const char *load(const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/tests/vectors/%s", RMQ_SOURCE_DIR, name);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "missing vector %s\n", path);
        abort();
    }
    rmq_buf_reset(&vec);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        rmq_buf_append(&vec, chunk, n);
    fclose(fp);
    return rmq_buf_cstr(&vec);
}

static void test_data_version(void) {
    load("data_version.json");
    proto_data_version_t dv;
    CHECK_EQ(proto_data_version_decode(vec.data, vec.len, &dv), 0);
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_data_version_encode(&dv, &b);
    CHECK_MEMSTR(b.data, b.len, vec.data);
    rmq_buf_close(&b);
}

static void check_route(const char *in, const char *legacy, const char *standard) {
    load(in);
    proto_topic_route_data_t rd;
    CHECK_EQ(proto_topic_route_data_decode(vec.data, vec.len, &rd), 0);
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_topic_route_data_encode(&rd, PROTO_JSON_LEGACY, &b);
    CHECK_MEMSTR(b.data, b.len, load(legacy));
    rmq_buf_reset(&b);
    proto_topic_route_data_encode(&rd, PROTO_JSON_STANDARD, &b);
    CHECK_MEMSTR(b.data, b.len, load(standard));
    rmq_buf_close(&b);
    proto_topic_route_data_close(&rd);
}

static void test_route(void) {
    check_route("topic_route_data.legacy.json", "topic_route_data.legacy.json",
                "topic_route_data.standard.json");
    check_route("topic_route_data.standard.json", "topic_route_data.legacy.json",
                "topic_route_data.standard.json");
}

static void test_route_full_decodes(void) {
    /* filterServerTable entries are decoded away (filter servers are gone), so only the
     * parse is checked here. */
    const char *names[] = {"topic_route_data_full.legacy.json",
                           "topic_route_data_full.standard.json"};
    for (int i = 0; i < 2; i++) {
        load(names[i]);
        proto_topic_route_data_t rd;
        CHECK_EQ(proto_topic_route_data_decode(vec.data, vec.len, &rd), 0);
        CHECK(rd.orderTopicConf != NULL);
        CHECK(rd.has_mapping);
        CHECK(rd.mapping_count >= 1);
        proto_topic_route_data_close(&rd);
    }
}

static void test_cluster_info(void) {
    load("cluster_info.json");
    proto_cluster_info_t ci;
    CHECK_EQ(proto_cluster_info_decode(vec.data, vec.len, &ci), 0);
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_cluster_info_encode(&ci, &b);
    CHECK_MEMSTR(b.data, b.len, vec.data);
    rmq_buf_close(&b);
    proto_cluster_info_close(&ci);
}

static void test_kv_table_and_topic_lists(void) {
    load("kv_table.json");
    proto_kvs_t t = {0};
    CHECK_EQ(proto_kv_table_decode(vec.data, vec.len, &t), 0);
    rmq_buf_t b;
    rmq_buf_init(&b);
    proto_kv_table_encode(&t, &b);
    CHECK_MEMSTR(b.data, b.len, vec.data);
    proto_kvs_close(&t);
    const char *lists[] = {"topic_list.json", "topic_list_system.json"};
    for (int i = 0; i < 2; i++) {
        load(lists[i]);
        proto_topic_list_t tl;
        CHECK_EQ(proto_topic_list_decode(vec.data, vec.len, &tl), 0);
        rmq_buf_reset(&b);
        proto_topic_list_encode(&tl, &b);
        CHECK_MEMSTR(b.data, b.len, vec.data);
        proto_topic_list_close(&tl);
    }
    rmq_buf_close(&b);
}

static void test_register_broker_body(void) {
    load("register_broker_body.json");
    proto_register_broker_body_t body;
    CHECK_EQ(
        proto_register_broker_body_decode(vec.data, vec.len, PROTO_REGISTER_BODY_JSON, 479, &body),
        0);
    CHECK_EQ(body.wrapper.topic_count, 3);
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(proto_register_broker_body_encode(&body, PROTO_REGISTER_BODY_JSON, 479, &b), 0);
    CHECK_MEMSTR(b.data, b.len, vec.data);

    /* Compressed: same content; our inflated stream equals Java's. */
    rmq_buf_reset(&b);
    CHECK_EQ(proto_register_broker_body_encode(&body, PROTO_REGISTER_BODY_COMPRESSED, 479, &b), 0);
    char raw[4096];
    uLongf rawlen = sizeof raw;
    CHECK_EQ(uncompress((Bytef *)raw, &rawlen, (const Bytef *)b.data, b.len), Z_OK);
    load("register_broker_body.inflated.bin");
    CHECK_EQ(rawlen, vec.len);
    CHECK(memcmp(raw, vec.data, rawlen) == 0);
    proto_register_broker_body_close(&body);

    load("register_broker_body.compressed.bin");
    CHECK_EQ(proto_register_body_sniff(vec.data, vec.len, true, 479),
             PROTO_REGISTER_BODY_COMPRESSED);
    CHECK_EQ(proto_register_broker_body_decode(vec.data, vec.len, PROTO_REGISTER_BODY_COMPRESSED,
                                               479, &body),
             0);
    CHECK_EQ(body.wrapper.topic_count, 3);
    proto_register_broker_body_close(&body);
    rmq_buf_close(&b);
}

int main(void) {
    rmq_buf_init(&vec);
    RUN(test_data_version);
    RUN(test_route);
    RUN(test_route_full_decodes);
    RUN(test_cluster_info);
    RUN(test_kv_table_and_topic_lists);
    RUN(test_register_broker_body);
    rmq_buf_close(&vec);
    return 0;
}
