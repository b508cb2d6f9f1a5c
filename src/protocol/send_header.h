/*
 * Send headers (spec remoting.md 5.2.1): SendMessageRequestHeader (code 10, long names),
 * SendMessageRequestHeaderV2 (codes 310 and 320, one-letter names a..n) decoded into the
 * same struct, and SendMessageResponseHeader.
 *
 *   V1 key                V2   type     required
 *   producerGroup          a   String   yes (V1; V2: no, see below)
 *   topic                  b   String   yes
 *   defaultTopic           c   String   yes
 *   defaultTopicQueueNums  d   Integer  yes
 *   queueId                e   Integer  yes
 *   sysFlag                f   Integer  yes
 *   bornTimestamp          g   Long     yes
 *   flag                   h   Integer  yes
 *   properties             i   String   no
 *   reconsumeTimes         j   Integer  no
 *   unitMode               k   Boolean  no
 *   maxReconsumeTimes      l   Integer  no
 *   batch                  m   Boolean  no
 *   bname                  n   String   no
 *
 * The Apache broker decodes V2 headers without checking for nulls (FastCodesHeader logs a
 * missing field and goes on) and needs no producer group to store a message, so a V2
 * send without `a` is stored; the V1 form is checked field by field (@CFNotNull) and
 * refused without it. Missing fields the send does need answer SYSTEM_ERROR either way.
 * Decoded strings are borrowed from the command; producerGroup may be NULL.
 */
#ifndef RMQ_PROTOCOL_SEND_HEADER_H
#define RMQ_PROTOCOL_SEND_HEADER_H

#include "protocol/header.h"

typedef struct {
    const char *producerGroup, *topic, *defaultTopic, *properties, *brokerName;
    int32_t defaultTopicQueueNums, queueId, sysFlag, flag;
    int64_t bornTimestamp;
    int32_t reconsumeTimes, maxReconsumeTimes;
    bool unitMode, batch;
    bool has_reconsumeTimes, has_unitMode, has_maxReconsumeTimes, has_batch;
} proto_send_message_request_header_t;
typedef proto_send_message_request_header_t proto_send_message_request_header_v2_t;
/* V1 (long names). */
PROTO_HEADER_DECLARE(send_message_request_header);
/* V2 (letters) into the same struct. */
PROTO_HEADER_DECLARE(send_message_request_header_v2);

/* Decodes by request code: V2 for SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE and the reply
 * V2 code, else V1. */
int proto_send_message_request_header_decode_any(const remoting_cmd_t *cmd,
                                                 proto_send_message_request_header_t *hdr,
                                                 const char **bad_field);

typedef struct {
    const char *msgId;
    int32_t queueId;
    int64_t queueOffset;
    const char *transactionId, *batchUniqId, *recallHandle;
} proto_send_message_response_header_t;
PROTO_HEADER_DECLARE(send_message_response_header);

#endif
