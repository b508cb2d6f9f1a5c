/* Unit tests: common/log rate limit. */
#include "common/log.h"
#include "test.h"

static void test_limit_window(void) {
    rmq_log_limit_t l = RMQ_LOG_LIMIT_INIT(3, 1000);
    CHECK_EQ(rmq_log_limit(&l, 5000), 0);
    CHECK_EQ(rmq_log_limit(&l, 5001), 0);
    CHECK_EQ(rmq_log_limit(&l, 5002), 0);
    /* Over the burst within the window: dropped and counted. */
    CHECK_EQ(rmq_log_limit(&l, 5003), -1);
    CHECK_EQ(rmq_log_limit(&l, 5999), -1);
    /* A new window: the first line reports the two dropped, then the count restarts. */
    CHECK_EQ(rmq_log_limit(&l, 6000), 2);
    CHECK_EQ(rmq_log_limit(&l, 6001), 0);
    /* A clock going backwards opens a new window rather than dropping forever. */
    CHECK_EQ(rmq_log_limit(&l, 100), 0);
}

int main(void) {
    RUN(test_limit_window);
    return 0;
}
