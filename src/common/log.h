/*
 * Logging: one line per event, `rmq_log(level, "module", fmt, ...)`.
 *
 * Levels error, warn, info, debug. Debug is off by default and enabled per module with
 * rmq_log_set_debug("remoting,store") or "all" (librdkafka's `debug` property). Lines go
 * to stderr, or to a file after rmq_log_open(). Thread-safe: each line is one write().
 */
#ifndef RMQ_COMMON_LOG_H
#define RMQ_COMMON_LOG_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

typedef enum { RMQ_LOG_ERROR = 0, RMQ_LOG_WARN, RMQ_LOG_INFO, RMQ_LOG_DEBUG } rmq_log_level_t;

void rmq_log(rmq_log_level_t level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Lines below `level` are dropped (debug lines also need their module enabled). */
void rmq_log_set_level(rmq_log_level_t level);
/* Comma-separated module list, or "all"; NULL or "" disables debug. */
void rmq_log_set_debug(const char *modules);
bool rmq_log_debug_enabled(const char *module);
/* Appends to `path` instead of stderr. Returns 0 or -errno. */
int rmq_log_open(const char *path);
/* Parses "error", "warn", "info", "debug"; returns -1 when unknown. */
int rmq_log_level_parse(const char *name);

/*
 * A limit for one kind of repeated line (malformed frames from hostile peers, ...): at
 * most `burst` lines per `interval_ms`. rmq_log_limit() returns -1 when the line is to be
 * dropped, else how many were dropped since the last line let through (say so in it).
 * Thread-safe.
 */
typedef struct {
    pthread_mutex_t lock;
    int burst, interval_ms;
    int64_t window_start_ms;
    int in_window, dropped;
} rmq_log_limit_t;
#define RMQ_LOG_LIMIT_INIT(burst_, interval_ms_)                                                   \
    { .lock = PTHREAD_MUTEX_INITIALIZER, .burst = (burst_), .interval_ms = (interval_ms_) }
int rmq_log_limit(rmq_log_limit_t *l, int64_t now_ms);

#define rmq_log_error(mod, ...) rmq_log(RMQ_LOG_ERROR, mod, __VA_ARGS__)
#define rmq_log_warn(mod, ...)  rmq_log(RMQ_LOG_WARN, mod, __VA_ARGS__)
#define rmq_log_info(mod, ...)  rmq_log(RMQ_LOG_INFO, mod, __VA_ARGS__)
#define rmq_log_debug(mod, ...)                                                                    \
    do {                                                                                           \
        if (rmq_log_debug_enabled(mod))                                                            \
            rmq_log(RMQ_LOG_DEBUG, mod, __VA_ARGS__);                                              \
    } while (0)

#endif
