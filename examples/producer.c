/*
 * producer: send messages to a topic in every mode of the librocketmq producer, using
 * only the public API.
 *
 *   producer [-n host:port;...] [-t TOPIC] [-g GROUP] [-c COUNT] [-r RECORD_FILE]
 *            [-w STOP_FILE] [-s KEY=VALUE ...]
 *
 * Sends COUNT (default 4) messages each: synchronously, asynchronously with a callback,
 * one-way, as one batch and ordered (queue chosen by the hash of a key), plus one
 * message with a 16 KiB body that the producer compresses. Every message has tags, keys
 * and user properties. -s sets any configuration key (see rocketmq/conf.h). With -w the
 * producer stays up after sending (heart-beating its group to the brokers) until
 * STOP_FILE exists, at most 120 s.
 *
 * With -r, one line per message sent is written to RECORD_FILE (the interop test's
 * expectations; tests/interop/test_client_producer.sh):
 *
 *   rid <TAB> msgId or "-" <TAB> hex(tags) <TAB> hex(keys) <TAB> name=hex(value),... <TAB>
 * hex(body)
 *
 * Without -n the NAMESRV_ADDR environment variable is used. Build against an installed
 * library with:  cc producer.c $(pkg-config --cflags --libs rocketmq)
 */
#include <rocketmq/rocketmq.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *record;
static pthread_mutex_t record_mu = PTHREAD_MUTEX_INITIALIZER;

/* Async completions are counted here; main waits for all of them. */
static pthread_mutex_t async_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t async_cv = PTHREAD_COND_INITIALIZER;
static int async_pending, async_failed;

static void put_hex(FILE *f, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        fprintf(f, "%02x", p[i]);
}

static void put_hex_str(FILE *f, const char *s) {
    if (s)
        put_hex(f, s, strlen(s));
}

/* One expectation line; msg_id NULL for one-way sends (no answer, no id). */
static void record_msg(const rmq_message_t *msg, const char *msg_id) {
    if (!record)
        return;
    pthread_mutex_lock(&record_mu);
    fprintf(record, "%s\t%s\t", rmq_message_property(msg, "rid"), msg_id ? msg_id : "-");
    put_hex_str(record, rmq_message_tags(msg));
    fputc('\t', record);
    put_hex_str(record, rmq_message_keys(msg));
    fputc('\t', record);
    int first = 1;
    for (size_t i = 0; i < rmq_message_property_count(msg); i++) {
        const char *name = rmq_message_property_name(msg, i);
        if (!strcmp(name, "TAGS") || !strcmp(name, "KEYS") || !strcmp(name, "WAIT"))
            continue;
        fprintf(record, "%s%s=", first ? "" : ",", name);
        put_hex_str(record, rmq_message_property_value(msg, i));
        first = 0;
    }
    fputc('\t', record);
    size_t len;
    const void *body = rmq_message_body(msg, &len);
    put_hex(record, body, len);
    fputc('\n', record);
    pthread_mutex_unlock(&record_mu);
}

/* A message with tags, two keys, user properties and a body that includes bytes a text
 * encoding would mangle (0x00, 0xff, invalid UTF-8). */
static rmq_message_t *make_message(const char *topic, const char *mode, int i) {
    char rid[64], keys[128], body[256];
    snprintf(rid, sizeof rid, "%s-%d", mode, i);
    snprintf(keys, sizeof keys, "key-%s-%d order-%d", mode, i, i % 3);
    rmq_message_t *msg = rmq_message_new(topic);
    rmq_message_set_tags(msg, i % 2 ? "TagA" : "TagB");
    rmq_message_set_keys(msg, keys);
    rmq_message_set_property(msg, "rid", rid);
    rmq_message_set_property(msg, "mode", mode);
    rmq_message_set_property(msg, "unicode", "h\xc3\xa9llo \xe4\xb8\xad\xf0\x9f\x98\x80");
    int n = snprintf(body, sizeof body, "body of %s message %d: ", mode, i);
    body[n++] = 0;
    body[n++] = (char)0xff;
    body[n++] = (char)0xc3;
    body[n++] = (char)i;
    rmq_message_set_body(msg, body, (size_t)n, RMQ_MSG_F_COPY);
    return msg;
}

static void on_sent(void *opaque, rmq_err_t err, const char *errstr, const rmq_send_result_t *res) {
    rmq_message_t *msg = opaque;
    if (err) {
        fprintf(stderr, "async send failed: %s: %s\n", rmq_err2str(err), errstr);
    } else {
        record_msg(msg, rmq_send_result_msg_id(res));
    }
    rmq_message_destroy(msg);
    pthread_mutex_lock(&async_mu);
    async_pending--;
    async_failed += err != 0;
    pthread_cond_signal(&async_cv);
    pthread_mutex_unlock(&async_mu);
}

static int check(rmq_err_t err, const char *what, const char *errstr) {
    if (err)
        fprintf(stderr, "%s failed: %s (%s)\n", what, rmq_err2str(err), errstr);
    return err != 0;
}

int main(int argc, char **argv) {
    char errstr[512];
    const char *topic = "TopicTest", *stop_file = NULL;
    int count = 4;
    rmq_conf_t *conf = rmq_conf_new();
    rmq_err_t err = 0;
    for (int i = 1; i < argc && !err; i++) {
        if (i + 1 >= argc) {
            fprintf(stderr,
                    "usage: %s [-n NAMESRV] [-t TOPIC] [-g GROUP] [-c COUNT] "
                    "[-r RECORD_FILE] [-w STOP_FILE] [-s KEY=VALUE]\n",
                    argv[0]);
            return 2;
        }
        const char *opt = argv[i], *val = argv[++i];
        if (!strcmp(opt, "-n")) {
            err = rmq_conf_set(conf, "namesrvAddr", val, errstr, sizeof errstr);
        } else if (!strcmp(opt, "-g")) {
            err = rmq_conf_set(conf, "producerGroup", val, errstr, sizeof errstr);
        } else if (!strcmp(opt, "-t")) {
            topic = val;
        } else if (!strcmp(opt, "-w")) {
            stop_file = val;
        } else if (!strcmp(opt, "-c")) {
            count = atoi(val);
        } else if (!strcmp(opt, "-r")) {
            if (!(record = fopen(val, "w"))) {
                perror(val);
                return 1;
            }
        } else if (!strcmp(opt, "-s") && strchr(val, '=')) {
            char key[128];
            const char *eq = strchr(val, '=');
            snprintf(key, sizeof key, "%.*s", (int)(eq - val), val);
            err = rmq_conf_set(conf, key, eq + 1, errstr, sizeof errstr);
        } else {
            fprintf(stderr, "unknown option %s\n", opt);
            return 2;
        }
    }
    if (err) {
        fprintf(stderr, "%s\n", errstr);
        return 2;
    }

    /* The producer copies the configuration: ours can go at once. */
    rmq_producer_t *p = rmq_producer_new(conf, errstr, sizeof errstr);
    rmq_conf_destroy(conf);
    if (!p) {
        fprintf(stderr, "rmq_producer_new: %s\n", errstr);
        return 1;
    }
    if (check(rmq_producer_start(p, errstr, sizeof errstr), "start", errstr))
        return 1;
    printf("client id %s\n", rmq_producer_client_id(p));
    int failed = 0;
    rmq_send_result_t *res = rmq_send_result_new(); /* reused by every sync send */

    /* Sync. */
    for (int i = 0; i < count; i++) {
        rmq_message_t *msg = make_message(topic, "sync", i);
        err = rmq_producer_send(p, msg, res, errstr, sizeof errstr);
        if (!check(err, "sync send", errstr)) {
            printf("sync %s %s queue %s:%d offset %lld\n", rmq_send_result_msg_id(res),
                   rmq_send_status_name(rmq_send_result_status(res)),
                   rmq_send_result_broker_name(res), rmq_send_result_queue_id(res),
                   (long long)rmq_send_result_queue_offset(res));
            record_msg(msg, rmq_send_result_msg_id(res));
        }
        failed += err != 0;
        rmq_message_destroy(msg);
    }

    /* A body over compressMsgBodyOverHowmuch (4 KiB): sent zlib-compressed. */
    {
        rmq_message_t *msg = make_message(topic, "compressed", 0);
        size_t len = 16384;
        unsigned char *big = malloc(len);
        for (size_t i = 0; i < len; i++)
            big[i] = (unsigned char)((i * 7) ^ (i >> 5));
        rmq_message_set_body(msg, big, len, RMQ_MSG_F_NOCOPY);
        err = rmq_producer_send(p, msg, res, errstr, sizeof errstr);
        if (!check(err, "compressed send", errstr))
            record_msg(msg, rmq_send_result_msg_id(res));
        failed += err != 0;
        rmq_message_destroy(msg);
        free(big);
    }

    /* Async: the callback owns the message. */
    for (int i = 0; i < count; i++) {
        rmq_message_t *msg = make_message(topic, "async", i);
        pthread_mutex_lock(&async_mu);
        async_pending++;
        pthread_mutex_unlock(&async_mu);
        err = rmq_producer_send_async(p, msg, on_sent, msg, errstr, sizeof errstr);
        if (check(err, "async send", errstr)) {
            rmq_message_destroy(msg);
            pthread_mutex_lock(&async_mu);
            async_pending--;
            pthread_mutex_unlock(&async_mu);
            failed++;
        }
    }
    pthread_mutex_lock(&async_mu);
    while (async_pending > 0)
        pthread_cond_wait(&async_cv, &async_mu);
    failed += async_failed;
    pthread_mutex_unlock(&async_mu);

    /* One-way: no answer, so no message id to report. */
    for (int i = 0; i < count; i++) {
        rmq_message_t *msg = make_message(topic, "oneway", i);
        err = rmq_producer_send_oneway(p, msg, errstr, sizeof errstr);
        if (!check(err, "oneway send", errstr))
            record_msg(msg, NULL);
        failed += err != 0;
        rmq_message_destroy(msg);
    }

    /* Batch: one request, one msgId per message joined by ','. */
    if (count > 0) {
        rmq_message_t **msgs = calloc((size_t)count, sizeof *msgs);
        for (int i = 0; i < count; i++)
            msgs[i] = make_message(topic, "batch", i);
        err = rmq_producer_send_batch(p, (const rmq_message_t *const *)msgs, (size_t)count, res,
                                      errstr, sizeof errstr);
        if (!check(err, "batch send", errstr)) {
            char *ids = strdup(rmq_send_result_msg_id(res)), *save = NULL;
            char *id = strtok_r(ids, ",", &save);
            for (int i = 0; i < count; i++, id = strtok_r(NULL, ",", &save))
                record_msg(msgs[i], id);
            free(ids);
        }
        failed += err != 0;
        for (int i = 0; i < count; i++)
            rmq_message_destroy(msgs[i]);
        free(msgs);
    }

    /* Ordered: every message with the same order key lands on the same queue. */
    for (int i = 0; i < count; i++) {
        rmq_message_t *msg = make_message(topic, "ordered", i);
        char order_key[] = "order-key-1";
        err = rmq_producer_send_select(p, msg, rmq_queue_select_by_hash, order_key, res, errstr,
                                       sizeof errstr);
        if (!check(err, "ordered send", errstr)) {
            printf("ordered %s queue %d\n", rmq_send_result_msg_id(res),
                   rmq_send_result_queue_id(res));
            record_msg(msg, rmq_send_result_msg_id(res));
        }
        failed += err != 0;
        rmq_message_destroy(msg);
    }

    rmq_send_result_destroy(res);
    if (record)
        fclose(record);
    printf("done: %d failed\n", failed);
    fflush(stdout);
    for (int i = 0; stop_file && i < 1200 && access(stop_file, F_OK) != 0; i++)
        usleep(100 * 1000);
    rmq_producer_destroy(p);
    return failed ? 1 : 0;
}
