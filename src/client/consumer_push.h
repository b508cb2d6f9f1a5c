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
    /* Concurrent: offsets handed to tasks and not yet done, ascending. */
    int64_t *inflight;
    size_t inflight_count, inflight_cap;
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
    int threads, pull_batch, batch_max, threshold, max_reconsume, suspend_ms, pull_interval;
    int64_t persist_interval_ms, pull_delay_on_error_ms;
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

/* pthread_cond_timedwait for wait_ms on a CLOCK_MONOTONIC condition variable. */
void push_timed_wait(pthread_cond_t *cv, pthread_mutex_t *mu, int64_t wait_ms);

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
