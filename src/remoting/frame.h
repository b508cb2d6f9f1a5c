/*
 * Frame codec: RemotingCommand <-> bytes (spec remoting.md 1.2, 2.5, 2.6).
 *
 *   offset 0  int32 length      bytes after this field: 4 + headerLen + bodyLen
 *   offset 4  int32 hdrword     serialize type << 24 | headerLen (24 bits)
 *   offset 8  header            JSON text (type 0) or the ROCKETMQ binary form (type 1)
 *   then      body              the rest
 *
 * Decoding never trusts the bytes: every length is checked against what is there, and a
 * bad frame is -EPROTO (the caller closes that connection). It runs on an I/O loop and
 * touches nothing shared.
 */
#ifndef RMQ_REMOTING_FRAME_H
#define RMQ_REMOTING_FRAME_H

#include "common/buf.h"
#include "remoting/cmd.h"

#include <stddef.h>
#include <stdint.h>

/* Java's default frame limit (com.rocketmq.remoting.frameMaxLength), length prefix included. */
#define REMOTING_FRAME_MAX_DEFAULT (16 * 1024 * 1024)
#define REMOTING_FRAME_PREFIX      4

/*
 * Looks at the start of a receive buffer. Returns 0 when a whole frame of *frame_len bytes
 * (prefix included) is there, -EAGAIN when more bytes are needed (*frame_len set once the
 * prefix is known), -EMSGSIZE when the frame exceeds max_frame, -EPROTO when the length is
 * impossible.
 */
int remoting_frame_peek(const uint8_t *data, size_t avail, size_t max_frame, size_t *frame_len);

/*
 * Decodes one whole frame (prefix included) into cmd, which is reset first. The body is
 * borrowed from `frame`. Returns 0, or -EPROTO for a malformed frame or header.
 */
int remoting_frame_decode(const uint8_t *frame, size_t len, remoting_cmd_t *cmd);

/* Appends the whole frame (prefix, header, body). */
void remoting_frame_encode(const remoting_cmd_t *cmd, uint8_t serialize_type, rmq_buf_t *out);

/*
 * Appends prefix and header only, with the length counting body_len more bytes that the
 * caller sends itself (writev from a mapped file, without copying).
 */
void remoting_frame_encode_head(const remoting_cmd_t *cmd, uint8_t serialize_type, size_t body_len,
                                rmq_buf_t *out);

/* The header forms alone (used by the above, exposed for tests and fuzzing). */
void remoting_header_encode_json(const remoting_cmd_t *cmd, rmq_buf_t *out);
int remoting_header_decode_json(const char *text, size_t len, remoting_cmd_t *cmd);
void remoting_header_encode_binary(const remoting_cmd_t *cmd, rmq_buf_t *out);
int remoting_header_decode_binary(const uint8_t *data, size_t len, remoting_cmd_t *cmd);

#endif
