/*
 * Received messages (rmq_message_ext_t, Java's MessageExt): decoded from the records of
 * a pull body (protocol/msg_record.h), bodies inflated when the COMPRESSED sys flag says
 * zlib, inner batches split into one message per record, properties parsed into the
 * message's list in their wire order. Message ids as Java's MessageClientExt: UNIQ_KEY
 * when present, else the offset id (store host + commit-log offset).
 *
 * Threads: none; a message is a plain value once built.
 */
#include "client/consumer.h"

#include "client/send_codec.h"
#include "common/alloc.h"
#include "protocol/message.h"
#include "protocol/msg_record.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ lists */

void client_msgs_add(client_msgs_t *l, rmq_message_ext_t *m) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = rmq_realloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->count++] = m;
}

void client_msgs_close(client_msgs_t *l) {
    for (size_t i = 0; i < l->count; i++)
        rmq_message_ext_destroy(l->items[i]);
    rmq_free(l->items);
    memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------------ building */

static void add_prop(rmq_message_t *msg, rmq_slice_t name, rmq_slice_t value) {
    for (size_t i = 0; i < msg->prop_count; i++) {
        if (strlen(msg->props[i].name) == name.len &&
            memcmp(msg->props[i].name, name.ptr, name.len) == 0) {
            rmq_free(msg->props[i].value);
            msg->props[i].value = rmq_strndup(value.ptr, value.len);
            return;
        }
    }
    if (msg->prop_count == msg->prop_cap) {
        msg->prop_cap = msg->prop_cap ? msg->prop_cap * 2 : 8;
        msg->props = rmq_realloc(msg->props, msg->prop_cap * sizeof *msg->props);
    }
    msg->props[msg->prop_count].name = rmq_strndup(name.ptr, name.len);
    msg->props[msg->prop_count].value = rmq_strndup(value.ptr, value.len);
    msg->prop_count++;
}

/* Java's string2messageProperties: pairs without a separator or with an empty name or
 * value are skipped; a last pair may lack its 0x02. */
static void parse_props(rmq_message_t *msg, rmq_slice_t props) {
    const char *p = props.ptr, *end = props.ptr + props.len;
    while (p < end) {
        const char *stop = memchr(p, PROTO_PROP_VALUE_SEP, (size_t)(end - p));
        if (!stop)
            stop = end;
        const char *sep = memchr(p, PROTO_PROP_NAME_SEP, (size_t)(stop - p));
        if (sep && sep > p && sep + 1 < stop)
            add_prop(msg, rmq_slice(p, (size_t)(sep - p)),
                     rmq_slice(sep + 1, (size_t)(stop - sep - 1)));
        p = stop + 1;
    }
}

static rmq_message_ext_t *build(const proto_msg_record_t *r, const char *broker_name,
                                rmq_slice_t body, int32_t flag, rmq_slice_t props,
                                int64_t queue_offset) {
    rmq_message_ext_t *m = RMQ_NEW(rmq_message_ext_t);
    m->msg.topic = rmq_strndup(r->topic.ptr, r->topic.len);
    m->msg.owned_body = rmq_malloc(body.len + 1);
    memcpy(m->msg.owned_body, body.ptr, body.len);
    m->msg.owned_body[body.len] = '\0';
    m->msg.body = m->msg.owned_body;
    m->msg.body_len = body.len;
    m->msg.flag = flag;
    parse_props(&m->msg, props);
    m->broker_name = rmq_strdup(broker_name ? broker_name : "");
    m->queue_id = r->queue_id;
    m->sys_flag = r->sys_flag;
    m->reconsume_times = r->reconsume_times;
    m->body_crc = r->body_crc;
    m->store_size = r->total_size;
    m->prepared_tx_offset = r->prepared_tx_offset;
    m->queue_offset = queue_offset;
    m->commitlog_offset = r->phys_offset;
    m->born_ts = r->born_ts;
    m->store_ts = r->store_ts;
    proto_msg_host_format(&r->born_host, m->born_host, sizeof m->born_host);
    proto_msg_host_format(&r->store_host, m->store_host, sizeof m->store_host);
    proto_msg_id_encode(r->store_host.addr, r->store_host.is_v6 ? 16 : 4, r->store_host.port,
                        r->phys_offset, m->offset_msg_id);
    const char *uniq = client_msg_ext_prop(m, PROTO_PROP_UNIQ_KEY);
    snprintf(m->msg_id, sizeof m->msg_id, "%s", uniq ? uniq : m->offset_msg_id);
    return m;
}

/* True when the sys flag's compression type is one we can inflate (zlib: type 0 of 4.x
 * or ZLIB 0x300 of 5.x). */
static bool is_zlib(int32_t sys_flag) {
    int32_t type = sys_flag & PROTO_MSG_SYSFLAG_COMPRESSION_MASK;
    return type == 0 || type == 0x300;
}

int client_msgs_decode(rmq_slice_t body, const char *broker_name, client_msgs_t *out) {
    rmq_slice_t rest = body;
    proto_msg_record_t r;
    int rc;
    rmq_buf_t inflated;
    rmq_buf_init(&inflated);
    while ((rc = proto_msg_record_next(&rest, &r)) == 1) {
        rmq_slice_t mbody = r.body;
        if ((r.sys_flag & PROTO_MSG_SYSFLAG_COMPRESSED) && is_zlib(r.sys_flag)) {
            rmq_buf_reset(&inflated);
            if (client_zlib_decompress(r.body.ptr, r.body.len, &inflated) == 0)
                mbody = rmq_buf_slice(&inflated);
        }
        if (r.sys_flag & PROTO_MSG_SYSFLAG_INNER_BATCH) {
            rmq_slice_t inner = mbody;
            proto_batch_msg_t bm;
            int64_t off = r.queue_offset;
            while (proto_batch_next(&inner, &bm) == 1)
                client_msgs_add(out, build(&r, broker_name, bm.body, bm.flag, bm.props, off++));
            continue;
        }
        client_msgs_add(out, build(&r, broker_name, mbody, r.flag, r.props, r.queue_offset));
    }
    rmq_buf_close(&inflated);
    return rc < 0 ? -EBADMSG : 0;
}

const char *client_msg_ext_prop(const rmq_message_ext_t *m, const char *name) {
    return rmq_message_property(&m->msg, name);
}

void client_msg_ext_reset_retry_topic(rmq_message_ext_t *m, const char *group) {
    const char *retry = client_msg_ext_prop(m, PROTO_PROP_RETRY_TOPIC);
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s%s", PROTO_RETRY_GROUP_TOPIC_PREFIX, group);
    if (retry && strcmp(m->msg.topic, prefix) == 0) {
        rmq_free(m->msg.topic);
        m->msg.topic = rmq_strdup(retry);
    }
}

/* ------------------------------------------------------------------ public accessors */

const rmq_message_t *rmq_message_ext_message(const rmq_message_ext_t *m) {
    return &m->msg;
}
const char *rmq_message_ext_msg_id(const rmq_message_ext_t *m) {
    return m->msg_id;
}
const char *rmq_message_ext_offset_msg_id(const rmq_message_ext_t *m) {
    return m->offset_msg_id;
}
const char *rmq_message_ext_broker_name(const rmq_message_ext_t *m) {
    return m->broker_name;
}
int32_t rmq_message_ext_queue_id(const rmq_message_ext_t *m) {
    return m->queue_id;
}
int64_t rmq_message_ext_queue_offset(const rmq_message_ext_t *m) {
    return m->queue_offset;
}
int64_t rmq_message_ext_commitlog_offset(const rmq_message_ext_t *m) {
    return m->commitlog_offset;
}
int32_t rmq_message_ext_reconsume_times(const rmq_message_ext_t *m) {
    return m->reconsume_times;
}
int64_t rmq_message_ext_born_timestamp(const rmq_message_ext_t *m) {
    return m->born_ts;
}
int64_t rmq_message_ext_store_timestamp(const rmq_message_ext_t *m) {
    return m->store_ts;
}
const char *rmq_message_ext_born_host(const rmq_message_ext_t *m) {
    return m->born_host;
}
const char *rmq_message_ext_store_host(const rmq_message_ext_t *m) {
    return m->store_host;
}
int32_t rmq_message_ext_sys_flag(const rmq_message_ext_t *m) {
    return m->sys_flag;
}
int32_t rmq_message_ext_body_crc(const rmq_message_ext_t *m) {
    return m->body_crc;
}
int32_t rmq_message_ext_store_size(const rmq_message_ext_t *m) {
    return m->store_size;
}
int64_t rmq_message_ext_prepared_transaction_offset(const rmq_message_ext_t *m) {
    return m->prepared_tx_offset;
}

rmq_message_t *rmq_message_ext_copy_message(const rmq_message_ext_t *m) {
    rmq_message_t *msg = RMQ_NEW(rmq_message_t);
    msg->topic = rmq_strdup(m->msg.topic);
    msg->owned_body = rmq_malloc(m->msg.body_len + 1);
    memcpy(msg->owned_body, m->msg.body, m->msg.body_len);
    msg->owned_body[m->msg.body_len] = '\0';
    msg->body = msg->owned_body;
    msg->body_len = m->msg.body_len;
    msg->flag = m->msg.flag;
    msg->prop_cap = m->msg.prop_count ? m->msg.prop_count : 1;
    msg->props = rmq_calloc(msg->prop_cap, sizeof *msg->props);
    for (size_t i = 0; i < m->msg.prop_count; i++) {
        msg->props[i].name = rmq_strdup(m->msg.props[i].name);
        msg->props[i].value = rmq_strdup(m->msg.props[i].value);
    }
    msg->prop_count = m->msg.prop_count;
    return msg;
}

void rmq_message_ext_destroy(rmq_message_ext_t *m) {
    if (!m)
        return;
    for (size_t i = 0; i < m->msg.prop_count; i++) {
        rmq_free(m->msg.props[i].name);
        rmq_free(m->msg.props[i].value);
    }
    rmq_free(m->msg.props);
    rmq_free(m->msg.owned_body);
    rmq_free(m->msg.topic);
    rmq_free(m->broker_name);
    rmq_free(m);
}
