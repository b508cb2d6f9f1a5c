/*
 * broker/schedule.c: delay-level messages parked by SEND with a DELAY property are
 * delivered to their real topic and queue when due (injected clock, no sleeps), in queue
 * order, keeping their properties; clock jumps; delayOffset.json written, reloaded and
 * clamped; a custom messageDelayLevel.
 */
#include "broker_fixture.h"
#include "store/consumer_offset.h"

#define SCHED "SCHEDULE_TOPIC_XXXX"

static void test_deliver_when_due(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    /* Level 2 = 5 s, into TopicD queue 3; then two more. */
    fx_send_msg(b, "TopicD", 3, "DELAY\0012\002TAGS\001TagA\002", -1, -1, 479);
    fx_send_msg(b, "TopicD", 3, "DELAY\0012\002", -1, -1, 479);
    fx_send_msg(b, "TopicD", 1, "DELAY\0011\002", -1, -1, 479);
    CHECK_EQ(fx_max(b, SCHED, 1), 2);
    CHECK_EQ(fx_max(b, SCHED, 0), 1);
    CHECK_EQ(fx_max(b, "TopicD", 3), 0);

    fx_clock_ms = rmq_now_ms(); /* nothing due yet */
    CHECK_EQ(broker_schedule_run(b->schedule), 0);
    fx_clock_ms = rmq_now_ms() + 1000; /* level 1 (1 s) due */
    CHECK_EQ(broker_schedule_run(b->schedule), 1);
    store_dispatch_catch_up(b->store);
    CHECK_EQ(fx_max(b, "TopicD", 1), 1);
    CHECK_EQ(fx_max(b, "TopicD", 3), 0);
    CHECK_EQ(broker_schedule_offset(b->schedule, 1), 1);
    CHECK_EQ(broker_schedule_offset(b->schedule, 2), 0);

    fx_clock_ms = rmq_now_ms() + 5000;
    CHECK_EQ(broker_schedule_run(b->schedule), 2);
    store_dispatch_catch_up(b->store);
    CHECK_EQ(fx_max(b, "TopicD", 3), 2);
    CHECK_EQ(broker_schedule_offset(b->schedule, 2), 2);
    /* The copy keeps the properties (DELAY, REAL_TOPIC, REAL_QID as the Java broker's),
     * the body and the born time; it is indexed and tag-filtered as TopicD's. */
    store_ref_t ref;
    store_record_t rec;
    fx_get(b, "TopicD", 3, 0, &ref, &rec);
    CHECK_MEMSTR(rec.topic.ptr, rec.topic.len, "TopicD");
    CHECK_EQ(rec.queue_id, 3);
    CHECK_MEMSTR(rec.body.ptr, rec.body.len, "hello");
    CHECK_EQ(rec.born_ts, 1700000000000LL);
    fx_check_prop(rec.props, "DELAY", "2");
    fx_check_prop(rec.props, "REAL_TOPIC", "TopicD");
    fx_check_prop(rec.props, "REAL_QID", "3");
    fx_check_prop(rec.props, "TAGS", "TagA");
    store_mf_release(ref.mf);
    store_get_result_t r;
    store_get_result_init(&r);
    int64_t code = 2598919; /* "TagA" */
    store_tag_set_t set = {&code, 1};
    store_filter_t f = {store_filter_tags, NULL, &set};
    CHECK_EQ(store_get(b->store, rmq_slice_cstr("TopicD"), 3, 0, 32, 1 << 20, &f, &r), 0);
    CHECK_EQ(r.count, 1);
    store_get_result_close(&r);
    /* Nothing more to do. */
    CHECK_EQ(broker_schedule_run(b->schedule), 0);

    /* delayOffset.json: {1:1, 2:2}; reopening continues from there. */
    CHECK_EQ(broker_schedule_persist(b->schedule, false), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/config/delayOffset.json", dir);
    store_delay_offsets_t d;
    store_delay_offsets_init(&d);
    CHECK_EQ(store_delay_offsets_load(&d, store_fileops_default(), path), 0);
    CHECK_EQ(store_delay_offsets_get(&d, 1), 1);
    CHECK_EQ(store_delay_offsets_get(&d, 2), 2);
    store_delay_offsets_close(&d);
    fx_close_broker(b);
    b = fx_open(&dir, NULL);
    CHECK_EQ(broker_schedule_offset(b->schedule, 2), 2);
    CHECK_EQ(broker_schedule_run(b->schedule), 0);
    store_dispatch_catch_up(b->store);
    CHECK_EQ(fx_max(b, "TopicD", 3), 2);
    fx_close_broker(b);
    test_rmdir(dir);
}

static void test_clock_jump_and_correction(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    fx_send_msg(b, "TopicJ", 0, "DELAY\0013\002", -1, -1, 479);
    /* The clock went back an hour: a due time further ahead than now + 10 s counts as
     * due now (upstream correctDeliverTimestamp). */
    fx_clock_ms = rmq_now_ms() - 3600 * 1000;
    CHECK_EQ(broker_schedule_run(b->schedule), 1);
    store_dispatch_catch_up(b->store);
    CHECK_EQ(fx_max(b, "TopicJ", 0), 1);
    fx_close_broker(b);

    /* A cursor beyond the queue's end is clamped on load (correctDelayOffset). */
    char path[512];
    snprintf(path, sizeof path, "%s/config/delayOffset.json", dir);
    store_delay_offsets_t d;
    store_delay_offsets_init(&d);
    store_delay_offsets_set(&d, 3, 99);
    CHECK_EQ(store_delay_offsets_save(&d, store_fileops_default(), path), 0);
    store_delay_offsets_close(&d);
    b = fx_open(&dir, NULL);
    CHECK_EQ(broker_schedule_offset(b->schedule, 3), 1);
    fx_close_broker(b);
    test_rmdir(dir);
}

static void test_custom_levels(void) {
    char *dir = NULL;
    static const char *const settings[] = {"messageDelayLevel", "1s 1s 2s", NULL};
    broker_t *b = fx_open(&dir, settings);
    CHECK_EQ(broker_schedule_max_level(b->schedule), 3);
    /* Level 7 is clamped to the last level (3, 2 s). */
    fx_send_msg(b, "TopicC", 0, "DELAY\0017\002", -1, -1, 479);
    fx_clock_ms = rmq_now_ms() + 1000;
    CHECK_EQ(broker_schedule_run(b->schedule), 0);
    fx_clock_ms = rmq_now_ms() + 2000;
    CHECK_EQ(broker_schedule_run(b->schedule), 1);
    fx_close_broker(b);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_deliver_when_due);
    RUN(test_clock_jump_and_correction);
    RUN(test_custom_levels);
    return 0;
}
