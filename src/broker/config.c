/*
 * The broker's config table and its uses; see config.h. Key names and defaults follow
 * upstream 5.3 BrokerIdentity, BrokerConfig, MessageStoreConfig and NettyServerConfig;
 * listenPort is 10911 as BrokerStartup sets it.
 */
#include "broker/config.h"

#include "common/alloc.h"
#include "common/log.h"
#include "common/str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define F(key, type, def, reload, desc)                                                            \
    { #key, type, offsetof(broker_config_t, key), def, reload, desc }
#define B      BROKER_CFG_BOOL
#define I      BROKER_CFG_INT
#define L      BROKER_CFG_LONG
#define S      BROKER_CFG_STR
#define COMPAT "Accepted for compatibility; requests run on the I/O loops."

static const broker_config_row_t rows[] = {
    F(brokerClusterName, S, "DefaultCluster", false, "Cluster this broker registers in."),
    F(brokerName, S, NULL, false, "Broker group name; default the host name."),
    F(brokerId, L, "0", false, "0 = master, > 0 = slave."),
    F(rocketmqHome, S, NULL, false, "Installation directory; default $ROCKETMQ_HOME."),
    F(brokerConfigPath, S, NULL, false,
      "File UPDATE_BROKER_CONFIG rewrites with the whole configuration; default the -c file, "
      "else $HOME/store/config/broker.properties."),
    F(namesrvAddr, S, NULL, true,
      "NameServer addresses, `host:port;host:port`; default $NAMESRV_ADDR; -n overrides."),
    F(brokerIP1, S, NULL, false,
      "Address clients use (and the store host of records); default: first non-loopback "
      "IPv4 address."),
    F(brokerIP2, S, NULL, false, "Advertised HA address; default as brokerIP1."),
    F(listenPort, I, "10911", false,
      "Main port; the fast port listenPort-2 is served the same way."),
    F(brokerPermission, I, "6", true, "Broker permission bits (4 read, 2 write)."),
    F(defaultTopicQueueNums, I, "8", true, "Queues of TBW102 and of auto-created topics."),
    F(autoCreateTopicEnable, B, "true", true,
      "Create TBW102 so producers can auto-create topics on first send."),
    F(clusterTopicEnable, B, "true", false, "The cluster-name topic is readable and writable."),
    F(brokerTopicEnable, B, "true", false, "The broker-name topic is readable and writable."),
    F(autoCreateSubscriptionGroup, B, "true", true,
      "Create a consumer group's config on its first heartbeat or pull."),
    F(msgTraceTopicName, S, "RMQ_SYS_TRACE_TOPIC", false, "Trace topic name."),
    F(traceTopicEnable, B, "false", false, "Create the trace topic."),
    F(sendMessageThreadPoolNums, I, NULL, false, COMPAT),
    F(pullMessageThreadPoolNums, I, NULL, false, COMPAT),
    F(litePullMessageThreadPoolNums, I, NULL, false, COMPAT),
    F(queryMessageThreadPoolNums, I, NULL, false, COMPAT),
    F(adminBrokerThreadPoolNums, I, "16", false, COMPAT),
    F(clientManageThreadPoolNums, I, "32", false, COMPAT),
    F(consumerManageThreadPoolNums, I, "32", false, COMPAT),
    F(heartbeatThreadPoolNums, I, NULL, false, COMPAT),
    F(flushConsumerOffsetInterval, I, "5000", false,
      "Milliseconds between persisting consumerOffset.json."),
    F(rejectTransactionMessage, B, "false", true, "Refuse transactional half messages."),
    F(sendThreadPoolQueueCapacity, I, "10000", false,
      "Sends waiting for a SYNC_FLUSH group commit at most; beyond, SYSTEM_BUSY."),
    F(pullThreadPoolQueueCapacity, I, "100000", false,
      "Held (long-polling) pull requests at most; beyond, pulls answer at once."),
    F(longPollingEnable, B, "true", true,
      "Hold pulls for suspendTimeoutMillis; else for shortPollingTimeMills."),
    F(shortPollingTimeMills, L, "1000", true, "Hold time when long polling is off."),
    F(notifyConsumerIdsChangedEnable, B, "true", true,
      "Tell a group's consumers when its membership changes."),
    F(regionId, S, "DefaultRegion", false, "MSG_REGION of send responses."),
    F(registerBrokerTimeoutMills, I, "24000", false, "REGISTER_BROKER time-out."),
    F(slaveReadEnable, B, "false", true, "Accepted for compatibility (no slaves yet)."),
    F(brokerFastFailureEnable, B, "true", false,
      "Answer SYSTEM_BUSY instead of queueing when the store falls behind."),
    F(waitTimeMillsInSendQueue, L, "200", true, "Accepted for compatibility; unused."),
    F(waitTimeMillsInPullQueue, L, "5000", true, "Accepted for compatibility; unused."),
    F(traceOn, B, "true", true, "TRACE_ON of send responses."),
    F(enablePropertyFilter, B, "false", false, "SQL92 filtering (not available yet)."),
    F(rejectPullConsumerEnable, B, "false", true, "Ignore CONSUME_ACTIVELY groups in heartbeats."),
    F(compressedRegister, B, "false", false, "Send registrations in the compressed form."),
    F(forceRegister, B, "true", false, "Register every period even when nothing changed."),
    F(registerNameServerPeriod, I, "30000", false,
      "Milliseconds between registrations (clamped to 10000..60000 as upstream)."),
    F(litePullMessageEnable, B, "true", true, "Serve LITE_PULL_MESSAGE."),
    F(reviveQueueNum, I, "8", false, "Queues of the pop revive topic."),
    F(enableSlaveActingMaster, B, "false", false, "Accepted for compatibility; unused."),
    F(enableControllerMode, B, "false", false, "Accepted for compatibility; unused."),
    F(storePathRootDir, S, NULL, false, "Store directory; default $HOME/store."),
    F(storePathCommitLog, S, NULL, false, "CommitLog directory; default <root>/commitlog."),
    F(mappedFileSizeCommitLog, I, "1073741824", false, "CommitLog segment size."),
    F(mappedFileSizeConsumeQueue, I, "6000000", false, "ConsumeQueue segment size."),
    F(flushDiskType, S, "ASYNC_FLUSH", false,
      "ASYNC_FLUSH, or SYNC_FLUSH (replies wait for the group commit)."),
    F(brokerRole, S, "ASYNC_MASTER", false, "ASYNC_MASTER, SYNC_MASTER or SLAVE."),
    F(haListenPort, I, NULL, false, "HA port; default listenPort + 1 (not served yet)."),
    F(flushIntervalCommitLog, I, "500", false, "ASYNC_FLUSH commit-log flush period (ms)."),
    F(flushCommitLogLeastPages, I, "4", false, "Dirty pages before a periodic flush."),
    F(flushCommitLogThoroughInterval, I, "10000", false, "Flush regardless of pages (ms)."),
    F(flushIntervalConsumeQueue, I, "1000", false, "Consume-queue flush period (ms)."),
    F(flushConsumeQueueLeastPages, I, "2", false, "Dirty pages before a periodic flush."),
    F(flushConsumeQueueThoroughInterval, I, "60000", false, "Flush regardless of pages (ms)."),
    F(syncFlushTimeout, I, "5000", false, "SYNC_FLUSH wait before FLUSH_DISK_TIMEOUT (ms)."),
    F(checkCRCOnRecover, B, "true", false, "Check body CRCs during recovery."),
    F(messageIndexEnable, B, "true", false, "Build the key index."),
    F(messageIndexSafe, B, "false", false, "Accepted for compatibility."),
    F(maxHashSlotNum, I, "5000000", false, "Index slots per index file."),
    F(maxIndexNum, I, "20000000", false, "Index entries per index file."),
    F(maxMsgsNumBatch, I, "64", false, "Results of one key lookup at most."),
    F(maxMessageSize, I, "4194304", true, "Largest message body accepted (bytes)."),
    F(osPageCacheBusyTimeOutMills, L, "1000", true,
      "Append lock held longer: SYSTEM_BUSY (flow control)."),
    F(fileReservedTime, I, "72", true, "Hours a commit-log segment is kept."),
    F(deleteWhen, S, "04", true, "Hours of day (`04` or `03;04`) expired files are deleted."),
    F(diskMaxUsedSpaceRatio, I, "75", true, "Disk use (%) that triggers early deletion."),
    F(cleanFileForciblyEnable, B, "true", true, "Delete unexpired files when the disk is full."),
    F(deleteFileBatchMax, I, "10", true, "Files deleted per pass at most."),
    F(cleanResourceInterval, I, "10000", false, "Milliseconds between retention passes."),
    F(messageDelayLevel, S, "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h", false,
      "Delay levels."),
    F(maxTransferBytesOnMessageInMemory, I, "262144", true, "Bytes per pull at most."),
    F(maxTransferCountOnMessageInMemory, I, "32", true, "Messages per pull at most."),
    F(maxTransferBytesOnMessageInDisk, I, "65536", true, "Accepted for compatibility."),
    F(maxTransferCountOnMessageInDisk, I, "8", true, "Accepted for compatibility."),
    F(transientStorePoolEnable, B, "false", false, "Accepted for compatibility; unused."),
    F(timerWheelEnable, B, "true", false, "Create the timer topic (timer not available yet)."),
    F(enableConsumeQueueExt, B, "false", false, "Accepted for compatibility; unused."),
    F(enableDLegerCommitLog, B, "false", false, "Accepted for compatibility; unused."),
    F(bindAddress, S, "0.0.0.0", false, "Listen address of the main and fast ports."),
    F(serverWorkerThreads, I, "8", false, COMPAT),
    F(serverCallbackExecutorThreads, I, "0", false, COMPAT),
    F(serverSelectorThreads, I, "3", false,
      "I/O loop threads (Netty's selector threads), at most one per core."),
    F(serverOnewaySemaphoreValue, I, "256", false, "Accepted for compatibility; unused."),
    F(serverAsyncSemaphoreValue, I, "64", false, "Accepted for compatibility; unused."),
    F(serverChannelMaxIdleTimeSeconds, I, "120", false,
      "Close connections idle (no read, no write) this long."),
    F(serverSocketSndBufSize, I, "0", false, "Accepted for compatibility; unused."),
    F(serverSocketRcvBufSize, I, "0", false, "Accepted for compatibility; unused."),
    F(serverPooledByteBufAllocatorEnable, B, "true", false, "Accepted for compatibility."),
    F(useEpollNativeSelector, B, "false", false, "Accepted for compatibility; unused."),
};

#undef F
#undef B
#undef I
#undef L
#undef S

#define NROWS (sizeof rows / sizeof rows[0])

const broker_config_row_t *broker_config_table(size_t *count) {
    *count = NROWS;
    return rows;
}

static const broker_config_row_t *find_row(const char *key) {
    for (size_t i = 0; i < NROWS; i++)
        if (strcmp(rows[i].key, key) == 0)
            return &rows[i];
    return NULL;
}

static int set_field(broker_config_t *cfg, const broker_config_row_t *row, const char *value) {
    char *p = (char *)cfg + row->offset;
    size_t len = strlen(value);
    switch (row->type) {
    case BROKER_CFG_BOOL:
        *(bool *)p = rmq_parse_bool(value, len);
        return 0;
    case BROKER_CFG_INT: {
        int32_t v;
        if (rmq_parse_i32(value, len, &v) != 0)
            return -EINVAL;
        *(int32_t *)p = v;
        return 0;
    }
    case BROKER_CFG_LONG: {
        int64_t v;
        if (rmq_parse_i64(value, len, &v) != 0)
            return -EINVAL;
        *(int64_t *)p = v;
        return 0;
    }
    case BROKER_CFG_STR: {
        /* Java trims strings read by properties2Object. */
        char *s = rmq_strdup(value);
        rmq_str_trim(s);
        rmq_free(*(char **)p);
        *(char **)p = s;
        return 0;
    }
    }
    return -EINVAL;
}

/* The first non-loopback IPv4 address, as NetworkUtil.getLocalAddress prefers. */
static char *local_address(void) {
    struct ifaddrs *ifs = NULL;
    char buf[INET_ADDRSTRLEN] = "127.0.0.1";
    if (getifaddrs(&ifs) == 0) {
        for (struct ifaddrs *i = ifs; i; i = i->ifa_next) {
            if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || (i->ifa_flags & IFF_LOOPBACK))
                continue;
            inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, buf, sizeof buf);
            break;
        }
        freeifaddrs(ifs);
    }
    return rmq_strdup(buf);
}

static char *host_name(void) {
    char buf[256];
    if (gethostname(buf, sizeof buf - 1) != 0 || !buf[0])
        return rmq_strdup("DEFAULT_BROKER");
    buf[sizeof buf - 1] = 0;
    return rmq_strdup(buf);
}

void broker_config_init(broker_config_t *cfg) {
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < NROWS; i++)
        if (rows[i].def)
            set_field(cfg, &rows[i], rows[i].def);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int ncpu = cores > 0 ? (int)cores : 1;
    cfg->sendMessageThreadPoolNums = ncpu < 4 ? ncpu : 4;
    cfg->pullMessageThreadPoolNums = 16 + 2 * ncpu;
    cfg->litePullMessageThreadPoolNums = 16 + 2 * ncpu;
    cfg->queryMessageThreadPoolNums = 8 + ncpu;
    cfg->heartbeatThreadPoolNums = ncpu < 32 ? ncpu : 32;
    cfg->brokerName = host_name();
    const char *env = getenv("ROCKETMQ_HOME");
    cfg->rocketmqHome = env ? rmq_strdup(env) : NULL;
    env = getenv("NAMESRV_ADDR");
    cfg->namesrvAddr = env ? rmq_strdup(env) : NULL;
    cfg->brokerIP1 = local_address();
    cfg->brokerIP2 = local_address();
    const char *home = getenv("HOME");
    rmq_buf_t b;
    rmq_buf_init(&b);
    rmq_buf_appendf(&b, "%s/store", home ? home : ".");
    cfg->storePathRootDir = rmq_buf_steal(&b, NULL);
}

void broker_config_finish(broker_config_t *cfg) {
    if (!cfg->brokerConfigPath || !cfg->brokerConfigPath[0]) {
        rmq_free(cfg->brokerConfigPath);
        const char *home = getenv("HOME");
        rmq_buf_t b;
        rmq_buf_init(&b);
        rmq_buf_appendf(&b, "%s/store/config/broker.properties", home ? home : ".");
        cfg->brokerConfigPath = rmq_buf_steal(&b, NULL);
    }
    if (!cfg->storePathCommitLog || !cfg->storePathCommitLog[0]) {
        rmq_free(cfg->storePathCommitLog);
        rmq_buf_t b;
        rmq_buf_init(&b);
        rmq_buf_appendf(&b, "%s/commitlog", cfg->storePathRootDir);
        cfg->storePathCommitLog = rmq_buf_steal(&b, NULL);
    }
    if (cfg->haListenPort <= 0)
        cfg->haListenPort = cfg->listenPort + 1;
}

void broker_config_close(broker_config_t *cfg) {
    for (size_t i = 0; i < NROWS; i++)
        if (rows[i].type == BROKER_CFG_STR)
            rmq_free(*(char **)((char *)cfg + rows[i].offset));
    memset(cfg, 0, sizeof *cfg);
}

void broker_config_copy(broker_config_t *dst, const broker_config_t *src) {
    *dst = *src;
    for (size_t i = 0; i < NROWS; i++) {
        if (rows[i].type != BROKER_CFG_STR)
            continue;
        char **p = (char **)((char *)dst + rows[i].offset);
        *p = *p ? rmq_strdup(*p) : NULL;
    }
}

int broker_config_set(broker_config_t *cfg, const char *key, const char *value) {
    const broker_config_row_t *row = find_row(key);
    if (!row)
        return -ENOENT;
    return set_field(cfg, row, value);
}

int broker_config_apply(broker_config_t *cfg, const rmq_props_t *props) {
    int problems = 0;
    for (size_t i = 0; i < props->count; i++) {
        const rmq_prop_t *p = &props->items[i];
        int rc = broker_config_set(cfg, p->key, p->value);
        if (rc == -ENOENT) {
            rmq_log_warn("broker", "unknown config key %s ignored", p->key);
            problems++;
        } else if (rc != 0) {
            rmq_log_warn("broker", "bad value for config key %s: \"%s\"; keeping the default",
                         p->key, p->value);
            problems++;
        }
    }
    return problems;
}

bool broker_config_format_value(const broker_config_t *cfg, const broker_config_row_t *row,
                                rmq_buf_t *out) {
    const char *p = (const char *)cfg + row->offset;
    switch (row->type) {
    case BROKER_CFG_BOOL:
        rmq_buf_append_cstr(out, *(const bool *)p ? "true" : "false");
        return true;
    case BROKER_CFG_INT:
        rmq_buf_appendf(out, "%d", (int)*(const int32_t *)p);
        return true;
    case BROKER_CFG_LONG:
        rmq_buf_appendf(out, "%lld", (long long)*(const int64_t *)p);
        return true;
    case BROKER_CFG_STR: {
        const char *s = *(char *const *)p;
        if (s)
            rmq_buf_append_cstr(out, s);
        return s != NULL;
    }
    }
    return false;
}

void broker_config_print(const broker_config_t *cfg, rmq_buf_t *out) {
    for (size_t i = 0; i < NROWS; i++) {
        rmq_buf_appendf(out, "%s=", rows[i].key);
        broker_config_format_value(cfg, &rows[i], out);
        rmq_buf_append_u8(out, '\n');
    }
}
