/*
 * Stored-record decoding for clients and the store (msg_record.h). Every length is
 * checked against TOTALSIZE before it is used: the input comes from the network or disk.
 */
#include "protocol/msg_record.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *get_host(const char *p, bool v6, proto_msg_host_t *h) {
    size_t n = v6 ? 16 : 4;
    memset(h->addr, 0, sizeof h->addr);
    memcpy(h->addr, p, n);
    h->port = (int32_t)rmq_get_u32be(p + n);
    h->is_v6 = v6;
    return p + n + 4;
}

int proto_msg_record_decode(const char *p, size_t avail, proto_msg_record_t *m) {
    if (avail < 8)
        return -EBADMSG;
    int32_t total = (int32_t)rmq_get_u32be(p);
    uint32_t magic = rmq_get_u32be(p + 4);
    m->total_size = total;
    m->magic = magic;
    if (magic != PROTO_MSG_MAGIC_V1 && magic != PROTO_MSG_MAGIC_V2)
        return -EBADMSG;
    if (total < 91 || (size_t)total > avail) /* 91: the smallest record (IPv4, v1) */
        return -EBADMSG;
    const char *end = p + total;
    m->body_crc = (int32_t)rmq_get_u32be(p + 8);
    m->queue_id = (int32_t)rmq_get_u32be(p + 12);
    m->flag = (int32_t)rmq_get_u32be(p + 16);
    m->queue_offset = (int64_t)rmq_get_u64be(p + 20);
    m->phys_offset = (int64_t)rmq_get_u64be(p + 28);
    m->sys_flag = (int32_t)rmq_get_u32be(p + 36);
    m->born_ts = (int64_t)rmq_get_u64be(p + 40);
    bool born6 = m->sys_flag & PROTO_MSG_SYSFLAG_BORNHOST_V6;
    bool store6 = m->sys_flag & PROTO_MSG_SYSFLAG_STOREHOST_V6;
    bool v2 = magic == PROTO_MSG_MAGIC_V2;
    /* every fixed-size field and length field, hosts included */
    size_t fixed = 74 + (born6 ? 20 : 8) + (store6 ? 20 : 8) + (v2 ? 2 : 1);
    if ((size_t)total < fixed)
        return -EBADMSG;
    const char *q = get_host(p + 48, born6, &m->born_host);
    m->store_ts = (int64_t)rmq_get_u64be(q);
    q = get_host(q + 8, store6, &m->store_host);
    m->reconsume_times = (int32_t)rmq_get_u32be(q);
    m->prepared_tx_offset = (int64_t)rmq_get_u64be(q + 4);
    int32_t body_len = (int32_t)rmq_get_u32be(q + 12);
    q += 16;
    /* fixed bytes account for every length field, so these bounds checks stay inside. */
    if (body_len < 0 || (size_t)body_len > (size_t)total - fixed)
        return -EBADMSG;
    m->body = rmq_slice(q, (size_t)body_len);
    q += body_len;
    size_t topic_len;
    if (v2) {
        topic_len = rmq_get_u16be(q);
        q += 2;
    } else {
        int8_t tl = (int8_t)*q++;
        if (tl < 0)
            return -EBADMSG;
        topic_len = (size_t)tl;
    }
    if (topic_len > (size_t)(end - q) - 2)
        return -EBADMSG;
    m->topic = rmq_slice(q, topic_len);
    q += topic_len;
    int16_t props_len = (int16_t)rmq_get_u16be(q);
    q += 2;
    if (props_len < 0)
        return -EBADMSG;
    m->props = rmq_slice(q, (size_t)props_len);
    if (fixed + (size_t)body_len + topic_len + (size_t)props_len != (size_t)total)
        return -EBADMSG;
    return 0;
}

int proto_msg_record_next(rmq_slice_t *rest, proto_msg_record_t *m) {
    if (rest->len == 0)
        return 0;
    int rc = proto_msg_record_decode(rest->ptr, rest->len, m);
    if (rc != 0)
        return rc;
    rest->ptr += m->total_size;
    rest->len -= (size_t)m->total_size;
    return 1;
}

void proto_msg_host_format(const proto_msg_host_t *h, char *out, size_t outlen) {
    char ip[64];
    if (h->is_v6) {
        inet_ntop(AF_INET6, h->addr, ip, sizeof ip);
        snprintf(out, outlen, "[%s]:%d", ip, (int)h->port);
    } else {
        inet_ntop(AF_INET, h->addr, ip, sizeof ip);
        snprintf(out, outlen, "%s:%d", ip, (int)h->port);
    }
}
