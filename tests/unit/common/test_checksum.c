/* Tests for common/checksum.c against values computed by Java. */
#include "common/checksum.h"
#include "test.h"

static void test_masked_crc32(void) {
    /* spec remoting.md: crc32("Hello") = 0xF7D18982, masked 0x77D18982 = 2010220930 */
    CHECK_EQ(rmq_crc32("Hello", 5), 0xF7D18982u);
    CHECK_EQ(rmq_crc32_masked("Hello", 5), 2010220930);
    CHECK_EQ(rmq_crc32_masked("", 0), 0);
}

static void test_java_string_hash(void) {
    /* "TagA".hashCode() == 2598919, "".hashCode() == 0, "中文".hashCode() == 646394,
     * "😀".hashCode() == 1772899 (a surrogate pair), long strings wrap. */
    CHECK_EQ(rmq_java_string_hash("TagA", 4), 2598919);
    CHECK_EQ(rmq_java_string_hash("", 0), 0);
    CHECK_EQ(rmq_java_string_hash("\xE4\xB8\xAD\xE6\x96\x87", 6), 646394);
    CHECK_EQ(rmq_java_string_hash("\xF0\x9F\x98\x80", 4), 1772899);
    CHECK_EQ(rmq_java_string_hash("TopicTest_with_a_long_name", 26), 1924267093);
}

int main(void) {
    RUN(test_masked_crc32);
    RUN(test_java_string_hash);
    return 0;
}
