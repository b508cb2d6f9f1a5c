/*
 * The broker role (mqbroker) as a library: topics, registration with the NameServers,
 * send, pull with long polling, client heartbeats and consumer offsets over the store
 * (spec remoting.md 4.2, 5.2, 5.3; store.md 7, 8).
 *
 * Threads: requests run on the remoting servers' I/O loops (main port and fast port,
 * several loops at once). A management thread with its own libuv loop runs the timers
 * (registration, offset persistence, idle-client scan, held-pull time-outs) and answers
 * held pulls the store's dispatch thread wakes. The store has its own threads. No
 * globals: several brokers can live in one process.
 */
#ifndef RMQ_BROKER_BROKER_H
#define RMQ_BROKER_BROKER_H

#include "broker/config.h"
#include "remoting/server.h"

#include <stdbool.h>

typedef struct broker broker_t;

/*
 * Creates a broker from a copy of cfg (broker_config_finish already applied), opens the
 * store (with its background threads when store_services) and loads topics.json,
 * subscriptionGroup.json and consumerOffset.json. Nothing listens yet. 0 or -errno
 * (-EBUSY: another process holds the store).
 */
int broker_new(const broker_config_t *cfg, bool store_services, broker_t **out);
/* Stops it if started, persists the config files, closes the store, frees it. */
void broker_destroy(broker_t *b);

/* Listens on bindAddress:listenPort and :listenPort-2, starts the management thread and
 * registers with every NameServer. 0 or -errno. */
int broker_start(broker_t *b);
/* The bound main port. */
int broker_port(const broker_t *b);
/* Unregisters, closes the listeners and connections, joins the threads, persists
 * offsets and configs. Idempotent. */
void broker_stop(broker_t *b);

/* The request handler and connection-close hook the servers run (exposed for tests). */
int broker_handle_request(void *b, remoting_conn_t *conn, remoting_cmd_t *req,
                          remoting_cmd_t *resp);
/* The fast port's: the same without pulls (code 3, as upstream). */
int broker_handle_fast_request(void *b, remoting_conn_t *conn, remoting_cmd_t *req,
                               remoting_cmd_t *resp);
void broker_on_conn_close(void *b, remoting_conn_t *conn);

#endif
