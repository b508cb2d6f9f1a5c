/* RemotingCommand header and body accessors; see cmd.h. */
#include "remoting/cmd.h"

#include "common/alloc.h"
#include "common/str.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const lang_names[REMOTING_LANG_COUNT] = {
    "JAVA",  "CPP",  "DOTNET", "PYTHON", "DELPHI", "ERLANG", "RUBY",
    "OTHER", "HTTP", "GO",     "PHP",    "OMS",    "RUST",   "NODE_JS",
};

const char *remoting_lang_name(remoting_lang_t lang) {
    return (unsigned)lang < REMOTING_LANG_COUNT ? lang_names[lang] : "OTHER";
}

remoting_lang_t remoting_lang_parse(const char *name, size_t len) {
    for (int i = 0; i < REMOTING_LANG_COUNT; i++)
        if (strlen(lang_names[i]) == len && memcmp(lang_names[i], name, len) == 0)
            return (remoting_lang_t)i;
    return REMOTING_LANG_UNKNOWN;
}

void remoting_cmd_init(remoting_cmd_t *cmd) {
    memset(cmd, 0, sizeof *cmd);
    cmd->language = REMOTING_LANG_CPP;
    cmd->version = REMOTING_VERSION_CURRENT;
}

static void drop_body(remoting_cmd_t *cmd) {
    rmq_free(cmd->body_owned);
    cmd->body_owned = NULL;
    cmd->body = (rmq_slice_t){NULL, 0};
}

void remoting_cmd_reset(remoting_cmd_t *cmd) {
    drop_body(cmd);
    cmd->code = 0;
    cmd->language = REMOTING_LANG_CPP;
    cmd->version = REMOTING_VERSION_CURRENT;
    cmd->opaque = 0;
    cmd->flag = 0;
    cmd->serialize_type = REMOTING_SERIALIZE_JSON;
    cmd->has_remark = false;
    cmd->has_ext = false;
    cmd->ext_count = 0;
    rmq_buf_reset(&cmd->strings);
}

void remoting_cmd_close(remoting_cmd_t *cmd) {
    drop_body(cmd);
    rmq_free(cmd->ext);
    rmq_buf_close(&cmd->strings);
    memset(cmd, 0, sizeof *cmd);
}

remoting_cmd_t *remoting_cmd_new(void) {
    remoting_cmd_t *cmd = rmq_malloc(sizeof *cmd);
    remoting_cmd_init(cmd);
    return cmd;
}

void remoting_cmd_destroy(remoting_cmd_t *cmd) {
    if (!cmd)
        return;
    remoting_cmd_close(cmd);
    rmq_free(cmd);
}

void remoting_cmd_set_request(remoting_cmd_t *cmd, int32_t code) {
    cmd->code = code;
    cmd->flag = 0;
}

void remoting_cmd_set_response(remoting_cmd_t *cmd, int32_t code, int32_t opaque,
                               const char *remark) {
    cmd->code = code;
    cmd->opaque = opaque;
    cmd->flag = REMOTING_FLAG_RESPONSE;
    if (remark)
        remoting_cmd_set_remark(cmd, remark);
}

/* Copies bytes plus a terminator into the arena; returns their offset. */
static uint32_t arena_put(remoting_cmd_t *cmd, const char *s, size_t len) {
    uint32_t off = (uint32_t)cmd->strings.len;
    rmq_buf_reserve(&cmd->strings, len + 1);
    if (len)
        memcpy(cmd->strings.data + cmd->strings.len, s, len);
    cmd->strings.data[cmd->strings.len + len] = '\0';
    cmd->strings.len += len + 1;
    return off;
}

const char *remoting_cmd_remark(const remoting_cmd_t *cmd) {
    return cmd->has_remark ? cmd->strings.data + cmd->remark_off : NULL;
}

void remoting_cmd_set_remark(remoting_cmd_t *cmd, const char *remark) {
    if (!remark) {
        cmd->has_remark = false;
        return;
    }
    remoting_cmd_set_remarkn(cmd, remark, strlen(remark));
}

void remoting_cmd_set_remarkn(remoting_cmd_t *cmd, const char *remark, size_t len) {
    cmd->remark_off = arena_put(cmd, remark, len);
    cmd->remark_len = (uint32_t)len;
    cmd->has_remark = true;
}

void remoting_cmd_set_remarkf(remoting_cmd_t *cmd, const char *fmt, ...) {
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    remoting_cmd_set_remark(cmd, text);
}

static int find_ext(const remoting_cmd_t *cmd, const char *key, size_t key_len) {
    for (int i = (int)cmd->ext_count - 1; i >= 0; i--) {
        const remoting_ext_t *e = &cmd->ext[i];
        if (e->key_len == key_len && memcmp(cmd->strings.data + e->key_off, key, key_len) == 0)
            return i;
    }
    return -1;
}

const char *remoting_cmd_ext_getn(const remoting_cmd_t *cmd, const char *key, size_t *value_len) {
    int i = find_ext(cmd, key, strlen(key));
    if (i < 0)
        return NULL;
    if (value_len)
        *value_len = cmd->ext[i].value_len;
    return cmd->strings.data + cmd->ext[i].value_off;
}

const char *remoting_cmd_ext_get(const remoting_cmd_t *cmd, const char *key) {
    return remoting_cmd_ext_getn(cmd, key, NULL);
}

void remoting_cmd_ext_add(remoting_cmd_t *cmd, const char *key, size_t key_len, const char *value,
                          size_t value_len) {
    if (cmd->ext_count == cmd->ext_cap) {
        cmd->ext_cap = cmd->ext_cap ? cmd->ext_cap * 2 : 16;
        cmd->ext = rmq_realloc(cmd->ext, cmd->ext_cap * sizeof *cmd->ext);
    }
    remoting_ext_t *e = &cmd->ext[cmd->ext_count++];
    e->key_off = arena_put(cmd, key, key_len);
    e->key_len = (uint32_t)key_len;
    e->value_off = arena_put(cmd, value, value_len);
    e->value_len = (uint32_t)value_len;
    cmd->has_ext = true;
}

void remoting_cmd_ext_setn(remoting_cmd_t *cmd, const char *key, size_t key_len, const char *value,
                           size_t value_len) {
    int i = find_ext(cmd, key, key_len);
    if (i < 0) {
        remoting_cmd_ext_add(cmd, key, key_len, value, value_len);
        return;
    }
    /* The old value stays in the arena until reset; replacing is rare. */
    cmd->ext[i].value_off = arena_put(cmd, value, value_len);
    cmd->ext[i].value_len = (uint32_t)value_len;
}

void remoting_cmd_ext_set(remoting_cmd_t *cmd, const char *key, const char *value) {
    remoting_cmd_ext_setn(cmd, key, strlen(key), value, strlen(value));
}

void remoting_cmd_ext_set_i64(remoting_cmd_t *cmd, const char *key, int64_t value) {
    char text[24];
    int n = snprintf(text, sizeof text, "%lld", (long long)value);
    remoting_cmd_ext_setn(cmd, key, strlen(key), text, (size_t)n);
}

void remoting_cmd_ext_set_bool(remoting_cmd_t *cmd, const char *key, bool value) {
    remoting_cmd_ext_set(cmd, key, value ? "true" : "false");
}

int remoting_cmd_ext_i64(const remoting_cmd_t *cmd, const char *key, int64_t *out) {
    size_t len;
    const char *v = remoting_cmd_ext_getn(cmd, key, &len);
    if (!v)
        return -ENOENT;
    return rmq_parse_i64(v, len, out) == 0 ? 0 : -EINVAL;
}

int remoting_cmd_ext_i32(const remoting_cmd_t *cmd, const char *key, int32_t *out) {
    size_t len;
    const char *v = remoting_cmd_ext_getn(cmd, key, &len);
    if (!v)
        return -ENOENT;
    return rmq_parse_i32(v, len, out) == 0 ? 0 : -EINVAL;
}

bool remoting_cmd_ext_bool(const remoting_cmd_t *cmd, const char *key, bool fallback) {
    size_t len;
    const char *v = remoting_cmd_ext_getn(cmd, key, &len);
    return v ? rmq_parse_bool(v, len) : fallback;
}

void remoting_cmd_borrow_body(remoting_cmd_t *cmd, const void *data, size_t len) {
    drop_body(cmd);
    cmd->body = (rmq_slice_t){data, len};
}

void remoting_cmd_copy_body(remoting_cmd_t *cmd, const void *data, size_t len) {
    drop_body(cmd);
    if (len == 0)
        return;
    cmd->body_owned = rmq_malloc(len);
    memcpy(cmd->body_owned, data, len);
    cmd->body = (rmq_slice_t){cmd->body_owned, len};
}

void remoting_cmd_take_body(remoting_cmd_t *cmd, char *data, size_t len) {
    drop_body(cmd);
    cmd->body_owned = data;
    cmd->body = (rmq_slice_t){data, len};
}
