/*
 * push_consumer: consume a topic with the librocketmq push consumer, using only the
 * public API.
 *
 *   push_consumer [-n host:port;...] -t TOPIC -g GROUP [-e EXPRESSION] [-o] [-l N]
 *                 [-v RECORD_FILE] [-r OUT_FILE] [-x COUNT] [-X LATERS] [-T SECONDS]
 *                 [-w STOP_FILE] [-d MILLIS]
 *                 [-s KEY=VALUE ...]
 *
 * Subscribes GROUP to TOPIC with EXPRESSION ("*" by default) and prints one line per
 * message:  msg <queueId> <queueOffset> <reconsumeTimes> <msgId> <topic> <tags> <rid>
 * -o uses an orderly listener instead of a concurrent one. -l N answers "later"
 * (RECONSUME_LATER, or SUSPEND when orderly) to the first N deliveries of every message
 * that has a user property "rid" (counted per rid), so the message comes back: from
 * %RETRY%GROUP when concurrent, from the same queue when orderly. -s sets any
 * configuration key (rocketmq/conf.h), e.g. -s messageModel=BROADCASTING. -d makes the
 * listener sleep MILLIS per call (a slow application, for flow control).
 *
 * With -v the consumer checks what it receives against RECORD_FILE, one line per
 * message the producer sent (the format of examples/producer.c):
 *
 *   rid <TAB> msgId or "-" <TAB> hex(tags) <TAB> hex(keys) <TAB> name=hex(value),... <TAB>
 * hex(body)
 *
 * matching by the property "rid": tags, keys, each recorded property, the body and the
 * message id must be equal (a batch message may show its batch's id), and a rid starting
 * with "compressed" must have been stored zlib-compressed (sys flag 0x300 | 0x1). It exits
 * once every recorded rid was seen (or after -x COUNT distinct rids, -X LATERS "later"
 * answers, or -T SECONDS, default 60), printing "done: <distinct> received, <mismatches>
 * mismatches". With -r each distinct rid consumed is appended to OUT_FILE as "rid <TAB> queueId".
 * With -w it runs until STOP_FILE exists (at most SECONDS), then shuts down cleanly
 * (even when every recorded rid was seen).
 *
 * Without -n the NAMESRV_ADDR environment variable is used. Build against an installed
 * library with:  cc push_consumer.c $(pkg-config --cflags --libs rocketmq)
 */
#include <rocketmq/rocketmq.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char *rid, *msg_id, *tags, *keys, *props, *body;
    size_t body_len;
    int seen, later;
} expected_t;

static expected_t *expected;
static size_t expected_count, distinct, mismatches, stop_after, later_total, stop_after_laters;
static int later_n, delay_ms;
static FILE *out;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char batch_id[64];

/* Later-counters for rids without a record (-l without -v). */
static struct {
    char rid[128];
    int n;
} laters[4096];
static size_t later_count;

static char *unhex(const char *s, size_t len, size_t *out_len) {
    char *b = malloc(len / 2 + 1);
    for (size_t i = 0; i + 1 < len; i += 2) {
        unsigned v;
        sscanf(s + i, "%2x", &v);
        b[i / 2] = (char)v;
    }
    b[len / 2] = '\0';
    if (out_len)
        *out_len = len / 2;
    return b;
}

static void load_record(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    static char line[1 << 20];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *field[6];
        char *p = line;
        int n = 0;
        for (; n < 6 && p; n++) {
            field[n] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        if (n != 6)
            continue;
        expected = realloc(expected, (expected_count + 1) * sizeof *expected);
        expected_t *e = &expected[expected_count++];
        memset(e, 0, sizeof *e);
        e->rid = strdup(field[0]);
        e->msg_id = strcmp(field[1], "-") == 0 ? NULL : strdup(field[1]);
        e->tags = *field[2] ? unhex(field[2], strlen(field[2]), NULL) : NULL;
        e->keys = *field[3] ? unhex(field[3], strlen(field[3]), NULL) : NULL;
        e->props = strdup(field[4]);
        e->body = unhex(field[5], strlen(field[5]), &e->body_len);
    }
    fclose(f);
}

static expected_t *find(const char *rid) {
    for (size_t i = 0; i < expected_count; i++)
        if (strcmp(expected[i].rid, rid) == 0)
            return &expected[i];
    return NULL;
}

static int streq(const char *a, const char *b) {
    return a ? (b && strcmp(a, b) == 0) : b == NULL;
}

/* NULL when m is what e recorded, else what differs. Locks: mu held. */
static const char *compare(const expected_t *e, const rmq_message_ext_t *m) {
    const rmq_message_t *msg = rmq_message_ext_message(m);
    if (!streq(e->tags, rmq_message_tags(msg)))
        return "tags differ";
    if (!streq(e->keys, rmq_message_keys(msg)))
        return "keys differ";
    char *props = strdup(e->props), *save = NULL;
    for (char *kv = strtok_r(props, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!eq)
            continue;
        *eq = '\0';
        char *value = unhex(eq + 1, strlen(eq + 1), NULL);
        int ok = streq(value, rmq_message_property(msg, kv));
        free(value);
        if (!ok) {
            free(props);
            return "a property differs";
        }
    }
    free(props);
    size_t len;
    const void *body = rmq_message_body(msg, &len);
    if (len != e->body_len || memcmp(body, e->body, len) != 0)
        return "body differs";
    const char *uniq = rmq_message_property(msg, "UNIQ_KEY");
    if (!uniq || strcmp(uniq, rmq_message_ext_msg_id(m)) != 0)
        return "msgId is not the UNIQ_KEY";
    if (e->msg_id && strcmp(e->msg_id, uniq) != 0) {
        if (strncmp(e->rid, "batch", 5) != 0)
            return "msgId differs";
        if (!*batch_id)
            snprintf(batch_id, sizeof batch_id, "%s", uniq);
        else if (strcmp(batch_id, uniq) != 0)
            return "batch messages with neither their own id nor one shared id";
    }
    int32_t sys = rmq_message_ext_sys_flag(m);
    if (strncmp(e->rid, "compressed", 10) == 0) {
        if ((sys & 0x701) != 0x301)
            return "not stored zlib-compressed";
    } else if (sys & 0x701) {
        return "unexpectedly compressed";
    }
    return NULL;
}

/* Whether this delivery of rid is answered "later" (-l). Locks: mu held. */
static int answer_later(const char *rid) {
    if (!rid || later_n <= 0)
        return 0;
    for (size_t i = 0; i < later_count; i++)
        if (strcmp(laters[i].rid, rid) == 0)
            return laters[i].n++ < later_n;
    if (later_count < sizeof laters / sizeof laters[0]) {
        snprintf(laters[later_count].rid, sizeof laters[later_count].rid, "%s", rid);
        laters[later_count++].n = 1;
    }
    return 1;
}

/* Returns 1 to ask for a later delivery. */
static int handle(const rmq_message_ext_t *const *msgs, size_t n) {
    int later = 0;
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < n; i++) {
        const rmq_message_ext_t *m = msgs[i];
        const rmq_message_t *msg = rmq_message_ext_message(m);
        const char *rid = rmq_message_property(msg, "rid");
        printf("msg %d %lld %d %s %s %s %s\n", (int)rmq_message_ext_queue_id(m),
               (long long)rmq_message_ext_queue_offset(m), (int)rmq_message_ext_reconsume_times(m),
               rmq_message_ext_msg_id(m), rmq_message_topic(msg),
               rmq_message_tags(msg) ? rmq_message_tags(msg) : "-", rid ? rid : "-");
        if (answer_later(rid)) {
            later = 1;
            later_total++;
            continue;
        }
        if (!rid)
            continue;
        expected_t *e = expected_count ? find(rid) : NULL;
        if (expected_count && !e)
            continue;
        if (e) {
            const char *why = compare(e, m);
            if (why) {
                mismatches++;
                fprintf(stderr, "message %s: %s\n", rid, why);
            }
            if (e->seen++)
                continue;
        } else {
            /* No record: count distinct rids by the out file's order only. */
            static char **seen;
            static size_t seen_count;
            size_t k = 0;
            while (k < seen_count && strcmp(seen[k], rid) != 0)
                k++;
            if (k < seen_count)
                continue;
            seen = realloc(seen, (seen_count + 1) * sizeof *seen);
            seen[seen_count++] = strdup(rid);
        }
        distinct++;
        if (out) {
            fprintf(out, "%s\t%d\n", rid, (int)rmq_message_ext_queue_id(m));
            fflush(out);
        }
    }
    fflush(stdout);
    pthread_mutex_unlock(&mu);
    if (delay_ms > 0)
        usleep((useconds_t)delay_ms * 1000);
    return later;
}

static rmq_consume_status_t on_concurrently(const rmq_message_ext_t *const *msgs, size_t n,
                                            void *opaque) {
    (void)opaque;
    return handle(msgs, n) ? RMQ_RECONSUME_LATER : RMQ_CONSUME_SUCCESS;
}

static rmq_consume_orderly_status_t on_orderly(const rmq_message_ext_t *const *msgs, size_t n,
                                               void *opaque) {
    (void)opaque;
    return handle(msgs, n) ? RMQ_SUSPEND_CURRENT_QUEUE_A_MOMENT : RMQ_ORDERLY_SUCCESS;
}

int main(int argc, char **argv) {
    const char *namesrv = NULL, *topic = NULL, *group = NULL, *expr = "*", *record = NULL,
               *stop_file = NULL;
    int orderly = 0, seconds = 60;
    char errstr[512];
    rmq_conf_t *conf = rmq_conf_new();
    int opt;
    while ((opt = getopt(argc, argv, "n:t:g:e:ol:v:r:x:X:T:w:d:s:")) != -1) {
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
        case 'e':
            expr = optarg;
            break;
        case 'o':
            orderly = 1;
            break;
        case 'l':
            later_n = atoi(optarg);
            break;
        case 'v':
            record = optarg;
            break;
        case 'r':
            out = fopen(optarg, "a");
            break;
        case 'x':
            stop_after = (size_t)atoi(optarg);
            break;
        case 'X':
            stop_after_laters = (size_t)atoi(optarg);
            break;
        case 'T':
            seconds = atoi(optarg);
            break;
        case 'w':
            stop_file = optarg;
            break;
        case 'd':
            delay_ms = atoi(optarg);
            break;
        case 's': {
            char *eq = strchr(optarg, '=');
            if (!eq) {
                fprintf(stderr, "-s KEY=VALUE\n");
                return 2;
            }
            *eq = '\0';
            if (rmq_conf_set(conf, optarg, eq + 1, errstr, sizeof errstr)) {
                fprintf(stderr, "%s\n", errstr);
                return 2;
            }
            break;
        }
        default:
            fprintf(stderr,
                    "usage: push_consumer [-n NAMESRV] -t TOPIC -g GROUP [-e EXPR] [-o] "
                    "[-l N] [-v RECORD] [-r OUT] [-x COUNT] [-T SECONDS] [-d MS] [-s K=V]\n");
            return 2;
        }
    }
    if (!topic || !group) {
        fprintf(stderr, "-t TOPIC and -g GROUP are required\n");
        return 2;
    }
    if (record)
        load_record(record);
    if (namesrv)
        rmq_conf_set(conf, "namesrvAddr", namesrv, NULL, 0);
    rmq_conf_set(conf, "consumerGroup", group, NULL, 0);
    rmq_push_consumer_t *c = rmq_push_consumer_new(conf, errstr, sizeof errstr);
    rmq_conf_destroy(conf);
    if (!c) {
        fprintf(stderr, "push_consumer_new: %s\n", errstr);
        return 1;
    }
    if (rmq_push_consumer_subscribe(c, topic, expr, errstr, sizeof errstr) != RMQ_ERR_NO_ERROR) {
        fprintf(stderr, "subscribe: %s\n", errstr);
        return 1;
    }
    if (orderly)
        rmq_push_consumer_set_listener_orderly(c, on_orderly, NULL);
    else
        rmq_push_consumer_set_listener_concurrently(c, on_concurrently, NULL);
    rmq_err_t err = rmq_push_consumer_start(c, errstr, sizeof errstr);
    if (err) {
        fprintf(stderr, "start: %s (%s)\n", rmq_err2str(err), errstr);
        return 1;
    }
    printf("client id %s\n", rmq_push_consumer_client_id(c));
    fflush(stdout);
    size_t want = stop_after ? stop_after : expected_count;
    for (int i = 0; i < seconds * 10; i++) {
        pthread_mutex_lock(&mu);
        int complete = (!stop_file && want > 0 && distinct >= want) ||
                       (stop_after_laters > 0 && later_total >= stop_after_laters);
        pthread_mutex_unlock(&mu);
        if (complete || (stop_file && access(stop_file, F_OK) == 0))
            break;
        usleep(100 * 1000);
    }
    rmq_push_consumer_destroy(c);
    pthread_mutex_lock(&mu);
    printf("done: %zu received, %zu mismatches\n", distinct, mismatches);
    int ok = mismatches == 0 && (want == 0 || distinct >= want || (stop_file && !expected_count));
    pthread_mutex_unlock(&mu);
    if (out)
        fclose(out);
    return ok ? 0 : 1;
}
