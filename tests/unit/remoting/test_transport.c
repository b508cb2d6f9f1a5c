/*
 * Tests for the remoting transport (conn.c, conn_io.c, loop.c, server.c, client.c) over
 * 127.0.0.1 with free ports: echo sync/async/one-way, many concurrent requests on several
 * loops, time-outs, replies sent later from another thread, server-to-client requests on
 * the same connection, connection events, and shutdown completing every pending request
 * once with -ECANCELED. Callbacks are counted and the counts asserted; nothing is timed.
 */
#include "net_util.h"
#include "remoting/client.h"
#include "remoting/server.h"

#include <pthread.h>
#include <stdio.h>

enum {
    CODE_ECHO = 1001,      /* echoes ext "k" and the body */
    CODE_HOLD = 1002,      /* kept by the server (REMOTING_PENDING); answered by the test */
    CODE_COUNT = 1003,     /* counts one-way requests */
    CODE_FAIL = 1004,      /* handler fails: the connection closes */
    CODE_CALL_BACK = 1005, /* the server sends CODE_ECHO back to the client */
};

#define MAX_HELD 64

typedef struct {
    atomic_int opened, closed, oneways, requests;
    atomic_int back_ok, back_notsup, back_canceled, back_other; /* server -> client calls */
    int back_timeout_ms;
    pthread_mutex_t mu;
    remoting_conn_t *held[MAX_HELD];
    int32_t held_opaque[MAX_HELD];
    atomic_int nheld;
    pthread_t threads[16];
    int nthreads;
} server_state_t;

typedef struct {
    atomic_int ok, timedout, canceled, reset, refused, other, total;
} counts_t;

/* ------------------------------------------------------------------ server side */

static void note_thread(server_state_t *s) {
    pthread_mutex_lock(&s->mu);
    bool seen = false;
    for (int i = 0; i < s->nthreads; i++)
        seen |= pthread_equal(s->threads[i], pthread_self()) != 0;
    if (!seen && s->nthreads < 16)
        s->threads[s->nthreads++] = pthread_self();
    pthread_mutex_unlock(&s->mu);
}

static void on_back_response(void *arg, int status, remoting_cmd_t *resp) {
    server_state_t *s = arg;
    if (status == 0 && resp->code == 0) {
        CHECK_STREQ(remoting_cmd_ext_get(resp, "k"), "from-server");
        CHECK_MEMSTR(resp->body.ptr, resp->body.len, "pong");
        atomic_fetch_add(&s->back_ok, 1);
    } else if (status == 0 && resp->code == 3) {
        atomic_fetch_add(&s->back_notsup, 1);
    } else if (status == -ECANCELED) {
        atomic_fetch_add(&s->back_canceled, 1);
    } else {
        atomic_fetch_add(&s->back_other, 1);
    }
    remoting_cmd_destroy(resp);
}

static int server_on_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                             remoting_cmd_t *resp) {
    server_state_t *s = ctx;
    atomic_fetch_add(&s->requests, 1);
    note_thread(s);
    switch (req->code) {
    case CODE_ECHO: {
        const char *k = remoting_cmd_ext_get(req, "k");
        if (k)
            remoting_cmd_ext_set(resp, "k", k);
        remoting_cmd_copy_body(resp, req->body.ptr, req->body.len);
        return 0;
    }
    case CODE_HOLD: {
        pthread_mutex_lock(&s->mu);
        int i = atomic_load(&s->nheld);
        CHECK(i < MAX_HELD);
        remoting_conn_retain(conn);
        s->held[i] = conn;
        s->held_opaque[i] = req->opaque;
        atomic_store(&s->nheld, i + 1);
        pthread_mutex_unlock(&s->mu);
        return REMOTING_PENDING;
    }
    case CODE_COUNT:
        atomic_fetch_add(&s->oneways, 1);
        return 0;
    case CODE_FAIL:
        return -EPROTO;
    case CODE_CALL_BACK: {
        remoting_cmd_t *q = remoting_cmd_new();
        remoting_cmd_set_request(q, CODE_ECHO);
        remoting_cmd_ext_set(q, "k", "from-server");
        remoting_cmd_borrow_body(q, "ping", 4);
        CHECK_EQ(remoting_conn_request(conn, q, s->back_timeout_ms, on_back_response, s), 0);
        remoting_cmd_destroy(q);
        return 0;
    }
    default:
        resp->code = 3;
        return 0;
    }
}

static void server_on_open(void *ctx, remoting_conn_t *conn) {
    server_state_t *s = ctx;
    CHECK(!remoting_conn_is_closed(conn));
    CHECK(strncmp(remoting_conn_peer(conn), "127.0.0.1:", 10) == 0);
    atomic_fetch_add(&s->opened, 1);
}

static void server_on_close(void *ctx, remoting_conn_t *conn) {
    server_state_t *s = ctx;
    CHECK(remoting_conn_is_closed(conn));
    atomic_fetch_add(&s->closed, 1);
}

static remoting_server_t *start_server(server_state_t *s, int io_threads, int idle_ms) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->mu, NULL);
    s->back_timeout_ms = 5000;
    remoting_server_opts_t opts = {
        .host = "127.0.0.1",
        .io_threads = io_threads,
        .idle_timeout_ms = idle_ms,
        .on_request = server_on_request,
        .on_open = server_on_open,
        .on_close = server_on_close,
        .ctx = s,
    };
    remoting_server_t *server = NULL;
    CHECK_EQ(remoting_server_start(&opts, &server), 0);
    CHECK(remoting_server_port(server) > 0);
    return server;
}

static void release_held(server_state_t *s) {
    for (int i = 0; i < atomic_load(&s->nheld); i++)
        remoting_conn_release(s->held[i]);
    atomic_store(&s->nheld, 0);
    pthread_mutex_destroy(&s->mu);
}

/* ------------------------------------------------------------------ client side */

static void addr_of(char *out, size_t n, const char *host, remoting_server_t *server) {
    snprintf(out, n, "%s:%d", host, remoting_server_port(server));
}

typedef struct {
    counts_t *counts;
    int i; /* expected echo payload, or -1 */
} call_t;

static void count_status(counts_t *c, int status) {
    switch (status) {
    case 0:
        atomic_fetch_add(&c->ok, 1);
        break;
    case -ETIMEDOUT:
        atomic_fetch_add(&c->timedout, 1);
        break;
    case -ECANCELED:
        atomic_fetch_add(&c->canceled, 1);
        break;
    case -ECONNRESET:
        atomic_fetch_add(&c->reset, 1);
        break;
    case -ECONNREFUSED:
        atomic_fetch_add(&c->refused, 1);
        break;
    default:
        atomic_fetch_add(&c->other, 1);
        break;
    }
    atomic_fetch_add(&c->total, 1);
}

static void on_call_done(void *arg, int status, remoting_cmd_t *resp) {
    call_t *call = arg;
    CHECK((status == 0) == (resp != NULL));
    if (resp) {
        CHECK(remoting_cmd_is_response(resp));
        if (call->i >= 0) {
            char want[32];
            snprintf(want, sizeof want, "msg-%d", call->i);
            CHECK_MEMSTR(resp->body.ptr, resp->body.len, want);
            CHECK_EQ(atoi(remoting_cmd_ext_get(resp, "k")), call->i);
        }
    }
    count_status(call->counts, status);
    remoting_cmd_destroy(resp);
}

static void make_echo(remoting_cmd_t *req, int i, char *body, size_t n) {
    remoting_cmd_reset(req);
    remoting_cmd_set_request(req, CODE_ECHO);
    remoting_cmd_ext_set_i64(req, "k", i);
    snprintf(body, n, "msg-%d", i);
    remoting_cmd_borrow_body(req, body, strlen(body));
}

static void sync_echo(remoting_client_t *client, const char *addr, int i) {
    remoting_cmd_t req, *resp = NULL;
    char body[32];
    remoting_cmd_init(&req);
    make_echo(&req, i, body, sizeof body);
    CHECK_EQ(remoting_client_invoke_sync(client, addr, &req, 5000, &resp), 0);
    CHECK(resp != NULL);
    CHECK_EQ(resp->code, 0);
    CHECK_EQ(resp->flag, REMOTING_FLAG_RESPONSE);
    CHECK_EQ(resp->opaque, req.opaque);
    CHECK_EQ(resp->serialize_type, REMOTING_SERIALIZE_JSON);
    CHECK_EQ(resp->language, REMOTING_LANG_CPP);
    CHECK_EQ(resp->version, REMOTING_VERSION_CURRENT);
    CHECK_MEMSTR(resp->body.ptr, resp->body.len, body);
    CHECK_EQ(atoi(remoting_cmd_ext_get(resp, "k")), i);
    remoting_cmd_destroy(resp);
    remoting_cmd_close(&req);
}

static remoting_client_t *new_client(int io_threads, remoting_request_handler on_request,
                                     void *ctx) {
    remoting_client_opts_t opts = {.io_threads = io_threads, .on_request = on_request, .ctx = ctx};
    remoting_client_t *client = NULL;
    CHECK_EQ(remoting_client_new(&opts, &client), 0);
    return client;
}

/* ------------------------------------------------------------------ tests */

static void test_echo_sync_async_oneway(void) {
    server_state_t s;
    remoting_server_t *server = start_server(&s, 2, 0);
    remoting_client_t *client = new_client(1, NULL, NULL);
    char addr[64];
    addr_of(addr, sizeof addr, "127.0.0.1", server);

    sync_echo(client, addr, 7);

    enum { N = 200 };
    counts_t counts = {0};
    static call_t calls[N];
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    char body[32];
    for (int i = 0; i < N; i++) {
        calls[i] = (call_t){&counts, i};
        make_echo(&req, i, body, sizeof body);
        CHECK_EQ(remoting_client_invoke_async(client, addr, &req, 5000, on_call_done, &calls[i]),
                 0);
    }
    WAIT_FOR(counts.total, N);
    CHECK_EQ(atomic_load(&counts.ok), N);

    for (int i = 0; i < 50; i++) {
        remoting_cmd_reset(&req);
        remoting_cmd_set_request(&req, CODE_COUNT);
        CHECK_EQ(remoting_client_invoke_oneway(client, addr, &req), 0);
        CHECK(remoting_cmd_is_oneway(&req));
    }
    WAIT_FOR(s.oneways, 50);
    sync_echo(client, addr, 8); /* no stray response to a one-way request got in the way */
    remoting_cmd_close(&req);

    CHECK_EQ(atomic_load(&s.opened), 1);
    remoting_client_destroy(client);
    WAIT_FOR(s.closed, 1);
    remoting_server_stop(server);
    CHECK_EQ(atomic_load(&counts.total), N); /* exactly once */
    CHECK_EQ(atomic_load(&s.opened), 1);
    CHECK_EQ(atomic_load(&s.closed), 1);
    release_held(&s);
}

typedef struct {
    remoting_client_t *client;
    const char *addr;
    int base;
} sync_thread_arg_t;

static void *sync_thread(void *p) {
    sync_thread_arg_t *a = p;
    for (int i = 0; i < 100; i++)
        sync_echo(a->client, a->addr, a->base + i);
    return NULL;
}

/* Several clients with several loops, each using two addresses (one through the resolver),
 * against a server with four loops; async from this thread and sync from two others. */
static void test_many_concurrent_requests_on_many_loops(void) {
    server_state_t s;
    remoting_server_t *server = start_server(&s, 4, 0);
    enum { CLIENTS = 3, ADDRS = 2, PER_CONN = 500 };
    remoting_client_t *clients[CLIENTS];
    char addrs[ADDRS][64];
    addr_of(addrs[0], sizeof addrs[0], "127.0.0.1", server);
    addr_of(addrs[1], sizeof addrs[1], "localhost", server);
    for (int c = 0; c < CLIENTS; c++)
        clients[c] = new_client(2, NULL, NULL);

    pthread_t threads[2];
    sync_thread_arg_t targs[2] = {{clients[0], addrs[0], 100000}, {clients[1], addrs[1], 200000}};
    for (int t = 0; t < 2; t++)
        CHECK_EQ(pthread_create(&threads[t], NULL, sync_thread, &targs[t]), 0);

    counts_t counts = {0};
    static call_t calls[CLIENTS * ADDRS * PER_CONN];
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    char body[32];
    int n = 0;
    for (int i = 0; i < PER_CONN; i++)
        for (int c = 0; c < CLIENTS; c++)
            for (int a = 0; a < ADDRS; a++) {
                calls[n] = (call_t){&counts, n};
                make_echo(&req, n, body, sizeof body);
                CHECK_EQ(remoting_client_invoke_async(clients[c], addrs[a], &req, 10000,
                                                      on_call_done, &calls[n]),
                         0);
                n++;
            }
    WAIT_FOR(counts.total, n);
    CHECK_EQ(atomic_load(&counts.ok), n);
    for (int t = 0; t < 2; t++)
        pthread_join(threads[t], NULL);
    remoting_cmd_close(&req);

    /* Six connections, handed round-robin to four loops: every loop served requests. */
    CHECK_EQ(atomic_load(&s.opened), CLIENTS * ADDRS);
    pthread_mutex_lock(&s.mu);
    CHECK_EQ(s.nthreads, 4);
    pthread_mutex_unlock(&s.mu);
    for (int c = 0; c < CLIENTS; c++)
        remoting_client_destroy(clients[c]);
    WAIT_FOR(s.closed, CLIENTS * ADDRS);
    remoting_server_stop(server);
    CHECK_EQ(atomic_load(&counts.total), n);
    release_held(&s);
}

/* Answers held request i from this (non-loop) thread. */
static void answer_held(server_state_t *s, int i, int code, const char *remark) {
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    remoting_cmd_set_response(&resp, code, s->held_opaque[i], remark);
    CHECK_EQ(remoting_conn_send(s->held[i], &resp), 0);
    remoting_cmd_close(&resp);
}

static void on_held_answer(void *arg, int status, remoting_cmd_t *resp) {
    counts_t *c = arg;
    if (status == 0) {
        CHECK_EQ(resp->code, 17);
        CHECK_STREQ(remoting_cmd_remark(resp), "answered later");
    }
    count_status(c, status);
    remoting_cmd_destroy(resp);
}

static void test_timeouts_and_later_answers(void) {
    server_state_t s;
    remoting_server_t *server = start_server(&s, 1, 0);
    remoting_client_t *client = new_client(1, NULL, NULL);
    char addr[64];
    addr_of(addr, sizeof addr, "127.0.0.1", server);
    remoting_cmd_t req, *resp = NULL;
    remoting_cmd_init(&req);

    /* Async time-out: the callback runs once with -ETIMEDOUT. */
    counts_t counts = {0};
    call_t call = {&counts, -1};
    remoting_cmd_set_request(&req, CODE_HOLD);
    CHECK_EQ(remoting_client_invoke_async(client, addr, &req, 30, on_call_done, &call), 0);
    WAIT_FOR(counts.total, 1);
    CHECK_EQ(atomic_load(&counts.timedout), 1);

    /* Sync time-out. */
    remoting_cmd_set_request(&req, CODE_HOLD);
    CHECK_EQ(remoting_client_invoke_sync(client, addr, &req, 30, &resp), -ETIMEDOUT);
    WAIT_FOR(s.nheld, 2);

    /* Late answers (sent from this thread) are dropped; the connection keeps working. */
    answer_held(&s, 0, 0, NULL);
    answer_held(&s, 1, 0, NULL);
    sync_echo(client, addr, 1);
    CHECK_EQ(atomic_load(&counts.total), 1);

    /* REMOTING_PENDING answered in time from another thread. */
    counts_t later = {0};
    remoting_cmd_set_request(&req, CODE_HOLD);
    CHECK_EQ(remoting_client_invoke_async(client, addr, &req, 10000, on_held_answer, &later), 0);
    WAIT_FOR(s.nheld, 3);
    answer_held(&s, 2, 17, "answered later");
    WAIT_FOR(later.total, 1);
    CHECK_EQ(atomic_load(&later.ok), 1);

    /* Mixed deadlines expire in deadline order regardless of send order. */
    counts_t mixed = {0};
    call_t mcall = {&mixed, -1};
    int timeouts[] = {10000, 20, 10000, 40, 10};
    for (int i = 0; i < 5; i++) {
        remoting_cmd_set_request(&req, CODE_HOLD);
        CHECK_EQ(
            remoting_client_invoke_async(client, addr, &req, timeouts[i], on_call_done, &mcall), 0);
    }
    WAIT_FOR(mixed.timedout, 3);
    CHECK_EQ(atomic_load(&mixed.total), 3);

    remoting_cmd_close(&req);
    remoting_client_destroy(client); /* the two long ones are cancelled */
    CHECK_EQ(atomic_load(&mixed.total), 5);
    CHECK_EQ(atomic_load(&mixed.canceled), 2);
    remoting_server_stop(server);
    CHECK_EQ(atomic_load(&counts.total), 1);
    CHECK_EQ(atomic_load(&later.total), 1);
    release_held(&s);
}

/* ---- requests from the server to the client on the same connection */

static atomic_int client_handled;

static int client_on_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                             remoting_cmd_t *resp) {
    atomic_fetch_add(&client_handled, 1);
    if (ctx)
        return REMOTING_PENDING; /* a client that never answers */
    CHECK_EQ(req->code, CODE_ECHO);
    CHECK_MEMSTR(req->body.ptr, req->body.len, "ping");
    remoting_cmd_ext_set(resp, "k", remoting_cmd_ext_get(req, "k"));
    remoting_cmd_copy_body(resp, "pong", 4);
    return 0;
}

static void test_server_to_client_requests(void) {
    server_state_t s;
    remoting_server_t *server = start_server(&s, 2, 0);
    char addr[64];
    addr_of(addr, sizeof addr, "127.0.0.1", server);
    remoting_cmd_t req, *resp = NULL;
    remoting_cmd_init(&req);

    remoting_client_t *client = new_client(1, client_on_request, NULL);
    remoting_cmd_set_request(&req, CODE_CALL_BACK);
    CHECK_EQ(remoting_client_invoke_sync(client, addr, &req, 5000, &resp), 0);
    remoting_cmd_destroy(resp);
    WAIT_FOR(s.back_ok, 1);
    CHECK_EQ(atomic_load(&client_handled), 1);
    remoting_client_destroy(client);

    /* A client without a handler answers REQUEST_CODE_NOT_SUPPORTED. */
    client = new_client(1, NULL, NULL);
    remoting_cmd_set_request(&req, CODE_CALL_BACK);
    CHECK_EQ(remoting_client_invoke_sync(client, addr, &req, 5000, &resp), 0);
    remoting_cmd_destroy(resp);
    WAIT_FOR(s.back_notsup, 1);
    remoting_client_destroy(client);

    /* Server shutdown cancels the server's own pending request to a silent client. */
    client = new_client(1, client_on_request, (void *)1);
    s.back_timeout_ms = 60000;
    remoting_cmd_set_request(&req, CODE_CALL_BACK);
    CHECK_EQ(remoting_client_invoke_sync(client, addr, &req, 5000, &resp), 0);
    remoting_cmd_destroy(resp);
    WAIT_FOR(client_handled, 2);
    remoting_server_stop(server);
    CHECK_EQ(atomic_load(&s.back_canceled), 1);
    CHECK_EQ(atomic_load(&s.back_ok), 1);
    CHECK_EQ(atomic_load(&s.back_notsup), 1);
    CHECK_EQ(atomic_load(&s.back_other), 0);
    remoting_client_destroy(client);
    remoting_cmd_close(&req);
    release_held(&s);
}

/* A failing handler closes the connection: its pending requests get -ECONNRESET, the
 * server's close callback runs, and the next call reconnects. */
static void test_handler_failure_closes_connection(void) {
    server_state_t s;
    remoting_server_t *server = start_server(&s, 1, 0);
    remoting_client_t *client = new_client(1, NULL, NULL);
    char addr[64];
    addr_of(addr, sizeof addr, "127.0.0.1", server);
    remoting_cmd_t req;
    remoting_cmd_init(&req);

    counts_t counts = {0};
    call_t hold = {&counts, -1}, fail = {&counts, -1};
    remoting_cmd_set_request(&req, CODE_HOLD);
    CHECK_EQ(remoting_client_invoke_async(client, addr, &req, 60000, on_call_done, &hold), 0);
    remoting_cmd_set_request(&req, CODE_FAIL);
    CHECK_EQ(remoting_client_invoke_async(client, addr, &req, 60000, on_call_done, &fail), 0);
    WAIT_FOR(counts.total, 2);
    CHECK_EQ(atomic_load(&counts.reset), 2);
    WAIT_FOR(s.closed, 1);
    CHECK(remoting_conn_is_closed(s.held[0]));

    sync_echo(client, addr, 3);
    CHECK_EQ(atomic_load(&s.opened), 2);
    remoting_cmd_close(&req);
    remoting_client_destroy(client);
    remoting_server_stop(server);
    CHECK_EQ(atomic_load(&s.closed), 2);
    CHECK_EQ(atomic_load(&counts.total), 2);
    release_held(&s);
}

/* Destroying a client completes each of its pending requests once with -ECANCELED. */
static void test_shutdown_cancels_pending_once(void) {
    server_state_t s;
    remoting_server_t *server = start_server(&s, 2, 0);
    remoting_client_t *client = new_client(2, NULL, NULL);
    char a1[64], a2[64];
    addr_of(a1, sizeof a1, "127.0.0.1", server);
    addr_of(a2, sizeof a2, "localhost", server);
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    counts_t counts = {0};
    call_t call = {&counts, -1};
    for (int i = 0; i < 20; i++) {
        remoting_cmd_set_request(&req, CODE_HOLD);
        CHECK_EQ(
            remoting_client_invoke_async(client, i % 2 ? a1 : a2, &req, 60000, on_call_done, &call),
            0);
    }
    WAIT_FOR(s.nheld, 20);
    CHECK_EQ(atomic_load(&counts.total), 0);
    remoting_client_destroy(client);
    CHECK_EQ(atomic_load(&counts.total), 20);
    CHECK_EQ(atomic_load(&counts.canceled), 20);
    WAIT_FOR(s.closed, 2);
    /* The held connections are closed: sending on them fails, nothing crashes. */
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    remoting_cmd_set_response(&resp, 0, s.held_opaque[0], NULL);
    CHECK_EQ(remoting_conn_send(s.held[0], &resp), -EPIPE);
    remoting_cmd_close(&resp);
    remoting_cmd_close(&req);
    remoting_server_stop(server);
    release_held(&s);
}

static void test_connect_errors(void) {
    server_state_t s;
    remoting_server_t *server = start_server(&s, 1, 0);
    char addr[64];
    addr_of(addr, sizeof addr, "127.0.0.1", server);
    remoting_server_stop(server); /* the port is now (very likely) free */
    release_held(&s);

    remoting_client_t *client = new_client(1, NULL, NULL);
    remoting_cmd_t req, *resp = NULL;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, CODE_ECHO);
    CHECK_EQ(remoting_client_invoke_sync(client, addr, &req, 5000, &resp), -ECONNREFUSED);
    CHECK_EQ(remoting_client_invoke_sync(client, "nonsense", &req, 5000, &resp), -EINVAL);
    CHECK_EQ(remoting_client_invoke_sync(client, "127.0.0.1:0", &req, 5000, &resp), -EINVAL);
    CHECK_EQ(remoting_client_invoke_sync(client, "127.0.0.1:99999", &req, 5000, &resp), -EINVAL);
    CHECK_EQ(remoting_client_invoke_oneway(client, ":1", &req), -EINVAL);
    remoting_cmd_close(&req);
    remoting_client_destroy(client);

    /* Binding a port in use fails up front. */
    server_state_t s1, s2;
    remoting_server_t *first = start_server(&s1, 1, 0);
    remoting_server_opts_t opts = {.host = "127.0.0.1",
                                   .port = remoting_server_port(first),
                                   .io_threads = 1,
                                   .on_request = server_on_request,
                                   .ctx = &s2};
    remoting_server_t *second = NULL;
    CHECK_EQ(remoting_server_start(&opts, &second), -EADDRINUSE);
    CHECK(second == NULL);
    remoting_server_stop(first);
    release_held(&s1);
}

int main(void) {
    RUN(test_echo_sync_async_oneway);
    RUN(test_many_concurrent_requests_on_many_loops);
    RUN(test_timeouts_and_later_answers);
    RUN(test_server_to_client_requests);
    RUN(test_handler_failure_closes_connection);
    RUN(test_shutdown_cancels_pending_once);
    RUN(test_connect_errors);
    return 0;
}
