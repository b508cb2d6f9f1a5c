/* Tests namesrv/kvconfig.c: kvConfig.json persistence in RocketMQ's format. */
#include "ns_test_util.h"

#include <fcntl.h>

static char *read_file(const char *path) {
    FILE *fp = fopen(path, "rb");
    CHECK(fp != NULL);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void put(ns_fixture_t *f, const char *ns, const char *k, const char *v) {
    remoting_cmd_t *req = new_req(PROTO_PUT_KV_CONFIG);
    remoting_cmd_ext_set(req, "namespace", ns);
    remoting_cmd_ext_set(req, "key", k);
    remoting_cmd_ext_set(req, "value", v);
    remoting_cmd_t *resp = call(f, req);
    CHECK_EQ(resp->code, PROTO_SUCCESS);
    remoting_cmd_destroy(resp);
    remoting_cmd_destroy(req);
}

static void test_persist_and_reload(void) {
    ns_fixture_t f;
    fixture_open(&f);
    put(&f, "ORDER_TOPIC_CONFIG", "TopicTest", "broker-a:4");
    put(&f, "NS", "k", "v \"quoted\" \xc3\xa9");
    CHECK_STREQ(read_file(f.kv_path),
                "{\"configTable\":{\"ORDER_TOPIC_CONFIG\":{\"TopicTest\":\"broker-a:4\"},"
                "\"NS\":{\"k\":\"v \\\"quoted\\\" \xc3\xa9\"}}}");
    CHECK(access(f.kv_path, F_OK) == 0);

    /* A second NameServer on the same file sees the same table. */
    namesrv_config_t cfg;
    namesrv_config_init(&cfg);
    namesrv_config_set(&cfg, "kvConfigPath", f.kv_path);
    namesrv_t *ns2;
    CHECK_EQ(namesrv_new(&cfg, NULL, &ns2), 0);
    char *v = namesrv_kv_get(&ns2->kv, "NS", "k");
    CHECK_STREQ(v, "v \"quoted\" \xc3\xa9");
    free(v);
    namesrv_destroy(ns2);
    namesrv_config_close(&cfg);
    fixture_close(&f);
}

static void test_corrupt_file_starts_empty(void) {
    ns_fixture_t f;
    fixture_open(&f);
    put(&f, "NS", "k", "v");
    FILE *fp = fopen(f.kv_path, "w");
    fputs("{\"configTable\":", fp);
    fclose(fp);
    namesrv_kv_t kv;
    namesrv_kv_init(&kv);
    CHECK(namesrv_kv_load(&kv, f.kv_path) != 0);
    CHECK(namesrv_kv_get(&kv, "NS", "k") == NULL);
    CHECK_EQ(namesrv_kv_load(&kv, "/nonexistent/dir/kv.json"), 0);
    namesrv_kv_close(&kv);
    fixture_close(&f);
}

static void test_atomic_write_creates_dirs(void) {
    ns_fixture_t f;
    fixture_open(&f);
    char path[200];
    snprintf(path, sizeof path, "%s/a/b/c.json", f.dir);
    CHECK_EQ(namesrv_write_file_atomic(path, "{}", 2), 0);
    CHECK_STREQ(read_file(path), "{}");
    char tmp[210];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    CHECK(access(tmp, F_OK) != 0);
    fixture_close(&f);
}

int main(void) {
    RUN(test_persist_and_reload);
    RUN(test_corrupt_file_starts_empty);
    RUN(test_atomic_write_creates_dirs);
    return 0;
}
