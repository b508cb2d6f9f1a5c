/*
 * mqadmin clusterList (upstream command/cluster/ClusterListSubCommand): cluster and
 * broker names and addresses from the NameServer, and per broker address the runtime
 * statistics the broker answers GET_BROKER_RUNTIME_INFO with. A broker that does not
 * answer prints its exception and a row of defaults, as the Java tool does; a key the
 * broker does not send prints "null" where Java's Map.get would.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>

static long long now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Map.get as %s prints it. */
static const char *get_or_null(const rmq_kvlist_t *kv, const char *key) {
    const char *v = rmq_kvlist_get(kv, key);
    return v ? v : "null";
}

/* Long.parseLong / Float.parseFloat as the tool uses them: 0 on failure. */
static bool parse_ll(const char *s, long long *out) {
    char *end;
    if (!s || !*s)
        return false;
    *out = strtoll(s, &end, 10);
    return *end == '\0';
}

static bool parse_double(const char *s, double *out) {
    char *end;
    if (!s || !*s)
        return false;
    *out = strtod(s, &end);
    return *end == '\0';
}

/* First space-separated field of a "1.0 2.0 3.0" TPS string, 0 when blank. */
static double first_tps(const char *s) {
    if (!s)
        return 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    char *sp = strchr(buf, ' ');
    if (sp)
        *sp = '\0';
    double v = 0;
    parse_double(buf, &v);
    return v;
}

static void print_base_row(rmq_admin_t *admin, const cli_cmd_t *cmd, const char *cluster,
                           const char *broker, long long id, const char *addr) {
    char errstr[1024];
    rmq_kvlist_t *kv = NULL;
    rmq_err_t err = rmq_admin_broker_runtime_info(admin, addr, &kv, errstr, sizeof errstr);
    const char *version = "", *send_q = "", *pull_q = "", *ack_q = "", *send_w = "", *pull_w = "",
               *ack_w = "", *pc_lock = "", *earliest = "", *disk_ratio = "";
    long long timer_read = 0, timer_offset = 0, timer_congest = 0;
    double timer_enq = 0, timer_deq = 0, in = 0, out = 0;
    bool active = false;
    if (err) {
        mqadmin_print_exception(cmd, false, true, err, errstr, addr);
    } else {
        const char *a = rmq_kvlist_get(kv, "brokerActive");
        active = a && strcasecmp(a, "true") == 0;
        send_q = get_or_null(kv, "sendThreadPoolQueueSize");
        pull_q = get_or_null(kv, "pullThreadPoolQueueSize");
        ack_q = rmq_kvlist_get(kv, "ackThreadPoolQueueSize");
        ack_q = ack_q ? ack_q : "N";
        send_w = get_or_null(kv, "sendThreadPoolQueueHeadWaitTimeMills");
        pull_w = get_or_null(kv, "pullThreadPoolQueueHeadWaitTimeMills");
        ack_w = rmq_kvlist_get(kv, "ackThreadPoolQueueHeadWaitTimeMills");
        ack_w = ack_w ? ack_w : "N";
        pc_lock = get_or_null(kv, "pageCacheLockTimeMills");
        earliest = rmq_kvlist_get(kv, "earliestMessageTimeStamp");
        disk_ratio = rmq_kvlist_get(kv, "commitLogDiskRatio");
        /* One try block upstream: the first unparsable value stops the rest. */
        double f;
        if (parse_ll(rmq_kvlist_get(kv, "timerReadBehind"), &timer_read) &&
            parse_ll(rmq_kvlist_get(kv, "timerOffsetBehind"), &timer_offset) &&
            parse_ll(rmq_kvlist_get(kv, "timerCongestNum"), &timer_congest) &&
            parse_double(rmq_kvlist_get(kv, "timerEnqueueTps"), &f)) {
            timer_enq = (float)f;
            if (parse_double(rmq_kvlist_get(kv, "timerDequeueTps"), &f))
                timer_deq = (float)f;
        }
        version = get_or_null(kv, "brokerVersionDesc");
        in = first_tps(rmq_kvlist_get(kv, "putTps"));
        out = first_tps(rmq_kvlist_get(kv, "getTransferredTps"));
    }
    double hour = 0, space = 0;
    long long earliest_ms;
    if (earliest && *earliest && parse_ll(earliest, &earliest_ms))
        hour = (double)(now_ms() - earliest_ms) / 1000.0 / 60.0 / 60.0;
    if (disk_ratio && *disk_ratio)
        parse_double(disk_ratio, &space);

    char num[64], in_col[256], out_col[512], timer_col[256], hour_col[64], space_col[64];
    char enq[32], deq[32], congest[32];
    java_format_fixed(num, sizeof num, 9, 2, in);
    snprintf(in_col, sizeof in_col, "%s(%s,%sms)", num, send_q, send_w);
    java_format_fixed(num, sizeof num, 9, 2, out);
    snprintf(out_col, sizeof out_col, "%s(%s,%sms|%s,%sms)", num, pull_q, pull_w, ack_q, ack_w);
    java_format_fixed(congest, sizeof congest, 0, 1, (double)((float)timer_congest / 10000.0f));
    java_format_fixed(enq, sizeof enq, 0, 1, timer_enq);
    java_format_fixed(deq, sizeof deq, 0, 1, timer_deq);
    snprintf(timer_col, sizeof timer_col, "%lld-%lld(%sw, %s, %s)", timer_read, timer_offset,
             congest, enq, deq);
    java_format_fixed(hour_col, sizeof hour_col, 2, 2, hour);
    java_format_fixed(space_col, sizeof space_col, 0, 4, space);
    char id_col[24];
    snprintf(id_col, sizeof id_col, "%lld", id);
    printf("%-22s  %-22s  %-4s  %-22s %-16s  %16s  %30s  %-22s  %11s  %-12s  %-8s  %10s\n", cluster,
           broker, id_col, addr, version, in_col, out_col, timer_col, pc_lock, hour_col, space_col,
           active ? "true" : "false");
    rmq_kvlist_destroy(kv);
}

/* msgPut/GetTotal* differences; 0 when any is missing (one try block upstream). */
static void print_more_row(rmq_admin_t *admin, const char *cluster, const char *broker,
                           const char *addr) {
    char errstr[1024];
    rmq_kvlist_t *kv = NULL;
    long long v[6] = {0}, in_yest = 0, out_yest = 0, in_today = 0, out_today = 0;
    static const char *const keys[6] = {
        "msgPutTotalYesterdayMorning", "msgPutTotalTodayMorning", "msgPutTotalTodayNow",
        "msgGetTotalYesterdayMorning", "msgGetTotalTodayMorning", "msgGetTotalTodayNow"};
    if (rmq_admin_broker_runtime_info(admin, addr, &kv, errstr, sizeof errstr) == 0) {
        bool ok = true;
        for (int i = 0; i < 6 && ok; i++)
            ok = parse_ll(rmq_kvlist_get(kv, keys[i]), &v[i]);
        if (ok) {
            in_yest = v[1] - v[0];
            out_yest = v[4] - v[3];
            in_today = v[2] - v[1];
            out_today = v[5] - v[4];
        }
    }
    printf("%-16s  %-32s %14lld %14lld %14lld %14lld\n", cluster, broker, in_yest, out_yest,
           in_today, out_today);
    rmq_kvlist_destroy(kv);
}

static void print_cluster(rmq_admin_t *admin, const cli_cmd_t *cmd, const rmq_cluster_info_t *ci,
                          size_t c, const char *cluster, bool more) {
    size_t nb = rmq_cluster_info_cluster_broker_count(ci, c);
    for (size_t j = 0; j < nb; j++) {
        const char *broker = rmq_cluster_info_cluster_broker(ci, c, j);
        const rmq_broker_data_t *bd = rmq_cluster_info_find_broker(ci, broker);
        for (size_t k = 0; bd && k < rmq_broker_data_addr_count(bd); k++) {
            const char *addr = rmq_broker_data_addr(bd, k);
            if (more)
                print_more_row(admin, cluster, broker, addr);
            else
                print_base_row(admin, cmd, cluster, broker, rmq_broker_data_addr_id(bd, k), addr);
        }
    }
}

static int run_cluster_list(const cli_args_t *args) {
    const char *only = cli_get(args, 'c');
    const char *interval = cli_get(args, 'i');
    bool more = cli_has(args, 'm');
    long long interval_ms = 1;
    if (interval && !parse_ll(interval, &interval_ms)) {
        fprintf(stderr, "java.lang.NumberFormatException: For input string: \"%s\"\n", interval);
        return 1;
    }
    interval_ms = interval ? interval_ms * 1000 : 1;
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    int rc = 0;
    for (long i = 0;; i++) {
        if (i > 0)
            usleep((useconds_t)(interval_ms * 1000));
        char errstr[1024];
        rmq_cluster_info_t *ci = NULL;
        rmq_err_t err = rmq_admin_cluster_info(admin, &ci, errstr, sizeof errstr);
        if (err) {
            mqadmin_print_exception(args->cmd, true, true, err, errstr, NULL);
            rc = 1;
            break;
        }
        if (more)
            printf("%-16s  %-32s %14s %14s %14s %14s\n", "#Cluster Name", "#Broker Name",
                   "#InTotalYest", "#OutTotalYest", "#InTotalToday", "#OutTotalToday");
        else
            printf("%-22s  %-22s  %-4s  %-22s %-16s  %16s  %30s  %-22s  %-11s  %-12s  %-8s  "
                   "%-10s\n",
                   "#Cluster Name", "#Broker Name", "#BID", "#Addr", "#Version", "#InTPS(LOAD)",
                   "#OutTPS(LOAD)", "#Timer(Progress)", "#PCWait(ms)", "#Hour", "#SPACE",
                   "#ACTIVATED");
        for (size_t c = 0; c < rmq_cluster_info_cluster_count(ci); c++) {
            const char *name = rmq_cluster_info_cluster_name(ci, c);
            if (only && *only && strcmp(only, name) != 0)
                continue;
            print_cluster(admin, args->cmd, ci, c, name, more);
        }
        rmq_cluster_info_destroy(ci);
        fflush(stdout);
        if (!interval)
            break;
    }
    rmq_admin_destroy(admin);
    return rc;
}

const cli_cmd_t cmd_cluster_list = {
    .name = "clusterList",
    .desc = "List cluster infos.",
    .java_class = "ClusterListSubCommand",
    .opts = {{'m', "moreStats", false, false, "Print more stats"},
             {'i', "interval", true, false, "specify intervals numbers, it is in seconds"},
             {'c', "clusterName", true, false, "which cluster"}},
    .run = run_cluster_list,
};
