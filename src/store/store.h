/*
 * The message store: the one interface the broker uses (DESIGN.md "Store").
 *
 *   store_open      load the directory, recover (normal or after a crash), start the
 *                   flush, dispatch and housekeeping threads, take the `lock` file lock
 *   store_put       append one message / a client batch (never waits for the disk)
 *   store_wait_flush  SYNC_FLUSH group commit: completion callback once durable
 *   store_get       messages of a queue from an offset, as references into the mapped
 *                   commit log (no copy), with tag-hash filtering
 *   store_get_by_offset / store_lookup   by physical offset / by key through the index
 *   store_min_offset, store_max_offset, store_offset_by_time, store_earliest_time
 *   store_flush, store_clean, store_close
 *
 * Byte-compatible with Apache RocketMQ 5.3 (spec store.md): the same directory can be
 * opened by either implementation (not at the same time: both lock `lock`).
 *
 * Threads: every function is thread-safe. Appends are serialised internally; reads run
 * concurrently with appends. Returned references pin their segment file until released.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include "store/commitlog.h"
#include "store/config.h"
#include "store/mapped_file.h"
#include "store/record.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct store store_t;

/* What the dispatch thread reports for each record (borrowed for the hook call). */
struct store_dispatch_req {
    rmq_slice_t topic;
    int32_t queue_id;
    int64_t queue_offset;
    int64_t phys_offset;
    int32_t size;
    int64_t tag_code;
    int64_t store_ts;
    int64_t born_ts;
    int32_t sys_flag;
    int64_t prepared_tx_offset;
    rmq_slice_t keys;     /* KEYS property */
    rmq_slice_t uniq_key; /* UNIQ_KEY property */
    rmq_slice_t props;    /* the whole properties string */
};

/* Status of a get, with RocketMQ's GetMessageStatus names. */
typedef enum {
    STORE_GET_FOUND = 0,
    STORE_GET_NO_MATCHED_MESSAGE,
    STORE_GET_MESSAGE_WAS_REMOVING,
    STORE_GET_OFFSET_FOUND_NULL,
    STORE_GET_OFFSET_OVERFLOW_BADLY,
    STORE_GET_OFFSET_OVERFLOW_ONE,
    STORE_GET_OFFSET_TOO_SMALL,
    STORE_GET_NO_MATCHED_LOGIC_QUEUE,
    STORE_GET_NO_MESSAGE_IN_QUEUE,
} store_get_status_t;

/* One record as a reference into a mapped segment: ptr/len stay valid until released. */
typedef struct {
    store_mf_t *mf;
    const char *ptr;
    int32_t len;
    int64_t phys_offset;
    int64_t queue_offset;
    int64_t tag_code;
} store_ref_t;

typedef struct {
    store_get_status_t status;
    int64_t next_begin_offset;
    int64_t min_offset;
    int64_t max_offset;
    int64_t bytes;     /* sum of len */
    store_ref_t *refs; /* count entries; owned by the result, reused across gets */
    size_t count, cap;
    bool is_refs_borrowed; /* refs is the caller's array (store_get_result_init_buf) */
} store_get_result_t;

/*
 * Message filter for store_get. cq_match sees the consume-queue tag code (fast path);
 * msg_match, if set, sees the whole record. Either may be NULL (match all). The default
 * tag filter is store_filter_tags.
 */
typedef struct {
    bool (*cq_match)(void *arg, int64_t tag_code);
    bool (*msg_match)(void *arg, const char *rec, int32_t len);
    void *arg;
} store_filter_t;

/* Tag-hash set for the tag filter: codes[n]; n == 0 matches everything. */
typedef struct {
    const int64_t *codes;
    size_t n;
} store_tag_set_t;
bool store_filter_tags(void *tag_set, int64_t tag_code);

/*
 * Opens (creating if needed) the store at cfg->root_dir. Fails with -EBUSY when another
 * process (ours or the Java broker) holds the lock, -EINVAL on a segment size mismatch.
 */
int store_open(const store_config_t *cfg, store_t **out);
/* Stops the services, flushes everything, removes `abort` if dispatch caught up and
 * releases the lock. NULL does nothing. */
void store_close(store_t *s);

/*
 * Appends a message. Returns 0 with *res filled, or: -EINVAL bad topic, -EMSGSIZE body
 * or record too large (MESSAGE_ILLEGAL), -ENOSPC disk full and -EROFS store not writeable
 * or shut down (SERVICE_NOT_AVAILABLE), -EAGAIN append lock busy beyond the page-cache
 * busy limit (SYSTEM_BUSY). Never waits for the disk: with SYNC_FLUSH call
 * store_wait_flush(res->phys_offset + res->wrote_bytes) before replying.
 */
int store_put(store_t *s, const store_msg_t *msg, store_append_result_t *res);
/* Appends a client-encoded batch (SEND_BATCH_MESSAGE body); as store_put. */
int store_put_batch(store_t *s, const store_msg_t *hdr, rmq_slice_t batch,
                    store_append_result_t *res);

typedef void (*store_flush_cb)(void *arg, int status);
/*
 * Calls cb(arg, 0) on the flush thread once the commit log is durable up to `offset`, or
 * cb(arg, -ETIMEDOUT) after syncFlushTimeout (FLUSH_DISK_TIMEOUT: the message is stored),
 * or cb(arg, -ECANCELED) at close. In ASYNC_FLUSH mode calls cb(arg, 0) at once.
 */
void store_wait_flush(store_t *s, int64_t offset, store_flush_cb cb, void *arg);
/* Blocking form of store_wait_flush; returns its status. */
int store_wait_flush_sync(store_t *s, int64_t offset);

void store_get_result_init(store_get_result_t *r);
/* As init, with the caller's array for the first `cap` references (a get of up to cap
 * records allocates nothing); more move to the heap. */
void store_get_result_init_buf(store_get_result_t *r, store_ref_t *buf, size_t cap);
/* Releases the references of the last get (keeps the array for reuse). */
void store_get_result_release(store_get_result_t *r);
void store_get_result_close(store_get_result_t *r);
/*
 * Up to max_msgs records (and about max_bytes) of topic/queue starting at queue offset
 * `offset`, filtered. Releases what r held before. Returns 0 (see r->status) or -errno.
 */
int store_get(store_t *s, rmq_slice_t topic, int32_t queue_id, int64_t offset, int max_msgs,
              int64_t max_bytes, const store_filter_t *filter, store_get_result_t *r);
/* The record at a commit-log offset (size read from the record). Release ref->mf. */
int store_get_by_offset(store_t *s, int64_t phys_offset, store_ref_t *ref);
/* Decodes a referenced record (no CRC check). */
int store_ref_decode(const store_ref_t *ref, store_record_t *rec);
/*
 * Physical offsets of records indexed under topic#key with store time in [begin, end],
 * at most max_num (capped by maxMsgsNumBatch). Returns the count. Hash collisions are
 * possible: decode and compare KEYS/UNIQ_KEY.
 */
size_t store_lookup(store_t *s, rmq_slice_t topic, rmq_slice_t key, size_t max_num, int64_t begin,
                    int64_t end, int64_t *offsets);

int64_t store_min_offset(store_t *s, rmq_slice_t topic, int32_t queue_id);
int64_t store_max_offset(store_t *s, rmq_slice_t topic, int32_t queue_id);
typedef enum { STORE_BOUNDARY_LOWER, STORE_BOUNDARY_UPPER } store_boundary_t;
/* Queue offset of the first (LOWER) / last (UPPER) message stored at or after / at or
 * before ts. */
int64_t store_offset_by_time(store_t *s, rmq_slice_t topic, int32_t queue_id, int64_t ts,
                             store_boundary_t boundary);
/* Store time of the queue's first message; -1 if none. */
int64_t store_earliest_time(store_t *s, rmq_slice_t topic, int32_t queue_id);
/* Store time of the record at queue offset; -1 if none. */
int64_t store_msg_store_time(store_t *s, rmq_slice_t topic, int32_t queue_id, int64_t offset);
int64_t store_min_phys_offset(store_t *s);
int64_t store_max_phys_offset(store_t *s);
/* Commit-log bytes not yet dispatched into queues and index. */
int64_t store_dispatch_behind(store_t *s);

/* Forces the commit log, consume queues, index and checkpoint to disk. */
int store_flush(store_t *s);
/* Runs one retention pass now (deleteWhen / disk ratios as configured; `force` deletes
 * expired segments regardless of the hour). Returns the number of commit-log segments
 * deleted. */
int store_clean(store_t *s, bool force);
/* Dispatches everything up to the confirm offset on the calling thread (tests and
 * recovery; the dispatch thread does this continuously). */
void store_dispatch_catch_up(store_t *s);
/* True while the disk-full state refuses appends. */
bool store_is_disk_full(store_t *s);
/* Deletes a topic's consume queues (e.g. admin deleteTopic). */
void store_delete_topic(store_t *s, const char *topic);
/* Deletes the consume queues of every topic that drop(arg, topic, expired) picks; expired
 * is true when all the topic's queues index only deleted commit-log data (upstream
 * cleanExpiredConsumerQueue; cleanUnusedTopic ignores it). Returns how many topics went. */
int store_delete_topics_where(store_t *s, bool (*drop)(void *arg, const char *topic, bool expired),
                              void *arg);

#endif
