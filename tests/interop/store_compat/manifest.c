/* Manifest reader and writer; format in manifest.h. */
#include "manifest.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static char *field_or_null(char *s) {
    return strcmp(s, "-") == 0 ? NULL : s;
}

static const char *dash(const char *s) {
    return s && *s ? s : "-";
}

/* Splits line in place into exactly 10 TAB-separated fields. */
static int parse_line(char *line, manifest_entry_t *e) {
    char *f[10];
    size_t n = 0;
    char *p = line;
    while (n < 10) {
        f[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    if (n != 10 || strchr(f[9], '\t'))
        return -1;
    e->topic = f[0];
    e->queue_id = (int32_t)strtol(f[1], NULL, 10);
    e->queue_offset = strtoll(f[2], NULL, 10);
    e->offset_msg_id = field_or_null(f[3]);
    e->uniq_key = field_or_null(f[4]);
    e->keys = field_or_null(f[5]);
    e->tags = field_or_null(f[6]);
    e->props = field_or_null(f[7]);
    e->body_len = (int32_t)strtol(f[8], NULL, 10);
    e->body_crc = (uint32_t)strtoul(f[9], NULL, 10);
    return 0;
}

int manifest_read(const char *path, manifest_t *m) {
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (m->count == m->cap) {
            m->cap = m->cap ? m->cap * 2 : 256;
            m->items = realloc(m->items, m->cap * sizeof *m->items);
            if (!m->items)
                abort();
        }
        manifest_entry_t *e = &m->items[m->count];
        memset(e, 0, sizeof *e);
        e->line = strdup(line);
        if (!e->line)
            abort();
        if (parse_line(e->line, e) < 0) {
            fprintf(stderr, "%s: bad manifest line: %s\n", path, line);
            free(e->line);
            rc = -1;
            break;
        }
        m->count++;
    }
    free(line);
    fclose(f);
    if (rc < 0)
        manifest_free(m);
    return rc;
}

void manifest_free(manifest_t *m) {
    for (size_t i = 0; i < m->count; i++)
        free(m->items[i].line);
    free(m->items);
    memset(m, 0, sizeof *m);
}

void manifest_write_header(FILE *f) {
    fputs("# topic\tqueueId\tqueueOffset\toffsetMsgId\tuniqKey\tkeys\ttags\tprops\tbodyLen\tbodyCrc"
          "\n",
          f);
}

void manifest_write_entry(FILE *f, const manifest_entry_t *e) {
    fprintf(f, "%s\t%" PRId32 "\t%" PRId64 "\t%s\t%s\t%s\t%s\t%s\t%" PRId32 "\t%" PRIu32 "\n",
            e->topic, e->queue_id, e->queue_offset, dash(e->offset_msg_id), dash(e->uniq_key),
            dash(e->keys), dash(e->tags), dash(e->props), e->body_len, e->body_crc);
}
