/*
 * rocketmq-c public API: the producer (the Java client's DefaultMQProducer).
 *
 * A producer sends messages to the brokers of their topic: it looks the route up on a
 * NameServer (and refreshes it every pollNameServerInterval), picks a queue round robin
 * (or through the application's selector for ordered sends), and sends with
 * SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE. A failed synchronous send is retried up to
 * retryTimesWhenSendFailed times on another broker when there is one; asynchronous sends
 * up to retryTimesWhenSendAsyncFailed times; one-way sends never. With
 * sendLatencyFaultEnable, brokers that were slow or failed are avoided for a while
 * (Java's MQFaultStrategy tables). Bodies of single messages of at least
 * compressMsgBodyOverHowmuch bytes are sent zlib-compressed as the Java client does.
 * The producer heart-beats its group to every broker it knows every
 * heartbeatBrokerInterval.
 *
 * Configuration keys (rocketmq/conf.h, Java names): producerGroup, sendMsgTimeout,
 * retryTimesWhenSendFailed, retryTimesWhenSendAsyncFailed, retryAnotherBrokerWhenNotStoreOK,
 * compressMsgBodyOverHowmuch, compressLevel, maxMessageSize, sendLatencyFaultEnable,
 * createTopicKey, defaultTopicQueueNums, plus the client ones (namesrvAddr,
 * instanceName, unitName, clientIP, pollNameServerInterval, heartbeatBrokerInterval,
 * vipChannelEnabled, mqClientApiTimeout, ...).
 *
 * Life cycle: rmq_producer_new -> rmq_producer_start -> sends -> rmq_producer_shutdown
 * (optional) -> rmq_producer_destroy.
 *
 * Thread-safety: every send function may be called concurrently from any number of
 * application threads once the producer is started. new/start/shutdown/destroy must not
 * run concurrently with each other or with sends. Send callbacks run on the library's
 * I/O thread: they must not block and must not call a synchronous send (one-way and
 * asynchronous sends are fine).
 */
#ifndef ROCKETMQ_PRODUCER_H
#define ROCKETMQ_PRODUCER_H

#include <rocketmq/conf.h>
#include <rocketmq/message.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rmq_producer_s rmq_producer_t;

/* ------------------------------------------------------------------ send result */

/* SendStatus: a message answered with one of these is stored. */
typedef enum {
    RMQ_SEND_OK = 0,
    RMQ_SEND_FLUSH_DISK_TIMEOUT = 1,
    RMQ_SEND_FLUSH_SLAVE_TIMEOUT = 2,
    RMQ_SEND_SLAVE_NOT_AVAILABLE = 3,
} rmq_send_status_t;

/* "SEND_OK", ... as Java's enum names. Static. */
RMQ_EXPORT const char *rmq_send_status_name(rmq_send_status_t status);

/*
 * The outcome of a send (SendResult). The caller creates one with rmq_send_result_new
 * and may reuse it for any number of synchronous sends (each overwrites it); callbacks
 * get a borrowed one valid during the callback. Strings are borrowed from the result.
 * Not thread-safe: one result per thread.
 */
typedef struct rmq_send_result_s rmq_send_result_t;

RMQ_EXPORT rmq_send_result_t *rmq_send_result_new(void);
RMQ_EXPORT void rmq_send_result_destroy(rmq_send_result_t *res);
RMQ_EXPORT rmq_send_status_t rmq_send_result_status(const rmq_send_result_t *res);
/* The message's UNIQ_KEY (Java's msgId); a batch: the UNIQ_KEYs joined by ','. */
RMQ_EXPORT const char *rmq_send_result_msg_id(const rmq_send_result_t *res);
/* The broker's offset message id (store address + commit-log offset; batch: joined). */
RMQ_EXPORT const char *rmq_send_result_offset_msg_id(const rmq_send_result_t *res);
RMQ_EXPORT const char *rmq_send_result_topic(const rmq_send_result_t *res);
RMQ_EXPORT const char *rmq_send_result_broker_name(const rmq_send_result_t *res);
RMQ_EXPORT int rmq_send_result_queue_id(const rmq_send_result_t *res);
RMQ_EXPORT int64_t rmq_send_result_queue_offset(const rmq_send_result_t *res);
/* The broker's regionId (MSG_REGION), "DefaultRegion" unless configured. */
RMQ_EXPORT const char *rmq_send_result_region_id(const rmq_send_result_t *res);
/* The transactionId the broker returned, or NULL. */
RMQ_EXPORT const char *rmq_send_result_transaction_id(const rmq_send_result_t *res);

/* ------------------------------------------------------------------ producer */

/*
 * A new producer. Copies `conf` (NULL = defaults). Fails (NULL, errstr filled) when no
 * NameServer is configured (namesrvAddr or NAMESRV_ADDR), an address is not host:port,
 * or producerGroup is not a valid group name. Thread: any.
 */
RMQ_EXPORT rmq_producer_t *rmq_producer_new(const rmq_conf_t *conf, char *errstr, size_t errlen);

/*
 * Starts the I/O thread and the timer thread (route refresh, heartbeats). Returns
 * RMQ_ERR__INVALID_ARG when already started or shut down. Connects lazily: a start with
 * no reachable server succeeds.
 */
RMQ_EXPORT rmq_err_t rmq_producer_start(rmq_producer_t *p, char *errstr, size_t errlen);

/*
 * Stops the timers, waits for asynchronous sends in flight (their callbacks run,
 * with RMQ_ERR__DESTROY when cancelled) and closes the connections. Idempotent. Sends
 * after it fail with RMQ_ERR__DESTROY.
 */
RMQ_EXPORT void rmq_producer_shutdown(rmq_producer_t *p);

/* Shuts down if needed and frees the producer. NULL is fine. */
RMQ_EXPORT void rmq_producer_destroy(rmq_producer_t *p);

/*
 * Sends `msg` and waits for the broker (sync send). `res` (may be NULL) receives the
 * result. Returns RMQ_ERR_NO_ERROR when stored (check the status for flush/replica
 * time-outs), the broker's response code after the last attempt, or a local error
 * (RMQ_ERR__TIMED_OUT, RMQ_ERR__TRANSPORT, RMQ_ERR_TOPIC_NOT_EXIST when no route,
 * RMQ_ERR__INVALID_ARG / RMQ_ERR_MESSAGE_ILLEGAL for a bad message). Blocks the caller
 * up to sendMsgTimeout (plus route look-ups). The caller keeps msg.
 */
RMQ_EXPORT rmq_err_t rmq_producer_send(rmq_producer_t *p, const rmq_message_t *msg,
                                       rmq_send_result_t *res, char *errstr, size_t errlen);

/*
 * Completion of an asynchronous send: err is RMQ_ERR_NO_ERROR with res, or the error
 * (res NULL) and errstr a description. Runs on the library's I/O thread (or, when every
 * attempt fails before anything is sent, on the caller's thread inside
 * rmq_producer_send_async). res and errstr are valid during the call only.
 */
typedef void(rmq_send_cb_t)(void *opaque, rmq_err_t err, const char *errstr,
                            const rmq_send_result_t *res);

/*
 * Sends `msg` without waiting. On RMQ_ERR_NO_ERROR, cb is called exactly once later
 * (also at shutdown); on any other return it is never called. The message is encoded
 * before the call returns: the caller may destroy it at once. May block to look the
 * route up when the topic is new.
 */
RMQ_EXPORT rmq_err_t rmq_producer_send_async(rmq_producer_t *p, const rmq_message_t *msg,
                                             rmq_send_cb_t *cb, void *opaque, char *errstr,
                                             size_t errlen);

/* Sends `msg` one-way: no answer, no retry. Returns once the request is queued. */
RMQ_EXPORT rmq_err_t rmq_producer_send_oneway(rmq_producer_t *p, const rmq_message_t *msg,
                                              char *errstr, size_t errlen);

/*
 * Sends `count` messages in one SEND_BATCH_MESSAGE (MessageBatch) and waits. All must
 * have the same topic and waitStoreMsgOK, no delay level and no %RETRY% topic
 * (RMQ_ERR__INVALID_ARG otherwise); batches are never compressed. res->msg_id lists the
 * UNIQ_KEYs in order, joined by ','.
 */
RMQ_EXPORT rmq_err_t rmq_producer_send_batch(rmq_producer_t *p, const rmq_message_t *const *msgs,
                                             size_t count, rmq_send_result_t *res, char *errstr,
                                             size_t errlen);

/*
 * Chooses a queue for an ordered send: returns an index in [0, queue_count) of the
 * topic's writable queues (sorted by broker name, then queue id, as Java's list), or a
 * negative value to fail the send with RMQ_ERR__INVALID_ARG. `arg` is the value passed to
 * rmq_producer_send_select. Runs on the caller's thread.
 */
typedef int(rmq_queue_selector_t)(size_t queue_count, const rmq_message_t *msg, void *arg);

/*
 * Java's SelectMessageQueueByHash with a string key: `arg` is a NUL-terminated key;
 * returns |String.hashCode(key)| % queue_count, so the same key always goes to the same
 * queue as a Java producer would send it.
 */
RMQ_EXPORT int rmq_queue_select_by_hash(size_t queue_count, const rmq_message_t *msg, void *arg);

/*
 * Sync send to the queue the selector picks (ordered messages). No retry on another
 * queue, as Java's send(msg, selector, arg). res may be NULL.
 */
RMQ_EXPORT rmq_err_t rmq_producer_send_select(rmq_producer_t *p, const rmq_message_t *msg,
                                              rmq_queue_selector_t *selector, void *arg,
                                              rmq_send_result_t *res, char *errstr, size_t errlen);

/* The client id ("ip@instance") the producer reports to brokers. Borrowed. */
RMQ_EXPORT const char *rmq_producer_client_id(const rmq_producer_t *p);

#ifdef __cplusplus
}
#endif

#endif
