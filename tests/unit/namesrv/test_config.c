/* Tests namesrv/config.c: defaults, properties, -p output, blacklist. */
#include "namesrv/config.h"
#include "test.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void test_defaults(void) {
    setenv("HOME", "/home/u", 1);
    unsetenv("ROCKETMQ_HOME");
    namesrv_config_t cfg;
    namesrv_config_init(&cfg);
    CHECK_EQ(cfg.listenPort, 9876);
    CHECK_STREQ(cfg.bindAddress, "0.0.0.0");
    CHECK_STREQ(cfg.kvConfigPath, "/home/u/namesrv/kvConfig.json");
    CHECK_STREQ(cfg.configStorePath, "/home/u/namesrv/namesrv.properties");
    CHECK(cfg.rocketmqHome == NULL);
    CHECK_EQ(cfg.scanNotActiveBrokerInterval, 5000);
    CHECK(cfg.enableAllTopicList && cfg.enableTopicList && cfg.returnOrderTopicConfigToBroker);
    CHECK(!cfg.orderMessageEnable && !cfg.needWaitForService);
    CHECK_EQ(cfg.waitSecondsForService, 45);
    namesrv_config_close(&cfg);
}

static void test_apply_properties(void) {
    namesrv_config_t cfg;
    namesrv_config_init(&cfg);
    rmq_props_t p, unknown;
    rmq_props_init(&p);
    rmq_props_init(&unknown);
    const char *text = "listenPort=19876\nbindAddress=127.0.0.1\norderMessageEnable=true\n"
                       "scanNotActiveBrokerInterval=oops\nmystery=1\n";
    rmq_props_parse(&p, text, strlen(text));
    CHECK_EQ(namesrv_config_apply(&cfg, &p, &unknown), 2);
    CHECK_EQ(cfg.listenPort, 19876);
    CHECK_STREQ(cfg.bindAddress, "127.0.0.1");
    CHECK(cfg.orderMessageEnable);
    CHECK_EQ(cfg.scanNotActiveBrokerInterval, 5000);
    CHECK_STREQ(rmq_props_get(&unknown, "mystery"), "1");
    CHECK_EQ(namesrv_config_set(&cfg, "nope", "1"), -ENOENT);

    rmq_buf_t b;
    rmq_buf_init(&b);
    namesrv_config_print(&cfg, &b);
    CHECK(strstr(rmq_buf_cstr(&b), "rocketmqHome=\n") == b.data || getenv("ROCKETMQ_HOME"));
    CHECK(strstr(b.data, "\nlistenPort=19876\n") != NULL);
    rmq_buf_reset(&b);
    namesrv_config_format_all(&cfg, &unknown, &b);
    rmq_buf_cstr(&b);
    CHECK(strstr(b.data, "\nmystery=1\n") != NULL);
    /* Sorted: bindAddress comes first among ours. */
    CHECK(strncmp(b.data, "bindAddress=127.0.0.1\n", 22) == 0);
    rmq_buf_close(&b);
    rmq_props_close(&p);
    rmq_props_close(&unknown);
    namesrv_config_close(&cfg);
}

static void test_blacklist(void) {
    namesrv_config_t cfg;
    namesrv_config_init(&cfg);
    CHECK(namesrv_config_is_blacklisted(&cfg, "kvConfigPath"));
    CHECK(namesrv_config_is_blacklisted(&cfg, "rocketmqHome"));
    CHECK(!namesrv_config_is_blacklisted(&cfg, "listenPort"));
    namesrv_config_set(&cfg, "configBlackList", "listenPort;bindAddress");
    CHECK(namesrv_config_is_blacklisted(&cfg, "listenPort"));
    CHECK(namesrv_config_is_blacklisted(&cfg, "bindAddress"));
    CHECK(!namesrv_config_is_blacklisted(&cfg, "listen"));
    namesrv_config_close(&cfg);
}

int main(void) {
    RUN(test_defaults);
    RUN(test_apply_properties);
    RUN(test_blacklist);
    return 0;
}
