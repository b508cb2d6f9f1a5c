/*
 * Pieces the push and lite pull consumers share: received messages (MessageExt), message
 * queues, AllocateMessageQueueAveragely, the topic's queues from its route, the group's
 * consumer ids, the offset store (broker or local file) and the pull request/response.
 *
 * Threads: everything here is called from the consumers' own threads; the offset store
 * has its own mutex, the rest holds no state.
 */
#ifndef RMQ_CLIENT_CONSUMER_H
#define RMQ_CLIENT_CONSUMER_H

#include "client/instance.h"
#include "client/message.h"
#include "common/map.h"
#include "protocol/heartbeat.h"

#include <rocketmq/consumer.h>

#include <pthread.h>

/* ------------------------------------------------------------------ messages */

struct rmq_message_ext_s {
    rmq_message_t msg;
    char msg_id[57], offset_msg_id[57];
    char born_host[64], store_host[64];
    char *broker_name;
    int32_t queue_id, sys_flag, reconsume_times, body_crc, store_size;
    int64_t queue_offset, commitlog_offset, born_ts, store_ts, prepared_tx_offset;
};

typedef struct {
    rmq_message_ext_t **items;
    size_t count, cap;
} client_msgs_t;

void client_msgs_add(client_msgs_t *l, rmq_message_ext_t *m);
/* Destroys every message and the array. */
void client_msgs_close(client_msgs_t *l);

/*
 * Decodes the records of a pull body into messages of broker_name (appended to out),
 * inflating compressed bodies and splitting inner batches, as Java's
 * MessageDecoder.decodesBatch. Returns 0 or -EBADMSG (messages decoded before the bad
 * record are kept).
 */
int client_msgs_decode(rmq_slice_t body, const char *broker_name, client_msgs_t *out);

/* A property of a received message (borrowed) or NULL. */
const char *client_msg_ext_prop(const rmq_message_ext_t *m, const char *name);
/* Java's resetRetryAndNamespace: a message from %RETRY%<group> shows its RETRY_TOPIC. */
void client_msg_ext_reset_retry_topic(rmq_message_ext_t *m, const char *group);

/* ------------------------------------------------------------------ queues */

typedef struct {
    char *topic, *broker_name;
    int32_t queue_id;
} client_cmq_t;

typedef struct {
    client_cmq_t *items;
    size_t count, cap;
} client_cmqs_t;

void client_cmqs_add(client_cmqs_t *l, const char *topic, const char *broker_name, int32_t qid);
void client_cmqs_close(client_cmqs_t *l);
/* MessageQueue.compareTo: topic, broker name, queue id. */
int client_cmq_cmp(const void *a, const void *b);
/* "topic@broker@qid" (caller frees) for map keys. */
char *client_cmq_key(const char *topic, const char *broker_name, int32_t qid);

/*
 * AllocateMessageQueueAveragely: the indexes [*start, *start + *count) of the sorted mq
 * list that belong to `cid` among the sorted consumer ids. *count 0 when cid is absent.
 */
void client_allocate_averagely(const char *cid, const char *const *cids, size_t cid_count,
                               size_t mq_count, size_t *start, size_t *count);

/* The readable queues of topic from its route, sorted. */
rmq_err_t client_topic_mqs(client_instance_t *ci, const char *topic, client_cmqs_t *out,
                           char *errstr, size_t errlen);
/* GET_CONSUMER_LIST_BY_GROUP to a master of topic: the ids, sorted. */
rmq_err_t client_consumer_ids(client_instance_t *ci, const char *group, const char *topic,
                              proto_strs_t *ids, char *errstr, size_t errlen);
/* The master address of broker_name into out (from the instance's table, refreshing
 * topic's route when unknown). */
bool client_broker_master(client_instance_t *ci, const char *topic, const char *broker_name,
                          char *out, size_t outlen);

/* ------------------------------------------------------------------ offset store */

typedef struct {
    client_instance_t *ci;
    char *group;
    char *path; /* local store file; NULL = the broker */
    pthread_mutex_t mu;
    rmq_map_t table; /* mq key -> client_offset_entry_t */
} client_offset_store_t;

/* path NULL: offsets live on the broker (CLUSTERING); else in that file (BROADCASTING),
 * loaded now when it exists. */
void client_offset_store_init(client_offset_store_t *os, client_instance_t *ci, const char *group,
                              const char *path);
void client_offset_store_close(client_offset_store_t *os);
/* Local file path of Java's LocalFileOffsetStore: dir/<clientId>/<group>/offsets.json. */
char *client_offset_store_local_path(const char *dir, const char *client_id, const char *group);
/* Sets the cached offset (increase_only: only when larger, as Java's updateOffset). */
void client_offset_store_update(client_offset_store_t *os, const client_cmq_t *mq, int64_t offset,
                                bool increase_only);
/*
 * The offset to start mq at: from the store (the broker's QUERY_CONSUMER_OFFSET, or the
 * file), -1 when there is none (then *err is 0), or a failure in *err.
 */
int64_t client_offset_store_read(client_offset_store_t *os, const client_cmq_t *mq, bool from_store,
                                 rmq_err_t *err);
/* Writes every cached offset (UPDATE_CONSUMER_OFFSET per queue, or the file). */
rmq_err_t client_offset_store_persist(client_offset_store_t *os);
/* Persists then forgets mq. */
void client_offset_store_remove(client_offset_store_t *os, const client_cmq_t *mq);

/* GET_MAX_OFFSET / SEARCH_OFFSET_BY_TIMESTAMP of mq on its master. */
rmq_err_t client_queue_max_offset(client_instance_t *ci, const client_cmq_t *mq, int64_t *out);
rmq_err_t client_queue_search_offset(client_instance_t *ci, const client_cmq_t *mq, int64_t ts_ms,
                                     int64_t *out);
/*
 * Java's computePullFromWhere for a queue new to this consumer: the stored offset, else
 * per consume_from_where ("CONSUME_FROM_LAST_OFFSET": the max offset, 0 for retry
 * topics; "..._FIRST_OFFSET": 0; "..._TIMESTAMP": the offset at ts_ms).
 */
rmq_err_t client_compute_pull_from(client_offset_store_t *os, const client_cmq_t *mq,
                                   const char *consume_from_where, int64_t ts_ms, int64_t *out);

/* ------------------------------------------------------------------ pull */

/* Builds a PULL_MESSAGE request (Java's PullAPIWrapper.pullKernelImpl header). */
remoting_cmd_t *client_pull_request(const char *group, const client_cmq_t *mq, int64_t offset,
                                    int32_t max_nums, int64_t commit_offset, bool suspend,
                                    const proto_subscription_t *sub, int64_t suspend_ms);

typedef enum {
    CLIENT_PULL_FOUND,
    CLIENT_PULL_NO_NEW_MSG,
    CLIENT_PULL_NO_MATCHED_MSG,
    CLIENT_PULL_OFFSET_ILLEGAL,
    CLIENT_PULL_ERROR,
} client_pull_status_t;

typedef struct {
    client_pull_status_t status;
    int64_t next_begin_offset, min_offset, max_offset;
    client_msgs_t msgs; /* FOUND: after tag filtering */
} client_pull_result_t;

/* Reads a PULL_MESSAGE response: status, offsets, messages filtered by sub's tags. */
void client_pull_result_decode(const remoting_cmd_t *resp, const client_cmq_t *mq,
                               const proto_subscription_t *sub, client_pull_result_t *out);
void client_pull_result_close(client_pull_result_t *r);

/* Consumer data of a heartbeat (ownership of every string is the heartbeat's). */
void client_consumer_data_fill(proto_consumer_data_t *cd, const char *group,
                               const char *consume_type, const char *model, const char *from_where,
                               const proto_subscription_t *subs, size_t sub_count);

/* UNREGISTER_CLIENT for group to every master of the instance's topics' brokers. */
void client_consumer_unregister(client_instance_t *ci, const char *group, const char *const *topics,
                                size_t topic_count);

/* The start of a consumer's _new: conf's consumerGroup (*group, conf's string), NULL with
 * "consumerGroup is not set" when it is missing or empty, then the client instance. */
client_instance_t *client_consumer_instance(const rmq_conf_t *conf, const char **group,
                                            char *errstr, size_t errlen);

#endif
