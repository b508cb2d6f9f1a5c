/*
 * Unit tests for admin_broker.c without a network: the Java HashMap iteration order of
 * a Map<MessageQueue, Long> (what mqadmin resetOffsetByTime prints), checked against the
 * order Apache's mqadmin printed for the same queues, and the argument checks.
 */
#include "client/admin_int.h"
#include "test.h"

#include "protocol/codes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void test_mq_hash_map_order(void) {
    /* Apache mqadmin 5.3.3 printed AdminTopic@broker-c queues as 3, 0, 2, 1. */
    proto_reset_offset_t ro = {0};
    for (int q = 0; q < 4; q++)
        proto_reset_offset_add(&ro, "AdminTopic", "broker-c", q, q * 10);
    admin_java_hash_map_order(&ro);
    CHECK_EQ(ro.count, 4);
    CHECK_EQ(ro.items[0].mq.queueId, 3);
    CHECK_EQ(ro.items[1].mq.queueId, 0);
    CHECK_EQ(ro.items[2].mq.queueId, 2);
    CHECK_EQ(ro.items[3].mq.queueId, 1);
    CHECK_EQ(ro.items[0].offset, 30); /* offsets travel with their queue */
    CHECK_STREQ(ro.items[1].mq.topic, "AdminTopic");
    proto_reset_offset_close(&ro);

    /* Same for broker-a (the Apache broker run printed the same order). */
    proto_reset_offset_t ro2 = {0};
    for (int q = 0; q < 4; q++)
        proto_reset_offset_add(&ro2, "AdminTopic", "broker-a", q, 0);
    admin_java_hash_map_order(&ro2);
    int seen = 0;
    for (size_t i = 0; i < ro2.count; i++)
        seen |= 1 << ro2.items[i].mq.queueId;
    CHECK_EQ(seen, 0xF); /* a permutation, nothing lost */
    proto_reset_offset_close(&ro2);
}

static void test_broker_calls_check_arguments(void) {
    char err[256];
    setenv("NAMESRV_ADDR", "127.0.0.1:1", 1);
    rmq_admin_t *admin = rmq_admin_new(NULL, err, sizeof err);
    unsetenv("NAMESRV_ADDR");
    CHECK(admin != NULL);
    rmq_admin_topic_config_t tc;
    rmq_admin_topic_config_init(&tc, NULL);
    CHECK_EQ(tc.read_queue_nums, 8);
    CHECK_EQ(tc.perm, RMQ_PERM_READ | RMQ_PERM_WRITE);
    CHECK_EQ(rmq_admin_topic_create(admin, "127.0.0.1:1", &tc, err, sizeof err),
             RMQ_ERR__INVALID_ARG);
    rmq_admin_sub_group_config_t sg;
    rmq_admin_sub_group_config_init(&sg, "G");
    CHECK_EQ(sg.retry_max_times, 16);
    CHECK_EQ(sg.consume_timeout_minute, 15);
    CHECK_EQ(rmq_admin_sub_group_create(admin, NULL, &sg, err, sizeof err), RMQ_ERR__INVALID_ARG);
    rmq_topic_stats_t *ts = (rmq_topic_stats_t *)1;
    CHECK_EQ(rmq_admin_topic_stats(admin, "127.0.0.1:1", NULL, &ts, err, sizeof err),
             RMQ_ERR__INVALID_ARG);
    CHECK_EQ(rmq_admin_broker_config_update(admin, "127.0.0.1:1", NULL, err, sizeof err),
             RMQ_ERR__INVALID_ARG);
    /* An empty update sends nothing. */
    rmq_kvlist_t *empty = rmq_kvlist_new();
    CHECK_EQ(rmq_admin_broker_config_update(admin, "127.0.0.1:1", empty, err, sizeof err),
             RMQ_ERR_NO_ERROR);
    rmq_kvlist_destroy(empty);
    /* Accessors of absent results are safe. */
    CHECK_EQ(rmq_topic_stats_count(NULL), 0);
    CHECK(rmq_connections_client_id(NULL, 0) == NULL);
    CHECK_EQ(rmq_offset_table_queue_id(NULL, 0), -1);
    rmq_topic_stats_destroy(NULL);
    rmq_consume_stats_destroy(NULL);
    rmq_connections_destroy(NULL);
    rmq_offset_table_destroy(NULL);
    rmq_admin_destroy(admin);
}

/* The message lookups (admin_message.c): ids that are not offset ids and missing
 * arguments fail before any request; absent results are safe to read. */
static void test_message_lookups_check_arguments(void) {
    char err[256];
    setenv("NAMESRV_ADDR", "127.0.0.1:1", 1);
    rmq_admin_t *admin = rmq_admin_new(NULL, err, sizeof err);
    unsetenv("NAMESRV_ADDR");
    CHECK(admin != NULL);
    rmq_message_ext_t *m = (rmq_message_ext_t *)1;
    CHECK_EQ(rmq_admin_view_message(admin, "T", "not-an-id", &m, err, sizeof err),
             RMQ_ERR__INVALID_ARG);
    CHECK(m == NULL);
    CHECK(strstr(err, "not an offset message id") != NULL);
    CHECK_EQ(rmq_admin_view_message(admin, "T", NULL, &m, err, sizeof err), RMQ_ERR__INVALID_ARG);
    rmq_admin_msgs_t *l = NULL;
    CHECK_EQ(
        rmq_admin_query_message(admin, NULL, "T", NULL, 32, 0, INT64_MAX, 0, &l, err, sizeof err),
        RMQ_ERR__INVALID_ARG);
    CHECK_EQ(rmq_admin_pull_one(admin, NULL, "T", 0, 0, &m, err, sizeof err), RMQ_ERR__INVALID_ARG);
    CHECK_EQ(rmq_admin_msgs_count(NULL), 0);
    CHECK(rmq_admin_msgs_get(NULL, 0) == NULL);
    rmq_admin_msgs_destroy(NULL);
    rmq_admin_destroy(admin);
}

/* UPDATE_*_CONFIG bodies: MixAll.properties2String, "k=v\n" per entry in list order. */
static void test_config_update_body(void) {
    rmq_kvlist_t *props = rmq_kvlist_new();
    rmq_kvlist_set(props, "maxMessageSize", "4194305");
    rmq_kvlist_set(props, "brokerPermission", "6");
    remoting_cmd_t *req = admin_config_update_request(PROTO_UPDATE_BROKER_CONFIG, props);
    CHECK_EQ(req->code, PROTO_UPDATE_BROKER_CONFIG);
    const char *want = "maxMessageSize=4194305\nbrokerPermission=6\n";
    CHECK_EQ(req->body.len, strlen(want));
    CHECK(memcmp(req->body.ptr, want, req->body.len) == 0);
    remoting_cmd_destroy(req);
    rmq_kvlist_destroy(props);
}

int main(void) {
    RUN(test_mq_hash_map_order);
    RUN(test_broker_calls_check_arguments);
    RUN(test_message_lookups_check_arguments);
    RUN(test_config_update_body);
    return 0;
}
