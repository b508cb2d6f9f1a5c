/* Condition variables on the monotonic clock, waited on for a number of milliseconds. */
#ifndef RMQ_COMMON_COND_H
#define RMQ_COMMON_COND_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

/* pthread_cond_init with CLOCK_MONOTONIC, so a wall-clock step never stretches a wait. */
static inline void rmq_cond_init_monotonic(pthread_cond_t *cv) {
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(cv, &attr);
    pthread_condattr_destroy(&attr);
}

/* pthread_cond_timedwait for up to wait_ms on a condition variable made by
 * rmq_cond_init_monotonic; mu held, as for pthread_cond_timedwait. */
static inline void rmq_cond_wait_ms(pthread_cond_t *cv, pthread_mutex_t *mu, int64_t wait_ms) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += wait_ms / 1000;
    ts.tv_nsec += (wait_ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    pthread_cond_timedwait(cv, mu, &ts);
}

#endif
