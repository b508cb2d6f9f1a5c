/*
 * Broker statistics and GET_BROKER_RUNTIME_INFO (28, spec remoting.md 5.5.6; upstream
 * AdminBrokerProcessor.prepareRuntimeInfo, DefaultMessageStore.getRuntimeInfo,
 * StoreStatsService.getRuntimeInfo, BrokerStats).
 *
 * Counters (messages put, pulls that found or missed, messages transferred) are atomics
 * bumped by send.c and pull.c. Once a second, the first thread to notice takes a sample
 * into a ring (admin.lock); rates over 10, 60 and 600 s compare the current totals with
 * the newest sample at least that old (or the oldest one while the broker is younger).
 * The same sampler moves the "this morning" / "yesterday morning" totals at midnight
 * (UTC days), which mqadmin brokerStatus and clusterList print.
 *
 * Runs on: I/O loops. Locks: admin.lock (samples), none on the counting path.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "protocol/codes.h"
#include "protocol/kv_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#define DAY_MS 86400000LL

void broker_admin_init(broker_t *b) {
    broker_admin_t *a = &b->admin;
    pthread_mutex_init(&a->lock, NULL);
    a->boot_ms = broker_now(b);
    a->day = a->boot_ms / DAY_MS;
    a->samples[0] = (broker_stats_sample_t){.ts = a->boot_ms};
    a->nsamples = 1;
    atomic_store(&a->next_sample_ms, a->boot_ms + 1000);
    a->config_version.timestamp = a->boot_ms;
    a->request = remoting_conn_request;
}

void broker_admin_close(broker_t *b) {
    broker_admin_t *a = &b->admin;
    for (size_t i = 0; i < a->ngrave; i++)
        rmq_free(a->graveyard[i]);
    rmq_free(a->graveyard);
    pthread_mutex_destroy(&a->lock);
}

/* ---- sampling ---- */

static broker_stats_sample_t current(broker_admin_t *a, int64_t now) {
    return (broker_stats_sample_t){
        .ts = now,
        .put = atomic_load(&a->put_msgs),
        .found = atomic_load(&a->get_found),
        .miss = atomic_load(&a->get_miss),
        .transferred = atomic_load(&a->get_transferred),
    };
}

/* Takes a sample when a second has passed. Runs with nothing held. */
static void maybe_sample(broker_t *b) {
    broker_admin_t *a = &b->admin;
    int64_t now = broker_now(b);
    long long due = atomic_load(&a->next_sample_ms);
    if (now < due || !atomic_compare_exchange_strong(&a->next_sample_ms, &due, now + 1000))
        return;
    pthread_mutex_lock(&a->lock);
    broker_stats_sample_t s = current(a, now);
    a->head = (a->head + 1) % BROKER_ADMIN_SAMPLES;
    a->samples[a->head] = s;
    if (a->nsamples < BROKER_ADMIN_SAMPLES)
        a->nsamples++;
    if (now / DAY_MS != a->day) {
        a->day = now / DAY_MS;
        a->put_yesterday_morning = a->put_today_morning;
        a->get_yesterday_morning = a->get_today_morning;
        a->put_today_morning = s.put;
        a->get_today_morning = s.transferred;
    }
    pthread_mutex_unlock(&a->lock);
}

void broker_stats_on_put(broker_t *b, int64_t msgs) {
    atomic_fetch_add(&b->admin.put_msgs, msgs);
    maybe_sample(b);
}

void broker_stats_on_put_failed(broker_t *b) {
    atomic_fetch_add(&b->admin.put_failed, 1);
}

void broker_stats_on_get(broker_t *b, bool found, int64_t msgs) {
    if (found) {
        atomic_fetch_add(&b->admin.get_found, 1);
        atomic_fetch_add(&b->admin.get_transferred, msgs);
    } else {
        atomic_fetch_add(&b->admin.get_miss, 1);
    }
    maybe_sample(b);
}

static int64_t pick(const broker_stats_sample_t *s, broker_tps_kind_t kind) {
    switch (kind) {
    case BROKER_TPS_PUT:
        return s->put;
    case BROKER_TPS_GET_FOUND:
        return s->found;
    case BROKER_TPS_GET_MISS:
        return s->miss;
    case BROKER_TPS_GET_TOTAL:
        return s->found + s->miss;
    case BROKER_TPS_GET_TRANSFERRED:
        return s->transferred;
    }
    return 0;
}

double broker_stats_tps(broker_t *b, broker_tps_kind_t kind, int seconds) {
    broker_admin_t *a = &b->admin;
    maybe_sample(b);
    int64_t now = broker_now(b);
    pthread_mutex_lock(&a->lock);
    broker_stats_sample_t cur = current(a, now);
    /* Newest sample at least `seconds` old; else the oldest kept. */
    const broker_stats_sample_t *base = NULL;
    for (size_t i = 0; i < a->nsamples; i++) {
        const broker_stats_sample_t *s =
            &a->samples[(a->head + BROKER_ADMIN_SAMPLES - i) % BROKER_ADMIN_SAMPLES];
        base = s;
        if (s->ts <= now - (int64_t)seconds * 1000)
            break;
    }
    pthread_mutex_unlock(&a->lock);
    if (!base || cur.ts <= base->ts)
        return 0.0;
    return (double)(pick(&cur, kind) - pick(base, kind)) * 1000.0 / (double)(cur.ts - base->ts);
}

/* ---- GET_BROKER_RUNTIME_INFO ---- */

/* Double.toString-like: "0.0", "12.5", "0.3333333333333333". */
static void fmt_double(char *buf, size_t cap, double v) {
    if (v == (double)(long long)v && v < 1e15 && v > -1e15) {
        snprintf(buf, cap, "%.1f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* MixAll.humanReadableByteCount(bytes, false). */
static void human_bytes(char *buf, size_t cap, int64_t bytes) {
    if (bytes < 1024) {
        snprintf(buf, cap, "%lld B", (long long)bytes);
        return;
    }
    static const char pre[] = "KMGTPE";
    int exp = 0;
    double v = (double)bytes;
    while (v >= 1024 && exp < 6) {
        v /= 1024;
        exp++;
    }
    snprintf(buf, cap, "%.1f %ciB", v, pre[exp - 1]);
}

static void put_i64(proto_kvs_t *t, const char *key, int64_t v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    proto_kvs_put(t, key, buf);
}

static void put_dbl(proto_kvs_t *t, const char *key, double v) {
    char buf[40];
    fmt_double(buf, sizeof buf, v);
    proto_kvs_put(t, key, buf);
}

static void put_tps(broker_t *b, proto_kvs_t *t, const char *key, broker_tps_kind_t kind) {
    char a[40], c[40], d[40], out[128];
    fmt_double(a, sizeof a, broker_stats_tps(b, kind, 10));
    fmt_double(c, sizeof c, broker_stats_tps(b, kind, 60));
    fmt_double(d, sizeof d, broker_stats_tps(b, kind, 600));
    snprintf(out, sizeof out, "%s %s %s", a, c, d);
    proto_kvs_put(t, key, out);
}

/* Used share of the file system holding path, as UtilAll.getDiskPartitionSpaceUsedPercent
 * (-1 when unknown). */
static double disk_ratio(const char *path, int64_t *total, int64_t *free_bytes) {
    struct statvfs st;
    if (statvfs(path, &st) != 0 || st.f_blocks == 0)
        return -1;
    double tot = (double)st.f_blocks * (double)st.f_frsize;
    double fr = (double)st.f_bfree * (double)st.f_frsize;
    if (total)
        *total = (int64_t)tot;
    if (free_bytes)
        *free_bytes = (int64_t)((double)st.f_bavail * (double)st.f_frsize);
    return (tot - fr) / tot;
}

static int64_t earliest_message_time(broker_t *b) {
    store_ref_t ref;
    int64_t min = store_min_phys_offset(b->store);
    if (min < 0 || min >= store_max_phys_offset(b->store) ||
        store_get_by_offset(b->store, min, &ref) != 0)
        return -1;
    store_record_t rec;
    int64_t ts = store_ref_decode(&ref, &rec) == 0 ? rec.store_ts : -1;
    store_mf_release(ref.mf);
    return ts;
}

static void store_info(broker_t *b, proto_kvs_t *t) {
    broker_admin_t *a = &b->admin;
    const broker_config_t *c = &b->cfg;
    int64_t puts = atomic_load(&a->put_msgs);
    int64_t now = broker_now(b);
    put_i64(t, "bootTimestamp", a->boot_ms);
    int64_t up = now - a->boot_ms;
    char buf[160];
    snprintf(buf, sizeof buf, "[ %lld days, %lld hours, %lld minutes, %lld seconds ]",
             (long long)(up / DAY_MS), (long long)(up % DAY_MS / 3600000),
             (long long)(up % 3600000 / 60000), (long long)(up % 60000 / 1000));
    proto_kvs_put(t, "runtime", buf);
    put_i64(t, "putMessageEntireTimeMax", 0);
    put_i64(t, "putMessageTimesTotal", puts ? puts : 1);
    put_i64(t, "putMessageFailedTimes", atomic_load(&a->put_failed));
    put_i64(t, "dispatchMaxBuffer", 0);
    put_i64(t, "getMessageEntireTimeMax", 0);
    put_tps(b, t, "putTps", BROKER_TPS_PUT);
    put_tps(b, t, "getFoundTps", BROKER_TPS_GET_FOUND);
    put_tps(b, t, "getMissTps", BROKER_TPS_GET_MISS);
    put_tps(b, t, "getTotalTps", BROKER_TPS_GET_TOTAL);
    put_tps(b, t, "getTransferredTps", BROKER_TPS_GET_TRANSFERRED);

    int64_t total = 0, free_bytes = 0;
    double cl = disk_ratio(c->storePathCommitLog, NULL, NULL);
    snprintf(buf, sizeof buf, "commitLogDiskRatio_%s", c->storePathCommitLog);
    put_dbl(t, buf, cl);
    put_dbl(t, "commitLogDiskRatio", cl);
    char cq[1024];
    snprintf(cq, sizeof cq, "%s/consumequeue", c->storePathRootDir);
    double cqr = disk_ratio(cq, NULL, NULL);
    put_dbl(t, "consumeQueueDiskRatio",
            cqr >= 0 ? cqr : disk_ratio(c->storePathRootDir, NULL, NULL));
    put_i64(t, "commitLogMinOffset", store_min_phys_offset(b->store));
    put_i64(t, "commitLogMaxOffset", store_max_phys_offset(b->store));
    if (disk_ratio(c->storePathRootDir, &total, &free_bytes) >= 0) {
        char tot[32], fr[32];
        human_bytes(tot, sizeof tot, total);
        human_bytes(fr, sizeof fr, free_bytes);
        snprintf(buf, sizeof buf, "Total : %s, Free : %s.", tot, fr);
        proto_kvs_put(t, "commitLogDirCapacity", buf);
    }
}

static void broker_info(broker_t *b, proto_kvs_t *t) {
    broker_admin_t *a = &b->admin;
    const broker_config_t *c = &b->cfg;
    pthread_mutex_lock(&a->lock);
    int64_t put_tm = a->put_today_morning, put_ym = a->put_yesterday_morning;
    int64_t get_tm = a->get_today_morning, get_ym = a->get_yesterday_morning;
    pthread_mutex_unlock(&a->lock);
    proto_kvs_put(t, "brokerActive", "true");
    proto_kvs_put(t, "brokerVersionDesc", "V5_3_3");
    put_i64(t, "msgPutTotalYesterdayMorning", put_ym);
    put_i64(t, "msgPutTotalTodayMorning", put_tm);
    put_i64(t, "msgPutTotalTodayNow", atomic_load(&a->put_msgs));
    put_i64(t, "msgGetTotalYesterdayMorning", get_ym);
    put_i64(t, "msgGetTotalTodayMorning", get_tm);
    put_i64(t, "msgGetTotalTodayNow", atomic_load(&a->get_transferred));
    put_i64(t, "dispatchBehindBytes", store_dispatch_behind(b->store));
    put_i64(t, "pageCacheLockTimeMills", 0);
    put_i64(t, "earliestMessageTimeStamp", earliest_message_time(b));
    put_i64(t, "startAcceptSendRequestTimeStamp", 0);
    proto_kvs_put(t, "timerReadBehind", "0");
    proto_kvs_put(t, "timerOffsetBehind", "0");
    proto_kvs_put(t, "timerCongestNum", "0");
    proto_kvs_put(t, "timerEnqueueTps", "0.0");
    proto_kvs_put(t, "timerDequeueTps", "0.0");
    proto_kvs_put(t, "remainTransientStoreBufferNumbs", "2147483647");
    proto_kvs_put(t, "remainHowManyDataToFlush", "0 B");
    /* No thread pools: requests run on the I/O loops, so the queues are always empty;
     * the capacities are the configured bounds. */
    static const struct {
        const char *size, *cap, *wait;
        int32_t def;
    } pools[] = {
        {"sendThreadPoolQueueSize", "sendThreadPoolQueueCapacity",
         "sendThreadPoolQueueHeadWaitTimeMills", -1},
        {"pullThreadPoolQueueSize", "pullThreadPoolQueueCapacity",
         "pullThreadPoolQueueHeadWaitTimeMills", -2},
        {"litePullThreadPoolQueueSize", "litePullThreadPoolQueueCapacity",
         "litePullThreadPoolQueueHeadWaitTimeMills", 100000},
        {"queryThreadPoolQueueSize", "queryThreadPoolQueueCapacity",
         "queryThreadPoolQueueHeadWaitTimeMills", 20000},
        {"ackThreadPoolQueueSize", "ackThreadPoolQueueCapacity",
         "ackThreadPoolQueueHeadWaitTimeMills", 100000},
        {"EndTransactionQueueSize", "EndTransactionThreadPoolQueueCapacity", NULL, 100000},
    };
    for (size_t i = 0; i < sizeof pools / sizeof pools[0]; i++) {
        int32_t cap = pools[i].def == -1   ? c->sendThreadPoolQueueCapacity
                      : pools[i].def == -2 ? c->pullThreadPoolQueueCapacity
                                           : pools[i].def;
        put_i64(t, pools[i].size, 0);
        put_i64(t, pools[i].cap, cap);
        if (pools[i].wait)
            put_i64(t, pools[i].wait, 0);
    }
}

int broker_admin_runtime_info(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                              remoting_cmd_t *resp) {
    broker_t *b = ctx;
    proto_kvs_t t = {0};
    store_info(b, &t);
    broker_info(b, &t);
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_kv_table_encode(&t, &out);
    proto_kvs_close(&t);
    broker_take_body(resp, &out);
    return 0;
}
