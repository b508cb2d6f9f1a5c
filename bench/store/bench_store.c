/*
 * Store benchmark (issue 3): prints one line per measurement.
 *   disk      the target file system's sequential limits, measured in the same run:
 *               big: 1 MiB pwrites and one fdatasync at the end (dd bs=1M
 *                    conv=fdatasync), the bandwidth the SYNC results are a share of
 *               dsync 64k: one fdatasync after every 64 KiB pwrite (dd bs=64k
 *                    oflag=dsync), what one group commit of 64 x 1 KiB can cost
 *   async     ASYNC_FLUSH append throughput, 1 KiB records, batches of 1 and 32
 *   sync      SYNC_FLUSH with 1..64 appender threads, each blocked in
 *             store_wait_flush_sync() (measures thread scheduling as much as the store)
 *   loop      SYNC_FLUSH the way the broker drives it: N loop threads, each keeping W
 *             appends in flight and completing them through store_wait_flush()
 *             callbacks queued back to the loop (as uv_async_send does)
 *   recovery  abnormal recovery (CRC-checked scan + re-dispatch) in GB/s
 *   rss       peak resident set size
 * Usage: bench_store [dir] (default /tmp). Env BENCH_MB scales the data volume (256);
 * BENCH_ONLY=disk,sync,loop,... runs a subset.
 */
#include "common/log.h"
#include "common/time.h"
#include "store/fsutil.h"
#include "store/store.h"

#include <fcntl.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t mb = 256;
static char base_dir[512];
static double disk_big_mbs; /* the big-write limit, for percentages */
static const char *only;

static int64_t thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static bool wanted(const char *what) {
    if (!only)
        return true;
    size_t n = strlen(what);
    for (const char *p = only; (p = strstr(p, what)) != NULL; p += n)
        if ((p == only || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
            return true;
    return false;
}

static void print_share(double mbs) {
    if (disk_big_mbs > 0)
        printf("  %3.0f%% of disk", 100.0 * mbs / disk_big_mbs);
    printf("\n");
}

static char *fresh_dir(const char *name) {
    char *d = malloc(1024);
    snprintf(d, 1024, "%s/rmq-bench-%s-%d", base_dir, name, (int)getpid());
    store_fs_remove_tree(store_fileops_default(), d);
    return d;
}

static void config(store_config_t *cfg, const char *dir, store_flush_type_t ft) {
    store_config_init(cfg, dir);
    cfg->mapped_file_size_commitlog = 256LL * 1024 * 1024;
    cfg->flush_disk_type = ft;
    cfg->message_index_enable = true;
}

static store_msg_t msg_1k(char *body) {
    store_msg_t m = {
        .topic = RMQ_SLICE_LIT("BenchTopic"),
        .queue_id = 0,
        .body = rmq_slice(body, 1024),
        .props = RMQ_SLICE_LIT("TAGS\001TagA\002"),
        .born_ts = rmq_now_ms(),
        .born_host = store_host_v4(127, 0, 0, 1, 1234),
        .store_host = store_host_v4(127, 0, 0, 1, 10911),
    };
    return m;
}

/* Writes `total` bytes in `chunk` pwrites to a new file, fdatasync after every
 * `sync_every` chunks (0: once at the end). Returns seconds. */
static double disk_write(const char *path, int64_t total, size_t chunk, int sync_every) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return 0;
    char *buf = malloc(chunk);
    memset(buf, 'd', chunk);
    int64_t t0 = rmq_mono_ns();
    int64_t n = total / (int64_t)chunk;
    for (int64_t i = 0; i < n; i++) {
        if (pwrite(fd, buf, chunk, (off_t)(i * (int64_t)chunk)) != (ssize_t)chunk)
            break;
        if (sync_every > 0 && i % sync_every == sync_every - 1)
            fdatasync(fd);
    }
    fdatasync(fd);
    double s = (double)(rmq_mono_ns() - t0) / 1e9;
    close(fd);
    unlink(path);
    free(buf);
    return s;
}

static void bench_disk(void) {
    char *dir = fresh_dir("disk");
    store_fs_mkdirs(store_fileops_default(), dir);
    char *path = store_path_join(dir, "dd");
    int64_t total = mb << 20;
    double s = disk_write(path, total, 1 << 20, 0);
    disk_big_mbs = (double)total / 1e6 / s;
    printf("disk      big writes, one fdatasync (dd bs=1M conv=fdatasync): %.0f MB/s\n",
           disk_big_mbs);
    int64_t small = total / 2;
    s = disk_write(path, small, 64 << 10, 1);
    printf("disk      64 KiB write+fdatasync each (dd bs=64k oflag=dsync): %.0f MB/s, %.0f us "
           "per write\n",
           (double)small / 1e6 / s, s * 1e6 / (double)(small >> 16));
    store_fs_remove_tree(store_fileops_default(), dir);
    free(path);
    free(dir);
}

static void bench_async(int batch) {
    char *dir = fresh_dir("async");
    store_config_t cfg;
    config(&cfg, dir, STORE_FLUSH_ASYNC);
    store_t *s;
    if (store_open(&cfg, &s) != 0)
        exit(1);
    char body[1024];
    memset(body, 'x', sizeof body);
    store_msg_t m = msg_1k(body);
    /* client batch encoding of `batch` 1 KiB messages */
    size_t inner = 22 + 1024 + m.props.len;
    char *enc = malloc(inner * (size_t)batch);
    for (int i = 0; i < batch; i++) {
        char *p = enc + inner * (size_t)i;
        rmq_put_u32be(p, (uint32_t)inner);
        rmq_put_u32be(p + 4, 0);
        rmq_put_u32be(p + 8, 0);
        rmq_put_u32be(p + 12, 0);
        rmq_put_u32be(p + 16, 1024);
        memcpy(p + 20, body, 1024);
        rmq_put_u16be(p + 20 + 1024, (uint16_t)m.props.len);
        memcpy(p + 22 + 1024, m.props.ptr, m.props.len);
    }
    int64_t n = mb * 1024 / batch, bytes = 0;
    int64_t t0 = rmq_mono_ns(), c0 = thread_cpu_ns();
    for (int64_t i = 0; i < n; i++) {
        store_append_result_t res;
        int rc = batch == 1 ? store_put(s, &m, &res)
                            : store_put_batch(s, &m, rmq_slice(enc, inner * (size_t)batch), &res);
        if (rc != 0) {
            fprintf(stderr, "put failed: %d\n", rc);
            break;
        }
        bytes += res.wrote_bytes;
    }
    double sec = (double)(rmq_mono_ns() - t0) / 1e9;
    double cpu_us = (double)(thread_cpu_ns() - c0) / 1e3 / (double)(n * batch);
    printf("async     batch %-3d %8.0f msg/s  %7.0f MB/s (page cache)  appender cpu %.2f us/msg\n",
           batch, (double)n * batch / sec, (double)bytes / 1e6 / sec, cpu_us);
    store_close(s);
    free(enc);
    store_fs_remove_tree(store_fileops_default(), dir);
    free(dir);
}

typedef struct {
    store_t *s;
    int64_t n;
    int64_t *lat_us;
    int64_t bytes;
} sync_arg_t;

static void *sync_worker(void *p) {
    sync_arg_t *a = p;
    char body[1024];
    memset(body, 'y', sizeof body);
    store_msg_t m = msg_1k(body);
    for (int64_t i = 0; i < a->n; i++) {
        int64_t t0 = rmq_mono_ns();
        store_append_result_t res;
        if (store_put(a->s, &m, &res) != 0)
            break;
        store_wait_flush_sync(a->s, res.phys_offset + res.wrote_bytes);
        a->lat_us[i] = (rmq_mono_ns() - t0) / 1000;
        a->bytes += res.wrote_bytes;
    }
    return NULL;
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Prints throughput and latency percentiles of n samples (sorted here). */
static void print_sync(const char *what, int64_t n, int64_t bytes, double sec, int64_t *lat) {
    qsort(lat, (size_t)n, sizeof *lat, cmp64);
    double mbs = (double)bytes / 1e6 / sec;
    printf("%-26s %8.0f msg/s %6.1f MB/s  p50 %5lld us  p99 %5lld us  p999 %5lld us", what,
           (double)n / sec, mbs, (long long)lat[n / 2], (long long)lat[n * 99 / 100],
           (long long)lat[n * 999 / 1000]);
    print_share(mbs);
}

static store_t *open_sync(char **dir) {
    *dir = fresh_dir("sync");
    store_config_t cfg;
    config(&cfg, *dir, STORE_FLUSH_SYNC);
    store_t *s;
    if (store_open(&cfg, &s) != 0)
        exit(1);
    return s;
}

static void close_sync(store_t *s, char *dir) {
    store_close(s);
    store_fs_remove_tree(store_fileops_default(), dir);
    free(dir);
}

static void bench_sync(int threads) {
    char *dir;
    store_t *s = open_sync(&dir);
    int64_t per = (mb * 64) / threads + 1; /* a quarter of the async volume */
    pthread_t th[64];
    sync_arg_t args[64];
    int64_t *lat = calloc((size_t)(per * threads), sizeof *lat);
    int64_t t0 = rmq_mono_ns();
    for (int i = 0; i < threads; i++) {
        args[i] = (sync_arg_t){s, per, lat + per * i, 0};
        pthread_create(&th[i], NULL, sync_worker, &args[i]);
    }
    int64_t bytes = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        bytes += args[i].bytes;
    }
    double sec = (double)(rmq_mono_ns() - t0) / 1e9;
    char what[64];
    snprintf(what, sizeof what, "sync      %2d threads", threads);
    print_sync(what, per * threads, bytes, sec, lat);
    free(lat);
    close_sync(s, dir);
}

/*
 * A broker-like I/O loop: keeps `window` appends in flight; each completion callback
 * (on the store's flush thread) queues the append back to the loop and wakes it only if
 * it sleeps, as uv_async_send() coalesces wake-ups.
 */
typedef struct loop loop_t;
typedef struct {
    loop_t *loop;
    int64_t t0;
    int status;
    int32_t next; /* completion queue link, -1 ends */
} inflight_t;

struct loop {
    store_t *s;
    int64_t todo, done;
    int window;
    inflight_t *slots;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool sleeping;
    int32_t head; /* completed slots, LIFO */
    int64_t *lat_us;
    int64_t bytes;
    int errors;
};

static void loop_flushed(void *arg, int status) {
    inflight_t *f = arg;
    loop_t *l = f->loop;
    f->status = status;
    pthread_mutex_lock(&l->lock);
    f->next = l->head;
    l->head = (int32_t)(f - l->slots);
    bool wake = l->sleeping;
    l->sleeping = false;
    pthread_mutex_unlock(&l->lock);
    if (wake)
        pthread_cond_signal(&l->cond);
}

/* Starts one append in slot f; false when the loop has started all it should. */
static bool loop_send(loop_t *l, store_msg_t *m, inflight_t *f, int64_t *started) {
    if (*started >= l->todo)
        return false;
    (*started)++;
    f->t0 = rmq_mono_ns();
    store_append_result_t res;
    if (store_put(l->s, m, &res) != 0) {
        l->errors++;
        loop_flushed(f, -1);
        return true;
    }
    l->bytes += res.wrote_bytes;
    store_wait_flush(l->s, res.phys_offset + res.wrote_bytes, loop_flushed, f);
    return true;
}

static void *loop_main(void *p) {
    loop_t *l = p;
    char body[1024];
    memset(body, 'w', sizeof body);
    store_msg_t m = msg_1k(body);
    int64_t started = 0;
    for (int i = 0; i < l->window; i++)
        loop_send(l, &m, &l->slots[i], &started);
    while (l->done < l->todo) {
        pthread_mutex_lock(&l->lock);
        while (l->head < 0) {
            l->sleeping = true;
            pthread_cond_wait(&l->cond, &l->lock);
        }
        int32_t head = l->head;
        l->head = -1;
        pthread_mutex_unlock(&l->lock);
        int64_t now = rmq_mono_ns();
        while (head >= 0) {
            inflight_t *f = &l->slots[head];
            head = f->next;
            if (f->status != 0)
                l->errors++;
            l->lat_us[l->done++] = (now - f->t0) / 1000;
            loop_send(l, &m, f, &started);
        }
    }
    return NULL;
}

static void bench_loop(int loops, int window) {
    char *dir;
    store_t *s = open_sync(&dir);
    int64_t per = (mb * 64) / loops + 1;
    pthread_t th[8];
    loop_t ls[8];
    int64_t *lat = calloc((size_t)(per * loops), sizeof *lat);
    int64_t t0 = rmq_mono_ns();
    for (int i = 0; i < loops; i++) {
        loop_t *l = &ls[i];
        *l = (loop_t){.s = s, .todo = per, .window = window, .head = -1, .lat_us = lat + per * i};
        l->slots = calloc((size_t)window, sizeof *l->slots);
        for (int j = 0; j < window; j++)
            l->slots[j].loop = l;
        pthread_mutex_init(&l->lock, NULL);
        pthread_cond_init(&l->cond, NULL);
        pthread_create(&th[i], NULL, loop_main, l);
    }
    int64_t bytes = 0;
    int errors = 0;
    for (int i = 0; i < loops; i++) {
        pthread_join(th[i], NULL);
        bytes += ls[i].bytes;
        errors += ls[i].errors;
        free(ls[i].slots);
        pthread_mutex_destroy(&ls[i].lock);
        pthread_cond_destroy(&ls[i].cond);
    }
    double sec = (double)(rmq_mono_ns() - t0) / 1e9;
    if (errors)
        fprintf(stderr, "loop: %d appends failed\n", errors);
    char what[64];
    snprintf(what, sizeof what, "loop      %d x %3d in flight", loops, window);
    print_sync(what, per * loops, bytes, sec, lat);
    free(lat);
    close_sync(s, dir);
}

static void bench_recovery(void) {
    char *dir = fresh_dir("recovery");
    store_config_t cfg;
    config(&cfg, dir, STORE_FLUSH_ASYNC);
    store_t *s;
    if (store_open(&cfg, &s) != 0)
        exit(1);
    char body[1024];
    memset(body, 'z', sizeof body);
    store_msg_t m = msg_1k(body);
    for (int64_t i = 0; i < mb * 1024; i++) {
        store_append_result_t res;
        m.queue_id = (int)(i % 8);
        store_put(s, &m, &res);
    }
    int64_t bytes = store_max_phys_offset(s);
    store_close(s);
    /* Simulate a crash: abort file present, checkpoint times zero, so the whole log is
     * scanned with CRC checks (queues skip what they already hold). */
    char *abort_path = store_path_join(dir, "abort");
    store_fs_write(store_fileops_default(), abort_path, "1", 1);
    char *ck = store_path_join(dir, "checkpoint");
    char zero[4096] = {0};
    store_fs_write(store_fileops_default(), ck, zero, sizeof zero);
    cfg.start_services = false;
    int64_t t0 = rmq_mono_ns();
    if (store_open(&cfg, &s) != 0)
        exit(1);
    double sec = (double)(rmq_mono_ns() - t0) / 1e9;
    printf("recovery  %.0f MB scanned in %.3f s: %.2f GB/s\n", (double)bytes / 1e6, sec,
           (double)bytes / 1e9 / sec);
    store_close(s);
    free(abort_path);
    free(ck);
    store_fs_remove_tree(store_fileops_default(), dir);
    free(dir);
}

static void print_rss(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            printf("rss       peak %s", line + 6);
    if (f)
        fclose(f);
}

int main(int argc, char **argv) {
    snprintf(base_dir, sizeof base_dir, "%s", argc > 1 ? argv[1] : "/tmp");
    if (getenv("BENCH_MB"))
        mb = atoll(getenv("BENCH_MB"));
    only = getenv("BENCH_ONLY");
    rmq_log_set_level(RMQ_LOG_WARN);
    if (wanted("disk"))
        bench_disk();
    if (wanted("async")) {
        bench_async(1);
        bench_async(32);
    }
    if (wanted("sync"))
        for (int t = 1; t <= 64; t *= 4)
            bench_sync(t);
    if (wanted("loop")) {
        bench_loop(1, 1);
        bench_loop(1, 64);
        bench_loop(2, 32);
        bench_loop(4, 16);
        bench_loop(2, 128);
    }
    if (wanted("recovery"))
        bench_recovery();
    print_rss();
    return 0;
}
