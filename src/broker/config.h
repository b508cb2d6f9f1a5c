/*
 * Broker configuration: one table (RocketMQ key, type, default, reloadable, description)
 * drives broker.conf parsing, `-p` output and docs/configuration.md. Keys are those of
 * upstream BrokerIdentity, BrokerConfig, MessageStoreConfig and NettyServerConfig (spec
 * store.md 8); keys whose Java meaning is a thread pool or queue we do not have are
 * accepted for compatibility and say so. Code reads the struct.
 *
 * Computed defaults (NULL `def` in the table): brokerName = host name, namesrvAddr =
 * $NAMESRV_ADDR, brokerIP1/brokerIP2 = first non-loopback IPv4 address,
 * storePathRootDir = $HOME/store, storePathCommitLog = <root>/commitlog, haListenPort =
 * listenPort + 1, and the Java thread-pool sizes from the core count.
 *
 * Not thread-safe; the broker reads its copy without changing it after start.
 */
#ifndef RMQ_BROKER_CONFIG_H
#define RMQ_BROKER_CONFIG_H

#include "common/buf.h"
#include "common/props.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    /* BrokerIdentity */
    char *brokerClusterName;
    char *brokerName;
    int64_t brokerId;
    /* BrokerConfig */
    char *rocketmqHome;
    char *brokerConfigPath;
    char *namesrvAddr;
    char *brokerIP1;
    char *brokerIP2;
    int32_t listenPort;
    int32_t brokerPermission;
    int32_t defaultTopicQueueNums;
    bool autoCreateTopicEnable;
    bool clusterTopicEnable;
    bool brokerTopicEnable;
    bool autoCreateSubscriptionGroup;
    char *msgTraceTopicName;
    bool traceTopicEnable;
    int32_t sendMessageThreadPoolNums;
    int32_t pullMessageThreadPoolNums;
    int32_t litePullMessageThreadPoolNums;
    int32_t queryMessageThreadPoolNums;
    int32_t adminBrokerThreadPoolNums;
    int32_t clientManageThreadPoolNums;
    int32_t consumerManageThreadPoolNums;
    int32_t heartbeatThreadPoolNums;
    int32_t flushConsumerOffsetInterval;
    bool rejectTransactionMessage;
    int32_t sendThreadPoolQueueCapacity;
    int32_t pullThreadPoolQueueCapacity;
    bool longPollingEnable;
    int64_t shortPollingTimeMills;
    bool notifyConsumerIdsChangedEnable;
    char *regionId;
    int32_t registerBrokerTimeoutMills;
    bool slaveReadEnable;
    bool brokerFastFailureEnable;
    int64_t waitTimeMillsInSendQueue;
    int64_t waitTimeMillsInPullQueue;
    bool traceOn;
    bool enablePropertyFilter;
    bool rejectPullConsumerEnable;
    bool compressedRegister;
    bool forceRegister;
    int32_t registerNameServerPeriod;
    bool litePullMessageEnable;
    int32_t reviveQueueNum;
    bool enableSlaveActingMaster;
    bool enableControllerMode;
    /* MessageStoreConfig */
    char *storePathRootDir;
    char *storePathCommitLog;
    int32_t mappedFileSizeCommitLog;
    int32_t mappedFileSizeConsumeQueue;
    char *flushDiskType;
    char *brokerRole;
    int32_t haListenPort;
    int32_t flushIntervalCommitLog;
    int32_t flushCommitLogLeastPages;
    int32_t flushCommitLogThoroughInterval;
    int32_t flushIntervalConsumeQueue;
    int32_t flushConsumeQueueLeastPages;
    int32_t flushConsumeQueueThoroughInterval;
    int32_t syncFlushTimeout;
    bool checkCRCOnRecover;
    bool messageIndexEnable;
    bool messageIndexSafe;
    int32_t maxHashSlotNum;
    int32_t maxIndexNum;
    int32_t maxMsgsNumBatch;
    int32_t maxMessageSize;
    int64_t osPageCacheBusyTimeOutMills;
    int32_t fileReservedTime;
    char *deleteWhen;
    int32_t diskMaxUsedSpaceRatio;
    bool cleanFileForciblyEnable;
    int32_t deleteFileBatchMax;
    int32_t cleanResourceInterval;
    char *messageDelayLevel;
    int32_t maxTransferBytesOnMessageInMemory;
    int32_t maxTransferCountOnMessageInMemory;
    int32_t maxTransferBytesOnMessageInDisk;
    int32_t maxTransferCountOnMessageInDisk;
    bool transientStorePoolEnable;
    bool timerWheelEnable;
    bool enableConsumeQueueExt;
    bool enableDLegerCommitLog;
    /* NettyServerConfig */
    char *bindAddress;
    int32_t serverWorkerThreads;
    int32_t serverCallbackExecutorThreads;
    int32_t serverSelectorThreads;
    int32_t serverOnewaySemaphoreValue;
    int32_t serverAsyncSemaphoreValue;
    int32_t serverChannelMaxIdleTimeSeconds;
    int32_t serverSocketSndBufSize;
    int32_t serverSocketRcvBufSize;
    bool serverPooledByteBufAllocatorEnable;
    bool useEpollNativeSelector;
} broker_config_t;

typedef enum {
    BROKER_CFG_BOOL,
    BROKER_CFG_INT,
    BROKER_CFG_LONG,
    BROKER_CFG_STR,
} broker_config_type_t;

typedef struct {
    const char *key;
    broker_config_type_t type;
    size_t offset;
    const char *def; /* default as text; NULL for computed defaults (see description) */
    bool reloadable;
    const char *description;
} broker_config_row_t;

const broker_config_row_t *broker_config_table(size_t *count);

/* Defaults, computed ones included (environment, host name, addresses). */
void broker_config_init(broker_config_t *cfg);
void broker_config_close(broker_config_t *cfg);
void broker_config_copy(broker_config_t *dst, const broker_config_t *src);
/* Sets one key: 0, -ENOENT unknown key, -EINVAL bad value (the field is kept). */
int broker_config_set(broker_config_t *cfg, const char *key, const char *value);
/* Applies every entry; unknown keys and bad values are logged once. Returns the number
 * of problems. */
int broker_config_apply(broker_config_t *cfg, const rmq_props_t *props);
/* Fills the defaults that depend on other keys (storePathCommitLog, haListenPort). Call
 * after the file and flags are applied. */
void broker_config_finish(broker_config_t *cfg);
bool broker_config_format_value(const broker_config_t *cfg, const broker_config_row_t *row,
                                rmq_buf_t *out);
/* `key=value` lines in table order (the -p output). */
void broker_config_print(const broker_config_t *cfg, rmq_buf_t *out);

#endif
