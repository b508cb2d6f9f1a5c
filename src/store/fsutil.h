/*
 * File-system helpers shared by the store: recursive mkdir, sorted directory listing,
 * whole-file read, fsync of a directory, and the atomic replace-with-.bak protocol the
 * config JSON files use (spec store.md 6.1). All I/O goes through a store_fileops_t.
 * Thread-agnostic; return 0 or a negative errno.
 */
#ifndef STORE_FSUTIL_H
#define STORE_FSUTIL_H

#include "common/buf.h"
#include "store/fileops.h"

#include <stdbool.h>
#include <stddef.h>

/* mkdir -p. */
int store_fs_mkdirs(const store_fileops_t *ops, const char *path);
/* Names in dir (no "." or ".."), strcmp-sorted. Free with store_fs_names_free. A missing
 * directory gives an empty list. */
int store_fs_list(const char *dir, char ***names, size_t *count);
void store_fs_names_free(char **names, size_t count);
bool store_fs_exists(const char *path);
/* Appends the content of path to out. */
int store_fs_read(const store_fileops_t *ops, const char *path, rmq_buf_t *out);
/* Creates or truncates path, writes data fully and fsyncs it. */
int store_fs_write(const store_fileops_t *ops, const char *path, const void *data, size_t len);
int store_fs_fsync_dir(const store_fileops_t *ops, const char *dir);
/*
 * Replaces path with data so a crash leaves either the old or the new content readable:
 * writes path.tmp and fsyncs it, renames the current file to path.bak, renames the tmp
 * file to path and fsyncs the directory. A reader that finds path missing, empty or
 * unparsable falls back to path.bak (which RocketMQ's ConfigManager does too).
 */
int store_fs_replace(const store_fileops_t *ops, const char *path, const void *data, size_t len);
/* rm -r of a directory tree (used to drop consume queues). */
int store_fs_remove_tree(const store_fileops_t *ops, const char *path);
/* Formats "<a>/<b>" into a fresh string (free with rmq_free). */
char *store_path_join(const char *a, const char *b);

#endif
