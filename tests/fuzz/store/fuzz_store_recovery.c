/*
 * libFuzzer target: recovery from corrupted segments. The input becomes the start of a
 * commit-log segment and of one consume-queue file (split by the first two bytes), with
 * or without an abort file; the store is opened (recovery), every queue read, and closed.
 * Nothing may crash, hang or leak, whatever the bytes.
 */
#include "common/log.h"
#include "store/fsutil.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEG (64 * 1024)

static void write_file(const char *dir, const char *name, const uint8_t *data, size_t len,
                       size_t file_size) {
    const store_fileops_t *ops = store_fileops_default();
    store_fs_mkdirs(ops, dir);
    char *path = store_path_join(dir, name);
    char *buf = calloc(1, file_size);
    memcpy(buf, data, len < file_size ? len : file_size);
    store_fs_write(ops, path, buf, file_size);
    free(buf);
    free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 3)
        return 0;
    rmq_log_set_level(RMQ_LOG_ERROR);
    char tmpl[] = "/tmp/rmq-fuzz-recovery-XXXXXX";
    char *root = mkdtemp(tmpl);
    if (!root)
        return 0;
    size_t split = ((size_t)data[0] << 8 | data[1]) % (size - 2 + 1);
    bool crashed = data[2] & 1;
    const uint8_t *cl = data + 3, *cq = data + 3 + split;
    size_t cl_len = split > size - 3 ? size - 3 : split, cq_len = size - 3 - cl_len;
    char *cl_dir = store_path_join(root, "commitlog");
    char *cq_dir = store_path_join(root, "consumequeue/T/0");
    write_file(cl_dir, "00000000000000000000", cl, cl_len, SEG);
    write_file(cq_dir, "00000000000000000000", cq, cq_len, 20 * 100);
    if (crashed) {
        char *abort_path = store_path_join(root, "abort");
        store_fs_write(store_fileops_default(), abort_path, "1", 1);
        free(abort_path);
    }
    store_config_t cfg;
    store_config_init(&cfg, root);
    cfg.mapped_file_size_commitlog = SEG;
    cfg.mapped_file_size_cq = 20 * 100;
    cfg.max_hash_slot_num = 16;
    cfg.max_index_num = 64;
    cfg.max_message_size = 16 * 1024;
    cfg.start_services = false;
    store_t *s;
    if (store_open(&cfg, &s) == 0) {
        store_get_result_t r;
        store_get_result_init(&r);
        for (int64_t off = store_min_offset(s, RMQ_SLICE_LIT("T"), 0);
             off < store_max_offset(s, RMQ_SLICE_LIT("T"), 0);) {
            store_get(s, RMQ_SLICE_LIT("T"), 0, off, 32, 1 << 20, NULL, &r);
            for (size_t i = 0; i < r.count; i++) {
                store_record_t rec;
                store_ref_decode(&r.refs[i], &rec);
            }
            if (r.next_begin_offset <= off)
                break;
            off = r.next_begin_offset;
        }
        store_get_result_close(&r);
        store_close(s);
    }
    store_fs_remove_tree(store_fileops_default(), root);
    free(cl_dir);
    free(cq_dir);
    return 0;
}
