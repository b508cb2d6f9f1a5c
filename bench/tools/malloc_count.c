/*
 * LD_PRELOAD allocation counter for the benchmarks: counts calls to malloc, calloc,
 * realloc (and the aligned forms) in the whole process and writes the running totals to
 * $MALLOC_COUNT_FILE every 100 ms ("allocs frees\n"), so a script can read the count
 * before and after a measured load and divide by the messages it carried.
 *
 *   LD_PRELOAD=build/bench/libbench_malloc_count.so MALLOC_COUNT_FILE=/tmp/m mqbroker ...
 *
 * Forwards to glibc's __libc_* entry points; nothing else changes in the process.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

#define EXPORT __attribute__((visibility("default")))

static atomic_ullong allocs, frees;

EXPORT void *malloc(size_t n) {
    atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
    return __libc_malloc(n);
}

EXPORT void *calloc(size_t a, size_t b) {
    atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
    return __libc_calloc(a, b);
}

EXPORT void *realloc(void *p, size_t n) {
    atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
    return __libc_realloc(p, n);
}

EXPORT int posix_memalign(void **out, size_t align, size_t n) {
    atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
    void *p = __libc_memalign(align, n);
    if (!p)
        return 12; /* ENOMEM */
    *out = p;
    return 0;
}

EXPORT void *aligned_alloc(size_t align, size_t n) {
    atomic_fetch_add_explicit(&allocs, 1, memory_order_relaxed);
    return __libc_memalign(align, n);
}

EXPORT void free(void *p) {
    if (p)
        atomic_fetch_add_explicit(&frees, 1, memory_order_relaxed);
    __libc_free(p);
}

static void *writer(void *arg) {
    int fd = (int)(long)arg;
    for (;;) {
        char line[64];
        int n =
            snprintf(line, sizeof line, "%llu %llu\n", atomic_load(&allocs), atomic_load(&frees));
        if (pwrite(fd, line, (size_t)n, 0) == n)
            (void)ftruncate(fd, n);
        struct timespec ts = {0, 100 * 1000000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

__attribute__((constructor)) static void start(void) {
    const char *path = getenv("MALLOC_COUNT_FILE");
    if (!path)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    pthread_t t;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_create(&t, &a, writer, (void *)(long)fd);
    pthread_attr_destroy(&a);
}
