/*
 * libFuzzer target: the config JSON decoders (topics.json, subscriptionGroup.json,
 * consumerOffset.json, delayOffset.json) and re-encoding what they accepted.
 */
#include "store/consumer_offset.h"
#include "store/sub_group.h"
#include "store/topic_config.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rmq_slice_t in = rmq_slice((const char *)data, size);
    rmq_buf_t out;
    rmq_buf_init(&out);
    store_topics_t t;
    store_topics_init(&t);
    if (store_topics_decode(&t, in) == 0)
        store_topics_encode(&t, &out);
    store_topics_close(&t);
    store_sub_groups_t g;
    store_sub_groups_init(&g);
    if (store_sub_groups_decode(&g, in) == 0)
        store_sub_groups_encode(&g, &out);
    store_sub_groups_close(&g);
    store_consumer_offsets_t o;
    store_consumer_offsets_init(&o);
    if (store_consumer_offsets_decode(&o, in) == 0)
        store_consumer_offsets_encode(&o, &out);
    store_consumer_offsets_close(&o);
    store_delay_offsets_t d;
    store_delay_offsets_init(&d);
    if (store_delay_offsets_decode(&d, in) == 0)
        store_delay_offsets_encode(&d, &out);
    store_delay_offsets_close(&d);
    rmq_buf_close(&out);
    return 0;
}
