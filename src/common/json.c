/*
 * fastjson-dialect JSON reader and writer; see json.h for the dialect.
 *
 * The reader is a recursive-descent parser over (ptr, end) that allocates every node and
 * every decoded string from one arena: a parse is a handful of malloc calls however big
 * the document, and destroying it is a walk over the arena's chunks.
 */
#include "common/json.h"

#include "common/alloc.h"
#include "common/assert.h"
#include "common/str.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ arena */

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    _Alignas(max_align_t) char data[];
} arena_chunk_t;

struct rmq_json_doc {
    arena_chunk_t *chunks;
    rmq_json_t *root;
};

static void *arena_alloc(rmq_json_doc_t *doc, size_t size) {
    size = (size + 15) & ~(size_t)15;
    arena_chunk_t *c = doc->chunks;
    if (!c || c->cap - c->used < size) {
        size_t cap = size > 8192 ? size : 8192;
        c = rmq_malloc(sizeof *c + cap);
        c->used = 0;
        c->cap = cap;
        c->next = doc->chunks;
        doc->chunks = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

void rmq_json_doc_destroy(rmq_json_doc_t *doc) {
    if (!doc)
        return;
    arena_chunk_t *c = doc->chunks;
    while (c) {
        arena_chunk_t *next = c->next;
        rmq_free(c);
        c = next;
    }
    rmq_free(doc);
}

rmq_json_t *rmq_json_root(const rmq_json_doc_t *doc) {
    return doc->root;
}

/* ------------------------------------------------------------------ reader */

typedef struct {
    rmq_json_doc_t *doc;
    const char *p, *end, *start;
    char *err;
    size_t errlen;
    int depth;
} parser_t;

static rmq_json_t *parse_value(parser_t *ps);

static rmq_json_t *fail(parser_t *ps, const char *what) {
    if (ps->err && ps->errlen)
        snprintf(ps->err, ps->errlen, "%s at offset %zu", what, (size_t)(ps->p - ps->start));
    return NULL;
}

static void skip_ws(parser_t *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static rmq_json_t *new_node(parser_t *ps, rmq_json_type_t type) {
    rmq_json_t *n = arena_alloc(ps->doc, sizeof *n);
    memset(n, 0, sizeof *n);
    n->type = type;
    return n;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_hex4(parser_t *ps, unsigned *out) {
    if (ps->end - ps->p < 4)
        return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(ps->p[i]);
        if (d < 0)
            return false;
        v = (v << 4) | (unsigned)d;
    }
    ps->p += 4;
    *out = v;
    return true;
}

static size_t put_utf8(char *dst, unsigned cp) {
    if (cp < 0x80) {
        dst[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        dst[0] = (char)(0xC0 | (cp >> 6));
        dst[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (char)(0xE0 | (cp >> 12));
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    dst[0] = (char)(0xF0 | (cp >> 18));
    dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    dst[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Parses a quoted string (either quote character); decoded bytes never exceed the source's. */
static rmq_json_t *parse_string(parser_t *ps) {
    char quote = *ps->p++;
    const char *s = ps->p;
    while (ps->p < ps->end && *ps->p != quote) {
        if (*ps->p == '\\')
            ps->p++;
        ps->p++;
    }
    if (ps->p >= ps->end)
        return fail(ps, "unterminated string");
    const char *e = ps->p++;
    rmq_json_t *n = new_node(ps, RMQ_JSON_STRING);
    char *dst = arena_alloc(ps->doc, (size_t)(e - s) + 1);
    size_t len = 0;
    parser_t sub = *ps;
    sub.p = s;
    sub.end = e;
    while (sub.p < e) {
        char c = *sub.p++;
        if (c != '\\') {
            dst[len++] = c;
            continue;
        }
        char esc = *sub.p++;
        switch (esc) {
        case '"':
            dst[len++] = '"';
            break;
        case '\'':
            dst[len++] = '\'';
            break;
        case '\\':
            dst[len++] = '\\';
            break;
        case '/':
            dst[len++] = '/';
            break;
        case 'b':
            dst[len++] = '\b';
            break;
        case 'f':
            dst[len++] = '\f';
            break;
        case 'n':
            dst[len++] = '\n';
            break;
        case 'r':
            dst[len++] = '\r';
            break;
        case 't':
            dst[len++] = '\t';
            break;
        case 'u': {
            unsigned cp;
            if (!read_hex4(&sub, &cp)) {
                ps->p = sub.p;
                return fail(ps, "bad \\u escape");
            }
            if (cp >= 0xD800 && cp < 0xDC00 && e - sub.p >= 6 && sub.p[0] == '\\' &&
                sub.p[1] == 'u') {
                parser_t look = sub;
                look.p += 2;
                unsigned lo;
                if (read_hex4(&look, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    sub.p = look.p;
                }
            }
            if (cp >= 0xD800 && cp < 0xE000)
                cp = 0xFFFD;                /* lone surrogate */
            len += put_utf8(dst + len, cp); /* \uXXXX is 6 bytes, UTF-8 at most 4 */
            break;
        }
        default:
            ps->p = sub.p;
            return fail(ps, "bad escape");
        }
    }
    dst[len] = '\0';
    n->str = dst;
    n->len = len;
    return n;
}

static rmq_json_t *parse_number(parser_t *ps) {
    const char *s = ps->p;
    bool is_int = true;
    if (ps->p < ps->end && (*ps->p == '-' || *ps->p == '+'))
        ps->p++;
    const char *digits = ps->p;
    while (ps->p < ps->end) {
        char c = *ps->p;
        if (c >= '0' && c <= '9') {
            ps->p++;
        } else if (c == '.' || c == 'e' || c == 'E' ||
                   ((c == '-' || c == '+') && (ps->p[-1] == 'e' || ps->p[-1] == 'E'))) {
            is_int = false;
            ps->p++;
        } else {
            break;
        }
    }
    if (ps->p == digits)
        return fail(ps, "bad number");
    size_t len = (size_t)(ps->p - s);
    rmq_json_t *n = new_node(ps, RMQ_JSON_NUMBER);
    char *text = arena_alloc(ps->doc, len + 1);
    memcpy(text, s, len);
    text[len] = '\0';
    n->str = text;
    n->len = len;
    char *endp;
    n->d = strtod(text, &endp);
    if (endp != text + len)
        return fail(ps, "bad number");
    if (is_int && rmq_parse_i64(text, len, &n->i) == 0) {
        n->is_int = true;
    } else if (n->d >= -9223372036854775808.0 && n->d < 9223372036854775808.0) {
        n->i = (int64_t)n->d;
    } else {
        n->i = n->d < 0 ? INT64_MIN : INT64_MAX; /* saturate, as Java's (long) cast does */
    }
    return n;
}

static bool is_ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
}

static bool match_word(parser_t *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return false;
    if (ps->p + n < ps->end && is_ident_char(ps->p[n]))
        return false;
    ps->p += n;
    return true;
}

/* An object key: a string, a bare number, an object (fastjson object keys) or an identifier. */
static rmq_json_t *parse_key(parser_t *ps) {
    char c = *ps->p;
    if (c == '"' || c == '\'')
        return parse_string(ps);
    if (c == '{')
        return parse_value(ps);
    if (c == '-' || (c >= '0' && c <= '9'))
        return parse_number(ps);
    const char *s = ps->p;
    while (ps->p < ps->end && is_ident_char(*ps->p))
        ps->p++;
    if (ps->p == s)
        return fail(ps, "bad object key");
    rmq_json_t *n = new_node(ps, RMQ_JSON_STRING);
    size_t len = (size_t)(ps->p - s);
    char *text = arena_alloc(ps->doc, len + 1);
    memcpy(text, s, len);
    text[len] = '\0';
    n->str = text;
    n->len = len;
    return n;
}

static rmq_json_t *parse_container(parser_t *ps, bool is_object) {
    if (++ps->depth > RMQ_JSON_MAX_DEPTH)
        return fail(ps, "nesting too deep");
    char close = is_object ? '}' : ']';
    ps->p++;
    rmq_json_t *n = new_node(ps, is_object ? RMQ_JSON_OBJECT : RMQ_JSON_ARRAY);
    rmq_json_t **tail = &n->child;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        ps->depth--;
        return n;
    }
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end)
            return fail(ps, "unexpected end");
        rmq_json_t *key = NULL;
        if (is_object) {
            key = parse_key(ps);
            if (!key)
                return NULL;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':')
                return fail(ps, "expected ':'");
            ps->p++;
        }
        rmq_json_t *v = parse_value(ps);
        if (!v)
            return NULL;
        v->key = key;
        *tail = v;
        tail = &v->next;
        n->count++;
        skip_ws(ps);
        if (ps->p >= ps->end)
            return fail(ps, "unexpected end");
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == close) {
            ps->p++;
            ps->depth--;
            return n;
        }
        return fail(ps, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static rmq_json_t *parse_value(parser_t *ps) {
    skip_ws(ps);
    if (ps->p >= ps->end)
        return fail(ps, "unexpected end");
    char c = *ps->p;
    switch (c) {
    case '{':
        return parse_container(ps, true);
    case '[':
        return parse_container(ps, false);
    case '"':
    case '\'':
        return parse_string(ps);
    default:
        break;
    }
    if (c == '-' || c == '+' || (c >= '0' && c <= '9'))
        return parse_number(ps);
    if (match_word(ps, "true")) {
        rmq_json_t *n = new_node(ps, RMQ_JSON_BOOL);
        n->boolean = true;
        return n;
    }
    if (match_word(ps, "false"))
        return new_node(ps, RMQ_JSON_BOOL);
    if (match_word(ps, "null"))
        return new_node(ps, RMQ_JSON_NULL);
    return fail(ps, "unexpected character");
}

rmq_json_doc_t *rmq_json_parse(const char *text, size_t len, char *err, size_t errlen) {
    rmq_json_doc_t *doc = RMQ_NEW(rmq_json_doc_t);
    parser_t ps = {
        .doc = doc, .p = text, .end = text + len, .start = text, .err = err, .errlen = errlen};
    /* Skip a UTF-8 byte-order mark. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3;
    doc->root = parse_value(&ps);
    if (doc->root) {
        skip_ws(&ps);
        if (ps.p != ps.end)
            doc->root = fail(&ps, "trailing characters");
    }
    if (!doc->root) {
        rmq_json_doc_destroy(doc);
        return NULL;
    }
    return doc;
}

/* ------------------------------------------------------------------ access */

rmq_json_t *rmq_json_get(const rmq_json_t *obj, const char *key) {
    if (!obj || obj->type != RMQ_JSON_OBJECT)
        return NULL;
    size_t klen = strlen(key);
    rmq_json_t *found = NULL;
    for (rmq_json_t *v = obj->child; v; v = v->next) {
        const rmq_json_t *k = v->key;
        if ((k->type == RMQ_JSON_STRING || k->type == RMQ_JSON_NUMBER) && k->len == klen &&
            memcmp(k->str, key, klen) == 0)
            found = v; /* the last duplicate wins, as in fastjson */
    }
    return found;
}

const char *rmq_json_scalar_text(const rmq_json_t *v, size_t *len) {
    if (!v)
        return NULL;
    switch (v->type) {
    case RMQ_JSON_STRING:
    case RMQ_JSON_NUMBER:
        if (len)
            *len = v->len;
        return v->str;
    case RMQ_JSON_BOOL:
        if (len)
            *len = v->boolean ? 4 : 5;
        return v->boolean ? "true" : "false";
    default:
        return NULL;
    }
}

const char *rmq_json_get_str(const rmq_json_t *obj, const char *key, const char *fallback) {
    const char *s = rmq_json_scalar_text(rmq_json_get(obj, key), NULL);
    return s ? s : fallback;
}

bool rmq_json_as_i64(const rmq_json_t *v, int64_t *out) {
    if (!v)
        return false;
    if (v->type == RMQ_JSON_NUMBER) {
        *out = v->i;
        return true;
    }
    if (v->type == RMQ_JSON_STRING)
        return rmq_parse_i64(v->str, v->len, out) == 0;
    return false;
}

int64_t rmq_json_get_i64(const rmq_json_t *obj, const char *key, int64_t fallback) {
    int64_t v;
    return rmq_json_as_i64(rmq_json_get(obj, key), &v) ? v : fallback;
}

bool rmq_json_get_bool(const rmq_json_t *obj, const char *key, bool fallback) {
    const rmq_json_t *v = rmq_json_get(obj, key);
    if (!v)
        return fallback;
    if (v->type == RMQ_JSON_BOOL)
        return v->boolean;
    if (v->type == RMQ_JSON_STRING)
        return rmq_parse_bool(v->str, v->len);
    if (v->type == RMQ_JSON_NUMBER)
        return v->i != 0;
    return fallback;
}

double rmq_json_get_double(const rmq_json_t *obj, const char *key, double fallback) {
    const rmq_json_t *v = rmq_json_get(obj, key);
    if (v && v->type == RMQ_JSON_NUMBER)
        return v->d;
    if (v && v->type == RMQ_JSON_STRING) {
        char *endp;
        double d = strtod(v->str, &endp);
        if (v->len && endp == v->str + v->len)
            return d;
    }
    return fallback;
}

/* ------------------------------------------------------------------ writer */

static const char hexdigits[] = "0123456789ABCDEF";

static void put_u_escape(rmq_buf_t *out, unsigned unit) {
    char e[6] = {'\\',
                 'u',
                 hexdigits[(unit >> 12) & 15],
                 hexdigits[(unit >> 8) & 15],
                 hexdigits[(unit >> 4) & 15],
                 hexdigits[unit & 15]};
    rmq_buf_append(out, e, 6);
}

void rmq_json_escape(rmq_buf_t *out, const char *s, size_t len, unsigned flags) {
    rmq_buf_reserve(out, len + 2);
    rmq_buf_append_u8(out, '"');
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    const unsigned char *run = p;
    while (p < end) {
        unsigned c = *p;
        bool plain = c >= 0x20 && c != '"' && c != '\\' && c != 0x7F &&
                     (c < 0x80 || !(flags & RMQ_JSON_W_ASCII));
        if (plain) {
            p++;
            continue;
        }
        rmq_buf_append(out, run, (size_t)(p - run));
        if (c >= 0x80) {
            /* Decode one UTF-8 sequence and write it as UTF-16 \u escapes. */
            unsigned cp = 0xFFFD;
            int n = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
            if (n && end - p > n) {
                cp = c & (0x3F >> n);
                for (int i = 1; i <= n; i++)
                    cp = (cp << 6) | (p[i] & 0x3F);
                p += n + 1;
            } else {
                p++;
            }
            if (cp >= 0x10000) {
                cp -= 0x10000;
                put_u_escape(out, 0xD800 + (cp >> 10));
                put_u_escape(out, 0xDC00 + (cp & 0x3FF));
            } else {
                put_u_escape(out, cp);
            }
            run = p;
            continue;
        }
        char short_esc = 0;
        switch (c) {
        case '"':
            short_esc = '"';
            break;
        case '\\':
            short_esc = '\\';
            break;
        case '\b':
            short_esc = 'b';
            break;
        case '\f':
            short_esc = 'f';
            break;
        case '\n':
            short_esc = 'n';
            break;
        case '\r':
            short_esc = 'r';
            break;
        case '\t':
            short_esc = 't';
            break;
        default:
            break;
        }
        if (short_esc) {
            char e[2] = {'\\', short_esc};
            rmq_buf_append(out, e, 2);
        } else {
            put_u_escape(out, c);
        }
        p++;
        run = p;
    }
    rmq_buf_append(out, run, (size_t)(p - run));
    rmq_buf_append_u8(out, '"');
}

void rmq_jw_init(rmq_jw_t *w, rmq_buf_t *out, unsigned flags) {
    memset(w, 0, sizeof *w);
    w->out = out;
    w->flags = flags;
}

/* Writes the separator a new item needs at the current depth. */
static void before_item(rmq_jw_t *w) {
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->has_items[w->depth])
        rmq_buf_append_u8(w->out, ',');
    w->has_items[w->depth] = 1;
}

static void open_container(rmq_jw_t *w, char c) {
    before_item(w);
    rmq_buf_append_u8(w->out, (uint8_t)c);
    RMQ_ASSERT(w->depth < RMQ_JSON_MAX_DEPTH);
    w->has_items[++w->depth] = 0;
}

static void close_container(rmq_jw_t *w, char c) {
    rmq_buf_append_u8(w->out, (uint8_t)c);
    w->depth--;
}

void rmq_jw_obj_begin(rmq_jw_t *w) {
    open_container(w, '{');
}

void rmq_jw_obj_end(rmq_jw_t *w) {
    close_container(w, '}');
}

void rmq_jw_arr_begin(rmq_jw_t *w) {
    open_container(w, '[');
}

void rmq_jw_arr_end(rmq_jw_t *w) {
    close_container(w, ']');
}

void rmq_jw_keyn(rmq_jw_t *w, const char *key, size_t len) {
    before_item(w);
    rmq_json_escape(w->out, key, len, w->flags);
    rmq_buf_append_u8(w->out, ':');
    w->after_key = true;
}

void rmq_jw_key(rmq_jw_t *w, const char *key) {
    rmq_jw_keyn(w, key, strlen(key));
}

void rmq_jw_key_i64(rmq_jw_t *w, int64_t key) {
    before_item(w);
    if (w->flags & RMQ_JSON_W_QUOTE_NUM_KEYS)
        rmq_buf_appendf(w->out, "\"%lld\":", (long long)key);
    else
        rmq_buf_appendf(w->out, "%lld:", (long long)key);
    w->after_key = true;
}

void rmq_jw_objkey_begin(rmq_jw_t *w) {
    open_container(w, '{');
}

void rmq_jw_objkey_end(rmq_jw_t *w) {
    close_container(w, '}');
    rmq_buf_append_u8(w->out, ':');
    w->after_key = true;
}

void rmq_jw_strn(rmq_jw_t *w, const char *s, size_t len) {
    before_item(w);
    rmq_json_escape(w->out, s, len, w->flags);
}

void rmq_jw_str(rmq_jw_t *w, const char *s) {
    rmq_jw_strn(w, s, strlen(s));
}

void rmq_jw_i64(rmq_jw_t *w, int64_t v) {
    before_item(w);
    rmq_buf_appendf(w->out, "%lld", (long long)v);
}

void rmq_jw_double(rmq_jw_t *w, double v) {
    before_item(w);
    if (!isfinite(v)) {
        rmq_buf_append_cstr(w->out, "null");
        return;
    }
    /* Shortest text that reads back as the same double, as Java's Double.toString. */
    char text[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(text, sizeof text, "%.*g", prec, v);
        if (strtod(text, NULL) == v)
            break;
    }
    rmq_buf_append_cstr(w->out, text);
    if (!strpbrk(text, ".eEn"))
        rmq_buf_append_cstr(w->out, ".0");
}

void rmq_jw_bool(rmq_jw_t *w, bool v) {
    before_item(w);
    rmq_buf_append_cstr(w->out, v ? "true" : "false");
}

void rmq_jw_null(rmq_jw_t *w) {
    before_item(w);
    rmq_buf_append_cstr(w->out, "null");
}

void rmq_jw_raw(rmq_jw_t *w, const char *json, size_t len) {
    before_item(w);
    rmq_buf_append(w->out, json, len);
}

void rmq_jw_kv_str(rmq_jw_t *w, const char *key, const char *s) {
    rmq_jw_key(w, key);
    rmq_jw_str(w, s);
}

void rmq_jw_kv_i64(rmq_jw_t *w, const char *key, int64_t v) {
    rmq_jw_key(w, key);
    rmq_jw_i64(w, v);
}

void rmq_jw_kv_bool(rmq_jw_t *w, const char *key, bool v) {
    rmq_jw_key(w, key);
    rmq_jw_bool(w, v);
}
