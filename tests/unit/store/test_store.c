/* End-to-end tests for store/store.c with dispatch, reads, index lookups, restarts
 * (normal and after a simulated crash), group commit, disk full and retention. */
#include "store/store.h"

#include "common/checksum.h"
#include "common/time.h"
#include "store_test_util.h"
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>

static store_t *open_store(const store_config_t *cfg) {
    store_t *s = NULL;
    CHECK_EQ(store_open(cfg, &s), 0);
    return s;
}

static void put_n(store_t *s, const char *topic, int qid, int n, int first) {
    for (int i = 0; i < n; i++) {
        char body[64], props[128];
        snprintf(body, sizeof body, "body-%d", first + i);
        snprintf(props, sizeof props, "TAGS\001%s\002KEYS\001key%d shared\002UNIQ_KEY\001U%d\002",
                 (first + i) % 2 ? "odd" : "even", first + i, first + i);
        store_msg_t m = test_msg(topic, qid, body, props);
        store_append_result_t res;
        CHECK_EQ(store_put(s, &m, &res), 0);
    }
}

static void check_body(const store_ref_t *ref, int n) {
    store_record_t r;
    CHECK_EQ(store_ref_decode(ref, &r), 0);
    char body[64];
    snprintf(body, sizeof body, "body-%d", n);
    CHECK_MEMSTR(r.body.ptr, r.body.len, body);
}

static void test_put_get(void) {
    char *dir = test_tmpdir("store");
    store_config_t cfg;
    test_config(&cfg, dir);
    store_t *s = open_store(&cfg);
    put_n(s, "TopicA", 0, 100, 0);
    put_n(s, "TopicA", 1, 5, 1000);
    store_dispatch_catch_up(s);
    CHECK_EQ(store_dispatch_behind(s), 0);
    CHECK_EQ(store_max_offset(s, RMQ_SLICE_LIT("TopicA"), 0), 100);
    CHECK_EQ(store_min_offset(s, RMQ_SLICE_LIT("TopicA"), 0), 0);
    CHECK_EQ(store_max_offset(s, RMQ_SLICE_LIT("TopicA"), 1), 5);

    store_get_result_t r;
    store_get_result_init(&r);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("TopicA"), 0, 10, 32, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.status, STORE_GET_FOUND);
    CHECK_EQ(r.count, 32);
    CHECK_EQ(r.next_begin_offset, 42);
    for (size_t i = 0; i < r.count; i++) {
        CHECK_EQ(r.refs[i].queue_offset, 10 + (int64_t)i);
        check_body(&r.refs[i], 10 + (int)i);
    }
    /* tag filter: only "odd" */
    int64_t odd = rmq_java_string_hash("odd", 3);
    store_tag_set_t tags = {&odd, 1};
    store_filter_t f = {.cq_match = store_filter_tags, .arg = &tags};
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("TopicA"), 0, 0, 10, 1 << 20, &f, &r), 0);
    CHECK_EQ(r.count, 10);
    CHECK_EQ(r.refs[0].queue_offset, 1);
    CHECK_EQ(r.refs[9].queue_offset, 19);
    CHECK_EQ(r.refs[0].tag_code, odd);
    /* statuses */
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("TopicA"), 0, 100, 10, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.status, STORE_GET_OFFSET_OVERFLOW_ONE);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("TopicA"), 0, 500, 10, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.status, STORE_GET_OFFSET_OVERFLOW_BADLY);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("Nope"), 0, 0, 10, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.status, STORE_GET_NO_MATCHED_LOGIC_QUEUE);
    /* max_bytes limits the batch but always returns one */
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("TopicA"), 0, 0, 10, 1, NULL, &r), 0);
    CHECK_EQ(r.count, 1);
    store_get_result_close(&r);

    /* The caller's array: used as is up to its size, then the references move to the
     * heap intact (and close frees only what the store allocated). */
    store_ref_t buf[4];
    store_get_result_init_buf(&r, buf, 4);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("TopicA"), 0, 0, 4, 1 << 20, NULL, &r), 0);
    CHECK(r.refs == buf);
    CHECK_EQ(r.count, 4);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("TopicA"), 0, 20, 9, 1 << 20, NULL, &r), 0);
    CHECK(r.refs != buf);
    CHECK_EQ(r.count, 9);
    for (size_t i = 0; i < r.count; i++)
        check_body(&r.refs[i], 20 + (int)i);
    store_get_result_close(&r);

    /* key lookups */
    int64_t offs[64];
    size_t n =
        store_lookup(s, RMQ_SLICE_LIT("TopicA"), RMQ_SLICE_LIT("key42"), 64, 0, INT64_MAX, offs);
    CHECK(n >= 1);
    store_ref_t ref;
    CHECK_EQ(store_get_by_offset(s, offs[0], &ref), 0);
    check_body(&ref, 42);
    store_mf_release(ref.mf);
    n = store_lookup(s, RMQ_SLICE_LIT("TopicA"), RMQ_SLICE_LIT("U7"), 64, 0, INT64_MAX, offs);
    CHECK(n >= 1);
    n = store_lookup(s, RMQ_SLICE_LIT("TopicA"), RMQ_SLICE_LIT("shared"), 1000, 0, INT64_MAX, offs);
    CHECK_EQ(n, 64); /* capped at maxMsgsNumBatch */

    /* offset by time: all messages share a millisecond or a few */
    int64_t t0 = store_earliest_time(s, RMQ_SLICE_LIT("TopicA"), 0);
    CHECK(t0 > 0);
    CHECK_EQ(store_offset_by_time(s, RMQ_SLICE_LIT("TopicA"), 0, 0, STORE_BOUNDARY_LOWER), 0);
    CHECK_EQ(store_offset_by_time(s, RMQ_SLICE_LIT("TopicA"), 0, INT64_MAX, STORE_BOUNDARY_LOWER),
             100);
    CHECK_EQ(store_offset_by_time(s, RMQ_SLICE_LIT("TopicA"), 0, INT64_MAX, STORE_BOUNDARY_UPPER),
             99);
    store_close(s);
    test_rmdir(dir);
}

static void test_restart_normal(void) {
    char *dir = test_tmpdir("storenorm");
    store_config_t cfg;
    test_config(&cfg, dir);
    store_t *s = open_store(&cfg);
    put_n(s, "T", 0, 700, 0); /* spans several 64 KiB segments and CQ files */
    store_close(s);
    char *abort_path = store_path_join(dir, "abort");
    CHECK(!store_fs_exists(abort_path));

    s = open_store(&cfg);
    CHECK(store_fs_exists(abort_path));
    CHECK_EQ(store_max_offset(s, RMQ_SLICE_LIT("T"), 0), 700);
    put_n(s, "T", 0, 10, 700);
    store_append_result_t res;
    store_msg_t m = test_msg("T", 0, "x", "");
    CHECK_EQ(store_put(s, &m, &res), 0);
    CHECK_EQ(res.queue_offset, 710);
    store_dispatch_catch_up(s);
    store_get_result_t r;
    store_get_result_init(&r);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("T"), 0, 695, 10, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.count, 10);
    for (int i = 0; i < 10; i++)
        check_body(&r.refs[i], 695 + i);
    store_get_result_close(&r);
    store_close(s);
    rmq_free(abort_path);
    test_rmdir(dir);
}

/*
 * Crash simulation in-process: a child appends and exits without closing (abort file
 * stays); then garbage is written after the last record. Recovery must keep every record,
 * drop the garbage and rebuild missing queue entries.
 */
static void test_restart_abnormal(void) {
    char *dir = test_tmpdir("storeabn");
    store_config_t cfg;
    test_config(&cfg, dir);
    pid_t pid = fork();
    if (pid == 0) {
        store_t *s = open_store(&cfg);
        put_n(s, "T", 0, 300, 0);
        store_dispatch_catch_up(s);
        put_n(s, "T", 0, 50, 300); /* never dispatched: no queue entries */
        _exit(0);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char *abort_path = store_path_join(dir, "abort");
    CHECK(store_fs_exists(abort_path));
    rmq_free(abort_path);

    /* a torn record after the end: a plausible header with a bad CRC */
    store_t *s = open_store(&cfg);
    CHECK_EQ(store_max_offset(s, RMQ_SLICE_LIT("T"), 0), 350);
    int64_t end = store_max_phys_offset(s);
    store_close(s);

    store_mf_t *mf;
    char *cl_dir = store_path_join(dir, "commitlog");
    int64_t from = end - end % cfg.mapped_file_size_commitlog;
    CHECK_EQ(store_mf_open(store_fileops_default(), cl_dir, from, cfg.mapped_file_size_commitlog,
                           false, &mf),
             0);
    store_msg_t m = test_msg("T", 0, "torn", "");
    size_t size;
    uint32_t magic;
    CHECK_EQ(store_record_size(&m, &size, &magic), 0);
    store_record_encode(mf->base + (end - from), size, magic, &m, 12345 /* wrong crc */, 350, end,
                        1);
    store_mf_release(mf);
    rmq_free(cl_dir);
    abort_path = store_path_join(dir, "abort");
    CHECK_EQ(store_fs_write(store_fileops_default(), abort_path, "1", 1), 0);
    rmq_free(abort_path);

    s = open_store(&cfg);
    CHECK_EQ(store_max_phys_offset(s), end);
    CHECK_EQ(store_max_offset(s, RMQ_SLICE_LIT("T"), 0), 350);
    store_get_result_t r;
    store_get_result_init(&r);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("T"), 0, 340, 32, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.count, 10);
    check_body(&r.refs[9], 349);
    store_get_result_close(&r);
    store_close(s);
    test_rmdir(dir);
}

static void test_sync_flush_group_commit(void) {
    char *dir = test_tmpdir("storesync");
    store_config_t cfg;
    test_config(&cfg, dir);
    cfg.flush_disk_type = STORE_FLUSH_SYNC;
    cfg.start_services = true;
    int dispatched = 0;
    store_t *s = open_store(&cfg);
    store_append_result_t res;
    for (int i = 0; i < 50; i++) {
        store_msg_t m = test_msg("S", 0, "sync", "");
        CHECK_EQ(store_put(s, &m, &res), 0);
        CHECK_EQ(store_wait_flush_sync(s, res.phys_offset + res.wrote_bytes), 0);
        dispatched++;
    }
    CHECK_EQ(dispatched, 50);
    store_close(s);
    s = open_store(&cfg);
    CHECK_EQ(store_max_offset(s, RMQ_SLICE_LIT("S"), 0), 50);
    store_close(s);
    test_rmdir(dir);
}

/* Group commit under concurrency: blocked appender threads and callback-driven
 * appends, across several segment rolls; every acknowledgement is 0 and everything
 * acknowledged is there after reopening. */
typedef struct {
    store_t *s;
    int n, failed;
} sync_thread_t;

static void *sync_thread(void *arg) {
    sync_thread_t *t = arg;
    for (int i = 0; i < t->n; i++) {
        store_msg_t m = test_msg("C", 0, "concurrent group commit", "");
        store_append_result_t res;
        if (store_put(t->s, &m, &res) != 0 ||
            store_wait_flush_sync(t->s, res.phys_offset + res.wrote_bytes) != 0)
            t->failed++;
    }
    return NULL;
}

static _Atomic int cb_done, cb_failed;
static void on_flushed(void *arg, int status) {
    if (status != 0)
        atomic_fetch_add(&cb_failed, 1);
    atomic_fetch_add(&cb_done, 1);
}

static void test_sync_flush_concurrent(void) {
    char *dir = test_tmpdir("storesyncc");
    store_config_t cfg;
    test_config(&cfg, dir);
    cfg.flush_disk_type = STORE_FLUSH_SYNC;
    cfg.start_services = true;
    store_t *s = open_store(&cfg);
    enum { THREADS = 8, PER = 150, CBS = 400 };
    pthread_t th[THREADS];
    sync_thread_t args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (sync_thread_t){s, PER, 0};
        CHECK_EQ(pthread_create(&th[i], NULL, sync_thread, &args[i]), 0);
    }
    atomic_store(&cb_done, 0);
    atomic_store(&cb_failed, 0);
    for (int i = 0; i < CBS; i++) {
        store_msg_t m = test_msg("C", 1, "callback group commit", "");
        store_append_result_t res;
        CHECK_EQ(store_put(s, &m, &res), 0);
        store_wait_flush(s, res.phys_offset + res.wrote_bytes, on_flushed, NULL);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ(args[i].failed, 0);
    }
    for (int i = 0; i < 5000 && atomic_load(&cb_done) < CBS; i++) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    CHECK_EQ(atomic_load(&cb_done), CBS);
    CHECK_EQ(atomic_load(&cb_failed), 0);
    CHECK(store_max_phys_offset(s) > 2 * cfg.mapped_file_size_commitlog);
    store_close(s);
    s = open_store(&cfg);
    CHECK_EQ(store_max_offset(s, RMQ_SLICE_LIT("C"), 0), THREADS * PER);
    CHECK_EQ(store_max_offset(s, RMQ_SLICE_LIT("C"), 1), CBS);
    store_close(s);
    test_rmdir(dir);
}

static int hook_calls;
static void on_dispatch(void *arg, const store_dispatch_req_t *req) {
    hook_calls++;
    if (req->queue_offset == 0 && rmq_slice_eq_cstr(req->topic, "H"))
        CHECK_MEMSTR(req->keys.ptr, req->keys.len, "key0 shared");
}

static void test_dispatch_hook_and_delay_tag(void) {
    char *dir = test_tmpdir("storehook");
    store_config_t cfg;
    test_config(&cfg, dir);
    cfg.on_dispatch = on_dispatch;
    store_t *s = open_store(&cfg);
    hook_calls = 0;
    put_n(s, "H", 0, 3, 0);
    store_msg_t m = test_msg("SCHEDULE_TOPIC_XXXX", 2, "d", "DELAY\0013\002REAL_TOPIC\001H\002");
    store_append_result_t res;
    CHECK_EQ(store_put(s, &m, &res), 0);
    store_dispatch_catch_up(s);
    CHECK_EQ(hook_calls, 4);
    store_get_result_t r;
    store_get_result_init(&r);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("SCHEDULE_TOPIC_XXXX"), 2, 0, 1, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.count, 1);
    CHECK_EQ(r.refs[0].tag_code, res.store_ts + 10000); /* level 3 = 10s */
    store_get_result_close(&r);
    store_close(s);
    test_rmdir(dir);
}

static void test_disk_full_and_retention(void) {
    char *dir = test_tmpdir("storeclean");
    test_faults_t faults;
    test_faults_init(&faults);
    store_config_t cfg;
    test_config(&cfg, dir);
    cfg.fops = &faults.ops;
    cfg.file_reserved_time_hours = 0;
    cfg.delete_when = "99"; /* never the hour: only space or a manual run deletes */
    store_t *s = open_store(&cfg);
    put_n(s, "R", 0, 1500, 0);
    store_dispatch_catch_up(s);
    int64_t min_before = store_min_phys_offset(s);

    faults.disk_ratio = 0.95; /* above the 90% warning level */
    int deleted = store_clean(s, false);
    CHECK(deleted > 0);
    CHECK(store_is_disk_full(s));
    store_msg_t m = test_msg("R", 0, "x", "");
    store_append_result_t res;
    CHECK_EQ(store_put(s, &m, &res), -ENOSPC);
    CHECK(store_min_phys_offset(s) > min_before);
    /* queue min offset moved past deleted data; reading below it says so */
    int64_t qmin = store_min_offset(s, RMQ_SLICE_LIT("R"), 0);
    CHECK(qmin > 0);
    store_get_result_t r;
    store_get_result_init(&r);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("R"), 0, 0, 1, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.status, STORE_GET_OFFSET_TOO_SMALL);
    CHECK_EQ(r.next_begin_offset, qmin);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("R"), 0, qmin, 1, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.status, STORE_GET_FOUND);
    store_get_result_close(&r);

    faults.disk_ratio = 0.10; /* space is back: the state clears by itself */
    store_clean(s, false);
    CHECK(!store_is_disk_full(s));
    CHECK_EQ(store_put(s, &m, &res), 0);

    /* a segment that cannot be allocated turns on disk full too */
    faults.fail_allocate = 1000;
    int rc = 0;
    for (int i = 0; i < 2000 && rc == 0; i++)
        rc = store_put(s, &m, &res);
    CHECK_EQ(rc, -ENOSPC);
    CHECK(store_is_disk_full(s));
    faults.fail_allocate = 0;
    store_close(s);
    test_rmdir(dir);
}

static void test_lock_excludes_other_process(void) {
    char *dir = test_tmpdir("storelock");
    store_config_t cfg;
    test_config(&cfg, dir);
    store_t *s = open_store(&cfg);
    pid_t pid = fork();
    if (pid == 0) {
        store_t *s2 = NULL;
        _exit(store_open(&cfg, &s2) == -EBUSY ? 0 : 1);
    }
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
    CHECK_EQ(WEXITSTATUS(st), 0);
    store_close(s);
    test_rmdir(dir);
}

static void test_segment_size_mismatch(void) {
    char *dir = test_tmpdir("storesize");
    store_config_t cfg;
    test_config(&cfg, dir);
    store_t *s = open_store(&cfg);
    put_n(s, "Z", 0, 800, 0);
    store_close(s);
    cfg.mapped_file_size_commitlog = 128 * 1024;
    s = NULL;
    CHECK_EQ(store_open(&cfg, &s), -EINVAL);
    test_rmdir(dir);
}

/* One inner message of a client batch body (SEND_BATCH_MESSAGE encoding). */
static size_t put_inner(char *dst, const char *body, const char *props) {
    size_t bl = strlen(body), pl = strlen(props), total = 22 + bl + pl;
    rmq_put_u32be(dst, (uint32_t)total);
    memset(dst + 4, 0, 12);
    rmq_put_u32be(dst + 16, (uint32_t)bl);
    memcpy(dst + 20, body, bl);
    rmq_put_u16be(dst + 20 + bl, (uint16_t)pl);
    memcpy(dst + 22 + bl, props, pl);
    return total;
}

/*
 * Issue 3 (found by tests/interop/test_store_apache_to_ours.sh): a Java client batch has
 * its own UNIQ_KEY besides each message's, and the broker appends the batch's properties
 * to every inner record, so each record carries UNIQ_KEY twice. The Apache broker indexes
 * (and Java readers see) the last one, the batch's; dispatch must do the same.
 */
static void test_batch_repeated_uniq_key_indexed_as_java(void) {
    char *dir = test_tmpdir("store");
    store_config_t cfg;
    test_config(&cfg, dir);
    store_t *s = open_store(&cfg);
    char batch[256];
    size_t n = put_inner(batch, "one", "UNIQ_KEY\001I0\002TAGS\001t0\002");
    n += put_inner(batch + n, "two", "UNIQ_KEY\001I1\002TAGS\001t1\002");
    store_msg_t hdr = test_msg("TopicB", 0, "", "UNIQ_KEY\001BATCH\002WAIT\001true\002");
    store_append_result_t res;
    CHECK_EQ(store_put_batch(s, &hdr, rmq_slice(batch, n), &res), 0);
    store_dispatch_catch_up(s);
    int64_t offs[8];
    CHECK_EQ(
        store_lookup(s, RMQ_SLICE_LIT("TopicB"), RMQ_SLICE_LIT("BATCH"), 8, 0, INT64_MAX, offs), 2);
    CHECK_EQ(store_lookup(s, RMQ_SLICE_LIT("TopicB"), RMQ_SLICE_LIT("I0"), 8, 0, INT64_MAX, offs),
             0);
    store_get_result_t r;
    store_get_result_init(&r);
    CHECK_EQ(store_get(s, RMQ_SLICE_LIT("TopicB"), 0, 0, 8, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.count, 2);
    CHECK_EQ(r.refs[1].tag_code, rmq_java_string_hash("t1", 2));
    store_get_result_close(&r);
    store_close(s);
    test_rmdir(dir);
}

static bool drop_expired_only(void *arg, const char *topic, bool expired) {
    (*(int *)arg)++;
    return expired;
}

/* store_delete_topics_where (admin cleanExpiredCQ / cleanUnusedTopic): a topic whose data
 * is all in deleted segments is reported expired and goes; a live one stays. */
static void test_delete_expired_topics(void) {
    char *dir = test_tmpdir("storecq");
    test_faults_t faults;
    test_faults_init(&faults);
    store_config_t cfg;
    test_config(&cfg, dir);
    cfg.fops = &faults.ops;
    cfg.file_reserved_time_hours = 0;
    cfg.delete_when = "99";
    store_t *s = open_store(&cfg);
    put_n(s, "OLD", 0, 700, 0);
    put_n(s, "NEW", 0, 700, 0);
    store_dispatch_catch_up(s);
    int calls = 0;
    CHECK_EQ(store_delete_topics_where(s, drop_expired_only, &calls), 0); /* nothing deleted yet */
    CHECK_EQ(calls, 2);
    faults.disk_ratio = 0.95;
    for (int i = 0; i < 20 && store_clean(s, false) > 0; i++)
        ;
    faults.disk_ratio = 0.10;
    CHECK(store_min_offset(s, RMQ_SLICE_LIT("NEW"), 0) > 0);
    CHECK_EQ(store_delete_topics_where(s, drop_expired_only, &calls), 1);
    CHECK_EQ(store_max_offset(s, RMQ_SLICE_LIT("OLD"), 0), 0);
    CHECK_EQ(store_max_offset(s, RMQ_SLICE_LIT("NEW"), 0), 700);
    store_close(s);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_put_get);
    RUN(test_restart_normal);
    RUN(test_restart_abnormal);
    RUN(test_sync_flush_group_commit);
    RUN(test_sync_flush_concurrent);
    RUN(test_dispatch_hook_and_delay_tag);
    RUN(test_disk_full_and_retention);
    RUN(test_delete_expired_topics);
    RUN(test_lock_excludes_other_process);
    RUN(test_segment_size_mismatch);
    RUN(test_batch_repeated_uniq_key_indexed_as_java);
    return 0;
}
