/* Unit tests for the producer's pieces: client/message.c, client/send_codec.c (UNIQ_KEY,
 * compression, batch encoding, request header, response decoding), client/fault.c
 * (publish queue list, round robin, fault avoidance), the producer's configuration
 * checks and the hash selector. No network. */
#include "client/fault.h"
#include "client/send_codec.h"
#include "common/alloc.h"
#include "common/time.h"
#include "protocol/codes.h"
#include "protocol/message.h"
#include "protocol/send_header.h"
#include "test.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ message */

static void test_message_properties(void) {
    rmq_message_t *msg = rmq_message_new("T");
    CHECK_STREQ(rmq_message_property(msg, "WAIT"), "true");
    rmq_message_set_tags(msg, "TagA");
    rmq_message_set_keys(msg, "k1 k2");
    rmq_message_set_delay_level(msg, 3);
    CHECK_EQ(rmq_message_delay_level(msg), 3);
    CHECK_EQ(rmq_message_set_property(msg, "color", "red"), RMQ_ERR_NO_ERROR);
    CHECK_EQ(rmq_message_set_property(msg, "UNIQ_KEY", "x"), RMQ_ERR__INVALID_ARG);
    CHECK_EQ(rmq_message_set_property(msg, "TAGS", "x"), RMQ_ERR__INVALID_ARG);
    CHECK_EQ(rmq_message_set_property(msg, "", "x"), RMQ_ERR__INVALID_ARG);
    CHECK_EQ(rmq_message_set_property(msg, "a\001b", "x"), RMQ_ERR__INVALID_ARG);
    CHECK_EQ(rmq_message_set_property(msg, "empty", ""), RMQ_ERR__INVALID_ARG);
    rmq_buf_t b;
    rmq_buf_init(&b);
    client_msg_props_encode(msg, &b);
    CHECK_MEMSTR(b.data, b.len,
                 "WAIT\001true\002TAGS\001TagA\002KEYS\001k1 k2\002DELAY\0013\002color\001red\002");
    /* Removing keeps the order of the rest. */
    rmq_message_set_delay_level(msg, 0);
    rmq_message_set_property(msg, "color", NULL);
    rmq_message_set_wait_store_msg_ok(msg, 0);
    rmq_buf_reset(&b);
    client_msg_props_encode(msg, &b);
    CHECK_MEMSTR(b.data, b.len, "WAIT\001false\002TAGS\001TagA\002KEYS\001k1 k2\002");
    CHECK_EQ(rmq_message_wait_store_msg_ok(msg), 0);
    rmq_buf_close(&b);
    rmq_message_destroy(msg);
    rmq_message_destroy(NULL);
}

/* ------------------------------------------------------------------ UNIQ_KEY */

static void test_uniq_key_decodes_to_ip_pid_time(void) {
    char a[33], b[33];
    int64_t before = rmq_now_ms();
    client_uniq_id_next(a);
    client_uniq_id_next(b);
    int64_t after = rmq_now_ms();
    CHECK_EQ(strlen(a), 32);
    for (int i = 0; i < 32; i++)
        CHECK((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'A' && a[i] <= 'F'));
    CHECK(strcmp(a, b) != 0);
    CHECK(memcmp(a, b, 20) == 0); /* ip, pid, constant: fixed per process */

    client_uniq_id_parts_t pa, pb;
    CHECK_EQ(client_uniq_id_decode(a, &pa), 0);
    CHECK_EQ(client_uniq_id_decode(b, &pb), 0);
    uint8_t ip[4];
    client_local_ipv4(ip);
    CHECK(memcmp(pa.ip, ip, 4) == 0);
    CHECK_EQ(pa.pid, (uint16_t)getpid());
    CHECK_EQ(pb.counter, (uint16_t)(pa.counter + 1));

    /* ms since the start of this month, local time (Java's Calendar). */
    time_t t = (time_t)(before / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    int64_t month_start = (int64_t)mktime(&tm) * 1000;
    CHECK(pa.ms_in_month >= (uint32_t)(before - month_start));
    CHECK(pa.ms_in_month <= (uint32_t)(after - month_start));
    CHECK_EQ(client_uniq_id_decode("XYZ", &pa), -EINVAL);
}

/* ------------------------------------------------------------------ compression */

static void test_compression_threshold_and_flag(void) {
    size_t len = 4096;
    char *body = rmq_malloc(len);
    for (size_t i = 0; i < len; i++)
        body[i] = (char)('a' + i % 7);
    rmq_message_t *msg = rmq_message_new("T");
    client_send_req_t r;
    client_send_req_init(&r);

    /* One byte under the threshold: sent as is. */
    rmq_message_set_body(msg, body, len - 1, RMQ_MSG_F_NOCOPY);
    client_send_req_single(&r, msg, 4096, 5);
    CHECK_EQ(r.sys_flag, 0);
    CHECK(r.body_ref.ptr == body && r.body_ref.len == len - 1);

    /* At the threshold (Java: body.length >= compressMsgBodyOverHowmuch): zlib, 0x301. */
    rmq_message_set_body(msg, body, len, RMQ_MSG_F_NOCOPY);
    client_send_req_single(&r, msg, 4096, 5);
    CHECK_EQ(r.sys_flag, 0x301);
    CHECK(r.body_ref.len < len);
    CHECK_EQ((unsigned char)r.body_ref.ptr[0], 0x78); /* zlib stream header */
    rmq_buf_t out;
    rmq_buf_init(&out);
    CHECK_EQ(client_zlib_decompress(r.body_ref.ptr, r.body_ref.len, &out), 0);
    CHECK_EQ(out.len, len);
    CHECK(memcmp(out.data, body, len) == 0);

    /* compressMsgBodyOverHowmuch 0: never. */
    client_send_req_single(&r, msg, 0, 5);
    CHECK_EQ(r.sys_flag, 0);

    rmq_buf_close(&out);
    client_send_req_close(&r);
    rmq_message_destroy(msg);
    rmq_free(body);
}

/* ------------------------------------------------------------------ request */

static void test_single_request_header(void) {
    rmq_message_t *msg = rmq_message_new("TopicX");
    rmq_message_set_tags(msg, "TagA");
    rmq_message_set_flag(msg, 7);
    rmq_message_set_body(msg, "hello", 5, RMQ_MSG_F_COPY);
    client_send_req_t r;
    client_send_req_init(&r);
    client_send_req_single(&r, msg, 4096, 5);
    client_send_target_t t = {.producer_group = "PG",
                              .default_topic = "TBW102",
                              .default_topic_queue_nums = 4,
                              .broker_name = "broker-a",
                              .queue_id = 2};
    remoting_cmd_t *cmd = client_send_req_cmd(&r, &t);
    CHECK_EQ(cmd->code, PROTO_SEND_MESSAGE_V2);
    proto_send_message_request_header_t h;
    CHECK_EQ(proto_send_message_request_header_v2_decode(cmd, &h, NULL), 0);
    CHECK_STREQ(h.producerGroup, "PG");
    CHECK_STREQ(h.topic, "TopicX");
    CHECK_STREQ(h.defaultTopic, "TBW102");
    CHECK_EQ(h.defaultTopicQueueNums, 4);
    CHECK_EQ(h.queueId, 2);
    CHECK_EQ(h.sysFlag, 0);
    CHECK_EQ(h.flag, 7);
    CHECK(h.has_batch && !h.batch);
    CHECK_STREQ(h.brokerName, "broker-a");
    rmq_slice_t v;
    CHECK(proto_props_get(rmq_slice_cstr(h.properties), "UNIQ_KEY", &v));
    CHECK_MEMSTR(v.ptr, v.len, r.uniq_id);
    CHECK_STREQ(r.msg_ids.data, r.uniq_id);
    CHECK(proto_props_get(rmq_slice_cstr(h.properties), "TAGS", &v));
    CHECK_MEMSTR(v.ptr, v.len, "TagA");
    CHECK_MEMSTR(cmd->body.ptr, cmd->body.len, "hello");
    remoting_cmd_destroy(cmd);
    client_send_req_close(&r);
    rmq_message_destroy(msg);
}

static void test_batch_encoding(void) {
    rmq_message_t *m[2];
    m[0] = rmq_message_new("TB");
    rmq_message_set_body(m[0], "a", 1, RMQ_MSG_F_COPY);
    rmq_message_set_tags(m[0], "TagA");
    m[1] = rmq_message_new("TB");
    rmq_message_set_body(m[1], "bc\0d", 4, RMQ_MSG_F_COPY);
    rmq_message_set_flag(m[1], 9);
    rmq_message_set_property(m[1], "p", "v");
    client_send_req_t r;
    client_send_req_init(&r);
    CHECK_EQ(client_send_req_batch(&r, (const rmq_message_t *const *)m, 2, NULL, 0), 0);
    CHECK(r.is_batch);
    CHECK_EQ(r.sys_flag, 0); /* never compressed */

    /* Header properties: the batch's own WAIT and UNIQ_KEY only. */
    rmq_slice_t v;
    CHECK(proto_props_get(rmq_buf_slice(&r.props), "WAIT", &v));
    CHECK_MEMSTR(v.ptr, v.len, "true");
    CHECK(proto_props_get(rmq_buf_slice(&r.props), "UNIQ_KEY", &v));
    CHECK(!proto_props_get(rmq_buf_slice(&r.props), "TAGS", &v));

    /* Records: total, magic 0, crc 0, flag, body, properties with a UNIQ_KEY each. */
    CHECK_EQ(rmq_get_u32be(r.body.data + 4), 0);
    CHECK_EQ(rmq_get_u32be(r.body.data + 8), 0);
    rmq_slice_t rest = rmq_buf_slice(&r.body);
    proto_batch_msg_t bm;
    CHECK_EQ(proto_batch_next(&rest, &bm), 1);
    CHECK_EQ(bm.flag, 0);
    CHECK_MEMSTR(bm.body.ptr, bm.body.len, "a");
    CHECK(proto_props_get(bm.props, "TAGS", &v));
    rmq_slice_t id0;
    CHECK(proto_props_get(bm.props, "UNIQ_KEY", &id0));
    CHECK_EQ(proto_batch_next(&rest, &bm), 1);
    CHECK_EQ(bm.flag, 9);
    CHECK_EQ(bm.body.len, 4);
    CHECK(memcmp(bm.body.ptr, "bc\0d", 4) == 0);
    CHECK(proto_props_get(bm.props, "p", &v));
    rmq_slice_t id1;
    CHECK(proto_props_get(bm.props, "UNIQ_KEY", &id1));
    CHECK_EQ(proto_batch_next(&rest, &bm), 0);

    /* SendResult.msgId: the two UNIQ_KEYs joined by ','. */
    char expect[80];
    snprintf(expect, sizeof expect, "%.*s,%.*s", (int)id0.len, id0.ptr, (int)id1.len, id1.ptr);
    CHECK_STREQ(r.msg_ids.data, expect);

    client_send_target_t t = {.producer_group = "PG",
                              .default_topic = "TBW102",
                              .default_topic_queue_nums = 4,
                              .broker_name = "b",
                              .queue_id = 0};
    remoting_cmd_t *cmd = client_send_req_cmd(&r, &t);
    CHECK_EQ(cmd->code, PROTO_SEND_BATCH_MESSAGE);
    proto_send_message_request_header_t h;
    CHECK_EQ(proto_send_message_request_header_v2_decode(cmd, &h, NULL), 0);
    CHECK(h.has_batch && h.batch);
    remoting_cmd_destroy(cmd);

    /* Java's MessageBatch restrictions. */
    char err[256];
    rmq_message_set_topic(m[1], "Other");
    CHECK_EQ(client_send_req_batch(&r, (const rmq_message_t *const *)m, 2, err, sizeof err),
             RMQ_ERR__INVALID_ARG);
    CHECK(strstr(err, "same") != NULL);
    rmq_message_set_topic(m[1], "TB");
    rmq_message_set_delay_level(m[1], 2);
    CHECK_EQ(client_send_req_batch(&r, (const rmq_message_t *const *)m, 2, err, sizeof err),
             RMQ_ERR__INVALID_ARG);
    CHECK(strstr(err, "TimeDelayLevel") != NULL);
    CHECK_EQ(client_send_req_batch(&r, NULL, 0, err, sizeof err), RMQ_ERR__INVALID_ARG);

    client_send_req_close(&r);
    rmq_message_destroy(m[0]);
    rmq_message_destroy(m[1]);
}

static void test_send_result_decode(void) {
    client_send_req_t r;
    client_send_req_init(&r);
    rmq_message_t *msg = rmq_message_new("T");
    rmq_message_set_body(msg, "x", 1, RMQ_MSG_F_COPY);
    client_send_req_single(&r, msg, 4096, 5);

    remoting_cmd_t *resp = remoting_cmd_new();
    remoting_cmd_set_response(resp, RMQ_ERR_FLUSH_DISK_TIMEOUT, 1, NULL);
    remoting_cmd_ext_set(resp, "msgId", "7F00000100002A9F0000000000001000");
    remoting_cmd_ext_set(resp, "queueId", "3");
    remoting_cmd_ext_set(resp, "queueOffset", "42");
    remoting_cmd_ext_set(resp, "MSG_REGION", "RegionX");
    rmq_send_result_t *res = rmq_send_result_new();
    CHECK_EQ(client_send_result_decode(resp, &r, "broker-a", res, NULL, 0), RMQ_ERR_NO_ERROR);
    CHECK_EQ(rmq_send_result_status(res), RMQ_SEND_FLUSH_DISK_TIMEOUT);
    CHECK_STREQ(rmq_send_result_msg_id(res), r.uniq_id);
    CHECK_STREQ(rmq_send_result_offset_msg_id(res), "7F00000100002A9F0000000000001000");
    CHECK_EQ(rmq_send_result_queue_id(res), 3);
    CHECK_EQ(rmq_send_result_queue_offset(res), 42);
    CHECK_STREQ(rmq_send_result_region_id(res), "RegionX");
    CHECK_STREQ(rmq_send_result_broker_name(res), "broker-a");
    CHECK_STREQ(rmq_send_result_topic(res), "T");
    CHECK(rmq_send_result_transaction_id(res) == NULL);
    remoting_cmd_destroy(resp);

    char err[128];
    resp = remoting_cmd_new();
    remoting_cmd_set_response(resp, RMQ_ERR_TOPIC_NOT_EXIST, 1, "topic[T] not exist");
    CHECK_EQ(client_send_result_decode(resp, &r, "broker-a", res, err, sizeof err),
             RMQ_ERR_TOPIC_NOT_EXIST);
    CHECK_STREQ(err, "topic[T] not exist");
    remoting_cmd_destroy(resp);

    resp = remoting_cmd_new();
    remoting_cmd_set_response(resp, 0, 1, NULL); /* SUCCESS without the header */
    CHECK_EQ(client_send_result_decode(resp, &r, "broker-a", res, err, sizeof err),
             RMQ_ERR__BAD_MSG);
    remoting_cmd_destroy(resp);

    rmq_send_result_destroy(res);
    client_send_req_close(&r);
    rmq_message_destroy(msg);
}

/* ------------------------------------------------------------------ queue choice */

static void add_queue_data(proto_topic_route_data_t *rd, const char *name, int nums, int perm) {
    rd->queueDatas = rmq_realloc(rd->queueDatas, (rd->queue_count + 1) * sizeof *rd->queueDatas);
    rd->queueDatas[rd->queue_count++] = (proto_queue_data_t){.brokerName = rmq_strdup(name),
                                                             .readQueueNums = nums,
                                                             .writeQueueNums = nums,
                                                             .perm = perm};
}

static void add_broker_data(proto_topic_route_data_t *rd, const char *name, bool has_master) {
    rd->brokerDatas =
        rmq_realloc(rd->brokerDatas, (rd->broker_count + 1) * sizeof *rd->brokerDatas);
    proto_broker_data_t *bd = &rd->brokerDatas[rd->broker_count++];
    memset(bd, 0, sizeof *bd);
    proto_broker_data_init(bd, "C", name);
    proto_broker_data_put_addr(bd, has_master ? 0 : 1, "127.0.0.1:10911");
}

/* Brokers b (2 queues), a (2 queues), c (read-only), d (no master). */
static void make_route(proto_topic_route_data_t *rd) {
    memset(rd, 0, sizeof *rd);
    add_queue_data(rd, "b", 2, 6);
    add_queue_data(rd, "a", 2, 6);
    add_queue_data(rd, "c", 4, 4);
    add_queue_data(rd, "d", 4, 6);
    add_broker_data(rd, "a", true);
    add_broker_data(rd, "b", true);
    add_broker_data(rd, "c", true);
    add_broker_data(rd, "d", false);
}

static void test_publish_list_and_round_robin(void) {
    proto_topic_route_data_t rd;
    make_route(&rd);
    client_publish_info_t pi;
    client_publish_info_build(&pi, &rd, 0);
    CHECK_EQ(pi.count, 4);
    CHECK(!pi.is_order);
    const char *names[] = {"a", "a", "b", "b"};
    for (size_t i = 0; i < 4; i++) {
        CHECK_STREQ(pi.mqs[i].broker_name, names[i]);
        CHECK_EQ(pi.mqs[i].queue_id, (int)(i % 2));
    }
    client_fault_t f;
    client_fault_init(&f, false);
    /* Round robin from index seed + 1. */
    for (int i = 0; i < 8; i++)
        CHECK(client_fault_select(&f, &pi, NULL, false, 0) == &pi.mqs[(i + 1) % 4]);
    /* A retry avoids the last broker. */
    for (int i = 0; i < 8; i++)
        CHECK_STREQ(client_fault_select(&f, &pi, "a", true, 0)->broker_name, "b");
    client_fault_close(&f);
    client_publish_info_close(&pi);

    /* orderTopicConf wins. */
    rd.orderTopicConf = rmq_strdup("x:2;y:3");
    client_publish_info_build(&pi, &rd, 0);
    CHECK(pi.is_order);
    CHECK_EQ(pi.count, 5);
    CHECK_STREQ(pi.mqs[4].broker_name, "y");
    CHECK_EQ(pi.mqs[4].queue_id, 2);
    client_publish_info_close(&pi);
    proto_topic_route_data_close(&rd);
}

static void test_fault_avoidance(void) {
    /* Java's table. */
    CHECK_EQ(client_fault_not_available_ms(10), 0);
    CHECK_EQ(client_fault_not_available_ms(100), 0);
    CHECK_EQ(client_fault_not_available_ms(550), 2000);
    CHECK_EQ(client_fault_not_available_ms(1799), 2000);
    CHECK_EQ(client_fault_not_available_ms(1800), 5000);
    CHECK_EQ(client_fault_not_available_ms(3000), 6000);
    CHECK_EQ(client_fault_not_available_ms(10000), 10000);
    CHECK_EQ(client_fault_not_available_ms(15000), 30000);

    proto_topic_route_data_t rd;
    make_route(&rd);
    client_publish_info_t pi;
    client_publish_info_build(&pi, &rd, 0);
    client_fault_t f;
    client_fault_init(&f, true);
    int64_t now = 1000000;

    /* A failed send to a isolates it for 10 s: every choice goes to b. */
    client_fault_update(&f, "a", 20, true, true, now);
    CHECK(!client_fault_is_available(&f, "a", now + 9999));
    CHECK(client_fault_is_available(&f, "a", now + 10000));
    for (int i = 0; i < 8; i++)
        CHECK_STREQ(client_fault_select(&f, &pi, NULL, false, now + 5000)->broker_name, "b");
    /* After the penalty both are used again. */
    int seen_a = 0;
    for (int i = 0; i < 8; i++)
        seen_a +=
            strcmp(client_fault_select(&f, &pi, NULL, false, now + 10000)->broker_name, "a") == 0;
    CHECK_EQ(seen_a, 4);

    /* Both unavailable: the reachable one (a broker error marks b unreachable). */
    client_fault_update(&f, "a", 20, true, true, now);
    client_fault_update(&f, "b", 20, true, false, now);
    for (int i = 0; i < 8; i++)
        CHECK_STREQ(client_fault_select(&f, &pi, NULL, false, now + 1)->broker_name, "a");
    /* A fast success does not shorten a running penalty; a slow one sets 2 s. */
    client_fault_update(&f, "b", 10, false, true, now + 1);
    CHECK(!client_fault_is_available(&f, "b", now + 5000));
    client_fault_update(&f, "c", 600, false, true, now);
    CHECK(!client_fault_is_available(&f, "c", now + 1999));
    CHECK(client_fault_is_available(&f, "c", now + 2000));

    /* Disabled: updates are ignored. */
    client_fault_t off;
    client_fault_init(&off, false);
    client_fault_update(&off, "a", 20, true, false, now);
    CHECK(client_fault_is_available(&off, "a", now));
    client_fault_close(&off);

    client_fault_close(&f);
    client_publish_info_close(&pi);
    proto_topic_route_data_close(&rd);
}

static void test_hash_selector_matches_java(void) {
    /* |String.hashCode() % n| as Java's SelectMessageQueueByHash (values from Java's
     * String.hashCode: "key-99" is -1134722738). */
    CHECK_EQ(rmq_queue_select_by_hash(7, NULL, "order-key-1"), 0);
    CHECK_EQ(rmq_queue_select_by_hash(7, NULL, "TagA"), 1);
    CHECK_EQ(rmq_queue_select_by_hash(7, NULL, "negative-key"), 4);
    CHECK_EQ(rmq_queue_select_by_hash(7, NULL, "key-99"), 2);
    CHECK_EQ(rmq_queue_select_by_hash(0, NULL, "x"), -1);
}

/* ------------------------------------------------------------------ configuration */

static void test_producer_conf_validation(void) {
    rmq_conf_t *conf = rmq_conf_new();
    char err[256] = "";
    CHECK_STREQ(rmq_conf_get(conf, "producerGroup"), "DEFAULT_PRODUCER");
    CHECK_STREQ(rmq_conf_get(conf, "compressMsgBodyOverHowmuch"), "4096");
    CHECK_STREQ(rmq_conf_get(conf, "retryTimesWhenSendFailed"), "2");
    CHECK_STREQ(rmq_conf_get(conf, "sendMsgTimeout"), "3000");
    CHECK_STREQ(rmq_conf_get(conf, "maxMessageSize"), "4194304");
    CHECK_EQ(rmq_conf_set(conf, "sendMsgTimeout", "0", err, sizeof err),
             RMQ_ERR__INVALID_CONF_VALUE);
    CHECK(strstr(err, "sendMsgTimeout") && strstr(err, "outside"));
    CHECK_EQ(rmq_conf_set(conf, "retryTimesWhenSendFailed", "-1", err, sizeof err),
             RMQ_ERR__INVALID_CONF_VALUE);
    CHECK_EQ(rmq_conf_set(conf, "compressLevel", "10", err, sizeof err),
             RMQ_ERR__INVALID_CONF_VALUE);
    CHECK_EQ(rmq_conf_set(conf, "sendLatencyFaultEnable", "maybe", err, sizeof err),
             RMQ_ERR__INVALID_CONF_VALUE);
    CHECK(strstr(err, "not true or false"));

    /* The group is checked when the producer is created. */
    CHECK_EQ(rmq_conf_set(conf, "namesrvAddr", "127.0.0.1:9876", NULL, 0), 0);
    CHECK_EQ(rmq_conf_set(conf, "producerGroup", "bad group!", NULL, 0), 0);
    CHECK(rmq_producer_new(conf, err, sizeof err) == NULL);
    CHECK(strstr(err, "producerGroup") && strstr(err, "illegal characters"));
    CHECK_EQ(rmq_conf_set(conf, "producerGroup", "PG", NULL, 0), 0);
    CHECK_EQ(rmq_conf_set(conf, "namesrvAddr", "nohost", NULL, 0), 0);
    CHECK(rmq_producer_new(conf, err, sizeof err) == NULL);
    CHECK(strstr(err, "nohost"));

    /* A valid one is created without touching the network; sends before start fail. */
    CHECK_EQ(rmq_conf_set(conf, "namesrvAddr", "127.0.0.1:9876", NULL, 0), 0);
    rmq_producer_t *p = rmq_producer_new(conf, err, sizeof err);
    CHECK(p != NULL);
    CHECK(strchr(rmq_producer_client_id(p), '@') != NULL);
    rmq_message_t *msg = rmq_message_new("T");
    rmq_message_set_body(msg, "x", 1, RMQ_MSG_F_COPY);
    CHECK_EQ(rmq_producer_send(p, msg, NULL, err, sizeof err), RMQ_ERR__INVALID_ARG);
    rmq_message_destroy(msg);
    rmq_producer_destroy(p);
    rmq_conf_destroy(conf);
}

int main(void) {
    RUN(test_message_properties);
    RUN(test_uniq_key_decodes_to_ip_pid_time);
    RUN(test_compression_threshold_and_flag);
    RUN(test_single_request_header);
    RUN(test_batch_encoding);
    RUN(test_send_result_decode);
    RUN(test_publish_list_and_round_robin);
    RUN(test_fault_avoidance);
    RUN(test_hash_selector_matches_java);
    RUN(test_producer_conf_validation);
    return 0;
}
