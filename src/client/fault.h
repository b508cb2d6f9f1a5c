/*
 * Producer queue choice (spec remoting.md 7.2): a topic's publish queue list built from
 * its route as Java's topicRouteData2TopicPublishInfo does, the round-robin index, and
 * latency-based fault avoidance as Java's MQFaultStrategy / LatencyFaultToleranceImpl.
 *
 *   latency of the last send (ms)  >= 50  100  550   1800  3000  5000   15000
 *   broker not available for (ms)     0    0  2000  5000  6000  10000  30000
 *
 * A failed send counts as 10000 ms (isolation), so its broker is avoided for 10 s.
 *
 * Threads: a publish info is immutable after build except its atomic index; the fault
 * table has its own mutex. Both may be used from any thread.
 */
#ifndef RMQ_CLIENT_FAULT_H
#define RMQ_CLIENT_FAULT_H

#include "common/map.h"
#include "protocol/route.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    const char *broker_name; /* borrowed from the publish info */
    int32_t queue_id;
} client_mq_t;

typedef struct {
    client_mq_t *mqs; /* brokers sorted by name, then queue id */
    size_t count;
    char **brokers; /* owned names the mqs point into */
    size_t broker_count;
    bool is_order; /* built from orderTopicConf */
    atomic_uint index;
} client_publish_info_t;

/*
 * Builds the list: from orderTopicConf ("a:4;b:4") when present, else for each writable
 * QueueData (sorted by broker name) whose broker has a master address, queues
 * 0..writeQueueNums-1. `seed` starts the index (Java: a random int).
 */
void client_publish_info_build(client_publish_info_t *pi, const proto_topic_route_data_t *rd,
                               unsigned seed);
void client_publish_info_close(client_publish_info_t *pi);

/* Java's latency table: how long a broker is skipped after a send that took latency_ms. */
int64_t client_fault_not_available_ms(int64_t latency_ms);

typedef struct {
    bool is_enabled;
    pthread_mutex_t mu;
    rmq_map_t items; /* broker name -> fault item */
} client_fault_t;

void client_fault_init(client_fault_t *f, bool is_enabled);
void client_fault_close(client_fault_t *f);
/* Records a send's outcome (MQFaultStrategy.updateFaultItem); no-op when disabled. */
void client_fault_update(client_fault_t *f, const char *broker, int64_t latency_ms, bool isolation,
                         bool reachable, int64_t now_ms);
bool client_fault_is_available(client_fault_t *f, const char *broker, int64_t now_ms);
bool client_fault_is_reachable(client_fault_t *f, const char *broker);

/*
 * MQFaultStrategy.selectOneMessageQueue: the next queue round robin, avoiding
 * `last_broker` (the broker of the previous attempt, NULL on the first) and, when fault
 * avoidance is on, unavailable then unreachable brokers; falls back to plain round
 * robin. `reset_index` (retries, with fault avoidance) restarts the index at random.
 * NULL only for an empty list.
 */
const client_mq_t *client_fault_select(client_fault_t *f, client_publish_info_t *pi,
                                       const char *last_broker, bool reset_index, int64_t now_ms);

#endif
