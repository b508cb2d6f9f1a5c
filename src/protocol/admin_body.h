/*
 * Bodies of the broker's administration requests (spec remoting.md 5.5), as fastjson
 * writes them: bean properties sorted by name, null members omitted, and the
 * MessageQueue-keyed maps written with the key object itself as the map key (3.1):
 *
 *   ConsumeStats (208)      {"consumeTps":0.0,"offsetTable":{{"brokerName":"b","queueId":0,
 *                            "topic":"T"}:{"brokerOffset":9,"consumerOffset":7,
 *                            "lastTimestamp":1700000000000,"pullOffset":7}}}
 *   TopicStatsTable (202)   {"offsetTable":{{MessageQueue}:{"lastUpdateTimestamp":..,
 *                            "maxOffset":9,"minOffset":0}},"topicPutTps":0.0}
 *   ResetOffsetBody (220, 222)   {"offsetTable":{{MessageQueue}:5}}
 *   ResetOffsetBodyForC     {"offsetTable":[{"brokerName":"b","offset":5,"queueId":0,"topic":"T"}]}
 *   ConsumerConnection (203) {"connectionSet":[Connection],"consumeFromWhere":"..",
 *                            "consumeType":"..","messageModel":"..","subscriptionTable":
 *                            {"T":SubscriptionData}}
 *   ProducerConnection (204) {"connectionSet":[Connection]}
 *   Connection              {"clientAddr":"ip:port","clientId":"..","language":"JAVA",
 *                            "version":479}
 *
 * Decoders accept both the object-key form and quoted keys holding the key object's JSON
 * (what a strict-JSON writer would produce), and keep everything they return owned.
 */
#ifndef RMQ_PROTOCOL_ADMIN_BODY_H
#define RMQ_PROTOCOL_ADMIN_BODY_H

#include "protocol/body.h"
#include "protocol/heartbeat.h"

/* MessageQueue. */
typedef struct {
    char *topic, *brokerName;
    int32_t queueId;
} proto_mq_t;

/* Writes mq as a fastjson map key: {"brokerName":..,"queueId":..,"topic":..}: */
void proto_mq_write_key(rmq_jw_t *w, const char *topic, const char *broker_name, int32_t queue_id);
/* Reads a map member's key (object, or a string holding the object's JSON). */
int proto_mq_read_key(const rmq_json_t *member, proto_mq_t *mq);
void proto_mq_close(proto_mq_t *mq);

/* ---- ConsumeStats ---- */

typedef struct {
    proto_mq_t mq;
    int64_t brokerOffset, consumerOffset, pullOffset, lastTimestamp;
} proto_offset_wrapper_t;

typedef struct {
    proto_offset_wrapper_t *items;
    size_t count, cap;
    double consumeTps;
} proto_consume_stats_t;

/* Appends an entry (copies the strings); returns it for the offsets. */
proto_offset_wrapper_t *proto_consume_stats_add(proto_consume_stats_t *cs, const char *topic,
                                                const char *broker_name, int32_t queue_id);
void proto_consume_stats_encode(const proto_consume_stats_t *cs, rmq_buf_t *out);
int proto_consume_stats_decode(const char *data, size_t len, proto_consume_stats_t *cs);
void proto_consume_stats_close(proto_consume_stats_t *cs);

/* ---- TopicStatsTable ---- */

typedef struct {
    proto_mq_t mq;
    int64_t minOffset, maxOffset, lastUpdateTimestamp;
} proto_topic_offset_t;

typedef struct {
    proto_topic_offset_t *items;
    size_t count, cap;
    double topicPutTps;
} proto_topic_stats_t;

proto_topic_offset_t *proto_topic_stats_add(proto_topic_stats_t *ts, const char *topic,
                                            const char *broker_name, int32_t queue_id);
void proto_topic_stats_encode(const proto_topic_stats_t *ts, rmq_buf_t *out);
int proto_topic_stats_decode(const char *data, size_t len, proto_topic_stats_t *ts);
void proto_topic_stats_close(proto_topic_stats_t *ts);

/* ---- ResetOffsetBody ---- */

typedef struct {
    proto_mq_t mq;
    int64_t offset;
} proto_mq_offset_t;

typedef struct {
    proto_mq_offset_t *items;
    size_t count, cap;
} proto_reset_offset_t;

void proto_reset_offset_add(proto_reset_offset_t *ro, const char *topic, const char *broker_name,
                            int32_t queue_id, int64_t offset);
/* ResetOffsetBody, or ResetOffsetBodyForC when for_c (a CPP caller). */
void proto_reset_offset_encode(const proto_reset_offset_t *ro, bool for_c, rmq_buf_t *out);
/* Reads either form. */
int proto_reset_offset_decode(const char *data, size_t len, proto_reset_offset_t *ro);
void proto_reset_offset_close(proto_reset_offset_t *ro);

/* ---- ConsumerConnection, ProducerConnection ---- */

typedef struct {
    char *clientId, *clientAddr;
    char *language; /* LanguageCode name */
    int32_t version;
} proto_connection_t;

typedef struct {
    proto_connection_t *conns;
    size_t nconn, capconn;
    /* Consumer only (NULL / empty for a producer): */
    char *consumeType, *messageModel, *consumeFromWhere;
    proto_subscription_t *subs;
    size_t nsub;
} proto_client_connection_t;

void proto_client_connection_add(proto_client_connection_t *cc, const char *client_id,
                                 const char *client_addr, const char *language, int32_t version);
/* ConsumerConnection (is_consumer) or ProducerConnection. */
void proto_client_connection_encode(const proto_client_connection_t *cc, bool is_consumer,
                                    rmq_buf_t *out);
/* Reads either; subscriptions keep topic, subString, expressionType and subVersion. */
int proto_client_connection_decode(const char *data, size_t len, proto_client_connection_t *cc);
void proto_client_connection_close(proto_client_connection_t *cc);

/* SubscriptionData as fastjson writes it (classFilterMode .. topic). */
void proto_subscription_write(const proto_subscription_t *s, rmq_jw_t *w);

#endif
