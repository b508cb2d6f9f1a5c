/*
 * mqadmin consumeMessage (upstream command/message/ConsumeMessageCommand): pulls and
 * prints messages, as DefaultMQPullConsumer does for the Java tool, with the group -g
 * (default TOOLS_CONSUMER); nothing is committed.
 *
 *   -t only          every readable queue of the topic's route, in the iteration order
 *                    of the Java HashSet<MessageQueue> holding them, until -c (default
 *                    128) messages were asked for (Java's count arithmetic, negative
 *                    remainders included, is kept as it is)
 *   -b -i [-o]       one queue, from offset -o (default its minimum)
 *   -s / -e          begin / end of the range as offsets searched by store time
 *                    (SEARCH_OFFSET_BY_TIMESTAMP), ms or "yyyy-MM-dd#HH:mm:ss:SSS"
 *
 * Each queue is read with pulls of (end - offset + 1) messages (the broker returns at
 * most 32) up to and including its end offset; a FOUND pull prints "Consume ok" and
 * each message as PrintMessageByQueueCommand.printMessage does: "MSGID: <id>
 * <MessageExt.toString()> BODY: <body>". Failures of the queue reads are printed as
 * Java's e.printStackTrace() prints them (its first line) and end the command.
 * Not reproduced: IPv6 hosts print as we format them ("[::1]:port"), not as
 * Inet6Address does.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

/* ------------------------------------------------------------------ formatting */

int32_t java_message_queue_hash(const char *topic, const char *broker_name, int queue_id) {
    uint32_t h = 1;
    h = 31 * h + (uint32_t)java_string_hash(broker_name);
    h = 31 * h + (uint32_t)queue_id;
    h = 31 * h + (uint32_t)java_string_hash(topic);
    return (int32_t)h;
}

char *java_byte_array(const void *bytes, size_t len) {
    if (!bytes)
        return strdup("null");
    char *out = malloc(len * 6 + 3), *p = out;
    *p++ = '[';
    for (size_t i = 0; i < len; i++)
        p += sprintf(p, "%s%d", i ? ", " : "", (int)((const signed char *)bytes)[i]);
    strcpy(p, "]");
    return out;
}

char *java_message_ext_string(const rmq_message_ext_t *m) {
    const rmq_message_t *msg = rmq_message_ext_message(m);
    size_t body_len = 0;
    const void *body = rmq_message_body(msg, &body_len);
    char *props = java_message_properties(msg);
    char *bytes = java_byte_array(body, body_len);
    /* PullAPIWrapper.processPullResult: a prepared transaction message's transactionId
     * is its UNIQ_KEY. */
    const char *tran = rmq_message_property(msg, "TRAN_MSG");
    const char *tx_id =
        tran && strcasecmp(tran, "true") == 0 ? rmq_message_property(msg, "UNIQ_KEY") : NULL;
    const char *fmt =
        "MessageExt [brokerName=%s, queueId=%d, storeSize=%d, queueOffset=%lld, sysFlag=%d, "
        "bornTimestamp=%lld, bornHost=/%s, storeTimestamp=%lld, storeHost=/%s, msgId=%s, "
        "commitLogOffset=%lld, bodyCRC=%d, reconsumeTimes=%d, preparedTransactionOffset=%lld, "
        "toString()=Message{topic='%s', flag=%d, properties=%s, body=%s, transactionId='%s'}]";
#define MSG_EXT_ARGS                                                                               \
    rmq_message_ext_broker_name(m), (int)rmq_message_ext_queue_id(m),                              \
        (int)rmq_message_ext_store_size(m), (long long)rmq_message_ext_queue_offset(m),            \
        (int)rmq_message_ext_sys_flag(m), (long long)rmq_message_ext_born_timestamp(m),            \
        rmq_message_ext_born_host(m), (long long)rmq_message_ext_store_timestamp(m),               \
        rmq_message_ext_store_host(m), rmq_message_ext_offset_msg_id(m),                           \
        (long long)rmq_message_ext_commitlog_offset(m), (int)rmq_message_ext_body_crc(m),          \
        (int)rmq_message_ext_reconsume_times(m),                                                   \
        (long long)rmq_message_ext_prepared_transaction_offset(m), rmq_message_topic(msg),         \
        (int)rmq_message_flag(msg), props, bytes, tx_id ? tx_id : "null"
    int n = snprintf(NULL, 0, fmt, MSG_EXT_ARGS);
    char *out = malloc((size_t)n + 1);
    snprintf(out, (size_t)n + 1, fmt, MSG_EXT_ARGS);
#undef MSG_EXT_ARGS
    free(props);
    free(bytes);
    return out;
}

/* ------------------------------------------------------------------ reading queues */

typedef struct {
    rmq_admin_t *admin;
    const cli_cmd_t *cmd;
    const char *group; /* NULL = TOOLS_CONSUMER */
    const char *topic;
} consume_t;

static void print_mq(const char *topic, const char *broker, int qid) {
    printf("MessageQueue [topic=%s, brokerName=%s, queueId=%d]", topic, broker, qid);
}

/* e.printStackTrace() of a failed call: its first lines. The admin API's own
 * failures (no master of that name) are the MQClientException with their text. */
static void print_failure(const consume_t *c, rmq_err_t err, const char *errstr) {
    if (err == RMQ_ERR__INVALID_ARG)
        mqadmin_print_client_exception(errstr, 0, NULL);
    else
        mqadmin_print_exception(c->cmd, false, err > 0, err, errstr, NULL);
}

/* pullMessageByQueue: pulls [min, max] of one queue. 0, or 1 after a failed pull. */
static int pull_queue(const consume_t *c, const char *broker, int qid, long long min,
                      long long max) {
    for (long long offset = min; offset <= max;) {
        char errstr[1024];
        rmq_admin_pull_status_t status;
        int64_t next;
        rmq_admin_msgs_t *l = NULL;
        rmq_err_t err =
            rmq_admin_pull(c->admin, c->group, broker, c->topic, qid, offset,
                           (int)(max - offset + 1), &status, &next, &l, errstr, sizeof errstr);
        if (err) {
            print_failure(c, err, errstr);
            return 1;
        }
        offset = next;
        if (status == RMQ_ADMIN_PULL_FOUND) {
            printf("Consume ok\n");
            for (size_t i = 0; i < rmq_admin_msgs_count(l); i++) {
                const rmq_message_ext_t *m = rmq_admin_msgs_get(l, i);
                size_t len = 0;
                const void *body = rmq_message_body(rmq_message_ext_message(m), &len);
                char *s = java_message_ext_string(m);
                printf("MSGID: %s %s BODY: %.*s\n", rmq_message_ext_msg_id(m), s, (int)len,
                       body ? (const char *)body : "");
                free(s);
            }
        } else {
            print_mq(c->topic, broker, qid);
            printf(" %s. status=%s, offset=%lld\n",
                   status == RMQ_ADMIN_PULL_NO_MATCHED_MSG ? "no matched msg"
                                                           : "print msg finished",
                   rmq_admin_pull_status_name(status), offset);
        }
        rmq_admin_msgs_destroy(l);
        if (status == RMQ_ADMIN_PULL_NO_NEW_MSG || status == RMQ_ADMIN_PULL_OFFSET_ILLEGAL)
            break;
    }
    return 0;
}

/* The queue's [min, max] offsets, by time when begin / end are set. */
static rmq_err_t queue_range(const consume_t *c, const char *broker, int qid, long long begin,
                             long long end, long long *min, long long *max, char *errstr,
                             size_t errlen) {
    int64_t lo, hi;
    rmq_err_t err = rmq_admin_min_offset(c->admin, broker, c->topic, qid, &lo, errstr, errlen);
    if (!err)
        err = rmq_admin_max_offset(c->admin, broker, c->topic, qid, &hi, errstr, errlen);
    if (!err && begin > 0)
        err = rmq_admin_search_offset(c->admin, broker, c->topic, qid, begin, &lo, errstr, errlen);
    if (!err && end > 0)
        err = rmq_admin_search_offset(c->admin, broker, c->topic, qid, end, &hi, errstr, errlen);
    *min = lo;
    *max = hi;
    return err;
}

typedef struct {
    const char *broker;
    int qid;
} mq_t;

/* executeDefault: the topic's readable queues in HashSet order. */
static int consume_default(const consume_t *c, long long count, long long begin, long long end) {
    char errstr[1024];
    rmq_topic_route_t *route = NULL;
    rmq_err_t err = rmq_admin_topic_route(c->admin, c->topic, &route, errstr, sizeof errstr);
    char msg[1024];
    snprintf(msg, sizeof msg,
             "Can not find Message Queue for this topic, %s\nSee "
             "https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.",
             c->topic);
    if (err) {
        /* MQAdminImpl.fetchSubscribeMessageQueues wraps the NameServer's answer. */
        if (err > 0)
            mqadmin_print_client_exception(msg, err, errstr);
        else
            print_failure(c, err, errstr);
        return 1;
    }
    size_t cap = 0, n = 0;
    for (size_t i = 0; i < rmq_topic_route_queue_data_count(route); i++)
        cap += (size_t)rmq_queue_data_read_queue_nums(rmq_topic_route_queue_data(route, i));
    mq_t *mqs = calloc(cap ? cap : 1, sizeof *mqs);
    int32_t *hashes = calloc(cap ? cap : 1, sizeof *hashes);
    size_t *order = calloc(cap ? cap : 1, sizeof *order);
    for (size_t i = 0; i < rmq_topic_route_queue_data_count(route); i++) {
        const rmq_queue_data_t *qd = rmq_topic_route_queue_data(route, i);
        if (!(rmq_queue_data_perm(qd) & RMQ_PERM_READ))
            continue;
        for (int q = 0; q < rmq_queue_data_read_queue_nums(qd); q++) {
            mqs[n] = (mq_t){rmq_queue_data_broker_name(qd), q};
            hashes[n] = java_message_queue_hash(c->topic, mqs[n].broker, q);
            n++;
        }
    }
    java_hash_order(hashes, n, 16, order); /* new HashSet<>() */
    int rc = 0;
    long long left = count;
    if (n == 0) {
        /* Java: "... Namesrv return empty", wrapped in the message above. */
        mqadmin_print_client_exception(msg, 0, NULL);
        rc = 1;
    }
    for (size_t k = 0; k < n && left != 0 && rc == 0; k++) {
        const mq_t *mq = &mqs[order[k]];
        long long min, max;
        err = queue_range(c, mq->broker, mq->qid, begin, end, &min, &max, errstr, sizeof errstr);
        if (err) {
            print_failure(c, err, errstr);
            rc = 1;
            break;
        }
        if (max - min > left) {
            printf("The older %lld message of the %d queue will be provided\n", left, mq->qid);
            max = min + left - 1;
            left = 0;
        } else {
            left = left - (max - min) - 1;
        }
        rc = pull_queue(c, mq->broker, mq->qid, min, max);
    }
    free(mqs);
    free(hashes);
    free(order);
    rmq_topic_route_destroy(route);
    return rc;
}

/* executeByCondition: one queue from `offset`. */
static int consume_queue(const consume_t *c, const char *broker, int qid, long long offset,
                         long long count, long long begin, long long end) {
    char errstr[1024];
    long long min, max;
    rmq_err_t err = queue_range(c, broker, qid, begin, end, &min, &max, errstr, sizeof errstr);
    if (err) {
        print_failure(c, err, errstr);
        return 1;
    }
    if (offset > max) {
        print_mq(c->topic, broker, qid);
        printf(" no matched msg, offset=%lld\n", offset);
        return 0;
    }
    min = min > offset ? min : offset;
    if (max - min > count) {
        printf("The oldler %lld message will be provided\n", count);
        max = min + count - 1;
    }
    return pull_queue(c, broker, qid, min, max);
}

/* ------------------------------------------------------------------ command */

static int bad_number(const cli_args_t *args, const char *s) {
    char e[256];
    snprintf(e, sizeof e, "For input string: \"%s\"", s);
    mqadmin_print_exception(args->cmd, true, false, RMQ_ERR__INVALID_ARG, e, NULL);
    return 1;
}

static int run_consume_message(const cli_args_t *args) {
    consume_t c = {.cmd = args->cmd, .group = cli_get(args, 'g'), .topic = cli_get(args, 't')};
    long long count = 128, offset = 0, begin = 0, end = 0;
    if (cli_has(args, 'c')) {
        if (!java_parse_long(cli_get(args, 'c'), &count))
            return bad_number(args, cli_get(args, 'c'));
        if (count <= 0) {
            printf("Please input a positive messageNumber!");
            return 0;
        }
    }
    const char *broker = cli_get(args, 'b');
    bool by_queue = false;
    if (cli_has(args, 'i')) {
        if (!broker) {
            printf("Please set the brokerName before queueId!");
            return 0;
        }
        by_queue = true;
    }
    if (cli_has(args, 'o')) {
        if (!by_queue) {
            printf("Please set queueId before offset!");
            return 0;
        }
        if (!java_parse_long(cli_get(args, 'o'), &offset))
            return bad_number(args, cli_get(args, 'o'));
    }
    struct timeval tv;
    gettimeofday(&tv, NULL);
    long long now = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
    if (cli_has(args, 's')) {
        if (!java_parse_timestamp(cli_get(args, 's'), &begin))
            return bad_number(args, cli_get(args, 's'));
        if (begin > now) {
            printf("Please set the beginTimestamp before now!");
            return 0;
        }
    }
    if (cli_has(args, 'e')) {
        if (!java_parse_timestamp(cli_get(args, 'e'), &end))
            return bad_number(args, cli_get(args, 'e'));
        if (end > now) {
            printf("Please set the endTimestamp before now!");
            return 0;
        }
        if (begin > end) {
            printf("Please make sure that the beginTimestamp is less than or equal to the "
                   "endTimestamp");
            return 0;
        }
    }
    long long qid = 0;
    if (by_queue && !java_parse_long(cli_get(args, 'i'), &qid))
        return bad_number(args, cli_get(args, 'i'));
    c.admin = cli_admin(args, NULL);
    if (!c.admin)
        return 1;
    int rc = by_queue ? consume_queue(&c, broker, (int)qid, offset, count, begin, end)
                      : consume_default(&c, count, begin, end);
    rmq_admin_destroy(c.admin);
    return rc;
}

const cli_cmd_t cmd_consume_message = {
    .name = "consumeMessage",
    .desc = "Consume message.",
    .java_class = "ConsumeMessageCommand",
    .opts = {{'t', "topic", true, true, "Topic name"},
             {'b', "brokerName", true, false, "Broker name"},
             {'i', "queueId", true, false, "Queue Id"},
             {'o', "offset", true, false, "Queue offset"},
             {'g', "consumerGroup", true, false, "Consumer group name"},
             /* Java's long names carry a trailing space. */
             {'s', "beginTimestamp ", true, false,
              "Begin timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]"},
             {'e', "endTimestamp ", true, false,
              "End timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]"},
             {'c', "MessageNumber", true, false, "Number of message to be consumed"}},
    .run = run_consume_message,
};
