/*
 * Store benchmark (issue 3): prints one line per measurement.
 *   disk      sequential write limit of the target file system: 1 MiB pwrite + one
 *             fdatasync per 4 MiB (what dd oflag=dsync-ish group commit can reach)
 *   async     ASYNC_FLUSH append throughput, 1 KiB records, batches of 1 and 32
 *   sync      SYNC_FLUSH throughput and latency percentiles, 1..64 appender threads
 *   recovery  abnormal recovery (CRC-checked scan + re-dispatch) in GB/s
 *   rss       peak resident set size
 * Usage: bench_store [dir] (default /tmp). Env BENCH_MB scales the data volume (256).
 */
#include "common/log.h"
#include "common/time.h"
#include "store/fsutil.h"
#include "store/store.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int64_t mb = 256;
static char base_dir[512];

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

static void bench_disk(void) {
    char *dir = fresh_dir("disk");
    store_fs_mkdirs(store_fileops_default(), dir);
    char *path = store_path_join(dir, "dd");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char *buf = calloc(1, 1 << 20);
    int64_t t0 = rmq_mono_ns();
    for (int64_t i = 0; i < mb; i++) {
        if (pwrite(fd, buf, 1 << 20, (off_t)(i << 20)) != 1 << 20)
            break;
        if (i % 4 == 3)
            fdatasync(fd);
    }
    fdatasync(fd);
    double s = (double)(rmq_mono_ns() - t0) / 1e9;
    printf("disk      sequential write+fdatasync: %.0f MB/s\n", (double)mb / s);
    close(fd);
    free(buf);
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
    int64_t t0 = rmq_mono_ns();
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
    printf("async     batch %-3d %8.0f msg/s  %7.0f MB/s (page cache)\n", batch,
           (double)n * batch / sec, (double)bytes / 1e6 / sec);
    store_close(s);
    free(enc);
    store_fs_remove_tree(store_fileops_default(), dir);
    free(dir);
}

typedef struct {
    store_t *s;
    int64_t n;
    int64_t *lat_us;
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
    }
    return NULL;
}

static int cmp64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void bench_sync(int threads) {
    char *dir = fresh_dir("sync");
    store_config_t cfg;
    config(&cfg, dir, STORE_FLUSH_SYNC);
    store_t *s;
    if (store_open(&cfg, &s) != 0)
        exit(1);
    int64_t per = (mb * 64) / threads + 1; /* a quarter of the async volume */
    pthread_t th[64];
    sync_arg_t args[64];
    int64_t *lat = calloc((size_t)(per * threads), sizeof *lat);
    int64_t t0 = rmq_mono_ns();
    for (int i = 0; i < threads; i++) {
        args[i] = (sync_arg_t){s, per, lat + per * i};
        pthread_create(&th[i], NULL, sync_worker, &args[i]);
    }
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    double sec = (double)(rmq_mono_ns() - t0) / 1e9;
    int64_t n = per * threads;
    qsort(lat, (size_t)n, sizeof *lat, cmp64);
    printf("sync      %2d appenders %8.0f msg/s %6.1f MB/s  p50 %lld us  p99 %lld us  p999 %lld "
           "us\n",
           threads, (double)n / sec, (double)n * 1.1e-3 / sec, (long long)lat[n / 2],
           (long long)lat[n * 99 / 100], (long long)lat[n * 999 / 1000]);
    free(lat);
    store_close(s);
    store_fs_remove_tree(store_fileops_default(), dir);
    free(dir);
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
    rmq_log_set_level(RMQ_LOG_WARN);
    bench_disk();
    bench_async(1);
    bench_async(32);
    for (int t = 1; t <= 64; t *= 4)
        bench_sync(t);
    bench_recovery();
    print_rss();
    return 0;
}
