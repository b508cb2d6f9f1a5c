/*
 * The NameServer role (mqnamesrv) as a library: route registry, KV configuration and the
 * processors of every request code a 5.3 NameServer serves (spec remoting.md 4.1, 5.1).
 *
 * Threads: requests run on the remoting server's I/O loops (several at once; the route
 * table and the KV table each have a rwlock). A management thread with its own libuv
 * loop scans for silent brokers every scanNotActiveBrokerInterval. No globals: several
 * NameServers can live in one process.
 */
#ifndef RMQ_NAMESRV_NAMESRV_H
#define RMQ_NAMESRV_NAMESRV_H

#include "namesrv/config.h"
#include "remoting/server.h"

#include <stdint.h>

typedef struct namesrv namesrv_t;

/*
 * Creates a NameServer from a copy of cfg (extra: unknown keys of the config file, kept
 * for GET_NAMESRV_CONFIG; may be NULL) and loads kvConfigPath. Nothing is started.
 * Returns 0 or a negative errno (an unreadable KV file is logged, not an error).
 */
int namesrv_new(const namesrv_config_t *cfg, const rmq_props_t *extra, namesrv_t **out);
/* Stops it if started, then frees it. */
void namesrv_destroy(namesrv_t *ns);

/* Listens on bindAddress:listenPort and starts the management thread. 0 or -errno. */
int namesrv_start(namesrv_t *ns);
/* The bound port (useful with listenPort 0). */
int namesrv_port(const namesrv_t *ns);
/* Closes the listener and every connection, joins the threads. Idempotent. */
void namesrv_stop(namesrv_t *ns);

/* The request handler and connection-close hook the server runs (exposed for tests). */
int namesrv_handle_request(void *ns, remoting_conn_t *conn, remoting_cmd_t *req,
                           remoting_cmd_t *resp);
void namesrv_on_conn_close(void *ns, remoting_conn_t *conn);

/* One expiry scan now (the management thread calls it on its timer). */
void namesrv_scan_not_active_brokers(namesrv_t *ns);

/* Replaces the wall clock (milliseconds) the NameServer uses; for tests. */
void namesrv_set_clock(namesrv_t *ns, int64_t (*now_ms)(void *arg), void *arg);

#endif
