/*
 * broker/lookup.c: QUERY_MESSAGE by a KEYS word and by UNIQ_KEY (_UNIQUE_KEY_QUERY),
 * topic and time window, QUERY_NOT_FOUND; VIEW_MESSAGE_BY_ID returning the stored record
 * byte for byte; bad offsets.
 */
#include "broker_fixture.h"
#include "protocol/lookup_header.h"

/* QUERY_MESSAGE; returns the code, the body decoded record count in *n. */
static int query(broker_t *b, const char *topic, const char *key, bool uniq, int64_t begin,
                 int64_t end, int *n, char *first_uniq) {
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, PROTO_QUERY_MESSAGE);
    proto_query_message_request_header_t h = {
        .topic = topic, .key = key, .maxNum = 64, .beginTimestamp = begin, .endTimestamp = end};
    proto_query_message_request_header_encode(&h, &req);
    if (uniq)
        remoting_cmd_ext_set(&req, PROTO_UNIQUE_MSG_QUERY_FLAG, "true");
    CHECK_EQ(fx_call(b, &req, &resp), 0);
    *n = 0;
    const char *p = resp.body.ptr;
    size_t left = resp.body.len;
    while (left > 0) {
        store_record_t rec;
        CHECK_EQ(store_record_decode(p, left, true, &rec), 0);
        CHECK_MEMSTR(rec.topic.ptr, rec.topic.len, topic);
        if (*n == 0 && first_uniq) {
            rmq_slice_t v;
            CHECK(proto_props_get(rec.props, "UNIQ_KEY", &v));
            memcpy(first_uniq, v.ptr, v.len);
            first_uniq[v.len] = 0;
        }
        (*n)++;
        p += rec.total_size;
        left -= (size_t)rec.total_size;
    }
    if (resp.code == PROTO_SUCCESS) {
        proto_query_message_response_header_t rh;
        CHECK_EQ(proto_query_message_response_header_decode(&resp, &rh, NULL), 0);
        CHECK(rh.indexLastUpdatePhyoffset > 0);
    } else {
        CHECK_STREQ(remoting_cmd_remark(&resp),
                    "can not find message, maybe time range not correct");
    }
    int code = resp.code;
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    return code;
}

static void test_query_message(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    fx_send_msg(b, "TopicQ", 0, "KEYS\001order-1 order-2\002UNIQ_KEY\001AAAA0001\002", -1, -1, 479);
    fx_send_msg(b, "TopicQ", 1, "KEYS\001order-2\002UNIQ_KEY\001AAAA0002\002", -1, -1, 479);
    fx_send_msg(b, "TopicOther", 0, "KEYS\001order-1\002", -1, -1, 479);
    int64_t now = rmq_now_ms();
    int n;
    char uniq[64];
    CHECK_EQ(query(b, "TopicQ", "order-1", false, 0, now + 1000, &n, uniq), PROTO_SUCCESS);
    CHECK_EQ(n, 1);
    CHECK_STREQ(uniq, "AAAA0001");
    CHECK_EQ(query(b, "TopicQ", "order-2", false, 0, now + 1000, &n, NULL), PROTO_SUCCESS);
    CHECK_EQ(n, 2);
    CHECK_EQ(query(b, "TopicQ", "AAAA0002", true, 0, INT64_MAX, &n, uniq), PROTO_SUCCESS);
    CHECK_EQ(n, 1);
    CHECK_STREQ(uniq, "AAAA0002");
    /* Partial words do not match; other topics and time windows do not either. */
    CHECK_EQ(query(b, "TopicQ", "order", false, 0, now + 1000, &n, NULL), PROTO_QUERY_NOT_FOUND);
    CHECK_EQ(n, 0);
    CHECK_EQ(query(b, "TopicNone", "order-1", false, 0, now + 1000, &n, NULL),
             PROTO_QUERY_NOT_FOUND);
    CHECK_EQ(query(b, "TopicQ", "order-1", false, 0, 1000, &n, NULL), PROTO_QUERY_NOT_FOUND);
    /* A KEYS word is not a UNIQ_KEY. */
    CHECK_EQ(query(b, "TopicQ", "order-1", true, 0, INT64_MAX, &n, NULL), PROTO_QUERY_NOT_FOUND);
    fx_close_broker(b);
    test_rmdir(dir);
}

static int view(broker_t *b, int64_t offset, remoting_cmd_t *resp) {
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, PROTO_VIEW_MESSAGE_BY_ID);
    remoting_cmd_ext_set_i64(&req, "offset", offset);
    CHECK_EQ(fx_call(b, &req, resp), 0);
    remoting_cmd_close(&req);
    return resp->code;
}

static void test_view_message(void) {
    char *dir = NULL;
    broker_t *b = fx_open(&dir, NULL);
    fx_send_msg(b, "TopicV", 0, "KEYS\001a\002", -1, -1, 479);
    int64_t off = fx_send_msg(b, "TopicV", 0, "KEYS\001b\002", -1, -1, 479);
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    CHECK_EQ(view(b, off, &resp), PROTO_SUCCESS);
    store_ref_t ref;
    CHECK_EQ(store_get_by_offset(b->store, off, &ref), 0);
    CHECK_EQ(resp.body.len, (size_t)ref.len);
    CHECK(memcmp(resp.body.ptr, ref.ptr, (size_t)ref.len) == 0);
    store_mf_release(ref.mf);
    store_record_t rec;
    CHECK_EQ(store_record_decode(resp.body.ptr, resp.body.len, true, &rec), 0);
    CHECK_EQ(rec.phys_offset, off);
    /* Not a record boundary, beyond the end, negative. */
    CHECK_EQ(view(b, off + 3, &resp), PROTO_SYSTEM_ERROR);
    CHECK_EQ(view(b, off + 100000, &resp), PROTO_SYSTEM_ERROR);
    char remark[64];
    snprintf(remark, sizeof remark, "can not find message by the offset, %lld",
             (long long)(off + 100000));
    CHECK_STREQ(remoting_cmd_remark(&resp), remark);
    CHECK_EQ(view(b, -1, &resp), PROTO_SYSTEM_ERROR);
    remoting_cmd_close(&resp);
    fx_close_broker(b);
    test_rmdir(dir);
}

int main(void) {
    RUN(test_query_message);
    RUN(test_view_message);
    return 0;
}
