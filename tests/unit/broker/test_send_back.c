/*
 * broker/send_back.c: CONSUMER_SEND_MSG_BACK through the dispatch table: retry copies
 * parked at level 3 + reconsumeTimes with the Java broker's properties, delivery by the
 * scheduler into %RETRY%<group>, the DLQ past maxReconsumeTimes (header honoured from
 * version 121 on) or for a negative level, refusals; and the send path's retry routing
 * (version rule, groups holding orderly locks, DLQ sends never delayed).
 */
#include "broker_fixture.h"
#include "protocol/lock_body.h"

#define RETRY "%RETRY%CG"
#define DLQ   "%DLQ%CG"
#define SCHED "SCHEDULE_TOPIC_XXXX"

/* CONSUMER_SEND_MSG_BACK; returns the response code (remark copied to remark). */
static int send_back(broker_t *b, int64_t offset, const char *group, int delay_level,
                     int max_reconsume, int version, char *remark, size_t cap) {
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, PROTO_CONSUMER_SEND_MSG_BACK);
    req.version = version;
    remoting_cmd_ext_set_i64(&req, "offset", offset);
    remoting_cmd_ext_set(&req, "group", group);
    remoting_cmd_ext_set_i64(&req, "delayLevel", delay_level);
    remoting_cmd_ext_set(&req, "originTopic", "TopicR");
    remoting_cmd_ext_set(&req, "unitMode", "false");
    if (max_reconsume >= 0)
        remoting_cmd_ext_set_i64(&req, "maxReconsumeTimes", max_reconsume);
    CHECK_EQ(fx_call(b, &req, &resp), 0);
    int code = resp.code;
    if (remark) {
        const char *r = remoting_cmd_remark(&resp);
        snprintf(remark, cap, "%s", r ? r : "");
    }
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    store_dispatch_catch_up(b->store);
    return code;
}

static void test_retry_parked_then_delivered(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    fx_heartbeat(b, "127.0.0.1@1", "CG", "TopicR");
    int64_t off =
        fx_send_msg(b, "TopicR", 1, "TAGS\001TagA\002KEYS\001k1\002WAIT\001true\002", -1, -1, 479);
    CHECK_EQ(send_back(b, off, "CG", 0, 16, 479, NULL, 0), PROTO_SUCCESS);

    /* Parked at level 3 (queue 2) with the Java broker's properties. */
    CHECK_EQ(fx_max(b, SCHED, 2), 1);
    store_ref_t ref;
    store_record_t rec;
    fx_get(b, SCHED, 2, 0, &ref, &rec);
    CHECK_EQ(rec.reconsume_times, 1);
    CHECK_MEMSTR(rec.body.ptr, rec.body.len, "hello");
    CHECK_EQ(rec.born_ts, 1700000000000LL);
    char id[57];
    store_msg_id(&b->store_host, off, id);
    fx_check_prop(rec.props, "RETRY_TOPIC", "TopicR");
    fx_check_prop(rec.props, "ORIGIN_MESSAGE_ID", id);
    fx_check_prop(rec.props, "DELAY", "3");
    fx_check_prop(rec.props, "WAIT", "false");
    fx_check_prop(rec.props, "REAL_TOPIC", RETRY);
    fx_check_prop(rec.props, "REAL_QID", "0");
    fx_check_prop(rec.props, "TAGS", "TagA");
    fx_check_prop(rec.props, "KEYS", "k1");
    store_mf_release(ref.mf);
    broker_topic_info_t ti;
    CHECK(broker_topics_get(b, RETRY, &ti));
    CHECK_EQ(ti.perm, 6);

    /* Level 3 is 10 s: not before, then into %RETRY%CG queue 0. */
    fx_clock_ms = rmq_now_ms() + 5000;
    CHECK_EQ(broker_schedule_run(b->schedule), 0);
    fx_clock_ms = rmq_now_ms() + 10500;
    CHECK_EQ(broker_schedule_run(b->schedule), 1);
    store_dispatch_catch_up(b->store);
    CHECK_EQ(fx_max(b, RETRY, 0), 1);
    CHECK_EQ(broker_schedule_offset(b->schedule, 3), 1);
    fx_get(b, RETRY, 0, 0, &ref, &rec);
    CHECK_MEMSTR(rec.topic.ptr, rec.topic.len, RETRY);
    CHECK_EQ(rec.reconsume_times, 1);
    fx_check_prop(rec.props, "RETRY_TOPIC", "TopicR");
    fx_check_prop(rec.props, "ORIGIN_MESSAGE_ID", id);
    int64_t retry_off = rec.phys_offset;
    store_mf_release(ref.mf);

    /* Failing again: level 4, RETRY_TOPIC and ORIGIN_MESSAGE_ID kept, count 2. */
    CHECK_EQ(send_back(b, retry_off, "CG", 0, 16, 479, NULL, 0), PROTO_SUCCESS);
    CHECK_EQ(fx_max(b, SCHED, 3), 1);
    fx_get(b, SCHED, 3, 0, &ref, &rec);
    CHECK_EQ(rec.reconsume_times, 2);
    fx_check_prop(rec.props, "RETRY_TOPIC", "TopicR");
    fx_check_prop(rec.props, "ORIGIN_MESSAGE_ID", id);
    fx_check_prop(rec.props, "DELAY", "4");
    fx_check_prop(rec.props, "REAL_TOPIC", RETRY);
    store_mf_release(ref.mf);

    /* An explicit level wins; levels beyond the table are clamped to the last (18). */
    CHECK_EQ(send_back(b, off, "CG", 1, 16, 479, NULL, 0), PROTO_SUCCESS);
    CHECK_EQ(fx_max(b, SCHED, 0), 1);
    CHECK_EQ(send_back(b, off, "CG", 40, 16, 479, NULL, 0), PROTO_SUCCESS);
    CHECK_EQ(fx_max(b, SCHED, 17), 1);
    fx_get(b, SCHED, 17, 0, &ref, &rec);
    fx_check_prop(rec.props, "DELAY", "18");
    store_mf_release(ref.mf);
    fx_close_broker(b);
    test_rmdir(dir);
}

static void test_dlq(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    fx_heartbeat(b, "127.0.0.1@1", "CG", "TopicR");
    int64_t off = fx_send_msg(b, "TopicR", 0, "TAGS\001TagA\002", -1, -1, 479);

    /* maxReconsumeTimes 0 from a modern client: straight to the DLQ, not delayed. */
    CHECK_EQ(send_back(b, off, "CG", 0, 0, 479, NULL, 0), PROTO_SUCCESS);
    CHECK_EQ(fx_max(b, DLQ, 0), 1);
    broker_topic_info_t ti;
    CHECK(broker_topics_get(b, DLQ, &ti));
    CHECK_EQ(ti.read_queue_nums, 1);
    CHECK_EQ(ti.perm, 6);
    store_ref_t ref;
    store_record_t rec;
    fx_get(b, DLQ, 0, 0, &ref, &rec);
    CHECK_EQ(rec.reconsume_times, 1);
    fx_check_prop(rec.props, "DELAY", "0");
    fx_check_prop(rec.props, "RETRY_TOPIC", "TopicR");
    rmq_slice_t v;
    CHECK(!proto_props_get(rec.props, "REAL_TOPIC", &v));
    store_mf_release(ref.mf);

    /* The same header from a client older than V3_4_9 (version 121) is ignored: the
     * group's retryMaxTimes (16) applies, so it is a retry. */
    CHECK_EQ(send_back(b, off, "CG", 0, 0, 120, NULL, 0), PROTO_SUCCESS);
    CHECK_EQ(fx_max(b, DLQ, 0), 1);
    CHECK_EQ(fx_max(b, SCHED, 2), 1);

    /* A negative level means the DLQ. */
    CHECK_EQ(send_back(b, off, "CG", -1, 16, 479, NULL, 0), PROTO_SUCCESS);
    CHECK_EQ(fx_max(b, DLQ, 0), 2);
    fx_close_broker(b);
    test_rmdir(dir);
}

static void test_refusals(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    fx_heartbeat(b, "127.0.0.1@1", "CG", "TopicR");
    int64_t off = fx_send_msg(b, "TopicR", 0, NULL, -1, -1, 479);
    char remark[256];
    /* A group name TopicValidator refuses is never auto-created. */
    CHECK_EQ(send_back(b, off, "No Such Group", 0, 16, 479, remark, sizeof remark),
             PROTO_SUBSCRIPTION_GROUP_NOT_EXIST);
    CHECK(strncmp(remark, "subscription group not exist, No Such Group ", 44) == 0);
    CHECK_EQ(send_back(b, 1 << 20, "CG", 0, 16, 479, remark, sizeof remark), PROTO_SYSTEM_ERROR);
    CHECK_STREQ(remark, "look message by offset failed, 1048576");
    /* Missing required field. */
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, PROTO_CONSUMER_SEND_MSG_BACK);
    remoting_cmd_ext_set(&req, "group", "CG");
    fx_call(b, &req, &resp);
    CHECK_EQ(resp.code, PROTO_SYSTEM_ERROR);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    fx_close_broker(b);
    test_rmdir(dir);
}

/* With autoCreateSubscriptionGroup (the default) an unknown group's send-back creates
 * the group, as upstream's findSubscriptionGroupConfig does. */
static void test_send_back_creates_group(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    int64_t off = fx_send_msg(b, "TopicR", 0, NULL, -1, -1, 479);
    char remark[256];
    CHECK_EQ(send_back(b, off, "NewGroup", 0, 16, 479, remark, sizeof remark), PROTO_SUCCESS);
    broker_group_info_t gi;
    CHECK(broker_groups_get(b, "NewGroup", false, &gi));
    /* Without autoCreateSubscriptionGroup it is refused. */
    b->cfg.autoCreateSubscriptionGroup = false;
    CHECK_EQ(send_back(b, off, "OtherGroup", 0, 16, 479, remark, sizeof remark),
             PROTO_SUBSCRIPTION_GROUP_NOT_EXIST);
    fx_close_broker(b);
    test_rmdir(dir);
}

/* LOCK_BATCH_MQ for one queue of TopicR by client. */
static void lock_queue(broker_t *b, const char *client) {
    proto_lock_mqs_t mqs = {0}, ok = {0};
    proto_lock_mqs_add(&mqs, "TopicR", "broker-t", 0);
    broker_locks_lock(b, "CG", &mqs, client, &ok);
    CHECK_EQ(ok.count, 1);
    proto_lock_mqs_close(&mqs);
    proto_lock_mqs_close(&ok);
}

static void test_send_to_retry_topic(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    fx_heartbeat(b, "127.0.0.1@1", "CG", "TopicR");
    /* The client's fallback: a SEND to %RETRY%CG with DELAY 3 + n is delayed. */
    fx_send_msg(b, RETRY, 0, "DELAY\0013\002RETRY_TOPIC\001TopicR\002", 1, 16, 479);
    CHECK_EQ(fx_max(b, SCHED, 2), 1);
    /* Past the limit: DLQ at once, never through the scheduler. */
    fx_send_msg(b, RETRY, 0, "DELAY\0013\002", 17, 16, 479);
    CHECK_EQ(fx_max(b, DLQ, 0), 1);
    CHECK_EQ(fx_max(b, SCHED, 2), 1);
    /* Old clients' maxReconsumeTimes is ignored (16 applies): 2 > 1 is still a retry. */
    fx_send_msg(b, RETRY, 0, NULL, 2, 1, 100);
    CHECK_EQ(fx_max(b, RETRY, 0), 1);
    CHECK_EQ(fx_max(b, DLQ, 0), 1);
    /* A group holding an orderly lock sends its retries to the DLQ (upstream
     * isLockAllExpired); once the lease ran out they are retries again. */
    lock_queue(b, "127.0.0.1@1");
    fx_send_msg(b, RETRY, 0, NULL, 1, 16, 479);
    CHECK_EQ(fx_max(b, DLQ, 0), 2);
    fx_clock_ms += BROKER_LOCK_MAX_LIVE_MS + 1;
    fx_send_msg(b, RETRY, 0, NULL, 1, 16, 479);
    CHECK_EQ(fx_max(b, DLQ, 0), 2);
    CHECK_EQ(fx_max(b, RETRY, 0), 2);
    fx_close_broker(b);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_retry_parked_then_delivered);
    RUN(test_dlq);
    RUN(test_refusals);
    RUN(test_send_back_creates_group);
    RUN(test_send_to_retry_topic);
    return 0;
}
