/*
 * The ROCKETMQ binary header form (serialize type 1), spec remoting.md 2.6:
 *
 *   0  int16 code      2  int8 language   3  int16 version   5  int32 opaque
 *   9  int32 flag     13  int32 remarkLen, remark bytes (0 = null)
 *   .. int32 extLen, then entries until extLen bytes are used:
 *      int16 keyLen, key, int32 valueLen, value
 *
 * A zero length is null in Java: a null remark is absent, and a map entry with a null key
 * or value carries nothing a header field can use, so it is skipped.
 */
#include "remoting/frame.h"

#include <errno.h>

#define FIXED_LEN 21

void remoting_header_encode_binary(const remoting_cmd_t *cmd, rmq_buf_t *out) {
    rmq_buf_append_u16be(out, (uint16_t)cmd->code);
    rmq_buf_append_u8(out, cmd->language == REMOTING_LANG_UNKNOWN ? REMOTING_LANG_OTHER
                                                                  : (uint8_t)cmd->language);
    rmq_buf_append_u16be(out, (uint16_t)cmd->version);
    rmq_buf_append_u32be(out, (uint32_t)cmd->opaque);
    rmq_buf_append_u32be(out, (uint32_t)cmd->flag);
    if (cmd->has_remark && cmd->remark_len) {
        rmq_buf_append_u32be(out, cmd->remark_len);
        rmq_buf_append(out, cmd->strings.data + cmd->remark_off, cmd->remark_len);
    } else {
        rmq_buf_append_u32be(out, 0);
    }
    size_t ext_len_at = out->len;
    rmq_buf_append_u32be(out, 0);
    for (uint32_t i = 0; i < cmd->ext_count; i++) {
        const remoting_ext_t *e = &cmd->ext[i];
        rmq_buf_append_u16be(out, (uint16_t)e->key_len);
        rmq_buf_append(out, cmd->strings.data + e->key_off, e->key_len);
        rmq_buf_append_u32be(out, e->value_len);
        rmq_buf_append(out, cmd->strings.data + e->value_off, e->value_len);
    }
    rmq_put_u32be(out->data + ext_len_at, (uint32_t)(out->len - ext_len_at - 4));
}

int remoting_header_decode_binary(const uint8_t *p, size_t len, remoting_cmd_t *cmd) {
    if (len < FIXED_LEN)
        return -EPROTO;
    cmd->code = (int16_t)rmq_get_u16be(p);
    cmd->language = p[2] < REMOTING_LANG_COUNT ? (remoting_lang_t)p[2] : REMOTING_LANG_UNKNOWN;
    cmd->version = (int16_t)rmq_get_u16be(p + 3);
    cmd->opaque = (int32_t)rmq_get_u32be(p + 5);
    cmd->flag = (int32_t)rmq_get_u32be(p + 9);
    size_t pos = 13;
    uint32_t remark_len = rmq_get_u32be(p + pos);
    pos += 4;
    if (remark_len > len - pos)
        return -EPROTO;
    if (remark_len) {
        remoting_cmd_set_remarkn(cmd, (const char *)p + pos, remark_len);
        pos += remark_len;
    }
    if (len - pos < 4)
        return -EPROTO;
    uint32_t ext_len = rmq_get_u32be(p + pos);
    pos += 4;
    if (ext_len > len - pos)
        return -EPROTO;
    size_t end = pos + ext_len;
    if (ext_len)
        cmd->has_ext = true;
    while (pos < end) {
        if (end - pos < 2)
            return -EPROTO;
        uint16_t klen = rmq_get_u16be(p + pos);
        pos += 2;
        if (klen > end - pos || end - pos - klen < 4)
            return -EPROTO;
        const char *key = (const char *)p + pos;
        pos += klen;
        uint32_t vlen = rmq_get_u32be(p + pos);
        pos += 4;
        if (vlen > end - pos)
            return -EPROTO;
        if (klen && vlen)
            remoting_cmd_ext_add(cmd, key, klen, (const char *)p + pos, vlen);
        pos += vlen;
    }
    return 0;
}
