/* Consume-queue table; see cq_table.h for the lifetime rule. */
#include "store/cq_table.h"

#include "common/alloc.h"
#include "common/assert.h"
#include "common/log.h"
#include "store/fsutil.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    store_cq_t **queues;
    int32_t n;
} cq_topic_t;

void store_cq_table_init(store_cq_table_t *t, const store_fileops_t *ops, const char *root,
                         int64_t file_size) {
    t->root = rmq_strdup(root);
    t->file_size = file_size;
    t->ops = ops;
    pthread_mutex_init(&t->lock, NULL);
    rmq_map_init(&t->topics);
    atomic_init(&t->live, 0);
}

static void destroy_queue(store_cq_table_t *t, store_cq_t *cq) {
    store_cq_destroy(cq);
    atomic_fetch_sub_explicit(&t->live, 1, memory_order_relaxed);
}

void store_cq_table_close(store_cq_table_t *t) {
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&t->topics, &i, &e);) {
        cq_topic_t *ct = e->value;
        for (int32_t q = 0; q < ct->n; q++) {
            if (!ct->queues[q])
                continue;
            RMQ_ASSERT(atomic_load(&ct->queues[q]->refs) == 1); /* only the table's */
            destroy_queue(t, ct->queues[q]);
        }
        rmq_free(ct->queues);
        rmq_free(ct);
    }
    rmq_map_close(&t->topics);
    RMQ_ASSERT(atomic_load(&t->live) == 0); /* a holder did not release its queue */
    pthread_mutex_destroy(&t->lock);
    rmq_free(t->root);
}

static store_cq_t *get_locked(store_cq_table_t *t, rmq_slice_t topic, int32_t qid, bool create) {
    cq_topic_t *ct = rmq_map_getn(&t->topics, topic.ptr, topic.len);
    if (!ct) {
        if (!create)
            return NULL;
        ct = RMQ_NEW(cq_topic_t);
        rmq_map_putn(&t->topics, topic.ptr, topic.len, ct);
    }
    if (qid >= ct->n) {
        if (!create)
            return NULL;
        int32_t n = qid + 1;
        ct->queues = rmq_realloc(ct->queues, (size_t)n * sizeof *ct->queues);
        memset(ct->queues + ct->n, 0, (size_t)(n - ct->n) * sizeof *ct->queues);
        ct->n = n;
    }
    if (!ct->queues[qid] && create) {
        char *name = rmq_strndup(topic.ptr, topic.len);
        store_cq_t *cq = store_cq_new(t->ops, t->root, name, qid, t->file_size);
        rmq_free(name);
        atomic_init(&cq->refs, 1); /* the table's */
        atomic_fetch_add_explicit(&t->live, 1, memory_order_relaxed);
        ct->queues[qid] = cq;
    }
    return ct->queues[qid];
}

static void retain(store_cq_t *cq) {
    atomic_fetch_add_explicit(&cq->refs, 1, memory_order_relaxed);
}

store_cq_t *store_cq_table_get(store_cq_table_t *t, rmq_slice_t topic, int32_t queue_id,
                               bool create) {
    if (queue_id < 0 || queue_id > 1000000)
        return NULL;
    pthread_mutex_lock(&t->lock);
    store_cq_t *cq = get_locked(t, topic, queue_id, create);
    if (cq)
        retain(cq); /* under the lock: a deletion cannot drop the table's reference first */
    pthread_mutex_unlock(&t->lock);
    return cq;
}

/* The last reference goes only after the topic's deletion dropped the table's own. */
void store_cq_table_release(store_cq_table_t *t, store_cq_t *cq) {
    int32_t before = atomic_fetch_sub_explicit(&cq->refs, 1, memory_order_acq_rel);
    RMQ_ASSERT(before > 0);
    if (before == 1)
        destroy_queue(t, cq);
}

size_t store_cq_table_live(store_cq_table_t *t) {
    return atomic_load_explicit(&t->live, memory_order_relaxed);
}

static bool is_number(const char *s) {
    if (!*s || strlen(s) > 7)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

int store_cq_table_load(store_cq_table_t *t) {
    char **topics;
    size_t nt;
    int rc = store_fs_list(t->root, &topics, &nt);
    for (size_t i = 0; rc == 0 && i < nt; i++) {
        char *tdir = store_path_join(t->root, topics[i]);
        char **qids;
        size_t nq;
        rc = store_fs_list(tdir, &qids, &nq);
        for (size_t j = 0; rc == 0 && j < nq; j++) {
            if (!is_number(qids[j]))
                continue;
            store_cq_t *cq = store_cq_table_get(t, rmq_slice_cstr(topics[i]), atoi(qids[j]), true);
            rc = store_cq_load(cq);
            store_cq_table_release(t, cq);
        }
        store_fs_names_free(qids, nq);
        rmq_free(tdir);
    }
    store_fs_names_free(topics, nt);
    return rc;
}

store_cq_t **store_cq_table_snapshot(store_cq_table_t *t, size_t *count) {
    pthread_mutex_lock(&t->lock);
    size_t n = 0, cap = 16;
    store_cq_t **out = rmq_malloc(cap * sizeof *out);
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&t->topics, &i, &e);) {
        cq_topic_t *ct = e->value;
        for (int32_t q = 0; q < ct->n; q++) {
            if (!ct->queues[q])
                continue;
            if (n == cap) {
                cap *= 2;
                out = rmq_realloc(out, cap * sizeof *out);
            }
            retain(ct->queues[q]);
            out[n++] = ct->queues[q];
        }
    }
    pthread_mutex_unlock(&t->lock);
    *count = n;
    return out;
}

void store_cq_table_snapshot_release(store_cq_table_t *t, store_cq_t **cqs, size_t count) {
    for (size_t i = 0; i < count; i++)
        store_cq_table_release(t, cqs[i]);
    rmq_free(cqs);
}

/* The table's references go with the map entry; a queue someone still holds lives on,
 * empty, until its last release. */
void store_cq_table_delete_topic(store_cq_table_t *t, const char *topic) {
    pthread_mutex_lock(&t->lock);
    cq_topic_t *ct = rmq_map_del(&t->topics, topic);
    pthread_mutex_unlock(&t->lock);
    if (!ct)
        return;
    for (int32_t i = 0; i < ct->n; i++) {
        if (!ct->queues[i])
            continue;
        store_cq_destroy_files(ct->queues[i]);
        store_cq_table_release(t, ct->queues[i]);
    }
    rmq_free(ct->queues);
    rmq_free(ct);
    char *dir = store_path_join(t->root, topic);
    store_fs_remove_tree(t->ops, dir);
    rmq_free(dir);
}

int store_cq_table_delete_where(store_cq_table_t *t, int64_t min_phys,
                                bool (*drop)(void *arg, const char *topic, bool expired),
                                void *arg) {
    size_t n = 0, cap = 0;
    char **names = NULL;
    bool *expired = NULL;
    pthread_mutex_lock(&t->lock);
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&t->topics, &i, &e);) {
        cq_topic_t *ct = e->value;
        bool all = ct->n > 0;
        for (int32_t q = 0; q < ct->n && all; q++) {
            int64_t max = ct->queues[q] ? atomic_load(&ct->queues[q]->max_phys) : 0;
            all = max > 0 && max <= min_phys; /* 0: created just now, kept as upstream */
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = rmq_realloc(names, cap * sizeof *names);
            expired = rmq_realloc(expired, cap * sizeof *expired);
        }
        names[n] = rmq_strdup(e->key);
        expired[n++] = all;
    }
    pthread_mutex_unlock(&t->lock);
    int deleted = 0;
    for (size_t i = 0; i < n; i++) {
        if (drop(arg, names[i], expired[i])) {
            store_cq_table_delete_topic(t, names[i]);
            deleted++;
        }
        rmq_free(names[i]);
    }
    rmq_free(names);
    rmq_free(expired);
    return deleted;
}
