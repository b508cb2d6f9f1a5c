/*
 * Bodies of the orderly consumers' queue locks and of the client-config check (spec
 * remoting.md 5.3.9, 5.3.10), as fastjson writes them (bean properties sorted by name):
 *
 *   LOCK_BATCH_MQ (41), UNLOCK_BATCH_MQ (42) request (LockBatchRequestBody,
 *   UnlockBatchRequestBody):
 *     {"clientId":"cid","consumerGroup":"CG","mqSet":[{"brokerName":"broker-a",
 *      "queueId":0,"topic":"T"}],"onlyThisBroker":false}
 *   LOCK_BATCH_MQ response (LockBatchResponseBody):
 *     {"lockOKMQSet":[{"brokerName":"broker-a","queueId":0,"topic":"T"}]}
 *   CHECK_CLIENT_CONFIG (46) request (CheckClientRequestBody):
 *     {"clientId":"cid","group":"CG","namespace":"","subscriptionData":{"topic":"T",
 *      "subString":"a > 1","expressionType":"SQL92",...}}
 *
 * Everything decoded is owned by the struct (free with the _close functions).
 */
#ifndef RMQ_PROTOCOL_LOCK_BODY_H
#define RMQ_PROTOCOL_LOCK_BODY_H

#include "protocol/body.h"

/* One MessageQueue of a lock body. */
typedef struct {
    char *topic, *brokerName;
    int32_t queueId;
} proto_lock_mq_t;

typedef struct {
    proto_lock_mq_t *items;
    size_t count, cap;
} proto_lock_mqs_t;

/* Appends a copy of the strings. */
void proto_lock_mqs_add(proto_lock_mqs_t *l, const char *topic, const char *broker_name,
                        int32_t queue_id);
void proto_lock_mqs_close(proto_lock_mqs_t *l);

typedef struct {
    char *consumerGroup, *clientId;
    bool onlyThisBroker;
    proto_lock_mqs_t mqSet;
} proto_lock_batch_t;

/* -EINVAL on malformed JSON or a member of the wrong type. */
int proto_lock_batch_decode(const char *data, size_t len, proto_lock_batch_t *lb);
void proto_lock_batch_encode(const proto_lock_batch_t *lb, rmq_buf_t *out);
void proto_lock_batch_close(proto_lock_batch_t *lb);

/* {"lockOKMQSet":[...]} */
void proto_lock_batch_response_encode(const proto_lock_mqs_t *ok, rmq_buf_t *out);
int proto_lock_batch_response_decode(const char *data, size_t len, proto_lock_mqs_t *ok);

typedef struct {
    char *clientId, *group, *nameSpace;
    bool has_subscription;
    char *topic, *subString, *expressionType; /* of subscriptionData, when present */
} proto_check_client_t;

int proto_check_client_decode(const char *data, size_t len, proto_check_client_t *cc);
void proto_check_client_close(proto_check_client_t *cc);

#endif
