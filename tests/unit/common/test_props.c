/* Tests for common/props.c: java.util.Properties syntax. */
#include "common/props.h"
#include "test.h"

static void test_parse_forms(void) {
    const char *text = "# comment\n! also\nbrokerName = broker-a\nlistenPort:10911\n"
                       "  spaced value with spaces  \nmulti=a\\\n    b\\\n  c\n"
                       "esc=tab\\there\\u4e2d\nempty=\nwin=1\r\nkey\\=x=y\n";
    rmq_props_t p;
    rmq_props_init(&p);
    rmq_props_parse(&p, text, strlen(text));
    CHECK_STREQ(rmq_props_get(&p, "brokerName"), "broker-a");
    CHECK_STREQ(rmq_props_get(&p, "listenPort"), "10911");
    CHECK_STREQ(rmq_props_get(&p, "spaced"), "value with spaces  ");
    CHECK_STREQ(rmq_props_get(&p, "multi"), "abc");
    CHECK_STREQ(rmq_props_get(&p, "esc"), "tab\there\xE4\xB8\xAD");
    CHECK_STREQ(rmq_props_get(&p, "empty"), "");
    CHECK_STREQ(rmq_props_get(&p, "win"), "1");
    CHECK_STREQ(rmq_props_get(&p, "key=x"), "y");
    CHECK(rmq_props_get(&p, "# comment") == NULL);
    CHECK_EQ(p.count, 8);
    rmq_props_close(&p);
}

static void test_write_round_trip(void) {
    rmq_props_t p, q;
    rmq_props_init(&p);
    rmq_props_init(&q);
    rmq_props_set(&p, "a key", " lead=:#!\\\n");
    rmq_props_set(&p, "plain", "v");
    rmq_props_set(&p, "plain", "w");
    rmq_buf_t out;
    rmq_buf_init(&out);
    rmq_props_write(&p, &out);
    rmq_props_parse(&q, out.data, out.len);
    CHECK_STREQ(rmq_props_get(&q, "a key"), " lead=:#!\\\n");
    CHECK_STREQ(rmq_props_get(&q, "plain"), "w");
    CHECK_EQ(q.count, 2);
    rmq_buf_close(&out);
    rmq_props_close(&p);
    rmq_props_close(&q);
}

int main(void) {
    RUN(test_parse_forms);
    RUN(test_write_round_trip);
    return 0;
}
