/*
 * Private to the broker library: the administration side (spec remoting.md 4.3, 5.5),
 * the request codes RocketMQ's mqadmin and the dashboard send to a broker.
 *
 * Files: admin_topic.c (topics: 17, 215, 21, 202, 300), admin_group.c (subscription
 * groups and consumer offsets: 200, 201, 207, 208, 222, 225), admin_client.c (connections and
 * calls forwarded to clients: 203, 204, 223, 307, 309, 328), admin_runtime.c (counters, TPS
 * sampling and GET_BROKER_RUNTIME_INFO 28), admin_config.c (25, 26), admin_offset.c (offset and
 * group queries: 43, 45, 303, 305, 314, 317, 343, 345), admin_store.c (store maintenance and
 * inspection: 306, 315, 316, 321, 329).
 *
 * The counters are bumped on the send and pull paths (atomics, no lock); a TPS sample
 * is taken at most once a second by whichever thread notices the second has passed
 * (admin.lock, briefly), so the 10 s / 60 s / 600 s rates need no timer.
 */
#ifndef RMQ_BROKER_ADMIN_H
#define RMQ_BROKER_ADMIN_H

#include "protocol/body.h"
#include "remoting/server.h"
#include "store/config_file.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define BROKER_ADMIN_SAMPLES 700 /* > 600 one-second samples */

typedef struct broker broker_t;

typedef struct {
    int64_t ts; /* wall clock ms */
    int64_t put, found, miss, transferred;
} broker_stats_sample_t;

typedef struct {
    atomic_llong put_msgs, put_failed, get_found, get_miss, get_transferred;
    atomic_llong next_sample_ms;
    int64_t boot_ms;
    pthread_mutex_t lock; /* samples, day marks, config updates */
    broker_stats_sample_t samples[BROKER_ADMIN_SAMPLES];
    size_t head, nsamples;
    int64_t day;                                      /* days since the epoch of the last sample */
    int64_t put_today_morning, put_yesterday_morning; /* totals at the last midnights */
    int64_t get_today_morning, get_yesterday_morning;
    store_data_version_t config_version;
    char **graveyard; /* replaced config strings, freed at close (readers may hold them) */
    size_t ngrave;
    /* Requests to clients (307 forwarded); remoting_conn_request unless a test sets it. */
    int (*request)(remoting_conn_t *conn, remoting_cmd_t *req, int timeout_ms,
                   remoting_response_cb cb, void *arg);
} broker_admin_t;

void broker_admin_init(broker_t *b);
void broker_admin_close(broker_t *b);

/* Hot-path counters. Runs on: I/O loops. Locks: admin.lock once a second at most. */
void broker_stats_on_put(broker_t *b, int64_t msgs);
void broker_stats_on_put_failed(broker_t *b);
void broker_stats_on_get(broker_t *b, bool found, int64_t msgs);

/* Messages per second over the last `seconds` (put, found, miss, total, transferred). */
typedef enum {
    BROKER_TPS_PUT,
    BROKER_TPS_GET_FOUND,
    BROKER_TPS_GET_MISS,
    BROKER_TPS_GET_TOTAL,
    BROKER_TPS_GET_TRANSFERRED,
} broker_tps_kind_t;
double broker_stats_tps(broker_t *b, broker_tps_kind_t kind, int seconds);

/* TopicValidator.isSystemTopic, plus this broker's cluster, name, trace and reply topics. */
bool broker_admin_is_system_topic(broker_t *b, const char *topic);
/* TopicValidator.getSystemTopicSet: the fixed set plus this broker's cluster, name, reply
 * and (when enabled) trace topics, added to out. */
void broker_admin_system_topics(broker_t *b, proto_strs_t *out);
/* From the committed offsets: the groups of topic (topic given) or the topics of group
 * (group given), each added to out once. */
void broker_admin_offset_keys(broker_t *b, const char *topic, const char *group, proto_strs_t *out);

/* Puts the JSON of all[table_key][name] in resp's body; false when absent. */
bool broker_admin_body_of_entry(rmq_buf_t *all, const char *table_key, const char *name,
                                remoting_cmd_t *resp);

/* ---- processors ---- */

#define BROKER_ADMIN_HANDLER(name)                                                                 \
    int name(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp)

BROKER_ADMIN_HANDLER(broker_admin_update_topic);             /* 17 */
BROKER_ADMIN_HANDLER(broker_admin_update_topic_list);        /* 18 */
BROKER_ADMIN_HANDLER(broker_admin_delete_topic);             /* 215 */
BROKER_ADMIN_HANDLER(broker_admin_get_all_topic_config);     /* 21 */
BROKER_ADMIN_HANDLER(broker_admin_get_topic_config);         /* 351 */
BROKER_ADMIN_HANDLER(broker_admin_get_sub_group);            /* 352 */
BROKER_ADMIN_HANDLER(broker_admin_topic_stats);              /* 202 */
BROKER_ADMIN_HANDLER(broker_admin_topic_consume_by_who);     /* 300 */
BROKER_ADMIN_HANDLER(broker_admin_update_sub_group);         /* 200 */
BROKER_ADMIN_HANDLER(broker_admin_get_all_sub_group);        /* 201 */
BROKER_ADMIN_HANDLER(broker_admin_delete_sub_group);         /* 207 */
BROKER_ADMIN_HANDLER(broker_admin_update_sub_group_list);    /* 225 */
BROKER_ADMIN_HANDLER(broker_admin_consume_stats);            /* 208 */
BROKER_ADMIN_HANDLER(broker_admin_reset_offset);             /* 222 */
BROKER_ADMIN_HANDLER(broker_admin_consumer_connections);     /* 203 */
BROKER_ADMIN_HANDLER(broker_admin_producer_connections);     /* 204 */
BROKER_ADMIN_HANDLER(broker_admin_consumer_running_info);    /* 307 */
BROKER_ADMIN_HANDLER(broker_admin_consume_message_directly); /* 309 */
BROKER_ADMIN_HANDLER(broker_admin_get_consumer_status);      /* 223 */
BROKER_ADMIN_HANDLER(broker_admin_all_producer_info);        /* 328 */
BROKER_ADMIN_HANDLER(broker_admin_runtime_info);             /* 28 */
BROKER_ADMIN_HANDLER(broker_admin_get_config);               /* 26 */
BROKER_ADMIN_HANDLER(broker_admin_update_config);            /* 25 */
/* admin_offset.c */
BROKER_ADMIN_HANDLER(broker_admin_get_all_consumer_offset);  /* 43 */
BROKER_ADMIN_HANDLER(broker_admin_get_all_delay_offset);     /* 45 */
BROKER_ADMIN_HANDLER(broker_admin_system_topic_list);        /* 305 */
BROKER_ADMIN_HANDLER(broker_admin_topics_by_consumer);       /* 343 */
BROKER_ADMIN_HANDLER(broker_admin_subscription_by_consumer); /* 345 */
BROKER_ADMIN_HANDLER(broker_admin_clone_group_offset);       /* 314 */
BROKER_ADMIN_HANDLER(broker_admin_broker_consume_stats);     /* 317 */
BROKER_ADMIN_HANDLER(broker_admin_consume_time_span);        /* 303 */
/* admin_store.c */
BROKER_ADMIN_HANDLER(broker_admin_clean_expired_cq);         /* 306 */
BROKER_ADMIN_HANDLER(broker_admin_delete_expired_commitlog); /* 329 */
BROKER_ADMIN_HANDLER(broker_admin_clean_unused_topic);       /* 316 */
BROKER_ADMIN_HANDLER(broker_admin_query_consume_queue);      /* 321 */
BROKER_ADMIN_HANDLER(broker_admin_view_stats);               /* 315 */

#endif
