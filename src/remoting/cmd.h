/*
 * RemotingCommand: the unit every role exchanges (spec remoting.md sections 1 and 2).
 *
 * A command is a header (code, language, version, opaque, flag, remark, extFields) and an
 * optional body. The command owns a small string arena that holds the remark and the
 * ext-field keys and values, NUL-terminated; ext fields are kept as offsets into it, so a
 * command can be reset and reused for the next frame without allocating in steady state.
 *
 * The body is either borrowed (a slice into a received frame or a mapped file, valid for
 * as long as its owner says) or owned (set with remoting_cmd_take_body()).
 *
 * Ext-field look-ups are linear: headers carry at most a few dozen fields, and a scan of
 * that many short keys is faster than hashing them.
 */
#ifndef RMQ_REMOTING_CMD_H
#define RMQ_REMOTING_CMD_H

#include "common/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* flag bits (spec 2.2) */
#define REMOTING_FLAG_RESPONSE 0x1
#define REMOTING_FLAG_ONEWAY   0x2

/* serialize types (spec 1.2) */
#define REMOTING_SERIALIZE_JSON     0
#define REMOTING_SERIALIZE_ROCKETMQ 1

/* What this implementation writes in `version` (MQVersion V5_3_3). */
#define REMOTING_VERSION_CURRENT 479

/* LanguageCode (spec 2.3) */
typedef enum {
    REMOTING_LANG_JAVA = 0,
    REMOTING_LANG_CPP = 1,
    REMOTING_LANG_DOTNET = 2,
    REMOTING_LANG_PYTHON = 3,
    REMOTING_LANG_DELPHI = 4,
    REMOTING_LANG_ERLANG = 5,
    REMOTING_LANG_RUBY = 6,
    REMOTING_LANG_OTHER = 7,
    REMOTING_LANG_HTTP = 8,
    REMOTING_LANG_GO = 9,
    REMOTING_LANG_PHP = 10,
    REMOTING_LANG_OMS = 11,
    REMOTING_LANG_RUST = 12,
    REMOTING_LANG_NODE_JS = 13,
    REMOTING_LANG_COUNT,
    REMOTING_LANG_UNKNOWN = 255, /* a name we do not know (Java decodes it to null) */
} remoting_lang_t;

const char *remoting_lang_name(remoting_lang_t lang);
/* Returns REMOTING_LANG_UNKNOWN for an unknown name. */
remoting_lang_t remoting_lang_parse(const char *name, size_t len);

typedef struct {
    uint32_t key_off, key_len;
    uint32_t value_off, value_len;
} remoting_ext_t;

typedef struct remoting_cmd {
    int32_t code;
    remoting_lang_t language;
    int32_t version;
    int32_t opaque;
    int32_t flag;
    uint8_t serialize_type; /* type of the frame it was decoded from */
    bool has_remark;
    uint32_t remark_off, remark_len;
    bool has_ext; /* extFields present (possibly empty) */
    remoting_ext_t *ext;
    uint32_t ext_count, ext_cap;
    rmq_buf_t strings; /* arena for remark, keys and values */
    rmq_slice_t body;
    char *body_owned; /* non-NULL when the command owns body.ptr */
} remoting_cmd_t;

/* Caller-storage lifecycle (reusable: reset keeps the arena's memory). */
void remoting_cmd_init(remoting_cmd_t *cmd);
void remoting_cmd_reset(remoting_cmd_t *cmd);
void remoting_cmd_close(remoting_cmd_t *cmd);

/* Heap lifecycle. New commands say language CPP: the honest LanguageCode for a C peer. */
remoting_cmd_t *remoting_cmd_new(void);
void remoting_cmd_destroy(remoting_cmd_t *cmd);

/* Fills the header of a request / response (version REMOTING_VERSION_CURRENT). */
void remoting_cmd_set_request(remoting_cmd_t *cmd, int32_t code);
/* A response to `opaque`; remark may be NULL. */
void remoting_cmd_set_response(remoting_cmd_t *cmd, int32_t code, int32_t opaque,
                               const char *remark);

static inline bool remoting_cmd_is_response(const remoting_cmd_t *cmd) {
    return (cmd->flag & REMOTING_FLAG_RESPONSE) != 0;
}

static inline bool remoting_cmd_is_oneway(const remoting_cmd_t *cmd) {
    return (cmd->flag & REMOTING_FLAG_ONEWAY) != 0;
}

/* Remark, or NULL when absent. Valid until the command is changed. */
const char *remoting_cmd_remark(const remoting_cmd_t *cmd);
void remoting_cmd_set_remark(remoting_cmd_t *cmd, const char *remark);
void remoting_cmd_set_remarkn(remoting_cmd_t *cmd, const char *remark, size_t len);
void remoting_cmd_set_remarkf(remoting_cmd_t *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Ext fields. get returns NULL when absent; the last of duplicate keys wins. Pointers are
 * valid until the command is changed. set replaces an existing key. */
const char *remoting_cmd_ext_get(const remoting_cmd_t *cmd, const char *key);
const char *remoting_cmd_ext_getn(const remoting_cmd_t *cmd, const char *key, size_t *value_len);
void remoting_cmd_ext_set(remoting_cmd_t *cmd, const char *key, const char *value);
void remoting_cmd_ext_setn(remoting_cmd_t *cmd, const char *key, size_t key_len, const char *value,
                           size_t value_len);
void remoting_cmd_ext_set_i64(remoting_cmd_t *cmd, const char *key, int64_t value);
void remoting_cmd_ext_set_bool(remoting_cmd_t *cmd, const char *key, bool value);
/* Appends without checking for an existing key (decoders, which keep duplicates). */
void remoting_cmd_ext_add(remoting_cmd_t *cmd, const char *key, size_t key_len, const char *value,
                          size_t value_len);
static inline const char *remoting_cmd_ext_key(const remoting_cmd_t *cmd, uint32_t i) {
    return cmd->strings.data + cmd->ext[i].key_off;
}
static inline const char *remoting_cmd_ext_value(const remoting_cmd_t *cmd, uint32_t i) {
    return cmd->strings.data + cmd->ext[i].value_off;
}

/* Typed ext-field readers in the manner of Java's decodeCommandCustomHeader: 0 on success,
 * -ENOENT when absent, -EINVAL when the text does not parse. */
int remoting_cmd_ext_i64(const remoting_cmd_t *cmd, const char *key, int64_t *out);
int remoting_cmd_ext_i32(const remoting_cmd_t *cmd, const char *key, int32_t *out);
/* Boolean.parseBoolean semantics; `fallback` when absent. */
bool remoting_cmd_ext_bool(const remoting_cmd_t *cmd, const char *key, bool fallback);

/* Body: borrow (caller keeps the bytes alive), copy, or take ownership of rmq_malloc'd bytes. */
void remoting_cmd_borrow_body(remoting_cmd_t *cmd, const void *data, size_t len);
void remoting_cmd_copy_body(remoting_cmd_t *cmd, const void *data, size_t len);
void remoting_cmd_take_body(remoting_cmd_t *cmd, char *data, size_t len);

#endif
