/* Blocking socket helpers for the load generators; see bench_net.h. */
#include "bench_net.h"

#include "remoting/frame.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int bench_connect(const char *host, int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("connect");
        exit(2);
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

void bench_write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            perror("write");
            exit(2);
        }
        p += w;
        n -= (size_t)w;
    }
}

void bench_read_frame(int fd, rmq_buf_t *in, remoting_cmd_t *cmd) {
    rmq_buf_reset(in);
    for (;;) {
        size_t flen = 0;
        if (remoting_frame_peek((uint8_t *)in->data, in->len, 1 << 26, &flen) == 0) {
            if (remoting_frame_decode((uint8_t *)in->data, flen, cmd) != 0) {
                fprintf(stderr, "bad response frame\n");
                exit(2);
            }
            return;
        }
        rmq_buf_reserve(in, 65536);
        ssize_t r = read(fd, in->data + in->len, 65536);
        if (r <= 0) {
            fprintf(stderr, "connection closed by the server\n");
            exit(2);
        }
        in->len += (size_t)r;
    }
}
