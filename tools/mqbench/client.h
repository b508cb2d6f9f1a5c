/*
 * mqbench: the librocketmq configuration every handle of a run starts from (producer.c,
 * source_push.c).
 */
#ifndef MQBENCH_CLIENT_H
#define MQBENCH_CLIENT_H

#include "opts.h"

#include <rocketmq/conf.h>

/*
 * A configuration with logLevel=warn, namesrvAddr (-n), producerGroup and consumerGroup
 * (-g), then `defaults` (NULL-terminated KEY, VALUE pairs; may be NULL), then every
 * --conf pair, so the command line wins. NULL after printing why.
 */
rmq_conf_t *bench_client_conf(const bench_opts_t *o, const char *const *defaults);

#endif
