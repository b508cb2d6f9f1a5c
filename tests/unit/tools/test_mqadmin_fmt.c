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

int main(void) {
    RUN(test_help_option_group);
    RUN(test_help_long_only_and_wrap);
    RUN(test_version_desc);
    RUN(test_time_human2);
    RUN(test_java_numbers);
    return 0;
}
