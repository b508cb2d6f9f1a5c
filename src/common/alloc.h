/*
 * Allocation wrappers. Out of memory is not an error path in rocketmq-c: these abort
 * with a log line instead of returning NULL, so callers never check.
 */
#ifndef RMQ_COMMON_ALLOC_H
#define RMQ_COMMON_ALLOC_H

#include <stddef.h>

void *rmq_malloc(size_t size);
void *rmq_calloc(size_t n, size_t size);
void *rmq_realloc(void *ptr, size_t size);
char *rmq_strdup(const char *s);
char *rmq_strndup(const char *s, size_t len);
void rmq_free(void *ptr);

#define RMQ_NEW(type) ((type *)rmq_calloc(1, sizeof(type)))

#endif
