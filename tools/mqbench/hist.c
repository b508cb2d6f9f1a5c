/*
 * mqbench: the log-linear latency histogram (see hist.h for the bucket layout, the error
 * bound and the threading rules). Recording is a handful of relaxed loads and stores on
 * the writer's own histogram: no lock, no read-modify-write instruction.
 */
#include "hist.h"

#include <string.h>

#define LOAD(x)     atomic_load_explicit(&(x), memory_order_relaxed)
#define STORE(x, v) atomic_store_explicit(&(x), (v), memory_order_relaxed)

void hist_init(hist_t *h) {
    for (size_t i = 0; i < HIST_BUCKETS; i++)
        STORE(h->buckets[i], 0);
    STORE(h->count, 0);
    STORE(h->sum, 0);
    STORE(h->min, UINT64_MAX);
    STORE(h->max, 0);
}

size_t hist_bucket_of(uint64_t value) {
    if (value < HIST_SUB_COUNT)
        return (size_t)value;
    unsigned msb = 63u - (unsigned)__builtin_clzll(value);
    unsigned k = msb - HIST_SUB_BITS;
    size_t sub = (size_t)(value >> k) - HIST_SUB_COUNT;
    return (size_t)(k + 1) * HIST_SUB_COUNT + sub;
}

uint64_t hist_bucket_low(size_t bucket) {
    if (bucket < HIST_SUB_COUNT)
        return bucket;
    unsigned k = (unsigned)(bucket / HIST_SUB_COUNT) - 1;
    uint64_t sub = bucket % HIST_SUB_COUNT;
    return (HIST_SUB_COUNT + sub) << k;
}

uint64_t hist_bucket_high(size_t bucket) {
    if (bucket < HIST_SUB_COUNT)
        return bucket;
    unsigned k = (unsigned)(bucket / HIST_SUB_COUNT) - 1;
    return hist_bucket_low(bucket) + ((UINT64_C(1) << k) - 1);
}

/* Single writer: plain load + store of each field is enough (readers tolerate a stale
 * value; no other thread writes). */
void hist_record(hist_t *h, uint64_t value) {
    size_t b = hist_bucket_of(value);
    STORE(h->buckets[b], LOAD(h->buckets[b]) + 1);
    STORE(h->sum, LOAD(h->sum) + value);
    if (value < LOAD(h->min))
        STORE(h->min, value);
    if (value > LOAD(h->max))
        STORE(h->max, value);
    /* Count last, so a reader rarely sees a count above the bucket total. */
    STORE(h->count, LOAD(h->count) + 1);
}

void hist_copy(hist_t *dst, const hist_t *src) {
    STORE(dst->count, LOAD(src->count));
    STORE(dst->sum, LOAD(src->sum));
    STORE(dst->min, LOAD(src->min));
    STORE(dst->max, LOAD(src->max));
    for (size_t i = 0; i < HIST_BUCKETS; i++)
        STORE(dst->buckets[i], LOAD(src->buckets[i]));
}

void hist_merge(hist_t *dst, const hist_t *src) {
    for (size_t i = 0; i < HIST_BUCKETS; i++) {
        uint64_t n = LOAD(src->buckets[i]);
        if (n)
            STORE(dst->buckets[i], LOAD(dst->buckets[i]) + n);
    }
    STORE(dst->count, LOAD(dst->count) + LOAD(src->count));
    STORE(dst->sum, LOAD(dst->sum) + LOAD(src->sum));
    if (LOAD(src->min) < LOAD(dst->min))
        STORE(dst->min, LOAD(src->min));
    if (LOAD(src->max) > LOAD(dst->max))
        STORE(dst->max, LOAD(src->max));
}

void hist_diff(hist_t *dst, const hist_t *cur, const hist_t *prev) {
    uint64_t total = 0;
    size_t lo = HIST_BUCKETS, hi = 0;
    for (size_t i = 0; i < HIST_BUCKETS; i++) {
        uint64_t c = LOAD(cur->buckets[i]), p = LOAD(prev->buckets[i]);
        uint64_t n = c > p ? c - p : 0;
        STORE(dst->buckets[i], n);
        if (n) {
            total += n;
            if (lo == HIST_BUCKETS)
                lo = i;
            hi = i;
        }
    }
    /* The count is the bucket total, so percentiles always find their rank. */
    STORE(dst->count, total);
    uint64_t cs = LOAD(cur->sum), ps = LOAD(prev->sum);
    STORE(dst->sum, cs > ps ? cs - ps : 0);
    if (!total) {
        STORE(dst->min, UINT64_MAX);
        STORE(dst->max, 0);
        return;
    }
    uint64_t mn = hist_bucket_low(lo), mx = hist_bucket_high(hi);
    uint64_t cmin = LOAD(cur->min), cmax = LOAD(cur->max);
    STORE(dst->min, mn < cmin ? cmin : mn);
    STORE(dst->max, mx > cmax ? cmax : mx);
}

uint64_t hist_count(const hist_t *h) {
    return LOAD(h->count);
}

uint64_t hist_min(const hist_t *h) {
    return LOAD(h->count) ? LOAD(h->min) : 0;
}

uint64_t hist_max(const hist_t *h) {
    return LOAD(h->max);
}

double hist_mean(const hist_t *h) {
    uint64_t n = LOAD(h->count);
    return n ? (double)LOAD(h->sum) / (double)n : 0.0;
}

uint64_t hist_percentile(const hist_t *h, double pct) {
    uint64_t n = LOAD(h->count);
    if (!n)
        return 0;
    if (pct < 0)
        pct = 0;
    if (pct > 100)
        pct = 100;
    /* Rank of the sample: ceil(pct% of n), at least the first. */
    double exact = pct * (double)n / 100.0;
    uint64_t rank = (uint64_t)exact;
    /* 99.9 is not exact in binary: ignore excesses of rounding size before rounding up. */
    if ((double)rank < exact - 1e-9 * exact)
        rank++;
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    uint64_t seen = 0, mn = LOAD(h->min), mx = LOAD(h->max);
    for (size_t i = 0; i < HIST_BUCKETS; i++) {
        seen += LOAD(h->buckets[i]);
        if (seen >= rank) {
            uint64_t v = hist_bucket_high(i);
            if (v > mx)
                v = mx;
            if (v < mn)
                v = mn;
            return v;
        }
    }
    /* A copy taken mid-write can have count ahead of its buckets. */
    return mx;
}
