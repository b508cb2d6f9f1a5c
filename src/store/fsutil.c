/* File-system helpers; see fsutil.h. */
#include "store/fsutil.h"

#include "common/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *store_path_join(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *p = rmq_malloc(la + lb + 2);
    memcpy(p, a, la);
    size_t n = la;
    if (la == 0 || a[la - 1] != '/')
        p[n++] = '/';
    memcpy(p + n, b, lb + 1);
    return p;
}

int store_fs_mkdirs(const store_fileops_t *ops, const char *path) {
    char *tmp = rmq_strdup(path);
    int rc = 0;
    for (char *p = tmp + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        rc = ops->mkdir(ops, tmp);
        *p = saved;
        if (rc < 0 && rc != -EEXIST)
            break;
        rc = 0;
        if (saved == '\0')
            break;
    }
    rmq_free(tmp);
    return rc;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int store_fs_list(const char *dir, char ***names, size_t *count) {
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -errno;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            *names = rmq_realloc(*names, cap * sizeof(char *));
        }
        (*names)[(*count)++] = rmq_strdup(e->d_name);
    }
    closedir(d);
    if (*count > 1)
        qsort(*names, *count, sizeof(char *), cmp_names);
    return 0;
}

void store_fs_names_free(char **names, size_t count) {
    for (size_t i = 0; i < count; i++)
        rmq_free(names[i]);
    rmq_free(names);
}

bool store_fs_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

int store_fs_read(const store_fileops_t *ops, const char *path, rmq_buf_t *out) {
    int fd = ops->open(ops, path, O_RDONLY, 0);
    if (fd < 0)
        return fd;
    int64_t size = 0;
    int rc = ops->file_size(ops, fd, &size);
    off_t off = 0;
    while (rc == 0) {
        rmq_buf_reserve(out, size > off ? (size_t)(size - off) : 4096);
        ssize_t n = ops->pread(ops, fd, out->data + out->len, out->cap - out->len, off);
        if (n < 0)
            rc = (int)n;
        if (n <= 0)
            break;
        out->len += (size_t)n;
        off += n;
    }
    ops->close(ops, fd);
    return rc;
}

int store_fs_write(const store_fileops_t *ops, const char *path, const void *data, size_t len) {
    int fd = ops->open(ops, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return fd;
    int rc = 0;
    size_t done = 0;
    while (done < len) {
        ssize_t n = ops->pwrite(ops, fd, (const char *)data + done, len - done, (off_t)done);
        if (n < 0) {
            rc = (int)n;
            break;
        }
        if (n == 0) {
            rc = -EIO;
            break;
        }
        done += (size_t)n;
    }
    if (rc == 0)
        rc = ops->fsync(ops, fd);
    ops->close(ops, fd);
    return rc;
}

int store_fs_fsync_dir(const store_fileops_t *ops, const char *dir) {
    int fd = ops->open(ops, dir, O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0)
        return fd;
    int rc = ops->fsync(ops, fd);
    ops->close(ops, fd);
    return rc;
}

static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        return rmq_strdup(".");
    if (slash == path)
        return rmq_strdup("/");
    return rmq_strndup(path, (size_t)(slash - path));
}

int store_fs_replace(const store_fileops_t *ops, const char *path, const void *data, size_t len) {
    size_t pl = strlen(path);
    char *tmp = rmq_malloc(pl + 5), *bak = rmq_malloc(pl + 5);
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp", 5);
    memcpy(bak, path, pl);
    memcpy(bak + pl, ".bak", 5);
    char *dir = dir_of(path);
    int rc = store_fs_mkdirs(ops, dir);
    if (rc == 0)
        rc = store_fs_write(ops, tmp, data, len);
    if (rc == 0 && store_fs_exists(path))
        rc = ops->rename(ops, path, bak);
    if (rc == 0)
        rc = ops->rename(ops, tmp, path);
    if (rc == 0)
        rc = store_fs_fsync_dir(ops, dir);
    rmq_free(dir);
    rmq_free(tmp);
    rmq_free(bak);
    return rc;
}

int store_fs_remove_tree(const store_fileops_t *ops, const char *path) {
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -errno;
    if (!S_ISDIR(st.st_mode))
        return ops->unlink(ops, path);
    char **names;
    size_t n;
    int rc = store_fs_list(path, &names, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char *child = store_path_join(path, names[i]);
        rc = store_fs_remove_tree(ops, child);
        rmq_free(child);
    }
    store_fs_names_free(names, n);
    if (rc == 0 && rmdir(path) < 0)
        rc = -errno;
    return rc;
}
