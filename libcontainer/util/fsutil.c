#include "libcontainer/util/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static int too_large(const char *name, size_t max, hrun_error *err)
{
  if (max % (1 << 20) == 0)
    return err_set(err, 0, "%s is larger than %zu MiB", name, max >> 20);
  return err_set(err, 0, "%s is larger than %zu bytes", name, max);
}

/* Reads fd to its end into a NUL-terminated malloc'ed buffer; more than max
 * bytes is an error ("<name> is larger than ..."), found after reading at
 * most max + 1 of them. */
static int read_fd_all(int fd, const char *name, size_t max, size_t hint, char **out,
                       size_t *len, hrun_error *err)
{
  size_t cap = hint > 0 && hint < max ? hint + 1 : 4096, n = 0;
  char *buf = xmalloc0(cap + 1);
  ssize_t r;

  for (;;) {
    r = read(fd, buf + n, (cap < max + 1 ? cap : max + 1) - n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      free(buf);
      return err_set(err, errno, "read %s", name);
    }
    if (r == 0)
      break;
    n += r;
    if (n > max) {
      free(buf);
      return too_large(name, max, err);
    }
    if (n == cap) {
      cap *= 2;
      buf = xrealloc(buf, cap + 1);
    }
  }
  buf[n] = '\0';
  *out = buf;
  if (len)
    *len = n;
  return 0;
}

int stream_check(FILE *f, const char *path, hrun_error *err)
{
  int e = errno;

  if (!ferror(f))
    return 0;
  return err_set(err, e ? e : EIO, "read %s", path);
}

int read_file_at(int dirfd, const char *path, char **out, size_t *len, hrun_error *err)
{
  cleanup_close int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return err_set(err, errno, "open %s", path);
  return read_fd_all(fd, path, SIZE_MAX - 1, 0, out, len, err);
}

static const char *file_type_name(mode_t mode)
{
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "of another type";
}

int read_regular_file_at(int dirfd, const char *path, size_t max, char **out, size_t *len,
                         hrun_error *err)
{
  /* O_NONBLOCK: opening a FIFO for reading would wait for a writer.
   * O_NOCTTY: a terminal must not become our controlling one. */
  cleanup_close int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  struct stat st;

  if (fd < 0)
    return err_set(err, errno, "open %s", path);
  if (fstat(fd, &st) < 0)
    return err_set(err, errno, "stat %s", path);
  /* A device (/dev/zero) would be read until memory runs out, a FIFO until
   * its writer closes it. */
  if (!S_ISREG(st.st_mode))
    return err_set(err, 0, "%s is not a regular file (it is %s)", path,
                   file_type_name(st.st_mode));
  /* Without reading it, when the size says so (a file that grows while it
   * is read is still stopped at max + 1 bytes). */
  if ((unsigned long long)st.st_size > max)
    return too_large(path, max, err);
  return read_fd_all(fd, path, max, (size_t)st.st_size, out, len, err);
}

int read_fd_max(int fd, const char *name, size_t max, char **out, size_t *len,
                hrun_error *err)
{
  return read_fd_all(fd, name, max, 0, out, len, err);
}

static int write_all(int fd, const char *data, size_t len)
{
  while (len > 0) {
    ssize_t w = write(fd, data, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      return -1;
    data += w;
    len -= w;
  }
  return 0;
}

int write_file_at(int dirfd, const char *path, const char *data, size_t len,
                  hrun_error *err)
{
  cleanup_close int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC);

  if (fd < 0)
    return err_set(err, errno, "open %s", path);
  if (write_all(fd, data, len) < 0)
    return err_set(err, errno, "write %s", path);
  return 0;
}

int write_file_atomic_at(int dirfd, const char *name, const char *data, size_t len,
                         mode_t mode, hrun_error *err)
{
  cleanup_free char *tmp = xasprintf(".%s.tmp%d", name, getpid());
  cleanup_close int fd = -1;

  fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0)
    return err_set(err, errno, "create %s", tmp);
  if (write_all(fd, data, len) < 0) {
    err_set(err, errno, "write %s", tmp);
    unlinkat(dirfd, tmp, 0);
    return -1;
  }
  if (renameat(dirfd, tmp, dirfd, name) < 0) {
    err_set(err, errno, "rename %s to %s", tmp, name);
    unlinkat(dirfd, tmp, 0);
    return -1;
  }
  return 0;
}

int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode,
                      hrun_error *err)
{
  cleanup_free char *dir = xstrdup(path);
  char *slash = strrchr(dir, '/');
  cleanup_close int dirfd = -1;
  const char *name = path;

  if (slash) {
    name = path + (slash - dir) + 1;
    *slash = '\0';
    dirfd = open(dir[0] ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
      return err_set(err, errno, "open %s", dir[0] ? dir : "/");
  }
  if (write_file_atomic_at(slash ? dirfd : AT_FDCWD, name, data, len, mode, err) < 0)
    return err_wrap(err, "%s", path);
  return 0;
}

int mkdir_all(const char *path, mode_t mode, hrun_error *err)
{
  cleanup_free char *p = xstrdup(path);
  char *s;

  for (s = p + 1; *s; s++) {
    if (*s != '/')
      continue;
    *s = '\0';
    if (mkdir(p, mode) < 0 && errno != EEXIST)
      return err_set(err, errno, "mkdir %s", p);
    *s = '/';
  }
  if (mkdir(p, mode) < 0 && errno != EEXIST)
    return err_set(err, errno, "mkdir %s", p);
  return 0;
}

static int remove_dir_contents(int fd, hrun_error *err)
{
  DIR *d = fdopendir(fd);
  struct dirent *de;
  int r = 0;

  if (!d) {
    close(fd);
    return err_set(err, errno, "fdopendir");
  }
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
      continue;
    if (remove_tree_at(dirfd(d), de->d_name, err) < 0)
      r = -1;
  }
  closedir(d);
  return r;
}

int remove_tree_at(int dirfd, const char *name, hrun_error *err)
{
  int fd;

  if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
    return 0;
  if (errno != EISDIR && errno != EPERM)
    return err_set(err, errno, "remove %s", name);
  fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return err_set(err, errno, "open %s", name);
  if (remove_dir_contents(fd, err) < 0)
    return -1;
  if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return err_set(err, errno, "remove %s", name);
  return 0;
}

/* The civil date of a day count since 1970-01-01 (Howard Hinnant's
 * days_from_civil, inverted): UTC needs no time zone, and glibc's gmtime_r
 * would read /etc/localtime on its first call anyway. */
static void civil_from_days(long long z, int *y, unsigned *m, unsigned *d)
{
  long long era, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  yoe = z - era * 146097;
  yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
  doy = z - era * 146097 - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
  *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

void format_rfc3339(const struct timespec *ts, char *buf, size_t size)
{
  long long days = ts->tv_sec / 86400, secs = ts->tv_sec % 86400;
  unsigned m, d;
  int y;

  if (secs < 0) {
    secs += 86400;
    days--;
  }
  civil_from_days(days, &y, &m, &d);
  snprintf(buf, size, "%04d-%02u-%02uT%02lld:%02lld:%02lld.%09ldZ", y, m, d, secs / 3600,
           secs / 60 % 60, secs % 60, ts->tv_nsec);
}

void format_rfc3339_now(char *buf, size_t size)
{
  struct timespec ts;

  clock_gettime(CLOCK_REALTIME, &ts);
  format_rfc3339(&ts, buf, size);
}

int proc_stat(pid_t pid, unsigned long long *start_time, char *state)
{
  char path[64], buf[1024];
  cleanup_close int fd = -1;
  ssize_t n;
  char *p;
  int field;

  snprintf(path, sizeof(path), "/proc/%d/stat", pid);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  do
    n = read(fd, buf, sizeof(buf) - 1);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -1; /* ESRCH: it exited since the open */
  buf[n] = '\0';
  errno = EIO;
  /* The command name may hold spaces and parentheses: skip to the last ')'. */
  p = strrchr(buf, ')');
  if (!p || p[1] != ' ')
    return -1;
  p += 2;
  if (state)
    *state = *p;
  for (field = 3; field < 22 && p; field++) {
    p = strchr(p, ' ');
    if (p)
      p++;
  }
  if (!p)
    return -1;
  if (start_time)
    *start_time = strtoull(p, NULL, 10);
  return 0;
}

char *absolute_path(const char *path, hrun_error *err)
{
  cleanup_free char *cwd = NULL;

  if (path[0] == '/')
    return xstrdup(path);
  cwd = getcwd(NULL, 0);
  if (!cwd) {
    err_set(err, errno, "getcwd");
    return NULL;
  }
  return xasprintf("%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path);
}

char *resolve_path(const char *path, const char *what, hrun_error *err)
{
  char *r = realpath(path, NULL);

  if (!r)
    err_set(err, errno, "%s %s", what, path);
  return r;
}

int fds_each_from(int from, void (*fn)(int fd, void *arg), void *arg, hrun_error *err)
{
  cleanup_closedir DIR *d = opendir("/proc/self/fd");
  struct dirent *de;

  if (!d)
    return err_set(err, errno, "open /proc/self/fd");
  for (;;) {
    errno = 0;
    if (!(de = readdir(d)))
      break;
    int fd = atoi(de->d_name); /* "." and ".." are 0 */
    if (fd >= from && fd != dirfd(d))
      fn(fd, arg);
  }
  if (errno)
    return err_set(err, errno, "read /proc/self/fd");
  return 0;
}

static void set_cloexec(int fd, void *arg)
{
  (void)arg;
  fcntl(fd, F_SETFD, FD_CLOEXEC);
}

int mark_fds_cloexec_from(int from, hrun_error *err)
{
  if (syscall(SYS_close_range, from, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
    return 0;
  if (fds_each_from(from, set_cloexec, NULL, err) < 0)
    return err_wrap(err, "mark inherited fds close-on-exec");
  return 0;
}
