/*
 * broker admin_*.c processors called through the dispatch table (issue 4, item 7): a
 * broker on a temporary store without background threads and fake connections whose
 * operations capture what would be sent. No network, no sleeps.
 */
#include "../store/store_test_util.h"
#include "broker/internal.h"
#include "common/alloc.h"
#include "common/props.h"
#include "protocol/admin_body.h"
#include "protocol/codes.h"
#include "protocol/kv_table.h"
#include "protocol/message.h"
#include "test.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int conn_admin, conn_client;
static int nsent, noneway, last_oneway_code, last_sent_code, last_sent_opaque;
static char last_oneway_body[512], last_sent_body[1024];

static const char *fake_peer(const remoting_conn_t *conn) {
    return (const void *)conn == &conn_client ? "127.0.0.1:5555" : "127.0.0.1:6666";
}
static void fake_retain(remoting_conn_t *conn) {
    (*(int *)conn)++;
}
static void fake_release(remoting_conn_t *conn) {
    (*(int *)conn)--;
}
static int fake_send(remoting_conn_t *conn, const remoting_cmd_t *cmd) {
    nsent++;
    last_sent_code = cmd->code;
    last_sent_opaque = cmd->opaque;
    snprintf(last_sent_body, sizeof last_sent_body, "%.*s", (int)cmd->body.len,
             cmd->body.ptr ? cmd->body.ptr : "");
    return 0;
}
static int fake_oneway(remoting_conn_t *conn, remoting_cmd_t *req) {
    noneway++;
    last_oneway_code = req->code;
    snprintf(last_oneway_body, sizeof last_oneway_body, "%.*s", (int)req->body.len,
             req->body.ptr ? req->body.ptr : "");
    return 0;
}
static void fake_close(remoting_conn_t *conn) {}
static int fake_send_segments(remoting_conn_t *conn, const remoting_cmd_t *cmd,
                              const remoting_segment_t *segs, size_t n) {
    for (size_t i = 0; i < n; i++)
        segs[i].release(segs[i].arg);
    return fake_send(conn, cmd);
}

static int fake_run(remoting_conn_t *conn, remoting_task_t *task) {
    task->run(task);
    return 0;
}

static const broker_conn_ops_t fake_ops = {fake_peer,   fake_retain, fake_release,       fake_send,
                                           fake_oneway, fake_close,  fake_send_segments, fake_run};

static remoting_conn_t *ADMIN(void) {
    return (remoting_conn_t *)&conn_admin;
}
static remoting_conn_t *CLIENT(void) {
    return (remoting_conn_t *)&conn_client;
}

static broker_t *open_broker(char **dir) {
    *dir = test_tmpdir("broker_admin");
    broker_config_t cfg;
    broker_config_init(&cfg);
    broker_config_set(&cfg, "storePathRootDir", *dir);
    broker_config_set(&cfg, "brokerIP1", "127.0.0.1");
    broker_config_set(&cfg, "brokerIP2", "127.0.0.1");
    broker_config_set(&cfg, "brokerName", "broker-t");
    broker_config_set(&cfg, "mappedFileSizeCommitLog", "1048576");
    char path[512];
    snprintf(path, sizeof path, "%s/broker.conf", *dir);
    broker_config_set(&cfg, "brokerConfigPath", path);
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
    CHECK_EQ(conn_admin, 0);
    CHECK_EQ(conn_client, 0);
    test_rmdir(dir);
}

static int call(broker_t *b, remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp) {
    remoting_cmd_reset(resp);
    remoting_cmd_set_response(resp, 0, req->opaque, NULL);
    return broker_handle_request(b, conn, req, resp);
}

/* A request with ext fields from "k=v" pairs (NULL-terminated). */
static void make(remoting_cmd_t *req, int code, const char *const *kv) {
    remoting_cmd_reset(req);
    remoting_cmd_set_request(req, code);
    req->opaque = 42;
    for (; kv && *kv; kv++) {
        const char *eq = strchr(*kv, '=');
        remoting_cmd_ext_setn(req, *kv, (size_t)(eq - *kv), eq + 1, strlen(eq + 1));
    }
}

static bool body_has(const remoting_cmd_t *c, const char *s) {
    return c->body.len && memmem(c->body.ptr, c->body.len, s, strlen(s)) != NULL;
}

static void create_topic(broker_t *b, const char *topic, int expect) {
    char t[128];
    snprintf(t, sizeof t, "topic=%s", topic);
    const char *kv[] = {t,
                        "defaultTopic=TBW102",
                        "readQueueNums=2",
                        "writeQueueNums=2",
                        "perm=6",
                        "topicFilterType=SINGLE_TAG",
                        "topicSysFlag=0",
                        "order=false",
                        "attributes=+message.type=NORMAL",
                        NULL};
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    make(&req, PROTO_UPDATE_AND_CREATE_TOPIC, kv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, expect);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
}

static void send_msgs(broker_t *b, const char *topic, int qid, int n) {
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    for (int i = 0; i < n; i++) {
        char q[16];
        snprintf(q, sizeof q, "%d", qid);
        const char *kv[] = {"a=PG", "c=TBW102", "d=4", "f=0", "g=1700000000000", "h=0", NULL};
        make(&req, PROTO_SEND_MESSAGE_V2, kv);
        remoting_cmd_ext_set(&req, "b", topic);
        remoting_cmd_ext_set(&req, "e", q);
        remoting_cmd_borrow_body(&req, "hello", 5);
        CHECK_EQ(call(b, CLIENT(), &req, &resp), 0);
        CHECK_EQ(resp.code, PROTO_SUCCESS);
    }
    store_dispatch_catch_up(b->store);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
}

static void heartbeat(broker_t *b, const char *topic) {
    char body[1024];
    snprintf(body, sizeof body,
             "{\"clientID\":\"127.0.0.1@1#2\",\"consumerDataSet\":[{\"consumeFromWhere\":"
             "\"CONSUME_FROM_FIRST_OFFSET\",\"consumeType\":\"CONSUME_PASSIVELY\",\"groupName\":"
             "\"CG\",\"messageModel\":\"CLUSTERING\",\"subscriptionDataSet\":[{\"codeSet\":[],"
             "\"expressionType\":\"TAG\",\"subString\":\"*\",\"subVersion\":5,\"tagsSet\":[],"
             "\"topic\":\"%s\"}],\"unitMode\":false}],\"producerDataSet\":[{\"groupName\":"
             "\"PG\"}]}",
             topic);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    make(&req, PROTO_HEART_BEAT, NULL);
    req.language = REMOTING_LANG_JAVA;
    req.version = 479;
    remoting_cmd_borrow_body(&req, body, strlen(body));
    CHECK_EQ(call(b, CLIENT(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
}

/* ---- tests ---- */

static void test_topics(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    create_topic(b, "TopicA", PROTO_SUCCESS);
    create_topic(b, "TopicA", PROTO_SUCCESS); /* unchanged: idempotent */
    broker_topic_info_t ti;
    CHECK(broker_topics_get(b, "TopicA", &ti));
    CHECK_EQ(ti.read_queue_nums, 2);
    CHECK_EQ(ti.perm, 6);
    CHECK(atomic_load(&b->topics.changed));
    create_topic(b, "TBW102", PROTO_INVALID_PARAMETER);
    create_topic(b, "rmq_sys_x", PROTO_INVALID_PARAMETER);
    create_topic(b, "bad topic", PROTO_INVALID_PARAMETER);

    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    make(&req, PROTO_GET_ALL_TOPIC_CONFIG, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "\"TopicA\":{\"attributes\":{\"message.type\":\"NORMAL\"}"));
    CHECK(body_has(&resp, "\"topicQueueMappingDetailMap\":{}"));
    CHECK(remoting_cmd_ext_get(&resp, "totalTopicNum"));

    /* one topic (351) */
    const char *one[] = {"topic=TopicA", NULL};
    make(&req, PROTO_GET_TOPIC_CONFIG, one);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "\"readQueueNums\":2"));
    CHECK(body_has(&resp, "\"topicName\":\"TopicA\""));
    const char *none[] = {"topic=NoTopic", NULL};
    make(&req, PROTO_GET_TOPIC_CONFIG, none);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_TOPIC_NOT_EXIST);

    /* stats */
    send_msgs(b, "TopicA", 1, 3);
    const char *tkv[] = {"topic=TopicA", NULL};
    make(&req, PROTO_GET_TOPIC_STATS_INFO, tkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    proto_topic_stats_t ts;
    CHECK_EQ(proto_topic_stats_decode(resp.body.ptr, resp.body.len, &ts), 0);
    CHECK_EQ(ts.count, 2);
    CHECK_EQ(ts.items[1].maxOffset, 3);
    CHECK(ts.items[1].lastUpdateTimestamp > 0);
    CHECK_EQ(ts.items[0].maxOffset, 0);
    CHECK_STREQ(ts.items[0].mq.brokerName, "broker-t");
    proto_topic_stats_close(&ts);
    const char *nkv[] = {"topic=Nope", NULL};
    make(&req, PROTO_GET_TOPIC_STATS_INFO, nkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_TOPIC_NOT_EXIST);

    /* delete */
    make(&req, PROTO_DELETE_TOPIC_IN_BROKER, tkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(!broker_topics_get(b, "TopicA", &ti));
    const char *skv[] = {"topic=SCHEDULE_TOPIC_XXXX", NULL};
    make(&req, PROTO_DELETE_TOPIC_IN_BROKER, skv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_INVALID_PARAMETER);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

static void test_sub_groups(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    const char *body = "{\"consumeBroadcastEnable\":true,\"consumeEnable\":false,\"groupName\":"
                       "\"GroupX\",\"retryMaxTimes\":3,\"retryQueueNums\":1}";
    make(&req, PROTO_UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, NULL);
    remoting_cmd_borrow_body(&req, body, strlen(body));
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    broker_group_info_t gi;
    CHECK(broker_groups_get(b, "GroupX", false, &gi));
    CHECK_EQ(gi.retry_max_times, 3);
    CHECK(!gi.consume_enable);

    const char *bad = "{\"groupName\":\"bad group\"}";
    make(&req, PROTO_UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, NULL);
    remoting_cmd_borrow_body(&req, bad, strlen(bad));
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_INVALID_PARAMETER);

    make(&req, PROTO_GET_ALL_SUBSCRIPTIONGROUP_CONFIG, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK(body_has(&resp, "\"GroupX\":{"));
    CHECK(body_has(&resp, "\"retryMaxTimes\":3"));
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "totalGroupNum"), "1");

    const char *one[] = {"group=GroupX", NULL};
    make(&req, PROTO_GET_SUBSCRIPTIONGROUP_CONFIG, one);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "\"groupName\":\"GroupX\""));
    CHECK(body_has(&resp, "\"consumeEnable\":false"));

    store_consumer_offsets_commit(&b->offsets, "T", "GroupX", 0, 5);
    const char *dkv[] = {"groupName=GroupX", "cleanOffset=true", NULL};
    make(&req, PROTO_DELETE_SUBSCRIPTIONGROUP, dkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(!broker_groups_get(b, "GroupX", false, NULL));
    CHECK_EQ(store_consumer_offsets_query(&b->offsets, "T", "GroupX", 0), -1);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

static void test_consumers(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    create_topic(b, "TopicC", PROTO_SUCCESS);
    send_msgs(b, "TopicC", 0, 4);
    heartbeat(b, "TopicC");
    store_consumer_offsets_commit(&b->offsets, "TopicC", "CG", 0, 3);

    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    /* consume stats: the group's topics from its offsets */
    const char *gkv[] = {"consumerGroup=CG", NULL};
    make(&req, PROTO_GET_CONSUME_STATS, gkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "{\"brokerName\":\"broker-t\",\"queueId\":0,\"topic\":\"TopicC\"}:{"));
    proto_consume_stats_t cs;
    CHECK_EQ(proto_consume_stats_decode(resp.body.ptr, resp.body.len, &cs), 0);
    CHECK_EQ(cs.count, 2);
    for (size_t i = 0; i < cs.count; i++) {
        if (cs.items[i].mq.queueId != 0)
            continue;
        CHECK_EQ(cs.items[i].brokerOffset, 4);
        CHECK_EQ(cs.items[i].consumerOffset, 3);
        CHECK(cs.items[i].lastTimestamp > 0);
    }
    proto_consume_stats_close(&cs);

    /* consumer and producer connections */
    make(&req, PROTO_GET_CONSUMER_CONNECTION_LIST, gkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    proto_client_connection_t cc;
    CHECK_EQ(proto_client_connection_decode(resp.body.ptr, resp.body.len, &cc), 0);
    CHECK_EQ(cc.nconn, 1);
    CHECK_STREQ(cc.conns[0].clientId, "127.0.0.1@1#2");
    CHECK_STREQ(cc.conns[0].clientAddr, "127.0.0.1:5555");
    CHECK_STREQ(cc.conns[0].language, "JAVA");
    CHECK_EQ(cc.conns[0].version, 479);
    CHECK_STREQ(cc.messageModel, "CLUSTERING");
    CHECK_EQ(cc.nsub, 1);
    proto_client_connection_close(&cc);
    const char *nkv[] = {"consumerGroup=Nobody", NULL};
    make(&req, PROTO_GET_CONSUMER_CONNECTION_LIST, nkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_CONSUMER_NOT_ONLINE);
    const char *pkv[] = {"producerGroup=PG", NULL};
    make(&req, PROTO_GET_PRODUCER_CONNECTION_LIST, pkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "\"language\":\"JAVA\""));
    const char *p2[] = {"producerGroup=NoPG", NULL};
    make(&req, PROTO_GET_PRODUCER_CONNECTION_LIST, p2);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);

    /* who consumes */
    const char *tkv[] = {"topic=TopicC", NULL};
    make(&req, PROTO_QUERY_TOPIC_CONSUME_BY_WHO, tkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK(body_has(&resp, "{\"groupList\":[\"CG\"]}"));

    /* reset to the beginning: offsets committed, the client told (220, one-way) */
    const char *rkv[] = {"topic=TopicC", "group=CG", "timestamp=0", "isForce=true", NULL};
    make(&req, PROTO_INVOKE_BROKER_TO_RESET_OFFSET, rkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_EQ(store_consumer_offsets_query(&b->offsets, "TopicC", "CG", 0), 0);
    CHECK_EQ(last_oneway_code, PROTO_RESET_CONSUMER_CLIENT_OFFSET);
    CHECK(strstr(last_oneway_body, "{\"brokerName\":\"broker-t\",\"queueId\":0,\"topic\":"
                                   "\"TopicC\"}:0") != NULL);
    proto_reset_offset_t ro;
    CHECK_EQ(proto_reset_offset_decode(resp.body.ptr, resp.body.len, &ro), 0);
    CHECK_EQ(ro.count, 2);
    proto_reset_offset_close(&ro);
    /* -1 = the max offset, one queue */
    const char *r2[] = {"topic=TopicC", "group=CG",  "timestamp=-1",
                        "isForce=true", "queueId=0", NULL};
    make(&req, PROTO_INVOKE_BROKER_TO_RESET_OFFSET, r2);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_EQ(store_consumer_offsets_query(&b->offsets, "TopicC", "CG", 0), 4);
    const char *r3[] = {"topic=TopicC", "group=NoGroup", "timestamp=0", "isForce=true", NULL};
    make(&req, PROTO_INVOKE_BROKER_TO_RESET_OFFSET, r3);
    b->cfg.autoCreateSubscriptionGroup = false;
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUBSCRIPTION_GROUP_NOT_EXIST);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

/* ---- GET_CONSUMER_RUNNING_INFO: the forwarded request answered by a fake client ---- */

static remoting_response_cb saved_cb;
static void *saved_arg;
static int forwarded_code;

static remoting_cmd_t forwarded;

static int fake_request(remoting_conn_t *conn, remoting_cmd_t *req, int timeout_ms,
                        remoting_response_cb cb, void *arg) {
    CHECK((void *)conn == &conn_client);
    forwarded_code = req->code;
    remoting_cmd_reset(&forwarded);
    for (uint32_t i = 0; i < req->ext_count; i++)
        remoting_cmd_ext_set(&forwarded, remoting_cmd_ext_key(req, i),
                             remoting_cmd_ext_value(req, i));
    remoting_cmd_copy_body(&forwarded, req->body.ptr, req->body.len);
    if (req->code != PROTO_GET_CONSUMER_STATUS_FROM_CLIENT)
        CHECK_STREQ(remoting_cmd_ext_get(req, "clientId"), "127.0.0.1@1#2");
    saved_cb = cb;
    saved_arg = arg;
    return 0;
}

static void test_running_info(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    create_topic(b, "TopicR", PROTO_SUCCESS);
    heartbeat(b, "TopicR");
    b->admin.request = fake_request;
    remoting_cmd_init(&forwarded);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    const char *kv[] = {"consumerGroup=CG", "clientId=127.0.0.1@1#2", "jstackEnable=false", NULL};
    make(&req, PROTO_GET_CONSUMER_RUNNING_INFO, kv);
    req.opaque = 777;
    CHECK_EQ(call(b, ADMIN(), &req, &resp), REMOTING_PENDING);
    CHECK_EQ(forwarded_code, PROTO_GET_CONSUMER_RUNNING_INFO);
    CHECK_EQ(conn_admin, 1);
    remoting_cmd_t *answer = remoting_cmd_new();
    remoting_cmd_set_response(answer, PROTO_SUCCESS, 12345, NULL);
    remoting_cmd_copy_body(answer, "{}", 2);
    nsent = 0;
    saved_cb(saved_arg, 0, answer);
    CHECK_EQ(nsent, 1);
    CHECK_EQ(last_sent_opaque, 777);
    CHECK_EQ(last_sent_code, PROTO_SUCCESS);
    CHECK_EQ(conn_admin, 0);
    /* time-out */
    CHECK_EQ(call(b, ADMIN(), &req, &resp), REMOTING_PENDING);
    saved_cb(saved_arg, -ETIMEDOUT, NULL);
    CHECK_EQ(last_sent_code, PROTO_CONSUME_MSG_TIMEOUT);
    /* unknown client */
    const char *k2[] = {"consumerGroup=CG", "clientId=other", NULL};
    make(&req, PROTO_GET_CONSUMER_RUNNING_INFO, k2);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    remoting_cmd_close(&forwarded);
    CHECK_STREQ(remoting_cmd_remark(&resp), "The Consumer <CG> <other> not online");
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

static void test_runtime_and_config(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    create_topic(b, "TopicS", PROTO_SUCCESS);
    send_msgs(b, "TopicS", 0, 5);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    make(&req, PROTO_GET_BROKER_RUNTIME_INFO, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    proto_kvs_t t = {0};
    CHECK_EQ(proto_kv_table_decode(resp.body.ptr, resp.body.len, &t), 0);
    CHECK_STREQ(proto_kvs_get(&t, "msgPutTotalTodayNow"), "5");
    CHECK_STREQ(proto_kvs_get(&t, "brokerVersionDesc"), "V5_3_3");
    CHECK_STREQ(proto_kvs_get(&t, "brokerActive"), "true");
    CHECK(proto_kvs_get(&t, "putTps") && strchr(proto_kvs_get(&t, "putTps"), ' '));
    CHECK(proto_kvs_get(&t, "commitLogDirCapacity"));
    CHECK(strtoll(proto_kvs_get(&t, "earliestMessageTimeStamp"), NULL, 10) > 0);
    CHECK(strtoll(proto_kvs_get(&t, "commitLogMaxOffset"), NULL, 10) > 0);
    proto_kvs_close(&t);

    /* The configuration file UPDATE_BROKER_CONFIG rewrites, with a key we do not know. */
    char path[512];
    snprintf(path, sizeof path, "%s/broker.conf", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs("brokerName=broker-t\nkeyOfAnotherVersion=kept\n", f);
    fclose(f);

    const char *body = "flushConsumerOffsetInterval=1234\nmsgTraceTopicName=MyTrace\nnoSuchKey=1\n";
    make(&req, PROTO_UPDATE_BROKER_CONFIG, NULL);
    remoting_cmd_borrow_body(&req, body, strlen(body));
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_EQ(b->cfg.flushConsumerOffsetInterval, 1234);
    rmq_props_t saved;
    rmq_props_init(&saved);
    CHECK_EQ(rmq_props_load(&saved, path), 0);
    CHECK_STREQ(rmq_props_get(&saved, "flushConsumerOffsetInterval"), "1234");
    CHECK_STREQ(rmq_props_get(&saved, "msgTraceTopicName"), "MyTrace");
    CHECK_STREQ(rmq_props_get(&saved, "keyOfAnotherVersion"), "kept");
    CHECK(rmq_props_get(&saved, "noSuchKey") == NULL); /* unknown update keys are ignored */
    rmq_props_close(&saved);
    strcat(path, ".bak");
    CHECK(access(path, F_OK) == 0);
    const char *black = "brokerConfigPath=/tmp/x\n";
    make(&req, PROTO_UPDATE_BROKER_CONFIG, NULL);
    remoting_cmd_borrow_body(&req, black, strlen(black));
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_NO_PERMISSION);

    make(&req, PROTO_GET_BROKER_CONFIG, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK(body_has(&resp, "flushConsumerOffsetInterval=1234\n"));
    CHECK(body_has(&resp, "msgTraceTopicName=MyTrace\n"));
    CHECK(body_has(&resp, "brokerName=broker-t\n"));
    CHECK(strstr(remoting_cmd_ext_get(&resp, "version"), "\"counter\":1"));
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

/* ---- offset queries, clone, broker consume stats, queryCq, stats, cleaning ---- */

static void test_offsets_and_store(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    create_topic(b, "TopicO", PROTO_SUCCESS);
    send_msgs(b, "TopicO", 0, 3);
    heartbeat(b, "TopicO");
    store_consumer_offsets_commit(&b->offsets, "TopicO", "CG", 0, 2);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);

    make(&req, PROTO_GET_ALL_CONSUMER_OFFSET, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "\"TopicO@CG\":{0:2}"));
    make(&req, PROTO_GET_ALL_DELAY_OFFSET, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "\"offsetTable\""));
    make(&req, PROTO_GET_SYSTEM_TOPIC_LIST_FROM_BROKER, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK(body_has(&resp, "\"SCHEDULE_TOPIC_XXXX\""));
    CHECK(body_has(&resp, "\"broker-t\""));

    const char *g[] = {"group=CG", NULL};
    make(&req, PROTO_QUERY_TOPICS_BY_CONSUMER, g);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK(body_has(&resp, "\"topicList\":[\"TopicO\"]"));
    CHECK(body_has(&resp, "\"brokerAddr\":\""));
    make(&req, PROTO_QUERY_TOPICS_BY_CONSUMER, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    const char *gt[] = {"group=CG", "topic=TopicO", NULL};
    make(&req, PROTO_QUERY_SUBSCRIPTION_BY_CONSUMER, gt);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK(body_has(&resp, "{\"group\":\"CG\",\"subscriptionData\":{"));
    CHECK(body_has(&resp, "\"topic\":\"TopicO\"}"));

    /* consume time span: queue 0 consumed up to 2 of 3 */
    make(&req, PROTO_QUERY_CONSUME_TIME_SPAN, gt);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "{\"consumeTimeSpanSet\":[{\"consumeTimeStamp\":"));
    CHECK(body_has(&resp, "\"messageQueue\":{\"brokerName\":\"broker-t\",\"queueId\":0,"
                          "\"topic\":\"TopicO\"},\"minTimeStamp\":"));
    rmq_json_doc_t *doc = rmq_json_parse(resp.body.ptr, resp.body.len, NULL, 0);
    CHECK(doc != NULL);
    const rmq_json_t *q0 = rmq_json_get(rmq_json_root(doc), "consumeTimeSpanSet")->child;
    CHECK(rmq_json_get_i64(q0, "consumeTimeStamp", 0) > 0); /* store time of offset 1 */
    CHECK(rmq_json_get_i64(q0, "delayTime", 0) > 0);        /* offset 2 not consumed yet */
    CHECK(rmq_json_get_i64(q0, "maxTimeStamp", 0) >= rmq_json_get_i64(q0, "minTimeStamp", 0));
    CHECK(strchr(rmq_json_get_str(q0, "minTimeStampStr", ""), '#') != NULL);
    /* queue 1, empty and never committed: -1 < 0, so upstream's delay is now - (-1) */
    CHECK(rmq_json_get_i64(q0->next, "delayTime", 0) > 1700000000000LL);
    rmq_json_doc_destroy(doc);
    const char *gx[] = {"group=CG", "topic=NoSuchTopic", NULL};
    make(&req, PROTO_QUERY_CONSUME_TIME_SPAN, gx);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_TOPIC_NOT_EXIST);
    CHECK_STREQ(remoting_cmd_remark(&resp), "topic[NoSuchTopic] not exist");

    /* clone: online source subscribed to the topic; unknown topic ignored */
    const char *c[] = {"srcGroup=CG", "destGroup=CG2", "topic=TopicO", "offline=false", NULL};
    make(&req, PROTO_CLONE_GROUP_OFFSET, c);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_EQ(store_consumer_offsets_query(&b->offsets, "TopicO", "CG2", 0), 2);
    const char *cbad[] = {"srcGroup=CG", NULL};
    make(&req, PROTO_CLONE_GROUP_OFFSET, cbad);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remoting_cmd_remark(&resp), "the custom field <destGroup> is null");

    /* broker consume stats: groups of subscriptionGroup.json with their offsets */
    const char *sg = "{\"groupName\":\"CG\",\"consumeEnable\":true}";
    make(&req, PROTO_UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, NULL);
    remoting_cmd_borrow_body(&req, sg, strlen(sg));
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    const char *o[] = {"isOrder=false", NULL};
    make(&req, PROTO_GET_BROKER_CONSUME_STATS, o);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "{\"CG\":[{\"consumeTps\":0.0,\"offsetTable\":{{\"brokerName\":"
                          "\"broker-t\",\"queueId\":0,\"topic\":\"TopicO\"}:{\"brokerOffset\":3,"
                          "\"consumerOffset\":2,"));
    CHECK(body_has(&resp, "\"totalDiff\":1,"));

    /* queryCq */
    const char *q[] = {"topic=TopicO", "queueId=0", "index=1", "count=5", "consumerGroup=CG", NULL};
    make(&req, PROTO_QUERY_CONSUME_QUEUE, q);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "\"filterData\":\"null\""));
    CHECK(body_has(&resp, "\"maxQueueIndex\":3,\"minQueueIndex\":0,\"queueData\":[{\"eval\":"
                          "false,\"physicOffset\":"));
    CHECK(!body_has(&resp, "\"physicOffset\":0,")); /* index 1 on */
    const char *q2[] = {"topic=TopicO", "queueId=7", "index=0", "count=5", NULL};
    make(&req, PROTO_QUERY_CONSUME_QUEUE, q2);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remoting_cmd_remark(&resp), "7@TopicO is not exist!");
    const char *q3[] = {"topic=TopicO", "queueId=0", "index=9", "count=5", NULL};
    make(&req, PROTO_QUERY_CONSUME_QUEUE, q3);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_STREQ(remoting_cmd_remark(&resp), "Index 9 of 0@TopicO is not exist!");
    CHECK_EQ(resp.body.len, 0);

    /* stats: the topic's puts from the store; other names unknown */
    const char *st[] = {"statsName=TOPIC_PUT_NUMS", "statsKey=TopicO", NULL};
    make(&req, PROTO_VIEW_BROKER_STATS_DATA, st);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "\"statsMinute\":{\"avgpt\":0.0,\"sum\":3,\"tps\":0.05}"));
    CHECK(body_has(&resp, "\"statsDay\":{\"avgpt\":0.0,\"sum\":3,"));
    const char *st3[] = {"statsName=BROKER_PUT_NUMS", "statsKey=DefaultCluster", NULL};
    make(&req, PROTO_VIEW_BROKER_STATS_DATA, st3);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "\"statsMinute\":{\"avgpt\":0.0,\"sum\":3,"));
    const char *st2[] = {"statsName=GROUP_GET_NUMS", "statsKey=TopicO@CG", NULL};
    make(&req, PROTO_VIEW_BROKER_STATS_DATA, st2);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remoting_cmd_remark(&resp), "The stats <GROUP_GET_NUMS> <TopicO@CG> not exist");

    /* cleanUnusedTopic: queues of a topic without config go, configured ones stay */
    send_msgs(b, "TopicGone", 0, 1); /* auto-created from TBW102 */
    store_topics_t *tt = &b->topics.table;
    pthread_rwlock_wrlock(&b->topics.lock);
    store_topic_config_destroy(rmq_map_del(&tt->table, "TopicGone"));
    pthread_rwlock_unlock(&b->topics.lock);
    CHECK_EQ(store_max_offset(b->store, RMQ_SLICE_LIT("TopicGone"), 0), 1);
    make(&req, PROTO_CLEAN_UNUSED_TOPIC, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(store_max_offset(b->store, RMQ_SLICE_LIT("TopicGone"), 0) <= 0);
    CHECK_EQ(store_max_offset(b->store, RMQ_SLICE_LIT("TopicO"), 0), 3);
    /* nothing expired while the commit log still holds everything */
    make(&req, PROTO_CLEAN_EXPIRED_CONSUMEQUEUE, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_EQ(store_max_offset(b->store, RMQ_SLICE_LIT("TopicO"), 0), 3);
    make(&req, PROTO_DELETE_EXPIRED_COMMITLOG, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK_EQ(store_max_offset(b->store, RMQ_SLICE_LIT("TopicO"), 0), 3); /* one segment kept */
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

/* ---- UPDATE_AND_CREATE_TOPIC_LIST ---- */

static void test_topic_list(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    const char *body = "{\"topicConfigList\":[{\"topicName\":\"L1\",\"readQueueNums\":3,"
                       "\"writeQueueNums\":3,\"perm\":6,\"attributes\":{\"+message.type\":"
                       "\"FIFO\"}},{\"topicName\":\"L2\",\"readQueueNums\":5,"
                       "\"writeQueueNums\":5,\"perm\":4}]}";
    make(&req, PROTO_UPDATE_AND_CREATE_TOPIC_LIST, NULL);
    remoting_cmd_borrow_body(&req, body, strlen(body));
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    broker_topic_info_t ti;
    CHECK(broker_topics_get(b, "L1", &ti));
    CHECK_EQ(ti.write_queue_nums, 3);
    CHECK(broker_topics_get(b, "L2", &ti));
    CHECK_EQ(ti.read_queue_nums, 5);
    CHECK_EQ(ti.perm, 4);
    pthread_rwlock_rdlock(&b->topics.lock);
    const store_topic_config_t *tc = store_topics_get(&b->topics.table, "L1");
    CHECK_EQ(tc->nattrs, 1);
    CHECK_STREQ(tc->attrs[0].key, "message.type");
    CHECK_STREQ(tc->attrs[0].value, "FIFO");
    pthread_rwlock_unlock(&b->topics.lock);
    /* a system topic in the list: nothing applied */
    const char *sys = "{\"topicConfigList\":[{\"topicName\":\"L3\"},{\"topicName\":"
                      "\"SCHEDULE_TOPIC_XXXX\"}]}";
    make(&req, PROTO_UPDATE_AND_CREATE_TOPIC_LIST, NULL);
    remoting_cmd_borrow_body(&req, sys, strlen(sys));
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_INVALID_PARAMETER);
    CHECK_STREQ(remoting_cmd_remark(&resp),
                "The topic[SCHEDULE_TOPIC_XXXX] is conflict with system topic.");
    CHECK(!broker_topics_get(b, "L3", &ti));
    const char *mixed = "{\"topicConfigList\":[{\"topicName\":\"L4\",\"attributes\":{"
                        "\"+message.type\":\"MIXED\"}}]}";
    make(&req, PROTO_UPDATE_AND_CREATE_TOPIC_LIST, NULL);
    remoting_cmd_borrow_body(&req, mixed, strlen(mixed));
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_INVALID_PARAMETER);
    CHECK_STREQ(remoting_cmd_remark(&resp), "MIXED message type is not supported.");
    make(&req, PROTO_UPDATE_AND_CREATE_TOPIC_LIST, NULL);
    remoting_cmd_borrow_body(&req, "[]", 2);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

/* ---- CONSUME_MESSAGE_DIRECTLY and INVOKE_BROKER_TO_GET_CONSUMER_STATUS ---- */

static void test_forwarded_calls(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    create_topic(b, "TopicF", PROTO_SUCCESS);
    send_msgs(b, "TopicF", 0, 2);
    heartbeat(b, "TopicF");
    b->admin.request = fake_request;
    remoting_cmd_init(&forwarded);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);

    /* 309: the record at the id's offset goes to the client as the body */
    store_get_result_t r;
    store_get_result_init(&r);
    CHECK_EQ(store_get(b->store, RMQ_SLICE_LIT("TopicF"), 0, 1, 1, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.count, 1);
    int64_t phys = r.refs[0].phys_offset;
    int32_t len = r.refs[0].len;
    store_get_result_close(&r);
    char id[64], idkv[80];
    uint8_t ip[4] = {127, 0, 0, 1};
    proto_msg_id_encode(ip, 4, 10911, phys, id);
    snprintf(idkv, sizeof idkv, "msgId=%s", id);
    const char *kv[] = {"consumerGroup=CG", "clientId=127.0.0.1@1#2", idkv, "topic=TopicF", NULL};
    make(&req, PROTO_CONSUME_MESSAGE_DIRECTLY, kv);
    req.opaque = 900;
    CHECK_EQ(call(b, ADMIN(), &req, &resp), REMOTING_PENDING);
    CHECK_EQ(forwarded_code, PROTO_CONSUME_MESSAGE_DIRECTLY);
    CHECK_STREQ(remoting_cmd_ext_get(&forwarded, "brokerName"), "broker-t");
    CHECK_STREQ(remoting_cmd_ext_get(&forwarded, "topicSysFlag"), "0");
    CHECK_STREQ(remoting_cmd_ext_get(&forwarded, "groupSysFlag"), "0");
    CHECK_EQ((int32_t)forwarded.body.len, len);
    CHECK(body_has(&forwarded, "hello"));
    remoting_cmd_t *answer = remoting_cmd_new();
    remoting_cmd_set_response(answer, PROTO_SUCCESS, 1, NULL);
    remoting_cmd_copy_body(answer, "{\"consumeResult\":\"CR_SUCCESS\"}", 30);
    saved_cb(saved_arg, 0, answer);
    CHECK_EQ(last_sent_opaque, 900);
    CHECK_EQ(last_sent_code, PROTO_SUCCESS);
    CHECK_EQ(conn_admin, 0);
    const char *kv2[] = {"consumerGroup=CG", "clientId=gone", idkv, NULL};
    make(&req, PROTO_CONSUME_MESSAGE_DIRECTLY, kv2);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remoting_cmd_remark(&resp), "The Consumer <CG> <gone> not online");

    /* 223: 221 to the client, its messageQueueTable merged under its client id */
    const char *skv[] = {"topic=TopicF", "group=CG", NULL};
    make(&req, PROTO_INVOKE_BROKER_TO_GET_CONSUMER_STATUS, skv);
    req.opaque = 901;
    nsent = 0;
    CHECK_EQ(call(b, ADMIN(), &req, &resp), REMOTING_PENDING);
    CHECK_EQ(forwarded_code, PROTO_GET_CONSUMER_STATUS_FROM_CLIENT);
    CHECK_STREQ(remoting_cmd_ext_get(&forwarded, "topic"), "TopicF");
    CHECK_STREQ(remoting_cmd_ext_get(&forwarded, "group"), "CG");
    CHECK_EQ(nsent, 0);
    const char *cbody = "{\"consumerTable\":{},\"messageQueueTable\":{{\"brokerName\":"
                        "\"broker-t\",\"queueId\":0,\"topic\":\"TopicF\"}:2}}";
    answer = remoting_cmd_new();
    remoting_cmd_set_response(answer, PROTO_SUCCESS, 2, NULL);
    remoting_cmd_copy_body(answer, cbody, strlen(cbody));
    saved_cb(saved_arg, 0, answer);
    CHECK_EQ(nsent, 1);
    CHECK_EQ(last_sent_opaque, 901);
    CHECK_EQ(last_sent_code, PROTO_SUCCESS);
    CHECK_STREQ(last_sent_body, "{\"consumerTable\":{\"127.0.0.1@1#2\":{{\"brokerName\":"
                                "\"broker-t\",\"queueId\":0,\"topic\":\"TopicF\"}:2}},"
                                "\"messageQueueTable\":{}}");
    CHECK_EQ(conn_admin, 0);
    /* a time-out leaves the client out */
    CHECK_EQ(call(b, ADMIN(), &req, &resp), REMOTING_PENDING);
    saved_cb(saved_arg, -ETIMEDOUT, NULL);
    CHECK_STREQ(last_sent_body, "{\"consumerTable\":{},\"messageQueueTable\":{}}");
    const char *nkv[] = {"topic=TopicF", "group=Nobody", NULL};
    make(&req, PROTO_INVOKE_BROKER_TO_GET_CONSUMER_STATUS, nkv);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remoting_cmd_remark(&resp),
                "No Any Consumer online in the consumer group: [Nobody]");
    remoting_cmd_close(&forwarded);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

/* ---- UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST and GET_ALL_PRODUCER_INFO ---- */

static void test_group_list_and_producers(void) {
    char *dir;
    broker_t *b = open_broker(&dir);
    create_topic(b, "TopicP", PROTO_SUCCESS);
    heartbeat(b, "TopicP");
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    const char *body = "{\"groupConfigList\":[{\"groupName\":\"GL1\",\"retryMaxTimes\":3},"
                       "{\"groupName\":\"GL2\",\"consumeEnable\":false}]}";
    make(&req, PROTO_UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, NULL);
    remoting_cmd_borrow_body(&req, body, strlen(body));
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    b->cfg.autoCreateSubscriptionGroup = false;
    broker_group_info_t gi;
    CHECK(broker_groups_get(b, "GL1", false, &gi));
    CHECK_EQ(gi.retry_max_times, 3);
    CHECK(broker_groups_get(b, "GL2", false, &gi));
    CHECK(!gi.consume_enable);
    /* one bad name: nothing stored */
    const char *bad = "{\"groupConfigList\":[{\"groupName\":\"GL3\"},{\"groupName\":"
                      "\"bad name\"}]}";
    make(&req, PROTO_UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, NULL);
    remoting_cmd_borrow_body(&req, bad, strlen(bad));
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_INVALID_PARAMETER);
    CHECK_STREQ(remoting_cmd_remark(&resp), "The specified group: bad name, contains illegal "
                                            "characters, allowing only ^[%|a-zA-Z0-9_-]+$");
    CHECK(!broker_groups_get(b, "GL3", false, &gi));

    make(&req, PROTO_GET_ALL_PRODUCER_INFO, NULL);
    CHECK_EQ(call(b, ADMIN(), &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    CHECK(body_has(&resp, "{\"data\":{\"PG\":[{\"clientId\":\"127.0.0.1@1#2\",\"language\":"
                          "\"JAVA\",\"lastUpdateTimestamp\":"));
    CHECK(body_has(&resp, "\"remoteIP\":\"127.0.0.1:5555\",\"version\":479}]}}"));
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close_broker(b, dir);
}

int main(void) {
    test_topics();
    test_sub_groups();
    test_consumers();
    test_running_info();
    test_runtime_and_config();
    test_offsets_and_store();
    test_topic_list();
    test_forwarded_calls();
    test_group_list_and_producers();
    return 0;
}
