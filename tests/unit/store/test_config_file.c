/* Tests for the config JSON files (store/config_file.c, topic_config.c, sub_group.c,
 * consumer_offset.c, delay_offset.c) against the shapes of spec store.md 6. */
#include "store/config_file.h"
#include "store/consumer_offset.h"
#include "store/sub_group.h"
#include "store/topic_config.h"

#include "store_test_util.h"
#include "test.h"

static void test_pretty(void) {
    rmq_buf_t out;
    rmq_buf_init(&out);
    store_json_pretty(RMQ_SLICE_LIT("{\"a\":{},\"b\":[1,2],\"c\":\"x,{y}\",\"d\":{0:1}}"), &out);
    CHECK_MEMSTR(out.data, out.len,
                 "{\n\t\"a\":{},\n\t\"b\":[\n\t\t1,\n\t\t2\n\t],\n\t\"c\":\"x,{y}\",\n\t\"d\":{\n"
                 "\t\t0:1\n\t}\n}");
    rmq_buf_close(&out);
}

static const char topics_json[] =
    "{\n\t\"dataVersion\":{\"counter\":2,\"stateVersion\":0,\"timestamp\":1726000000000},\n"
    "\t\"topicConfigTable\":{\n\t\t\"TopicTest\":{\n\t\t\t\"attributes\":{\"queue.type\":"
    "\"SimpleCQ\"},\n\t\t\t\"order\":false,\n\t\t\t\"perm\":6,\n\t\t\t\"readQueueNums\":4,\n"
    "\t\t\t\"topicFilterType\":\"SINGLE_TAG\",\n\t\t\t\"topicName\":\"TopicTest\",\n"
    "\t\t\t\"topicSysFlag\":0,\n\t\t\t\"writeQueueNums\":4,\"unknownField\":[1]\n\t\t}\n\t}\n}";

static void test_topics_roundtrip(void) {
    store_topics_t t;
    store_topics_init(&t);
    CHECK_EQ(store_topics_decode(&t, rmq_slice_cstr(topics_json)), 0);
    CHECK_EQ(t.data_version.counter, 2);
    store_topic_config_t *tc = store_topics_get(&t, "TopicTest");
    CHECK(tc != NULL);
    CHECK_EQ(tc->read_queue_nums, 4);
    CHECK_EQ(tc->perm, 6);
    CHECK_EQ(tc->nattrs, 1);
    store_topic_config_t *n = store_topic_config_new("%RETRY%g");
    n->multi_tag = true;
    n->read_queue_nums = n->write_queue_nums = 1;
    store_topics_put(&t, n);
    rmq_buf_t out;
    rmq_buf_init(&out);
    store_topics_encode(&t, &out);
    CHECK_MEMSTR(
        out.data, out.len,
        "{\"dataVersion\":{\"counter\":2,\"stateVersion\":0,\"timestamp\":1726000000000},"
        "\"topicConfigTable\":{\"%RETRY%g\":{\"attributes\":{},\"order\":false,\"perm\":6,"
        "\"readQueueNums\":1,\"topicFilterType\":\"MULTI_TAG\",\"topicName\":\"%RETRY%g\","
        "\"topicSysFlag\":0,\"writeQueueNums\":1},\"TopicTest\":{\"attributes\":{\"queue."
        "type\":\"SimpleCQ\"},\"order\":false,\"perm\":6,\"readQueueNums\":4,"
        "\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":\"TopicTest\",\"topicSysFlag\":0,"
        "\"writeQueueNums\":4}}}");
    rmq_buf_close(&out);
    store_topics_close(&t);
}

static void test_offsets_unquoted_keys(void) {
    store_consumer_offsets_t t;
    store_consumer_offsets_init(&t);
    const char *json = "{\"dataVersion\":{\"counter\":1448,\"stateVersion\":0,\"timestamp\":1},"
                       "\"groupTopicMap\":{\"grpA\":[\"TopicTest\"]},\"offsetTable\":{"
                       "\"TopicTest@grpA\":{0:250,1:251,\"2\":250},\"%RETRY%grpA@grpA\":{0:0}}}";
    CHECK_EQ(store_consumer_offsets_decode(&t, rmq_slice_cstr(json)), 0);
    CHECK_EQ(store_consumer_offsets_query(&t, "TopicTest", "grpA", 1), 251);
    CHECK_EQ(store_consumer_offsets_query(&t, "TopicTest", "grpA", 2), 250);
    CHECK_EQ(store_consumer_offsets_query(&t, "TopicTest", "grpA", 3), -1);
    store_consumer_offsets_commit(&t, "TopicTest", "grpB@broadcast", 0, 7);
    rmq_buf_t out;
    rmq_buf_init(&out);
    store_consumer_offsets_encode(&t, &out);
    CHECK_MEMSTR(out.data, out.len,
                 "{\"dataVersion\":{\"counter\":1448,\"stateVersion\":0,\"timestamp\":1},"
                 "\"groupTopicMap\":{\"grpA\":[\"%RETRY%grpA\",\"TopicTest\"],\"grpB@broadcast\":"
                 "[\"TopicTest\"]},\"offsetTable\":{\"%RETRY%grpA@grpA\":{0:0},"
                 "\"TopicTest@grpA\":{0:250,1:251,2:250},\"TopicTest@grpB@broadcast\":{0:7}}}");
    rmq_buf_close(&out);
    /* cloneOffset: the destination becomes a copy of the source's queues */
    store_consumer_offsets_commit(&t, "TopicTest", "grpC", 5, 99);
    CHECK(store_consumer_offsets_clone(&t, "TopicTest", "grpA", "grpC"));
    CHECK_EQ(store_consumer_offsets_query(&t, "TopicTest", "grpC", 1), 251);
    CHECK_EQ(store_consumer_offsets_query(&t, "TopicTest", "grpC", 5), -1);
    CHECK(!store_consumer_offsets_clone(&t, "TopicTest", "nobody", "grpC"));
    CHECK_EQ(store_consumer_offsets_query(&t, "TopicTest", "grpC", 2), 250);
    store_consumer_offsets_close(&t);

    store_delay_offsets_t d;
    store_delay_offsets_init(&d);
    CHECK_EQ(store_delay_offsets_decode(&d, RMQ_SLICE_LIT("{\"offsetTable\":{1:120,2:0,3:57}}")),
             0);
    CHECK_EQ(store_delay_offsets_get(&d, 3), 57);
    CHECK_EQ(store_delay_offsets_get(&d, 4), -1);
    rmq_buf_init(&out);
    store_delay_offsets_encode(&d, &out);
    CHECK_MEMSTR(out.data, out.len,
                 "{\"dataVersion\":{\"counter\":0,\"stateVersion\":0,\"timestamp\":0},"
                 "\"offsetTable\":{1:120,2:0,3:57}}");
    rmq_buf_close(&out);
    store_delay_offsets_close(&d);
}

static void test_sub_groups(void) {
    const char *json =
        "{\"dataVersion\":{\"counter\":3},\"forbiddenTable\":{\"g\":{\"T\":2}},"
        "\"subscriptionGroupTable\":{\"grpA\":{\"attributes\":{},\"brokerId\":0,"
        "\"consumeBroadcastEnable\":true,\"consumeEnable\":false,\"consumeFromMinEnable\":true,"
        "\"consumeMessageOrderly\":false,\"consumeTimeoutMinute\":15,\"groupName\":\"grpA\","
        "\"groupRetryPolicy\":{\"exponentialRetryPolicy\":{\"initial\":1000},\"type\":"
        "\"EXPONENTIAL\"},\"groupSysFlag\":0,\"notifyConsumerIdsChangedEnable\":true,"
        "\"retryMaxTimes\":3,\"retryQueueNums\":1,\"whichBrokerWhenConsumeSlowly\":1}}}";
    store_sub_groups_t t;
    store_sub_groups_init(&t);
    CHECK_EQ(store_sub_groups_decode(&t, rmq_slice_cstr(json)), 0);
    store_sub_group_t *g = store_sub_groups_get(&t, "grpA");
    CHECK(g && !g->consume_enable && g->retry_max_times == 3);
    rmq_buf_t out;
    rmq_buf_init(&out);
    store_sub_groups_encode(&t, &out);
    /* the same text, with dataVersion completed */
    CHECK_MEMSTR(out.data, out.len,
                 "{\"dataVersion\":{\"counter\":3,\"stateVersion\":0,\"timestamp\":0},"
                 "\"forbiddenTable\":{\"g\":{\"T\":2}},\"subscriptionGroupTable\":{\"grpA\":{"
                 "\"attributes\":{},\"brokerId\":0,\"consumeBroadcastEnable\":true,"
                 "\"consumeEnable\":false,\"consumeFromMinEnable\":true,\"consumeMessageOrderly\":"
                 "false,\"consumeTimeoutMinute\":15,\"groupName\":\"grpA\",\"groupRetryPolicy\":{"
                 "\"exponentialRetryPolicy\":{\"initial\":1000},\"type\":\"EXPONENTIAL\"},"
                 "\"groupSysFlag\":0,\"notifyConsumerIdsChangedEnable\":true,\"retryMaxTimes\":3,"
                 "\"retryQueueNums\":1,\"whichBrokerWhenConsumeSlowly\":1}}}");
    rmq_buf_close(&out);
    store_sub_groups_close(&t);
}

static void test_save_load_bak(void) {
    char *dir = test_tmpdir("cfgfile");
    char *path = store_path_join(dir, "config/topics.json");
    const store_fileops_t *ops = store_fileops_default();
    store_topics_t t;
    store_topics_init(&t);
    CHECK_EQ(store_topics_load(&t, ops, path), 0); /* missing: empty */
    store_topics_put(&t, store_topic_config_new("A"));
    CHECK_EQ(store_topics_save(&t, ops, path), 0);
    store_topics_put(&t, store_topic_config_new("B"));
    CHECK_EQ(store_topics_save(&t, ops, path), 0);
    store_topics_close(&t);

    /* the newest file wins; a corrupt newest file falls back to .bak (one version older) */
    store_topics_init(&t);
    CHECK_EQ(store_topics_load(&t, ops, path), 0);
    CHECK_EQ(rmq_map_count(&t.table), 2);
    store_topics_close(&t);
    CHECK_EQ(store_fs_write(ops, path, "{\"topicConfigTable\":{", 21), 0);
    store_topics_init(&t);
    CHECK_EQ(store_topics_load(&t, ops, path), 0);
    CHECK_EQ(rmq_map_count(&t.table), 1);
    CHECK(store_topics_get(&t, "A") != NULL);
    store_topics_close(&t);
    /* the file on disk is pretty-printed with tabs */
    rmq_buf_t text;
    rmq_buf_init(&text);
    char *bak = store_path_join(dir, "config/topics.json.bak");
    CHECK_EQ(store_fs_read(ops, bak, &text), 0);
    CHECK(text.len > 3 && memcmp(text.data, "{\n\t\"", 4) == 0);
    rmq_buf_close(&text);
    rmq_free(bak);
    rmq_free(path);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_pretty);
    RUN(test_topics_roundtrip);
    RUN(test_offsets_unquoted_keys);
    RUN(test_sub_groups);
    RUN(test_save_load_bak);
    return 0;
}
