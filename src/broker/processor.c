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
    ROW(PULL_MESSAGE, broker_pull_process, REMOTING_PROC_ON_SECONDARY),
    ROW(LITE_PULL_MESSAGE, broker_pull_process, REMOTING_PROC_ON_SECONDARY),
    ROW(HEART_BEAT, broker_heartbeat_process, REMOTING_PROC_ON_SECONDARY),
    ROW(UNREGISTER_CLIENT, broker_unregister_client_process, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_CONSUMER_LIST_BY_GROUP, broker_consumer_list_process, REMOTING_PROC_ON_SECONDARY),
    ROW(QUERY_CONSUMER_OFFSET, broker_query_consumer_offset_process, REMOTING_PROC_ON_SECONDARY),
    ROW(UPDATE_CONSUMER_OFFSET, broker_update_consumer_offset_process, 0),
    ROW(GET_MAX_OFFSET, broker_get_max_offset_process, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_MIN_OFFSET, broker_get_min_offset_process, REMOTING_PROC_ON_SECONDARY),
    ROW(SEARCH_OFFSET_BY_TIMESTAMP, broker_search_offset_process, REMOTING_PROC_ON_SECONDARY),
    ROW(GET_EARLIEST_MSG_STORETIME, broker_earliest_time_process, REMOTING_PROC_ON_SECONDARY),
};

const remoting_dispatch_t broker_dispatch = {rows, sizeof rows / sizeof rows[0]};

int broker_handle_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req,
                          remoting_cmd_t *resp) {
    return remoting_dispatch(&broker_dispatch, ctx, conn, req, resp);
}
