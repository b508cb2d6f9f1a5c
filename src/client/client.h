/*
 * librocketmq internals shared by the client files: the configuration table's typed
 * getters, error mapping, the NameServer selector and the request helper every admin,
 * producer and consumer call goes through.
 *
 * Public objects of include/rocketmq are defined here so that each file can reach the
 * fields; nothing in this header is installed.
 */
#ifndef RMQ_CLIENT_CLIENT_H
#define RMQ_CLIENT_CLIENT_H

#include "protocol/body.h"
#include "remoting/client.h"
#include "remoting/cmd.h"

#include <rocketmq/rocketmq.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ errors */

/* Maps a negative errno from the remoting layer to a local rmq_err_t. */
rmq_err_t client_err_from_errno(int rc);

/* snprintf into errstr when it is not NULL. */
void client_errstr(char *errstr, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------------ configuration */

struct rmq_conf_s {
    char **values; /* one per table row; NULL = default */
};

/* Integer value of a key of type int (the default when unset). The key must exist. */
int64_t client_conf_int(const rmq_conf_t *conf, const char *name);
bool client_conf_bool(const rmq_conf_t *conf, const char *name);

/* ------------------------------------------------------------------ NameServers */

/*
 * The NameServer list and the chosen one. Java's NettyRemotingClient starts at a random
 * index and moves to the next address when the chosen one cannot be reached; so do we.
 * `chosen` is read and written by any thread calling through the handle.
 */
typedef struct {
    char **addrs;
    size_t count;
    atomic_size_t chosen;
} client_namesrv_t;

/*
 * Parses "host:port;host:port" (white space around entries is ignored). Returns 0, or
 * RMQ_ERR__NO_NAMESRV for an empty list, RMQ_ERR__RESOLVE for an entry that is not
 * host:port (errstr says which). `seed` picks the first chosen index.
 */
rmq_err_t client_namesrv_init(client_namesrv_t *ns, const char *list, unsigned seed, char *errstr,
                              size_t errlen);
void client_namesrv_close(client_namesrv_t *ns);

/* ------------------------------------------------------------------ requests */

typedef struct {
    remoting_client_t *rc;
    client_namesrv_t ns;
    int timeout_ms;
} client_rpc_t;

/*
 * Sends req to `addr`, or to the chosen NameServer when addr is NULL (moving on to the
 * next NameServer while they refuse connections). On RMQ_ERR_NO_ERROR *resp holds the
 * response (any response code; free with remoting_cmd_destroy). On a local failure
 * errstr says what happened, in the words of Java's remoting exceptions.
 * Runs on: the caller's thread (blocks). Locks: none.
 */
rmq_err_t client_rpc_invoke(client_rpc_t *rpc, const char *addr, remoting_cmd_t *req,
                            remoting_cmd_t **resp, char *errstr, size_t errlen);

/*
 * invoke + response code check: returns the response code when it is not SUCCESS
 * (errstr = the remark) and destroys the response; on success *resp is the response.
 */
rmq_err_t client_rpc_call(client_rpc_t *rpc, const char *addr, remoting_cmd_t *req,
                          remoting_cmd_t **resp, char *errstr, size_t errlen);

/* ------------------------------------------------------------------ results */

struct rmq_kvlist_s {
    proto_kvs_t kvs;
};

struct rmq_strlist_s {
    proto_strs_t strs;
};

/*
 * Rewrites compact fastjson text as fastjson's PrettyFormat does (tabs; a map with
 * non-string keys keeps its entries on the opening line). Appends to out. Returns 0 or
 * -EINVAL when `json` is not well formed.
 */
int client_json_pretty(const char *json, size_t len, rmq_buf_t *out);

#endif
