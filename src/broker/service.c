/*
 * The broker's moving parts: the remoting servers on listenPort and the fast port
 * listenPort-2 (same handler), a remoting client to the NameServers, and a management
 * thread with its own libuv loop running:
 *
 *   tick (200 ms)     held pulls woken or expired; registration after a topic change;
 *                     due delay-level messages delivered (schedule.c)
 *   registration      every registerNameServerPeriod (clamped to 10..60 s, as upstream)
 *   offsets           consumerOffset.json (and delayOffset.json) every
 *                     flushConsumerOffsetInterval
 *   client scan       channels silent for 120 s dropped (every 10 s)
 *   wake (async)      the store's dispatch thread found a held pull to answer; a send
 *                     auto-created a topic (registration at once)
 *
 * Runs on: the caller's thread (start/stop), the management thread (timers).
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "remoting/client.h"

#include <string.h>
#include <unistd.h>
#include <uv.h>

#define TICK_MS        200
#define CLIENT_SCAN_MS 10000

struct broker_service {
    remoting_server_t *server, *fast;
    uv_loop_t loop;
    uv_timer_t tick, reg, persist, scan;
    uv_async_t wake, stop;
    uv_thread_t thread;
    bool running;
};

static void on_tick(uv_timer_t *t) {
    broker_t *b = t->data;
    broker_hold_run(b->hold, rmq_mono_ms());
    broker_schedule_run(b->schedule);
    if (atomic_load(&b->topics.changed))
        broker_register_all(b);
}

static void on_wake(uv_async_t *a) {
    broker_t *b = a->data;
    broker_hold_run(b->hold, rmq_mono_ms());
    if (atomic_load(&b->topics.changed))
        broker_register_all(b);
}

/* Runs on: an I/O loop (a send auto-created a topic). b->service is set while this
 * hook is installed. */
static void topics_changed(broker_t *b) {
    uv_async_send(&b->service->wake);
}

static void wake(void *arg) {
    uv_async_send(arg);
}

static void on_register(uv_timer_t *t) {
    broker_register_all(t->data);
}

static void on_persist(uv_timer_t *t) {
    broker_t *b = t->data;
    broker_offsets_persist(b);
    broker_schedule_persist(b->schedule, false);
}

static void on_scan(uv_timer_t *t) {
    int n = broker_clients_scan(t->data);
    if (n)
        rmq_log_info("broker", "client scan dropped %d expired channel(s)", n);
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
    struct broker_service *svc = arg;
    uv_run(&svc->loop, UV_RUN_DEFAULT);
}

static int start_management(broker_t *b, struct broker_service *svc) {
    int rc = uv_loop_init(&svc->loop);
    if (rc != 0)
        return rc;
    uv_timer_t *timers[] = {&svc->tick, &svc->reg, &svc->persist, &svc->scan};
    for (size_t i = 0; i < 4; i++) {
        uv_timer_init(&svc->loop, timers[i]);
        timers[i]->data = b;
    }
    uv_async_init(&svc->loop, &svc->wake, on_wake);
    svc->wake.data = b;
    uv_async_init(&svc->loop, &svc->stop, on_stop);
    int period = b->cfg.registerNameServerPeriod;
    period = period < 10000 ? 10000 : period > 60000 ? 60000 : period;
    uv_timer_start(&svc->tick, on_tick, TICK_MS, TICK_MS);
    uv_timer_start(&svc->reg, on_register, 0, (uint64_t)period);
    int every = b->cfg.flushConsumerOffsetInterval > 0 ? b->cfg.flushConsumerOffsetInterval : 5000;
    uv_timer_start(&svc->persist, on_persist, (uint64_t)every, (uint64_t)every);
    uv_timer_start(&svc->scan, on_scan, CLIENT_SCAN_MS, CLIENT_SCAN_MS);
    broker_hold_set_waker(b->hold, wake, &svc->wake);
    atomic_store(&b->topics.on_change, topics_changed);
    rc = uv_thread_create(&svc->thread, run_loop, svc);
    if (rc != 0) {
        atomic_store(&b->topics.on_change, NULL);
        broker_hold_set_waker(b->hold, NULL, NULL);
        uv_walk(&svc->loop, close_handle, NULL);
        uv_run(&svc->loop, UV_RUN_DEFAULT);
        uv_loop_close(&svc->loop);
    }
    return rc;
}

static int io_loop_count(int selector_threads) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (selector_threads <= 0)
        selector_threads = 1;
    return cores > 0 && selector_threads > cores ? (int)cores : selector_threads;
}

static int listen_on(broker_t *b, int port, remoting_request_handler on_request,
                     remoting_server_t **out) {
    remoting_server_opts_t opts = {
        .host = b->cfg.bindAddress,
        .port = port,
        .io_threads = io_loop_count(b->cfg.serverSelectorThreads),
        .idle_timeout_ms = b->cfg.serverChannelMaxIdleTimeSeconds > 0
                               ? b->cfg.serverChannelMaxIdleTimeSeconds * 1000
                               : -1,
        .on_request = on_request,
        .on_close = broker_on_conn_close,
        .ctx = b,
    };
    int rc = remoting_server_start(&opts, out);
    if (rc != 0)
        rmq_log_error("broker", "listen on %s:%d failed: %s", opts.host, port, strerror(-rc));
    return rc;
}

int broker_start(broker_t *b) {
    struct broker_service *svc = RMQ_NEW(struct broker_service);
    remoting_client_opts_t copts = {.io_threads = 1};
    int rc = remoting_client_new(&copts, &b->client);
    if (rc != 0)
        goto fail;
    rc = listen_on(b, b->cfg.listenPort, broker_handle_request, &svc->server);
    if (rc != 0)
        goto fail_client;
    rc = listen_on(b, b->cfg.listenPort > 2 ? b->cfg.listenPort - 2 : 0, broker_handle_fast_request,
                   &svc->fast);
    if (rc != 0)
        goto fail_server;
    b->service = svc;
    rc = start_management(b, svc);
    if (rc != 0)
        goto fail_fast;
    svc->running = true;
    rmq_log_info("broker",
                 "The broker[%s, %s] boot success. serializeType=JSON and name server "
                 "is %s",
                 b->cfg.brokerName, b->addr, b->cfg.namesrvAddr ? b->cfg.namesrvAddr : "(none)");
    return 0;

fail_fast:
    b->service = NULL;
    remoting_server_stop(svc->fast);
fail_server:
    remoting_server_stop(svc->server);
fail_client:
    remoting_client_destroy(b->client);
    b->client = NULL;
fail:
    rmq_free(svc);
    return rc;
}

int broker_port(const broker_t *b) {
    return b->service ? remoting_server_port(b->service->server) : -1;
}

void broker_stop(broker_t *b) {
    struct broker_service *svc = b->service;
    if (!svc)
        return;
    /* No wake-ups once the servers (whose loops call it) are stopped. */
    atomic_store(&b->topics.on_change, NULL);
    broker_unregister_all(b);
    remoting_server_stop(svc->fast);
    remoting_server_stop(svc->server);
    uv_async_send(&svc->stop);
    uv_thread_join(&svc->thread);
    uv_loop_close(&svc->loop);
    broker_hold_set_waker(b->hold, NULL, NULL);
    remoting_client_destroy(b->client);
    b->client = NULL;
    broker_clients_clear(b);
    broker_offsets_persist(b);
    b->service = NULL;
    rmq_free(svc);
    rmq_log_info("broker", "broker %s stopped", b->cfg.brokerName);
}
