/* Tests for common/json.c: the fastjson dialect in both directions. */
#include "common/alloc.h"
#include "common/json.h"
#include "test.h"

static rmq_json_doc_t *parse(const char *s) {
    char err[128] = "";
    rmq_json_doc_t *doc = rmq_json_parse(s, strlen(s), err, sizeof err);
    if (!doc)
        fprintf(stderr, "parse error: %s\n", err);
    return doc;
}

static void test_header_with_mixed_extfield_types(void) {
    rmq_json_doc_t *doc = parse("{\"code\":105,\"extFields\":{\"topic\":\"T\",\"queueId\":0,"
                                "\"unitMode\":false,\"x\":null},\"flag\":0,\"opaque\":-7}");
    CHECK(doc);
    rmq_json_t *root = rmq_json_root(doc);
    CHECK_EQ(rmq_json_get_i64(root, "code", -1), 105);
    CHECK_EQ(rmq_json_get_i64(root, "opaque", 0), -7);
    rmq_json_t *ext = rmq_json_get(root, "extFields");
    CHECK_EQ(ext->count, 4);
    CHECK_STREQ(rmq_json_get_str(ext, "topic", NULL), "T");
    CHECK_STREQ(rmq_json_get_str(ext, "queueId", NULL), "0");
    CHECK_STREQ(rmq_json_get_str(ext, "unitMode", NULL), "false");
    CHECK(rmq_json_get_str(ext, "x", NULL) == NULL);
    CHECK(rmq_json_get(root, "missing") == NULL);
    rmq_json_doc_destroy(doc);
}

static void test_bare_number_and_object_keys(void) {
    rmq_json_doc_t *doc =
        parse("{\"brokerAddrs\":{0:\"a:1\",1:\"b:2\"},\"offsetTable\":{{\"brokerName\":\"b\","
              "\"queueId\":3,\"topic\":\"T\"}:42}}");
    CHECK(doc);
    rmq_json_t *root = rmq_json_root(doc);
    rmq_json_t *addrs = rmq_json_get(root, "brokerAddrs");
    CHECK_STREQ(rmq_json_get_str(addrs, "1", NULL), "b:2");
    CHECK_EQ(addrs->child->key->type, RMQ_JSON_NUMBER);
    CHECK_EQ(addrs->child->key->i, 0);
    rmq_json_t *offsets = rmq_json_get(root, "offsetTable");
    rmq_json_t *entry = offsets->child;
    CHECK_EQ(entry->key->type, RMQ_JSON_OBJECT);
    CHECK_EQ(rmq_json_get_i64(entry->key, "queueId", -1), 3);
    CHECK_EQ(entry->i, 42);
    rmq_json_doc_destroy(doc);
}

static void test_lenient_forms(void) {
    rmq_json_doc_t *doc = parse("{code:105, 'remark':'it''s'}");
    CHECK(doc == NULL); /* '' inside single quotes is not an escape */
    doc = parse("{code:105,'remark':'a\\'b',\"raw\":\"x\x01y\"}");
    CHECK(doc);
    rmq_json_t *root = rmq_json_root(doc);
    CHECK_EQ(rmq_json_get_i64(root, "code", 0), 105);
    CHECK_STREQ(rmq_json_get_str(root, "remark", NULL), "a'b");
    CHECK_STREQ(rmq_json_get_str(root, "raw", NULL), "x\x01y");
    rmq_json_doc_destroy(doc);
}

static void test_escapes_decode(void) {
    rmq_json_doc_t *doc =
        parse("[\"TAGS\\u0001TagA\\u0002\",\"\\u4e2d\\uD83D\\uDE00\\n\",\"\\uD800x\"]");
    CHECK(doc);
    rmq_json_t *a = rmq_json_root(doc)->child;
    CHECK_MEMSTR(a->str, a->len, "TAGS\x01TagA\x02");
    CHECK_STREQ(a->next->str, "\xE4\xB8\xAD\xF0\x9F\x98\x80\n");
    CHECK_STREQ(a->next->next->str, "\xEF\xBF\xBDx");
    rmq_json_doc_destroy(doc);
}

static void test_numbers(void) {
    rmq_json_doc_t *doc = parse("[9223372036854775807,-9223372036854775808,1.5,1e3,"
                                "99999999999999999999]");
    CHECK(doc);
    rmq_json_t *n = rmq_json_root(doc)->child;
    CHECK(n->is_int && n->i == INT64_MAX);
    n = n->next;
    CHECK(n->is_int && n->i == INT64_MIN);
    n = n->next;
    CHECK(!n->is_int && n->d == 1.5);
    n = n->next;
    CHECK(!n->is_int && n->d == 1000.0);
    n = n->next;
    CHECK(!n->is_int);
    rmq_json_doc_destroy(doc);
}

static void test_rejects_malformed(void) {
    const char *bad[] = {"",      "{",           "{\"a\"}", "{\"a\":}",  "[1,]x",
                         "\"abc", "{\"a\":1} 2", "tru",     "[\"\\x\"]", "{\"a\":\"\\u12\"}",
                         "-",     "[1 2]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[64];
        rmq_json_doc_t *doc = rmq_json_parse(bad[i], strlen(bad[i]), err, sizeof err);
        if (doc)
            fprintf(stderr, "accepted: %s\n", bad[i]);
        CHECK(doc == NULL);
    }
}

static void test_depth_limit(void) {
    char deep[200];
    memset(deep, '[', sizeof deep);
    CHECK(rmq_json_parse(deep, sizeof deep, NULL, 0) == NULL);
    char ok[RMQ_JSON_MAX_DEPTH * 2];
    memset(ok, '[', RMQ_JSON_MAX_DEPTH);
    memset(ok + RMQ_JSON_MAX_DEPTH, ']', RMQ_JSON_MAX_DEPTH);
    rmq_json_doc_t *doc = rmq_json_parse(ok, sizeof ok, NULL, 0);
    CHECK(doc);
    rmq_json_doc_destroy(doc);
}

static void test_writer_fastjson_forms(void) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    rmq_jw_t w;
    rmq_jw_init(&w, &b, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "brokerAddrs");
    rmq_jw_obj_begin(&w);
    rmq_jw_key_i64(&w, 0);
    rmq_jw_str(&w, "a:1");
    rmq_jw_key_i64(&w, 1);
    rmq_jw_str(&w, "b:2");
    rmq_jw_obj_end(&w);
    rmq_jw_key(&w, "offsetTable");
    rmq_jw_obj_begin(&w);
    rmq_jw_objkey_begin(&w);
    rmq_jw_kv_str(&w, "topic", "T");
    rmq_jw_kv_i64(&w, "queueId", 0);
    rmq_jw_objkey_end(&w);
    rmq_jw_i64(&w, 42);
    rmq_jw_obj_end(&w);
    rmq_jw_key(&w, "list");
    rmq_jw_arr_begin(&w);
    rmq_jw_double(&w, 0.0);
    rmq_jw_double(&w, 1.5);
    rmq_jw_bool(&w, true);
    rmq_jw_null(&w);
    rmq_jw_str(&w, "q\"\\\x01\x7f\n\xE4\xB8\xAD");
    rmq_jw_arr_end(&w);
    rmq_jw_obj_end(&w);
    CHECK_STREQ(rmq_buf_cstr(&b),
                "{\"brokerAddrs\":{0:\"a:1\",1:\"b:2\"},\"offsetTable\":{{\"topic\":\"T\","
                "\"queueId\":0}:42},\"list\":[0.0,1.5,true,null,\"q\\\"\\\\\\u0001\\u007F\\n"
                "\xE4\xB8\xAD\"]}");

    rmq_buf_reset(&b);
    rmq_jw_init(&w, &b, RMQ_JSON_W_ASCII | RMQ_JSON_W_QUOTE_NUM_KEYS);
    rmq_jw_obj_begin(&w);
    rmq_jw_key_i64(&w, 0);
    rmq_jw_str(&w, "\xE4\xB8\xAD\xF0\x9F\x98\x80");
    rmq_jw_obj_end(&w);
    CHECK_STREQ(rmq_buf_cstr(&b), "{\"0\":\"\\u4E2D\\uD83D\\uDE00\"}");
    rmq_buf_close(&b);
}

static void test_round_trip(void) {
    const char *text = "{\"a\":[1,2,{\"b\":\"c\\u0002\"}],\"d\":{},\"e\":[],\"f\":-1}";
    rmq_json_doc_t *doc = parse(text);
    CHECK(doc);
    rmq_json_t *root = rmq_json_root(doc);
    rmq_json_t *inner = rmq_json_get(root, "a")->child->next->next;
    CHECK_MEMSTR(rmq_json_get(inner, "b")->str, 2, "c\x02");
    CHECK_EQ(rmq_json_get(root, "d")->count, 0);
    CHECK_EQ(rmq_json_get(root, "e")->type, RMQ_JSON_ARRAY);
    rmq_json_doc_destroy(doc);
}

int main(void) {
    RUN(test_header_with_mixed_extfield_types);
    RUN(test_bare_number_and_object_keys);
    RUN(test_lenient_forms);
    RUN(test_escapes_decode);
    RUN(test_numbers);
    RUN(test_rejects_malformed);
    RUN(test_depth_limit);
    RUN(test_writer_fastjson_forms);
    RUN(test_round_trip);
    return 0;
}
