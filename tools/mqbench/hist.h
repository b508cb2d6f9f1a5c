/*
 * mqbench: an HDR-style latency histogram (log-linear buckets).
 *
 * Values are non-negative integers (mqbench records microseconds). Values below
 * 2^HIST_SUB_BITS each have their own bucket (exact); above, every power of two
 * [2^m, 2^(m+1)) is cut into 2^HIST_SUB_BITS buckets of equal width 2^(m - HIST_SUB_BITS).
 * A percentile is reported as the highest value of its bucket, clamped to the recorded
 * [min, max]: never below the true sample at that rank, and above it by at most a
 * factor (1 + 2^-HIST_SUB_BITS), i.e. 0.79% with 7 bits (HdrHistogram's "two
 * significant digits"). Min, max, count and sum are exact.
 *
 * Threads: one writer per histogram (a worker thread, or several under one lock), any
 * number of concurrent readers: every field is a relaxed atomic, so a reader
 * (hist_copy, the reporter thread) sees each bucket torn-free without a lock; counts read
 * while a writer runs may be from slightly different instants, which only matters to
 * interval reports (they come out right at the next one). Merging copies of per-thread
 * histograms (hist_merge) gives exactly the histogram of all their samples.
 */
#ifndef MQBENCH_HIST_H
#define MQBENCH_HIST_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS  7
#define HIST_SUB_COUNT (1u << HIST_SUB_BITS)
/* Exact buckets for [0, 2^S), then 2^S buckets for each m in [S, 63]. */
#define HIST_BUCKETS ((64 - HIST_SUB_BITS + 1) * HIST_SUB_COUNT)

typedef struct hist_s {
    _Atomic uint64_t count;
    _Atomic uint64_t sum;
    _Atomic uint64_t min; /* UINT64_MAX while empty */
    _Atomic uint64_t max;
    _Atomic uint64_t buckets[HIST_BUCKETS];
} hist_t;

/* Empties `h` (caller's storage). Not concurrently with a writer. */
void hist_init(hist_t *h);

/* Records one value. Single writer (see above). */
void hist_record(hist_t *h, uint64_t value);

/* dst = src, read with relaxed loads: safe while src's writer runs. dst must not be
 * shared. */
void hist_copy(hist_t *dst, const hist_t *src);

/* Adds every sample of src to dst (counts, sum, min, max). dst has one writer: the
 * caller. */
void hist_merge(hist_t *dst, const hist_t *src);

/*
 * dst = cur - prev for two copies of the same growing histogram taken at two instants
 * (the interval between them). Min and max of the difference are the lowest and highest
 * values of its non-empty buckets, clamped to cur's exact min and max. Buckets where
 * prev exceeds cur (it cannot, for copies of one histogram) count as empty.
 */
void hist_diff(hist_t *dst, const hist_t *cur, const hist_t *prev);

uint64_t hist_count(const hist_t *h);
/* 0 when empty. */
uint64_t hist_min(const hist_t *h);
uint64_t hist_max(const hist_t *h);
double hist_mean(const hist_t *h);

/*
 * The value at percentile `pct` (0..100): the smallest recorded value v such that at
 * least pct% of the samples are <= v, as the highest value of v's bucket clamped to
 * [min, max] (see the top of this file). 0 when empty.
 */
uint64_t hist_percentile(const hist_t *h, double pct);

/* Bucket arithmetic, exposed for the unit tests. */
size_t hist_bucket_of(uint64_t value);
uint64_t hist_bucket_low(size_t bucket);
uint64_t hist_bucket_high(size_t bucket);

#endif
