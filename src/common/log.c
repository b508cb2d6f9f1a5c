/*
 * Logging; see log.h. The level and debug-module list are read on every call without a
 * lock: they are set at start-up (or rarely changed), and a torn read only changes
 * whether one line is printed.
 */
#include "common/log.h"

#include "common/assert.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int log_level = RMQ_LOG_INFO;
static char debug_modules[256];
static int log_fd = STDERR_FILENO;

static const char *const level_names[] = {"ERROR", "WARN", "INFO", "DEBUG"};

void rmq_log_set_level(rmq_log_level_t level) {
    log_level = (int)level;
}

void rmq_log_set_debug(const char *modules) {
    snprintf(debug_modules, sizeof debug_modules, ",%s,", modules ? modules : "");
    if (modules && *modules)
        log_level = RMQ_LOG_DEBUG;
}

bool rmq_log_debug_enabled(const char *module) {
    if (log_level < RMQ_LOG_DEBUG || debug_modules[0] == '\0' || debug_modules[1] == ',')
        return false;
    if (strstr(debug_modules, ",all,"))
        return true;
    char key[64];
    snprintf(key, sizeof key, ",%s,", module);
    return strstr(debug_modules, key) != NULL;
}

int rmq_log_open(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    int old = log_fd;
    log_fd = fd;
    if (old != STDERR_FILENO)
        close(old);
    return 0;
}

int rmq_log_level_parse(const char *name) {
    for (int i = 0; i < 4; i++)
        if (strcasecmp(name, level_names[i]) == 0)
            return i;
    if (strcasecmp(name, "warning") == 0)
        return RMQ_LOG_WARN;
    return -1;
}

void rmq_log(rmq_log_level_t level, const char *module, const char *fmt, ...) {
    if ((int)level > log_level)
        return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char line[2048];
    int n = snprintf(line, sizeof line, "%04d-%02d-%02d %02d:%02d:%02d.%03d %-5s [%s] ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     (int)(tv.tv_usec / 1000), level_names[level], module);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    ssize_t w = write(log_fd, line, len);
    (void)w;
}

int rmq_log_limit(rmq_log_limit_t *l, int64_t now_ms) {
    pthread_mutex_lock(&l->lock);
    if (now_ms - l->window_start_ms >= l->interval_ms || now_ms < l->window_start_ms) {
        l->window_start_ms = now_ms;
        l->in_window = 0;
    }
    int rc = -1;
    if (l->in_window < l->burst) {
        l->in_window++;
        rc = l->dropped;
        l->dropped = 0;
    } else {
        l->dropped++;
    }
    pthread_mutex_unlock(&l->lock);
    return rc;
}

void rmq_assert_fail(const char *expr, const char *file, int line) {
    rmq_log(RMQ_LOG_ERROR, "assert", "assertion failed: %s at %s:%d", expr, file, line);
    abort();
}
