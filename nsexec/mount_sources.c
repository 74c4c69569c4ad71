#include "nsexec/mount_sources.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/rootfs/idmap.h"
#include "libcontainer/spec/spec.h"
#include "nsexec/sync.h"

bool mount_sources_needed(const struct oci_spec *spec, bool any_userns)
{
  size_t i;

  /* Without a user namespace the init walks the paths as the host's root
   * itself; without root, joining the init's mount namespace fails. */
  if (!any_userns || !spec_namespace(spec, CLONE_NEWNS) || geteuid() != 0)
    return false;
  for (i = 0; i < spec->n_mounts; i++)
    if (spec->mounts[i].is_bind)
      return true;
  return false;
}

static void close_all(int *fds, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (fds[i] >= 0)
      close(fds[i]);
}

/* In the init's mount namespace, whose root is "/": a relative source is
 * made absolute from the bundle (the directory it is relative to). The fd
 * must come from that namespace: the kernel binds only from mounts of the
 * binder's own namespace. */
static int open_each(const struct oci_spec *spec, const char *bundle, pid_t pid, int *fds,
                     hrun_error *err)
{
  char userns[64];
  size_t i;

  /* "idmap" without mappings of its own: the container's user namespace. */
  snprintf(userns, sizeof(userns), "/proc/%d/ns/user", pid);
  for (i = 0; i < spec->n_mounts; i++) {
    const struct spec_mount *m = &spec->mounts[i];
    cleanup_free char *path = NULL;

    if (!m->is_bind)
      continue;
    if (!m->source)
      return err_set(err, 0, "mounts[%zu] (%s): bind mount without a source", i,
                     m->destination);
    path = m->source[0] == '/' ? xstrdup(m->source) : xasprintf("%s/%s", bundle, m->source);
    /* Only the runtime can idmap: that takes privilege over the source's
     * file system, which the container's user namespace has not. */
    if (m->idmap) {
      fds[i] = idmap_open_tree(m, path, userns, err);
      if (fds[i] < 0)
        return err_wrap(err, "mounts[%zu] (%s)", i, m->destination);
      continue;
    }
    fds[i] = open(path, O_PATH | O_CLOEXEC);
    if (fds[i] < 0)
      return err_set(err, errno, "mounts[%zu] (%s): source %s", i, m->destination, m->source);
  }
  return 0;
}

/* setns(CLONE_NEWNS) also moves the root and the current directory:
 * both come back with the runtime's own namespace and directory fd. */
static int open_in_namespace(pid_t pid, const struct oci_spec *spec, const char *bundle,
                             int *fds, hrun_error *err)
{
  cleanup_close int ours = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  cleanup_close int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  cleanup_close int theirs = -1;
  char path[64];
  int r;

  snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
  theirs = open(path, O_RDONLY | O_CLOEXEC);
  if (ours < 0 || cwd < 0 || theirs < 0)
    return err_set(err, errno, "mount sources: open the mount namespaces");
  if (setns(theirs, CLONE_NEWNS) < 0)
    return err_set(err, errno, "mount sources: join the container's mount namespace");
  r = open_each(spec, bundle, pid, fds, err);
  if (setns(ours, CLONE_NEWNS) < 0 || fchdir(cwd) < 0)
    r = err_set(err, errno, "mount sources: return to the runtime's mount namespace");
  return r;
}

int mount_sources_send(int sync_fd, pid_t init_pid, const struct oci_spec *spec,
                       const char *bundle, hrun_error *err)
{
  cleanup_free int *fds = xmalloc0(sizeof(int) * (spec->n_mounts + 1));
  size_t i;
  int r;

  for (i = 0; i < spec->n_mounts; i++)
    fds[i] = -1;
  r = open_in_namespace(init_pid, spec, bundle, fds, err);
  for (i = 0; r == 0 && i < spec->n_mounts; i++)
    if (fds[i] >= 0)
      r = sync_send_mount_source_fd(sync_fd, (int)i, fds[i], err);
  close_all(fds, spec->n_mounts);
  return r;
}

int mount_sources_receive(int sync_fd, const struct oci_spec *spec, int **fds,
                          hrun_error *err)
{
  size_t i;

  *fds = xmalloc0(sizeof(int) * (spec->n_mounts + 1));
  for (i = 0; i < spec->n_mounts; i++)
    (*fds)[i] = -1;
  if (sync_send_mount_sources(sync_fd, err) < 0)
    return -1;
  for (i = 0; i < spec->n_mounts; i++) {
    int index, fd;

    if (!spec->mounts[i].is_bind)
      continue;
    if (sync_wait_mount_source_fd(sync_fd, &index, &fd, err) < 0)
      return -1;
    (*fds)[i] = fd;
    if ((size_t)index != i)
      return err_set(err, 0, "mount sources: got the source of mounts[%d], expected %zu", index,
                     i);
  }
  return 0;
}

void mount_sources_close(const struct oci_spec *spec, int **fds)
{
  if (!*fds)
    return;
  close_all(*fds, spec->n_mounts);
  free(*fds);
  *fds = NULL;
}
