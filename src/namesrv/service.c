/*
 * The NameServer's moving parts: the remoting server (requests on its I/O loops, broker
 * connections closing), a management thread with its own libuv loop running the expiry
 * scan every scanNotActiveBrokerInterval (first run after 5 s, as upstream), and a
 * remoting client for the one-way NOTIFY_MIN_BROKER_ID_CHANGE.
 *
 * Runs on: the caller's thread (start/stop), the management thread (timer).
 */
#include "namesrv/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "remoting/client.h"

#include <string.h>
#include <unistd.h>
#include <uv.h>

#define FIRST_SCAN_DELAY_MS 5000

struct namesrv_service {
    remoting_server_t *server;
    remoting_client_t *client;
    uv_loop_t loop;
    uv_timer_t scan_timer;
    uv_async_t stop_async;
    uv_thread_t thread;
    int64_t scan_interval_ms;
};

/* ---- connection operations for the route table ---- */

static void conn_oneway(namesrv_t *ns, const char *addr, remoting_cmd_t *req) {
    int rc = remoting_client_invoke_oneway(ns->service->client, addr, req);
    if (rc != 0)
        rmq_log_warn("namesrv", "notify %s failed: %s", addr, strerror(-rc));
}

static const namesrv_conn_ops_t conn_ops = {
    .retain = remoting_conn_retain,
    .release = remoting_conn_release,
    .close = remoting_conn_close,
    .oneway = conn_oneway,
};

static void on_close(void *ctx, remoting_conn_t *conn) {
    namesrv_route_conn_closed(ctx, conn);
}

/* ---- management thread ---- */

static void on_scan(uv_timer_t *t) {
    namesrv_scan_not_active_brokers(t->data);
}

static void close_handle(uv_handle_t *h, void *arg) {
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void on_stop(uv_async_t *a) {
    uv_walk(a->loop, close_handle, NULL);
}

static void run_loop(void *arg) {
    struct namesrv_service *svc = arg;
    uv_run(&svc->loop, UV_RUN_DEFAULT);
}

static int start_management(namesrv_t *ns, struct namesrv_service *svc) {
    int rc = uv_loop_init(&svc->loop);
    if (rc != 0)
        return rc;
    uv_timer_init(&svc->loop, &svc->scan_timer);
    svc->scan_timer.data = ns;
    uv_async_init(&svc->loop, &svc->stop_async, on_stop);
    int64_t every = svc->scan_interval_ms > 0 ? svc->scan_interval_ms : 5000;
    uv_timer_start(&svc->scan_timer, on_scan, FIRST_SCAN_DELAY_MS, (uint64_t)every);
    rc = uv_thread_create(&svc->thread, run_loop, svc);
    if (rc != 0) {
        uv_walk(&svc->loop, close_handle, NULL);
        uv_run(&svc->loop, UV_RUN_DEFAULT);
        uv_loop_close(&svc->loop);
    }
    return rc;
}

/* ---- start / stop ---- */

static void stop_service(namesrv_t *ns) {
    struct namesrv_service *svc = ns->service;
    if (!svc)
        return;
    remoting_server_stop(svc->server);
    uv_async_send(&svc->stop_async);
    uv_thread_join(&svc->thread);
    uv_loop_close(&svc->loop);
    remoting_client_destroy(svc->client);
    /* Connections are gone: the route table must not call into them any more. */
    ns->conn_ops = NULL;
    ns->service = NULL;
    ns->stop = NULL;
    rmq_free(svc);
    rmq_log_info("namesrv", "name server stopped");
}

/* Netty's selector threads become our I/O loops; more loops than cores only contend. */
static int io_loop_count(int selector_threads) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (selector_threads <= 0)
        selector_threads = 1;
    return cores > 0 && selector_threads > cores ? (int)cores : selector_threads;
}

int namesrv_start(namesrv_t *ns) {
    struct namesrv_service *svc = RMQ_NEW(struct namesrv_service);
    pthread_rwlock_rdlock(&ns->cfg_lock);
    char *host = rmq_strdup(ns->cfg.bindAddress ? ns->cfg.bindAddress : "0.0.0.0");
    remoting_server_opts_t opts = {
        .port = ns->cfg.listenPort,
        .io_threads = io_loop_count(ns->cfg.serverSelectorThreads),
        .idle_timeout_ms = ns->cfg.serverChannelMaxIdleTimeSeconds > 0
                               ? ns->cfg.serverChannelMaxIdleTimeSeconds * 1000
                               : -1,
        .on_request = namesrv_handle_request,
        .on_close = on_close,
        .ctx = ns,
    };
    svc->scan_interval_ms = ns->cfg.scanNotActiveBrokerInterval;
    pthread_rwlock_unlock(&ns->cfg_lock);
    opts.host = host;

    remoting_client_opts_t copts = {.io_threads = 1};
    int rc = remoting_client_new(&copts, &svc->client);
    if (rc != 0)
        goto fail;
    ns->service = svc;
    ns->conn_ops = &conn_ops;
    rc = remoting_server_start(&opts, &svc->server);
    if (rc != 0) {
        rmq_log_error("namesrv", "listen on %s:%d failed: %s", host, opts.port, strerror(-rc));
        goto fail_client;
    }
    rc = start_management(ns, svc);
    if (rc != 0)
        goto fail_server;
    ns->stop = stop_service;
    rmq_free(host);
    return 0;

fail_server:
    remoting_server_stop(svc->server);
fail_client:
    ns->conn_ops = NULL;
    ns->service = NULL;
    remoting_client_destroy(svc->client);
fail:
    rmq_free(host);
    rmq_free(svc);
    return rc;
}

int namesrv_port(const namesrv_t *ns) {
    return ns->service ? remoting_server_port(ns->service->server) : -1;
}

void namesrv_stop(namesrv_t *ns) {
    if (ns->stop)
        ns->stop(ns);
}
