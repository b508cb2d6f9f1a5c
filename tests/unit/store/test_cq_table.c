/* Tests for store/cq_table.c: lookup, listing and topic deletion. */
#include "store/cq_table.h"

#include "store_test_util.h"
#include "test.h"

#define FS 100 /* 5 entries per file */

/*
 * Regression: deleting a topic (DELETE_TOPIC_IN_BROKER) freed its queues while the flush
 * thread could be walking a list that held them, so the broker crashed now and then
 * right after a deletion (strlen of the queue's directory, zeroed by the close). A
 * queue pointer taken before the deletion must stay usable: empty, files gone.
 */
static void test_delete_topic_keeps_listed_queues(void) {
    char *dir = test_tmpdir("cqtable");
    store_cq_table_t t;
    store_cq_table_init(&t, store_fileops_default(), dir, FS);
    store_cq_t *cq = store_cq_table_get(&t, RMQ_SLICE_LIT("T"), 1, true);
    CHECK(cq != NULL);
    for (int i = 0; i < 7; i++)
        CHECK_EQ(store_cq_put(cq, 1000 + i * 100, 100, 0, i), 0);
    size_t n = 0;
    store_cq_t **listed = store_cq_table_list(&t, &n);
    CHECK_EQ(n, 1);
    CHECK(listed[0] == cq);

    store_cq_table_delete_topic(&t, "T");
    CHECK(store_cq_table_get(&t, RMQ_SLICE_LIT("T"), 1, false) == NULL);
    char *tdir = store_path_join(dir, "T");
    CHECK(!store_fs_exists(tdir));
    rmq_free(tdir);
    /* What a flush round holding the old list does next. */
    CHECK_EQ(store_cq_flush(listed[0], 0), 0);
    CHECK_EQ(store_mfq_count(&listed[0]->mfq), 0);
    rmq_free(listed);

    /* The topic can come back, with new queues. */
    store_cq_t *again = store_cq_table_get(&t, RMQ_SLICE_LIT("T"), 1, true);
    CHECK(again != NULL && again != cq);
    CHECK_EQ(store_cq_max_offset(again), 0);
    store_cq_table_close(&t);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_delete_topic_keeps_listed_queues);
    return 0;
}
