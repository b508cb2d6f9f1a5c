/* Request dispatch by code; see dispatch.h. Runs on: I/O loop. */
#include "remoting/dispatch.h"

#define RESPONSE_REQUEST_CODE_NOT_SUPPORTED 3

const remoting_processor_t *remoting_dispatch_find(const remoting_dispatch_t *d, int32_t code) {
    for (size_t i = 0; i < d->count; i++)
        if (d->rows[i].code == code)
            return &d->rows[i];
    return NULL;
}

int remoting_dispatch_except(const remoting_dispatch_t *d, unsigned refused, void *ctx,
                             remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp) {
    const remoting_processor_t *p = remoting_dispatch_find(d, req->code);
    if (!p || (p->flags & refused)) {
        resp->code = RESPONSE_REQUEST_CODE_NOT_SUPPORTED;
        remoting_cmd_set_remarkf(resp, " request type %d not supported", (int)req->code);
        return 0;
    }
    return p->fn(ctx, conn, req, resp);
}

int remoting_dispatch(const remoting_dispatch_t *d, void *ctx, remoting_conn_t *conn,
                      remoting_cmd_t *req, remoting_cmd_t *resp) {
    return remoting_dispatch_except(d, 0, ctx, conn, req, resp);
}
