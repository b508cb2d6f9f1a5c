/*
 * rocketmq-c: the C client library for Apache RocketMQ (librocketmq).
 *
 * Umbrella header: include this one. Link with `pkg-config --libs rocketmq`.
 *
 *   rocketmq/err.h     rmq_err_t, rmq_err2str()
 *   rocketmq/conf.h    rmq_conf_t: string keys named as the Java client's options
 *   rocketmq/admin.h   rmq_admin_t: cluster info, routes, topic lists, KV, NameServer config
 *   rocketmq/message.h rmq_message_t: topic, tags, keys, body, properties
 *   rocketmq/producer.h rmq_producer_t: sync, async, one-way, batch and ordered sends
 *   rocketmq/consumer.h rmq_push_consumer_t, rmq_lite_pull_consumer_t, rmq_message_ext_t
 *
 * Conventions (as librdkafka): opaque handles, `*_new` / `*_destroy`, the caller keeps
 * what it passes unless a comment says otherwise, returned pointers are borrowed unless
 * the comment names the function that frees them, and each function states what may
 * run concurrently.
 */
#ifndef ROCKETMQ_ROCKETMQ_H
#define ROCKETMQ_ROCKETMQ_H

#include <rocketmq/export.h>
#include <rocketmq/err.h>
#include <rocketmq/conf.h>
#include <rocketmq/admin.h>
#include <rocketmq/message.h>
#include <rocketmq/producer.h>
#include <rocketmq/consumer.h>

#endif
