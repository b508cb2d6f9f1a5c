/*
 * Fuzz target: the message codec pieces the broker decodes from clients. The first input
 * byte picks: a batch body (SEND_BATCH_MESSAGE), a HeartbeatData body, a properties
 * string, an offset message id. Batch records re-encode to the same bytes; a heartbeat
 * that decodes encodes to something that decodes again.
 */
#include "protocol/heartbeat.h"
#include "protocol/message.h"

#include <stdlib.h>
#include <string.h>

static void fuzz_batch(const char *p, size_t n) {
    rmq_slice_t rest = rmq_slice(p, n);
    proto_batch_msg_t m;
    rmq_buf_t out;
    rmq_buf_init(&out);
    const char *start = rest.ptr;
    while (proto_batch_next(&rest, &m) == 1) {
        size_t consumed = (size_t)(rest.ptr - start);
        rmq_buf_reset(&out);
        proto_batch_append(&out, m.flag, m.body, m.props);
        /* The re-encoded record must decode to the same message. */
        rmq_slice_t again = rmq_buf_slice(&out);
        proto_batch_msg_t m2;
        if (proto_batch_next(&again, &m2) != 1 || m2.flag != m.flag ||
            !rmq_slice_eq(m2.body, m.body) || !rmq_slice_eq(m2.props, m.props))
            abort();
        (void)consumed;
        start = rest.ptr;
    }
    rmq_buf_close(&out);
}

static void fuzz_heartbeat(const char *p, size_t n) {
    proto_heartbeat_t hb;
    memset(&hb, 0, sizeof hb);
    if (proto_heartbeat_decode(p, n, &hb) == 0) {
        rmq_buf_t out;
        rmq_buf_init(&out);
        proto_heartbeat_encode(&hb, &out);
        proto_heartbeat_t again;
        memset(&again, 0, sizeof again);
        if (proto_heartbeat_decode(out.data, out.len, &again) != 0)
            abort();
        proto_heartbeat_close(&again);
        rmq_buf_close(&out);
    }
    proto_heartbeat_close(&hb);
    proto_strs_t ids;
    memset(&ids, 0, sizeof ids);
    proto_consumer_list_decode(p, n, &ids);
    proto_strs_close(&ids);
}

static void fuzz_props(const char *p, size_t n) {
    static const char *const names[] = {"TAGS", "KEYS", "UNIQ_KEY", "DELAY", "WAIT", ""};
    rmq_slice_t props = rmq_slice(p, n);
    rmq_buf_t out;
    rmq_buf_init(&out);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        rmq_slice_t v;
        proto_props_get(props, names[i], &v);
        rmq_buf_reset(&out);
        proto_props_remove(props, names[i], &out);
        if (names[i][0] && proto_props_get(rmq_buf_slice(&out), names[i], &v))
            abort(); /* removed means gone */
    }
    rmq_buf_close(&out);
}

static void fuzz_msg_id(const char *p, size_t n) {
    uint8_t addr[16];
    size_t addr_len;
    int32_t port;
    int64_t off;
    if (proto_msg_id_decode(p, n, addr, &addr_len, &port, &off) == 0) {
        char id[57];
        size_t len = proto_msg_id_encode(addr, addr_len, port, off, id);
        if (len != n || strncasecmp(id, p, n) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    switch (data[0] % 4) {
    case 0:
        fuzz_batch(p, n);
        break;
    case 1:
        fuzz_heartbeat(p, n);
        break;
    case 2:
        fuzz_props(p, n);
        break;
    default:
        fuzz_msg_id(p, n);
        break;
    }
    return 0;
}
