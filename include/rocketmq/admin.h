/*
 * rocketmq-c public API: administration (what mqadmin does).
 *
 * An rmq_admin_t talks to the NameServers of its configuration (and, for a few calls,
 * to a broker by address). Requests to "the" NameServer go to one chosen at random when
 * the handle is created; when it cannot be reached the next one in the list is tried,
 * and it stays the chosen one (the Java client's behaviour). Calls that change state
 * on the NameServers (KV put/delete) go to every configured NameServer, as Java's
 * MQClientAPIImpl does.
 *
 * Every call blocks the calling thread until the answer or the configured
 * mqClientApiTimeout. Results are immutable objects the caller owns and frees with
 * their *_destroy function; pointers read from a result are borrowed and live as long
 * as the result.
 *
 * Thread-safety: all rmq_admin_* calls on one handle may run concurrently from any
 * threads, except rmq_admin_destroy, which must be the last call on the handle. Result
 * objects may be read from any thread.
 *
 * Errors: see err.h. A positive code is the server's response code and errstr gets
 * its remark.
 */
#ifndef ROCKETMQ_ADMIN_H
#define ROCKETMQ_ADMIN_H

#include <rocketmq/conf.h>
#include <rocketmq/consumer.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rmq_admin_s rmq_admin_t;

/* ------------------------------------------------------------------ results */

/* A broker name's addresses (BrokerData). Borrowed from the result holding it. */
typedef struct rmq_broker_data_s rmq_broker_data_t;

RMQ_EXPORT const char *rmq_broker_data_name(const rmq_broker_data_t *bd);
RMQ_EXPORT const char *rmq_broker_data_cluster(const rmq_broker_data_t *bd);
/* Zone name, or NULL when the broker has none. */
RMQ_EXPORT const char *rmq_broker_data_zone(const rmq_broker_data_t *bd);
RMQ_EXPORT int rmq_broker_data_enable_acting_master(const rmq_broker_data_t *bd);
/* Addresses, sorted by broker id (0 = master). */
RMQ_EXPORT size_t rmq_broker_data_addr_count(const rmq_broker_data_t *bd);
RMQ_EXPORT int64_t rmq_broker_data_addr_id(const rmq_broker_data_t *bd, size_t i);
RMQ_EXPORT const char *rmq_broker_data_addr(const rmq_broker_data_t *bd, size_t i);
/* Address of broker id `id`, or NULL. */
RMQ_EXPORT const char *rmq_broker_data_addr_by_id(const rmq_broker_data_t *bd, int64_t id);

/* Cluster info (GET_BROKER_CLUSTER_INFO). */
typedef struct rmq_cluster_info_s rmq_cluster_info_t;

/* Clusters, in the order Java's HashMap iterates them (what mqadmin prints). */
RMQ_EXPORT size_t rmq_cluster_info_cluster_count(const rmq_cluster_info_t *ci);
RMQ_EXPORT const char *rmq_cluster_info_cluster_name(const rmq_cluster_info_t *ci, size_t i);
/* Broker names of cluster i, sorted. */
RMQ_EXPORT size_t rmq_cluster_info_cluster_broker_count(const rmq_cluster_info_t *ci, size_t i);
RMQ_EXPORT const char *rmq_cluster_info_cluster_broker(const rmq_cluster_info_t *ci, size_t i,
                                                       size_t j);
/* Every broker name's data, as sent. */
RMQ_EXPORT size_t rmq_cluster_info_broker_count(const rmq_cluster_info_t *ci);
RMQ_EXPORT const rmq_broker_data_t *rmq_cluster_info_broker(const rmq_cluster_info_t *ci, size_t i);
/* The data of broker name `name`, or NULL. */
RMQ_EXPORT const rmq_broker_data_t *rmq_cluster_info_find_broker(const rmq_cluster_info_t *ci,
                                                                 const char *name);
RMQ_EXPORT void rmq_cluster_info_destroy(rmq_cluster_info_t *ci);

/* One broker name's queues of a topic (QueueData). Borrowed from its route. */
typedef struct rmq_queue_data_s rmq_queue_data_t;

RMQ_EXPORT const char *rmq_queue_data_broker_name(const rmq_queue_data_t *qd);
RMQ_EXPORT int rmq_queue_data_read_queue_nums(const rmq_queue_data_t *qd);
RMQ_EXPORT int rmq_queue_data_write_queue_nums(const rmq_queue_data_t *qd);
/* Permission bits: RMQ_PERM_* below. */
RMQ_EXPORT int rmq_queue_data_perm(const rmq_queue_data_t *qd);
RMQ_EXPORT int rmq_queue_data_topic_sys_flag(const rmq_queue_data_t *qd);

#define RMQ_PERM_PRIORITY 0x8
#define RMQ_PERM_READ     0x4
#define RMQ_PERM_WRITE    0x2
#define RMQ_PERM_INHERIT  0x1

/* A topic's route (GET_ROUTEINFO_BY_TOPIC). */
typedef struct rmq_topic_route_s rmq_topic_route_t;

RMQ_EXPORT size_t rmq_topic_route_queue_data_count(const rmq_topic_route_t *route);
RMQ_EXPORT const rmq_queue_data_t *rmq_topic_route_queue_data(const rmq_topic_route_t *route,
                                                              size_t i);
RMQ_EXPORT size_t rmq_topic_route_broker_count(const rmq_topic_route_t *route);
RMQ_EXPORT const rmq_broker_data_t *rmq_topic_route_broker(const rmq_topic_route_t *route,
                                                           size_t i);
/* "brokerA:4;brokerB:4" for ordered topics, else NULL. */
RMQ_EXPORT const char *rmq_topic_route_order_topic_conf(const rmq_topic_route_t *route);

#define RMQ_JSON_PRETTY 0x1

/*
 * The route as JSON, as the Java TopicRouteData.toJson(pretty) renders it (fastjson:
 * bean properties sorted, broker ids as bare numeric keys; RMQ_JSON_PRETTY indents with
 * tabs like `mqadmin topicRoute`). Free with rmq_mem_free().
 */
RMQ_EXPORT char *rmq_topic_route_to_json(const rmq_topic_route_t *route, int flags);
RMQ_EXPORT void rmq_topic_route_destroy(rmq_topic_route_t *route);

/* A list of strings (topic lists). */
typedef struct rmq_strlist_s rmq_strlist_t;

RMQ_EXPORT size_t rmq_strlist_count(const rmq_strlist_t *l);
RMQ_EXPORT const char *rmq_strlist_get(const rmq_strlist_t *l, size_t i);
RMQ_EXPORT void rmq_strlist_destroy(rmq_strlist_t *l);

/* An ordered list of unique keys with values (KV tables, properties, runtime stats). */
typedef struct rmq_kvlist_s rmq_kvlist_t;

/* An empty list to fill with rmq_kvlist_set (for rmq_admin_namesrv_config_update). */
RMQ_EXPORT rmq_kvlist_t *rmq_kvlist_new(void);
/* Inserts or replaces (both copied). */
RMQ_EXPORT void rmq_kvlist_set(rmq_kvlist_t *l, const char *key, const char *value);
RMQ_EXPORT size_t rmq_kvlist_count(const rmq_kvlist_t *l);
RMQ_EXPORT const char *rmq_kvlist_key(const rmq_kvlist_t *l, size_t i);
RMQ_EXPORT const char *rmq_kvlist_value(const rmq_kvlist_t *l, size_t i);
/* Value of `key`, or NULL. */
RMQ_EXPORT const char *rmq_kvlist_get(const rmq_kvlist_t *l, const char *key);
RMQ_EXPORT void rmq_kvlist_destroy(rmq_kvlist_t *l);

/* ------------------------------------------------------------------ handle */

/*
 * A new admin handle. Copies `conf` (NULL = defaults). Fails (NULL, errstr filled) when
 * no NameServer address is configured (namesrvAddr or NAMESRV_ADDR) or an address is
 * not "host:port". Starts one I/O thread; connects lazily.
 */
RMQ_EXPORT rmq_admin_t *rmq_admin_new(const rmq_conf_t *conf, char *errstr, size_t errlen);

/* Closes connections and joins the I/O thread. NULL is fine. Not concurrently with
 * other calls on the same handle. */
RMQ_EXPORT void rmq_admin_destroy(rmq_admin_t *admin);

/* The configured NameServer addresses, in configuration order. Borrowed. */
RMQ_EXPORT size_t rmq_admin_namesrv_count(const rmq_admin_t *admin);
RMQ_EXPORT const char *rmq_admin_namesrv_addr(const rmq_admin_t *admin, size_t i);

/* ------------------------------------------------------------------ NameServer */

/* Cluster and broker names and addresses. *out: free with rmq_cluster_info_destroy. */
RMQ_EXPORT rmq_err_t rmq_admin_cluster_info(rmq_admin_t *admin, rmq_cluster_info_t **out,
                                            char *errstr, size_t errlen);

/* Route of `topic`; RMQ_ERR_TOPIC_NOT_EXIST when there is none.
 * *out: free with rmq_topic_route_destroy. */
RMQ_EXPORT rmq_err_t rmq_admin_topic_route(rmq_admin_t *admin, const char *topic,
                                           rmq_topic_route_t **out, char *errstr, size_t errlen);

/* Every topic the NameServer knows (GET_ALL_TOPIC_LIST_FROM_NAMESERVER), in its order.
 * *out: free with rmq_strlist_destroy. */
RMQ_EXPORT rmq_err_t rmq_admin_topic_list(rmq_admin_t *admin, rmq_strlist_t **out, char *errstr,
                                          size_t errlen);

/* Topics on the brokers of one cluster (GET_TOPICS_BY_CLUSTER). */
RMQ_EXPORT rmq_err_t rmq_admin_topic_list_by_cluster(rmq_admin_t *admin, const char *cluster,
                                                     rmq_strlist_t **out, char *errstr,
                                                     size_t errlen);

/* KV configuration. put and delete go to every configured NameServer; the last
 * failure, if any, is returned after all were tried. */
RMQ_EXPORT rmq_err_t rmq_admin_kv_put(rmq_admin_t *admin, const char *ns, const char *key,
                                      const char *value, char *errstr, size_t errlen);
/* RMQ_ERR_QUERY_NOT_FOUND when absent. *value: free with rmq_mem_free. */
RMQ_EXPORT rmq_err_t rmq_admin_kv_get(rmq_admin_t *admin, const char *ns, const char *key,
                                      char **value, char *errstr, size_t errlen);
RMQ_EXPORT rmq_err_t rmq_admin_kv_delete(rmq_admin_t *admin, const char *ns, const char *key,
                                         char *errstr, size_t errlen);
/* Every key of namespace `ns`; RMQ_ERR_QUERY_NOT_FOUND when the namespace is empty.
 * *out: free with rmq_kvlist_destroy. */
RMQ_EXPORT rmq_err_t rmq_admin_kv_list(rmq_admin_t *admin, const char *ns, rmq_kvlist_t **out,
                                       char *errstr, size_t errlen);

/*
 * The configuration of the NameServer at `namesrv_addr` (NULL = the chosen one) as
 * properties, in the order it sent them. *out: free with rmq_kvlist_destroy.
 */
RMQ_EXPORT rmq_err_t rmq_admin_namesrv_config_get(rmq_admin_t *admin, const char *namesrv_addr,
                                                  rmq_kvlist_t **out, char *errstr, size_t errlen);
/*
 * Updates configuration keys of the NameServer at `namesrv_addr` (NULL = every configured
 * NameServer; the last failure is returned after all were tried). `props` is kept by
 * the caller. An empty list does nothing.
 */
RMQ_EXPORT rmq_err_t rmq_admin_namesrv_config_update(rmq_admin_t *admin, const char *namesrv_addr,
                                                     const rmq_kvlist_t *props, char *errstr,
                                                     size_t errlen);

/*
 * Clears (wipe) or restores (add) write permission of every topic of broker name
 * `broker_name` on the NameServer at `namesrv_addr` (NULL = the chosen one).
 * *topic_count (may be NULL) gets the number of topics changed.
 */
RMQ_EXPORT rmq_err_t rmq_admin_wipe_write_perm(rmq_admin_t *admin, const char *namesrv_addr,
                                               const char *broker_name, int *topic_count,
                                               char *errstr, size_t errlen);
RMQ_EXPORT rmq_err_t rmq_admin_add_write_perm(rmq_admin_t *admin, const char *namesrv_addr,
                                              const char *broker_name, int *topic_count,
                                              char *errstr, size_t errlen);

/* ------------------------------------------------------------------ broker */

/* A broker's runtime statistics (GET_BROKER_RUNTIME_INFO): "brokerVersionDesc",
 * "putTps", ... *out: free with rmq_kvlist_destroy. */
RMQ_EXPORT rmq_err_t rmq_admin_broker_runtime_info(rmq_admin_t *admin, const char *broker_addr,
                                                   rmq_kvlist_t **out, char *errstr, size_t errlen);

/* ------------------------------------------------------------------ broker: topics, groups */

/* What rmq_admin_topic_create sends (TopicConfig as CreateTopicRequestHeader carries it).
 * Initialise with rmq_admin_topic_config_init, then set what differs. */
typedef struct {
    const char *topic;
    int read_queue_nums;    /* default 8 (mqadmin's default) */
    int write_queue_nums;   /* default 8 */
    int perm;               /* RMQ_PERM_* bits, default READ|WRITE */
    int topic_sys_flag;     /* default 0 */
    int order;              /* boolean, default 0 */
    const char *attributes; /* "+k=v,+k2=v2,-k3" or NULL */
} rmq_admin_topic_config_t;

RMQ_EXPORT void rmq_admin_topic_config_init(rmq_admin_topic_config_t *tc, const char *topic);

/* Creates or updates a topic on one broker (UPDATE_AND_CREATE_TOPIC). */
RMQ_EXPORT rmq_err_t rmq_admin_topic_create(rmq_admin_t *admin, const char *broker_addr,
                                            const rmq_admin_topic_config_t *tc, char *errstr,
                                            size_t errlen);
/* Deletes a topic from one broker (DELETE_TOPIC_IN_BROKER). */
RMQ_EXPORT rmq_err_t rmq_admin_topic_delete_in_broker(rmq_admin_t *admin, const char *broker_addr,
                                                      const char *topic, char *errstr,
                                                      size_t errlen);
/* Deletes a topic's route of cluster `cluster` (NULL = every cluster) from the NameServer
 * at `namesrv_addr` (NULL = every configured one; the last failure is returned). */
RMQ_EXPORT rmq_err_t rmq_admin_topic_delete_in_namesrv(rmq_admin_t *admin, const char *namesrv_addr,
                                                       const char *cluster, const char *topic,
                                                       char *errstr, size_t errlen);

/* What rmq_admin_sub_group_create sends (SubscriptionGroupConfig's JSON body).
 * rmq_admin_sub_group_config_init sets the Java class's defaults. */
typedef struct {
    const char *group;
    int consume_enable;                       /* default 1 */
    int consume_from_min_enable;              /* default 1 */
    int consume_broadcast_enable;             /* default 1 */
    int consume_message_orderly;              /* default 0 */
    int retry_queue_nums;                     /* default 1 */
    int retry_max_times;                      /* default 16 */
    int64_t broker_id;                        /* default 0 */
    int64_t which_broker_when_consume_slowly; /* default 1 */
    int notify_consumer_ids_changed_enable;   /* default 1 */
    int group_sys_flag;                       /* default 0 */
    int consume_timeout_minute;               /* default 15 */
    const char *group_retry_policy_json; /* raw GroupRetryPolicy JSON, or NULL for the default */
} rmq_admin_sub_group_config_t;

RMQ_EXPORT void rmq_admin_sub_group_config_init(rmq_admin_sub_group_config_t *sg,
                                                const char *group);
/* Creates or updates a subscription group on one broker
 * (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP). */
RMQ_EXPORT rmq_err_t rmq_admin_sub_group_create(rmq_admin_t *admin, const char *broker_addr,
                                                const rmq_admin_sub_group_config_t *sg,
                                                char *errstr, size_t errlen);
/* Deletes a subscription group from one broker (DELETE_SUBSCRIPTIONGROUP); clean_offset
 * also drops its committed offsets. */
RMQ_EXPORT rmq_err_t rmq_admin_sub_group_delete(rmq_admin_t *admin, const char *broker_addr,
                                                const char *group, int clean_offset, char *errstr,
                                                size_t errlen);

/* ------------------------------------------------------------------ broker: statistics */

/* Per-queue offsets of a topic on one broker (GET_TOPIC_STATS_INFO), in the order sent. */
typedef struct rmq_topic_stats_s rmq_topic_stats_t;

RMQ_EXPORT size_t rmq_topic_stats_count(const rmq_topic_stats_t *ts);
RMQ_EXPORT const char *rmq_topic_stats_topic(const rmq_topic_stats_t *ts, size_t i);
RMQ_EXPORT const char *rmq_topic_stats_broker_name(const rmq_topic_stats_t *ts, size_t i);
RMQ_EXPORT int rmq_topic_stats_queue_id(const rmq_topic_stats_t *ts, size_t i);
RMQ_EXPORT int64_t rmq_topic_stats_min_offset(const rmq_topic_stats_t *ts, size_t i);
RMQ_EXPORT int64_t rmq_topic_stats_max_offset(const rmq_topic_stats_t *ts, size_t i);
/* Store time (ms) of the last message, 0 when none. */
RMQ_EXPORT int64_t rmq_topic_stats_last_update(const rmq_topic_stats_t *ts, size_t i);
RMQ_EXPORT double rmq_topic_stats_put_tps(const rmq_topic_stats_t *ts);
RMQ_EXPORT void rmq_topic_stats_destroy(rmq_topic_stats_t *ts);

/* *out: free with rmq_topic_stats_destroy. */
RMQ_EXPORT rmq_err_t rmq_admin_topic_stats(rmq_admin_t *admin, const char *broker_addr,
                                           const char *topic, rmq_topic_stats_t **out, char *errstr,
                                           size_t errlen);

/* Per-queue progress of a consumer group on one broker (GET_CONSUME_STATS). */
typedef struct rmq_consume_stats_s rmq_consume_stats_t;

RMQ_EXPORT size_t rmq_consume_stats_count(const rmq_consume_stats_t *cs);
RMQ_EXPORT const char *rmq_consume_stats_topic(const rmq_consume_stats_t *cs, size_t i);
RMQ_EXPORT const char *rmq_consume_stats_broker_name(const rmq_consume_stats_t *cs, size_t i);
RMQ_EXPORT int rmq_consume_stats_queue_id(const rmq_consume_stats_t *cs, size_t i);
RMQ_EXPORT int64_t rmq_consume_stats_broker_offset(const rmq_consume_stats_t *cs, size_t i);
RMQ_EXPORT int64_t rmq_consume_stats_consumer_offset(const rmq_consume_stats_t *cs, size_t i);
RMQ_EXPORT int64_t rmq_consume_stats_pull_offset(const rmq_consume_stats_t *cs, size_t i);
RMQ_EXPORT int64_t rmq_consume_stats_last_timestamp(const rmq_consume_stats_t *cs, size_t i);
RMQ_EXPORT double rmq_consume_stats_consume_tps(const rmq_consume_stats_t *cs);
RMQ_EXPORT void rmq_consume_stats_destroy(rmq_consume_stats_t *cs);

/* `topic` may be NULL (every topic the group subscribes). *out: free with
 * rmq_consume_stats_destroy. */
RMQ_EXPORT rmq_err_t rmq_admin_consume_stats(rmq_admin_t *admin, const char *broker_addr,
                                             const char *group, const char *topic,
                                             rmq_consume_stats_t **out, char *errstr,
                                             size_t errlen);

/* ------------------------------------------------------------------ broker: connections */

/* The clients of a group on one broker (GET_CONSUMER_CONNECTION_LIST,
 * GET_PRODUCER_CONNECTION_LIST). */
typedef struct rmq_connections_s rmq_connections_t;

RMQ_EXPORT size_t rmq_connections_count(const rmq_connections_t *c);
RMQ_EXPORT const char *rmq_connections_client_id(const rmq_connections_t *c, size_t i);
RMQ_EXPORT const char *rmq_connections_client_addr(const rmq_connections_t *c, size_t i);
/* LanguageCode name: "JAVA", "CPP", ... */
RMQ_EXPORT const char *rmq_connections_language(const rmq_connections_t *c, size_t i);
/* MQVersion ordinal. */
RMQ_EXPORT int rmq_connections_version(const rmq_connections_t *c, size_t i);
/* Consumers only (NULL for producers): ConsumeType, MessageModel and ConsumeFromWhere
 * names. */
RMQ_EXPORT const char *rmq_connections_consume_type(const rmq_connections_t *c);
RMQ_EXPORT const char *rmq_connections_message_model(const rmq_connections_t *c);
RMQ_EXPORT const char *rmq_connections_consume_from_where(const rmq_connections_t *c);
/* Consumers only: the subscriptions (topic and expression), in the order sent. */
RMQ_EXPORT size_t rmq_connections_sub_count(const rmq_connections_t *c);
RMQ_EXPORT const char *rmq_connections_sub_topic(const rmq_connections_t *c, size_t i);
RMQ_EXPORT const char *rmq_connections_sub_expression(const rmq_connections_t *c, size_t i);
RMQ_EXPORT void rmq_connections_destroy(rmq_connections_t *c);

/* *out: free with rmq_connections_destroy (an empty list when nobody is connected). */
RMQ_EXPORT rmq_err_t rmq_admin_consumer_connections(rmq_admin_t *admin, const char *broker_addr,
                                                    const char *group, rmq_connections_t **out,
                                                    char *errstr, size_t errlen);
RMQ_EXPORT rmq_err_t rmq_admin_producer_connections(rmq_admin_t *admin, const char *broker_addr,
                                                    const char *group, rmq_connections_t **out,
                                                    char *errstr, size_t errlen);

/* ------------------------------------------------------------------ broker: configuration */

/* The broker's configuration (GET_BROKER_CONFIG) as properties, in the order it sent
 * them. *out: free with rmq_kvlist_destroy. */
RMQ_EXPORT rmq_err_t rmq_admin_broker_config_get(rmq_admin_t *admin, const char *broker_addr,
                                                 rmq_kvlist_t **out, char *errstr, size_t errlen);
/* Updates keys of the broker's configuration (UPDATE_BROKER_CONFIG). An empty list does
 * nothing. */
RMQ_EXPORT rmq_err_t rmq_admin_broker_config_update(rmq_admin_t *admin, const char *broker_addr,
                                                    const rmq_kvlist_t *props, char *errstr,
                                                    size_t errlen);

/* ------------------------------------------------------------------ broker: offsets */

/* Queue offsets (a Map<MessageQueue, Long>), in the order Java's HashMap holding them
 * iterates (what mqadmin prints). */
typedef struct rmq_offset_table_s rmq_offset_table_t;

RMQ_EXPORT size_t rmq_offset_table_count(const rmq_offset_table_t *t);
RMQ_EXPORT const char *rmq_offset_table_topic(const rmq_offset_table_t *t, size_t i);
RMQ_EXPORT const char *rmq_offset_table_broker_name(const rmq_offset_table_t *t, size_t i);
RMQ_EXPORT int rmq_offset_table_queue_id(const rmq_offset_table_t *t, size_t i);
RMQ_EXPORT int64_t rmq_offset_table_offset(const rmq_offset_table_t *t, size_t i);
RMQ_EXPORT void rmq_offset_table_destroy(rmq_offset_table_t *t);

/*
 * Moves group's committed offsets of `topic` on one broker to the first message stored
 * at or after `timestamp` (ms) and tells the group's online clients
 * (INVOKE_BROKER_TO_RESET_OFFSET). `force` 0 only moves offsets backwards. *out (may be
 * NULL) gets the new offsets: free with rmq_offset_table_destroy. The request declares
 * the JAVA language, as Java's admin does by default: a broker that resets through the
 * clients would otherwise send them the C++ clients' body, which Java consumers ignore.
 */
RMQ_EXPORT rmq_err_t rmq_admin_reset_offset_by_time(rmq_admin_t *admin, const char *broker_addr,
                                                    const char *topic, const char *group,
                                                    int64_t timestamp, int force,
                                                    rmq_offset_table_t **out, char *errstr,
                                                    size_t errlen);

/*
 * Sets group's committed offset of queue (topic, queue_id) on one broker to `offset`
 * and tells the group's online clients (INVOKE_BROKER_TO_RESET_OFFSET with queueId and
 * offset, as DefaultMQAdminExt.resetOffsetByQueueId's second step).
 */
RMQ_EXPORT rmq_err_t rmq_admin_reset_offset_by_queue(rmq_admin_t *admin, const char *broker_addr,
                                                     const char *topic, const char *group,
                                                     int queue_id, int64_t offset, char *errstr,
                                                     size_t errlen);
/* Writes group's committed offset of one queue on one broker (UPDATE_CONSUMER_OFFSET);
 * the clients are not told. */
RMQ_EXPORT rmq_err_t rmq_admin_update_consumer_offset(rmq_admin_t *admin, const char *broker_addr,
                                                      const char *group, const char *topic,
                                                      int queue_id, int64_t offset, char *errstr,
                                                      size_t errlen);
/* rmq_admin_search_offset on the broker at `broker_addr`. */
RMQ_EXPORT rmq_err_t rmq_admin_broker_search_offset(rmq_admin_t *admin, const char *broker_addr,
                                                    const char *topic, int queue_id,
                                                    int64_t timestamp, int64_t *out, char *errstr,
                                                    size_t errlen);

/* The consumer groups with offsets or subscriptions for `topic` on one broker
 * (QUERY_TOPIC_CONSUME_BY_WHO), in Java HashSet order. *out: free with
 * rmq_strlist_destroy. */
RMQ_EXPORT rmq_err_t rmq_admin_topic_consumers(rmq_admin_t *admin, const char *broker_addr,
                                               const char *topic, rmq_strlist_t **out, char *errstr,
                                               size_t errlen);

/* ------------------------------------------------------------------ broker: messages */

/* Messages found by a lookup, in the order the brokers returned them. The messages are
 * borrowed from the list. */
typedef struct rmq_admin_msgs_s rmq_admin_msgs_t;

RMQ_EXPORT size_t rmq_admin_msgs_count(const rmq_admin_msgs_t *l);
RMQ_EXPORT const rmq_message_ext_t *rmq_admin_msgs_get(const rmq_admin_msgs_t *l, size_t i);
RMQ_EXPORT void rmq_admin_msgs_destroy(rmq_admin_msgs_t *l);

/*
 * The message an offset message id names (VIEW_MESSAGE_BY_ID to the store host in the
 * id, at the commit-log offset in it). `topic` may be NULL. RMQ_ERR__INVALID_ARG when
 * the id is not an offset id (32 or 56 hex digits). *out: free with
 * rmq_message_ext_destroy.
 */
RMQ_EXPORT rmq_err_t rmq_admin_view_message(rmq_admin_t *admin, const char *topic,
                                            const char *offset_msg_id, rmq_message_ext_t **out,
                                            char *errstr, size_t errlen);

/*
 * Messages of `topic` with key `key` (uniq_key 0) or message id (UNIQ_KEY, uniq_key 1)
 * stored between begin and end (ms): QUERY_MESSAGE to one address (the master, else a
 * slave) of every broker name of the topic's route, restricted to cluster `cluster`
 * when not NULL; brokers that fail are skipped, as Java does. At most max_num per
 * broker. *out (possibly empty): free with rmq_admin_msgs_destroy.
 */
RMQ_EXPORT rmq_err_t rmq_admin_query_message(rmq_admin_t *admin, const char *cluster,
                                             const char *topic, const char *key, int max_num,
                                             int64_t begin, int64_t end, int uniq_key,
                                             rmq_admin_msgs_t **out, char *errstr, size_t errlen);

/*
 * The message at `offset` of queue (topic, broker_name, queue_id): one PULL_MESSAGE of
 * the group TOOLS_CONSUMER to the broker's master, as DefaultMQPullConsumer.pull(mq,
 * "*", offset, 1). *out is NULL when the queue has no message there (no new message,
 * offset illegal); otherwise free with rmq_message_ext_destroy. The message carries
 * MIN_OFFSET and MAX_OFFSET properties, as Java's pull result does.
 */
RMQ_EXPORT rmq_err_t rmq_admin_pull_one(rmq_admin_t *admin, const char *broker_name,
                                        const char *topic, int queue_id, int64_t offset,
                                        rmq_message_ext_t **out, char *errstr, size_t errlen);

/* What a pull found (Java's PullStatus, in its order). */
typedef enum {
    RMQ_ADMIN_PULL_FOUND,
    RMQ_ADMIN_PULL_NO_NEW_MSG,
    RMQ_ADMIN_PULL_NO_MATCHED_MSG,
    RMQ_ADMIN_PULL_OFFSET_ILLEGAL,
} rmq_admin_pull_status_t;

/* PullStatus name: "FOUND", "NO_NEW_MSG", "NO_MATCHED_MSG", "OFFSET_ILLEGAL". */
RMQ_EXPORT const char *rmq_admin_pull_status_name(rmq_admin_pull_status_t status);

/*
 * Up to max_nums messages from `offset` of queue (topic, broker_name, queue_id): one
 * PULL_MESSAGE of `group` (NULL = TOOLS_CONSUMER) with subscription "*" to the broker's
 * master (else a slave), as DefaultMQPullConsumer.pull(mq, "*", offset, max_nums); the
 * broker may return fewer. *status and *next_begin_offset get the pull's outcome; *msgs
 * (possibly empty, never NULL on success; free with rmq_admin_msgs_destroy) the messages
 * with MIN_OFFSET and MAX_OFFSET properties, as Java's pull result has them.
 */
RMQ_EXPORT rmq_err_t rmq_admin_pull(rmq_admin_t *admin, const char *group, const char *broker_name,
                                    const char *topic, int queue_id, int64_t offset, int max_nums,
                                    rmq_admin_pull_status_t *status, int64_t *next_begin_offset,
                                    rmq_admin_msgs_t **msgs, char *errstr, size_t errlen);

/*
 * Offsets of queue (topic, broker_name, queue_id) from the broker's master, as Java's
 * MQAdminImpl: the minimum (GET_MIN_OFFSET), the maximum (GET_MAX_OFFSET: the next
 * offset to be written), and the first offset stored at or after `timestamp` (ms,
 * SEARCH_OFFSET_BY_TIMESTAMP, LOWER boundary). RMQ_ERR__INVALID_ARG with "The
 * broker[name] not exist" when the route has no master of that name.
 */
RMQ_EXPORT rmq_err_t rmq_admin_min_offset(rmq_admin_t *admin, const char *broker_name,
                                          const char *topic, int queue_id, int64_t *out,
                                          char *errstr, size_t errlen);
RMQ_EXPORT rmq_err_t rmq_admin_max_offset(rmq_admin_t *admin, const char *broker_name,
                                          const char *topic, int queue_id, int64_t *out,
                                          char *errstr, size_t errlen);
RMQ_EXPORT rmq_err_t rmq_admin_search_offset(rmq_admin_t *admin, const char *broker_name,
                                             const char *topic, int queue_id, int64_t timestamp,
                                             int64_t *out, char *errstr, size_t errlen);

/* ------------------------------------------------------------------ clients, through a broker */

/* A consumer's running information (ConsumerRunningInfo), as the client sent it. */
typedef struct rmq_running_info_s rmq_running_info_t;

/* The queues of its mqTable (those it is assigned), in the order sent. */
RMQ_EXPORT size_t rmq_running_info_queue_count(const rmq_running_info_t *ri);
RMQ_EXPORT const char *rmq_running_info_queue_topic(const rmq_running_info_t *ri, size_t i);
RMQ_EXPORT const char *rmq_running_info_queue_broker_name(const rmq_running_info_t *ri, size_t i);
RMQ_EXPORT int rmq_running_info_queue_id(const rmq_running_info_t *ri, size_t i);
/* The whole body (fastjson text), NUL-terminated. */
RMQ_EXPORT const char *rmq_running_info_json(const rmq_running_info_t *ri);
/* A value of its properties ("PROP_CONSUME_TYPE", "PROP_CLIENT_VERSION", ...), or NULL. */
RMQ_EXPORT const char *rmq_running_info_property(const rmq_running_info_t *ri, const char *key);
RMQ_EXPORT void rmq_running_info_destroy(rmq_running_info_t *ri);

/*
 * The running information of client `client_id` of consumer group `group`
 * (GET_CONSUMER_RUNNING_INFO to the first broker of the route of %RETRY%group, which asks
 * the client over its connection), with the client's thread stacks when `jstack`.
 * *out: free with rmq_running_info_destroy.
 */
RMQ_EXPORT rmq_err_t rmq_admin_consumer_running_info(rmq_admin_t *admin, const char *group,
                                                     const char *client_id, int jstack,
                                                     rmq_running_info_t **out, char *errstr,
                                                     size_t errlen);

/* What a client answered to a message pushed to it (ConsumeMessageDirectlyResult). */
typedef struct rmq_consume_directly_result_s rmq_consume_directly_result_t;

RMQ_EXPORT int rmq_consume_directly_result_order(const rmq_consume_directly_result_t *r);
RMQ_EXPORT int rmq_consume_directly_result_auto_commit(const rmq_consume_directly_result_t *r);
/* CMResult name ("CR_SUCCESS", "CR_LATER", ...) or NULL. */
RMQ_EXPORT const char *
rmq_consume_directly_result_consume_result(const rmq_consume_directly_result_t *r);
/* NULL when the client sent none. */
RMQ_EXPORT const char *rmq_consume_directly_result_remark(const rmq_consume_directly_result_t *r);
RMQ_EXPORT int64_t
rmq_consume_directly_result_spent_time_mills(const rmq_consume_directly_result_t *r);
RMQ_EXPORT void rmq_consume_directly_result_destroy(rmq_consume_directly_result_t *r);

/*
 * Has client `client_id` of `group` consume the message with offset id `offset_msg_id`
 * (CONSUME_MESSAGE_DIRECTLY to `broker_addr`, the broker that stored it, which relays
 * the stored message to the client's listener). `topic` may be NULL.
 * *out: free with rmq_consume_directly_result_destroy.
 */
RMQ_EXPORT rmq_err_t rmq_admin_consume_message_directly(rmq_admin_t *admin, const char *broker_addr,
                                                        const char *group, const char *client_id,
                                                        const char *topic,
                                                        const char *offset_msg_id,
                                                        rmq_consume_directly_result_t **out,
                                                        char *errstr, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
