/*
 * Private to the namesrv library: the context struct and the managers' interfaces.
 *
 * Files: namesrv.c (context, clock, config access), service.c (server, management
 * thread), routeinfo.c (route table), routeinfo_query.c (route table readers),
 * kvconfig.c (KV table), processor.c (request processors and the dispatch table).
 *
 * Connections: the route table keeps the connection a broker registered on, to drop the
 * broker when it closes and to close it when the broker expires. It holds a reference
 * through conn_ops, which service.c fills in when the server starts; without a server
 * (unit tests drive the processors directly) the ops are NULL and connections are kept
 * as opaque identities.
 */
#ifndef RMQ_NAMESRV_INTERNAL_H
#define RMQ_NAMESRV_INTERNAL_H

#include "common/map.h"
#include "namesrv/namesrv.h"
#include "protocol/cluster_info.h"
#include "protocol/data_version.h"
#include "protocol/kv_table.h"
#include "protocol/register_broker.h"
#include "protocol/route.h"
#include "remoting/dispatch.h"

#include <pthread.h>

#define NAMESRV_BROKER_EXPIRED_MS 120000 /* DEFAULT_BROKER_CHANNEL_EXPIRED_TIME */

typedef struct {
    void (*retain)(remoting_conn_t *conn);
    void (*release)(remoting_conn_t *conn);
    void (*close)(remoting_conn_t *conn);
    /* Sends a one-way request to addr (NOTIFY_MIN_BROKER_ID_CHANGE); may be NULL. */
    void (*oneway)(namesrv_t *ns, const char *addr, remoting_cmd_t *req);
} namesrv_conn_ops_t;

/* ---- route info ---- */

typedef struct {
    pthread_rwlock_t lock;
    rmq_map_t brokers;  /* brokerName -> proto_broker_data_t* */
    rmq_map_t clusters; /* clusterName -> proto_strs_t* of broker names */
    rmq_map_t topics;   /* topic -> rmq_map_t* (brokerName -> proto_queue_data_t*) */
    rmq_map_t live;     /* "cluster\x01addr" -> namesrv_live_t* */
    rmq_map_t mappings; /* topic -> rmq_map_t* (bname -> proto_topic_queue_mapping_info_t*) */
} namesrv_route_t;

typedef struct {
    char *cluster, *addr, *ha_addr;
    int64_t last_update_ms, timeout_ms;
    proto_data_version_t data_version;
    remoting_conn_t *conn;
} namesrv_live_t;

typedef struct {
    const char *cluster, *addr, *name, *ha_addr, *zone; /* zone may be NULL */
    int64_t id;
    bool has_timeout;
    int64_t timeout_ms;
    bool has_acting_master, acting_master;
} namesrv_broker_id_t;

typedef enum {
    NAMESRV_REG_OK,
    NAMESRV_REG_IGNORED,  /* an older registration for an id held by a newer broker */
    NAMESRV_REG_REJECTED, /* single-topic registration before a full one */
} namesrv_reg_status_t;

typedef struct {
    namesrv_reg_status_t status;
    char *ha_addr, *master_addr; /* owned, NULL when absent */
} namesrv_reg_result_t;

void namesrv_route_init(namesrv_route_t *rt);
void namesrv_route_close(namesrv_t *ns, namesrv_route_t *rt);

namesrv_reg_status_t namesrv_route_register(namesrv_t *ns, const namesrv_broker_id_t *b,
                                            const proto_topic_config_wrapper_t *tw,
                                            remoting_conn_t *conn, namesrv_reg_result_t *res);
void namesrv_route_unregister(namesrv_t *ns, const char *cluster, const char *addr,
                              const char *name, int64_t id);
/* Drops the broker(s) that registered on conn. */
void namesrv_route_conn_closed(namesrv_t *ns, remoting_conn_t *conn);
/* Drops brokers silent past their time-out; returns how many. */
int namesrv_route_scan(namesrv_t *ns);
/* Refreshes last-update of (cluster, addr), if registered. */
void namesrv_route_touch(namesrv_t *ns, const char *cluster, const char *addr);
/* Stored DataVersion of (cluster, addr); false when unknown. */
bool namesrv_route_data_version(namesrv_t *ns, const char *cluster, const char *addr,
                                proto_data_version_t *dv);
int namesrv_route_write_perm(namesrv_t *ns, const char *broker_name, bool add);
void namesrv_route_delete_topic(namesrv_t *ns, const char *topic, const char *cluster);
void namesrv_route_register_topic(namesrv_t *ns, const char *topic, const proto_queue_data_t *qds,
                                  size_t n);

/* Readers (routeinfo_query.c): each renders its body into out; route returns false when
 * the topic has no route. order_conf is added as orderTopicConf when not NULL. */
bool namesrv_route_render_topic(namesrv_t *ns, const char *topic, const char *order_conf,
                                proto_json_mode_t mode, rmq_buf_t *out);
void namesrv_route_render_cluster_info(namesrv_t *ns, rmq_buf_t *out);
typedef enum {
    NAMESRV_TOPICS_ALL,
    NAMESRV_TOPICS_UNIT,
    NAMESRV_TOPICS_UNIT_SUB,
    NAMESRV_TOPICS_UNIT_SUB_NOT_UNIT,
} namesrv_topic_filter_t;
void namesrv_route_render_topics(namesrv_t *ns, namesrv_topic_filter_t filter, rmq_buf_t *out);
void namesrv_route_render_cluster_topics(namesrv_t *ns, const char *cluster, rmq_buf_t *out);
void namesrv_route_render_system_topics(namesrv_t *ns, rmq_buf_t *out);
void namesrv_route_render_member_group(namesrv_t *ns, const char *cluster, const char *name,
                                       rmq_buf_t *out);

/* ---- KV config ---- */

typedef struct {
    pthread_rwlock_t lock;
    rmq_map_t spaces; /* namespace -> rmq_map_t* (key -> char* value) */
} namesrv_kv_t;

void namesrv_kv_init(namesrv_kv_t *kv);
void namesrv_kv_close(namesrv_kv_t *kv);
/* Loads path (absent file: empty table). 0, or -errno / -EINVAL (table left empty). */
int namesrv_kv_load(namesrv_kv_t *kv, const char *path);
/* put/delete persist to path atomically; they return the persistence result. */
int namesrv_kv_put(namesrv_kv_t *kv, const char *path, const char *ns, const char *key,
                   const char *value);
int namesrv_kv_delete(namesrv_kv_t *kv, const char *path, const char *ns, const char *key);
/* Copy of the value (free with rmq_free), or NULL. */
char *namesrv_kv_get(namesrv_kv_t *kv, const char *ns, const char *key);
/* Renders the namespace as a KVTable; false when the namespace does not exist. */
bool namesrv_kv_render_namespace(namesrv_kv_t *kv, const char *ns, rmq_buf_t *out);

/* Writes data to path through a temporary file and rename (creating parent dirs). */
int namesrv_write_file_atomic(const char *path, const char *data, size_t len);

/* ---- the context ---- */

struct namesrv {
    pthread_rwlock_t cfg_lock; /* guards cfg and cfg_extra */
    namesrv_config_t cfg;
    rmq_props_t cfg_extra; /* keys from the config file we do not know, kept for display */
    namesrv_route_t route;
    namesrv_kv_t kv;
    int64_t (*now_ms)(void *arg);
    void *now_arg;
    int64_t start_ms;
    const namesrv_conn_ops_t *conn_ops;
    void (*stop)(namesrv_t *ns); /* set by namesrv_start */
    struct namesrv_service *service;
};

static inline int64_t namesrv_now(const namesrv_t *ns) {
    return ns->now_ms(ns->now_arg);
}

/* A snapshot of the config flags the processors read, taken under cfg_lock. */
typedef struct {
    bool orderMessageEnable, returnOrderTopicConfigToBroker, supportActingMaster;
    bool enableAllTopicList, enableTopicList, notifyMinBrokerIdChanged, needWaitForService;
    bool deleteTopicWithBrokerRegistration;
    int32_t waitSecondsForService;
} namesrv_flags_t;

namesrv_flags_t namesrv_flags(namesrv_t *ns);
/* Copy of kvConfigPath (free with rmq_free). */
char *namesrv_kv_path(namesrv_t *ns);

extern const remoting_dispatch_t namesrv_dispatch;

#endif
