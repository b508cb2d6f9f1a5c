/*
 * HEART_BEAT (34) body HeartbeatData and its parts (spec remoting.md 5.3.5), the
 * subscription expression parser (TAG: tags separated by "||", `*` or empty = all; 6.5)
 * and the GET_CONSUMER_LIST_BY_GROUP response body {"consumerIdList":[...]} (5.3.7).
 *
 *   {"clientID":"ip@pid#ts","consumerDataSet":[{"consumeFromWhere":"...",
 *    "consumeType":"CONSUME_PASSIVELY","groupName":"CG","messageModel":"CLUSTERING",
 *    "subscriptionDataSet":[{"classFilterMode":false,"codeSet":[2598919],
 *    "expressionType":"TAG","subString":"TagA","subVersion":1700000000123,
 *    "tagsSet":["TagA"],"topic":"T"}],"unitMode":false}],
 *    "heartbeatFingerprint":0,"producerDataSet":[{"groupName":"PG"}],"withoutSub":false}
 *
 * Everything decoded is owned by the struct (free with the _close functions).
 */
#ifndef RMQ_PROTOCOL_HEARTBEAT_H
#define RMQ_PROTOCOL_HEARTBEAT_H

#include "protocol/body.h"

typedef struct {
    char *topic;
    char *subString;
    char *expressionType; /* "TAG" (also when absent) or "SQL92" */
    int64_t subVersion;
    proto_strs_t tags;
    int64_t *codes; /* Java String.hashCode of each tag, sign-extended */
    size_t code_count;
    bool classFilterMode;
} proto_subscription_t;

typedef struct {
    char *groupName;
    char *consumeType;      /* CONSUME_ACTIVELY, CONSUME_PASSIVELY, CONSUME_POP */
    char *messageModel;     /* CLUSTERING, BROADCASTING */
    char *consumeFromWhere; /* CONSUME_FROM_LAST_OFFSET, ... */
    bool unitMode;
    proto_subscription_t *subs;
    size_t sub_count;
} proto_consumer_data_t;

typedef struct {
    char *clientID;
    proto_strs_t producerGroups;
    proto_consumer_data_t *consumers;
    size_t consumer_count;
    int32_t heartbeatFingerprint;
    bool withoutSub;
} proto_heartbeat_t;

/* -EINVAL on malformed JSON or a missing clientID. */
int proto_heartbeat_decode(const char *data, size_t len, proto_heartbeat_t *hb);
void proto_heartbeat_encode(const proto_heartbeat_t *hb, rmq_buf_t *out);
void proto_heartbeat_close(proto_heartbeat_t *hb);

void proto_subscription_close(proto_subscription_t *s);
/* Deep copy into dst (dst's old contents are not freed). */
void proto_subscription_copy(proto_subscription_t *dst, const proto_subscription_t *src);
/*
 * Builds a TAG subscription from an expression as FilterAPI.buildSubscriptionData: split
 * on "||", trim, drop empties; `*` or empty = all (no tags). Returns 0, or -EINVAL for a
 * non-TAG type (the caller decides about SQL92).
 */
int proto_subscription_build(proto_subscription_t *s, const char *topic, const char *expr,
                             const char *type);
/*
 * The tag hash codes proto_subscription_build would compute, without allocating (the
 * pull path): up to `max` of them into codes, *n the total (may exceed max). Returns 0,
 * or -EINVAL for a non-TAG type.
 */
int proto_tag_codes(const char *expr, const char *type, int64_t *codes, size_t max, size_t *n);

/* {"consumerIdList":[ids...]} */
void proto_consumer_list_encode(const char *const *ids, size_t n, rmq_buf_t *out);
int proto_consumer_list_decode(const char *data, size_t len, proto_strs_t *ids);

#endif
