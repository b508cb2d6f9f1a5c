/*
 * The JSON header form (serialize type 0), spec remoting.md 2.5.
 *
 * Written as Java writes it: keys in alphabetical order (fastjson sorts bean properties),
 * every extFields value a string, remark omitted when null. Read leniently: extFields
 * values of any scalar type become text, null values are absent, language may be a name
 * or an ordinal, numbers may be quoted, unknown keys are ignored.
 */
#include "remoting/frame.h"

#include "common/json.h"

#include <errno.h>
#include <string.h>

void remoting_header_encode_json(const remoting_cmd_t *cmd, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_kv_i64(&w, "code", cmd->code);
    if (cmd->has_ext) {
        rmq_jw_key(&w, "extFields");
        rmq_jw_obj_begin(&w);
        for (uint32_t i = 0; i < cmd->ext_count; i++) {
            const remoting_ext_t *e = &cmd->ext[i];
            rmq_jw_keyn(&w, cmd->strings.data + e->key_off, e->key_len);
            rmq_jw_strn(&w, cmd->strings.data + e->value_off, e->value_len);
        }
        rmq_jw_obj_end(&w);
    }
    rmq_jw_kv_i64(&w, "flag", cmd->flag);
    rmq_jw_kv_str(&w, "language", remoting_lang_name(cmd->language));
    rmq_jw_kv_i64(&w, "opaque", cmd->opaque);
    if (cmd->has_remark) {
        rmq_jw_key(&w, "remark");
        rmq_jw_strn(&w, cmd->strings.data + cmd->remark_off, cmd->remark_len);
    }
    rmq_jw_kv_str(&w, "serializeTypeCurrentRPC", "JSON");
    rmq_jw_kv_i64(&w, "version", cmd->version);
    rmq_jw_obj_end(&w);
}

/* Reads an int32 header number, quoted or not; false when present but not an int32. */
static bool read_i32(const rmq_json_t *root, const char *key, int32_t *out) {
    const rmq_json_t *v = rmq_json_get(root, key);
    if (!v || v->type == RMQ_JSON_NULL)
        return true;
    int64_t n;
    if (!rmq_json_as_i64(v, &n) || n < INT32_MIN || n > INT32_MAX)
        return false;
    *out = (int32_t)n;
    return true;
}

static remoting_lang_t read_language(const rmq_json_t *v) {
    if (!v)
        return REMOTING_LANG_JAVA; /* Java's default when the key is missing */
    if (v->type == RMQ_JSON_STRING)
        return remoting_lang_parse(v->str, v->len);
    if (v->type == RMQ_JSON_NUMBER && v->is_int && v->i >= 0 && v->i < REMOTING_LANG_COUNT)
        return (remoting_lang_t)v->i;
    return REMOTING_LANG_UNKNOWN;
}

int remoting_header_decode_json(const char *text, size_t len, remoting_cmd_t *cmd) {
    rmq_json_doc_t *doc = rmq_json_parse(text, len, NULL, 0);
    if (!doc)
        return -EPROTO;
    int rc = -EPROTO;
    const rmq_json_t *root = rmq_json_root(doc);
    if (root->type != RMQ_JSON_OBJECT)
        goto done;
    cmd->version = 0;
    if (!read_i32(root, "code", &cmd->code) || !read_i32(root, "opaque", &cmd->opaque) ||
        !read_i32(root, "flag", &cmd->flag) || !read_i32(root, "version", &cmd->version))
        goto done;
    cmd->language = read_language(rmq_json_get(root, "language"));
    const rmq_json_t *remark = rmq_json_get(root, "remark");
    if (remark && remark->type == RMQ_JSON_STRING)
        remoting_cmd_set_remark(cmd, remark->str);
    const rmq_json_t *ext = rmq_json_get(root, "extFields");
    if (ext && ext->type == RMQ_JSON_OBJECT) {
        cmd->has_ext = true;
        for (const rmq_json_t *v = ext->child; v; v = v->next) {
            size_t klen, vlen;
            const char *k = rmq_json_scalar_text(v->key, &klen);
            const char *s = rmq_json_scalar_text(v, &vlen);
            if (k && s)
                remoting_cmd_ext_add(cmd, k, klen, s, vlen);
        }
    } else if (ext && ext->type != RMQ_JSON_NULL) {
        goto done;
    }
    rc = 0;
done:
    rmq_json_doc_destroy(doc);
    return rc;
}
