/*
 * Broker load generator: SEND_MESSAGE_V2 throughput and latency.
 *
 * Creates topic BenchSend (8 queues) with UPDATE_AND_CREATE_TOPIC, then keeps `window`
 * sends of `size`-byte bodies in flight on each of `conns` connections for `seconds`
 * after a warm-up of `warmup` seconds, and reports sends per second and latency
 * percentiles over the measured part. Requests use the ROCKETMQ binary header, so one
 * pre-encoded frame per connection is reused with only its opaque patched; each
 * response is matched to its send time by opaque. One thread and epoll: the generator
 * costs the same against any broker.
 *
 * With `pullers` > 0 it also consumes while it sends (produce+consume mode): `pullers`
 * more connections share the 8 queues, each keeping one PULL_MESSAGE (up to 32
 * messages, long polling, subscription "*" in the request) in flight per queue from the
 * queue's end at start-up, and it reports the messages received per second ("pulled").
 *
 * With `rate` > 0 it sends open-loop instead: `rate` sends a second in all, spread evenly
 * over the connections, each on its schedule whether or not earlier ones were answered
 * (`window` then only caps what is in flight per connection). Latency is measured from
 * each send's scheduled time, so a stall that delays later sends counts against them too
 * (no coordinated omission): this compares brokers at the same offered load, where the
 * closed loop compares them each at its own saturation.
 *
 * usage: broker_send_bench HOST:PORT [conns=4] [window=16] [seconds=10] [size=1024]
 *                          [warmup=3] [pullers=0] [rate=0]
 * prints one JSON line: {"tps":...,"ok":...,"errors":...,"p50_us":...,...}
 */
#include "bench_net.h"
#include "common/buf.h"
#include "common/time.h"
#include "remoting/frame.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BENCH_TOPIC  "BenchSend"
#define BENCH_QUEUES 8
/* The opaque sits after code (2), language (1) and version (2) in the binary header. */
#define OPAQUE_AT (8 + 5)

typedef struct {
    bool is_puller; /* first: epoll data may be either kind */
    int fd;
    rmq_buf_t in;
    rmq_buf_t frame; /* the pre-encoded send */
    int inflight;
    int32_t next_opaque;
    int64_t scheduled; /* open loop: sends issued so far (each has its scheduled time) */
    int64_t *sent_ns;  /* by opaque % slots */
    int slots;
} bench_conn_t;

/* A consuming connection: one pull in flight per queue it owns. */
typedef struct {
    bool is_puller;
    int fd;
    rmq_buf_t in;
    int64_t offset[BENCH_QUEUES];
    bool owns[BENCH_QUEUES];
} bench_puller_t;

/* Sends one request on a fresh connection and returns the response code. */
static int call_once(const char *host, int port, remoting_cmd_t *req) {
    rmq_buf_t out, in;
    rmq_buf_init(&out);
    rmq_buf_init(&in);
    remoting_frame_encode(req, REMOTING_SERIALIZE_JSON, &out);
    int fd = bench_connect(host, port);
    bench_write_all(fd, out.data, out.len);
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    bench_read_frame(fd, &in, &resp);
    int code = resp.code;
    if (code != 0)
        fprintf(stderr, "request %d: code %d %s\n", req->code, code,
                remoting_cmd_remark(&resp) ? remoting_cmd_remark(&resp) : "");
    close(fd);
    remoting_cmd_close(&resp);
    rmq_buf_close(&out);
    rmq_buf_close(&in);
    return code;
}

static void create_topic(const char *host, int port) {
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, 17);
    req.language = REMOTING_LANG_JAVA;
    remoting_cmd_ext_set(&req, "topic", BENCH_TOPIC);
    remoting_cmd_ext_set(&req, "defaultTopic", "TBW102");
    remoting_cmd_ext_set_i64(&req, "readQueueNums", BENCH_QUEUES);
    remoting_cmd_ext_set_i64(&req, "writeQueueNums", BENCH_QUEUES);
    remoting_cmd_ext_set_i64(&req, "perm", 6);
    remoting_cmd_ext_set(&req, "topicFilterType", "SINGLE_TAG");
    remoting_cmd_ext_set_i64(&req, "topicSysFlag", 0);
    remoting_cmd_ext_set(&req, "order", "false");
    if (call_once(host, port, &req) != 0)
        exit(2);
    remoting_cmd_close(&req);
}

/* Queue offset after the last message (GET_MAX_OFFSET). */
static int64_t max_offset(const char *host, int port, int queue) {
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, 30);
    req.language = REMOTING_LANG_JAVA;
    remoting_cmd_ext_set(&req, "topic", BENCH_TOPIC);
    remoting_cmd_ext_set_i64(&req, "queueId", queue);
    rmq_buf_t out, in;
    rmq_buf_init(&out);
    rmq_buf_init(&in);
    remoting_frame_encode(&req, REMOTING_SERIALIZE_JSON, &out);
    int fd = bench_connect(host, port);
    bench_write_all(fd, out.data, out.len);
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    bench_read_frame(fd, &in, &resp);
    int64_t off = 0;
    if (resp.code != 0 || remoting_cmd_ext_i64(&resp, "offset", &off) != 0) {
        fprintf(stderr, "GET_MAX_OFFSET: code %d\n", resp.code);
        exit(2);
    }
    close(fd);
    remoting_cmd_close(&resp);
    remoting_cmd_close(&req);
    rmq_buf_close(&out);
    rmq_buf_close(&in);
    return off;
}

/* Writes a PULL_MESSAGE for `queue` from its current offset; the opaque is the queue. */
static void send_pull(bench_puller_t *bp, int queue) {
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, 11);
    req.language = REMOTING_LANG_JAVA;
    req.opaque = queue;
    remoting_cmd_ext_set(&req, "consumerGroup", "BenchConsumerGroup");
    remoting_cmd_ext_set(&req, "topic", BENCH_TOPIC);
    remoting_cmd_ext_set_i64(&req, "queueId", queue);
    remoting_cmd_ext_set_i64(&req, "queueOffset", bp->offset[queue]);
    remoting_cmd_ext_set_i64(&req, "maxMsgNums", 32);
    remoting_cmd_ext_set_i64(&req, "sysFlag", 2 | 4); /* suspend, subscription */
    remoting_cmd_ext_set_i64(&req, "commitOffset", 0);
    remoting_cmd_ext_set_i64(&req, "suspendTimeoutMillis", 1000);
    remoting_cmd_ext_set(&req, "subscription", "*");
    remoting_cmd_ext_set_i64(&req, "subVersion", 0);
    remoting_cmd_ext_set(&req, "expressionType", "TAG");
    rmq_buf_t out;
    rmq_buf_init(&out);
    remoting_frame_encode(&req, REMOTING_SERIALIZE_ROCKETMQ, &out);
    bench_write_all(bp->fd, out.data, out.len);
    rmq_buf_close(&out);
    remoting_cmd_close(&req);
}

/* Records in a pull body: each starts with its int32 total size. */
static long long count_records(rmq_slice_t body) {
    long long n = 0;
    size_t pos = 0;
    while (pos + 4 <= body.len) {
        uint32_t size = rmq_get_u32be(body.ptr + pos);
        if (size < 4)
            break;
        pos += size;
        n++;
    }
    return n;
}

/* Handles the pull responses in bp->in and sends the next pulls. Returns the messages
 * received. */
static long long on_pulled(bench_puller_t *bp, remoting_cmd_t *resp) {
    long long got = 0;
    size_t pos = 0, flen = 0;
    while (remoting_frame_peek((uint8_t *)bp->in.data + pos, bp->in.len - pos, 1 << 26, &flen) ==
           0) {
        if (remoting_frame_decode((uint8_t *)bp->in.data + pos, flen, resp) != 0) {
            fprintf(stderr, "bad pull response\n");
            exit(2);
        }
        int queue = resp->opaque;
        int64_t next;
        if (queue < 0 || queue >= BENCH_QUEUES || !bp->owns[queue]) {
            fprintf(stderr, "pull response for unknown opaque %d\n", queue);
            exit(2);
        }
        if (resp->code == 0)
            got += count_records(resp->body);
        if (remoting_cmd_ext_i64(resp, "nextBeginOffset", &next) == 0)
            bp->offset[queue] = next;
        pos += flen;
        send_pull(bp, queue);
    }
    memmove(bp->in.data, bp->in.data + pos, bp->in.len - pos);
    bp->in.len -= pos;
    return got;
}

static void encode_send(bench_conn_t *bc, int queue, const char *body, size_t size) {
    remoting_cmd_t req;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, 310);
    req.language = REMOTING_LANG_JAVA;
    remoting_cmd_ext_set(&req, "a", "BenchProducerGroup");
    remoting_cmd_ext_set(&req, "b", BENCH_TOPIC);
    remoting_cmd_ext_set(&req, "c", "TBW102");
    remoting_cmd_ext_set_i64(&req, "d", 4);
    remoting_cmd_ext_set_i64(&req, "e", queue);
    remoting_cmd_ext_set_i64(&req, "f", 0);
    remoting_cmd_ext_set_i64(&req, "g", rmq_now_ms());
    remoting_cmd_ext_set_i64(&req, "h", 0);
    remoting_cmd_ext_set(&req, "i", "TAGS\001TagA\002WAIT\001true\002");
    remoting_cmd_ext_set_i64(&req, "j", 0);
    remoting_cmd_ext_set(&req, "k", "false");
    remoting_cmd_ext_set(&req, "m", "false");
    remoting_cmd_borrow_body(&req, body, size);
    rmq_buf_init(&bc->frame);
    remoting_frame_encode(&req, REMOTING_SERIALIZE_ROCKETMQ, &bc->frame);
    remoting_cmd_close(&req);
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr,
                "usage: %s HOST:PORT [conns] [window] [seconds] [size] [warmup] [pullers]\n",
                argv[0]);
        return 2;
    }
    char host[64];
    int port;
    if (sscanf(argv[1], "%63[^:]:%d", host, &port) != 2)
        return 2;
    int nconns = argc > 2 ? atoi(argv[2]) : 4;
    int window = argc > 3 ? atoi(argv[3]) : 16;
    int seconds = argc > 4 ? atoi(argv[4]) : 10;
    size_t size = argc > 5 ? (size_t)atoi(argv[5]) : 1024;
    int warmup = argc > 6 ? atoi(argv[6]) : 3;
    int npullers = argc > 7 ? atoi(argv[7]) : 0;
    double rate = argc > 8 ? atof(argv[8]) : 0;         /* sends per second, all connections */
    double gap_ns = rate > 0 ? 1e9 * nconns / rate : 0; /* per connection */

    create_topic(host, port);
    char *body = malloc(size);
    for (size_t i = 0; i < size; i++)
        body[i] = (char)('a' + i % 26);

    int ep = epoll_create1(0);
    bench_conn_t *conns = calloc((size_t)nconns, sizeof *conns);
    for (int c = 0; c < nconns; c++) {
        bench_conn_t *bc = &conns[c];
        bc->fd = bench_connect(host, port);
        rmq_buf_init(&bc->in);
        encode_send(bc, c % BENCH_QUEUES, body, size);
        bc->slots = window * 4;
        bc->sent_ns = calloc((size_t)bc->slots, sizeof *bc->sent_ns);
        bc->next_opaque = c * 100000000;
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = bc};
        epoll_ctl(ep, EPOLL_CTL_ADD, bc->fd, &ev);
    }

    bench_puller_t *pullers = calloc((size_t)(npullers > 0 ? npullers : 1), sizeof *pullers);
    for (int p = 0; p < npullers; p++) {
        bench_puller_t *bp = &pullers[p];
        bp->is_puller = true;
        bp->fd = bench_connect(host, port);
        rmq_buf_init(&bp->in);
        for (int q = p; q < BENCH_QUEUES; q += npullers) {
            bp->owns[q] = true;
            bp->offset[q] = max_offset(host, port, q);
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = bp};
        epoll_ctl(ep, EPOLL_CTL_ADD, bp->fd, &ev);
    }
    for (int p = 0; p < npullers; p++)
        for (int q = 0; q < BENCH_QUEUES; q++)
            if (pullers[p].owns[q])
                send_pull(&pullers[p], q);
    long long pulled = 0;

    size_t lat_cap = 1 << 20, lat_n = 0;
    int64_t *lat = malloc(lat_cap * sizeof *lat);
    long long ok = 0, errors = 0;
    int64_t t0 = rmq_mono_ns();
    int64_t measure_from = t0 + (int64_t)warmup * 1000000000LL;
    int64_t deadline = measure_from + (int64_t)seconds * 1000000000LL;
    rmq_buf_t out;
    rmq_buf_init(&out);
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);

    /* Tops a connection up to `window` sends in flight, in one write. */
#define FILL(bc)                                                                                   \
    do {                                                                                           \
        rmq_buf_reset(&out);                                                                       \
        int64_t now_ = rmq_mono_ns();                                                              \
        for (; (bc)->inflight < window; (bc)->inflight++) {                                        \
            int32_t op_ = (bc)->next_opaque++;                                                     \
            rmq_put_u32be((bc)->frame.data + OPAQUE_AT, (uint32_t)op_);                            \
            (bc)->sent_ns[(uint32_t)op_ % (uint32_t)(bc)->slots] = now_;                           \
            rmq_buf_append(&out, (bc)->frame.data, (bc)->frame.len);                               \
        }                                                                                          \
        if (out.len)                                                                               \
            bench_write_all((bc)->fd, out.data, out.len);                                          \
    } while (0)

    /* Open loop: issues the connection's sends whose time has come, up to the window, each
     * stamped with its scheduled time. */
#define DUE(bc, now)                                                                               \
    do {                                                                                           \
        rmq_buf_reset(&out);                                                                       \
        for (;;) {                                                                                 \
            int64_t at_ = t0 + (int64_t)((double)(bc)->scheduled * gap_ns);                        \
            if (at_ > (now) || (bc)->inflight >= window)                                           \
                break;                                                                             \
            int32_t op_ = (bc)->next_opaque++;                                                     \
            rmq_put_u32be((bc)->frame.data + OPAQUE_AT, (uint32_t)op_);                            \
            (bc)->sent_ns[(uint32_t)op_ % (uint32_t)(bc)->slots] = at_;                            \
            rmq_buf_append(&out, (bc)->frame.data, (bc)->frame.len);                               \
            (bc)->inflight++;                                                                      \
            (bc)->scheduled++;                                                                     \
        }                                                                                          \
        if (out.len)                                                                               \
            bench_write_all((bc)->fd, out.data, out.len);                                          \
    } while (0)

    if (rate <= 0)
        for (int c = 0; c < nconns; c++)
            FILL(&conns[c]);
    while (rmq_mono_ns() < deadline) {
        struct epoll_event evs[64];
        int n;
        if (rate > 0) {
            int64_t now = rmq_mono_ns(), next = deadline;
            for (int c = 0; c < nconns; c++) {
                DUE(&conns[c], now);
                int64_t at = t0 + (int64_t)((double)conns[c].scheduled * gap_ns);
                if (conns[c].inflight < window && at < next)
                    next = at;
            }
            int64_t wait = next - rmq_mono_ns();
            struct timespec ts = {0, wait > 0 ? (wait < 100000000 ? wait : 100000000) : 0};
            n = epoll_pwait2(ep, evs, 64, &ts, NULL);
        } else {
            n = epoll_wait(ep, evs, 64, 100);
        }
        for (int i = 0; i < n; i++) {
            if (*(bool *)evs[i].data.ptr) {
                bench_puller_t *bp = evs[i].data.ptr;
                rmq_buf_reserve(&bp->in, 1 << 20);
                ssize_t r = read(bp->fd, bp->in.data + bp->in.len, 1 << 20);
                if (r <= 0) {
                    fprintf(stderr, "pull connection closed by the broker\n");
                    return 2;
                }
                bp->in.len += (size_t)r;
                long long got = on_pulled(bp, &resp);
                if (rmq_mono_ns() >= measure_from)
                    pulled += got;
                continue;
            }
            bench_conn_t *bc = evs[i].data.ptr;
            rmq_buf_reserve(&bc->in, 1 << 20);
            ssize_t r = read(bc->fd, bc->in.data + bc->in.len, 1 << 20);
            if (r <= 0) {
                fprintf(stderr, "connection closed by the broker\n");
                return 2;
            }
            bc->in.len += (size_t)r;
            size_t pos = 0, flen = 0;
            int64_t now = rmq_mono_ns();
            while (remoting_frame_peek((uint8_t *)bc->in.data + pos, bc->in.len - pos, 1 << 26,
                                       &flen) == 0) {
                bool good = remoting_frame_decode((uint8_t *)bc->in.data + pos, flen, &resp) == 0 &&
                            resp.code == 0;
                if (now >= measure_from) {
                    if (good) {
                        ok++;
                        if (lat_n == lat_cap) {
                            lat_cap *= 2;
                            lat = realloc(lat, lat_cap * sizeof *lat);
                        }
                        lat[lat_n++] =
                            now - bc->sent_ns[(uint32_t)resp.opaque % (uint32_t)bc->slots];
                    } else {
                        errors++;
                    }
                }
                pos += flen;
                bc->inflight--;
            }
            memmove(bc->in.data, bc->in.data + pos, bc->in.len - pos);
            bc->in.len -= pos;
            if (rate <= 0)
                FILL(bc);
        }
    }
    double elapsed = (double)(rmq_mono_ns() - measure_from) / 1e9;
    qsort(lat, lat_n, sizeof *lat, cmp_i64);
#define PCT(p) (lat_n ? (double)lat[(size_t)((double)(lat_n - 1) * (p))] / 1000.0 : 0.0)
    printf("{\"tps\":%.0f,\"ok\":%lld,\"errors\":%lld,\"seconds\":%.2f,\"conns\":%d,\"window\":%d,"
           "\"size\":%zu,\"p50_us\":%.0f,\"p99_us\":%.0f,\"p999_us\":%.0f,\"max_us\":%.0f,"
           "\"pullers\":%d,\"pulled_per_s\":%.0f,\"rate\":%.0f}\n",
           (double)ok / elapsed, ok, errors, elapsed, nconns, window, size, PCT(0.5), PCT(0.99),
           PCT(0.999), PCT(1.0), npullers, (double)pulled / elapsed, rate);
    return errors ? 1 : 0;
}
