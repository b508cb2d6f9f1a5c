/*
 * fastjson's PrettyFormat, applied to compact fastjson text: what Java's
 * RemotingSerializable.toJson(obj, true) prints (mqadmin topicRoute, ...).
 *
 * fastjson indents with one tab per level and breaks lines by serializer:
 *   bean / String-keyed map   {\n<tabs>"k":v,\n<tabs>"k":v\n<tabs-1>}
 *   list                      [\n<tabs>v,\n<tabs>v\n<tabs-1>]
 *   map with non-String keys  {0:"a",1:"b"\n<tabs-1>}   (MapSerializer prints no line
 *                             break before such keys, only before the closing brace)
 *   empty containers          {}  []
 * A compact LEGACY rendering writes numeric map keys bare, so the style of each object
 * can be read off its first key. Strings are copied as they are (escapes included).
 */
#include "client/client.h"

#include <errno.h>

#define PRETTY_MAX_DEPTH 256

typedef enum { FRAME_LINES, FRAME_INLINE } frame_t;

static void newline(rmq_buf_t *out, int depth) {
    rmq_buf_append_u8(out, '\n');
    for (int i = 0; i < depth; i++)
        rmq_buf_append_u8(out, '\t');
}

/* Copies the string starting at json[*i] (a quote); advances past its closing quote. */
static int copy_string(const char *json, size_t len, size_t *i, rmq_buf_t *out) {
    size_t start = (*i)++;
    while (*i < len && json[*i] != '"') {
        if (json[*i] == '\\')
            (*i)++;
        (*i)++;
    }
    if (*i >= len)
        return -EINVAL;
    (*i)++;
    rmq_buf_append(out, json + start, *i - start);
    return 0;
}

int client_json_pretty(const char *json, size_t len, rmq_buf_t *out) {
    frame_t stack[PRETTY_MAX_DEPTH];
    int depth = 0;
    for (size_t i = 0; i < len;) {
        char c = json[i];
        switch (c) {
        case '"':
            if (copy_string(json, len, &i, out) != 0)
                return -EINVAL;
            continue;
        case '{':
        case '[': {
            char close = c == '{' ? '}' : ']';
            if (i + 1 < len && json[i + 1] == close) {
                rmq_buf_append_u8(out, (uint8_t)c);
                rmq_buf_append_u8(out, (uint8_t)close);
                i += 2;
                continue;
            }
            if (depth == PRETTY_MAX_DEPTH)
                return -EINVAL;
            bool lines = c == '[' || (i + 1 < len && json[i + 1] == '"');
            stack[depth++] = lines ? FRAME_LINES : FRAME_INLINE;
            rmq_buf_append_u8(out, (uint8_t)c);
            if (lines)
                newline(out, depth);
            break;
        }
        case '}':
        case ']':
            if (depth == 0)
                return -EINVAL;
            depth--;
            newline(out, depth);
            rmq_buf_append_u8(out, (uint8_t)c);
            break;
        case ',':
            rmq_buf_append_u8(out, ',');
            if (depth > 0 && stack[depth - 1] == FRAME_LINES)
                newline(out, depth);
            break;
        default:
            rmq_buf_append_u8(out, (uint8_t)c);
            break;
        }
        i++;
    }
    return depth == 0 ? 0 : -EINVAL;
}
