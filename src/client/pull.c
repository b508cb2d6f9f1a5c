/*
 * PULL_MESSAGE for both consumers (Java's PullAPIWrapper): the request header of
 * pullKernelImpl and processPullResult on the response: FOUND (0) decodes the records
 * and keeps the messages whose TAGS is in the subscription's tag set (the broker only
 * filtered by tag hash code), setting MIN_OFFSET / MAX_OFFSET as Java does;
 * PULL_NOT_FOUND (19) is NO_NEW_MSG, PULL_RETRY_IMMEDIATELY (20) NO_MATCHED_MSG,
 * PULL_OFFSET_MOVED (21) OFFSET_ILLEGAL; other codes are errors.
 *
 * Threads: any (no state).
 */
#include "client/consumer.h"

#include "common/alloc.h"
#include "common/log.h"
#include "protocol/codes.h"
#include "protocol/message.h"
#include "protocol/pull_header.h"

#include <stdio.h>
#include <string.h>

remoting_cmd_t *client_pull_request(const char *group, const client_cmq_t *mq, int64_t offset,
                                    int32_t max_nums, int64_t commit_offset, bool suspend,
                                    const proto_subscription_t *sub, int64_t suspend_ms) {
    int32_t sys_flag = 0;
    if (commit_offset > 0)
        sys_flag |= PROTO_PULL_FLAG_COMMIT_OFFSET;
    if (suspend)
        sys_flag |= PROTO_PULL_FLAG_SUSPEND;
    /* The expression travels with every pull (as the lite pull consumer and
     * postSubscriptionWhenPull do): the broker then never depends on having seen this
     * client's heartbeat first. */
    sys_flag |= PROTO_PULL_FLAG_SUBSCRIPTION;
    proto_pull_message_request_header_t h = {
        .consumerGroup = group,
        .topic = mq->topic,
        .queueId = mq->queue_id,
        .queueOffset = offset,
        .maxMsgNums = max_nums,
        .sysFlag = sys_flag,
        .commitOffset = commit_offset > 0 ? commit_offset : 0,
        .suspendTimeoutMillis = suspend_ms,
        .subscription = sub->subString ? sub->subString : "*",
        .subVersion = sub->subVersion,
        .expressionType = sub->expressionType ? sub->expressionType : "TAG",
        .maxMsgBytes = 256 * 1024 * 1024,
        .has_maxMsgBytes = true,
        .brokerName = mq->broker_name,
    };
    remoting_cmd_t *req = remoting_cmd_new();
    remoting_cmd_set_request(req, PROTO_PULL_MESSAGE);
    proto_pull_message_request_header_encode(&h, req);
    return req;
}

static bool tag_matches(const proto_subscription_t *sub, const rmq_message_ext_t *m) {
    if (sub->tags.count == 0 || sub->classFilterMode)
        return true;
    const char *tags = client_msg_ext_prop(m, PROTO_PROP_TAGS);
    return tags && proto_strs_has(&sub->tags, tags);
}

/* Sets a property of a received message (no checks: Java's MessageAccessor). */
static void put_prop(rmq_message_ext_t *m, const char *name, const char *value) {
    rmq_message_t *msg = &m->msg;
    for (size_t i = 0; i < msg->prop_count; i++)
        if (strcmp(msg->props[i].name, name) == 0) {
            rmq_free(msg->props[i].value);
            msg->props[i].value = rmq_strdup(value);
            return;
        }
    if (msg->prop_count == msg->prop_cap) {
        msg->prop_cap = msg->prop_cap ? msg->prop_cap * 2 : 8;
        msg->props = rmq_realloc(msg->props, msg->prop_cap * sizeof *msg->props);
    }
    msg->props[msg->prop_count].name = rmq_strdup(name);
    msg->props[msg->prop_count].value = rmq_strdup(value);
    msg->prop_count++;
}

void client_pull_result_decode(const remoting_cmd_t *resp, const client_cmq_t *mq,
                               const proto_subscription_t *sub, client_pull_result_t *out) {
    memset(out, 0, sizeof *out);
    switch (resp->code) {
    case 0:
        out->status = CLIENT_PULL_FOUND;
        break;
    case PROTO_PULL_NOT_FOUND:
        out->status = CLIENT_PULL_NO_NEW_MSG;
        break;
    case PROTO_PULL_RETRY_IMMEDIATELY:
        out->status = CLIENT_PULL_NO_MATCHED_MSG;
        break;
    case PROTO_PULL_OFFSET_MOVED:
        out->status = CLIENT_PULL_OFFSET_ILLEGAL;
        break;
    default:
        out->status = CLIENT_PULL_ERROR;
        return;
    }
    proto_pull_message_response_header_t h = {0};
    const char *bad = NULL;
    if (proto_pull_message_response_header_decode(resp, &h, &bad) != 0) {
        out->status = CLIENT_PULL_ERROR;
        return;
    }
    out->next_begin_offset = h.nextBeginOffset;
    out->min_offset = h.minOffset;
    out->max_offset = h.maxOffset;
    if (out->status != CLIENT_PULL_FOUND || !resp->body.ptr)
        return;
    client_msgs_t all = {0};
    if (client_msgs_decode(resp->body, mq->broker_name, &all) != 0)
        rmq_log_warn("consumer", "pull %s/%s/%d: malformed record in the body", mq->topic,
                     mq->broker_name, (int)mq->queue_id);
    char minb[24], maxb[24];
    snprintf(minb, sizeof minb, "%lld", (long long)h.minOffset);
    snprintf(maxb, sizeof maxb, "%lld", (long long)h.maxOffset);
    for (size_t i = 0; i < all.count; i++) {
        rmq_message_ext_t *m = all.items[i];
        if (!tag_matches(sub, m)) {
            rmq_message_ext_destroy(m);
            continue;
        }
        put_prop(m, "MIN_OFFSET", minb);
        put_prop(m, "MAX_OFFSET", maxb);
        client_msgs_add(&out->msgs, m);
    }
    rmq_free(all.items);
}

void client_pull_result_close(client_pull_result_t *r) {
    client_msgs_close(&r->msgs);
}
