/*
 * Remoting client (client.h): one connection per "host:port", created on first use on the
 * next loop in turn and reused until it closes; calls from any thread.
 *
 * The address map is the only state shared between callers and loops, under `mu`. It
 * holds a reference on each connection; a connection leaves it when it closes (endpoint
 * on_detach, on its loop) or on remoting_client_close_addr(), and the next call to that
 * address connects again. A new connection's connect item is posted to its loop before
 * any request, and the loop runs items in order, so requests queue behind the connect and
 * are written once it succeeds (or complete with its error).
 *
 * Sync calls post an async call and wait on a condition variable; the loop's deadline
 * timer guarantees the completion, so the wait needs no time-out of its own.
 */
#include "remoting/client.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/map.h"
#include "common/str.h"
#include "remoting/transport.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define HOST_MAX 100

struct remoting_client {
    remoting_endpoint_t ep;
    remoting_loop_t **loops;
    int nloops;
    pthread_mutex_t mu; /* guards conns, next_loop, is_destroying */
    rmq_map_t conns;    /* addr -> remoting_conn_t *, one reference each */
    unsigned next_loop;
    bool is_destroying;
};

typedef struct {
    remoting_conn_t *conn; /* retained for the item */
    int port;
    char host[HOST_MAX + 1];
} connect_work_t;

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool is_done;
    int status;
    remoting_cmd_t *resp;
} sync_wait_t;

static void on_detach(remoting_endpoint_t *ep, remoting_conn_t *conn);

/* ------------------------------------------------------------------ lifecycle */

int remoting_client_new(const remoting_client_opts_t *opts, remoting_client_t **out) {
    remoting_client_t *client = RMQ_NEW(remoting_client_t);
    client->ep = (remoting_endpoint_t){
        .on_request = opts->on_request,
        .ctx = opts->ctx,
        .max_frame = opts->max_frame ? opts->max_frame : REMOTING_FRAME_MAX_DEFAULT,
        .idle_timeout_ms =
            opts->idle_timeout_ms == 0 ? REMOTING_IDLE_TIMEOUT_DEFAULT : opts->idle_timeout_ms,
        .connect_timeout_ms = opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms
                                                           : REMOTING_CONNECT_TIMEOUT_DEFAULT,
        .on_detach = on_detach,
    };
    pthread_mutex_init(&client->mu, NULL);
    rmq_map_init(&client->conns);
    client->nloops = opts->io_threads > 0 ? opts->io_threads : 1;
    client->loops = rmq_calloc((size_t)client->nloops, sizeof *client->loops);
    int sweep = remoting_sweep_period_ms(client->ep.idle_timeout_ms, client->ep.connect_timeout_ms);
    for (int i = 0; i < client->nloops; i++) {
        char name[32];
        snprintf(name, sizeof name, "rmq-cli-%d", i);
        client->loops[i] = remoting_loop_new(name, sweep);
    }
    *out = client;
    return 0;
}

void remoting_client_destroy(remoting_client_t *client) {
    if (!client)
        return;
    pthread_mutex_lock(&client->mu);
    client->is_destroying = true;
    pthread_mutex_unlock(&client->mu);
    for (int i = 0; i < client->nloops; i++)
        remoting_loop_stop(client->loops[i]);
    for (int i = 0; i < client->nloops; i++)
        remoting_loop_join(client->loops[i]);
    /* Every connection closed on its loop and left the map; this is only a safety net. */
    rmq_map_entry_t *e;
    for (size_t i = 0; rmq_map_next(&client->conns, &i, &e);)
        remoting_conn_release(e->value);
    rmq_map_close(&client->conns);
    for (int i = 0; i < client->nloops; i++)
        remoting_loop_release(client->loops[i]);
    pthread_mutex_destroy(&client->mu);
    rmq_free(client->loops);
    rmq_free(client);
}

/* Runs on: a client loop, after on_close. Forgets the connection unless replaced. */
static void on_detach(remoting_endpoint_t *ep, remoting_conn_t *conn) {
    remoting_client_t *client = (remoting_client_t *)((char *)ep - offsetof(remoting_client_t, ep));
    bool is_ours = false;
    pthread_mutex_lock(&client->mu);
    if (rmq_map_get(&client->conns, remoting_conn_peer(conn)) == conn) {
        rmq_map_del(&client->conns, remoting_conn_peer(conn));
        is_ours = true;
    }
    pthread_mutex_unlock(&client->mu);
    if (is_ours)
        remoting_conn_release(conn);
}

/* ------------------------------------------------------------------ connections */

/* Splits "host:port" or "[v6]:port". 0 or -EINVAL. */
static int parse_addr(const char *addr, char *host, int *port) {
    const char *colon = strrchr(addr, ':');
    if (!colon || colon == addr)
        return -EINVAL;
    const char *h = addr;
    size_t hlen = (size_t)(colon - addr);
    if (h[0] == '[') {
        if (hlen < 3 || h[hlen - 1] != ']')
            return -EINVAL;
        h++;
        hlen -= 2;
    }
    int32_t p;
    if (hlen > HOST_MAX || rmq_parse_i32(colon + 1, strlen(colon + 1), &p) != 0 || p <= 0 ||
        p > 65535)
        return -EINVAL;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = p;
    return 0;
}

/* Runs on: the connection's loop. */
static void run_connect(remoting_loop_t *loop, void *arg) {
    connect_work_t *w = arg;
    if (remoting_loop_is_stopping(loop))
        remoting_conn_shut(w->conn, -ECANCELED, RMQ_LOG_DEBUG, "shutting down");
    else
        remoting_conn_connect(w->conn, w->host, w->port);
    remoting_conn_release(w->conn);
    rmq_free(w);
}

/* Any thread. The open (or opening) connection to addr, retained for the caller; 0 or
 * -EINVAL, -ECANCELED (destroying), -EAGAIN (loop queue full). Locks: mu. */
static int get_conn(remoting_client_t *client, const char *addr, remoting_conn_t **out) {
    char host[HOST_MAX + 1];
    int port, rc = parse_addr(addr, host, &port);
    if (rc)
        return rc;
    pthread_mutex_lock(&client->mu);
    if (client->is_destroying) {
        pthread_mutex_unlock(&client->mu);
        return -ECANCELED;
    }
    remoting_conn_t *conn = rmq_map_get(&client->conns, addr);
    if (conn && !remoting_conn_is_closed(conn)) {
        remoting_conn_retain(conn);
        pthread_mutex_unlock(&client->mu);
        *out = conn;
        return 0;
    }
    remoting_loop_t *loop = client->loops[client->next_loop++ % (unsigned)client->nloops];
    conn = remoting_conn_new(loop, &client->ep, addr);
    connect_work_t *w = rmq_malloc(sizeof *w);
    w->conn = conn;
    w->port = port;
    memcpy(w->host, host, sizeof host);
    remoting_conn_retain(conn); /* the item's */
    rc = remoting_loop_post(loop, run_connect, w);
    if (rc) {
        pthread_mutex_unlock(&client->mu);
        rmq_free(w);
        remoting_conn_release(conn); /* the item's */
        remoting_conn_release(conn); /* the loop's: it never saw the connection */
        return rc;
    }
    remoting_conn_t *old = rmq_map_put(&client->conns, addr, conn);
    remoting_conn_retain(conn); /* the map's */
    remoting_conn_retain(conn); /* the caller's */
    pthread_mutex_unlock(&client->mu);
    if (old)
        remoting_conn_release(old); /* closed, not yet detached; detach will skip it */
    *out = conn;
    return 0;
}

/* ------------------------------------------------------------------ calls */

int remoting_client_invoke_async(remoting_client_t *client, const char *addr, remoting_cmd_t *req,
                                 int timeout_ms, remoting_response_cb cb, void *arg) {
    remoting_conn_t *conn;
    int rc = get_conn(client, addr, &conn);
    if (rc)
        return rc;
    rc = remoting_conn_request(conn, req, timeout_ms, cb, arg);
    remoting_conn_release(conn);
    return rc;
}

int remoting_client_invoke_oneway(remoting_client_t *client, const char *addr,
                                  remoting_cmd_t *req) {
    remoting_conn_t *conn;
    int rc = get_conn(client, addr, &conn);
    if (rc)
        return rc;
    rc = remoting_conn_oneway(conn, req);
    remoting_conn_release(conn);
    return rc;
}

/* Runs on: a client loop. Wakes the waiting caller. Locks: the waiter's mutex. */
static void on_sync_done(void *arg, int status, remoting_cmd_t *resp) {
    sync_wait_t *w = arg;
    pthread_mutex_lock(&w->mu);
    w->status = status;
    w->resp = resp;
    w->is_done = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

int remoting_client_invoke_sync(remoting_client_t *client, const char *addr, remoting_cmd_t *req,
                                int timeout_ms, remoting_cmd_t **resp) {
    *resp = NULL;
    for (int i = 0; i < client->nloops; i++)
        if (remoting_loop_on_thread(client->loops[i]))
            return -EDEADLK; /* the loop would wait for itself */
    sync_wait_t w = {.is_done = false};
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    int rc = remoting_client_invoke_async(client, addr, req, timeout_ms, on_sync_done, &w);
    if (rc == 0) {
        pthread_mutex_lock(&w.mu);
        while (!w.is_done)
            pthread_cond_wait(&w.cv, &w.mu);
        pthread_mutex_unlock(&w.mu);
        rc = w.status;
        *resp = w.resp;
    }
    pthread_cond_destroy(&w.cv);
    pthread_mutex_destroy(&w.mu);
    return rc;
}

void remoting_client_close_addr(remoting_client_t *client, const char *addr) {
    pthread_mutex_lock(&client->mu);
    remoting_conn_t *conn = rmq_map_del(&client->conns, addr);
    pthread_mutex_unlock(&client->mu);
    if (conn) {
        remoting_conn_close(conn);
        remoting_conn_release(conn);
    }
}
