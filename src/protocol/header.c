/*
 * Table-driven custom-header codec; see header.h. Runs on: any thread (pure functions
 * over one command).
 */
#include "protocol/header.h"

#include "common/str.h"

#include <errno.h>
#include <string.h>

int proto_header_decode(const remoting_cmd_t *cmd, const proto_field_t *fields, size_t n, void *hdr,
                        const char **bad_field) {
    char *base = hdr;
    for (size_t i = 0; i < n; i++) {
        const proto_field_t *f = &fields[i];
        size_t len = 0;
        const char *v = remoting_cmd_ext_getn(cmd, f->key, &len);
        int rc = 0;
        if (!v) {
            rc = -ENOENT;
        } else {
            switch (f->type) {
            case PROTO_FIELD_STR:
                *(const char **)(base + f->offset) = v;
                break;
            case PROTO_FIELD_I32:
                rc = rmq_parse_i32(v, len, (int32_t *)(base + f->offset));
                break;
            case PROTO_FIELD_I64:
                rc = rmq_parse_i64(v, len, (int64_t *)(base + f->offset));
                break;
            case PROTO_FIELD_BOOL:
                *(bool *)(base + f->offset) = rmq_parse_bool(v, len);
                break;
            }
        }
        if (rc == 0) {
            if (f->has_offset != PROTO_NO_HAS)
                *(bool *)(base + f->has_offset) = true;
        } else if (f->required) {
            /* Java leaves the field null and fails later; we fail here and say why. */
            if (bad_field)
                *bad_field = f->key;
            return -EINVAL;
        }
        /* An optional value that does not parse is dropped, as Java logs and skips it. */
    }
    return 0;
}

void proto_header_encode(const void *hdr, const proto_field_t *fields, size_t n,
                         remoting_cmd_t *cmd) {
    const char *base = hdr;
    cmd->has_ext = true;
    for (size_t i = 0; i < n; i++) {
        const proto_field_t *f = &fields[i];
        if (f->has_offset != PROTO_NO_HAS && !*(const bool *)(base + f->has_offset))
            continue;
        switch (f->type) {
        case PROTO_FIELD_STR: {
            const char *s = *(const char *const *)(base + f->offset);
            if (s)
                remoting_cmd_ext_set(cmd, f->key, s);
            break;
        }
        case PROTO_FIELD_I32:
            remoting_cmd_ext_set_i64(cmd, f->key, *(const int32_t *)(base + f->offset));
            break;
        case PROTO_FIELD_I64:
            remoting_cmd_ext_set_i64(cmd, f->key, *(const int64_t *)(base + f->offset));
            break;
        case PROTO_FIELD_BOOL:
            remoting_cmd_ext_set_bool(cmd, f->key, *(const bool *)(base + f->offset));
            break;
        }
    }
}
