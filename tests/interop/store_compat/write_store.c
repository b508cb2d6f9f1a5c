/*
 * write_store: writes a store directory with our store (src/store) and the manifest of
 * what it wrote, for the "store written by rocketmq-c, served by the Apache broker"
 * compatibility test (tests/interop/test_store_ours_to_apache.sh).
 *
 *   write_store [--cl-size N] [--cq-size N] [--index-slots N] [--index-num N]
 *               [--count N] --store-host IP:PORT ROOT MANIFEST
 *
 * ROOT/config/topics.json (through our topic config code) declares OursCompatA with 4
 * queues and OursCompatB with 2. Then COUNT single messages (default 1500) are appended,
 * spread over both topics and all their queues, and after every 100 a client-encoded
 * batch of 16 (store_put_batch, SEND_BATCH_MESSAGE's body format) to one queue of
 * OursCompatA. As the Java producer of the other direction does, messages carry ASCII,
 * CJK and non-BMP tags or none; one to three keys (one non-ASCII) or none; a UNIQ_KEY in
 * the Java client's 32-hex-digit form (a batch also has its own, appended to every
 * record's properties as the Apache broker does, and that is the one Java readers see); user
 * properties (one non-ASCII value); bodies of 50 B to 2 KB and every tenth of 40-70 KB so several
 * commit-log segments (and end-of-file blanks) are used; every 50th body is zlib-compressed with
 * the COMPRESSED | ZLIB system flags, as the Java client sends large bodies (not in batches). The
 * store host is IP:PORT, the address the Apache broker will listen on, so the offset message ids
 * (store host + physical offset) that the manifest records are usable against that broker.
 *
 * The store is closed cleanly (no abort file). Prints "write_store: result=PASS ..." and
 * exits 0; 1 on any store error, 2 on bad arguments.
 */
#include "common/buf.h"
#include "manifest.h"
#include "store/store.h"
#include "store/topic_config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#define BATCH_EVERY 100
#define BATCH_SIZE  16

static const char *const TOPICS[] = {"OursCompatA", "OursCompatB"};
static const int QUEUES[] = {4, 2};
static const char *const TAGS[] = {"TagA", "TagB",
                                   "\xe6\xa0\x87\xe7\xad\xbe"
                                   "C",
                                   "Tag\xf0\x9f\x98\x80"
                                   "D",
                                   NULL};
static const char *const COLORS[] = {"red", "green", "blue"};

/* One generated message: its properties string and the manifest fields. */
typedef struct {
    unsigned char *body; /* as stored (compressed or not) */
    size_t body_len;
    int32_t sys_flag;
    rmq_buf_t props;
    manifest_entry_t e;
    char uniq[33], keys[256], user_props[128];
} gen_msg_t;

static uint64_t rnd_state;

static uint32_t rnd_next(void) {
    rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rnd_state >> 33);
}

static void put_prop(rmq_buf_t *b, const char *name, const char *value) {
    rmq_buf_append(b, name, strlen(name));
    rmq_buf_append(b, "\1", 1);
    rmq_buf_append(b, value, strlen(value));
    rmq_buf_append(b, "\2", 1);
}

/* Message number i of topic t (see the top of the file). */
static void gen_message(gen_msg_t *g, int t, int i, uint32_t run, bool may_compress) {
    memset(g, 0, sizeof *g);
    rmq_buf_init(&g->props);
    rnd_state = (uint64_t)i * 7919 + 17;
    size_t len = (i % 10 == 9) ? 40000 + rnd_next() % 30000 : 50 + rnd_next() % 2000;
    unsigned char *body = malloc(len);
    for (size_t k = 0; k < len; k++)
        body[k] = (unsigned char)((k % 61 == 0) ? rnd_next() % 256 : 'a' + rnd_next() % 16);
    g->e.body_len = (int32_t)len;
    g->e.body_crc = (uint32_t)crc32(0L, body, (uInt)len);
    if (may_compress && i % 50 == 7) {
        uLongf clen = compressBound((uLong)len);
        g->body = malloc(clen);
        if (compress2(g->body, &clen, body, (uLong)len, 5) != Z_OK)
            abort();
        g->body_len = clen;
        g->sys_flag = STORE_SYSFLAG_COMPRESSED | (3 << 8);
        free(body);
    } else {
        g->body = body;
        g->body_len = len;
    }

    const char *tag = TAGS[i % 5];
    if (tag)
        put_prop(&g->props, "TAGS", tag);
    if (i % 6 != 5) {
        int n = snprintf(g->keys, sizeof g->keys, "key-%08x-%d", run, i);
        if (i % 3 == 0)
            n += snprintf(g->keys + n, sizeof g->keys - (size_t)n, " alt-%08x-%d", run, i);
        if (i % 4 == 1)
            snprintf(g->keys + n, sizeof g->keys - (size_t)n, " \xe9\x94\xae-%08x-%d", run, i);
        put_prop(&g->props, "KEYS", g->keys);
    }
    /* The Java client's id: address, pid, class-loader hash, time, counter (16 bytes). */
    snprintf(g->uniq, sizeof g->uniq, "7F000001%04X%08X%08X%04X", (unsigned)getpid() & 0xffff, run,
             (unsigned)i, (unsigned)t);
    put_prop(&g->props, "UNIQ_KEY", g->uniq);
    put_prop(&g->props, "WAIT", "true");
    char idx[16];
    snprintf(idx, sizeof idx, "%d", i);
    put_prop(&g->props, "idx", idx);
    put_prop(&g->props, "color", COLORS[i % 3]);
    int n = snprintf(g->user_props, sizeof g->user_props, "color=%s,idx=%d", COLORS[i % 3], i);
    if (i % 4 == 0) {
        char note[32];
        snprintf(note, sizeof note, "v\xc3\xa4lue-%d", i);
        put_prop(&g->props, "note", note);
        snprintf(g->user_props + n, sizeof g->user_props - (size_t)n, ",note=%s", note);
    }
    g->e.topic = (char *)TOPICS[t];
    g->e.uniq_key = g->uniq;
    g->e.keys = g->keys[0] ? g->keys : NULL;
    g->e.tags = (char *)tag;
    g->e.props = g->user_props;
}

static void gen_free(gen_msg_t *g) {
    free(g->body);
    rmq_buf_close(&g->props);
}

static int64_t now_ms(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static store_msg_t base_msg(const store_host_t *store_host, int t, int qid) {
    store_msg_t m = {
        .topic = rmq_slice_cstr(TOPICS[t]),
        .queue_id = qid,
        .born_ts = now_ms(),
        .born_host = store_host_v4(127, 0, 0, 1, 50123),
        .store_host = *store_host,
    };
    return m;
}

static void record_entry(FILE *out, manifest_entry_t *e, int qid, int64_t qoff,
                         const store_host_t *host, int64_t phys) {
    char id[64];
    store_msg_id(host, phys, id);
    e->queue_id = qid;
    e->queue_offset = qoff;
    e->offset_msg_id = id;
    manifest_write_entry(out, e);
    e->offset_msg_id = NULL;
}

static int write_single(store_t *s, FILE *out, const store_host_t *host, int i, uint32_t run) {
    int t = (i % 3 == 2) ? 1 : 0, qid = i % QUEUES[t];
    gen_msg_t g;
    gen_message(&g, t, i, run, true);
    store_msg_t m = base_msg(host, t, qid);
    m.body = rmq_slice((const char *)g.body, g.body_len);
    m.props = rmq_buf_slice(&g.props);
    m.sys_flag = g.sys_flag;
    store_append_result_t res;
    int rc = store_put(s, &m, &res);
    if (rc == 0)
        record_entry(out, &g.e, qid, res.queue_offset, host, res.phys_offset);
    else
        fprintf(stderr, "write_store: put %d failed: %s\n", i, strerror(-rc));
    gen_free(&g);
    return rc;
}

/* A batch body in the client encoding: per message int totalSize, int magic (0), int
 * bodyCRC (0), int flag, int bodyLen, body, short propLen, props. */
static int write_batch(store_t *s, FILE *out, const store_host_t *host, int b, uint32_t run) {
    int qid = b % QUEUES[0];
    gen_msg_t g[BATCH_SIZE];
    rmq_buf_t body;
    rmq_buf_init(&body);
    for (int j = 0; j < BATCH_SIZE; j++) {
        /* A batch has one system flag for all: its bodies stay uncompressed. */
        gen_message(&g[j], 0, 1000000 + b * BATCH_SIZE + j, run, false);
        char hdr[20];
        size_t plen = g[j].props.len;
        rmq_put_u32be(hdr, (uint32_t)(22 + g[j].body_len + plen));
        rmq_put_u32be(hdr + 4, 0);
        rmq_put_u32be(hdr + 8, 0);
        rmq_put_u32be(hdr + 12, 0);
        rmq_put_u32be(hdr + 16, (uint32_t)g[j].body_len);
        rmq_buf_append(&body, hdr, sizeof hdr);
        rmq_buf_append(&body, (const char *)g[j].body, g[j].body_len);
        char pl[2];
        rmq_put_u16be(pl, (uint16_t)plen);
        rmq_buf_append(&body, pl, 2);
        rmq_buf_append(&body, g[j].props.data, plen);
    }
    /* The batch's own properties, as the Java client sends them: its UNIQ_KEY (which every
     * record then carries after the message's own, and Java readers see) and WAIT. */
    char batch_uniq[33], hdr_props[64];
    snprintf(batch_uniq, sizeof batch_uniq, "7F000001%04X%08X%08XFFFF", (unsigned)getpid() & 0xffff,
             run, (unsigned)b);
    snprintf(hdr_props, sizeof hdr_props, "UNIQ_KEY\001%s\002WAIT\001true\002", batch_uniq);
    store_msg_t m = base_msg(host, 0, qid);
    m.props = rmq_slice_cstr(hdr_props);
    store_append_result_t res;
    int rc = store_put_batch(s, &m, rmq_buf_slice(&body), &res);
    if (rc == 0 && res.msg_num != BATCH_SIZE)
        rc = -EPROTO;
    if (rc == 0) {
        /* The inner records are contiguous: walk them to get each physical offset. */
        int64_t phys = res.phys_offset;
        for (int j = 0; j < BATCH_SIZE && rc == 0; j++) {
            g[j].e.uniq_key = batch_uniq;
            record_entry(out, &g[j].e, qid, res.queue_offset + j, host, phys);
            store_ref_t ref;
            rc = store_get_by_offset(s, phys, &ref);
            if (rc == 0) {
                phys += ref.len;
                store_mf_release(ref.mf);
            }
        }
    }
    if (rc < 0)
        fprintf(stderr, "write_store: batch %d failed: %s\n", b, strerror(-rc));
    for (int j = 0; j < BATCH_SIZE; j++)
        gen_free(&g[j]);
    rmq_buf_close(&body);
    return rc;
}

static int write_topics(const char *root) {
    store_topics_t topics;
    store_topics_init(&topics);
    store_data_version_next(&topics.data_version);
    for (int t = 0; t < 2; t++) {
        store_topic_config_t *tc = store_topic_config_new(TOPICS[t]);
        tc->read_queue_nums = tc->write_queue_nums = QUEUES[t];
        store_topics_put(&topics, tc);
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/config/topics.json", root);
    int rc = store_topics_save(&topics, store_fileops_default(), path);
    store_topics_close(&topics);
    return rc;
}

static void usage(void) {
    fprintf(stderr, "usage: write_store [--cl-size N] [--cq-size N] [--index-slots N] "
                    "[--index-num N] [--count N] --store-host IP:PORT ROOT MANIFEST\n");
    exit(2);
}

int main(int argc, char **argv) {
    store_config_t cfg;
    store_config_init(&cfg, NULL);
    cfg.start_services = false;
    int count = 1500;
    store_host_t host;
    bool has_host = false;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
        if (i + 1 >= argc)
            usage();
        const char *opt = argv[i], *v = argv[++i];
        if (strcmp(opt, "--cl-size") == 0)
            cfg.mapped_file_size_commitlog = strtoll(v, NULL, 10);
        else if (strcmp(opt, "--cq-size") == 0)
            cfg.mapped_file_size_cq = strtoll(v, NULL, 10);
        else if (strcmp(opt, "--index-slots") == 0)
            cfg.max_hash_slot_num = (int32_t)strtol(v, NULL, 10);
        else if (strcmp(opt, "--index-num") == 0)
            cfg.max_index_num = (int32_t)strtol(v, NULL, 10);
        else if (strcmp(opt, "--count") == 0)
            count = atoi(v);
        else if (strcmp(opt, "--store-host") == 0)
            has_host = store_host_parse(v, &host) == 0;
        else
            usage();
    }
    if (argc - i != 2 || !has_host)
        usage();
    cfg.root_dir = argv[i];
    uint32_t run = (uint32_t)now_ms();

    int rc = write_topics(cfg.root_dir);
    if (rc < 0) {
        fprintf(stderr, "write_store: topics.json: %s\n", strerror(-rc));
        return 1;
    }
    store_t *s;
    rc = store_open(&cfg, &s);
    if (rc < 0) {
        fprintf(stderr, "write_store: cannot open %s: %s\n", cfg.root_dir, strerror(-rc));
        return 1;
    }
    FILE *out = fopen(argv[i + 1], "w");
    if (!out) {
        perror(argv[i + 1]);
        store_close(s);
        return 1;
    }
    manifest_write_header(out);
    int batches = 0, failures = 0;
    for (int n = 0; n < count; n++) {
        failures += write_single(s, out, &host, n, run) < 0;
        if (n % BATCH_EVERY == BATCH_EVERY - 1)
            failures += write_batch(s, out, &host, batches++, run) < 0;
    }
    int64_t end = store_max_phys_offset(s);
    store_close(s);
    if (fclose(out) != 0)
        failures++;
    printf("write_store: result=%s singles=%d batches=%d commit_log_bytes=%" PRId64
           " failures=%d\n",
           failures ? "FAIL" : "PASS", count, batches, end, failures);
    return failures ? 1 : 0;
}
