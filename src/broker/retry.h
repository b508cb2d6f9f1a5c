/*
 * Private to the broker library: consumer retries, the delay scheduler, message lookups
 * and orderly-consumer locks (send_back.c, schedule.c, lookup.c, locks.c; spec
 * remoting.md 5.2.4, 5.3.9, 5.3.10, 5.4, 7.4, 7.6, 7.9). Included by internal.h.
 */
#ifndef RMQ_BROKER_RETRY_H
#define RMQ_BROKER_RETRY_H

#include "broker/broker.h"
#include "common/buf.h"
#include "protocol/lock_body.h"
#include "remoting/cmd.h"
#include "remoting/conn.h"

#include <stdbool.h>
#include <stdint.h>

/* rocketmq.broker.rebalance.lockMaxLiveTime */
#define BROKER_LOCK_MAX_LIVE_MS 60000

/* ---- queue locks (locks.c) ---- */

typedef struct broker_locks broker_locks_t;
broker_locks_t *broker_locks_new(void);
void broker_locks_destroy(broker_locks_t *l);
/* Locks for client every queue of mqs it may hold (free, expired or its own, renewing
 * the lease) and adds those to ok. */
void broker_locks_lock(broker_t *b, const char *group, const proto_lock_mqs_t *mqs,
                       const char *client, proto_lock_mqs_t *ok);
/* Releases the queues of mqs that client holds. */
void broker_locks_unlock(broker_t *b, const char *group, const proto_lock_mqs_t *mqs,
                         const char *client);
/* True when no queue of group is locked by anyone (RebalanceLockManager.isLockAllExpired). */
bool broker_locks_all_expired(broker_t *b, const char *group);
/* True when client holds an unexpired lock on the queue. */
bool broker_locks_is_locked(broker_t *b, const char *group, const char *topic,
                            const char *broker_name, int32_t queue_id, const char *client);

/* ---- delay scheduler (schedule.c) ---- */

typedef struct broker_schedule broker_schedule_t;
/* Parses messageDelayLevel, loads delayOffset.json and clamps it to the queues. */
broker_schedule_t *broker_schedule_new(broker_t *b);
void broker_schedule_destroy(broker_schedule_t *s);
/* Number of delay levels (the highest level). */
int32_t broker_schedule_max_level(const broker_schedule_t *s);
/* Delivers every due message at broker_now(). Returns how many were delivered.
 * Runs on: the management thread (or tests); not concurrently with itself. */
int broker_schedule_run(broker_schedule_t *s);
/* Next queue offset of a level's cursor (0 when none). */
int64_t broker_schedule_offset(broker_schedule_t *s, int32_t level);
/* Writes delayOffset.json when a cursor moved since the last write (or force). */
int broker_schedule_persist(broker_schedule_t *s, bool force);
/* The delayOffset.json document (GET_ALL_DELAY_OFFSET's body). */
void broker_schedule_encode(broker_schedule_t *s, rmq_buf_t *out);

/* ---- processors ---- */

int broker_send_back_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                             remoting_cmd_t *resp);
int broker_query_message_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp);
int broker_view_message_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                remoting_cmd_t *resp);
int broker_lock_batch_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                              remoting_cmd_t *resp);
int broker_unlock_batch_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                remoting_cmd_t *resp);
int broker_check_client_config_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                       remoting_cmd_t *resp);

#endif
