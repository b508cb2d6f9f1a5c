/*
 * The broker's dispatch table: one row per request code served (the data path of spec
 * remoting.md 4.2). Unknown codes are answered REQUEST_CODE_NOT_SUPPORTED by
 * remoting_dispatch.
 *
 * Runs on: an I/O loop.
 */
#include "broker/internal.h"

#include "protocol/codes.h"

#define ROW(c, f, fl)                                                                              \
    { .code = PROTO_##c, .fn = f, .flags = fl, .name = #c }

static const remoting_processor_t rows[] = {
    ROW(SEND_MESSAGE, broker_send_process, REMOTING_PROC_NEEDS_WRITE),
    ROW(SEND_MESSAGE_V2, broker_send_process, REMOTING_PROC_NEEDS_WRITE),
    ROW(SEND_BATCH_MESSAGE, broker_send_process, REMOTING_PROC_NEEDS_WRITE),
    ROW(PULL_MESSAGE, broker_pull_process, REMOTING_PROC_ON_SECONDARY | REMOTING_PROC_MAIN_PORT),
    ROW(LITE_PULL_MESSAGE, broker_pull_process,
        REMOTING_PROC_ON_SECONDARY | REMOTING_PROC_MAIN_PORT),
    ROW(HEART_BEAT, broker_heartbeat_process, REMOTING_PROC_ON_SECONDARY),
    ROW(UNREGISTER_CLIENT, broker_unregister_client_process, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_CONSUMER_LIST_BY_GROUP, broker_consumer_list_process, REMOTING_PROC_ON_SECONDARY),
    ROW(QUERY_CONSUMER_OFFSET, broker_query_consumer_offset_process, REMOTING_PROC_ON_SECONDARY),
    ROW(UPDATE_CONSUMER_OFFSET, broker_update_consumer_offset_process, 0),
    ROW(GET_MAX_OFFSET, broker_get_max_offset_process, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_MIN_OFFSET, broker_get_min_offset_process, REMOTING_PROC_ON_SECONDARY),
    ROW(SEARCH_OFFSET_BY_TIMESTAMP, broker_search_offset_process, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_EARLIEST_MSG_STORETIME, broker_earliest_time_process, REMOTING_PROC_ON_SECONDARY),
    ROW(CONSUMER_SEND_MSG_BACK, broker_send_back_process, REMOTING_PROC_NEEDS_WRITE),
    ROW(QUERY_MESSAGE, broker_query_message_process, REMOTING_PROC_ON_SECONDARY),
    ROW(VIEW_MESSAGE_BY_ID, broker_view_message_process, REMOTING_PROC_ON_SECONDARY),
    ROW(LOCK_BATCH_MQ, broker_lock_batch_process, 0),
    ROW(UNLOCK_BATCH_MQ, broker_unlock_batch_process, 0),
    ROW(CHECK_CLIENT_CONFIG, broker_check_client_config_process, REMOTING_PROC_ON_SECONDARY),
    /* administration (admin_*.c) */
    ROW(UPDATE_AND_CREATE_TOPIC, broker_admin_update_topic, 0),
    ROW(UPDATE_AND_CREATE_TOPIC_LIST, broker_admin_update_topic_list, 0),
    ROW(DELETE_TOPIC_IN_BROKER, broker_admin_delete_topic, 0),
    ROW(GET_ALL_TOPIC_CONFIG, broker_admin_get_all_topic_config, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_TOPIC_CONFIG, broker_admin_get_topic_config, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_SUBSCRIPTIONGROUP_CONFIG, broker_admin_get_sub_group, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_TOPIC_STATS_INFO, broker_admin_topic_stats, REMOTING_PROC_ON_SECONDARY),
    ROW(QUERY_TOPIC_CONSUME_BY_WHO, broker_admin_topic_consume_by_who, REMOTING_PROC_ON_SECONDARY),
    ROW(UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, broker_admin_update_sub_group, 0),
    ROW(GET_ALL_SUBSCRIPTIONGROUP_CONFIG, broker_admin_get_all_sub_group,
        REMOTING_PROC_ON_SECONDARY),
    ROW(DELETE_SUBSCRIPTIONGROUP, broker_admin_delete_sub_group, 0),
    ROW(UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, broker_admin_update_sub_group_list, 0),
    ROW(GET_CONSUME_STATS, broker_admin_consume_stats, REMOTING_PROC_ON_SECONDARY),
    ROW(INVOKE_BROKER_TO_RESET_OFFSET, broker_admin_reset_offset, 0),
    ROW(GET_CONSUMER_CONNECTION_LIST, broker_admin_consumer_connections,
        REMOTING_PROC_ON_SECONDARY),
    ROW(GET_PRODUCER_CONNECTION_LIST, broker_admin_producer_connections,
        REMOTING_PROC_ON_SECONDARY),
    ROW(GET_CONSUMER_RUNNING_INFO, broker_admin_consumer_running_info, REMOTING_PROC_ON_SECONDARY),
    ROW(CONSUME_MESSAGE_DIRECTLY, broker_admin_consume_message_directly,
        REMOTING_PROC_ON_SECONDARY),
    ROW(INVOKE_BROKER_TO_GET_CONSUMER_STATUS, broker_admin_get_consumer_status,
        REMOTING_PROC_ON_SECONDARY),
    ROW(GET_ALL_PRODUCER_INFO, broker_admin_all_producer_info, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_BROKER_RUNTIME_INFO, broker_admin_runtime_info, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_BROKER_CONFIG, broker_admin_get_config, REMOTING_PROC_ON_SECONDARY),
    ROW(UPDATE_BROKER_CONFIG, broker_admin_update_config, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_ALL_CONSUMER_OFFSET, broker_admin_get_all_consumer_offset, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_ALL_DELAY_OFFSET, broker_admin_get_all_delay_offset, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_SYSTEM_TOPIC_LIST_FROM_BROKER, broker_admin_system_topic_list,
        REMOTING_PROC_ON_SECONDARY),
    ROW(QUERY_TOPICS_BY_CONSUMER, broker_admin_topics_by_consumer, REMOTING_PROC_ON_SECONDARY),
    ROW(QUERY_SUBSCRIPTION_BY_CONSUMER, broker_admin_subscription_by_consumer,
        REMOTING_PROC_ON_SECONDARY),
    ROW(CLONE_GROUP_OFFSET, broker_admin_clone_group_offset, 0),
    ROW(GET_BROKER_CONSUME_STATS, broker_admin_broker_consume_stats, REMOTING_PROC_ON_SECONDARY),
    ROW(QUERY_CONSUME_TIME_SPAN, broker_admin_consume_time_span, REMOTING_PROC_ON_SECONDARY),
    ROW(CLEAN_EXPIRED_CONSUMEQUEUE, broker_admin_clean_expired_cq, 0),
    ROW(DELETE_EXPIRED_COMMITLOG, broker_admin_delete_expired_commitlog, 0),
    ROW(CLEAN_UNUSED_TOPIC, broker_admin_clean_unused_topic, 0),
    ROW(QUERY_CONSUME_QUEUE, broker_admin_query_consume_queue, REMOTING_PROC_ON_SECONDARY),
    ROW(VIEW_BROKER_STATS_DATA, broker_admin_view_stats, REMOTING_PROC_ON_SECONDARY),
};

const remoting_dispatch_t broker_dispatch = {rows, sizeof rows / sizeof rows[0]};

int broker_handle_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                          remoting_cmd_t *resp) {
    return remoting_dispatch(&broker_dispatch, ctx, conn, req, resp);
}

/* The fast port (listenPort - 2) serves everything but pulls, as upstream registers no
 * pull processor on its fastRemotingServer: those get code 3. */
int broker_handle_fast_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                               remoting_cmd_t *resp) {
    return remoting_dispatch_except(&broker_dispatch, REMOTING_PROC_MAIN_PORT, ctx, conn, req,
                                    resp);
}
