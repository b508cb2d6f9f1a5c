/*
 * The admin handle's definition and the request helpers admin.c and admin_broker.c share.
 * Internal.
 */
#ifndef RMQ_CLIENT_ADMIN_INT_H
#define RMQ_CLIENT_ADMIN_INT_H

#include "client/client.h"
#include "protocol/admin_body.h"

struct rmq_admin_s {
    rmq_conf_t *conf;
    client_rpc_t rpc;
};

/* A request with code `code` and no header. */
remoting_cmd_t *admin_request(int32_t code);
/* One call that expects SUCCESS; consumes req; the response is destroyed unless resp is
 * given. addr NULL = the chosen NameServer. */
rmq_err_t admin_call(rmq_admin_t *admin, const char *addr, remoting_cmd_t *req,
                     remoting_cmd_t **resp, char *errstr, size_t errlen);
/* Sends req to every configured NameServer (consumes it); the last failure or success. */
rmq_err_t admin_call_all(rmq_admin_t *admin, remoting_cmd_t *req, char *errstr, size_t errlen);
/* GET_BROKER_CONFIG / GET_NAMESRV_CONFIG (`code`) to addr: the properties body as a
 * kvlist in the order sent. */
rmq_err_t admin_config_get(rmq_admin_t *admin, const char *addr, int32_t code, rmq_kvlist_t **out,
                           char *errstr, size_t errlen);
/* An UPDATE_*_CONFIG request (`code`) whose body is props as MixAll.properties2String. */
remoting_cmd_t *admin_config_update_request(int32_t code, const rmq_kvlist_t *props);
/* SEARCH_OFFSET_BY_TIMESTAMP of one queue (boundary LOWER, as Java's admin). */
remoting_cmd_t *admin_search_offset_request(const char *topic, int queue_id, int64_t timestamp);
/* admin_call of a request answered with an offset header (GET_MIN/MAX_OFFSET,
 * SEARCH_OFFSET_BY_TIMESTAMP); the offset in *out. Consumes req. */
rmq_err_t admin_offset_call(rmq_admin_t *admin, const char *addr, remoting_cmd_t *req, int64_t *out,
                            char *errstr, size_t errlen);
/* Destroys resp, fills errstr, returns RMQ_ERR__BAD_MSG. */
rmq_err_t admin_bad_body(remoting_cmd_t *resp, const char *what, char *errstr, size_t errlen);
/* true (and errstr filled) when any of the three is NULL. */
bool admin_bad_args(const void *admin, const void *a, const void *b, char *errstr, size_t errlen);

/* Reorders a Map<MessageQueue, Long>'s entries as the Java HashMap a putAll of that many
 * entries builds iterates them (MessageQueue.hashCode, table tableSizeFor(n/0.75+1)). */
void admin_java_hash_map_order(proto_reset_offset_t *ro);

#endif
