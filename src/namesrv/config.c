/*
 * The NameServer's config table and its uses; see config.h. Defaults and key names
 * follow upstream NamesrvConfig and NettyServerConfig (listenPort is 9876, as
 * NamesrvStartup sets it).
 */
#include "namesrv/config.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define F(key, type, def, reload, desc)                                                            \
    { #key, type, offsetof(namesrv_config_t, key), def, reload, desc }

static const namesrv_config_row_t rows[] = {
    F(rocketmqHome, NAMESRV_CFG_STR, NULL, false,
      "RocketMQ installation directory; default $ROCKETMQ_HOME. Informational."),
    F(kvConfigPath, NAMESRV_CFG_STR, NULL, false,
      "KV configuration file; default $HOME/namesrv/kvConfig.json."),
    F(configStorePath, NAMESRV_CFG_STR, NULL, false,
      "Where UPDATE_NAMESRV_CONFIG persists the configuration; default "
      "$HOME/namesrv/namesrv.properties, or the -c file."),
    F(productEnvName, NAMESRV_CFG_STR, "center", false, "Environment name (informational)."),
    F(clusterTest, NAMESRV_CFG_BOOL, "false", true, "Accepted for compatibility; unused."),
    F(orderMessageEnable, NAMESRV_CFG_BOOL, "false", true,
      "Add orderTopicConf from KV namespace ORDER_TOPIC_CONFIG to route data."),
    F(returnOrderTopicConfigToBroker, NAMESRV_CFG_BOOL, "true", true,
      "Return the ORDER_TOPIC_CONFIG KV table in REGISTER_BROKER responses."),
    F(clientRequestThreadPoolNums, NAMESRV_CFG_INT, "8", false,
      "Accepted for compatibility; requests run on the I/O loops (see serverSelectorThreads)."),
    F(defaultThreadPoolNums, NAMESRV_CFG_INT, "16", false,
      "Accepted for compatibility; requests run on the I/O loops (see serverSelectorThreads)."),
    F(clientRequestThreadPoolQueueCapacity, NAMESRV_CFG_INT, "50000", false,
      "Accepted for compatibility; unused."),
    F(defaultThreadPoolQueueCapacity, NAMESRV_CFG_INT, "10000", false,
      "Accepted for compatibility; unused."),
    F(scanNotActiveBrokerInterval, NAMESRV_CFG_LONG, "5000", false,
      "Milliseconds between scans for brokers whose heartbeat timed out."),
    F(unRegisterBrokerQueueCapacity, NAMESRV_CFG_INT, "3000", false,
      "Accepted for compatibility; unregistrations are applied at once."),
    F(supportActingMaster, NAMESRV_CFG_BOOL, "false", true,
      "Present the lowest-id slave as master (id 0) in routes of a master-less broker group."),
    F(enableAllTopicList, NAMESRV_CFG_BOOL, "true", true,
      "Serve GET_ALL_TOPIC_LIST_FROM_NAMESERVER."),
    F(enableTopicList, NAMESRV_CFG_BOOL, "true", true,
      "Serve GET_TOPICS_BY_CLUSTER and the unit topic lists."),
    F(notifyMinBrokerIdChanged, NAMESRV_CFG_BOOL, "false", true,
      "Send NOTIFY_MIN_BROKER_ID_CHANGE to a broker group when its lowest id changes."),
    F(enableControllerInNamesrv, NAMESRV_CFG_BOOL, "false", false,
      "Embed the controller (not available yet)."),
    F(needWaitForService, NAMESRV_CFG_BOOL, "false", true,
      "Refuse route queries for waitSecondsForService after start-up."),
    F(waitSecondsForService, NAMESRV_CFG_INT, "45", true,
      "Seconds of start-up wait when needWaitForService is on."),
    F(deleteTopicWithBrokerRegistration, NAMESRV_CFG_BOOL, "false", true,
      "Drop a broker's topics that are missing from its full registration."),
    F(configBlackList, NAMESRV_CFG_STR, "configBlackList;configStorePath;kvConfigPath", false,
      "Semicolon-separated keys UPDATE_NAMESRV_CONFIG may not change (rocketmqHome always "
      "added)."),
    F(bindAddress, NAMESRV_CFG_STR, "0.0.0.0", false, "Listen address."),
    F(listenPort, NAMESRV_CFG_INT, "9876", false, "Listen port."),
    F(serverWorkerThreads, NAMESRV_CFG_INT, "8", false, "Accepted for compatibility; unused."),
    F(serverCallbackExecutorThreads, NAMESRV_CFG_INT, "0", false,
      "Accepted for compatibility; unused."),
    F(serverSelectorThreads, NAMESRV_CFG_INT, "3", false,
      "I/O loop threads (Netty's selector threads), at most one per core."),
    F(serverOnewaySemaphoreValue, NAMESRV_CFG_INT, "256", false,
      "Accepted for compatibility; unused."),
    F(serverAsyncSemaphoreValue, NAMESRV_CFG_INT, "64", false,
      "Accepted for compatibility; unused."),
    F(serverChannelMaxIdleTimeSeconds, NAMESRV_CFG_INT, "120", false,
      "Close connections idle (no read, no write) this long."),
    F(serverSocketSndBufSize, NAMESRV_CFG_INT, "0", false, "Accepted for compatibility; unused."),
    F(serverSocketRcvBufSize, NAMESRV_CFG_INT, "0", false, "Accepted for compatibility; unused."),
    F(writeBufferHighWaterMark, NAMESRV_CFG_INT, "0", false, "Accepted for compatibility; unused."),
    F(writeBufferLowWaterMark, NAMESRV_CFG_INT, "0", false, "Accepted for compatibility; unused."),
    F(serverSocketBacklog, NAMESRV_CFG_INT, "1024", false, "Accepted for compatibility; unused."),
    F(serverNettyWorkerGroupEnable, NAMESRV_CFG_BOOL, "true", false,
      "Accepted for compatibility; unused."),
    F(serverPooledByteBufAllocatorEnable, NAMESRV_CFG_BOOL, "true", false,
      "Accepted for compatibility; unused."),
    F(enableShutdownGracefully, NAMESRV_CFG_BOOL, "false", false,
      "Accepted for compatibility; unused."),
    F(shutdownWaitTimeSeconds, NAMESRV_CFG_INT, "30", false, "Accepted for compatibility; unused."),
    F(useEpollNativeSelector, NAMESRV_CFG_BOOL, "false", false,
      "Accepted for compatibility; unused."),
};

#undef F

const namesrv_config_row_t *namesrv_config_table(size_t *count) {
    *count = sizeof rows / sizeof rows[0];
    return rows;
}

static const namesrv_config_row_t *find_row(const char *key) {
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(rows[i].key, key) == 0)
            return &rows[i];
    return NULL;
}

static int set_field(namesrv_config_t *cfg, const namesrv_config_row_t *row, const char *value) {
    char *p = (char *)cfg + row->offset;
    size_t len = strlen(value);
    switch (row->type) {
    case NAMESRV_CFG_BOOL:
        /* Boolean.parseBoolean: anything but "true" is false. */
        *(bool *)p = rmq_parse_bool(value, len);
        return 0;
    case NAMESRV_CFG_INT: {
        int32_t v;
        if (rmq_parse_i32(value, len, &v) != 0)
            return -EINVAL;
        *(int32_t *)p = v;
        return 0;
    }
    case NAMESRV_CFG_LONG: {
        int64_t v;
        if (rmq_parse_i64(value, len, &v) != 0)
            return -EINVAL;
        *(int64_t *)p = v;
        return 0;
    }
    case NAMESRV_CFG_STR:
        rmq_free(*(char **)p);
        *(char **)p = rmq_strdup(value);
        return 0;
    }
    return -EINVAL;
}

static char *path_under_home(const char *file) {
    const char *home = getenv("HOME");
    rmq_buf_t b;
    rmq_buf_init(&b);
    rmq_buf_appendf(&b, "%s/namesrv/%s", home ? home : ".", file);
    return rmq_buf_steal(&b, NULL);
}

void namesrv_config_init(namesrv_config_t *cfg) {
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].def)
            set_field(cfg, &rows[i], rows[i].def);
    const char *home = getenv("ROCKETMQ_HOME");
    cfg->rocketmqHome = home ? rmq_strdup(home) : NULL;
    cfg->kvConfigPath = path_under_home("kvConfig.json");
    cfg->configStorePath = path_under_home("namesrv.properties");
}

void namesrv_config_close(namesrv_config_t *cfg) {
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].type == NAMESRV_CFG_STR)
            rmq_free(*(char **)((char *)cfg + rows[i].offset));
    memset(cfg, 0, sizeof *cfg);
}

void namesrv_config_copy(namesrv_config_t *dst, const namesrv_config_t *src) {
    *dst = *src;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (rows[i].type != NAMESRV_CFG_STR)
            continue;
        char **p = (char **)((char *)dst + rows[i].offset);
        *p = *p ? rmq_strdup(*p) : NULL;
    }
}

int namesrv_config_set(namesrv_config_t *cfg, const char *key, const char *value) {
    const namesrv_config_row_t *row = find_row(key);
    if (!row)
        return -ENOENT;
    return set_field(cfg, row, value);
}

int namesrv_config_apply(namesrv_config_t *cfg, const rmq_props_t *props, rmq_props_t *unknown) {
    int problems = 0;
    for (size_t i = 0; i < props->count; i++) {
        const rmq_prop_t *p = &props->items[i];
        int rc = namesrv_config_set(cfg, p->key, p->value);
        if (rc == -ENOENT) {
            bool seen = unknown && rmq_props_get(unknown, p->key) != NULL;
            if (!seen)
                rmq_log_warn("namesrv", "unknown config key %s ignored", p->key);
            if (unknown)
                rmq_props_set(unknown, p->key, p->value);
            problems++;
        } else if (rc != 0) {
            rmq_log_warn("namesrv", "bad value for config key %s: \"%s\"; keeping the default",
                         p->key, p->value);
            problems++;
        }
    }
    return problems;
}

bool namesrv_config_format_value(const namesrv_config_t *cfg, const namesrv_config_row_t *row,
                                 rmq_buf_t *out) {
    const char *p = (const char *)cfg + row->offset;
    switch (row->type) {
    case NAMESRV_CFG_BOOL:
        rmq_buf_append_cstr(out, *(const bool *)p ? "true" : "false");
        return true;
    case NAMESRV_CFG_INT:
        rmq_buf_appendf(out, "%d", (int)*(const int32_t *)p);
        return true;
    case NAMESRV_CFG_LONG:
        rmq_buf_appendf(out, "%lld", (long long)*(const int64_t *)p);
        return true;
    case NAMESRV_CFG_STR: {
        const char *s = *(char *const *)p;
        if (s)
            rmq_buf_append_cstr(out, s);
        return s != NULL;
    }
    }
    return false;
}

void namesrv_config_print(const namesrv_config_t *cfg, rmq_buf_t *out) {
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        rmq_buf_appendf(out, "%s=", rows[i].key);
        namesrv_config_format_value(cfg, &rows[i], out);
        rmq_buf_append_u8(out, '\n');
    }
}

static int cmp_prop(const void *a, const void *b) {
    return strcmp(((const rmq_prop_t *)a)->key, ((const rmq_prop_t *)b)->key);
}

void namesrv_config_format_all(const namesrv_config_t *cfg, const rmq_props_t *extra,
                               rmq_buf_t *out) {
    size_t n = sizeof rows / sizeof rows[0];
    size_t cap = n + (extra ? extra->count : 0);
    rmq_prop_t *all = rmq_calloc(cap ? cap : 1, sizeof *all);
    size_t count = 0;
    rmq_buf_t v;
    rmq_buf_init(&v);
    for (size_t i = 0; i < n; i++) {
        rmq_buf_reset(&v);
        if (!namesrv_config_format_value(cfg, &rows[i], &v))
            continue;
        all[count].key = (char *)rows[i].key;
        all[count].value = rmq_strndup(v.data ? v.data : "", v.len);
        count++;
    }
    for (size_t i = 0; extra && i < extra->count; i++) {
        if (find_row(extra->items[i].key))
            continue;
        all[count].key = extra->items[i].key;
        all[count].value = rmq_strdup(extra->items[i].value);
        count++;
    }
    qsort(all, count, sizeof *all, cmp_prop);
    for (size_t i = 0; i < count; i++) {
        rmq_buf_appendf(out, "%s=%s\n", all[i].key, all[i].value);
        rmq_free(all[i].value);
    }
    rmq_free(all);
    rmq_buf_close(&v);
}

bool namesrv_config_is_blacklisted(const namesrv_config_t *cfg, const char *key) {
    static const char *const fixed[] = {"configBlackList", "configStorePath", "kvConfigPath",
                                        "rocketmqHome"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(fixed[i], key) == 0)
            return true;
    const char *list = cfg->configBlackList ? cfg->configBlackList : "";
    size_t klen = strlen(key);
    while (*list) {
        const char *end = strchr(list, ';');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        if (len == klen && memcmp(list, key, len) == 0)
            return true;
        list += len + (end ? 1 : 0);
    }
    return false;
}
