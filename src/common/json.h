/*
 * JSON in the fastjson dialect that RocketMQ speaks.
 *
 * Reader: parses a whole text into a tree allocated from one arena (free it all with
 * rmq_json_doc_destroy). Besides standard JSON it accepts what fastjson writes and what
 * the Java peers accept (spec remoting.md section 3): bare number map keys
 * (`{0:"a"}`), object map keys (`{{"topic":"T","queueId":0}:42}`), unquoted identifier
 * keys, single-quoted strings and raw control characters inside strings. Nesting is
 * limited to RMQ_JSON_MAX_DEPTH so hostile input cannot exhaust the stack.
 *
 * Writer: appends to an rmq_buf_t with automatic commas. Strings are escaped as fastjson
 * does (control characters as \u00XX, upper-case hex); with RMQ_JSON_W_ASCII non-ASCII
 * characters are written as \uXXXX too (fastjson's BrowserCompatible "standard JSON").
 */
#ifndef RMQ_COMMON_JSON_H
#define RMQ_COMMON_JSON_H

#include "common/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RMQ_JSON_MAX_DEPTH 64

typedef enum {
    RMQ_JSON_NULL,
    RMQ_JSON_BOOL,
    RMQ_JSON_NUMBER,
    RMQ_JSON_STRING,
    RMQ_JSON_ARRAY,
    RMQ_JSON_OBJECT,
} rmq_json_type_t;

typedef struct rmq_json rmq_json_t;
struct rmq_json {
    rmq_json_type_t type;
    bool boolean;      /* RMQ_JSON_BOOL */
    bool is_int;       /* RMQ_JSON_NUMBER that fits int64 with no fraction or exponent */
    const char *str;   /* STRING: decoded UTF-8; NUMBER: its literal text. NUL-terminated */
    size_t len;        /* length of str */
    int64_t i;         /* NUMBER */
    double d;          /* NUMBER */
    size_t count;      /* ARRAY/OBJECT: number of children */
    rmq_json_t *key;   /* member of an OBJECT: its key (STRING, NUMBER or OBJECT node) */
    rmq_json_t *child; /* ARRAY/OBJECT: first element or member value */
    rmq_json_t *next;  /* next sibling */
};

typedef struct rmq_json_doc rmq_json_doc_t;

/* Parses `len` bytes. On failure returns NULL and writes a reason to err. */
rmq_json_doc_t *rmq_json_parse(const char *text, size_t len, char *err, size_t errlen);
rmq_json_t *rmq_json_root(const rmq_json_doc_t *doc);
void rmq_json_doc_destroy(rmq_json_doc_t *doc);

/* Member of an object whose key is the string or number `key`; NULL if none or not an object. */
rmq_json_t *rmq_json_get(const rmq_json_t *obj, const char *key);
/* Textual form of a scalar (string content, number literal, "true"/"false"); NULL for null,
 * arrays and objects. This is how extFields values of any JSON type become strings. */
const char *rmq_json_scalar_text(const rmq_json_t *v, size_t *len);

/* Typed member look-ups: the fallback when absent, null or of another type. Numbers
 * given as strings ("12") are accepted, as fastjson accepts them. */
const char *rmq_json_get_str(const rmq_json_t *obj, const char *key, const char *fallback);
int64_t rmq_json_get_i64(const rmq_json_t *obj, const char *key, int64_t fallback);
bool rmq_json_get_bool(const rmq_json_t *obj, const char *key, bool fallback);
double rmq_json_get_double(const rmq_json_t *obj, const char *key, double fallback);
/* Integer value of a node (number or numeric string); false when not one. */
bool rmq_json_as_i64(const rmq_json_t *v, int64_t *out);

/* ---- writer ---- */

enum {
    RMQ_JSON_W_ASCII = 1 << 0,          /* escape non-ASCII as \uXXXX */
    RMQ_JSON_W_QUOTE_NUM_KEYS = 1 << 1, /* rmq_jw_key_i64 writes "0": instead of 0: */
};

typedef struct {
    rmq_buf_t *out;
    unsigned flags;
    int depth;
    bool after_key;
    uint8_t has_items[RMQ_JSON_MAX_DEPTH + 1];
} rmq_jw_t;

void rmq_jw_init(rmq_jw_t *w, rmq_buf_t *out, unsigned flags);
void rmq_jw_obj_begin(rmq_jw_t *w);
void rmq_jw_obj_end(rmq_jw_t *w);
void rmq_jw_arr_begin(rmq_jw_t *w);
void rmq_jw_arr_end(rmq_jw_t *w);
void rmq_jw_key(rmq_jw_t *w, const char *key);
void rmq_jw_keyn(rmq_jw_t *w, const char *key, size_t len);
/* A numeric map key: bare (fastjson) unless RMQ_JSON_W_QUOTE_NUM_KEYS. */
void rmq_jw_key_i64(rmq_jw_t *w, int64_t key);
/* An object used as a map key (fastjson's Map<MessageQueue,...>): begin, write members, end. */
void rmq_jw_objkey_begin(rmq_jw_t *w);
void rmq_jw_objkey_end(rmq_jw_t *w);
void rmq_jw_str(rmq_jw_t *w, const char *s);
void rmq_jw_strn(rmq_jw_t *w, const char *s, size_t len);
void rmq_jw_i64(rmq_jw_t *w, int64_t v);
/* fastjson style: always with a fraction ("0.0", "1.5"); NaN/Infinity as null. */
void rmq_jw_double(rmq_jw_t *w, double v);
void rmq_jw_bool(rmq_jw_t *w, bool v);
void rmq_jw_null(rmq_jw_t *w);
/* Pre-rendered JSON inserted as one value. */
void rmq_jw_raw(rmq_jw_t *w, const char *json, size_t len);

/* Shorthands for "key": value members. */
void rmq_jw_kv_str(rmq_jw_t *w, const char *key, const char *s);
void rmq_jw_kv_i64(rmq_jw_t *w, const char *key, int64_t v);
void rmq_jw_kv_bool(rmq_jw_t *w, const char *key, bool v);

/* Appends a JSON string literal (with quotes) of s to out. */
void rmq_json_escape(rmq_buf_t *out, const char *s, size_t len, unsigned flags);

#endif
