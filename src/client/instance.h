/*
 * The client instance (Java's MQClientInstance): what producers and consumers of one
 * handle share. It owns the remoting client and NameServer list, the client id, the
 * route cache per topic, the broker address table and the timer thread:
 *
 *   route refresh   every pollNameServerInterval (first after 10 ms) for every cached
 *                   topic; a route that did not change keeps its publish info (and so
 *                   its round-robin index)
 *   heartbeat       HEART_BEAT to every master of the address table (and every slave
 *                   when the consumer hook added a consumer) every
 *                   heartbeatBrokerInterval (first after 1 s), carrying the registered
 *                   producer groups and whatever the consumer hook adds
 *
 * A route is handed out as a reference-counted snapshot (client_route_t): a refresh
 * replaces the table entry, and senders holding the old one finish with it.
 *
 * Threads: every function may be called from any thread except where noted; one mutex
 * guards the tables. Network calls never run under it.
 */
#ifndef RMQ_CLIENT_INSTANCE_H
#define RMQ_CLIENT_INSTANCE_H

#include "client/client.h"
#include "client/fault.h"
#include "protocol/heartbeat.h"
#include "protocol/route.h"

typedef struct client_instance client_instance_t;

typedef struct {
    atomic_int refs;
    proto_topic_route_data_t rd;
    client_publish_info_t pi;
} client_route_t;

void client_route_release(client_route_t *route);

/* Adds consumer data to a heartbeat (the consumers' hook). Runs on: the timer thread. */
typedef void (*client_heartbeat_hook_t)(void *ctx, proto_heartbeat_t *hb);

/*
 * Answers a request a broker sends to this client (NOTIFY_CONSUMER_IDS_CHANGED,
 * GET_CONSUMER_RUNNING_INFO, ...): the consumers' hook. Same contract as
 * remoting_request_handler; without a hook the answer is REQUEST_CODE_NOT_SUPPORTED.
 * Runs on: the I/O thread (must not block).
 */
typedef int (*client_request_hook_t)(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                     remoting_cmd_t *resp);

/* Reads namesrvAddr (or NAMESRV_ADDR), clientIP, instanceName, unitName, timeouts. */
client_instance_t *client_instance_new(const rmq_conf_t *conf, char *errstr, size_t errlen);
/* Starts the I/O thread and the timer thread. 0 or a local error. */
rmq_err_t client_instance_start(client_instance_t *ci, char *errstr, size_t errlen);
/* Stops the timer thread and closes every connection (pending calls get -ECANCELED).
 * Not from the I/O thread. Idempotent. */
void client_instance_stop(client_instance_t *ci);
void client_instance_destroy(client_instance_t *ci);

const char *client_instance_id(const client_instance_t *ci);
remoting_client_t *client_instance_remoting(client_instance_t *ci);
client_rpc_t *client_instance_rpc(client_instance_t *ci);

void client_instance_add_producer_group(client_instance_t *ci, const char *group);
void client_instance_set_heartbeat_hook(client_instance_t *ci, client_heartbeat_hook_t hook,
                                        void *ctx);
/* Before client_instance_start. */
void client_instance_set_request_hook(client_instance_t *ci, client_request_hook_t hook, void *ctx);
/* Sends a heartbeat to every known master now. Blocks (one call per broker). */
void client_instance_heartbeat(client_instance_t *ci);

/*
 * The route of `topic`, retained for the caller (release with client_route_release).
 * From the cache, else from a NameServer (then cached and refreshed periodically). When
 * the NameServer has no route and `default_topic` is given (the producer's
 * createTopicKey, TBW102), the default topic's route with queue counts clamped to
 * min(default_queue_nums, readQueueNums) stands in, as Java's producer does so that the
 * broker auto-creates the topic. Returns RMQ_ERR_TOPIC_NOT_EXIST when there is none.
 * Runs on: a thread that may block (not the I/O thread).
 */
rmq_err_t client_instance_route(client_instance_t *ci, const char *topic, const char *default_topic,
                                int default_queue_nums, client_route_t **out, char *errstr,
                                size_t errlen);
/* The cached route only (never blocks); NULL when none. For the I/O thread. */
client_route_t *client_instance_route_cached(client_instance_t *ci, const char *topic);

/* Address of broker `broker_name` id `id` (0 = master) into out; false when unknown. */
bool client_instance_broker_addr(client_instance_t *ci, const char *broker_name, int64_t id,
                                 char *out, size_t outlen);

#endif
