/*
 * Bad input on the broker's remoting ports (issue 4). Starts our real mqnamesrv and
 * mqbroker on free loopback ports in a temporary directory, then feeds the broker's main
 * port and its fast port (main - 2) with:
 *   a. garbage bytes (text, a TLS ClientHello byte, random frames of both header types),
 *   b. frame lengths that are negative, below 4, past the end, or inconsistent with the
 *      header length, and unknown serialize types,
 *   c. JSON headers of the wrong shape or types (code as a string, extFields as an array,
 *      a non-object root, deep nesting, truncation, odd but legal values),
 *   d. every truncation of a ROCKETMQ binary header, and lengths inside it that lie,
 *   e. a frame announcing 100 MB, and one that really sends 100 MB (refused after the
 *      prefix: the broker must not buffer it, its RSS must not grow by the frame), and
 *      frames at the 16 MB limit and one byte past it,
 *   f. unknown request codes (code 3 REQUEST_CODE_NOT_SUPPORTED, remark
 *      " request type <code> not supported" as Java writes it; nothing for a one-way),
 *      and a response frame that answers no request (dropped),
 *   g. SEND_MESSAGE(_V2) with required header fields missing: SYSTEM_ERROR (1) with a
 *      remark, as the Apache 5.3.3 broker answers (its remark is a Java exception text);
 *      a V2 send without its producer group is stored, as Apache stores it,
 *      Also hostile values in well-formed sends (bad queue ids, topics, properties,
 *      numbers, flags, garbage "batch" and "compressed" bodies, an empty body; the
 *      refused ones with Apache's codes, see case_send_values), then one pull reads back
 *      everything stored in the queue and none of the refused messages,
 *   h. connections that stop in the middle of a frame and stay open.
 * A malformed frame must close that one connection (Java closes on any decode failure);
 * a well-formed request with odd values must get an answer. After each group a normal
 * client still works (GET_BROKER_RUNTIME_INFO on the port under test, SEND_MESSAGE_V2 and
 * PULL_MESSAGE of that message on the main port) and both servers are alive; at the end
 * both stop on SIGTERM with exit status 0 (so an ASan or UBSan report fails the test).
 *
 * Usage: system_broker_bad_input MQNAMESRV MQBROKER
 * Env: RMQ_TEST_TIMEOUT_MULTIPLIER, RMQ_KEEP_WORK=1 (keep the work directory).
 */
#include "net_util.h"
#include "remoting/cmd.h"
#include "remoting/frame.h"
#include "test.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FRAME_MAX (16 * 1024 * 1024) /* the broker's default, length prefix included */
#define TOPIC     "BadInputTopic"

typedef enum { GOT_CLOSED, GOT_RESPONSE, GOT_NOTHING } outcome_t;

static pid_t ns_pid, broker_pid;
static char work[PATH_MAX];
static int main_port, fast_port;
static int opaque_seq = 1000;
static int probes;

/* ------------------------------------------------------------------ processes */

static void on_abort(int sig) {
    if (broker_pid > 0)
        kill(broker_pid, SIGKILL);
    if (ns_pid > 0)
        kill(ns_pid, SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

static pid_t spawn(const char *prog, const char *conf, const char *name) {
    char out[PATH_MAX + 32], home[PATH_MAX + 32];
    snprintf(out, sizeof out, "%s/%s.out", work, name);
    snprintf(home, sizeof home, "%s/home", work);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        setenv("HOME", home, 1);
        setenv("ROCKETMQ_HOME", work, 1);
        execl(prog, prog, "-c", conf, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static bool alive(pid_t pid) {
    int st;
    return waitpid(pid, &st, WNOHANG) == 0;
}

static void check_alive(const char *after) {
    if (!alive(broker_pid) || !alive(ns_pid)) {
        fprintf(stderr, "server died after %s (see %s/*.out)\n", after, work);
        abort();
    }
}

static bool port_free(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* A port P with P-2 .. P+1 free (fast port, HA port), below the ephemeral range. */
static int pick_port(void) {
    for (int i = 0; i < 500; i++) {
        int p = 20000 + rand() % 12000;
        if (port_free(p) && port_free(p - 2) && port_free(p - 1) && port_free(p + 1))
            return p;
    }
    CHECK(!"no free port");
    return -1;
}

static void wait_listening(int port, pid_t pid, const char *name) {
    for (int waited = 0; waited < 3 * test_wait_ms(); waited += 50) {
        if (!port_free(port))
            return;
        if (!alive(pid)) {
            fprintf(stderr, "%s exited before listening on %d (see %s/%s.out)\n", name, port, work,
                    name);
            abort();
        }
        usleep(50000);
    }
    fprintf(stderr, "%s never listened on %d\n", name, port);
    abort();
}

static void write_file(const char *path, const char *fmt, ...) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    CHECK_EQ(fclose(f), 0);
}

static void start_servers(const char *namesrv_bin, const char *broker_bin) {
    const char *tmp = getenv("TMPDIR");
    snprintf(work, sizeof work, "%s/rmq-bad-input.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    CHECK(mkdtemp(work) != NULL);
    char path[PATH_MAX + 32], home[PATH_MAX + 32];
    snprintf(home, sizeof home, "%s/home", work);
    CHECK_EQ(mkdir(home, 0755), 0);

    int ns_port = pick_port();
    main_port = pick_port();
    fast_port = main_port - 2;
    snprintf(path, sizeof path, "%s/namesrv.conf", work);
    write_file(path,
               "listenPort=%d\nbindAddress=127.0.0.1\nrocketmqHome=%s\nkvConfigPath=%s/kv.json\n",
               ns_port, work, work);
    ns_pid = spawn(namesrv_bin, path, "ns");
    wait_listening(ns_port, ns_pid, "ns");

    snprintf(path, sizeof path, "%s/broker.conf", work);
    write_file(path,
               "brokerClusterName=DefaultCluster\nbrokerName=broker-bad\nbrokerId=0\n"
               "namesrvAddr=127.0.0.1:%d\nbrokerIP1=127.0.0.1\nbrokerIP2=127.0.0.1\n"
               "bindAddress=127.0.0.1\nlistenPort=%d\nstorePathRootDir=%s/store\n"
               "storePathCommitLog=%s/store/commitlog\nmappedFileSizeCommitLog=16777216\n"
               "autoCreateTopicEnable=true\nautoCreateSubscriptionGroup=true\n",
               ns_port, main_port, work, work);
    broker_pid = spawn(broker_bin, path, "broker");
    wait_listening(main_port, broker_pid, "broker");
    wait_listening(fast_port, broker_pid, "broker");
    fprintf(stderr, "work %s: namesrv :%d (pid %d), broker :%d/:%d (pid %d)\n", work, ns_port,
            (int)ns_pid, main_port, fast_port, (int)broker_pid);
}

/* SIGTERM, then the exit status must be 0 (sanitizer reports make it non-zero). */
static void stop(pid_t *pid, const char *name) {
    CHECK_EQ(kill(*pid, SIGTERM), 0);
    int st = 0;
    for (int waited = 0;; waited += 20) {
        pid_t r = waitpid(*pid, &st, WNOHANG);
        if (r == *pid)
            break;
        if (waited > 3 * test_wait_ms()) {
            fprintf(stderr, "%s did not stop on SIGTERM\n", name);
            abort();
        }
        usleep(20000);
    }
    *pid = 0;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "%s ended with status 0x%x (see %s/%s.out)\n", name, st, work, name);
        abort();
    }
}

static long rss_kb(pid_t pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* ------------------------------------------------------------------ raw I/O */

/* Sends what it can; stops at the first error (the peer may close early). */
static size_t send_some(int fd, const void *data, size_t len) {
    const char *p = data;
    size_t sent = 0;
    while (sent < len) {
        ssize_t n = send(fd, p + sent, len - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        sent += (size_t)n;
    }
    return sent;
}

/* What the broker does next on fd within wait_ms: closes it, answers, or nothing. */
static outcome_t await(int fd, remoting_cmd_t *resp, int wait_ms) {
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int n = poll(&pfd, 1, wait_ms);
    CHECK(n >= 0);
    if (n == 0)
        return GOT_NOTHING;
    char c;
    ssize_t r = recv(fd, &c, 1, MSG_PEEK);
    if (r <= 0)
        return GOT_CLOSED;
    remoting_cmd_t tmp;
    remoting_cmd_init(&tmp);
    bool ok = raw_read_cmd(fd, resp ? resp : &tmp, NULL);
    remoting_cmd_close(&tmp);
    return ok ? GOT_RESPONSE : GOT_CLOSED;
}

static const char *outcome_name(outcome_t o) {
    return o == GOT_CLOSED ? "closed" : o == GOT_RESPONSE ? "response" : "nothing";
}

/* Sends raw bytes on a new connection and checks what happens. */
static void expect_raw(int port, const void *data, size_t len, outcome_t want, const char *what) {
    int fd = raw_connect(port);
    send_some(fd, data, len);
    outcome_t got = await(fd, NULL, want == GOT_NOTHING ? 300 : test_wait_ms());
    if (got != want) {
        fprintf(stderr, "port %d, %s: want %s, got %s\n", port, what, outcome_name(want),
                outcome_name(got));
        abort();
    }
    close(fd);
}

/* A frame with the given header bytes (as serialize type `type`) and body. */
static void frame_raw(rmq_buf_t *b, uint8_t type, const void *hdr, size_t hlen, const void *body,
                      size_t blen) {
    rmq_buf_reset(b);
    rmq_buf_append_u32be(b, (uint32_t)(4 + hlen + blen));
    rmq_buf_append_u32be(b, ((uint32_t)type << 24) | (uint32_t)hlen);
    rmq_buf_append(b, hdr, hlen);
    if (blen)
        rmq_buf_append(b, body, blen);
}

static void expect_json(int port, const char *json, outcome_t want, const char *what) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    frame_raw(&b, REMOTING_SERIALIZE_JSON, json, strlen(json), NULL, 0);
    expect_raw(port, b.data, b.len, want, what);
    rmq_buf_close(&b);
}

/* One request/response round trip on fd; resp is reset first. */
static void call(int fd, remoting_cmd_t *req, remoting_cmd_t *resp, uint8_t type) {
    req->opaque = ++opaque_seq;
    raw_send_cmd(fd, req, type);
    remoting_cmd_reset(resp);
    CHECK_EQ(await(fd, resp, test_wait_ms()), GOT_RESPONSE);
    CHECK(remoting_cmd_is_response(resp));
    CHECK_EQ(resp->opaque, req->opaque);
}

/* ------------------------------------------------------------------ the normal client */

static void runtime_info(int port) {
    int fd = raw_connect(port);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, 28); /* GET_BROKER_RUNTIME_INFO */
    call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
    CHECK_EQ(resp.code, 0);
    CHECK(resp.body.len > 0 && memmem(resp.body.ptr, resp.body.len, "\"table\"", 7) != NULL);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close(fd);
}

static void send_header(remoting_cmd_t *req, int code) {
    remoting_cmd_reset(req);
    remoting_cmd_set_request(req, code);
    remoting_cmd_ext_set(req, "a", "BadInputPG");
    remoting_cmd_ext_set(req, "b", TOPIC);
    remoting_cmd_ext_set(req, "c", "TBW102");
    remoting_cmd_ext_set(req, "d", "4");
    remoting_cmd_ext_set(req, "e", "0");
    remoting_cmd_ext_set(req, "f", "0");
    remoting_cmd_ext_set(req, "g", "1700000000000");
    remoting_cmd_ext_set(req, "h", "0");
    remoting_cmd_ext_set(req, "i", "");
    remoting_cmd_ext_set(req, "j", "0");
    remoting_cmd_ext_set(req, "k", "false");
    remoting_cmd_ext_set(req, "m", "false");
}

/* SEND_MESSAGE_V2 of a unique body to queue 0 on `port`, then PULL_MESSAGE of it on the
 * main port; the same pull on the fast port gets code 3 (pull is not served there). */
static void send_and_pull(int port) {
    char body[64];
    snprintf(body, sizeof body, "bad-input probe %d", ++probes);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    int fd = raw_connect(port);
    send_header(&req, 310);
    remoting_cmd_borrow_body(&req, body, strlen(body));
    call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
    if (resp.code != 0)
        fprintf(stderr, "send: code %d remark %s\n", resp.code, remoting_cmd_remark(&resp));
    CHECK_EQ(resp.code, 0);
    int64_t offset = -1;
    CHECK_EQ(remoting_cmd_ext_i64(&resp, "queueOffset", &offset), 0);
    close(fd);

    fd = raw_connect(main_port);
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, 11); /* PULL_MESSAGE */
    remoting_cmd_ext_set(&req, "consumerGroup", "BadInputCG");
    remoting_cmd_ext_set(&req, "topic", TOPIC);
    remoting_cmd_ext_set(&req, "queueId", "0");
    remoting_cmd_ext_set_i64(&req, "queueOffset", offset);
    remoting_cmd_ext_set(&req, "maxMsgNums", "1");
    /* Subscription in the request; suspend (long polling) until the message has been
     * dispatched to its queue. */
    remoting_cmd_ext_set(&req, "sysFlag", "6");
    remoting_cmd_ext_set(&req, "commitOffset", "0");
    remoting_cmd_ext_set(&req, "suspendTimeoutMillis", "5000");
    remoting_cmd_ext_set(&req, "subscription", "*");
    remoting_cmd_ext_set(&req, "subVersion", "0");
    remoting_cmd_ext_set(&req, "expressionType", "TAG");
    /* The queue may trail the commit log by a few records for a moment: a pull past its
     * end is OFFSET_OVERFLOW_BADLY (21) rather than held, as upstream; try again. */
    for (int waited = 0;; waited += 10) {
        call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
        if (resp.code != 21 || waited > test_wait_ms())
            break;
        usleep(10000);
    }
    if (resp.code != 0)
        fprintf(stderr, "pull at %lld: code %d remark %s maxOffset %s\n", (long long)offset,
                resp.code, remoting_cmd_remark(&resp), remoting_cmd_ext_get(&resp, "maxOffset"));
    CHECK_EQ(resp.code, 0);
    CHECK(resp.body.len > 0 && memmem(resp.body.ptr, resp.body.len, body, strlen(body)) != NULL);
    close(fd);

    /* The fast port refuses pulls as upstream's fastRemotingServer does. */
    fd = raw_connect(fast_port);
    call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
    CHECK_EQ(resp.code, 3);
    CHECK_STREQ(remoting_cmd_remark(&resp), " request type 11 not supported");
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close(fd);
}

/* The broker still serves a normal client on `port` and on the main port. */
static void healthy(int port, const char *after) {
    check_alive(after);
    runtime_info(port);
    send_and_pull(port);
    check_alive(after);
    fprintf(stderr, "ok: port %d after %s\n", port, after);
}

/* ------------------------------------------------------------------ the cases */

static uint32_t rng = 2463534242u;
static uint8_t rnd8(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return (uint8_t)rng;
}

static void case_garbage(int port) {
    const char http[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    expect_raw(port, http, strlen(http), GOT_CLOSED, "HTTP request");
    const uint8_t tls[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03};
    expect_raw(port, tls, sizeof tls, GOT_CLOSED, "TLS ClientHello");
    rmq_buf_t b;
    rmq_buf_init(&b);
    uint8_t junk[4096];
    for (int round = 0; round < 8; round++) {
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = rnd8();
        /* A valid length over random content: the header cannot decode. JSON random
         * bytes never form an object; a random binary header's remark length lies. */
        junk[0] = round % 2 ? '[' : 0; /* JSON: not an object; binary: code high byte */
        junk[13] = 0x7f;               /* binary: remark length > 2 GB */
        uint8_t type = round % 2 ? REMOTING_SERIALIZE_JSON : REMOTING_SERIALIZE_ROCKETMQ;
        frame_raw(&b, type, junk, sizeof junk, NULL, 0);
        expect_raw(port, b.data, b.len, GOT_CLOSED, "random header");
    }
    rmq_buf_close(&b);
}

static void case_lengths(int port) {
    static const struct {
        uint32_t length, hdrword;
        const char *what;
    } c[] = {
        {0, 0, "length 0"},
        {1, 0, "length 1"},
        {3, 0, "length 3"},
        {0xFFFFFFFFu, 0, "length -1"},
        {0x80000000u, 0, "length INT_MIN"},
        {4, 0, "empty header"},
        {12, 100, "header length past the frame"},
        {12, 0x00FFFFFF, "header length 16 MB in a 12-byte frame"},
        {12, 0x02000008, "serialize type 2"},
        {12, 0xFF000008, "serialize type 255"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        uint8_t f[16] = {0};
        rmq_put_u32be(f, c[i].length);
        rmq_put_u32be(f + 4, c[i].hdrword);
        memcpy(f + 8, "{\"code\":", 8);
        expect_raw(port, f, sizeof f, GOT_CLOSED, c[i].what);
    }
    /* Two frames where the first's length cuts its JSON header short: the header word
     * says 24 bytes, the length leaves room for 10. */
    const char *hdr = "{\"code\":28,\"opaque\":1}";
    uint8_t f[64];
    rmq_put_u32be(f, 4 + 10);
    rmq_put_u32be(f + 4, (uint32_t)strlen(hdr));
    memcpy(f + 8, hdr, strlen(hdr));
    expect_raw(port, f, 8 + strlen(hdr), GOT_CLOSED, "length shorter than the header length");
    /* The same bytes with a consistent header length but a length that stops inside the
     * JSON text: truncated JSON. */
    rmq_put_u32be(f + 4, 10);
    expect_raw(port, f, 8 + strlen(hdr), GOT_CLOSED, "length inside the JSON text");
}

static void case_json(int port) {
    static const char *closed[] = {
        "{\"code\":\"abc\",\"opaque\":1}",
        "{\"code\":{\"x\":1},\"opaque\":1}",
        "{\"code\":[28],\"opaque\":1}",
        "{\"code\":28,\"opaque\":1,\"extFields\":[1,2]}",
        "{\"code\":28,\"opaque\":1,\"extFields\":\"topic=x\"}",
        "{\"code\":28,\"opaque\":1,\"extFields\":5}",
        "{\"code\":28,\"opaque\":99999999999}",
        "{\"code\":28,\"opaque\":1,\"flag\":true}",
        "[28,1,0]",
        "\"code\"",
        "28",
        "null",
        "{\"code\":28,",
        "{\"code\":28,\"opaque\":1}}",
        "{\"code\":28 \"opaque\":1}",
    };
    for (size_t i = 0; i < sizeof closed / sizeof closed[0]; i++)
        expect_json(port, closed[i], GOT_CLOSED, closed[i]);
    /* Odd but well-formed: Java (fastjson) takes quoted numbers, unknown languages decode
     * to null, non-string ext values and unknown keys are dropped. */
    static const char *answered[] = {
        "{\"code\":\"28\",\"opaque\":\"7\",\"flag\":\"0\"}",
        "{\"code\":28,\"opaque\":1,\"language\":\"KLINGON\",\"version\":-5}",
        "{\"code\":28,\"opaque\":1,\"language\":12345}",
        "{\"code\":28,\"opaque\":1,\"extFields\":{\"t\":{\"a\":1},\"u\":[1],\"v\":null,\"w\":7}}",
        "{\"code\":28,\"opaque\":1,\"remark\":\"\\ud800\\udfff\xff\xfe\",\"x\":{\"y\":[]}}",
        "{\"code\":28,\"opaque\":1,\"extFields\":null,\"remark\":null}",
        "{\"opaque\":1,\"code\":9999,\"code\":28}",
        "{code:28,opaque:1}", /* fastjson allows unquoted names */
    };
    for (size_t i = 0; i < sizeof answered / sizeof answered[0]; i++)
        expect_json(port, answered[i], GOT_RESPONSE, answered[i]);
    /* Deep nesting must not exhaust the stack: 200 000 levels, in the root and inside
     * extFields. */
    rmq_buf_t j;
    rmq_buf_init(&j);
    for (int i = 0; i < 200000; i++)
        rmq_buf_append(&j, "[", 1);
    rmq_buf_t b;
    rmq_buf_init(&b);
    frame_raw(&b, REMOTING_SERIALIZE_JSON, j.data, j.len, NULL, 0);
    expect_raw(port, b.data, b.len, GOT_CLOSED, "200 000 nested arrays");
    rmq_buf_reset(&j);
    rmq_buf_append(&j, "{\"code\":28,\"extFields\":{\"k\":", 27);
    for (int i = 0; i < 200000; i++)
        rmq_buf_append(&j, "{\"k\":", 5);
    frame_raw(&b, REMOTING_SERIALIZE_JSON, j.data, j.len, NULL, 0);
    expect_raw(port, b.data, b.len, GOT_CLOSED, "200 000 nested objects in extFields");
    /* Many ext fields (about 1.5 MB of header) are legal and answered. */
    rmq_buf_reset(&j);
    rmq_buf_append(&j, "{\"code\":28,\"opaque\":1,\"extFields\":{", 35);
    for (int i = 0; i < 50000; i++) {
        char kv[64];
        int n = snprintf(kv, sizeof kv, "%s\"key%d\":\"value%d\"", i ? "," : "", i, i);
        rmq_buf_append(&j, kv, (size_t)n);
    }
    rmq_buf_append(&j, "}}", 2);
    frame_raw(&b, REMOTING_SERIALIZE_JSON, j.data, j.len, NULL, 0);
    expect_raw(port, b.data, b.len, GOT_RESPONSE, "50 000 ext fields");
    rmq_buf_close(&j);
    rmq_buf_close(&b);
}

static void case_binary(int port) {
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, 28);
    req.opaque = 5;
    remoting_cmd_set_remark(&req, "remark");
    remoting_cmd_ext_set(&req, "topic", TOPIC);
    remoting_cmd_ext_set(&req, "key", "value");
    rmq_buf_t full, b;
    rmq_buf_init(&full);
    rmq_buf_init(&b);
    remoting_frame_encode(&req, REMOTING_SERIALIZE_ROCKETMQ, &full);
    const uint8_t *hdr = (const uint8_t *)full.data + 8;
    size_t hlen = full.len - 8;
    expect_raw(port, full.data, full.len, GOT_RESPONSE, "whole binary header");
    for (size_t t = 0; t < hlen; t++) {
        char what[96];
        snprintf(what, sizeof what, "binary header cut to %zu of %zu bytes", t, hlen);
        frame_raw(&b, REMOTING_SERIALIZE_ROCKETMQ, hdr, t, NULL, 0);
        expect_raw(port, b.data, b.len, GOT_CLOSED, what);
    }
    /* Lengths inside the header that lie: remark (at 13), ext map (at 17 + 6), key length
     * (at 27 + 6) and value length. */
    static const struct {
        size_t at;
        uint32_t value;
        int width;
        const char *what;
    } lies[] = {
        {13, 0x7FFFFFFF, 4, "remark length 2 GB"}, {13, 0xFFFFFFFF, 4, "remark length -1"},
        {23, 0x7FFFFFFF, 4, "ext length 2 GB"},    {23, 0xFFFFFFF0, 4, "ext length negative"},
        {27, 0xFFFF, 2, "key length 65535"},       {27 + 2 + 5, 0x7FFFFFFF, 4, "value length 2 GB"},
    };
    uint8_t *copy = malloc(hlen);
    for (size_t i = 0; i < sizeof lies / sizeof lies[0]; i++) {
        memcpy(copy, hdr, hlen);
        if (lies[i].width == 4)
            rmq_put_u32be(copy + lies[i].at, lies[i].value);
        else
            rmq_put_u16be(copy + lies[i].at, (uint16_t)lies[i].value);
        frame_raw(&b, REMOTING_SERIALIZE_ROCKETMQ, copy, hlen, NULL, 0);
        expect_raw(port, b.data, b.len, GOT_CLOSED, lies[i].what);
    }
    free(copy);
    rmq_buf_close(&full);
    rmq_buf_close(&b);
    remoting_cmd_close(&req);
}

static void case_huge(int port) {
    uint8_t pre[8];
    rmq_put_u32be(pre, 100u * 1024 * 1024);
    rmq_put_u32be(pre + 4, 20);
    expect_raw(port, pre, sizeof pre, GOT_CLOSED, "100 MB announced");

    /* Really send the 100 MB: the broker closes after the prefix, so the sender hits a
     * reset long before the end, and nothing near 100 MB is held by the broker. */
    long rss0 = rss_kb(broker_pid);
    size_t chunk = 1024 * 1024, total = 100u * 1024 * 1024, sent = 0;
    char *buf = calloc(1, chunk);
    memcpy(buf, pre, sizeof pre);
    int fd = raw_connect(port);
    while (sent < total) {
        size_t n = send_some(fd, buf, chunk);
        sent += n;
        if (n < chunk)
            break;
    }
    long rss1 = rss_kb(broker_pid);
    fprintf(stderr, "100 MB frame: %zu bytes went out before the reset; broker RSS %ld -> %ld kB\n",
            sent, rss0, rss1);
    CHECK(sent < total);
    CHECK(rss1 - rss0 < 32 * 1024);
    CHECK_EQ(await(fd, NULL, test_wait_ms()), GOT_CLOSED);
    close(fd);
    free(buf);

    /* The limit: a frame of exactly 16 MB (prefix included) is served, one byte more is
     * refused. Only on the main port: the fast port has the same limit and transport. */
    if (port != main_port)
        return;
    const char *hdr = "{\"code\":28,\"opaque\":9}";
    size_t hlen = strlen(hdr);
    rmq_buf_t b;
    rmq_buf_init(&b);
    char *body = calloc(1, FRAME_MAX);
    frame_raw(&b, REMOTING_SERIALIZE_JSON, hdr, hlen, body, FRAME_MAX - 8 - hlen);
    CHECK_EQ(b.len, FRAME_MAX);
    expect_raw(port, b.data, b.len, GOT_RESPONSE, "16 MB frame");
    frame_raw(&b, REMOTING_SERIALIZE_JSON, hdr, hlen, body, FRAME_MAX - 8 - hlen + 1);
    expect_raw(port, b.data, b.len, GOT_CLOSED, "16 MB + 1 frame");
    free(body);
    rmq_buf_close(&b);
}

static void expect_not_supported(int fd, int32_t code) {
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, code);
    call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
    CHECK_EQ(resp.code, 3);
    char want[64];
    snprintf(want, sizeof want, " request type %d not supported", (int)code);
    CHECK_STREQ(remoting_cmd_remark(&resp), want);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
}

static void case_unknown_code(int port) {
    int fd = raw_connect(port);
    expect_not_supported(fd, 9999);
    expect_not_supported(fd, -1);
    expect_not_supported(fd, INT32_MAX);
    /* One-way: no answer at all; the next request's answer is the next frame. */
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, 9999);
    req.flag |= REMOTING_FLAG_ONEWAY;
    req.opaque = 77;
    raw_send_cmd(fd, &req, REMOTING_SERIALIZE_JSON);
    CHECK_EQ(await(fd, NULL, 300), GOT_NOTHING);
    /* A response nobody asked for (the flag bit set, an opaque never used) is dropped. */
    remoting_cmd_set_response(&req, 0, 123456, "stray");
    raw_send_cmd(fd, &req, REMOTING_SERIALIZE_JSON);
    CHECK_EQ(await(fd, NULL, 300), GOT_NOTHING);
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, 28);
    call(fd, &req, &resp, REMOTING_SERIALIZE_ROCKETMQ);
    CHECK_EQ(resp.code, 0);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close(fd);
}

/* What the Apache 5.3.3 broker answers when a SEND_MESSAGE(_V2) lacks a field it needs:
 * SYSTEM_ERROR (1) with an exception description as remark (e.g. "java.lang.
 * NullPointerException: ... ConcurrentHashMap.get" for a missing topic). */
static void case_send_missing(int port) {
    static const char *drop_v2[] = {"b", "e", "g", "*"};
    int fd = raw_connect(port);
    remoting_cmd_t full, req, resp;
    remoting_cmd_init(&full);
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    send_header(&full, 310);
    for (size_t i = 0; i < sizeof drop_v2 / sizeof drop_v2[0]; i++) {
        remoting_cmd_reset(&req);
        remoting_cmd_set_request(&req, 310);
        /* "*": no extFields at all; else every field but one. */
        for (uint32_t k = 0; *drop_v2[i] != '*' && k < full.ext_count; k++)
            if (strcmp(remoting_cmd_ext_key(&full, k), drop_v2[i]) != 0)
                remoting_cmd_ext_set(&req, remoting_cmd_ext_key(&full, k),
                                     remoting_cmd_ext_value(&full, k));
        remoting_cmd_borrow_body(&req, "x", 1);
        call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
        fprintf(stderr, "SEND_MESSAGE_V2 without %s: code %d remark \"%s\"\n", drop_v2[i],
                resp.code, remoting_cmd_remark(&resp) ? remoting_cmd_remark(&resp) : "");
        CHECK_EQ(resp.code, 1);
        CHECK(remoting_cmd_remark(&resp) && *remoting_cmd_remark(&resp));
    }
    /* Without the producer group ("a") the Apache broker stores the message: its V2 header
     * decoding checks no field, and the send needs none. */
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, 310);
    for (uint32_t k = 0; k < full.ext_count; k++)
        if (strcmp(remoting_cmd_ext_key(&full, k), "a") != 0)
            remoting_cmd_ext_set(&req, remoting_cmd_ext_key(&full, k),
                                 remoting_cmd_ext_value(&full, k));
    remoting_cmd_borrow_body(&req, "no producer group", 17);
    call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
    CHECK_EQ(resp.code, 0);
    remoting_cmd_close(&full);
    /* SEND_MESSAGE (10), the named-field form, without its topic. */
    remoting_cmd_reset(&req);
    remoting_cmd_set_request(&req, 10);
    remoting_cmd_ext_set(&req, "producerGroup", "BadInputPG");
    remoting_cmd_ext_set(&req, "defaultTopic", "TBW102");
    remoting_cmd_ext_set(&req, "defaultTopicQueueNums", "4");
    remoting_cmd_ext_set(&req, "queueId", "0");
    remoting_cmd_ext_set(&req, "sysFlag", "0");
    remoting_cmd_ext_set(&req, "bornTimestamp", "1700000000000");
    remoting_cmd_ext_set(&req, "flag", "0");
    remoting_cmd_borrow_body(&req, "x", 1);
    call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
    CHECK_EQ(resp.code, 1);
    CHECK(remoting_cmd_remark(&resp) && *remoting_cmd_remark(&resp));
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close(fd);
}

/* Hostile values in a well-formed SEND_MESSAGE_V2: each gets an answer. Where the Apache
 * 5.3.3 broker's code is the same as ours it is asserted; -1 = any answer. Bodies starting
 * "refused-" must never be stored (pull_all checks). Checked against the Apache 5.3.3
 * broker (issue 4):
 *   - sysFlag -1 or 0x80 (INNER_BATCH) and the INNER_NUM property without that bit:
 *     MESSAGE_ILLEGAL (13) from its store's deliberate checks (DefaultMessageStore.
 *     asyncPutMessage, HookUtils.checkInnerBatch: no BatchCQ topic here), as ours;
 *   - an empty body: Apache answers SYSTEM_ERROR (1) with a NullPointerException remark
 *     (AbstractSendMessageProcessor.buildMsgContext reads the body's length) before its
 *     own null-body check (HookUtils.checkBeforePutMessage, MESSAGE_ILLEGAL) is reached;
 *     ours answers what that check means, 13, and stores nothing, as Apache;
 *   - a garbage or truncated batch body: Apache answers 1 (java.nio.BufferUnderflowException
 *     while the commit log re-encodes the batch, no check of its own); ours 13, nothing
 *     stored either way. */
static void case_send_values(int port) {
    static const struct {
        const char *key, *value, *body;
        size_t body_len;
        int want;
    } c[] = {
        {"e", "1000000", "x", 1, 29},                 /* queueId past the queues: NO_PERMISSION */
        {"e", "-5", "x", 1, 0},                       /* negative queueId: any queue */
        {"b", "a b/c", "x", 1, 29},                   /* illegal topic characters */
        {"b", "", "x", 1, 29},                        /* blank topic */
        {"i", "\001\002\001\001\002\002", "x", 1, 0}, /* properties made of separators */
        {"i", "TAGS", "x", 1, 0},                     /* a key without value */
        {"g", "abc", "x", 1, 1},                      /* bornTimestamp not a number */
        {"h", "99999999999", "x", 1, 1},              /* flag past int32 */
        {"f", "-1", "refused-sysflag-all", 19, 13},   /* every sysFlag bit */
        {"f", "128", "refused-inner-batch", 19, 13},  /* INNER_BATCH, not a BatchCQ topic */
        {"i", "INNER_NUM\0013\002", "refused-inner-num", 17, 13}, /* without INNER_BATCH */
        {"f", "1", "\xff\xff\xff\xff", 4, 0}, /* "compressed" garbage is stored as is */
        {"m", "true", "\xff\xff\xff\xff\xff\xff\xff\xff", 8, 13},  /* batch garbage (Apache: 1) */
        {"m", "true", "\x7f\xff\xff\xff\0\0\0\0\0\0\0\0", 12, 13}, /* batch, length 2 GB */
        {"m", "true", "\0\0\0\0\0\0\0\0\0\0\0\0", 12, 13},         /* batch of zeros */
        {"i", "KEYS\001refused-empty\002", "", 0, 13}, /* empty body (Apache: 1, see above) */
    };
    int fd = raw_connect(port);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        send_header(&req, 310);
        remoting_cmd_ext_set(&req, c[i].key, c[i].value);
        if (c[i].body_len)
            remoting_cmd_borrow_body(&req, c[i].body, c[i].body_len);
        call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
        if (c[i].want >= 0 && resp.code != c[i].want) {
            fprintf(stderr, "send with %s=\"%s\": want code %d, got %d (%s)\n", c[i].key,
                    c[i].value, c[i].want, resp.code,
                    remoting_cmd_remark(&resp) ? remoting_cmd_remark(&resp) : "");
            abort();
        }
    }
    /* A 40 000-byte property key: "the message is illegal" (13), as Apache. */
    rmq_buf_t props;
    rmq_buf_init(&props);
    for (int i = 0; i < 40000; i++)
        rmq_buf_append(&props, "K", 1);
    rmq_buf_append(&props, "\001v\002", 4);
    send_header(&req, 310);
    remoting_cmd_ext_setn(&req, "i", 1, props.data, props.len);
    remoting_cmd_borrow_body(&req, "x", 1);
    call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
    CHECK_EQ(resp.code, 13);
    rmq_buf_close(&props);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close(fd);
}

/* Everything stored in queue 0 so far (the odd records of case_send_values included)
 * reads back in one pull from offset 0, the first probe's body among it. */
static void pull_all(void) {
    int fd = raw_connect(main_port);
    remoting_cmd_t req, resp;
    remoting_cmd_init(&req);
    remoting_cmd_init(&resp);
    remoting_cmd_set_request(&req, 11);
    remoting_cmd_ext_set(&req, "consumerGroup", "BadInputCG");
    remoting_cmd_ext_set(&req, "topic", TOPIC);
    remoting_cmd_ext_set(&req, "queueId", "0");
    remoting_cmd_ext_set(&req, "queueOffset", "0");
    remoting_cmd_ext_set(&req, "maxMsgNums", "1000");
    remoting_cmd_ext_set(&req, "sysFlag", "4");
    remoting_cmd_ext_set(&req, "commitOffset", "0");
    remoting_cmd_ext_set(&req, "suspendTimeoutMillis", "0");
    remoting_cmd_ext_set(&req, "subscription", "*");
    remoting_cmd_ext_set(&req, "subVersion", "0");
    call(fd, &req, &resp, REMOTING_SERIALIZE_JSON);
    CHECK_EQ(resp.code, 0);
    const char *first = "bad-input probe 1";
    CHECK(memmem(resp.body.ptr, resp.body.len, first, strlen(first)) != NULL);
    CHECK(memmem(resp.body.ptr, resp.body.len, "refused-", 8) == NULL);
    remoting_cmd_close(&req);
    remoting_cmd_close(&resp);
    close(fd);
}

static void case_stall(int port) {
    enum { STALLED = 20 };
    int fds[STALLED];
    rmq_buf_t b;
    rmq_buf_init(&b);
    const char *hdr = "{\"code\":28,\"opaque\":3,\"flag\":0}";
    char *body = calloc(1, 1024 * 1024);
    frame_raw(&b, REMOTING_SERIALIZE_JSON, hdr, strlen(hdr), body, 1024 * 1024);
    for (int i = 0; i < STALLED; i++) {
        fds[i] = raw_connect(port);
        /* 2 bytes of the prefix, the prefix and part of the header, half the body. */
        size_t cut = i % 3 == 0 ? 2 : i % 3 == 1 ? 8 + strlen(hdr) / 2 : b.len / 2;
        CHECK_EQ(send_some(fds[i], b.data, cut), cut);
    }
    for (int i = 0; i < STALLED; i++)
        CHECK_EQ(await(fds[i], NULL, i == 0 ? 300 : 0), GOT_NOTHING);
    healthy(port, "20 stalled half frames (still open)");
    /* A stalled frame completed late is still served. */
    size_t cut = b.len / 2;
    CHECK_EQ(send_some(fds[2], b.data + cut, b.len - cut), b.len - cut);
    CHECK_EQ(await(fds[2], NULL, test_wait_ms()), GOT_RESPONSE);
    for (int i = 0; i < STALLED; i++)
        close(fds[i]);
    free(body);
    rmq_buf_close(&b);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s MQNAMESRV MQBROKER\n", argv[0]);
        return 2;
    }
    signal(SIGABRT, on_abort);
    signal(SIGPIPE, SIG_IGN);
    srand((unsigned)getpid());
    alarm((unsigned)(12 * test_wait_ms() / 1000)); /* overall limit: 120 s, scaled */
    start_servers(argv[1], argv[2]);
    healthy(main_port, "start");
    int ports[2] = {main_port, fast_port};
    for (int i = 0; i < 2; i++) {
        int p = ports[i];
        case_garbage(p);
        healthy(p, "garbage");
        case_lengths(p);
        healthy(p, "bad lengths");
        case_json(p);
        healthy(p, "bad JSON headers");
        case_binary(p);
        healthy(p, "bad binary headers");
        case_huge(p);
        healthy(p, "huge frames");
        case_unknown_code(p);
        healthy(p, "unknown codes");
        case_send_missing(p);
        healthy(p, "sends without required fields");
        case_send_values(p);
        healthy(p, "sends with hostile values");
        pull_all();
        case_stall(p);
        healthy(p, "stalled frames closed");
    }
    stop(&broker_pid, "broker");
    stop(&ns_pid, "ns");
    if (!getenv("RMQ_KEEP_WORK")) {
        char cmd[PATH_MAX + 16];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
        CHECK_EQ(system(cmd), 0);
    }
    fprintf(stderr, "PASS (%d probes)\n", probes);
    return 0;
}
