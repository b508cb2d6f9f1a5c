/* Growable byte buffers; see buf.h. */
#include "common/buf.h"

#include "common/alloc.h"

#include <stdarg.h>
#include <stdio.h>

void rmq_buf_init(rmq_buf_t *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void rmq_buf_close(rmq_buf_t *b) {
    rmq_free(b->data);
    rmq_buf_init(b);
}

void rmq_buf_reserve(rmq_buf_t *b, size_t extra) {
    size_t need = b->len + extra + 1; /* +1 keeps room for rmq_buf_cstr's terminator */
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = rmq_realloc(b->data, cap);
    b->cap = cap;
}

void rmq_buf_append(rmq_buf_t *b, const void *data, size_t len) {
    if (len == 0)
        return;
    rmq_buf_reserve(b, len);
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

void rmq_buf_append_cstr(rmq_buf_t *b, const char *s) {
    rmq_buf_append(b, s, strlen(s));
}

void rmq_buf_appendf(rmq_buf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        rmq_buf_append(b, small, (size_t)n);
        return;
    }
    rmq_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void rmq_buf_append_u8(rmq_buf_t *b, uint8_t v) {
    rmq_buf_append(b, &v, 1);
}

void rmq_buf_append_u16be(rmq_buf_t *b, uint16_t v) {
    rmq_buf_reserve(b, 2);
    rmq_put_u16be(b->data + b->len, v);
    b->len += 2;
}

void rmq_buf_append_u32be(rmq_buf_t *b, uint32_t v) {
    rmq_buf_reserve(b, 4);
    rmq_put_u32be(b->data + b->len, v);
    b->len += 4;
}

void rmq_buf_append_u64be(rmq_buf_t *b, uint64_t v) {
    rmq_buf_reserve(b, 8);
    rmq_put_u64be(b->data + b->len, v);
    b->len += 8;
}

char *rmq_buf_cstr(rmq_buf_t *b) {
    rmq_buf_reserve(b, 0);
    b->data[b->len] = '\0';
    return b->data;
}

char *rmq_buf_steal(rmq_buf_t *b, size_t *len) {
    char *p = rmq_buf_cstr(b);
    if (len)
        *len = b->len;
    rmq_buf_init(b);
    return p;
}
