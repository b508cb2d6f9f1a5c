/* DataVersion JSON; see data_version.h. */
#include "protocol/data_version.h"

#include "protocol/body.h"

#include <errno.h>

void proto_data_version_write(const proto_data_version_t *dv, rmq_jw_t *w) {
    rmq_jw_obj_begin(w);
    rmq_jw_kv_i64(w, "counter", dv->counter);
    rmq_jw_kv_i64(w, "stateVersion", dv->stateVersion);
    rmq_jw_kv_i64(w, "timestamp", dv->timestamp);
    rmq_jw_obj_end(w);
}

void proto_data_version_encode(const proto_data_version_t *dv, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    proto_data_version_write(dv, &w);
}

int proto_data_version_read(const rmq_json_t *v, proto_data_version_t *dv) {
    if (!v || v->type != RMQ_JSON_OBJECT)
        return -EINVAL;
    dv->counter = rmq_json_get_i64(v, "counter", 0);
    dv->stateVersion = rmq_json_get_i64(v, "stateVersion", 0);
    dv->timestamp = rmq_json_get_i64(v, "timestamp", 0);
    return 0;
}

int proto_data_version_decode(const char *data, size_t len, proto_data_version_t *dv) {
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    int rc = proto_data_version_read(rmq_json_root(doc), dv);
    rmq_json_doc_destroy(doc);
    return rc;
}
