/*
 * rocketmq-c public API: a message to send (the Java client's Message).
 *
 * A message has a topic, a body, an int flag and properties: system ones set through
 * the named setters (tags, keys, delay level, wait-store-ok) and user ones set with
 * rmq_message_set_property. The producer encodes them as RocketMQ's properties string
 * and adds its own (UNIQ_KEY) to the request only: a message is never modified by a
 * send, so one message may be sent several times and from several threads at once.
 *
 * Ownership: rmq_message_new returns a message the caller frees with
 * rmq_message_destroy. Strings passed in are copied. The body is copied unless
 * RMQ_MSG_F_NOCOPY is given (then the caller keeps it valid until the message is
 * destroyed or gets another body). Pointers returned by getters are borrowed and valid
 * until the same field is set again or the message is destroyed.
 *
 * Thread-safety: a message is a plain value. Concurrent reads (and sends) are safe;
 * a setter needs exclusive access.
 */
#ifndef ROCKETMQ_MESSAGE_H
#define ROCKETMQ_MESSAGE_H

#include <rocketmq/err.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rmq_message_s rmq_message_t;

/* Body flags for rmq_message_set_body. */
#define RMQ_MSG_F_COPY   0x0 /* copy the body (default) */
#define RMQ_MSG_F_NOCOPY 0x1 /* borrow it: must outlive the message's use of it */

/* A new message for `topic` (copied; NULL = no topic yet), with an empty body and
 * waitStoreMsgOK true, as Java's Message. Never NULL (out of memory aborts). */
RMQ_EXPORT rmq_message_t *rmq_message_new(const char *topic);

/* Frees the message. NULL is fine. */
RMQ_EXPORT void rmq_message_destroy(rmq_message_t *msg);

RMQ_EXPORT void rmq_message_set_topic(rmq_message_t *msg, const char *topic);
RMQ_EXPORT const char *rmq_message_topic(const rmq_message_t *msg);

/* Property TAGS (one tag; consumers filter on it). NULL removes it. */
RMQ_EXPORT void rmq_message_set_tags(rmq_message_t *msg, const char *tags);
/* NULL when unset. */
RMQ_EXPORT const char *rmq_message_tags(const rmq_message_t *msg);

/* Property KEYS: keys separated by one space (Java's KEY_SEPARATOR), indexed by the
 * broker for look-up. NULL removes it. */
RMQ_EXPORT void rmq_message_set_keys(rmq_message_t *msg, const char *keys);
RMQ_EXPORT const char *rmq_message_keys(const rmq_message_t *msg);

/* The body (may be empty: len 0). flags: RMQ_MSG_F_COPY or RMQ_MSG_F_NOCOPY. */
RMQ_EXPORT void rmq_message_set_body(rmq_message_t *msg, const void *body, size_t len, int flags);
RMQ_EXPORT const void *rmq_message_body(const rmq_message_t *msg, size_t *len);

/* The int stored with the message (Java's Message.flag); 0 by default. */
RMQ_EXPORT void rmq_message_set_flag(rmq_message_t *msg, int32_t flag);
RMQ_EXPORT int32_t rmq_message_flag(const rmq_message_t *msg);

/* Property DELAY: delay level 1..N of the broker's messageDelayLevel; 0 removes it. */
RMQ_EXPORT void rmq_message_set_delay_level(rmq_message_t *msg, int level);
RMQ_EXPORT int rmq_message_delay_level(const rmq_message_t *msg);

/* Property WAIT ("true"/"false"): reply only once stored per the broker's flush policy.
 * True by default. */
RMQ_EXPORT void rmq_message_set_wait_store_msg_ok(rmq_message_t *msg, int wait);
RMQ_EXPORT int rmq_message_wait_store_msg_ok(const rmq_message_t *msg);

/*
 * Sets user property `name` to `value` (both copied; value NULL removes it). Returns
 * RMQ_ERR__INVALID_ARG when name is empty, contains the separators \001 or \002, or is a
 * system property name (KEYS, TAGS, UNIQ_KEY, ... as Java's putUserProperty refuses),
 * or when value is empty or contains a separator (Java would drop the pair).
 */
RMQ_EXPORT rmq_err_t rmq_message_set_property(rmq_message_t *msg, const char *name,
                                              const char *value);
/* Any property by name (system ones too), or NULL. */
RMQ_EXPORT const char *rmq_message_property(const rmq_message_t *msg, const char *name);
/* Every property (system and user) in the order first set. */
RMQ_EXPORT size_t rmq_message_property_count(const rmq_message_t *msg);
RMQ_EXPORT const char *rmq_message_property_name(const rmq_message_t *msg, size_t i);
RMQ_EXPORT const char *rmq_message_property_value(const rmq_message_t *msg, size_t i);

#ifdef __cplusplus
}
#endif

#endif
