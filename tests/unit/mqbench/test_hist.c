/*
 * tools/mqbench/hist.c: bucket layout and its error bound, percentiles on known
 * distributions, merge and interval difference.
 */
#include "hist.h"
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

static hist_t *new_hist(void) {
    hist_t *h = malloc(sizeof *h);
    CHECK(h != NULL);
    hist_init(h);
    return h;
}

/* A value's bucket contains it; adjacent buckets tile the number line without gaps; a
 * bucket's width is at most 2^-SUB_BITS of its low end (the error bound). */
static void test_buckets_tile_and_bound_error(void) {
    CHECK_EQ(hist_bucket_of(0), 0);
    CHECK_EQ(hist_bucket_of(HIST_SUB_COUNT - 1), HIST_SUB_COUNT - 1);
    CHECK_EQ(hist_bucket_of(UINT64_MAX), HIST_BUCKETS - 1);
    CHECK(hist_bucket_high(HIST_BUCKETS - 1) == UINT64_MAX);
    for (size_t b = 0; b + 1 < HIST_BUCKETS; b++) {
        CHECK(hist_bucket_high(b) + 1 == hist_bucket_low(b + 1));
        uint64_t lo = hist_bucket_low(b), width = hist_bucket_high(b) - lo + 1;
        if (b < HIST_SUB_COUNT)
            CHECK_EQ(width, 1);
        else
            CHECK(width * HIST_SUB_COUNT <= lo);
    }
    /* Values spread over every magnitude land in their own bucket. */
    uint64_t v = 1;
    for (int i = 0; i < 20000; i++) {
        size_t b = hist_bucket_of(v);
        CHECK(hist_bucket_low(b) <= v && v <= hist_bucket_high(b));
        v = v + v / 7 + (uint64_t)i % 13 + 1;
        if (v > UINT64_MAX / 2)
            v = (uint64_t)i;
    }
}

/* A single value reads back exactly (clamped to min/max); any value's percentile is
 * within the relative bound above it, never below. */
static void test_single_values_within_bound(void) {
    hist_t *h = new_hist();
    uint64_t vals[] = {0, 1, 127, 128, 129, 1000, 123456, 999999937, UINT64_C(1) << 40};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        hist_init(h);
        hist_record(h, vals[i]);
        CHECK_EQ(hist_percentile(h, 50), vals[i]);
        CHECK_EQ(hist_min(h), vals[i]);
        CHECK_EQ(hist_max(h), vals[i]);
    }
    /* Two values in one bucket: p50 is the lower one's bucket high, clamped to max. */
    hist_init(h);
    hist_record(h, 1000000);
    hist_record(h, 1000001);
    uint64_t p = hist_percentile(h, 50);
    CHECK(p >= 1000000 && p <= 1000001);
    /* With the max far above, p50 of {x, max} is x's bucket high: x <= p <= x(1 + 2^-S). */
    for (uint64_t x = 1; x < 1000000; x = x * 3 / 2 + 1) {
        hist_init(h);
        hist_record(h, x);
        hist_record(h, 2000000);
        uint64_t q = hist_percentile(h, 50);
        CHECK(q >= x);
        CHECK(q <= x + x / HIST_SUB_COUNT);
    }
    free(h);
}

/* Uniform 1..100000: each percentile within 1/128 above the exact order statistic. */
static void test_percentiles_uniform(void) {
    hist_t *h = new_hist();
    const uint64_t n = 100000;
    for (uint64_t i = 1; i <= n; i++)
        hist_record(h, i);
    CHECK_EQ(hist_count(h), n);
    CHECK_EQ(hist_min(h), 1);
    CHECK_EQ(hist_max(h), n);
    CHECK(hist_mean(h) > 50000.4 && hist_mean(h) < 50000.6);
    double pcts[] = {1, 10, 50, 90, 99, 99.9, 99.99, 100};
    for (size_t i = 0; i < sizeof pcts / sizeof pcts[0]; i++) {
        uint64_t exact = (uint64_t)(pcts[i] * (double)n / 100.0 + 0.5); /* rank = value */
        uint64_t got = hist_percentile(h, pcts[i]);
        CHECK(got >= exact);
        CHECK(got <= exact + exact / HIST_SUB_COUNT);
    }
    CHECK_EQ(hist_percentile(h, 100), n);
    CHECK_EQ(hist_percentile(h, 0), 1);
    free(h);
}

/* Bimodal: 99% at 200 us, 1% at 50 ms (a GC pause): p50 and p99 at the first mode,
 * p99.9 and max at the second. Checks the rank arithmetic at the boundary. */
static void test_percentiles_bimodal(void) {
    hist_t *h = new_hist();
    for (int i = 0; i < 9900; i++)
        hist_record(h, 200);
    for (int i = 0; i < 100; i++)
        hist_record(h, 50000);
    uint64_t p50 = hist_percentile(h, 50), p99 = hist_percentile(h, 99);
    uint64_t p999 = hist_percentile(h, 99.9);
    CHECK(p50 >= 200 && p50 <= 201);
    CHECK(p99 >= 200 && p99 <= 201);
    CHECK(p999 >= 50000 && p999 <= 50000 + 50000 / HIST_SUB_COUNT);
    CHECK_EQ(hist_max(h), 50000);
    /* 99.9 of 1000 samples is rank 999 exactly, not 1000 (binary rounding of 99.9). */
    hist_init(h);
    for (int i = 1; i <= 999; i++)
        hist_record(h, 10);
    hist_record(h, 100000);
    CHECK_EQ(hist_percentile(h, 99.9), 10);
    CHECK_EQ(hist_percentile(h, 100), 100000);
    free(h);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Scrambled values 1 us .. ~1 s: percentiles within the bound of the sorted truth, and
 * ordered. */
static void test_percentiles_ordered(void) {
    hist_t *h = new_hist();
    uint64_t *vals = malloc(20000 * sizeof *vals);
    CHECK(vals != NULL);
    uint64_t v = 1;
    for (int i = 0; i < 20000; i++) {
        vals[i] = v;
        v = v * 1103515245u % 1000003u + 1; /* scrambled 1..1000003 */
        hist_record(h, vals[i]);
    }
    qsort(vals, 20000, sizeof *vals, cmp_u64);
    double pcts[] = {0.1, 25, 50, 75, 90, 99, 99.5, 99.9, 99.99};
    for (size_t i = 0; i < sizeof pcts / sizeof pcts[0]; i++) {
        uint64_t exact = vals[(size_t)(pcts[i] * 20000 / 100 + 0.5) - 1];
        uint64_t got = hist_percentile(h, pcts[i]);
        CHECK(got >= exact);
        CHECK(got <= exact + exact / HIST_SUB_COUNT);
    }
    uint64_t prev = 0;
    for (double p = 0; p <= 100; p += 0.5) {
        uint64_t q = hist_percentile(h, p);
        CHECK(q >= prev);
        prev = q;
    }
    CHECK(hist_percentile(h, 99.9) <= hist_max(h));
    free(vals);
    free(h);
}

/* Merging per-thread histograms equals recording everything into one. */
static void test_merge_equals_single(void) {
    hist_t *a = new_hist(), *b = new_hist(), *all = new_hist(), *m = new_hist();
    for (uint64_t i = 0; i < 50000; i++) {
        uint64_t x = (i * 2654435761u) % 5000000;
        hist_record(i % 3 ? a : b, x);
        hist_record(all, x);
    }
    hist_merge(m, a);
    hist_merge(m, b);
    CHECK_EQ(hist_count(m), hist_count(all));
    CHECK_EQ(hist_min(m), hist_min(all));
    CHECK_EQ(hist_max(m), hist_max(all));
    CHECK(hist_mean(m) == hist_mean(all));
    for (size_t i = 0; i < HIST_BUCKETS; i++)
        CHECK(atomic_load(&m->buckets[i]) == atomic_load(&all->buckets[i]));
    double pcts[] = {50, 90, 99, 99.9};
    for (size_t i = 0; i < 4; i++)
        CHECK_EQ(hist_percentile(m, pcts[i]), hist_percentile(all, pcts[i]));
    /* Merging an empty one changes nothing. */
    hist_t *e = new_hist();
    hist_merge(m, e);
    CHECK_EQ(hist_count(m), hist_count(all));
    CHECK_EQ(hist_min(m), hist_min(all));
    free(a);
    free(b);
    free(all);
    free(m);
    free(e);
}

/* The interval between two copies holds only the samples recorded in between. */
static void test_diff_is_interval(void) {
    hist_t *h = new_hist(), *t1 = new_hist(), *t2 = new_hist(), *d = new_hist();
    for (int i = 0; i < 1000; i++)
        hist_record(h, 100);
    hist_copy(t1, h);
    for (int i = 0; i < 500; i++)
        hist_record(h, 7000 + (uint64_t)i);
    hist_copy(t2, h);
    hist_diff(d, t2, t1);
    CHECK_EQ(hist_count(d), 500);
    CHECK(hist_min(d) >= 7000 - 7000 / HIST_SUB_COUNT && hist_min(d) <= 7000);
    CHECK_EQ(hist_max(d), 7499);
    uint64_t p50 = hist_percentile(d, 50);
    CHECK(p50 >= 7249 && p50 <= 7249 + 7249 / HIST_SUB_COUNT);
    CHECK(hist_mean(d) > 7249.4 && hist_mean(d) < 7249.6);
    /* Nothing in between: empty. */
    hist_diff(d, t2, t2);
    CHECK_EQ(hist_count(d), 0);
    CHECK_EQ(hist_percentile(d, 99), 0);
    CHECK_EQ(hist_max(d), 0);
    free(h);
    free(t1);
    free(t2);
    free(d);
}

static void test_empty(void) {
    hist_t *h = new_hist();
    CHECK_EQ(hist_count(h), 0);
    CHECK_EQ(hist_min(h), 0);
    CHECK_EQ(hist_max(h), 0);
    CHECK_EQ(hist_percentile(h, 50), 0);
    CHECK(hist_mean(h) == 0.0);
    free(h);
}

int main(void) {
    RUN(test_buckets_tile_and_bound_error);
    RUN(test_single_values_within_bound);
    RUN(test_percentiles_uniform);
    RUN(test_percentiles_bimodal);
    RUN(test_percentiles_ordered);
    RUN(test_merge_equals_single);
    RUN(test_diff_is_interval);
    RUN(test_empty);
    return 0;
}
