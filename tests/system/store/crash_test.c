/*
 * Crash test for the store (issue 3): a child process appends messages to 4 queues and
 * reports each acknowledged one through a pipe (SYNC_FLUSH: after the group commit;
 * ASYNC_FLUSH: when the append returns, since the page cache survives a process kill).
 * The parent SIGKILLs it after a random delay, reopens the store (abnormal recovery) and
 * checks that
 *   - every acknowledged message is present at its queue offset,
 *   - queues hold consecutive sequence numbers with no gap and no torn record (every
 *     record decodes with a valid body CRC),
 *   - every consume-queue entry points at a valid record of its own topic and queue.
 * Then the next iteration appends to the same directory. 100 iterations, 10 with CI=true
 * (RMQ_CRASH_ITERATIONS overrides).
 *
 * Usage: system_store_crash sync|async [dir]
 */
#include "common/checksum.h"
#include "common/log.h"
#include "common/time.h"
#include "store/store.h"
#include "test.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QUEUES 4
#define TOPIC  "CrashTopic"

static void config(store_config_t *cfg, const char *dir, bool sync) {
    store_config_init(cfg, dir);
    cfg->mapped_file_size_commitlog = 256 * 1024; /* many rolls */
    cfg->mapped_file_size_cq = 20 * 500;
    cfg->max_hash_slot_num = 1024;
    cfg->max_index_num = 4096;
    cfg->max_message_size = 8 * 1024;
    cfg->flush_disk_type = sync ? STORE_FLUSH_SYNC : STORE_FLUSH_ASYNC;
    cfg->flush_interval_commitlog_ms = 5;
    cfg->flush_interval_cq_ms = 5;
    cfg->flush_cq_thorough_interval_ms = 20;
}

/* Body: "seq=<n> " padded with a pattern to a length derived from n. */
static size_t make_body(char *buf, int64_t seq) {
    int n = snprintf(buf, 64, "seq=%lld ", (long long)seq);
    size_t len = 32 + (size_t)(seq * 7919 % 2000);
    for (size_t i = (size_t)n; i < len; i++)
        buf[i] = (char)('a' + (seq + (int64_t)i) % 26);
    return len;
}

static void child_main(const char *dir, bool sync, int fd) {
    store_config_t cfg;
    config(&cfg, dir, sync);
    store_t *s;
    if (store_open(&cfg, &s) != 0)
        _exit(3);
    int64_t next[QUEUES];
    for (int q = 0; q < QUEUES; q++)
        next[q] = store_max_offset(s, RMQ_SLICE_LIT(TOPIC), q);
    char body[4096], props[128];
    for (uint64_t i = 0;; i++) {
        int q = (int)(i % QUEUES);
        int64_t seq = next[q];
        size_t len = make_body(body, seq);
        snprintf(props, sizeof props, "KEYS\001k%d-%lld\002TAGS\001t%d\002", q, (long long)seq, q);
        store_msg_t m = {
            .topic = RMQ_SLICE_LIT(TOPIC),
            .queue_id = q,
            .body = rmq_slice(body, len),
            .props = rmq_slice_cstr(props),
            .born_ts = rmq_now_ms(),
            .born_host = store_host_v4(127, 0, 0, 1, 1234),
            .store_host = store_host_v4(127, 0, 0, 1, 10911),
        };
        store_append_result_t res;
        if (store_put(s, &m, &res) != 0)
            _exit(4);
        if (res.queue_offset != seq)
            _exit(5);
        if (sync && store_wait_flush_sync(s, res.phys_offset + res.wrote_bytes) != 0)
            _exit(6);
        int64_t ack[2] = {q, seq};
        if (write(fd, ack, sizeof ack) != sizeof ack)
            _exit(7);
        next[q]++;
    }
}

static int verify(const char *dir, bool sync, const int64_t *acked) {
    store_config_t cfg;
    config(&cfg, dir, sync);
    cfg.start_services = false;
    store_t *s;
    CHECK_EQ(store_open(&cfg, &s), 0);
    store_get_result_t r;
    store_get_result_init(&r);
    int64_t total = 0;
    for (int q = 0; q < QUEUES; q++) {
        int64_t max = store_max_offset(s, RMQ_SLICE_LIT(TOPIC), q);
        if (max <= acked[q]) {
            fprintf(stderr, "queue %d: max offset %lld but acked %lld\n", q, (long long)max,
                    (long long)acked[q]);
            return 1;
        }
        for (int64_t off = 0; off < max;) {
            CHECK_EQ(store_get(s, RMQ_SLICE_LIT(TOPIC), q, off, 64, 1 << 24, NULL, &r), 0);
            CHECK_EQ(r.status, STORE_GET_FOUND);
            for (size_t i = 0; i < r.count; i++) {
                store_record_t rec;
                CHECK_EQ(store_record_decode(r.refs[i].ptr, (size_t)r.refs[i].len, true, &rec), 0);
                CHECK_EQ(rec.total_size, r.refs[i].len);
                CHECK_EQ(rec.phys_offset, r.refs[i].phys_offset);
                CHECK_EQ(rec.queue_id, q);
                CHECK_EQ(rec.queue_offset, off + (int64_t)i);
                CHECK_MEMSTR(rec.topic.ptr, rec.topic.len, TOPIC);
                char body[4096];
                size_t len = make_body(body, off + (int64_t)i);
                CHECK(rec.body.len == len && memcmp(rec.body.ptr, body, len) == 0);
            }
            off = r.next_begin_offset;
            total += (int64_t)r.count;
        }
        /* the newest acknowledged message is also found by key */
        if (acked[q] >= 0) {
            char key[64];
            snprintf(key, sizeof key, "k%d-%lld", q, (long long)acked[q]);
            int64_t offs[64];
            CHECK(store_lookup(s, RMQ_SLICE_LIT(TOPIC), rmq_slice_cstr(key), 64, 0, INT64_MAX,
                               offs) >= 1);
        }
    }
    store_get_result_close(&r);
    store_close(s);
    return total > 0 || acked[0] < 0 ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc < 2 || (strcmp(argv[1], "sync") && strcmp(argv[1], "async"))) {
        fprintf(stderr, "usage: %s sync|async [dir]\n", argv[0]);
        return 2;
    }
    bool sync = strcmp(argv[1], "sync") == 0;
    rmq_log_set_level(RMQ_LOG_WARN);
    const char *env_it = getenv("RMQ_CRASH_ITERATIONS");
    const char *ci = getenv("CI");
    int iterations = env_it ? atoi(env_it) : ci && strcmp(ci, "true") == 0 ? 10 : 100;
    char tmpl[] = "/tmp/rmq-crash-XXXXXX";
    const char *dir = argc > 2 ? argv[2] : mkdtemp(tmpl);
    CHECK(dir != NULL);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    int64_t acked[QUEUES];
    for (int q = 0; q < QUEUES; q++)
        acked[q] = -1;
    for (int it = 0; it < iterations; it++) {
        int fds[2];
        CHECK(pipe(fds) == 0);
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            child_main(dir, sync, fds[1]);
        }
        close(fds[1]);
        struct timespec d = {0, (long)(2 + rand() % 60) * 1000000L};
        nanosleep(&d, NULL);
        kill(pid, SIGKILL);
        int st;
        CHECK(waitpid(pid, &st, 0) == pid);
        if (!WIFSIGNALED(st)) {
            fprintf(stderr, "child exited with %d before the kill\n", WEXITSTATUS(st));
            return 1;
        }
        int64_t ack[2];
        int64_t count = 0;
        while (read(fds[0], ack, sizeof ack) == sizeof ack) {
            if (ack[1] > acked[ack[0]])
                acked[ack[0]] = ack[1];
            count++;
        }
        close(fds[0]);
        if (verify(dir, sync, acked) != 0) {
            fprintf(stderr, "iteration %d failed (dir %s kept)\n", it, dir);
            return 1;
        }
        printf("iteration %d: %lld acked, queue 0 at %lld\n", it, (long long)count,
               (long long)acked[0]);
    }
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (argc <= 2 && system(cmd) != 0)
        return 1;
    printf("ok %d iterations (%s)\n", iterations, argv[1]);
    return 0;
}
