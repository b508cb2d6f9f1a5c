/*
 * Private to the broker library: the context struct and the managers' interfaces.
 *
 * Files: broker.c (context, config files, store), topics.c (topic table, system topics,
 * auto-creation), groups.c (subscription groups), clients.c (producer and consumer
 * connections, subscriptions, HEART_BEAT and friends), send.c, pull.c, hold.c (long
 * polling), offset.c (consumer and queue offsets), register.c (NameServer
 * registration), service.c (servers, management thread), processor.c (dispatch table).
 *
 * Connections are reached through conn_ops so the processors can be unit tested without
 * a network: the defaults call remoting_conn_*; tests install their own and treat
 * connection pointers as opaque identities.
 */
#ifndef RMQ_BROKER_INTERNAL_H
#define RMQ_BROKER_INTERNAL_H

#include "broker/admin.h"
#include "broker/broker.h"
#include "broker/retry.h"
#include "common/map.h"
#include "protocol/heartbeat.h"
#include "protocol/message.h"
#include "remoting/dispatch.h"
#include "store/consumer_offset.h"
#include "store/store.h"
#include "store/sub_group.h"
#include "store/topic_config.h"

#include <pthread.h>
#include <stdatomic.h>

#define BROKER_CHANNEL_EXPIRED_MS 120000 /* ClientHousekeepingService */
#define BROKER_FAQ_APPLY_TOPIC                                                                     \
    "\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details."
#define BROKER_FAQ_SUBSCRIPTION_GROUP_NOT_EXIST                                                    \
    "\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details."

typedef struct {
    const char *(*peer)(const remoting_conn_t *conn);
    void (*retain)(remoting_conn_t *conn);
    void (*release)(remoting_conn_t *conn);
    int (*send)(remoting_conn_t *conn, const remoting_cmd_t *cmd);
    int (*oneway)(remoting_conn_t *conn, remoting_cmd_t *req);
    void (*close)(remoting_conn_t *conn);
    /* remoting_conn_send_segments: the body as segments, released once written. */
    int (*send_segments)(remoting_conn_t *conn, const remoting_cmd_t *cmd,
                         const remoting_segment_t *segs, size_t n);
    /* remoting_conn_run: task->run on the connection's thread, later. */
    int (*run)(remoting_conn_t *conn, remoting_task_t *task);
} broker_conn_ops_t;

/* ---- topics (topics.c) ---- */

/* What the data path needs of a topic, copied out under the lock. */
typedef struct {
    int32_t read_queue_nums, write_queue_nums, perm, topic_sys_flag;
    bool multi_tag, order;
} broker_topic_info_t;

typedef struct {
    pthread_rwlock_t lock;
    store_topics_t table;
    char *path;
    atomic_bool changed; /* a registration is due */
    /* Called (any thread) when auto-creation sets `changed`: the management loop's waker,
     * so the NameServers learn a new topic at once, as upstream registers it from the
     * send path. NULL while the service is not running (service.c). */
    _Atomic(void (*)(broker_t *b)) on_change;
} broker_topics_t;

void broker_topics_init(broker_t *b);
void broker_topics_close(broker_topics_t *t);
bool broker_topics_get(broker_t *b, const char *topic, broker_topic_info_t *info);
/* Auto-creation from the default topic (TopicConfigManager.createTopicInSendMessageMethod):
 * true and *info when the topic exists or was created. */
bool broker_topics_create_in_send(broker_t *b, const char *topic, const char *default_topic,
                                  int32_t queue_nums, int32_t topic_sys_flag,
                                  broker_topic_info_t *info);
/* Creates a topic with the given queues and perm unless it exists (retry, DLQ). */
bool broker_topics_create_if_absent(broker_t *b, const char *topic, int32_t queue_nums,
                                    int32_t perm, broker_topic_info_t *info);
int broker_topics_persist(broker_t *b);

/* ---- subscription groups (groups.c) ---- */

typedef struct {
    bool consume_enable, consume_broadcast_enable, notify_consumer_ids_changed_enable;
    int32_t retry_queue_nums, retry_max_times, group_sys_flag;
} broker_group_info_t;

/* TopicValidator.validateGroup: NULL when valid, else upstream's remark in buf. */
const char *broker_group_validate(const char *group, char *buf, size_t cap);
/* Finds the group, creating it when autoCreateSubscriptionGroup allows. */
bool broker_groups_get(broker_t *b, const char *group, bool create, broker_group_info_t *info);
int broker_groups_persist(broker_t *b);

/* ---- clients (clients.c) ---- */

typedef struct broker_clients broker_clients_t;
broker_clients_t *broker_clients_new(void);
void broker_clients_destroy(broker_clients_t *c);
/* Drops every registration (their connection references); at stop and destroy. */
void broker_clients_clear(broker_t *b);
/* Forgets every registration of conn (connection closed). */
void broker_clients_conn_closed(broker_t *b, remoting_conn_t *conn);
/* Drops channels silent for BROKER_CHANNEL_EXPIRED_MS (closing them). */
int broker_clients_scan(broker_t *b);
/*
 * The tag codes of group's subscription to topic, for the pull filter: copies up to cap
 * codes into codes (*n = count; n > cap means truncated: filter nothing), the version
 * into *sub_version. Returns 0, -ENOENT (group unknown: "group info not exist") or
 * -ESRCH (topic not subscribed), -EPERM (broadcasting group, not allowed).
 */
int broker_clients_subscription(broker_t *b, const char *group, const char *topic, int64_t *codes,
                                size_t cap, size_t *n, int64_t *sub_version);

/* A copy of one group's registration for the admin requests (copied under the lock;
 * each conn is retained until broker_client_group_close). */
typedef struct {
    char *client_id;
    char addr[64];
    remoting_lang_t language;
    int32_t version;
    int64_t last_update; /* ms of the last heartbeat */
    remoting_conn_t *conn;
} broker_client_conn_t;

typedef struct {
    char *consume_type, *message_model, *from_where; /* consumers only */
    broker_client_conn_t *conns;
    size_t nconn;
    proto_subscription_t *subs;
    size_t nsub;
} broker_client_group_t;

/* 0, or -ENOENT when the group has no registration. */
int broker_clients_consumer_copy(broker_t *b, const char *group, broker_client_group_t *out);
int broker_clients_producer_copy(broker_t *b, const char *group, broker_client_group_t *out);
void broker_client_group_close(broker_t *b, broker_client_group_t *g);
/* Every producer group with a registration, added to out. */
void broker_clients_producer_groups(broker_t *b, proto_strs_t *out);
/* Consumer groups subscribed to topic (QUERY_TOPIC_CONSUME_BY_WHO), added to out. */
void broker_clients_groups_of_topic(broker_t *b, const char *topic, proto_strs_t *out);

/* ---- long polling (hold.c) ---- */

typedef struct broker_hold broker_hold_t;
broker_hold_t *broker_hold_new(broker_t *b);
/* Answers every held pull (with a re-execution) and frees. */
void broker_hold_destroy(broker_hold_t *h);
/* Keeps a copy of req until new messages or the deadline (monotonic ms). Returns 0, or
 * -EAGAIN when pullThreadPoolQueueCapacity requests are already held. */
int broker_hold_add(broker_hold_t *h, remoting_conn_t *conn, const remoting_cmd_t *req,
                    const char *topic, int32_t queue_id, int64_t offset, int64_t deadline_ms);
/* Store dispatch hook. Runs on: the dispatch thread. Locks: the hold lock, briefly. */
void broker_hold_on_dispatch(void *h, const store_dispatch_req_t *req);
/* Re-executes the woken and expired pulls. Runs on: the management thread (or tests). */
void broker_hold_run(broker_hold_t *h, int64_t now_mono_ms);
/* How the hold service wakes its runner (the management loop's async handle). */
void broker_hold_set_waker(broker_hold_t *h, void (*wake)(void *arg), void *arg);
size_t broker_hold_count(broker_hold_t *h);

/* ---- processors (send.c, pull.c, offset.c, clients.c) ---- */

/* Frees the pool of SYNC_FLUSH waits (broker_destroy, after the store closed). */
void broker_send_pool_close(broker_t *b);

/* Re-executes a held pull (never holds again, does not commit the offset again) and
 * sends its answer, built in `resp` (the caller's, reused: reset here). */
void broker_pull_resume(broker_t *b, remoting_conn_t *conn, remoting_cmd_t *req,
                        remoting_cmd_t *resp);

int broker_send_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                        remoting_cmd_t *resp);
int broker_pull_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                        remoting_cmd_t *resp);
int broker_heartbeat_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                             remoting_cmd_t *resp);
int broker_unregister_client_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                     remoting_cmd_t *resp);
int broker_consumer_list_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp);
int broker_query_consumer_offset_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                         remoting_cmd_t *resp);
int broker_update_consumer_offset_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                          remoting_cmd_t *resp);
int broker_get_max_offset_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                  remoting_cmd_t *resp);
int broker_get_min_offset_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                  remoting_cmd_t *resp);
int broker_search_offset_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp);
int broker_earliest_time_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp);

extern const remoting_dispatch_t broker_dispatch;

/* ---- registration (register.c) ---- */

/* Builds the REGISTER_BROKER request for the current topic table. */
void broker_register_build(broker_t *b, remoting_cmd_t *req);
/* Registers with every NameServer (asynchronously when client is set). */
void broker_register_all(broker_t *b);
/* The same, then done(arg) once every NameServer has answered (or failed), on a client
 * loop thread. False when nothing was sent (no client, no address; or every answer is
 * already in): done is not called. */
bool broker_register_all_then(broker_t *b, void (*done)(void *arg), void *arg);
/* UNREGISTER_BROKER to every NameServer, waiting for each (shutdown). */
void broker_unregister_all(broker_t *b);

/* ---- the context ---- */

struct broker {
    broker_config_t cfg;
    store_t *store;
    store_host_t store_host; /* brokerIP1:listenPort */
    char addr[80];           /* "brokerIP1:listenPort" */
    char ha_addr[80];        /* "brokerIP2:haListenPort" */
    broker_topics_t topics;
    pthread_mutex_t groups_lock;
    store_sub_groups_t groups;
    char *groups_path;
    store_consumer_offsets_t offsets;
    char *offsets_path;
    broker_clients_t *clients;
    broker_hold_t *hold;
    pthread_mutex_t uniq_lock;
    proto_uniq_gen_t uniq;
    atomic_int sync_waiters; /* sends waiting for a group commit */
    pthread_mutex_t sync_pool_lock;
    struct sync_wait *sync_pool; /* finished waits for reuse (send.c) */
    size_t sync_pool_count;
    bool is_sync_flush;
    const broker_conn_ops_t *conn_ops;
    int64_t (*now_ms)(void *arg);
    void *now_arg;
    struct broker_service *service; /* set by broker_start */
    struct remoting_client *client; /* NameServer client (service.c) */
    broker_locks_t *locks;          /* orderly consumers' queue locks (locks.c) */
    broker_schedule_t *schedule;    /* delay levels (schedule.c) */
    broker_admin_t admin;           /* admin counters and state (admin_*.c) */
};

static inline int64_t broker_now(const broker_t *b) {
    return b->now_ms(b->now_arg);
}

/* For tests: connection operations and the clock. */
void broker_set_conn_ops(broker_t *b, const broker_conn_ops_t *ops);
void broker_set_clock(broker_t *b, int64_t (*now_ms)(void *arg), void *arg);
/* Persists consumerOffset.json now. */
int broker_offsets_persist(broker_t *b);

/* reply.c: a header that did not decode (SYSTEM_ERROR "the custom field <field> is null",
 * field NULL: "?"; returns 0 for the processor to return), and out's bytes moved into
 * resp's body (out is left empty). */
int broker_bad_header(remoting_cmd_t *resp, const char *field);
void broker_take_body(remoting_cmd_t *resp, rmq_buf_t *out);

#endif
