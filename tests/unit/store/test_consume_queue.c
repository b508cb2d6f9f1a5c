/* Tests for store/consume_queue.c: entry layout, a queue starting mid-stream (filler
 * entries), recovery, truncation, min-offset correction and expiry (spec store.md 3). */
#include "store/consume_queue.h"

#include "store_test_util.h"
#include "test.h"

/* 5 entries per file */
#define FS 100

static void test_put_read_layout(void) {
    char *dir = test_tmpdir("cq");
    store_cq_t *cq = store_cq_new(store_fileops_default(), dir, "T", 3, FS);
    for (int i = 0; i < 12; i++)
        CHECK_EQ(store_cq_put(cq, 1000 + i * 100, 100, -5 - i, i), 0);
    CHECK_EQ(store_cq_max_offset(cq), 12);
    CHECK_EQ(store_cq_min_offset(cq), 0);
    CHECK_EQ(store_mfq_count(&cq->mfq), 3);
    /* re-dispatch of an indexed record is ignored */
    CHECK_EQ(store_cq_put(cq, 1000, 100, 0, 0), 0);
    CHECK_EQ(store_cq_max_offset(cq), 12);
    store_mf_t *cache = NULL;
    store_cq_entry_t e;
    CHECK_EQ(store_cq_read(cq, 7, &e, &cache), 0);
    CHECK_EQ(e.phys_offset, 1700);
    CHECK_EQ(e.size, 100);
    CHECK_EQ(e.tag_code, -12);
    /* byte layout of entry 7: file 1, position 40 */
    const uint8_t *p = (const uint8_t *)cache->base + 40;
    CHECK_EQ(rmq_get_u64be(p), 1700);
    CHECK_EQ(rmq_get_u32be(p + 8), 100);
    CHECK_EQ((int64_t)rmq_get_u64be(p + 12), -12);
    CHECK_EQ(store_cq_read(cq, 12, &e, &cache), -ENOENT);
    store_mf_release(cache);
    char *path = store_path_join(dir, "T/3/00000000000000000100");
    CHECK(store_fs_exists(path));
    rmq_free(path);

    /* truncate to the record at 1700: entries 7.. go */
    store_cq_truncate(cq, 1700);
    CHECK_EQ(store_cq_max_offset(cq), 7);
    CHECK_EQ(atomic_load(&cq->max_phys), 1700);
    store_cq_destroy(cq);

    /* reload and recover finds the same end (the cut tail was zeroed) */
    cq = store_cq_new(store_fileops_default(), dir, "T", 3, FS);
    CHECK_EQ(store_cq_load(cq), 0);
    store_cq_recover(cq);
    CHECK_EQ(store_cq_max_offset(cq), 7);
    CHECK_EQ(atomic_load(&cq->max_phys), 1700);
    /* expiry: the commit log now starts at 1550: file 0 (last entry 1400) goes */
    CHECK_EQ(store_cq_delete_expired(cq, 1550), 1);
    CHECK_EQ(store_cq_min_offset(cq), 6);
    store_cq_destroy(cq);
    test_rmdir(dir);
}

static void test_starts_mid_stream(void) {
    char *dir = test_tmpdir("cqmid");
    store_cq_t *cq = store_cq_new(store_fileops_default(), dir, "T", 0, FS);
    CHECK_EQ(store_cq_put(cq, 5000, 80, 0, 12), 0);
    /* file at 12*20 - (240 % 100) = 200, fillers for entries 10 and 11 */
    CHECK_EQ(store_cq_min_offset(cq), 12);
    CHECK_EQ(store_cq_max_offset(cq), 13);
    store_mf_t *mf = store_mfq_first(&cq->mfq);
    CHECK_EQ(mf->from, 200);
    CHECK_EQ(rmq_get_u64be(mf->base), 0);
    CHECK_EQ(rmq_get_u32be(mf->base + 8), 0x7FFFFFFF);
    store_mf_release(mf);
    store_mf_t *cache = NULL;
    store_cq_entry_t e;
    CHECK_EQ(store_cq_read(cq, 11, &e, &cache), -ENOENT);
    CHECK_EQ(store_cq_read(cq, 12, &e, &cache), 0);
    CHECK_EQ(e.phys_offset, 5000);
    store_mf_release(cache);
    store_cq_destroy(cq);

    /* recovery keeps the fillers and the entry; min offset is re-derived */
    cq = store_cq_new(store_fileops_default(), dir, "T", 0, FS);
    CHECK_EQ(store_cq_load(cq), 0);
    store_cq_recover(cq);
    CHECK_EQ(store_cq_max_offset(cq), 13);
    store_cq_correct_min(cq, 0);
    CHECK_EQ(store_cq_min_offset(cq), 12);
    /* the whole queue lies beyond a truncated commit log */
    store_cq_truncate(cq, 4000);
    CHECK_EQ(store_cq_max_offset(cq), 12); /* the fillers stay: the next entry is 12 */
    store_cq_destroy(cq);
    test_rmdir(dir);
}

/* The first entry of a new segment brings in its own page, not the whole 6 MB file: a
 * fault with the default advice reads around read_ahead_kb (8 MiB on virtio disks) and
 * zeroes it all on the dispatch thread in one non-preemptible step. */
static void test_new_segment_reads_no_ahead(void) {
    char *dir = test_tmpdir("cqra");
    const int64_t size = 300000 * STORE_CQ_UNIT; /* the default file size */
    store_cq_t *cq = store_cq_new(store_fileops_default(), dir, "T", 0, size);
    CHECK_EQ(store_cq_put(cq, 0, 100, 0, 0), 0);
    char *path = store_path_join(cq->mfq.dir, "00000000000000000000");
    long pages = page_cache_pages(path);
    CHECK(pages >= 1 && pages <= 16);
    rmq_free(path);
    store_cq_destroy(cq);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_put_read_layout);
    RUN(test_starts_mid_stream);
    RUN(test_new_segment_reads_no_ahead);
    return 0;
}
