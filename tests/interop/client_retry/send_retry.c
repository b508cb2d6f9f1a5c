/*
 * send_retry: the client side of tests/interop/test_client_send_retry.sh. Checks that the
 * C producer retries a sync send that a broker refuses with a retryable code on another
 * broker of the topic (retryTimesWhenSendFailed), using only the public API.
 *
 *   send_retry -n NAMESRV -t TOPIC -a ADDR_A -b ADDR_B -c COUNT
 *
 * 1. Creates TOPIC (4 queues) on both brokers and waits until the route names both:
 *        brokers: A=<name> B=<name>
 * 2. Starts a producer (route refresh every 10 min, so the route it caches first stays)
 *    and sends one message; now the cached route holds both brokers' queues.
 * 3. Deletes TOPIC on the broker at ADDR_A only (DELETE_TOPIC_IN_BROKER); with
 *    autoCreateTopicEnable=false that broker now answers sends with TOPIC_NOT_EXIST (17),
 *    one of the codes the Java producer retries on another broker.
 * 4. Sends COUNT messages synchronously, printing one line per send:
 *        sent I broker=NAME queue=Q offset=O
 *    or  failed I err=NAME (errstr)
 *    then asks both brokers for the topic's queue offsets: "stats B sum=<sum of max
 *    offsets>" (once it reaches the sends that named B), "stats A err=<code name>".
 * 5. Ends with "done: S sent, F failed".
 * The shell script checks the lines; the exit status is 0 once every step ran.
 */
#include <rocketmq/rocketmq.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *namesrv, *topic, *addr_a, *addr_b;
static int count = 10;

static void die(const char *what, rmq_err_t err, const char *errstr) {
    fprintf(stderr, "send_retry: %s: %s (%s)\n", what, rmq_err_name(err), errstr);
    exit(1);
}

static rmq_conf_t *conf_new(void) {
    char errstr[256];
    rmq_conf_t *conf = rmq_conf_new();
    if (rmq_conf_set(conf, "namesrvAddr", namesrv, errstr, sizeof errstr) != RMQ_ERR_NO_ERROR)
        die("namesrvAddr", RMQ_ERR__INVALID_ARG, errstr);
    return conf;
}

static void conf_set(rmq_conf_t *conf, const char *key, const char *value) {
    char errstr[256];
    if (rmq_conf_set(conf, key, value, errstr, sizeof errstr) != RMQ_ERR_NO_ERROR)
        die(key, RMQ_ERR__INVALID_ARG, errstr);
}

/* Both brokers in the topic's route: *name_a and *name_b get their broker names. */
static void wait_route(rmq_admin_t *admin, char *name_a, char *name_b, size_t len) {
    char errstr[256];
    for (int i = 0; i < 200; i++) {
        rmq_topic_route_t *route = NULL;
        name_a[0] = name_b[0] = '\0';
        if (rmq_admin_topic_route(admin, topic, &route, errstr, sizeof errstr) ==
            RMQ_ERR_NO_ERROR) {
            for (size_t b = 0; b < rmq_topic_route_broker_count(route); b++) {
                const rmq_broker_data_t *bd = rmq_topic_route_broker(route, b);
                const char *addr = rmq_broker_data_addr_by_id(bd, 0);
                if (addr && strcmp(addr, addr_a) == 0)
                    snprintf(name_a, len, "%s", rmq_broker_data_name(bd));
                if (addr && strcmp(addr, addr_b) == 0)
                    snprintf(name_b, len, "%s", rmq_broker_data_name(bd));
            }
            size_t queues = rmq_topic_route_queue_data_count(route);
            rmq_topic_route_destroy(route);
            if (name_a[0] && name_b[0] && queues == 2)
                return;
        }
        usleep(50 * 1000);
    }
    die("route with both brokers", RMQ_ERR__TIMED_OUT, topic);
}

static char name_b[128];
static int sent_on_b; /* sends whose result names broker B */

static int send_one(rmq_producer_t *p, int i) {
    char body[64], errstr[256];
    rmq_message_t *msg = rmq_message_new(topic);
    snprintf(body, sizeof body, "send_retry %d", i);
    rmq_message_set_tags(msg, "retry");
    rmq_message_set_body(msg, body, strlen(body), 0);
    rmq_send_result_t *res = rmq_send_result_new();
    rmq_err_t err = rmq_producer_send(p, msg, res, errstr, sizeof errstr);
    if (err == RMQ_ERR_NO_ERROR && strcmp(rmq_send_result_broker_name(res), name_b) == 0)
        sent_on_b++;
    if (err == RMQ_ERR_NO_ERROR)
        printf("sent %d broker=%s queue=%d offset=%lld\n", i, rmq_send_result_broker_name(res),
               rmq_send_result_queue_id(res), (long long)rmq_send_result_queue_offset(res));
    else
        printf("failed %d err=%s (%s)\n", i, rmq_err_name(err), errstr);
    fflush(stdout);
    rmq_send_result_destroy(res);
    rmq_message_destroy(msg);
    return err == RMQ_ERR_NO_ERROR;
}

/* Sum of the topic's max queue offsets on the broker at `addr`. The broker builds its
 * queues behind the commit log (as Apache's ReputMessageService does), so an
 * acknowledged message may show a moment later: polls (at most 5 s) until the sum
 * reaches `want`. Prints "stats LABEL sum=N" or "stats LABEL err=CODE". */
static void print_stats(rmq_admin_t *admin, const char *label, const char *addr, long long want) {
    char errstr[256];
    long long sum = -1;
    for (int i = 0; i < 100 && sum < want; i++) {
        if (i > 0)
            usleep(50 * 1000);
        rmq_topic_stats_t *ts = NULL;
        rmq_err_t err = rmq_admin_topic_stats(admin, addr, topic, &ts, errstr, sizeof errstr);
        if (err != RMQ_ERR_NO_ERROR) {
            printf("stats %s err=%s\n", label, rmq_err_name(err));
            return;
        }
        sum = 0;
        for (size_t q = 0; q < rmq_topic_stats_count(ts); q++)
            sum += rmq_topic_stats_max_offset(ts, q);
        rmq_topic_stats_destroy(ts);
    }
    printf("stats %s sum=%lld\n", label, sum);
}

int main(int argc, char **argv) {
    int opt;
    while ((opt = getopt(argc, argv, "n:t:a:b:c:")) != -1) {
        switch (opt) {
        case 'n':
            namesrv = optarg;
            break;
        case 't':
            topic = optarg;
            break;
        case 'a':
            addr_a = optarg;
            break;
        case 'b':
            addr_b = optarg;
            break;
        case 'c':
            count = atoi(optarg);
            break;
        default:
            fprintf(stderr, "usage: send_retry -n NS -t TOPIC -a ADDR -b ADDR -c N\n");
            return 2;
        }
    }
    if (!namesrv || !topic || !addr_a || !addr_b || count < 1) {
        fprintf(stderr, "usage: send_retry -n NS -t TOPIC -a ADDR -b ADDR -c N\n");
        return 2;
    }
    char errstr[256], name_a[128];

    rmq_conf_t *conf = conf_new();
    rmq_admin_t *admin = rmq_admin_new(conf, errstr, sizeof errstr);
    if (!admin)
        die("admin", RMQ_ERR__INVALID_ARG, errstr);
    rmq_admin_topic_config_t tc;
    rmq_admin_topic_config_init(&tc, topic);
    tc.read_queue_nums = tc.write_queue_nums = 4;
    const char *addrs[2] = {addr_a, addr_b};
    for (int i = 0; i < 2; i++) {
        rmq_err_t err = rmq_admin_topic_create(admin, addrs[i], &tc, errstr, sizeof errstr);
        if (err != RMQ_ERR_NO_ERROR)
            die("create topic", err, errstr);
    }
    wait_route(admin, name_a, name_b, sizeof name_a);
    printf("brokers: A=%s B=%s\n", name_a, name_b);

    /* The producer keeps the route of its first send for the whole run. */
    conf_set(conf, "producerGroup", "rmqc_send_retry");
    conf_set(conf, "pollNameServerInterval", "600000");
    conf_set(conf, "retryTimesWhenSendFailed", "2");
    rmq_producer_t *p = rmq_producer_new(conf, errstr, sizeof errstr);
    if (!p)
        die("producer", RMQ_ERR__INVALID_ARG, errstr);
    rmq_err_t err = rmq_producer_start(p, errstr, sizeof errstr);
    if (err != RMQ_ERR_NO_ERROR)
        die("producer start", err, errstr);
    if (!send_one(p, 0))
        die("first send (both brokers serving)", RMQ_ERR__FAIL, "see above");

    err = rmq_admin_topic_delete_in_broker(admin, addr_a, topic, errstr, sizeof errstr);
    if (err != RMQ_ERR_NO_ERROR)
        die("delete topic on A", err, errstr);
    printf("deleted on A\n");
    fflush(stdout);

    int sent = 0;
    for (int i = 1; i <= count; i++)
        sent += send_one(p, i);
    print_stats(admin, "B", addr_b, sent_on_b);
    print_stats(admin, "A", addr_a, 0);
    printf("done: %d sent, %d failed\n", sent, count - sent);

    rmq_producer_destroy(p);
    rmq_admin_destroy(admin);
    rmq_conf_destroy(conf);
    return 0;
}
