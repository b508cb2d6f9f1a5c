/* Unit tests for protocol/msg_record.c: client-side decoding of stored records (v1 and
 * v2 magic, IPv6 hosts, truncation and length mismatches). */
#include "protocol/msg_record.h"
#include "test.h"

#include <errno.h>
#include <string.h>

/* Appends one record as the CommitLog lays it out (store.md 2.1). */
static void put_record(rmq_buf_t *b, uint32_t magic, int32_t sys_flag, const char *topic,
                       const char *body, const char *props, int64_t qoff) {
    size_t host = (sys_flag & PROTO_MSG_SYSFLAG_BORNHOST_V6) ? 20 : 8;
    size_t shost = (sys_flag & PROTO_MSG_SYSFLAG_STOREHOST_V6) ? 20 : 8;
    size_t tl = magic == PROTO_MSG_MAGIC_V2 ? 2 : 1;
    size_t total = 74 + host + shost + tl + strlen(body) + strlen(topic) + strlen(props);
    rmq_buf_append_u32be(b, (uint32_t)total);
    rmq_buf_append_u32be(b, magic);
    rmq_buf_append_u32be(b, 0x1234);         /* body crc */
    rmq_buf_append_u32be(b, 3);              /* queue id */
    rmq_buf_append_u32be(b, 7);              /* flag */
    rmq_buf_append_u64be(b, (uint64_t)qoff); /* queue offset */
    rmq_buf_append_u64be(b, 4096);           /* physical offset */
    rmq_buf_append_u32be(b, (uint32_t)sys_flag);
    rmq_buf_append_u64be(b, 1700000000000ULL);
    for (size_t i = 0; i < host - 4; i++)
        rmq_buf_append_u8(b, (uint8_t)(i == 0 ? 10 : i + 1));
    rmq_buf_append_u32be(b, 5555);
    rmq_buf_append_u64be(b, 1700000000001ULL);
    const uint8_t v4[4] = {127, 0, 0, 1};
    for (size_t i = 0; i < shost - 4; i++)
        rmq_buf_append_u8(b, shost == 8 ? v4[i] : (uint8_t)(i == 15));
    rmq_buf_append_u32be(b, 10911);
    rmq_buf_append_u32be(b, 2); /* reconsume times */
    rmq_buf_append_u64be(b, 0);
    rmq_buf_append_u32be(b, (uint32_t)strlen(body));
    rmq_buf_append_cstr(b, body);
    if (tl == 2)
        rmq_buf_append_u16be(b, (uint16_t)strlen(topic));
    else
        rmq_buf_append_u8(b, (uint8_t)strlen(topic));
    rmq_buf_append_cstr(b, topic);
    rmq_buf_append_u16be(b, (uint16_t)strlen(props));
    rmq_buf_append_cstr(b, props);
}

static void test_decode_two_records(void) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    put_record(&b, PROTO_MSG_MAGIC_V1, 0, "T1", "hello", "TAGS\001a\002", 5);
    put_record(&b, PROTO_MSG_MAGIC_V2,
               PROTO_MSG_SYSFLAG_BORNHOST_V6 | PROTO_MSG_SYSFLAG_STOREHOST_V6, "T2", "", "", 6);
    rmq_slice_t rest = rmq_buf_slice(&b);
    proto_msg_record_t m;
    CHECK_EQ(proto_msg_record_next(&rest, &m), 1);
    CHECK_EQ(m.queue_id, 3);
    CHECK_EQ(m.flag, 7);
    CHECK_EQ(m.queue_offset, 5);
    CHECK_EQ(m.phys_offset, 4096);
    CHECK_EQ(m.reconsume_times, 2);
    CHECK_EQ(m.store_ts, 1700000000001LL);
    CHECK_MEMSTR(m.body.ptr, m.body.len, "hello");
    CHECK_MEMSTR(m.topic.ptr, m.topic.len, "T1");
    CHECK_MEMSTR(m.props.ptr, m.props.len, "TAGS\001a\002");
    char host[64];
    proto_msg_host_format(&m.store_host, host, sizeof host);
    CHECK_STREQ(host, "127.0.0.1:10911");
    CHECK_EQ(proto_msg_record_next(&rest, &m), 1);
    CHECK_MEMSTR(m.topic.ptr, m.topic.len, "T2");
    CHECK_EQ(m.body.len, 0);
    CHECK(m.born_host.is_v6);
    proto_msg_host_format(&m.store_host, host, sizeof host);
    CHECK_STREQ(host, "[::1]:10911");
    CHECK_EQ(proto_msg_record_next(&rest, &m), 0);
    rmq_buf_close(&b);
}

static void test_decode_rejects_bad_bytes(void) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    put_record(&b, PROTO_MSG_MAGIC_V1, 0, "T1", "hello", "", 0);
    /* Truncated. */
    rmq_slice_t rest = rmq_slice(b.data, b.len - 1);
    proto_msg_record_t m;
    CHECK_EQ(proto_msg_record_next(&rest, &m), -EBADMSG);
    CHECK_EQ(rest.len, b.len - 1);
    /* Unknown magic. */
    char *copy = rmq_buf_cstr(&b);
    copy[4] = 0x11;
    rest = rmq_slice(copy, b.len);
    CHECK_EQ(proto_msg_record_next(&rest, &m), -EBADMSG);
    copy[4] = (char)0xDA;
    /* A body length beyond TOTALSIZE. */
    size_t body_len_at = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + 8 + 8 + 8 + 4 + 8;
    copy[body_len_at] = 0x7f;
    rest = rmq_slice(copy, b.len);
    CHECK_EQ(proto_msg_record_next(&rest, &m), -EBADMSG);
    /* Shorter than a header. */
    rest = rmq_slice(copy, 6);
    CHECK_EQ(proto_msg_record_next(&rest, &m), -EBADMSG);
    rmq_buf_close(&b);
}

/* A v1 topic length is one signed byte (store.md 2.1, as Java reads it): 128 is not a
 * length; the same topic in a v2 record is. */
static void test_v1_topic_length_is_signed(void) {
    char topic[129];
    memset(topic, 't', 128);
    topic[128] = 0;
    rmq_buf_t b;
    rmq_buf_init(&b);
    put_record(&b, PROTO_MSG_MAGIC_V1, 0, topic, "x", "", 0);
    rmq_slice_t rest = rmq_slice(b.data, b.len);
    proto_msg_record_t m;
    CHECK_EQ(proto_msg_record_next(&rest, &m), -EBADMSG);
    rmq_buf_reset(&b);
    put_record(&b, PROTO_MSG_MAGIC_V2, 0, topic, "x", "", 0);
    rest = rmq_slice(b.data, b.len);
    CHECK_EQ(proto_msg_record_next(&rest, &m), 1);
    CHECK_EQ(m.topic.len, 128);
    CHECK_EQ(m.magic, PROTO_MSG_MAGIC_V2);
    rmq_buf_close(&b);
}

int main(void) {
    RUN(test_decode_two_records);
    RUN(test_decode_rejects_bad_bytes);
    RUN(test_v1_topic_length_is_signed);
    return 0;
}
