/* Java properties reader and writer; see props.h. */
#include "common/props.h"

#include "common/alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void rmq_props_init(rmq_props_t *p) {
    memset(p, 0, sizeof *p);
}

void rmq_props_close(rmq_props_t *p) {
    for (size_t i = 0; i < p->count; i++) {
        rmq_free(p->items[i].key);
        rmq_free(p->items[i].value);
    }
    rmq_free(p->items);
    rmq_props_init(p);
}

const char *rmq_props_get(const rmq_props_t *p, const char *key) {
    for (size_t i = 0; i < p->count; i++)
        if (strcmp(p->items[i].key, key) == 0)
            return p->items[i].value;
    return NULL;
}

void rmq_props_set(rmq_props_t *p, const char *key, const char *value) {
    for (size_t i = 0; i < p->count; i++) {
        if (strcmp(p->items[i].key, key) == 0) {
            rmq_free(p->items[i].value);
            p->items[i].value = rmq_strdup(value);
            return;
        }
    }
    if (p->count == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->items = rmq_realloc(p->items, p->cap * sizeof *p->items);
    }
    p->items[p->count].key = rmq_strdup(key);
    p->items[p->count].value = rmq_strdup(value);
    p->count++;
}

static bool is_ws(char c) {
    return c == ' ' || c == '\t' || c == '\f';
}

/*
 * Collects one logical line (joining continuations) into `line`, with escapes still in
 * place but continuation backslashes and the following indentation removed.
 */
static const char *read_logical_line(const char *p, const char *end, rmq_buf_t *line) {
    rmq_buf_reset(line);
    while (p < end && is_ws(*p))
        p++;
    for (;;) {
        const char *eol = p;
        while (eol < end && *eol != '\n' && *eol != '\r')
            eol++;
        size_t slashes = 0;
        for (const char *q = eol; q > p && q[-1] == '\\'; q--)
            slashes++;
        bool cont = slashes % 2 == 1;
        rmq_buf_append(line, p, (size_t)(eol - p) - (cont ? 1 : 0));
        p = eol;
        if (p < end && *p == '\r')
            p++;
        if (p < end && *p == '\n')
            p++;
        if (!cont || p >= end)
            return p;
        while (p < end && is_ws(*p))
            p++;
    }
}

/* Unescapes s[0..len) into out. */
static void unescape(rmq_buf_t *out, const char *s, size_t len) {
    rmq_buf_reset(out);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c != '\\' || i + 1 >= len) {
            rmq_buf_append_u8(out, (uint8_t)c);
            continue;
        }
        c = s[++i];
        switch (c) {
        case 't':
            rmq_buf_append_u8(out, '\t');
            break;
        case 'n':
            rmq_buf_append_u8(out, '\n');
            break;
        case 'r':
            rmq_buf_append_u8(out, '\r');
            break;
        case 'f':
            rmq_buf_append_u8(out, '\f');
            break;
        case 'u': {
            unsigned cp = 0;
            size_t j = 0;
            for (; j < 4 && i + 1 + j < len; j++) {
                char h = s[i + 1 + j];
                int d = (h >= '0' && h <= '9')   ? h - '0'
                        : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                        : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                                 : -1;
                if (d < 0)
                    break;
                cp = cp << 4 | (unsigned)d;
            }
            if (j < 4) {
                rmq_buf_append_cstr(out, "\\u");
                break;
            }
            i += 4;
            char u[4];
            size_t n;
            if (cp < 0x80) {
                u[0] = (char)cp;
                n = 1;
            } else if (cp < 0x800) {
                u[0] = (char)(0xC0 | (cp >> 6));
                u[1] = (char)(0x80 | (cp & 0x3F));
                n = 2;
            } else {
                u[0] = (char)(0xE0 | (cp >> 12));
                u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                u[2] = (char)(0x80 | (cp & 0x3F));
                n = 3;
            }
            rmq_buf_append(out, u, n);
            break;
        }
        default:
            rmq_buf_append_u8(out, (uint8_t)c);
            break;
        }
    }
}

void rmq_props_parse(rmq_props_t *p, const char *text, size_t len) {
    const char *cur = text, *end = text + len;
    rmq_buf_t line, key, value;
    rmq_buf_init(&line);
    rmq_buf_init(&key);
    rmq_buf_init(&value);
    while (cur < end) {
        cur = read_logical_line(cur, end, &line);
        if (line.len == 0 || line.data[0] == '#' || line.data[0] == '!')
            continue;
        const char *s = line.data;
        size_t n = line.len, k = 0;
        while (k < n && s[k] != '=' && s[k] != ':' && !is_ws(s[k])) {
            if (s[k] == '\\')
                k++;
            k++;
        }
        if (k > n)
            k = n;
        size_t v = k;
        while (v < n && is_ws(s[v]))
            v++;
        if (v < n && (s[v] == '=' || s[v] == ':'))
            v++;
        while (v < n && is_ws(s[v]))
            v++;
        unescape(&key, s, k);
        unescape(&value, s + v, n - v);
        rmq_props_set(p, rmq_buf_cstr(&key), rmq_buf_cstr(&value));
    }
    rmq_buf_close(&line);
    rmq_buf_close(&key);
    rmq_buf_close(&value);
}

int rmq_props_load(rmq_props_t *p, const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    rmq_buf_t text;
    rmq_buf_init(&text);
    for (;;) {
        rmq_buf_reserve(&text, 4096);
        ssize_t n = read(fd, text.data + text.len, 4096);
        if (n < 0) {
            int err = -errno;
            close(fd);
            rmq_buf_close(&text);
            return err;
        }
        if (n == 0)
            break;
        text.len += (size_t)n;
    }
    close(fd);
    rmq_props_parse(p, text.data ? text.data : "", text.len);
    rmq_buf_close(&text);
    return 0;
}

void rmq_props_escape(rmq_buf_t *out, const char *s, int is_key) {
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        switch (c) {
        case ' ':
            if (i == 0 || is_key)
                rmq_buf_append_u8(out, '\\');
            rmq_buf_append_u8(out, ' ');
            break;
        case '\t':
            rmq_buf_append_cstr(out, "\\t");
            break;
        case '\n':
            rmq_buf_append_cstr(out, "\\n");
            break;
        case '\r':
            rmq_buf_append_cstr(out, "\\r");
            break;
        case '\f':
            rmq_buf_append_cstr(out, "\\f");
            break;
        case '=':
        case ':':
        case '#':
        case '!':
        case '\\':
            rmq_buf_append_u8(out, '\\');
            rmq_buf_append_u8(out, (uint8_t)c);
            break;
        default:
            rmq_buf_append_u8(out, (uint8_t)c);
            break;
        }
    }
}

void rmq_props_write(const rmq_props_t *p, rmq_buf_t *out) {
    for (size_t i = 0; i < p->count; i++) {
        rmq_props_escape(out, p->items[i].key, 1);
        rmq_buf_append_u8(out, '=');
        rmq_props_escape(out, p->items[i].value, 0);
        rmq_buf_append_u8(out, '\n');
    }
}
