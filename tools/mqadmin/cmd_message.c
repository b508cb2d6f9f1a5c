/*
 * mqadmin sendMessage (upstream command/message/SendMessageCommand): one message sent
 * with the producer API, by a producer whose group is the current time in ms, as the
 * Java tool's; to the queue -b/-i name, else to the queue the producer picks.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

typedef struct {
    const char *broker;
    int queue_id;
    int index; /* of (broker, queue_id) among the topic's writable queues, or -1 */
} target_t;

static int select_target(size_t queue_count, const rmq_message_t *msg, void *arg) {
    const target_t *t = arg;
    return t->index >= 0 && (size_t)t->index < queue_count ? t->index : -1;
}

typedef struct {
    const char *broker;
    int qid;
} wq_t;

static int cmp_wq(const void *a, const void *b) {
    const wq_t *x = a, *y = b;
    int c = strcmp(x->broker, y->broker);
    return c ? c : x->qid - y->qid;
}

/* The index the producer's selector sees for (broker, queue id): the topic's writable
 * queues of brokers with a master, sorted by broker name then queue id. */
static int target_index(rmq_admin_t *admin, const char *topic, const char *broker, int qid) {
    char errstr[512];
    rmq_topic_route_t *route = NULL;
    if (rmq_admin_topic_route(admin, topic, &route, errstr, sizeof errstr))
        return -1;
    size_t cap = 0;
    for (size_t i = 0; i < rmq_topic_route_queue_data_count(route); i++)
        cap += (size_t)rmq_queue_data_write_queue_nums(rmq_topic_route_queue_data(route, i));
    wq_t *qs = calloc(cap ? cap : 1, sizeof *qs);
    size_t n = 0;
    for (size_t i = 0; i < rmq_topic_route_queue_data_count(route); i++) {
        const rmq_queue_data_t *qd = rmq_topic_route_queue_data(route, i);
        if (!(rmq_queue_data_perm(qd) & RMQ_PERM_WRITE))
            continue;
        const char *name = rmq_queue_data_broker_name(qd);
        bool has_master = false;
        for (size_t j = 0; j < rmq_topic_route_broker_count(route); j++) {
            const rmq_broker_data_t *bd = rmq_topic_route_broker(route, j);
            if (strcmp(rmq_broker_data_name(bd), name) == 0 && rmq_broker_data_addr_by_id(bd, 0))
                has_master = true;
        }
        if (!has_master)
            continue;
        for (int q = 0; q < rmq_queue_data_write_queue_nums(qd); q++)
            qs[n++] = (wq_t){name, q};
    }
    qsort(qs, n, sizeof *qs, cmp_wq);
    int index = -1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(qs[i].broker, broker) == 0 && qs[i].qid == qid)
            index = (int)i;
    free(qs);
    rmq_topic_route_destroy(route);
    return index;
}

static int run_send_message(const cli_args_t *args) {
    const char *topic = cli_get(args, 't');
    const char *body = cli_get(args, 'p');
    target_t target = {.broker = cli_get(args, 'b'), .queue_id = -1, .index = -1};
    if (cli_has(args, 'i')) {
        if (!cli_has(args, 'b')) {
            printf("Broker name must be set if the queue is chosen!");
            return 0;
        }
        target.queue_id = atoi(cli_get(args, 'i'));
    }
    char errstr[1024];
    rmq_conf_t *conf = rmq_conf_new();
    const char *ns = cli_get(args, 'n');
    if (ns)
        rmq_conf_set(conf, "namesrvAddr", ns, NULL, 0);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    char group[32];
    snprintf(group, sizeof group, "%lld", (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000);
    rmq_conf_set(conf, "producerGroup", group, NULL, 0);
    rmq_conf_set(conf, "logLevel", "error", NULL, 0);
    rmq_producer_t *producer = rmq_producer_new(conf, errstr, sizeof errstr);
    rmq_conf_destroy(conf);
    if (!producer) {
        fprintf(stderr, "%s\n", errstr);
        return 1;
    }
    rmq_message_t *msg = rmq_message_new(topic);
    if (cli_has(args, 'c'))
        rmq_message_set_tags(msg, cli_get(args, 'c'));
    if (cli_has(args, 'k'))
        rmq_message_set_keys(msg, cli_get(args, 'k'));
    rmq_message_set_body(msg, body, strlen(body), 0);
    rmq_send_result_t *res = rmq_send_result_new();
    rmq_err_t err = rmq_producer_start(producer, errstr, sizeof errstr);
    if (!err && target.broker && target.queue_id > -1) {
        rmq_admin_t *admin = cli_admin(args, NULL);
        target.index = admin ? target_index(admin, topic, target.broker, target.queue_id) : -1;
        rmq_admin_destroy(admin);
        err = rmq_producer_send_select(producer, msg, select_target, &target, res, errstr,
                                       sizeof errstr);
    } else if (!err) {
        err = rmq_producer_send(producer, msg, res, errstr, sizeof errstr);
    }
    rmq_producer_destroy(producer);
    rmq_message_destroy(msg);
    if (err) {
        fflush(stdout);
        fprintf(stderr, "java.lang.RuntimeException: SendMessageCommand command failed\n");
        mqadmin_print_exception(args->cmd, false, true, err, errstr, NULL);
        rmq_send_result_destroy(res);
        return 1;
    }
    printf("%-32s  %-4s  %-20s    %s\n", "#Broker Name", "#QID", "#Send Result", "#MsgId");
    char qid[16];
    snprintf(qid, sizeof qid, "%d", rmq_send_result_queue_id(res));
    printf("%-32s  %-4s  %-20s    %s\n", rmq_send_result_broker_name(res), qid,
           rmq_send_status_name(rmq_send_result_status(res)), rmq_send_result_msg_id(res));
    rmq_send_result_destroy(res);
    return 0;
}

const cli_cmd_t cmd_send_message = {
    .name = "sendMessage",
    .desc = "Send a message.",
    .java_class = "SendMessageCommand",
    .opts = {{'t', "topic", true, true, "Topic name"},
             {'p', "body", true, true, "UTF-8 string format of the message body"},
             {'k', "key", true, false, "Message keys"},
             {'c', "tags", true, false, "Message tags"},
             {'b', "broker", true, false, "Send message to target broker"},
             {'i', "qid", true, false, "Send message to target queue"},
             {'m', "msgTraceEnable", true, false, "Message Trace Enable, Default: false"}},
    .run = run_send_message,
};
