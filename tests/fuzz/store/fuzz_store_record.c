/*
 * libFuzzer target: CommitLog record decoding (store/record.c) and the properties
 * parser, over arbitrary bytes. Decoding must never read outside the input, and a record
 * that decodes must re-encode to the same bytes (up to the host-flag normalisation).
 */
#include "store/record.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void count_prop(void *arg, rmq_slice_t name, rmq_slice_t value) {
    *(size_t *)arg += name.len + value.len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* A copy of exactly `size` bytes so ASan catches any over-read. */
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    store_record_t r;
    int rc = store_record_decode(buf, size, size % 2 == 0, &r);
    if (rc == 0) {
        size_t n = 0;
        store_props_foreach(r.props, count_prop, &n);
        rmq_slice_t v;
        store_props_get(r.props, "KEYS", &v);
        store_msg_t m = {
            .topic = r.topic,
            .queue_id = r.queue_id,
            .flag = r.flag,
            .body = r.body,
            .props = r.props,
            .sys_flag = r.sys_flag,
            .born_ts = r.born_ts,
            .born_host = r.born_host,
            .store_host = r.store_host,
            .reconsume_times = r.reconsume_times,
            .prepared_tx_offset = r.prepared_tx_offset,
        };
        size_t len;
        uint32_t magic;
        if (r.topic.len > 0 && store_record_size(&m, &len, &magic) == 0 &&
            len == (size_t)r.total_size && magic == r.magic) {
            char *out = malloc(len);
            store_record_encode(out, len, magic, &m, r.body_crc, r.queue_offset, r.phys_offset,
                                r.store_ts);
            if (memcmp(out, buf, len) != 0)
                abort();
            free(out);
        }
    }
    store_props_foreach(rmq_slice(buf, size), count_prop, &(size_t){0});
    free(buf);
    return 0;
}
