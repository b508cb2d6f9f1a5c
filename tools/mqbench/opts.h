/*
 * mqbench: the command line, parsed into a bench_opts_t (no global state, so the unit
 * tests can parse many command lines in one process).
 *
 *   mqbench MODE [options]          MODE: producer | consumer | e2e
 *
 * See usage_text in opts.c (what `mqbench -h` prints) for the options and defaults.
 */
#ifndef MQBENCH_OPTS_H
#define MQBENCH_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    BENCH_PRODUCER = 0,
    BENCH_CONSUMER = 1,
    BENCH_E2E = 2,
} bench_mode_t;

#define BENCH_MAX_CONF         16
#define BENCH_MAX_SIZE         (4u * 1024 * 1024) /* the broker's default maxMessageSize */
#define BENCH_MAX_THREADS      1024
#define BENCH_MAX_WINDOW       65536
#define BENCH_MAX_BATCH        1024
#define BENCH_MAX_DURATION     3600.0 /* seconds: every run is bounded */
#define BENCH_DEFAULT_DURATION 10.0

typedef struct bench_opts_s {
    bench_mode_t mode;
    const char *namesrv; /* -n; NULL: the NAMESRV_ADDR environment variable */
    const char *topic;   /* -t */
    const char *group;   /* -g; NULL: "mqbench_producer" / "mqbench_consumer" */
    size_t size;         /* -s: body bytes */
    int threads;         /* -w */
    int window;          /* --window: 0 = sync sends, N = async, N in flight per thread */
    int batch;           /* -b: messages per SEND_BATCH_MESSAGE (1 = single sends) */
    const char *tags;    /* --tags; NULL: none */
    bool keys;           /* --keys: a unique KEYS value per message */
    double duration;     /* -d seconds; also the bound of a -c run */
    bool duration_set;
    uint64_t count;    /* -c messages in all (0: until the duration ends) */
    double interval;   /* -i seconds between progress lines */
    const char *json;  /* --json FILE; NULL: none */
    bool quiet;        /* -q: no progress lines */
    size_t conf_count; /* --conf KEY=VALUE pairs for rmq_conf_set, borrowed from argv */
    const char *conf[BENCH_MAX_CONF];
} bench_opts_t;

/*
 * Parses argv (argv[0] is the program name). Returns 0 and fills *o, 1 when help was
 * asked for (-h, --help), or -1 with a message in errbuf. Strings in *o point into argv.
 */
int bench_opts_parse(int argc, char **argv, bench_opts_t *o, char *errbuf, size_t errlen);

/* "producer", "consumer", "e2e". */
const char *bench_mode_name(bench_mode_t mode);

/* The usage text (static). */
const char *bench_usage(void);

#endif
