/*
 * Fuzz target: a receive buffer full of frames, as a connection would see it. Every frame
 * the peek accepts is decoded (JSON or ROCKETMQ header) and, when valid, re-encoded in both
 * forms and decoded again: the round trip must keep code, opaque, flag and ext fields.
 */
#include "remoting/frame.h"

#include <stdlib.h>
#include <string.h>

static void check_round_trip(const remoting_cmd_t *cmd, uint8_t type) {
    rmq_buf_t out;
    rmq_buf_init(&out);
    remoting_frame_encode(cmd, type, &out);
    remoting_cmd_t back;
    remoting_cmd_init(&back);
    int rc = remoting_frame_decode((const uint8_t *)out.data, out.len, &back);
    /* The binary form truncates code and version to 16 bits and drops empty values, so
     * only the JSON form must round-trip exactly. */
    if (type == REMOTING_SERIALIZE_JSON) {
        if (rc != 0 || back.code != cmd->code || back.opaque != cmd->opaque ||
            back.flag != cmd->flag || back.ext_count != cmd->ext_count)
            abort();
        for (uint32_t i = 0; i < cmd->ext_count; i++)
            if (strcmp(remoting_cmd_ext_key(cmd, i), remoting_cmd_ext_key(&back, i)) != 0 ||
                strcmp(remoting_cmd_ext_value(cmd, i), remoting_cmd_ext_value(&back, i)) != 0)
                abort();
    }
    remoting_cmd_close(&back);
    rmq_buf_close(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    while (size > 0) {
        size_t flen = 0;
        if (remoting_frame_peek(data, size, 1 << 20, &flen) != 0)
            break;
        if (remoting_frame_decode(data, flen, &cmd) == 0) {
            /* Keys with embedded NULs cannot round-trip through strcmp; skip those. */
            bool plain = true;
            for (uint32_t i = 0; i < cmd.ext_count; i++)
                if (strlen(remoting_cmd_ext_key(&cmd, i)) != cmd.ext[i].key_len ||
                    strlen(remoting_cmd_ext_value(&cmd, i)) != cmd.ext[i].value_len)
                    plain = false;
            if (plain) {
                check_round_trip(&cmd, REMOTING_SERIALIZE_JSON);
                check_round_trip(&cmd, REMOTING_SERIALIZE_ROCKETMQ);
            }
        }
        data += flen;
        size -= flen;
    }
    remoting_cmd_close(&cmd);
    return 0;
}
