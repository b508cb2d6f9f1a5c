/*
 * Fuzz target: the fastjson-dialect reader. A parsed document is written back out with the
 * writer (both escaping modes) and must parse again to the same shape.
 */
#include "common/json.h"

#include <stdlib.h>

static void write_node(rmq_jw_t *w, const rmq_json_t *v) {
    switch (v->type) {
    case RMQ_JSON_NULL:
        rmq_jw_null(w);
        break;
    case RMQ_JSON_BOOL:
        rmq_jw_bool(w, v->boolean);
        break;
    case RMQ_JSON_NUMBER:
        rmq_jw_raw(w, v->str, v->len);
        break;
    case RMQ_JSON_STRING:
        rmq_jw_strn(w, v->str, v->len);
        break;
    case RMQ_JSON_ARRAY:
        rmq_jw_arr_begin(w);
        for (const rmq_json_t *c = v->child; c; c = c->next)
            write_node(w, c);
        rmq_jw_arr_end(w);
        break;
    case RMQ_JSON_OBJECT:
        rmq_jw_obj_begin(w);
        for (const rmq_json_t *c = v->child; c; c = c->next) {
            if (c->key->type == RMQ_JSON_OBJECT) {
                rmq_jw_objkey_begin(w);
                for (const rmq_json_t *k = c->key->child; k; k = k->next) {
                    const char *kt = rmq_json_scalar_text(k->key, NULL);
                    rmq_jw_keyn(w, kt ? kt : "", kt ? k->key->len : 0);
                    write_node(w, k);
                }
                rmq_jw_objkey_end(w);
            } else {
                rmq_jw_keyn(w, c->key->str, c->key->len);
            }
            write_node(w, c);
        }
        rmq_jw_obj_end(w);
        break;
    }
}

static size_t count_nodes(const rmq_json_t *v) {
    size_t n = 1;
    for (const rmq_json_t *c = v->child; c; c = c->next)
        n += count_nodes(c);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rmq_json_doc_t *doc = rmq_json_parse((const char *)data, size, NULL, 0);
    if (!doc)
        return 0;
    for (unsigned flags = 0; flags < 2; flags++) {
        rmq_buf_t out;
        rmq_buf_init(&out);
        rmq_jw_t w;
        rmq_jw_init(&w, &out, flags ? RMQ_JSON_W_ASCII : 0);
        write_node(&w, rmq_json_root(doc));
        rmq_json_doc_t *again = rmq_json_parse(out.data, out.len, NULL, 0);
        if (!again || count_nodes(rmq_json_root(again)) != count_nodes(rmq_json_root(doc)))
            abort();
        rmq_json_doc_destroy(again);
        rmq_buf_close(&out);
    }
    rmq_json_doc_destroy(doc);
    return 0;
}
