/*
 * rmq_conf_t: the client's configuration table and the string key/value object.
 *
 * One row per key (librdkafka's property table): RocketMQ's Java name, type, default,
 * range and a one-line description. rmq_conf_set validates against the row; code reads
 * typed values through client_conf_int/client_conf_bool. A conf stores only what was
 * set (NULL = default), so rmq_conf_get of an unset key returns the row's default.
 */
#include "client/client.h"

#include "common/alloc.h"
#include "common/assert.h"
#include "common/str.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

typedef enum { CONF_STR, CONF_INT, CONF_BOOL, CONF_ENUM } conf_type_t;

typedef struct {
    const char *name;
    conf_type_t type;
    const char *def;
    int64_t min, max;    /* CONF_INT */
    const char *choices; /* CONF_ENUM: "|A|B|" */
    const char *desc;
} conf_row_t;

#define ROW_STR(n, d, text)                                                                        \
    { n, CONF_STR, d, 0, 0, NULL, text }
#define ROW_INT(n, d, lo, hi, text)                                                                \
    { n, CONF_INT, d, lo, hi, NULL, text }
#define ROW_BOOL(n, d, text)                                                                       \
    { n, CONF_BOOL, d, 0, 0, NULL, text }
#define ROW_ENUM(n, d, choices, text)                                                              \
    { n, CONF_ENUM, d, 0, 0, choices, text }

/* Keys and defaults as Java's ClientConfig (and NettyClientConfig for the transport). */
static const conf_row_t conf_rows[] = {
    ROW_STR("namesrvAddr", "",
            "NameServer addresses, host:port separated by ';'. Unset: NAMESRV_ADDR."),
    ROW_STR("clientIP", "", "IP address this client reports; empty = first non-loopback IPv4."),
    ROW_STR("instanceName", "DEFAULT", "Instance name, part of the client id."),
    ROW_STR("unitName", "", "Unit name, part of the client id when set."),
    ROW_STR("namespace", "", "Namespace prefixed to resource names."),
    ROW_INT("mqClientApiTimeout", "3000", 1, INT_MAX, "Time-out of each request, ms."),
    ROW_INT("pollNameServerInterval", "30000", 10, INT_MAX, "Route refresh period, ms."),
    ROW_INT("heartbeatBrokerInterval", "30000", 10, INT_MAX, "Broker heartbeat period, ms."),
    ROW_INT("persistConsumerOffsetInterval", "5000", 10, INT_MAX,
            "Consumer offset commit period, ms."),
    ROW_INT("pullTimeDelayMillsWhenException", "1000", 0, INT_MAX,
            "Delay before pulling again after a failed pull, ms."),
    ROW_INT("connectTimeoutMillis", "3000", 1, INT_MAX, "TCP connect time-out, ms."),
    ROW_INT("clientChannelMaxIdleTimeSeconds", "120", 0, INT_MAX,
            "Close a connection idle this long, s; 0 = never."),
    ROW_BOOL("vipChannelEnabled", "false", "Send to the broker's fast port (listen port - 2)."),
    ROW_BOOL("useTLS", "false", "Connect with TLS."),
    ROW_BOOL("unitMode", "false", "Unit mode."),
    ROW_BOOL("decodeReadBody", "true", "Decode message bodies."),
    ROW_BOOL("decodeDecompressBody", "true", "Decompress compressed message bodies."),
    ROW_BOOL("sendLatencyEnable", "false",
             "Latency-based broker fault avoidance (ClientConfig's name; either key enables)."),
    /* DefaultMQProducer. */
    ROW_STR("producerGroup", "DEFAULT_PRODUCER", "Producer group, sent with every message."),
    ROW_INT("sendMsgTimeout", "3000", 1, INT_MAX, "Time-out of a send, retries included, ms."),
    ROW_INT("retryTimesWhenSendFailed", "2", 0, 64,
            "Extra attempts of a failed sync send, on another broker when there is one."),
    ROW_INT("retryTimesWhenSendAsyncFailed", "2", 0, 64, "Extra attempts of a failed async send."),
    ROW_BOOL("retryAnotherBrokerWhenNotStoreOK", "false",
             "Retry a sync send answered FLUSH_*_TIMEOUT / SLAVE_NOT_AVAILABLE."),
    ROW_INT("compressMsgBodyOverHowmuch", "4096", 0, INT_MAX,
            "Compress bodies of at least this many bytes (zlib); 0 = never."),
    ROW_INT("compressLevel", "5", 0, 9, "zlib level of compressed bodies."),
    ROW_INT("maxMessageSize", "4194304", 1, INT_MAX, "Largest body accepted for a send, bytes."),
    ROW_BOOL("sendLatencyFaultEnable", "false",
             "Avoid brokers with recent slow or failed sends (MQFaultStrategy)."),
    ROW_STR("createTopicKey", "TBW102",
            "Template topic whose route stands in for an unknown topic (auto-create)."),
    ROW_INT("defaultTopicQueueNums", "4", 1, 1024, "Queues of an auto-created topic."),
    ROW_BOOL("enableTrace", "false", "Message trace."),
    ROW_STR("traceTopic", "", "Topic of trace records; empty = RMQ_SYS_TRACE_TOPIC."),
    ROW_ENUM("accessChannel", "LOCAL", "|LOCAL|CLOUD|", "LOCAL or CLOUD."),
    ROW_ENUM("logLevel", "", "|error|warn|info|debug|",
             "Process-wide log level set when a handle is created; empty = unchanged. "
             "Not a Java option (the Java client configures logback)."),
    /* DefaultMQPushConsumer and DefaultLitePullConsumer. */
    ROW_STR("consumerGroup", "", "Consumer group (required by consumers)."),
    ROW_ENUM("messageModel", "CLUSTERING", "|CLUSTERING|BROADCASTING|",
             "CLUSTERING shares the queues within the group; BROADCASTING gives each member all."),
    ROW_ENUM("consumeFromWhere", "CONSUME_FROM_LAST_OFFSET",
             "|CONSUME_FROM_LAST_OFFSET|CONSUME_FROM_FIRST_OFFSET|CONSUME_FROM_TIMESTAMP|",
             "Where a queue without a committed offset starts."),
    ROW_STR("consumeTimestamp", "",
            "yyyyMMddHHmmss for CONSUME_FROM_TIMESTAMP; empty = 30 minutes ago."),
    ROW_INT("consumeThreadMin", "20", 1, 1000, "Consume threads of a push consumer."),
    ROW_INT("consumeThreadMax", "20", 1, 1000,
            "At least consumeThreadMin; the pool stays at consumeThreadMin (as Java's, whose "
            "unbounded queue never lets it grow)."),
    ROW_INT("pullBatchSize", "32", 1, 1024,
            "Messages asked for per pull (lite pull: 10 unless set, as Java's)."),
    ROW_INT("consumeMessageBatchMaxSize", "1", 1, 1024, "Messages per listener call."),
    ROW_INT("pullThresholdForQueue", "1000", 1, 65535,
            "Messages cached per queue before pulling pauses (flow control)."),
    ROW_INT("pullThresholdSizeForQueue", "100", 1, 1024,
            "Message bodies cached per queue before pulling pauses, MiB."),
    ROW_INT("pullThresholdForTopic", "-1", -1, 6553500,
            "Messages cached per consumer, shared among its queues; -1 = off (then "
            "pullThresholdForQueue)."),
    ROW_INT("pullThresholdSizeForTopic", "-1", -1, 102400,
            "Message bodies cached per consumer, MiB, shared among its queues; -1 = off."),
    ROW_INT("consumeConcurrentlyMaxSpan", "2000", 1, 65535,
            "Concurrent: pulling pauses while the cached offsets of a queue span more."),
    ROW_INT("consumeTimeout", "15", 1, INT_MAX,
            "Concurrent: a message consumed longer than this (minutes) is sent back for "
            "redelivery and no longer holds back its queue's offset."),
    ROW_INT("pullInterval", "0", 0, 65535, "Pause between two pulls of a queue, ms."),
    ROW_INT("maxReconsumeTimes", "-1", -1, 16384,
            "Deliveries before the dead-letter queue; -1 = 16 (orderly: unbounded)."),
    ROW_INT("suspendCurrentQueueTimeMillis", "1000", 10, 30000,
            "Orderly: pause of a queue whose listener asked to suspend, ms."),
    ROW_STR("localOffsetStoreDir", "",
            "BROADCASTING offset files (Java's rocketmq.client.localOffsetStoreDir); "
            "empty = ~/.rocketmq_offsets."),
    ROW_INT("pullThresholdForAll", "10000", 1, INT_MAX,
            "Lite pull: messages prefetched in all before pulling pauses."),
    ROW_BOOL("autoCommit", "true", "Lite pull: commit positions periodically."),
    ROW_INT("autoCommitIntervalMillis", "5000", 1000, INT_MAX, "Lite pull: commit period, ms."),
    ROW_INT("pollTimeoutMillis", "5000", 0, INT_MAX, "Lite pull: default poll time-out, ms."),
};

#define CONF_ROWS (sizeof conf_rows / sizeof conf_rows[0])

static int find_row(const char *name) {
    for (size_t i = 0; i < CONF_ROWS; i++)
        if (strcmp(conf_rows[i].name, name) == 0)
            return (int)i;
    return -1;
}

static const char *type_name(conf_type_t t) {
    switch (t) {
    case CONF_INT:
        return "int";
    case CONF_BOOL:
        return "bool";
    case CONF_ENUM:
        return "enum";
    default:
        return "string";
    }
}

/* ------------------------------------------------------------------ public */

rmq_conf_t *rmq_conf_new(void) {
    rmq_conf_t *conf = RMQ_NEW(rmq_conf_t);
    conf->values = rmq_calloc(CONF_ROWS, sizeof(char *));
    return conf;
}

rmq_conf_t *rmq_conf_dup(const rmq_conf_t *conf) {
    if (!conf)
        return NULL;
    rmq_conf_t *copy = rmq_conf_new();
    for (size_t i = 0; i < CONF_ROWS; i++)
        if (conf->values[i])
            copy->values[i] = rmq_strdup(conf->values[i]);
    return copy;
}

void rmq_conf_destroy(rmq_conf_t *conf) {
    if (!conf)
        return;
    for (size_t i = 0; i < CONF_ROWS; i++)
        rmq_free(conf->values[i]);
    rmq_free(conf->values);
    rmq_free(conf);
}

/* Checks `value` against the row; returns 0 or RMQ_ERR__INVALID_CONF_VALUE. */
static rmq_err_t check_value(const conf_row_t *row, const char *value, char *errstr,
                             size_t errlen) {
    switch (row->type) {
    case CONF_INT: {
        int64_t v;
        if (rmq_parse_i64(value, strlen(value), &v) != 0) {
            client_errstr(errstr, errlen, "%s: \"%s\" is not an integer", row->name, value);
            return RMQ_ERR__INVALID_CONF_VALUE;
        }
        if (v < row->min || v > row->max) {
            client_errstr(errstr, errlen, "%s: %lld is outside %lld..%lld", row->name, (long long)v,
                          (long long)row->min, (long long)row->max);
            return RMQ_ERR__INVALID_CONF_VALUE;
        }
        return RMQ_ERR_NO_ERROR;
    }
    case CONF_BOOL:
        if (strcasecmp(value, "true") != 0 && strcasecmp(value, "false") != 0) {
            client_errstr(errstr, errlen, "%s: \"%s\" is not true or false", row->name, value);
            return RMQ_ERR__INVALID_CONF_VALUE;
        }
        return RMQ_ERR_NO_ERROR;
    case CONF_ENUM: {
        /* choices is "|A|B|": look for "|value|". */
        size_t n = strlen(value);
        for (const char *p = row->choices; *p && p[1]; p = strchr(p + 1, '|')) {
            if (n > 0 && strncmp(p + 1, value, n) == 0 && p[1 + n] == '|')
                return RMQ_ERR_NO_ERROR;
        }
        client_errstr(errstr, errlen, "%s: \"%s\" is not one of %s", row->name, value,
                      row->choices);
        return RMQ_ERR__INVALID_CONF_VALUE;
    }
    default:
        return RMQ_ERR_NO_ERROR;
    }
}

rmq_err_t rmq_conf_set(rmq_conf_t *conf, const char *name, const char *value, char *errstr,
                       size_t errlen) {
    if (!conf || !name) {
        client_errstr(errstr, errlen, "conf and name must not be NULL");
        return RMQ_ERR__INVALID_ARG;
    }
    int i = find_row(name);
    if (i < 0) {
        client_errstr(errstr, errlen, "No such configuration property: \"%s\"", name);
        return RMQ_ERR__UNKNOWN_CONF;
    }
    if (value) {
        rmq_err_t err = check_value(&conf_rows[i], value, errstr, errlen);
        if (err)
            return err;
    }
    rmq_free(conf->values[i]);
    conf->values[i] = value ? rmq_strdup(value) : NULL;
    return RMQ_ERR_NO_ERROR;
}

const char *rmq_conf_get(const rmq_conf_t *conf, const char *name) {
    if (!conf || !name)
        return NULL;
    int i = find_row(name);
    if (i < 0)
        return NULL;
    return conf->values[i] ? conf->values[i] : conf_rows[i].def;
}

int rmq_conf_is_set(const rmq_conf_t *conf, const char *name) {
    if (!conf || !name)
        return 0;
    int i = find_row(name);
    return i >= 0 && conf->values[i] != NULL;
}

int rmq_conf_describe(size_t i, const char **name, const char **type, const char **default_value,
                      const char **description) {
    if (i >= CONF_ROWS)
        return 0;
    if (name)
        *name = conf_rows[i].name;
    if (type)
        *type = type_name(conf_rows[i].type);
    if (default_value)
        *default_value = conf_rows[i].def;
    if (description)
        *description = conf_rows[i].desc;
    return 1;
}

/* ------------------------------------------------------------------ internal */

int64_t client_conf_int(const rmq_conf_t *conf, const char *name) {
    int i = find_row(name);
    RMQ_ASSERT(i >= 0 && conf_rows[i].type == CONF_INT);
    const char *v = conf->values[i] ? conf->values[i] : conf_rows[i].def;
    int64_t out = 0;
    rmq_parse_i64(v, strlen(v), &out); /* validated by rmq_conf_set */
    return out;
}

bool client_conf_bool(const rmq_conf_t *conf, const char *name) {
    int i = find_row(name);
    RMQ_ASSERT(i >= 0 && conf_rows[i].type == CONF_BOOL);
    const char *v = conf->values[i] ? conf->values[i] : conf_rows[i].def;
    return strcasecmp(v, "true") == 0;
}
