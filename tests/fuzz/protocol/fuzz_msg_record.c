/*
 * Fuzz target: protocol/msg_record.c, the stored-record decoder a client runs on pull
 * bodies and lookups. Every record it accepts lies inside the input with its slices
 * inside the record, and the records it accepts tile the input from its start.
 */
#include "protocol/msg_record.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *p = (const char *)data;
    rmq_slice_t rest = rmq_slice(p, size);
    proto_msg_record_t m;
    int rc;
    while ((rc = proto_msg_record_next(&rest, &m)) == 1) {
        const char *rec = rest.ptr - m.total_size;
        if (rec < p || m.total_size < 8)
            abort();
        const rmq_slice_t parts[3] = {m.body, m.topic, m.props};
        for (int i = 0; i < 3; i++)
            if (parts[i].len > 0 && (parts[i].ptr < rec || parts[i].ptr + parts[i].len > rest.ptr))
                abort();
        char host[64];
        proto_msg_host_format(&m.store_host, host, sizeof host);
    }
    if (rc == 0 && rest.len != 0)
        abort();
    return 0;
}
