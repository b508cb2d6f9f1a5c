/*
 * Unit tests for the admin decoding path without a network: NameServer list parsing
 * and choice (client/rpc.c), result objects built from protocol bodies (client/result.c)
 * and the fastjson PrettyFormat rendering mqadmin topicRoute prints (client/json_pretty.c).
 */
#include "client/client.h"
#include "client/result.h"
#include "protocol/cluster_info.h"
#include "protocol/route.h"
#include "test.h"

#include <errno.h>
#include <stdlib.h>

static void test_namesrv_list(void) {
    client_namesrv_t ns;
    char err[256];
    CHECK_EQ(client_namesrv_init(&ns, " 127.0.0.1:9876; 10.0.0.2:9877 ;", 5, err, sizeof err),
             RMQ_ERR_NO_ERROR);
    CHECK_EQ(ns.count, 2);
    CHECK_STREQ(ns.addrs[0], "127.0.0.1:9876");
    CHECK_STREQ(ns.addrs[1], "10.0.0.2:9877");
    CHECK_EQ(atomic_load(&ns.chosen), 1); /* seed 5 mod 2 */
    client_namesrv_close(&ns);

    CHECK_EQ(client_namesrv_init(&ns, "", 0, err, sizeof err), RMQ_ERR__NO_NAMESRV);
    CHECK_EQ(client_namesrv_init(&ns, NULL, 0, err, sizeof err), RMQ_ERR__NO_NAMESRV);
    CHECK_EQ(client_namesrv_init(&ns, "localhost", 0, err, sizeof err), RMQ_ERR__RESOLVE);
    CHECK(strstr(err, "localhost") != NULL);
    CHECK_EQ(client_namesrv_init(&ns, "a:1;b:99999", 0, err, sizeof err), RMQ_ERR__RESOLVE);
}

static void test_admin_new_needs_namesrv(void) {
    char err[256] = "";
    unsetenv("NAMESRV_ADDR");
    CHECK(rmq_admin_new(NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "NAMESRV_ADDR") != NULL);
    /* The environment variable is the fallback, and the handle copies the conf. */
    setenv("NAMESRV_ADDR", "127.0.0.1:1;127.0.0.1:2", 1);
    rmq_conf_t *conf = rmq_conf_new();
    rmq_admin_t *admin = rmq_admin_new(conf, err, sizeof err);
    rmq_conf_destroy(conf);
    CHECK(admin != NULL);
    CHECK_EQ(rmq_admin_namesrv_count(admin), 2);
    CHECK_STREQ(rmq_admin_namesrv_addr(admin, 1), "127.0.0.1:2");
    CHECK(rmq_admin_namesrv_addr(admin, 2) == NULL);
    rmq_cluster_info_t *ci = NULL;
    CHECK_EQ(rmq_admin_cluster_info(admin, NULL, err, sizeof err), RMQ_ERR__INVALID_ARG);
    CHECK(ci == NULL);
    rmq_admin_destroy(admin);
    rmq_admin_destroy(NULL);
    unsetenv("NAMESRV_ADDR");
}

/* ClusterInfo as the Apache NameServer sends it (LEGACY rendering). */
static const char cluster_json[] =
    "{\"brokerAddrTable\":{\"broker-b\":{\"brokerAddrs\":{0:\"127.0.0.1:10921\"},"
    "\"brokerName\":\"broker-b\",\"cluster\":\"C2\",\"enableActingMaster\":false},"
    "\"broker-a\":{\"brokerAddrs\":{0:\"127.0.0.1:10911\",1:\"127.0.0.1:10912\"},"
    "\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\",\"enableActingMaster\":false}},"
    "\"clusterAddrTable\":{\"DefaultCluster\":[\"broker-z\",\"broker-a\"],\"C2\":[\"broker-b\"]}}";

static void test_cluster_info_result(void) {
    proto_cluster_info_t pci = {0};
    CHECK_EQ(proto_cluster_info_decode(cluster_json, sizeof cluster_json - 1, &pci), 0);
    rmq_cluster_info_t *ci = client_cluster_info_new(&pci);
    CHECK_EQ(rmq_cluster_info_cluster_count(ci), 2);
    /* Java HashMap order: "C2" (hash 2113) sorts into bucket 1 before
     * "DefaultCluster"; whichever it is, both appear once. */
    const char *c0 = rmq_cluster_info_cluster_name(ci, 0),
               *c1 = rmq_cluster_info_cluster_name(ci, 1);
    CHECK(strcmp(c0, c1) != 0);
    size_t dc = strcmp(c0, "DefaultCluster") == 0 ? 0 : 1;
    CHECK_STREQ(rmq_cluster_info_cluster_name(ci, dc), "DefaultCluster");
    /* Broker names are sorted (TreeSet in mqadmin). */
    CHECK_EQ(rmq_cluster_info_cluster_broker_count(ci, dc), 2);
    CHECK_STREQ(rmq_cluster_info_cluster_broker(ci, dc, 0), "broker-a");
    CHECK_STREQ(rmq_cluster_info_cluster_broker(ci, dc, 1), "broker-z");
    CHECK(rmq_cluster_info_cluster_broker(ci, dc, 2) == NULL);

    const rmq_broker_data_t *bd = rmq_cluster_info_find_broker(ci, "broker-a");
    CHECK(bd != NULL);
    CHECK_STREQ(rmq_broker_data_cluster(bd), "DefaultCluster");
    CHECK_EQ(rmq_broker_data_addr_count(bd), 2);
    CHECK_EQ(rmq_broker_data_addr_id(bd, 1), 1);
    CHECK_STREQ(rmq_broker_data_addr(bd, 1), "127.0.0.1:10912");
    CHECK_STREQ(rmq_broker_data_addr_by_id(bd, 0), "127.0.0.1:10911");
    CHECK(rmq_broker_data_addr_by_id(bd, 7) == NULL);
    CHECK(rmq_broker_data_zone(bd) == NULL);
    CHECK(rmq_cluster_info_find_broker(ci, "broker-z") == NULL);
    CHECK_EQ(rmq_cluster_info_broker_count(ci), 2);
    rmq_cluster_info_destroy(ci);
    rmq_cluster_info_destroy(NULL);
}

/* A route as the NameServer sends it to a 5.x client (STANDARD rendering: quoted ids). */
static const char route_json[] =
    "{\"brokerDatas\":[{\"brokerAddrs\":{\"0\":\"127.0.0.1:10911\",\"1\":\"127.0.0.1:10915\"},"
    "\"brokerName\":\"broker-a\",\"cluster\":\"DefaultCluster\",\"enableActingMaster\":false}],"
    "\"filterServerTable\":{},\"queueDatas\":[{\"brokerName\":\"broker-a\",\"perm\":6,"
    "\"readQueueNums\":4,\"topicSysFlag\":0,\"writeQueueNums\":4}]}";

/* What Java's TopicRouteData.toJson(true) prints for it (from mqadmin topicRoute 5.3.3). */
static const char route_pretty[] =
    "{\n"
    "\t\"brokerDatas\":[\n"
    "\t\t{\n"
    "\t\t\t\"brokerAddrs\":{0:\"127.0.0.1:10911\",1:\"127.0.0.1:10915\"\n"
    "\t\t\t},\n"
    "\t\t\t\"brokerName\":\"broker-a\",\n"
    "\t\t\t\"cluster\":\"DefaultCluster\",\n"
    "\t\t\t\"enableActingMaster\":false\n"
    "\t\t}\n"
    "\t],\n"
    "\t\"filterServerTable\":{},\n"
    "\t\"queueDatas\":[\n"
    "\t\t{\n"
    "\t\t\t\"brokerName\":\"broker-a\",\n"
    "\t\t\t\"perm\":6,\n"
    "\t\t\t\"readQueueNums\":4,\n"
    "\t\t\t\"topicSysFlag\":0,\n"
    "\t\t\t\"writeQueueNums\":4\n"
    "\t\t}\n"
    "\t]\n"
    "}";

static void test_topic_route_result(void) {
    proto_topic_route_data_t rd = {0};
    CHECK_EQ(proto_topic_route_data_decode(route_json, sizeof route_json - 1, &rd), 0);
    rmq_topic_route_t *route = client_topic_route_new(&rd);
    CHECK_EQ(rmq_topic_route_queue_data_count(route), 1);
    const rmq_queue_data_t *qd = rmq_topic_route_queue_data(route, 0);
    CHECK_STREQ(rmq_queue_data_broker_name(qd), "broker-a");
    CHECK_EQ(rmq_queue_data_perm(qd), RMQ_PERM_READ | RMQ_PERM_WRITE);
    CHECK_EQ(rmq_queue_data_read_queue_nums(qd), 4);
    CHECK(rmq_topic_route_queue_data(route, 1) == NULL);
    CHECK_EQ(rmq_topic_route_broker_count(route), 1);
    CHECK_STREQ(rmq_broker_data_addr_by_id(rmq_topic_route_broker(route, 0), 1), "127.0.0.1:10915");
    CHECK(rmq_topic_route_order_topic_conf(route) == NULL);

    char *pretty = rmq_topic_route_to_json(route, RMQ_JSON_PRETTY);
    CHECK_STREQ(pretty, route_pretty);
    rmq_mem_free(pretty);
    char *compact = rmq_topic_route_to_json(route, 0);
    CHECK(strstr(compact, "{0:\"127.0.0.1:10911\",1:\"127.0.0.1:10915\"}") != NULL);
    rmq_mem_free(compact);
    rmq_topic_route_destroy(route);
}

static void pretty_eq(const char *in, const char *want) {
    rmq_buf_t out;
    rmq_buf_init(&out);
    CHECK_EQ(client_json_pretty(in, strlen(in), &out), 0);
    CHECK_MEMSTR(out.data, out.len, want);
    rmq_buf_close(&out);
}

static void test_json_pretty_shapes(void) {
    pretty_eq("{}", "{}");
    pretty_eq("[]", "[]");
    pretty_eq("{\"a\":[]}", "{\n\t\"a\":[]\n}");
    pretty_eq("{\"m\":{\"x\":\"a,b{\\\"\"}}", "{\n\t\"m\":{\n\t\t\"x\":\"a,b{\\\"\"\n\t}\n}");
    pretty_eq("[1,2]", "[\n\t1,\n\t2\n]");
    pretty_eq("{\"c\":{0:0,1:1}}", "{\n\t\"c\":{0:0,1:1\n\t}\n}");
    rmq_buf_t out;
    rmq_buf_init(&out);
    CHECK_EQ(client_json_pretty("{\"a\":1", 6, &out), -EINVAL);
    CHECK_EQ(client_json_pretty("\"abc", 4, &out), -EINVAL);
    CHECK_EQ(client_json_pretty("}", 1, &out), -EINVAL);
    rmq_buf_close(&out);
}

static void test_kvlist(void) {
    rmq_kvlist_t *l = rmq_kvlist_new();
    rmq_kvlist_set(l, "b", "1");
    rmq_kvlist_set(l, "a", "2");
    rmq_kvlist_set(l, "b", "3");
    CHECK_EQ(rmq_kvlist_count(l), 2);
    CHECK_STREQ(rmq_kvlist_key(l, 0), "b");
    CHECK_STREQ(rmq_kvlist_value(l, 0), "3");
    CHECK_STREQ(rmq_kvlist_get(l, "a"), "2");
    CHECK(rmq_kvlist_get(l, "c") == NULL);
    CHECK(rmq_kvlist_key(l, 2) == NULL);
    rmq_kvlist_destroy(l);
    rmq_kvlist_destroy(NULL);
    rmq_strlist_destroy(NULL);
    CHECK_EQ(rmq_strlist_count(NULL), 0);
}

int main(void) {
    RUN(test_namesrv_list);
    RUN(test_admin_new_needs_namesrv);
    RUN(test_cluster_info_result);
    RUN(test_topic_route_result);
    RUN(test_json_pretty_shapes);
    RUN(test_kvlist);
    return 0;
}
