/*
 * Message lookups of mqadmin, the dashboard and MQAdminImpl (spec remoting.md 5.4, 6.8;
 * upstream QueryMessageProcessor, DefaultMessageStore.queryMessage):
 *
 *   QUERY_MESSAGE (12)       by a KEYS word or, with ext field _UNIQUE_KEY_QUERY=true, by
 *                            UNIQ_KEY (then at most defaultQueryMaxNum = 32 hits) within a
 *                            store-time window; the index gives candidate offsets, the
 *                            records whose topic and key really match (hash collisions
 *                            are dropped here, clients re-check anyway) are answered
 *                            concatenated in the stored layout, oldest first;
 *                            QUERY_NOT_FOUND when none
 *   VIEW_MESSAGE_BY_ID (33)  the record at a commit-log offset (decoded by the client from
 *                            an offset msgId), in the stored layout
 *
 * The bodies are copies of the mapped records: lookups are rare and small, so holding
 * segment references across the write is not worth it here.
 *
 * Runs on: an I/O loop. Locks: none of its own.
 */
#include "broker/internal.h"

#include "common/alloc.h"
#include "protocol/codes.h"
#include "protocol/lookup_header.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_QUERY_MAX_NUM 32
#define MAX_HITS              1024

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* True when the space-separated words of keys include key. */
static bool keys_have(rmq_slice_t keys, rmq_slice_t key) {
    const char *p = keys.ptr, *end = keys.ptr + keys.len;
    while (p < end) {
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        const char *stop = sp ? sp : end;
        if ((size_t)(stop - p) == key.len && memcmp(p, key.ptr, key.len) == 0)
            return true;
        p = stop + 1;
    }
    return false;
}

/* The record is really topic's and carries key (as UNIQ_KEY or a KEYS word). */
static bool record_matches(const store_record_t *rec, rmq_slice_t topic, rmq_slice_t key,
                           bool uniq) {
    if (!rmq_slice_eq(rec->topic, topic))
        return false;
    rmq_slice_t v;
    if (proto_props_get(rec->props, PROTO_PROP_UNIQ_KEY, &v) && rmq_slice_eq(v, key))
        return true;
    return !uniq && proto_props_get(rec->props, PROTO_PROP_KEYS, &v) && keys_have(v, key);
}

int broker_query_message_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                 remoting_cmd_t *resp) {
    (void)conn;
    broker_t *b = ctx;
    proto_query_message_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_query_message_request_header_decode(req, &h, &bad) != 0) {
        return broker_bad_header(resp, bad);
    }
    const char *uniq_flag = remoting_cmd_ext_get(req, PROTO_UNIQUE_MSG_QUERY_FLAG);
    bool uniq = uniq_flag && strcmp(uniq_flag, "true") == 0;
    int32_t max_num = uniq ? DEFAULT_QUERY_MAX_NUM : h.maxNum;
    if (max_num <= 0)
        max_num = 1;
    if (max_num > MAX_HITS)
        max_num = MAX_HITS;

    rmq_slice_t topic = rmq_slice_cstr(h.topic), key = rmq_slice_cstr(h.key);
    int64_t *offsets = rmq_malloc((size_t)max_num * sizeof *offsets);
    size_t n = store_lookup(b->store, topic, key, (size_t)max_num, h.beginTimestamp, h.endTimestamp,
                            offsets);
    qsort(offsets, n, sizeof *offsets, cmp_i64);

    rmq_buf_t body;
    rmq_buf_init(&body);
    int64_t last_ts = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && offsets[i] == offsets[i - 1])
            continue;
        store_ref_t ref;
        store_record_t rec;
        if (store_get_by_offset(b->store, offsets[i], &ref) != 0)
            continue;
        if (store_ref_decode(&ref, &rec) == 0 && record_matches(&rec, topic, key, uniq)) {
            rmq_buf_append(&body, ref.ptr, (size_t)ref.len);
            if (rec.store_ts > last_ts)
                last_ts = rec.store_ts;
        }
        store_mf_release(ref.mf);
    }
    rmq_free(offsets);

    proto_query_message_response_header_t rh = {
        .indexLastUpdateTimestamp = last_ts,
        .indexLastUpdatePhyoffset =
            store_max_phys_offset(b->store) - store_dispatch_behind(b->store),
    };
    proto_query_message_response_header_encode(&rh, resp);
    if (body.len == 0) {
        rmq_buf_close(&body);
        resp->code = PROTO_QUERY_NOT_FOUND;
        remoting_cmd_set_remark(resp, "can not find message, maybe time range not correct");
        return 0;
    }
    size_t len = body.len;
    remoting_cmd_take_body(resp, rmq_buf_steal(&body, NULL), len);
    resp->code = PROTO_SUCCESS;
    return 0;
}

int broker_view_message_process(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                                remoting_cmd_t *resp) {
    (void)conn;
    broker_t *b = ctx;
    proto_view_message_request_header_t h = {0};
    const char *bad = NULL;
    if (proto_view_message_request_header_decode(req, &h, &bad) != 0) {
        return broker_bad_header(resp, bad);
    }
    store_ref_t ref;
    store_record_t rec;
    if (h.offset < 0 || store_get_by_offset(b->store, h.offset, &ref) != 0) {
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "can not find message by the offset, %lld",
                                 (long long)h.offset);
        return 0;
    }
    if (store_ref_decode(&ref, &rec) != 0) {
        store_mf_release(ref.mf);
        resp->code = PROTO_SYSTEM_ERROR;
        remoting_cmd_set_remarkf(resp, "can not find message by the offset, %lld",
                                 (long long)h.offset);
        return 0;
    }
    remoting_cmd_copy_body(resp, ref.ptr, (size_t)ref.len);
    store_mf_release(ref.mf);
    resp->code = PROTO_SUCCESS;
    return 0;
}
