/* Tests for common/map.c. */
#include "common/alloc.h"
#include "common/map.h"
#include "test.h"

static void test_put_get_del_grow(void) {
    rmq_map_t m;
    rmq_map_init(&m);
    char key[32];
    for (long i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%ld", i);
        CHECK(rmq_map_put(&m, key, (void *)(i + 1)) == NULL);
    }
    CHECK_EQ(rmq_map_count(&m), 5000);
    for (long i = 0; i < 5000; i += 2) {
        snprintf(key, sizeof key, "k%ld", i);
        CHECK_EQ((long)rmq_map_del(&m, key), i + 1);
    }
    CHECK_EQ(rmq_map_count(&m), 2500);
    for (long i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%ld", i);
        CHECK_EQ((long)rmq_map_get(&m, key), i % 2 ? i + 1 : 0);
    }
    /* Churn through tombstones without growing without bound. */
    for (int round = 0; round < 20000; round++) {
        rmq_map_put(&m, "churn", (void *)1);
        rmq_map_del(&m, "churn");
    }
    CHECK(m.cap <= 16384);
    CHECK_EQ((long)rmq_map_put(&m, "k1", (void *)7), 2);
    CHECK_EQ((long)rmq_map_get(&m, "k1"), 7);
    size_t seen = 0;
    rmq_map_entry_t *e;
    for (size_t it = 0; rmq_map_next(&m, &it, &e);)
        seen++;
    CHECK_EQ(seen, 2500);
    rmq_map_close(&m);
}

static void test_sorted_keys(void) {
    rmq_map_t m;
    rmq_map_init(&m);
    rmq_map_put(&m, "b", NULL);
    rmq_map_put(&m, "a", NULL);
    rmq_map_put(&m, "c", NULL);
    const char **keys = rmq_map_keys_sorted(&m);
    CHECK_STREQ(keys[0], "a");
    CHECK_STREQ(keys[1], "b");
    CHECK_STREQ(keys[2], "c");
    CHECK(keys[3] == NULL);
    rmq_free(keys);
    CHECK(rmq_map_has(&m, "a"));
    CHECK(!rmq_map_has(&m, "z"));
    rmq_map_close(&m);
}

int main(void) {
    RUN(test_put_get_del_grow);
    RUN(test_sorted_keys);
    return 0;
}
