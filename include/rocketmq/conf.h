/*
 * rocketmq-c public API: configuration.
 *
 * A configuration is a set of string keys and values named as the Java client's options
 * (ClientConfig and its subclasses): "namesrvAddr", "instanceName", "mqClientApiTimeout"...
 * Every key has a type (string, integer in a range, boolean "true"/"false") and a
 * default; rmq_conf_set() checks both the key and the value, so a typo fails at once.
 *
 * Handles copy the configuration they are created with (rmq_admin_new(conf, ...)), so
 * the caller destroys its own conf whenever it likes.
 *
 * Thread-safety: a conf is a plain value. Concurrent reads are safe; any write
 * (rmq_conf_set) needs exclusive access.
 *
 * Keys known today (see rmq_conf_describe() / `mqadmin` docs for the full table):
 *   namesrvAddr                  "host:port;host:port". Unset: the NAMESRV_ADDR
 *                                environment variable, read when a handle is created.
 *   clientIP                     Address this client reports; unset = first non-loopback
 *                                IPv4 address.
 *   instanceName                 "DEFAULT"
 *   unitName, namespace          unset
 *   mqClientApiTimeout           3000 ms, time-out of each request
 *   pollNameServerInterval       30000 ms, route refresh period
 *   heartbeatBrokerInterval      30000 ms
 *   persistConsumerOffsetInterval 5000 ms
 *   pullTimeDelayMillsWhenException 1000 ms
 *   connectTimeoutMillis         3000 ms (NettyClientConfig's name)
 *   clientChannelMaxIdleTimeSeconds 120 s
 *   vipChannelEnabled, useTLS, unitMode, enableTrace ... booleans
 *   logLevel                     error|warn|info|debug: process-wide library log level,
 *                                applied when a handle is created (not a Java option)
 */
#ifndef ROCKETMQ_CONF_H
#define ROCKETMQ_CONF_H

#include <rocketmq/err.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rmq_conf_s rmq_conf_t;

/* A configuration with every key at its default. Never NULL (out of memory aborts). */
RMQ_EXPORT rmq_conf_t *rmq_conf_new(void);

/* A deep copy of `conf`. NULL gives NULL. */
RMQ_EXPORT rmq_conf_t *rmq_conf_dup(const rmq_conf_t *conf);

/* Frees `conf`. NULL is fine. */
RMQ_EXPORT void rmq_conf_destroy(rmq_conf_t *conf);

/*
 * Sets `name` to `value` (copied). value NULL restores the default.
 * Returns RMQ_ERR_NO_ERROR, RMQ_ERR__UNKNOWN_CONF (no such key),
 * RMQ_ERR__INVALID_CONF_VALUE (wrong type or out of range) or RMQ_ERR__INVALID_ARG
 * (conf or name NULL); on failure errstr (may be NULL) says why and conf is unchanged.
 */
RMQ_EXPORT rmq_err_t rmq_conf_set(rmq_conf_t *conf, const char *name, const char *value,
                                  char *errstr, size_t errlen);

/*
 * The value of `name`: what was set, else the default ("" for an unset string key).
 * NULL when the key is unknown. Borrowed: valid until the key is set again or conf is
 * destroyed.
 */
RMQ_EXPORT const char *rmq_conf_get(const rmq_conf_t *conf, const char *name);

/* True when `name` was set explicitly (rmq_conf_set with a non-NULL value). */
RMQ_EXPORT int rmq_conf_is_set(const rmq_conf_t *conf, const char *name);

/*
 * Iterates the key table: the i-th key's name, type, default
 * and one-line description (any out-pointer may be NULL). Types: "string", "int",
 * "bool", "enum". Returns 0 past the end, 1
 * otherwise. Static strings. Thread-safe.
 */
RMQ_EXPORT int rmq_conf_describe(size_t i, const char **name, const char **type,
                                 const char **default_value, const char **description);

#ifdef __cplusplus
}
#endif

#endif
