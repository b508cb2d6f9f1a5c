/*
 * Strict text-to-number parsing, as Java's Integer.parseInt / Long.parseLong /
 * Boolean.parseBoolean read header fields: optional sign, decimal digits only, range
 * checked. Return 0 or -EINVAL / -ERANGE.
 */
#ifndef RMQ_COMMON_STR_H
#define RMQ_COMMON_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int rmq_parse_i64(const char *s, size_t len, int64_t *out);
int rmq_parse_i32(const char *s, size_t len, int32_t *out);
/* Java Boolean.parseBoolean: true only for case-insensitive "true". */
bool rmq_parse_bool(const char *s, size_t len);
/* Trims ASCII white space in place; returns s. */
char *rmq_str_trim(char *s);

#endif
