/*
 * Long polling (PullRequestHoldService, spec store.md 7.6): pulls that found nothing are
 * kept, keyed "topic@queueId", with a copy of the request. The store's dispatch thread
 * calls broker_hold_on_dispatch for every record; when a record lands at or beyond a held
 * request's offset, the request moves to the ready list and the runner (the management
 * thread) is woken. The runner also re-executes requests whose hold time ended, and
 * re-checks each held queue's max offset, which closes the race between a pull finding
 * nothing and the record that arrives just before the pull is parked.
 *
 * Bounded: at most pullThreadPoolQueueCapacity requests are held; beyond that, pulls are
 * answered PULL_NOT_FOUND at once and the client simply pulls again.
 *
 * No allocation per held pull in steady state: finished entries (with their request
 * copies, whose arenas keep their memory) go to a free list for the next hold, a queue's
 * map entry stays when its list empties (one per queue ever held, as the Java broker's
 * pullRequestTable), and a ready request is re-executed on its connection's I/O loop as
 * a task embedded in its entry (the answer then needs no cross-thread copy).
 *
 * Runs on: I/O loops (add, re-execution), the dispatch thread (on_dispatch), the
 * management thread (run). Locks: hold.lock, never held while executing a pull or sending.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct held {
    remoting_task_t task; /* the re-execution, on the connection's loop */
    struct held *next;
    broker_hold_t *h;
    remoting_cmd_t *resp; /* the re-execution's answer (reused with the entry) */
    remoting_conn_t *conn;
    remoting_cmd_t *req;
    char *key; /* borrowed from the map entry holding the list */
    int32_t queue_id;
    int64_t offset;
    int64_t deadline_ms;
} held_t;

#define FREE_MAX 1024 /* finished entries kept for reuse */

struct broker_hold {
    broker_t *b;
    pthread_mutex_t lock;
    rmq_map_t queues; /* "topic@qid" -> held_t* list (NULL: none held now) */
    held_t *ready;
    held_t *free; /* finished entries for reuse; free_count of them */
    size_t free_count;
    atomic_size_t count;
    void (*wake)(void *arg);
    void *wake_arg;
};

broker_hold_t *broker_hold_new(broker_t *b) {
    broker_hold_t *h = RMQ_NEW(broker_hold_t);
    h->b = b;
    pthread_mutex_init(&h->lock, NULL);
    rmq_map_init(&h->queues);
    return h;
}

static void held_destroy(held_t *x) {
    remoting_cmd_destroy(x->req);
    remoting_cmd_destroy(x->resp);
    rmq_free(x);
}

/* Releases the entry's connection and keeps the entry for reuse (or frees it). */
static void held_free(broker_hold_t *h, held_t *x) {
    h->b->conn_ops->release(x->conn);
    x->conn = NULL;
    atomic_fetch_sub(&h->count, 1);
    pthread_mutex_lock(&h->lock);
    if (h->free_count < FREE_MAX) {
        x->next = h->free;
        h->free = x;
        h->free_count++;
        x = NULL;
    }
    pthread_mutex_unlock(&h->lock);
    if (x)
        held_destroy(x);
}

void broker_hold_destroy(broker_hold_t *h) {
    if (!h)
        return;
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&h->queues, &i, &e);)
        for (held_t *x = e->value, *n; x; x = n) {
            n = x->next;
            held_free(h, x);
        }
    for (held_t *x = h->ready, *n; x; x = n) {
        n = x->next;
        held_free(h, x);
    }
    for (held_t *x = h->free, *n; x; x = n) {
        n = x->next;
        held_destroy(x);
    }
    rmq_map_close(&h->queues);
    pthread_mutex_destroy(&h->lock);
    rmq_free(h);
}

void broker_hold_set_waker(broker_hold_t *h, void (*wake)(void *arg), void *arg) {
    h->wake = wake;
    h->wake_arg = arg;
}

size_t broker_hold_count(broker_hold_t *h) {
    return atomic_load(&h->count);
}

/* Copies req's header into c (reset first; its arena keeps its memory). */
static void copy_request(remoting_cmd_t *c, const remoting_cmd_t *req) {
    remoting_cmd_reset(c);
    c->code = req->code;
    c->language = req->language;
    c->version = req->version;
    c->opaque = req->opaque;
    c->flag = req->flag;
    c->serialize_type = req->serialize_type;
    c->has_ext = true;
    for (uint32_t i = 0; i < req->ext_count; i++)
        remoting_cmd_ext_add(c, remoting_cmd_ext_key(req, i), req->ext[i].key_len,
                             remoting_cmd_ext_value(req, i), req->ext[i].value_len);
}

static int key_of(char *buf, size_t cap, const char *topic, size_t topic_len, int32_t qid) {
    return snprintf(buf, cap, "%.*s@%d", (int)topic_len, topic, (int)qid);
}

int broker_hold_add(broker_hold_t *h, remoting_conn_t *conn, const remoting_cmd_t *req,
                    const char *topic, int32_t queue_id, int64_t offset, int64_t deadline_ms) {
    if (atomic_load(&h->count) >= (size_t)h->b->cfg.pullThreadPoolQueueCapacity)
        return -EAGAIN;
    char key[600];
    key_of(key, sizeof key, topic, strlen(topic), queue_id);
    atomic_fetch_add(&h->count, 1);
    h->b->conn_ops->retain(conn);
    pthread_mutex_lock(&h->lock);
    held_t *x = h->free;
    if (x) {
        h->free = x->next;
        h->free_count--;
    } else {
        x = RMQ_NEW(held_t);
        x->h = h;
        x->req = remoting_cmd_new();
        x->resp = remoting_cmd_new();
    }
    x->conn = conn;
    copy_request(x->req, req);
    x->queue_id = queue_id;
    x->offset = offset;
    x->deadline_ms = deadline_ms;
    x->next = rmq_map_get(&h->queues, key);
    rmq_map_put(&h->queues, key, x);
    pthread_mutex_unlock(&h->lock);
    /* A record dispatched between the pull and now found no one to wake. */
    if (store_max_offset(h->b->store, rmq_slice_cstr(topic), queue_id) > offset && h->wake)
        h->wake(h->wake_arg);
    return 0;
}

/* Moves the requests of list *head that `ready` selects to the ready list. Locked. */
static bool move_ready(broker_hold_t *h, held_t **head, int64_t max_offset, int64_t now) {
    bool moved = false;
    for (held_t **pp = head; *pp;) {
        held_t *x = *pp;
        if (max_offset > x->offset || (now > 0 && now >= x->deadline_ms)) {
            *pp = x->next;
            x->next = h->ready;
            h->ready = x;
            moved = true;
        } else {
            pp = &x->next;
        }
    }
    return moved;
}

void broker_hold_on_dispatch(void *arg, const store_dispatch_req_t *req) {
    broker_hold_t *h = arg;
    if (atomic_load_explicit(&h->count, memory_order_relaxed) == 0)
        return;
    char key[600];
    int n = key_of(key, sizeof key, req->topic.ptr, req->topic.len, req->queue_id);
    bool moved = false;
    pthread_mutex_lock(&h->lock);
    held_t *first = rmq_map_getn(&h->queues, key, (size_t)n);
    if (first) {
        moved = move_ready(h, &first, req->queue_offset + 1, 0);
        rmq_map_putn(&h->queues, key, (size_t)n, first); /* the entry stays, maybe NULL */
    }
    pthread_mutex_unlock(&h->lock);
    if (moved && h->wake)
        h->wake(h->wake_arg);
}

/* Runs on: the held connection's loop. */
static void resume_on_loop(remoting_task_t *task) {
    held_t *x = (held_t *)task;
    broker_pull_resume(x->h->b, x->conn, x->req, x->resp);
    held_free(x->h, x);
}

void broker_hold_run(broker_hold_t *h, int64_t now_mono_ms) {
    broker_t *b = h->b;
    pthread_mutex_lock(&h->lock);
    /* Deadlines and missed wake-ups. */
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&h->queues, &i, &e);) {
        held_t *first = e->value;
        if (!first)
            continue;
        const char *at = strrchr(e->key, '@');
        int64_t max =
            store_max_offset(b->store, rmq_slice(e->key, (size_t)(at - e->key)), first->queue_id);
        move_ready(h, &first, max, now_mono_ms);
        e->value = first;
    }
    held_t *ready = h->ready;
    h->ready = NULL;
    pthread_mutex_unlock(&h->lock);
    for (held_t *x = ready, *n; x; x = n) {
        n = x->next;
        x->task.run = resume_on_loop;
        if (b->conn_ops->run(x->conn, &x->task) != 0)
            resume_on_loop(&x->task); /* the loop's queue is full or stopping: from here */
    }
}
