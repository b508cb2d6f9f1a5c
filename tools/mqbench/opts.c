/*
 * mqbench: command-line parsing. A small hand-written parser instead of getopt_long so
 * it is reentrant (unit tests) and takes "--window 8" and "--window=8" alike. Numbers
 * must be whole tokens; sizes take a k/m suffix (KiB, MiB).
 */
#include "opts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: mqbench MODE [options]\n"
    "  MODE                producer | consumer | e2e (producer + consumer, end-to-end latency)\n"
    "  -n ADDR             NameServer(s) host:port;host:port (default: $NAMESRV_ADDR)\n"
    "  -t TOPIC            topic (default BenchmarkTest)\n"
    "  -g GROUP            producer and consumer group (default mqbench_producer,\n"
    "                      consumer and e2e: mqbench_consumer)\n"
    "  -s SIZE             message body size, bytes, k/m suffix allowed (default 128)\n"
    "  -w THREADS          sending threads (default 4)\n"
    "  --window N          asynchronous sends, N in flight per thread (default 0: sync)\n"
    "  -b BATCH            messages per batch send (default 1: single sends)\n"
    "  --tags TAG          tag of every message (default none)\n"
    "  --keys              a unique key per message (default no keys)\n"
    "  -d SECONDS          run time (default 10; at most 3600; bounds -c runs too)\n"
    "  -c COUNT            stop after COUNT messages in all (consumer: received)\n"
    "  -i SECONDS          progress line interval (default 1)\n"
    "  --json FILE         write the final summary as one JSON object to FILE\n"
    "  --conf KEY=VALUE    a client configuration key (rocketmq/conf.h), repeatable\n"
    "  -q                  no progress lines\n"
    "  consumer mode starts a new group at the first offset (--conf consumeFromWhere=...\n"
    "  changes it); e2e stamps each body with its send time and, after sending, waits\n"
    "  up to 10 s for the consumer to catch up\n"
    "  -h, --help          this text\n";

const char *bench_usage(void) {
    return usage_text;
}

const char *bench_mode_name(bench_mode_t mode) {
    switch (mode) {
    case BENCH_PRODUCER:
        return "producer";
    case BENCH_CONSUMER:
        return "consumer";
    case BENCH_E2E:
        return "e2e";
    }
    return "?";
}

static int fail(char *errbuf, size_t errlen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Parses a whole unsigned number in [lo, hi]; with `suffixes`, k and m multiply. */
static int parse_u64(const char *s, bool suffixes, uint64_t lo, uint64_t hi, uint64_t *out) {
    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    if (suffixes && (*end == 'k' || *end == 'K')) {
        v *= 1024;
        end++;
    } else if (suffixes && (*end == 'm' || *end == 'M')) {
        v *= 1024 * 1024;
        end++;
    }
    if (*end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_seconds(const char *s, double lo, double hi, double *out) {
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static void set_defaults(bench_opts_t *o) {
    memset(o, 0, sizeof *o);
    o->mode = BENCH_PRODUCER;
    o->topic = "BenchmarkTest";
    o->size = 128;
    o->threads = 4;
    o->batch = 1;
    o->duration = BENCH_DEFAULT_DURATION;
    o->interval = 1.0;
}

/* The option's value: the rest of "--name=value", else the next argument. */
static const char *take_value(int argc, char **argv, int *i, const char *inline_value) {
    if (inline_value)
        return inline_value;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* Checks that hold across options. */
static int check_combination(bench_opts_t *o, char *errbuf, size_t errlen) {
    if (o->batch > 1 && o->window > 0)
        return fail(errbuf, errlen,
                    "-b and --window cannot be combined (batches are sent "
                    "synchronously)");
    if ((uint64_t)o->batch * o->size > BENCH_MAX_SIZE)
        return fail(errbuf, errlen, "-b %d x -s %zu exceeds %u bytes per batch", o->batch, o->size,
                    BENCH_MAX_SIZE);
    if (o->count && o->count < (uint64_t)o->batch)
        return fail(errbuf, errlen, "-c %llu is smaller than one batch (-b %d)",
                    (unsigned long long)o->count, o->batch);
    /* A count run is still bounded in time: -d, or the maximum. */
    if (o->count && !o->duration_set)
        o->duration = BENCH_MAX_DURATION;
    return 0;
}

int bench_opts_parse(int argc, char **argv, bench_opts_t *o, char *errbuf, size_t errlen) {
    set_defaults(o);
    bool mode_seen = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
            return 1;
        if (arg[0] != '-') {
            if (mode_seen)
                return fail(errbuf, errlen, "unexpected argument '%s'", arg);
            mode_seen = true;
            if (strcmp(arg, "producer") == 0)
                o->mode = BENCH_PRODUCER;
            else if (strcmp(arg, "consumer") == 0)
                o->mode = BENCH_CONSUMER;
            else if (strcmp(arg, "e2e") == 0)
                o->mode = BENCH_E2E;
            else
                return fail(errbuf, errlen, "unknown mode '%s' (producer, consumer, e2e)", arg);
            continue;
        }
        /* Flags without a value. */
        if (strcmp(arg, "--keys") == 0) {
            o->keys = true;
            continue;
        }
        if (strcmp(arg, "-q") == 0) {
            o->quiet = true;
            continue;
        }
        /* "--name=value" */
        char name[32];
        const char *inline_value = NULL;
        const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
        size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
        if (name_len >= sizeof name)
            return fail(errbuf, errlen, "unknown option '%s'", arg);
        memcpy(name, arg, name_len);
        name[name_len] = '\0';
        if (eq)
            inline_value = eq + 1;
        const char *v = take_value(argc, argv, &i, inline_value);
        uint64_t n;
        if (strcmp(name, "-n") == 0 || strcmp(name, "-t") == 0 || strcmp(name, "-g") == 0 ||
            strcmp(name, "--tags") == 0 || strcmp(name, "--json") == 0 ||
            strcmp(name, "--conf") == 0) {
            if (!v || !*v)
                return fail(errbuf, errlen, "%s needs a value", name);
            if (strcmp(name, "-n") == 0)
                o->namesrv = v;
            else if (strcmp(name, "-t") == 0)
                o->topic = v;
            else if (strcmp(name, "-g") == 0)
                o->group = v;
            else if (strcmp(name, "--tags") == 0)
                o->tags = v;
            else if (strcmp(name, "--json") == 0)
                o->json = v;
            else {
                const char *e = strchr(v, '=');
                if (!e || e == v)
                    return fail(errbuf, errlen, "--conf wants KEY=VALUE, not '%s'", v);
                if (o->conf_count == BENCH_MAX_CONF)
                    return fail(errbuf, errlen, "at most %d --conf options", BENCH_MAX_CONF);
                o->conf[o->conf_count++] = v;
            }
        } else if (strcmp(name, "-s") == 0) {
            if (parse_u64(v, true, 1, BENCH_MAX_SIZE, &n))
                return fail(errbuf, errlen, "-s wants a size in 1..%u bytes", BENCH_MAX_SIZE);
            o->size = (size_t)n;
        } else if (strcmp(name, "-w") == 0) {
            if (parse_u64(v, false, 1, BENCH_MAX_THREADS, &n))
                return fail(errbuf, errlen, "-w wants 1..%d threads", BENCH_MAX_THREADS);
            o->threads = (int)n;
        } else if (strcmp(name, "--window") == 0) {
            if (parse_u64(v, false, 0, BENCH_MAX_WINDOW, &n))
                return fail(errbuf, errlen, "--window wants 0..%d", BENCH_MAX_WINDOW);
            o->window = (int)n;
        } else if (strcmp(name, "-b") == 0) {
            if (parse_u64(v, false, 1, BENCH_MAX_BATCH, &n))
                return fail(errbuf, errlen, "-b wants 1..%d messages", BENCH_MAX_BATCH);
            o->batch = (int)n;
        } else if (strcmp(name, "-c") == 0) {
            if (parse_u64(v, false, 1, UINT64_MAX / 2, &n))
                return fail(errbuf, errlen, "-c wants a positive count");
            o->count = n;
        } else if (strcmp(name, "-d") == 0) {
            if (parse_seconds(v, 0.001, BENCH_MAX_DURATION, &o->duration))
                return fail(errbuf, errlen, "-d wants seconds in (0, %.0f]", BENCH_MAX_DURATION);
            o->duration_set = true;
        } else if (strcmp(name, "-i") == 0) {
            if (parse_seconds(v, 0.05, BENCH_MAX_DURATION, &o->interval))
                return fail(errbuf, errlen, "-i wants seconds in [0.05, %.0f]", BENCH_MAX_DURATION);
        } else {
            return fail(errbuf, errlen, "unknown option '%s'", arg);
        }
    }
    if (!o->group)
        o->group = o->mode == BENCH_PRODUCER ? "mqbench_producer" : "mqbench_consumer";
    return check_combination(o, errbuf, errlen);
}
