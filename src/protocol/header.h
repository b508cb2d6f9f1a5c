/*
 * Typed custom headers <-> ext fields, driven by a field table (spec remoting.md 2.7).
 *
 * Each header type is a plain struct plus a table of proto_field_t rows naming the
 * RocketMQ key, the C type, the member offset and whether the key is required
 * (@CFNotNull upstream). Decoding follows Java's decodeCommandCustomHeader: strings are
 * borrowed from the command (valid while the command is unchanged), numbers parse as
 * Integer.parseInt / Long.parseLong, booleans as Boolean.parseBoolean, unknown keys are
 * ignored. Where Java would leave a required field null and fail later, decoding
 * returns -EINVAL and names the field, so the role can answer SYSTEM_ERROR.
 *
 * Optional numeric and boolean fields have a `has_` member set when the key was present;
 * encoding writes them only when it is set, as Java writes only non-null fields.
 */
#ifndef RMQ_PROTOCOL_HEADER_H
#define RMQ_PROTOCOL_HEADER_H

#include "remoting/cmd.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    PROTO_FIELD_STR,  /* const char * (NULL = absent) */
    PROTO_FIELD_I32,  /* int32_t */
    PROTO_FIELD_I64,  /* int64_t */
    PROTO_FIELD_BOOL, /* bool */
} proto_field_type_t;

#define PROTO_NO_HAS ((size_t)-1)

typedef struct {
    const char *key;
    proto_field_type_t type;
    size_t offset;
    size_t has_offset; /* offset of the `bool has_x` member, or PROTO_NO_HAS */
    bool required;
} proto_field_t;

#define PROTO_FIELD(st, key, type, member, req)                                                    \
    { #key, type, offsetof(st, member), PROTO_NO_HAS, req }
#define PROTO_FIELD_OPT(st, key, type, member, has)                                                \
    { #key, type, offsetof(st, member), offsetof(st, has), false }

/*
 * Fills `hdr` from cmd's ext fields. Returns 0, or -EINVAL when a required key is absent
 * or a present value does not parse; *bad_field (if not NULL) then names the key.
 */
int proto_header_decode(const remoting_cmd_t *cmd, const proto_field_t *fields, size_t n, void *hdr,
                        const char **bad_field);
/* Writes every present field of `hdr` as ext fields of cmd (replacing existing keys). */
void proto_header_encode(const void *hdr, const proto_field_t *fields, size_t n,
                         remoting_cmd_t *cmd);

/*
 * Declares decode/encode functions `proto_NAME_decode(cmd, hdr, bad_field)` and
 * `proto_NAME_encode(hdr, cmd)` for the struct proto_NAME_t with table proto_NAME_fields.
 */
#define PROTO_HEADER_DECLARE(name)                                                                 \
    int proto_##name##_decode(const remoting_cmd_t *cmd, proto_##name##_t *hdr,                    \
                              const char **bad_field);                                             \
    void proto_##name##_encode(const proto_##name##_t *hdr, remoting_cmd_t *cmd)

#define PROTO_HEADER_DEFINE(name)                                                                  \
    int proto_##name##_decode(const remoting_cmd_t *cmd, proto_##name##_t *hdr,                    \
                              const char **bad_field) {                                            \
        return proto_header_decode(                                                                \
            cmd, name##_fields, sizeof name##_fields / sizeof name##_fields[0], hdr, bad_field);   \
    }                                                                                              \
    void proto_##name##_encode(const proto_##name##_t *hdr, remoting_cmd_t *cmd) {                 \
        proto_header_encode(hdr, name##_fields, sizeof name##_fields / sizeof name##_fields[0],    \
                            cmd);                                                                  \
    }

#endif
