/*
 * mqbroker: the broker. Flags as upstream's mqbroker:
 *   -c, --configFile FILE    broker.conf (Java properties)
 *   -n, --namesrvAddr ADDR   NameServer addresses, overrides namesrvAddr
 *   -p, --printConfigItem    print the effective configuration and exit
 *   -h, --help
 * plus --config-doc, which prints the configuration table as Markdown (the source of
 * docs/configuration.md).
 *
 * Stops cleanly on SIGTERM or SIGINT: unregisters from the NameServers, closes the
 * ports, persists offsets and configs, flushes and closes the store (removing `abort`).
 * Prints "The broker[NAME, IP:PORT] boot success. serializeType=JSON and name server is
 * ADDR" once it listens, like the Java broker.
 */
#include "broker/broker.h"
#include "common/signals.h"
#include "common/log.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out) {
    fprintf(out, "usage: mqbroker [-c configFile] [-n namesrvAddr] [-p] [-h]\n"
                 " -c,--configFile <arg>       Broker config properties file\n"
                 " -h,--help                   Print help\n"
                 " -n,--namesrvAddr <arg>      Name server address list, eg: "
                 "'192.168.0.1:9876;192.168.0.2:9876'\n"
                 " -p,--printConfigItem        Print all config items\n");
}

static void print_config_doc(void) {
    size_t n;
    const broker_config_row_t *rows = broker_config_table(&n);
    static const char *const types[] = {"bool", "int", "long", "string"};
    printf("| key | type | default | reloadable | description |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++)
        printf("| `%s` | %s | %s | %s | %s |\n", rows[i].key, types[rows[i].type],
               rows[i].def ? (rows[i].def[0] ? rows[i].def : "(empty)") : "see description",
               rows[i].reloadable ? "yes" : "no", rows[i].description);
}

int main(int argc, char **argv) {
    static const struct option longopts[] = {
        {"configFile", required_argument, NULL, 'c'},  {"printConfigItem", no_argument, NULL, 'p'},
        {"namesrvAddr", required_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'},
        {"config-doc", no_argument, NULL, 'D'},        {NULL, 0, NULL, 0},
    };
    const char *config_file = NULL, *namesrv = NULL;
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
            namesrv = optarg;
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

    broker_config_t cfg;
    broker_config_init(&cfg);
    if (config_file) {
        rmq_props_t props;
        rmq_props_init(&props);
        int rc = rmq_props_load(&props, config_file);
        if (rc != 0) {
            fprintf(stderr, "mqbroker: cannot read %s: %s\n", config_file, strerror(-rc));
            return 1;
        }
        broker_config_apply(&cfg, &props);
        rmq_props_close(&props);
        /* As BrokerStartup: configuration updates are written back to the -c file. */
        if (!cfg.brokerConfigPath)
            broker_config_set(&cfg, "brokerConfigPath", config_file);
        printf("load config properties file OK, %s\n", config_file);
    }
    if (namesrv)
        broker_config_set(&cfg, "namesrvAddr", namesrv);
    broker_config_finish(&cfg);
    if (print) {
        rmq_buf_t b;
        rmq_buf_init(&b);
        broker_config_print(&cfg, &b);
        fwrite(b.data, 1, b.len, stdout);
        rmq_buf_close(&b);
        broker_config_close(&cfg);
        return 0;
    }

    sigset_t set;
    rmq_stop_signals_block(&set);

    broker_t *b = NULL;
    int rc = broker_new(&cfg, true, &b);
    if (rc == 0)
        rc = broker_start(b);
    if (rc != 0) {
        fprintf(stderr, "mqbroker: start failed: %s\n", strerror(-rc));
        broker_destroy(b);
        broker_config_close(&cfg);
        return 3;
    }
    printf("The broker[%s, %s:%d] boot success. serializeType=JSON and name server is %s\n",
           cfg.brokerName, cfg.brokerIP1, broker_port(b), cfg.namesrvAddr ? cfg.namesrvAddr : "");
    fflush(stdout);

    int sig = rmq_stop_signals_wait(&set);
    rmq_log_info("broker", "signal %d, shutting down", sig);
    broker_destroy(b);
    broker_config_close(&cfg);
    return 0;
}
