/*
 * rmq_message_t (rocketmq/message.h): topic, body, flag and an ordered property list,
 * and the encoder of that list into RocketMQ's properties string (spec remoting.md 6.1:
 * name \001 value \002 after every pair).
 *
 * System properties set through the named setters (TAGS, KEYS, DELAY, WAIT) share the
 * list with user properties; rmq_message_set_property refuses system names, as Java's
 * Message.putUserProperty does with MessageConst.STRING_HASH_SET.
 *
 * Threads: none of its own; a message is a plain value.
 */
#include "client/message.h"

#include "common/alloc.h"
#include "protocol/message.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MessageConst.STRING_HASH_SET: names an application may not set as user properties. */
static const char *const system_names[] = {
    "TRACE_ON",
    "MSG_REGION",
    "KEYS",
    "TAGS",
    "WAIT",
    "DELAY",
    "RETRY_TOPIC",
    "REAL_TOPIC",
    "REAL_QID",
    "TRAN_MSG",
    "PGROUP",
    "MIN_OFFSET",
    "MAX_OFFSET",
    "BUYER_ID",
    "ORIGIN_MESSAGE_ID",
    "TRANSFER_FLAG",
    "CORRECTION_FLAG",
    "MQ2_FLAG",
    "RECONSUME_TIME",
    "UNIQ_KEY",
    "MAX_RECONSUME_TIMES",
    "CONSUME_START_TIME",
    "POP_CK",
    "POP_CK_OFFSET",
    "1ST_POP_TIME",
    "TRAN_PREPARED_QUEUE_OFFSET",
    "DUP_INFO",
    "EXTEND_UNIQ_INFO",
    "INSTANCE_ID",
    "CORRELATION_ID",
    "REPLY_TO_CLIENT",
    "TTL",
    "ARRIVE_TIME",
    "PUSH_REPLY_TIME",
    "CLUSTER",
    "MSG_TYPE",
    "INNER_MULTI_QUEUE_OFFSET",
};

bool client_msg_is_system_property(const char *name) {
    for (size_t i = 0; i < sizeof system_names / sizeof system_names[0]; i++)
        if (strcmp(system_names[i], name) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------------ properties */

static int find_prop(const rmq_message_t *msg, const char *name) {
    for (size_t i = 0; i < msg->prop_count; i++)
        if (strcmp(msg->props[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Sets or (value NULL) removes a property; no checks. */
static void put_prop(rmq_message_t *msg, const char *name, const char *value) {
    int i = find_prop(msg, name);
    if (!value) {
        if (i < 0)
            return;
        rmq_free(msg->props[i].name);
        rmq_free(msg->props[i].value);
        memmove(&msg->props[i], &msg->props[i + 1],
                (msg->prop_count - (size_t)i - 1) * sizeof msg->props[0]);
        msg->prop_count--;
        return;
    }
    if (i >= 0) {
        rmq_free(msg->props[i].value);
        msg->props[i].value = rmq_strdup(value);
        return;
    }
    if (msg->prop_count == msg->prop_cap) {
        msg->prop_cap = msg->prop_cap ? msg->prop_cap * 2 : 4;
        msg->props = rmq_realloc(msg->props, msg->prop_cap * sizeof msg->props[0]);
    }
    msg->props[msg->prop_count].name = rmq_strdup(name);
    msg->props[msg->prop_count].value = rmq_strdup(value);
    msg->prop_count++;
}

void client_msg_props_encode(const rmq_message_t *msg, rmq_buf_t *out) {
    for (size_t i = 0; i < msg->prop_count; i++)
        proto_props_append(out, msg->props[i].name, msg->props[i].value,
                           strlen(msg->props[i].value));
}

/* ------------------------------------------------------------------ public */

rmq_message_t *rmq_message_new(const char *topic) {
    rmq_message_t *msg = RMQ_NEW(rmq_message_t);
    msg->topic = rmq_strdup(topic ? topic : "");
    msg->body = "";
    put_prop(msg, PROTO_PROP_WAIT, "true");
    return msg;
}

void rmq_message_destroy(rmq_message_t *msg) {
    if (!msg)
        return;
    for (size_t i = 0; i < msg->prop_count; i++) {
        rmq_free(msg->props[i].name);
        rmq_free(msg->props[i].value);
    }
    rmq_free(msg->props);
    rmq_free(msg->owned_body);
    rmq_free(msg->topic);
    rmq_free(msg);
}

void rmq_message_set_topic(rmq_message_t *msg, const char *topic) {
    rmq_free(msg->topic);
    msg->topic = rmq_strdup(topic ? topic : "");
}

const char *rmq_message_topic(const rmq_message_t *msg) {
    return msg->topic;
}

void rmq_message_set_tags(rmq_message_t *msg, const char *tags) {
    put_prop(msg, PROTO_PROP_TAGS, tags && *tags ? tags : NULL);
}

const char *rmq_message_tags(const rmq_message_t *msg) {
    return rmq_message_property(msg, PROTO_PROP_TAGS);
}

void rmq_message_set_keys(rmq_message_t *msg, const char *keys) {
    put_prop(msg, PROTO_PROP_KEYS, keys && *keys ? keys : NULL);
}

const char *rmq_message_keys(const rmq_message_t *msg) {
    return rmq_message_property(msg, PROTO_PROP_KEYS);
}

void rmq_message_set_body(rmq_message_t *msg, const void *body, size_t len, int flags) {
    rmq_free(msg->owned_body);
    msg->owned_body = NULL;
    if (!body || len == 0) {
        msg->body = "";
        msg->body_len = 0;
        return;
    }
    if (flags & RMQ_MSG_F_NOCOPY) {
        msg->body = body;
    } else {
        msg->owned_body = rmq_malloc(len);
        memcpy(msg->owned_body, body, len);
        msg->body = msg->owned_body;
    }
    msg->body_len = len;
}

const void *rmq_message_body(const rmq_message_t *msg, size_t *len) {
    if (len)
        *len = msg->body_len;
    return msg->body;
}

void rmq_message_set_flag(rmq_message_t *msg, int32_t flag) {
    msg->flag = flag;
}

int32_t rmq_message_flag(const rmq_message_t *msg) {
    return msg->flag;
}

void rmq_message_set_delay_level(rmq_message_t *msg, int level) {
    char v[16];
    snprintf(v, sizeof v, "%d", level);
    put_prop(msg, PROTO_PROP_DELAY, level > 0 ? v : NULL);
}

int rmq_message_delay_level(const rmq_message_t *msg) {
    const char *v = rmq_message_property(msg, PROTO_PROP_DELAY);
    return v ? atoi(v) : 0;
}

void rmq_message_set_wait_store_msg_ok(rmq_message_t *msg, int wait) {
    put_prop(msg, PROTO_PROP_WAIT, wait ? "true" : "false");
}

int rmq_message_wait_store_msg_ok(const rmq_message_t *msg) {
    const char *v = rmq_message_property(msg, PROTO_PROP_WAIT);
    return !v || strcmp(v, "false") != 0; /* Java: absent = true */
}

static bool has_separator(const char *s) {
    return strchr(s, PROTO_PROP_NAME_SEP) || strchr(s, PROTO_PROP_VALUE_SEP);
}

rmq_err_t rmq_message_set_property(rmq_message_t *msg, const char *name, const char *value) {
    if (!msg || !name || !*name || has_separator(name) || client_msg_is_system_property(name))
        return RMQ_ERR__INVALID_ARG;
    if (value && (!*value || has_separator(value)))
        return RMQ_ERR__INVALID_ARG;
    put_prop(msg, name, value);
    return RMQ_ERR_NO_ERROR;
}

const char *rmq_message_property(const rmq_message_t *msg, const char *name) {
    int i = find_prop(msg, name);
    return i < 0 ? NULL : msg->props[i].value;
}

size_t rmq_message_property_count(const rmq_message_t *msg) {
    return msg->prop_count;
}

const char *rmq_message_property_name(const rmq_message_t *msg, size_t i) {
    return i < msg->prop_count ? msg->props[i].name : NULL;
}

const char *rmq_message_property_value(const rmq_message_t *msg, size_t i) {
    return i < msg->prop_count ? msg->props[i].value : NULL;
}
