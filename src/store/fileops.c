/*
 * The default file-operations table: thin wrappers over POSIX calls that convert
 * errno into a negative return value. See fileops.h.
 */
#include "store/fileops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static int def_open(const store_fileops_t *ops, const char *path, int flags, int mode) {
    int fd;
    do {
        fd = open(path, flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno == EINTR);
    return fd < 0 ? -errno : fd;
}

static int def_close(const store_fileops_t *ops, int fd) {
    return close(fd) < 0 ? -errno : 0;
}

static ssize_t def_pread(const store_fileops_t *ops, int fd, void *buf, size_t len, off_t off) {
    ssize_t n;
    do {
        n = pread(fd, buf, len, off);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : n;
}

static ssize_t def_pwrite(const store_fileops_t *ops, int fd, const void *buf, size_t len,
                          off_t off) {
    ssize_t n;
    do {
        n = pwrite(fd, buf, len, off);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : n;
}

static int def_allocate(const store_fileops_t *ops, int fd, off_t len) {
    int rc = posix_fallocate(fd, 0, len);
    if (rc == 0)
        return 0;
    if (rc == EOPNOTSUPP || rc == EINVAL || rc == ENOSYS)
        return ftruncate(fd, len) < 0 ? -errno : 0;
    return -rc;
}

static int def_truncate(const store_fileops_t *ops, int fd, off_t len) {
    return ftruncate(fd, len) < 0 ? -errno : 0;
}

static int def_fsync(const store_fileops_t *ops, int fd) {
    return fsync(fd) < 0 ? -errno : 0;
}

static int def_msync(const store_fileops_t *ops, void *addr, size_t len) {
    return msync(addr, len, MS_SYNC) < 0 ? -errno : 0;
}

static void *def_mmap(const store_fileops_t *ops, int fd, size_t len, int *err) {
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        *err = -errno;
        return NULL;
    }
    return p;
}

static int def_munmap(const store_fileops_t *ops, void *addr, size_t len) {
    return munmap(addr, len) < 0 ? -errno : 0;
}

static int def_unlink(const store_fileops_t *ops, const char *path) {
    return unlink(path) < 0 ? -errno : 0;
}

static int def_rename(const store_fileops_t *ops, const char *from, const char *to) {
    return rename(from, to) < 0 ? -errno : 0;
}

static int def_mkdir(const store_fileops_t *ops, const char *path) {
    return mkdir(path, 0755) < 0 ? -errno : 0;
}

static int def_file_size(const store_fileops_t *ops, int fd, int64_t *size) {
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -errno;
    *size = st.st_size;
    return 0;
}

static int def_disk_usage(const store_fileops_t *ops, const char *path, double *ratio) {
    struct statvfs sv;
    if (statvfs(path, &sv) < 0)
        return -errno;
    double used = (double)(sv.f_blocks - sv.f_bfree) * (double)sv.f_frsize;
    double avail = (double)sv.f_bavail * (double)sv.f_frsize;
    *ratio = used + avail > 0 ? used / (used + avail) : 0;
    return 0;
}

static const store_fileops_t default_ops = {
    .open = def_open,
    .close = def_close,
    .pread = def_pread,
    .pwrite = def_pwrite,
    .allocate = def_allocate,
    .truncate = def_truncate,
    .fsync = def_fsync,
    .msync = def_msync,
    .mmap = def_mmap,
    .munmap = def_munmap,
    .unlink = def_unlink,
    .rename = def_rename,
    .mkdir = def_mkdir,
    .file_size = def_file_size,
    .disk_usage = def_disk_usage,
};

const store_fileops_t *store_fileops_default(void) {
    return &default_ops;
}
