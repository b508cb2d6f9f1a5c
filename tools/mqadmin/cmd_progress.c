/*
 * mqadmin consumerProgress (upstream command/consumer/ConsumerProgressSubCommand): with
 * -g, a group's per-queue progress merged from every broker of its retry topic's route
 * (DefaultMQAdminExtImpl.examineConsumeStats); without, one line per consumer group
 * found as a %RETRY% topic on the NameServer. -g with -s true adds each queue's client
 * (the IP part of its client id): every connected client of the group is asked for its
 * running information through the broker (GET_CONSUMER_RUNNING_INFO) and its mqTable's
 * queues are its; a failure leaves the rest "N/A", as Java only logs it.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define RETRY_PREFIX "%RETRY%"

typedef struct {
    const rmq_consume_stats_t *cs;
    size_t i;
} cs_ref_t;

typedef struct {
    rmq_consume_stats_t **stats;
    size_t nstats;
    cs_ref_t *refs;
    size_t nrefs;
    double tps;
} progress_t;

static void progress_close(progress_t *p) {
    for (size_t i = 0; i < p->nstats; i++)
        rmq_consume_stats_destroy(p->stats[i]);
    free(p->stats);
    free(p->refs);
    memset(p, 0, sizeof *p);
}

/* MessageQueue.compareTo. */
static int cmp_ref(const void *a, const void *b) {
    const cs_ref_t *x = a, *y = b;
    int c = strcmp(rmq_consume_stats_topic(x->cs, x->i), rmq_consume_stats_topic(y->cs, y->i));
    if (c)
        return c;
    c = strcmp(rmq_consume_stats_broker_name(x->cs, x->i),
               rmq_consume_stats_broker_name(y->cs, y->i));
    if (c)
        return c;
    return rmq_consume_stats_queue_id(x->cs, x->i) - rmq_consume_stats_queue_id(y->cs, y->i);
}

/* examineConsumeStats(group, topic): route of %RETRY%group (else of the topic), every
 * broker's stats; the queues sorted. Prints the exception (wrapped) and returns
 * non-zero on failure when `print`. */
static rmq_err_t examine(rmq_admin_t *admin, const cli_cmd_t *cmd, const char *group,
                         const char *topic, progress_t *p, bool print) {
    memset(p, 0, sizeof *p);
    char errstr[1024], retry[512];
    snprintf(retry, sizeof retry, "%s%s", RETRY_PREFIX, group);
    rmq_topic_route_t *route = NULL;
    rmq_err_t err = rmq_admin_topic_route(admin, retry, &route, errstr, sizeof errstr);
    if (err && topic)
        err = rmq_admin_topic_route(admin, topic, &route, errstr, sizeof errstr);
    if (err) {
        if (print)
            mqadmin_print_exception(cmd, true, false, err, errstr, NULL);
        return err;
    }
    size_t nb = rmq_topic_route_broker_count(route);
    p->stats = calloc(nb ? nb : 1, sizeof *p->stats);
    size_t total = 0;
    for (size_t i = 0; i < nb; i++) {
        const char *addr = cli_select_broker_addr(rmq_topic_route_broker(route, i));
        if (!addr)
            continue;
        err = rmq_admin_consume_stats(admin, addr, group, topic, &p->stats[p->nstats], errstr,
                                      sizeof errstr);
        if (err) {
            if (print)
                mqadmin_print_exception(cmd, true, true, err, errstr, addr);
            rmq_topic_route_destroy(route);
            return err;
        }
        p->tps += rmq_consume_stats_consume_tps(p->stats[p->nstats]);
        total += rmq_consume_stats_count(p->stats[p->nstats]);
        p->nstats++;
    }
    rmq_topic_route_destroy(route);
    p->refs = calloc(total ? total : 1, sizeof *p->refs);
    for (size_t i = 0; i < p->nstats; i++)
        for (size_t j = 0; j < rmq_consume_stats_count(p->stats[i]); j++)
            p->refs[p->nrefs++] = (cs_ref_t){p->stats[i], j};
    qsort(p->refs, p->nrefs, sizeof *p->refs, cmp_ref);
    return RMQ_ERR_NO_ERROR;
}

/* examineConsumerConnectionInfo(group): the connections on a broker of the retry
 * topic's route; NULL when that fails or nobody is connected. */
rmq_connections_t *cli_group_connections(rmq_admin_t *admin, const char *group) {
    char errstr[1024], retry[512];
    snprintf(retry, sizeof retry, "%s%s", RETRY_PREFIX, group);
    rmq_topic_route_t *route = NULL;
    if (rmq_admin_topic_route(admin, retry, &route, errstr, sizeof errstr))
        return NULL;
    rmq_connections_t *cc = NULL;
    const char *addr = rmq_topic_route_broker_count(route)
                           ? cli_select_broker_addr(rmq_topic_route_broker(route, 0))
                           : NULL;
    if (addr && rmq_admin_consumer_connections(admin, addr, group, &cc, errstr, sizeof errstr))
        cc = NULL;
    rmq_topic_route_destroy(route);
    if (cc && rmq_connections_count(cc) == 0) {
        rmq_connections_destroy(cc);
        cc = NULL;
    }
    return cc;
}

typedef struct {
    char *topic, *broker, *ip;
    int qid;
} alloc_t;

typedef struct {
    alloc_t *items;
    size_t count, cap;
} allocs_t;

/* getMessageQueueAllocationResult: queue -> client IP; a later client wins a queue. */
static void allocations(rmq_admin_t *admin, const char *group, allocs_t *out) {
    memset(out, 0, sizeof *out);
    rmq_connections_t *cc = cli_group_connections(admin, group);
    for (size_t c = 0; c < rmq_connections_count(cc); c++) {
        const char *client_id = rmq_connections_client_id(cc, c);
        char errstr[1024];
        rmq_running_info_t *ri = NULL;
        if (rmq_admin_consumer_running_info(admin, group, client_id, 0, &ri, errstr, sizeof errstr))
            break; /* Java: the exception ends the loop, logged */
        size_t iplen = strcspn(client_id, "@");
        for (size_t i = 0; i < rmq_running_info_queue_count(ri); i++) {
            if (out->count == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 16;
                out->items = realloc(out->items, out->cap * sizeof *out->items);
            }
            out->items[out->count++] = (alloc_t){
                .topic = strdup(rmq_running_info_queue_topic(ri, i)),
                .broker = strdup(rmq_running_info_queue_broker_name(ri, i)),
                .ip = strndup(client_id, iplen),
                .qid = rmq_running_info_queue_id(ri, i),
            };
        }
        rmq_running_info_destroy(ri);
    }
    rmq_connections_destroy(cc);
}

static const char *allocation_of(const allocs_t *a, const char *topic, const char *broker,
                                 int qid) {
    const char *ip = NULL;
    for (size_t i = 0; i < a->count; i++)
        if (a->items[i].qid == qid && strcmp(a->items[i].topic, topic) == 0 &&
            strcmp(a->items[i].broker, broker) == 0)
            ip = a->items[i].ip;
    return ip;
}

static void allocations_close(allocs_t *a) {
    for (size_t i = 0; i < a->count; i++) {
        free(a->items[i].topic);
        free(a->items[i].broker);
        free(a->items[i].ip);
    }
    free(a->items);
}

static int run_group(rmq_admin_t *admin, const cli_args_t *args) {
    const char *group = cli_get(args, 'g');
    const char *topic = cli_get(args, 't');
    progress_t p;
    if (examine(admin, args->cmd, group, topic, &p, true)) {
        progress_close(&p);
        return 1;
    }
    if (p.nrefs == 0) {
        rmq_connections_t *cc = cli_group_connections(admin, group);
        const char *msg = NULL;
        int code = 206;
        if (!cc) {
            msg = "Not found the consumer group consume stats, because return offset table is "
                  "empty, maybe the consumer not online";
        } else if (strcmp(rmq_connections_message_model(cc), "BROADCASTING") == 0) {
            code = 213;
            msg = "Not found the consumer group consume stats, because return offset table is "
                  "empty, the consumer is under the broadcast mode";
        }
        rmq_connections_destroy(cc);
        if (msg) {
            mqadmin_print_exception(args->cmd, true, false, (rmq_err_t)code, msg, NULL);
            progress_close(&p);
            return 1;
        }
    }
    bool show_ip = cli_has(args, 's') && strcasecmp(cli_get(args, 's'), "true") == 0;
    allocs_t allocs = {0};
    if (show_ip) {
        allocations(admin, group, &allocs);
        printf("%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s %-20s%s\n", "#Topic", "#Broker Name",
               "#QID", "#Broker Offset", "#Consumer Offset", "#Client IP", "#Diff", "#Inflight",
               "#LastTime");
    } else {
        printf("%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s%s\n", "#Topic", "#Broker Name",
               "#QID", "#Broker Offset", "#Consumer Offset", "#Diff", "#Inflight", "#LastTime");
    }
    long long diff_total = 0, inflight_total = 0;
    for (size_t k = 0; k < p.nrefs; k++) {
        const rmq_consume_stats_t *cs = p.refs[k].cs;
        size_t i = p.refs[k].i;
        long long broker = rmq_consume_stats_broker_offset(cs, i);
        long long consumer = rmq_consume_stats_consumer_offset(cs, i);
        long long diff = broker - consumer;
        long long inflight = rmq_consume_stats_pull_offset(cs, i) - consumer;
        diff_total += diff;
        inflight_total += inflight;
        char last[64] = "N/A";
        long long ts = rmq_consume_stats_last_timestamp(cs, i);
        if (ts != 0) {
            time_t t = (time_t)(ts / 1000);
            struct tm tm;
            localtime_r(&t, &tm);
            strftime(last, sizeof last, "%Y-%m-%d %H:%M:%S", &tm);
        }
        const char *qtopic = rmq_consume_stats_topic(cs, i);
        const char *bname = rmq_consume_stats_broker_name(cs, i);
        int qid = rmq_consume_stats_queue_id(cs, i);
        if (show_ip) {
            const char *ip = allocation_of(&allocs, qtopic, bname, qid);
            printf("%-64.64s  %-32.32s  %-4d  %-20lld  %-20lld  %-20s %-20lld %-20lld %s\n", qtopic,
                   bname, qid, broker, consumer, ip ? ip : "N/A", diff, inflight, last);
        } else {
            printf("%-64.64s  %-32.32s  %-4d  %-20lld  %-20lld  %-20lld %-20lld %s\n", qtopic,
                   bname, qid, broker, consumer, diff, inflight, last);
        }
    }
    allocations_close(&allocs);
    char tps[64];
    java_format_fixed(tps, sizeof tps, 0, 2, p.tps);
    printf("\nConsume TPS: %s\n", tps);
    printf("Consume Diff Total: %lld\n", diff_total);
    printf("Consume Inflight Total: %lld\n", inflight_total);
    progress_close(&p);
    return 0;
}

static int run_all(rmq_admin_t *admin, const cli_args_t *args) {
    char errstr[1024];
    rmq_strlist_t *topics = NULL;
    rmq_err_t err = rmq_admin_topic_list(admin, &topics, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
        return 1;
    }
    printf("%-64s  %-6s  %-24s %-5s  %-14s  %-7s  %s\n", "#Group", "#Count", "#Version", "#Type",
           "#Model", "#TPS", "#Diff Total");
    for (size_t t = 0; t < rmq_strlist_count(topics); t++) {
        const char *topic = rmq_strlist_get(topics, t);
        if (strncmp(topic, RETRY_PREFIX, strlen(RETRY_PREFIX)) != 0)
            continue;
        /* KeyBuilder.parseGroup: a POP retry topic v2 is "%RETRY%group+topic". */
        char group[512];
        snprintf(group, sizeof group, "%s", topic + strlen(RETRY_PREFIX));
        char *plus = strchr(group, '+');
        if (plus && !strchr(plus + 1, '+'))
            *plus = '\0';
        progress_t p;
        int tps = 0;
        long long diff_total = 0;
        if (examine(admin, args->cmd, group, NULL, &p, false) == RMQ_ERR_NO_ERROR) {
            tps = (int)p.tps;
            for (size_t k = 0; k < p.nrefs; k++)
                diff_total += rmq_consume_stats_broker_offset(p.refs[k].cs, p.refs[k].i) -
                              rmq_consume_stats_consumer_offset(p.refs[k].cs, p.refs[k].i);
        }
        progress_close(&p);
        rmq_connections_t *cc = cli_group_connections(admin, group);
        size_t count = rmq_connections_count(cc);
        const char *version = "OFFLINE", *type = "", *model = "";
        if (count > 0) {
            int min = rmq_connections_version(cc, 0);
            for (size_t i = 1; i < count; i++)
                if (rmq_connections_version(cc, i) < min)
                    min = rmq_connections_version(cc, i);
            version = mq_version_desc(min);
            bool pull = strcmp(rmq_connections_consume_type(cc), "CONSUME_ACTIVELY") == 0;
            type = pull ? "PULL" : "PUSH";
            if (strcmp(rmq_connections_consume_type(cc), "CONSUME_PASSIVELY") == 0)
                model = rmq_connections_message_model(cc);
        }
        printf("%-64.64s  %-6zu  %-24s %-5s  %-14s  %-7d  %lld\n", group, count, version, type,
               model, tps, diff_total);
        rmq_connections_destroy(cc);
    }
    rmq_strlist_destroy(topics);
    return 0;
}

static int run_consumer_progress(const cli_args_t *args) {
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    int rc = cli_has(args, 'g') ? run_group(admin, args) : run_all(admin, args);
    rmq_admin_destroy(admin);
    return rc;
}

const cli_cmd_t cmd_consumer_progress = {
    .name = "consumerProgress",
    .desc = "Query consumer's progress, speed.",
    .java_class = "ConsumerProgressSubCommand",
    .opts = {{'g', "groupName", true, false, "consumer group name"},
             {'t', "topicName", true, false, "topic name"},
             {'s', "showClientIP", true, false, "Show Client IP per Queue"},
             {'c', "cluster", true, false,
              "Cluster name or lmq parent topic, lmq is used to find the route."}},
    .run = run_consumer_progress,
};
