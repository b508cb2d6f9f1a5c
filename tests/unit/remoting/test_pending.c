/* Tests for remoting/pending.c: the opaque table and the deadline heap, no network. */
#include "remoting/pending.h"
#include "test.h"

#include "common/alloc.h"

#include <stdlib.h>

/* Opaques straddling the int32 wrap, as the process-wide counter produces them. */
static int32_t opaque_at(int i) {
    return (int32_t)((uint32_t)INT32_MAX - 500u + (uint32_t)i);
}

static void noop_cb(void *arg, int status, remoting_cmd_t *resp) {}

static remoting_pending_t *make(int32_t opaque, int64_t deadline) {
    remoting_pending_t *p = rmq_malloc(sizeof *p);
    p->opaque = opaque;
    p->deadline_ms = deadline;
    p->cb = noop_cb;
    p->arg = NULL;
    p->peer = "test";
    return p;
}

static void test_take_by_opaque_and_deadline_order(void) {
    remoting_pending_table_t t;
    remoting_pending_heap_t h;
    remoting_pending_table_init(&t);
    remoting_pending_heap_init(&h);
    enum { N = 1000 };
    /* Deadlines in a scrambled order, opaques consecutive (as the counter gives them),
     * including negative ones after the int32 wrap. */
    for (int i = 0; i < N; i++)
        remoting_pending_add(&t, &h, make(opaque_at(i), (i * 7919) % N));
    CHECK_EQ(t.count, N);
    CHECK_EQ(remoting_pending_next_deadline(&h), 0);
    /* Take every third by opaque (as responses do), then expire the rest in order. */
    int taken = 0;
    for (int i = 0; i < N; i += 3) {
        remoting_pending_t *p = remoting_pending_take(&t, opaque_at(i));
        CHECK(p != NULL);
        CHECK_EQ(p->opaque, opaque_at(i));
        CHECK(remoting_pending_take(&t, opaque_at(i)) == NULL);
        rmq_free(p);
        taken++;
    }
    CHECK(remoting_pending_take_expired(&h, -1) == NULL);
    int64_t last = -1;
    int expired = 0;
    remoting_pending_t *p;
    while ((p = remoting_pending_take_expired(&h, N))) {
        CHECK(p->deadline_ms >= last);
        last = p->deadline_ms;
        CHECK(remoting_pending_take(&t, p->opaque) == NULL);
        rmq_free(p);
        expired++;
    }
    CHECK_EQ(taken + expired, N);
    CHECK_EQ(t.count, 0);
    CHECK_EQ(remoting_pending_next_deadline(&h), -1);
    remoting_pending_table_close(&t);
    remoting_pending_heap_close(&h);
}

static void test_steal_empties_table_and_heap(void) {
    remoting_pending_table_t t1, t2;
    remoting_pending_heap_t h;
    remoting_pending_table_init(&t1);
    remoting_pending_table_init(&t2);
    remoting_pending_heap_init(&h);
    for (int i = 0; i < 100; i++)
        remoting_pending_add(i % 2 ? &t1 : &t2, &h, make(i, 100 - i));
    uint32_t n;
    remoting_pending_t **all = remoting_pending_table_steal(&t1, &n);
    CHECK_EQ(n, 50);
    for (uint32_t i = 0; i < n; i++) {
        CHECK(all[i]->opaque % 2 == 1);
        rmq_free(all[i]);
    }
    rmq_free(all);
    CHECK_EQ(t1.count, 0);
    CHECK_EQ(h.count, 50);
    /* The heap still orders what t2 holds. */
    int64_t last = -1;
    remoting_pending_t *p;
    while ((p = remoting_pending_take_expired(&h, 1000))) {
        CHECK(p->opaque % 2 == 0);
        CHECK(p->deadline_ms >= last);
        last = p->deadline_ms;
        rmq_free(p);
    }
    CHECK_EQ(t2.count, 0);
    CHECK(remoting_pending_table_steal(&t2, &n) == NULL);
    CHECK_EQ(n, 0);
    remoting_pending_table_close(&t1);
    remoting_pending_table_close(&t2);
    remoting_pending_heap_close(&h);
}

/* Random adds and removals against a simple model. */
static void test_random_against_model(void) {
    remoting_pending_table_t t;
    remoting_pending_heap_t h;
    remoting_pending_table_init(&t);
    remoting_pending_heap_init(&h);
    enum { K = 512 };
    static bool live[K];
    srand(7);
    for (int step = 0; step < 20000; step++) {
        int k = rand() % K;
        if (live[k]) {
            remoting_pending_t *p = remoting_pending_take(&t, k * 64);
            CHECK(p != NULL);
            rmq_free(p);
            live[k] = false;
        } else {
            remoting_pending_add(&t, &h, make(k * 64, rand() % 1000));
            live[k] = true;
        }
    }
    uint32_t n, want = 0;
    for (int k = 0; k < K; k++)
        want += live[k];
    CHECK_EQ(t.count, want);
    CHECK_EQ(h.count, want);
    remoting_pending_t **all = remoting_pending_table_steal(&t, &n);
    CHECK_EQ(n, want);
    for (uint32_t i = 0; i < n; i++)
        rmq_free(all[i]);
    rmq_free(all);
    CHECK_EQ(h.count, 0);
    remoting_pending_table_close(&t);
    remoting_pending_heap_close(&h);
}

int main(void) {
    RUN(test_take_by_opaque_and_deadline_order);
    RUN(test_steal_empties_table_and_heap);
    RUN(test_random_against_model);
    return 0;
}
