/*
 * Queue choice and broker fault avoidance for the producer; see fault.h for the rules
 * and the latency table (Java's MQFaultStrategy, LatencyFaultToleranceImpl and
 * TopicPublishInfo).
 *
 * Runs on: any thread (application threads for sync sends, the I/O thread for async
 * retries). Locks: f->mu around the fault table only.
 */
#include "client/fault.h"

#include "common/alloc.h"
#include "common/time.h"

#include <stdlib.h>
#include <string.h>

#define PERM_WRITE 0x2

typedef struct {
    int64_t latency_ms;
    int64_t start_ms; /* available again from this wall time */
    bool reachable;
} fault_item_t;

static const int64_t latency_max[] = {50, 100, 550, 1800, 3000, 5000, 15000};
static const int64_t not_available[] = {0, 0, 2000, 5000, 6000, 10000, 30000};

/* ------------------------------------------------------------------ publish info */

static int cmp_queue_data(const void *a, const void *b) {
    const proto_queue_data_t *x = *(const proto_queue_data_t *const *)a;
    const proto_queue_data_t *y = *(const proto_queue_data_t *const *)b;
    return strcmp(x->brokerName, y->brokerName);
}

static bool has_master(const proto_topic_route_data_t *rd, const char *name) {
    for (size_t i = 0; i < rd->broker_count; i++)
        if (strcmp(rd->brokerDatas[i].brokerName, name) == 0)
            return proto_broker_data_addr(&rd->brokerDatas[i], 0) != NULL;
    return false;
}

static void add_broker(client_publish_info_t *pi, const char *name, size_t name_len, int nums) {
    if (nums <= 0)
        return;
    pi->brokers = rmq_realloc(pi->brokers, (pi->broker_count + 1) * sizeof(char *));
    char *copy = rmq_malloc(name_len + 1);
    memcpy(copy, name, name_len);
    copy[name_len] = 0;
    pi->brokers[pi->broker_count++] = copy;
    pi->mqs = rmq_realloc(pi->mqs, (pi->count + (size_t)nums) * sizeof(client_mq_t));
    for (int q = 0; q < nums; q++)
        pi->mqs[pi->count++] = (client_mq_t){copy, q};
}

/* orderTopicConf "brokerA:4;brokerB:4". */
static void build_from_order_conf(client_publish_info_t *pi, const char *conf) {
    const char *p = conf;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *colon = memchr(p, ':', len);
        if (colon)
            add_broker(pi, p, (size_t)(colon - p), atoi(colon + 1));
        p += len + (end ? 1 : 0);
    }
}

void client_publish_info_build(client_publish_info_t *pi, const proto_topic_route_data_t *rd,
                               unsigned seed) {
    memset(pi, 0, sizeof *pi);
    atomic_init(&pi->index, seed & 0x7fffffffu);
    if (rd->orderTopicConf && *rd->orderTopicConf) {
        pi->is_order = true;
        build_from_order_conf(pi, rd->orderTopicConf);
        return;
    }
    const proto_queue_data_t **qds = rmq_calloc(rd->queue_count + 1, sizeof *qds);
    for (size_t i = 0; i < rd->queue_count; i++)
        qds[i] = &rd->queueDatas[i];
    qsort(qds, rd->queue_count, sizeof *qds, cmp_queue_data);
    for (size_t i = 0; i < rd->queue_count; i++) {
        const proto_queue_data_t *qd = qds[i];
        if (!(qd->perm & PERM_WRITE) || !has_master(rd, qd->brokerName))
            continue;
        add_broker(pi, qd->brokerName, strlen(qd->brokerName), qd->writeQueueNums);
    }
    rmq_free(qds);
}

void client_publish_info_close(client_publish_info_t *pi) {
    for (size_t i = 0; i < pi->broker_count; i++)
        rmq_free(pi->brokers[i]);
    rmq_free(pi->brokers);
    rmq_free(pi->mqs);
    memset(pi, 0, sizeof *pi);
}

/* ------------------------------------------------------------------ fault table */

int64_t client_fault_not_available_ms(int64_t latency_ms) {
    for (int i = (int)(sizeof latency_max / sizeof latency_max[0]) - 1; i >= 0; i--)
        if (latency_ms >= latency_max[i])
            return not_available[i];
    return 0;
}

void client_fault_init(client_fault_t *f, bool is_enabled) {
    f->is_enabled = is_enabled;
    pthread_mutex_init(&f->mu, NULL);
    rmq_map_init(&f->items);
}

void client_fault_close(client_fault_t *f) {
    size_t it = 0;
    rmq_map_entry_t *e;
    while (rmq_map_next(&f->items, &it, &e))
        rmq_free(e->value);
    rmq_map_close(&f->items);
    pthread_mutex_destroy(&f->mu);
}

void client_fault_update(client_fault_t *f, const char *broker, int64_t latency_ms, bool isolation,
                         bool reachable, int64_t now_ms) {
    if (!f->is_enabled)
        return;
    int64_t duration = client_fault_not_available_ms(isolation ? 10000 : latency_ms);
    pthread_mutex_lock(&f->mu);
    fault_item_t *item = rmq_map_get(&f->items, broker);
    if (!item) {
        item = RMQ_NEW(fault_item_t);
        rmq_map_put(&f->items, broker, item);
    }
    item->latency_ms = latency_ms;
    if (duration > 0 && now_ms + duration > item->start_ms)
        item->start_ms = now_ms + duration;
    item->reachable = reachable;
    pthread_mutex_unlock(&f->mu);
}

bool client_fault_is_available(client_fault_t *f, const char *broker, int64_t now_ms) {
    pthread_mutex_lock(&f->mu);
    fault_item_t *item = rmq_map_get(&f->items, broker);
    bool ok = !item || now_ms >= item->start_ms;
    pthread_mutex_unlock(&f->mu);
    return ok;
}

bool client_fault_is_reachable(client_fault_t *f, const char *broker) {
    pthread_mutex_lock(&f->mu);
    fault_item_t *item = rmq_map_get(&f->items, broker);
    bool ok = !item || item->reachable;
    pthread_mutex_unlock(&f->mu);
    return ok;
}

/* ------------------------------------------------------------------ selection */

enum { FILTER_NONE = 0, FILTER_AVAILABLE = 1, FILTER_REACHABLE = 2 };

static unsigned next_index(client_publish_info_t *pi) {
    return (atomic_fetch_add(&pi->index, 1) + 1) & 0x7fffffffu;
}

/* One pass over the list: the first queue passing the filters, or NULL. */
static const client_mq_t *select_filtered(client_fault_t *f, client_publish_info_t *pi,
                                          const char *last_broker, int filter, int64_t now_ms) {
    for (size_t i = 0; i < pi->count; i++) {
        const client_mq_t *mq = &pi->mqs[next_index(pi) % pi->count];
        if (last_broker && strcmp(mq->broker_name, last_broker) == 0)
            continue;
        if (filter == FILTER_AVAILABLE && !client_fault_is_available(f, mq->broker_name, now_ms))
            continue;
        if (filter == FILTER_REACHABLE && !client_fault_is_reachable(f, mq->broker_name))
            continue;
        return mq;
    }
    return NULL;
}

const client_mq_t *client_fault_select(client_fault_t *f, client_publish_info_t *pi,
                                       const char *last_broker, bool reset_index, int64_t now_ms) {
    if (pi->count == 0)
        return NULL;
    const client_mq_t *mq;
    if (f->is_enabled) {
        if (reset_index)
            atomic_store(&pi->index, (unsigned)(rmq_mono_ns() / 1000) & 0x7fffffffu);
        if ((mq = select_filtered(f, pi, last_broker, FILTER_AVAILABLE, now_ms)))
            return mq;
        if ((mq = select_filtered(f, pi, last_broker, FILTER_REACHABLE, now_ms)))
            return mq;
    } else if ((mq = select_filtered(f, pi, last_broker, FILTER_NONE, now_ms))) {
        return mq;
    }
    return &pi->mqs[next_index(pi) % pi->count];
}
