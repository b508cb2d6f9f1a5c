/* Checksums and Java-compatible hashes; see checksum.h. */
#include "common/checksum.h"

#include <zlib.h>

uint32_t rmq_crc32(const void *data, size_t len) {
    uLong crc = crc32(0L, Z_NULL, 0);
    const Bytef *p = data;
    while (len > 0) {
        uInt chunk = len > 0x40000000u ? 0x40000000u : (uInt)len;
        crc = crc32(crc, p, chunk);
        p += chunk;
        len -= chunk;
    }
    return (uint32_t)crc;
}

int32_t rmq_crc32_masked(const void *data, size_t len) {
    return (int32_t)(rmq_crc32(data, len) & 0x7FFFFFFFu);
}

/*
 * Decodes one UTF-8 sequence; malformed bytes count as U+FFFD, one byte each, which is
 * what Java's decoder substitutes.
 */
static uint32_t next_code_point(const unsigned char **pp, const unsigned char *end) {
    const unsigned char *p = *pp;
    unsigned c = *p;
    int n;
    uint32_t cp;
    if (c < 0x80) {
        *pp = p + 1;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        n = 1;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 2;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 3;
        cp = c & 0x07;
    } else {
        *pp = p + 1;
        return 0xFFFD;
    }
    if (end - p <= n) {
        *pp = p + 1;
        return 0xFFFD;
    }
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *pp = p + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *pp = p + n + 1;
    return cp;
}

int32_t rmq_java_string_hash(const char *utf8, size_t len) {
    const unsigned char *p = (const unsigned char *)utf8, *end = p + len;
    uint32_t h = 0;
    while (p < end) {
        uint32_t cp = next_code_point(&p, end);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            h = 31 * h + (0xD800 + (cp >> 10));
            h = 31 * h + (0xDC00 + (cp & 0x3FF));
        } else {
            h = 31 * h + cp;
        }
    }
    return (int32_t)h;
}
