/*
 * Fixture for the broker unit tests of send_back.c, schedule.c, lookup.c and locks.c: a
 * broker on a temporary store without background threads, fake connections (pointers to
 * ints counting references), an injected clock, and request builders. Requests run
 * through the dispatch table, so the table rows are tested too.
 */
#ifndef BROKER_FIXTURE_H
#define BROKER_FIXTURE_H

#include "../store/store_test_util.h"
#include "broker/internal.h"
#include "common/alloc.h"
#include "common/time.h"
#include "protocol/codes.h"
#include "protocol/message.h"
#include "test.h"

#include <stdio.h>

static int fx_conn;
static int64_t fx_clock_ms;

static inline const char *fx_peer(const remoting_conn_t *conn) {
    (void)conn;
    return "127.0.0.1:5555";
}
static inline void fx_retain(remoting_conn_t *conn) {
    (*(int *)conn)++;
}
static inline void fx_release(remoting_conn_t *conn) {
    (*(int *)conn)--;
}
static inline int fx_send(remoting_conn_t *conn, const remoting_cmd_t *cmd) {
    (void)conn;
    (void)cmd;
    return 0;
}
static inline int fx_oneway(remoting_conn_t *conn, remoting_cmd_t *req) {
    (void)conn;
    (void)req;
    return 0;
}
static inline void fx_close(remoting_conn_t *conn) {
    (void)conn;
}
static inline int fx_send_segments(remoting_conn_t *conn, const remoting_cmd_t *cmd,
                                   const remoting_segment_t *segs, size_t n) {
    for (size_t i = 0; i < n; i++)
        segs[i].release(segs[i].arg);
    return fx_send(conn, cmd);
}
static inline int fx_run(remoting_conn_t *conn, remoting_task_t *task) {
    (void)conn;
    task->run(task);
    return 0;
}
static const broker_conn_ops_t fx_ops = {
    .peer = fx_peer,
    .retain = fx_retain,
    .release = fx_release,
    .send = fx_send,
    .oneway = fx_oneway,
    .close = fx_close,
    .send_segments = fx_send_segments,
    .run = fx_run,
};

static inline int64_t fx_now(void *arg) {
    (void)arg;
    return fx_clock_ms;
}

static inline remoting_conn_t *fx_c(void) {
    return (remoting_conn_t *)&fx_conn;
}

/* A broker on dir (created when *dir is NULL) with extra "key=value" settings. */
static inline broker_t *fx_open(char **dir, const char *const *settings) {
    if (!*dir)
        *dir = test_tmpdir("broker-retry");
    broker_config_t cfg;
    broker_config_init(&cfg);
    broker_config_set(&cfg, "storePathRootDir", *dir);
    broker_config_set(&cfg, "brokerIP1", "127.0.0.1");
    broker_config_set(&cfg, "brokerIP2", "127.0.0.1");
    broker_config_set(&cfg, "brokerName", "broker-t");
    broker_config_set(&cfg, "mappedFileSizeCommitLog", "1048576");
    for (; settings && *settings; settings += 2)
        broker_config_set(&cfg, settings[0], settings[1]);
    broker_config_finish(&cfg);
    broker_t *b = NULL;
    CHECK_EQ(broker_new(&cfg, false, &b), 0);
    broker_config_close(&cfg);
    broker_set_conn_ops(b, &fx_ops);
    if (!fx_clock_ms)
        fx_clock_ms = rmq_now_ms();
    broker_set_clock(b, fx_now, NULL);
    return b;
}

static inline void fx_close_broker(broker_t *b) {
    broker_destroy(b);
    CHECK_EQ(fx_conn, 0);
}

static inline int fx_call(broker_t *b, remoting_cmd_t *req, remoting_cmd_t *resp) {
    remoting_cmd_reset(resp);
    remoting_cmd_set_response(resp, 0, req->opaque, NULL);
    return broker_handle_request(b, fx_c(), req, resp);
}

/* SEND_MESSAGE_V2 of body "hello"; returns the commit-log offset of the stored message. */
static inline int64_t fx_send_msg(broker_t *b, const char *topic, int qid, const char *props,
                                  int reconsume_times, int max_reconsume, int version) {
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, PROTO_SEND_MESSAGE_V2);
    req.version = version;
    char q[16], n[16];
    snprintf(q, sizeof q, "%d", qid);
    remoting_cmd_ext_set(&req, "a", "PG");
    remoting_cmd_ext_set(&req, "b", topic);
    remoting_cmd_ext_set(&req, "c", "TBW102");
    remoting_cmd_ext_set(&req, "d", "4");
    remoting_cmd_ext_set(&req, "e", q);
    remoting_cmd_ext_set(&req, "f", "0");
    remoting_cmd_ext_set(&req, "g", "1700000000000");
    remoting_cmd_ext_set(&req, "h", "0");
    if (props)
        remoting_cmd_ext_set(&req, "i", props);
    if (reconsume_times >= 0) {
        snprintf(n, sizeof n, "%d", reconsume_times);
        remoting_cmd_ext_set(&req, "j", n);
    }
    if (max_reconsume >= 0) {
        snprintf(n, sizeof n, "%d", max_reconsume);
        remoting_cmd_ext_set(&req, "l", n);
    }
    remoting_cmd_borrow_body(&req, "hello", 5);
    CHECK_EQ(fx_call(b, &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    const char *id = remoting_cmd_ext_get(&resp, "msgId");
    uint8_t addr[16];
    size_t alen;
    int32_t port;
    int64_t off = -1;
    CHECK_EQ(proto_msg_id_decode(id, strlen(id), addr, &alen, &port, &off), 0);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    store_dispatch_catch_up(b->store);
    return off;
}

/* The one message at queue offset `offset` of topic/qid, decoded into *rec (slices into
 * the mapping held by *ref; release ref->mf). */
static inline void fx_get(broker_t *b, const char *topic, int qid, int64_t offset, store_ref_t *ref,
                          store_record_t *rec) {
    store_get_result_t r;
    store_get_result_init(&r);
    CHECK_EQ(store_get(b->store, rmq_slice_cstr(topic), qid, offset, 1, 1 << 20, NULL, &r), 0);
    CHECK_EQ(r.status, STORE_GET_FOUND);
    CHECK_EQ(r.count, 1);
    CHECK_EQ(store_get_by_offset(b->store, r.refs[0].phys_offset, ref), 0);
    store_get_result_close(&r);
    CHECK_EQ(store_ref_decode(ref, rec), 0);
}

/* Checks that props has name=value. */
static inline void fx_check_prop(rmq_slice_t props, const char *name, const char *value) {
    rmq_slice_t v;
    if (!proto_props_get(props, name, &v)) {
        fprintf(stderr, "property %s missing in %.*s\n", name, (int)props.len, props.ptr);
        abort();
    }
    CHECK_MEMSTR(v.ptr, v.len, value);
}

static inline int64_t fx_max(broker_t *b, const char *topic, int qid) {
    return store_max_offset(b->store, rmq_slice_cstr(topic), qid);
}

static inline void fx_heartbeat(broker_t *b, const char *client, const char *group,
                                const char *topic) {
    char body[1024];
    snprintf(body, sizeof body,
             "{\"clientID\":\"%s\",\"consumerDataSet\":[{\"consumeFromWhere\":"
             "\"CONSUME_FROM_FIRST_OFFSET\",\"consumeType\":\"CONSUME_PASSIVELY\",\"groupName\":"
             "\"%s\",\"messageModel\":\"CLUSTERING\",\"subscriptionDataSet\":[{\"codeSet\":[],"
             "\"expressionType\":\"TAG\",\"subString\":\"*\",\"subVersion\":5,\"tagsSet\":[],"
             "\"topic\":\"%s\"}],\"unitMode\":false}],\"producerDataSet\":[]}",
             client, group, topic);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, PROTO_HEART_BEAT);
    remoting_cmd_borrow_body(&req, body, strlen(body));
    CHECK_EQ(fx_call(b, &req, &resp), 0);
    CHECK_EQ(resp.code, PROTO_SUCCESS);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
}

#endif
