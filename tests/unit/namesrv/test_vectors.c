/*
 * Feeds frames captured from the Java classes (tests/vectors/) to the NameServer:
 * registrations in both body forms and header encodings, then a route query whose body
 * must equal what the Java NameServer renders.
 */
#include "ns_test_util.h"

#include "remoting/frame.h"

static rmq_buf_t vec;

static void load(const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/tests/vectors/%s", RMQ_SOURCE_DIR, name);
    FILE *fp = fopen(path, "rb");
    CHECK(fp != NULL);
    rmq_buf_reset(&vec);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        rmq_buf_append(&vec, chunk, n);
    fclose(fp);
}

static remoting_cmd_t *frame(const char *name) {
    load(name);
    remoting_cmd_t *cmd = remoting_cmd_new();
    CHECK_EQ(remoting_frame_decode((const uint8_t *)vec.data, vec.len, cmd), 0);
    /* The body borrows from vec: copy it so the next load does not clobber it. */
    if (cmd->body.len)
        remoting_cmd_copy_body(cmd, cmd->body.ptr, cmd->body.len);
    return cmd;
}

static void register_frame(const char *name) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = frame(name);
    CHECK_EQ(req->code, PROTO_REGISTER_BROKER);
    remoting_cmd_t *resp = remoting_cmd_new();
    remoting_cmd_set_response(resp, 0, req->opaque, NULL);
    CHECK_EQ(namesrv_handle_request(f.ns, NULL, req, resp), 0);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    CHECK(resp->has_ext);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    rmq_buf_t b;
    rmq_buf_init(&b);
    CHECK_EQ(route_of(&f, "TopicTest", 479, &b), PROTO_SUCCESS);
    CHECK(memmem(b.data, b.len, "\"brokerAddrs\":{\"0\":\"127.0.0.1:10911\"}", 37) != NULL);
    CHECK_EQ(route_of(&f, "TopicOrdered", 479, NULL), PROTO_SUCCESS);
    rmq_buf_close(&b);
    fixture_close(&f);
}

static void test_register_frames(void) {
    register_frame("frame_register_broker_request.json.bin");
    register_frame("frame_register_broker_request.rocketmq.bin");
    register_frame("frame_register_broker_compressed_request.json.bin");
    register_frame("frame_register_broker_compressed_request.rocketmq.bin");
}

static void test_heartbeat_frame_is_oneway(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = frame("frame_broker_heartbeat_oneway.json.bin");
    CHECK(remoting_cmd_is_oneway(req));
    req->opaque = 42;
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    fixture_close(&f);
}

static void test_route_request_frames(void) {
    ns_fixture_t f;
    fixture_open(&f);
    remoting_cmd_t *req = frame("frame_get_route_request_std.rocketmq.bin");
    req->opaque = 42;
    req->version = 121; /* old client, but acceptStandardJsonOnly=true */
    remoting_cmd_t *resp = call(&f, req);
    CHECK_EQ(resp->code, PROTO_TOPIC_NOT_EXIST);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    /* The remark equals the Java NameServer's. */
    remoting_cmd_t *java = frame("frame_response_topic_not_exist.json.bin");
    req = frame("frame_get_route_request.json.bin");
    req->opaque = 42;
    remoting_cmd_ext_set(req, "topic", "NoSuchTopic");
    resp = call(&f, req);
    CHECK_STREQ(remoting_cmd_remark(resp), remoting_cmd_remark(java));
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
    remoting_cmd_destroy(java);
    fixture_close(&f);
}

int main(void) {
    rmq_buf_init(&vec);
    RUN(test_register_frames);
    RUN(test_heartbeat_frame_is_oneway);
    RUN(test_route_request_frames);
    rmq_buf_close(&vec);
    return 0;
}
