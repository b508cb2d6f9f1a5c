/*
 * What building page cache costs on this machine, by how it is built: the question
 * behind the broker's tail latency (docs/performance.md, "Tail latency, part 3").
 *
 * Creates a 1 GiB file (in the current directory unless a path is given), then builds
 * the page cache of its first `mib` MiB in `chunk_kib` steps one of four ways and reports
 * the cost per MiB and the longest single step:
 *   huge   MADV_HUGEPAGE + MADV_POPULATE_WRITE (2 MiB folios: the broker's ASYNC_FLUSH mode)
 *   small  MADV_RANDOM + MADV_POPULATE_WRITE (4 KiB pages: its SYNC_FLUSH mode)
 *   write  pwrite of zeros (folios the size of the write)
 * then stores 1 KiB records into the mapping as the commit-log writer does (faults taken).
 * Run it twice in a row and once more after `sleep 5`: on a VM that reports free pages
 * to its host (virtio-balloon free page reporting) the first and third runs pay the
 * host's first touch, the second reuses what the first freed.
 *
 * usage: bench_first_touch huge|small|write [mib=256] [chunk_kib=2048] [path]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define FILE_SIZE (1L << 30)

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long minor_faults(void) {
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_minflt;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s huge|small|write [mib] [chunk_kib] [path]\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    size_t mib = argc > 2 ? strtoul(argv[2], NULL, 10) : 256;
    size_t chunk = (argc > 3 ? strtoul(argv[3], NULL, 10) : 2048) * 1024;
    const char *path = argc > 4 ? argv[4] : "first_touch.dat";
    size_t len = mib << 20;
    if (len == 0 || len > FILE_SIZE || chunk == 0 || chunk > (2u << 20)) {
        fprintf(stderr, "mib must be 1..1024, chunk_kib 1..2048\n");
        return 2;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, FILE_SIZE) < 0) {
        perror(path);
        return 1;
    }
    unlink(path);
    char *map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    madvise(map, FILE_SIZE, MADV_RANDOM);
    if (strcmp(mode, "huge") == 0)
        madvise(map, FILE_SIZE, MADV_HUGEPAGE);
    static char zeros[2u << 20];
    double longest = 0, t0 = now_s();
    for (size_t off = 0; off < len; off += chunk) {
        double t = now_s();
        int rc = strcmp(mode, "write") == 0
                     ? (pwrite(fd, zeros, chunk, (off_t)off) == (ssize_t)chunk ? 0 : -1)
                     : madvise(map + off, chunk, MADV_POPULATE_WRITE);
        if (rc < 0) {
            perror(mode);
            return 1;
        }
        if (now_s() - t > longest)
            longest = now_s() - t;
    }
    double t1 = now_s();
    long f0 = minor_faults();
    char rec[1024];
    memset(rec, 7, sizeof rec);
    for (size_t off = 0; off + sizeof rec <= len; off += sizeof rec)
        memcpy(map + off, rec, sizeof rec);
    double t2 = now_s();
    printf("%-5s chunk %4zu KiB: build %.2f ms/MiB (longest step %.2f ms), then stores %.3f "
           "ms/MiB with %ld faults\n",
           mode, chunk >> 10, (t1 - t0) * 1e3 / (double)mib, longest * 1e3,
           (t2 - t1) * 1e3 / (double)mib, minor_faults() - f0);
    munmap(map, FILE_SIZE);
    close(fd);
    return 0;
}
