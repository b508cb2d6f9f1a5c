/*
 * Definitions of the admin API's result objects (rocketmq/admin.h) and their
 * constructors from decoded protocol bodies. Internal.
 */
#ifndef RMQ_CLIENT_RESULT_H
#define RMQ_CLIENT_RESULT_H

#include "client/client.h"
#include "protocol/cluster_info.h"
#include "protocol/route.h"

/* Element handles are the protocol structs themselves (their only member). */
struct rmq_broker_data_s {
    proto_broker_data_t bd;
};

struct rmq_queue_data_s {
    proto_queue_data_t qd;
};

struct rmq_cluster_info_s {
    proto_cluster_info_t ci;
    size_t *order; /* cluster indexes in Java HashMap order */
};

struct rmq_topic_route_s {
    proto_topic_route_data_t rd;
};

/* Take the contents of *ci / *rd (left zeroed). */
rmq_cluster_info_t *client_cluster_info_new(proto_cluster_info_t *ci);
rmq_topic_route_t *client_topic_route_new(proto_topic_route_data_t *rd);

#endif
