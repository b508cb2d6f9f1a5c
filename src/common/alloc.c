/* Aborting allocation wrappers; see alloc.h. */
#include "common/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t size) {
    fprintf(stderr, "rocketmq-c: out of memory allocating %zu bytes\n", size);
    abort();
}

void *rmq_malloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *rmq_calloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *rmq_realloc(void *ptr, size_t size) {
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

char *rmq_strndup(const char *s, size_t len) {
    char *p = rmq_malloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *rmq_strdup(const char *s) {
    return rmq_strndup(s, strlen(s));
}

void rmq_free(void *ptr) {
    free(ptr);
}
