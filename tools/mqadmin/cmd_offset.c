/*
 * mqadmin resetOffsetByTime (upstream command/offset/ResetOffsetByTimeCommand): moves a
 * consumer group's offsets of a topic to a time on every broker of the topic's route,
 * through the brokers (INVOKE_BROKER_TO_RESET_OFFSET), which tell the online clients.
 * When a broker answers CONSUMER_NOT_ONLINE the Java tool falls back on
 * ResetOffsetByTimeOldCommand's reset, done here the same way: on every broker of the
 * route, each queue of the topic in the group's consume stats (in the iteration order of
 * the HashMap they are decoded into), or, when it has none there, each readable queue
 * with the topic's stats; the offset at the time (SEARCH_OFFSET_BY_TIMESTAMP) is written
 * with UPDATE_CONSUMER_OFFSET unless it is ahead of the committed one and -f is false.
 * With -b and -q >= 0 one queue of one broker is reset: to -o, else to the offset at the
 * time, by UPDATE_CONSUMER_OFFSET and a per-queue INVOKE_BROKER_TO_RESET_OFFSET (as Java,
 * an offset of 0 is printed but not written).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

/* "now", milliseconds, or local "yyyy-MM-dd#HH:mm:ss:SSS"; false when none of these. */
static bool parse_timestamp(const char *s, long long *out) {
    if (strcmp(s, "now") == 0) {
        struct timeval tv;
        gettimeofday(&tv, NULL);
        *out = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
        return true;
    }
    return java_parse_timestamp(s, out);
}

/* -b with -q: DefaultMQAdminExt.searchOffset, then resetOffsetByQueueId. */
static int reset_one_queue(rmq_admin_t *admin, const cli_args_t *args, const char *group,
                           const char *topic, const char *ts_str, long long timestamp,
                           int queue_id) {
    const char *addr = cli_get(args, 'b');
    printf("start reset consumer offset by specified, group[%s], topic[%s], queueId[%d], "
           "broker[%s], timestamp(string)[%s], timestamp(long)[%lld]\n",
           group, topic, queue_id, addr, ts_str, timestamp);
    char errstr[1024];
    int64_t offset;
    rmq_err_t err = RMQ_ERR_NO_ERROR;
    if (cli_has(args, 'o'))
        offset = strtoll(cli_get(args, 'o'), NULL, 10);
    else
        err = rmq_admin_broker_search_offset(admin, addr, topic, queue_id, timestamp, &offset,
                                             errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, true, err, errstr, addr);
        return 1;
    }
    printf("reset consumer offset to %lld\n", (long long)offset);
    if (offset > 0) {
        err = rmq_admin_update_consumer_offset(admin, addr, group, topic, queue_id, offset, errstr,
                                               sizeof errstr);
        if (err) {
            mqadmin_print_exception(args->cmd, true, true, err, errstr, addr);
            return 1;
        }
        /* Java rethrows this one's MQClientException(code, remark) as MQBrokerException(
         * code, message): the client exception's whole message becomes the remark. */
        err = rmq_admin_reset_offset_by_queue(admin, addr, topic, group, queue_id, offset, errstr,
                                              sizeof errstr);
        if (err) {
            char msg[1200];
            snprintf(msg, sizeof msg, "CODE: %d  DESC: %s%s", (int)err, *errstr ? errstr : "null",
                     strstr(errstr, "\nSee ")
                         ? ""
                         : "\nFor more information, please visit the url, "
                           "https://rocketmq.apache.org/docs/bestPractice/06FAQ");
            mqadmin_print_exception(args->cmd, true, true, err, err > 0 ? msg : errstr, NULL);
            return 1;
        }
    }
    return 0;
}

/* One RollbackStats line. */
typedef struct {
    char broker[64];
    int qid;
    long long broker_offset, consumer_offset, timestamp_offset, rollback_offset;
} rollback_t;

/* DefaultMQAdminExtImpl.resetOffsetConsumeOffset. */
static rmq_err_t rollback_queue(rmq_admin_t *admin, const char *addr, const char *group,
                                const char *topic, const char *broker, int qid,
                                long long broker_offset, long long consumer_offset,
                                long long timestamp, bool force, rollback_t *out, char *errstr,
                                size_t errlen) {
    int64_t reset;
    rmq_err_t err = timestamp == -1
                        ? rmq_admin_max_offset(admin, broker, topic, qid, &reset, errstr, errlen)
                        : rmq_admin_broker_search_offset(admin, addr, topic, qid, timestamp, &reset,
                                                         errstr, errlen);
    if (err)
        return err;
    snprintf(out->broker, sizeof out->broker, "%.32s", broker);
    out->qid = qid;
    out->broker_offset = broker_offset;
    out->consumer_offset = consumer_offset;
    out->timestamp_offset = reset;
    out->rollback_offset = consumer_offset;
    if (force || reset <= consumer_offset) {
        out->rollback_offset = reset;
        err =
            rmq_admin_update_consumer_offset(admin, addr, group, topic, qid, reset, errstr, errlen);
    }
    return err;
}

/* DefaultMQAdminExtImpl.resetOffsetByTimestampOld for one broker; appends to *rows. */
static rmq_err_t rollback_broker(rmq_admin_t *admin, const char *addr, const rmq_queue_data_t *qd,
                                 const char *group, const char *topic, long long timestamp,
                                 bool force, rollback_t **rows, size_t *n, char *errstr,
                                 size_t errlen) {
    rmq_consume_stats_t *cs = NULL;
    rmq_err_t err = rmq_admin_consume_stats(admin, addr, group, NULL, &cs, errstr, errlen);
    if (err)
        return err;
    /* ConsumeStats.offsetTable is decoded into a HashMap. */
    size_t count = rmq_consume_stats_count(cs);
    int32_t *hashes = calloc(count ? count : 1, sizeof *hashes);
    size_t *order = calloc(count ? count : 1, sizeof *order);
    for (size_t i = 0; i < count; i++)
        hashes[i] = java_message_queue_hash(rmq_consume_stats_topic(cs, i),
                                            rmq_consume_stats_broker_name(cs, i),
                                            rmq_consume_stats_queue_id(cs, i));
    java_hash_order(hashes, count, 16, order);
    bool consumed = false;
    for (size_t k = 0; k < count && !err; k++) {
        size_t i = order[k];
        if (strcmp(rmq_consume_stats_topic(cs, i), topic) != 0)
            continue;
        consumed = true;
        *rows = realloc(*rows, (*n + 1) * sizeof **rows);
        err = rollback_queue(admin, addr, group, topic, rmq_consume_stats_broker_name(cs, i),
                             rmq_consume_stats_queue_id(cs, i),
                             rmq_consume_stats_broker_offset(cs, i),
                             rmq_consume_stats_consumer_offset(cs, i), timestamp, force,
                             &(*rows)[*n], errstr, errlen);
        if (!err)
            (*n)++;
    }
    free(hashes);
    free(order);
    rmq_consume_stats_destroy(cs);
    if (err || consumed || !qd)
        return err;
    rmq_topic_stats_t *ts = NULL;
    err = rmq_admin_topic_stats(admin, addr, topic, &ts, errstr, errlen);
    const char *bname = rmq_queue_data_broker_name(qd);
    for (int q = 0; !err && q < rmq_queue_data_read_queue_nums(qd); q++) {
        size_t j = 0;
        while (j < rmq_topic_stats_count(ts) && (rmq_topic_stats_queue_id(ts, j) != q ||
                                                 strcmp(rmq_topic_stats_broker_name(ts, j), bname)))
            j++;
        if (j == rmq_topic_stats_count(ts)) {
            /* Java: a NullPointerException on the missing queue. */
            snprintf(errstr, errlen, "java.lang.NullPointerException");
            err = RMQ_ERR__INVALID_ARG;
            break;
        }
        *rows = realloc(*rows, (*n + 1) * sizeof **rows);
        err = rollback_queue(admin, addr, group, topic, bname, q, rmq_topic_stats_max_offset(ts, j),
                             rmq_topic_stats_min_offset(ts, j), timestamp, force, &(*rows)[*n],
                             errstr, errlen);
        if (!err)
            (*n)++;
    }
    rmq_topic_stats_destroy(ts);
    return err;
}

/* ResetOffsetByTimeOldCommand.resetOffset. */
static int reset_old(rmq_admin_t *admin, const cli_args_t *args, const rmq_topic_route_t *route,
                     const char *group, const char *topic, const char *ts_str, long long timestamp,
                     bool force) {
    char errstr[1024];
    rollback_t *rows = NULL;
    size_t n = 0;
    rmq_err_t err = RMQ_ERR_NO_ERROR;
    for (size_t i = 0; i < rmq_topic_route_broker_count(route) && !err; i++) {
        const rmq_broker_data_t *bd = rmq_topic_route_broker(route, i);
        const char *addr = cli_select_broker_addr(bd);
        if (!addr)
            continue;
        const rmq_queue_data_t *qd = NULL; /* topicRouteMap.get(brokerName): the last one */
        for (size_t j = 0; j < rmq_topic_route_queue_data_count(route); j++)
            if (strcmp(rmq_queue_data_broker_name(rmq_topic_route_queue_data(route, j)),
                       rmq_broker_data_name(bd)) == 0)
                qd = rmq_topic_route_queue_data(route, j);
        err = rollback_broker(admin, addr, qd, group, topic, timestamp, force, &rows, &n, errstr,
                              sizeof errstr);
    }
    if (err) {
        mqadmin_print_exception(args->cmd, true, true, err, errstr, NULL);
        free(rows);
        return 1;
    }
    printf("reset consumer offset by specified consumerGroup[%s], topic[%s], force[%s], "
           "timestamp(string)[%s], timestamp(long)[%lld]\n",
           group, topic, force ? "true" : "false", ts_str, timestamp);
    printf("%-20s  %-20s  %-20s  %-20s  %-20s  %-20s\n", "#brokerName", "#queueId", "#brokerOffset",
           "#consumerOffset", "#timestampOffset", "#resetOffset");
    for (size_t i = 0; i < n; i++)
        printf("%-20s  %-20d  %-20lld  %-20lld  %-20lld  %-20lld\n", rows[i].broker, rows[i].qid,
               rows[i].broker_offset, rows[i].consumer_offset, rows[i].timestamp_offset,
               rows[i].rollback_offset);
    free(rows);
    return 0;
}

static int run_reset_offset_by_time(const cli_args_t *args) {
    const char *group = cli_get(args, 'g');
    const char *topic = cli_get(args, 't');
    const char *ts_str = cli_get(args, 's');
    long long timestamp;
    if (!parse_timestamp(ts_str, &timestamp)) {
        mqadmin_print_exception(args->cmd, true, false, RMQ_ERR__INVALID_ARG,
                                "cannot parse the timestamp", NULL);
        return 1;
    }
    bool force = !cli_has(args, 'f') || java_parse_bool(cli_get(args, 'f'));
    int queue_id = cli_has(args, 'q') ? atoi(cli_get(args, 'q')) : -1;
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    if (cli_has(args, 'b') && queue_id >= 0) {
        int rc = reset_one_queue(admin, args, group, topic, ts_str, timestamp, queue_id);
        rmq_admin_destroy(admin);
        return rc;
    }
    char errstr[1024];
    rmq_topic_route_t *route = NULL;
    rmq_err_t err = rmq_admin_topic_route(admin, topic, &route, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
        rmq_admin_destroy(admin);
        return 1;
    }
    size_t nb = rmq_topic_route_broker_count(route);
    rmq_offset_table_t **tables = calloc(nb ? nb : 1, sizeof *tables);
    int rc = 0;
    for (size_t i = 0; i < nb && !err; i++) {
        const char *addr = cli_select_broker_addr(rmq_topic_route_broker(route, i));
        if (!addr)
            continue;
        err = rmq_admin_reset_offset_by_time(admin, addr, topic, group, timestamp, force,
                                             &tables[i], errstr, sizeof errstr);
    }
    if (err == (rmq_err_t)206) {
        /* CONSUMER_NOT_ONLINE: ResetOffsetByTimeOldCommand's way. */
        rc = reset_old(admin, args, route, group, topic, ts_str, timestamp, force);
    } else if (err) {
        /* MQClientAPIImpl throws MQClientException(code, remark) here. */
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
        rc = 1;
    } else {
        printf("start reset consumer offset by specified, group[%s], topic[%s], force[%s], "
               "timestamp(string)[%s], timestamp(long)[%lld]\n",
               group, topic, force ? "true" : "false", ts_str, timestamp);
        printf("%-40s  %-40s  %-40s\n", "#brokerName", "#queueId", "#offset");
        for (size_t i = 0; i < nb; i++)
            for (size_t j = 0; j < rmq_offset_table_count(tables[i]); j++)
                printf("%-40.32s  %-40d  %-40lld\n", rmq_offset_table_broker_name(tables[i], j),
                       rmq_offset_table_queue_id(tables[i], j),
                       (long long)rmq_offset_table_offset(tables[i], j));
    }
    for (size_t i = 0; i < nb; i++)
        rmq_offset_table_destroy(tables[i]);
    free(tables);
    rmq_topic_route_destroy(route);
    rmq_admin_destroy(admin);
    return rc;
}

const cli_cmd_t cmd_reset_offset_by_time = {
    .name = "resetOffsetByTime",
    .desc = "Reset consumer offset by timestamp(without client restart).",
    .java_class = "ResetOffsetByTimeCommand",
    .opts = {{'g', "group", true, true, "set the consumer group"},
             {'t', "topic", true, true, "set the topic"},
             {'s', "timestamp", true, true,
              "set the timestamp[now|currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]"},
             {'f', "force", true, false,
              "set the force rollback by timestamp switch[true|false]. Deprecated."},
             {'b', "broker", true, false, "broker addr"},
             {'q', "queue", true, false, "queue id"},
             {'o', "offset", true, false, "Expect queue offset, not support old version broker"},
             {'c', "cluster", true, false,
              "Cluster name or lmq parent topic, lmq is used to find the route."}},
    .run = run_reset_offset_by_time,
};
