/*
 * mqadmin: RocketMQ's admin CLI in C, with the Java tool's sub-command names, flags and
 * output layout (tools/src/main/java/org/apache/rocketmq/tools/command upstream).
 *
 *   mqadmin                     list of sub-commands
 *   mqadmin help CMD            usage of CMD
 *   mqadmin CMD [options]       run CMD (-n namesrvAddr or NAMESRV_ADDR)
 *
 * Sub-command names match case-insensitively, as in MQAdminStartup. Unlike the Java
 * tool, which always exits 0, a failed command exits 1.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* In the order MQAdminStartup registers them (what `mqadmin` lists). */
static const cli_cmd_t *const commands[] = {
    &cmd_update_topic,        &cmd_delete_topic,          &cmd_update_sub_group,
    &cmd_delete_sub_group,    &cmd_update_broker_config,  &cmd_topic_route,
    &cmd_topic_status,        &cmd_broker_status,         &cmd_query_msg_by_id,
    &cmd_query_msg_by_key,    &cmd_query_msg_by_offset,   &cmd_producer_connection,
    &cmd_consumer_connection, &cmd_consumer_progress,     &cmd_cluster_list,
    &cmd_topic_list,          &cmd_update_kv_config,      &cmd_delete_kv_config,
    &cmd_wipe_write_perm,     &cmd_add_write_perm,        &cmd_reset_offset_by_time,
    &cmd_get_namesrv_config,  &cmd_update_namesrv_config, &cmd_get_broker_config,
    &cmd_send_message,        &cmd_consume_message,
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const cli_cmd_t *find_command(const char *name) {
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcasecmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void print_command_list(void) {
    printf("The most commonly used mqadmin commands are:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("   %-35s %s\n", commands[i]->name, commands[i]->desc);
    printf("\nSee 'mqadmin help <command>' for more information on a specific command.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_command_list();
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "help") == 0) {
        const cli_cmd_t *cmd = find_command(argv[2]);
        if (!cmd) {
            printf("The sub command %s not exist.\n", argv[2]);
            return 1;
        }
        cli_print_help(cmd);
        return 0;
    }
    const cli_cmd_t *cmd = find_command(argv[1]);
    if (!cmd) {
        printf("The sub command %s not exist.\n", argv[1]);
        return 1;
    }
    cli_args_t args;
    cli_parse(cmd, argc - 2, argv + 2, &args);
    int rc = cmd->run(&args);
    cli_args_close(&args);
    fflush(stdout);
    return rc;
}
