/*
 * Decoding of stored message records as a client receives them in PULL_MESSAGE bodies
 * and lookups (spec store.md 2.1, remoting.md 6): the records back to back, each laid
 * out as the CommitLog stores it (TOTALSIZE, MAGICCODE v1/v2, BODYCRC, QUEUEID, FLAG,
 * QUEUEOFFSET, PHYSICALOFFSET, SYSFLAG, BORNTIMESTAMP, BORNHOST, STORETIMESTAMP,
 * STOREHOST, RECONSUMETIMES, PREPARED TRANSACTION OFFSET, body, topic, properties).
 *
 * One decoder for both sides: clients take records off PULL_MESSAGE bodies with
 * proto_msg_record_next; the store's store_record_decode (store/record.c) wraps
 * proto_msg_record_decode with the end-of-segment blank and the body CRC check. This one
 * never checks the body CRC (Java's MessageDecoder does not) and slices borrow the input.
 */
#ifndef RMQ_PROTOCOL_MSG_RECORD_H
#define RMQ_PROTOCOL_MSG_RECORD_H

#include "common/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_MSG_MAGIC_V1 0xDAA320A7u
#define PROTO_MSG_MAGIC_V2 0xDAA320ABu

/* MessageSysFlag bits. */
#define PROTO_MSG_SYSFLAG_COMPRESSED       0x1
#define PROTO_MSG_SYSFLAG_BORNHOST_V6      0x10
#define PROTO_MSG_SYSFLAG_STOREHOST_V6     0x20
#define PROTO_MSG_SYSFLAG_INNER_BATCH      0x80
#define PROTO_MSG_SYSFLAG_COMPRESSION_MASK 0x700 /* 0x100 LZ4, 0x200 ZSTD, 0x300 ZLIB */

/* A socket address as records hold it: 4 (is_v6 false) or 16 address bytes (zero-padded
 * to 16) and an int port. The store's store_host_t is this type. */
typedef struct {
    uint8_t addr[16];
    int32_t port;
    bool is_v6;
} proto_msg_host_t;

/* A decoded record; slices borrow the decoded bytes. The store's store_record_t is this
 * type (the store decodes with this decoder, without a copy). */
typedef struct {
    int32_t total_size;
    uint32_t magic; /* PROTO_MSG_MAGIC_V1 or _V2 (or the store's blank magic) */
    int32_t body_crc, queue_id, flag;
    int64_t queue_offset, phys_offset;
    int32_t sys_flag;
    int64_t born_ts;
    proto_msg_host_t born_host;
    int64_t store_ts;
    proto_msg_host_t store_host;
    int32_t reconsume_times;
    int64_t prepared_tx_offset;
    rmq_slice_t body, topic, props;
} proto_msg_record_t;

/* Decodes the record at p (avail readable bytes; more records may follow): 0, or
 * -EBADMSG when the bytes do not start with a whole valid v1/v2 record (too short, other
 * magic, length fields disagreeing with TOTALSIZE; a v1 topic length is a signed byte, as
 * Java reads it, so at most 127). Host addresses are zero-padded to 16 bytes. */
int proto_msg_record_decode(const char *p, size_t avail, proto_msg_record_t *m);

/* Takes the next record off *rest: 1 when one was decoded, 0 at the end, -EBADMSG when
 * the bytes are not a whole valid record (*rest is then unchanged). */
int proto_msg_record_next(rmq_slice_t *rest, proto_msg_record_t *m);

/* "a.b.c.d:port" or "[v6]:port" into out (64 bytes is enough). */
void proto_msg_host_format(const proto_msg_host_t *h, char *out, size_t outlen);

#endif
