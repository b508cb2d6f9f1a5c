/*
 * CommitLog message records: encoding on the append path and decoding for recovery,
 * dispatch and reads. Byte-compatible with Apache RocketMQ (spec store.md 2.1).
 *
 * Record layout (big-endian; B/S = 8 for IPv4, 20 for IPv6 hosts; T = 1 (v1) or 2 (v2)):
 *
 *   off          size  field
 *   0            4     TOTALSIZE (whole record)
 *   4            4     MAGICCODE  0xDAA320A7 v1 | 0xDAA320AB v2 | 0xCBD43194 end-of-file blank
 *   8            4     BODYCRC    masked CRC32 of the body
 *   12           4     QUEUEID
 *   16           4     FLAG
 *   20           8     QUEUEOFFSET
 *   28           8     PHYSICALOFFSET (of this record's first byte)
 *   36           4     SYSFLAG    (0x10 born host v6, 0x20 store host v6, 0xC transaction type)
 *   40           8     BORNTIMESTAMP
 *   48           B     BORNHOST   4 or 16 address bytes + int port
 *   48+B         8     STORETIMESTAMP
 *   56+B         S     STOREHOST
 *   56+B+S       4     RECONSUMETIMES
 *   60+B+S       8     PREPARED TRANSACTION OFFSET
 *   68+B+S       4     BODY length BL, then BL bytes
 *   72+B+S+BL    T     TOPIC length TL, then TL bytes (UTF-8)
 *   ...          2     PROPERTIES length PL (signed short), then PL bytes
 *
 *   TOTALSIZE = 74 + B + S + T + BL + TL + PL
 *
 * End of segment: when a record does not fit with 8 bytes to spare, the writer puts
 * {int remaining, int 0xCBD43194} and continues in the next segment.
 */
#ifndef STORE_RECORD_H
#define STORE_RECORD_H

#include "common/buf.h"
#include "protocol/msg_record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_MAGIC_V1    0xDAA320A7u
#define STORE_MAGIC_V2    0xDAA320ABu
#define STORE_MAGIC_BLANK 0xCBD43194u
#define STORE_BLANK_MIN   8

/* SYSFLAG bits (spec 2.2). */
#define STORE_SYSFLAG_COMPRESSED   0x1
#define STORE_SYSFLAG_MULTI_TAGS   0x2
#define STORE_SYSFLAG_TX_MASK      0xC
#define STORE_SYSFLAG_TX_NOT_TYPE  0x0
#define STORE_SYSFLAG_TX_PREPARED  0x4
#define STORE_SYSFLAG_TX_COMMIT    0x8
#define STORE_SYSFLAG_TX_ROLLBACK  0xC
#define STORE_SYSFLAG_BORNHOST_V6  0x10
#define STORE_SYSFLAG_STOREHOST_V6 0x20
#define STORE_SYSFLAG_NEED_UNWRAP  0x40
#define STORE_SYSFLAG_INNER_BATCH  0x80

/* Field offsets that do not depend on host sizes. */
#define STORE_REC_OFF_TOTAL       0
#define STORE_REC_OFF_MAGIC       4
#define STORE_REC_OFF_BODYCRC     8
#define STORE_REC_OFF_QUEUEID     12
#define STORE_REC_OFF_FLAG        16
#define STORE_REC_OFF_QUEUEOFFSET 20
#define STORE_REC_OFF_PHYSOFFSET  28
#define STORE_REC_OFF_SYSFLAG     36
#define STORE_REC_OFF_BORNTS      40
#define STORE_REC_OFF_BORNHOST    48

#define STORE_MAX_TOPIC_LEN 32767
#define STORE_MAX_PROPS_LEN 32767

/* A socket address as RocketMQ stores it: 4 or 16 address bytes and an int port
 * (protocol's type: the record decoder is protocol's). */
typedef proto_msg_host_t store_host_t;

/* A message to append: every field is borrowed from the caller for the call's duration. */
typedef struct {
    rmq_slice_t topic;
    int32_t queue_id;
    int32_t flag;
    rmq_slice_t body;
    rmq_slice_t props; /* encoded "name\1value\2..." string */
    int32_t sys_flag;  /* host v6 bits are derived from the hosts */
    int64_t born_ts;
    store_host_t born_host;
    store_host_t store_host;
    int32_t reconsume_times;
    int64_t prepared_tx_offset;
} store_msg_t;

/* A decoded record; slices point into the decoded bytes (protocol's type, filled by
 * proto_msg_record_decode). */
typedef proto_msg_record_t store_record_t;

/* store_record_decode result for an end-of-segment blank (total_size = bytes to skip). */
#define STORE_RECORD_BLANK 1

/* IPv4 host from a dotted quad in network order bytes a.b.c.d and a port. */
store_host_t store_host_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, int32_t port);
/* Parses "1.2.3.4:10911" or "[::1]:10911"; returns 0 or -EINVAL. */
int store_host_parse(const char *text, store_host_t *out);

/*
 * Size of m's record and the magic to use (v2 when the topic is longer than 127 bytes).
 * Returns 0, or -EINVAL (topic empty or too long) / -EMSGSIZE (properties too long).
 */
int store_record_size(const store_msg_t *m, size_t *size, uint32_t *magic);
/*
 * Writes m's record of `size` bytes (from store_record_size) to dst. The caller supplies
 * the fields the append lock decides: queue offset, physical offset, store time.
 */
void store_record_encode(char *dst, size_t size, uint32_t magic, const store_msg_t *m,
                         int32_t body_crc, int64_t queue_offset, int64_t phys_offset,
                         int64_t store_ts);
/*
 * Decodes the record at p with `avail` readable bytes. Returns 0, STORE_RECORD_BLANK, or
 * -EBADMSG when the bytes are not a complete valid record (spec 5.6: too short, unknown
 * magic, length fields disagreeing with TOTALSIZE, body CRC mismatch when check_crc).
 */
int store_record_decode(const char *p, size_t avail, bool check_crc, store_record_t *r);

/* The "offset message id": store host + port + physical offset, upper-case hex (32 chars
 * for IPv4, 56 for IPv6). out must hold 57 bytes. Returns the length. */
size_t store_msg_id(const store_host_t *store_host, int64_t phys_offset, char *out);

/* Properties string access (spec 2.3): tolerant of a missing final 0x02, skips pairs
 * without 0x01 or with an empty name or value. store_props_get returns the last value of
 * a repeated name, as Java's string2messageProperties (batch records repeat UNIQ_KEY). */
bool store_props_get(rmq_slice_t props, const char *name, rmq_slice_t *value);
typedef void (*store_props_cb)(void *arg, rmq_slice_t name, rmq_slice_t value);
void store_props_foreach(rmq_slice_t props, store_props_cb cb, void *arg);

#endif
