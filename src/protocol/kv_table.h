/*
 * Small NameServer bodies:
 *   KVTable    {"table":{"k":"v",...}}            GET_KVLIST_BY_NAMESPACE, REGISTER_BROKER
 *   TopicList  {"brokerAddr":"ip:port"?,"topicList":["T",...]}   the topic-list requests
 *   KVConfigSerializeWrapper {"configTable":{"ns":{"k":"v"}}}    the kvConfig.json file
 * Maps and sets are written in Java hash order (body.h).
 */
#ifndef RMQ_PROTOCOL_KV_TABLE_H
#define RMQ_PROTOCOL_KV_TABLE_H

#include "protocol/body.h"

void proto_kv_table_encode(const proto_kvs_t *table, rmq_buf_t *out);
/* Fills `table` (which the caller initialised to {0}). */
int proto_kv_table_decode(const char *data, size_t len, proto_kvs_t *table);

typedef struct {
    proto_strs_t topicList;
    char *brokerAddr; /* NULL = absent */
} proto_topic_list_t;

void proto_topic_list_encode(const proto_topic_list_t *tl, rmq_buf_t *out);
int proto_topic_list_decode(const char *data, size_t len, proto_topic_list_t *tl);
void proto_topic_list_close(proto_topic_list_t *tl);

/* One namespace of the KV config file. */
typedef struct {
    char *name;
    proto_kvs_t table;
} proto_kv_namespace_t;

typedef struct {
    proto_kv_namespace_t *items;
    size_t count;
} proto_kv_config_t;

void proto_kv_config_encode(const proto_kv_config_t *cfg, rmq_buf_t *out);
int proto_kv_config_decode(const char *data, size_t len, proto_kv_config_t *cfg);
void proto_kv_config_close(proto_kv_config_t *cfg);

#endif
