/*
 * rocketmq-c public API: consumers (the Java client's DefaultMQPushConsumer and
 * DefaultLitePullConsumer) and the received message (MessageExt).
 *
 * Push consumer. The library pulls for the application: it rebalances the queues of its
 * subscriptions among the members of its group (AllocateMessageQueueAveragely) every 20 s
 * and when a broker sends NOTIFY_CONSUMER_IDS_CHANGED, long-polls each of its queues with
 * PULL_MESSAGE, keeps a process queue per queue, and hands messages to the application's
 * listener on consumeThreadMin consume threads (a fixed pool: consumeThreadMax must not
 * be smaller, and is otherwise unused, as in Java, whose pool of consumeThreadMin core
 * threads never grows because its task queue is unbounded):
 *   concurrent  up to consumeMessageBatchMaxSize messages per call, any number of calls
 *               at once; RMQ_RECONSUME_LATER sends them back to the broker
 *               (CONSUMER_SEND_MSG_BACK) which redelivers them through %RETRY%<group>
 *               after a delay growing with their reconsume count (in BROADCASTING they
 *               are dropped, as Java does)
 *   orderly     one call at a time per queue, in queue order; in CLUSTERING the queue is
 *               locked on its broker first (LOCK_BATCH_MQ, renewed every 20 s);
 *               RMQ_SUSPEND_CURRENT_QUEUE_A_MOMENT retries the same messages after
 *               suspendCurrentQueueTimeMillis
 * Flow control, as Java's pullMessage: before each pull of a queue, when it caches more
 * than pullThresholdForQueue messages (1000), more than pullThresholdSizeForQueue MiB of
 * bodies (100), or (concurrent) messages whose offsets span more than
 * consumeConcurrentlyMaxSpan (2000: a slow message holds back the committed offset), the
 * pull is postponed by 50 ms; a queue so caches at most about the threshold plus
 * pullBatchSize messages. pullThresholdForTopic / pullThresholdSizeForTopic (-1: off),
 * when set, replace the per-queue limits by their share among the consumer's queues
 * (max(1, limit / queues), as Java), recomputed whenever a rebalance changes the queues,
 * before the new queues' first pulls.
 * consumeTimeout (minutes, 15; concurrent only): every consumeTimeout minutes, the
 * lowest-offset messages of each queue (up to 16) whose listener call began longer ago
 * than that are sent back (CONSUMER_SEND_MSG_BACK, delay level 3) and no longer hold back
 * the queue's offset; the listener call is not interrupted, and its result still counts
 * (RMQ_RECONSUME_LATER sends them back once more), as in Java.
 * Offsets are committed to the broker every persistConsumerOffsetInterval and at
 * shutdown (CLUSTERING), or kept in localOffsetStoreDir/<clientId>/<group>/offsets.json
 * (BROADCASTING), as the Java client does.
 *
 * Lite pull consumer. The application polls: rmq_lite_pull_consumer_poll returns the
 * next messages of its queues (subscribed with rebalancing, or assigned explicitly).
 * After start a background thread prefetches every unpaused queue (one long-polling pull
 * of pullBatchSize messages at a time per queue, 10 by default as in Java) into a
 * bounded cache: a queue is not pulled while the consumer caches more than
 * pullThresholdForAll messages in all (10000), or the queue more than
 * pullThresholdForQueue (1000) or pullThresholdSizeForQueue MiB (100). Offsets advance as
 * poll returns messages (not as they are prefetched) and are committed to the broker by
 * rmq_lite_pull_consumer_commit_sync, or every autoCommitIntervalMillis when autoCommit.
 *
 * Configuration keys (rocketmq/conf.h, Java names): consumerGroup, messageModel
 * (CLUSTERING|BROADCASTING), consumeFromWhere (CONSUME_FROM_LAST_OFFSET|
 * CONSUME_FROM_FIRST_OFFSET|CONSUME_FROM_TIMESTAMP), consumeTimestamp (yyyyMMddHHmmss),
 * consumeThreadMin, consumeThreadMax, pullBatchSize, consumeMessageBatchMaxSize,
 * pullThresholdForQueue, pullThresholdSizeForQueue, pullThresholdForTopic,
 * pullThresholdSizeForTopic, consumeConcurrentlyMaxSpan, consumeTimeout, pullInterval,
 * maxReconsumeTimes, suspendCurrentQueueTimeMillis,
 * persistConsumerOffsetInterval, localOffsetStoreDir, autoCommit,
 * autoCommitIntervalMillis, pollTimeoutMillis, pullThresholdForAll, plus the client keys.
 *
 * Thread-safety: new/subscribe/set_listener/start/shutdown/destroy of one consumer must
 * not run concurrently with each other. Listeners run on the library's consume threads,
 * several at once for a concurrent listener; they may call any library function except
 * shutdown/destroy of their own consumer. The lite pull consumer's functions may be
 * called from any thread; calls on one consumer are serialised internally.
 */
#ifndef ROCKETMQ_CONSUMER_H
#define ROCKETMQ_CONSUMER_H

#include <rocketmq/conf.h>
#include <rocketmq/message.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ received messages */

/*
 * A received message (Java's MessageExt). Read-only; borrowed by listeners for the
 * duration of the call, owned by the caller after rmq_lite_pull_consumer_poll (free with
 * rmq_message_ext_destroy). Strings returned are valid as long as the message.
 */
typedef struct rmq_message_ext_s rmq_message_ext_t;

/* The message part: use rmq_message_topic, _tags, _keys, _body, _property... on it.
 * After a retry the topic is the original one (property RETRY_TOPIC), as Java shows it. */
RMQ_EXPORT const rmq_message_t *rmq_message_ext_message(const rmq_message_ext_t *m);
/* UNIQ_KEY when the producer set one, else the offset message id. */
RMQ_EXPORT const char *rmq_message_ext_msg_id(const rmq_message_ext_t *m);
/* Store host + commit-log offset, 32 hex characters (IPv4). */
RMQ_EXPORT const char *rmq_message_ext_offset_msg_id(const rmq_message_ext_t *m);
RMQ_EXPORT const char *rmq_message_ext_broker_name(const rmq_message_ext_t *m);
RMQ_EXPORT int32_t rmq_message_ext_queue_id(const rmq_message_ext_t *m);
RMQ_EXPORT int64_t rmq_message_ext_queue_offset(const rmq_message_ext_t *m);
RMQ_EXPORT int64_t rmq_message_ext_commitlog_offset(const rmq_message_ext_t *m);
RMQ_EXPORT int32_t rmq_message_ext_reconsume_times(const rmq_message_ext_t *m);
RMQ_EXPORT int64_t rmq_message_ext_born_timestamp(const rmq_message_ext_t *m);
RMQ_EXPORT int64_t rmq_message_ext_store_timestamp(const rmq_message_ext_t *m);
/* "ip:port" of the producer and of the broker that stored the message. */
RMQ_EXPORT const char *rmq_message_ext_born_host(const rmq_message_ext_t *m);
RMQ_EXPORT const char *rmq_message_ext_store_host(const rmq_message_ext_t *m);
RMQ_EXPORT int32_t rmq_message_ext_sys_flag(const rmq_message_ext_t *m);
RMQ_EXPORT int32_t rmq_message_ext_body_crc(const rmq_message_ext_t *m);
/* Size of the stored record (TOTALSIZE; that of the whole batch record for a message of
 * an inner batch) and its PREPAREDTRANSACTIONOFFSET field. */
RMQ_EXPORT int32_t rmq_message_ext_store_size(const rmq_message_ext_t *m);
RMQ_EXPORT int64_t rmq_message_ext_prepared_transaction_offset(const rmq_message_ext_t *m);
/*
 * A new message to send again (Java sends the MessageExt itself): topic, flag, body and
 * every property, system ones included; it keeps its UNIQ_KEY, so the send's message id
 * is the received one's. The caller owns it (rmq_message_destroy).
 */
RMQ_EXPORT rmq_message_t *rmq_message_ext_copy_message(const rmq_message_ext_t *m);
/* NULL is fine. */
RMQ_EXPORT void rmq_message_ext_destroy(rmq_message_ext_t *m);

/* A message queue (Java's MessageQueue): a plain value. */
typedef struct {
    const char *topic;
    const char *broker_name;
    int32_t queue_id;
} rmq_message_queue_t;

/* ------------------------------------------------------------------ push consumer */

typedef struct rmq_push_consumer_s rmq_push_consumer_t;

typedef enum {
    RMQ_CONSUME_SUCCESS = 0,
    RMQ_RECONSUME_LATER = 1,
} rmq_consume_status_t;

typedef enum {
    RMQ_ORDERLY_SUCCESS = 0,
    RMQ_SUSPEND_CURRENT_QUEUE_A_MOMENT = 1,
} rmq_consume_orderly_status_t;

/* msgs[0..n-1] come from one queue, in queue order; borrowed for the call. */
typedef rmq_consume_status_t (*rmq_listener_concurrently_t)(const rmq_message_ext_t *const *msgs,
                                                            size_t n, void *opaque);
typedef rmq_consume_orderly_status_t (*rmq_listener_orderly_t)(const rmq_message_ext_t *const *msgs,
                                                               size_t n, void *opaque);

/* A consumer configured from conf (copied); consumerGroup must be set. NULL on a bad
 * configuration (errstr says why), e.g. consumeThreadMin larger than consumeThreadMax or
 * a topic threshold of 0. */
RMQ_EXPORT rmq_push_consumer_t *rmq_push_consumer_new(const rmq_conf_t *conf, char *errstr,
                                                      size_t errlen);
/* Subscribes to topic with a TAG expression: "*" (or NULL/empty) for all, or tags
 * separated by "||". Before start only. A second call for a topic replaces the first. */
RMQ_EXPORT rmq_err_t rmq_push_consumer_subscribe(rmq_push_consumer_t *c, const char *topic,
                                                 const char *expression, char *errstr,
                                                 size_t errlen);
/* One listener, before start. opaque is passed to every call. */
RMQ_EXPORT rmq_err_t rmq_push_consumer_set_listener_concurrently(rmq_push_consumer_t *c,
                                                                 rmq_listener_concurrently_t cb,
                                                                 void *opaque);
RMQ_EXPORT rmq_err_t rmq_push_consumer_set_listener_orderly(rmq_push_consumer_t *c,
                                                            rmq_listener_orderly_t cb,
                                                            void *opaque);
/* Starts the threads and the first rebalance. Needs a subscription and a listener. */
RMQ_EXPORT rmq_err_t rmq_push_consumer_start(rmq_push_consumer_t *c, char *errstr, size_t errlen);
/* Stops pulling, waits for running listener calls, commits offsets, unlocks orderly
 * queues and unregisters from the brokers. Idempotent. Not from a listener. */
RMQ_EXPORT void rmq_push_consumer_shutdown(rmq_push_consumer_t *c);
/* Shuts down when needed and frees. NULL is fine. */
RMQ_EXPORT void rmq_push_consumer_destroy(rmq_push_consumer_t *c);
/* The client id this consumer reports (ip@instance). Borrowed. */
RMQ_EXPORT const char *rmq_push_consumer_client_id(const rmq_push_consumer_t *c);

/* ------------------------------------------------------------------ lite pull consumer */

typedef struct rmq_lite_pull_consumer_s rmq_lite_pull_consumer_t;

RMQ_EXPORT rmq_lite_pull_consumer_t *rmq_lite_pull_consumer_new(const rmq_conf_t *conf,
                                                                char *errstr, size_t errlen);
/* Subscribe mode (queues rebalanced within the group). Not with assign. */
RMQ_EXPORT rmq_err_t rmq_lite_pull_consumer_subscribe(rmq_lite_pull_consumer_t *c,
                                                      const char *topic, const char *expression,
                                                      char *errstr, size_t errlen);
/* Assign mode: replaces the set of queues (copied). Queues kept from the old set keep
 * their positions; new ones start at the committed offset, else per consumeFromWhere. */
RMQ_EXPORT rmq_err_t rmq_lite_pull_consumer_assign(rmq_lite_pull_consumer_t *c,
                                                   const rmq_message_queue_t *mqs, size_t n,
                                                   char *errstr, size_t errlen);
RMQ_EXPORT rmq_err_t rmq_lite_pull_consumer_start(rmq_lite_pull_consumer_t *c, char *errstr,
                                                  size_t errlen);
/*
 * The queues of topic from its route (sorted by broker name and queue id). On success
 * *mqs (free with rmq_message_queues_destroy) holds *n queues.
 */
RMQ_EXPORT rmq_err_t rmq_lite_pull_consumer_fetch_queues(rmq_lite_pull_consumer_t *c,
                                                         const char *topic,
                                                         rmq_message_queue_t **mqs, size_t *n,
                                                         char *errstr, size_t errlen);
RMQ_EXPORT void rmq_message_queues_destroy(rmq_message_queue_t *mqs, size_t n);
/*
 * Waits up to timeout_ms (< 0: pollTimeoutMillis) for prefetched messages of the unpaused
 * queues and stores up to max of them in msgs: those of one queue, pullBatchSize at most,
 * queues taking turns. Returns how many (0 on time-out). The caller frees each with
 * rmq_message_ext_destroy.
 */
RMQ_EXPORT size_t rmq_lite_pull_consumer_poll(rmq_lite_pull_consumer_t *c, int timeout_ms,
                                              rmq_message_ext_t **msgs, size_t max);
/* The next poll of mq starts at offset: its prefetched messages are dropped and it is
 * pulled again from there. RMQ_ERR__INVALID_ARG when mq is not assigned. */
RMQ_EXPORT rmq_err_t rmq_lite_pull_consumer_seek(rmq_lite_pull_consumer_t *c,
                                                 const rmq_message_queue_t *mq, int64_t offset);
/* The offset committed on the broker for mq (-1 when none). */
RMQ_EXPORT int64_t rmq_lite_pull_consumer_committed(rmq_lite_pull_consumer_t *c,
                                                    const rmq_message_queue_t *mq);
/* Commits the position of every queue (UPDATE_CONSUMER_OFFSET). First error or 0. */
RMQ_EXPORT rmq_err_t rmq_lite_pull_consumer_commit_sync(rmq_lite_pull_consumer_t *c);
/* Pause stops prefetching mq and hides its prefetched messages from poll; resume undoes
 * both. RMQ_ERR__INVALID_ARG when mq is not assigned. */
RMQ_EXPORT rmq_err_t rmq_lite_pull_consumer_pause(rmq_lite_pull_consumer_t *c,
                                                  const rmq_message_queue_t *mq);
RMQ_EXPORT rmq_err_t rmq_lite_pull_consumer_resume(rmq_lite_pull_consumer_t *c,
                                                   const rmq_message_queue_t *mq);
/* Stops prefetching, commits (when autoCommit) and unregisters; messages prefetched and
 * not polled are dropped. Idempotent. */
RMQ_EXPORT void rmq_lite_pull_consumer_shutdown(rmq_lite_pull_consumer_t *c);
RMQ_EXPORT void rmq_lite_pull_consumer_destroy(rmq_lite_pull_consumer_t *c);

#ifdef __cplusplus
}
#endif

#endif
