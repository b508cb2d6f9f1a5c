/* Tests for store/cq_table.c: lookup, listing, topic deletion and queue lifetimes. */
#include "store/cq_table.h"

#include "store_test_util.h"
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

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
    store_cq_table_release(&t, cq);
    size_t n = 0;
    store_cq_t **listed = store_cq_table_snapshot(&t, &n);
    CHECK_EQ(n, 1);
    CHECK(listed[0] == cq);

    store_cq_table_delete_topic(&t, "T");
    CHECK(store_cq_table_get(&t, RMQ_SLICE_LIT("T"), 1, false) == NULL);
    char *tdir = store_path_join(dir, "T");
    CHECK(!store_fs_exists(tdir));
    rmq_free(tdir);
    /* What a flush round holding the old snapshot does next. */
    CHECK_EQ(store_cq_flush(listed[0], 0), 0);
    CHECK_EQ(store_mfq_count(&listed[0]->mfq), 0);
    CHECK_EQ(store_cq_table_live(&t), 1);
    store_cq_table_snapshot_release(&t, listed, n);
    CHECK_EQ(store_cq_table_live(&t), 0); /* the round's release was the last */

    /* The topic can come back, with new queues. */
    store_cq_t *again = store_cq_table_get(&t, RMQ_SLICE_LIT("T"), 1, true);
    CHECK(again != NULL);
    CHECK_EQ(store_cq_max_offset(again), 0);
    store_cq_table_release(&t, again);
    listed = store_cq_table_snapshot(&t, &n);
    CHECK_EQ(n, 1);
    CHECK(listed[0] == again);
    store_cq_table_snapshot_release(&t, listed, n);
    CHECK_EQ(store_cq_table_live(&t), 1);
    store_cq_table_close(&t);
    test_rmdir(dir);
}

/* A queue held through store_cq_table_get() outlives the deletion of its topic and is
 * freed by its last release; a snapshot the same. */
static void test_held_queue_freed_by_last_release(void) {
    char *dir = test_tmpdir("cqtable");
    store_cq_table_t t;
    store_cq_table_init(&t, store_fileops_default(), dir, FS);
    store_cq_t *cq = store_cq_table_get(&t, RMQ_SLICE_LIT("T"), 0, true);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(store_cq_put(cq, i * 100, 100, 0, i), 0);
    size_t n;
    store_cq_t **snap = store_cq_table_snapshot(&t, &n);
    CHECK_EQ(n, 1);
    store_cq_table_delete_topic(&t, "T");
    CHECK_EQ(store_cq_table_live(&t), 1);
    /* Still usable: empty, its files gone. */
    store_cq_entry_t e;
    store_mf_t *cache = NULL;
    CHECK_EQ(store_cq_read(cq, 0, &e, &cache), -ENOENT);
    CHECK_EQ(store_cq_max_offset(snap[0]), 0);
    store_cq_table_release(&t, cq);
    CHECK_EQ(store_cq_table_live(&t), 1); /* the snapshot still holds it */
    store_cq_table_snapshot_release(&t, snap, n);
    CHECK_EQ(store_cq_table_live(&t), 0);
    store_cq_table_close(&t);
    test_rmdir(dir);
}

/*
 * Issue 4 (broker): the structs of deleted topics' queues were kept until the store
 * closed, so a broker whose users create and delete topics all day grew without bound.
 * Here one thread creates, fills and deletes a topic of many queues thousands of times
 * and takes snapshots (as the housekeeping thread), while a reader looks the
 * queues up and uses them across the deletions. Live queue structs must stay bounded by
 * what one round can hold; ASan and TSan builds check the lifetimes.
 */
#define STRESS_QUEUES 16
#define STRESS_ROUNDS 3000

typedef struct {
    store_cq_table_t *t;
    atomic_bool stop;
    atomic_long used; /* queues the reader found and read */
} reader_t;

static void *reader_main(void *arg) {
    reader_t *r = arg;
    for (int32_t q = 0; !atomic_load(&r->stop); q = (q + 1) % STRESS_QUEUES) {
        store_cq_t *cq = store_cq_table_get(r->t, RMQ_SLICE_LIT("Churn"), q, false);
        if (cq) {
            store_cq_entry_t e;
            store_mf_t *cache = NULL;
            for (int i = 0; i < 4; i++) {
                if (store_cq_read(cq, 0, &e, &cache) == 0)
                    CHECK_EQ(e.phys_offset, (int64_t)q * 100);
                (void)store_cq_max_offset(cq);
                CHECK_EQ(cq->queue_id, q);
            }
            store_mf_release(cache);
            store_cq_table_release(r->t, cq);
            atomic_fetch_add(&r->used, 1);
        }
        if (q == 0) {
            size_t n;
            store_cq_t **snap = store_cq_table_snapshot(r->t, &n);
            for (size_t i = 0; i < n; i++)
                (void)store_cq_min_offset(snap[i]);
            store_cq_table_snapshot_release(r->t, snap, n);
        }
    }
    return NULL;
}

static void test_create_delete_churn_stays_bounded(void) {
    char *dir = test_tmpdir("cqtable");
    store_cq_table_t t;
    store_cq_table_init(&t, store_fileops_default(), dir, FS);
    reader_t r = {.t = &t};
    atomic_init(&r.stop, false);
    atomic_init(&r.used, 0);
    pthread_t th;
    CHECK_EQ(pthread_create(&th, NULL, reader_main, &r), 0);
    size_t max_live = 0;
    for (int round = 0; round < STRESS_ROUNDS; round++) {
        for (int32_t q = 0; q < STRESS_QUEUES; q++) {
            store_cq_t *cq = store_cq_table_get(&t, RMQ_SLICE_LIT("Churn"), q, true);
            /* Files for a few queues per round only: the lifetimes are the point. */
            if (q == round % STRESS_QUEUES)
                CHECK_EQ(store_cq_put(cq, (int64_t)q * 100, 100, 0, 0), 0);
            store_cq_table_release(&t, cq);
        }
        size_t n;
        store_cq_t **listed = store_cq_table_snapshot(&t, &n);
        CHECK_EQ(n, STRESS_QUEUES);
        store_cq_table_delete_topic(&t, "Churn");
        for (size_t i = 0; i < n; i++)
            CHECK_EQ(store_cq_max_offset(listed[i]), 0); /* emptied, not freed */
        size_t live = store_cq_table_live(&t);
        if (live > max_live)
            max_live = live;
        /* This round's queues (held by the snapshot) and what the reader holds from the
         * previous round (a snapshot at most); every earlier round's are gone. */
        CHECK(live <= 2 * STRESS_QUEUES);
        store_cq_table_snapshot_release(&t, listed, n);
    }
    atomic_store(&r.stop, true);
    CHECK_EQ(pthread_join(th, NULL), 0);
    CHECK_EQ(store_cq_table_live(&t), 0);
    CHECK(max_live >= STRESS_QUEUES);
    CHECK(atomic_load(&r.used) > 0); /* the reader did overlap the churn */
    store_cq_table_close(&t);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_delete_topic_keeps_listed_queues);
    RUN(test_held_queue_freed_by_last_release);
    /* Not under valgrind (scripts/test.sh sets this): it runs one thread at a time, and
     * the reader's lookups starve the churn (60 rounds took 6 minutes); the ASan and
     * TSan builds check these lifetimes. */
    if (!getenv("RMQ_TEST_UNDER_VALGRIND"))
        RUN(test_create_delete_churn_stays_bounded);
    return 0;
}
