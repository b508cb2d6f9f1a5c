/*
 * Blocking socket helpers shared by the load generators: connect with TCP_NODELAY, write
 * everything, read one whole frame. Any failure ends the process with exit status 2
 * (a benchmark has nothing to recover).
 */
#ifndef RMQ_BENCH_NET_H
#define RMQ_BENCH_NET_H

#include "common/buf.h"
#include "remoting/cmd.h"

#include <stddef.h>

int bench_connect(const char *host, int port);
void bench_write_all(int fd, const char *p, size_t n);
/* Reads into `in` (reset first) until one whole frame is there and decodes it into cmd. */
void bench_read_frame(int fd, rmq_buf_t *in, remoting_cmd_t *cmd);

#endif
