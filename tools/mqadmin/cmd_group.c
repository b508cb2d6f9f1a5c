/*
 * mqadmin's group and client commands: updateSubGroup, deleteSubGroup,
 * consumerConnection, producerConnection (upstream command/consumer, command/connection).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAQ_LINE                                                                                   \
    "For more information, please visit the url, "                                                 \
    "https://rocketmq.apache.org/docs/bestPractice/06FAQ"

/* ------------------------------------------------------------------ updateSubGroup */

/* SubscriptionGroupConfig.toString (Guava's toStringHelper); no newline, as the tool
 * prints it with "%s". */
static void print_sub_group(const rmq_admin_sub_group_config_t *sg) {
    printf("SubscriptionGroupConfig{groupName=%s, consumeEnable=%s, consumeFromMinEnable=%s, "
           "consumeBroadcastEnable=%s, consumeMessageOrderly=%s, retryQueueNums=%d, "
           "retryMaxTimes=%d, groupRetryPolicy=GroupRetryPolicy{type=CUSTOMIZED, "
           "exponentialRetryPolicy=null, customizedRetryPolicy=null}, brokerId=%lld, "
           "whichBrokerWhenConsumeSlowly=%lld, notifyConsumerIdsChangedEnable=%s, "
           "groupSysFlag=%d, consumeTimeoutMinute=%d, subscriptionDataSet=null, attributes={}}",
           sg->group, sg->consume_enable ? "true" : "false",
           sg->consume_from_min_enable ? "true" : "false",
           sg->consume_broadcast_enable ? "true" : "false",
           sg->consume_message_orderly ? "true" : "false", sg->retry_queue_nums,
           sg->retry_max_times, (long long)sg->broker_id,
           (long long)sg->which_broker_when_consume_slowly,
           sg->notify_consumer_ids_changed_enable ? "true" : "false", sg->group_sys_flag,
           sg->consume_timeout_minute);
}

static int run_update_sub_group(const cli_args_t *args) {
    rmq_admin_sub_group_config_t sg;
    rmq_admin_sub_group_config_init(&sg, cli_get(args, 'g'));
    sg.consume_broadcast_enable = 0;
    sg.consume_from_min_enable = 0;
    if (cli_has(args, 's'))
        sg.consume_enable = java_parse_bool(cli_get(args, 's'));
    if (cli_has(args, 'm'))
        sg.consume_from_min_enable = java_parse_bool(cli_get(args, 'm'));
    if (cli_has(args, 'd'))
        sg.consume_broadcast_enable = java_parse_bool(cli_get(args, 'd'));
    if (cli_has(args, 'o'))
        sg.consume_message_orderly = java_parse_bool(cli_get(args, 'o'));
    if (cli_has(args, 'q'))
        sg.retry_queue_nums = atoi(cli_get(args, 'q'));
    if (cli_has(args, 'r'))
        sg.retry_max_times = atoi(cli_get(args, 'r'));
    if (cli_has(args, 'p'))
        sg.group_retry_policy_json = cli_get(args, 'p');
    if (cli_has(args, 'i'))
        sg.broker_id = atoll(cli_get(args, 'i'));
    if (cli_has(args, 'w'))
        sg.which_broker_when_consume_slowly = atoll(cli_get(args, 'w'));
    if (cli_has(args, 'a'))
        sg.notify_consumer_ids_changed_enable = java_parse_bool(cli_get(args, 'a'));
    if (!cli_has(args, 'b') && !cli_has(args, 'c')) {
        cli_print_help(args->cmd);
        return 0;
    }
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char errstr[1024];
    int rc = 0;
    if (cli_has(args, 'b')) {
        const char *addr = cli_get(args, 'b');
        rmq_err_t err = rmq_admin_sub_group_create(admin, addr, &sg, errstr, sizeof errstr);
        if (err) {
            mqadmin_print_exception(args->cmd, true, true, err, errstr, addr);
            rc = 1;
        } else {
            printf("create subscription group to %s success.\n", addr);
            print_sub_group(&sg);
        }
    } else {
        rmq_cluster_info_t *ci = NULL;
        const char **masters = cli_master_addrs(admin, args->cmd, cli_get(args, 'c'), false, &ci);
        if (!masters)
            rc = 1;
        for (size_t i = 0; masters && masters[i]; i++) {
            rmq_err_t err =
                rmq_admin_sub_group_create(admin, masters[i], &sg, errstr, sizeof errstr);
            if (err) {
                mqadmin_print_exception(args->cmd, false, true, err, errstr, masters[i]);
                rc = 1;
            } else {
                printf("create subscription group to %s success.\n", masters[i]);
            }
        }
        if (masters)
            print_sub_group(&sg);
        free(masters);
        rmq_cluster_info_destroy(ci);
    }
    rmq_admin_destroy(admin);
    return rc;
}

const cli_cmd_t cmd_update_sub_group = {
    .name = "updateSubGroup",
    .desc = "Update or create subscription group.",
    .java_class = "UpdateSubGroupSubCommand",
    .opts = {{'b', "brokerAddr", true, false, "create subscription group to which broker"},
             {'c', "clusterName", true, false, "create subscription group to which cluster"},
             {'g', "groupName", true, true, "consumer group name"},
             {'s', "consumeEnable", true, false, "consume enable"},
             {'m', "consumeFromMinEnable", true, false, "from min offset"},
             {'d', "consumeBroadcastEnable", true, false, "broadcast"},
             {'o', "consumeMessageOrderly", true, false, "consume message orderly"},
             {'q', "retryQueueNums", true, false, "retry queue nums"},
             {'r', "retryMaxTimes", true, false, "retry max times"},
             {'p', "groupRetryPolicy", true, false,
              "the json string of retry policy ( exp: "
              "{\"type\":\"EXPONENTIAL\",\"exponentialRetryPolicy\":{\"initial\":5000,\"max\":"
              "7200000,\"multiplier\":2}} "
              "{\"type\":\"CUSTOMIZED\",\"customizedRetryPolicy\":{\"next\":[1000,5000,10000]}} "
              ")"},
             {'i', "brokerId", true, false, "consumer from which broker id"},
             {'w', "whichBrokerWhenConsumeSlowly", true, false,
              "which broker id when consume slowly"},
             {'a', "notifyConsumerIdsChanged", true, false, "notify consumerId changed"},
             {0, "attributes", true, false, "attribute(+a=b,+c=d,-e)"}},
    .run = run_update_sub_group,
};

/* ------------------------------------------------------------------ deleteSubGroup */

static int run_delete_sub_group(const cli_args_t *args) {
    const char *group = cli_get(args, 'g');
    bool clean = cli_has(args, 'r') && java_parse_bool(cli_get(args, 'r'));
    if (!cli_has(args, 'b') && !cli_has(args, 'c')) {
        cli_print_help(args->cmd);
        return 0;
    }
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char errstr[1024];
    int rc = 0;
    if (cli_has(args, 'b')) {
        const char *addr = cli_get(args, 'b');
        rmq_err_t err =
            rmq_admin_sub_group_delete(admin, addr, group, clean, errstr, sizeof errstr);
        if (err) {
            mqadmin_print_exception(args->cmd, true, true, err, errstr, addr);
            rc = 1;
        } else {
            printf("delete subscription group [%s] from broker [%s] success.\n", group, addr);
        }
    } else {
        const char *cluster = cli_get(args, 'c');
        rmq_cluster_info_t *ci = NULL;
        const char **masters = cli_master_addrs(admin, args->cmd, cluster, false, &ci);
        if (!masters)
            rc = 1;
        for (size_t i = 0; masters && masters[i] && !rc; i++) {
            rmq_err_t err =
                rmq_admin_sub_group_delete(admin, masters[i], group, clean, errstr, sizeof errstr);
            if (err) {
                mqadmin_print_exception(args->cmd, true, true, err, errstr, masters[i]);
                rc = 1;
            } else {
                printf("delete subscription group [%s] from broker [%s] in cluster [%s] "
                       "success.\n",
                       group, masters[i], cluster);
            }
        }
        free(masters);
        rmq_cluster_info_destroy(ci);
        if (!rc) {
            /* The group's retry and dead-letter topics go too (failures printed only). */
            char topic[512];
            snprintf(topic, sizeof topic, "%%RETRY%%%s", group);
            if (cli_delete_topic(admin, args->cmd, cluster, topic, false) == 0) {
                snprintf(topic, sizeof topic, "%%DLQ%%%s", group);
                cli_delete_topic(admin, args->cmd, cluster, topic, false);
            }
        }
    }
    rmq_admin_destroy(admin);
    return rc;
}

const cli_cmd_t cmd_delete_sub_group = {
    .name = "deleteSubGroup",
    .desc = "Delete subscription group from broker.",
    .java_class = "DeleteSubscriptionGroupCommand",
    .opts = {{'b', "brokerAddr", true, false, "delete subscription group from which broker"},
             {'c', "clusterName", true, false, "delete subscription group from which cluster"},
             {'g', "groupName", true, true, "subscription group name"},
             {'r', "removeOffset", true, false, "remove offset"}},
    .run = run_delete_sub_group,
};

/* ------------------------------------------------------------------ connections */

/* The broker address Java's examine*ConnectionInfo(group/topic) asks: a broker of the
 * topic's route (the first here; Java picks one at random), master first. NULL with the
 * exception printed on failure. */
static char *route_broker_addr(rmq_admin_t *admin, const cli_cmd_t *cmd, const char *topic) {
    char errstr[1024];
    rmq_topic_route_t *route = NULL;
    rmq_err_t err = rmq_admin_topic_route(admin, topic, &route, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(cmd, true, false, err, errstr, NULL);
        return NULL;
    }
    char *addr = NULL;
    if (rmq_topic_route_broker_count(route) > 0) {
        const char *a = cli_select_broker_addr(rmq_topic_route_broker(route, 0));
        addr = a ? strdup(a) : NULL;
    }
    rmq_topic_route_destroy(route);
    return addr;
}

static int run_consumer_connection(const cli_args_t *args) {
    const char *group = cli_get(args, 'g');
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char *addr = NULL;
    if (cli_has(args, 'b')) {
        addr = strdup(cli_get(args, 'b'));
    } else {
        char retry[512];
        snprintf(retry, sizeof retry, "%%RETRY%%%s", group);
        addr = route_broker_addr(admin, args->cmd, retry);
        if (!addr) {
            rmq_admin_destroy(admin);
            return 1;
        }
    }
    char errstr[1024];
    rmq_connections_t *cc = NULL;
    rmq_err_t err = rmq_admin_consumer_connections(admin, addr, group, &cc, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, true, err, errstr, addr);
    } else if (rmq_connections_count(cc) == 0) {
        /* MQClientException(CONSUMER_NOT_ONLINE, ...) */
        mqadmin_print_exception(args->cmd, true, false, (rmq_err_t)206,
                                "Not found the consumer group connection", NULL);
        err = RMQ_ERR__FAIL;
    } else {
        printf("%-36s %-22s %-10s %s\n", "#ClientId", "#ClientAddr", "#Language", "#Version");
        for (size_t i = 0; i < rmq_connections_count(cc); i++)
            printf("%-36s %-22s %-10s %s\n", rmq_connections_client_id(cc, i),
                   rmq_connections_client_addr(cc, i), rmq_connections_language(cc, i),
                   mq_version_desc(rmq_connections_version(cc, i)));
        printf("\nBelow is subscription:\n");
        printf("%-20s %s\n", "#Topic", "#SubExpression");
        for (size_t i = 0; i < rmq_connections_sub_count(cc); i++)
            printf("%-20s %s\n", rmq_connections_sub_topic(cc, i),
                   rmq_connections_sub_expression(cc, i));
        printf("\n");
        printf("ConsumeType: %s\n", rmq_connections_consume_type(cc));
        printf("MessageModel: %s\n", rmq_connections_message_model(cc));
        printf("ConsumeFromWhere: %s\n", rmq_connections_consume_from_where(cc));
    }
    rmq_connections_destroy(cc);
    free(addr);
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

const cli_cmd_t cmd_consumer_connection = {
    .name = "consumerConnection",
    .desc = "Query consumer's socket connection, client version and subscription.",
    .java_class = "ConsumerConnectionSubCommand",
    .opts = {{'g', "consumerGroup", true, true, "consumer group name"},
             {'b', "brokerAddr", true, false, "broker address"}},
    .run = run_consumer_connection,
};

static int run_producer_connection(const cli_args_t *args) {
    const char *group = cli_get(args, 'g');
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char *addr = route_broker_addr(admin, args->cmd, cli_get(args, 't'));
    if (!addr) {
        rmq_admin_destroy(admin);
        return 1;
    }
    char errstr[1024];
    rmq_connections_t *pc = NULL;
    rmq_err_t err = rmq_admin_producer_connections(admin, addr, group, &pc, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, true, err, errstr, addr);
    } else if (rmq_connections_count(pc) == 0) {
        fflush(stdout);
        fprintf(stderr,
                "org.apache.rocketmq.tools.command.SubCommandException: %s command failed\n"
                "Caused by: org.apache.rocketmq.client.exception.MQClientException: Not found the "
                "producer group connection\n" FAQ_LINE "\n",
                args->cmd->java_class);
        err = RMQ_ERR__FAIL;
    } else {
        for (size_t i = 0; i < rmq_connections_count(pc); i++)
            printf("%04zu  %-32s %-22s %-8s %s\n", i + 1, rmq_connections_client_id(pc, i),
                   rmq_connections_client_addr(pc, i), rmq_connections_language(pc, i),
                   mq_version_desc(rmq_connections_version(pc, i)));
    }
    rmq_connections_destroy(pc);
    free(addr);
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

const cli_cmd_t cmd_producer_connection = {
    .name = "producerConnection",
    .desc = "Query producer's socket connection and client version.",
    .java_class = "ProducerConnectionSubCommand",
    .opts = {{'g', "producerGroup", true, true, "producer group name"},
             {'t', "topic", true, true, "topic name"}},
    .run = run_producer_connection,
};
