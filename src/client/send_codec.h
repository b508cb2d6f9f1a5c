/*
 * What a producer puts on the wire for one send, built once per send and reused by its
 * retries: the properties string with the message's UNIQ_KEY, the (possibly zlib-
 * compressed) body or the batch body, the sysFlag; the SEND_MESSAGE_V2 /
 * SEND_BATCH_MESSAGE request; and the SendResult decoded from the response.
 *
 *   UNIQ_KEY   Java's MessageClientIDSetter: hex of local IPv4 (4), pid (2), a
 *              per-process random int standing for the class-loader hash (4), ms since
 *              the start of the month in local time (4), counter (2). Process-wide.
 *   compress   single messages whose body is >= compressMsgBodyOverHowmuch bytes are
 *              deflated (zlib stream, level compressLevel) and sent with sysFlag
 *              COMPRESSED (0x1) | ZLIB type (0x300), as the Java 5.x producer does;
 *              a body that does not shrink is still sent compressed, as Java does.
 *   batch      MessageBatch: each message's flag, body, properties (with its own
 *              UNIQ_KEY) as spec remoting.md 6.4; header properties carry the batch's
 *              own UNIQ_KEY and WAIT; never compressed.
 *
 * Threads: any; the UNIQ_KEY generator is under a process-wide mutex.
 */
#ifndef RMQ_CLIENT_SEND_CODEC_H
#define RMQ_CLIENT_SEND_CODEC_H

#include "client/message.h"
#include "remoting/cmd.h"

#include <rocketmq/producer.h>

#include <stdbool.h>
#include <stdint.h>

#define CLIENT_SYSFLAG_COMPRESSED 0x1
#define CLIENT_SYSFLAG_ZLIB       0x300

/* ------------------------------------------------------------------ UNIQ_KEY */

/* Writes the next id: 32 upper-case hex characters and a NUL. Thread-safe. */
void client_uniq_id_next(char out[33]);

/* The parts of an IPv4 id; -EINVAL when `id` is not 32 hex characters. */
typedef struct {
    uint8_t ip[4];
    uint16_t pid;
    int32_t constant;
    uint32_t ms_in_month;
    uint16_t counter;
} client_uniq_id_parts_t;
int client_uniq_id_decode(const char *id, client_uniq_id_parts_t *parts);

/* The first up, non-loopback IPv4 address of the host; 127.0.0.1 when there is none. */
void client_local_ipv4(uint8_t ip[4]);

/* ------------------------------------------------------------------ compression */

/* Deflates in to out (zlib stream). 0, or -EIO when zlib fails. */
int client_zlib_compress(const void *in, size_t len, int level, rmq_buf_t *out);
/* Inflates a zlib stream (tests and consumers). 0 or -EBADMSG. */
int client_zlib_decompress(const void *in, size_t len, rmq_buf_t *out);

/* ------------------------------------------------------------------ request */

typedef struct {
    const char *topic; /* borrowed from the message(s) */
    rmq_buf_t props;
    rmq_buf_t body; /* compressed or batch body; unused when body_ref is the message's */
    rmq_slice_t body_ref;
    int32_t sys_flag, flag;
    bool is_batch;
    char uniq_id[33];
    rmq_buf_t msg_ids; /* what SendResult.msgId reports: the UNIQ_KEY(s), NUL-terminated */
} client_send_req_t;

void client_send_req_init(client_send_req_t *r);
void client_send_req_close(client_send_req_t *r);
/*
 * Encodes one message: its properties + a new UNIQ_KEY, the body compressed when
 * body_len >= compress_over (compress_over <= 0: never). Borrows msg's body when not
 * compressed: msg must outlive the request unless client_send_req_own_body is called.
 */
void client_send_req_single(client_send_req_t *r, const rmq_message_t *msg, int64_t compress_over,
                            int level);
/* Copies a borrowed body into the request (async sends outlive the caller's message). */
void client_send_req_own_body(client_send_req_t *r);
/*
 * Encodes a batch. RMQ_ERR__INVALID_ARG (errstr says why) for no messages, mixed topics
 * or waitStoreMsgOK, a delay level or a %RETRY% topic.
 */
rmq_err_t client_send_req_batch(client_send_req_t *r, const rmq_message_t *const *msgs, size_t n,
                                char *errstr, size_t errlen);

typedef struct {
    const char *producer_group, *default_topic, *broker_name;
    int32_t default_topic_queue_nums, queue_id;
    bool unit_mode;
} client_send_target_t;

/* The request command (code 310 or 320, V2 header; the body is borrowed from r). */
remoting_cmd_t *client_send_req_cmd(const client_send_req_t *r, const client_send_target_t *t);

/* ------------------------------------------------------------------ result */

struct rmq_send_result_s {
    rmq_send_status_t status;
    rmq_buf_t msg_id, offset_msg_id, topic, broker_name, region_id, transaction_id;
    bool has_transaction_id;
    int queue_id;
    int64_t queue_offset;
};

/*
 * Decodes a send response. A stored message (codes 0, 10, 11, 12) fills res and returns
 * RMQ_ERR_NO_ERROR; any other code is returned with errstr = the remark; a SUCCESS with
 * a malformed header gives RMQ_ERR__BAD_MSG.
 */
rmq_err_t client_send_result_decode(const remoting_cmd_t *resp, const client_send_req_t *r,
                                    const char *broker_name, rmq_send_result_t *res, char *errstr,
                                    size_t errlen);

#endif
