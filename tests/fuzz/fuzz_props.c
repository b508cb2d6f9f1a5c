/*
 * Fuzz target: the Java-properties reader. Whatever it reads, writing it back and reading
 * that again must give the same entries.
 */
#include "common/props.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rmq_props_t p, q;
    rmq_props_init(&p);
    rmq_props_init(&q);
    rmq_props_parse(&p, (const char *)data, size);
    rmq_buf_t out;
    rmq_buf_init(&out);
    rmq_props_write(&p, &out);
    rmq_props_parse(&q, out.data ? out.data : "", out.len);
    /* Entries whose text holds a NUL are cut short by the C-string API; compare the rest. */
    for (size_t i = 0; i < p.count; i++) {
        const char *v = rmq_props_get(&q, p.items[i].key);
        if (!v || strcmp(v, rmq_props_get(&p, p.items[i].key)) != 0)
            abort();
    }
    rmq_buf_close(&out);
    rmq_props_close(&p);
    rmq_props_close(&q);
    return 0;
}
