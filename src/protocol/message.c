/* Message codec pieces; see message.h. */
#include "protocol/message.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- properties ---- */

void proto_props_append(rmq_buf_t *out, const char *name, const char *value, size_t value_len) {
    rmq_buf_append_cstr(out, name);
    rmq_buf_append_u8(out, PROTO_PROP_NAME_SEP);
    rmq_buf_append(out, value, value_len);
    rmq_buf_append_u8(out, PROTO_PROP_VALUE_SEP);
}

/* Calls back for each well-formed pair; stops when cb returns false. */
static void each_pair(rmq_slice_t props, bool (*cb)(void *, rmq_slice_t, rmq_slice_t, rmq_slice_t),
                      void *arg) {
    if (props.len == 0)
        return; /* an empty slice may carry a NULL pointer */
    const char *p = props.ptr, *end = props.ptr + props.len;
    while (p < end) {
        const char *vend = memchr(p, PROTO_PROP_VALUE_SEP, (size_t)(end - p));
        const char *chunk_end = vend ? vend : end;
        const char *sep = memchr(p, PROTO_PROP_NAME_SEP, (size_t)(chunk_end - p));
        rmq_slice_t whole = {p, (size_t)((vend ? vend + 1 : end) - p)};
        if (sep && sep > p && chunk_end > sep + 1) {
            rmq_slice_t name = {p, (size_t)(sep - p)};
            rmq_slice_t value = {sep + 1, (size_t)(chunk_end - sep - 1)};
            if (!cb(arg, name, value, whole))
                return;
        }
        p = vend ? vend + 1 : end;
    }
}

struct get_ctx {
    const char *name;
    size_t name_len;
    rmq_slice_t *value;
    bool found;
};

static bool get_cb(void *arg, rmq_slice_t name, rmq_slice_t value, rmq_slice_t whole) {
    struct get_ctx *c = arg;
    (void)whole;
    if (name.len == c->name_len && memcmp(name.ptr, c->name, name.len) == 0) {
        *c->value = value;
        c->found = true;
    }
    return true;
}

bool proto_props_get(rmq_slice_t props, const char *name, rmq_slice_t *value) {
    struct get_ctx c = {name, strlen(name), value, false};
    each_pair(props, get_cb, &c);
    return c.found;
}

struct remove_ctx {
    const char *name;
    size_t name_len;
    rmq_buf_t *out;
};

static bool remove_cb(void *arg, rmq_slice_t name, rmq_slice_t value, rmq_slice_t whole) {
    struct remove_ctx *c = arg;
    (void)value;
    if (!(name.len == c->name_len && memcmp(name.ptr, c->name, name.len) == 0)) {
        rmq_buf_append(c->out, whole.ptr, whole.len);
        if (whole.ptr[whole.len - 1] != PROTO_PROP_VALUE_SEP)
            rmq_buf_append_u8(c->out, PROTO_PROP_VALUE_SEP);
    }
    return true;
}

void proto_props_remove(rmq_slice_t props, const char *name, rmq_buf_t *out) {
    struct remove_ctx c = {name, strlen(name), out};
    each_pair(props, remove_cb, &c);
}

/* ---- message ids ---- */

static const char HEX[] = "0123456789ABCDEF";

static char *put_hex(char *o, const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        *o++ = HEX[b[i] >> 4];
        *o++ = HEX[b[i] & 15];
    }
    return o;
}

size_t proto_msg_id_encode(const uint8_t *addr, size_t addr_len, int32_t port, int64_t phys_offset,
                           char *out) {
    uint8_t tail[12];
    rmq_put_u32be(tail, (uint32_t)port);
    rmq_put_u64be(tail + 4, (uint64_t)phys_offset);
    char *o = put_hex(out, addr, addr_len);
    o = put_hex(o, tail, sizeof tail);
    *o = 0;
    return (size_t)(o - out);
}

static int hexval(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int proto_hex_decode(const char *hex, size_t nbytes, uint8_t *out) {
    for (size_t i = 0; i < nbytes; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -EINVAL;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int proto_msg_id_decode(const char *id, size_t len, uint8_t addr[16], size_t *addr_len,
                        int32_t *port, int64_t *phys_offset) {
    if (len != 32 && len != 56)
        return -EINVAL;
    uint8_t raw[28];
    if (proto_hex_decode(id, len / 2, raw) != 0)
        return -EINVAL;
    size_t al = len == 32 ? 4 : 16;
    memcpy(addr, raw, al);
    *addr_len = al;
    *port = (int32_t)rmq_get_u32be(raw + al);
    *phys_offset = (int64_t)rmq_get_u64be(raw + al + 4);
    return 0;
}

/* ---- UNIQ_KEY ---- */

static void month_bounds(int64_t now_ms, int64_t *start, int64_t *next) {
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    *start = (int64_t)mktime(&tm) * 1000;
    tm.tm_mon += 1;
    tm.tm_isdst = -1;
    *next = (int64_t)mktime(&tm) * 1000;
}

void proto_uniq_gen_init(proto_uniq_gen_t *g, const uint8_t ip[4], int32_t pid, int32_t constant) {
    memset(g, 0, sizeof *g);
    uint8_t raw[10];
    memcpy(raw, ip, 4);
    rmq_put_u16be(raw + 4, (uint16_t)pid);
    rmq_put_u32be(raw + 6, (uint32_t)constant);
    put_hex(g->prefix, raw, sizeof raw);
    g->prefix[20] = 0;
}

void proto_uniq_gen_next(proto_uniq_gen_t *g, int64_t now_ms, char *out) {
    if (now_ms >= g->next_month_ms || now_ms < g->month_start_ms)
        month_bounds(now_ms, &g->month_start_ms, &g->next_month_ms);
    uint8_t raw[6];
    rmq_put_u32be(raw, (uint32_t)(now_ms - g->month_start_ms));
    rmq_put_u16be(raw + 4, (uint16_t)g->counter++);
    memcpy(out, g->prefix, 20);
    put_hex(out + 20, raw, sizeof raw);
    out[32] = 0;
}

/* ---- batch body ---- */

int proto_batch_next(rmq_slice_t *rest, proto_batch_msg_t *m) {
    if (rest->len == 0)
        return 0;
    const char *p = rest->ptr;
    if (rest->len < 22)
        return -EBADMSG;
    int32_t total = (int32_t)rmq_get_u32be(p);
    if (total < 22 || (size_t)total > rest->len)
        return -EBADMSG;
    int32_t body_len = (int32_t)rmq_get_u32be(p + 16);
    if (body_len < 0 || 20 + (int64_t)body_len + 2 > total)
        return -EBADMSG;
    uint16_t prop_len = rmq_get_u16be(p + 20 + body_len);
    if (20 + (int64_t)body_len + 2 + prop_len != total)
        return -EBADMSG;
    m->flag = (int32_t)rmq_get_u32be(p + 12);
    m->body = rmq_slice(p + 20, (size_t)body_len);
    m->props = rmq_slice(p + 22 + body_len, prop_len);
    rest->ptr += total;
    rest->len -= (size_t)total;
    return 1;
}

void proto_batch_append(rmq_buf_t *out, int32_t flag, rmq_slice_t body, rmq_slice_t props) {
    uint32_t total = (uint32_t)(20 + body.len + 2 + props.len);
    rmq_buf_append_u32be(out, total);
    rmq_buf_append_u32be(out, 0);
    rmq_buf_append_u32be(out, 0);
    rmq_buf_append_u32be(out, (uint32_t)flag);
    rmq_buf_append_u32be(out, (uint32_t)body.len);
    rmq_buf_append(out, body.ptr, body.len);
    rmq_buf_append_u16be(out, (uint16_t)props.len);
    rmq_buf_append(out, props.ptr, props.len);
}

/* ---- topic names ---- */

static bool valid_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '%' ||
           c == '|' || c == '_' || c == '-';
}

static bool blank(const char *s) {
    for (; *s; s++)
        if (!(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v'))
            return false;
    return true;
}

/* Length in UTF-16 code units would matter only for non-ASCII names, which the
 * character check already refuses. */
const char *proto_topic_validate(const char *topic, char *buf, size_t buflen) {
    if (!topic || blank(topic)) {
        snprintf(buf, buflen, "The specified topic is blank.");
        return buf;
    }
    for (const char *p = topic; *p; p++)
        if (!valid_char((unsigned char)*p)) {
            snprintf(buf, buflen,
                     "The specified topic: %s, contains illegal characters, allowing only "
                     "^[%%|a-zA-Z0-9_-]+$",
                     topic);
            return buf;
        }
    size_t len = strlen(topic);
    bool retry_dlq = strncmp(topic, PROTO_RETRY_GROUP_TOPIC_PREFIX, 7) == 0 ||
                     strncmp(topic, PROTO_DLQ_GROUP_TOPIC_PREFIX, 5) == 0;
    if (retry_dlq && len > PROTO_RETRY_OR_DLQ_MAX_LENGTH) {
        snprintf(buf, buflen,
                 "The specified topic is DLQ or Retry topic: %s, and it's longer than topic max "
                 "length: %d",
                 topic, PROTO_RETRY_OR_DLQ_MAX_LENGTH);
        return buf;
    }
    if (!retry_dlq && len > PROTO_TOPIC_MAX_LENGTH) {
        snprintf(buf, buflen, "The specified topic: %s, is longer than topic max length: %d", topic,
                 PROTO_TOPIC_MAX_LENGTH);
        return buf;
    }
    return NULL;
}

bool proto_topic_is_not_allowed_send(const char *topic) {
    static const char *const deny[] = {
        PROTO_SCHEDULE_TOPIC,         "RMQ_SYS_TRANS_HALF_TOPIC", "RMQ_SYS_TRANS_OP_HALF_TOPIC",
        "TRANS_CHECK_MAX_TIME_TOPIC", "SELF_TEST_TOPIC",          "OFFSET_MOVED_EVENT",
    };
    for (size_t i = 0; i < sizeof deny / sizeof deny[0]; i++)
        if (strcmp(topic, deny[i]) == 0)
            return true;
    return false;
}
