/*
 * Fuzz target: every NameServer body decoder. The first input byte picks the decoder,
 * the rest is the body. Whatever decodes is encoded again and must decode again: an
 * encoder may never write what its own decoder refuses.
 */
#include "protocol/cluster_info.h"
#include "protocol/data_version.h"
#include "protocol/kv_table.h"
#include "protocol/register_broker.h"
#include "protocol/route.h"
#include "protocol/topic_config.h"

#include <stdlib.h>

static void fuzz_register(const char *p, size_t n, proto_register_body_form_t form) {
    proto_register_broker_body_t body = {0};
    if (proto_register_broker_body_decode(p, n, form, 479, &body) == 0) {
        rmq_buf_t out;
        rmq_buf_init(&out);
        for (int f = PROTO_REGISTER_BODY_JSON; f <= PROTO_REGISTER_BODY_COMPRESSED; f++) {
            rmq_buf_reset(&out);
            if (proto_register_broker_body_encode(&body, f, 479, &out) != 0)
                abort();
            /* The compressed text form cannot carry names with spaces (as upstream), so
             * only the JSON form must round-trip; the other must still decode safely. */
            proto_register_broker_body_t again = {0};
            int rc = proto_register_broker_body_decode(out.data, out.len, f, 479, &again);
            if (f == PROTO_REGISTER_BODY_JSON &&
                (rc != 0 || again.wrapper.topic_count != body.wrapper.topic_count))
                abort();
            proto_register_broker_body_close(&again);
        }
        rmq_buf_close(&out);
    }
    proto_register_broker_body_close(&body);
}

static void fuzz_route(const char *p, size_t n) {
    proto_topic_route_data_t rd = {0};
    if (proto_topic_route_data_decode(p, n, &rd) == 0) {
        for (int mode = PROTO_JSON_LEGACY; mode <= PROTO_JSON_STANDARD; mode++) {
            rmq_buf_t out;
            rmq_buf_init(&out);
            proto_topic_route_data_encode(&rd, mode, &out);
            proto_topic_route_data_t again = {0};
            if (proto_topic_route_data_decode(out.data, out.len, &again) != 0)
                abort();
            proto_topic_route_data_close(&again);
            rmq_buf_close(&out);
        }
    }
    proto_topic_route_data_close(&rd);
}

static void fuzz_cluster(const char *p, size_t n) {
    proto_cluster_info_t ci = {0};
    if (proto_cluster_info_decode(p, n, &ci) == 0) {
        rmq_buf_t out;
        rmq_buf_init(&out);
        proto_cluster_info_encode(&ci, &out);
        proto_cluster_info_t again = {0};
        if (proto_cluster_info_decode(out.data, out.len, &again) != 0)
            abort();
        proto_cluster_info_close(&again);
        rmq_buf_close(&out);
    }
    proto_cluster_info_close(&ci);
}

static void fuzz_small_bodies(const char *p, size_t n) {
    proto_kvs_t kv = {0};
    if (proto_kv_table_decode(p, n, &kv) == 0) {
        rmq_buf_t out;
        rmq_buf_init(&out);
        proto_kv_table_encode(&kv, &out);
        proto_kvs_t again = {0};
        if (proto_kv_table_decode(out.data, out.len, &again) != 0)
            abort();
        proto_kvs_close(&again);
        rmq_buf_close(&out);
    }
    proto_kvs_close(&kv);

    proto_topic_list_t tl = {0};
    proto_topic_list_decode(p, n, &tl);
    proto_topic_list_close(&tl);
    proto_kv_config_t cfg = {0};
    proto_kv_config_decode(p, n, &cfg);
    proto_kv_config_close(&cfg);
    proto_broker_member_group_t g = {0};
    proto_broker_member_group_decode(p, n, &g);
    proto_broker_member_group_close(&g);
    proto_data_version_t dv;
    proto_data_version_decode(p, n, &dv);
    proto_topic_config_t tc = {0};
    proto_topic_config_decode_text(p, n, &tc);
    proto_topic_config_close(&tc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    switch (data[0] % 6) {
    case 0:
        fuzz_register(p, n, PROTO_REGISTER_BODY_JSON);
        break;
    case 1:
        fuzz_register(p, n, PROTO_REGISTER_BODY_COMPRESSED);
        break;
    case 2:
        fuzz_register(p, n, proto_register_body_sniff(p, n, false, 479));
        break;
    case 3:
        fuzz_route(p, n);
        break;
    case 4:
        fuzz_cluster(p, n);
        break;
    default:
        fuzz_small_bodies(p, n);
        break;
    }
    return 0;
}
