/* The checkpoint file; layout in checkpoint.h. */
#include "store/checkpoint.h"

#include "common/buf.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>

int store_checkpoint_open(store_checkpoint_t *ck, const store_fileops_t *ops, const char *path) {
    memset(ck, 0, sizeof *ck);
    ck->ops = ops;
    int fd = ops->open(ops, path, O_RDWR | O_CREAT, 0644);
    if (fd < 0)
        return fd;
    int64_t size = 0;
    int rc = ops->file_size(ops, fd, &size);
    if (rc == 0 && size != STORE_CHECKPOINT_SIZE)
        rc = ops->truncate(ops, fd, STORE_CHECKPOINT_SIZE);
    if (rc == 0)
        ck->base = ops->mmap(ops, fd, STORE_CHECKPOINT_SIZE, &rc);
    if (!ck->base) {
        ops->close(ops, fd);
        return rc;
    }
    ck->fd = fd;
    return 0;
}

void store_checkpoint_close(store_checkpoint_t *ck) {
    if (!ck->base)
        return;
    store_checkpoint_flush(ck);
    ck->ops->munmap(ck->ops, ck->base, STORE_CHECKPOINT_SIZE);
    ck->ops->close(ck->ops, ck->fd);
    ck->base = NULL;
}

/* Each field is one aligned 8-byte word in the mapping; publish it with one store so a
 * concurrent flush never writes half of it. */
int64_t store_checkpoint_get(const store_checkpoint_t *ck, store_ckpt_field_t f) {
    uint64_t raw = atomic_load((_Atomic uint64_t *)(void *)(ck->base + f));
    char b[8];
    memcpy(b, &raw, 8);
    return (int64_t)rmq_get_u64be(b);
}

void store_checkpoint_set(store_checkpoint_t *ck, store_ckpt_field_t f, int64_t v) {
    char b[8];
    rmq_put_u64be(b, (uint64_t)v);
    uint64_t raw;
    memcpy(&raw, b, 8);
    atomic_store((_Atomic uint64_t *)(void *)(ck->base + f), raw);
}

int store_checkpoint_flush(store_checkpoint_t *ck) {
    return ck->ops->msync(ck->ops, ck->base, STORE_CHECKPOINT_SIZE);
}

int64_t store_checkpoint_min_ts(const store_checkpoint_t *ck) {
    int64_t a = store_checkpoint_get(ck, STORE_CKPT_PHYSIC_TS);
    int64_t b = store_checkpoint_get(ck, STORE_CKPT_LOGICS_TS);
    int64_t m = (a < b ? a : b) - 3000;
    return m < 0 ? 0 : m;
}
