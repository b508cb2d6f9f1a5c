/*
 * Requests from the client to its servers: the NameServer list with the Java client's
 * choice rule, and one blocking call helper over the remoting client.
 *
 * NameServer choice (Java NettyRemotingClient): one address is used at a time, starting
 * at a random one; when it refuses or drops the connection, the next one in the list is
 * tried within the same call, and whichever answers becomes the chosen one. Time-outs
 * are not retried elsewhere: the request may have been executed.
 *
 * Threads: any application thread; `chosen` is atomic, the rest is read-only after init.
 */
#include "client/client.h"

#include "common/alloc.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ NameServer list */

/* True for "host:port" with a port in 1..65535. */
static bool valid_addr(const char *a) {
    const char *colon = strrchr(a, ':');
    if (!colon || colon == a || colon[1] == '\0')
        return false;
    int32_t port;
    if (rmq_parse_i32(colon + 1, strlen(colon + 1), &port) != 0)
        return false;
    return port > 0 && port <= 65535;
}

rmq_err_t client_namesrv_init(client_namesrv_t *ns, const char *list, unsigned seed, char *errstr,
                              size_t errlen) {
    memset(ns, 0, sizeof *ns);
    char *copy = rmq_strdup(list ? list : "");
    char *save = NULL;
    for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        char *a = rmq_str_trim(tok);
        if (*a == '\0')
            continue;
        if (!valid_addr(a)) {
            client_errstr(errstr, errlen, "bad NameServer address \"%s\" (host:port expected)", a);
            rmq_free(copy);
            client_namesrv_close(ns);
            return RMQ_ERR__RESOLVE;
        }
        ns->addrs = rmq_realloc(ns->addrs, (ns->count + 1) * sizeof(char *));
        ns->addrs[ns->count++] = rmq_strdup(a);
    }
    rmq_free(copy);
    if (ns->count == 0) {
        client_errstr(errstr, errlen, "no NameServer address: set namesrvAddr or NAMESRV_ADDR");
        return RMQ_ERR__NO_NAMESRV;
    }
    atomic_init(&ns->chosen, seed % ns->count);
    return RMQ_ERR_NO_ERROR;
}

void client_namesrv_close(client_namesrv_t *ns) {
    for (size_t i = 0; i < ns->count; i++)
        rmq_free(ns->addrs[i]);
    rmq_free(ns->addrs);
    ns->addrs = NULL;
    ns->count = 0;
}

/* ------------------------------------------------------------------ calls */

/* Errors after which another NameServer is worth trying: nothing reached the server. */
static bool is_connect_failure(int rc) {
    return rc == -ECONNREFUSED || rc == -ECONNRESET || rc == -EHOSTUNREACH || rc == -ENETUNREACH ||
           rc == -EADDRNOTAVAIL || rc == -ECONNABORTED || rc == -ENOTCONN;
}

/* Fills errstr as Java's remoting exceptions word it. */
static rmq_err_t local_failure(int rc, const char *addr, int timeout_ms, char *errstr,
                               size_t errlen) {
    rmq_err_t err = client_err_from_errno(rc);
    switch (err) {
    case RMQ_ERR__TIMED_OUT:
        client_errstr(errstr, errlen, "wait response on the channel <%s> timeout, %d(ms)", addr,
                      timeout_ms);
        break;
    case RMQ_ERR__TRANSPORT:
        client_errstr(errstr, errlen, "connect to %s failed", addr);
        break;
    case RMQ_ERR__RESOLVE:
        client_errstr(errstr, errlen, "bad address \"%s\"", addr);
        break;
    default:
        client_errstr(errstr, errlen, "request to %s failed: %s", addr, strerror(-rc));
        break;
    }
    return err;
}

rmq_err_t client_rpc_invoke(client_rpc_t *rpc, const char *addr, remoting_cmd_t *req,
                            remoting_cmd_t **resp, char *errstr, size_t errlen) {
    *resp = NULL;
    if (addr) {
        int rc = remoting_client_invoke_sync(rpc->rc, addr, req, rpc->timeout_ms, resp);
        return rc == 0 ? RMQ_ERR_NO_ERROR
                       : local_failure(rc, addr, rpc->timeout_ms, errstr, errlen);
    }
    client_namesrv_t *ns = &rpc->ns;
    size_t start = atomic_load(&ns->chosen);
    int rc = -ECONNREFUSED;
    const char *last = NULL;
    for (size_t k = 0; k < ns->count; k++) {
        size_t i = (start + k) % ns->count;
        last = ns->addrs[i];
        rc = remoting_client_invoke_sync(rpc->rc, last, req, rpc->timeout_ms, resp);
        if (rc == 0 || !is_connect_failure(rc)) {
            if (i != start)
                atomic_store(&ns->chosen, i);
            break;
        }
    }
    return rc == 0 ? RMQ_ERR_NO_ERROR : local_failure(rc, last, rpc->timeout_ms, errstr, errlen);
}

rmq_err_t client_rpc_call(client_rpc_t *rpc, const char *addr, remoting_cmd_t *req,
                          remoting_cmd_t **resp, char *errstr, size_t errlen) {
    rmq_err_t err = client_rpc_invoke(rpc, addr, req, resp, errstr, errlen);
    if (err)
        return err;
    if ((*resp)->code == 0)
        return RMQ_ERR_NO_ERROR;
    const char *remark = remoting_cmd_remark(*resp);
    client_errstr(errstr, errlen, "%s", remark ? remark : "");
    err = (rmq_err_t)(*resp)->code;
    remoting_cmd_destroy(*resp);
    *resp = NULL;
    return err;
}
