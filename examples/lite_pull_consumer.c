/*
 * lite_pull_consumer: poll a topic with the librocketmq lite pull consumer (assign
 * mode), using only the public API.
 *
 *   lite_pull_consumer [-n host:port;...] -t TOPIC -g GROUP [-S QUEUE_ID:OFFSET ...]
 *                      [-x COUNT] [-T SECONDS] [-c] [-u] [-d MILLIS] [-P QUEUE_ID:MILLIS]
 *                      [-s KEY=VALUE ...]
 *
 * Assigns every queue of TOPIC (from its route), or with -u subscribes to TOPIC ("*")
 * and takes the queues the group's rebalance gives it; seeks the queues given with -S, then
 * polls until COUNT messages arrived (or SECONDS passed, default 10), printing
 *   msg <queueId> <queueOffset> <msgId> <rid property or ->
 * per message. With -c it then commits (commit_sync) and prints, per queue, the offset
 * the broker holds afterwards:  committed <queueId> <offset>.
 * -d sleeps MILLIS after each poll (a slow application). -P pauses the queue QUEUE_ID
 * (assign mode) for MILLIS after it is assigned, then resumes it, printing
 * "resumed <queueId>".
 * Last line: "done: <messages>". Exit 0 when COUNT was reached (or no COUNT was given).
 *
 * Without -n the NAMESRV_ADDR environment variable is used. Build against an installed
 * library with:  cc lite_pull_consumer.c $(pkg-config --cflags --libs rocketmq)
 */
#include <rocketmq/rocketmq.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
    const char *namesrv = NULL, *topic = NULL, *group = NULL;
    int seconds = 10, commit = 0, subscribe = 0;
    long count = 0;
    char errstr[512];
    struct {
        int qid;
        long long offset;
    } seeks[64];
    size_t seek_count = 0;
    int delay_ms = 0, pause_qid = -1, pause_ms = 0;
    rmq_conf_t *conf = rmq_conf_new();
    int opt;
    while ((opt = getopt(argc, argv, "n:t:g:S:x:T:cud:P:s:")) != -1) {
        switch (opt) {
        case 'n':
            namesrv = optarg;
            break;
        case 't':
            topic = optarg;
            break;
        case 'g':
            group = optarg;
            break;
        case 'S':
            if (seek_count < 64 &&
                sscanf(optarg, "%d:%lld", &seeks[seek_count].qid, &seeks[seek_count].offset) == 2)
                seek_count++;
            break;
        case 'x':
            count = atol(optarg);
            break;
        case 'T':
            seconds = atoi(optarg);
            break;
        case 'c':
            commit = 1;
            break;
        case 'u':
            subscribe = 1;
            break;
        case 'd':
            delay_ms = atoi(optarg);
            break;
        case 'P':
            if (sscanf(optarg, "%d:%d", &pause_qid, &pause_ms) != 2)
                return 2;
            break;
        case 's': {
            char *eq = strchr(optarg, '=');
            if (!eq)
                return 2;
            *eq = '\0';
            if (rmq_conf_set(conf, optarg, eq + 1, errstr, sizeof errstr)) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
            }
            break;
        }
        default:
            fprintf(stderr, "usage: lite_pull_consumer [-n NAMESRV] -t TOPIC -g GROUP "
                            "[-S QID:OFFSET] [-x COUNT] [-T SECONDS] [-c] [-u] [-d MS] [-P QID:MS] "
                            "[-s K=V]\n");
            return 2;
        }
    }
    if (!topic || !group) {
        fprintf(stderr, "-t TOPIC and -g GROUP are required\n");
        return 2;
    }
    if (namesrv)
        rmq_conf_set(conf, "namesrvAddr", namesrv, NULL, 0);
    rmq_conf_set(conf, "consumerGroup", group, NULL, 0);
    rmq_conf_set(conf, "autoCommit", "false", NULL, 0);
    rmq_lite_pull_consumer_t *c = rmq_lite_pull_consumer_new(conf, errstr, sizeof errstr);
    rmq_conf_destroy(conf);
    if (!c) {
        fprintf(stderr, "lite_pull_consumer_new: %s\n", errstr);
        return 1;
    }
    rmq_err_t err = RMQ_ERR_NO_ERROR;
    if (subscribe)
        err = rmq_lite_pull_consumer_subscribe(c, topic, "*", errstr, sizeof errstr);
    if (!err)
        err = rmq_lite_pull_consumer_start(c, errstr, sizeof errstr);
    rmq_message_queue_t *mqs = NULL;
    size_t n = 0;
    if (!err)
        err = rmq_lite_pull_consumer_fetch_queues(c, topic, &mqs, &n, errstr, sizeof errstr);
    if (!err && !subscribe)
        err = rmq_lite_pull_consumer_assign(c, mqs, n, errstr, sizeof errstr);
    if (err) {
        fprintf(stderr, "start/assign: %s (%s)\n", rmq_err2str(err), errstr);
        return 1;
    }
    for (size_t i = 0; i < seek_count; i++)
        for (size_t j = 0; j < n; j++)
            if (mqs[j].queue_id == seeks[i].qid)
                rmq_lite_pull_consumer_seek(c, &mqs[j], seeks[i].offset);
    long long resume_at = 0;
    for (size_t j = 0; j < n && pause_qid >= 0; j++)
        if (mqs[j].queue_id == pause_qid && rmq_lite_pull_consumer_pause(c, &mqs[j]) == 0)
            resume_at = now_ms() + pause_ms;
    long got = 0;
    long long deadline = now_ms() + seconds * 1000LL;
    while ((count == 0 || got < count) && now_ms() < deadline) {
        if (resume_at && now_ms() >= resume_at) {
            for (size_t j = 0; j < n; j++)
                if (mqs[j].queue_id == pause_qid)
                    rmq_lite_pull_consumer_resume(c, &mqs[j]);
            printf("resumed %d\n", pause_qid);
            resume_at = 0;
        }
        rmq_message_ext_t *msgs[32];
        size_t k = rmq_lite_pull_consumer_poll(c, 200, msgs, 32);
        for (size_t i = 0; i < k; i++) {
            const rmq_message_t *msg = rmq_message_ext_message(msgs[i]);
            const char *rid = rmq_message_property(msg, "rid");
            printf("msg %d %lld %s %s\n", (int)rmq_message_ext_queue_id(msgs[i]),
                   (long long)rmq_message_ext_queue_offset(msgs[i]),
                   rmq_message_ext_msg_id(msgs[i]), rid ? rid : "-");
            rmq_message_ext_destroy(msgs[i]);
        }
        got += (long)k;
        if (delay_ms > 0)
            usleep((useconds_t)delay_ms * 1000);
    }
    if (commit) {
        err = rmq_lite_pull_consumer_commit_sync(c);
        if (err)
            fprintf(stderr, "commit: %s\n", rmq_err2str(err));
        for (size_t j = 0; j < n; j++)
            printf("committed %d %lld\n", (int)mqs[j].queue_id,
                   (long long)rmq_lite_pull_consumer_committed(c, &mqs[j]));
    }
    printf("done: %ld\n", got);
    rmq_message_queues_destroy(mqs, n);
    rmq_lite_pull_consumer_destroy(c);
    return (count == 0 || got >= count) ? 0 : 1;
}
