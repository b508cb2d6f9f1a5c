/* Config JSON file plumbing; see config_file.h. Runs on whatever thread persists. */
#include "store/config_file.h"

#include "common/time.h"
#include "store/fsutil.h"

#include <errno.h>
#include <string.h>

static bool parses(const rmq_buf_t *b) {
    if (b->len == 0)
        return false;
    rmq_json_doc_t *doc = rmq_json_parse(b->data, b->len, NULL, 0);
    bool ok = doc != NULL;
    rmq_json_doc_destroy(doc);
    return ok;
}

int store_config_file_read(const store_fileops_t *ops, const char *path, rmq_buf_t *text) {
    size_t start = text->len;
    int rc = store_fs_read(ops, path, text);
    if (rc == 0 && text->len > start) {
        rmq_buf_t view = {text->data + start, text->len - start, 0};
        if (parses(&view))
            return 0;
    }
    text->len = start;
    size_t pl = strlen(path);
    char bak[4096];
    if (pl + 5 > sizeof bak)
        return -ENAMETOOLONG;
    memcpy(bak, path, pl);
    memcpy(bak + pl, ".bak", 5);
    int brc = store_fs_read(ops, bak, text);
    if (brc == 0 && text->len > start)
        return 0;
    text->len = start;
    if ((rc == 0 || rc == -ENOENT) && (brc == 0 || brc == -ENOENT))
        return -ENOENT;
    return rc < 0 && rc != -ENOENT ? rc : brc;
}

int store_config_file_write(const store_fileops_t *ops, const char *path, rmq_slice_t json) {
    rmq_buf_t pretty;
    rmq_buf_init(&pretty);
    store_json_pretty(json, &pretty);
    int rc = store_fs_replace(ops, path, pretty.data, pretty.len);
    rmq_buf_close(&pretty);
    return rc;
}

static void newline(rmq_buf_t *out, int depth) {
    rmq_buf_append_u8(out, '\n');
    for (int i = 0; i < depth; i++)
        rmq_buf_append_u8(out, '\t');
}

void store_json_pretty(rmq_slice_t json, rmq_buf_t *out) {
    int depth = 0;
    bool in_str = false;
    char quote = 0;
    for (size_t i = 0; i < json.len; i++) {
        char c = json.ptr[i];
        if (in_str) {
            rmq_buf_append_u8(out, (uint8_t)c);
            if (c == '\\' && i + 1 < json.len)
                rmq_buf_append_u8(out, (uint8_t)json.ptr[++i]);
            else if (c == quote)
                in_str = false;
            continue;
        }
        switch (c) {
        case '"':
        case '\'':
            in_str = true;
            quote = c;
            rmq_buf_append_u8(out, (uint8_t)c);
            break;
        case '{':
        case '[':
            rmq_buf_append_u8(out, (uint8_t)c);
            if (i + 1 < json.len && (json.ptr[i + 1] == '}' || json.ptr[i + 1] == ']')) {
                rmq_buf_append_u8(out, (uint8_t)json.ptr[++i]);
                break;
            }
            newline(out, ++depth);
            break;
        case '}':
        case ']':
            newline(out, --depth);
            rmq_buf_append_u8(out, (uint8_t)c);
            break;
        case ',':
            rmq_buf_append_u8(out, ',');
            newline(out, depth);
            break;
        default:
            rmq_buf_append_u8(out, (uint8_t)c);
        }
    }
}

static void write_key(rmq_jw_t *w, const rmq_json_t *k) {
    if (k->type == RMQ_JSON_NUMBER && k->is_int)
        rmq_jw_key_i64(w, k->i);
    else if (k->type == RMQ_JSON_OBJECT) {
        rmq_jw_objkey_begin(w);
        for (const rmq_json_t *m = k->child; m; m = m->next) {
            write_key(w, m->key);
            store_json_write_node(w, m);
        }
        rmq_jw_objkey_end(w);
    } else
        rmq_jw_keyn(w, k->str, k->len);
}

void store_json_write_node(rmq_jw_t *w, const rmq_json_t *v) {
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
            store_json_write_node(w, c);
        rmq_jw_arr_end(w);
        break;
    case RMQ_JSON_OBJECT:
        rmq_jw_obj_begin(w);
        for (const rmq_json_t *c = v->child; c; c = c->next) {
            write_key(w, c->key);
            store_json_write_node(w, c);
        }
        rmq_jw_obj_end(w);
        break;
    }
}

void store_data_version_read(const rmq_json_t *obj, store_data_version_t *dv) {
    const rmq_json_t *v = rmq_json_get(obj, "dataVersion");
    dv->counter = rmq_json_get_i64(v, "counter", 0);
    dv->state_version = rmq_json_get_i64(v, "stateVersion", 0);
    dv->timestamp = rmq_json_get_i64(v, "timestamp", 0);
}

void store_data_version_write(rmq_jw_t *w, const store_data_version_t *dv) {
    rmq_jw_key(w, "dataVersion");
    rmq_jw_obj_begin(w);
    rmq_jw_kv_i64(w, "counter", dv->counter);
    rmq_jw_kv_i64(w, "stateVersion", dv->state_version);
    rmq_jw_kv_i64(w, "timestamp", dv->timestamp);
    rmq_jw_obj_end(w);
}

void store_data_version_next(store_data_version_t *dv) {
    dv->counter++;
    dv->timestamp = rmq_now_ms();
}
