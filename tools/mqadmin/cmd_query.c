/*
 * mqadmin queryMsgById, queryMsgByKey and queryMsgByOffset (upstream command/message/
 * QueryMsgByIdSubCommand, QueryMsgByKeySubCommand, QueryMsgByOffsetSubCommand): the
 * lookups of the admin API, printed as the Java tool prints them. printMsg's block
 * (the message's fields, its body saved under /tmp/rocketmq/msgbodys/<msgId>, then the
 * MessageTrack section: one line per consumer group of the topic) is shared.
 * queryMsgById -g -d has the message consumed by one client of a push consumer
 * (CONSUME_MESSAGE_DIRECTLY through the broker that stored it) and prints the client's
 * ConsumeMessageDirectlyResult; -s true sends each message again as it is (its
 * UNIQ_KEY kept) with the producer group ReSendMsgById and prints the SendResult.
 * Not reproduced: the MessageTrack of a group that cannot be examined is NOT_ONLINE
 * (Java distinguishes some client-side exceptions as UNKNOWN with their text).
 */
#include "cli.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>

#define MSGBODY_DIR "/tmp/rocketmq/msgbodys"

/* ------------------------------------------------------------------ formatting */

int32_t java_string_hash(const char *s) {
    uint32_t h = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = 31 * h + *p;
    return (int32_t)h;
}

void java_hash_order(const int32_t *hashes, size_t n, size_t table, size_t *order) {
    while (table < 1u << 30 && (double)n > (double)table * 0.75)
        table *= 2;
    size_t *bucket = malloc((n ? n : 1) * sizeof *bucket);
    for (size_t i = 0; i < n; i++) {
        uint32_t h = (uint32_t)hashes[i];
        bucket[i] = (h ^ (h >> 16)) & (table - 1);
        order[i] = i;
    }
    /* Stable: keys of one bucket keep their insertion order. */
    for (size_t i = 1; i < n; i++) {
        size_t v = order[i], j = i;
        while (j > 0 && bucket[order[j - 1]] > bucket[v]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    free(bucket);
}

void java_hash_map_order(const char *const *keys, size_t n, size_t table, size_t *order) {
    int32_t *hashes = malloc((n ? n : 1) * sizeof *hashes);
    for (size_t i = 0; i < n; i++)
        hashes[i] = java_string_hash(keys[i]);
    java_hash_order(hashes, n, table, order);
    free(hashes);
}

char *java_message_properties(const rmq_message_t *msg) {
    size_t n = rmq_message_property_count(msg);
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    size_t len = 3;
    for (size_t i = 0; i < n; i++) {
        keys[i] = rmq_message_property_name(msg, i);
        len += strlen(keys[i]) + strlen(rmq_message_property_value(msg, i)) + 3;
    }
    /* MessageDecoder.string2messageProperties: new HashMap<>(128). */
    java_hash_map_order(keys, n, 128, order);
    char *out = malloc(len), *p = out;
    *p++ = '{';
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s%s=%s", i ? ", " : "", keys[order[i]],
                     rmq_message_property_value(msg, order[i]));
    strcpy(p, "}");
    free(keys);
    free(order);
    return out;
}

/* ------------------------------------------------------------------ MessageTrack */

static bool tags_contain(const char *expr, const char *tags) {
    if (!expr || !*expr || strcmp(expr, "*") == 0)
        return true;
    if (!tags)
        return false;
    char *copy = strdup(expr), *save = NULL;
    bool found = false;
    for (char *t = strtok_r(copy, "|", &save); t && !found; t = strtok_r(NULL, "|", &save)) {
        while (*t == ' ')
            t++;
        size_t l = strlen(t);
        while (l && t[l - 1] == ' ')
            t[--l] = '\0';
        found = strcmp(t, tags) == 0 || strcmp(t, "*") == 0;
    }
    free(copy);
    return found;
}

/* DefaultMQAdminExtImpl.consumed: a queue of the group's consume stats for the
 * message's topic and queue, on the broker whose master stored it, is past it. */
static bool consumed(rmq_admin_t *admin, const rmq_message_ext_t *m, const char *group) {
    const char *topic = rmq_message_topic(rmq_message_ext_message(m));
    char errstr[512], retry[512];
    snprintf(retry, sizeof retry, "%%RETRY%%%s", group);
    rmq_topic_route_t *route = NULL;
    if (rmq_admin_topic_route(admin, retry, &route, errstr, sizeof errstr))
        return false;
    bool done = false;
    for (size_t i = 0; i < rmq_topic_route_broker_count(route) && !done; i++) {
        const rmq_broker_data_t *bd = rmq_topic_route_broker(route, i);
        const char *addr = cli_select_broker_addr(bd);
        const char *master = rmq_broker_data_addr_by_id(bd, 0);
        rmq_consume_stats_t *cs = NULL;
        if (!addr || !master || strcmp(master, rmq_message_ext_store_host(m)) != 0 ||
            rmq_admin_consume_stats(admin, addr, group, NULL, &cs, errstr, sizeof errstr))
            continue;
        for (size_t j = 0; j < rmq_consume_stats_count(cs); j++)
            if (strcmp(rmq_consume_stats_topic(cs, j), topic) == 0 &&
                rmq_consume_stats_queue_id(cs, j) == rmq_message_ext_queue_id(m) &&
                rmq_consume_stats_consumer_offset(cs, j) > rmq_message_ext_queue_offset(m))
                done = true;
        rmq_consume_stats_destroy(cs);
    }
    rmq_topic_route_destroy(route);
    return done;
}

/* DefaultMQAdminExtImpl.messageTrackDetail, one MessageTrack line per group. */
static void print_tracks(rmq_admin_t *admin, const rmq_message_ext_t *m) {
    const rmq_message_t *msg = rmq_message_ext_message(m);
    const char *topic = rmq_message_topic(msg);
    char errstr[512];
    rmq_topic_route_t *route = NULL;
    rmq_strlist_t *groups = NULL;
    if (rmq_admin_topic_route(admin, topic, &route, errstr, sizeof errstr) == 0) {
        for (size_t i = 0; i < rmq_topic_route_broker_count(route) && !groups; i++) {
            const char *addr = cli_select_broker_addr(rmq_topic_route_broker(route, i));
            if (addr &&
                rmq_admin_topic_consumers(admin, addr, topic, &groups, errstr, sizeof errstr))
                groups = NULL;
        }
        rmq_topic_route_destroy(route);
    }
    if (!groups || rmq_strlist_count(groups) == 0) {
        printf("\n\nWARN: No Consumer");
        rmq_strlist_destroy(groups);
        return;
    }
    printf("\n\n");
    for (size_t i = 0; i < rmq_strlist_count(groups); i++) {
        const char *group = rmq_strlist_get(groups, i);
        const char *type = "UNKNOWN", *desc = NULL;
        rmq_connections_t *cc = cli_group_connections(admin, group);
        if (!cc) {
            type = "NOT_ONLINE";
            desc = "CODE:206 DESC:Not found the consumer group connection";
        } else if (strcmp(rmq_connections_consume_type(cc), "CONSUME_ACTIVELY") == 0) {
            type = "PULL";
        } else if (strcmp(rmq_connections_consume_type(cc), "CONSUME_PASSIVELY") == 0) {
            type = "NOT_CONSUME_YET";
            if (consumed(admin, m, group)) {
                type = "CONSUMED";
                for (size_t j = 0; j < rmq_connections_sub_count(cc); j++)
                    if (strcmp(rmq_connections_sub_topic(cc, j), topic) == 0 &&
                        !tags_contain(rmq_connections_sub_expression(cc, j), rmq_message_tags(msg)))
                        type = "CONSUMED_BUT_FILTERED";
            }
        }
        printf("MessageTrack [consumerGroup=%s, trackType=%s, exceptionDesc=%s]\n", group, type,
               desc ? desc : "null");
        rmq_connections_destroy(cc);
    }
    rmq_strlist_destroy(groups);
}

/* ------------------------------------------------------------------ printMsg */

static void print_line(const char *label, const char *value) {
    printf("%-20s %s\n", label, value);
}

static void print_num(const char *label, long long v) {
    printf("%-20s %lld\n", label, v);
}

void cli_print_msg(rmq_admin_t *admin, const rmq_message_ext_t *m, bool print_body) {
    if (!m) {
        printf("\nMessage not found!");
        return;
    }
    const rmq_message_t *msg = rmq_message_ext_message(m);
    size_t body_len = 0;
    const void *body = rmq_message_body(msg, &body_len);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", MSGBODY_DIR, rmq_message_ext_msg_id(m));
    mkdir("/tmp/rocketmq", 0777);
    mkdir(MSGBODY_DIR, 0777);
    FILE *f = fopen(path, "wb");
    if (f) {
        if (body_len)
            fwrite(body, 1, body_len, f);
        fclose(f);
    }
    char buf[1024], t[64];
    print_line("OffsetID:", rmq_message_ext_offset_msg_id(m));
    print_line("Topic:", rmq_message_topic(msg));
    const char *tags = rmq_message_tags(msg), *keys = rmq_message_keys(msg);
    snprintf(buf, sizeof buf, "[%s]", tags ? tags : "null");
    print_line("Tags:", buf);
    snprintf(buf, sizeof buf, "[%s]", keys ? keys : "null");
    print_line("Keys:", buf);
    print_num("Queue ID:", rmq_message_ext_queue_id(m));
    print_num("Queue Offset:", rmq_message_ext_queue_offset(m));
    print_num("CommitLog Offset:", rmq_message_ext_commitlog_offset(m));
    print_num("Reconsume Times:", rmq_message_ext_reconsume_times(m));
    java_time_human2(t, sizeof t, rmq_message_ext_born_timestamp(m));
    print_line("Born Timestamp:", t);
    java_time_human2(t, sizeof t, rmq_message_ext_store_timestamp(m));
    print_line("Store Timestamp:", t);
    print_line("Born Host:", rmq_message_ext_born_host(m));
    print_line("Store Host:", rmq_message_ext_store_host(m));
    print_num("System Flag:", rmq_message_ext_sys_flag(m));
    char *props = java_message_properties(msg);
    print_line("Properties:", props);
    free(props);
    print_line("Message Body Path:", path);
    if (print_body)
        printf("%-20s %.*s\n", "Message Body:", (int)body_len, (const char *)body);
    print_tracks(admin, m);
}

/* ------------------------------------------------------------------ queryMsgById */

/* DefaultMQAdminExtImpl.queryMessage: by offset id, else (any failure) by UNIQ_KEY over
 * the last three days. The message is *m or the first of *l (the caller destroys both). */
static rmq_err_t lookup_msg(rmq_admin_t *admin, const char *cluster, const char *topic,
                            const char *id, rmq_message_ext_t **m, rmq_admin_msgs_t **l,
                            char *errstr, size_t errlen) {
    *m = NULL;
    *l = NULL;
    rmq_err_t err = rmq_admin_view_message(admin, topic, id, m, errstr, errlen);
    if (err) {
        /* A UNIQ_KEY also has 32 digits: any failure falls back, as in Java. */
        struct timeval tv;
        gettimeofday(&tv, NULL);
        long long now = (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
        err =
            rmq_admin_query_message(admin, cluster, topic, id, 32, now - 3LL * 24 * 60 * 60 * 1000,
                                    INT64_MAX, 1, l, errstr, errlen);
        if (!err && rmq_admin_msgs_count(*l) == 0) {
            /* MQAdminImpl.queryMessage's MQClientException(QUERY_NOT_FOUND, ...). */
            rmq_admin_msgs_destroy(*l);
            *l = NULL;
            snprintf(errstr, errlen, "query message by key finished, but no message.");
            err = (rmq_err_t)208;
        }
    }
    return err;
}

/* pushMsg: -g/-d, the message consumed by one client of a push consumer. 0, or 1 after
 * a failure (printed; Java goes on with the next id, and so do we). */
static int push_msg(rmq_admin_t *admin, const cli_args_t *args, const char *id) {
    const char *group = cli_get(args, 'g'), *client = cli_get(args, 'd');
    char errstr[1024];
    rmq_running_info_t *ri = NULL;
    rmq_err_t err =
        rmq_admin_consumer_running_info(admin, group, client, 0, &ri, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, false, false, err, errstr, NULL);
        return 1;
    }
    const char *type = rmq_running_info_property(ri, "PROP_CONSUME_TYPE");
    bool push = type && strcmp(type, "CONSUME_PASSIVELY") == 0;
    rmq_running_info_destroy(ri);
    if (!push) {
        printf("this %s client is not push consumer ,not support direct push \n", client);
        return 0;
    }
    rmq_message_ext_t *m;
    rmq_admin_msgs_t *l;
    err = lookup_msg(admin, cli_get(args, 'c'), cli_get(args, 't'), id, &m, &l, errstr,
                     sizeof errstr);
    const rmq_message_ext_t *msg = m ? m : rmq_admin_msgs_get(l, 0);
    rmq_consume_directly_result_t *r = NULL;
    if (!err) {
        /* The offset id when the message has a UNIQ_KEY, else the id as given. */
        bool uniq = rmq_message_property(rmq_message_ext_message(msg), "UNIQ_KEY") != NULL;
        err = rmq_admin_consume_message_directly(
            admin, rmq_message_ext_store_host(msg), group, client, cli_get(args, 't'),
            uniq ? rmq_message_ext_offset_msg_id(msg) : id, &r, errstr, sizeof errstr);
    }
    rmq_message_ext_destroy(m);
    rmq_admin_msgs_destroy(l);
    if (err) {
        mqadmin_print_exception(args->cmd, false, false, err, errstr, NULL);
        return 1;
    }
    const char *remark = rmq_consume_directly_result_remark(r);
    const char *cr = rmq_consume_directly_result_consume_result(r);
    printf("ConsumeMessageDirectlyResult [order=%s, autoCommit=%s, consumeResult=%s, remark=%s, "
           "spentTimeMills=%lld]",
           rmq_consume_directly_result_order(r) ? "true" : "false",
           rmq_consume_directly_result_auto_commit(r) ? "true" : "false", cr ? cr : "null",
           remark ? remark : "null", (long long)rmq_consume_directly_result_spent_time_mills(r));
    rmq_consume_directly_result_destroy(r);
    return 0;
}

/* The producer of -s ("ReSendMsgById"), started as Java starts it whenever -s is given;
 * NULL (the error printed) when it cannot start. */
static rmq_producer_t *resend_producer(const cli_args_t *args) {
    char errstr[1024];
    rmq_conf_t *conf = rmq_conf_new();
    if (cli_has(args, 'n'))
        rmq_conf_set(conf, "namesrvAddr", cli_get(args, 'n'), NULL, 0);
    rmq_conf_set(conf, "producerGroup", "ReSendMsgById", NULL, 0);
    rmq_conf_set(conf, "logLevel", "error", NULL, 0);
    if (cli_has(args, 'u'))
        rmq_conf_set(conf, "unitName", cli_get(args, 'u'), NULL, 0);
    rmq_producer_t *p = rmq_producer_new(conf, errstr, sizeof errstr);
    rmq_conf_destroy(conf);
    if (p && rmq_producer_start(p, errstr, sizeof errstr)) {
        rmq_producer_destroy(p);
        p = NULL;
    }
    if (!p)
        mqadmin_print_exception(args->cmd, true, false, RMQ_ERR__INVALID_ARG, errstr, NULL);
    return p;
}

/* sendMsg: -s true, the message sent again as it is (its UNIQ_KEY kept). 0, or 1 after
 * a failure (printed). */
static int resend_msg(rmq_admin_t *admin, rmq_producer_t *producer, const cli_args_t *args,
                      const char *id) {
    char errstr[1024];
    rmq_message_ext_t *m;
    rmq_admin_msgs_t *l;
    rmq_err_t err = lookup_msg(admin, cli_get(args, 'c'), cli_get(args, 't'), id, &m, &l, errstr,
                               sizeof errstr);
    const rmq_message_ext_t *found = m ? m : rmq_admin_msgs_get(l, 0);
    if (!err && !found)
        printf("no message. msgId=%s", id);
    if (!err && found) {
        printf("prepare resend msg. originalMsgId=%s", id);
        rmq_message_t *msg = rmq_message_ext_copy_message(found);
        rmq_send_result_t *res = rmq_send_result_new();
        err = rmq_producer_send(producer, msg, res, errstr, sizeof errstr);
        if (!err)
            printf("SendResult [sendStatus=%s, msgId=%s, offsetMsgId=%s, messageQueue=MessageQueue "
                   "[topic=%s, brokerName=%s, queueId=%d], queueOffset=%lld, recallHandle=null]",
                   rmq_send_status_name(rmq_send_result_status(res)), rmq_send_result_msg_id(res),
                   rmq_send_result_offset_msg_id(res), rmq_send_result_topic(res),
                   rmq_send_result_broker_name(res), rmq_send_result_queue_id(res),
                   (long long)rmq_send_result_queue_offset(res));
        rmq_send_result_destroy(res);
        rmq_message_destroy(msg);
    }
    rmq_message_ext_destroy(m);
    rmq_admin_msgs_destroy(l);
    if (err)
        mqadmin_print_exception(args->cmd, false, err > 0 && err != 208, err, errstr, NULL);
    return err ? 1 : 0;
}

static int run_query_msg_by_id(const cli_args_t *args) {
    const char *topic = cli_get(args, 't');
    bool direct = cli_has(args, 'g') && cli_has(args, 'd');
    rmq_producer_t *producer = NULL;
    if (cli_has(args, 's') && !(producer = resend_producer(args)))
        return 1;
    /* Boolean.parseBoolean: only "true" (any case) resends. */
    bool resend = !direct && cli_has(args, 's') && strcasecmp(cli_get(args, 's'), "true") == 0;
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin) {
        rmq_producer_destroy(producer);
        return 1;
    }
    const char *cluster = cli_get(args, 'c');
    char *ids = strdup(cli_get(args, 'i')), *save = NULL;
    int rc = 0;
    for (char *id = strtok_r(ids, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        while (*id == ' ')
            id++;
        size_t idl = strlen(id);
        while (idl && id[idl - 1] == ' ')
            id[--idl] = '\0';
        if (!*id)
            continue;
        if (direct) {
            rc |= push_msg(admin, args, id);
            continue;
        }
        if (cli_has(args, 's')) {
            if (resend)
                rc |= resend_msg(admin, producer, args, id);
            continue;
        }
        char errstr[1024];
        rmq_message_ext_t *m;
        rmq_admin_msgs_t *l;
        rmq_err_t err = lookup_msg(admin, cluster, topic, id, &m, &l, errstr, sizeof errstr);
        if (err) {
            mqadmin_print_exception(args->cmd, true, err != 208, err, errstr, NULL);
            rc = 1;
            break;
        }
        cli_print_msg(admin, m ? m : rmq_admin_msgs_get(l, 0), cli_has(args, 'f'));
        rmq_message_ext_destroy(m);
        rmq_admin_msgs_destroy(l);
    }
    free(ids);
    rmq_admin_destroy(admin);
    rmq_producer_destroy(producer);
    return rc;
}

const cli_cmd_t cmd_query_msg_by_id = {
    .name = "queryMsgById",
    .desc = "Query Message by Id.",
    .java_class = "QueryMsgByIdSubCommand",
    .opts = {{'t', "topic", true, true, "topic name"},
             {'i', "msgId", true, true, "Message Id"},
             {'g', "consumerGroup", true, false, "consumer group name"},
             {'d', "clientId", true, false, "The consumer's client id"},
             {'s', "sendMessage", true, false, "resend message"},
             {'u', "unitName", true, false, "unit name"},
             {'f', "bodyFormat", true, false, "print message body by the specified format"},
             {'c', "cluster", true, false,
              "Cluster name or lmq parent topic, lmq is used to find the route."}},
    .run = run_query_msg_by_id,
};

/* ------------------------------------------------------------------ queryMsgByKey */

static int run_query_msg_by_key(const cli_args_t *args) {
    long long begin = cli_has(args, 'b') ? strtoll(cli_get(args, 'b'), NULL, 10) : 0;
    long long end = cli_has(args, 'e') ? strtoll(cli_get(args, 'e'), NULL, 10) : INT64_MAX;
    int max = cli_has(args, 'm') ? atoi(cli_get(args, 'm')) : 64;
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char errstr[1024];
    rmq_admin_msgs_t *l = NULL;
    rmq_err_t err =
        rmq_admin_query_message(admin, cli_get(args, 'c'), cli_get(args, 't'), cli_get(args, 'k'),
                                max, begin, end, 0, &l, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
        rmq_admin_destroy(admin);
        return 1;
    }
    printf("%-50s %4s %40s\n", "#Message ID", "#QID", "#Offset");
    for (size_t i = 0; i < rmq_admin_msgs_count(l); i++) {
        const rmq_message_ext_t *m = rmq_admin_msgs_get(l, i);
        printf("%-50s %4d %40lld\n", rmq_message_ext_msg_id(m), (int)rmq_message_ext_queue_id(m),
               (long long)rmq_message_ext_queue_offset(m));
    }
    rmq_admin_msgs_destroy(l);
    rmq_admin_destroy(admin);
    return 0;
}

const cli_cmd_t cmd_query_msg_by_key = {
    .name = "queryMsgByKey",
    .desc = "Query Message by Key.",
    .java_class = "QueryMsgByKeySubCommand",
    .opts = {{'t', "topic", true, true, "Topic name"},
             {'k', "msgKey", true, true, "Message Key"},
             {'b', "beginTimestamp", true, false,
              "Begin timestamp(ms). default:0, eg:1676730526212"},
             {'e', "endTimestamp", true, false,
              "End timestamp(ms). default:Long.MAX_VALUE, eg:1676730526212"},
             {'m', "maxNum", true, false,
              "The maximum number of messages returned by the query, default:64"},
             {'c', "cluster", true, false,
              "Cluster name or lmq parent topic, lmq is used to find the route."}},
    .run = run_query_msg_by_key,
};

/* ------------------------------------------------------------------ queryMsgByOffset */

static int run_query_msg_by_offset(const cli_args_t *args) {
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char errstr[1024];
    rmq_message_ext_t *m = NULL;
    rmq_err_t err =
        rmq_admin_pull_one(admin, cli_get(args, 'b'), cli_get(args, 't'), atoi(cli_get(args, 'i')),
                           strtoll(cli_get(args, 'o'), NULL, 10), &m, errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, err > 0, err, errstr, NULL);
    } else if (m) {
        /* Only a FOUND pull prints; the other statuses print nothing. */
        cli_print_msg(admin, m, cli_has(args, 'f'));
    }
    rmq_message_ext_destroy(m);
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

const cli_cmd_t cmd_query_msg_by_offset = {
    .name = "queryMsgByOffset",
    .desc = "Query Message by offset.",
    .java_class = "QueryMsgByOffsetSubCommand",
    .opts = {{'t', "topic", true, true, "topic name"},
             {'b', "brokerName", true, true, "Broker Name"},
             {'i', "queueId", true, true, "Queue Id"},
             {'o', "offset", true, true, "Queue Offset"},
             {'f', "bodyFormat", true, false, "print message body by the specified format"}},
    .run = run_query_msg_by_offset,
};
