/*
 * mqadmin's NameServer commands: updateKvConfig, deleteKvConfig, getNamesrvConfig,
 * updateNamesrvConfig, wipeWritePerm, addWritePerm (upstream package command.namesrv).
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ KV */

static int run_update_kv(const cli_args_t *args) {
    const char *ns = cli_get(args, 's'), *key = cli_get(args, 'k'), *value = cli_get(args, 'v');
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char errstr[1024];
    rmq_err_t err = rmq_admin_kv_put(admin, ns, key, value, errstr, sizeof errstr);
    if (err == RMQ_ERR_NO_ERROR)
        printf("create or update kv config to namespace success.\n");
    else
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

static int run_delete_kv(const cli_args_t *args) {
    const char *ns = cli_get(args, 's'), *key = cli_get(args, 'k');
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    char errstr[1024];
    rmq_err_t err = rmq_admin_kv_delete(admin, ns, key, errstr, sizeof errstr);
    if (err == RMQ_ERR_NO_ERROR)
        printf("delete kv config from namespace success.\n");
    else
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

const cli_cmd_t cmd_update_kv_config = {
    .name = "updateKvConfig",
    .desc = "Create or update KV config.",
    .java_class = "UpdateKvConfigCommand",
    .opts = {{'s', "namespace", true, true, "set the namespace"},
             {'k', "key", true, true, "set the key name"},
             {'v', "value", true, true, "set the key value"}},
    .run = run_update_kv,
};

const cli_cmd_t cmd_delete_kv_config = {
    .name = "deleteKvConfig",
    .desc = "Delete KV config.",
    .java_class = "DeleteKvConfigCommand",
    .opts = {{'s', "namespace", true, true, "set the namespace"},
             {'k', "key", true, true, "set the key name"}},
    .run = run_delete_kv,
};

/* ------------------------------------------------------------------ config */

static int run_get_config(const cli_args_t *args) {
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    /* Java collects every NameServer's config into a HashMap first, failing as a whole
     * on the first error, then prints them. */
    size_t n = rmq_admin_namesrv_count(admin);
    rmq_kvlist_t *configs[64] = {0};
    if (n > 64)
        n = 64;
    char errstr[1024];
    rmq_err_t err = RMQ_ERR_NO_ERROR;
    for (size_t i = 0; i < n && !err; i++)
        err = rmq_admin_namesrv_config_get(admin, rmq_admin_namesrv_addr(admin, i), &configs[i],
                                           errstr, sizeof errstr);
    if (err) {
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
    } else {
        for (size_t i = 0; i < n; i++) {
            printf("============%s============\n", rmq_admin_namesrv_addr(admin, i));
            for (size_t j = 0; j < rmq_kvlist_count(configs[i]); j++)
                printf("%-50s=  %s\n", rmq_kvlist_key(configs[i], j),
                       rmq_kvlist_value(configs[i], j));
        }
    }
    for (size_t i = 0; i < n; i++)
        rmq_kvlist_destroy(configs[i]);
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

static int run_update_config(const cli_args_t *args) {
    const char *key = cli_get(args, 'k'), *value = cli_get(args, 'v');
    const char *servers = cli_get(args, 'n');
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    rmq_kvlist_t *props = rmq_kvlist_new();
    rmq_kvlist_set(props, key, value);
    char errstr[1024];
    rmq_err_t err = rmq_admin_namesrv_config_update(admin, NULL, props, errstr, sizeof errstr);
    rmq_kvlist_destroy(props);
    if (err) {
        mqadmin_print_exception(args->cmd, true, false, err, errstr, NULL);
    } else {
        /* Java prints the -n list as a List's toString: "[a, b]", or nothing. */
        printf("update name server config success!");
        if (servers && *servers) {
            printf("[");
            for (size_t i = 0; i < rmq_admin_namesrv_count(admin); i++)
                printf("%s%s", i ? ", " : "", rmq_admin_namesrv_addr(admin, i));
            printf("]");
        }
        printf("\n%s : %s\n", key, value);
    }
    rmq_admin_destroy(admin);
    return err ? 1 : 0;
}

const cli_cmd_t cmd_get_namesrv_config = {
    .name = "getNamesrvConfig",
    .desc = "Get configs of name server.",
    .java_class = "GetNamesrvConfigCommand",
    .run = run_get_config,
};

const cli_cmd_t cmd_update_namesrv_config = {
    .name = "updateNamesrvConfig",
    .desc = "Update configs of name server.",
    .java_class = "UpdateNamesrvConfigCommand",
    .opts = {{'k', "key", true, true, "config key"}, {'v', "value", true, true, "config value"}},
    .run = run_update_config,
};

/* ------------------------------------------------------------------ write permission */

static int run_perm(const cli_args_t *args, bool wipe) {
    const char *broker = cli_get(args, 'b');
    rmq_admin_t *admin = cli_admin(args, NULL);
    if (!admin)
        return 1;
    int failures = 0;
    for (size_t i = 0; i < rmq_admin_namesrv_count(admin); i++) {
        const char *ns = rmq_admin_namesrv_addr(admin, i);
        char errstr[1024];
        int count = 0;
        rmq_err_t err =
            wipe ? rmq_admin_wipe_write_perm(admin, ns, broker, &count, errstr, sizeof errstr)
                 : rmq_admin_add_write_perm(admin, ns, broker, &count, errstr, sizeof errstr);
        const char *verb = wipe ? "wipe" : "add";
        if (err == RMQ_ERR_NO_ERROR) {
            printf("%s write perm of broker[%s] in name server[%s] OK, %d\n", verb, broker, ns,
                   count);
        } else {
            printf("%s write perm of broker[%s] in name server[%s] Failed\n", verb, broker, ns);
            mqadmin_print_exception(args->cmd, false, false, err, errstr, NULL);
            failures++;
        }
    }
    rmq_admin_destroy(admin);
    return failures ? 1 : 0;
}

static int run_wipe(const cli_args_t *args) {
    return run_perm(args, true);
}

static int run_add(const cli_args_t *args) {
    return run_perm(args, false);
}

const cli_cmd_t cmd_wipe_write_perm = {
    .name = "wipeWritePerm",
    .desc = "Wipe write perm of broker in all name server you defined in the -n param.",
    .java_class = "WipeWritePermSubCommand",
    .opts = {{'b', "brokerName", true, true, "broker name"}},
    .run = run_wipe,
};

const cli_cmd_t cmd_add_write_perm = {
    .name = "addWritePerm",
    .desc = "Add write perm of broker in all name server you defined in the -n param.",
    .java_class = "AddWritePermSubCommand",
    .opts = {{'b', "brokerName", true, true, "broker name"}},
    .run = run_add,
};
