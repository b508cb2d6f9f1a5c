/*
 * mqadmin's topic and broker commands that talk to brokers: updateTopic, deleteTopic,
 * topicStatus, brokerStatus, getBrokerConfig, updateBrokerConfig (upstream
 * command/topic, command/broker).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ------------------------------------------------------------------ shared */

/* Java's Boolean.parseBoolean. */
bool java_parse_bool(const char *s) {
    return s && strcasecmp(s, "true") == 0;
}

/* CommandUtil.fetchMasterAddrByClusterName: master addresses of the cluster's brokers
 * (a NULL-terminated array to free with free(); the strings are borrowed from *ci,
 * which the caller destroys). NULL on failure (exception printed). An unknown cluster
 * prints the tool's "[error]" line and gives an empty list. */
const char **cli_master_addrs(rmq_admin_t *admin, const cli_cmd_t *cmd, const char *cluster,
                              bool with_slaves, rmq_cluster_info_t **ci) {
    char errstr[1024];
    rmq_err_t err = rmq_admin_cluster_info(admin, ci, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(cmd, true, false, err, errstr, NULL);
        return NULL;
    }
    size_t nb = rmq_cluster_info_broker_count(*ci);
    const char **out = calloc(nb * 8 + 1, sizeof *out);
    size_t n = 0;
    size_t idx = rmq_cluster_info_cluster_count(*ci);
    for (size_t i = 0; i < rmq_cluster_info_cluster_count(*ci); i++)
        if (strcmp(rmq_cluster_info_cluster_name(*ci, i), cluster) == 0)
            idx = i;
    if (idx == rmq_cluster_info_cluster_count(*ci)) {
        printf("[error] %s",
               "Make sure the specified clusterName exists or the name server connected to is "
               "correct.");
        return out;
    }
    for (size_t j = 0; j < rmq_cluster_info_cluster_broker_count(*ci, idx); j++) {
        const rmq_broker_data_t *bd =
            rmq_cluster_info_find_broker(*ci, rmq_cluster_info_cluster_broker(*ci, idx, j));
        if (!bd)
            continue;
        for (size_t k = 0; k < rmq_broker_data_addr_count(bd) && n < nb * 8; k++)
            if (with_slaves || rmq_broker_data_addr_id(bd, k) == 0)
                out[n++] = rmq_broker_data_addr(bd, k);
    }
    return out;
}

/* BrokerData.selectBrokerAddr: the master, else the first slave. */
const char *cli_select_broker_addr(const rmq_broker_data_t *bd) {
    const char *m = rmq_broker_data_addr_by_id(bd, 0);
    if (m)
        return m;
    return rmq_broker_data_addr_count(bd) ? rmq_broker_data_addr(bd, 0) : NULL;
}

/* UtilAll.timeMillisToHumanString2: local "yyyy-MM-dd HH:mm:ss,SSS". */
void java_time_human2(char *out, size_t outlen, long long ms) {
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    snprintf(out, outlen, "%04d-%02d-%02d %02d:%02d:%02d,%03d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/* ------------------------------------------------------------------ updateTopic */

/* PermName.perm2String. */
static const char *perm_string(int perm, char buf[4]) {
    buf[0] = perm & RMQ_PERM_READ ? 'R' : '-';
    buf[1] = perm & RMQ_PERM_WRITE ? 'W' : '-';
    buf[2] = perm & RMQ_PERM_INHERIT ? 'X' : '-';
    buf[3] = '\0';
    return buf;
}

static void print_topic_config(const rmq_admin_topic_config_t *tc) {
    char perm[4];
    printf("TopicConfig [topicName=%s, readQueueNums=%d, writeQueueNums=%d, perm=%s, "
           "topicFilterType=SINGLE_TAG, topicSysFlag=%d, order=%s, attributes={%s}]\n",
           tc->topic, tc->read_queue_nums, tc->write_queue_nums, perm_string(tc->perm, perm),
           tc->topic_sys_flag, tc->order ? "true" : "false", tc->attributes ? tc->attributes : "");
}

static int run_update_topic(const cli_args_t *args) {
    rmq_admin_topic_config_t tc;
    rmq_admin_topic_config_init(&tc, cli_get(args, 't'));
    if (cli_has(args, 'r'))
        tc.read_queue_nums = atoi(cli_get(args, 'r'));
    if (cli_has(args, 'w'))
        tc.write_queue_nums = atoi(cli_get(args, 'w'));
    if (cli_has(args, 'p'))
        tc.perm = atoi(cli_get(args, 'p'));
    bool unit = cli_has(args, 'u') && java_parse_bool(cli_get(args, 'u'));
    bool center_sync = cli_has(args, 's') && java_parse_bool(cli_get(args, 's'));
    tc.topic_sys_flag = (unit ? 1 : 0) | (center_sync ? 2 : 0); /* TopicSysFlag.buildSysFlag */
    tc.order = cli_has(args, 'o') && java_parse_bool(cli_get(args, 'o'));
    if (cli_has(args, 'a'))
        tc.attributes = cli_get(args, 'a');
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char errstr[1024];
    rmq_err_t err = RMQ_ERR_NO_ERROR;
    if (cli_has(args, 'b')) {
        const char *addr = cli_get(args, 'b');
        err = rmq_admin_topic_create(admin, addr, &tc, errstr, sizeof errstr);
        if (err) {
            mqadmin_print_exception(args->cmd, true, true, err, errstr, addr);
        } else {
            printf("create topic to %s success.\n", addr);
            print_topic_config(&tc);
        }
    } else {
        rmq_cluster_info_t *ci = NULL;
        const char **masters = cli_master_addrs(admin, args->cmd, cli_get(args, 'c'), false, &ci);
        if (!masters) {
            err = RMQ_ERR__FAIL;
        } else {
            for (size_t i = 0; masters[i] && !err; i++) {
                err = rmq_admin_topic_create(admin, masters[i], &tc, errstr, sizeof errstr);
                if (err)
                    mqadmin_print_exception(args->cmd, true, true, err, errstr, masters[i]);
                else
                    printf("create topic to %s success.\n", masters[i]);
            }
            if (!err)
                print_topic_config(&tc);
        }
        free(masters);
        rmq_cluster_info_destroy(ci);
    }
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

const cli_cmd_t cmd_update_topic = {
    .name = "updateTopic",
    .desc = "Update or create topic.",
    .java_class = "UpdateTopicSubCommand",
    .opts = {{'b', "brokerAddr", true, false, "create topic to which broker", 1},
             {'c', "clusterName", true, false, "create topic to which cluster", 1},
             {'a', "attributes", true, false, "attribute(+a=b,+c=d,-e)"},
             {'t', "topic", true, true, "topic name"},
             {'r', "readQueueNums", true, false, "set read queue nums"},
             {'w', "writeQueueNums", true, false, "set write queue nums"},
             {'p', "perm", true, false, "set topic's permission(2|4|6), intro[2:W 4:R; 6:RW]"},
             {'o', "order", true, false, "set topic's order(true|false)"},
             {'u', "unit", true, false, "is unit topic (true|false)"},
             {'s', "hasUnitSub", true, false, "has unit sub (true|false)"}},
    .run = run_update_topic,
};

/* ------------------------------------------------------------------ deleteTopic */

/* DeleteTopicSubCommand.deleteTopic: every master of the cluster, then every
 * NameServer. */
int cli_delete_topic(rmq_admin_t *admin, const cli_cmd_t *cmd, const char *cluster,
                     const char *topic, bool print) {
    char errstr[1024];
    rmq_cluster_info_t *ci = NULL;
    const char **masters = cli_master_addrs(admin, cmd, cluster, false, &ci);
    if (!masters)
        return 1;
    rmq_err_t err = RMQ_ERR_NO_ERROR;
    for (size_t i = 0; masters[i] && !err; i++) {
        err = rmq_admin_topic_delete_in_broker(admin, masters[i], topic, errstr, sizeof errstr);
        if (err)
            mqadmin_print_exception(cmd, true, true, err, errstr, masters[i]);
    }
    free(masters);
    rmq_cluster_info_destroy(ci);
    if (err)
        return 1;
    if (print)
        printf("delete topic [%s] from cluster [%s] success.\n", topic, cluster);
    err = rmq_admin_topic_delete_in_namesrv(admin, NULL, cluster, topic, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(cmd, true, false, err, errstr, NULL);
        return 1;
    }
    if (print)
        printf("delete topic [%s] from NameServer success.\n", topic);
    return 0;
}

static int run_delete_topic(const cli_args_t *args) {
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    int rc = cli_delete_topic(admin, args->cmd, cli_get(args, 'c'), cli_get(args, 't'), true);
    rmq_admin_destroy(admin);
    return rc;
}

const cli_cmd_t cmd_delete_topic = {
    .name = "deleteTopic",
    .desc = "Delete topic from broker and NameServer.",
    .java_class = "DeleteTopicSubCommand",
    .opts = {{'t', "topic", true, true, "topic name"},
             {'c', "clusterName", true, true, "delete topic from which cluster"}},
    .run = run_delete_topic,
};

/* ------------------------------------------------------------------ topicStatus */

typedef struct {
    const rmq_topic_stats_t *ts;
    size_t i;
} stat_ref_t;

/* MessageQueue.compareTo: topic, broker name, queue id. */
static int cmp_stat(const void *a, const void *b) {
    const stat_ref_t *x = a, *y = b;
    int c = strcmp(rmq_topic_stats_topic(x->ts, x->i), rmq_topic_stats_topic(y->ts, y->i));
    if (c)
        return c;
    c = strcmp(rmq_topic_stats_broker_name(x->ts, x->i), rmq_topic_stats_broker_name(y->ts, y->i));
    if (c)
        return c;
    return rmq_topic_stats_queue_id(x->ts, x->i) - rmq_topic_stats_queue_id(y->ts, y->i);
}

static int run_topic_status(const cli_args_t *args) {
    const char *topic = cli_get(args, 't');
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char errstr[1024];
    /* Route of the topic (or of -c, as the Java tool does), then each broker's stats. */
    rmq_topic_route_t *route = NULL;
    rmq_err_t err = rmq_admin_topic_route(admin, cli_has(args, 'c') ? cli_get(args, 'c') : topic,
                                          &route, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
        rmq_admin_destroy(admin);
        return 1;
    }
    size_t nb = rmq_topic_route_broker_count(route);
    rmq_topic_stats_t **stats = calloc(nb ? nb : 1, sizeof *stats);
    size_t total = 0;
    for (size_t i = 0; i < nb && !err; i++) {
        const char *addr = cli_select_broker_addr(rmq_topic_route_broker(route, i));
        if (!addr)
            continue;
        err = rmq_admin_topic_stats(admin, addr, topic, &stats[i], errstr, sizeof errstr);
        if (err)
            mqadmin_print_exception(args->cmd, true, true, err, errstr, addr);
        else
            total += rmq_topic_stats_count(stats[i]);
    }
    if (!err && total == 0 && !cli_has(args, 'c')) {
        fflush(stdout);
        fprintf(stderr,
                "org.apache.rocketmq.tools.command.SubCommandException: TopicStatusSubCommand "
                "command failed\nCaused by: org.apache.rocketmq.client.exception."
                "MQClientException: Not found the topic stats info\nFor more information, please "
                "visit the url, https://rocketmq.apache.org/docs/bestPractice/06FAQ\n");
        err = RMQ_ERR__FAIL;
    }
    if (!err) {
        stat_ref_t *refs = calloc(total ? total : 1, sizeof *refs);
        size_t n = 0;
        for (size_t i = 0; i < nb; i++)
            for (size_t j = 0; j < rmq_topic_stats_count(stats[i]); j++)
                refs[n++] = (stat_ref_t){stats[i], j};
        qsort(refs, n, sizeof *refs, cmp_stat);
        printf("%-32s  %-4s  %-20s  %-20s    %s\n", "#Broker Name", "#QID", "#Min Offset",
               "#Max Offset", "#Last Updated");
        for (size_t k = 0; k < n; k++) {
            const rmq_topic_stats_t *ts = refs[k].ts;
            size_t i = refs[k].i;
            char human[64] = "";
            if (rmq_topic_stats_last_update(ts, i) > 0)
                java_time_human2(human, sizeof human,
                                 (long long)rmq_topic_stats_last_update(ts, i));
            printf("%-32.32s  %-4d  %-20lld  %-20lld    %s\n", rmq_topic_stats_broker_name(ts, i),
                   rmq_topic_stats_queue_id(ts, i), (long long)rmq_topic_stats_min_offset(ts, i),
                   (long long)rmq_topic_stats_max_offset(ts, i), human);
        }
        /* The Java tool merges only the brokers' offset tables into a new table: its
         * put TPS is always the default 0.0. */
        printf("\nTopic Put TPS: 0.0\n");
        free(refs);
    }
    for (size_t i = 0; i < nb; i++)
        rmq_topic_stats_destroy(stats[i]);
    free(stats);
    rmq_topic_route_destroy(route);
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

const cli_cmd_t cmd_topic_status = {
    .name = "topicStatus",
    .desc = "Examine topic Status info.",
    .java_class = "TopicStatusSubCommand",
    .opts = {{'t', "topic", true, true, "topic name"},
             {'c', "cluster", true, false,
              "cluster name or lmq parent topic, lmq is used to find the route."}},
    .run = run_topic_status,
};

/* ------------------------------------------------------------------ brokerStatus */

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int print_broker_stats(rmq_admin_t *admin, const cli_cmd_t *cmd, const char *addr,
                              bool print_broker) {
    char errstr[1024];
    rmq_kvlist_t *kv = NULL;
    rmq_err_t err = rmq_admin_broker_runtime_info(admin, addr, &kv, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(cmd, !print_broker, true, err, errstr, addr);
        return 1;
    }
    size_t n = rmq_kvlist_count(kv);
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    for (size_t i = 0; i < n; i++)
        keys[i] = rmq_kvlist_key(kv, i);
    qsort(keys, n, sizeof *keys, cmp_str); /* TreeMap order */
    for (size_t i = 0; i < n; i++) {
        if (print_broker)
            printf("%-24s %-32s: %s\n", addr, keys[i], rmq_kvlist_get(kv, keys[i]));
        else
            printf("%-32s: %s\n", keys[i], rmq_kvlist_get(kv, keys[i]));
    }
    free(keys);
    rmq_kvlist_destroy(kv);
    return 0;
}

static int run_broker_status(const cli_args_t *args) {
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    int rc = 0;
    if (cli_has(args, 'b')) {
        rc = print_broker_stats(admin, args->cmd, cli_get(args, 'b'), false);
    } else {
        rmq_cluster_info_t *ci = NULL;
        const char **addrs = cli_master_addrs(admin, args->cmd, cli_get(args, 'c'), true, &ci);
        if (!addrs)
            rc = 1;
        for (size_t i = 0; addrs && addrs[i]; i++)
            rc |= print_broker_stats(admin, args->cmd, addrs[i], true);
        free(addrs);
        rmq_cluster_info_destroy(ci);
    }
    rmq_admin_destroy(admin);
    return rc;
}

const cli_cmd_t cmd_broker_status = {
    .name = "brokerStatus",
    .desc = "Fetch broker runtime status data.",
    .java_class = "BrokerStatusSubCommand",
    .opts = {{'b', "brokerAddr", true, false, "Broker address", 1},
             {'c', "clusterName", true, false, "which cluster", 1}},
    .run = run_broker_status,
};

/* ------------------------------------------------------------------ getBrokerConfig */

static int get_and_print(rmq_admin_t *admin, const cli_cmd_t *cmd, const char *prefix,
                         const char *addr) {
    printf("%s", prefix);
    char errstr[1024];
    rmq_kvlist_t *kv = NULL;
    rmq_err_t err = rmq_admin_broker_config_get(admin, addr, &kv, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(cmd, true, true, err, errstr, addr);
        return 1;
    }
    for (size_t i = 0; i < rmq_kvlist_count(kv); i++)
        printf("%-50s=  %s\n", rmq_kvlist_key(kv, i), rmq_kvlist_value(kv, i));
    printf("\n");
    rmq_kvlist_destroy(kv);
    return 0;
}

static int run_get_broker_config(const cli_args_t *args) {
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    int rc = 0;
    char prefix[512];
    if (cli_has(args, 'b')) {
        snprintf(prefix, sizeof prefix, "============%s============\n", cli_get(args, 'b'));
        rc = get_and_print(admin, args->cmd, prefix, cli_get(args, 'b'));
    } else if (cli_has(args, 'c')) {
        rmq_cluster_info_t *ci = NULL;
        const char **addrs = cli_master_addrs(admin, args->cmd, cli_get(args, 'c'), false, &ci);
        if (!addrs)
            rc = 1;
        for (size_t i = 0; addrs && addrs[i] && !rc; i++) {
            snprintf(prefix, sizeof prefix, "============Master: %s============\n", addrs[i]);
            rc = get_and_print(admin, args->cmd, prefix, addrs[i]);
        }
        free(addrs);
        rmq_cluster_info_destroy(ci);
    }
    rmq_admin_destroy(admin);
    return rc;
}

const cli_cmd_t cmd_get_broker_config = {
    .name = "getBrokerConfig",
    .desc = "Get broker config by cluster or special broker.",
    .java_class = "GetBrokerConfigCommand",
    .opts = {{'b', "brokerAddr", true, false, "get which broker"},
             {'c', "clusterName", true, false, "get which cluster"}},
    .run = run_get_broker_config,
};

/* ------------------------------------------------------------------ updateBrokerConfig */

static int run_update_broker_config(const cli_args_t *args) {
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    rmq_kvlist_t *props = rmq_kvlist_new();
    rmq_kvlist_set(props, cli_get(args, 'k'), cli_get(args, 'v'));
    char errstr[1024];
    int rc = 0;
    if (cli_has(args, 'b')) {
        const char *addr = cli_get(args, 'b');
        rmq_err_t err = rmq_admin_broker_config_update(admin, addr, props, errstr, sizeof errstr);
        if (err) {
            mqadmin_print_exception(args->cmd, true, true, err, errstr, addr);
            rc = 1;
        } else {
            printf("update broker config success, %s\n", addr);
        }
    } else if (cli_has(args, 'c')) {
        rmq_cluster_info_t *ci = NULL;
        const char **addrs =
            cli_master_addrs(admin, args->cmd, cli_get(args, 'c'), cli_has(args, 'a'), &ci);
        if (!addrs)
            rc = 1;
        for (size_t i = 0; addrs && addrs[i]; i++) {
            rmq_err_t err =
                rmq_admin_broker_config_update(admin, addrs[i], props, errstr, sizeof errstr);
            if (err) {
                mqadmin_print_exception(args->cmd, false, true, err, errstr, addrs[i]);
                rc = 1;
            } else {
                printf("update broker config success, %s\n", addrs[i]);
            }
        }
        free(addrs);
        rmq_cluster_info_destroy(ci);
    } else {
        cli_print_help(args->cmd);
    }
    rmq_kvlist_destroy(props);
    rmq_admin_destroy(admin);
    return rc;
}

const cli_cmd_t cmd_update_broker_config = {
    .name = "updateBrokerConfig",
    .desc = "Update broker's config.",
    .java_class = "UpdateBrokerConfigSubCommand",
    .opts = {{'b', "brokerAddr", true, false, "update which broker"},
             {'c', "clusterName", true, false, "update which cluster"},
             {'a', "updateAllBroker", true, false, "update all brokers include slave"},
             {'k', "key", true, true, "config key"},
             {'v', "value", true, true, "config value"}},
    .run = run_update_broker_config,
};
