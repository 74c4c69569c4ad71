/* Small file helpers used across the library. */
#ifndef HRUN_FSUTIL_H
#define HRUN_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "libcontainer/util/error.h"

/* Reads a whole file (NUL-terminated, malloc'ed). dirfd may be AT_FDCWD. */
int read_file_at(int dirfd, const char *path, char **out, size_t *len, hrun_error *err);

/* After a getline/fgets loop, errno as its last read left it: 0 when the
 * loop ended at end of file, -1 with "read <path>: <errno>" when it ended
 * at an I/O error (which getline reports as it reports EOF). */
int stream_check(FILE *f, const char *path, hrun_error *err);

/* read_file_at for a document from outside (config.json and its copy in the
 * state dir, state.json, exec --process, update --resources): only a
 * regular file ("PATH is not a regular file (it is a FIFO)", checked with
 * fstat on an fd opened with O_NONBLOCK, before a byte is read) of at most
 * max bytes ("PATH is larger than 64 MiB"). A missing file keeps ENOENT. */
int read_regular_file_at(int dirfd, const char *path, size_t max, char **out, size_t *len,
                         hrun_error *err);

/* What fd (a pipe on stdin) gives until its end, at most max bytes ("NAME
 * is larger than ..."). */
int read_fd_max(int fd, const char *name, size_t max, char **out, size_t *len,
                hrun_error *err);

/* Writes data to an existing file (for /proc and cgroup files). */
int write_file_at(int dirfd, const char *path, const char *data, size_t len,
                  hrun_error *err);

/* Replaces name in dirfd atomically (write a temporary, fsync-free rename). */
int write_file_atomic_at(int dirfd, const char *name, const char *data, size_t len,
                         mode_t mode, hrun_error *err);

/* Writes to path, atomically when it is a regular file we create (pid files). */
int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode,
                      hrun_error *err);

/* mkdir -p; existing directories are fine. */
int mkdir_all(const char *path, mode_t mode, hrun_error *err);

/* Removes everything inside dirfd/name and name itself (no mount crossing). */
int remove_tree_at(int dirfd, const char *name, hrun_error *err);

/* RFC 3339 UTC time with nanoseconds, as runc writes "created"
 * (2006-01-02T15:04:05.000000000Z). */
void format_rfc3339(const struct timespec *ts, char *buf, size_t size);
void format_rfc3339_now(char *buf, size_t size);

/* Field 22 of /proc/<pid>/stat and the state letter. -1 with errno ENOENT
 * or ESRCH when pid is gone, another errno when the file could not be read
 * (EIO when it makes no sense). */
int proc_stat(pid_t pid, unsigned long long *start_time, char *state);

/* path made absolute against the current directory, as it is now (no
 * symlink resolved; the file need not exist). malloc'ed, or NULL with err
 * set when the current directory is gone. */
char *absolute_path(const char *path, hrun_error *err);

/* Absolute, symlink-free path (malloc'ed), or NULL with err set. */
char *resolve_path(const char *path, const char *what, hrun_error *err);

/* Marks every fd >= from close-on-exec, so nothing the caller gave us
 * reaches the container by accident. */
int mark_fds_cloexec_from(int from, hrun_error *err);

/* fn(fd, arg) for each open fd >= from, as /proc/self/fd lists them (the
 * listing's own fd excepted; fn may close fd). The way to reach every fd
 * where close_range is missing: Linux < 5.9 (5.11 for its CLOEXEC flag),
 * or a seccomp filter that answers it with ENOSYS. */
int fds_each_from(int from, void (*fn)(int fd, void *arg), void *arg, hrun_error *err);

#endif
