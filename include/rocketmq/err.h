/*
 * rocketmq-c public API: error codes.
 *
 * Every call that can fail returns an rmq_err_t (librdkafka's convention):
 *   0         RMQ_ERR_NO_ERROR
 *   > 0       a RocketMQ response code exactly as the server sent it on the wire
 *             (RMQ_ERR_TOPIC_NOT_EXIST = 17, ...). A server may send codes not listed
 *             here; they are returned unchanged.
 *   < 0       a local error, named RMQ_ERR__* (two underscores): time-outs, connection
 *             failures, bad arguments, malformed responses.
 *
 * Calls that talk to a server also take `char *errstr, size_t errlen`: on a positive
 * code it receives the server's remark verbatim (empty when the server sent none), on a
 * negative code a description of the local failure. errstr may be NULL.
 */
#ifndef ROCKETMQ_ERR_H
#define ROCKETMQ_ERR_H

#include <rocketmq/export.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rmq_err_t {
    /* Local errors. */
    RMQ_ERR__BEGIN = -100,
    RMQ_ERR__FAIL = -99,               /* generic local failure */
    RMQ_ERR__INVALID_ARG = -98,        /* bad argument (NULL handle, empty name, ...) */
    RMQ_ERR__TIMED_OUT = -97,          /* no response within the time-out */
    RMQ_ERR__TRANSPORT = -96,          /* connection refused, reset or closed */
    RMQ_ERR__NO_NAMESRV = -95,         /* no NameServer address configured */
    RMQ_ERR__BAD_MSG = -94,            /* a response the client could not decode */
    RMQ_ERR__UNKNOWN_CONF = -93,       /* unknown configuration key */
    RMQ_ERR__INVALID_CONF_VALUE = -92, /* configuration value out of range or malformed */
    RMQ_ERR__DESTROY = -91,            /* the handle is being destroyed */
    RMQ_ERR__RESOLVE = -90,            /* bad address ("host:port" expected) */
    RMQ_ERR__END = -89,

    RMQ_ERR_NO_ERROR = 0,

    /* RocketMQ response codes (upstream ResponseCode). */
    RMQ_ERR_SYSTEM_ERROR = 1,
    RMQ_ERR_SYSTEM_BUSY = 2,
    RMQ_ERR_REQUEST_CODE_NOT_SUPPORTED = 3,
    RMQ_ERR_TRANSACTION_FAILED = 4,
    RMQ_ERR_FLUSH_DISK_TIMEOUT = 10,
    RMQ_ERR_SLAVE_NOT_AVAILABLE = 11,
    RMQ_ERR_FLUSH_SLAVE_TIMEOUT = 12,
    RMQ_ERR_MESSAGE_ILLEGAL = 13,
    RMQ_ERR_SERVICE_NOT_AVAILABLE = 14,
    RMQ_ERR_VERSION_NOT_SUPPORTED = 15,
    RMQ_ERR_NO_PERMISSION = 16,
    RMQ_ERR_TOPIC_NOT_EXIST = 17,
    RMQ_ERR_TOPIC_EXIST_ALREADY = 18,
    RMQ_ERR_PULL_NOT_FOUND = 19,
    RMQ_ERR_PULL_RETRY_IMMEDIATELY = 20,
    RMQ_ERR_PULL_OFFSET_MOVED = 21,
    RMQ_ERR_QUERY_NOT_FOUND = 22,
    RMQ_ERR_SUBSCRIPTION_PARSE_FAILED = 23,
    RMQ_ERR_SUBSCRIPTION_NOT_EXIST = 24,
    RMQ_ERR_SUBSCRIPTION_NOT_LATEST = 25,
    RMQ_ERR_SUBSCRIPTION_GROUP_NOT_EXIST = 26,
    RMQ_ERR_FILTER_DATA_NOT_EXIST = 27,
    RMQ_ERR_FILTER_DATA_NOT_LATEST = 28,
    RMQ_ERR_INVALID_PARAMETER = 29,
    RMQ_ERR_TRANSACTION_SHOULD_COMMIT = 200,
    RMQ_ERR_TRANSACTION_SHOULD_ROLLBACK = 201,
    RMQ_ERR_TRANSACTION_STATE_UNKNOW = 202,
    RMQ_ERR_TRANSACTION_STATE_GROUP_WRONG = 203,
    RMQ_ERR_NO_BUYER_ID = 204,
    RMQ_ERR_NOT_IN_CURRENT_UNIT = 205,
    RMQ_ERR_CONSUMER_NOT_ONLINE = 206,
    RMQ_ERR_CONSUME_MSG_TIMEOUT = 207,
    RMQ_ERR_NO_MESSAGE = 208,
    RMQ_ERR_POLLING_FULL = 209,
    RMQ_ERR_POLLING_TIMEOUT = 210,
    RMQ_ERR_BROKER_NOT_EXIST = 211,
    RMQ_ERR_BROKER_DISPATCH_NOT_COMPLETE = 212,
    RMQ_ERR_BROADCAST_CONSUMPTION = 213,
    RMQ_ERR_FLOW_CONTROL = 215,
    RMQ_ERR_NOT_LEADER_FOR_QUEUE = 501,
    RMQ_ERR_ILLEGAL_OPERATION = 604,
    RMQ_ERR_GO_AWAY = 1500,
    RMQ_ERR_CONTROLLER_FENCED_MASTER_EPOCH = 2000,
    RMQ_ERR_CONTROLLER_FENCED_SYNC_STATE_SET_EPOCH = 2001,
    RMQ_ERR_CONTROLLER_INVALID_MASTER = 2002,
    RMQ_ERR_CONTROLLER_INVALID_REPLICAS = 2003,
    RMQ_ERR_CONTROLLER_MASTER_NOT_AVAILABLE = 2004,
    RMQ_ERR_CONTROLLER_INVALID_REQUEST = 2005,
    RMQ_ERR_CONTROLLER_BROKER_NOT_ALIVE = 2006,
    RMQ_ERR_CONTROLLER_NOT_LEADER = 2007,
    RMQ_ERR_CONTROLLER_BROKER_METADATA_NOT_EXIST = 2008,
    RMQ_ERR_CONTROLLER_INVALID_CLEAN_BROKER_METADATA = 2009,
    RMQ_ERR_CONTROLLER_BROKER_NEED_TO_BE_REGISTERED = 2010,
    RMQ_ERR_CONTROLLER_MASTER_STILL_EXIST = 2011,
    RMQ_ERR_CONTROLLER_ELECT_MASTER_FAILED = 2012,
    RMQ_ERR_CONTROLLER_ALTER_SYNC_STATE_SET_FAILED = 2013,
    RMQ_ERR_CONTROLLER_BROKER_ID_INVALID = 2014,
    RMQ_ERR_CONTROLLER_JRAFT_INTERNAL_ERROR = 2015,
    RMQ_ERR_CONTROLLER_BROKER_LIVE_INFO_NOT_EXISTS = 2016,
    RMQ_ERR_USER_NOT_EXIST = 3001,
    RMQ_ERR_POLICY_NOT_EXIST = 3002,
} rmq_err_t;

/*
 * A human-readable description of `err` ("Topic does not exist", "Local: Timed out").
 * Unknown codes give "Unknown error N" in a thread-local buffer. Thread-safe; the
 * string is static or thread-local, valid until the next call on the same thread.
 */
RMQ_EXPORT const char *rmq_err2str(rmq_err_t err);

/*
 * The code's name without the RMQ_ERR_ prefix ("TOPIC_NOT_EXIST", "_TIMED_OUT"), as
 * upstream's ResponseCode spells it. Unknown codes give "ERR_N" (thread-local buffer).
 * Thread-safe.
 */
RMQ_EXPORT const char *rmq_err_name(rmq_err_t err);

#ifdef __cplusplus
}
#endif

#endif
