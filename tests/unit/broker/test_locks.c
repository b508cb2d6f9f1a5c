/*
 * broker/locks.c: LOCK_BATCH_MQ / UNLOCK_BATCH_MQ bodies through the dispatch table, 60 s
 * leases per (group, queue) held by one client id (renewal, expiry, take-over, unlock),
 * isLockAllExpired; CHECK_CLIENT_CONFIG for TAG and SQL92 subscriptions.
 */
#include "broker_fixture.h"
#include "protocol/lock_body.h"

/* LOCK (or UNLOCK) of queues qids[0..n) of TopicL for client; returns the locked queues
 * as a bit set. */
static unsigned lock_req(broker_t *b, int code, const char *group, const char *client,
                         const int *qids, size_t n) {
    proto_lock_batch_t lb = {.consumerGroup = (char *)group, .clientId = (char *)client};
    for (size_t i = 0; i < n; i++)
        proto_lock_mqs_add(&lb.mqSet, "TopicL", "broker-t", qids[i]);
    rmq_buf_t body;
    rmq_buf_init(&body);
    proto_lock_batch_encode(&lb, &body);
    proto_lock_mqs_close(&lb.mqSet);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, code);
    remoting_cmd_borrow_body(&req, body.data, body.len);
    CHECK_EQ(fx_call(b, &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    unsigned set = 0;
    if (code == PROTO_LOCK_BATCH_MQ) {
        proto_lock_mqs_t ok;
        CHECK_EQ(proto_lock_batch_response_decode(resp.body.ptr, resp.body.len, &ok), 0);
        for (size_t i = 0; i < ok.count; i++) {
            CHECK_STREQ(ok.items[i].topic, "TopicL");
            CHECK_STREQ(ok.items[i].brokerName, "broker-t");
            set |= 1u << ok.items[i].queueId;
        }
        proto_lock_mqs_close(&ok);
    }
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    rmq_buf_close(&body);
    return set;
}

static void test_lock_body_codec(void) {
    const char *java = "{\"clientId\":\"10.0.0.1@123#456\",\"consumerGroup\":\"CG\",\"mqSet\":"
                       "[{\"brokerName\":\"broker-a\",\"queueId\":3,\"topic\":\"T\"}],"
                       "\"onlyThisBroker\":true}";
    proto_lock_batch_t lb;
    CHECK_EQ(proto_lock_batch_decode(java, strlen(java), &lb), 0);
    CHECK_STREQ(lb.clientId, "10.0.0.1@123#456");
    CHECK_STREQ(lb.consumerGroup, "CG");
    CHECK(lb.onlyThisBroker);
    CHECK_EQ(lb.mqSet.count, 1);
    CHECK_EQ(lb.mqSet.items[0].queueId, 3);
    rmq_buf_t out;
    rmq_buf_init(&out);
    proto_lock_batch_encode(&lb, &out);
    CHECK_MEMSTR(out.data, out.len, java);
    rmq_buf_reset(&out);
    proto_lock_batch_response_encode(&lb.mqSet, &out);
    CHECK_MEMSTR(out.data, out.len,
                 "{\"lockOKMQSet\":[{\"brokerName\":\"broker-a\",\"queueId\":3,\"topic\":\"T\"}]}");
    rmq_buf_close(&out);
    proto_lock_batch_close(&lb);
    CHECK_EQ(proto_lock_batch_decode("{\"mqSet\":5}", 11, &lb), -EINVAL);
    CHECK_EQ(proto_lock_batch_decode("nope", 4, &lb), -EINVAL);
}

static void test_leases(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    fx_clock_ms = 1000000;
    const int q01[] = {0, 1}, q012[] = {0, 1, 2}, q0[] = {0};
    CHECK(broker_locks_all_expired(b, "CG"));
    CHECK_EQ(lock_req(b, PROTO_LOCK_BATCH_MQ, "CG", "A", q01, 2), 0x3);
    CHECK(!broker_locks_all_expired(b, "CG"));
    CHECK(broker_locks_is_locked(b, "CG", "TopicL", "broker-t", 1, "A"));
    CHECK(!broker_locks_is_locked(b, "CG", "TopicL", "broker-t", 1, "B"));
    /* B only gets the free queue; another group is independent. */
    CHECK_EQ(lock_req(b, PROTO_LOCK_BATCH_MQ, "CG", "B", q012, 3), 0x4);
    CHECK_EQ(lock_req(b, PROTO_LOCK_BATCH_MQ, "CG2", "B", q012, 3), 0x7);
    /* A renews queue 0 at +40 s; at +61 s queue 1 has expired and B takes it over. */
    fx_clock_ms += 40000;
    CHECK_EQ(lock_req(b, PROTO_LOCK_BATCH_MQ, "CG", "A", q0, 1), 0x1);
    fx_clock_ms += 21000;
    CHECK_EQ(lock_req(b, PROTO_LOCK_BATCH_MQ, "CG", "B", q012, 3), 0x6);
    CHECK(!broker_locks_is_locked(b, "CG", "TopicL", "broker-t", 1, "A"));
    /* Unlock by a non-holder does nothing; by the holder frees the queue. */
    lock_req(b, PROTO_UNLOCK_BATCH_MQ, "CG", "B", q0, 1);
    CHECK(broker_locks_is_locked(b, "CG", "TopicL", "broker-t", 0, "A"));
    lock_req(b, PROTO_UNLOCK_BATCH_MQ, "CG", "A", q0, 1);
    CHECK_EQ(lock_req(b, PROTO_LOCK_BATCH_MQ, "CG", "B", q0, 1), 0x1);
    /* Everything expires after 60 s of silence. */
    fx_clock_ms += BROKER_LOCK_MAX_LIVE_MS + 1;
    CHECK(broker_locks_all_expired(b, "CG"));
    lock_req(b, PROTO_UNLOCK_BATCH_MQ, "CG", "B", q012, 3);
    CHECK(broker_locks_all_expired(b, "CG"));
    /* A malformed body. */
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, PROTO_LOCK_BATCH_MQ);
    remoting_cmd_borrow_body(&req, "{", 1);
    CHECK_EQ(fx_call(b, &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    fx_close_broker(b);
    test_rmdir(dir);
}

static int check_client(broker_t *b, const char *body, char *remark, size_t cap) {
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, PROTO_CHECK_CLIENT_CONFIG);
    remoting_cmd_borrow_body(&req, body, strlen(body));
    CHECK_EQ(fx_call(b, &req, &resp), 0);
    const char *r = remoting_cmd_remark(&resp);
    snprintf(remark, cap, "%s", r ? r : "");
    int code = resp.code;
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    return code;
}

static void test_check_client_config(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    char remark[256];
    CHECK_EQ(check_client(b,
                          "{\"clientId\":\"c\",\"group\":\"CG\",\"subscriptionData\":{\"topic\":"
                          "\"T\",\"subString\":\"TagA\",\"expressionType\":\"TAG\"}}",
                          remark, sizeof remark),
             PROTO_SUCCESS);
    CHECK_EQ(check_client(b, "{\"clientId\":\"c\",\"group\":\"CG\"}", remark, sizeof remark),
             PROTO_SUCCESS);
    CHECK_EQ(check_client(b,
                          "{\"clientId\":\"c\",\"group\":\"CG\",\"subscriptionData\":{\"topic\":"
                          "\"T\",\"subString\":\"a > 1\",\"expressionType\":\"SQL92\"}}",
                          remark, sizeof remark),
             PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remark, "The broker does not support consumer to filter message by SQL92");
    fx_close_broker(b);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_lock_body_codec);
    RUN(test_leases);
    RUN(test_check_client_config);
    return 0;
}
