/* Tests for store/record.c: byte-exact records built field by field from spec store.md 2.1. */
#include "store/record.h"

#include "common/checksum.h"
#include "test.h"

#include <errno.h>

static store_msg_t sample_msg(void) {
    store_msg_t m = {
        .topic = RMQ_SLICE_LIT("TopicTest"),
        .queue_id = 3,
        .flag = 7,
        .body = RMQ_SLICE_LIT("Hello"),
        .props = RMQ_SLICE_LIT("TAGS\001TagA\002KEYS\001k1 k2\002"),
        .sys_flag = 0,
        .born_ts = 0x0102030405060708LL,
        .born_host = store_host_v4(10, 0, 0, 1, 50000),
        .store_host = store_host_v4(192, 168, 1, 2, 10911),
        .reconsume_times = 2,
        .prepared_tx_offset = 0,
    };
    return m;
}

static void test_v1_ipv4_layout(void) {
    store_msg_t m = sample_msg();
    size_t size;
    uint32_t magic;
    CHECK_EQ(store_record_size(&m, &size, &magic), 0);
    CHECK_EQ(magic, STORE_MAGIC_V1);
    /* 91 + BL + TL + PL */
    CHECK_EQ(size, 91 + 5 + 9 + m.props.len);
    char rec[256];
    int32_t crc = rmq_crc32_masked("Hello", 5);
    store_record_encode(rec, size, magic, &m, crc, 42, 4096, 0x1112131415161718LL);

    /* Expected bytes, field by field. */
    uint8_t exp[256];
    size_t o = 0;
    rmq_put_u32be(exp + o, (uint32_t)size), o += 4;
    rmq_put_u32be(exp + o, 0xDAA320A7), o += 4;
    rmq_put_u32be(exp + o, (uint32_t)crc), o += 4;
    rmq_put_u32be(exp + o, 3), o += 4;
    rmq_put_u32be(exp + o, 7), o += 4;
    rmq_put_u64be(exp + o, 42), o += 8;
    rmq_put_u64be(exp + o, 4096), o += 8;
    rmq_put_u32be(exp + o, 0), o += 4;
    rmq_put_u64be(exp + o, 0x0102030405060708ULL), o += 8;
    CHECK_EQ(o, 48);
    exp[o++] = 10, exp[o++] = 0, exp[o++] = 0, exp[o++] = 1;
    rmq_put_u32be(exp + o, 50000), o += 4;
    CHECK_EQ(o, 56); /* STORETIMESTAMP at 56 for IPv4 */
    rmq_put_u64be(exp + o, 0x1112131415161718ULL), o += 8;
    exp[o++] = 192, exp[o++] = 168, exp[o++] = 1, exp[o++] = 2;
    rmq_put_u32be(exp + o, 10911), o += 4;
    CHECK_EQ(o, 72);
    rmq_put_u32be(exp + o, 2), o += 4;
    rmq_put_u64be(exp + o, 0), o += 8;
    CHECK_EQ(o, 84);
    rmq_put_u32be(exp + o, 5), o += 4;
    memcpy(exp + o, "Hello", 5), o += 5;
    exp[o++] = 9;
    memcpy(exp + o, "TopicTest", 9), o += 9;
    rmq_put_u16be(exp + o, (uint16_t)m.props.len), o += 2;
    memcpy(exp + o, m.props.ptr, m.props.len), o += m.props.len;
    CHECK_EQ(o, size);
    CHECK(memcmp(rec, exp, size) == 0);

    store_record_t r;
    CHECK_EQ(store_record_decode(rec, size, true, &r), 0);
    CHECK_EQ(r.total_size, size);
    CHECK_EQ(r.queue_id, 3);
    CHECK_EQ(r.flag, 7);
    CHECK_EQ(r.queue_offset, 42);
    CHECK_EQ(r.phys_offset, 4096);
    CHECK_EQ(r.store_ts, 0x1112131415161718LL);
    CHECK_EQ(r.born_host.port, 50000);
    CHECK_EQ(r.store_host.addr[0], 192);
    CHECK_EQ(r.reconsume_times, 2);
    CHECK_MEMSTR(r.body.ptr, r.body.len, "Hello");
    CHECK_MEMSTR(r.topic.ptr, r.topic.len, "TopicTest");
    rmq_slice_t v;
    CHECK(store_props_get(r.props, "KEYS", &v));
    CHECK_MEMSTR(v.ptr, v.len, "k1 k2");
    CHECK(store_props_get(r.props, "TAGS", &v));
    CHECK_MEMSTR(v.ptr, v.len, "TagA");
    CHECK(!store_props_get(r.props, "TAG", &v));
}

static void test_ipv6_and_v2(void) {
    store_msg_t m = sample_msg();
    CHECK_EQ(store_host_parse("[::1]:9000", &m.born_host), 0);
    CHECK(m.born_host.is_v6);
    CHECK_EQ(m.born_host.addr[15], 1);
    char topic[200];
    memcpy(topic, "%RETRY%", 7);
    memset(topic + 7, 'g', sizeof topic - 7);
    m.topic = rmq_slice(topic, sizeof topic);
    size_t size;
    uint32_t magic;
    CHECK_EQ(store_record_size(&m, &size, &magic), 0);
    CHECK_EQ(magic, STORE_MAGIC_V2);
    CHECK_EQ(size, 74 + 20 + 8 + 2 + 5 + 200 + m.props.len);
    char rec[512];
    store_record_encode(rec, size, magic, &m, rmq_crc32_masked("Hello", 5), 1, 2, 3);
    CHECK_EQ(rmq_get_u32be(rec + 36), STORE_SYSFLAG_BORNHOST_V6);
    /* STORETIMESTAMP moves to 68 with an IPv6 born host. */
    CHECK_EQ(rmq_get_u64be(rec + 68), 3);
    store_record_t r;
    CHECK_EQ(store_record_decode(rec, size, true, &r), 0);
    CHECK(r.born_host.is_v6);
    CHECK_EQ(r.born_host.port, 9000);
    CHECK_EQ(r.topic.len, 200);
    CHECK_EQ(r.store_ts, 3);
}

static void test_decode_rejects(void) {
    store_msg_t m = sample_msg();
    size_t size;
    uint32_t magic;
    CHECK_EQ(store_record_size(&m, &size, &magic), 0);
    char rec[256];
    store_record_encode(rec, size, magic, &m, rmq_crc32_masked("Hello", 5), 0, 0, 0);
    store_record_t r;
    CHECK_EQ(store_record_decode(rec, size - 1, true, &r), -EBADMSG); /* truncated */
    rec[90] ^= 1;                                                     /* body byte */
    CHECK_EQ(store_record_decode(rec, size, true, &r), -EBADMSG);
    CHECK_EQ(store_record_decode(rec, size, false, &r), 0);
    rec[90] ^= 1;
    rmq_put_u32be(rec, (uint32_t)size + 1); /* TOTALSIZE disagrees with the fields */
    CHECK_EQ(store_record_decode(rec, size + 1, false, &r), -EBADMSG);
    memset(rec, 0, 16); /* zero-filled tail */
    CHECK_EQ(store_record_decode(rec, size, false, &r), -EBADMSG);
    rmq_put_u32be(rec, 100);
    rmq_put_u32be(rec + 4, STORE_MAGIC_BLANK);
    CHECK_EQ(store_record_decode(rec, 8, false, &r), STORE_RECORD_BLANK);
    CHECK_EQ(r.total_size, 100);
}

static void test_msg_id(void) {
    store_host_t h = store_host_v4(127, 0, 0, 1, 10911);
    char id[57];
    CHECK_EQ(store_msg_id(&h, 0x1234, id), 32);
    CHECK_STREQ(id, "7F00000100002A9F0000000000001234");
}

static int count_pairs;
static void count_cb(void *arg, rmq_slice_t n, rmq_slice_t v) {
    count_pairs++;
}

static void test_props_tolerance(void) {
    /* missing final 0x02, a segment without 0x01, an empty name and an empty value */
    rmq_slice_t p = RMQ_SLICE_LIT("A\001x\002junk\002\001v\002B\001\002C\001z");
    count_pairs = 0;
    store_props_foreach(p, count_cb, NULL);
    CHECK_EQ(count_pairs, 2);
    rmq_slice_t v;
    CHECK(store_props_get(p, "C", &v));
    CHECK_MEMSTR(v.ptr, v.len, "z");
    CHECK(!store_props_get(p, "B", &v));
}

/*
 * Issue 3 (found by tests/interop/test_store_apache_to_ours.sh): the Apache broker appends
 * a batch's properties, with the batch's own UNIQ_KEY, to every inner message's, so a
 * batch record carries UNIQ_KEY twice. Java keeps the last value (HashMap), indexes that
 * one and shows it as the message id; reading the first one indexed the wrong key.
 */
static void test_props_repeated_name_last_wins(void) {
    rmq_slice_t p = RMQ_SLICE_LIT("UNIQ_KEY\001inner\002TAGS\001t\002UNIQ_KEY\001batch\002"
                                  "UNIQ_KEY\001\002");
    rmq_slice_t v;
    CHECK(store_props_get(p, "UNIQ_KEY", &v));
    CHECK_MEMSTR(v.ptr, v.len, "batch"); /* the empty value after it is skipped, as in Java */
    CHECK(store_props_get(p, "TAGS", &v));
    CHECK_MEMSTR(v.ptr, v.len, "t");
}

int main(void) {
    RUN(test_v1_ipv4_layout);
    RUN(test_ipv6_and_v2);
    RUN(test_decode_rejects);
    RUN(test_msg_id);
    RUN(test_props_tolerance);
    RUN(test_props_repeated_name_last_wins);
    return 0;
}
