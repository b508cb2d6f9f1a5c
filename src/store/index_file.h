/*
 * IndexFile: the hash index from message keys to commit-log offsets (spec store.md 4),
 * files under index/ named by creation time (yyyyMMddHHmmssSSS, local time).
 *
 *   Header (40 bytes)         Slot (4 bytes)                   Entry (20 bytes)
 *   0  8 beginTimestamp       newest entry number in the       0  4 key hash
 *   8  8 endTimestamp         slot's chain, 0 = empty          4  8 physical offset
 *   16 8 beginPhyOffset                                        12 4 time diff (seconds from
 *   24 8 endPhyOffset         slots at 40 + 4*slot                  beginTimestamp)
 *   32 4 hashSlotCount        entries at 40 + 4*slots + 20*n   16 4 previous entry in chain
 *   36 4 indexCount (next entry number, starts at 1)
 *
 * Keys are "topic#UNIQ_KEY" and "topic#k" for every token of KEYS; hash = |Java hash|.
 * The service owns the list of files; one mutex serialises the dispatch thread's inserts
 * with lookups (lookups are rare admin/query calls).
 */
#ifndef STORE_INDEX_FILE_H
#define STORE_INDEX_FILE_H

#include "common/buf.h"
#include "store/checkpoint.h"
#include "store/fileops.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STORE_INDEX_HEADER 40
#define STORE_INDEX_ENTRY  20

typedef struct store_index_file store_index_file_t;

typedef struct {
    char *dir;
    const store_fileops_t *ops;
    int32_t slots;
    int32_t max_index;
    store_checkpoint_t *ck;
    pthread_mutex_t lock;
    store_index_file_t **files;
    size_t count, cap;
} store_index_t;

void store_index_init(store_index_t *ix, const store_fileops_t *ops, const char *dir, int32_t slots,
                      int32_t max_index, store_checkpoint_t *ck);
/* Loads index files; after an abnormal exit drops those newer than the checkpoint's
 * indexMsgTimestamp (they are rebuilt by re-dispatch). */
int store_index_load(store_index_t *ix, bool last_exit_ok);
/* Flushes and unmaps every file. */
void store_index_close(store_index_t *ix);
/*
 * Indexes one dispatched record: UNIQ_KEY and each KEYS token, prefixed "topic#". Skips
 * records below the newest file's endPhyOffset (already indexed). Dispatch thread.
 */
int store_index_put(store_index_t *ix, rmq_slice_t topic, rmq_slice_t uniq_key, rmq_slice_t keys,
                    int64_t phys_offset, int64_t store_ts);
/*
 * Up to max_num physical offsets of records whose key hashes like topic#key and whose
 * store time is in [begin, end], newest file first. Candidates are not compared by key:
 * the caller filters hash collisions. Returns the count written to offsets.
 */
size_t store_index_query(store_index_t *ix, rmq_slice_t topic, rmq_slice_t key, size_t max_num,
                         int64_t begin, int64_t end, int64_t *offsets);
/* Deletes files whose endPhyOffset is below min_phys, never the newest. */
int store_index_delete_expired(store_index_t *ix, int64_t min_phys);
/* Unmaps from the process (MADV_DONTNEED; the page cache keeps them) every page of the
 * full index files and the entries of the last one more than `window` bytes behind its
 * newest: look-ups fault them back in. Its hash slots stay (every insert touches them). */
void store_index_drop_resident(store_index_t *ix, int64_t window);
/* Deletes every file (the commit log was emptied). */
void store_index_destroy_all(store_index_t *ix);
/* endPhyOffset of the newest file (0 if none): where index rebuilding resumes. */
int64_t store_index_end_phys(store_index_t *ix);

#endif
