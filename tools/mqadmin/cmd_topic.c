/*
 * mqadmin's topic commands topicRoute and topicList (upstream
 * command/topic/TopicRouteSubCommand, TopicListSubCommand; -c asks each topic's broker
 * for its consumer groups).
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ topicRoute */

#define ROUTE_FORMAT "%-45s %-32s %-50s %-10s %-11s %-5s\n"

static int cmp_qd(const void *a, const void *b) {
    return strcmp(rmq_queue_data_broker_name(*(const rmq_queue_data_t *const *)a),
                  rmq_queue_data_broker_name(*(const rmq_queue_data_t *const *)b));
}

static int cmp_bd(const void *a, const void *b) {
    return strcmp(rmq_broker_data_name(*(const rmq_broker_data_t *const *)a),
                  rmq_broker_data_name(*(const rmq_broker_data_t *const *)b));
}

/* The -l layout: one line per broker name (sorted), then totals. */
static void print_route_list(const rmq_topic_route_t *route) {
    size_t nq = rmq_topic_route_queue_data_count(route);
    size_t nb = rmq_topic_route_broker_count(route);
    const rmq_broker_data_t **bds = calloc(nb ? nb : 1, sizeof *bds);
    for (size_t i = 0; i < nb; i++)
        bds[i] = rmq_topic_route_broker(route, i);
    qsort(bds, nb, sizeof *bds, cmp_bd);
    const rmq_queue_data_t **qds = calloc(nq ? nq : 1, sizeof *qds);
    for (size_t i = 0; i < nq; i++)
        qds[i] = rmq_topic_route_queue_data(route, i);
    qsort(qds, nq, sizeof *qds, cmp_qd);
    /* Distinct broker names among the queue datas (Java's map.keySet().size()). */
    size_t distinct = 0;
    for (size_t i = 0; i < nq; i++)
        if (i == 0 ||
            strcmp(rmq_queue_data_broker_name(qds[i]), rmq_queue_data_broker_name(qds[i - 1])))
            distinct++;

    printf(ROUTE_FORMAT, "#ClusterName", "#BrokerName", "#BrokerAddrs", "#ReadQueue", "#WriteQueue",
           "#Perm");
    long total_read = 0, total_write = 0;
    for (size_t i = 0; i < nb; i++) {
        const char *name = rmq_broker_data_name(bds[i]);
        /* Java's HashMap keeps the last QueueData of a broker name. */
        const rmq_queue_data_t *qd = NULL;
        for (size_t j = 0; j < nq; j++)
            if (strcmp(rmq_queue_data_broker_name(rmq_topic_route_queue_data(route, j)), name) == 0)
                qd = rmq_topic_route_queue_data(route, j);
        if (!qd)
            continue; /* Java would throw a NullPointerException here */
        char addrs[2048];
        size_t len = (size_t)snprintf(addrs, sizeof addrs, "{");
        for (size_t k = 0; k < rmq_broker_data_addr_count(bds[i]) && len < sizeof addrs; k++)
            len += (size_t)snprintf(addrs + len, sizeof addrs - len, "%s%lld=%s", k ? ", " : "",
                                    (long long)rmq_broker_data_addr_id(bds[i], k),
                                    rmq_broker_data_addr(bds[i], k));
        if (len < sizeof addrs)
            snprintf(addrs + len, sizeof addrs - len, "}");
        char rq[16], wq[16], perm[16];
        snprintf(rq, sizeof rq, "%d", rmq_queue_data_read_queue_nums(qd));
        snprintf(wq, sizeof wq, "%d", rmq_queue_data_write_queue_nums(qd));
        snprintf(perm, sizeof perm, "%d", rmq_queue_data_perm(qd));
        total_read += rmq_queue_data_read_queue_nums(qd);
        total_write += rmq_queue_data_write_queue_nums(qd);
        printf(ROUTE_FORMAT, rmq_broker_data_cluster(bds[i]), name, addrs, rq, wq, perm);
    }
    for (int i = 0; i < 158; i++)
        putchar('-');
    putchar('\n');
    char nbuf[24], rbuf[24], wbuf[24];
    snprintf(nbuf, sizeof nbuf, "%zu", distinct);
    snprintf(rbuf, sizeof rbuf, "%ld", total_read);
    snprintf(wbuf, sizeof wbuf, "%ld", total_write);
    printf(ROUTE_FORMAT, "Total:", nbuf, "", rbuf, wbuf, "");
    free(bds);
    free(qds);
}

static int run_topic_route(const cli_args_t *args) {
    const char *topic = cli_get(args, 't');
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char errstr[1024];
    rmq_topic_route_t *route = NULL;
    rmq_err_t err = rmq_admin_topic_route(admin, topic, &route, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
    } else if (cli_has(args, 'l')) {
        print_route_list(route);
    } else {
        char *json = rmq_topic_route_to_json(route, RMQ_JSON_PRETTY);
        printf("%s\n", json ? json : "null");
        rmq_mem_free(json);
    }
    rmq_topic_route_destroy(route);
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

const cli_cmd_t cmd_topic_route = {
    .name = "topicRoute",
    .desc = "Examine topic route info.",
    .java_class = "TopicRouteSubCommand",
    .opts = {{'t', "topic", true, true, "topic name"},
             {'l', "list", false, false, "Use list format to print data"}},
    .run = run_topic_route,
};

/* ------------------------------------------------------------------ topicList */

/* TopicListSubCommand.findTopicBelongToWhichCluster: the cluster holding the first
 * broker of the topic's route; NULL when none does; *failed when the route fails. */
static const char *topic_cluster(rmq_admin_t *admin, const rmq_cluster_info_t *ci,
                                 const rmq_topic_route_t *route) {
    if (rmq_topic_route_broker_count(route) == 0)
        return NULL;
    const char *bname = rmq_broker_data_name(rmq_topic_route_broker(route, 0));
    for (size_t i = 0; i < rmq_cluster_info_cluster_count(ci); i++)
        for (size_t j = 0; j < rmq_cluster_info_cluster_broker_count(ci, i); j++)
            if (strcmp(rmq_cluster_info_cluster_broker(ci, i, j), bname) == 0)
                return rmq_cluster_info_cluster_name(ci, i);
    return NULL;
}

/* topicList -c: cluster, topic and each consumer group of every topic but the retry and
 * dead-letter ones. */
static rmq_err_t print_topic_consumers(rmq_admin_t *admin, const cli_cmd_t *cmd,
                                       const rmq_strlist_t *topics) {
    char errstr[1024];
    rmq_cluster_info_t *ci = NULL;
    rmq_err_t err = rmq_admin_cluster_info(admin, &ci, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(cmd, true, false, err, errstr, NULL);
        return err;
    }
    printf("%-20s  %-48s  %-48s\n", "#Cluster Name", "#Topic", "#Consumer Group");
    for (size_t t = 0; t < rmq_strlist_count(topics); t++) {
        const char *topic = rmq_strlist_get(topics, t);
        if (strncmp(topic, "%RETRY%", 7) == 0 || strncmp(topic, "%DLQ%", 5) == 0)
            continue;
        const char *cluster = "";
        rmq_strlist_t *groups = NULL;
        rmq_topic_route_t *route = NULL;
        if (rmq_admin_topic_route(admin, topic, &route, errstr, sizeof errstr) == 0 &&
            rmq_topic_route_broker_count(route) > 0) {
            cluster = topic_cluster(admin, ci, route);
            if (!cluster)
                cluster = "null"; /* Java prints the null it returns */
            /* DefaultMQAdminExt.queryTopicConsumeByWho: the first broker with an address. */
            for (size_t i = 0; i < rmq_topic_route_broker_count(route); i++) {
                const char *addr = cli_select_broker_addr(rmq_topic_route_broker(route, i));
                if (!addr)
                    continue;
                if (rmq_admin_topic_consumers(admin, addr, topic, &groups, errstr, sizeof errstr) !=
                    0)
                    groups = NULL;
                break;
            }
        }
        if (rmq_strlist_count(groups) == 0) {
            printf("%-20.20s  %-64.64s  %-64s\n", cluster, topic, "");
        } else {
            for (size_t g = 0; g < rmq_strlist_count(groups); g++)
                printf("%-20.20s  %-64.64s  %-64.64s\n", cluster, topic,
                       rmq_strlist_get(groups, g));
        }
        rmq_strlist_destroy(groups);
        rmq_topic_route_destroy(route);
    }
    rmq_cluster_info_destroy(ci);
    return RMQ_ERR_NO_ERROR;
}

static int run_topic_list(const cli_args_t *args) {
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char errstr[1024];
    rmq_strlist_t *topics = NULL;
    rmq_err_t err = rmq_admin_topic_list(admin, &topics, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
    } else if (cli_has(args, 'c')) {
        err = print_topic_consumers(admin, args->cmd, topics);
    } else {
        for (size_t i = 0; i < rmq_strlist_count(topics); i++)
            printf("%s\n", rmq_strlist_get(topics, i));
    }
    rmq_strlist_destroy(topics);
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

const cli_cmd_t cmd_topic_list = {
    .name = "topicList",
    .desc = "Fetch all topic list from name server.",
    .java_class = "TopicListSubCommand",
    .opts = {{'c', "clusterModel", false, false, "clusterModel"}},
    .run = run_topic_list,
};
