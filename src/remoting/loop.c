/*
 * I/O loop thread: libuv loop, bounded cross-thread work queue, deferred per-iteration
 * work, member sweep and the pending-request deadline timer; see loop.h.
 *
 * The queue is a ring of (fn, arg) under a mutex. The async callback copies the whole
 * ring into a second array under the lock and runs the copy unlocked, so producers wait
 * only for a memcpy and never for a handler. The stop request travels under the same
 * lock, so once the loop has seen it no item can still be on its way in.
 */
#include "remoting/loop.h"

#include "common/alloc.h"
#include "common/assert.h"
#include "common/log.h"
#include "common/time.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    remoting_work_fn fn;
    void *arg;
} work_item_t;

struct remoting_loop {
    uv_loop_t uv;
    pthread_t thread;
    bool has_thread;
    char name[16];
    atomic_int refs;

    uv_async_t async;
    uv_prepare_t prepare;
    uv_check_t check;
    uv_timer_t sweep_timer;
    uv_timer_t deadline_timer;
    int64_t armed_deadline; /* deadline the timer is set for, -1 when idle */

    pthread_mutex_t mu; /* guards ring, head, count, stop_requested */
    work_item_t *ring;
    uint32_t head, count;
    bool stop_requested;
    work_item_t *batch; /* loop thread: the copy being run */

    bool is_stopping;               /* loop thread */
    remoting_loop_member_t members; /* sentinel of a circular list */
    remoting_deferred_t *deferred;  /* LIFO; order within an iteration does not matter */
    remoting_pending_heap_t pending;
};

static _Thread_local remoting_loop_t *current_loop;

static void *loop_main(void *arg);
static void on_async(uv_async_t *h);
static void run_deferred(remoting_loop_t *loop);
static void on_prepare(uv_prepare_t *h);
static void on_check(uv_check_t *h);
static void on_sweep(uv_timer_t *t);
static void on_deadline(uv_timer_t *t);
static void begin_stop(remoting_loop_t *loop);

/* ------------------------------------------------------------------ lifecycle */

remoting_loop_t *remoting_loop_new(const char *name, int sweep_ms) {
    remoting_loop_t *loop = RMQ_NEW(remoting_loop_t);
    snprintf(loop->name, sizeof loop->name, "%.15s", name);
    atomic_init(&loop->refs, 1);
    RMQ_ASSERT(uv_loop_init(&loop->uv) == 0);
    loop->uv.data = loop;
    RMQ_ASSERT(uv_async_init(&loop->uv, &loop->async, on_async) == 0);
    uv_prepare_init(&loop->uv, &loop->prepare);
    uv_check_init(&loop->uv, &loop->check);
    uv_prepare_start(&loop->prepare, on_prepare);
    uv_check_start(&loop->check, on_check);
    uv_timer_init(&loop->uv, &loop->sweep_timer);
    uv_timer_init(&loop->uv, &loop->deadline_timer);
    uv_timer_start(&loop->sweep_timer, on_sweep, (uint64_t)sweep_ms, (uint64_t)sweep_ms);
    loop->armed_deadline = -1;
    pthread_mutex_init(&loop->mu, NULL);
    loop->ring = rmq_malloc(REMOTING_LOOP_QUEUE_CAP * sizeof *loop->ring);
    loop->batch = rmq_malloc(REMOTING_LOOP_QUEUE_CAP * sizeof *loop->batch);
    loop->members.prev = loop->members.next = &loop->members;
    remoting_pending_heap_init(&loop->pending);

    /* The thread inherits this mask: SIGPIPE stays blocked there (see loop.h). */
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    int rc = pthread_create(&loop->thread, NULL, loop_main, loop);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    RMQ_ASSERT(rc == 0);
    loop->has_thread = true;
    return loop;
}

static void *loop_main(void *arg) {
    remoting_loop_t *loop = arg;
    current_loop = loop;
    pthread_setname_np(pthread_self(), loop->name);
    uv_run(&loop->uv, UV_RUN_DEFAULT);
    /* Deferred work still queued only holds references: run it (it sees closed state). */
    run_deferred(loop);
    RMQ_ASSERT(uv_loop_close(&loop->uv) == 0);
    current_loop = NULL;
    return NULL;
}

void remoting_loop_stop(remoting_loop_t *loop) {
    pthread_mutex_lock(&loop->mu);
    loop->stop_requested = true;
    pthread_mutex_unlock(&loop->mu);
    uv_async_send(&loop->async);
}

void remoting_loop_join(remoting_loop_t *loop) {
    RMQ_ASSERT(!remoting_loop_on_thread(loop));
    if (loop->has_thread) {
        pthread_join(loop->thread, NULL);
        loop->has_thread = false;
    }
}

void remoting_loop_retain(remoting_loop_t *loop) {
    atomic_fetch_add_explicit(&loop->refs, 1, memory_order_relaxed);
}

void remoting_loop_release(remoting_loop_t *loop) {
    if (atomic_fetch_sub_explicit(&loop->refs, 1, memory_order_acq_rel) != 1)
        return;
    RMQ_ASSERT(!loop->has_thread);
    remoting_pending_heap_close(&loop->pending);
    pthread_mutex_destroy(&loop->mu);
    rmq_free(loop->ring);
    rmq_free(loop->batch);
    rmq_free(loop);
}

/* Runs on: loop thread, once the stop request is seen and the queue is drained. */
static void begin_stop(remoting_loop_t *loop) {
    loop->is_stopping = true;
    while (loop->members.next != &loop->members) {
        remoting_loop_member_t *m = loop->members.next;
        m->on_stop(m);
        RMQ_ASSERT(loop->members.next != m);
    }
    RMQ_ASSERT(loop->pending.count == 0);
    uv_close((uv_handle_t *)&loop->async, NULL);
    uv_close((uv_handle_t *)&loop->prepare, NULL);
    uv_close((uv_handle_t *)&loop->check, NULL);
    uv_close((uv_handle_t *)&loop->sweep_timer, NULL);
    uv_close((uv_handle_t *)&loop->deadline_timer, NULL);
}

/* ------------------------------------------------------------------ work queue */

int remoting_loop_post(remoting_loop_t *loop, remoting_work_fn fn, void *arg) {
    pthread_mutex_lock(&loop->mu);
    int rc = 0;
    if (loop->stop_requested)
        rc = -ECANCELED;
    else if (loop->count == REMOTING_LOOP_QUEUE_CAP)
        rc = -EAGAIN;
    else
        loop->ring[(loop->head + loop->count++) % REMOTING_LOOP_QUEUE_CAP] = (work_item_t){fn, arg};
    pthread_mutex_unlock(&loop->mu);
    if (rc == 0)
        uv_async_send(&loop->async);
    return rc;
}

/* Runs on: loop thread. Locks: mu while copying the ring. */
static void on_async(uv_async_t *h) {
    remoting_loop_t *loop = h->loop->data;
    pthread_mutex_lock(&loop->mu);
    uint32_t n = loop->count;
    for (uint32_t i = 0; i < n; i++)
        loop->batch[i] = loop->ring[(loop->head + i) % REMOTING_LOOP_QUEUE_CAP];
    loop->head = (loop->head + n) % REMOTING_LOOP_QUEUE_CAP;
    loop->count = 0;
    bool stop = loop->stop_requested;
    pthread_mutex_unlock(&loop->mu);
    for (uint32_t i = 0; i < n; i++)
        loop->batch[i].fn(loop, loop->batch[i].arg);
    if (stop && !loop->is_stopping)
        begin_stop(loop);
}

bool remoting_loop_on_thread(const remoting_loop_t *loop) {
    return current_loop == loop;
}

/* ------------------------------------------------------------------ loop-thread helpers */

uv_loop_t *remoting_loop_uv(remoting_loop_t *loop) {
    return &loop->uv;
}

bool remoting_loop_is_stopping(const remoting_loop_t *loop) {
    return loop->is_stopping;
}

void remoting_loop_add_member(remoting_loop_t *loop, remoting_loop_member_t *m) {
    m->next = &loop->members;
    m->prev = loop->members.prev;
    m->prev->next = m;
    loop->members.prev = m;
}

void remoting_loop_remove_member(remoting_loop_member_t *m) {
    if (!m->next)
        return;
    m->prev->next = m->next;
    m->next->prev = m->prev;
    m->prev = m->next = NULL;
}

void remoting_loop_defer(remoting_loop_t *loop, remoting_deferred_t *d) {
    if (d->is_queued)
        return;
    d->is_queued = true;
    d->next = loop->deferred;
    loop->deferred = d;
}

/* Deferred work runs from uv_check (after I/O callbacks) and uv_prepare (before blocking). */
static void on_prepare(uv_prepare_t *h) {
    run_deferred(h->loop->data);
}

static void on_check(uv_check_t *h) {
    run_deferred(h->loop->data);
}

static void run_deferred(remoting_loop_t *loop) {
    while (loop->deferred) {
        remoting_deferred_t *d = loop->deferred;
        loop->deferred = NULL;
        while (d) {
            remoting_deferred_t *next = d->next;
            d->is_queued = false;
            d->fn(d);
            d = next;
        }
    }
}

static void on_sweep(uv_timer_t *t) {
    remoting_loop_t *loop = t->loop->data;
    uint64_t now = uv_now(&loop->uv);
    remoting_loop_member_t *m = loop->members.next;
    while (m != &loop->members) {
        remoting_loop_member_t *next = m->next;
        if (m->on_sweep)
            m->on_sweep(m, now);
        m = next;
    }
}

/* ------------------------------------------------------------------ request deadlines */

static void arm_deadline(remoting_loop_t *loop, int64_t deadline) {
    if (loop->is_stopping || (loop->armed_deadline >= 0 && loop->armed_deadline <= deadline))
        return;
    loop->armed_deadline = deadline;
    int64_t delay = deadline - rmq_mono_ms();
    uv_timer_start(&loop->deadline_timer, on_deadline, delay > 0 ? (uint64_t)delay : 0, 0);
}

void remoting_loop_add_pending(remoting_loop_t *loop, remoting_pending_table_t *t,
                               remoting_pending_t *p) {
    remoting_pending_add(t, &loop->pending, p);
    arm_deadline(loop, p->deadline_ms);
}

/* The one timer per loop: completes every due request with -ETIMEDOUT, then re-arms for
 * the earliest remaining deadline. Responses that arrive first just leave the heap. */
static void on_deadline(uv_timer_t *t) {
    remoting_loop_t *loop = t->loop->data;
    loop->armed_deadline = -1;
    int64_t now = rmq_mono_ms();
    remoting_pending_t *p;
    while ((p = remoting_pending_take_expired(&loop->pending, now))) {
        rmq_log_debug("remoting", "peer=%s opaque=%d request timed out", p->peer, (int)p->opaque);
        p->cb(p->arg, -ETIMEDOUT, NULL);
        rmq_free(p);
    }
    int64_t next = remoting_pending_next_deadline(&loop->pending);
    if (next >= 0)
        arm_deadline(loop, next);
}
