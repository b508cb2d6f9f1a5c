/*
 * rocketmq-c public API: symbol visibility and the library version.
 *
 * Only functions marked RMQ_EXPORT are visible in librocketmq.so; everything else is
 * built with -fvisibility=hidden. Include <rocketmq/rocketmq.h> rather than this file.
 */
#ifndef ROCKETMQ_EXPORT_H
#define ROCKETMQ_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define RMQ_EXPORT __attribute__((visibility("default")))
#else
#define RMQ_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Version of these headers: 0xMMmmpp00 (major, minor, patch). */
#define RMQ_VERSION     0x00010000
#define RMQ_VERSION_STR "0.1.0"

/* Version of the library actually loaded, in the RMQ_VERSION format. Thread-safe. */
RMQ_EXPORT int rmq_version(void);
/* The same as "M.m.p". A static string. Thread-safe. */
RMQ_EXPORT const char *rmq_version_str(void);

/* Frees memory the library handed over with "free with rmq_mem_free()". NULL is fine. */
RMQ_EXPORT void rmq_mem_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif
