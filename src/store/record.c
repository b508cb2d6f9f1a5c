/*
 * CommitLog record encode/decode; the layout is drawn in record.h. Encoding runs inside
 * the append critical section straight into the mapped segment (the one copy of the
 * body); decoding runs on recovery, dispatch and read paths over mapped bytes.
 */
#include "store/record.h"

#include "common/checksum.h"
#include "protocol/message.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixed head of a record, used only to pin the layout at compile time. */
typedef struct __attribute__((packed)) {
    uint32_t total;
    uint32_t magic;
    uint32_t body_crc;
    uint32_t queue_id;
    uint32_t flag;
    uint64_t queue_offset;
    uint64_t phys_offset;
    uint32_t sys_flag;
    uint64_t born_ts;
} record_head_t;

_Static_assert(offsetof(record_head_t, magic) == STORE_REC_OFF_MAGIC, "magic");
_Static_assert(offsetof(record_head_t, body_crc) == STORE_REC_OFF_BODYCRC, "bodycrc");
_Static_assert(offsetof(record_head_t, queue_id) == STORE_REC_OFF_QUEUEID, "queueid");
_Static_assert(offsetof(record_head_t, flag) == STORE_REC_OFF_FLAG, "flag");
_Static_assert(offsetof(record_head_t, queue_offset) == STORE_REC_OFF_QUEUEOFFSET, "qoffset");
_Static_assert(offsetof(record_head_t, phys_offset) == STORE_REC_OFF_PHYSOFFSET, "poffset");
_Static_assert(offsetof(record_head_t, sys_flag) == STORE_REC_OFF_SYSFLAG, "sysflag");
_Static_assert(offsetof(record_head_t, born_ts) == STORE_REC_OFF_BORNTS, "bornts");
_Static_assert(sizeof(record_head_t) == STORE_REC_OFF_BORNHOST, "head size");
/* 74 + B + S + T: v1 IPv4/IPv4 records carry 91 bytes besides body, topic, properties. */
_Static_assert(74 + 8 + 8 + 1 == 91, "v1 ipv4 overhead");
_Static_assert(STORE_MAGIC_V1 == PROTO_MSG_MAGIC_V1 && STORE_MAGIC_V2 == PROTO_MSG_MAGIC_V2,
               "magic");
_Static_assert(STORE_SYSFLAG_BORNHOST_V6 == PROTO_MSG_SYSFLAG_BORNHOST_V6 &&
                   STORE_SYSFLAG_STOREHOST_V6 == PROTO_MSG_SYSFLAG_STOREHOST_V6,
               "host flags");

static inline size_t host_len(bool v6) {
    return v6 ? 20 : 8;
}

store_host_t store_host_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, int32_t port) {
    store_host_t h = {.addr = {a, b, c, d}, .port = port, .is_v6 = false};
    return h;
}

int store_host_parse(const char *text, store_host_t *out) {
    char buf[64];
    const char *colon = strrchr(text, ':');
    if (!colon || (size_t)(colon - text) >= sizeof buf)
        return -EINVAL;
    size_t n = (size_t)(colon - text);
    memcpy(buf, text, n);
    buf[n] = '\0';
    char *addr = buf;
    if (n >= 2 && buf[0] == '[' && buf[n - 1] == ']') {
        buf[n - 1] = '\0';
        addr = buf + 1;
    }
    memset(out, 0, sizeof *out);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return -EINVAL;
    out->port = (int32_t)port;
    if (inet_pton(AF_INET, addr, out->addr) == 1)
        return 0;
    if (inet_pton(AF_INET6, addr, out->addr) == 1) {
        out->is_v6 = true;
        return 0;
    }
    return -EINVAL;
}

int store_record_size(const store_msg_t *m, size_t *size, uint32_t *magic) {
    if (m->topic.len == 0 || m->topic.len > STORE_MAX_TOPIC_LEN)
        return -EINVAL;
    if (m->props.len > STORE_MAX_PROPS_LEN)
        return -EMSGSIZE;
    if (m->body.len > INT32_MAX / 2)
        return -EMSGSIZE;
    bool v2 = m->topic.len > 127;
    *magic = v2 ? STORE_MAGIC_V2 : STORE_MAGIC_V1;
    *size = 74 + host_len(m->born_host.is_v6) + host_len(m->store_host.is_v6) + (v2 ? 2 : 1) +
            m->body.len + m->topic.len + m->props.len;
    return 0;
}

static char *put_host(char *p, const store_host_t *h) {
    size_t n = h->is_v6 ? 16 : 4;
    memcpy(p, h->addr, n);
    rmq_put_u32be(p + n, (uint32_t)h->port);
    return p + n + 4;
}

void store_record_encode(char *dst, size_t size, uint32_t magic, const store_msg_t *m,
                         int32_t body_crc, int64_t queue_offset, int64_t phys_offset,
                         int64_t store_ts) {
    int32_t sys_flag = m->sys_flag & ~(STORE_SYSFLAG_BORNHOST_V6 | STORE_SYSFLAG_STOREHOST_V6);
    if (m->born_host.is_v6)
        sys_flag |= STORE_SYSFLAG_BORNHOST_V6;
    if (m->store_host.is_v6)
        sys_flag |= STORE_SYSFLAG_STOREHOST_V6;
    char *p = dst;
    rmq_put_u32be(p, (uint32_t)size);
    rmq_put_u32be(p + 4, magic);
    rmq_put_u32be(p + 8, (uint32_t)body_crc);
    rmq_put_u32be(p + 12, (uint32_t)m->queue_id);
    rmq_put_u32be(p + 16, (uint32_t)m->flag);
    rmq_put_u64be(p + 20, (uint64_t)queue_offset);
    rmq_put_u64be(p + 28, (uint64_t)phys_offset);
    rmq_put_u32be(p + 36, (uint32_t)sys_flag);
    rmq_put_u64be(p + 40, (uint64_t)m->born_ts);
    p = put_host(p + 48, &m->born_host);
    rmq_put_u64be(p, (uint64_t)store_ts);
    p = put_host(p + 8, &m->store_host);
    rmq_put_u32be(p, (uint32_t)m->reconsume_times);
    rmq_put_u64be(p + 4, (uint64_t)m->prepared_tx_offset);
    rmq_put_u32be(p + 12, (uint32_t)m->body.len);
    p += 16;
    if (m->body.len)
        memcpy(p, m->body.ptr, m->body.len);
    p += m->body.len;
    if (magic == STORE_MAGIC_V2) {
        rmq_put_u16be(p, (uint16_t)m->topic.len);
        p += 2;
    } else {
        *p++ = (char)m->topic.len;
    }
    memcpy(p, m->topic.ptr, m->topic.len);
    p += m->topic.len;
    rmq_put_u16be(p, (uint16_t)m->props.len);
    p += 2;
    if (m->props.len)
        memcpy(p, m->props.ptr, m->props.len);
}

/* The record itself is decoded by protocol's decoder (one decoder for clients and the
 * store); the store adds the end-of-segment blank and the body CRC check. */
int store_record_decode(const char *p, size_t avail, bool check_crc, store_record_t *r) {
    if (avail < 8)
        return -EBADMSG;
    int32_t total = (int32_t)rmq_get_u32be(p);
    uint32_t magic = rmq_get_u32be(p + 4);
    if (magic == STORE_MAGIC_BLANK) {
        r->total_size = total;
        r->magic = magic;
        return total >= STORE_BLANK_MIN ? STORE_RECORD_BLANK : -EBADMSG;
    }
    if (proto_msg_record_decode(p, avail, r) != 0)
        return -EBADMSG;
    if (check_crc && rmq_crc32_masked(r->body.ptr, r->body.len) != r->body_crc)
        return -EBADMSG;
    return 0;
}

size_t store_msg_id(const store_host_t *h, int64_t phys_offset, char *out) {
    return proto_msg_id_encode(h->addr, h->is_v6 ? 16 : 4, h->port, phys_offset, out);
}

void store_props_foreach(rmq_slice_t props, store_props_cb cb, void *arg) {
    const char *p = props.ptr, *end = props.ptr + props.len;
    while (p < end) {
        const char *sep = memchr(p, 2, (size_t)(end - p));
        const char *stop = sep ? sep : end;
        const char *eq = memchr(p, 1, (size_t)(stop - p));
        if (eq && eq > p && eq + 1 < stop)
            cb(arg, rmq_slice(p, (size_t)(eq - p)), rmq_slice(eq + 1, (size_t)(stop - eq - 1)));
        p = stop + 1;
    }
}

/*
 * A name can occur twice: the broker appends a batch's own properties (its UNIQ_KEY,
 * WAIT, CLUSTER...) to every inner message's. Java reads the string into a HashMap, so the
 * last occurrence wins (the index, the consumer's msgId); so does this lookup, which
 * therefore always scans the whole string.
 */
bool store_props_get(rmq_slice_t props, const char *name, rmq_slice_t *value) {
    size_t nl = strlen(name);
    const char *p = props.ptr, *end = props.ptr + props.len;
    bool found = false;
    while (p < end) {
        const char *sep = memchr(p, 2, (size_t)(end - p));
        const char *stop = sep ? sep : end;
        const char *eq = memchr(p, 1, (size_t)(stop - p));
        if (eq && (size_t)(eq - p) == nl && nl > 0 && eq + 1 < stop && memcmp(p, name, nl) == 0) {
            *value = rmq_slice(eq + 1, (size_t)(stop - eq - 1));
            found = true;
        }
        p = stop + 1;
    }
    return found;
}
