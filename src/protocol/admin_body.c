/* Administration bodies with MessageQueue-keyed maps; see admin_body.h. Runs on: any thread. */
#include "protocol/admin_body.h"

#include "common/alloc.h"

#include <errno.h>
#include <string.h>

/* Grows an array of `size`-byte items by one and returns the new (zeroed) item. */
static void *grow(void **items, size_t *count, size_t *cap, size_t size) {
    if (*count == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *items = rmq_realloc(*items, *cap * size);
    }
    char *p = (char *)*items + (*count)++ * size;
    memset(p, 0, size);
    return p;
}

#define GROW(arr, n, cap) grow((void **)&(arr), &(n), &(cap), sizeof *(arr))

static char *dup_or_null(const char *s) {
    return s ? rmq_strdup(s) : NULL;
}

static void mq_set(proto_mq_t *mq, const char *topic, const char *broker_name, int32_t queue_id) {
    mq->topic = dup_or_null(topic);
    mq->brokerName = dup_or_null(broker_name);
    mq->queueId = queue_id;
}

/* ---- MessageQueue keys ---- */

void proto_mq_write_key(rmq_jw_t *w, const char *topic, const char *broker_name, int32_t queue_id) {
    rmq_jw_objkey_begin(w);
    if (broker_name)
        rmq_jw_kv_str(w, "brokerName", broker_name);
    rmq_jw_kv_i64(w, "queueId", queue_id);
    if (topic)
        rmq_jw_kv_str(w, "topic", topic);
    rmq_jw_objkey_end(w);
}

static void mq_read_obj(const rmq_json_t *o, proto_mq_t *mq) {
    mq->topic = proto_json_dup_str(o, "topic");
    mq->brokerName = proto_json_dup_str(o, "brokerName");
    mq->queueId = (int32_t)rmq_json_get_i64(o, "queueId", 0);
}

int proto_mq_read_key(const rmq_json_t *member, proto_mq_t *mq) {
    memset(mq, 0, sizeof *mq);
    const rmq_json_t *k = member->key;
    if (!k)
        return -EINVAL;
    if (k->type == RMQ_JSON_OBJECT) {
        mq_read_obj(k, mq);
        return 0;
    }
    if (k->type != RMQ_JSON_STRING)
        return -EINVAL;
    rmq_json_doc_t *doc = proto_json_parse(k->str, k->len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *o = rmq_json_root(doc);
    int rc = o->type == RMQ_JSON_OBJECT ? 0 : -EINVAL;
    if (rc == 0)
        mq_read_obj(o, mq);
    rmq_json_doc_destroy(doc);
    return rc;
}

void proto_mq_close(proto_mq_t *mq) {
    rmq_free(mq->topic);
    rmq_free(mq->brokerName);
    memset(mq, 0, sizeof *mq);
}

/* Parses data and hands its "offsetTable" member (an object or array) to the caller. */
static rmq_json_doc_t *open_table(const char *data, size_t len, const rmq_json_t **root,
                                  const rmq_json_t **table) {
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return NULL;
    *root = rmq_json_root(doc);
    if ((*root)->type != RMQ_JSON_OBJECT) {
        rmq_json_doc_destroy(doc);
        return NULL;
    }
    *table = rmq_json_get(*root, "offsetTable");
    return doc;
}

/* ---- ConsumeStats ---- */

proto_offset_wrapper_t *proto_consume_stats_add(proto_consume_stats_t *cs, const char *topic,
                                                const char *broker_name, int32_t queue_id) {
    proto_offset_wrapper_t *ow = GROW(cs->items, cs->count, cs->cap);
    mq_set(&ow->mq, topic, broker_name, queue_id);
    return ow;
}

void proto_consume_stats_encode(const proto_consume_stats_t *cs, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "consumeTps");
    rmq_jw_double(&w, cs->consumeTps);
    rmq_jw_key(&w, "offsetTable");
    rmq_jw_obj_begin(&w);
    for (size_t i = 0; i < cs->count; i++) {
        const proto_offset_wrapper_t *ow = &cs->items[i];
        proto_mq_write_key(&w, ow->mq.topic, ow->mq.brokerName, ow->mq.queueId);
        rmq_jw_obj_begin(&w);
        rmq_jw_kv_i64(&w, "brokerOffset", ow->brokerOffset);
        rmq_jw_kv_i64(&w, "consumerOffset", ow->consumerOffset);
        rmq_jw_kv_i64(&w, "lastTimestamp", ow->lastTimestamp);
        rmq_jw_kv_i64(&w, "pullOffset", ow->pullOffset);
        rmq_jw_obj_end(&w);
    }
    rmq_jw_obj_end(&w);
    rmq_jw_obj_end(&w);
}

int proto_consume_stats_decode(const char *data, size_t len, proto_consume_stats_t *cs) {
    memset(cs, 0, sizeof *cs);
    const rmq_json_t *root, *table;
    rmq_json_doc_t *doc = open_table(data, len, &root, &table);
    if (!doc)
        return -EINVAL;
    cs->consumeTps = rmq_json_get_double(root, "consumeTps", 0);
    int rc = 0;
    if (table && table->type == RMQ_JSON_OBJECT) {
        for (const rmq_json_t *v = table->child; v && rc == 0; v = v->next) {
            proto_offset_wrapper_t *ow = GROW(cs->items, cs->count, cs->cap);
            rc = proto_mq_read_key(v, &ow->mq);
            ow->brokerOffset = rmq_json_get_i64(v, "brokerOffset", 0);
            ow->consumerOffset = rmq_json_get_i64(v, "consumerOffset", 0);
            ow->pullOffset = rmq_json_get_i64(v, "pullOffset", 0);
            ow->lastTimestamp = rmq_json_get_i64(v, "lastTimestamp", 0);
        }
    }
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_consume_stats_close(cs);
    return rc;
}

void proto_consume_stats_close(proto_consume_stats_t *cs) {
    for (size_t i = 0; i < cs->count; i++)
        proto_mq_close(&cs->items[i].mq);
    rmq_free(cs->items);
    memset(cs, 0, sizeof *cs);
}

/* ---- TopicStatsTable ---- */

proto_topic_offset_t *proto_topic_stats_add(proto_topic_stats_t *ts, const char *topic,
                                            const char *broker_name, int32_t queue_id) {
    proto_topic_offset_t *to = GROW(ts->items, ts->count, ts->cap);
    mq_set(&to->mq, topic, broker_name, queue_id);
    return to;
}

void proto_topic_stats_encode(const proto_topic_stats_t *ts, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "offsetTable");
    rmq_jw_obj_begin(&w);
    for (size_t i = 0; i < ts->count; i++) {
        const proto_topic_offset_t *to = &ts->items[i];
        proto_mq_write_key(&w, to->mq.topic, to->mq.brokerName, to->mq.queueId);
        rmq_jw_obj_begin(&w);
        rmq_jw_kv_i64(&w, "lastUpdateTimestamp", to->lastUpdateTimestamp);
        rmq_jw_kv_i64(&w, "maxOffset", to->maxOffset);
        rmq_jw_kv_i64(&w, "minOffset", to->minOffset);
        rmq_jw_obj_end(&w);
    }
    rmq_jw_obj_end(&w);
    rmq_jw_key(&w, "topicPutTps");
    rmq_jw_double(&w, ts->topicPutTps);
    rmq_jw_obj_end(&w);
}

int proto_topic_stats_decode(const char *data, size_t len, proto_topic_stats_t *ts) {
    memset(ts, 0, sizeof *ts);
    const rmq_json_t *root, *table;
    rmq_json_doc_t *doc = open_table(data, len, &root, &table);
    if (!doc)
        return -EINVAL;
    ts->topicPutTps = rmq_json_get_double(root, "topicPutTps", 0);
    int rc = 0;
    if (table && table->type == RMQ_JSON_OBJECT) {
        for (const rmq_json_t *v = table->child; v && rc == 0; v = v->next) {
            proto_topic_offset_t *to = GROW(ts->items, ts->count, ts->cap);
            rc = proto_mq_read_key(v, &to->mq);
            to->minOffset = rmq_json_get_i64(v, "minOffset", 0);
            to->maxOffset = rmq_json_get_i64(v, "maxOffset", 0);
            to->lastUpdateTimestamp = rmq_json_get_i64(v, "lastUpdateTimestamp", 0);
        }
    }
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_topic_stats_close(ts);
    return rc;
}

void proto_topic_stats_close(proto_topic_stats_t *ts) {
    for (size_t i = 0; i < ts->count; i++)
        proto_mq_close(&ts->items[i].mq);
    rmq_free(ts->items);
    memset(ts, 0, sizeof *ts);
}

/* ---- ResetOffsetBody ---- */

void proto_reset_offset_add(proto_reset_offset_t *ro, const char *topic, const char *broker_name,
                            int32_t queue_id, int64_t offset) {
    proto_mq_offset_t *e = GROW(ro->items, ro->count, ro->cap);
    mq_set(&e->mq, topic, broker_name, queue_id);
    e->offset = offset;
}

void proto_reset_offset_encode(const proto_reset_offset_t *ro, bool for_c, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "offsetTable");
    if (for_c)
        rmq_jw_arr_begin(&w);
    else
        rmq_jw_obj_begin(&w);
    for (size_t i = 0; i < ro->count; i++) {
        const proto_mq_offset_t *e = &ro->items[i];
        if (!for_c) {
            proto_mq_write_key(&w, e->mq.topic, e->mq.brokerName, e->mq.queueId);
            rmq_jw_i64(&w, e->offset);
            continue;
        }
        rmq_jw_obj_begin(&w);
        if (e->mq.brokerName)
            rmq_jw_kv_str(&w, "brokerName", e->mq.brokerName);
        rmq_jw_kv_i64(&w, "offset", e->offset);
        rmq_jw_kv_i64(&w, "queueId", e->mq.queueId);
        if (e->mq.topic)
            rmq_jw_kv_str(&w, "topic", e->mq.topic);
        rmq_jw_obj_end(&w);
    }
    if (for_c)
        rmq_jw_arr_end(&w);
    else
        rmq_jw_obj_end(&w);
    rmq_jw_obj_end(&w);
}

int proto_reset_offset_decode(const char *data, size_t len, proto_reset_offset_t *ro) {
    memset(ro, 0, sizeof *ro);
    const rmq_json_t *root, *table;
    rmq_json_doc_t *doc = open_table(data, len, &root, &table);
    if (!doc)
        return -EINVAL;
    int rc = 0;
    if (table && table->type == RMQ_JSON_OBJECT) {
        for (const rmq_json_t *v = table->child; v && rc == 0; v = v->next) {
            proto_mq_offset_t *e = GROW(ro->items, ro->count, ro->cap);
            rc = proto_mq_read_key(v, &e->mq);
            if (rc == 0 && !rmq_json_as_i64(v, &e->offset))
                rc = -EINVAL;
        }
    } else if (table && table->type == RMQ_JSON_ARRAY) {
        for (const rmq_json_t *v = table->child; v && rc == 0; v = v->next) {
            if (v->type != RMQ_JSON_OBJECT) {
                rc = -EINVAL;
                break;
            }
            proto_mq_offset_t *e = GROW(ro->items, ro->count, ro->cap);
            mq_read_obj(v, &e->mq);
            e->offset = rmq_json_get_i64(v, "offset", 0);
        }
    }
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_reset_offset_close(ro);
    return rc;
}

void proto_reset_offset_close(proto_reset_offset_t *ro) {
    for (size_t i = 0; i < ro->count; i++)
        proto_mq_close(&ro->items[i].mq);
    rmq_free(ro->items);
    memset(ro, 0, sizeof *ro);
}

/* ---- connections ---- */

void proto_subscription_write(const proto_subscription_t *s, rmq_jw_t *w) {
    rmq_jw_obj_begin(w);
    rmq_jw_kv_bool(w, "classFilterMode", s->classFilterMode);
    rmq_jw_key(w, "codeSet");
    rmq_jw_arr_begin(w);
    for (size_t i = 0; i < s->code_count; i++)
        rmq_jw_i64(w, s->codes[i]);
    rmq_jw_arr_end(w);
    rmq_jw_kv_str(w, "expressionType", s->expressionType ? s->expressionType : "TAG");
    rmq_jw_kv_str(w, "subString", s->subString ? s->subString : "*");
    rmq_jw_kv_i64(w, "subVersion", s->subVersion);
    rmq_jw_key(w, "tagsSet");
    proto_strs_write(&s->tags, w, true);
    rmq_jw_kv_str(w, "topic", s->topic ? s->topic : "");
    rmq_jw_obj_end(w);
}

void proto_client_connection_add(proto_client_connection_t *cc, const char *client_id,
                                 const char *client_addr, const char *language, int32_t version) {
    proto_connection_t *c = GROW(cc->conns, cc->nconn, cc->capconn);
    c->clientId = dup_or_null(client_id);
    c->clientAddr = dup_or_null(client_addr);
    c->language = dup_or_null(language);
    c->version = version;
}

static void kv_opt(rmq_jw_t *w, const char *key, const char *value) {
    if (value)
        rmq_jw_kv_str(w, key, value);
}

void proto_client_connection_encode(const proto_client_connection_t *cc, bool is_consumer,
                                    rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "connectionSet");
    rmq_jw_arr_begin(&w);
    for (size_t i = 0; i < cc->nconn; i++) {
        const proto_connection_t *c = &cc->conns[i];
        rmq_jw_obj_begin(&w);
        kv_opt(&w, "clientAddr", c->clientAddr);
        kv_opt(&w, "clientId", c->clientId);
        kv_opt(&w, "language", c->language);
        rmq_jw_kv_i64(&w, "version", c->version);
        rmq_jw_obj_end(&w);
    }
    rmq_jw_arr_end(&w);
    if (is_consumer) {
        kv_opt(&w, "consumeFromWhere", cc->consumeFromWhere);
        kv_opt(&w, "consumeType", cc->consumeType);
        kv_opt(&w, "messageModel", cc->messageModel);
        rmq_jw_key(&w, "subscriptionTable");
        rmq_jw_obj_begin(&w);
        for (size_t i = 0; i < cc->nsub; i++) {
            rmq_jw_key(&w, cc->subs[i].topic ? cc->subs[i].topic : "");
            proto_subscription_write(&cc->subs[i], &w);
        }
        rmq_jw_obj_end(&w);
    }
    rmq_jw_obj_end(&w);
}

int proto_client_connection_decode(const char *data, size_t len, proto_client_connection_t *cc) {
    memset(cc, 0, sizeof *cc);
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *root = rmq_json_root(doc);
    if (root->type != RMQ_JSON_OBJECT) {
        rmq_json_doc_destroy(doc);
        return -EINVAL;
    }
    const rmq_json_t *set = rmq_json_get(root, "connectionSet");
    if (set && set->type == RMQ_JSON_ARRAY) {
        for (const rmq_json_t *v = set->child; v; v = v->next) {
            if (v->type != RMQ_JSON_OBJECT)
                continue;
            proto_connection_t *c = GROW(cc->conns, cc->nconn, cc->capconn);
            c->clientId = proto_json_dup_str(v, "clientId");
            c->clientAddr = proto_json_dup_str(v, "clientAddr");
            c->language = proto_json_dup_str(v, "language");
            c->version = (int32_t)rmq_json_get_i64(v, "version", 0);
        }
    }
    cc->consumeType = proto_json_dup_str(root, "consumeType");
    cc->messageModel = proto_json_dup_str(root, "messageModel");
    cc->consumeFromWhere = proto_json_dup_str(root, "consumeFromWhere");
    const rmq_json_t *subs = rmq_json_get(root, "subscriptionTable");
    if (subs && subs->type == RMQ_JSON_OBJECT && subs->count) {
        cc->subs = rmq_calloc(subs->count, sizeof *cc->subs);
        for (const rmq_json_t *v = subs->child; v; v = v->next) {
            if (v->type != RMQ_JSON_OBJECT)
                continue;
            proto_subscription_t *s = &cc->subs[cc->nsub++];
            s->topic = proto_json_dup_str(v, "topic");
            s->subString = proto_json_dup_str(v, "subString");
            s->expressionType = proto_json_dup_str(v, "expressionType");
            s->subVersion = rmq_json_get_i64(v, "subVersion", 0);
        }
    }
    rmq_json_doc_destroy(doc);
    return 0;
}

void proto_client_connection_close(proto_client_connection_t *cc) {
    for (size_t i = 0; i < cc->nconn; i++) {
        rmq_free(cc->conns[i].clientId);
        rmq_free(cc->conns[i].clientAddr);
        rmq_free(cc->conns[i].language);
    }
    rmq_free(cc->conns);
    rmq_free(cc->consumeType);
    rmq_free(cc->messageModel);
    rmq_free(cc->consumeFromWhere);
    for (size_t i = 0; i < cc->nsub; i++)
        proto_subscription_close(&cc->subs[i]);
    rmq_free(cc->subs);
    memset(cc, 0, sizeof *cc);
}
