/*
 * Decoding of stored message records as a client receives them in PULL_MESSAGE bodies
 * and lookups (spec store.md 2.1, remoting.md 6): the records back to back, each laid
 * out as the CommitLog stores it (TOTALSIZE, MAGICCODE v1/v2, BODYCRC, QUEUEID, FLAG,
 * QUEUEOFFSET, PHYSICALOFFSET, SYSFLAG, BORNTIMESTAMP, BORNHOST, STORETIMESTAMP,
 * STOREHOST, RECONSUMETIMES, PREPARED TRANSACTION OFFSET, body, topic, properties).
 *
 * The client side of the codec: the store decodes its own segments (store/record.c, a
 * lower layer a client may not link); this one never checks the body CRC (Java's
 * MessageDecoder does not) and slices borrow the input.
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

typedef struct {
    uint8_t addr[16];
    size_t addr_len; /* 4 or 16 */
    int32_t port;
} proto_msg_host_t;

typedef struct {
    int32_t total_size, body_crc, queue_id, flag, sys_flag, reconsume_times;
    int64_t queue_offset, phys_offset, born_ts, store_ts, prepared_tx_offset;
    proto_msg_host_t born_host, store_host;
    rmq_slice_t body, topic, props;
} proto_msg_record_t;

/* Takes the next record off *rest: 1 when one was decoded, 0 at the end, -EBADMSG when
 * the bytes are not a whole valid record (*rest is then unchanged). */
int proto_msg_record_next(rmq_slice_t *rest, proto_msg_record_t *m);

/* "a.b.c.d:port" or "[v6]:port" into out (64 bytes is enough). */
void proto_msg_host_format(const proto_msg_host_t *h, char *out, size_t outlen);

#endif
