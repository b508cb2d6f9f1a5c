/*
 * Helpers for the transport tests: waiting for counters set on I/O threads, and a raw
 * blocking TCP peer for sending hand-made (often malformed) frames to 127.0.0.1.
 */
#ifndef RMQ_TEST_NET_UTIL_H
#define RMQ_TEST_NET_UTIL_H

#include "common/buf.h"
#include "remoting/frame.h"
#include "test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Upper bound for anything asynchronous to happen; never a wall-clock assertion. */
static inline int test_wait_ms(void) {
    const char *m = getenv("RMQ_TEST_TIMEOUT_MULTIPLIER");
    int mult = m ? atoi(m) : 1;
    return 10000 * (mult > 0 ? mult : 1);
}

static inline void test_nap(void) {
    struct timespec ts = {0, 1000000}; /* 1 ms */
    nanosleep(&ts, NULL);
}

/* Polls until *counter >= want; aborts after test_wait_ms(). */
#define WAIT_FOR(counter, want)                                                                    \
    do {                                                                                           \
        int waited_ = 0;                                                                           \
        while (atomic_load(&(counter)) < (want)) {                                                 \
            if (++waited_ > test_wait_ms()) {                                                      \
                fprintf(stderr, "%s:%d: timed out waiting for %s >= %lld (is %lld)\n", __FILE__,   \
                        __LINE__, #counter, (long long)(want),                                     \
                        (long long)atomic_load(&(counter)));                                       \
                abort();                                                                           \
            }                                                                                      \
            test_nap();                                                                            \
        }                                                                                          \
    } while (0)

static inline int raw_connect(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {.tv_sec = test_wait_ms() / 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static inline void raw_send(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        CHECK(n > 0);
        p += n;
        len -= (size_t)n;
    }
}

/* Reads exactly len bytes; returns false on EOF or reset (aborts on time-out). */
static inline bool raw_read_exact(int fd, void *data, size_t len) {
    char *p = data;
    while (len) {
        ssize_t n = recv(fd, p, len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            fprintf(stderr, "raw_read_exact: timed out\n");
            abort();
        }
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* Reads one frame into cmd (copied body). Returns false on EOF. */
static inline bool raw_read_cmd(int fd, remoting_cmd_t *cmd, uint8_t *serialize_type) {
    uint8_t prefix[4];
    if (!raw_read_exact(fd, prefix, 4))
        return false;
    size_t len = rmq_get_u32be(prefix) + 4;
    uint8_t *frame = malloc(len);
    memcpy(frame, prefix, 4);
    CHECK(raw_read_exact(fd, frame + 4, len - 4));
    if (serialize_type)
        *serialize_type = frame[4];
    CHECK_EQ(remoting_frame_decode(frame, len, cmd), 0);
    if (cmd->body.len)
        remoting_cmd_copy_body(cmd, cmd->body.ptr, cmd->body.len);
    free(frame);
    return true;
}

/* True when the peer closes (EOF or reset) before sending anything more. */
static inline bool raw_wait_closed(int fd) {
    char c;
    for (;;) {
        ssize_t n = recv(fd, &c, 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return false;
        return n <= 0;
    }
}

static inline void raw_send_cmd(int fd, const remoting_cmd_t *cmd, uint8_t serialize_type) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    remoting_frame_encode(cmd, serialize_type, &b);
    raw_send(fd, b.data, b.len);
    rmq_buf_close(&b);
}

#endif
