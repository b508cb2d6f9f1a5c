/*
 * PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361) (spec remoting.md 5.3.1, upstream
 * PullMessageProcessor): checks, the subscription (from the request or from the
 * heartbeats), a store read filtered by tag codes, the store status mapped to the
 * response code, the committed offset stored, and long polling: a PULL_NOT_FOUND with
 * the suspend flag is held (hold.c) and re-executed when the queue grows or the hold time
 * ends; a re-execution never holds again.
 *
 * Pull path (zero-copy): the store returns references into the mapped commit log.
 * Adjacent records of one segment file are merged into one range, each range retains its
 * file, and the response goes out with remoting_conn_send_segments: one writev of the
 * frame head and the mapped ranges, the records never copied in user space. The transport
 * releases each file reference once its bytes are written (or the connection closed).
 * The response is sent from here, so the handler returns REMOTING_PENDING.
 *
 * Runs on: an I/O loop (resumed pulls too, see hold.c). Locks: none of its own.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/time.h"
#include "protocol/codes.h"
#include "protocol/pull_header.h"

#include <errno.h>
#include <string.h>

#define MAX_CODES  64
#define STACK_REFS 64 /* a pull's references on the stack (32 messages by default) */

static const char *const status_names[] = {
    [STORE_GET_FOUND] = "FOUND",
    [STORE_GET_NO_MATCHED_MESSAGE] = "NO_MATCHED_MESSAGE",
    [STORE_GET_MESSAGE_WAS_REMOVING] = "MESSAGE_WAS_REMOVING",
    [STORE_GET_OFFSET_FOUND_NULL] = "OFFSET_FOUND_NULL",
    [STORE_GET_OFFSET_OVERFLOW_BADLY] = "OFFSET_OVERFLOW_BADLY",
    [STORE_GET_OFFSET_OVERFLOW_ONE] = "OFFSET_OVERFLOW_ONE",
    [STORE_GET_OFFSET_TOO_SMALL] = "OFFSET_TOO_SMALL",
    [STORE_GET_NO_MATCHED_LOGIC_QUEUE] = "NO_MATCHED_LOGIC_QUEUE",
    [STORE_GET_NO_MESSAGE_IN_QUEUE] = "NO_MESSAGE_IN_QUEUE",
};

static int code_of(store_get_status_t st, int64_t req_offset) {
    switch (st) {
    case STORE_GET_FOUND:
        return PROTO_SUCCESS;
    case STORE_GET_NO_MATCHED_MESSAGE:
    case STORE_GET_MESSAGE_WAS_REMOVING:
        return PROTO_PULL_RETRY_IMMEDIATELY;
    case STORE_GET_NO_MATCHED_LOGIC_QUEUE:
    case STORE_GET_NO_MESSAGE_IN_QUEUE:
        return req_offset != 0 ? PROTO_PULL_OFFSET_MOVED : PROTO_PULL_NOT_FOUND;
    case STORE_GET_OFFSET_FOUND_NULL:
    case STORE_GET_OFFSET_OVERFLOW_ONE:
        return PROTO_PULL_NOT_FOUND;
    case STORE_GET_OFFSET_OVERFLOW_BADLY:
    case STORE_GET_OFFSET_TOO_SMALL:
        return PROTO_PULL_OFFSET_MOVED;
    }
    return PROTO_SYSTEM_ERROR;
}

static int refuse(remoting_cmd_t *resp, int code, int forbidden, const char *fmt, const char *a,
                  const char *c) {
    resp->code = code;
    remoting_cmd_set_remarkf(resp, fmt, a, c);
    if (forbidden) {
        proto_pull_message_response_header_t rh = {.forbiddenType = forbidden,
                                                   .has_forbiddenType = true};
        proto_pull_message_response_header_encode(&rh, resp);
    }
    return 0;
}

/* The tag filter of this pull: from the request, or registered by heartbeats. Returns
 * true, or false with resp filled. */
static bool subscription_of(broker_t *b, const proto_pull_message_request_header_t *h,
                            store_tag_set_t *set, int64_t *codes, remoting_cmd_t *resp) {
    set->codes = codes;
    set->n = 0;
    if (h->sysFlag & PROTO_PULL_FLAG_SUBSCRIPTION) {
        size_t n = 0;
        int rc = proto_tag_codes(h->subscription, h->expressionType, codes, MAX_CODES, &n);
        if (rc == 0 && n <= MAX_CODES)
            set->n = n; /* too many tags: let everything through, the client filters again */
        if (rc != 0) {
            refuse(resp,
                   b->cfg.enablePropertyFilter ? PROTO_SUBSCRIPTION_PARSE_FAILED
                                               : PROTO_SYSTEM_ERROR,
                   0, "The broker does not support consumer to filter message by %s%s",
                   h->expressionType ? h->expressionType : "?", "");
            return false;
        }
        return true;
    }
    size_t n = 0;
    int64_t version = 0;
    int rc =
        broker_clients_subscription(b, h->consumerGroup, h->topic, codes, MAX_CODES, &n, &version);
    if (rc == -ENOENT) {
        refuse(resp, PROTO_SUBSCRIPTION_NOT_EXIST, 0, "the consumer's group info not exist%s%s",
               BROKER_FAQ_SUBSCRIPTION_GROUP_NOT_EXIST, "");
        return false;
    }
    if (rc != 0) {
        refuse(resp, PROTO_SUBSCRIPTION_NOT_EXIST, 0, "the consumer's subscription not exist%s%s",
               BROKER_FAQ_SUBSCRIPTION_GROUP_NOT_EXIST, "");
        return false;
    }
    if (version < h->subVersion) {
        refuse(resp, PROTO_SUBSCRIPTION_NOT_LATEST, 0, "the consumer's subscription not latest%s%s",
               "", "");
        return false;
    }
    set->n = n <= MAX_CODES ? n : 0; /* too many tags: let everything through, the client
                                        filters again */
    return true;
}

#define STACK_SEGS 64

static void release_mf(void *mf) {
    store_mf_release(mf);
}

/* Sends a FOUND answer whose body is the referenced records, straight from the mapped
 * files: one segment per run of adjacent records in one file, each holding a reference
 * on its file until written. r keeps (and later releases) its own references. */
static void send_found(broker_t *b, remoting_conn_t *conn, remoting_cmd_t *resp,
                       const store_get_result_t *r) {
    remoting_segment_t stack[STACK_SEGS], *segs = stack;
    if (r->count > STACK_SEGS)
        segs = rmq_malloc(r->count * sizeof *segs);
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++) {
        const store_ref_t *ref = &r->refs[i];
        if (n > 0 && segs[n - 1].arg == ref->mf &&
            (const char *)segs[n - 1].ptr + segs[n - 1].len == ref->ptr) {
            segs[n - 1].len += (size_t)ref->len;
            continue;
        }
        store_mf_retain(ref->mf);
        segs[n++] = (remoting_segment_t){
            .ptr = ref->ptr, .len = (size_t)ref->len, .release = release_mf, .arg = ref->mf};
    }
    remoting_cmd_borrow_body(resp, NULL, 0);
    if (b->conn_ops->send_segments(conn, resp, segs, n) != 0)
        for (size_t i = 0; i < n; i++)
            store_mf_release(segs[i].arg);
    if (segs != stack)
        rmq_free(segs);
}

/* The pull itself. `resumed`: a held request's re-execution. Returns the handler
 * result. */
static int pull(broker_t *b, remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp,
                bool resumed) {
    proto_pull_message_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_pull_message_request_header_decode(req, &h, &bad) != 0) {
        return broker_bad_header(resp, bad);
    }
    if (!(b->cfg.brokerPermission & STORE_PERM_READ))
        return refuse(resp, PROTO_NO_PERMISSION, 1, "the broker[%s] pulling message is forbidden",
                      b->cfg.brokerIP1, "");
    if (req->code == PROTO_LITE_PULL_MESSAGE && !b->cfg.litePullMessageEnable)
        return refuse(resp, PROTO_NO_PERMISSION, 1,
                      "the broker[%s] for lite pull consumer is forbidden", b->cfg.brokerIP1, "");
    broker_group_info_t gi;
    if (!broker_groups_get(b, h.consumerGroup, true, &gi))
        return refuse(resp, PROTO_SUBSCRIPTION_GROUP_NOT_EXIST, 0,
                      "subscription group [%s] does not exist, %s", h.consumerGroup,
                      BROKER_FAQ_SUBSCRIPTION_GROUP_NOT_EXIST);
    if (!gi.consume_enable)
        return refuse(resp, PROTO_NO_PERMISSION, 2, "subscription group no permission, %s%s",
                      h.consumerGroup, "");
    broker_topic_info_t ti;
    if (!broker_topics_get(b, h.topic, &ti))
        return refuse(resp, PROTO_TOPIC_NOT_EXIST, 0, "topic[%s] not exist, apply first please!%s",
                      h.topic, BROKER_FAQ_APPLY_TOPIC);
    if (!(ti.perm & STORE_PERM_READ))
        return refuse(resp, PROTO_NO_PERMISSION, 3, "the topic[%s] pulling message is forbidden",
                      h.topic, "");
    if (h.queueId < 0 || h.queueId >= ti.read_queue_nums) {
        resp->code = PROTO_INVALID_PARAMETER;
        remoting_cmd_set_remarkf(
            resp,
            "queueId[%d] is illegal, topic:[%s] topicConfig.readQueueNums:[%d] "
            "consumer:[%s]",
            h.queueId, h.topic, ti.read_queue_nums, b->conn_ops->peer(conn));
        return 0;
    }
    int64_t codes[MAX_CODES];
    store_tag_set_t tags;
    if (!subscription_of(b, &h, &tags, codes, resp))
        return 0;

    int max_msgs = h.maxMsgNums;
    if (max_msgs > b->cfg.maxTransferCountOnMessageInMemory)
        max_msgs = b->cfg.maxTransferCountOnMessageInMemory;
    int64_t max_bytes = b->cfg.maxTransferBytesOnMessageInMemory;
    if (h.has_maxMsgBytes && h.maxMsgBytes > 0 && h.maxMsgBytes < max_bytes)
        max_bytes = h.maxMsgBytes;
    store_filter_t filter = {.cq_match = store_filter_tags, .arg = &tags};
    store_ref_t refs[STACK_REFS];
    store_get_result_t r;
    store_get_result_init_buf(&r, refs, STACK_REFS);
    int rc = store_get(b->store, rmq_slice_cstr(h.topic), h.queueId, h.queueOffset,
                       max_msgs > 0 ? max_msgs : 1, max_bytes, &filter, &r);
    if (rc != 0) {
        store_get_result_close(&r);
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "store getMessage failed: %d", rc);
        return 0;
    }
    resp->code = code_of(r.status, h.queueOffset);
    broker_stats_on_get(b, r.status == STORE_GET_FOUND && r.count > 0, (int64_t)r.count);
    remoting_cmd_set_remark(resp, status_names[r.status]);
    proto_pull_message_response_header_t rh = {
        .nextBeginOffset = r.next_begin_offset,
        .minOffset = r.min_offset,
        .maxOffset = r.max_offset,
        .topicSysFlag = ti.topic_sys_flag,
        .has_topicSysFlag = true,
        .groupSysFlag = gi.group_sys_flag,
        .has_groupSysFlag = true,
    };
    proto_pull_message_response_header_encode(&rh, resp);

    if (!resumed && (h.sysFlag & PROTO_PULL_FLAG_COMMIT_OFFSET))
        store_consumer_offsets_commit(&b->offsets, h.topic, h.consumerGroup, h.queueId,
                                      h.commitOffset);

    int ret = 0;
    if (resp->code == PROTO_SUCCESS && r.count > 0) {
        send_found(b, conn, resp, &r);
        ret = REMOTING_PENDING;
    } else if (resp->code == PROTO_PULL_NOT_FOUND && !resumed &&
               (h.sysFlag & PROTO_PULL_FLAG_SUSPEND)) {
        int64_t hold_ms =
            b->cfg.longPollingEnable ? h.suspendTimeoutMillis : b->cfg.shortPollingTimeMills;
        int64_t deadline = rmq_mono_ms() + hold_ms;
        if (broker_hold_add(b->hold, conn, req, h.topic, h.queueId, h.queueOffset, deadline) == 0)
            ret = REMOTING_PENDING;
    }
    store_get_result_close(&r);
    return ret;
}

int broker_pull_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                        remoting_cmd_t *resp) {
    return pull(ctx, conn, req, resp, false);
}

void broker_pull_resume(broker_t *b, remoting_conn_t *conn, remoting_cmd_t *req,
                        remoting_cmd_t *resp) {
    remoting_cmd_reset(resp);
    remoting_cmd_set_response(resp, PROTO_SUCCESS, req->opaque, NULL);
    if (pull(b, conn, req, resp, true) == 0)
        b->conn_ops->send(conn, resp);
}
