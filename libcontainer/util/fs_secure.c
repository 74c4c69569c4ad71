#include "libcontainer/util/fs_secure.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"

struct fd_path fd_path(int fd)
{
  struct fd_path p;

  snprintf(p.str, sizeof(p.str), "/proc/self/fd/%d", fd);
  return p;
}

/* openat2 answers EAGAIN when a rename or mount raced with the lookup;
 * past this many tries someone keeps racing on purpose. */
#define OPENAT2_TRIES 32

static int openat2_in_root(int root_fd, const char *path, int flags)
{
  struct open_how how = {
      .flags = (unsigned long long)(flags | O_CLOEXEC),
#ifndef HRUN_TEST_NO_RESOLVE_IN_ROOT
      .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
#else
      .resolve = 0, /* test builds only: symlinks may lead out of the rootfs */
#endif
  };
  long r;
  int tries = 0;

  /* An empty or "/" path means the root itself. */
  while (*path == '/')
    path++;
  if (!*path)
    path = ".";
  do
    r = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
  while (r < 0 && errno == EAGAIN && ++tries < OPENAT2_TRIES);
  return (int)r;
}

/* The error of a failed openat2_in_root, from errno. */
static int open_error(const char *path, hrun_error *err)
{
  if (errno == ENOSYS)
    return err_set(err, errno, "open %s in the rootfs: openat2 is missing (Linux 5.6 or "
                               "later is needed, and a seccomp filter must allow it)",
                   path);
  if (errno == EAGAIN)
    return err_set(err, errno, "open %s in the rootfs: renames kept racing with the lookup "
                               "(%d tries)",
                   path, OPENAT2_TRIES);
  return err_set(err, errno, "open %s in the rootfs", path);
}

int secure_open(int root_fd, const char *path, int flags, hrun_error *err)
{
  int fd = openat2_in_root(root_fd, path, flags);

  if (fd < 0)
    return open_error(path, err);
  return fd;
}

/* Creates one missing component below an already resolved parent. The name
 * has no '/', so mkdirat/openat cannot be redirected by a symlink. */
static int create_component(int parent_fd, const char *name, bool is_file, mode_t mode)
{
  int fd;

  if (!is_file)
    return mkdirat(parent_fd, name, mode) < 0 && errno != EEXIST ? -1 : 0;
  fd = openat(parent_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              mode & 0666);
  if (fd < 0)
    return errno == EEXIST ? 0 : -1;
  close(fd);
  return 0;
}

#define SECURE_MAX_LINKS 40

static int create_below(int root_fd, const char *path, enum secure_kind kind, mode_t mode,
                        int depth, hrun_error *err);

/* A component that is a symlink to something missing: create the target
 * inside the rootfs (as mkdir -p would through the link), then the link
 * resolves. An absolute target is relative to the rootfs, like the link. */
static int create_link_target(int root_fd, int parent_fd, const char *prefix,
                              const char *name, enum secure_kind kind, mode_t mode,
                              int depth, hrun_error *err)
{
  char target[4096];
  ssize_t n = readlinkat(parent_fd, name, target, sizeof(target) - 1);
  cleanup_free char *resolved = NULL;
  int fd;

  if (n < 0)
    return err_set(err, errno, "readlink %s in the rootfs", prefix);
  target[n] = '\0';
  if (target[0] == '/')
    resolved = xstrdup(target);
  else
    resolved = xasprintf("%.*s/%s", (int)(name - prefix), prefix, target);
  fd = create_below(root_fd, resolved, kind, mode, depth + 1, err);
  if (fd < 0)
    return -1;
  close(fd);
  return 0;
}

static int open_or_create(int root_fd, int parent_fd, const char *prefix,
                          enum secure_kind kind, mode_t mode, int depth, hrun_error *err)
{
  const char *name = strrchr(prefix, '/') ? strrchr(prefix, '/') + 1 : prefix;
  int fd = openat2_in_root(root_fd, prefix, O_PATH);
  struct stat st;

  if (fd >= 0)
    return fd;
  if (errno != ENOENT)
    return open_error(prefix, err);
  if (fstatat(parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
    if (create_link_target(root_fd, parent_fd, prefix, name, kind, mode, depth, err) < 0)
      return -1;
  } else if (create_component(parent_fd, name, kind == SECURE_FILE, mode) < 0) {
    return err_set(err, errno, "create %s in the rootfs", prefix);
  }
  fd = openat2_in_root(root_fd, prefix, O_PATH);
  if (fd < 0)
    return open_error(prefix, err);
  return fd;
}

/* Walks component by component; each prefix is resolved from the root again
 * so that a symlink met on the way is followed inside the rootfs only. */
static int create_below(int root_fd, const char *path, enum secure_kind kind, mode_t mode,
                        int depth, hrun_error *err)
{
  cleanup_free char *prefix = xstrdup(path);
  cleanup_close int parent = dup(root_fd);
  size_t i, len = strlen(prefix);

  if (depth > SECURE_MAX_LINKS)
    return err_set(err, ELOOP, "create %s in the rootfs", path);
  if (parent < 0)
    return err_set(err, errno, "dup");
  for (i = 0; i <= len; i++) {
    bool last = i == len;
    char saved;
    int fd;

    if ((!last && prefix[i] != '/') || i == 0 || prefix[i - 1] == '/')
      continue;
    saved = prefix[i];
    prefix[i] = '\0';
    fd = open_or_create(root_fd, parent, prefix, last ? kind : SECURE_DIR, mode, depth, err);
    if (fd < 0)
      return -1;
    prefix[i] = saved;
    close(parent);
    parent = fd;
  }
  return take_fd(&parent);
}

int secure_create(int root_fd, const char *path, enum secure_kind kind, mode_t mode,
                  hrun_error *err)
{
  return create_below(root_fd, path, kind, mode, 0, err);
}

int secure_open_parent(int root_fd, const char *path, const char **name,
                       hrun_error *err)
{
  cleanup_free char *dir = xstrdup(path);
  char *slash;

  /* Trailing slashes do not name a different file. */
  for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
    dir[n - 1] = '\0';
  slash = strrchr(dir, '/');
  if (!slash || !slash[1])
    return err_set(err, EINVAL, "%s has no parent directory", path);
  *name = path + (slash - dir) + 1;
  *slash = '\0';
  return secure_create(root_fd, dir[0] ? dir : "/", SECURE_DIR, 0755, err);
}
