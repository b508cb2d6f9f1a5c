/*
 * One memory-mapped segment file of a log (commit log, consume queue): the unit of
 * allocation, flushing and deletion.
 *
 * A segment is pre-allocated to its full size and named by the offset of its first byte
 * as 20 decimal digits (spec store.md 1.2). `wrote` is the number of bytes whose content
 * is complete: the single writer stores the bytes first, then publishes the new position
 * with a release store, so a reader that acquires `wrote` sees whole records. `flushed`
 * is how much is known to be on disk.
 *
 * Lifetime: reference counted. The owning queue holds one reference; every reader that
 * sends bytes out of the mapping (a pull, dispatch, replication) holds another for as
 * long as it uses the pointer. store_mf_delete() unlinks the file at once and the mapping
 * goes away with the last reference, so an in-flight pull never faults.
 */
#ifndef STORE_MAPPED_FILE_H
#define STORE_MAPPED_FILE_H

#include "store/fileops.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define STORE_OS_PAGE 4096
/* store_mf_warm() faults this much per system call. */
#define STORE_WARM_STEP (256 * 1024)

typedef struct store_mf {
    char *path;
    int64_t from; /* offset of the first byte within the log */
    int64_t size;
    int fd;
    char *base;
    const store_fileops_t *ops;
    _Atomic int64_t wrote;
    _Atomic int64_t flushed;
    _Atomic int64_t last_store_ts; /* commit log: store time of the newest record */
    _Atomic int64_t warm_to;       /* pages below this are faulted in writable */
    _Atomic int refs;
    _Atomic bool deleted;
} store_mf_t;

/* Writes the 20-digit name of `offset` into buf (21 bytes). */
void store_mf_name(int64_t offset, char buf[21]);
/*
 * Opens dir/<20-digit from>: with `create`, creates and pre-allocates it (an existing file
 * is reused when it already has `size` bytes). Returns one reference in *out.
 */
int store_mf_open(const store_fileops_t *ops, const char *dir, int64_t from, int64_t size,
                  bool create, store_mf_t **out);
void store_mf_retain(store_mf_t *mf);
void store_mf_release(store_mf_t *mf);
/* Unlinks the file and drops the caller's reference; the mapping lives on while others
 * hold references. */
void store_mf_delete(store_mf_t *mf);
/*
 * Forces [flushed, wrote) to disk if at least `least_pages` 4 KiB pages are dirty (0: any
 * byte; a full file always qualifies). With align > 0 (and the file not full) `wrote` is
 * first rounded down to a multiple of align: only whole blocks behind the writer are
 * forced. Returns 0 or -errno. Runs on: a flush thread.
 */
int store_mf_flush(store_mf_t *mf, int least_pages, int64_t align);
/* How the page cache of a segment being appended to is built (store_mf_advise). */
typedef enum {
    STORE_PAGES_NORMAL, /* the kernel's default: readahead decides (done appending) */
    /* Single 4 KiB pages (MADV_RANDOM: no readahead, faults allocate order-0 folios).
     * Dirtiness is tracked per folio, and with large folios every sync of a few KiB
     * writes the whole folio back, 16 times the bytes for a 64 KiB group commit. */
    STORE_PAGES_SMALL,
    /* One 2 MiB folio per fault (MADV_RANDOM + MADV_HUGEPAGE): without MADV_RANDOM a
     * fault on a hole reads around read_ahead_kb (8 MiB on virtio disks) and zeroes it all
     * in one non-preemptible step; 4 KiB pages cost ~40% of the throughput at saturation
     * in per-page work. Without file THP the kernel falls back to 4 KiB pages. */
    STORE_PAGES_PMD,
} store_pages_t;
/* Tells the kernel how the mapping is used (see store_pages_t). Best effort. */
void store_mf_advise(store_mf_t *mf, store_pages_t pages);
/*
 * Faults [from, to) of the mapping in writable (page-rounded; MADV_POPULATE_WRITE),
 * without changing a byte, so a writer storing there later takes no page fault. Safe
 * while the writer stores into the same pages. Advances warm_to. Returns 0, or -EINVAL
 * when the kernel cannot do it (before Linux 5.14).
 */
int store_mf_warm(store_mf_t *mf, int64_t from, int64_t to);
/* Modification time of the file in ms (0 if unknown). */
int64_t store_mf_mtime_ms(const store_mf_t *mf);
/* Zeroes [pos, size) of the mapping, stopping early after 1 MiB of bytes that were
 * already zero (pre-allocated tails are zero; only recently written pages are not). */
void store_mf_zero_tail(store_mf_t *mf, int64_t pos);

static inline int64_t store_mf_wrote(store_mf_t *mf) {
    return atomic_load_explicit(&mf->wrote, memory_order_acquire);
}

static inline bool store_mf_is_full(store_mf_t *mf) {
    return store_mf_wrote(mf) >= mf->size;
}

#endif
