/*
 * Consumer offsets (Java's OffsetStore): a cache of mq -> next offset to consume, written
 * to the broker with UPDATE_CONSUMER_OFFSET (RemoteBrokerOffsetStore, CLUSTERING) or to a
 * local JSON file (LocalFileOffsetStore, BROADCASTING). The file is Java's
 * OffsetSerializeWrapper as fastjson writes it, so either client reads the other's:
 *
 *   {
 *   	"offsetTable":{{"brokerName":"b","queueId":0,"topic":"T"}:12
 *   	}
 *   }
 *
 * written to offsets.json.tmp and renamed (Java keeps a .bak; a rename is enough here).
 * Also the queue-offset look-ups a new queue's start position needs.
 *
 * Threads: any; `mu` guards the table and is never held across a network call.
 */
#include "client/consumer.h"

#include "common/alloc.h"
#include "common/json.h"
#include "common/log.h"
#include "protocol/admin_body.h"
#include "protocol/codes.h"
#include "protocol/message.h"
#include "protocol/offset_header.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    client_cmq_t mq;
    int64_t offset;
} offset_entry_t;

/* ------------------------------------------------------------------ file */

char *client_offset_store_local_path(const char *dir, const char *client_id, const char *group) {
    rmq_buf_t b;
    rmq_buf_init(&b);
    if (dir && *dir)
        rmq_buf_appendf(&b, "%s", dir);
    else
        rmq_buf_appendf(&b, "%s/.rocketmq_offsets", getenv("HOME") ? getenv("HOME") : ".");
    rmq_buf_appendf(&b, "/%s/%s/offsets.json", client_id, group);
    return rmq_buf_steal(&b, NULL);
}

static offset_entry_t *entry_get(client_offset_store_t *os, const client_cmq_t *mq, bool create) {
    char *key = client_cmq_key(mq->topic, mq->broker_name, mq->queue_id);
    offset_entry_t *e = rmq_map_get(&os->table, key);
    if (!e && create) {
        e = RMQ_NEW(offset_entry_t);
        e->mq = (client_cmq_t){rmq_strdup(mq->topic), rmq_strdup(mq->broker_name), mq->queue_id};
        e->offset = -1;
        rmq_map_put(&os->table, key, e);
    }
    rmq_free(key);
    return e;
}

static void load_file(client_offset_store_t *os) {
    FILE *f = fopen(os->path, "rb");
    if (!f)
        return;
    rmq_buf_t b;
    rmq_buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rmq_buf_append(&b, chunk, n);
    fclose(f);
    char err[128];
    rmq_json_doc_t *doc = rmq_json_parse(b.data ? b.data : "", b.len, err, sizeof err);
    if (!doc) {
        rmq_log_warn("consumer", "offset file %s unreadable: %s", os->path, err);
        rmq_buf_close(&b);
        return;
    }
    rmq_json_t *table = rmq_json_get(rmq_json_root(doc), "offsetTable");
    for (rmq_json_t *v = table ? table->child : NULL; v; v = v->next) {
        proto_mq_t pm = {0};
        int64_t off;
        if (proto_mq_read_key(v, &pm) == 0 && rmq_json_as_i64(v, &off) && pm.topic &&
            pm.brokerName && pm.queueId >= 0) {
            client_cmq_t mq = {pm.topic, pm.brokerName, pm.queueId};
            entry_get(os, &mq, true)->offset = off;
        }
        proto_mq_close(&pm);
    }
    rmq_json_doc_destroy(doc);
    rmq_buf_close(&b);
}

/* mkdir -p of path's directory. */
static void make_parent_dirs(const char *path) {
    char *copy = rmq_strdup(path);
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(copy, 0755);
        *p = '/';
    }
    rmq_free(copy);
}

static rmq_err_t write_file(client_offset_store_t *os) {
    rmq_buf_t compact, pretty;
    rmq_buf_init(&compact);
    rmq_buf_init(&pretty);
    rmq_jw_t w;
    rmq_jw_init(&w, &compact, 0);
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "offsetTable");
    rmq_jw_obj_begin(&w);
    pthread_mutex_lock(&os->mu);
    const char **keys = rmq_map_keys_sorted(&os->table);
    for (size_t i = 0; i < rmq_map_count(&os->table); i++) {
        offset_entry_t *e = rmq_map_get(&os->table, keys[i]);
        if (e->offset < 0)
            continue;
        proto_mq_write_key(&w, e->mq.topic, e->mq.broker_name, e->mq.queue_id);
        rmq_jw_i64(&w, e->offset);
    }
    rmq_free(keys);
    pthread_mutex_unlock(&os->mu);
    rmq_jw_obj_end(&w);
    rmq_jw_obj_end(&w);
    if (client_json_pretty(compact.data, compact.len, &pretty) != 0) {
        rmq_buf_reset(&pretty);
        rmq_buf_append(&pretty, compact.data, compact.len);
    }
    make_parent_dirs(os->path);
    size_t tlen = strlen(os->path) + 8;
    char *tmp = rmq_malloc(tlen);
    snprintf(tmp, tlen, "%s.tmp", os->path);
    rmq_err_t err = RMQ_ERR_NO_ERROR;
    FILE *f = fopen(tmp, "wb");
    if (!f || fwrite(pretty.data, 1, pretty.len, f) != pretty.len || fflush(f) != 0 ||
        fsync(fileno(f)) != 0 || rename(tmp, os->path) != 0) {
        rmq_log_warn("consumer", "cannot write offset file %s: %s", os->path, strerror(errno));
        err = RMQ_ERR__FAIL;
    }
    if (f)
        fclose(f);
    rmq_free(tmp);
    rmq_buf_close(&compact);
    rmq_buf_close(&pretty);
    return err;
}

/* ------------------------------------------------------------------ store */

void client_offset_store_init(client_offset_store_t *os, client_instance_t *ci, const char *group,
                              const char *path) {
    memset(os, 0, sizeof *os);
    os->ci = ci;
    os->group = rmq_strdup(group);
    os->path = path ? rmq_strdup(path) : NULL;
    pthread_mutex_init(&os->mu, NULL);
    rmq_map_init(&os->table);
    if (os->path)
        load_file(os);
}

static void entry_free(offset_entry_t *e) {
    rmq_free(e->mq.topic);
    rmq_free(e->mq.broker_name);
    rmq_free(e);
}

void client_offset_store_close(client_offset_store_t *os) {
    size_t it = 0;
    rmq_map_entry_t *ent;
    while (rmq_map_next(&os->table, &it, &ent))
        entry_free(ent->value);
    rmq_map_close(&os->table);
    pthread_mutex_destroy(&os->mu);
    rmq_free(os->group);
    rmq_free(os->path);
}

void client_offset_store_update(client_offset_store_t *os, const client_cmq_t *mq, int64_t offset,
                                bool increase_only) {
    pthread_mutex_lock(&os->mu);
    offset_entry_t *e = entry_get(os, mq, true);
    if (!increase_only || offset > e->offset)
        e->offset = offset;
    pthread_mutex_unlock(&os->mu);
}

/* QUERY_CONSUMER_OFFSET on mq's master: the offset, -1 when the broker has none. */
static int64_t query_broker(client_offset_store_t *os, const client_cmq_t *mq, rmq_err_t *errp) {
    char addr[128];
    *errp = RMQ_ERR_NO_ERROR;
    if (!client_broker_master(os->ci, mq->topic, mq->broker_name, addr, sizeof addr)) {
        *errp = RMQ_ERR_BROKER_NOT_EXIST;
        return -1;
    }
    remoting_cmd_t *req = remoting_cmd_new();
    remoting_cmd_set_request(req, PROTO_QUERY_CONSUMER_OFFSET);
    proto_query_consumer_offset_request_header_t h = {.consumerGroup = os->group,
                                                      .topic = mq->topic,
                                                      .queueId = mq->queue_id,
                                                      .setZeroIfNotFound = true,
                                                      .has_setZeroIfNotFound = true};
    proto_query_consumer_offset_request_header_encode(&h, req);
    remoting_cmd_t *resp = NULL;
    char e[256];
    rmq_err_t err = client_rpc_call(client_instance_rpc(os->ci), addr, req, &resp, e, sizeof e);
    remoting_cmd_destroy(req);
    if (err == RMQ_ERR_QUERY_NOT_FOUND)
        return -1;
    if (err) {
        rmq_log_warn("consumer", "query offset %s/%s/%d failed: %s (%s)", mq->topic,
                     mq->broker_name, (int)mq->queue_id, rmq_err_name(err), e);
        *errp = err;
        return -1;
    }
    proto_offset_response_header_t rh = {0};
    const char *bad = NULL;
    int64_t off = -1;
    if (proto_offset_response_header_decode(resp, &rh, &bad) == 0)
        off = rh.offset;
    else
        *errp = RMQ_ERR__BAD_MSG;
    remoting_cmd_destroy(resp);
    return off;
}

int64_t client_offset_store_read(client_offset_store_t *os, const client_cmq_t *mq, bool from_store,
                                 rmq_err_t *err) {
    *err = RMQ_ERR_NO_ERROR;
    pthread_mutex_lock(&os->mu);
    offset_entry_t *e = entry_get(os, mq, false);
    int64_t cached = e ? e->offset : -1;
    pthread_mutex_unlock(&os->mu);
    if (!from_store || os->path)
        return cached;
    int64_t off = query_broker(os, mq, err);
    if (off >= 0)
        client_offset_store_update(os, mq, off, false);
    return off;
}

static rmq_err_t update_broker(client_offset_store_t *os, const client_cmq_t *mq, int64_t offset) {
    char addr[128];
    if (!client_broker_master(os->ci, mq->topic, mq->broker_name, addr, sizeof addr))
        return RMQ_ERR_BROKER_NOT_EXIST;
    remoting_cmd_t *req = remoting_cmd_new();
    remoting_cmd_set_request(req, PROTO_UPDATE_CONSUMER_OFFSET);
    proto_update_consumer_offset_request_header_t h = {.consumerGroup = os->group,
                                                       .topic = mq->topic,
                                                       .queueId = mq->queue_id,
                                                       .commitOffset = offset};
    proto_update_consumer_offset_request_header_encode(&h, req);
    remoting_cmd_t *resp = NULL;
    char e[256];
    rmq_err_t err = client_rpc_call(client_instance_rpc(os->ci), addr, req, &resp, e, sizeof e);
    remoting_cmd_destroy(req);
    remoting_cmd_destroy(resp);
    if (err)
        rmq_log_warn("consumer", "commit offset %s/%s/%d=%lld failed: %s (%s)", mq->topic,
                     mq->broker_name, (int)mq->queue_id, (long long)offset, rmq_err_name(err), e);
    return err;
}

rmq_err_t client_offset_store_persist(client_offset_store_t *os) {
    if (os->path)
        return write_file(os);
    client_cmqs_t mqs = {0};
    int64_t *offs = NULL;
    pthread_mutex_lock(&os->mu);
    size_t n = rmq_map_count(&os->table), k = 0;
    offs = rmq_calloc(n + 1, sizeof *offs);
    size_t it = 0;
    rmq_map_entry_t *ent;
    while (rmq_map_next(&os->table, &it, &ent)) {
        offset_entry_t *e = ent->value;
        if (e->offset < 0)
            continue;
        client_cmqs_add(&mqs, e->mq.topic, e->mq.broker_name, e->mq.queue_id);
        offs[k++] = e->offset;
    }
    pthread_mutex_unlock(&os->mu);
    rmq_err_t first = RMQ_ERR_NO_ERROR;
    for (size_t i = 0; i < mqs.count; i++) {
        rmq_err_t err = update_broker(os, &mqs.items[i], offs[i]);
        if (err && !first)
            first = err;
    }
    client_cmqs_close(&mqs);
    rmq_free(offs);
    return first;
}

void client_offset_store_remove(client_offset_store_t *os, const client_cmq_t *mq) {
    pthread_mutex_lock(&os->mu);
    offset_entry_t *e = entry_get(os, mq, false);
    int64_t off = e ? e->offset : -1;
    pthread_mutex_unlock(&os->mu);
    if (off >= 0 && !os->path)
        update_broker(os, mq, off);
    if (os->path) {
        write_file(os);
        return;
    }
    pthread_mutex_lock(&os->mu);
    char *key = client_cmq_key(mq->topic, mq->broker_name, mq->queue_id);
    e = rmq_map_del(&os->table, key);
    rmq_free(key);
    pthread_mutex_unlock(&os->mu);
    if (e)
        entry_free(e);
}

/* ------------------------------------------------------------------ queue offsets */

static rmq_err_t offset_call(client_instance_t *ci, const client_cmq_t *mq, remoting_cmd_t *req,
                             int64_t *out) {
    char addr[128];
    if (!client_broker_master(ci, mq->topic, mq->broker_name, addr, sizeof addr)) {
        remoting_cmd_destroy(req);
        return RMQ_ERR_BROKER_NOT_EXIST;
    }
    remoting_cmd_t *resp = NULL;
    char e[256];
    rmq_err_t err = client_rpc_call(client_instance_rpc(ci), addr, req, &resp, e, sizeof e);
    remoting_cmd_destroy(req);
    if (err)
        return err;
    proto_offset_response_header_t rh = {0};
    const char *bad = NULL;
    if (proto_offset_response_header_decode(resp, &rh, &bad) != 0)
        err = RMQ_ERR__BAD_MSG;
    *out = rh.offset;
    remoting_cmd_destroy(resp);
    return err;
}

rmq_err_t client_queue_max_offset(client_instance_t *ci, const client_cmq_t *mq, int64_t *out) {
    remoting_cmd_t *req = remoting_cmd_new();
    remoting_cmd_set_request(req, PROTO_GET_MAX_OFFSET);
    proto_queue_offset_request_header_t h = {
        .topic = mq->topic, .queueId = mq->queue_id, .committed = true, .has_committed = true};
    proto_queue_offset_request_header_encode(&h, req);
    return offset_call(ci, mq, req, out);
}

rmq_err_t client_queue_search_offset(client_instance_t *ci, const client_cmq_t *mq, int64_t ts_ms,
                                     int64_t *out) {
    remoting_cmd_t *req = remoting_cmd_new();
    remoting_cmd_set_request(req, PROTO_SEARCH_OFFSET_BY_TIMESTAMP);
    proto_search_offset_request_header_t h = {
        .topic = mq->topic, .queueId = mq->queue_id, .timestamp = ts_ms, .boundaryType = "LOWER"};
    proto_search_offset_request_header_encode(&h, req);
    return offset_call(ci, mq, req, out);
}

rmq_err_t client_compute_pull_from(client_offset_store_t *os, const client_cmq_t *mq,
                                   const char *from_where, int64_t ts_ms, int64_t *out) {
    rmq_err_t err;
    int64_t off = client_offset_store_read(os, mq, true, &err);
    if (err)
        return err;
    if (off >= 0) {
        *out = off;
        return RMQ_ERR_NO_ERROR;
    }
    bool is_retry = strncmp(mq->topic, PROTO_RETRY_GROUP_TOPIC_PREFIX,
                            strlen(PROTO_RETRY_GROUP_TOPIC_PREFIX)) == 0;
    if (strcmp(from_where, "CONSUME_FROM_FIRST_OFFSET") == 0) {
        *out = 0;
        return RMQ_ERR_NO_ERROR;
    }
    if (strcmp(from_where, "CONSUME_FROM_TIMESTAMP") == 0 && !is_retry)
        return client_queue_search_offset(os->ci, mq, ts_ms, out);
    if (is_retry && strcmp(from_where, "CONSUME_FROM_LAST_OFFSET") == 0) {
        *out = 0;
        return RMQ_ERR_NO_ERROR;
    }
    return client_queue_max_offset(os->ci, mq, out);
}
