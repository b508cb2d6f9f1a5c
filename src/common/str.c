/* Strict number parsing; see str.h. */
#include "common/str.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

int rmq_parse_i64(const char *s, size_t len, int64_t *out) {
    size_t i = 0;
    bool neg = false;
    if (len == 0)
        return -EINVAL;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
        if (len == 1)
            return -EINVAL;
    }
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -EINVAL;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (limit - d) / 10)
            return -ERANGE;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int rmq_parse_i32(const char *s, size_t len, int32_t *out) {
    int64_t v;
    int rc = rmq_parse_i64(s, len, &v);
    if (rc)
        return rc;
    if (v < INT32_MIN || v > INT32_MAX)
        return -ERANGE;
    *out = (int32_t)v;
    return 0;
}

bool rmq_parse_bool(const char *s, size_t len) {
    return len == 4 && strncasecmp(s, "true", 4) == 0;
}

char *rmq_str_trim(char *s) {
    char *start = s;
    while (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n' || *start == '\f')
        start++;
    size_t n = strlen(start);
    while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t' || start[n - 1] == '\r' ||
                     start[n - 1] == '\n' || start[n - 1] == '\f'))
        n--;
    memmove(s, start, n);
    s[n] = '\0';
    return s;
}
