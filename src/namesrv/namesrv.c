/*
 * The NameServer context: configuration (with its lock), the route and KV tables, the
 * clock. Starting the network side lives in service.c, so the processors can be unit
 * tested without a server.
 */
#include "namesrv/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"

#include <errno.h>
#include <string.h>

static int64_t wall_clock(void *arg) {
    (void)arg;
    return rmq_now_ms();
}

int namesrv_new(const namesrv_config_t *cfg, const rmq_props_t *extra, namesrv_t **out) {
    namesrv_t *ns = RMQ_NEW(namesrv_t);
    pthread_rwlock_init(&ns->cfg_lock, NULL);
    namesrv_config_copy(&ns->cfg, cfg);
    rmq_props_init(&ns->cfg_extra);
    for (size_t i = 0; extra && i < extra->count; i++)
        rmq_props_set(&ns->cfg_extra, extra->items[i].key, extra->items[i].value);
    namesrv_route_init(&ns->route);
    namesrv_kv_init(&ns->kv);
    ns->now_ms = wall_clock;
    ns->start_ms = rmq_now_ms();
    int rc = namesrv_kv_load(&ns->kv, ns->cfg.kvConfigPath);
    if (rc != 0)
        rmq_log_warn("namesrv", "load kv config %s failed: %s; starting with an empty table",
                     ns->cfg.kvConfigPath, strerror(rc == -EINVAL ? EINVAL : -rc));
    *out = ns;
    return 0;
}

void namesrv_destroy(namesrv_t *ns) {
    if (!ns)
        return;
    if (ns->stop)
        ns->stop(ns);
    namesrv_route_close(ns, &ns->route);
    namesrv_kv_close(&ns->kv);
    namesrv_config_close(&ns->cfg);
    rmq_props_close(&ns->cfg_extra);
    pthread_rwlock_destroy(&ns->cfg_lock);
    rmq_free(ns);
}

void namesrv_set_clock(namesrv_t *ns, int64_t (*now_ms)(void *arg), void *arg) {
    ns->now_ms = now_ms;
    ns->now_arg = arg;
    ns->start_ms = now_ms(arg);
}

void namesrv_scan_not_active_brokers(namesrv_t *ns) {
    int dropped = namesrv_route_scan(ns);
    if (dropped)
        rmq_log_info("namesrv", "scan dropped %d expired broker(s)", dropped);
}

void namesrv_on_conn_close(void *arg, remoting_conn_t *conn) {
    namesrv_route_conn_closed(arg, conn);
}

namesrv_flags_t namesrv_flags(namesrv_t *ns) {
    pthread_rwlock_rdlock(&ns->cfg_lock);
    const namesrv_config_t *c = &ns->cfg;
    namesrv_flags_t f = {
        .orderMessageEnable = c->orderMessageEnable,
        .returnOrderTopicConfigToBroker = c->returnOrderTopicConfigToBroker,
        .supportActingMaster = c->supportActingMaster,
        .enableAllTopicList = c->enableAllTopicList,
        .enableTopicList = c->enableTopicList,
        .notifyMinBrokerIdChanged = c->notifyMinBrokerIdChanged,
        .needWaitForService = c->needWaitForService,
        .deleteTopicWithBrokerRegistration = c->deleteTopicWithBrokerRegistration,
        .waitSecondsForService = c->waitSecondsForService,
    };
    pthread_rwlock_unlock(&ns->cfg_lock);
    return f;
}

char *namesrv_kv_path(namesrv_t *ns) {
    pthread_rwlock_rdlock(&ns->cfg_lock);
    char *p = rmq_strdup(ns->cfg.kvConfigPath);
    pthread_rwlock_unlock(&ns->cfg_lock);
    return p;
}
