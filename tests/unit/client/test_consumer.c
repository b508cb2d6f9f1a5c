/* Unit tests for the consumers' shared pieces: AllocateMessageQueueAveragely against the
 * Java client's results, message decoding (compressed bodies, inner batches, properties,
 * ids), pull responses with tag filtering, the local offset file in Java's format. */
#include "client/consumer.h"
#include "client/send_codec.h"
#include "common/alloc.h"
#include "protocol/message.h"
#include "protocol/msg_record.h"
#include "protocol/pull_header.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------------ allocation */

/* Java: new AllocateMessageQueueAveragely().allocate(g, cid, mqAll, cidAll), written as
 * "start+count" per consumer, computed with the 5.3.3 client. */
static void check_alloc(size_t mqs, size_t cids, const char *expected) {
    const char *names[] = {"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"};
    char got[256] = "";
    for (size_t i = 0; i < cids; i++) {
        size_t start, count;
        client_allocate_averagely(names[i], names, cids, mqs, &start, &count);
        char part[32];
        snprintf(part, sizeof part, "%s%zu+%zu", i ? " " : "", count ? start : 0, count);
        strcat(got, part);
    }
    CHECK_STREQ(got, expected);
}

static void test_allocate_averagely(void) {
    check_alloc(8, 3, "0+3 3+3 6+2");
    check_alloc(8, 2, "0+4 4+4");
    check_alloc(10, 4, "0+3 3+3 6+2 8+2");
    check_alloc(3, 5, "0+1 1+1 2+1 0+0 0+0");
    check_alloc(4, 4, "0+1 1+1 2+1 3+1");
    check_alloc(1, 2, "0+1 0+0");
    check_alloc(0, 2, "0+0 0+0");
    size_t start, count;
    const char *ids[] = {"a", "b"};
    client_allocate_averagely("absent", ids, 2, 8, &start, &count);
    CHECK_EQ(count, 0);
}

static void test_mq_order(void) {
    client_cmqs_t l = {0};
    client_cmqs_add(&l, "T", "broker-b", 0);
    client_cmqs_add(&l, "T", "broker-a", 1);
    client_cmqs_add(&l, "S", "broker-z", 3);
    client_cmqs_add(&l, "T", "broker-a", 0);
    qsort(l.items, l.count, sizeof *l.items, client_cmq_cmp);
    CHECK_STREQ(l.items[0].topic, "S");
    CHECK_STREQ(l.items[1].broker_name, "broker-a");
    CHECK_EQ(l.items[1].queue_id, 0);
    CHECK_EQ(l.items[2].queue_id, 1);
    CHECK_STREQ(l.items[3].broker_name, "broker-b");
    client_cmqs_close(&l);
}

/* ------------------------------------------------------------------ decoding */

static void put_record(rmq_buf_t *b, int32_t sys_flag, const char *topic, rmq_slice_t body,
                       const char *props, int64_t qoff) {
    size_t total = 74 + 8 + 8 + 1 + body.len + strlen(topic) + strlen(props);
    rmq_buf_append_u32be(b, (uint32_t)total);
    rmq_buf_append_u32be(b, PROTO_MSG_MAGIC_V1);
    rmq_buf_append_u32be(b, 99);
    rmq_buf_append_u32be(b, 1);
    rmq_buf_append_u32be(b, 0);
    rmq_buf_append_u64be(b, (uint64_t)qoff);
    rmq_buf_append_u64be(b, 0x1000);
    rmq_buf_append_u32be(b, (uint32_t)sys_flag);
    rmq_buf_append_u64be(b, 1);
    const uint8_t ip[4] = {10, 0, 0, 7};
    rmq_buf_append(b, ip, 4);
    rmq_buf_append_u32be(b, 40000);
    rmq_buf_append_u64be(b, 2);
    const uint8_t sip[4] = {127, 0, 0, 1};
    rmq_buf_append(b, sip, 4);
    rmq_buf_append_u32be(b, 10911);
    rmq_buf_append_u32be(b, 0);
    rmq_buf_append_u64be(b, 0);
    rmq_buf_append_u32be(b, (uint32_t)body.len);
    rmq_buf_append(b, body.ptr, body.len);
    rmq_buf_append_u8(b, (uint8_t)strlen(topic));
    rmq_buf_append_cstr(b, topic);
    rmq_buf_append_u16be(b, (uint16_t)strlen(props));
    rmq_buf_append_cstr(b, props);
}

static void test_decode_messages(void) {
    rmq_buf_t b, z, batch;
    rmq_buf_init(&b);
    rmq_buf_init(&z);
    rmq_buf_init(&batch);
    /* 1: plain, with a UNIQ_KEY, tags, a user property and a pair Java would skip. */
    put_record(&b, 0, "T", rmq_slice_cstr("plain"),
               "UNIQ_KEY\001AABB\002TAGS\001TagA\002u\001v\002\001x\002", 10);
    /* 2: zlib-compressed (5.x type bits). */
    char big[5000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 7);
    CHECK_EQ(client_zlib_compress(big, sizeof big, 5, &z), 0);
    put_record(&b, 0x301, "T", rmq_buf_slice(&z), "", 11);
    /* 3: an inner batch of two. */
    proto_batch_append(&batch, 0, rmq_slice_cstr("one"), rmq_slice_cstr("k\0011\002"));
    proto_batch_append(&batch, 0, rmq_slice_cstr("two"), rmq_slice_cstr("k\0012\002"));
    put_record(&b, PROTO_MSG_SYSFLAG_INNER_BATCH, "T", rmq_buf_slice(&batch), "", 20);

    client_msgs_t out = {0};
    CHECK_EQ(client_msgs_decode(rmq_buf_slice(&b), "broker-a", &out), 0);
    CHECK_EQ(out.count, 4);
    const rmq_message_ext_t *m = out.items[0];
    size_t len;
    const char *body = rmq_message_body(rmq_message_ext_message(m), &len);
    CHECK_MEMSTR(body, len, "plain");
    CHECK_STREQ(rmq_message_ext_msg_id(m), "AABB");
    CHECK_STREQ(rmq_message_ext_offset_msg_id(m), "7F00000100002A9F0000000000001000");
    CHECK_STREQ(rmq_message_tags(rmq_message_ext_message(m)), "TagA");
    CHECK_STREQ(rmq_message_property(rmq_message_ext_message(m), "u"), "v");
    CHECK_EQ(rmq_message_property_count(rmq_message_ext_message(m)), 3);
    CHECK_STREQ(rmq_message_ext_broker_name(m), "broker-a");
    CHECK_STREQ(rmq_message_ext_born_host(m), "10.0.0.7:40000");
    CHECK_EQ(rmq_message_ext_queue_offset(m), 10);
    m = out.items[1];
    body = rmq_message_body(rmq_message_ext_message(m), &len);
    CHECK_EQ(len, sizeof big);
    CHECK(memcmp(body, big, len) == 0);
    CHECK_EQ(rmq_message_ext_sys_flag(m), 0x301);
    CHECK_STREQ(rmq_message_ext_msg_id(m), rmq_message_ext_offset_msg_id(m));
    body = rmq_message_body(rmq_message_ext_message(out.items[3]), &len);
    CHECK_MEMSTR(body, len, "two");
    CHECK_EQ(rmq_message_ext_queue_offset(out.items[2]), 20);
    CHECK_EQ(rmq_message_ext_queue_offset(out.items[3]), 21);
    CHECK_STREQ(rmq_message_property(rmq_message_ext_message(out.items[3]), "k"), "2");
    client_msgs_close(&out);

    /* A bad record after good ones: the good ones are kept. */
    rmq_buf_append_u32be(&b, 100);
    rmq_buf_append_u32be(&b, 0);
    CHECK(client_msgs_decode(rmq_buf_slice(&b), "broker-a", &out) < 0);
    CHECK_EQ(out.count, 4);
    client_msgs_close(&out);
    rmq_buf_close(&b);
    rmq_buf_close(&z);
    rmq_buf_close(&batch);
}

static void test_retry_topic_reset(void) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    put_record(&b, 0, "%RETRY%G", rmq_slice_cstr("x"), "RETRY_TOPIC\001Orig\002", 0);
    client_msgs_t out = {0};
    CHECK_EQ(client_msgs_decode(rmq_buf_slice(&b), "b", &out), 0);
    client_msg_ext_reset_retry_topic(out.items[0], "OtherGroup");
    CHECK_STREQ(rmq_message_topic(rmq_message_ext_message(out.items[0])), "%RETRY%G");
    client_msg_ext_reset_retry_topic(out.items[0], "G");
    CHECK_STREQ(rmq_message_topic(rmq_message_ext_message(out.items[0])), "Orig");
    client_msgs_close(&out);
    rmq_buf_close(&b);
}

/* ------------------------------------------------------------------ pull */

static void test_pull_result_filters_tags(void) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    put_record(&b, 0, "T", rmq_slice_cstr("a"), "TAGS\001TagA\002", 0);
    put_record(&b, 0, "T", rmq_slice_cstr("b"), "TAGS\001TagB\002", 1);
    put_record(&b, 0, "T", rmq_slice_cstr("c"), "", 2);
    remoting_cmd_t *resp = remoting_cmd_new();
    remoting_cmd_set_response(resp, 0, 1, NULL);
    proto_pull_message_response_header_t h = {.nextBeginOffset = 3, .minOffset = 0, .maxOffset = 3};
    proto_pull_message_response_header_encode(&h, resp);
    remoting_cmd_copy_body(resp, b.data, b.len);
    proto_subscription_t sub;
    CHECK_EQ(proto_subscription_build(&sub, "T", "TagA || TagC", "TAG"), 0);
    client_cmq_t mq = {"T", "broker-a", 0};
    client_pull_result_t r;
    client_pull_result_decode(resp, &mq, &sub, &r);
    CHECK_EQ(r.status, CLIENT_PULL_FOUND);
    CHECK_EQ(r.next_begin_offset, 3);
    CHECK_EQ(r.msgs.count, 1);
    CHECK_STREQ(rmq_message_property(rmq_message_ext_message(r.msgs.items[0]), "MAX_OFFSET"), "3");
    client_pull_result_close(&r);
    proto_subscription_close(&sub);
    /* "*": everything. */
    CHECK_EQ(proto_subscription_build(&sub, "T", "*", "TAG"), 0);
    client_pull_result_decode(resp, &mq, &sub, &r);
    CHECK_EQ(r.msgs.count, 3);
    client_pull_result_close(&r);
    /* Not found. */
    resp->code = 19;
    client_pull_result_decode(resp, &mq, &sub, &r);
    CHECK_EQ(r.status, CLIENT_PULL_NO_NEW_MSG);
    CHECK_EQ(r.msgs.count, 0);
    client_pull_result_close(&r);
    resp->code = 1;
    client_pull_result_decode(resp, &mq, &sub, &r);
    CHECK_EQ(r.status, CLIENT_PULL_ERROR);
    proto_subscription_close(&sub);
    remoting_cmd_destroy(resp);
    rmq_buf_close(&b);
}

static void test_pull_request_header(void) {
    proto_subscription_t sub;
    CHECK_EQ(proto_subscription_build(&sub, "T", "TagA", "TAG"), 0);
    sub.subVersion = 77;
    client_cmq_t mq = {"T", "broker-a", 2};
    remoting_cmd_t *req = client_pull_request("G", &mq, 5, 32, 4, true, &sub, 15000);
    CHECK_EQ(req->code, 11);
    proto_pull_message_request_header_t h;
    const char *bad = NULL;
    CHECK_EQ(proto_pull_message_request_header_decode(req, &h, &bad), 0);
    CHECK_STREQ(h.consumerGroup, "G");
    CHECK_EQ(h.queueId, 2);
    CHECK_EQ(h.queueOffset, 5);
    CHECK_EQ(h.sysFlag, PROTO_PULL_FLAG_COMMIT_OFFSET | PROTO_PULL_FLAG_SUSPEND |
                            PROTO_PULL_FLAG_SUBSCRIPTION);
    CHECK_EQ(h.commitOffset, 4);
    CHECK_STREQ(h.subscription, "TagA");
    CHECK_EQ(h.subVersion, 77);
    CHECK_STREQ(h.brokerName, "broker-a");
    remoting_cmd_destroy(req);
    proto_subscription_close(&sub);
}

/* ------------------------------------------------------------------ offset file */

static void test_local_offset_file(void) {
    char dir[] = "/tmp/rmq-offsets-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *path = client_offset_store_local_path(dir, "127.0.0.1@1", "G");
    char expect[256];
    snprintf(expect, sizeof expect, "%s/127.0.0.1@1/G/offsets.json", dir);
    CHECK_STREQ(path, expect);
    client_offset_store_t os;
    client_offset_store_init(&os, NULL, "G", path);
    client_cmq_t a = {"T", "broker-a", 0}, b = {"T", "broker-a", 1};
    client_offset_store_update(&os, &a, 12, false);
    client_offset_store_update(&os, &a, 10, true); /* increase only: stays 12 */
    client_offset_store_update(&os, &b, 7, false);
    CHECK_EQ(client_offset_store_persist(&os), RMQ_ERR_NO_ERROR);
    client_offset_store_close(&os);

    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    char text[1024] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    /* fastjson's pretty form of OffsetSerializeWrapper: objects as map keys. */
    CHECK(strstr(text, "\"offsetTable\":{{\n\t\t\t\"brokerName\":\"broker-a\",\n\t\t\t"
                       "\"queueId\":0,\n\t\t\t\"topic\":\"T\"\n\t\t}:12,{") != NULL);

    /* A file as the Java client writes it reads back. */
    f = fopen(path, "w");
    fputs("{\n\t\"offsetTable\":{{\"brokerName\":\"broker-a\",\"queueId\":1,\"topic\":\"T\"}:33,"
          "{\"brokerName\":\"broker-b\",\"queueId\":0,\"topic\":\"T\"}:4\n\t}\n}",
          f);
    fclose(f);
    client_offset_store_init(&os, NULL, "G", path);
    rmq_err_t err;
    CHECK_EQ(client_offset_store_read(&os, &b, true, &err), 33);
    CHECK_EQ(err, RMQ_ERR_NO_ERROR);
    client_cmq_t c = {"T", "broker-b", 0};
    CHECK_EQ(client_offset_store_read(&os, &c, false, &err), 4);
    CHECK_EQ(client_offset_store_read(&os, &a, false, &err), -1);
    client_offset_store_close(&os);
    unlink(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
    *strrchr(path, '/') = '\0';
    rmdir(path);
    rmdir(dir);
    rmq_free(path);
}

/* A received message's record fields (storeSize, preparedTransactionOffset) and its
 * copy to send again: every property kept, and the send keeps its UNIQ_KEY (Java's
 * MessageClientIDSetter.setUniqID sets one only when absent) without adding another. */
static void test_copy_to_resend(void) {
    static const char uniq[] = "C0A8000100002A9F0000000000000001";
    char props[128];
    snprintf(props, sizeof props, "UNIQ_KEY\001%s\002TAGS\001TagA\002u\001v\002", uniq);
    rmq_buf_t b;
    rmq_buf_init(&b);
    put_record(&b, 0, "T", rmq_slice_cstr("again"), props, 3);
    client_msgs_t out = {0};
    CHECK_EQ(client_msgs_decode(rmq_buf_slice(&b), "broker-a", &out), 0);
    CHECK_EQ(out.count, 1);
    CHECK_EQ(rmq_message_ext_store_size(out.items[0]), (int32_t)b.len);
    CHECK_EQ(rmq_message_ext_prepared_transaction_offset(out.items[0]), 0);
    rmq_message_t *msg = rmq_message_ext_copy_message(out.items[0]);
    client_msgs_close(&out);
    CHECK_STREQ(rmq_message_topic(msg), "T");
    CHECK_STREQ(rmq_message_tags(msg), "TagA");
    CHECK_STREQ(rmq_message_property(msg, "u"), "v");
    size_t len;
    const char *body = rmq_message_body(msg, &len);
    CHECK_MEMSTR(body, len, "again");
    client_send_req_t r;
    client_send_req_init(&r);
    client_send_req_single(&r, msg, 0, 5);
    CHECK_STREQ(r.uniq_id, uniq);
    rmq_buf_cstr(&r.props);
    const char *first = strstr(r.props.data, "UNIQ_KEY");
    CHECK(first && !strstr(first + 1, "UNIQ_KEY"));
    client_send_req_close(&r);
    rmq_message_destroy(msg);
    rmq_buf_close(&b);
}

int main(void) {
    RUN(test_copy_to_resend);
    RUN(test_allocate_averagely);
    RUN(test_mq_order);
    RUN(test_decode_messages);
    RUN(test_retry_topic_reset);
    RUN(test_pull_result_filters_tags);
    RUN(test_pull_request_header);
    RUN(test_local_offset_file);
    return 0;
}
