/*
 * ConsumeQueue: the per topic/queue index of commit-log records (spec store.md 3).
 *
 * Entry i (20 bytes) lives at byte i*20 of the concatenated segment files under
 * consumequeue/<topic>/<queueId>/:
 *
 *   off size field
 *   0   8    commit-log physical offset of the record
 *   8   4    record size (TOTALSIZE)
 *   12  8    tag code (Java hash of TAGS, delivery time for SCHEDULE_TOPIC_XXXX, 0 if none)
 *
 * Files are pre-zeroed, so an all-zero entry ends the written data. A queue whose first
 * entry has queue offset q > 0 starts with filler entries {0, 0x7FFFFFFF, 0}.
 *
 * Threads: entries are appended only by the dispatch thread (and by recovery before the
 * store opens); readers on any thread see an entry once the segment's `wrote` covers it.
 */
#ifndef STORE_CONSUME_QUEUE_H
#define STORE_CONSUME_QUEUE_H

#include "store/mapped_file_queue.h"

#include <stdint.h>

#define STORE_CQ_UNIT        20
#define STORE_CQ_FILLER_SIZE 0x7FFFFFFF

typedef struct {
    int64_t phys_offset;
    int32_t size;
    int64_t tag_code;
} store_cq_entry_t;

typedef struct store_cq {
    char *topic;
    int32_t queue_id;
    store_mfq_t mfq;
    _Atomic int64_t max_phys;  /* end of the last record this queue indexes */
    _Atomic int64_t min_logic; /* byte offset of the first live entry */
    _Atomic int32_t refs;      /* owned by cq_table.c (see its lifetime rule) */
} store_cq_t;

/* A consume queue rooted at <cq_root>/<topic>/<queue_id>. Loads nothing yet. */
store_cq_t *store_cq_new(const store_fileops_t *ops, const char *cq_root, const char *topic,
                         int32_t queue_id, int64_t file_size);
void store_cq_destroy(store_cq_t *cq);
int store_cq_load(store_cq_t *cq);
/* Finds the end of valid entries (spec 5.3) and truncates there. */
void store_cq_recover(store_cq_t *cq);
/* Appends the entry for queue offset `queue_offset` (idempotent for already indexed
 * records). Dispatch thread only. */
int store_cq_put(store_cq_t *cq, int64_t phys_offset, int32_t size, int64_t tag_code,
                 int64_t queue_offset);
/*
 * Reads entry `index`. *cache carries a retained segment between calls so a scan does
 * not look up the segment list per entry; release it with store_mf_release(*cache).
 * Returns 0, or -ENOENT when the entry is not (or no longer) there.
 */
int store_cq_read(store_cq_t *cq, int64_t index, store_cq_entry_t *e, store_mf_t **cache);
/* Next queue offset to be written. */
int64_t store_cq_max_offset(store_cq_t *cq);
/* First live queue offset. */
int64_t store_cq_min_offset(store_cq_t *cq);
/* Cuts entries pointing at or beyond phys_offset (after commit-log recovery). */
void store_cq_truncate(store_cq_t *cq, int64_t phys_offset);
/* Moves the min offset to the first entry pointing at or beyond min_phys. */
void store_cq_correct_min(store_cq_t *cq, int64_t min_phys);
/* Deletes leading files whose entries all point below min_phys (never the last one).
 * Returns the number deleted. */
int store_cq_delete_expired(store_cq_t *cq, int64_t min_phys);
int store_cq_flush(store_cq_t *cq, int least_pages);
/* Deletes all files of this queue (the commit log was emptied). */
void store_cq_destroy_files(store_cq_t *cq);

#endif
