/* Frame prefix handling; the two header forms live in header_json.c and header_binary.c. */
#include "remoting/frame.h"

#include <errno.h>

int remoting_frame_peek(const uint8_t *data, size_t avail, size_t max_frame, size_t *frame_len) {
    if (avail < REMOTING_FRAME_PREFIX)
        return -EAGAIN;
    uint32_t length = rmq_get_u32be(data);
    /* A negative int32 length, or one too short for the header word, is garbage. */
    if (length > INT32_MAX || length < 4)
        return -EPROTO;
    size_t total = (size_t)length + REMOTING_FRAME_PREFIX;
    if (total > max_frame)
        return -EMSGSIZE;
    *frame_len = total;
    return avail >= total ? 0 : -EAGAIN;
}

int remoting_frame_decode(const uint8_t *frame, size_t len, remoting_cmd_t *cmd) {
    remoting_cmd_reset(cmd);
    if (len < 8 || rmq_get_u32be(frame) != len - REMOTING_FRAME_PREFIX)
        return -EPROTO;
    uint32_t hdrword = rmq_get_u32be(frame + 4);
    uint8_t type = (uint8_t)(hdrword >> 24);
    size_t header_len = hdrword & 0xFFFFFF;
    if (header_len > len - 8)
        return -EPROTO;
    const uint8_t *header = frame + 8;
    int rc;
    if (type == REMOTING_SERIALIZE_JSON)
        rc = remoting_header_decode_json((const char *)header, header_len, cmd);
    else if (type == REMOTING_SERIALIZE_ROCKETMQ)
        rc = remoting_header_decode_binary(header, header_len, cmd);
    else
        rc = -EPROTO;
    if (rc)
        return rc;
    cmd->serialize_type = type;
    size_t body_len = len - 8 - header_len;
    if (body_len)
        remoting_cmd_borrow_body(cmd, header + header_len, body_len);
    return 0;
}

void remoting_frame_encode_head(const remoting_cmd_t *cmd, uint8_t serialize_type, size_t body_len,
                                rmq_buf_t *out) {
    size_t start = out->len;
    rmq_buf_append_u64be(out, 0); /* length and header word, patched below */
    if (serialize_type == REMOTING_SERIALIZE_ROCKETMQ)
        remoting_header_encode_binary(cmd, out);
    else
        remoting_header_encode_json(cmd, out);
    size_t header_len = out->len - start - 8;
    rmq_put_u32be(out->data + start, (uint32_t)(4 + header_len + body_len));
    rmq_put_u32be(out->data + start + 4,
                  ((uint32_t)serialize_type << 24) | ((uint32_t)header_len & 0xFFFFFF));
}

void remoting_frame_encode(const remoting_cmd_t *cmd, uint8_t serialize_type, rmq_buf_t *out) {
    remoting_frame_encode_head(cmd, serialize_type, cmd->body.len, out);
    rmq_buf_append(out, cmd->body.ptr, cmd->body.len);
}
