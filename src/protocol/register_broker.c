/*
 * RegisterBrokerBody in JSON, old and compressed forms, and RegisterBrokerResult; see
 * register_broker.h. Runs on: the NameServer's I/O loops (decode), the broker's
 * registration timer (encode).
 */
#include "protocol/register_broker.h"

#include "common/alloc.h"
#include "protocol/codes.h"
#include "protocol/kv_table.h"
#include "protocol/namesrv_header.h"

#include <errno.h>
#include <string.h>
#include <zlib.h>

/* ---- TopicConfigSerializeWrapper ---- */

void proto_topic_config_wrapper_add(proto_topic_config_wrapper_t *w, proto_topic_config_t *tc) {
    if (w->topic_count == w->topic_cap) {
        w->topic_cap = w->topic_cap ? w->topic_cap * 2 : 16;
        w->topics = rmq_realloc(w->topics, w->topic_cap * sizeof *w->topics);
    }
    w->topics[w->topic_count++] = *tc;
    memset(tc, 0, sizeof *tc);
}

void proto_topic_config_wrapper_write(const proto_topic_config_wrapper_t *tw, rmq_jw_t *w) {
    rmq_jw_obj_begin(w);
    rmq_jw_key(w, "dataVersion");
    proto_data_version_write(&tw->dataVersion, w);
    rmq_jw_key(w, "mappingDataVersion");
    proto_data_version_write(&tw->mappingDataVersion, w);
    /* A ConcurrentHashMap upstream: written in Java hash order. */
    const char **names = rmq_malloc((tw->topic_count + 1) * sizeof *names);
    size_t *order = rmq_malloc((tw->topic_count + 1) * sizeof *order);
    for (size_t i = 0; i < tw->topic_count; i++)
        names[i] = tw->topics[i].topicName;
    proto_java_hash_order(names, tw->topic_count, order);
    rmq_jw_key(w, "topicConfigTable");
    rmq_jw_obj_begin(w);
    for (size_t i = 0; i < tw->topic_count; i++) {
        rmq_jw_key(w, names[order[i]]);
        proto_topic_config_write(&tw->topics[order[i]], w);
    }
    rmq_jw_obj_end(w);
    rmq_free(order);
    rmq_free(names);
    rmq_jw_key(w, "topicQueueMappingDetailMap");
    rmq_jw_obj_begin(w);
    rmq_jw_obj_end(w);
    rmq_jw_key(w, "topicQueueMappingInfoMap");
    rmq_jw_obj_begin(w);
    for (size_t i = 0; i < tw->mapping_count; i++) {
        rmq_jw_key(w, tw->mappings[i].topic ? tw->mappings[i].topic : "");
        proto_mapping_info_write(&tw->mappings[i], w, PROTO_JSON_LEGACY);
    }
    rmq_jw_obj_end(w);
    rmq_jw_obj_end(w);
}

static int read_mappings(const rmq_json_t *m, proto_topic_config_wrapper_t *tw) {
    if (!m || m->type != RMQ_JSON_OBJECT || m->count == 0)
        return 0;
    tw->mappings = rmq_calloc(m->count, sizeof *tw->mappings);
    for (const rmq_json_t *v = m->child; v; v = v->next) {
        int rc = proto_mapping_info_read(v, &tw->mappings[tw->mapping_count++]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int proto_topic_config_wrapper_read(const rmq_json_t *v, proto_topic_config_wrapper_t *tw) {
    if (!v || v->type != RMQ_JSON_OBJECT)
        return -EINVAL;
    proto_data_version_read(rmq_json_get(v, "dataVersion"), &tw->dataVersion);
    proto_data_version_read(rmq_json_get(v, "mappingDataVersion"), &tw->mappingDataVersion);
    const rmq_json_t *table = rmq_json_get(v, "topicConfigTable");
    if (table && table->type == RMQ_JSON_OBJECT) {
        for (const rmq_json_t *t = table->child; t; t = t->next) {
            proto_topic_config_t tc;
            if (proto_topic_config_read(t, &tc) != 0)
                return -EINVAL;
            if (!tc.topicName) {
                const char *key = rmq_json_scalar_text(t->key, NULL);
                tc.topicName = rmq_strdup(key ? key : "");
            }
            proto_topic_config_wrapper_add(tw, &tc);
        }
    }
    return read_mappings(rmq_json_get(v, "topicQueueMappingInfoMap"), tw);
}

void proto_topic_config_wrapper_close(proto_topic_config_wrapper_t *tw) {
    for (size_t i = 0; i < tw->topic_count; i++)
        proto_topic_config_close(&tw->topics[i]);
    rmq_free(tw->topics);
    for (size_t i = 0; i < tw->mapping_count; i++)
        proto_mapping_info_close(&tw->mappings[i]);
    rmq_free(tw->mappings);
    memset(tw, 0, sizeof *tw);
}

/* ---- RegisterBrokerBody: JSON ---- */

static void encode_json(const proto_register_broker_body_t *body, bool bare, rmq_buf_t *out) {
    rmq_jw_t w;
    rmq_jw_init(&w, out, 0);
    if (bare) {
        proto_topic_config_wrapper_write(&body->wrapper, &w);
        return;
    }
    rmq_jw_obj_begin(&w);
    rmq_jw_key(&w, "filterServerList");
    proto_strs_write(&body->filterServerList, &w, false);
    rmq_jw_key(&w, "topicConfigSerializeWrapper");
    proto_topic_config_wrapper_write(&body->wrapper, &w);
    rmq_jw_obj_end(&w);
}

static int decode_json(const char *data, size_t len, bool bare,
                       proto_register_broker_body_t *body) {
    rmq_json_doc_t *doc = proto_json_parse(data, len);
    if (!doc)
        return -EINVAL;
    const rmq_json_t *root = rmq_json_root(doc);
    int rc;
    if (bare) {
        rc = proto_topic_config_wrapper_read(root, &body->wrapper);
    } else if (root->type != RMQ_JSON_OBJECT) {
        rc = -EINVAL;
    } else {
        const rmq_json_t *fs = rmq_json_get(root, "filterServerList");
        rc = fs ? proto_strs_read(fs, &body->filterServerList) : 0;
        const rmq_json_t *tw = rmq_json_get(root, "topicConfigSerializeWrapper");
        if (rc == 0 && tw)
            rc = proto_topic_config_wrapper_read(tw, &body->wrapper);
    }
    rmq_json_doc_destroy(doc);
    return rc;
}

/* ---- RegisterBrokerBody: compressed ---- */

static void put_part(rmq_buf_t *out, const rmq_buf_t *part) {
    rmq_buf_append_u32be(out, (uint32_t)part->len);
    rmq_buf_append(out, part->data, part->len);
}

static int encode_compressed(const proto_register_broker_body_t *body, int32_t version,
                             rmq_buf_t *out) {
    rmq_buf_t raw, part;
    rmq_buf_init(&raw);
    rmq_buf_init(&part);
    proto_data_version_encode(&body->wrapper.dataVersion, &part);
    put_part(&raw, &part);
    rmq_buf_append_u32be(&raw, (uint32_t)body->wrapper.topic_count);
    for (size_t i = 0; i < body->wrapper.topic_count; i++) {
        rmq_buf_reset(&part);
        proto_topic_config_encode_text(&body->wrapper.topics[i], &part);
        put_part(&raw, &part);
    }
    rmq_buf_reset(&part);
    rmq_jw_t w;
    rmq_jw_init(&w, &part, 0);
    proto_strs_write(&body->filterServerList, &w, false);
    put_part(&raw, &part);
    if (version >= PROTO_VERSION_V5_0_0) {
        rmq_buf_append_u32be(&raw, (uint32_t)body->wrapper.mapping_count);
        for (size_t i = 0; i < body->wrapper.mapping_count; i++) {
            rmq_buf_reset(&part);
            rmq_jw_init(&w, &part, 0);
            proto_mapping_info_write(&body->wrapper.mappings[i], &w, PROTO_JSON_LEGACY);
            put_part(&raw, &part);
        }
    }
    /* Java's Deflater(BEST_COMPRESSION) with its zlib header: the stream starts 78 DA. */
    uLongf bound = compressBound(raw.len);
    rmq_buf_reserve(out, bound);
    int zrc = compress2((Bytef *)out->data + out->len, &bound, (const Bytef *)raw.data, raw.len,
                        Z_BEST_COMPRESSION);
    if (zrc == Z_OK)
        out->len += bound;
    rmq_buf_close(&raw);
    rmq_buf_close(&part);
    return zrc == Z_OK ? 0 : -EIO;
}

static int inflate_all(const char *data, size_t len, rmq_buf_t *out) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return -EIO;
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)len;
    int zrc;
    do {
        if (out->len >= PROTO_REGISTER_BODY_MAX) {
            zrc = Z_MEM_ERROR;
            break;
        }
        rmq_buf_reserve(out, len * 4 + 4096);
        size_t room = out->cap - out->len;
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = (uInt)room;
        zrc = inflate(&zs, Z_NO_FLUSH);
        out->len += room - zs.avail_out;
    } while (zrc == Z_OK);
    inflateEnd(&zs);
    /* Java reads only what it needs, so trailing garbage or a missing end is tolerated as
     * long as the parts are complete; the part reader checks that. */
    return zrc == Z_STREAM_END || zrc == Z_BUF_ERROR ? 0 : -EINVAL;
}

typedef struct {
    const char *p;
    size_t left;
} reader_t;

static int read_part(reader_t *r, rmq_slice_t *part) {
    if (r->left < 4)
        return -EINVAL;
    uint32_t n = rmq_get_u32be(r->p);
    if (n > r->left - 4)
        return -EINVAL;
    *part = rmq_slice(r->p + 4, n);
    r->p += 4 + n;
    r->left -= 4 + n;
    return 0;
}

static int read_count(reader_t *r, uint32_t *n) {
    if (r->left < 4)
        return -EINVAL;
    *n = rmq_get_u32be(r->p);
    r->p += 4;
    r->left -= 4;
    return *n > r->left / 4 ? -EINVAL : 0; /* each entry needs at least its length */
}

static int parse_compressed(reader_t *r, int32_t version, proto_register_broker_body_t *body) {
    rmq_slice_t part;
    uint32_t n;
    if (read_part(r, &part) ||
        proto_data_version_decode(part.ptr, part.len, &body->wrapper.dataVersion))
        return -EINVAL;
    if (read_count(r, &n))
        return -EINVAL;
    for (uint32_t i = 0; i < n; i++) {
        proto_topic_config_t tc;
        if (read_part(r, &part) || proto_topic_config_decode_text(part.ptr, part.len, &tc))
            return -EINVAL;
        proto_topic_config_wrapper_add(&body->wrapper, &tc);
    }
    if (read_part(r, &part))
        return -EINVAL;
    /* A filter server list that does not parse is ignored, as upstream logs and goes on. */
    rmq_json_doc_t *doc = proto_json_parse(part.ptr, part.len);
    if (doc) {
        proto_strs_read(rmq_json_root(doc), &body->filterServerList);
        rmq_json_doc_destroy(doc);
    }
    if (version < PROTO_VERSION_V5_0_0)
        return 0;
    if (read_count(r, &n))
        return -EINVAL;
    if (n)
        body->wrapper.mappings = rmq_calloc(n, sizeof *body->wrapper.mappings);
    for (uint32_t i = 0; i < n; i++) {
        if (read_part(r, &part))
            return -EINVAL;
        doc = proto_json_parse(part.ptr, part.len);
        if (!doc)
            return -EINVAL;
        int rc = proto_mapping_info_read(rmq_json_root(doc),
                                         &body->wrapper.mappings[body->wrapper.mapping_count++]);
        rmq_json_doc_destroy(doc);
        if (rc)
            return rc;
    }
    return 0;
}

static int decode_compressed(const char *data, size_t len, int32_t version,
                             proto_register_broker_body_t *body) {
    rmq_buf_t raw;
    rmq_buf_init(&raw);
    int rc = inflate_all(data, len, &raw);
    if (rc == 0) {
        reader_t r = {raw.data, raw.len};
        rc = parse_compressed(&r, version, body);
    }
    rmq_buf_close(&raw);
    return rc;
}

/* ---- RegisterBrokerBody: entry points ---- */

int proto_register_broker_body_encode(const proto_register_broker_body_t *body,
                                      proto_register_body_form_t form, int32_t version,
                                      rmq_buf_t *out) {
    if (form == PROTO_REGISTER_BODY_COMPRESSED)
        return encode_compressed(body, version, out);
    encode_json(body, form == PROTO_REGISTER_BODY_OLD, out);
    return 0;
}

int proto_register_broker_body_decode(const char *data, size_t len, proto_register_body_form_t form,
                                      int32_t version, proto_register_broker_body_t *body) {
    memset(body, 0, sizeof *body);
    if (len == 0)
        return 0;
    int rc = form == PROTO_REGISTER_BODY_COMPRESSED
                 ? decode_compressed(data, len, version, body)
                 : decode_json(data, len, form == PROTO_REGISTER_BODY_OLD, body);
    if (rc != 0)
        proto_register_broker_body_close(body);
    return rc;
}

void proto_register_broker_body_close(proto_register_broker_body_t *body) {
    proto_topic_config_wrapper_close(&body->wrapper);
    proto_strs_close(&body->filterServerList);
}

proto_register_body_form_t proto_register_body_sniff(const char *data, size_t len,
                                                     bool compressed_flag, int32_t version) {
    if (version < PROTO_VERSION_V3_0_11)
        return PROTO_REGISTER_BODY_OLD;
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i < len && data[i] == '{')
        return PROTO_REGISTER_BODY_JSON;
    if (len > 0 && (unsigned char)data[0] == 0x78)
        return PROTO_REGISTER_BODY_COMPRESSED;
    return compressed_flag ? PROTO_REGISTER_BODY_COMPRESSED : PROTO_REGISTER_BODY_JSON;
}

/* ---- RegisterBrokerResult ---- */

int proto_register_broker_result_decode(const remoting_cmd_t *resp,
                                        proto_register_broker_result_t *res) {
    memset(res, 0, sizeof *res);
    proto_register_broker_response_header_t h = {0};
    proto_register_broker_response_header_decode(resp, &h, NULL);
    res->haServerAddr = h.haServerAddr ? rmq_strdup(h.haServerAddr) : NULL;
    res->masterAddr = h.masterAddr ? rmq_strdup(h.masterAddr) : NULL;
    if (resp->body.len == 0)
        return 0;
    int rc = proto_kv_table_decode(resp->body.ptr, resp->body.len, &res->kvTable);
    if (rc != 0)
        proto_register_broker_result_close(res);
    return rc;
}

void proto_register_broker_result_close(proto_register_broker_result_t *res) {
    rmq_free(res->haServerAddr);
    rmq_free(res->masterAddr);
    proto_kvs_close(&res->kvTable);
    memset(res, 0, sizeof *res);
}
