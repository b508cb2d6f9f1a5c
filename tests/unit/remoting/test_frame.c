/* Tests for remoting/frame.c and the two header forms (spec remoting.md 1.2, 2.5, 2.6). */
#include "remoting/frame.h"
#include "test.h"

#include <errno.h>

/* The spec's Java example: GET_ROUTEINFO_BY_TOPIC, binary header, opaque 1, version 479. */
static const uint8_t java_binary_route_request[] = {
    0x00, 0x00, 0x00, 0x2d, 0x01, 0x00, 0x00, 0x29, 0x00, 0x69, 0x00, 0x01, 0xdf,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x14, 0x00, 0x05, 't',  'o',  'p',  'i',  'c',  0x00, 0x00, 0x00,
    0x09, 'T',  'o',  'p',  'i',  'c',  'T',  'e',  's',  't'};

static void test_decode_java_binary_header(void) {
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    size_t flen = 0;
    CHECK_EQ(remoting_frame_peek(java_binary_route_request, sizeof java_binary_route_request,
                                 REMOTING_FRAME_MAX_DEFAULT, &flen),
             0);
    CHECK_EQ(flen, 49);
    CHECK_EQ(remoting_frame_decode(java_binary_route_request, flen, &cmd), 0);
    CHECK_EQ(cmd.code, 105);
    CHECK_EQ(cmd.language, REMOTING_LANG_JAVA);
    CHECK_EQ(cmd.version, 479);
    CHECK_EQ(cmd.opaque, 1);
    CHECK_EQ(cmd.flag, 0);
    CHECK(remoting_cmd_remark(&cmd) == NULL);
    CHECK_STREQ(remoting_cmd_ext_get(&cmd, "topic"), "TopicTest");
    CHECK_EQ(cmd.body.len, 0);
    CHECK_EQ(cmd.serialize_type, REMOTING_SERIALIZE_ROCKETMQ);

    /* Our encoder writes the same bytes back. */
    rmq_buf_t out;
    rmq_buf_init(&out);
    remoting_frame_encode(&cmd, REMOTING_SERIALIZE_ROCKETMQ, &out);
    CHECK_EQ(out.len, sizeof java_binary_route_request);
    CHECK(memcmp(out.data, java_binary_route_request, out.len) == 0);
    rmq_buf_close(&out);
    remoting_cmd_close(&cmd);
}

/* The spec's Java 5.3.3 JSON request frame for GET_ROUTEINFO_BY_TOPIC (139 bytes). */
static const char java_json_header[] =
    "{\"code\":105,\"extFields\":{\"topic\":\"TopicTest\"},\"flag\":0,\"language\":\"JAVA\","
    "\"opaque\":0,\"serializeTypeCurrentRPC\":\"JSON\",\"version\":479}";

static void test_json_header_java_bytes(void) {
    rmq_buf_t frame;
    rmq_buf_init(&frame);
    rmq_buf_append_u32be(&frame, 4 + sizeof java_json_header - 1);
    rmq_buf_append_u32be(&frame, sizeof java_json_header - 1);
    rmq_buf_append(&frame, java_json_header, sizeof java_json_header - 1);
    CHECK_EQ(frame.len, 139);

    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    CHECK_EQ(remoting_frame_decode((const uint8_t *)frame.data, frame.len, &cmd), 0);
    CHECK_EQ(cmd.code, 105);
    CHECK_EQ(cmd.version, 479);
    CHECK_STREQ(remoting_cmd_ext_get(&cmd, "topic"), "TopicTest");

    cmd.language = REMOTING_LANG_JAVA;
    rmq_buf_t out;
    rmq_buf_init(&out);
    remoting_frame_encode(&cmd, REMOTING_SERIALIZE_JSON, &out);
    CHECK_EQ(out.len, frame.len);
    CHECK(memcmp(out.data, frame.data, out.len) == 0);
    rmq_buf_close(&out);
    rmq_buf_close(&frame);
    remoting_cmd_close(&cmd);
}

static void test_response_round_trip_both_forms(void) {
    for (uint8_t type = 0; type <= 1; type++) {
        remoting_cmd_t resp, back;
        remoting_cmd_init(&resp);
        remoting_cmd_init(&back);
        remoting_cmd_set_response(&resp, 17, -5, "No topic route info \x01 \"q\"");
        remoting_cmd_ext_set(&resp, "queueId", "1");
        remoting_cmd_ext_set_i64(&resp, "queueOffset", 7);
        remoting_cmd_ext_set(&resp, "queueId", "2"); /* replaces */
        remoting_cmd_copy_body(&resp, "body\0bytes", 10);
        rmq_buf_t out;
        rmq_buf_init(&out);
        remoting_frame_encode(&resp, type, &out);
        CHECK_EQ(remoting_frame_decode((const uint8_t *)out.data, out.len, &back), 0);
        CHECK_EQ(back.code, 17);
        CHECK_EQ(back.opaque, -5);
        CHECK(remoting_cmd_is_response(&back));
        CHECK(!remoting_cmd_is_oneway(&back));
        CHECK_STREQ(remoting_cmd_remark(&back), "No topic route info \x01 \"q\"");
        CHECK_STREQ(remoting_cmd_ext_get(&back, "queueId"), "2");
        int64_t off = 0;
        CHECK_EQ(remoting_cmd_ext_i64(&back, "queueOffset", &off), 0);
        CHECK_EQ(off, 7);
        CHECK_EQ(back.ext_count, 2);
        CHECK_EQ(back.body.len, 10);
        CHECK(memcmp(back.body.ptr, "body\0bytes", 10) == 0);
        CHECK_EQ(back.language, REMOTING_LANG_CPP);
        rmq_buf_close(&out);
        remoting_cmd_close(&resp);
        remoting_cmd_close(&back);
    }
}

static int decode_header_text(const char *json, remoting_cmd_t *cmd) {
    rmq_buf_t frame;
    rmq_buf_init(&frame);
    size_t n = strlen(json);
    rmq_buf_append_u32be(&frame, (uint32_t)(4 + n));
    rmq_buf_append_u32be(&frame, (uint32_t)n);
    rmq_buf_append(&frame, json, n);
    int rc = remoting_frame_decode((const uint8_t *)frame.data, frame.len, cmd);
    rmq_buf_close(&frame);
    return rc;
}

static void test_json_header_from_other_clients(void) {
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    /* ali-ons: typed extFields values, no remark */
    CHECK_EQ(decode_header_text("{\"code\":11,\"language\":\"JAVA\",\"opaque\":3,\"flag\":0,"
                                "\"version\":121,\"extFields\":{\"queueId\":0,\"unitMode\":"
                                "false,\"sysFlag\":2,\"gone\":null}}",
                                &cmd),
             0);
    CHECK_STREQ(remoting_cmd_ext_get(&cmd, "queueId"), "0");
    CHECK_STREQ(remoting_cmd_ext_get(&cmd, "unitMode"), "false");
    CHECK(remoting_cmd_ext_get(&cmd, "gone") == NULL);
    CHECK_EQ(cmd.version, 121);
    /* Go: empty remark, declaration order */
    CHECK_EQ(decode_header_text("{\"code\":105,\"language\":\"GO\",\"version\":317,\"opaque\":5,"
                                "\"flag\":0,\"remark\":\"\",\"extFields\":{\"topic\":\"T\"}}",
                                &cmd),
             0);
    CHECK_EQ(cmd.language, REMOTING_LANG_GO);
    CHECK_STREQ(remoting_cmd_remark(&cmd), "");
    /* quoted numbers, unknown language, language as ordinal, missing language */
    CHECK_EQ(
        decode_header_text("{\"code\":\"105\",\"opaque\":\"12\",\"language\":\"KLINGON\"}", &cmd),
        0);
    CHECK_EQ(cmd.code, 105);
    CHECK_EQ(cmd.opaque, 12);
    CHECK_EQ(cmd.language, REMOTING_LANG_UNKNOWN);
    CHECK_EQ(decode_header_text("{\"code\":1,\"language\":9}", &cmd), 0);
    CHECK_EQ(cmd.language, REMOTING_LANG_GO);
    CHECK_EQ(decode_header_text("{\"code\":1}", &cmd), 0);
    CHECK_EQ(cmd.language, REMOTING_LANG_JAVA);
    /* opaque beyond int32 is refused, as Java refuses it */
    CHECK_EQ(decode_header_text("{\"code\":1,\"opaque\":4294967295}", &cmd), -EPROTO);
    CHECK_EQ(decode_header_text("{\"code\":1,\"extFields\":[1]}", &cmd), -EPROTO);
    CHECK_EQ(decode_header_text("[1]", &cmd), -EPROTO);
    CHECK_EQ(decode_header_text("{\"code\":", &cmd), -EPROTO);
    remoting_cmd_close(&cmd);
}

static void test_peek_limits(void) {
    size_t flen = 0;
    uint8_t b[8] = {0, 0, 0, 8, 0, 0, 0, 4};
    CHECK_EQ(remoting_frame_peek(b, 3, REMOTING_FRAME_MAX_DEFAULT, &flen), -EAGAIN);
    CHECK_EQ(remoting_frame_peek(b, 8, REMOTING_FRAME_MAX_DEFAULT, &flen), -EAGAIN);
    CHECK_EQ(flen, 12);
    /* 16 MiB frames are allowed (length 16777212), one byte more is not */
    rmq_put_u32be(b, 16777212);
    CHECK_EQ(remoting_frame_peek(b, 8, REMOTING_FRAME_MAX_DEFAULT, &flen), -EAGAIN);
    rmq_put_u32be(b, 16777213);
    CHECK_EQ(remoting_frame_peek(b, 8, REMOTING_FRAME_MAX_DEFAULT, &flen), -EMSGSIZE);
    rmq_put_u32be(b, 0xFFFFFFF0u);
    CHECK_EQ(remoting_frame_peek(b, 8, REMOTING_FRAME_MAX_DEFAULT, &flen), -EPROTO);
    rmq_put_u32be(b, 3);
    CHECK_EQ(remoting_frame_peek(b, 8, REMOTING_FRAME_MAX_DEFAULT, &flen), -EPROTO);
}

static void test_decode_rejects_malformed(void) {
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    /* header length larger than the frame */
    const uint8_t bad_hlen[] = {0, 0, 0, 8, 0, 0xff, 0xff, 0xff, 0, 0, 0, 0};
    CHECK_EQ(remoting_frame_decode(bad_hlen, sizeof bad_hlen, &cmd), -EPROTO);
    /* unknown serialize type */
    const uint8_t bad_type[] = {0, 0, 0, 6, 7, 0, 0, 2, '{', '}'};
    CHECK_EQ(remoting_frame_decode(bad_type, sizeof bad_type, &cmd), -EPROTO);
    /* length prefix disagreeing with the buffer */
    const uint8_t bad_len[] = {0, 0, 0, 9, 0, 0, 0, 2, '{', '}'};
    CHECK_EQ(remoting_frame_decode(bad_len, sizeof bad_len, &cmd), -EPROTO);
    /* binary header: truncated fixed part, remark past the end, ext entry past the end */
    uint8_t bin[8 + 21 + 8];
    memcpy(bin, java_binary_route_request, 8 + 21);
    rmq_put_u32be(bin, 4 + 20);
    rmq_put_u32be(bin + 4, (1u << 24) | 20);
    CHECK_EQ(remoting_frame_decode(bin, 8 + 20, &cmd), -EPROTO);
    rmq_put_u32be(bin, 4 + 21);
    rmq_put_u32be(bin + 4, (1u << 24) | 21);
    rmq_put_u32be(bin + 8 + 13, 100);
    CHECK_EQ(remoting_frame_decode(bin, 8 + 21, &cmd), -EPROTO);
    uint8_t ext[sizeof java_binary_route_request];
    memcpy(ext, java_binary_route_request, sizeof ext);
    rmq_put_u32be(ext + 8 + 17 + 4 + 2 + 5, 10); /* value length 10 > 9 left */
    CHECK_EQ(remoting_frame_decode(ext, sizeof ext, &cmd), -EPROTO);
    remoting_cmd_close(&cmd);
}

static void test_reuse_does_not_leak_state(void) {
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    CHECK_EQ(decode_header_text("{\"code\":1,\"remark\":\"r\",\"extFields\":{\"a\":\"1\"}}", &cmd),
             0);
    CHECK_EQ(decode_header_text("{\"code\":2}", &cmd), 0);
    CHECK(remoting_cmd_remark(&cmd) == NULL);
    CHECK(remoting_cmd_ext_get(&cmd, "a") == NULL);
    CHECK(!cmd.has_ext);
    remoting_cmd_close(&cmd);
}

static void test_head_only_encoding_counts_body(void) {
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    remoting_cmd_set_response(&cmd, 0, 9, NULL);
    rmq_buf_t out;
    rmq_buf_init(&out);
    remoting_frame_encode_head(&cmd, REMOTING_SERIALIZE_JSON, 1000, &out);
    uint32_t header_len = rmq_get_u32be(out.data + 4) & 0xFFFFFF;
    CHECK_EQ(out.len, 8 + header_len);
    CHECK_EQ(rmq_get_u32be(out.data), 4 + header_len + 1000);
    rmq_buf_close(&out);
    remoting_cmd_close(&cmd);
}

int main(void) {
    RUN(test_decode_java_binary_header);
    RUN(test_json_header_java_bytes);
    RUN(test_response_round_trip_both_forms);
    RUN(test_json_header_from_other_clients);
    RUN(test_peek_limits);
    RUN(test_decode_rejects_malformed);
    RUN(test_reuse_does_not_leak_state);
    RUN(test_head_only_encoding_counts_body);
    return 0;
}
