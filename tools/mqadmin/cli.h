/*
 * mqadmin's command line, in the manner of Apache commons-cli as RocketMQ's MQAdminStartup
 * uses it: every sub-command has the options -h/--help and -n/--namesrvAddr plus its
 * own; "-t v", "-tv", "--topic v" and "--topic=v" are accepted; a missing required
 * option or an unknown one prints the message and the usage (HelpFormatter, width 110)
 * and exits 1. Java exception output is imitated by mqadmin_fail().
 */
#ifndef MQADMIN_CLI_H
#define MQADMIN_CLI_H

#include <rocketmq/rocketmq.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CLI_MAX_OPTS 16

typedef struct {
    char opt;        /* short name */
    const char *lng; /* long name */
    bool has_arg;
    bool required;
    const char *desc;
    int group; /* options with the same non-zero group form one required OptionGroup */
} cli_opt_t;

typedef struct cli_cmd cli_cmd_t;

/* Parsed options of one invocation. */
typedef struct {
    const cli_cmd_t *cmd;
    const char *values[CLI_MAX_OPTS]; /* by option index, trimmed; "" for a present flag */
    char *owned[CLI_MAX_OPTS];        /* trimmed copies behind values */
    const cli_opt_t *opts[CLI_MAX_OPTS];
    size_t count;
} cli_args_t;

struct cli_cmd {
    const char *name;
    const char *desc;
    const char *java_class; /* simple class name, for exception output */
    cli_opt_t opts[CLI_MAX_OPTS - 2];
    int (*run)(const cli_args_t *args);
};

/* Value of option `opt` (NULL when absent; "" for a flag that is present), trimmed. */
const char *cli_get(const cli_args_t *args, char opt);
bool cli_has(const cli_args_t *args, char opt);
/* The same for an option that has only a long name (opt 0). */
const char *cli_get_long(const cli_args_t *args, const char *lng);

/* Parses argv for cmd; on error or -h prints as commons-cli does and exits. */
void cli_parse(const cli_cmd_t *cmd, int argc, char **argv, cli_args_t *out);
void cli_print_help(const cli_cmd_t *cmd);
/* Frees what cli_parse allocated. */
void cli_args_close(cli_args_t *args);

/* An admin handle for the -n option (or NAMESRV_ADDR); prints the error and returns
 * NULL on failure. namesrv_override, if not NULL, replaces -n. */
rmq_admin_t *cli_admin(const cli_args_t *args, const char *namesrv_override);

/*
 * Prints a failure as Java's e.printStackTrace() prints its first lines: for a command
 * failure ("wrapped") the SubCommandException line, then "Caused by: " and the cause as
 * RocketMQ's client would throw it for `err` (MQClientException, MQBrokerException or a
 * remoting exception). `broker_exc` picks MQBrokerException for response codes.
 */
void mqadmin_print_exception(const cli_cmd_t *cmd, bool wrapped, bool broker_exc, rmq_err_t err,
                             const char *errstr, const char *broker_addr);

/* e.printStackTrace() of MQClientException(message) (the FAQ line added unless the
 * message has a "\nSee " one), then, for a response code `cause` > 0, "Caused by: " the
 * MQClientException(cause, cause_errstr) under it. */
void mqadmin_print_client_exception(const char *message, rmq_err_t cause, const char *cause_errstr);

/* The sub-commands (cmd_*.c). */
extern const cli_cmd_t cmd_cluster_list;
extern const cli_cmd_t cmd_topic_list;
extern const cli_cmd_t cmd_topic_route;
extern const cli_cmd_t cmd_update_kv_config;
extern const cli_cmd_t cmd_delete_kv_config;
extern const cli_cmd_t cmd_get_namesrv_config;
extern const cli_cmd_t cmd_update_namesrv_config;
extern const cli_cmd_t cmd_wipe_write_perm;
extern const cli_cmd_t cmd_add_write_perm;
extern const cli_cmd_t cmd_update_topic;
extern const cli_cmd_t cmd_delete_topic;
extern const cli_cmd_t cmd_topic_status;
extern const cli_cmd_t cmd_broker_status;
extern const cli_cmd_t cmd_get_broker_config;
extern const cli_cmd_t cmd_update_broker_config;
extern const cli_cmd_t cmd_update_sub_group;
extern const cli_cmd_t cmd_delete_sub_group;
extern const cli_cmd_t cmd_consumer_connection;
extern const cli_cmd_t cmd_producer_connection;
extern const cli_cmd_t cmd_consumer_progress;
extern const cli_cmd_t cmd_send_message;
extern const cli_cmd_t cmd_reset_offset_by_time;
extern const cli_cmd_t cmd_query_msg_by_id;
extern const cli_cmd_t cmd_query_msg_by_key;
extern const cli_cmd_t cmd_query_msg_by_offset;
extern const cli_cmd_t cmd_consume_message;

/* Helpers of the broker commands (cmd_broker.c). */
bool java_parse_bool(const char *s);
/* CommandUtil.fetchMaster(AndSlave)AddrByClusterName: a NULL-terminated array (free())
 * of addresses borrowed from *ci (destroy it after); NULL with the exception printed. */
const char **cli_master_addrs(rmq_admin_t *admin, const cli_cmd_t *cmd, const char *cluster,
                              bool with_slaves, rmq_cluster_info_t **ci);
/* BrokerData.selectBrokerAddr. */
const char *cli_select_broker_addr(const rmq_broker_data_t *bd);
/* Long.parseLong, strictly (the whole string, base 10). */
bool java_parse_long(const char *s, long long *out);
/* The tools' timestamp option: milliseconds, else local "yyyy-MM-dd#HH:mm:ss:SSS"
 * (UtilAll.YYYY_MM_DD_HH_MM_SS_SSS with '#'); false when neither. */
bool java_parse_timestamp(const char *s, long long *out);
/* UtilAll.timeMillisToHumanString2 (local time "yyyy-MM-dd HH:mm:ss,SSS"). */
void java_time_human2(char *out, size_t outlen, long long ms);
/* DeleteTopicSubCommand.deleteTopic; prints its two lines when `print`. 0 or 1. */
int cli_delete_topic(rmq_admin_t *admin, const cli_cmd_t *cmd, const char *cluster,
                     const char *topic, bool print);
/* MQVersion.getVersionDesc (version.c). */
const char *mq_version_desc(int value);

/* examineConsumerConnectionInfo(group) (cmd_progress.c): the connections on a broker of
 * the group's retry topic route; NULL when that fails or nobody is connected. */
rmq_connections_t *cli_group_connections(rmq_admin_t *admin, const char *group);

/* Message printing (cmd_query.c). QueryMsgByIdSubCommand.printMsg: the details block,
 * the body saved to /tmp/rocketmq/msgbodys/<msgId> (and printed when print_body), then
 * the MessageTrack section. m NULL prints "Message not found!". */
void cli_print_msg(rmq_admin_t *admin, const rmq_message_ext_t *m, bool print_body);
/* String.hashCode of an ASCII/Latin-1 string. */
int32_t java_string_hash(const char *s);
/* Order in which a java.util.HashMap created with table size `table` (grown as Java
 * grows it for n entries) iterates n keys with hashCode()s `hashes` put in array order:
 * fills order[0..n) with key indexes. */
void java_hash_order(const int32_t *hashes, size_t n, size_t table, size_t *order);
/* Order in which a java.util.HashMap created with table size `table` iterates `keys`
 * (ASCII) put in array order: fills order[0..n) with key indexes. */
void java_hash_map_order(const char *const *keys, size_t n, size_t table, size_t *order);
/* MessageExt.getProperties().toString() ("{k=v, k2=v2}", HashMap(128) order); free(). */
char *java_message_properties(const rmq_message_t *msg);

/* Message printing (cmd_consume.c). */
/* MessageQueue.hashCode. */
int32_t java_message_queue_hash(const char *topic, const char *broker_name, int queue_id);
/* Arrays.toString(byte[]): "[104, -1]" ("null" for NULL); free(). */
char *java_byte_array(const void *bytes, size_t len);
/* MessageExt.toString() of a pulled message (MessageClientExt: msgId is the offset id,
 * hosts as InetSocketAddress prints them); free(). */
char *java_message_ext_string(const rmq_message_ext_t *m);

/* Java number formatting (javafmt.c): String.format("%W.Pf", v) with Java's rounding
 * (shortest decimal representation, then half-up) into out. */
void java_format_fixed(char *out, size_t outlen, int width, int prec, double v);

#endif
