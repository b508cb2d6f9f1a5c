/*
 * The producer's wire encoding of one send and the decoding of its answer; the formats
 * are laid out in send_codec.h (UNIQ_KEY, compression, batch) and spec remoting.md 5.2.1
 * (header, response) and 6.1-6.9 (properties, sysFlag, batch, ids).
 *
 * Runs on: the sending thread (encode) and the I/O thread (async decode). Locks: the
 * UNIQ_KEY generator's mutex.
 */
#include "client/send_codec.h"

#include "client/client.h"
#include "common/alloc.h"
#include "common/time.h"
#include "protocol/codes.h"
#include "protocol/message.h"
#include "protocol/send_header.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* ------------------------------------------------------------------ UNIQ_KEY */

static pthread_mutex_t uniq_mu = PTHREAD_MUTEX_INITIALIZER;
static proto_uniq_gen_t uniq_gen;
static bool uniq_ready;

void client_local_ipv4(uint8_t ip[4]) {
    static const uint8_t loopback[4] = {127, 0, 0, 1};
    memcpy(ip, loopback, 4);
    struct ifaddrs *ifs = NULL;
    if (getifaddrs(&ifs) != 0)
        return;
    for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP) ||
            (i->ifa_flags & IFF_LOOPBACK))
            continue;
        const struct sockaddr_in *sin = (const struct sockaddr_in *)i->ifa_addr;
        memcpy(ip, &sin->sin_addr, 4);
        break;
    }
    freeifaddrs(ifs);
}

void client_uniq_id_next(char out[33]) {
    pthread_mutex_lock(&uniq_mu);
    if (!uniq_ready) {
        uint8_t ip[4];
        client_local_ipv4(ip);
        /* Java uses the class loader's identity hash: any per-process int will do. */
        int32_t constant = (int32_t)(rmq_mono_ns() ^ ((int64_t)getpid() << 20) ^ rmq_now_ms());
        proto_uniq_gen_init(&uniq_gen, ip, (int32_t)getpid(), constant);
        uniq_ready = true;
    }
    proto_uniq_gen_next(&uniq_gen, rmq_now_ms(), out);
    pthread_mutex_unlock(&uniq_mu);
}

int client_uniq_id_decode(const char *id, client_uniq_id_parts_t *parts) {
    if (!id || strlen(id) != 32)
        return -EINVAL;
    uint8_t raw[16];
    if (proto_hex_decode(id, sizeof raw, raw) != 0)
        return -EINVAL;
    memcpy(parts->ip, raw, 4);
    parts->pid = rmq_get_u16be(raw + 4);
    parts->constant = (int32_t)rmq_get_u32be(raw + 6);
    parts->ms_in_month = rmq_get_u32be(raw + 10);
    parts->counter = rmq_get_u16be(raw + 14);
    return 0;
}

/* ------------------------------------------------------------------ compression */

int client_zlib_compress(const void *in, size_t len, int level, rmq_buf_t *out) {
    uLongf cap = compressBound((uLong)len);
    rmq_buf_reset(out);
    rmq_buf_reserve(out, cap);
    if (compress2((Bytef *)out->data, &cap, in, (uLong)len, level) != Z_OK)
        return -EIO;
    out->len = cap;
    return 0;
}

int client_zlib_decompress(const void *in, size_t len, rmq_buf_t *out) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return -EIO;
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)len;
    rmq_buf_reset(out);
    int rc;
    do {
        rmq_buf_reserve(out, len * 2 + 1024);
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = (uInt)(out->cap - out->len);
        rc = inflate(&zs, Z_NO_FLUSH);
        out->len = out->cap - zs.avail_out;
    } while (rc == Z_OK);
    inflateEnd(&zs);
    return rc == Z_STREAM_END ? 0 : -EBADMSG;
}

/* ------------------------------------------------------------------ request */

void client_send_req_init(client_send_req_t *r) {
    memset(r, 0, sizeof *r);
    rmq_buf_init(&r->props);
    rmq_buf_init(&r->body);
    rmq_buf_init(&r->msg_ids);
}

void client_send_req_close(client_send_req_t *r) {
    rmq_buf_close(&r->props);
    rmq_buf_close(&r->body);
    rmq_buf_close(&r->msg_ids);
}

void client_send_req_single(client_send_req_t *r, const rmq_message_t *msg, int64_t compress_over,
                            int level) {
    r->topic = msg->topic;
    r->is_batch = false;
    r->flag = msg->flag;
    r->sys_flag = 0;
    rmq_buf_reset(&r->props);
    client_msg_props_encode(msg, &r->props);
    /* MessageClientIDSetter.setUniqID: a message that already has one (a copy of a
     * received message, rmq_message_ext_copy_message) keeps it. */
    const char *uniq = rmq_message_property(msg, PROTO_PROP_UNIQ_KEY);
    if (uniq && strlen(uniq) == 32) {
        memcpy(r->uniq_id, uniq, 33);
    } else {
        client_uniq_id_next(r->uniq_id);
        proto_props_append(&r->props, PROTO_PROP_UNIQ_KEY, r->uniq_id, 32);
    }
    rmq_buf_reset(&r->msg_ids);
    rmq_buf_append(&r->msg_ids, r->uniq_id, 32);
    rmq_buf_cstr(&r->msg_ids);
    r->body_ref = rmq_slice(msg->body, msg->body_len);
    if (compress_over > 0 && (int64_t)msg->body_len >= compress_over &&
        client_zlib_compress(msg->body, msg->body_len, level, &r->body) == 0) {
        r->sys_flag |= CLIENT_SYSFLAG_COMPRESSED | CLIENT_SYSFLAG_ZLIB;
        r->body_ref = rmq_buf_slice(&r->body);
    }
}

void client_send_req_own_body(client_send_req_t *r) {
    if (r->body_ref.len > 0 && r->body_ref.ptr != r->body.data) {
        rmq_buf_reset(&r->body);
        rmq_buf_append(&r->body, r->body_ref.ptr, r->body_ref.len);
        r->body_ref = rmq_buf_slice(&r->body);
    }
}

rmq_err_t client_send_req_batch(client_send_req_t *r, const rmq_message_t *const *msgs, size_t n,
                                char *errstr, size_t errlen) {
    if (!msgs || n == 0) {
        client_errstr(errstr, errlen, "a batch needs at least one message");
        return RMQ_ERR__INVALID_ARG;
    }
    const rmq_message_t *first = msgs[0];
    for (size_t i = 0; i < n; i++) {
        const rmq_message_t *m = msgs[i];
        if (!m) {
            client_errstr(errstr, errlen, "message %zu of the batch is NULL", i);
            return RMQ_ERR__INVALID_ARG;
        }
        if (rmq_message_delay_level(m) > 0) {
            client_errstr(errstr, errlen, "TimeDelayLevel is not supported for batching");
            return RMQ_ERR__INVALID_ARG;
        }
        if (strncmp(m->topic, PROTO_RETRY_GROUP_TOPIC_PREFIX,
                    strlen(PROTO_RETRY_GROUP_TOPIC_PREFIX)) == 0) {
            client_errstr(errstr, errlen, "Retry Group is not supported for batching");
            return RMQ_ERR__INVALID_ARG;
        }
        if (strcmp(m->topic, first->topic) != 0) {
            client_errstr(errstr, errlen,
                          "The topic of the messages in one batch should be the same");
            return RMQ_ERR__INVALID_ARG;
        }
        if (rmq_message_wait_store_msg_ok(m) != rmq_message_wait_store_msg_ok(first)) {
            client_errstr(errstr, errlen,
                          "The waitStoreMsgOK of the messages in one batch should the same");
            return RMQ_ERR__INVALID_ARG;
        }
    }
    r->topic = first->topic;
    r->is_batch = true;
    r->flag = 0;
    r->sys_flag = 0;
    rmq_buf_reset(&r->body);
    rmq_buf_reset(&r->msg_ids);
    rmq_buf_t props;
    rmq_buf_init(&props);
    for (size_t i = 0; i < n; i++) {
        char id[33];
        client_uniq_id_next(id);
        rmq_buf_reset(&props);
        client_msg_props_encode(msgs[i], &props);
        proto_props_append(&props, PROTO_PROP_UNIQ_KEY, id, 32);
        proto_batch_append(&r->body, msgs[i]->flag, rmq_slice(msgs[i]->body, msgs[i]->body_len),
                           rmq_buf_slice(&props));
        if (i > 0)
            rmq_buf_append(&r->msg_ids, ",", 1);
        rmq_buf_append(&r->msg_ids, id, 32);
    }
    rmq_buf_close(&props);
    rmq_buf_cstr(&r->msg_ids);
    r->body_ref = rmq_buf_slice(&r->body);
    rmq_buf_reset(&r->props);
    const char *wait = rmq_message_wait_store_msg_ok(first) ? "true" : "false";
    proto_props_append(&r->props, PROTO_PROP_WAIT, wait, strlen(wait));
    client_uniq_id_next(r->uniq_id);
    proto_props_append(&r->props, PROTO_PROP_UNIQ_KEY, r->uniq_id, 32);
    return RMQ_ERR_NO_ERROR;
}

remoting_cmd_t *client_send_req_cmd(const client_send_req_t *r, const client_send_target_t *t) {
    remoting_cmd_t *cmd = remoting_cmd_new();
    remoting_cmd_set_request(cmd, r->is_batch ? PROTO_SEND_BATCH_MESSAGE : PROTO_SEND_MESSAGE_V2);
    rmq_buf_t *props = (rmq_buf_t *)&r->props; /* cstr only adds the terminator */
    proto_send_message_request_header_v2_t hdr = {
        .producerGroup = t->producer_group,
        .topic = r->topic,
        .defaultTopic = t->default_topic,
        .defaultTopicQueueNums = t->default_topic_queue_nums,
        .queueId = t->queue_id,
        .sysFlag = r->sys_flag,
        .bornTimestamp = rmq_now_ms(),
        .flag = r->flag,
        .properties = rmq_buf_cstr(props),
        .reconsumeTimes = 0,
        .has_reconsumeTimes = true,
        .unitMode = t->unit_mode,
        .has_unitMode = true,
        .batch = r->is_batch,
        .has_batch = true,
        .brokerName = t->broker_name,
    };
    proto_send_message_request_header_v2_encode(&hdr, cmd);
    remoting_cmd_borrow_body(cmd, r->body_ref.ptr, r->body_ref.len);
    return cmd;
}

/* ------------------------------------------------------------------ result */

static void set_str(rmq_buf_t *b, const char *s) {
    rmq_buf_reset(b);
    if (s)
        rmq_buf_append_cstr(b, s);
    rmq_buf_cstr(b);
}

rmq_err_t client_send_result_decode(const remoting_cmd_t *resp, const client_send_req_t *r,
                                    const char *broker_name, rmq_send_result_t *res, char *errstr,
                                    size_t errlen) {
    rmq_send_status_t status;
    switch (resp->code) {
    case 0:
        status = RMQ_SEND_OK;
        break;
    case RMQ_ERR_FLUSH_DISK_TIMEOUT:
        status = RMQ_SEND_FLUSH_DISK_TIMEOUT;
        break;
    case RMQ_ERR_FLUSH_SLAVE_TIMEOUT:
        status = RMQ_SEND_FLUSH_SLAVE_TIMEOUT;
        break;
    case RMQ_ERR_SLAVE_NOT_AVAILABLE:
        status = RMQ_SEND_SLAVE_NOT_AVAILABLE;
        break;
    default: {
        const char *remark = remoting_cmd_remark(resp);
        client_errstr(errstr, errlen, "%s", remark ? remark : "");
        return (rmq_err_t)resp->code;
    }
    }
    proto_send_message_response_header_t hdr = {0};
    const char *bad = NULL;
    if (proto_send_message_response_header_decode(resp, &hdr, &bad) != 0) {
        client_errstr(errstr, errlen, "bad send response header (field %s)", bad ? bad : "?");
        return RMQ_ERR__BAD_MSG;
    }
    if (!res)
        return RMQ_ERR_NO_ERROR;
    res->status = status;
    set_str(&res->msg_id, r->msg_ids.data);
    set_str(&res->offset_msg_id, hdr.msgId);
    set_str(&res->topic, r->topic);
    set_str(&res->broker_name, broker_name);
    const char *region = remoting_cmd_ext_get(resp, PROTO_PROP_MSG_REGION);
    set_str(&res->region_id, region && *region ? region : "DefaultRegion");
    res->has_transaction_id = hdr.transactionId != NULL;
    set_str(&res->transaction_id, hdr.transactionId);
    res->queue_id = hdr.queueId;
    res->queue_offset = hdr.queueOffset;
    return RMQ_ERR_NO_ERROR;
}
