/*
 * Unit tests for mqadmin's Java imitations (tools/mqadmin): commons-cli help layout
 * (option groups, long-only options, descriptions wrapped at width 110 without spaces to
 * break at), MQVersion names, UtilAll.timeMillisToHumanString2, Java's %.Nf rounding and
 * Boolean.parseBoolean. The expected help texts are what Apache's mqadmin 5.3.3 prints.
 */
#include "cli.h"
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Runs cli_print_help(cmd) with stdout captured; returns the text (free()). */
static char *help_text(const cli_cmd_t *cmd) {
    fflush(stdout);
    FILE *tmp = tmpfile();
    CHECK(tmp != NULL);
    int saved = dup(STDOUT_FILENO);
    dup2(fileno(tmp), STDOUT_FILENO);
    cli_print_help(cmd);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    long len = ftell(tmp);
    rewind(tmp);
    char *buf = calloc((size_t)len + 1, 1);
    CHECK_EQ(fread(buf, 1, (size_t)len, tmp), (size_t)len);
    fclose(tmp);
    return buf;
}

static void test_help_option_group(void) {
    char *t = help_text(&cmd_update_topic);
    /* A required group renders bare with " | ", followed by two spaces (commons-cli
     * appends the separator for every option, the group's second member included). */
    CHECK_STREQ(strtok(t, "\n"), "usage: mqadmin updateTopic [-a <arg>] -b <arg> | -c <arg>  [-h] "
                                 "[-n <arg>] [-o <arg>] [-p <arg>] [-r <arg>]");
    CHECK_STREQ(strtok(NULL, "\n"), "       [-s <arg>] -t <arg> [-u <arg>] [-w <arg>]");
    CHECK_STREQ(strtok(NULL, "\n"), " -a,--attributes <arg>       attribute(+a=b,+c=d,-e)");
    free(t);
    t = help_text(&cmd_broker_status);
    CHECK_STREQ(strtok(t, "\n"),
                "usage: mqadmin brokerStatus -b <arg> | -c <arg>  [-h] [-n <arg>]");
    free(t);
}

static void test_help_long_only_and_wrap(void) {
    char *t = help_text(&cmd_update_sub_group);
    const char *want =
        "usage: mqadmin updateSubGroup [-a <arg>] [--attributes <arg>] [-b <arg>] [-c <arg>] "
        "[-d <arg>] -g <arg> [-h]\n"
        "       [-i <arg>] [-m <arg>] [-n <arg>] [-o <arg>] [-p <arg>] [-q <arg>] [-r <arg>] "
        "[-s <arg>] [-w <arg>]\n"
        " -a,--notifyConsumerIdsChanged <arg>       notify consumerId changed\n"
        "    --attributes <arg>                     attribute(+a=b,+c=d,-e)\n";
    CHECK(strncmp(t, want, strlen(want)) == 0);
    /* A description without spaces is cut hard at column 110. */
    const char *wrapped =
        " -p,--groupRetryPolicy <arg>               the json string of retry policy ( exp:\n"
        "                                           {\"type\":\"EXPONENTIAL\",\"exponentialRetry"
        "Policy\":{\"initial\":5000,\"max\n"
        "                                           \":7200000,\"multiplier\":2}}\n"
        "                                           {\"type\":\"CUSTOMIZED\",\"customizedRetryPol"
        "icy\":{\"next\":[1000,5000,100\n"
        "                                           00]}} )\n";
    CHECK(strstr(t, wrapped) != NULL);
    free(t);
}

static void test_version_desc(void) {
    CHECK_STREQ(mq_version_desc(0), "V3_0_0_SNAPSHOT");
    CHECK_STREQ(mq_version_desc(479), "V5_3_3");
    CHECK_STREQ(mq_version_desc(1000000), "HIGHER_VERSION");
}

static void test_time_human2(void) {
    setenv("TZ", "UTC", 1);
    tzset();
    char buf[64];
    java_time_human2(buf, sizeof buf, 0);
    CHECK_STREQ(buf, "1970-01-01 00:00:00,000");
    java_time_human2(buf, sizeof buf, 1700000000123LL);
    CHECK_STREQ(buf, "2023-11-14 22:13:20,123");
}

static void test_java_numbers(void) {
    char buf[64];
    java_format_fixed(buf, sizeof buf, 0, 2, 0.125);
    CHECK_STREQ(buf, "0.13"); /* C's printf gives 0.12 */
    java_format_fixed(buf, sizeof buf, 9, 2, 1.005);
    CHECK_STREQ(buf, "     1.01");
    CHECK(java_parse_bool("TRUE"));
    CHECK(java_parse_bool("true"));
    CHECK(!java_parse_bool("yes"));
    CHECK(!java_parse_bool(NULL));
}

/* MessageExt.getProperties().toString(): a HashMap(128), iterated by bucket, colliding
 * keys ("Aa"/"BB") in insertion order. Expected strings printed by OpenJDK 17 (WAIT=true
 * put first, as a new message holds it). */
static void test_message_properties(void) {
    static const char *const keys[] = {"orderId", "traceId", "region",  "color",
                                       "size",    "zone",    "a",       "Aa",
                                       "BB",      "userKey", "shop_id", "x-trace"};
    rmq_message_t *msg = rmq_message_new("T");
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char v[32];
        snprintf(v, sizeof v, "v%zu", strlen(keys[i]));
        CHECK_EQ(rmq_message_set_property(msg, keys[i], v), RMQ_ERR_NO_ERROR);
    }
    char *s = java_message_properties(msg);
    CHECK_STREQ(s, "{orderId=v7, zone=v4, traceId=v7, userKey=v7, shop_id=v7, size=v4, region=v6, "
                   "Aa=v2, BB=v2, color=v5, WAIT=true, a=v1, x-trace=v7}");
    free(s);
    rmq_message_destroy(msg);
    rmq_message_t *empty = rmq_message_new("T");
    s = java_message_properties(empty);
    CHECK_STREQ(s, "{WAIT=true}"); /* a new message's only property */
    free(s);
    rmq_message_destroy(empty);

    /* 100 keys into HashMap(128): the table grows to 256 past 96 entries. */
    char names[100][8];
    const char *ptrs[100];
    size_t order[100];
    for (int i = 0; i < 100; i++) {
        snprintf(names[i], sizeof names[i], "k%d", i * 7 % 100);
        ptrs[i] = names[i];
    }
    java_hash_map_order(ptrs, 100, 128, order);
    char got[1024] = "";
    for (int i = 0; i < 100; i++) {
        strcat(got, ptrs[order[i]]);
        strcat(got, ",");
    }
    CHECK_STREQ(got, "k31,k30,k33,k32,k35,k34,k37,k36,k39,k38,k0,k40,k1,k2,k42,k3,k41,k4,k5,k44,"
                     "k43,k6,k7,k46,k45,k8,k48,k9,k47,k49,k51,k50,k53,k52,k55,k54,k57,k56,k59,"
                     "k58,k60,k62,k61,k64,k63,k66,k65,k68,k67,k69,k71,k70,k73,k72,k75,k74,k77,"
                     "k76,k79,k78,k80,k82,k81,k84,k83,k86,k85,k88,k87,k89,k91,k90,k93,k92,k95,"
                     "k94,k97,k96,k99,k11,k98,k10,k13,k12,k15,k14,k17,k16,k19,k18,k20,k22,k21,"
                     "k24,k23,k26,k25,k28,k27,k29,");
}

/* consumeMessage's pieces: MessageQueue.hashCode, the iteration order of the
 * HashSet<MessageQueue> of a route (16 queues: the table grows to 32), and
 * Arrays.toString(byte[]). Expected values printed by OpenJDK 17 with rocketmq-common
 * 5.3.3 (queues added broker-b 0..7, then broker-a 0..7). */
static void test_consume_message_formatting(void) {
    CHECK_EQ(java_message_queue_hash("TopicTest", "broker-a", 3), -222122198);
    int32_t hashes[16];
    size_t order[16];
    for (int i = 0; i < 16; i++)
        hashes[i] = java_message_queue_hash("TopicTest", i < 8 ? "broker-b" : "broker-a", i % 8);
    java_hash_order(hashes, 16, 16, order);
    char got[128] = "";
    for (int i = 0; i < 16; i++) {
        char one[8];
        snprintf(one, sizeof one, "%c%zu,", order[i] < 8 ? 'b' : 'a', order[i] % 8);
        strcat(got, one);
    }
    CHECK_STREQ(got, "a7,b7,a6,b4,a3,b3,a2,b6,a5,b5,a4,b0,b2,a1,b1,a0,");
    char *s = java_byte_array((const char[]){104, -1, 0, 127, -128}, 5);
    CHECK_STREQ(s, "[104, -1, 0, 127, -128]");
    free(s);
    s = java_byte_array("", 0);
    CHECK_STREQ(s, "[]");
    free(s);
    s = java_byte_array(NULL, 0);
    CHECK_STREQ(s, "null");
    free(s);
}

/* The help of the query commands: Java's options, in its order. */
static void test_help_query_commands(void) {
    char *t = help_text(&cmd_query_msg_by_offset);
    CHECK_STREQ(strtok(t, "\n"),
                "usage: mqadmin queryMsgByOffset -b <arg> [-f <arg>] [-h] -i <arg> [-n "
                "<arg>] -o <arg> -t <arg>");
    free(t);
}

int main(void) {
    RUN(test_help_option_group);
    RUN(test_help_long_only_and_wrap);
    RUN(test_version_desc);
    RUN(test_time_human2);
    RUN(test_java_numbers);
    RUN(test_message_properties);
    RUN(test_help_query_commands);
    RUN(test_consume_message_formatting);
    return 0;
}
