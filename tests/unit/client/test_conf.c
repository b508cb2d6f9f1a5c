/* Unit tests for client/conf.c and client/err.c: keys, validation, defaults, copies,
 * error names. */
#include "client/client.h"
#include "test.h"

#include <errno.h>

static void test_conf_defaults(void) {
    rmq_conf_t *conf = rmq_conf_new();
    CHECK_STREQ(rmq_conf_get(conf, "instanceName"), "DEFAULT");
    CHECK_STREQ(rmq_conf_get(conf, "mqClientApiTimeout"), "3000");
    CHECK_STREQ(rmq_conf_get(conf, "namesrvAddr"), "");
    CHECK(rmq_conf_get(conf, "noSuchKey") == NULL);
    CHECK(!rmq_conf_is_set(conf, "instanceName"));
    CHECK_EQ(client_conf_int(conf, "pollNameServerInterval"), 30000);
    CHECK_EQ(client_conf_bool(conf, "vipChannelEnabled"), 0);
    rmq_conf_destroy(conf);
    rmq_conf_destroy(NULL);
}

static void test_conf_set_validates(void) {
    rmq_conf_t *conf = rmq_conf_new();
    char err[256] = "";
    CHECK_EQ(rmq_conf_set(conf, "instanceName", "app-1", err, sizeof err), RMQ_ERR_NO_ERROR);
    CHECK_STREQ(rmq_conf_get(conf, "instanceName"), "app-1");
    CHECK(rmq_conf_is_set(conf, "instanceName"));

    CHECK_EQ(rmq_conf_set(conf, "nameSrvAddr", "x", err, sizeof err), RMQ_ERR__UNKNOWN_CONF);
    CHECK(strstr(err, "nameSrvAddr") != NULL);
    CHECK_EQ(rmq_conf_set(conf, "mqClientApiTimeout", "soon", err, sizeof err),
             RMQ_ERR__INVALID_CONF_VALUE);
    CHECK_EQ(rmq_conf_set(conf, "mqClientApiTimeout", "0", err, sizeof err),
             RMQ_ERR__INVALID_CONF_VALUE);
    CHECK_STREQ(rmq_conf_get(conf, "mqClientApiTimeout"), "3000"); /* unchanged */
    CHECK_EQ(rmq_conf_set(conf, "mqClientApiTimeout", "5000", NULL, 0), RMQ_ERR_NO_ERROR);
    CHECK_EQ(client_conf_int(conf, "mqClientApiTimeout"), 5000);

    CHECK_EQ(rmq_conf_set(conf, "useTLS", "yes", err, sizeof err), RMQ_ERR__INVALID_CONF_VALUE);
    CHECK_EQ(rmq_conf_set(conf, "useTLS", "TRUE", err, sizeof err), RMQ_ERR_NO_ERROR);
    CHECK_EQ(client_conf_bool(conf, "useTLS"), 1);

    CHECK_EQ(rmq_conf_set(conf, "accessChannel", "CLOUD", err, sizeof err), RMQ_ERR_NO_ERROR);
    CHECK_EQ(rmq_conf_set(conf, "accessChannel", "LOC", err, sizeof err),
             RMQ_ERR__INVALID_CONF_VALUE);
    CHECK_EQ(rmq_conf_set(conf, "accessChannel", "", err, sizeof err), RMQ_ERR__INVALID_CONF_VALUE);

    /* NULL value restores the default. */
    CHECK_EQ(rmq_conf_set(conf, "instanceName", NULL, err, sizeof err), RMQ_ERR_NO_ERROR);
    CHECK_STREQ(rmq_conf_get(conf, "instanceName"), "DEFAULT");
    CHECK_EQ(rmq_conf_set(NULL, "instanceName", "x", err, sizeof err), RMQ_ERR__INVALID_ARG);
    rmq_conf_destroy(conf);
}

static void test_conf_dup_is_deep(void) {
    rmq_conf_t *conf = rmq_conf_new();
    rmq_conf_set(conf, "namesrvAddr", "127.0.0.1:9876", NULL, 0);
    rmq_conf_t *copy = rmq_conf_dup(conf);
    rmq_conf_set(conf, "namesrvAddr", "127.0.0.1:1", NULL, 0);
    CHECK_STREQ(rmq_conf_get(copy, "namesrvAddr"), "127.0.0.1:9876");
    rmq_conf_destroy(conf);
    CHECK_STREQ(rmq_conf_get(copy, "namesrvAddr"), "127.0.0.1:9876");
    rmq_conf_destroy(copy);
    CHECK(rmq_conf_dup(NULL) == NULL);
}

static void test_conf_describe(void) {
    size_t n = 0;
    const char *name, *type, *def, *desc;
    while (rmq_conf_describe(n, &name, &type, &def, &desc)) {
        CHECK(name && type && def && desc && *desc);
        n++;
    }
    CHECK(n >= 10);
}

static void test_err_names(void) {
    CHECK_STREQ(rmq_err_name(RMQ_ERR_TOPIC_NOT_EXIST), "TOPIC_NOT_EXIST");
    CHECK_STREQ(rmq_err_name(RMQ_ERR__TIMED_OUT), "_TIMED_OUT");
    CHECK_STREQ(rmq_err2str(RMQ_ERR_NO_ERROR), "Success");
    CHECK_STREQ(rmq_err2str((rmq_err_t)12345), "Unknown error 12345");
    CHECK_STREQ(rmq_err_name((rmq_err_t)12345), "ERR_12345");
    CHECK_EQ(RMQ_ERR_SYSTEM_BUSY, 2);
    CHECK_EQ(RMQ_ERR_QUERY_NOT_FOUND, 22);
    CHECK(RMQ_ERR__TIMED_OUT < 0);
}

static void test_err_from_errno(void) {
    CHECK_EQ(client_err_from_errno(0), RMQ_ERR_NO_ERROR);
    CHECK_EQ(client_err_from_errno(-ETIMEDOUT), RMQ_ERR__TIMED_OUT);
    CHECK_EQ(client_err_from_errno(-ECONNREFUSED), RMQ_ERR__TRANSPORT);
    CHECK_EQ(client_err_from_errno(-ECANCELED), RMQ_ERR__DESTROY);
    CHECK_EQ(client_err_from_errno(-EPROTO), RMQ_ERR__BAD_MSG);
    CHECK_EQ(client_err_from_errno(-ENOMEM), RMQ_ERR__FAIL);
}

static void test_version(void) {
    CHECK_EQ(rmq_version(), RMQ_VERSION);
    CHECK_STREQ(rmq_version_str(), RMQ_VERSION_STR);
}

int main(void) {
    RUN(test_conf_defaults);
    RUN(test_conf_set_validates);
    RUN(test_conf_dup_is_deep);
    RUN(test_conf_describe);
    RUN(test_err_names);
    RUN(test_err_from_errno);
    RUN(test_version);
    return 0;
}
