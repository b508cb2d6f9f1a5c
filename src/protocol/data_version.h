/*
 * DataVersion: the version stamp of a broker's topic table (and of configs):
 * `{"counter":5,"stateVersion":0,"timestamp":1700000000000}`. The NameServer compares
 * stamps field by field to tell whether a registration changed anything.
 */
#ifndef RMQ_PROTOCOL_DATA_VERSION_H
#define RMQ_PROTOCOL_DATA_VERSION_H

#include "common/json.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    int64_t stateVersion;
    int64_t timestamp;
    int64_t counter;
} proto_data_version_t;

static inline bool proto_data_version_equal(const proto_data_version_t *a,
                                            const proto_data_version_t *b) {
    return a->stateVersion == b->stateVersion && a->timestamp == b->timestamp &&
           a->counter == b->counter;
}

/* Writes the object (as a value: after a key, in an array, or at top level). */
void proto_data_version_write(const proto_data_version_t *dv, rmq_jw_t *w);
void proto_data_version_encode(const proto_data_version_t *dv, rmq_buf_t *out);
/* Absent members read as 0. -EINVAL when v is not an object. */
int proto_data_version_read(const rmq_json_t *v, proto_data_version_t *dv);
int proto_data_version_decode(const char *data, size_t len, proto_data_version_t *dv);

#endif
