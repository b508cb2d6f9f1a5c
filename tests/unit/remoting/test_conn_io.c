/*
 * Tests for remoting/conn_io.c on the wire, with a raw socket as the peer: each kind of
 * malformed input closes only its connection with exactly one warn line while another
 * client keeps working; frames split across reads and pipelined in one write; no
 * response to one-way requests; JSON responses to ROCKETMQ-header requests; idle close
 * on both server and client sides with the close callback firing.
 */
#include "net_util.h"
#include "common/log.h"
#include "remoting/client.h"
#include "remoting/server.h"

#include <fcntl.h>
#include <stdio.h>

#define CODE_ECHO  1001
#define CODE_COUNT 1003
#define MAX_FRAME  (64 * 1024)

static atomic_int opened, closed, oneways;

static int on_request(void *ctx, remoting_conn_t *conn, remoting_cmd_t *req, remoting_cmd_t *resp) {
    if (req->code == CODE_COUNT) {
        atomic_fetch_add(&oneways, 1);
        return 0; /* would answer, but the request is one-way */
    }
    const char *k = remoting_cmd_ext_get(req, "k");
    if (k)
        remoting_cmd_ext_set(resp, "k", k);
    remoting_cmd_copy_body(resp, req->body.ptr, req->body.len);
    return 0;
}

static void on_open(void *ctx, remoting_conn_t *conn) {
    atomic_fetch_add(&opened, 1);
}

static void on_close(void *ctx, remoting_conn_t *conn) {
    atomic_fetch_add(&closed, 1);
}

static remoting_server_t *start_server(int idle_ms) {
    atomic_store(&opened, 0);
    atomic_store(&closed, 0);
    atomic_store(&oneways, 0);
    remoting_server_opts_t opts = {.host = "127.0.0.1",
                                   .io_threads = 2,
                                   .idle_timeout_ms = idle_ms,
                                   .max_frame = MAX_FRAME,
                                   .on_request = on_request,
                                   .on_open = on_open,
                                   .on_close = on_close};
    remoting_server_t *server = NULL;
    CHECK_EQ(remoting_server_start(&opts, &server), 0);
    return server;
}

static void sync_echo(remoting_client_t *client, const char *addr) {
    remoting_cmd_t req, *resp = NULL;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, CODE_ECHO);
    remoting_cmd_borrow_body(&req, "still here", 10);
    CHECK_EQ(remoting_client_invoke_sync(client, addr, &req, 5000, &resp), 0);
    CHECK_MEMSTR(resp->body.ptr, resp->body.len, "still here");
    remoting_cmd_destroy(resp);
    remoting_cmd_close(&req);
}

/* Lines of the log file containing both strings. */
static int count_log_lines(const char *path, const char *a, const char *b) {
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, f))
        n += strstr(line, a) && strstr(line, b);
    fclose(f);
    return n;
}

typedef struct {
    const char *name;
    const uint8_t *bytes;
    size_t len;
    const char *log; /* expected in the one warn line */
} bad_input_t;

static void test_malformed_frames_close_only_that_connection(void) {
    char log_path[] = "/tmp/rmq-test-conn-io-XXXXXX";
    int log_fd = mkstemp(log_path);
    CHECK(log_fd >= 0);
    close(log_fd);
    CHECK_EQ(rmq_log_open(log_path), 0);

    static const uint8_t short_len[] = {0, 0, 0, 2, 0, 0};
    static const uint8_t negative_len[] = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
    static const uint8_t header_past_frame[] = {0, 0, 0, 8, 0, 0, 0, 100, 0, 0, 0, 0};
    static const uint8_t bad_json[] = {0, 0, 0, 9, 0, 0, 0, 5, '{', 'b', 'a', 'd', '}'};
    static const uint8_t type7[] = {0, 0, 0, 6, 7, 0, 0, 2, '{', '}'};
    static const uint8_t bad_binary[] = {0, 0, 0, 6, 1, 0, 0, 2, 0, 0};
    static const uint8_t oversize[] = {0, 0x10, 0, 0, 0, 0, 0, 2}; /* 1 MiB announced */
    const bad_input_t cases[] = {
        {"length below 4", short_len, sizeof short_len, "bad frame length 2"},
        {"negative length", negative_len, sizeof negative_len, "bad frame length -1"},
        {"header past frame", header_past_frame, sizeof header_past_frame,
         "header length 100 exceeds frame length 8"},
        {"invalid JSON", bad_json, sizeof bad_json, "malformed JSON header"},
        {"serialize type 7", type7, sizeof type7, "unknown serialize type 7"},
        {"bad binary header", bad_binary, sizeof bad_binary, "malformed ROCKETMQ header"},
        {"frame over max_frame", oversize, sizeof oversize,
         "frame of 1048580 bytes exceeds max_frame 65536"},
    };
    const int ncases = (int)(sizeof cases / sizeof cases[0]);

    remoting_server_t *server = start_server(0);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", remoting_server_port(server));
    remoting_client_opts_t copts = {.io_threads = 1};
    remoting_client_t *client = NULL;
    CHECK_EQ(remoting_client_new(&copts, &client), 0);
    sync_echo(client, addr);

    for (int i = 0; i < ncases; i++) {
        int fd = raw_connect(remoting_server_port(server));
        raw_send(fd, cases[i].bytes, cases[i].len);
        if (!raw_wait_closed(fd)) {
            fprintf(stderr, "case '%s': connection not closed\n", cases[i].name);
            abort();
        }
        close(fd);
        WAIT_FOR(closed, i + 1);
        sync_echo(client, addr); /* the good connection is untouched */
    }
    CHECK_EQ(atomic_load(&opened), ncases + 1);
    remoting_client_destroy(client);
    remoting_server_stop(server);
    CHECK_EQ(atomic_load(&closed), ncases + 1);

    /* Exactly one warn line per bad connection, saying why. */
    CHECK_EQ(count_log_lines(log_path, "WARN", "remoting"), ncases);
    for (int i = 0; i < ncases; i++) {
        if (count_log_lines(log_path, "closing: ", cases[i].log) != 1) {
            fprintf(stderr, "case '%s': no single log line with '%s'\n", cases[i].name,
                    cases[i].log);
            abort();
        }
    }
    rmq_log_open("/dev/stderr");
    if (getenv("KEEP_LOG"))
        fprintf(stderr, "log: %s\n", log_path);
    else
        unlink(log_path);
}

static void make_echo(remoting_cmd_t *cmd, int32_t opaque, const char *k) {
    remoting_cmd_reset(cmd);
    remoting_cmd_set_request(cmd, CODE_ECHO);
    cmd->opaque = opaque;
    remoting_cmd_ext_set(cmd, "k", k);
    remoting_cmd_borrow_body(cmd, k, strlen(k));
}

static void expect_echo(int fd, int32_t opaque, const char *k, uint8_t *type) {
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    CHECK(raw_read_cmd(fd, &resp, type));
    CHECK_EQ(resp.opaque, opaque);
    CHECK_EQ(resp.flag, REMOTING_FLAG_RESPONSE);
    CHECK_EQ(resp.code, 0);
    CHECK_STREQ(remoting_cmd_ext_get(&resp, "k"), k);
    CHECK_MEMSTR(resp.body.ptr, resp.body.len, k);
    remoting_cmd_close(&resp);
}

/* Two frames in one write, then one frame a byte at a time, then a big one that makes the
 * read buffer grow: every answer comes back in order. */
static void test_pipelined_and_split_frames(void) {
    remoting_server_t *server = start_server(0);
    int fd = raw_connect(remoting_server_port(server));
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    rmq_buf_t b;
    rmq_buf_init(&b);
    make_echo(&cmd, 1, "one");
    remoting_frame_encode(&cmd, REMOTING_SERIALIZE_JSON, &b);
    make_echo(&cmd, 2, "two");
    remoting_frame_encode(&cmd, REMOTING_SERIALIZE_JSON, &b);
    raw_send(fd, b.data, b.len);
    expect_echo(fd, 1, "one", NULL);
    expect_echo(fd, 2, "two", NULL);

    rmq_buf_reset(&b);
    make_echo(&cmd, 3, "three");
    remoting_frame_encode(&cmd, REMOTING_SERIALIZE_JSON, &b);
    for (size_t i = 0; i < b.len; i++)
        raw_send(fd, b.data + i, 1);
    expect_echo(fd, 3, "three", NULL);

    char *big = malloc(MAX_FRAME - 1024);
    memset(big, 'x', MAX_FRAME - 1025);
    big[MAX_FRAME - 1025] = '\0';
    rmq_buf_reset(&b);
    make_echo(&cmd, 4, "big");
    remoting_cmd_borrow_body(&cmd, big, strlen(big));
    remoting_frame_encode(&cmd, REMOTING_SERIALIZE_JSON, &b);
    make_echo(&cmd, 5, "five");
    remoting_frame_encode(&cmd, REMOTING_SERIALIZE_JSON, &b);
    raw_send(fd, b.data, b.len);
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    CHECK(raw_read_cmd(fd, &resp, NULL));
    CHECK_EQ(resp.opaque, 4);
    CHECK_MEMSTR(resp.body.ptr, resp.body.len, big);
    remoting_cmd_close(&resp);
    expect_echo(fd, 5, "five", NULL);
    free(big);

    rmq_buf_close(&b);
    remoting_cmd_close(&cmd);
    close(fd);
    WAIT_FOR(closed, 1);
    remoting_server_stop(server);
}

/* A one-way request gets nothing back: the next frame read answers the next request. */
static void test_oneway_gets_no_response(void) {
    remoting_server_t *server = start_server(0);
    int fd = raw_connect(remoting_server_port(server));
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    remoting_cmd_set_request(&cmd, CODE_COUNT);
    cmd.flag = REMOTING_FLAG_ONEWAY;
    cmd.opaque = 77;
    raw_send_cmd(fd, &cmd, REMOTING_SERIALIZE_JSON);
    make_echo(&cmd, 78, "after");
    raw_send_cmd(fd, &cmd, REMOTING_SERIALIZE_JSON);
    expect_echo(fd, 78, "after", NULL);
    CHECK_EQ(atomic_load(&oneways), 1);
    remoting_cmd_close(&cmd);
    close(fd);
    remoting_server_stop(server);
}

/* The server answers in JSON whatever the request's header form (spec 1.4). */
static void test_json_response_to_binary_request(void) {
    remoting_server_t *server = start_server(0);
    int fd = raw_connect(remoting_server_port(server));
    remoting_cmd_t cmd;
    remoting_cmd_init(&cmd);
    make_echo(&cmd, 5, "binary");
    raw_send_cmd(fd, &cmd, REMOTING_SERIALIZE_ROCKETMQ);
    uint8_t type = 0xff;
    expect_echo(fd, 5, "binary", &type);
    CHECK_EQ(type, REMOTING_SERIALIZE_JSON);
    remoting_cmd_close(&cmd);
    close(fd);
    remoting_server_stop(server);
}

static void test_idle_connections_close(void) {
    /* Server side: a connection that says nothing is closed and reported closed. */
    remoting_server_t *server = start_server(50);
    int fd = raw_connect(remoting_server_port(server));
    CHECK(raw_wait_closed(fd));
    close(fd);
    WAIT_FOR(closed, 1);

    /* Client side: its idle connection closes too, and the next call reconnects. */
    remoting_server_t *patient = start_server(-1);
    char addr[64];
    snprintf(addr, sizeof addr, "127.0.0.1:%d", remoting_server_port(patient));
    remoting_client_opts_t copts = {.io_threads = 1, .idle_timeout_ms = 50};
    remoting_client_t *client = NULL;
    CHECK_EQ(remoting_client_new(&copts, &client), 0);
    sync_echo(client, addr);
    WAIT_FOR(closed, 1);
    sync_echo(client, addr);
    CHECK_EQ(atomic_load(&opened), 2);
    remoting_client_destroy(client);
    remoting_server_stop(patient);
    remoting_server_stop(server);
}

int main(void) {
    RUN(test_malformed_frames_close_only_that_connection);
    RUN(test_pipelined_and_split_frames);
    RUN(test_oneway_gets_no_response);
    RUN(test_json_response_to_binary_request);
    RUN(test_idle_connections_close);
    return 0;
}
