/*
 * Small reply helpers shared by the request processors (declared in internal.h).
 */
#include "broker/internal.h"

#include "protocol/codes.h"

int broker_bad_header(remoting_cmd_t *resp, const char *field) {
    resp->code = PROTO_SYSTEM_ERROR;
    remoting_cmd_set_remarkf(resp, "the custom field <%s> is null", field ? field : "?");
    return 0;
}

void broker_take_body(remoting_cmd_t *resp, rmq_buf_t *out) {
    size_t len;
    char *data = rmq_buf_steal(out, &len);
    remoting_cmd_take_body(resp, data, len);
}
