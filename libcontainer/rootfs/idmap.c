#include "libcontainer/rootfs/idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/spec/spec.h"

int idmap_write_map(pid_t pid, const char *file, const struct spec_id_mapping *m, size_t n,
                    hrun_error *err)
{
  char path[64], buf[4096];
  size_t i, len = 0;

  for (i = 0; i < n && len < sizeof(buf); i++)
    len += snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", m[i].container_id,
                    m[i].host_id, m[i].size);
  if (len >= sizeof(buf))
    return err_set(err, 0, "too many id mappings");
  snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
  return write_file_at(AT_FDCWD, path, buf, len, err);
}

/* The child: a new user namespace, then wait for EOF on hold (the parent
 * has its fd by then, or gave up). It tells its pid as /proc names it: the
 * caller may be an init in a new pid namespace, its /proc still the host's. */
static void __attribute__((noreturn)) userns_child(int ready, int hold)
{
  char self[32], c;
  ssize_t n = readlink("/proc/self", self, sizeof(self) - 1);

  if (n <= 0 || unshare(CLONE_NEWUSER) < 0)
    n = 0;
  if (write(ready, self, (size_t)n) != n)
    _exit(1);
  close(ready);
  while (read(hold, &c, 1) < 0 && errno == EINTR)
    ;
  _exit(0);
}

static int child_userns(const struct spec_mount *m, int ready, hrun_error *err)
{
  char self[32], path[64];
  ssize_t n = read(ready, self, sizeof(self) - 1);
  pid_t pid;
  int fd;

  if (n <= 0)
    return err_set(err, 0, "make a user namespace for the mappings");
  self[n] = '\0';
  pid = (pid_t)atoi(self);
  if (idmap_write_map(pid, "uid_map", m->uid_mappings, m->n_uid_mappings, err) < 0 ||
      idmap_write_map(pid, "gid_map", m->gid_mappings, m->n_gid_mappings, err) < 0)
    return err_wrap(err, "write the mount's id mappings");
  snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  return fd < 0 ? err_set(err, errno, "open %s", path) : fd;
}

int idmap_userns_fd(const struct spec_mount *m, hrun_error *err)
{
  int ready[2], hold[2], fd, status;
  pid_t pid;

  if (pipe2(ready, O_CLOEXEC) < 0)
    return err_set(err, errno, "pipe");
  if (pipe2(hold, O_CLOEXEC) < 0) {
    close(ready[0]);
    close(ready[1]);
    return err_set(err, errno, "pipe");
  }
  pid = fork();
  if (pid == 0) {
    close(ready[0]);
    close(hold[1]);
    userns_child(ready[1], hold[0]);
  }
  close(ready[1]);
  close(hold[0]);
  fd = pid < 0 ? err_set(err, errno, "fork") : child_userns(m, ready[0], err);
  close(ready[0]);
  close(hold[1]);
  while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  return fd;
}

static int userns_of(const struct spec_mount *m, const char *userns_path, hrun_error *err)
{
  int fd;

  if (m->n_uid_mappings)
    return idmap_userns_fd(m, err);
  fd = open(userns_path, O_RDONLY | O_CLOEXEC);
  return fd < 0 ? err_set(err, errno, "open the user namespace %s", userns_path) : fd;
}

int idmap_open_tree(const struct spec_mount *m, const char *path, const char *userns_path,
                    hrun_error *err)
{
  unsigned int clone_flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
  struct mount_attr attr = {.attr_set = MOUNT_ATTR_IDMAP};
  cleanup_close int tree = -1, userns = -1;

  /* "rbind" clones the whole tree; "ridmap" maps every mount of it. */
  if (m->is_recursive_bind || m->idmap_recursive)
    clone_flags |= AT_RECURSIVE;
  tree = (int)syscall(SYS_open_tree, AT_FDCWD, path, clone_flags);
  if (tree < 0)
    return err_set(err, errno, "open_tree %s", m->source);
  userns = userns_of(m, userns_path, err);
  if (userns < 0)
    return -1;
  attr.userns_fd = (uint64_t)userns;
  if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | (m->idmap_recursive ? AT_RECURSIVE : 0),
              &attr, sizeof(attr)) < 0)
    return err_set(err, errno, "idmap %s (the kernel or its file system cannot map ids: "
                               "mount_setattr MOUNT_ATTR_IDMAP)", m->source);
  return take_fd(&tree);
}

int idmap_attach(int tree_fd, int target_fd, hrun_error *err)
{
  if (syscall(SYS_move_mount, tree_fd, "", target_fd, "",
              MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return err_set(err, errno, "attach the idmapped mount");
  return 0;
}
