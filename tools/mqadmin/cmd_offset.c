/*
 * mqadmin resetOffsetByTime (upstream command/offset/ResetOffsetByTimeCommand): moves a
 * consumer group's offsets of a topic to a time on every broker of the topic's route,
 * through the brokers (INVOKE_BROKER_TO_RESET_OFFSET), which tell the online clients.
 * Not supported yet: -b with -q (one queue, SEARCH_OFFSET_BY_TIMESTAMP) and the old
 * client-side reset the Java tool falls back to when the group is not online.
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
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s && *end == '\0') {
        *out = v;
        return true;
    }
    struct tm tm = {0};
    int ms = 0;
    if (sscanf(s, "%d-%d-%d#%d:%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &ms) != 7)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    *out = (long long)mktime(&tm) * 1000 + ms;
    return true;
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
    if (cli_has(args, 'b') && cli_has(args, 'q')) {
        fprintf(stderr, "resetOffsetByTime -b with -q is not supported yet\n");
        return 1;
    }
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
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
    for (size_t i = 0; i < nb && !err; i++) {
        const char *addr = cli_select_broker_addr(rmq_topic_route_broker(route, i));
        if (!addr)
            continue;
        err = rmq_admin_reset_offset_by_time(admin, addr, topic, group, timestamp, force,
                                             &tables[i], errstr, sizeof errstr);
        if (err == (rmq_err_t)206) {
            fprintf(stderr, "resetOffsetByTime for a group not online is not supported yet\n");
        } else if (err) {
            /* MQClientAPIImpl throws MQClientException(code, remark) here. */
            mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
        }
    }
    if (!err) {
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
    return err ? 1 : 0;
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
