/* TopicConfig in JSON and in its text form; see topic_config.h. */
#include "protocol/topic_config.h"

#include "common/alloc.h"
#include "common/str.h"
#include "protocol/codes.h"

#include <errno.h>
#include <string.h>

void proto_topic_config_init(proto_topic_config_t *tc, const char *topic) {
    memset(tc, 0, sizeof *tc);
    tc->topicName = topic ? rmq_strdup(topic) : NULL;
    tc->readQueueNums = 16;
    tc->writeQueueNums = 16;
    tc->perm = PROTO_PERM_READ | PROTO_PERM_WRITE;
    tc->topicFilterType = PROTO_TOPIC_FILTER_SINGLE_TAG;
}

void proto_topic_config_close(proto_topic_config_t *tc) {
    rmq_free(tc->topicName);
    proto_kvs_close(&tc->attributes);
    memset(tc, 0, sizeof *tc);
}

const char *proto_topic_filter_type_name(proto_topic_filter_type_t t) {
    return t == PROTO_TOPIC_FILTER_MULTI_TAG ? "MULTI_TAG" : "SINGLE_TAG";
}

static proto_topic_filter_type_t parse_filter_type(const char *s, size_t len) {
    return len == 9 && memcmp(s, "MULTI_TAG", 9) == 0 ? PROTO_TOPIC_FILTER_MULTI_TAG
                                                      : PROTO_TOPIC_FILTER_SINGLE_TAG;
}

void proto_topic_config_write(const proto_topic_config_t *tc, rmq_jw_t *w) {
    rmq_jw_obj_begin(w);
    rmq_jw_key(w, "attributes");
    proto_kvs_write(&tc->attributes, w, PROTO_JSON_LEGACY);
    rmq_jw_kv_bool(w, "order", tc->order);
    rmq_jw_kv_i64(w, "perm", tc->perm);
    rmq_jw_kv_i64(w, "readQueueNums", tc->readQueueNums);
    rmq_jw_kv_str(w, "topicFilterType", proto_topic_filter_type_name(tc->topicFilterType));
    if (tc->topicName)
        rmq_jw_kv_str(w, "topicName", tc->topicName);
    rmq_jw_kv_i64(w, "topicSysFlag", tc->topicSysFlag);
    rmq_jw_kv_i64(w, "writeQueueNums", tc->writeQueueNums);
    rmq_jw_obj_end(w);
}

int proto_topic_config_read(const rmq_json_t *v, proto_topic_config_t *tc) {
    if (!v || v->type != RMQ_JSON_OBJECT)
        return -EINVAL;
    proto_topic_config_init(tc, NULL);
    tc->topicName = proto_json_dup_str(v, "topicName");
    tc->readQueueNums = (int32_t)rmq_json_get_i64(v, "readQueueNums", tc->readQueueNums);
    tc->writeQueueNums = (int32_t)rmq_json_get_i64(v, "writeQueueNums", tc->writeQueueNums);
    tc->perm = (int32_t)rmq_json_get_i64(v, "perm", tc->perm);
    tc->topicSysFlag = (int32_t)rmq_json_get_i64(v, "topicSysFlag", 0);
    tc->order = rmq_json_get_bool(v, "order", false);
    size_t len;
    const char *ft = rmq_json_scalar_text(rmq_json_get(v, "topicFilterType"), &len);
    if (ft)
        tc->topicFilterType = parse_filter_type(ft, len);
    const rmq_json_t *attrs = rmq_json_get(v, "attributes");
    if (attrs)
        proto_kvs_read(attrs, &tc->attributes);
    return 0;
}

void proto_topic_config_encode_text(const proto_topic_config_t *tc, rmq_buf_t *out) {
    rmq_buf_appendf(out, "%s %d %d %d %s ", tc->topicName ? tc->topicName : "null",
                    (int)tc->readQueueNums, (int)tc->writeQueueNums, (int)tc->perm,
                    proto_topic_filter_type_name(tc->topicFilterType));
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    proto_kvs_write(&tc->attributes, &w, PROTO_JSON_LEGACY);
}

int proto_topic_config_decode_text(const char *text, size_t len, proto_topic_config_t *tc) {
    /* Split on single spaces as Java's String.split(" "): empty fields count, trailing
     * empty ones are dropped. Only the first six fields matter. */
    rmq_slice_t f[6];
    size_t nf = 0, start = 0;
    for (size_t i = 0; i <= len && nf < 6; i++) {
        if (i == len || text[i] == ' ') {
            f[nf++] = rmq_slice(text + start, i - start);
            start = i + 1;
        }
    }
    while (nf > 0 && f[nf - 1].len == 0)
        nf--;
    if (nf < 5)
        return -EINVAL;
    int32_t r, wq, perm;
    if (rmq_parse_i32(f[1].ptr, f[1].len, &r) || rmq_parse_i32(f[2].ptr, f[2].len, &wq) ||
        rmq_parse_i32(f[3].ptr, f[3].len, &perm))
        return -EINVAL;
    bool multi = rmq_slice_eq_cstr(f[4], "MULTI_TAG");
    if (!multi && !rmq_slice_eq_cstr(f[4], "SINGLE_TAG"))
        return -EINVAL; /* TopicFilterType.valueOf throws */
    proto_topic_config_init(tc, NULL);
    tc->topicName = rmq_strndup(f[0].ptr, f[0].len);
    tc->readQueueNums = r;
    tc->writeQueueNums = wq;
    tc->perm = perm;
    tc->topicFilterType = multi ? PROTO_TOPIC_FILTER_MULTI_TAG : PROTO_TOPIC_FILTER_SINGLE_TAG;
    if (nf >= 6) {
        /* A parse failure keeps the attributes empty, as upstream ignores it. */
        rmq_json_doc_t *doc = proto_json_parse(f[5].ptr, f[5].len);
        if (doc) {
            proto_kvs_read(rmq_json_root(doc), &tc->attributes);
            rmq_json_doc_destroy(doc);
        }
    }
    return 0;
}
