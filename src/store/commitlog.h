/*
 * CommitLog: the append-only log of message records (spec store.md 2) in segment files
 * under commitlog/. This file owns the append critical section and reads by physical
 * offset; recovery (recovery.c), flushing (flush.c) and dispatch (dispatch.c) use it.
 *
 * Append path (runs on the caller's thread, typically an I/O loop):
 *   outside the lock: size the record, CRC the body, validate a batch;
 *   under put_lock:   pick/roll the segment (end-of-file blank), assign queue offsets from
 *                     the next-offset table, stamp STORETIMESTAMP, encode the record
 *                     straight into the mapping (the only copy of the body), publish
 *                     the segment's write position.
 * Nothing allocates in steady state: the next-offset table allocates once per new queue.
 */
#ifndef STORE_COMMITLOG_H
#define STORE_COMMITLOG_H

#include "common/map.h"
#include "store/mapped_file_queue.h"
#include "store/record.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

typedef struct {
    int64_t phys_offset;  /* first record */
    int32_t wrote_bytes;  /* all records of the call */
    int64_t queue_offset; /* first record's queue offset */
    int32_t msg_num;
    int64_t store_ts;
} store_append_result_t;

typedef struct {
    store_mfq_t mfq;
    pthread_mutex_t put_lock;
    store_mf_t *cur;               /* the segment being written (the queue's reference) */
    rmq_map_t next_offsets;        /* "topic-queueId" -> int64_t next queue offset */
    _Atomic int64_t lock_since_ms; /* monotonic time put_lock was taken, 0 when free */
    _Atomic int64_t last_store_ts;
    int32_t max_record; /* largest record accepted */
} store_commitlog_t;

void store_commitlog_init(store_commitlog_t *cl, const store_fileops_t *ops, const char *dir,
                          int64_t file_size, int32_t max_record);
void store_commitlog_close(store_commitlog_t *cl);
/*
 * Appends one record. Returns 0, -EINVAL (bad topic), -EMSGSIZE (record too large) or the
 * segment-creation error (-ENOSPC...). Locks: put_lock.
 */
int store_commitlog_append(store_commitlog_t *cl, const store_msg_t *m, store_append_result_t *res);
/*
 * Appends every inner message of a client batch body (spec 2.7) as its own record, all in
 * one segment with consecutive queue offsets and one store time. `hdr` supplies topic,
 * queue, sysflag, born time/host, store host, reconsume times and batch-level properties
 * (appended to each inner message's). Returns -EBADMSG for a malformed batch body.
 */
int store_commitlog_append_batch(store_commitlog_t *cl, const store_msg_t *hdr, rmq_slice_t batch,
                                 store_append_result_t *res);
/* Bytes [offset, offset+len) as a retained segment and pointer, if fully written. */
int store_commitlog_ref(store_commitlog_t *cl, int64_t offset, int32_t len, store_mf_t **mf,
                        const char **ptr);
/* Decodes the record at offset (retaining its segment in *mf). */
int store_commitlog_read(store_commitlog_t *cl, int64_t offset, bool check_crc, store_record_t *r,
                         store_mf_t **mf);
/* Store time of the record at offset, or -1. */
int64_t store_commitlog_store_ts(store_commitlog_t *cl, int64_t offset, int32_t size);
int64_t store_commitlog_min_offset(store_commitlog_t *cl);
int64_t store_commitlog_max_offset(store_commitlog_t *cl);
/* The offset after the segment holding offset (where a blank sends readers). */
int64_t store_commitlog_roll(store_commitlog_t *cl, int64_t offset);
/* Next-offset table: set (recovery) and read. */
void store_commitlog_set_next_offset(store_commitlog_t *cl, rmq_slice_t topic, int32_t qid,
                                     int64_t next);
int64_t store_commitlog_next_offset(store_commitlog_t *cl, rmq_slice_t topic, int32_t qid);
/* After recovery: the segment that writes continue in. */
void store_commitlog_reset_writer(store_commitlog_t *cl);
/* Milliseconds put_lock has been held (0 when free): the "page cache busy" signal. */
int64_t store_commitlog_lock_held_ms(store_commitlog_t *cl);

#endif
