/*
 * The push consumer's object, shared by its files: consumer_push.c (life cycle,
 * rebalance, pulls), consumer_push_requests.c (requests from brokers) and
 * consumer_push_consume.c (consume threads, send-back, orderly locks).
 *
 * Locks: `mu` guards the process-queue table, every process queue's fields, the pull
 * schedule and the consume task list; it is never held across a network call or a
 * listener call.
 */
#ifndef RMQ_CLIENT_CONSUMER_PUSH_H
#define RMQ_CLIENT_CONSUMER_PUSH_H

#include "client/consumer.h"
#include "protocol/admin_body.h"

/* A message of a concurrent queue handed to a task and not finished yet. */
typedef struct {
    int64_t offset;
    int64_t start_ms;       /* when a worker began consuming it (monotonic); 0 = not yet */
    rmq_message_ext_t *msg; /* the task's; alive while the entry is in the array */
} pq_inflight_t;

/* Java's ProcessQueue. */
typedef struct pq {
    client_cmq_t mq;
    char *key;
    const proto_subscription_t *sub; /* of c->subs */
    int refs;                        /* table + in-flight pull + tasks */
    bool is_dropped, is_locked, has_task, is_consuming, is_pull_scheduled;
    int64_t next_offset; /* the next pull's offset */
    int64_t max_offset;  /* highest offset received */
    int64_t last_lock_ms, last_pull_ms, last_consume_ms;
    /* Concurrent: messages handed to tasks and not yet done, by ascending offset, in
     * inflight[inflight_head..inflight_end); a finished one is left as a hole (msg NULL)
     * until the holes before it are gone, so finishing costs no memmove. inflight_count
     * counts the live ones; inflight[inflight_head] is live when there is any. */
    pq_inflight_t *inflight;
    size_t inflight_head, inflight_end, inflight_count, inflight_cap;
    size_t cached_bytes; /* bodies of the cached messages (ProcessQueue.msgSize) */
    /* Orderly: messages waiting (owned), and those taken by the running call. */
    client_msgs_t pending, taken;
} pq_t;

/* A consume task: a batch of one queue (concurrent) or the queue itself (orderly). */
typedef struct task {
    struct task *next;
    pq_t *pq;
    client_msgs_t msgs; /* concurrent only */
    int64_t due_ms;
} task_t;

typedef struct pull_entry {
    struct pull_entry *next;
    pq_t *pq;
    int64_t due_ms;
} pull_entry_t;

struct rmq_push_consumer_s {
    rmq_conf_t *conf;
    client_instance_t *ci;
    char *group, *model, *from_where;
    bool is_broadcast, is_orderly;
    int64_t consume_ts_ms;
    int threads, pull_batch, batch_max, max_reconsume, suspend_ms, pull_interval;
    int64_t persist_interval_ms, pull_delay_on_error_ms, consume_timeout_ms;
    /* Flow control (Java's pullMessage): the configured values, and the per-queue limits
     * in force (the topic-wide ones divided among the queues at each rebalance). */
    int threshold_topic, threshold_size_topic, max_span;
    int threshold, threshold_mib; /* guarded by mu once started */
    uint64_t flow_control_times;
    rmq_listener_concurrently_t on_concurrently;
    rmq_listener_orderly_t on_orderly;
    void *opaque;
    proto_subscription_t *subs; /* the application's, then %RETRY%group (clustering) */
    size_t sub_count;
    client_offset_store_t offsets;

    pthread_mutex_t mu;
    pthread_cond_t pull_cv, task_cv, timer_cv;
    rmq_map_t pqs; /* mq key -> pq_t */
    pull_entry_t *pulls;
    task_t *tasks, *tasks_tail;
    bool is_started, is_stopping, want_rebalance;
    proto_reset_offset_t *pending_reset; /* RESET_CONSUMER_CLIENT_OFFSET for the timer */
    char *pending_reset_topic;
    pthread_t pull_thread, timer_thread, *workers;
    int64_t start_ms;
};

/* Takes a reference of pq. Locks: mu held. */
void push_pq_retain(pq_t *pq);
/* Drops one; frees at zero. Locks: mu held. */
void push_pq_release(pq_t *pq);
/* Schedules a pull of pq at due_ms (no-op when one is scheduled or pq is dropped).
 * Locks: mu held. */
void push_schedule_pull(rmq_push_consumer_t *c, pq_t *pq, int64_t due_ms);

/* Hands freshly pulled messages (owned) to the consume side. Locks: mu held. */
void push_consume_submit(rmq_push_consumer_t *c, pq_t *pq, client_msgs_t *msgs);
/* Messages cached by pq (flow control). Locks: mu held. */
size_t push_pq_cached(const pq_t *pq);
/* The offset to commit: the lowest still cached, else the highest received + 1. Locks: mu. */
int64_t push_pq_commit_offset(const pq_t *pq);
/* Highest minus lowest offset of pq's cached messages, 0 when none (ProcessQueue.getMaxSpan;
 * concurrent queues). Locks: mu held. */
int64_t push_pq_max_span(const pq_t *pq);

typedef enum {
    PUSH_FLOW_OK,
    PUSH_FLOW_COUNT, /* more than pullThresholdForQueue messages cached */
    PUSH_FLOW_SIZE,  /* more than pullThresholdSizeForQueue MiB cached */
    PUSH_FLOW_SPAN,  /* concurrent: offsets spanning more than consumeConcurrentlyMaxSpan */
} push_flow_t;

/* Whether pq may be pulled now, in the order Java's pullMessage checks; anything but
 * PUSH_FLOW_OK postpones the pull by 50 ms. Locks: mu held. */
push_flow_t push_flow_check(const rmq_push_consumer_t *c, const pq_t *pq);
/* RebalancePushImpl.messageQueueChanged: with pullThresholdForTopic (or ...SizeForTopic)
 * set, the per-queue limit becomes max(1, topic limit / queue_count). Locks: mu held. */
void push_flow_adjust(rmq_push_consumer_t *c, size_t queue_count);
/* Concurrent: m (owned by a task) is cached by pq until removed. Locks: mu held. */
void push_inflight_add(pq_t *pq, rmq_message_ext_t *m);
/* ProcessQueue.removeMessage: msgs are done; returns the offset to commit (the lowest
 * still cached, else the highest received + 1). Locks: mu held. */
int64_t push_inflight_remove(pq_t *pq, const client_msgs_t *msgs);
/* Marks the messages of a concurrent task as being consumed from now_ms (their
 * consumeTimeout starts). Locks: mu held. */
void push_inflight_start(pq_t *pq, const client_msgs_t *msgs, int64_t now_ms);

/* What CONSUMER_SEND_MSG_BACK needs of a message (borrowed). */
typedef struct {
    const char *topic, *broker_name, *store_host, *msg_id;
    int64_t commitlog_offset;
} push_send_back_t;
/* CONSUMER_SEND_MSG_BACK of m to its broker's master (else the host that stored it).
 * delay_level 0 lets the broker pick the retry delay (3 + reconsume times); -1 sends it
 * to the dead-letter queue at once (the broker counts the stored copy's reconsume times,
 * which an orderly consumer never raised). Locks: none. */
bool push_send_back(rmq_push_consumer_t *c, const push_send_back_t *m, int max_reconsume,
                    int delay_level);

/* A copy of what a send-back needs of a message, so the message itself may go. */
typedef struct {
    char *topic, *broker_name;
    char msg_id[57], store_host[64];
    int64_t offset, commitlog_offset;
} push_expired_t;

/* ProcessQueue.cleanExpiredMsg's choice: while the lowest cached offset of pq has been
 * consumed for longer than consumeTimeout at now_ms, copies it into out (at most max,
 * Java looks at 16), and returns how many. Concurrent queues only. Locks: mu held. */
size_t push_expired_peek(const rmq_push_consumer_t *c, const pq_t *pq, int64_t now_ms,
                         push_expired_t *out, size_t max);
/* Forgets the cached message at offset (sent back as expired): the queue's offset may move
 * past it. Locks: mu held. */
void push_inflight_drop(pq_t *pq, int64_t offset);
void push_expired_close(push_expired_t *e);
/* cleanExpireMsg of every queue: expired messages are sent back (delay level 3) and
 * dropped from their queue. Runs on: the timer thread. Locks: takes mu. */
void push_clean_expired(rmq_push_consumer_t *c);
/* Starts / joins the consume threads. */
rmq_err_t push_consume_start(rmq_push_consumer_t *c);
void push_consume_stop(rmq_push_consumer_t *c);
/* Frees pq's cached messages. Locks: mu held. */
void push_pq_clear(pq_t *pq);

/* LOCK_BATCH_MQ of mqs on broker_name's master: sets is_locked on the locked ones.
 * Returns whether `one` (may be NULL) was locked. Locks: takes mu. */
bool push_lock_mqs(rmq_push_consumer_t *c, const client_cmqs_t *mqs, const client_cmq_t *one);
/* Renews every lock (Java's lockAll every 20 s). Locks: takes mu. */
void push_lock_all(rmq_push_consumer_t *c);
/* UNLOCK_BATCH_MQ. */
void push_unlock_mqs(rmq_push_consumer_t *c, const client_cmqs_t *mqs);

/* Answers a broker's request to this consumer (consumer_push_requests.c). Runs on: the
 * I/O thread. */
int push_on_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp);

#endif
