/*
 * TopicConfig: a broker's configuration of one topic, in two encodings.
 *
 * JSON (registration bodies, broker topics.json):
 *   {"attributes":{},"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG",
 *    "topicName":"TopicTest","topicSysFlag":0,"writeQueueNums":4}
 * Text (compressed registration), fields separated by one space:
 *   topicName readQueueNums writeQueueNums perm topicFilterType attributesJSON
 *   e.g. "TopicTest 4 4 6 SINGLE_TAG {}". It has no topicSysFlag or order, and an
 *   attribute containing a space does not survive it (upstream then drops the attributes).
 */
#ifndef RMQ_PROTOCOL_TOPIC_CONFIG_H
#define RMQ_PROTOCOL_TOPIC_CONFIG_H

#include "protocol/body.h"

typedef enum {
    PROTO_TOPIC_FILTER_SINGLE_TAG = 0,
    PROTO_TOPIC_FILTER_MULTI_TAG = 1,
} proto_topic_filter_type_t;

typedef struct {
    char *topicName;
    int32_t readQueueNums, writeQueueNums, perm;
    proto_topic_filter_type_t topicFilterType;
    int32_t topicSysFlag;
    bool order;
    proto_kvs_t attributes;
} proto_topic_config_t;

/* Java's defaults: 16 read and write queues, perm 6, SINGLE_TAG. */
void proto_topic_config_init(proto_topic_config_t *tc, const char *topic);
void proto_topic_config_close(proto_topic_config_t *tc);

void proto_topic_config_write(const proto_topic_config_t *tc, rmq_jw_t *w);
/* Members absent from the object keep the Java defaults. -EINVAL if v is not an object. */
int proto_topic_config_read(const rmq_json_t *v, proto_topic_config_t *tc);

/* Text form. encode appends to out; decode needs at least five fields (-EINVAL). */
void proto_topic_config_encode_text(const proto_topic_config_t *tc, rmq_buf_t *out);
int proto_topic_config_decode_text(const char *text, size_t len, proto_topic_config_t *tc);

const char *proto_topic_filter_type_name(proto_topic_filter_type_t t);

#endif
