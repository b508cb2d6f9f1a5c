/*
 * broker processors called directly (send.c, pull.c, hold.c, clients.c, offset.c,
 * topics.c, register.c): a broker on a temporary store without background threads,
 * fake connections (conn_ops capture what would be sent), dispatch driven by
 * store_dispatch_catch_up and long polling by broker_hold_run. No network, no sleeps.
 */
#include "../store/store_test_util.h"
#include "broker/internal.h"
#include "common/alloc.h"
#include "protocol/codes.h"
#include "protocol/heartbeat.h"
#include "protocol/message.h"
#include "test.h"

#include <stdio.h>

/* ---- fake connections: pointers to these ints; the value counts references ---- */

typedef struct {
    int code;
    int32_t opaque;
    size_t body_len;
    char next[32];
} sent_t;

static sent_t sent[64];
static int nsent, noneway;
static int conn_a, conn_b;

static const char *fake_peer(const remoting_conn_t *conn) {
    return (const void *)conn == &conn_a ? "127.0.0.1:5555" : "127.0.0.1:6666";
}
static void fake_retain(remoting_conn_t *conn) {
    (*(int *)conn)++;
}
static void fake_release(remoting_conn_t *conn) {
    (*(int *)conn)--;
}
static int fake_send(remoting_conn_t *conn, const remoting_cmd_t *cmd) {
    sent_t *s = &sent[nsent++ % 64];
    s->code = cmd->code;
    s->opaque = cmd->opaque;
    s->body_len = cmd->body.len;
    const char *n = remoting_cmd_ext_get(cmd, "nextBeginOffset");
    snprintf(s->next, sizeof s->next, "%s", n ? n : "");
    return 0;
}
static int fake_oneway(remoting_conn_t *conn, remoting_cmd_t *req) {
    CHECK_EQ(req->code, PROTO_NOTIFY_CONSUMER_IDS_CHANGED);
    noneway++;
    return 0;
}
static void fake_close(remoting_conn_t *conn) {}
/* The last zero-copy body: its bytes (copied, up to 8 KiB) and how many segments. */
static char seg_body[8192];
static size_t seg_count;

/* Records like fake_send, the body length being the segments' total; releases them. */
static int fake_send_segments(remoting_conn_t *conn, const remoting_cmd_t *cmd,
                              const remoting_segment_t *segs, size_t n) {
    fake_send(conn, cmd);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (len + segs[i].len <= sizeof seg_body)
            memcpy(seg_body + len, segs[i].ptr, segs[i].len);
        len += segs[i].len;
        segs[i].release(segs[i].arg);
    }
    seg_count = n;
    sent[(nsent - 1) % 64].body_len = len;
    return 0;
}

static int fake_run(remoting_conn_t *conn, remoting_task_t *task) {
    task->run(task);
    return 0;
}

static const broker_conn_ops_t fake_ops = {fake_peer,   fake_retain, fake_release,       fake_send,
                                           fake_oneway, fake_close,  fake_send_segments, fake_run};

static broker_t *open_broker(char **dir) {
    *dir = test_tmpdir("broker");
    broker_config_t cfg;
    broker_config_init(&cfg);
    broker_config_set(&cfg, "storePathRootDir", *dir);
    broker_config_set(&cfg, "brokerIP1", "127.0.0.1");
    broker_config_set(&cfg, "brokerIP2", "127.0.0.1");
    broker_config_set(&cfg, "brokerName", "broker-t");
    broker_config_set(&cfg, "mappedFileSizeCommitLog", "1048576");
    broker_config_finish(&cfg);
    broker_t *b = NULL;
    CHECK_EQ(broker_new(&cfg, false, &b), 0);
    broker_config_close(&cfg);
    broker_set_conn_ops(b, &fake_ops);
    nsent = noneway = 0;
    return b;
}

static void close_broker(broker_t *b, char *dir) {
    broker_destroy(b);
    CHECK_EQ(conn_a, 0);
    CHECK_EQ(conn_b, 0);
    test_rmdir(dir);
}

static remoting_conn_t *A(void) {
    return (remoting_conn_t *)&conn_a;
}
static remoting_conn_t *B(void) {
    return (remoting_conn_t *)&conn_b;
}

/* Runs a request through the dispatch table; returns the handler result. */
static int call(broker_t *b, remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp) {
    remoting_cmd_reset(resp);
    remoting_cmd_set_response(resp, 0, req->opaque, NULL);
    return broker_handle_request(b, conn, req, resp);
}

static void send_req(remoting_cmd_t *req, const char *topic, int qid, const char *props) {
    remoting_cmd_reset(req);
    remoting_cmd_set_request(req, PROTO_SEND_MESSAGE_V2);
    char q[16];
    snprintf(q, sizeof q, "%d", qid);
    remoting_cmd_ext_set(req, "a", "PG");
    remoting_cmd_ext_set(req, "b", topic);
    remoting_cmd_ext_set(req, "c", "TBW102");
    remoting_cmd_ext_set(req, "d", "4");
    remoting_cmd_ext_set(req, "e", q);
    remoting_cmd_ext_set(req, "f", "0");
    remoting_cmd_ext_set(req, "g", "1700000000000");
    remoting_cmd_ext_set(req, "h", "0");
    if (props)
        remoting_cmd_ext_set(req, "i", props);
    remoting_cmd_borrow_body(req, "hello", 5);
}

static void pull_req(remoting_cmd_t *req, const char *topic, int qid, int64_t offset,
                     int sys_flag) {
    remoting_cmd_reset(req);
    remoting_cmd_set_request(req, PROTO_PULL_MESSAGE);
    req->opaque = 77;
    char q[16], o[32], f[16];
    snprintf(q, sizeof q, "%d", qid);
    snprintf(o, sizeof o, "%lld", (long long)offset);
    snprintf(f, sizeof f, "%d", sys_flag);
    remoting_cmd_ext_set(req, "consumerGroup", "CG");
    remoting_cmd_ext_set(req, "topic", topic);
    remoting_cmd_ext_set(req, "queueId", q);
    remoting_cmd_ext_set(req, "queueOffset", o);
    remoting_cmd_ext_set(req, "maxMsgNums", "32");
    remoting_cmd_ext_set(req, "sysFlag", f);
    remoting_cmd_ext_set(req, "commitOffset", "0");
    remoting_cmd_ext_set(req, "suspendTimeoutMillis", "15000");
    remoting_cmd_ext_set(req, "subVersion", "0");
    remoting_cmd_ext_set(req, "subscription", "TagA");
}

static void heartbeat_m(broker_t *b, remoting_conn_t *conn, const char *client, const char *topic,
                        int sub_version, const char *model) {
    char body[1024];
    snprintf(body, sizeof body,
             "{\"clientID\":\"%s\",\"consumerDataSet\":[{\"consumeFromWhere\":"
             "\"CONSUME_FROM_FIRST_OFFSET\",\"consumeType\":\"CONSUME_PASSIVELY\",\"groupName\":"
             "\"CG\",\"messageModel\":\"%s\",\"subscriptionDataSet\":[{\"codeSet\":[],"
             "\"expressionType\":\"TAG\",\"subString\":\"*\",\"subVersion\":%d,\"tagsSet\":[],"
             "\"topic\":\"%s\"}],\"unitMode\":false}],\"producerDataSet\":[{\"groupName\":"
             "\"PG\"}]}",
             client, model, sub_version, topic);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, PROTO_HEART_BEAT);
    remoting_cmd_borrow_body(&req, body, strlen(body));
    CHECK_EQ(call(b, conn, &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "IS_SUPPORT_HEART_BEAT_V2"), "true");
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
}

static void heartbeat_v(broker_t *b, remoting_conn_t *conn, const char *client, const char *topic,
                        int sub_version) {
    heartbeat_m(b, conn, client, topic, sub_version, "CLUSTERING");
}

static void heartbeat(broker_t *b, remoting_conn_t *conn, const char *client, const char *topic) {
    heartbeat_v(b, conn, client, topic, 5);
}

/* ---- tests ---- */

static void test_system_topics(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    broker_topic_info_t ti;
    CHECK(broker_topics_get(b, "TBW102", &ti));
    CHECK_EQ(ti.perm, 7);
    CHECK_EQ(ti.write_queue_nums, 8);
    CHECK(broker_topics_get(b, "SCHEDULE_TOPIC_XXXX", &ti));
    CHECK_EQ(ti.read_queue_nums, 18);
    CHECK(broker_topics_get(b, "broker-t", &ti));
    CHECK_EQ(ti.perm, 7);
    CHECK(broker_topics_get(b, "DefaultCluster", &ti));
    CHECK(broker_topics_get(b, "RMQ_SYS_TRANS_HALF_TOPIC", &ti));
    CHECK(broker_topics_get(b, "rmq_sys_REVIVE_LOG_DefaultCluster", &ti));
    /* The registration carries them all. */
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    broker_register_build(b, &req);
    CHECK_EQ(req.code, PROTO_REGISTER_BROKER);
    CHECK_STREQ(remoting_cmd_ext_get(&req, "brokerAddr"), "127.0.0.1:10911");
    CHECK_STREQ(remoting_cmd_ext_get(&req, "haServerAddr"), "127.0.0.1:10912");
    CHECK(req.body.len > 0 && memmem(req.body.ptr, req.body.len, "\"TBW102\"", 8));
    remoting_cmd_close(&req);
    close_broker(b, dir);
}

static int topic_wakeups;
static void count_topic_wakeup(broker_t *b) {
    (void)b;
    topic_wakeups++;
}

static void test_send_autocreate_and_pull(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    topic_wakeups = 0;
    atomic_store(&b->topics.on_change, count_topic_wakeup);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    send_req(&req, "TopicT", 1, "TAGS\001TagA\002KEYS\001k1\002");
    CHECK_EQ(call(b, A(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_EQ(strlen(remoting_cmd_ext_get(&resp, "msgId")), 32);
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "queueId"), "1");
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "queueOffset"), "0");
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "MSG_REGION"), "DefaultRegion");
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "TRACE_ON"), "true");
    CHECK_EQ(strlen(remoting_cmd_ext_get(&resp, "transactionId")), 32); /* generated */
    broker_topic_info_t ti;
    CHECK(broker_topics_get(b, "TopicT", &ti));
    CHECK_EQ(ti.write_queue_nums, 4);
    CHECK_EQ(ti.perm, 6);
    CHECK(atomic_load(&b->topics.changed));
    CHECK_EQ(topic_wakeups, 1); /* the management loop registers the new topic at once */
    send_req(&req, "TopicT", 1, "TAGS\001TagB\002");
    CHECK_EQ(call(b, A(), &req, &resp), 0);
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "queueOffset"), "1");
    CHECK_EQ(topic_wakeups, 1);
    store_dispatch_catch_up(b->store);

    /* Pull with the request's own subscription (TagA): one message, the TagB one is
     * filtered by its tag code. */
    pull_req(&req, "TopicT", 1, 0, 0x4);
    CHECK_EQ(call(b, A(), &req, &resp), REMOTING_PENDING);
    CHECK_EQ(nsent, 1);
    CHECK_EQ(sent[0].code, PROTO_SUCCESS);
    CHECK(sent[0].body_len > 0);
    CHECK_STREQ(sent[0].next, "2");
    /* Caught up: PULL_NOT_FOUND without the suspend flag. */
    pull_req(&req, "TopicT", 1, 2, 0x4);
    CHECK_EQ(call(b, A(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_PULL_NOT_FOUND);
    CHECK_STREQ(remoting_cmd_remark(&resp), "OFFSET_OVERFLOW_ONE");
    /* Past the end: moved. */
    pull_req(&req, "TopicT", 1, 9, 0x4);
    CHECK_EQ(call(b, A(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_PULL_OFFSET_MOVED);
    /* Without a subscription flag the heartbeat's is needed. */
    pull_req(&req, "TopicT", 1, 0, 0);
    CHECK_EQ(call(b, A(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUBSCRIPTION_NOT_EXIST);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

/* Record sizes in a pull body, in order; returns the count. */
static size_t body_records(const char *body, size_t len, int32_t *sizes, size_t max) {
    size_t n = 0;
    for (size_t pos = 0; pos + 4 <= len && n < max; n++) {
        sizes[n] = (int32_t)rmq_get_u32be(body + pos);
        CHECK(sizes[n] > 0);
        pos += (size_t)sizes[n];
    }
    return n;
}

/* Zero-copy pull bodies: adjacent records of a queue go out as one mapped segment,
 * records separated by another queue's as one segment each; the bytes are the records. */
static void test_pull_body_segments(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    for (int i = 0; i < 3; i++) { /* queue 0: three in a row */
        send_req(&req, "TopicZ", 0, "TAGS\001TagA\002");
        CHECK_EQ(call(b, A(), &req, &resp), 0);
    }
    for (int i = 0; i < 3; i++) { /* queue 1, interleaved with queue 2 */
        send_req(&req, "TopicZ", 1, "TAGS\001TagA\002");
        CHECK_EQ(call(b, A(), &req, &resp), 0);
        send_req(&req, "TopicZ", 2, "TAGS\001TagA\002");
        CHECK_EQ(call(b, A(), &req, &resp), 0);
    }
    store_dispatch_catch_up(b->store);
    int32_t sizes[8];
    int before = nsent;
    pull_req(&req, "TopicZ", 0, 0, 0x4);
    CHECK_EQ(call(b, A(), &req, &resp), REMOTING_PENDING);
    CHECK_EQ(nsent, before + 1);
    CHECK_EQ(seg_count, 1);
    size_t len = sent[(nsent - 1) % 64].body_len;
    CHECK_EQ(body_records(seg_body, len, sizes, 8), 3);
    CHECK_EQ((size_t)(sizes[0] + sizes[1] + sizes[2]), len);
    pull_req(&req, "TopicZ", 1, 0, 0x4);
    CHECK_EQ(call(b, A(), &req, &resp), REMOTING_PENDING);
    CHECK_EQ(seg_count, 3);
    len = sent[(nsent - 1) % 64].body_len;
    CHECK_EQ(body_records(seg_body, len, sizes, 8), 3);
    CHECK_EQ((size_t)(sizes[0] + sizes[1] + sizes[2]), len);
    CHECK_STREQ(sent[(nsent - 1) % 64].next, "3");
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

static void test_send_validation(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    send_req(&req, "bad topic", 0, NULL);
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_INVALID_PARAMETER);
    send_req(&req, "SCHEDULE_TOPIC_XXXX", 0, NULL);
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_NO_PERMISSION);
    CHECK_STREQ(remoting_cmd_remark(&resp),
                "Sending message to topic[SCHEDULE_TOPIC_XXXX] is forbidden.");
    send_req(&req, "TopicV", 100, NULL);
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_INVALID_PARAMETER);
    send_req(&req, "TopicW", 0, NULL);
    remoting_cmd_ext_set(&req, "c", "NoSuchDefault");
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_TOPIC_NOT_EXIST);
    CHECK(strncmp(remoting_cmd_remark(&resp), "topic[TopicW] not exist, apply first please!", 44) ==
          0);
    /* Missing required field. */
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, PROTO_SEND_MESSAGE_V2);
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    /* Batch: two messages, two offset ids. */
    rmq_buf_t body;
    rmq_buf_init(&body);
    proto_batch_append(&body, 0, RMQ_SLICE_LIT("a"), RMQ_SLICE_LIT("UNIQ_KEY\001X1\002"));
    proto_batch_append(&body, 0, RMQ_SLICE_LIT("b"), RMQ_SLICE_LIT("UNIQ_KEY\001X2\002"));
    send_req(&req, "TopicBatch", 0, "WAIT\001true\002");
    req.code = PROTO_SEND_BATCH_MESSAGE;
    remoting_cmd_ext_set(&req, "m", "true");
    remoting_cmd_borrow_body(&req, body.data, body.len);
    CHECK_EQ(call(b, A(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_EQ(strlen(remoting_cmd_ext_get(&resp, "msgId")), 65);
    CHECK_EQ(store_max_offset(b->store, RMQ_SLICE_LIT("TopicBatch"), 0), 0);
    store_dispatch_catch_up(b->store);
    CHECK_EQ(store_max_offset(b->store, RMQ_SLICE_LIT("TopicBatch"), 0), 2);
    rmq_buf_close(&body);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

static void test_long_polling(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    send_req(&req, "TopicL", 0, "TAGS\001TagA\002");
    call(b, A(), &req, &resp);
    store_dispatch_catch_up(b->store);
    /* Caught up with the suspend flag: held. */
    pull_req(&req, "TopicL", 0, 1, 0x4 | 0x2);
    CHECK_EQ(call(b, A(), &req, &resp), REMOTING_PENDING);
    CHECK_EQ(broker_hold_count(b->hold), 1);
    CHECK_EQ(conn_a, 1);
    broker_hold_run(b->hold, 0);
    CHECK_EQ(nsent, 0); /* nothing new, not expired */
    /* A new record wakes it through the dispatch hook. */
    send_req(&req, "TopicL", 0, "TAGS\001TagA\002");
    call(b, A(), &req, &resp);
    store_dispatch_catch_up(b->store);
    broker_hold_run(b->hold, 0);
    CHECK_EQ(nsent, 1);
    CHECK_EQ(sent[0].code, PROTO_SUCCESS);
    CHECK_EQ(sent[0].opaque, 77);
    CHECK_STREQ(sent[0].next, "2");
    CHECK_EQ(broker_hold_count(b->hold), 0);
    CHECK_EQ(conn_a, 0);
    /* Held again, then expired: answered PULL_NOT_FOUND. */
    pull_req(&req, "TopicL", 0, 2, 0x4 | 0x2);
    CHECK_EQ(call(b, A(), &req, &resp), REMOTING_PENDING);
    broker_hold_run(b->hold, INT64_MAX);
    CHECK_EQ(nsent, 2);
    CHECK_EQ(sent[1].code, PROTO_PULL_NOT_FOUND);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

/* Members of a BROADCASTING group each consume everything: no rebalance, so nobody is
 * told when members come and go (as upstream). */
static void test_broadcasting_not_notified(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    heartbeat_m(b, A(), "c1", "TopicO", 5, "BROADCASTING");
    heartbeat_m(b, B(), "c2", "TopicO", 5, "BROADCASTING");
    heartbeat_m(b, A(), "c1", "TopicP", 6, "BROADCASTING");
    broker_on_conn_close(b, B());
    CHECK_EQ(noneway, 0);
    close_broker(b, dir);
}

static void test_clients_and_offsets(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    heartbeat(b, A(), "c1", "TopicO");
    CHECK_EQ(noneway, 1); /* a new member: the group is told */
    broker_topic_info_t ti;
    CHECK(broker_topics_get(b, "%RETRY%CG", &ti));
    CHECK_EQ(ti.read_queue_nums, 1);
    heartbeat(b, A(), "c1", "TopicO");
    CHECK_EQ(noneway, 1); /* nothing changed */
    heartbeat(b, B(), "c2", "TopicO");
    CHECK_EQ(noneway, 3); /* both members told */
    /* A newer subVersion of the same topics (what a Java consumer sends after each
     * rebalance that moved its queues) is no membership change: nobody is told. */
    heartbeat_v(b, A(), "c1", "TopicO", 6);
    CHECK_EQ(noneway, 3);
    /* Another topic is: both members are told. */
    heartbeat_v(b, A(), "c1", "TopicP", 7);
    CHECK_EQ(noneway, 5);
    heartbeat_v(b, A(), "c1", "TopicO", 8);
    CHECK_EQ(noneway, 7);

    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, PROTO_GET_CONSUMER_LIST_BY_GROUP);
    remoting_cmd_ext_set(&req, "consumerGroup", "CG");
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    proto_strs_t ids = {0};
    CHECK_EQ(proto_consumer_list_decode(resp.body.ptr, resp.body.len, &ids), 0);
    CHECK_EQ(ids.count, 2);
    proto_strs_close(&ids);

    /* B goes away: A is told. */
    broker_on_conn_close(b, B());
    CHECK_EQ(noneway, 8);
    CHECK_EQ(conn_b, 0);

    /* Offsets: the topic needs to exist for an update. */
    send_req(&req, "TopicO", 0, NULL);
    call(b, A(), &req, &resp);
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, PROTO_UPDATE_CONSUMER_OFFSET);
    remoting_cmd_ext_set(&req, "consumerGroup", "CG");
    remoting_cmd_ext_set(&req, "topic", "TopicO");
    remoting_cmd_ext_set(&req, "queueId", "0");
    remoting_cmd_ext_set(&req, "commitOffset", "42");
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    remoting_cmd_ext_set(&req, "consumerGroup", "NoGroup");
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_SUBSCRIPTION_GROUP_NOT_EXIST);
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, PROTO_QUERY_CONSUMER_OFFSET);
    remoting_cmd_ext_set(&req, "consumerGroup", "CG");
    remoting_cmd_ext_set(&req, "topic", "TopicO");
    remoting_cmd_ext_set(&req, "queueId", "0");
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "offset"), "42");
    store_dispatch_catch_up(b->store);
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, PROTO_GET_MAX_OFFSET);
    remoting_cmd_ext_set(&req, "topic", "TopicO");
    remoting_cmd_ext_set(&req, "queueId", "0");
    call(b, A(), &req, &resp);
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "offset"), "1");
    req.code = PROTO_GET_MIN_OFFSET;
    call(b, A(), &req, &resp);
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "offset"), "0");
    req.code = PROTO_GET_EARLIEST_MSG_STORETIME;
    call(b, A(), &req, &resp);
    CHECK(atoll(remoting_cmd_ext_get(&resp, "timestamp")) > 0);
    remoting_cmd_ext_set(&req, "timestamp", "0");
    req.code = PROTO_SEARCH_OFFSET_BY_TIMESTAMP;
    call(b, A(), &req, &resp);
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "offset"), "0");

    /* A group that never committed: 0 where the queue's first message is there, but
     * QUERY_NOT_FOUND on an empty queue (upstream's checkInMemByConsumeOffset finds no
     * message at 0). */
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, PROTO_QUERY_CONSUMER_OFFSET);
    remoting_cmd_ext_set(&req, "consumerGroup", "CG2");
    remoting_cmd_ext_set(&req, "topic", "TopicO");
    remoting_cmd_ext_set(&req, "queueId", "0");
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "offset"), "0");
    remoting_cmd_ext_set(&req, "topic", "%RETRY%CG");
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_QUERY_NOT_FOUND);

    /* Unregister the last member: the group is gone. */
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, PROTO_UNREGISTER_CLIENT);
    remoting_cmd_ext_set(&req, "clientID", "c1");
    remoting_cmd_ext_set(&req, "consumerGroup", "CG");
    remoting_cmd_ext_set(&req, "producerGroup", "PG");
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_EQ(conn_a, 0);
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, PROTO_GET_CONSUMER_LIST_BY_GROUP);
    remoting_cmd_ext_set(&req, "consumerGroup", "CG");
    call(b, A(), &req, &resp);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);

    /* Offsets survive a restart through consumerOffset.json. */
    broker_destroy(b);
    broker_config_t cfg;
    broker_config_init(&cfg);
    broker_config_set(&cfg, "storePathRootDir", dir);
    broker_config_set(&cfg, "brokerIP1", "127.0.0.1");
    broker_config_set(&cfg, "mappedFileSizeCommitLog", "1048576");
    broker_config_finish(&cfg);
    CHECK_EQ(broker_new(&cfg, false, &b), 0);
    broker_config_close(&cfg);
    CHECK_EQ(store_consumer_offsets_query(&b->offsets, "TopicO", "CG", 0), 42);
    CHECK(broker_topics_get(b, "TopicO", &ti));
    close_broker(b, dir);
}

int main(void) {
    RUN(test_system_topics);
    RUN(test_send_autocreate_and_pull);
    RUN(test_pull_body_segments);
    RUN(test_send_validation);
    RUN(test_long_polling);
    RUN(test_clients_and_offsets);
    RUN(test_broadcasting_not_notified);
    return 0;
}
