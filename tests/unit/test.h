/*
 * Minimal unit-test macros: a failed check prints the expression and both values, then
 * aborts, so the test executable exits non-zero and ctest reports it.
 *
 *     int main(void) { RUN(test_x); RUN(test_y); return 0; }
 */
#ifndef RMQ_TEST_H
#define RMQ_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(e)                                                                                   \
    do {                                                                                           \
        if (!(e)) {                                                                                \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #e);                  \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                      \
        if (va_ != vb_) {                                                                          \
            fprintf(stderr, "%s:%d: CHECK_EQ(%s, %s) failed: %lld != %lld\n", __FILE__, __LINE__,  \
                    #a, #b, va_, vb_);                                                             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define CHECK_STREQ(a, b)                                                                          \
    do {                                                                                           \
        const char *sa_ = (a), *sb_ = (b);                                                         \
        if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) {                                               \
            fprintf(stderr, "%s:%d: CHECK_STREQ(%s, %s) failed:\n  \"%s\"\n  \"%s\"\n", __FILE__,  \
                    __LINE__, #a, #b, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");                 \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Compares a byte range with a NUL-terminated string. */
#define CHECK_MEMSTR(ptr, len, s)                                                                  \
    do {                                                                                           \
        size_t la_ = (len);                                                                        \
        const char *ss_ = (s);                                                                     \
        if (la_ != strlen(ss_) || memcmp((ptr), ss_, la_) != 0) {                                  \
            fprintf(stderr, "%s:%d: CHECK_MEMSTR failed:\n  \"%.*s\"\n  \"%s\"\n", __FILE__,       \
                    __LINE__, (int)la_, (const char *)(ptr), ss_);                                 \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define RUN(fn)                                                                                    \
    do {                                                                                           \
        fn();                                                                                      \
        printf("ok %s\n", #fn);                                                                    \
    } while (0)

#endif
