/*
 * Checksums and hashes that RocketMQ puts on the wire and on disk.
 *
 * rmq_crc32_masked: zlib CRC-32 with the top bit cleared (upstream UtilAll.crc32), used
 * for REGISTER_BROKER bodyCrc32 and message body CRCs. rmq_java_string_hash: Java's
 * String.hashCode over the UTF-16 code units of a UTF-8 string (tag hash codes, queue
 * selection), 32-bit wrap-around.
 */
#ifndef RMQ_COMMON_CHECKSUM_H
#define RMQ_COMMON_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

uint32_t rmq_crc32(const void *data, size_t len);
int32_t rmq_crc32_masked(const void *data, size_t len);
int32_t rmq_java_string_hash(const char *utf8, size_t len);

#endif
