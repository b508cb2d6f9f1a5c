/*
 * The servers' stop signals: block SIGTERM and SIGINT in every thread (call before any
 * thread starts, so they inherit the mask), ignore SIGPIPE (a peer closing mid-write is
 * an error return, not a death), then wait for one of them on the main thread.
 */
#ifndef RMQ_COMMON_SIGNALS_H
#define RMQ_COMMON_SIGNALS_H

#include <pthread.h>
#include <signal.h>

static inline void rmq_stop_signals_block(sigset_t *set) {
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Returns the stop signal received. */
static inline int rmq_stop_signals_wait(const sigset_t *set) {
    int sig = 0;
    while (sigwait(set, &sig) != 0)
        ;
    return sig;
}

#endif
