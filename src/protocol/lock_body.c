/* Lock and client-check bodies; format in lock_body.h. */
#include "protocol/lock_body.h"

#include "common/alloc.h"

#include <errno.h>
#include <string.h>

void proto_lock_mqs_add(proto_lock_mqs_t *l, const char *topic, const char *broker_name,
                        int32_t queue_id) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->items = rmq_realloc(l->items, l->cap * sizeof *l->items);
    }
    proto_lock_mq_t *mq = &l->items[l->count++];
    mq->topic = rmq_strdup(topic ? topic : "");
    mq->brokerName = rmq_strdup(broker_name ? broker_name : "");
    mq->queueId = queue_id;
}

void proto_lock_mqs_close(proto_lock_mqs_t *l) {
    for (size_t i = 0; i < l->count; i++) {
        rmq_free(l->items[i].topic);
        rmq_free(l->items[i].brokerName);
    }
    rmq_free(l->items);
    memset(l, 0, sizeof *l);
}

static int read_mqs(const rmq_json_t *arr, proto_lock_mqs_t *l) {
    if (!arr || arr->type == RMQ_JSON_NULL)
        return 0;
    if (arr->type != RMQ_JSON_ARRAY)
        return -EINVAL;
    for (const rmq_json_t *e = arr->child; e; e = e->next) {
        if (e->type != RMQ_JSON_OBJECT)
            return -EINVAL;
        proto_lock_mqs_add(l, rmq_json_get_str(e, "topic", ""),
                           rmq_json_get_str(e, "brokerName", ""),
                           (int32_t)rmq_json_get_i64(e, "queueId", 0));
    }
    return 0;
}

static void write_mqs(rmq_jw_t *w, const proto_lock_mqs_t *l) {
    rmq_jw_arr_begin(w);
    for (size_t i = 0; i < l->count; i++) {
        rmq_jw_obj_begin(w);
        rmq_jw_kv_str(w, "brokerName", l->items[i].brokerName);
        rmq_jw_kv_i64(w, "queueId", l->items[i].queueId);
        rmq_jw_kv_str(w, "topic", l->items[i].topic);
        rmq_jw_obj_end(w);
    }
    rmq_jw_arr_end(w);
}

int proto_lock_batch_decode(const char *data, size_t len, proto_lock_batch_t *lb) {
    memset(lb, 0, sizeof *lb);
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *root = rmq_json_root(doc);
    int rc = -EINVAL;
    if (root->type == RMQ_JSON_OBJECT) {
        lb->consumerGroup = proto_json_dup_str(root, "consumerGroup");
        lb->clientId = proto_json_dup_str(root, "clientId");
        lb->onlyThisBroker = rmq_json_get_bool(root, "onlyThisBroker", false);
        rc = read_mqs(rmq_json_get(root, "mqSet"), &lb->mqSet);
    }
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_lock_batch_close(lb);
    return rc;
}

void proto_lock_batch_encode(const proto_lock_batch_t *lb, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    if (lb->clientId)
        rmq_jw_kv_str(&w, "clientId", lb->clientId);
    if (lb->consumerGroup)
        rmq_jw_kv_str(&w, "consumerGroup", lb->consumerGroup);
    rmq_jw_key(&w, "mqSet");
    write_mqs(&w, &lb->mqSet);
    rmq_jw_kv_bool(&w, "onlyThisBroker", lb->onlyThisBroker);
    rmq_jw_obj_end(&w);
}

void proto_lock_batch_close(proto_lock_batch_t *lb) {
    rmq_free(lb->consumerGroup);
    rmq_free(lb->clientId);
    proto_lock_mqs_close(&lb->mqSet);
    memset(lb, 0, sizeof *lb);
}

void proto_lock_batch_response_encode(const proto_lock_mqs_t *ok, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "lockOKMQSet");
    write_mqs(&w, ok);
    rmq_jw_obj_end(&w);
}

int proto_lock_batch_response_decode(const char *data, size_t len, proto_lock_mqs_t *ok) {
    memset(ok, 0, sizeof *ok);
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *root = rmq_json_root(doc);
    int rc =
        root->type == RMQ_JSON_OBJECT ? read_mqs(rmq_json_get(root, "lockOKMQSet"), ok) : -EINVAL;
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_lock_mqs_close(ok);
    return rc;
}

int proto_check_client_decode(const char *data, size_t len, proto_check_client_t *cc) {
    memset(cc, 0, sizeof *cc);
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *root = rmq_json_root(doc);
    int rc = -EINVAL;
    if (root->type == RMQ_JSON_OBJECT) {
        rc = 0;
        cc->clientId = proto_json_dup_str(root, "clientId");
        cc->group = proto_json_dup_str(root, "group");
        cc->nameSpace = proto_json_dup_str(root, "namespace");
        const rmq_json_t *sd = rmq_json_get(root, "subscriptionData");
        if (sd && sd->type == RMQ_JSON_OBJECT) {
            cc->has_subscription = true;
            cc->topic = proto_json_dup_str(sd, "topic");
            cc->subString = proto_json_dup_str(sd, "subString");
            cc->expressionType = proto_json_dup_str(sd, "expressionType");
        } else if (sd && sd->type != RMQ_JSON_NULL) {
            rc = -EINVAL;
        }
    }
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_check_client_close(cc);
    return rc;
}

void proto_check_client_close(proto_check_client_t *cc) {
    rmq_free(cc->clientId);
    rmq_free(cc->group);
    rmq_free(cc->nameSpace);
    rmq_free(cc->topic);
    rmq_free(cc->subString);
    rmq_free(cc->expressionType);
    memset(cc, 0, sizeof *cc);
}
