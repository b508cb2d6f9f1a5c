/*
 * Request dispatch by code: each role has one table of processors (designated
 * initializers, one row per request code), looked up here. An unknown code is answered
 * REQUEST_CODE_NOT_SUPPORTED with the remark Java sends (" request type N not supported").
 */
#ifndef RMQ_REMOTING_DISPATCH_H
#define RMQ_REMOTING_DISPATCH_H

#include "remoting/server.h"

#include <stddef.h>

enum {
    REMOTING_PROC_NEEDS_WRITE = 1 << 0,  /* refused when the role is read-only */
    REMOTING_PROC_ON_SECONDARY = 1 << 1, /* allowed on a secondary broker */
    REMOTING_PROC_MAIN_PORT = 1 << 2,    /* not served on the broker's fast port */
};

typedef struct {
    int32_t code;
    remoting_request_handler fn;
    unsigned flags;
    const char *name; /* for logs */
} remoting_processor_t;

typedef struct {
    const remoting_processor_t *rows;
    size_t count;
} remoting_dispatch_t;

const remoting_processor_t *remoting_dispatch_find(const remoting_dispatch_t *d, int32_t code);
/*
 * Runs the processor for req->code with ctx, or answers code 3 for an unknown code.
 * Same contract as remoting_request_handler.
 */
int remoting_dispatch(const remoting_dispatch_t *d, void *ctx, remoting_conn_t *conn,
                      remoting_cmd_t *req, remoting_cmd_t *resp);
/* The same, answering code 3 also for the rows flagged with any bit of `refused`. */
int remoting_dispatch_except(const remoting_dispatch_t *d, unsigned refused, void *ctx,
                             remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp);

#endif
