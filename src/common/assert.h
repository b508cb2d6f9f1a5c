/*
 * RMQ_ASSERT guards our own invariants and stays on in release builds. Bytes from the
 * network or disk must never reach it: validate those and return an error instead.
 */
#ifndef RMQ_COMMON_ASSERT_H
#define RMQ_COMMON_ASSERT_H

void rmq_assert_fail(const char *expr, const char *file, int line) __attribute__((noreturn));

#define RMQ_ASSERT(e) ((e) ? (void)0 : rmq_assert_fail(#e, __FILE__, __LINE__))

#endif
