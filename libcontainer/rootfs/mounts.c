/* Config mounts, each made on an fd resolved inside the rootfs. */
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fs_secure.h"
#include "libcontainer/rootfs/idmap.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/spec/spec.h"

/* Flags a bind remount can change; the rest of a mount's flags stay. */
#define REMOUNT_FLAGS                                                          \
  (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS |             \
   MS_MANDLOCK | MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME |   \
   MS_NOSYMFOLLOW)

int mount_remount_bind(int fd, unsigned long flags, unsigned long clear_flags,
                       hrun_error *err)
{
  struct statvfs sv;
  unsigned long current;

  if (fstatvfs(fd, &sv) < 0)
    return err_set(err, errno, "statvfs");
  /* ST_* values equal the MS_* ones for these bits. */
  current = sv.f_flag & REMOUNT_FLAGS;
  flags = ((current & ~clear_flags) | flags) & REMOUNT_FLAGS;
  if (mount(NULL, fd_path(fd).str, NULL, MS_BIND | MS_REMOUNT | flags, NULL) < 0)
    return err_set(err, errno, "remount");
  return 0;
}

static bool is_type(const struct spec_mount *m, const char *type)
{
  return m->type && strcmp(m->type, type) == 0;
}

/* Where mounts[i] is mounted from: for a bind, the fd the runtime opened
 * when the container's user namespace may not reach the path
 * (nsexec/mount_sources.h), else the path itself. */
static const char *mount_source(const struct rootfs_ctx *ctx, size_t i, struct fd_path *buf)
{
  if (ctx->source_fds && ctx->source_fds[i] >= 0) {
    *buf = fd_path(ctx->source_fds[i]);
    return buf->str;
  }
  return ctx->spec->mounts[i].source;
}

/* Bind sources name a file or a directory on the host; the destination is
 * made the same kind so the bind can succeed. */
static int target_kind(const struct spec_mount *m, const char *source, enum secure_kind *kind,
                       hrun_error *err)
{
  struct stat st;

  *kind = SECURE_DIR;
  if (!m->is_bind)
    return 0;
  if (!m->source)
    return err_set(err, 0, "bind mount without a source");
  if (stat(source, &st) < 0)
    return err_set(err, errno, "source %s", m->source);
  if (!S_ISDIR(st.st_mode))
    *kind = SECURE_FILE;
  return 0;
}

/* An idmapped bind: the tree the runtime made (a container with a user
 * namespace), else made here, by the init, still root of the host. */
static int mount_idmapped(const struct rootfs_ctx *ctx, size_t i, int target_fd,
                          hrun_error *err)
{
  cleanup_close int tree = -1;

  if (ctx->source_fds && ctx->source_fds[i] >= 0)
    return idmap_attach(ctx->source_fds[i], target_fd, err);
  tree = idmap_open_tree(&ctx->spec->mounts[i], ctx->spec->mounts[i].source,
                         "/proc/self/ns/user", err);
  return tree < 0 ? -1 : idmap_attach(tree, target_fd, err);
}

static int mount_bind(const struct spec_mount *m, const char *source, int target_fd,
                      hrun_error *err)
{
  unsigned long flags = MS_BIND | (m->is_recursive_bind ? MS_REC : 0);

  if (mount(source, fd_path(target_fd).str, NULL, flags, NULL) < 0)
    return err_set(err, errno, "bind %s", m->source);
  return 0;
}

/* The bind keeps the flags the mount asked for (ro, nosuid, ...). */
static int bind_from_host(const struct rootfs_ctx *ctx, const struct spec_mount *m,
                          int target_fd, const char *host, hrun_error *err)
{
  cleanup_close int fd = -1;

  if (mount(host, fd_path(target_fd).str, NULL, MS_BIND | MS_REC, NULL) < 0)
    return err_set(err, errno, "bind %s from the host", host);
  fd = secure_open(ctx->root_fd, m->destination, O_PATH, err);
  if (fd < 0)
    return -1;
  return mount_remount_bind(fd, m->flags & REMOUNT_FLAGS, 0, err);
}

/* "/dev", "//dev/" and the like. */
static bool is_dev(const char *dest)
{
  while (*dest == '/')
    dest++;
  if (strncmp(dest, "dev", 3) != 0)
    return false;
  for (dest += 3; *dest == '/'; dest++)
    ;
  return *dest == '\0';
}

/* A read-only tmpfs or /dev is mounted read-write and made read-only by
 * mounts_finish_readonly, once what goes inside it is there: the mounts
 * nested below it (/dev/shm, /dev/mqueue), device nodes, the console, the
 * process's cwd. runc defers exactly these two kinds; a bind is
 * remounted read-only at once (making a mount point in it would write to
 * the host's source). */
static bool readonly_deferred(const struct spec_mount *m)
{
  return (m->flags & MS_RDONLY) && !m->is_bind && (is_type(m, "tmpfs") || is_dev(m->destination));
}

/* Filesystems that refuse to be mounted in a user namespace without their
 * own namespace (sysfs without a netns, mqueue without an ipc ns) are bound
 * from the host instead, as runc does. */
static int mount_fs_or_bind(const struct rootfs_ctx *ctx, const struct spec_mount *m,
                            int target_fd, const char *data, hrun_error *err)
{
  const char *source = m->source ? m->source : m->type;
  unsigned long flags = m->flags & ~MS_REMOUNT & ~(readonly_deferred(m) ? MS_RDONLY : 0);

  if (mount(source, fd_path(target_fd).str, m->type, flags, data) == 0)
    return 0;
  if (errno == EPERM && ctx->userns && (is_type(m, "sysfs") || is_type(m, "mqueue")))
    return bind_from_host(ctx, m, target_fd, is_type(m, "sysfs") ? "/sys" : "/dev/mqueue", err);
  return err_set(err, errno, "mount %s", m->type);
}

/* A tmpfs over a directory the rootfs has keeps that directory's mode
 * (runc prepends it since 1.1.8; 1.1.5 chmods after mounting, even over a
 * mode= option, which upstream called a bug): the options' own mode=
 * comes later and wins. NULL: the options as they are. */
static char *tmpfs_data(const struct rootfs_ctx *ctx, const struct spec_mount *m)
{
  hrun_error ignored;
  cleanup_close int fd = -1;
  struct stat st;

  if (!is_type(m, "tmpfs"))
    return NULL;
  fd = secure_open(ctx->root_fd, m->destination, O_PATH, &ignored);
  if (fd < 0 || fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
    return NULL;
  return xasprintf("mode=%04o%s%s", st.st_mode & 07777, m->data ? "," : "",
                   m->data ? m->data : "");
}

/* linux.mountLabel (create refuses it without SELinux) labels the file
 * systems the container writes to, as runc: by mount data, except mqueue
 * (labelled after mounting) and proc, sysfs and cgroup, which keep their
 * own labels. NULL: no label to add. */
static char *labeled_data(const struct rootfs_ctx *ctx, const struct spec_mount *m,
                          const char *data)
{
  const char *label = ctx->spec->linux_cfg.mount_label;

  if (!label || !label[0] || m->is_bind || is_type(m, "proc") || is_type(m, "sysfs") ||
      is_type(m, "mqueue") || is_type(m, "cgroup") || is_type(m, "cgroup2"))
    return NULL;
  return xasprintf("%s%scontext=\"%s\"", data ? data : "", data ? "," : "", label);
}

static int label_mqueue(const struct rootfs_ctx *ctx, const struct spec_mount *m,
                        hrun_error *err)
{
  const char *label = ctx->spec->linux_cfg.mount_label;
  cleanup_close int fd = -1;

  if (!label || !label[0] || !is_type(m, "mqueue"))
    return 0;
  fd = secure_open(ctx->root_fd, m->destination, O_RDONLY | O_DIRECTORY, err);
  if (fd < 0)
    return -1;
  if (fsetxattr(fd, "security.selinux", label, strlen(label) + 1, 0) < 0)
    return err_set(err, errno, "label it %s (linux.mountLabel)", label);
  return 0;
}

static int mount_cgroup(const struct rootfs_ctx *ctx, const struct spec_mount *m,
                        int target_fd, hrun_error *err)
{
  return cgroup_mount_in_container(ctx->cgroup, target_fd, m->flags, ctx->new_cgroupns, err);
}

/* Remount flags, recursive attributes and propagation act on the new mount,
 * which the pre-mount fd does not see: look the destination up again. */
static int finish_mount(const struct rootfs_ctx *ctx, const struct spec_mount *m,
                        hrun_error *err)
{
  cleanup_close int fd = -1;
  bool remount = m->is_bind && ((m->flags & REMOUNT_FLAGS) || (m->clear_flags & REMOUNT_FLAGS));

  if (!remount && !m->attr_set && !m->attr_clr && !m->propagation)
    return 0;
  fd = secure_open(ctx->root_fd, m->destination, O_PATH, err);
  if (fd < 0)
    return -1;
  if (remount && mount_remount_bind(fd, m->flags, m->clear_flags, err) < 0)
    return -1;
  if (m->attr_set || m->attr_clr) {
    struct mount_attr attr = {.attr_set = m->attr_set, .attr_clr = m->attr_clr};
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
                sizeof(attr)) < 0)
      return err_set(err, errno, "set recursive mount attributes");
  }
  if (m->propagation && mount(NULL, fd_path(fd).str, NULL, m->propagation, NULL) < 0)
    return err_set(err, errno, "set mount propagation");
  return 0;
}

static int check_mounted_procfs(const struct rootfs_ctx *ctx, const struct spec_mount *m,
                                hrun_error *err)
{
  cleanup_close int fd = secure_open(ctx->root_fd, m->destination, O_PATH | O_DIRECTORY, err);

  return fd < 0 ? -1 : mount_check_procfs(fd, err);
}

static int mount_one(const struct rootfs_ctx *ctx, size_t i, hrun_error *err)
{
  const struct spec_mount *m = &ctx->spec->mounts[i];
  cleanup_close int target = -1;
  cleanup_free char *data = NULL, *labeled = NULL;
  struct fd_path buf;
  const char *source = mount_source(ctx, i, &buf);
  enum secure_kind kind;
  int r;

  if (target_kind(m, source, &kind, err) < 0)
    return -1;
  data = tmpfs_data(ctx, m); /* before the target is made */
  labeled = labeled_data(ctx, m, data ? data : m->data);
  target = secure_create(ctx->root_fd, m->destination, kind, 0755, err);
  if (target < 0 || mount_check_target(ctx, m, source, target, err) < 0)
    return -1;
  if (m->idmap)
    r = mount_idmapped(ctx, i, target, err);
  else if (m->is_bind)
    r = mount_bind(m, source, target, err);
  else if (is_type(m, "cgroup") || is_type(m, "cgroup2"))
    r = mount_cgroup(ctx, m, target, err);
  else
    r = mount_fs_or_bind(ctx, m, target, labeled ? labeled : data ? data : m->data, err);
  if (r < 0 || label_mqueue(ctx, m, err) < 0)
    return -1;
  if (is_type(m, "proc") && check_mounted_procfs(ctx, m, err) < 0)
    return -1;
  return finish_mount(ctx, m, err);
}

int mounts_apply(const struct rootfs_ctx *ctx, hrun_error *err)
{
  size_t i;

  for (i = 0; i < ctx->spec->n_mounts; i++) {
    if (mount_one(ctx, i, err) < 0)
      return err_wrap(err, "mounts[%zu] (%s)", i, ctx->spec->mounts[i].destination);
  }
  return 0;
}

int mounts_finish_readonly(const struct rootfs_ctx *ctx, hrun_error *err)
{
  size_t i;

  for (i = 0; i < ctx->spec->n_mounts; i++) {
    const struct spec_mount *m = &ctx->spec->mounts[i];
    cleanup_close int fd = -1;

    if (!readonly_deferred(m))
      continue;
    fd = secure_open(ctx->root_fd, m->destination, O_PATH, err);
    if (fd < 0 || mount_remount_bind(fd, MS_RDONLY, 0, err) < 0)
      return err_wrap(err, "mounts[%zu] (%s): make it read-only", i, m->destination);
  }
  return 0;
}
