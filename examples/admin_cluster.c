/*
 * admin_cluster: print the clusters, brokers and a topic's route known to a NameServer,
 * using only the public librocketmq API.
 *
 *   admin_cluster [-n host:port;host:port] [TOPIC]
 *
 * Without -n the NAMESRV_ADDR environment variable is used. Build against an installed
 * library with:  cc admin_cluster.c $(pkg-config --cflags --libs rocketmq)
 */
#include <rocketmq/rocketmq.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    char errstr[512];
    const char *topic = NULL;
    rmq_conf_t *conf = rmq_conf_new();

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            if (rmq_conf_set(conf, "namesrvAddr", argv[++i], errstr, sizeof errstr)) {
                fprintf(stderr, "%s\n", errstr);
                return 1;
            }
        } else {
            topic = argv[i];
        }
    }

    /* The handle copies the configuration: ours can go at once. */
    rmq_admin_t *admin = rmq_admin_new(conf, errstr, sizeof errstr);
    rmq_conf_destroy(conf);
    if (!admin) {
        fprintf(stderr, "rmq_admin_new: %s\n", errstr);
        return 1;
    }

    rmq_cluster_info_t *ci = NULL;
    rmq_err_t err = rmq_admin_cluster_info(admin, &ci, errstr, sizeof errstr);
    if (err) {
        fprintf(stderr, "cluster info: %s (%s)\n", rmq_err2str(err), errstr);
        rmq_admin_destroy(admin);
        return 1;
    }
    for (size_t i = 0; i < rmq_cluster_info_cluster_count(ci); i++) {
        printf("cluster %s\n", rmq_cluster_info_cluster_name(ci, i));
        for (size_t j = 0; j < rmq_cluster_info_cluster_broker_count(ci, i); j++) {
            const char *name = rmq_cluster_info_cluster_broker(ci, i, j);
            const rmq_broker_data_t *bd = rmq_cluster_info_find_broker(ci, name);
            for (size_t k = 0; k < rmq_broker_data_addr_count(bd); k++)
                printf("  broker %s id %lld at %s\n", name,
                       (long long)rmq_broker_data_addr_id(bd, k), rmq_broker_data_addr(bd, k));
        }
    }
    rmq_cluster_info_destroy(ci);

    if (topic) {
        rmq_topic_route_t *route = NULL;
        err = rmq_admin_topic_route(admin, topic, &route, errstr, sizeof errstr);
        if (err == RMQ_ERR_TOPIC_NOT_EXIST) {
            printf("topic %s: no route\n", topic);
        } else if (err) {
            fprintf(stderr, "route of %s: %s (%s)\n", topic, rmq_err2str(err), errstr);
        } else {
            for (size_t i = 0; i < rmq_topic_route_queue_data_count(route); i++) {
                const rmq_queue_data_t *qd = rmq_topic_route_queue_data(route, i);
                printf("topic %s on %s: %d read / %d write queues, perm %d\n", topic,
                       rmq_queue_data_broker_name(qd), rmq_queue_data_read_queue_nums(qd),
                       rmq_queue_data_write_queue_nums(qd), rmq_queue_data_perm(qd));
            }
            char *json = rmq_topic_route_to_json(route, RMQ_JSON_PRETTY);
            printf("%s\n", json);
            rmq_mem_free(json);
            rmq_topic_route_destroy(route);
        }
    }

    rmq_admin_destroy(admin);
    return err == RMQ_ERR_NO_ERROR || err == RMQ_ERR_TOPIC_NOT_EXIST ? 0 : 1;
}
