/*
 * File-operations table: every system call the store makes on its files goes through
 * one of these function pointers, so tests can inject ENOSPC, EIO, short writes or a
 * simulated crash at the Nth sync (SQLite's fault-injection idea). Production code uses
 * store_fileops_default(), which calls the kernel directly.
 *
 * Convention: every function returns 0 (or a byte count) on success and a negative errno
 * on failure; nothing here sets errno for the caller. Thread-agnostic.
 */
#ifndef STORE_FILEOPS_H
#define STORE_FILEOPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct store_fileops store_fileops_t;
struct store_fileops {
    /* Returns a file descriptor or -errno. */
    int (*open)(const store_fileops_t *ops, const char *path, int flags, int mode);
    int (*close)(const store_fileops_t *ops, int fd);
    /* Return bytes transferred (possibly short) or -errno. */
    ssize_t (*pread)(const store_fileops_t *ops, int fd, void *buf, size_t len, off_t off);
    ssize_t (*pwrite)(const store_fileops_t *ops, int fd, const void *buf, size_t len, off_t off);
    /* Reserves disk blocks for [0, len) so writes through a mapping cannot hit ENOSPC
     * later (falls back to ftruncate where the file system cannot allocate). */
    int (*allocate)(const store_fileops_t *ops, int fd, off_t len);
    int (*truncate)(const store_fileops_t *ops, int fd, off_t len);
    int (*fsync)(const store_fileops_t *ops, int fd);
    /* Writes back [addr, addr+len) of a shared mapping (page aligned) and waits. */
    int (*msync)(const store_fileops_t *ops, void *addr, size_t len);
    /* Maps len bytes of fd shared read-write; NULL with *err = -errno on failure. */
    void *(*mmap)(const store_fileops_t *ops, int fd, size_t len, int *err);
    int (*munmap)(const store_fileops_t *ops, void *addr, size_t len);
    int (*unlink)(const store_fileops_t *ops, const char *path);
    int (*rename)(const store_fileops_t *ops, const char *from, const char *to);
    int (*mkdir)(const store_fileops_t *ops, const char *path);
    int (*file_size)(const store_fileops_t *ops, int fd, int64_t *size);
    /* Used fraction (0..1) of the file system holding path: used / (used + available). */
    int (*disk_usage)(const store_fileops_t *ops, const char *path, double *ratio);
    void *ctx; /* for test doubles */
};

/* The kernel-backed table (static storage, never freed). */
const store_fileops_t *store_fileops_default(void);

#endif
