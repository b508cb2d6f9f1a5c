/*
 * rmq_producer_t (rocketmq/producer.h): Java's DefaultMQProducerImpl send paths over the
 * client instance.
 *
 *   sync     encode once; up to 1 + retryTimesWhenSendFailed attempts within
 *            sendMsgTimeout, each on the queue client_fault_select picks (another broker
 *            than the last attempt's when there is one); retried on local failures and
 *            on the response codes Java's retryResponseCodes lists
 *   async    the same choice, attempts chained from the I/O thread's completion,
 *            up to 1 + retryTimesWhenSendAsyncFailed
 *   oneway   one attempt, no answer
 *   select   the application's selector picks the queue; one attempt
 *   batch    one SEND_BATCH_MESSAGE, retried as sync
 *
 * Every attempt reports its latency to the fault table (a no-op unless
 * sendLatencyFaultEnable): success -> its latency, local failure -> isolation,
 * broker error -> isolation and unreachable, as DefaultMQProducerImpl.sendDefaultImpl.
 *
 * Threads: sends on application threads; async completions and their retries on the
 * remoting client's I/O thread.
 */
#include "client/instance.h"
#include "client/send_codec.h"

#include "common/alloc.h"
#include "common/checksum.h"
#include "common/log.h"
#include "common/time.h"
#include "protocol/message.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { STATE_CREATED, STATE_RUNNING, STATE_SHUTDOWN } producer_state_t;

struct rmq_producer_s {
    client_instance_t *ci;
    char *group, *create_topic_key;
    int default_queue_nums, send_timeout_ms, retry_sync, retry_async, compress_level;
    int64_t compress_over, max_message_size;
    bool retry_not_ok, is_vip, is_unit_mode;
    client_fault_t fault;
    producer_state_t state;
};

typedef struct {
    rmq_producer_t *p;
    client_send_req_t req;
    client_route_t *route;
    rmq_send_cb_t *cb;
    void *opaque;
    int attempts_left;
    int64_t begin_ms, attempt_begin_ms;
    char *topic;      /* owned: outlives the caller's message */
    char broker[128]; /* the current attempt's broker name */
    rmq_send_result_t res;
} async_send_t;

static void async_attempt(async_send_t *as, rmq_err_t last_err, const char *last_errstr);

/* ------------------------------------------------------------------ send result */

const char *rmq_send_status_name(rmq_send_status_t status) {
    switch (status) {
    case RMQ_SEND_OK:
        return "SEND_OK";
    case RMQ_SEND_FLUSH_DISK_TIMEOUT:
        return "FLUSH_DISK_TIMEOUT";
    case RMQ_SEND_FLUSH_SLAVE_TIMEOUT:
        return "FLUSH_SLAVE_TIMEOUT";
    case RMQ_SEND_SLAVE_NOT_AVAILABLE:
        return "SLAVE_NOT_AVAILABLE";
    }
    return "UNKNOWN";
}

static void result_init(rmq_send_result_t *res) {
    memset(res, 0, sizeof *res);
    rmq_buf_t *bufs[] = {&res->msg_id,      &res->offset_msg_id, &res->topic,
                         &res->broker_name, &res->region_id,     &res->transaction_id};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
        rmq_buf_init(bufs[i]);
        rmq_buf_cstr(bufs[i]);
    }
}

static void result_close(rmq_send_result_t *res) {
    rmq_buf_close(&res->msg_id);
    rmq_buf_close(&res->offset_msg_id);
    rmq_buf_close(&res->topic);
    rmq_buf_close(&res->broker_name);
    rmq_buf_close(&res->region_id);
    rmq_buf_close(&res->transaction_id);
}

rmq_send_result_t *rmq_send_result_new(void) {
    rmq_send_result_t *res = RMQ_NEW(rmq_send_result_t);
    result_init(res);
    return res;
}

void rmq_send_result_destroy(rmq_send_result_t *res) {
    if (!res)
        return;
    result_close(res);
    rmq_free(res);
}

rmq_send_status_t rmq_send_result_status(const rmq_send_result_t *res) {
    return res->status;
}
const char *rmq_send_result_msg_id(const rmq_send_result_t *res) {
    return res->msg_id.data;
}
const char *rmq_send_result_offset_msg_id(const rmq_send_result_t *res) {
    return res->offset_msg_id.data;
}
const char *rmq_send_result_topic(const rmq_send_result_t *res) {
    return res->topic.data;
}
const char *rmq_send_result_broker_name(const rmq_send_result_t *res) {
    return res->broker_name.data;
}
int rmq_send_result_queue_id(const rmq_send_result_t *res) {
    return res->queue_id;
}
int64_t rmq_send_result_queue_offset(const rmq_send_result_t *res) {
    return res->queue_offset;
}
const char *rmq_send_result_region_id(const rmq_send_result_t *res) {
    return res->region_id.data;
}
const char *rmq_send_result_transaction_id(const rmq_send_result_t *res) {
    return res->has_transaction_id ? res->transaction_id.data : NULL;
}

/* ------------------------------------------------------------------ life cycle */

/* Validators.checkGroup. NULL when valid, else why. */
static const char *check_group(const char *g) {
    if (!g || !*g)
        return "the specified group is blank";
    if (strlen(g) > 255)
        return "the specified group is longer than group max length 255.";
    for (const char *c = g; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '%' || *c == '|' || *c == '_' || *c == '-'))
            return "the specified group contains illegal characters, allowing only "
                   "^[%|a-zA-Z0-9_-]+$";
    return NULL;
}

rmq_producer_t *rmq_producer_new(const rmq_conf_t *conf, char *errstr, size_t errlen) {
    rmq_conf_t *c = conf ? rmq_conf_dup(conf) : rmq_conf_new();
    const char *group = rmq_conf_get(c, "producerGroup");
    const char *why = check_group(group);
    if (why) {
        client_errstr(errstr, errlen, "producerGroup \"%s\": %s", group, why);
        rmq_conf_destroy(c);
        return NULL;
    }
    client_instance_t *ci = client_instance_new(c, errstr, errlen);
    if (!ci) {
        rmq_conf_destroy(c);
        return NULL;
    }
    rmq_producer_t *p = RMQ_NEW(rmq_producer_t);
    p->ci = ci;
    p->group = rmq_strdup(group);
    p->create_topic_key = rmq_strdup(rmq_conf_get(c, "createTopicKey"));
    p->default_queue_nums = (int)client_conf_int(c, "defaultTopicQueueNums");
    p->send_timeout_ms = (int)client_conf_int(c, "sendMsgTimeout");
    p->retry_sync = (int)client_conf_int(c, "retryTimesWhenSendFailed");
    p->retry_async = (int)client_conf_int(c, "retryTimesWhenSendAsyncFailed");
    p->compress_over = client_conf_int(c, "compressMsgBodyOverHowmuch");
    p->compress_level = (int)client_conf_int(c, "compressLevel");
    p->max_message_size = client_conf_int(c, "maxMessageSize");
    p->retry_not_ok = client_conf_bool(c, "retryAnotherBrokerWhenNotStoreOK");
    p->is_vip = client_conf_bool(c, "vipChannelEnabled");
    p->is_unit_mode = client_conf_bool(c, "unitMode");
    client_fault_init(&p->fault, client_conf_bool(c, "sendLatencyFaultEnable") ||
                                     client_conf_bool(c, "sendLatencyEnable"));
    rmq_conf_destroy(c);
    return p;
}

rmq_err_t rmq_producer_start(rmq_producer_t *p, char *errstr, size_t errlen) {
    if (!p || p->state != STATE_CREATED) {
        client_errstr(errstr, errlen, "producer is NULL, already started or shut down");
        return RMQ_ERR__INVALID_ARG;
    }
    client_instance_add_producer_group(p->ci, p->group);
    rmq_err_t err = client_instance_start(p->ci, errstr, errlen);
    if (err)
        return err;
    p->state = STATE_RUNNING;
    return RMQ_ERR_NO_ERROR;
}

void rmq_producer_shutdown(rmq_producer_t *p) {
    if (!p || p->state == STATE_SHUTDOWN)
        return;
    client_instance_stop(p->ci);
    p->state = STATE_SHUTDOWN;
}

void rmq_producer_destroy(rmq_producer_t *p) {
    if (!p)
        return;
    rmq_producer_shutdown(p);
    client_instance_destroy(p->ci);
    client_fault_close(&p->fault);
    rmq_free(p->group);
    rmq_free(p->create_topic_key);
    rmq_free(p);
}

const char *rmq_producer_client_id(const rmq_producer_t *p) {
    return p ? client_instance_id(p->ci) : NULL;
}

/* ------------------------------------------------------------------ helpers */

/* Validators.checkMessage (+ the state check). */
static rmq_err_t check_send(rmq_producer_t *p, const rmq_message_t *msg, char *errstr,
                            size_t errlen) {
    if (!p || !msg) {
        client_errstr(errstr, errlen, "producer and message must not be NULL");
        return RMQ_ERR__INVALID_ARG;
    }
    if (p->state != STATE_RUNNING) {
        client_errstr(errstr, errlen, "The producer service state not OK (%s)",
                      p->state == STATE_CREATED ? "CREATE_JUST" : "SHUTDOWN_ALREADY");
        return p->state == STATE_CREATED ? RMQ_ERR__INVALID_ARG : RMQ_ERR__DESTROY;
    }
    char why[256];
    if (proto_topic_validate(msg->topic, why, sizeof why)) {
        client_errstr(errstr, errlen, "%s", why);
        return RMQ_ERR_MESSAGE_ILLEGAL;
    }
    if (proto_topic_is_not_allowed_send(msg->topic)) {
        client_errstr(errstr, errlen, "Sending message to topic[%s] is forbidden.", msg->topic);
        return RMQ_ERR_MESSAGE_ILLEGAL;
    }
    if (msg->body_len == 0) {
        client_errstr(errstr, errlen, "the message body length is zero");
        return RMQ_ERR_MESSAGE_ILLEGAL;
    }
    if ((int64_t)msg->body_len > p->max_message_size) {
        client_errstr(errstr, errlen, "the message body size over max value, MAX: %lld",
                      (long long)p->max_message_size);
        return RMQ_ERR_MESSAGE_ILLEGAL;
    }
    return RMQ_ERR_NO_ERROR;
}

/* DefaultMQProducer.retryResponseCodes. */
static bool is_retry_code(rmq_err_t err) {
    switch ((int)err) {
    case RMQ_ERR_TOPIC_NOT_EXIST:
    case RMQ_ERR_SERVICE_NOT_AVAILABLE:
    case RMQ_ERR_SYSTEM_ERROR:
    case RMQ_ERR_SYSTEM_BUSY:
    case RMQ_ERR_NO_PERMISSION:
    case RMQ_ERR_NO_BUYER_ID:
    case RMQ_ERR_NOT_IN_CURRENT_UNIT:
    case RMQ_ERR_GO_AWAY:
        return true;
    default:
        return false;
    }
}

/* The address an attempt on mq goes to (VIP: port - 2); false when unknown. */
static bool target_addr(rmq_producer_t *p, const char *broker, char *addr, size_t len) {
    if (!client_instance_broker_addr(p->ci, broker, 0, addr, len))
        return false;
    if (p->is_vip) {
        char *colon = strrchr(addr, ':');
        if (colon) {
            int port = atoi(colon + 1);
            if (port > 2)
                snprintf(colon + 1, len - (size_t)(colon + 1 - addr), "%d", port - 2);
        }
    }
    return true;
}

static remoting_cmd_t *attempt_cmd(rmq_producer_t *p, const client_send_req_t *req,
                                   const client_mq_t *mq) {
    client_send_target_t t = {
        .producer_group = p->group,
        .default_topic = p->create_topic_key,
        .default_topic_queue_nums = p->default_queue_nums,
        .broker_name = mq->broker_name,
        .queue_id = mq->queue_id,
        .unit_mode = p->is_unit_mode,
    };
    return client_send_req_cmd(req, &t);
}

static rmq_err_t local_error(int rc, const char *addr, char *errstr, size_t errlen) {
    rmq_err_t err = client_err_from_errno(rc);
    if (err == RMQ_ERR__TIMED_OUT)
        client_errstr(errstr, errlen, "wait response on the channel <%s> timeout", addr);
    else
        client_errstr(errstr, errlen, "send to %s failed: %s", addr, strerror(-rc));
    return err;
}

/*
 * One sync attempt on mq: fills res on success. *is_retry says whether another attempt
 * may follow. Runs on: the caller's thread.
 */
static rmq_err_t sync_attempt(rmq_producer_t *p, const client_send_req_t *req,
                              const client_mq_t *mq, int timeout_ms, rmq_send_result_t *res,
                              bool *is_retry, char *errstr, size_t errlen) {
    char addr[128];
    *is_retry = true;
    int64_t begin = rmq_mono_ms();
    if (!target_addr(p, mq->broker_name, addr, sizeof addr)) {
        client_errstr(errstr, errlen, "The broker[%s] not exist", mq->broker_name);
        client_fault_update(&p->fault, mq->broker_name, 0, false, true, rmq_now_ms());
        return RMQ_ERR_BROKER_NOT_EXIST;
    }
    remoting_cmd_t *cmd = attempt_cmd(p, req, mq);
    remoting_cmd_t *resp = NULL;
    int rc =
        remoting_client_invoke_sync(client_instance_remoting(p->ci), addr, cmd, timeout_ms, &resp);
    remoting_cmd_destroy(cmd);
    int64_t latency = rmq_mono_ms() - begin;
    if (rc != 0) {
        client_fault_update(&p->fault, mq->broker_name, latency, true, true, rmq_now_ms());
        return local_error(rc, addr, errstr, errlen);
    }
    rmq_err_t err = client_send_result_decode(resp, req, mq->broker_name, res, errstr, errlen);
    if (err == RMQ_ERR_NO_ERROR) {
        client_fault_update(&p->fault, mq->broker_name, latency, false, true, rmq_now_ms());
        *is_retry = false;
    } else if (err > 0) {
        client_fault_update(&p->fault, mq->broker_name, latency, true, false, rmq_now_ms());
        *is_retry = is_retry_code(err);
    }
    remoting_cmd_destroy(resp);
    return err;
}

/* sendDefaultImpl for SYNC: attempts on other brokers within sendMsgTimeout. */
static rmq_err_t send_sync_req(rmq_producer_t *p, client_route_t *route, client_send_req_t *req,
                               rmq_send_result_t *res, char *errstr, size_t errlen) {
    int total = 1 + p->retry_sync;
    int64_t first = rmq_mono_ms();
    const char *last_broker = NULL;
    rmq_err_t err = RMQ_ERR__FAIL;
    rmq_send_result_t local;
    result_init(&local);
    rmq_send_result_t *out = res ? res : &local;
    bool have_result = false;
    for (int times = 0; times < total; times++) {
        const client_mq_t *mq =
            client_fault_select(&p->fault, &route->pi, last_broker, times > 0, rmq_now_ms());
        int64_t cost = rmq_mono_ms() - first;
        if (cost >= p->send_timeout_ms) {
            client_errstr(errstr, errlen, "sendDefaultImpl call timeout");
            err = RMQ_ERR__TIMED_OUT;
            break;
        }
        bool is_retry;
        err = sync_attempt(p, req, mq, (int)(p->send_timeout_ms - cost), out, &is_retry, errstr,
                           errlen);
        last_broker = mq->broker_name;
        if (err == RMQ_ERR_NO_ERROR) {
            have_result = true;
            if (out->status != RMQ_SEND_OK && p->retry_not_ok)
                continue;
            break;
        }
        if (!is_retry)
            break;
        rmq_log_debug("producer", "send topic=%s broker=%s failed (%s), %s", req->topic,
                      mq->broker_name, rmq_err_name(err),
                      times + 1 < total ? "retrying" : "giving up");
    }
    result_close(&local);
    return have_result ? RMQ_ERR_NO_ERROR : err;
}

/* Looks up the route (creating it from createTopicKey's when needed). */
static rmq_err_t find_route(rmq_producer_t *p, const char *topic, client_route_t **route,
                            char *errstr, size_t errlen) {
    return client_instance_route(p->ci, topic, p->create_topic_key, p->default_queue_nums, route,
                                 errstr, errlen);
}

/* The start of every single-message send: the message checked, then (missing: the name
 * of a required argument that is NULL) INVALID_ARG, then the topic's route looked up. */
static rmq_err_t begin_send(rmq_producer_t *p, const rmq_message_t *msg, const char *missing,
                            client_route_t **route, char *errstr, size_t errlen) {
    rmq_err_t err = check_send(p, msg, errstr, errlen);
    if (err)
        return err;
    if (missing) {
        client_errstr(errstr, errlen, "%s must not be NULL", missing);
        return RMQ_ERR__INVALID_ARG;
    }
    return find_route(p, msg->topic, route, errstr, errlen);
}

/* ------------------------------------------------------------------ sync, oneway, batch */

rmq_err_t rmq_producer_send(rmq_producer_t *p, const rmq_message_t *msg, rmq_send_result_t *res,
                            char *errstr, size_t errlen) {
    client_route_t *route;
    rmq_err_t err = begin_send(p, msg, NULL, &route, errstr, errlen);
    if (err)
        return err;
    client_send_req_t req;
    client_send_req_init(&req);
    client_send_req_single(&req, msg, p->compress_over, p->compress_level);
    err = send_sync_req(p, route, &req, res, errstr, errlen);
    client_send_req_close(&req);
    client_route_release(route);
    return err;
}

rmq_err_t rmq_producer_send_oneway(rmq_producer_t *p, const rmq_message_t *msg, char *errstr,
                                   size_t errlen) {
    client_route_t *route;
    rmq_err_t err = begin_send(p, msg, NULL, &route, errstr, errlen);
    if (err)
        return err;
    client_send_req_t req;
    client_send_req_init(&req);
    client_send_req_single(&req, msg, p->compress_over, p->compress_level);
    const client_mq_t *mq = client_fault_select(&p->fault, &route->pi, NULL, false, rmq_now_ms());
    char addr[128];
    if (!target_addr(p, mq->broker_name, addr, sizeof addr)) {
        client_errstr(errstr, errlen, "The broker[%s] not exist", mq->broker_name);
        err = RMQ_ERR_BROKER_NOT_EXIST;
    } else {
        remoting_cmd_t *cmd = attempt_cmd(p, &req, mq);
        int rc = remoting_client_invoke_oneway(client_instance_remoting(p->ci), addr, cmd);
        remoting_cmd_destroy(cmd);
        err = rc ? local_error(rc, addr, errstr, errlen) : RMQ_ERR_NO_ERROR;
    }
    client_send_req_close(&req);
    client_route_release(route);
    return err;
}

rmq_err_t rmq_producer_send_batch(rmq_producer_t *p, const rmq_message_t *const *msgs, size_t count,
                                  rmq_send_result_t *res, char *errstr, size_t errlen) {
    if (!msgs || count == 0) {
        client_errstr(errstr, errlen, "a batch needs at least one message");
        return RMQ_ERR__INVALID_ARG;
    }
    rmq_err_t err;
    for (size_t i = 0; i < count; i++)
        if ((err = check_send(p, msgs[i], errstr, errlen)))
            return err;
    client_send_req_t req;
    client_send_req_init(&req);
    if ((err = client_send_req_batch(&req, msgs, count, errstr, errlen))) {
        client_send_req_close(&req);
        return err;
    }
    if ((int64_t)req.body.len > p->max_message_size) {
        client_errstr(errstr, errlen, "the message body size over max value, MAX: %lld",
                      (long long)p->max_message_size);
        client_send_req_close(&req);
        return RMQ_ERR_MESSAGE_ILLEGAL;
    }
    client_route_t *route;
    if ((err = find_route(p, req.topic, &route, errstr, errlen))) {
        client_send_req_close(&req);
        return err;
    }
    err = send_sync_req(p, route, &req, res, errstr, errlen);
    client_send_req_close(&req);
    client_route_release(route);
    return err;
}

/* ------------------------------------------------------------------ ordered (selector) */

int rmq_queue_select_by_hash(size_t queue_count, const rmq_message_t *msg, void *arg) {
    (void)msg;
    if (queue_count == 0 || !arg)
        return -1;
    const char *key = arg;
    int32_t h = rmq_java_string_hash(key, strlen(key));
    int32_t v = h % (int32_t)queue_count; /* Java: hashCode() % size, then abs */
    return v < 0 ? -v : v;
}

rmq_err_t rmq_producer_send_select(rmq_producer_t *p, const rmq_message_t *msg,
                                   rmq_queue_selector_t *selector, void *arg,
                                   rmq_send_result_t *res, char *errstr, size_t errlen) {
    client_route_t *route;
    rmq_err_t err = begin_send(p, msg, selector ? NULL : "selector", &route, errstr, errlen);
    if (err)
        return err;
    int i = selector(route->pi.count, msg, arg);
    if (i < 0 || (size_t)i >= route->pi.count) {
        client_errstr(errstr, errlen, "select message queue return %d of %zu queues", i,
                      route->pi.count);
        client_route_release(route);
        return RMQ_ERR__INVALID_ARG;
    }
    client_send_req_t req;
    client_send_req_init(&req);
    client_send_req_single(&req, msg, p->compress_over, p->compress_level);
    bool is_retry;
    rmq_send_result_t local;
    result_init(&local);
    err = sync_attempt(p, &req, &route->pi.mqs[i], p->send_timeout_ms, res ? res : &local,
                       &is_retry, errstr, errlen);
    result_close(&local);
    client_send_req_close(&req);
    client_route_release(route);
    return err;
}

/* ------------------------------------------------------------------ async */

static void async_free(async_send_t *as) {
    client_send_req_close(&as->req);
    client_route_release(as->route);
    result_close(&as->res);
    rmq_free(as->topic);
    rmq_free(as);
}

/* Runs on: the I/O thread. */
static void on_async_response(void *arg, int status, remoting_cmd_t *resp) {
    async_send_t *as = arg;
    rmq_producer_t *p = as->p;
    int64_t latency = rmq_mono_ms() - as->attempt_begin_ms;
    char e[512] = "";
    rmq_err_t err;
    if (status != 0) {
        client_fault_update(&p->fault, as->broker, latency, true, true, rmq_now_ms());
        err = local_error(status, as->broker, e, sizeof e);
        if (status == -ECANCELED)
            as->attempts_left = 0;
    } else {
        err = client_send_result_decode(resp, &as->req, as->broker, &as->res, e, sizeof e);
        remoting_cmd_destroy(resp);
        if (err == RMQ_ERR_NO_ERROR) {
            client_fault_update(&p->fault, as->broker, latency, false, true, rmq_now_ms());
            as->cb(as->opaque, RMQ_ERR_NO_ERROR, "", &as->res);
            async_free(as);
            return;
        }
        client_fault_update(&p->fault, as->broker, latency, true, false, rmq_now_ms());
        if (err > 0 && !is_retry_code(err))
            as->attempts_left = 0;
    }
    async_attempt(as, err, e);
}

/*
 * Starts the next attempt, or completes with last_err when none is left. Runs on: the
 * caller's thread for the first attempt, the I/O thread after. Returns nothing: a failed
 * start counts as a failed attempt.
 */
static void async_attempt(async_send_t *as, rmq_err_t last_err, const char *last_errstr) {
    rmq_producer_t *p = as->p;
    char e[512];
    while (as->attempts_left > 0) {
        int64_t cost = rmq_mono_ms() - as->begin_ms;
        if (cost >= p->send_timeout_ms) {
            last_err = RMQ_ERR__TIMED_OUT;
            last_errstr = "sendKernelImpl call timeout";
            break;
        }
        bool is_retry = as->broker[0] != 0;
        const client_mq_t *mq = client_fault_select(
            &p->fault, &as->route->pi, is_retry ? as->broker : NULL, is_retry, rmq_now_ms());
        as->attempts_left--;
        snprintf(as->broker, sizeof as->broker, "%s", mq->broker_name);
        char addr[128];
        if (!target_addr(p, mq->broker_name, addr, sizeof addr)) {
            snprintf(e, sizeof e, "The broker[%s] not exist", mq->broker_name);
            last_err = RMQ_ERR_BROKER_NOT_EXIST;
            last_errstr = e;
            continue;
        }
        remoting_cmd_t *cmd = attempt_cmd(p, &as->req, mq);
        as->attempt_begin_ms = rmq_mono_ms();
        int rc =
            remoting_client_invoke_async(client_instance_remoting(p->ci), addr, cmd,
                                         (int)(p->send_timeout_ms - cost), on_async_response, as);
        remoting_cmd_destroy(cmd);
        if (rc == 0)
            return;
        last_err = local_error(rc, addr, e, sizeof e);
        last_errstr = e;
        if (rc == -ECANCELED)
            break;
    }
    as->cb(as->opaque, last_err, last_errstr, NULL);
    async_free(as);
}

rmq_err_t rmq_producer_send_async(rmq_producer_t *p, const rmq_message_t *msg, rmq_send_cb_t *cb,
                                  void *opaque, char *errstr, size_t errlen) {
    client_route_t *route;
    rmq_err_t err = begin_send(p, msg, cb ? NULL : "callback", &route, errstr, errlen);
    if (err)
        return err;
    async_send_t *as = RMQ_NEW(async_send_t);
    as->p = p;
    as->route = route;
    as->cb = cb;
    as->opaque = opaque;
    as->attempts_left = 1 + p->retry_async;
    as->begin_ms = rmq_mono_ms();
    result_init(&as->res);
    client_send_req_init(&as->req);
    client_send_req_single(&as->req, msg, p->compress_over, p->compress_level);
    client_send_req_own_body(&as->req);
    as->topic = rmq_strdup(msg->topic); /* the request borrows it past msg's life */
    as->req.topic = as->topic;
    async_attempt(as, RMQ_ERR__FAIL, "no attempt");
    return RMQ_ERR_NO_ERROR;
}
