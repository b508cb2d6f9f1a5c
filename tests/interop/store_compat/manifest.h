/*
 * The store-compatibility manifest, as the Java programs write and read it
 * (tests/interop/java/.../StoreManifest.java): one UTF-8 line per message, ten
 * TAB-separated fields, '#' lines are comments, "-" is an absent value:
 *
 *   topic  queueId  queueOffset  offsetMsgId  uniqKey  keys  tags  props  bodyLen  bodyCrc
 *
 * props is "name=value" joined by ','; bodyCrc is zlib's crc32 of the uncompressed body.
 * uniqKey is the UNIQ_KEY a Java reader sees: the last one in the record, which for a
 * member of a client batch is the batch's own id (the broker appends the batch's
 * properties to every inner message); "-" when the writer cannot know it.
 */
#ifndef STORE_COMPAT_MANIFEST_H
#define STORE_COMPAT_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    char *topic;
    int32_t queue_id;
    int64_t queue_offset;
    char *offset_msg_id; /* NULL when absent, as the other strings */
    char *uniq_key;
    char *keys;
    char *tags;
    char *props; /* "a=1,b=2" */
    int32_t body_len;
    uint32_t body_crc;
    char *line; /* owns the strings above */
} manifest_entry_t;

typedef struct {
    manifest_entry_t *items;
    size_t count, cap;
} manifest_t;

/* Reads path; returns 0, or -1 with a message on stderr. */
int manifest_read(const char *path, manifest_t *m);
void manifest_free(manifest_t *m);
/* Writes the header line / one entry line. */
void manifest_write_header(FILE *f);
void manifest_write_entry(FILE *f, const manifest_entry_t *e);

#endif
