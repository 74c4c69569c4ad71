/* Device nodes and the /dev symlinks every container gets. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fs_secure.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/spec/spec.h"

static const struct spec_device default_devices[] = {
    {.type = 'c', .path = "/dev/null", .major = 1, .minor = 3},
    {.type = 'c', .path = "/dev/zero", .major = 1, .minor = 5},
    {.type = 'c', .path = "/dev/full", .major = 1, .minor = 7},
    {.type = 'c', .path = "/dev/random", .major = 1, .minor = 8},
    {.type = 'c', .path = "/dev/urandom", .major = 1, .minor = 9},
    {.type = 'c', .path = "/dev/tty", .major = 5, .minor = 0},
};

static const struct {
  const char *target, *name;
} dev_symlinks[] = {
    {"/proc/self/fd", "fd"},
    {"/proc/self/fd/0", "stdin"},
    {"/proc/self/fd/1", "stdout"},
    {"/proc/self/fd/2", "stderr"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static mode_t device_type_bits(char type)
{
  switch (type) {
  case 'b':
    return S_IFBLK;
  case 'p':
    return S_IFIFO;
  default:
    return S_IFCHR;
  }
}

static mode_t device_mode(const struct spec_device *d)
{
  mode_t perm = d->file_mode.set ? (mode_t)d->file_mode.value & 07777 : 0666;
  return device_type_bits(d->type) | perm;
}

/* In a user namespace mknod is refused: bind the host's node instead. */
static int bind_host_device(int root_fd, const struct spec_device *d, hrun_error *err)
{
  cleanup_close int target = secure_create(root_fd, d->path, SECURE_FILE, 0600, err);

  if (target < 0)
    return -1;
  if (mount(d->path, fd_path(target).str, NULL, MS_BIND, NULL) < 0)
    return err_set(err, errno, "bind %s from the host", d->path);
  return 0;
}

static int make_device_node(int root_fd, const struct spec_device *d, hrun_error *err)
{
  const char *name;
  cleanup_close int dir = secure_open_parent(root_fd, d->path, &name, err);
  dev_t dev = d->type == 'p' ? 0 : makedev(d->major, d->minor);

  if (dir < 0)
    return -1;
  if (mknodat(dir, name, device_mode(d), dev) < 0) {
    if (errno == EEXIST)
      return 0; /* a bind mount or the image already provides it */
    return err_set(err, errno, "mknod %s", d->path);
  }
  if (fchownat(dir, name, d->uid.set ? d->uid.value : 0, d->gid.set ? d->gid.value : 0,
               AT_SYMLINK_NOFOLLOW) < 0)
    return err_set(err, errno, "chown %s", d->path);
  return 0;
}

static int create_device(const struct rootfs_ctx *ctx, const struct spec_device *d,
                         hrun_error *err)
{
  if (ctx->userns)
    return bind_host_device(ctx->root_fd, d, err);
  return make_device_node(ctx->root_fd, d, err);
}

static bool config_has_device(const struct oci_spec *spec, const char *path)
{
  size_t i;

  for (i = 0; i < spec->linux_cfg.n_devices; i++)
    if (strcmp(spec->linux_cfg.devices[i].path, path) == 0)
      return true;
  return false;
}

static bool config_mounts(const struct oci_spec *spec, const char *destination)
{
  size_t i;

  for (i = 0; i < spec->n_mounts; i++)
    if (strcmp(spec->mounts[i].destination, destination) == 0)
      return true;
  return false;
}

static int create_symlinks(const struct rootfs_ctx *ctx, int dev_fd, hrun_error *err)
{
  size_t i;

  for (i = 0; i < COUNT(dev_symlinks); i++)
    if (symlinkat(dev_symlinks[i].target, dev_fd, dev_symlinks[i].name) < 0 &&
        errno != EEXIST)
      return err_set(err, errno, "symlink /dev/%s", dev_symlinks[i].name);
  if (access("/proc/kcore", F_OK) == 0 && symlinkat("/proc/kcore", dev_fd, "core") < 0 &&
      errno != EEXIST)
    return err_set(err, errno, "symlink /dev/core");
  /* With a private devpts, /dev/ptmx must lead to its ptmx. */
  if (config_mounts(ctx->spec, "/dev/pts")) {
    if (unlinkat(dev_fd, "ptmx", 0) < 0 && errno != ENOENT)
      return err_set(err, errno, "remove /dev/ptmx");
    if (symlinkat("pts/ptmx", dev_fd, "ptmx") < 0)
      return err_set(err, errno, "symlink /dev/ptmx");
  }
  return 0;
}

int devices_create(const struct rootfs_ctx *ctx, hrun_error *err)
{
  const struct spec_linux *lx = &ctx->spec->linux_cfg;
  cleanup_close int dev_fd = -1;
  size_t i;

  for (i = 0; i < COUNT(default_devices); i++) {
    if (config_has_device(ctx->spec, default_devices[i].path))
      continue;
    if (create_device(ctx, &default_devices[i], err) < 0)
      return err_wrap(err, "default device %s", default_devices[i].path);
  }
  for (i = 0; i < lx->n_devices; i++)
    if (create_device(ctx, &lx->devices[i], err) < 0)
      return err_wrap(err, "linux.devices[%zu]", i);
  dev_fd = secure_create(ctx->root_fd, "/dev", SECURE_DIR, 0755, err);
  if (dev_fd < 0)
    return -1;
  return create_symlinks(ctx, dev_fd, err);
}
