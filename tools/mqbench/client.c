/*
 * mqbench: the client configuration of a run (client.h).
 */
#include "client.h"

#include <stdio.h>
#include <string.h>

static int set(rmq_conf_t *conf, const char *key, const char *value, const char *what) {
    char errstr[256];
    if (rmq_conf_set(conf, key, value, errstr, sizeof errstr) == RMQ_ERR_NO_ERROR)
        return 0;
    fprintf(stderr, "mqbench: %s: %s\n", what, errstr);
    return -1;
}

rmq_conf_t *bench_client_conf(const bench_opts_t *o, const char *const *defaults) {
    rmq_conf_t *conf = rmq_conf_new();
    /* The library logs each failed connect at info: one line per retry in a benchmark.
     * --conf logLevel=info brings it back. */
    rmq_conf_set(conf, "logLevel", "warn", NULL, 0);
    if (o->namesrv && set(conf, "namesrvAddr", o->namesrv, "-n"))
        goto fail;
    if (set(conf, "producerGroup", o->group, "-g") || set(conf, "consumerGroup", o->group, "-g"))
        goto fail;
    for (size_t i = 0; defaults && defaults[i]; i += 2)
        if (set(conf, defaults[i], defaults[i + 1], defaults[i]))
            goto fail;
    for (size_t i = 0; i < o->conf_count; i++) {
        char key[128];
        const char *eq = strchr(o->conf[i], '=');
        size_t len = (size_t)(eq - o->conf[i]);
        if (len >= sizeof key) {
            fprintf(stderr, "mqbench: --conf %s: key too long\n", o->conf[i]);
            goto fail;
        }
        memcpy(key, o->conf[i], len);
        key[len] = '\0';
        if (set(conf, key, eq + 1, "--conf"))
            goto fail;
    }
    return conf;
fail:
    rmq_conf_destroy(conf);
    return NULL;
}
