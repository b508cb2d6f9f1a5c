/*
 * The `checkpoint` file (spec store.md 5.1): 4096 bytes, memory-mapped.
 *
 *   off size field
 *   0   8    physicMsgTimestamp  store time of the last flushed commit-log record
 *   8   8    logicsMsgTimestamp  store time of the last record in the consume queues
 *   16  8    indexMsgTimestamp   end time of the last index file that was forced
 *   24  8    masterFlushedOffset
 *   32  8    confirmPhyOffset
 *   40..4095 zero
 *
 * Fields are written with atomic stores into the mapping by whichever thread owns the
 * value; store_checkpoint_flush() runs on the housekeeping thread and at close.
 */
#ifndef STORE_CHECKPOINT_H
#define STORE_CHECKPOINT_H

#include "store/fileops.h"

#include <stdint.h>

#define STORE_CHECKPOINT_SIZE 4096

typedef struct {
    const store_fileops_t *ops;
    int fd;
    char *base;
} store_checkpoint_t;

typedef enum {
    STORE_CKPT_PHYSIC_TS = 0,
    STORE_CKPT_LOGICS_TS = 8,
    STORE_CKPT_INDEX_TS = 16,
    STORE_CKPT_MASTER_FLUSHED = 24,
    STORE_CKPT_CONFIRM_OFFSET = 32,
} store_ckpt_field_t;

int store_checkpoint_open(store_checkpoint_t *ck, const store_fileops_t *ops, const char *path);
void store_checkpoint_close(store_checkpoint_t *ck);
int64_t store_checkpoint_get(const store_checkpoint_t *ck, store_ckpt_field_t f);
void store_checkpoint_set(store_checkpoint_t *ck, store_ckpt_field_t f, int64_t v);
int store_checkpoint_flush(store_checkpoint_t *ck);
/* min(physic, logics) - 3000 ms, floored at 0: where abnormal recovery starts. */
int64_t store_checkpoint_min_ts(const store_checkpoint_t *ck);

#endif
