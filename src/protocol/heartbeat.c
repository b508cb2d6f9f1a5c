/*
 * HeartbeatData codec and the TAG subscription parser; see heartbeat.h. Runs on: any
 * thread (pure functions).
 */
#include "protocol/heartbeat.h"

#include "common/alloc.h"
#include "common/checksum.h"

#include <errno.h>
#include <string.h>

static char *dup_or(const rmq_json_t *obj, const char *key, const char *fallback) {
    char *s = proto_json_dup_str(obj, key);
    return s ? s : (fallback ? rmq_strdup(fallback) : NULL);
}

static void add_tag(proto_subscription_t *s, const char *tag, size_t len) {
    proto_strs_add(&s->tags, tag, len);
    s->codes = rmq_realloc(s->codes, (s->code_count + 1) * sizeof *s->codes);
    s->codes[s->code_count++] = rmq_java_string_hash(tag, len);
}

static void read_subscription(const rmq_json_t *o, proto_subscription_t *s) {
    memset(s, 0, sizeof *s);
    s->topic = dup_or(o, "topic", "");
    s->subString = dup_or(o, "subString", "*");
    s->expressionType = dup_or(o, "expressionType", "TAG");
    s->subVersion = rmq_json_get_i64(o, "subVersion", 0);
    s->classFilterMode = rmq_json_get_bool(o, "classFilterMode", false);
    const rmq_json_t *tags = rmq_json_get(o, "tagsSet");
    const rmq_json_t *codes = rmq_json_get(o, "codeSet");
    if (tags && tags->type == RMQ_JSON_ARRAY)
        proto_strs_read(tags, &s->tags);
    if (codes && codes->type == RMQ_JSON_ARRAY && codes->count) {
        s->codes = rmq_calloc(codes->count, sizeof *s->codes);
        for (const rmq_json_t *c = codes->child; c; c = c->next)
            if (rmq_json_as_i64(c, &s->codes[s->code_count]))
                s->code_count++;
    } else if (s->tags.count) {
        /* A client that sent tags without codes: compute them as the Java client does. */
        for (size_t i = 0; i < s->tags.count; i++) {
            const char *t = s->tags.items[i];
            s->codes = rmq_realloc(s->codes, (s->code_count + 1) * sizeof *s->codes);
            s->codes[s->code_count++] = rmq_java_string_hash(t, strlen(t));
        }
    }
}

static void read_consumer(const rmq_json_t *o, proto_consumer_data_t *c) {
    memset(c, 0, sizeof *c);
    c->groupName = dup_or(o, "groupName", "");
    c->consumeType = dup_or(o, "consumeType", "CONSUME_PASSIVELY");
    c->messageModel = dup_or(o, "messageModel", "CLUSTERING");
    c->consumeFromWhere = dup_or(o, "consumeFromWhere", "CONSUME_FROM_LAST_OFFSET");
    c->unitMode = rmq_json_get_bool(o, "unitMode", false);
    const rmq_json_t *subs = rmq_json_get(o, "subscriptionDataSet");
    if (subs && subs->type == RMQ_JSON_ARRAY && subs->count) {
        c->subs = rmq_calloc(subs->count, sizeof *c->subs);
        for (const rmq_json_t *s = subs->child; s; s = s->next)
            if (s->type == RMQ_JSON_OBJECT)
                read_subscription(s, &c->subs[c->sub_count++]);
    }
}

int proto_heartbeat_decode(const char *data, size_t len, proto_heartbeat_t *hb) {
    memset(hb, 0, sizeof *hb);
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *root = rmq_json_root(doc);
    int rc = -EINVAL;
    if (root->type != RMQ_JSON_OBJECT)
        goto out;
    hb->clientID = proto_json_dup_str(root, "clientID");
    if (!hb->clientID)
        goto out;
    hb->heartbeatFingerprint = (int32_t)rmq_json_get_i64(root, "heartbeatFingerprint", 0);
    hb->withoutSub = rmq_json_get_bool(root, "withoutSub", false);
    const rmq_json_t *prods = rmq_json_get(root, "producerDataSet");
    if (prods && prods->type == RMQ_JSON_ARRAY)
        for (const rmq_json_t *p = prods->child; p; p = p->next) {
            const char *g = rmq_json_get_str(p, "groupName", NULL);
            if (g)
                proto_strs_add(&hb->producerGroups, g, strlen(g));
        }
    const rmq_json_t *cons = rmq_json_get(root, "consumerDataSet");
    if (cons && cons->type == RMQ_JSON_ARRAY && cons->count) {
        hb->consumers = rmq_calloc(cons->count, sizeof *hb->consumers);
        for (const rmq_json_t *c = cons->child; c; c = c->next)
            if (c->type == RMQ_JSON_OBJECT)
                read_consumer(c, &hb->consumers[hb->consumer_count++]);
    }
    rc = 0;
out:
    rmq_json_doc_destroy(doc);
    if (rc != 0)
        proto_heartbeat_close(hb);
    return rc;
}

static void write_subscription(const proto_subscription_t *s, rmq_jw_t *w) {
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

void proto_heartbeat_encode(const proto_heartbeat_t *hb, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_kv_str(&w, "clientID", hb->clientID ? hb->clientID : "");
    rmq_jw_key(&w, "consumerDataSet");
    rmq_jw_arr_begin(&w);
    for (size_t i = 0; i < hb->consumer_count; i++) {
        const proto_consumer_data_t *c = &hb->consumers[i];
        rmq_jw_obj_begin(&w);
        rmq_jw_kv_str(&w, "consumeFromWhere", c->consumeFromWhere);
        rmq_jw_kv_str(&w, "consumeType", c->consumeType);
        rmq_jw_kv_str(&w, "groupName", c->groupName);
        rmq_jw_kv_str(&w, "messageModel", c->messageModel);
        rmq_jw_key(&w, "subscriptionDataSet");
        rmq_jw_arr_begin(&w);
        for (size_t j = 0; j < c->sub_count; j++)
            write_subscription(&c->subs[j], &w);
        rmq_jw_arr_end(&w);
        rmq_jw_kv_bool(&w, "unitMode", c->unitMode);
        rmq_jw_obj_end(&w);
    }
    rmq_jw_arr_end(&w);
    rmq_jw_kv_i64(&w, "heartbeatFingerprint", hb->heartbeatFingerprint);
    rmq_jw_key(&w, "producerDataSet");
    rmq_jw_arr_begin(&w);
    for (size_t i = 0; i < hb->producerGroups.count; i++) {
        rmq_jw_obj_begin(&w);
        rmq_jw_kv_str(&w, "groupName", hb->producerGroups.items[i]);
        rmq_jw_obj_end(&w);
    }
    rmq_jw_arr_end(&w);
    rmq_jw_kv_bool(&w, "withoutSub", hb->withoutSub);
    rmq_jw_obj_end(&w);
}

void proto_subscription_close(proto_subscription_t *s) {
    rmq_free(s->topic);
    rmq_free(s->subString);
    rmq_free(s->expressionType);
    proto_strs_close(&s->tags);
    rmq_free(s->codes);
    memset(s, 0, sizeof *s);
}

void proto_subscription_copy(proto_subscription_t *dst, const proto_subscription_t *src) {
    memset(dst, 0, sizeof *dst);
    dst->topic = src->topic ? rmq_strdup(src->topic) : NULL;
    dst->subString = src->subString ? rmq_strdup(src->subString) : NULL;
    dst->expressionType = src->expressionType ? rmq_strdup(src->expressionType) : NULL;
    dst->subVersion = src->subVersion;
    dst->classFilterMode = src->classFilterMode;
    for (size_t i = 0; i < src->tags.count; i++)
        proto_strs_add(&dst->tags, src->tags.items[i], strlen(src->tags.items[i]));
    if (src->code_count) {
        dst->codes = rmq_calloc(src->code_count, sizeof *dst->codes);
        memcpy(dst->codes, src->codes, src->code_count * sizeof *dst->codes);
        dst->code_count = src->code_count;
    }
}

void proto_heartbeat_close(proto_heartbeat_t *hb) {
    rmq_free(hb->clientID);
    proto_strs_close(&hb->producerGroups);
    for (size_t i = 0; i < hb->consumer_count; i++) {
        proto_consumer_data_t *c = &hb->consumers[i];
        rmq_free(c->groupName);
        rmq_free(c->consumeType);
        rmq_free(c->messageModel);
        rmq_free(c->consumeFromWhere);
        for (size_t j = 0; j < c->sub_count; j++)
            proto_subscription_close(&c->subs[j]);
        rmq_free(c->subs);
    }
    rmq_free(hb->consumers);
    memset(hb, 0, sizeof *hb);
}

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Calls fn for each tag of a TAG expression as FilterAPI splits it: on "||", trimmed,
 * empties and "*" dropped. */
static void for_each_tag(const char *expr, void (*fn)(void *arg, const char *tag, size_t len),
                         void *arg) {
    const char *p = expr;
    while (*p) {
        const char *end = strstr(p, "||");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *a = p, *b = p + len;
        while (a < b && is_space(*a))
            a++;
        while (b > a && is_space(b[-1]))
            b--;
        if (b > a && !((size_t)(b - a) == 1 && *a == '*'))
            fn(arg, a, (size_t)(b - a));
        p += len + (end ? 2 : 0);
    }
}

static void add_tag_cb(void *s, const char *tag, size_t len) {
    add_tag(s, tag, len);
}

int proto_subscription_build(proto_subscription_t *s, const char *topic, const char *expr,
                             const char *type) {
    memset(s, 0, sizeof *s);
    s->topic = rmq_strdup(topic ? topic : "");
    s->expressionType = rmq_strdup(type && *type ? type : "TAG");
    if (strcmp(s->expressionType, "TAG") != 0) {
        s->subString = rmq_strdup(expr ? expr : "");
        return -EINVAL;
    }
    if (!expr || !*expr || strcmp(expr, "*") == 0) {
        s->subString = rmq_strdup("*");
        return 0;
    }
    s->subString = rmq_strdup(expr);
    for_each_tag(expr, add_tag_cb, s);
    return 0;
}

typedef struct {
    int64_t *codes;
    size_t max, n;
} tag_codes_t;

static void add_code_cb(void *arg, const char *tag, size_t len) {
    tag_codes_t *tc = arg;
    if (tc->n < tc->max)
        tc->codes[tc->n] = rmq_java_string_hash(tag, len);
    tc->n++;
}

int proto_tag_codes(const char *expr, const char *type, int64_t *codes, size_t max, size_t *n) {
    *n = 0;
    if (type && *type && strcmp(type, "TAG") != 0)
        return -EINVAL;
    if (!expr || !*expr || strcmp(expr, "*") == 0)
        return 0;
    tag_codes_t tc = {codes, max, 0};
    for_each_tag(expr, add_code_cb, &tc);
    *n = tc.n;
    return 0;
}

void proto_consumer_list_encode(const char *const *ids, size_t n, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "consumerIdList");
    rmq_jw_arr_begin(&w);
    for (size_t i = 0; i < n; i++)
        rmq_jw_str(&w, ids[i]);
    rmq_jw_arr_end(&w);
    rmq_jw_obj_end(&w);
}

int proto_consumer_list_decode(const char *data, size_t len, proto_strs_t *ids) {
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *arr = rmq_json_get(rmq_json_root(doc), "consumerIdList");
    int rc = arr ? proto_strs_read(arr, ids) : -EINVAL;
    rmq_json_doc_destroy(doc);
    return rc;
}
