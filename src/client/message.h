/*
 * The message object's fields (rocketmq/message.h) for the producer's encoder, and the
 * properties-string encoder.
 */
#ifndef RMQ_CLIENT_MESSAGE_H
#define RMQ_CLIENT_MESSAGE_H

#include "common/buf.h"

#include <rocketmq/message.h>

#include <stdbool.h>

typedef struct {
    char *name, *value;
} client_msg_prop_t;

struct rmq_message_s {
    char *topic;
    const char *body; /* owned_body, the caller's (NOCOPY) or "" */
    size_t body_len;
    char *owned_body;
    int32_t flag;
    client_msg_prop_t *props; /* in the order first set */
    size_t prop_count, prop_cap;
};

/* Appends every property as "name\1value\2" (spec remoting.md 6.1). */
void client_msg_props_encode(const rmq_message_t *msg, rmq_buf_t *out);
/* True for MessageConst.STRING_HASH_SET names (not settable as user properties). */
bool client_msg_is_system_property(const char *name);

#endif
