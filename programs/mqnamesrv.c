/*
 * mqnamesrv: the NameServer. Flags as upstream's mqnamesrv:
 *   -c, --configFile FILE    namesrv.conf (Java properties); also where
 *                            UPDATE_NAMESRV_CONFIG persists changes
 *   -p, --printConfigItem    print the effective configuration and exit
 *   -n, --namesrvAddr ADDR   accepted and ignored, as the Java NameServer does
 *   -h, --help
 * plus --config-doc, which prints the configuration table as Markdown (the source of
 * docs/configuration.md).
 *
 * Stops cleanly on SIGTERM or SIGINT. Prints "The Name Server boot success.
 * serializeType=JSON, address HOST:PORT" once it listens, like the Java NameServer.
 */
#include "common/signals.h"
#include "common/log.h"
#include "namesrv/namesrv.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out) {
    fprintf(out, "usage: mqnamesrv [-c configFile] [-p] [-h]\n"
                 " -c,--configFile <arg>    Name server config properties file\n"
                 " -h,--help                Print help\n"
                 " -n,--namesrvAddr <arg>   Name server address list (ignored)\n"
                 " -p,--printConfigItem     Print all config items\n");
}

static void print_config_doc(void) {
    size_t n;
    const namesrv_config_row_t *rows = namesrv_config_table(&n);
    static const char *const types[] = {"bool", "int", "long", "string"};
    printf("| key | type | default | reloadable | description |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++)
        printf("| `%s` | %s | %s | %s | %s |\n", rows[i].key, types[rows[i].type],
               rows[i].def ? (rows[i].def[0] ? rows[i].def : "(empty)") : "see description",
               rows[i].reloadable ? "yes" : "no", rows[i].description);
}

/* Loads -c FILE into cfg; unknown keys go to extra. Returns 0 or -errno. */
static int load_config_file(const char *path, namesrv_config_t *cfg, rmq_props_t *extra) {
    rmq_props_t props;
    rmq_props_init(&props);
    int rc = rmq_props_load(&props, path);
    if (rc == 0) {
        namesrv_config_apply(cfg, &props, extra);
        namesrv_config_set(cfg, "configStorePath", path); /* as NamesrvStartup does */
        printf("load config properties file OK, %s\n", path);
    }
    rmq_props_close(&props);
    return rc;
}

/* Blocks until SIGTERM or SIGINT (blocked in every thread before they start). */
int main(int argc, char **argv) {
    static const struct option longopts[] = {
        {"configFile", required_argument, NULL, 'c'},  {"printConfigItem", no_argument, NULL, 'p'},
        {"namesrvAddr", required_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'},
        {"config-doc", no_argument, NULL, 'D'},        {NULL, 0, NULL, 0},
    };
    const char *config_file = NULL;
    bool print = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:pn:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            config_file = optarg;
            break;
        case 'p':
            print = true;
            break;
        case 'n':
            break;
        case 'D':
            print_config_doc();
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 1;
        }
    }

    namesrv_config_t cfg;
    rmq_props_t extra;
    namesrv_config_init(&cfg);
    rmq_props_init(&extra);
    if (config_file) {
        int rc = load_config_file(config_file, &cfg, &extra);
        if (rc != 0) {
            fprintf(stderr, "mqnamesrv: cannot read %s: %s\n", config_file, strerror(-rc));
            return 1;
        }
    }
    if (print) {
        rmq_buf_t b;
        rmq_buf_init(&b);
        namesrv_config_print(&cfg, &b);
        fwrite(b.data, 1, b.len, stdout);
        rmq_buf_close(&b);
        return 0;
    }

    sigset_t set;
    rmq_stop_signals_block(&set);

    namesrv_t *ns = NULL;
    int rc = namesrv_new(&cfg, &extra, &ns);
    if (rc == 0)
        rc = namesrv_start(ns);
    if (rc != 0) {
        fprintf(stderr, "mqnamesrv: start failed: %s\n", strerror(-rc));
        namesrv_destroy(ns);
        return 3;
    }
    printf("The Name Server boot success. serializeType=JSON, address %s:%d\n", cfg.bindAddress,
           namesrv_port(ns));
    fflush(stdout);
    rmq_log_info("namesrv", "The Name Server boot success. serializeType=JSON, address %s:%d",
                 cfg.bindAddress, namesrv_port(ns));

    int sig = rmq_stop_signals_wait(&set);
    rmq_log_info("namesrv", "signal %d, shutting down", sig);
    namesrv_destroy(ns);
    namesrv_config_close(&cfg);
    rmq_props_close(&extra);
    return 0;
}
