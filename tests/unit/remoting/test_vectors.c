/*
 * Byte-exact codec tests against frames written by Apache RocketMQ's own Netty encoder
 * (tests/vectors/frame_*.bin, generated once by tests/interop/java VectorGen): every frame
 * decodes, re-encodes in the same serialize type to the very same bytes, and the JSON and
 * ROCKETMQ forms of one command decode to the same command (the generator gave some pairs
 * different opaques, so those are not compared).
 */
#include "remoting/frame.h"
#include "test.h"

#include <dirent.h>

static size_t read_vector(const char *name, uint8_t *buf, size_t cap) {
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/vectors/%s", RMQ_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "missing vector %s\n", path);
        abort();
    }
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static void check_same_command(const remoting_cmd_t *a, const remoting_cmd_t *b) {
    CHECK_EQ(a->code, b->code);
    CHECK_EQ(a->flag, b->flag);
    CHECK_EQ(a->version, b->version);
    CHECK_EQ(a->language, b->language);
    CHECK_EQ(a->has_remark, b->has_remark);
    if (a->has_remark)
        CHECK_STREQ(remoting_cmd_remark(a), remoting_cmd_remark(b));
    CHECK_EQ(a->ext_count, b->ext_count);
    for (uint32_t i = 0; i < a->ext_count; i++)
        CHECK_STREQ(remoting_cmd_ext_value(a, i),
                    remoting_cmd_ext_get(b, remoting_cmd_ext_key(a, i)));
    CHECK_EQ(a->body.len, b->body.len);
    CHECK(a->body.len == 0 || memcmp(a->body.ptr, b->body.ptr, a->body.len) == 0);
}

static void test_every_java_frame_round_trips(void) {
    static uint8_t raw[1 << 16], other[1 << 16];
    char dirpath[1024];
    snprintf(dirpath, sizeof dirpath, "%s/tests/vectors", RMQ_SOURCE_DIR);
    DIR *d = opendir(dirpath);
    CHECK(d != NULL);
    int frames = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        size_t nlen = strlen(name);
        if (strncmp(name, "frame_", 6) != 0 || nlen < 9 || strcmp(name + nlen - 9, ".json.bin"))
            continue;
        size_t n = read_vector(name, raw, sizeof raw);
        remoting_cmd_t json, bin;
        remoting_cmd_init(&json);
        remoting_cmd_init(&bin);
        size_t flen = 0;
        CHECK_EQ(remoting_frame_peek(raw, n, REMOTING_FRAME_MAX_DEFAULT, &flen), 0);
        CHECK_EQ(flen, n);
        CHECK_EQ(remoting_frame_decode(raw, n, &json), 0);
        CHECK_EQ(json.language, REMOTING_LANG_JAVA);
        CHECK_EQ(json.version, 479);

        rmq_buf_t out;
        rmq_buf_init(&out);
        remoting_frame_encode(&json, REMOTING_SERIALIZE_JSON, &out);
        if (out.len != n || memcmp(out.data, raw, n) != 0)
            fprintf(stderr, "%s differs:\n ours %.*s\n java %.*s\n", name, (int)out.len - 8,
                    out.data + 8, (int)n - 8, raw + 8);
        CHECK_EQ(out.len, n);
        CHECK(memcmp(out.data, raw, n) == 0);

        char binname[256];
        snprintf(binname, sizeof binname, "%.*s.rocketmq.bin", (int)(nlen - 9), name);
        size_t m = read_vector(binname, other, sizeof other);
        CHECK_EQ(remoting_frame_decode(other, m, &bin), 0);
        check_same_command(&json, &bin);
        rmq_buf_reset(&out);
        remoting_frame_encode(&bin, REMOTING_SERIALIZE_ROCKETMQ, &out);
        CHECK_EQ(out.len, m);
        CHECK(memcmp(out.data, other, m) == 0);

        rmq_buf_close(&out);
        remoting_cmd_close(&json);
        remoting_cmd_close(&bin);
        frames++;
    }
    closedir(d);
    CHECK(frames >= 8);
}

int main(void) {
    RUN(test_every_java_frame_round_trips);
    return 0;
}
