/*
 * NameServer load generator: GET_ROUTEINFO_BY_TOPIC queries per second.
 *
 * It first registers a synthetic broker (REGISTER_BROKER with `topics` topics, as a
 * broker's full registration) on one connection that stays open for the whole run (a
 * NameServer drops a broker whose connection closes), then keeps `window` route queries
 * in flight on each of `conns` connections for `seconds`, cycling over the topics, and
 * counts the successful answers. One thread and epoll, so the generator costs the same
 * against any NameServer; requests are pre-encoded, responses are only framed and their
 * code checked, not parsed.
 *
 * usage: namesrv_route_bench HOST:PORT [conns=8] [window=32] [seconds=10] [topics=100]
 * prints one JSON line: {"qps":...,"ok":...,"errors":...,"seconds":...}
 */
#include "bench_net.h"
#include "common/buf.h"
#include "common/checksum.h"
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

typedef struct {
    int fd;
    rmq_buf_t in;
    int inflight;
    size_t next_topic;
} bench_conn_t;

static int register_broker(const char *host, int port, int topics, rmq_buf_t *scratch) {
    rmq_buf_t body;
    rmq_buf_init(&body);
    rmq_buf_appendf(&body,
                    "{\"filterServerList\":[],\"topicConfigSerializeWrapper\":{"
                    "\"dataVersion\":{\"counter\":1,\"stateVersion\":0,\"timestamp\":%lld},"
                    "\"topicConfigTable\":{",
                    (long long)rmq_now_ms());
    for (int i = 0; i < topics; i++)
        rmq_buf_appendf(&body,
                        "%s\"BenchTopic%d\":{\"attributes\":{},\"order\":false,\"perm\":6,"
                        "\"readQueueNums\":8,\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":"
                        "\"BenchTopic%d\",\"topicSysFlag\":0,\"writeQueueNums\":8}",
                        i ? "," : "", i, i);
    rmq_buf_append_cstr(&body, "},\"topicQueueMappingInfoMap\":{}}}");

    remoting_cmd_t req;
    remoting_cmd_init(&req);
    remoting_cmd_set_request(&req, 103);
    req.language = REMOTING_LANG_JAVA;
    req.opaque = 1;
    remoting_cmd_ext_set(&req, "brokerName", "bench-broker");
    remoting_cmd_ext_set(&req, "brokerAddr", "127.0.0.1:30911");
    remoting_cmd_ext_set(&req, "clusterName", "BenchCluster");
    remoting_cmd_ext_set(&req, "haServerAddr", "127.0.0.1:30912");
    remoting_cmd_ext_set(&req, "brokerId", "0");
    remoting_cmd_ext_set(&req, "enableActingMaster", "false");
    remoting_cmd_ext_set(&req, "compressed", "false");
    remoting_cmd_ext_set_i64(&req, "bodyCrc32", rmq_crc32_masked(body.data, body.len));
    remoting_cmd_borrow_body(&req, body.data, body.len);
    rmq_buf_t out;
    rmq_buf_init(&out);
    remoting_frame_encode(&req, REMOTING_SERIALIZE_JSON, &out);
    int fd = bench_connect(host, port);
    bench_write_all(fd, out.data, out.len);
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    bench_read_frame(fd, scratch, &resp);
    if (resp.code != 0) {
        fprintf(stderr, "REGISTER_BROKER failed: code %d %s\n", resp.code,
                remoting_cmd_remark(&resp) ? remoting_cmd_remark(&resp) : "");
        exit(2);
    }
    remoting_cmd_close(&resp);
    remoting_cmd_close(&req);
    rmq_buf_close(&out);
    rmq_buf_close(&body);
    return fd;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s HOST:PORT [conns] [window] [seconds] [topics]\n", argv[0]);
        return 2;
    }
    char host[64];
    int port;
    if (sscanf(argv[1], "%63[^:]:%d", host, &port) != 2)
        return 2;
    int nconns = argc > 2 ? atoi(argv[2]) : 8;
    int window = argc > 3 ? atoi(argv[3]) : 32;
    int seconds = argc > 4 ? atoi(argv[4]) : 10;
    int topics = argc > 5 ? atoi(argv[5]) : 100;

    rmq_buf_t scratch;
    rmq_buf_init(&scratch);
    int reg_fd = register_broker(host, port, topics, &scratch);

    /* Pre-encode one request per topic; opaques need not be unique for counting. */
    rmq_buf_t *reqs = calloc((size_t)topics, sizeof *reqs);
    for (int i = 0; i < topics; i++) {
        remoting_cmd_t req;
        remoting_cmd_init(&req);
        remoting_cmd_set_request(&req, 105);
        req.language = REMOTING_LANG_JAVA;
        char topic[64];
        snprintf(topic, sizeof topic, "BenchTopic%d", i);
        remoting_cmd_ext_set(&req, "topic", topic);
        rmq_buf_init(&reqs[i]);
        remoting_frame_encode(&req, REMOTING_SERIALIZE_JSON, &reqs[i]);
        remoting_cmd_close(&req);
    }

    int ep = epoll_create1(0);
    bench_conn_t *conns = calloc((size_t)nconns, sizeof *conns);
    rmq_buf_t out;
    rmq_buf_init(&out);
    for (int c = 0; c < nconns; c++) {
        conns[c].fd = bench_connect(host, port);
        conns[c].next_topic = (size_t)c;
        rmq_buf_init(&conns[c].in);
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &conns[c]};
        epoll_ctl(ep, EPOLL_CTL_ADD, conns[c].fd, &ev);
    }
    long long ok = 0, errors = 0;
    int64_t start = rmq_mono_ms(), deadline = start + seconds * 1000LL;
    remoting_cmd_t resp;
    remoting_cmd_init(&resp);
    for (int c = 0; c < nconns; c++) {
        rmq_buf_reset(&out);
        for (; conns[c].inflight < window; conns[c].inflight++) {
            rmq_buf_t *r = &reqs[conns[c].next_topic++ % (size_t)topics];
            rmq_buf_append(&out, r->data, r->len);
        }
        bench_write_all(conns[c].fd, out.data, out.len);
    }
    while (rmq_mono_ms() < deadline) {
        struct epoll_event evs[64];
        int n = epoll_wait(ep, evs, 64, 100);
        for (int i = 0; i < n; i++) {
            bench_conn_t *bc = evs[i].data.ptr;
            rmq_buf_reserve(&bc->in, 1 << 20);
            ssize_t r = read(bc->fd, bc->in.data + bc->in.len, 1 << 20);
            if (r <= 0) {
                fprintf(stderr, "connection closed by server\n");
                return 2;
            }
            bc->in.len += (size_t)r;
            size_t pos = 0, flen = 0;
            int done = 0;
            while (remoting_frame_peek((uint8_t *)bc->in.data + pos, bc->in.len - pos, 1 << 26,
                                       &flen) == 0) {
                /* The response code is the first header field; decode just the header. */
                if (remoting_frame_decode((uint8_t *)bc->in.data + pos, flen, &resp) == 0 &&
                    resp.code == 0)
                    ok++;
                else
                    errors++;
                pos += flen;
                done++;
            }
            memmove(bc->in.data, bc->in.data + pos, bc->in.len - pos);
            bc->in.len -= pos;
            bc->inflight -= done;
            rmq_buf_reset(&out);
            for (; bc->inflight < window; bc->inflight++) {
                rmq_buf_t *q = &reqs[bc->next_topic++ % (size_t)topics];
                rmq_buf_append(&out, q->data, q->len);
            }
            if (out.len)
                bench_write_all(bc->fd, out.data, out.len);
        }
    }
    double elapsed = (double)(rmq_mono_ms() - start) / 1000.0;
    printf("{\"qps\":%.0f,\"ok\":%lld,\"errors\":%lld,\"seconds\":%.2f,\"conns\":%d,"
           "\"window\":%d,\"topics\":%d}\n",
           (double)ok / elapsed, ok, errors, elapsed, nconns, window, topics);
    close(reg_fd);
    return errors ? 1 : 0;
}
