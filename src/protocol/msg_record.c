/*
 * Stored-record decoding for clients (msg_record.h). Every length is checked against
 * TOTALSIZE and the bytes left before it is used: the input comes from the network.
 */
#include "protocol/msg_record.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *p, *end;
    bool is_bad;
} reader_t;

static const char *take(reader_t *r, size_t n) {
    if (r->is_bad || (size_t)(r->end - r->p) < n) {
        r->is_bad = true;
        return NULL;
    }
    const char *at = r->p;
    r->p += n;
    return at;
}

static int32_t take_i32(reader_t *r) {
    const char *p = take(r, 4);
    return p ? (int32_t)rmq_get_u32be(p) : 0;
}

static int64_t take_i64(reader_t *r) {
    const char *p = take(r, 8);
    return p ? (int64_t)rmq_get_u64be(p) : 0;
}

static void take_host(reader_t *r, bool is_v6, proto_msg_host_t *h) {
    h->addr_len = is_v6 ? 16 : 4;
    const char *p = take(r, h->addr_len);
    if (p)
        memcpy(h->addr, p, h->addr_len);
    h->port = take_i32(r);
}

int proto_msg_record_next(rmq_slice_t *rest, proto_msg_record_t *m) {
    if (rest->len == 0)
        return 0;
    if (rest->len < 8)
        return -EBADMSG;
    int32_t total = (int32_t)rmq_get_u32be(rest->ptr);
    uint32_t magic = rmq_get_u32be(rest->ptr + 4);
    if (total < 8 || (size_t)total > rest->len ||
        (magic != PROTO_MSG_MAGIC_V1 && magic != PROTO_MSG_MAGIC_V2))
        return -EBADMSG;
    reader_t r = {.p = rest->ptr + 8, .end = rest->ptr + total};
    memset(m, 0, sizeof *m);
    m->total_size = total;
    m->body_crc = take_i32(&r);
    m->queue_id = take_i32(&r);
    m->flag = take_i32(&r);
    m->queue_offset = take_i64(&r);
    m->phys_offset = take_i64(&r);
    m->sys_flag = take_i32(&r);
    m->born_ts = take_i64(&r);
    take_host(&r, m->sys_flag & PROTO_MSG_SYSFLAG_BORNHOST_V6, &m->born_host);
    m->store_ts = take_i64(&r);
    take_host(&r, m->sys_flag & PROTO_MSG_SYSFLAG_STOREHOST_V6, &m->store_host);
    m->reconsume_times = take_i32(&r);
    m->prepared_tx_offset = take_i64(&r);
    int32_t body_len = take_i32(&r);
    if (body_len < 0)
        return -EBADMSG;
    const char *body = take(&r, (size_t)body_len);
    m->body = rmq_slice(body ? body : "", body ? (size_t)body_len : 0);
    size_t topic_len;
    if (magic == PROTO_MSG_MAGIC_V2) {
        const char *p = take(&r, 2);
        topic_len = p ? rmq_get_u16be(p) : 0;
    } else {
        const char *p = take(&r, 1);
        topic_len = p ? (uint8_t)*p : 0;
    }
    const char *topic = take(&r, topic_len);
    m->topic = rmq_slice(topic ? topic : "", topic ? topic_len : 0);
    const char *pl = take(&r, 2);
    int16_t props_len = pl ? (int16_t)rmq_get_u16be(pl) : 0;
    if (props_len < 0)
        return -EBADMSG;
    const char *props = take(&r, (size_t)props_len);
    m->props = rmq_slice(props ? props : "", props ? (size_t)props_len : 0);
    if (r.is_bad || r.p != r.end)
        return -EBADMSG;
    rest->ptr += total;
    rest->len -= (size_t)total;
    return 1;
}

void proto_msg_host_format(const proto_msg_host_t *h, char *out, size_t outlen) {
    char ip[64];
    if (h->addr_len == 16) {
        inet_ntop(AF_INET6, h->addr, ip, sizeof ip);
        snprintf(out, outlen, "[%s]:%d", ip, (int)h->port);
    } else {
        inet_ntop(AF_INET, h->addr, ip, sizeof ip);
        snprintf(out, outlen, "%s:%d", ip, (int)h->port);
    }
}
