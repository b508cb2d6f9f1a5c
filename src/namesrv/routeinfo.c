/*
 * Route table, writers (upstream RouteInfoManager): brokers register, heartbeat,
 * unregister, expire or lose their connection; admin requests change topics and
 * permissions.
 *
 * Tables (all under route->lock):
 *   clusters  cluster -> broker names
 *   brokers   broker name -> BrokerData {cluster, addresses by id, zone, acting master}
 *   topics    topic -> broker name -> QueueData
 *   live      (cluster, addr) -> last update, time-out, DataVersion, connection, HA addr
 *   mappings  topic -> bname -> TopicQueueMappingInfo (static topics)
 * Invariants: a topic exists iff it has queue data of at least one broker name; a broker
 * name leaves its cluster's set when its last address goes. (A rejected first
 * registration leaves an empty BrokerData behind, as upstream does.)
 *
 * Runs on: I/O loops and the management thread. Locks: route->lock (write).
 */
#include "namesrv/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/codes.h"
#include "protocol/namesrv_header.h"

#include <string.h>

/* ---- helpers ---- */

static void live_key(rmq_buf_t *b, const char *cluster, const char *addr) {
    rmq_buf_reset(b);
    rmq_buf_appendf(b, "%s\x01%s", cluster, addr);
}

static namesrv_live_t *live_get(namesrv_route_t *rt, const char *cluster, const char *addr) {
    rmq_buf_t k;
    rmq_buf_init(&k);
    live_key(&k, cluster, addr);
    namesrv_live_t *l = rmq_map_get(&rt->live, rmq_buf_cstr(&k));
    rmq_buf_close(&k);
    return l;
}

static void live_free(namesrv_t *ns, namesrv_live_t *l) {
    if (!l)
        return;
    if (l->conn && ns->conn_ops)
        ns->conn_ops->release(l->conn);
    rmq_free(l->cluster);
    rmq_free(l->addr);
    rmq_free(l->ha_addr);
    rmq_free(l);
}

static void live_del(namesrv_t *ns, const char *cluster, const char *addr) {
    rmq_buf_t k;
    rmq_buf_init(&k);
    live_key(&k, cluster, addr);
    live_free(ns, rmq_map_del(&ns->route.live, rmq_buf_cstr(&k)));
    rmq_buf_close(&k);
}

static void live_put(namesrv_t *ns, namesrv_live_t *l) {
    rmq_buf_t k;
    rmq_buf_init(&k);
    live_key(&k, l->cluster, l->addr);
    if (l->conn && ns->conn_ops)
        ns->conn_ops->retain(l->conn);
    namesrv_live_t *prev = rmq_map_put(&ns->route.live, rmq_buf_cstr(&k), l);
    if (!prev)
        rmq_log_info("namesrv", "new broker registered cluster=%s addr=%s ha=%s", l->cluster,
                     l->addr, l->ha_addr ? l->ha_addr : "");
    live_free(ns, prev);
    rmq_buf_close(&k);
}

static void free_queue_map(rmq_map_t *qmap) {
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(qmap, &it, &e);) {
        proto_queue_data_close(e->value);
        rmq_free(e->value);
    }
    rmq_map_close(qmap);
    rmq_free(qmap);
}

static void free_mapping_map(rmq_map_t *m) {
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(m, &it, &e);) {
        proto_mapping_info_close(e->value);
        rmq_free(e->value);
    }
    rmq_map_close(m);
    rmq_free(m);
}

static void free_broker(proto_broker_data_t *bd) {
    proto_broker_data_close(bd);
    rmq_free(bd);
}

static void free_names(proto_strs_t *names) {
    proto_strs_close(names);
    rmq_free(names);
}

/* Removes brokerName's queue data from topic; drops the topic when none is left. */
static void topic_del_broker(namesrv_route_t *rt, const char *topic, const char *name) {
    rmq_map_t *qmap = rmq_map_get(&rt->topics, topic);
    if (!qmap)
        return;
    proto_queue_data_t *qd = rmq_map_del(qmap, name);
    if (qd) {
        proto_queue_data_close(qd);
        rmq_free(qd);
    }
    if (rmq_map_count(qmap) == 0)
        free_queue_map(rmq_map_del(&rt->topics, topic));
}

/* Topic names as an owned snapshot (tables change while we walk them). */
static const char **topic_names(namesrv_route_t *rt, size_t *n) {
    const char **names = rmq_malloc((rmq_map_count(&rt->topics) + 1) * sizeof *names);
    *n = 0;
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(&rt->topics, &it, &e);)
        names[(*n)++] = rmq_strdup(e->key);
    return names;
}

static void free_topic_names(const char **names, size_t n) {
    for (size_t i = 0; i < n; i++)
        rmq_free((char *)names[i]);
    rmq_free(names);
}

void namesrv_route_init(namesrv_route_t *rt) {
    pthread_rwlock_init(&rt->lock, NULL);
    rmq_map_init(&rt->brokers);
    rmq_map_init(&rt->clusters);
    rmq_map_init(&rt->topics);
    rmq_map_init(&rt->live);
    rmq_map_init(&rt->mappings);
}

void namesrv_route_close(namesrv_t *ns, namesrv_route_t *rt) {
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(&rt->brokers, &it, &e);)
        free_broker(e->value);
    for (size_t it = 0; rmq_map_next(&rt->clusters, &it, &e);)
        free_names(e->value);
    for (size_t it = 0; rmq_map_next(&rt->topics, &it, &e);)
        free_queue_map(e->value);
    for (size_t it = 0; rmq_map_next(&rt->live, &it, &e);)
        live_free(ns, e->value);
    for (size_t it = 0; rmq_map_next(&rt->mappings, &it, &e);)
        free_mapping_map(e->value);
    rmq_map_close(&rt->brokers);
    rmq_map_close(&rt->clusters);
    rmq_map_close(&rt->topics);
    rmq_map_close(&rt->live);
    rmq_map_close(&rt->mappings);
    pthread_rwlock_destroy(&rt->lock);
}

/* ---- registration ---- */

static bool broker_dv_changed(namesrv_route_t *rt, const char *cluster, const char *addr,
                              const proto_data_version_t *dv) {
    namesrv_live_t *l = live_get(rt, cluster, addr);
    return !l || !proto_data_version_equal(&l->data_version, dv);
}

static bool topic_changed(namesrv_route_t *rt, const namesrv_broker_id_t *b,
                          const proto_data_version_t *dv, const char *topic) {
    if (broker_dv_changed(rt, b->cluster, b->addr, dv))
        return true;
    rmq_map_t *qmap = rmq_map_get(&rt->topics, topic);
    return !qmap || rmq_map_count(qmap) == 0 || !rmq_map_has(qmap, b->name);
}

static void update_queue_data(namesrv_route_t *rt, const char *name, const proto_topic_config_t *tc,
                              int32_t perm) {
    proto_queue_data_t qd = {
        .brokerName = (char *)name,
        .readQueueNums = tc->readQueueNums,
        .writeQueueNums = tc->writeQueueNums,
        .perm = perm,
        .topicSysFlag = tc->topicSysFlag,
    };
    rmq_map_t *qmap = rmq_map_get(&rt->topics, tc->topicName);
    if (!qmap) {
        qmap = RMQ_NEW(rmq_map_t);
        rmq_map_init(qmap);
        rmq_map_put(&rt->topics, tc->topicName, qmap);
        rmq_log_info("namesrv", "new topic registered topic=%s broker=%s", tc->topicName, name);
    }
    proto_queue_data_t *cur = rmq_map_get(qmap, name);
    if (!cur) {
        cur = RMQ_NEW(proto_queue_data_t);
        *cur = qd;
        cur->brokerName = rmq_strdup(name);
        rmq_map_put(qmap, name, cur);
    } else if (!proto_queue_data_equal(cur, &qd)) {
        rmq_log_info("namesrv", "topic changed topic=%s broker=%s perm=%d->%d", tc->topicName, name,
                     (int)cur->perm, (int)perm);
        cur->readQueueNums = qd.readQueueNums;
        cur->writeQueueNums = qd.writeQueueNums;
        cur->perm = qd.perm;
        cur->topicSysFlag = qd.topicSysFlag;
    }
}

static bool wrapper_has_topic(const proto_topic_config_wrapper_t *tw, const char *topic) {
    for (size_t i = 0; i < tw->topic_count; i++)
        if (strcmp(tw->topics[i].topicName, topic) == 0)
            return true;
    return false;
}

/* deleteTopicWithBrokerRegistration: the broker's topics missing from its table go. */
static void delete_missing_topics(namesrv_route_t *rt, const char *name,
                                  const proto_topic_config_wrapper_t *tw) {
    size_t n;
    const char **names = topic_names(rt, &n);
    for (size_t i = 0; i < n; i++) {
        rmq_map_t *qmap = rmq_map_get(&rt->topics, names[i]);
        if (rmq_map_has(qmap, name) && !wrapper_has_topic(tw, names[i])) {
            rmq_log_info("namesrv", "delete topic topic=%s broker=%s", names[i], name);
            topic_del_broker(rt, names[i], name);
        }
    }
    free_topic_names(names, n);
}

static void update_mappings(namesrv_route_t *rt, const proto_topic_config_wrapper_t *tw) {
    for (size_t i = 0; i < tw->mapping_count; i++) {
        const proto_topic_queue_mapping_info_t *mi = &tw->mappings[i];
        if (!mi->topic || !mi->bname)
            continue;
        rmq_map_t *m = rmq_map_get(&rt->mappings, mi->topic);
        if (!m) {
            m = RMQ_NEW(rmq_map_t);
            rmq_map_init(m);
            rmq_map_put(&rt->mappings, mi->topic, m);
        }
        proto_topic_queue_mapping_info_t *copy = RMQ_NEW(proto_topic_queue_mapping_info_t);
        proto_mapping_info_copy(copy, mi);
        proto_topic_queue_mapping_info_t *prev = rmq_map_put(m, mi->bname, copy);
        if (prev) {
            proto_mapping_info_close(prev);
            rmq_free(prev);
        }
    }
}

static void notify_min_broker_id(namesrv_t *ns, const proto_broker_data_t *bd,
                                 const char *offline_addr, const char *ha_addr) {
    if (!ns->conn_ops || !ns->conn_ops->oneway || bd->addr_count == 0)
        return;
    proto_notify_min_broker_id_change_request_header_t h = {
        .minBrokerId = bd->addrs[0].id,
        .has_minBrokerId = true,
        .minBrokerAddr = bd->addrs[0].addr,
        .offlineBrokerAddr = offline_addr,
        .haBrokerAddr = ha_addr,
    };
    for (size_t i = 0; i < bd->addr_count; i++) {
        /* A new broker with the lowest id: tell the others. A broker left: tell all. */
        if (!offline_addr && bd->addr_count > 1 && i == 0)
            continue;
        remoting_cmd_t *req = remoting_cmd_new();
        remoting_cmd_set_request(req, PROTO_NOTIFY_MIN_BROKER_ID_CHANGE);
        proto_notify_min_broker_id_change_request_header_encode(&h, req);
        ns->conn_ops->oneway(ns, bd->addrs[i].addr, req);
        remoting_cmd_destroy(req);
    }
}

static proto_broker_data_t *cluster_add(namesrv_route_t *rt, const namesrv_broker_id_t *b,
                                        bool *first) {
    proto_strs_t *names = rmq_map_get(&rt->clusters, b->cluster);
    if (!names) {
        names = RMQ_NEW(proto_strs_t);
        rmq_map_put(&rt->clusters, b->cluster, names);
    }
    if (!proto_strs_has(names, b->name))
        proto_strs_add(names, b->name, strlen(b->name));
    proto_broker_data_t *bd = rmq_map_get(&rt->brokers, b->name);
    *first = bd == NULL;
    if (!bd) {
        bd = RMQ_NEW(proto_broker_data_t);
        proto_broker_data_init(bd, b->cluster, b->name);
        rmq_map_put(&rt->brokers, b->name, bd);
    }
    return bd;
}

/* Steps 2-3 of spec 5.1.1: one address per id, newer state version wins. Returns false
 * when this registration must be ignored. */
static bool claim_address(namesrv_t *ns, proto_broker_data_t *bd, const namesrv_broker_id_t *b,
                          const proto_data_version_t *dv) {
    for (size_t i = 0; i < bd->addr_count;) {
        if (bd->addrs[i].id != b->id && strcmp(bd->addrs[i].addr, b->addr) == 0)
            proto_broker_data_del_addr(bd, bd->addrs[i].id);
        else
            i++;
    }
    const char *old = proto_broker_data_addr(bd, b->id);
    if (old && strcmp(old, b->addr) != 0) {
        namesrv_live_t *ol = live_get(&ns->route, b->cluster, old);
        if (ol && ol->data_version.stateVersion > dv->stateVersion) {
            rmq_log_warn("namesrv",
                         "registration conflicts with a newer broker, ignored cluster=%s "
                         "broker=%s id=%lld old=%s new=%s",
                         b->cluster, b->name, (long long)b->id, old, b->addr);
            live_del(ns, b->cluster, b->addr);
            return false;
        }
    }
    return true;
}

namesrv_reg_status_t namesrv_route_register(namesrv_t *ns, const namesrv_broker_id_t *b,
                                            const proto_topic_config_wrapper_t *tw,
                                            remoting_conn_t *conn, namesrv_reg_result_t *res) {
    namesrv_flags_t flags = namesrv_flags(ns);
    namesrv_route_t *rt = &ns->route;
    memset(res, 0, sizeof *res);
    pthread_rwlock_wrlock(&rt->lock);

    bool first;
    proto_broker_data_t *bd = cluster_add(rt, b, &first);
    bool old_broker = !b->has_acting_master;
    bd->enableActingMaster = !old_broker && b->acting_master;
    rmq_free(bd->zoneName);
    bd->zoneName = b->zone ? rmq_strdup(b->zone) : NULL;

    int64_t prev_min = bd->addr_count ? bd->addrs[0].id : 0;
    bool min_changed = b->id < prev_min;
    if (!claim_address(ns, bd, b, &tw->dataVersion)) {
        res->status = NAMESRV_REG_IGNORED;
        goto out;
    }
    if (!proto_broker_data_addr(bd, b->id) && tw->topic_count == 1) {
        rmq_log_warn("namesrv",
                     "single-topic registration before a full one, rejected "
                     "broker=%s id=%lld addr=%s",
                     b->name, (long long)b->id, b->addr);
        res->status = NAMESRV_REG_REJECTED;
        goto out;
    }
    first = proto_broker_data_put_addr(bd, b->id, b->addr) || first;

    bool is_master = b->id == PROTO_MASTER_ID;
    bool prime_slave = !old_broker && !is_master && b->id == bd->addrs[0].id;
    if (is_master || prime_slave) {
        if (flags.deleteTopicWithBrokerRegistration && tw->mapping_count == 0)
            delete_missing_topics(rt, b->name, tw);
        for (size_t i = 0; i < tw->topic_count; i++) {
            const proto_topic_config_t *tc = &tw->topics[i];
            if (!first && !topic_changed(rt, b, &tw->dataVersion, tc->topicName))
                continue;
            int32_t perm = tc->perm;
            if (prime_slave && bd->enableActingMaster)
                perm &= ~PROTO_PERM_WRITE;
            update_queue_data(rt, b->name, tc, perm);
        }
        if (first || broker_dv_changed(rt, b->cluster, b->addr, &tw->dataVersion))
            update_mappings(rt, tw);
    }

    namesrv_live_t *l = RMQ_NEW(namesrv_live_t);
    l->cluster = rmq_strdup(b->cluster);
    l->addr = rmq_strdup(b->addr);
    l->ha_addr = b->ha_addr ? rmq_strdup(b->ha_addr) : NULL;
    l->last_update_ms = namesrv_now(ns);
    l->timeout_ms = b->has_timeout ? b->timeout_ms : NAMESRV_BROKER_EXPIRED_MS;
    l->data_version = tw->dataVersion;
    l->conn = conn;
    live_put(ns, l);

    if (!is_master) {
        const char *master = proto_broker_data_addr(bd, PROTO_MASTER_ID);
        namesrv_live_t *ml = master ? live_get(rt, b->cluster, master) : NULL;
        if (ml) {
            res->ha_addr = ml->ha_addr ? rmq_strdup(ml->ha_addr) : NULL;
            res->master_addr = rmq_strdup(master);
        }
    }
    if (min_changed && flags.notifyMinBrokerIdChanged)
        notify_min_broker_id(ns, bd, NULL, l->ha_addr);
    res->status = NAMESRV_REG_OK;
out:
    pthread_rwlock_unlock(&rt->lock);
    return res->status;
}

/* ---- unregistration, expiry, connection loss ---- */

static bool no_master(const proto_broker_data_t *bd) {
    return !bd || bd->addr_count == 0 || bd->addrs[0].id > 0;
}

/* Caller holds the write lock. */
static void unregister_locked(namesrv_t *ns, const char *cluster, const char *addr,
                              const char *name, int64_t id, const namesrv_flags_t *flags) {
    namesrv_route_t *rt = &ns->route;
    live_del(ns, cluster, addr);
    rmq_log_info("namesrv", "unregister broker cluster=%s name=%s id=%lld addr=%s", cluster, name,
                 (long long)id, addr);
    proto_broker_data_t *bd = rmq_map_get(&rt->brokers, name);
    bool removed_name = false;
    if (bd) {
        bool min_changed = bd->addr_count && bd->addrs[0].id == id;
        for (size_t i = 0; i < bd->addr_count;) {
            if (strcmp(bd->addrs[i].addr, addr) == 0)
                proto_broker_data_del_addr(bd, bd->addrs[i].id);
            else
                i++;
        }
        if (bd->addr_count == 0) {
            free_broker(rmq_map_del(&rt->brokers, name));
            bd = NULL;
            removed_name = true;
        } else if (min_changed && flags->notifyMinBrokerIdChanged && bd->enableActingMaster) {
            notify_min_broker_id(ns, bd, addr, NULL);
        }
    }
    if (removed_name) {
        proto_strs_t *names = rmq_map_get(&rt->clusters, cluster);
        if (names) {
            for (size_t i = 0; i < names->count; i++) {
                if (strcmp(names->items[i], name) == 0) {
                    rmq_free(names->items[i]);
                    memmove(&names->items[i], &names->items[i + 1],
                            (names->count - i - 1) * sizeof *names->items);
                    names->count--;
                    break;
                }
            }
            if (names->count == 0)
                free_names(rmq_map_del(&rt->clusters, cluster));
        }
    }
    size_t n;
    const char **topics = topic_names(rt, &n);
    for (size_t i = 0; i < n; i++) {
        if (removed_name) {
            topic_del_broker(rt, topics[i], name);
            continue;
        }
        /* A group left without its master under acting-master: its queues go read-only. */
        rmq_map_t *qmap = rmq_map_get(&rt->topics, topics[i]);
        proto_queue_data_t *qd = qmap ? rmq_map_get(qmap, name) : NULL;
        if (qd && bd && bd->enableActingMaster && no_master(bd))
            qd->perm &= ~PROTO_PERM_WRITE;
    }
    free_topic_names(topics, n);
}

void namesrv_route_unregister(namesrv_t *ns, const char *cluster, const char *addr,
                              const char *name, int64_t id) {
    namesrv_flags_t flags = namesrv_flags(ns);
    pthread_rwlock_wrlock(&ns->route.lock);
    unregister_locked(ns, cluster, addr, name, id, &flags);
    pthread_rwlock_unlock(&ns->route.lock);
}

/* Finds the broker name and id that (cluster, addr) registered as. */
static bool find_identity(namesrv_route_t *rt, const char *cluster, const char *addr,
                          const char **name, int64_t *id) {
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(&rt->brokers, &it, &e);) {
        proto_broker_data_t *bd = e->value;
        if (!bd->cluster || strcmp(bd->cluster, cluster) != 0)
            continue;
        for (size_t i = 0; i < bd->addr_count; i++) {
            if (strcmp(bd->addrs[i].addr, addr) == 0) {
                *name = bd->brokerName;
                *id = bd->addrs[i].id;
                return true;
            }
        }
    }
    return false;
}

/* Unregisters what (cluster, addr) registered as, or just forgets its live entry. */
static void drop_live_locked(namesrv_t *ns, const char *cluster, const char *addr,
                             const namesrv_flags_t *flags) {
    const char *name;
    int64_t id;
    char *c = rmq_strdup(cluster), *a = rmq_strdup(addr);
    if (find_identity(&ns->route, c, a, &name, &id)) {
        char *nm = rmq_strdup(name);
        unregister_locked(ns, c, a, nm, id, flags);
        rmq_free(nm);
    } else {
        live_del(ns, c, a);
    }
    rmq_free(c);
    rmq_free(a);
}

void namesrv_route_conn_closed(namesrv_t *ns, remoting_conn_t *conn) {
    namesrv_flags_t flags = namesrv_flags(ns);
    pthread_rwlock_wrlock(&ns->route.lock);
    for (;;) {
        namesrv_live_t *found = NULL;
        rmq_map_entry_t *e;
        for (size_t it = 0; rmq_map_next(&ns->route.live, &it, &e);) {
            namesrv_live_t *l = e->value;
            if (l->conn == conn) {
                found = l;
                break;
            }
        }
        if (!found)
            break;
        rmq_log_info("namesrv", "broker connection closed, unregister cluster=%s addr=%s",
                     found->cluster, found->addr);
        drop_live_locked(ns, found->cluster, found->addr, &flags);
    }
    pthread_rwlock_unlock(&ns->route.lock);
}

int namesrv_route_scan(namesrv_t *ns) {
    namesrv_flags_t flags = namesrv_flags(ns);
    int64_t now = namesrv_now(ns);
    int dropped = 0;
    pthread_rwlock_wrlock(&ns->route.lock);
    for (;;) {
        namesrv_live_t *expired = NULL;
        rmq_map_entry_t *e;
        for (size_t it = 0; rmq_map_next(&ns->route.live, &it, &e);) {
            namesrv_live_t *l = e->value;
            if (l->last_update_ms + l->timeout_ms < now) {
                expired = l;
                break;
            }
        }
        if (!expired)
            break;
        rmq_log_warn("namesrv", "broker expired cluster=%s addr=%s timeout=%lldms",
                     expired->cluster, expired->addr, (long long)expired->timeout_ms);
        if (expired->conn && ns->conn_ops)
            ns->conn_ops->close(expired->conn);
        drop_live_locked(ns, expired->cluster, expired->addr, &flags);
        dropped++;
    }
    pthread_rwlock_unlock(&ns->route.lock);
    return dropped;
}

void namesrv_route_touch(namesrv_t *ns, const char *cluster, const char *addr) {
    int64_t now = namesrv_now(ns);
    /* A read lock suffices: only this one field of an existing entry changes. */
    pthread_rwlock_rdlock(&ns->route.lock);
    namesrv_live_t *l = live_get(&ns->route, cluster, addr);
    if (l)
        __atomic_store_n(&l->last_update_ms, now, __ATOMIC_RELAXED);
    pthread_rwlock_unlock(&ns->route.lock);
}

bool namesrv_route_data_version(namesrv_t *ns, const char *cluster, const char *addr,
                                proto_data_version_t *dv) {
    pthread_rwlock_rdlock(&ns->route.lock);
    namesrv_live_t *l = live_get(&ns->route, cluster, addr);
    if (l)
        *dv = l->data_version;
    pthread_rwlock_unlock(&ns->route.lock);
    return l != NULL;
}

/* ---- admin changes ---- */

int namesrv_route_write_perm(namesrv_t *ns, const char *broker_name, bool add) {
    int count = 0;
    pthread_rwlock_wrlock(&ns->route.lock);
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(&ns->route.topics, &it, &e);) {
        proto_queue_data_t *qd = rmq_map_get(e->value, broker_name);
        if (!qd)
            continue;
        if (add)
            qd->perm = PROTO_PERM_READ | PROTO_PERM_WRITE;
        else
            qd->perm &= ~PROTO_PERM_WRITE;
        count++;
    }
    pthread_rwlock_unlock(&ns->route.lock);
    return count;
}

void namesrv_route_delete_topic(namesrv_t *ns, const char *topic, const char *cluster) {
    namesrv_route_t *rt = &ns->route;
    pthread_rwlock_wrlock(&rt->lock);
    if (!cluster) {
        rmq_map_t *qmap = rmq_map_del(&rt->topics, topic);
        if (qmap)
            free_queue_map(qmap);
    } else {
        proto_strs_t *names = rmq_map_get(&rt->clusters, cluster);
        for (size_t i = 0; names && i < names->count; i++)
            topic_del_broker(rt, topic, names->items[i]);
    }
    pthread_rwlock_unlock(&rt->lock);
    rmq_log_info("namesrv", "delete topic topic=%s cluster=%s", topic, cluster ? cluster : "*");
}

void namesrv_route_register_topic(namesrv_t *ns, const char *topic, const proto_queue_data_t *qds,
                                  size_t n) {
    namesrv_route_t *rt = &ns->route;
    pthread_rwlock_wrlock(&rt->lock);
    rmq_map_t *qmap = rmq_map_get(&rt->topics, topic);
    bool fresh = qmap == NULL;
    /* Every queue data must name a registered broker. Upstream validates all of them for
     * a new topic but applies an existing topic's entries up to the first bad one. */
    for (size_t i = 0; fresh && i < n; i++) {
        if (!rmq_map_has(&rt->brokers, qds[i].brokerName)) {
            rmq_log_warn("namesrv", "register topic with unknown broker topic=%s broker=%s", topic,
                         qds[i].brokerName);
            goto out;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!rmq_map_has(&rt->brokers, qds[i].brokerName)) {
            rmq_log_warn("namesrv", "register topic with unknown broker topic=%s broker=%s", topic,
                         qds[i].brokerName);
            break;
        }
        proto_topic_config_t tc = {
            .topicName = (char *)topic,
            .readQueueNums = qds[i].readQueueNums,
            .writeQueueNums = qds[i].writeQueueNums,
            .topicSysFlag = qds[i].topicSysFlag,
        };
        update_queue_data(rt, qds[i].brokerName, &tc, qds[i].perm);
    }
out:
    pthread_rwlock_unlock(&rt->lock);
}
