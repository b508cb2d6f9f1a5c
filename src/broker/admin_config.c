/*
 * GET_BROKER_CONFIG (26) and UPDATE_BROKER_CONFIG (25) (spec remoting.md 5.5.5; upstream
 * AdminBrokerProcessor.getBrokerConfig/updateBrokerConfig and Configuration).
 *
 * 26 answers every key of the config table as properties text (the -p output) with the
 * config's DataVersion JSON in the response header `version`. 25 applies the keys of a
 * properties body: the keys of upstream's configBlackList are refused with NO_PERMISSION,
 * unknown keys are ignored as Java's Configuration ignores them. Numbers and booleans are
 * written in place (other threads read them without a lock, as Java's fields are read);
 * a replaced string is kept alive until the broker is destroyed, because a request on
 * another loop may still be reading it. A change of brokerPermission re-registers with
 * the NameServers, as upstream does. After an update the whole configuration is written
 * to brokerConfigPath (the -c file unless set), replacing it with a .bak kept, as
 * upstream's Configuration.persist does; keys of that file we do not know are kept, so
 * nothing a user wrote for another broker version is lost.
 *
 * Runs on: I/O loops. Locks: admin.lock while updating.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/props.h"
#include "common/str.h"
#include "protocol/codes.h"
#include "store/fsutil.h"

#include <stdio.h>
#include <string.h>

/* BrokerConfig.configBlackList's default. */
static const char *const black_list[] = {"configBlackList", "brokerConfigPath"};

int broker_admin_get_config(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                            remoting_cmd_t *resp) {
    broker_t *b = ctx;
    rmq_buf_t out;
    rmq_buf_init(&out);
    pthread_mutex_lock(&b->admin.lock);
    broker_config_print(&b->cfg, &out);
    store_data_version_t dv = b->admin.config_version;
    pthread_mutex_unlock(&b->admin.lock);
    char ver[128];
    snprintf(ver, sizeof ver, "{\"counter\":%lld,\"stateVersion\":%lld,\"timestamp\":%lld}",
             (long long)dv.counter, (long long)dv.state_version, (long long)dv.timestamp);
    remoting_cmd_ext_set(resp, "version", ver);
    broker_take_body(resp, &out);
    return 0;
}

static const broker_config_row_t *find_row(const char *key) {
    size_t n;
    const broker_config_row_t *rows = broker_config_table(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].key, key) == 0)
            return &rows[i];
    return NULL;
}

/* Sets one key. Runs with admin.lock held. */
static void apply_one(broker_t *b, const char *key, const char *value) {
    const broker_config_row_t *row = find_row(key);
    if (!row) {
        rmq_log_info("broker", "updateBrokerConfig: unknown key %s ignored", key);
        return;
    }
    if (row->type != BROKER_CFG_STR) {
        if (broker_config_set(&b->cfg, key, value) != 0)
            rmq_log_warn("broker", "updateBrokerConfig: bad value %s=%s ignored", key, value);
        return;
    }
    char **slot = (char **)((char *)&b->cfg + row->offset);
    char *s = rmq_strdup(value);
    rmq_str_trim(s);
    char *old = *slot;
    *slot = s;
    if (old) {
        b->admin.graveyard =
            rmq_realloc(b->admin.graveyard, (b->admin.ngrave + 1) * sizeof *b->admin.graveyard);
        b->admin.graveyard[b->admin.ngrave++] = old;
    }
}

/* Rewrites brokerConfigPath with every key we know plus the file's keys we do not.
 * Runs with admin.lock held. */
static void persist_config(broker_t *b) {
    const char *path = b->cfg.brokerConfigPath;
    rmq_buf_t out;
    rmq_buf_init(&out);
    broker_config_print(&b->cfg, &out);
    rmq_props_t old;
    rmq_props_init(&old);
    if (rmq_props_load(&old, path) == 0) {
        for (size_t i = 0; i < old.count; i++)
            if (!find_row(old.items[i].key))
                rmq_buf_appendf(&out, "%s=%s\n", old.items[i].key, old.items[i].value);
    }
    rmq_props_close(&old);
    int rc = store_fs_replace(store_fileops_default(), path, out.data, out.len);
    if (rc != 0)
        rmq_log_error("broker", "updateBrokerConfig: cannot write %s: %s", path, strerror(-rc));
    else
        rmq_log_info("broker", "broker configuration written to %s", path);
    rmq_buf_close(&out);
}

int broker_admin_update_config(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                               remoting_cmd_t *resp) {
    broker_t *b = ctx;
    if (!req->body.len)
        return 0;
    rmq_props_t p;
    rmq_props_init(&p);
    rmq_props_parse(&p, req->body.ptr, req->body.len);
    for (size_t i = 0; i < sizeof black_list / sizeof black_list[0]; i++) {
        if (rmq_props_get(&p, black_list[i])) {
            rmq_props_close(&p);
            resp->code = PROTO_NO_PERMISSION;
            remoting_cmd_set_remark(resp, "Can not update config in black list.");
            return 0;
        }
    }
    rmq_log_info("broker", "update broker config from %s", b->conn_ops->peer(conn));
    pthread_mutex_lock(&b->admin.lock);
    for (size_t i = 0; i < p.count; i++)
        apply_one(b, p.items[i].key, p.items[i].value);
    store_data_version_next(&b->admin.config_version);
    persist_config(b);
    pthread_mutex_unlock(&b->admin.lock);
    if (rmq_props_get(&p, "brokerPermission")) {
        pthread_rwlock_wrlock(&b->topics.lock);
        store_data_version_next(&b->topics.table.data_version);
        pthread_rwlock_unlock(&b->topics.lock);
        atomic_store(&b->topics.changed, true);
    }
    rmq_props_close(&p);
    return 0;
}
