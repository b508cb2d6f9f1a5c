/*
 * Growable byte buffers and borrowed slices.
 *
 * rmq_buf_t owns its bytes and grows geometrically; it is reused across requests by
 * resetting `len`, so steady-state encoding does not allocate. rmq_slice_t borrows bytes
 * owned by someone else (a frame, a mapped file) and is passed by value.
 * Big-endian put/get helpers serve every wire and disk format.
 */
#ifndef RMQ_COMMON_BUF_H
#define RMQ_COMMON_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    const char *ptr;
    size_t len;
} rmq_slice_t;

#define RMQ_SLICE_LIT(s) ((rmq_slice_t){(s), sizeof(s) - 1})

static inline rmq_slice_t rmq_slice(const char *ptr, size_t len) {
    return (rmq_slice_t){ptr, len};
}

static inline rmq_slice_t rmq_slice_cstr(const char *s) {
    return (rmq_slice_t){s, s ? strlen(s) : 0};
}

static inline bool rmq_slice_eq(rmq_slice_t a, rmq_slice_t b) {
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool rmq_slice_eq_cstr(rmq_slice_t a, const char *s) {
    return rmq_slice_eq(a, rmq_slice_cstr(s));
}

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} rmq_buf_t;

void rmq_buf_init(rmq_buf_t *b);
void rmq_buf_close(rmq_buf_t *b);
/* Make room for `extra` more bytes beyond len. */
void rmq_buf_reserve(rmq_buf_t *b, size_t extra);
void rmq_buf_append(rmq_buf_t *b, const void *data, size_t len);
void rmq_buf_append_cstr(rmq_buf_t *b, const char *s);
void rmq_buf_appendf(rmq_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rmq_buf_append_u8(rmq_buf_t *b, uint8_t v);
void rmq_buf_append_u16be(rmq_buf_t *b, uint16_t v);
void rmq_buf_append_u32be(rmq_buf_t *b, uint32_t v);
void rmq_buf_append_u64be(rmq_buf_t *b, uint64_t v);
/* NUL-terminates without counting the terminator in len; returns data. */
char *rmq_buf_cstr(rmq_buf_t *b);
/* Hands the bytes to the caller (free with rmq_free) and leaves b empty. */
char *rmq_buf_steal(rmq_buf_t *b, size_t *len);

static inline void rmq_buf_reset(rmq_buf_t *b) {
    b->len = 0;
}

static inline rmq_slice_t rmq_buf_slice(const rmq_buf_t *b) {
    return (rmq_slice_t){b->data, b->len};
}

static inline void rmq_put_u16be(void *p, uint16_t v) {
    uint8_t *d = p;
    d[0] = (uint8_t)(v >> 8);
    d[1] = (uint8_t)v;
}

static inline void rmq_put_u32be(void *p, uint32_t v) {
    uint8_t *d = p;
    d[0] = (uint8_t)(v >> 24);
    d[1] = (uint8_t)(v >> 16);
    d[2] = (uint8_t)(v >> 8);
    d[3] = (uint8_t)v;
}

static inline void rmq_put_u64be(void *p, uint64_t v) {
    rmq_put_u32be(p, (uint32_t)(v >> 32));
    rmq_put_u32be((uint8_t *)p + 4, (uint32_t)v);
}

static inline uint16_t rmq_get_u16be(const void *p) {
    const uint8_t *s = p;
    return (uint16_t)((s[0] << 8) | s[1]);
}

static inline uint32_t rmq_get_u32be(const void *p) {
    const uint8_t *s = p;
    return ((uint32_t)s[0] << 24) | ((uint32_t)s[1] << 16) | ((uint32_t)s[2] << 8) | s[3];
}

static inline uint64_t rmq_get_u64be(const void *p) {
    return ((uint64_t)rmq_get_u32be(p) << 32) | rmq_get_u32be((const uint8_t *)p + 4);
}

#endif
