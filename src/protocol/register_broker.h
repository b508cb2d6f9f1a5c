/*
 * REGISTER_BROKER bodies (spec remoting.md 5.1.1): RegisterBrokerBody in its three
 * forms, and RegisterBrokerResult, the broker's view of the answer.
 *
 * JSON form (the default):
 *   {"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":DataVersion,
 *    "mappingDataVersion":DataVersion,"topicConfigTable":{topic: TopicConfig},
 *    "topicQueueMappingDetailMap":{},"topicQueueMappingInfoMap":{topic: MappingInfo}}}
 * Old form (request version < V3_0_11): the bare topicConfigSerializeWrapper object.
 * Compressed form (header compressed=true): a zlib stream of big-endian int32-prefixed
 * parts:
 *   int32 len, DataVersion JSON
 *   int32 n, then n x (int32 len, TopicConfig text form "name r w perm FILTER {attrs}")
 *   int32 len, filter server list JSON ("[]")
 *   only when version >= V5_0_0: int32 m, then m x (int32 len, TopicQueueMappingInfo JSON)
 *
 * The inflated size is capped (PROTO_REGISTER_BODY_MAX) so a zlib bomb cannot exhaust
 * memory; the frame limit already bounds the compressed size.
 */
#ifndef RMQ_PROTOCOL_REGISTER_BROKER_H
#define RMQ_PROTOCOL_REGISTER_BROKER_H

#include "protocol/data_version.h"
#include "protocol/route.h"
#include "protocol/topic_config.h"
#include "remoting/cmd.h"

#define PROTO_REGISTER_BODY_MAX (256u << 20)

/* TopicConfigSerializeWrapper (with the mapping fields of its 5.x subclass). */
typedef struct {
    proto_data_version_t dataVersion;
    proto_topic_config_t *topics; /* in body order; topicName never NULL */
    size_t topic_count, topic_cap;
    proto_topic_queue_mapping_info_t *mappings; /* topicQueueMappingInfoMap, by topic */
    size_t mapping_count;
    proto_data_version_t mappingDataVersion;
} proto_topic_config_wrapper_t;

typedef struct {
    proto_topic_config_wrapper_t wrapper;
    proto_strs_t filterServerList;
} proto_register_broker_body_t;

typedef enum {
    PROTO_REGISTER_BODY_JSON,
    PROTO_REGISTER_BODY_COMPRESSED,
    PROTO_REGISTER_BODY_OLD, /* bare wrapper, version < V3_0_11 */
} proto_register_body_form_t;

/* Takes ownership of tc's contents (tc is left zeroed). */
void proto_topic_config_wrapper_add(proto_topic_config_wrapper_t *w, proto_topic_config_t *tc);
void proto_topic_config_wrapper_write(const proto_topic_config_wrapper_t *tw, rmq_jw_t *w);
int proto_topic_config_wrapper_read(const rmq_json_t *v, proto_topic_config_wrapper_t *tw);
void proto_topic_config_wrapper_close(proto_topic_config_wrapper_t *tw);

/*
 * Encodes in `form`; `version` is the request version the body goes with (it decides
 * whether the compressed form carries the mapping section). Returns 0 or -EIO (zlib).
 */
int proto_register_broker_body_encode(const proto_register_broker_body_t *body,
                                      proto_register_body_form_t form, int32_t version,
                                      rmq_buf_t *out);
/* Decodes; an empty body gives an empty table with a zero DataVersion, as upstream.
 * Free with proto_register_broker_body_close. -EINVAL on malformed input. */
int proto_register_broker_body_decode(const char *data, size_t len, proto_register_body_form_t form,
                                      int32_t version, proto_register_broker_body_t *body);
void proto_register_broker_body_close(proto_register_broker_body_t *body);

/*
 * The form a NameServer should decode a request body in: by version and the compressed
 * flag, corrected by sniffing (a 5.3 broker says compressed=false even when it
 * compresses; JSON starts with '{', zlib with 0x78).
 */
proto_register_body_form_t proto_register_body_sniff(const char *data, size_t len,
                                                     bool compressed_flag, int32_t version);

/* RegisterBrokerResult: what a broker takes from the REGISTER_BROKER response. */
typedef struct {
    char *haServerAddr, *masterAddr; /* NULL when absent */
    proto_kvs_t kvTable;             /* ORDER_TOPIC_CONFIG entries, if sent */
} proto_register_broker_result_t;

/* From a SUCCESS response (header and optional KVTable body). */
int proto_register_broker_result_decode(const remoting_cmd_t *resp,
                                        proto_register_broker_result_t *res);
void proto_register_broker_result_close(proto_register_broker_result_t *res);

#endif
