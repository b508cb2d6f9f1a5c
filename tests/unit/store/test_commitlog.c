/* Tests for store/commitlog.c: queue-offset assignment, the end-of-segment blank, client
 * batches (spec store.md 2.5, 2.7) and reads by physical offset. */
#include "store/commitlog.h"

#include "common/checksum.h"
#include "store_test_util.h"
#include "test.h"

static void open_cl(store_commitlog_t *cl, const char *dir) {
    store_commitlog_init(cl, store_fileops_default(), dir, 4096, 4096);
    CHECK_EQ(store_mfq_load(&cl->mfq), 0);
    store_commitlog_reset_writer(cl);
}

static void test_offsets_and_roll(void) {
    char *dir = test_tmpdir("cl");
    store_commitlog_t cl;
    open_cl(&cl, dir);
    char body[1000];
    memset(body, 'x', sizeof body);
    body[sizeof body - 1] = 0;
    store_msg_t m = test_msg("T", 1, body, "TAGS\001a\002");
    store_append_result_t res;
    int64_t phys[6];
    for (int i = 0; i < 6; i++) {
        CHECK_EQ(store_commitlog_append(&cl, &m, &res), 0);
        CHECK_EQ(res.queue_offset, i);
        phys[i] = res.phys_offset;
    }
    /* 4 records of ~1.1 KB do not fit 4096 with the 8-byte reserve: the 4th rolls */
    int32_t size = res.wrote_bytes;
    CHECK_EQ(phys[1], size);
    CHECK_EQ(phys[3], 4096);
    store_mf_t *mf = store_mfq_find(&cl.mfq, 0);
    store_record_t r;
    CHECK_EQ(store_record_decode(mf->base + 3 * size, 4096 - 3 * size, false, &r),
             STORE_RECORD_BLANK);
    CHECK_EQ(r.total_size, 4096 - 3 * size);
    store_mf_release(mf);
    /* another queue starts at 0 */
    m.queue_id = 2;
    CHECK_EQ(store_commitlog_append(&cl, &m, &res), 0);
    CHECK_EQ(res.queue_offset, 0);
    /* prepared transactions get queue offset 0 and do not advance the queue */
    m.queue_id = 1;
    m.sys_flag = STORE_SYSFLAG_TX_PREPARED;
    CHECK_EQ(store_commitlog_append(&cl, &m, &res), 0);
    CHECK_EQ(res.queue_offset, 0);
    m.sys_flag = 0;
    CHECK_EQ(store_commitlog_append(&cl, &m, &res), 0);
    CHECK_EQ(res.queue_offset, 6);

    CHECK_EQ(store_commitlog_read(&cl, phys[4], true, &r, &mf), 0);
    CHECK_EQ(r.phys_offset, phys[4]);
    CHECK_EQ(r.queue_offset, 4);
    store_mf_release(mf);
    /* a record larger than the segment is refused */
    char big[5000];
    memset(big, 'y', sizeof big);
    big[sizeof big - 1] = 0;
    store_msg_t mb = test_msg("T", 1, big, "");
    CHECK_EQ(store_commitlog_append(&cl, &mb, &res), -EMSGSIZE);
    store_commitlog_close(&cl);
    test_rmdir(dir);
}

/* Client batch encoding: int total, int magic, int crc, int flag, int bodyLen, body,
 * short propLen, props. */
static size_t put_inner(char *p, int32_t flag, const char *body, const char *props) {
    size_t bl = strlen(body), pl = strlen(props);
    rmq_put_u32be(p, (uint32_t)(22 + bl + pl));
    rmq_put_u32be(p + 4, 0);
    rmq_put_u32be(p + 8, 0);
    rmq_put_u32be(p + 12, (uint32_t)flag);
    rmq_put_u32be(p + 16, (uint32_t)bl);
    memcpy(p + 20, body, bl);
    rmq_put_u16be(p + 20 + bl, (uint16_t)pl);
    memcpy(p + 22 + bl, props, pl);
    return 22 + bl + pl;
}

static void test_batch(void) {
    char *dir = test_tmpdir("clbatch");
    store_commitlog_t cl;
    open_cl(&cl, dir);
    char batch[512];
    size_t n = 0;
    n += put_inner(batch + n, 1, "one", "KEYS\001k1\002");
    n += put_inner(batch + n, 2, "two", "KEYS\001k2"); /* no final separator */
    n += put_inner(batch + n, 3, "three", "");
    store_msg_t hdr = test_msg("B", 0, "", "WAIT\001true\002");
    store_append_result_t res;
    CHECK_EQ(store_commitlog_append_batch(&cl, &hdr, rmq_slice(batch, n), &res), 0);
    CHECK_EQ(res.msg_num, 3);
    CHECK_EQ(res.queue_offset, 0);
    int64_t off = res.phys_offset;
    const char *bodies[] = {"one", "two", "three"};
    const char *props[] = {"KEYS\001k1\002WAIT\001true\002", "KEYS\001k2\002WAIT\001true\002",
                           "WAIT\001true\002"};
    for (int i = 0; i < 3; i++) {
        store_record_t r;
        store_mf_t *mf;
        CHECK_EQ(store_commitlog_read(&cl, off, true, &r, &mf), 0);
        CHECK_EQ(r.queue_offset, i);
        CHECK_EQ(r.flag, i + 1);
        CHECK_EQ(r.store_ts, res.store_ts);
        CHECK_MEMSTR(r.body.ptr, r.body.len, bodies[i]);
        CHECK_MEMSTR(r.props.ptr, r.props.len, props[i]);
        CHECK_EQ(r.body_crc, rmq_crc32_masked(bodies[i], strlen(bodies[i])));
        off += r.total_size;
        store_mf_release(mf);
    }
    CHECK_EQ(off, res.phys_offset + res.wrote_bytes);
    CHECK_EQ(store_commitlog_next_offset(&cl, RMQ_SLICE_LIT("B"), 0), 3);
    /* malformed batches */
    batch[3] ^= 1;
    CHECK_EQ(store_commitlog_append_batch(&cl, &hdr, rmq_slice(batch, n), &res), -EBADMSG);
    CHECK_EQ(store_commitlog_append_batch(&cl, &hdr, rmq_slice(batch, 10), &res), -EBADMSG);
    store_commitlog_close(&cl);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_offsets_and_roll);
    RUN(test_batch);
    return 0;
}
