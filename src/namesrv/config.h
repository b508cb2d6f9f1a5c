/*
 * NameServer configuration: one table (RocketMQ key, type, default, reloadable,
 * description) drives namesrv.conf parsing, `-p` output, GET/UPDATE_NAMESRV_CONFIG and
 * docs/configuration.md. Keys are those of upstream NamesrvConfig and NettyServerConfig
 * (serverSelectorThreads sets the number of I/O loops). Code reads the struct.
 *
 * Not thread-safe by itself: the NameServer guards its copy with a lock (namesrv.h).
 */
#ifndef RMQ_NAMESRV_CONFIG_H
#define RMQ_NAMESRV_CONFIG_H

#include "common/buf.h"
#include "common/props.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    /* NamesrvConfig */
    char *rocketmqHome; /* NULL when ROCKETMQ_HOME is unset */
    char *kvConfigPath;
    char *configStorePath;
    char *productEnvName;
    bool clusterTest;
    bool orderMessageEnable;
    bool returnOrderTopicConfigToBroker;
    int32_t clientRequestThreadPoolNums;
    int32_t defaultThreadPoolNums;
    int32_t clientRequestThreadPoolQueueCapacity;
    int32_t defaultThreadPoolQueueCapacity;
    int64_t scanNotActiveBrokerInterval;
    int32_t unRegisterBrokerQueueCapacity;
    bool supportActingMaster;
    bool enableAllTopicList;
    bool enableTopicList;
    bool notifyMinBrokerIdChanged;
    bool enableControllerInNamesrv;
    bool needWaitForService;
    int32_t waitSecondsForService;
    bool deleteTopicWithBrokerRegistration;
    char *configBlackList;
    /* NettyServerConfig */
    char *bindAddress;
    int32_t listenPort;
    int32_t serverWorkerThreads;
    int32_t serverCallbackExecutorThreads;
    int32_t serverSelectorThreads;
    int32_t serverOnewaySemaphoreValue;
    int32_t serverAsyncSemaphoreValue;
    int32_t serverChannelMaxIdleTimeSeconds;
    int32_t serverSocketSndBufSize;
    int32_t serverSocketRcvBufSize;
    int32_t writeBufferHighWaterMark;
    int32_t writeBufferLowWaterMark;
    int32_t serverSocketBacklog;
    bool serverNettyWorkerGroupEnable;
    bool serverPooledByteBufAllocatorEnable;
    bool enableShutdownGracefully;
    int32_t shutdownWaitTimeSeconds;
    bool useEpollNativeSelector;
    /* rocketmq-c */
} namesrv_config_t;

typedef enum {
    NAMESRV_CFG_BOOL,
    NAMESRV_CFG_INT,
    NAMESRV_CFG_LONG,
    NAMESRV_CFG_STR,
} namesrv_config_type_t;

typedef struct {
    const char *key;
    namesrv_config_type_t type;
    size_t offset;
    const char *def; /* default as text; NULL for computed defaults (see description) */
    bool reloadable; /* takes effect when changed by UPDATE_NAMESRV_CONFIG */
    const char *description;
} namesrv_config_row_t;

const namesrv_config_row_t *namesrv_config_table(size_t *count);

/* Defaults; paths under $HOME/namesrv/ and rocketmqHome from $ROCKETMQ_HOME, as Java. */
void namesrv_config_init(namesrv_config_t *cfg);
void namesrv_config_close(namesrv_config_t *cfg);
void namesrv_config_copy(namesrv_config_t *dst, const namesrv_config_t *src);

/* Sets one key. Returns 0, -ENOENT for an unknown key, -EINVAL for a bad value (the
 * field keeps its value). */
int namesrv_config_set(namesrv_config_t *cfg, const char *key, const char *value);

/*
 * Applies every entry of props. Unknown keys are logged once each and copied to
 * `unknown` (if not NULL), since GET_NAMESRV_CONFIG reports them like Java does; bad
 * values are logged and skipped. Returns the number of problems.
 */
int namesrv_config_apply(namesrv_config_t *cfg, const rmq_props_t *props, rmq_props_t *unknown);

/* Value of a field as text into out (appended); false when NULL (a null string). */
bool namesrv_config_format_value(const namesrv_config_t *cfg, const namesrv_config_row_t *row,
                                 rmq_buf_t *out);

/* `key=value` lines in table order, null strings as empty (the -p output). */
void namesrv_config_print(const namesrv_config_t *cfg, rmq_buf_t *out);

/* All non-null keys plus `extra`, sorted by key, `key=value\n` (GET_NAMESRV_CONFIG). */
void namesrv_config_format_all(const namesrv_config_t *cfg, const rmq_props_t *extra,
                               rmq_buf_t *out);

/* True when key may not be changed remotely: the fixed list plus configBlackList. */
bool namesrv_config_is_blacklisted(const namesrv_config_t *cfg, const char *key);

#endif
