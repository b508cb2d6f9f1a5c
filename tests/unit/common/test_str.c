/* Tests for common/str.c and common/buf.c. */
#include "common/alloc.h"
#include "common/buf.h"
#include "common/str.h"
#include "test.h"

#include <errno.h>

static void test_parse_numbers(void) {
    int64_t v;
    int32_t w;
    CHECK_EQ(rmq_parse_i64("-9223372036854775808", 20, &v), 0);
    CHECK(v == INT64_MIN);
    CHECK_EQ(rmq_parse_i64("9223372036854775808", 19, &v), -ERANGE);
    CHECK_EQ(rmq_parse_i64("", 0, &v), -EINVAL);
    CHECK_EQ(rmq_parse_i64("-", 1, &v), -EINVAL);
    CHECK_EQ(rmq_parse_i64("12a", 3, &v), -EINVAL);
    CHECK_EQ(rmq_parse_i64(" 1", 2, &v), -EINVAL);
    CHECK_EQ(rmq_parse_i32("2147483648", 10, &w), -ERANGE);
    CHECK_EQ(rmq_parse_i32("+42", 3, &w), 0);
    CHECK_EQ(w, 42);
    CHECK(rmq_parse_bool("TRUE", 4));
    CHECK(!rmq_parse_bool("1", 1));
    char s[] = "  x y \r\n";
    CHECK_STREQ(rmq_str_trim(s), "x y");
}

static void test_buf(void) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    rmq_buf_append_u32be(&b, 0x01020304);
    rmq_buf_append_u16be(&b, 0x0506);
    rmq_buf_append_u64be(&b, 0x0708090A0B0C0D0Eull);
    rmq_buf_append_u8(&b, 0xFF);
    CHECK_EQ(b.len, 15);
    CHECK_EQ(rmq_get_u32be(b.data), 0x01020304);
    CHECK_EQ(rmq_get_u16be(b.data + 4), 0x0506);
    CHECK(rmq_get_u64be(b.data + 6) == 0x0708090A0B0C0D0Eull);
    rmq_buf_reset(&b);
    for (int i = 0; i < 1000; i++)
        rmq_buf_appendf(&b, "%d,", i);
    CHECK_EQ(strncmp(rmq_buf_cstr(&b), "0,1,2,", 6), 0);
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    rmq_buf_reset(&b);
    rmq_buf_appendf(&b, "%s!", big);
    CHECK_EQ(b.len, 600);
    size_t len;
    char *owned = rmq_buf_steal(&b, &len);
    CHECK_EQ(len, 600);
    CHECK_EQ(owned[599], '!');
    CHECK(b.data == NULL);
    rmq_free(owned);
}

int main(void) {
    RUN(test_parse_numbers);
    RUN(test_buf);
    return 0;
}
