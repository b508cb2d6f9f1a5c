/*
 * Message codec pieces shared by the broker and a C client (spec remoting.md 6):
 *
 *   properties string   name 0x01 value 0x02 ...   (6.1): append and look up
 *   offset message id   hex(store ip, port, commit-log offset) (6.6): encode and decode
 *   UNIQ_KEY            hex(ip, pid, per-process constant, ms since month start,
 *                       counter) (6.6): a generator
 *   batch body          per message: int total, int magic, int bodyCRC, int flag,
 *                       int bodyLen, body, short propLen, properties (6.4): iteration
 *   topic names         TopicValidator rules with upstream's remarks
 *
 * Runs on: any thread. The UNIQ_KEY generator is thread-safe (an atomic counter).
 */
#ifndef RMQ_PROTOCOL_MESSAGE_H
#define RMQ_PROTOCOL_MESSAGE_H

#include "common/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_PROP_NAME_SEP  '\001'
#define PROTO_PROP_VALUE_SEP '\002'

/* System property keys the broker reads or writes (MessageConst). */
#define PROTO_PROP_KEYS        "KEYS"
#define PROTO_PROP_TAGS        "TAGS"
#define PROTO_PROP_WAIT        "WAIT"
#define PROTO_PROP_DELAY       "DELAY"
#define PROTO_PROP_UNIQ_KEY    "UNIQ_KEY"
#define PROTO_PROP_CLUSTER     "CLUSTER"
#define PROTO_PROP_MSG_REGION  "MSG_REGION"
#define PROTO_PROP_TRACE_ON    "TRACE_ON"
#define PROTO_PROP_TRAN_MSG    "TRAN_MSG"
#define PROTO_PROP_POP_CK      "POP_CK"
#define PROTO_PROP_REAL_TOPIC  "REAL_TOPIC"
#define PROTO_PROP_REAL_QID    "REAL_QID"
#define PROTO_PROP_RETRY_TOPIC "RETRY_TOPIC"
#define PROTO_PROP_INNER_NUM   "INNER_NUM"

#define PROTO_RETRY_GROUP_TOPIC_PREFIX "%RETRY%"
#define PROTO_DLQ_GROUP_TOPIC_PREFIX   "%DLQ%"
/* Where delay-level messages wait (one queue per level). */
#define PROTO_SCHEDULE_TOPIC          "SCHEDULE_TOPIC_XXXX"
#define PROTO_TOPIC_MAX_LENGTH        127
#define PROTO_RETRY_OR_DLQ_MAX_LENGTH 255

/* Appends "name\1value\2". */
void proto_props_append(rmq_buf_t *out, const char *name, const char *value, size_t value_len);
/* The value of name (the last one when repeated, as Java's map), false when absent. Pairs
 * with an empty name or value are skipped, as Java's string2messageProperties does. */
bool proto_props_get(rmq_slice_t props, const char *name, rmq_slice_t *value);
/* Copies props to out without the pairs named `name`. */
void proto_props_remove(rmq_slice_t props, const char *name, rmq_buf_t *out);

/* Offset message id: out holds 57 bytes; returns 32 (IPv4: addr_len 4) or 56 (16). */
size_t proto_msg_id_encode(const uint8_t *addr, size_t addr_len, int32_t port, int64_t phys_offset,
                           char *out);
/* Decodes 2*nbytes hex digits (either case) into out; -EINVAL on a non-hex digit. */
int proto_hex_decode(const char *hex, size_t nbytes, uint8_t *out);
/* Decodes a 32- or 56-character id; -EINVAL otherwise. *addr_len is 4 or 16. */
int proto_msg_id_decode(const char *id, size_t len, uint8_t addr[16], size_t *addr_len,
                        int32_t *port, int64_t *phys_offset);

/* Generator of UNIQ_KEY ids for one process/address (the broker's for messages that
 * arrive without one). */
typedef struct {
    char prefix[21]; /* hex of ip(4), pid(2), constant(4) */
    int64_t month_start_ms, next_month_ms;
    uint32_t counter;
} proto_uniq_gen_t;
void proto_uniq_gen_init(proto_uniq_gen_t *g, const uint8_t ip[4], int32_t pid, int32_t constant);
/* Writes 32 upper-case hex characters and a NUL (out: 33 bytes). Not thread-safe: one
 * generator per thread, or a lock. */
void proto_uniq_gen_next(proto_uniq_gen_t *g, int64_t now_ms, char *out);

/* One message of a batch body; slices borrow the body. */
typedef struct {
    int32_t flag;
    rmq_slice_t body;
    rmq_slice_t props;
} proto_batch_msg_t;
/* Takes the next message off *rest: 1 when one was decoded, 0 at the end, -EBADMSG
 * when the bytes are not a valid record. */
int proto_batch_next(rmq_slice_t *rest, proto_batch_msg_t *m);
/* Appends one batch record (producer side). */
void proto_batch_append(rmq_buf_t *out, int32_t flag, rmq_slice_t body, rmq_slice_t props);

/* TopicValidator.validateTopic: NULL when valid, else upstream's remark in buf. */
const char *proto_topic_validate(const char *topic, char *buf, size_t buflen);
/* Topics clients may not send to (TopicValidator.isNotAllowedSendTopic). */
bool proto_topic_is_not_allowed_send(const char *topic);

#endif
