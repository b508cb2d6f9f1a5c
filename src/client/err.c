/*
 * Error codes of the public API (rocketmq/err.h): names, descriptions, and the mapping
 * from the internal negative-errno convention. Also the library version and
 * rmq_mem_free, the one free function for memory handed to the application.
 */
#include "client/client.h"

#include "common/alloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

typedef struct {
    rmq_err_t err;
    const char *name;
    const char *desc;
} err_desc_t;

static const err_desc_t err_descs[] = {
    {RMQ_ERR__FAIL, "_FAIL", "Local: Failure"},
    {RMQ_ERR__INVALID_ARG, "_INVALID_ARG", "Local: Invalid argument"},
    {RMQ_ERR__TIMED_OUT, "_TIMED_OUT", "Local: Timed out"},
    {RMQ_ERR__TRANSPORT, "_TRANSPORT", "Local: Connection failed"},
    {RMQ_ERR__NO_NAMESRV, "_NO_NAMESRV", "Local: No NameServer address configured"},
    {RMQ_ERR__BAD_MSG, "_BAD_MSG", "Local: Malformed response"},
    {RMQ_ERR__UNKNOWN_CONF, "_UNKNOWN_CONF", "Local: Unknown configuration key"},
    {RMQ_ERR__INVALID_CONF_VALUE, "_INVALID_CONF_VALUE", "Local: Invalid configuration value"},
    {RMQ_ERR__DESTROY, "_DESTROY", "Local: Handle is being destroyed"},
    {RMQ_ERR__RESOLVE, "_RESOLVE", "Local: Bad address"},
    {RMQ_ERR_NO_ERROR, "NO_ERROR", "Success"},
    {RMQ_ERR_SYSTEM_ERROR, "SYSTEM_ERROR", "System error"},
    {RMQ_ERR_SYSTEM_BUSY, "SYSTEM_BUSY", "System busy"},
    {RMQ_ERR_REQUEST_CODE_NOT_SUPPORTED, "REQUEST_CODE_NOT_SUPPORTED",
     "Request code not supported"},
    {RMQ_ERR_TRANSACTION_FAILED, "TRANSACTION_FAILED", "Transaction failed"},
    {RMQ_ERR_FLUSH_DISK_TIMEOUT, "FLUSH_DISK_TIMEOUT", "Stored, but the disk flush timed out"},
    {RMQ_ERR_SLAVE_NOT_AVAILABLE, "SLAVE_NOT_AVAILABLE", "Stored, but no slave is available"},
    {RMQ_ERR_FLUSH_SLAVE_TIMEOUT, "FLUSH_SLAVE_TIMEOUT", "Stored, but replication timed out"},
    {RMQ_ERR_MESSAGE_ILLEGAL, "MESSAGE_ILLEGAL", "Message illegal"},
    {RMQ_ERR_SERVICE_NOT_AVAILABLE, "SERVICE_NOT_AVAILABLE", "Service not available"},
    {RMQ_ERR_VERSION_NOT_SUPPORTED, "VERSION_NOT_SUPPORTED", "Version not supported"},
    {RMQ_ERR_NO_PERMISSION, "NO_PERMISSION", "No permission"},
    {RMQ_ERR_TOPIC_NOT_EXIST, "TOPIC_NOT_EXIST", "Topic does not exist"},
    {RMQ_ERR_TOPIC_EXIST_ALREADY, "TOPIC_EXIST_ALREADY", "Topic exists already"},
    {RMQ_ERR_PULL_NOT_FOUND, "PULL_NOT_FOUND", "No new message"},
    {RMQ_ERR_PULL_RETRY_IMMEDIATELY, "PULL_RETRY_IMMEDIATELY", "Pull again at once"},
    {RMQ_ERR_PULL_OFFSET_MOVED, "PULL_OFFSET_MOVED", "Pull offset moved"},
    {RMQ_ERR_QUERY_NOT_FOUND, "QUERY_NOT_FOUND", "Not found"},
    {RMQ_ERR_SUBSCRIPTION_PARSE_FAILED, "SUBSCRIPTION_PARSE_FAILED",
     "Subscription expression does not parse"},
    {RMQ_ERR_SUBSCRIPTION_NOT_EXIST, "SUBSCRIPTION_NOT_EXIST", "Subscription does not exist"},
    {RMQ_ERR_SUBSCRIPTION_NOT_LATEST, "SUBSCRIPTION_NOT_LATEST", "Subscription not latest"},
    {RMQ_ERR_SUBSCRIPTION_GROUP_NOT_EXIST, "SUBSCRIPTION_GROUP_NOT_EXIST",
     "Subscription group does not exist"},
    {RMQ_ERR_FILTER_DATA_NOT_EXIST, "FILTER_DATA_NOT_EXIST", "Filter data does not exist"},
    {RMQ_ERR_FILTER_DATA_NOT_LATEST, "FILTER_DATA_NOT_LATEST", "Filter data not latest"},
    {RMQ_ERR_INVALID_PARAMETER, "INVALID_PARAMETER", "Invalid parameter"},
    {RMQ_ERR_TRANSACTION_SHOULD_COMMIT, "TRANSACTION_SHOULD_COMMIT", "Transaction should commit"},
    {RMQ_ERR_TRANSACTION_SHOULD_ROLLBACK, "TRANSACTION_SHOULD_ROLLBACK",
     "Transaction should roll back"},
    {RMQ_ERR_TRANSACTION_STATE_UNKNOW, "TRANSACTION_STATE_UNKNOW", "Transaction state unknown"},
    {RMQ_ERR_TRANSACTION_STATE_GROUP_WRONG, "TRANSACTION_STATE_GROUP_WRONG",
     "Transaction state group wrong"},
    {RMQ_ERR_NO_BUYER_ID, "NO_BUYER_ID", "No buyer id"},
    {RMQ_ERR_NOT_IN_CURRENT_UNIT, "NOT_IN_CURRENT_UNIT", "Not in current unit"},
    {RMQ_ERR_CONSUMER_NOT_ONLINE, "CONSUMER_NOT_ONLINE", "Consumer not online"},
    {RMQ_ERR_CONSUME_MSG_TIMEOUT, "CONSUME_MSG_TIMEOUT", "Consume message timed out"},
    {RMQ_ERR_NO_MESSAGE, "NO_MESSAGE", "No message"},
    {RMQ_ERR_POLLING_FULL, "POLLING_FULL", "Too many pending polls"},
    {RMQ_ERR_POLLING_TIMEOUT, "POLLING_TIMEOUT", "Polling timed out"},
    {RMQ_ERR_BROKER_NOT_EXIST, "BROKER_NOT_EXIST", "Broker does not exist"},
    {RMQ_ERR_BROKER_DISPATCH_NOT_COMPLETE, "BROKER_DISPATCH_NOT_COMPLETE",
     "Broker dispatch not complete"},
    {RMQ_ERR_BROADCAST_CONSUMPTION, "BROADCAST_CONSUMPTION", "Broadcast consumption"},
    {RMQ_ERR_FLOW_CONTROL, "FLOW_CONTROL", "Flow control"},
    {RMQ_ERR_NOT_LEADER_FOR_QUEUE, "NOT_LEADER_FOR_QUEUE", "Not leader for queue"},
    {RMQ_ERR_ILLEGAL_OPERATION, "ILLEGAL_OPERATION", "Illegal operation"},
    {RMQ_ERR_GO_AWAY, "GO_AWAY", "Server going away"},
    {RMQ_ERR_CONTROLLER_FENCED_MASTER_EPOCH, "CONTROLLER_FENCED_MASTER_EPOCH",
     "Controller: stale master epoch"},
    {RMQ_ERR_CONTROLLER_FENCED_SYNC_STATE_SET_EPOCH, "CONTROLLER_FENCED_SYNC_STATE_SET_EPOCH",
     "Controller: stale sync-state-set epoch"},
    {RMQ_ERR_CONTROLLER_INVALID_MASTER, "CONTROLLER_INVALID_MASTER", "Controller: invalid master"},
    {RMQ_ERR_CONTROLLER_INVALID_REPLICAS, "CONTROLLER_INVALID_REPLICAS",
     "Controller: invalid replicas"},
    {RMQ_ERR_CONTROLLER_MASTER_NOT_AVAILABLE, "CONTROLLER_MASTER_NOT_AVAILABLE",
     "Controller: master not available"},
    {RMQ_ERR_CONTROLLER_INVALID_REQUEST, "CONTROLLER_INVALID_REQUEST",
     "Controller: invalid request"},
    {RMQ_ERR_CONTROLLER_BROKER_NOT_ALIVE, "CONTROLLER_BROKER_NOT_ALIVE",
     "Controller: broker not alive"},
    {RMQ_ERR_CONTROLLER_NOT_LEADER, "CONTROLLER_NOT_LEADER", "Controller: not leader"},
    {RMQ_ERR_CONTROLLER_BROKER_METADATA_NOT_EXIST, "CONTROLLER_BROKER_METADATA_NOT_EXIST",
     "Controller: broker metadata does not exist"},
    {RMQ_ERR_CONTROLLER_INVALID_CLEAN_BROKER_METADATA, "CONTROLLER_INVALID_CLEAN_BROKER_METADATA",
     "Controller: invalid clean broker metadata"},
    {RMQ_ERR_CONTROLLER_BROKER_NEED_TO_BE_REGISTERED, "CONTROLLER_BROKER_NEED_TO_BE_REGISTERED",
     "Controller: broker needs to be registered"},
    {RMQ_ERR_CONTROLLER_MASTER_STILL_EXIST, "CONTROLLER_MASTER_STILL_EXIST",
     "Controller: master still exists"},
    {RMQ_ERR_CONTROLLER_ELECT_MASTER_FAILED, "CONTROLLER_ELECT_MASTER_FAILED",
     "Controller: master election failed"},
    {RMQ_ERR_CONTROLLER_ALTER_SYNC_STATE_SET_FAILED, "CONTROLLER_ALTER_SYNC_STATE_SET_FAILED",
     "Controller: altering the sync-state set failed"},
    {RMQ_ERR_CONTROLLER_BROKER_ID_INVALID, "CONTROLLER_BROKER_ID_INVALID",
     "Controller: invalid broker id"},
    {RMQ_ERR_CONTROLLER_JRAFT_INTERNAL_ERROR, "CONTROLLER_JRAFT_INTERNAL_ERROR",
     "Controller: Raft internal error"},
    {RMQ_ERR_CONTROLLER_BROKER_LIVE_INFO_NOT_EXISTS, "CONTROLLER_BROKER_LIVE_INFO_NOT_EXISTS",
     "Controller: broker live info does not exist"},
    {RMQ_ERR_USER_NOT_EXIST, "USER_NOT_EXIST", "User does not exist"},
    {RMQ_ERR_POLICY_NOT_EXIST, "POLICY_NOT_EXIST", "Policy does not exist"},
};

static _Thread_local char unknown_buf[32];

static const err_desc_t *find_err(rmq_err_t err) {
    for (size_t i = 0; i < sizeof err_descs / sizeof err_descs[0]; i++)
        if (err_descs[i].err == err)
            return &err_descs[i];
    return NULL;
}

const char *rmq_err2str(rmq_err_t err) {
    const err_desc_t *d = find_err(err);
    if (d)
        return d->desc;
    snprintf(unknown_buf, sizeof unknown_buf, "Unknown error %d", (int)err);
    return unknown_buf;
}

const char *rmq_err_name(rmq_err_t err) {
    const err_desc_t *d = find_err(err);
    if (d)
        return d->name;
    snprintf(unknown_buf, sizeof unknown_buf, "ERR_%d", (int)err);
    return unknown_buf;
}

rmq_err_t client_err_from_errno(int rc) {
    switch (rc) {
    case 0:
        return RMQ_ERR_NO_ERROR;
    case -ETIMEDOUT:
        return RMQ_ERR__TIMED_OUT;
    case -ECONNREFUSED:
    case -ECONNRESET:
    case -ECONNABORTED:
    case -EPIPE:
    case -ENOTCONN:
    case -EHOSTUNREACH:
    case -ENETUNREACH:
    case -EADDRNOTAVAIL:
        return RMQ_ERR__TRANSPORT;
    case -EINVAL:
        return RMQ_ERR__RESOLVE;
    case -ECANCELED:
        return RMQ_ERR__DESTROY;
    case -EPROTO:
    case -EBADMSG:
    case -EMSGSIZE:
        return RMQ_ERR__BAD_MSG;
    default:
        return RMQ_ERR__FAIL;
    }
}

void client_errstr(char *errstr, size_t errlen, const char *fmt, ...) {
    if (!errstr || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errstr, errlen, fmt, ap);
    va_end(ap);
}

int rmq_version(void) {
    return RMQ_VERSION;
}

const char *rmq_version_str(void) {
    return RMQ_VERSION_STR;
}

void rmq_mem_free(void *ptr) {
    rmq_free(ptr);
}
