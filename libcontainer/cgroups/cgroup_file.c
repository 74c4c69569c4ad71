/* Reading and writing cgroupfs files, shared by both versions and the
 * dispatcher (cgroup.c): cgroupfs wants each value in one write(2). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/log.h"

int cg_open_write(const char *dir, const char *file, const char *what, hrun_error *err)
{
  cleanup_free char *path = xasprintf("%s/%s", dir, file);
  int fd = open(path, O_WRONLY | O_CLOEXEC);

  if (fd < 0)
    return err_set(err, errno, "cgroup: %s: open %s", what, path);
  return fd;
}

int cg_write_fd(int fd, const char *dir, const char *file, const char *value, const char *what,
                hrun_error *err)
{
  size_t len = strlen(value);
  ssize_t w;

  /* cgroupfs takes one value per write(2): never split it. */
  do
    w = write(fd, value, len);
  while (w < 0 && errno == EINTR);
  if (w < 0)
    return err_set(err, errno, "cgroup: %s: write %s/%s", what, dir, file);
  if ((size_t)w != len)
    return err_set(err, EIO, "cgroup: %s: short write to %s/%s", what, dir, file);
  return 0;
}

int cg_write(const char *dir, const char *file, const char *value, const char *what,
             hrun_error *err)
{
  cleanup_close int fd = cg_open_write(dir, file, what, err);

  return fd < 0 ? -1 : cg_write_fd(fd, dir, file, value, what, err);
}

int cg_writef(const char *dir, const char *file, const char *what, hrun_error *err,
              const char *fmt, ...)
{
  cleanup_free char *value = NULL;
  va_list ap;

  va_start(ap, fmt);
  if (vasprintf(&value, fmt, ap) < 0)
    value = NULL;
  va_end(ap);
  if (!value)
    return err_set(err, ENOMEM, "cgroup: %s", what);
  return cg_write(dir, file, value, what, err);
}

int cg_read(const char *dir, const char *file, char **out, hrun_error *err)
{
  cleanup_free char *path = xasprintf("%s/%s", dir, file);
  cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
  size_t cap = 256, n = 0;
  cleanup_free char *buf = NULL;
  ssize_t r;

  if (fd < 0)
    return err_set(err, errno, "cgroup: open %s", path);
  buf = xmalloc0(cap + 1);
  while ((r = read(fd, buf + n, cap - n)) != 0) {
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return err_set(err, errno, "cgroup: read %s", path);
    n += r;
    if (n == cap) {
      cap *= 2;
      buf = xrealloc(buf, cap + 1);
    }
  }
  while (n > 0 && buf[n - 1] == '\n')
    n--;
  buf[n] = '\0';
  *out = take_ptr(buf);
  return 0;
}

bool cg_exists(const char *dir, const char *file)
{
  cleanup_free char *path = xasprintf("%s/%s", dir, file);

  return access(path, F_OK) == 0;
}

bool cg_list_has(const char *list, const char *item, const char *seps)
{
  size_t len = strlen(item);
  const char *s = list;

  while (*s) {
    size_t tok = strcspn(s, seps);
    if (tok == len && strncmp(s, item, len) == 0)
      return true;
    s += tok;
    s += strspn(s, seps);
  }
  return false;
}

const char *cg_limit_str(int64_t v, char buf[24])
{
  if (v < 0)
    return "max";
  snprintf(buf, 24, "%lld", (long long)v);
  return buf;
}

void cg_sleep_ms(long ms)
{
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

  while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
    ;
}
