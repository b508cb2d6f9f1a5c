/*
 * Tests for responses with external body segments (remoting_conn_send_segments, the
 * zero-copy pull path): the vector arithmetic of a partial writev (one that stops in the
 * middle of a segment), a frame much larger than the socket buffers so the first write
 * is partial and the rest completes later (bytes in order, segments released only after
 * the whole frame was read), segments queued on a connection that closes before they are
 * written (released exactly once at close), and a send from a thread other than the
 * connection's loop; and remoting_conn_run, which the group-commit replies and resumed
 * pulls use to get back onto a connection's loop without allocating.
 */
#include "net_util.h"
#include "remoting/server.h"
#include "remoting/transport.h"

#include <pthread.h>
#include <stdio.h>

#define CODE_SEGS 2001               /* answer with the three big segments */
#define CODE_PARK 2002               /* keep the connection for the main thread */
#define SEG_LEN   (12 * 1024 * 1024) /* 3 segments: far beyond loopback socket buffers */
#define MAX_FRAME (64 * 1024)

static char *pattern;
static atomic_int released, closed, handled;
static _Atomic(remoting_conn_t *) parked;
static atomic_int parked_opaque;

static void on_release(void *arg) {
    CHECK(arg == pattern);
    atomic_fetch_add(&released, 1);
}

/* The body: three segments of pattern, the middle one starting at an odd offset. */
static void fill_segments(remoting_segment_t segs[3]) {
    segs[0] = (remoting_segment_t){pattern, SEG_LEN, on_release, pattern};
    segs[1] = (remoting_segment_t){pattern + 1, SEG_LEN - 1, on_release, pattern};
    segs[2] = (remoting_segment_t){pattern, 7, on_release, pattern};
}

static int on_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp) {
    if (req->code == CODE_PARK) {
        remoting_conn_retain(conn);
        atomic_store(&parked_opaque, req->opaque);
        atomic_store(&parked, conn);
        return REMOTING_PENDING;
    }
    remoting_segment_t segs[3];
    fill_segments(segs);
    remoting_cmd_ext_set(resp, "k", "v");
    CHECK_EQ(remoting_conn_send_segments(conn, resp, segs, 3), 0);
    atomic_fetch_add(&handled, 1);
    return REMOTING_PENDING;
}

static void on_close(void *ctx, remoting_conn_t *conn) {
    atomic_fetch_add(&closed, 1);
}

static remoting_server_t *start_server(void) {
    atomic_store(&released, 0);
    atomic_store(&closed, 0);
    atomic_store(&handled, 0);
    atomic_store(&parked, NULL);
    remoting_server_opts_t opts = {.host = "127.0.0.1",
                                   .io_threads = 1,
                                   .idle_timeout_ms = -1,
                                   .max_frame = MAX_FRAME,
                                   .on_request = on_request,
                                   .on_close = on_close};
    remoting_server_t *server = NULL;
    CHECK_EQ(remoting_server_start(&opts, &server), 0);
    return server;
}

/* A raw client with a small receive buffer, so the server's socket fills up. */
static int small_connect(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int rcv = 16 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {.tv_sec = test_wait_ms() / 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static void send_request(int fd, int32_t code, int32_t opaque) {
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, code);
    req.opaque = opaque;
    raw_send_cmd(fd, &req, REMOTING_SERIALIZE_JSON);
    remoting_cmd_close(&req);
}

/* Reads the response frame and checks its header and that the body is the segments'
 * bytes in order. */
static void read_and_check(int fd, int32_t opaque) {
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    CHECK(raw_read_cmd(fd, &resp, NULL));
    CHECK_EQ(resp.opaque, opaque);
    CHECK(remoting_cmd_is_response(&resp));
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "k"), "v");
    CHECK_EQ(resp.body.len, (size_t)SEG_LEN + SEG_LEN - 1 + 7);
    const char *p = resp.body.ptr;
    CHECK(memcmp(p, pattern, SEG_LEN) == 0);
    CHECK(memcmp(p + SEG_LEN, pattern + 1, SEG_LEN - 1) == 0);
    CHECK(memcmp(p + 2 * SEG_LEN - 1, pattern, 7) == 0);
    remoting_cmd_close(&resp);
}

static void test_iov_advance_stops_inside_a_segment(void) {
    char a[10], b[20], c[30];
    uv_buf_t iov[3] = {uv_buf_init(a, 10), uv_buf_init(b, 20), uv_buf_init(c, 30)};
    CHECK_EQ(remoting_iov_advance(iov, 3, 0), (size_t)0);
    CHECK(iov[0].base == a);
    CHECK_EQ(iov[0].len, (size_t)10);
    /* Half of the second buffer written. */
    CHECK_EQ(remoting_iov_advance(iov, 3, 20), (size_t)1);
    CHECK(iov[1].base == b + 10);
    CHECK_EQ(iov[1].len, (size_t)10);
    /* Exactly to the end of a buffer: the next one is untouched. */
    CHECK_EQ(remoting_iov_advance(iov + 1, 2, 10), (size_t)1);
    CHECK(iov[2].base == c);
    CHECK_EQ(iov[2].len, (size_t)30);
    CHECK_EQ(remoting_iov_advance(iov + 2, 1, 29), (size_t)0);
    CHECK(iov[2].base == c + 29);
    CHECK_EQ(remoting_iov_advance(iov + 2, 1, 1), (size_t)1);
}

static void test_partial_writes_deliver_in_order_and_release_after(void) {
    remoting_server_t *server = start_server();
    int fd = small_connect(remoting_server_port(server));
    send_request(fd, CODE_SEGS, 41);
    /* 24 MiB cannot sit in loopback socket buffers: until we read, the write is
     * incomplete, so no segment may be released yet. */
    struct timespec ts = {0, 50 * 1000000};
    nanosleep(&ts, NULL);
    CHECK_EQ(atomic_load(&released), 0);
    read_and_check(fd, 41);
    WAIT_FOR(released, 3);
    /* The connection still works after a vectored write, for plain frames too. */
    send_request(fd, CODE_SEGS, 42);
    read_and_check(fd, 42);
    WAIT_FOR(released, 6);
    close(fd);
    WAIT_FOR(closed, 1);
    remoting_server_stop(server);
    CHECK_EQ(atomic_load(&released), 6);
}

static void test_close_releases_unwritten_segments(void) {
    remoting_server_t *server = start_server();
    int fd = small_connect(remoting_server_port(server));
    send_request(fd, CODE_SEGS, 7);
    send_request(fd, CODE_SEGS, 8); /* queued behind the first, in the next batch */
    WAIT_FOR(handled, 2);
    CHECK_EQ(atomic_load(&released), 0); /* nothing of either is written whole yet */
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg); /* reset, not FIN */
    close(fd);
    WAIT_FOR(closed, 1);
    WAIT_FOR(released, 6);
    remoting_server_stop(server);
    CHECK_EQ(atomic_load(&released), 6);
}

static void test_send_from_another_thread(void) {
    remoting_server_t *server = start_server();
    int fd = small_connect(remoting_server_port(server));
    send_request(fd, CODE_PARK, 99);
    int waited = 0;
    while (!atomic_load(&parked)) {
        CHECK(++waited < test_wait_ms());
        test_nap();
    }
    remoting_conn_t *conn = atomic_load(&parked);
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    remoting_cmd_set_response(&resp, 0, atomic_load(&parked_opaque), NULL);
    remoting_cmd_ext_set(&resp, "k", "v");
    remoting_segment_t segs[3];
    fill_segments(segs);
    CHECK_EQ(remoting_conn_send_segments(conn, &resp, segs, 3), 0);
    remoting_cmd_close(&resp);
    read_and_check(fd, 99);
    WAIT_FOR(released, 3);
    close(fd);
    WAIT_FOR(closed, 1);
    /* Closed: refused, and nothing released by the refusal. */
    fill_segments(segs);
    remoting_cmd_init(&resp);
    CHECK_EQ(remoting_conn_send_segments(conn, &resp, segs, 3), -EPIPE);
    remoting_cmd_close(&resp);
    remoting_conn_release(conn);
    remoting_server_stop(server);
    CHECK_EQ(atomic_load(&released), 3);
}

typedef struct {
    remoting_task_t task; /* first: the callback gets its address */
    remoting_conn_t *conn;
    remoting_cmd_t resp;
    atomic_int ran;
} reply_task_t;

/* On the loop: answers the parked request with an ordinary frame. */
static void reply_task_run(remoting_task_t *task) {
    reply_task_t *t = (reply_task_t *)task;
    CHECK_EQ(remoting_conn_send(t->conn, &t->resp), 0);
    atomic_fetch_add(&t->ran, 1);
}

static void test_run_task_on_the_loop(void) {
    remoting_server_t *server = start_server();
    int fd = small_connect(remoting_server_port(server));
    send_request(fd, CODE_PARK, 5);
    int waited = 0;
    while (!atomic_load(&parked)) {
        CHECK(++waited < test_wait_ms());
        test_nap();
    }
    reply_task_t t = {.task.run = reply_task_run, .conn = atomic_load(&parked)};
    remoting_cmd_init(&t.resp);
    remoting_cmd_set_response(&t.resp, 0, atomic_load(&parked_opaque), NULL);
    remoting_cmd_ext_set(&t.resp, "k", "task");
    CHECK_EQ(remoting_conn_run(t.conn, &t.task), 0);
    remoting_cmd_t got;
    remoting_cmd_init(&got);
    CHECK(raw_read_cmd(fd, &got, NULL));
    CHECK_EQ(got.opaque, 5);
    CHECK_STREQ(remoting_cmd_ext_get(&got, "k"), "task");
    CHECK_EQ(atomic_load(&t.ran), 1);
    remoting_cmd_close(&got);
    close(fd);
    WAIT_FOR(closed, 1);
    remoting_conn_release(t.conn);
    remoting_cmd_close(&t.resp);
    remoting_server_stop(server);
}

int main(void) {
    pattern = malloc(SEG_LEN);
    for (size_t i = 0; i < SEG_LEN; i++)
        pattern[i] = (char)(i * 131 + (i >> 13));
    RUN(test_iov_advance_stops_inside_a_segment);
    RUN(test_partial_writes_deliver_in_order_and_release_after);
    RUN(test_close_releases_unwritten_segments);
    RUN(test_send_from_another_thread);
    RUN(test_run_task_on_the_loop);
    free(pattern);
    return 0;
}
