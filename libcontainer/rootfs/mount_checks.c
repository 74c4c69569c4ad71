/* Where a mount may land, checked on the resolved target: /proc must be a
 * real procfs on a real directory of the rootfs, and nothing but a few
 * lxcfs-style files may be mounted inside /proc (runc's rules; see
 * CVE-2019-19921 and CVE-2023-27561, where a symlinked /proc let a
 * container defeat the host's LSM confinement). */
#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "libcontainer/util/fs_secure.h"
#include "libcontainer/rootfs/rootfs.h"
#include "libcontainer/spec/spec.h"

static const char *const proc_allowlist[] = {
    "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",     "/proc/stat",
    "/proc/swaps",   "/proc/uptime",    "/proc/loadavg",     "/proc/slabinfo",
    "/proc/net/dev", "/proc/sys/kernel/ns_last_pid", "/proc/sys/crypto/fips_enabled",
};

/* The target's path inside the rootfs, from the kernel's view of the fd. */
static int resolved_path(const struct rootfs_ctx *ctx, int fd, char *out, size_t size,
                         hrun_error *err)
{
  char host[PATH_MAX];
  size_t root_len = strlen(ctx->rootfs);
  ssize_t n = readlink(fd_path(fd).str, host, sizeof(host) - 1);

  if (n < 0)
    return err_set(err, errno, "readlink the mount target");
  host[n] = '\0';
  if (strncmp(host, ctx->rootfs, root_len) != 0 || (host[root_len] && host[root_len] != '/'))
    return err_set(err, 0, "the mount target %s is outside the rootfs", host);
  snprintf(out, size, "%s", host[root_len] ? host + root_len : "/");
  return 0;
}

/* "/proc//x/" -> "/proc/x" */
static void clean_path(const char *in, char *out, size_t size)
{
  size_t n = 0;

  for (; *in && n + 1 < size; in++)
    if (!(*in == '/' && n > 0 && out[n - 1] == '/'))
      out[n++] = *in;
  while (n > 1 && out[n - 1] == '/')
    n--;
  out[n] = '\0';
}

static bool is_type(const struct spec_mount *m, const char *type)
{
  return m->type && strcmp(m->type, type) == 0;
}

static bool source_is_procfs_root(const char *source)
{
  struct statfs sf;
  struct stat st;

  return source && statfs(source, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC &&
         stat(source, &st) == 0 && st.st_ino == 1;
}

static int check_proc_rules(const struct spec_mount *m, const char *source, const char *rel,
                            hrun_error *err)
{
  size_t i;

  if (strcmp(rel, "/proc") == 0) {
    if (is_type(m, "proc") || (m->is_bind && source_is_procfs_root(source)))
      return 0;
    return err_set(err, 0, "/proc cannot be mounted because it is not of type proc");
  }
  if (strncmp(rel, "/proc/", 6) != 0)
    return 0;
  for (i = 0; i < sizeof(proc_allowlist) / sizeof(proc_allowlist[0]); i++)
    if (strcmp(rel, proc_allowlist[i]) == 0)
      return 0;
  return err_set(err, 0, "%s cannot be mounted because it is inside /proc", rel);
}

int mount_check_target(const struct rootfs_ctx *ctx, const struct spec_mount *m,
                       const char *source, int fd, hrun_error *err)
{
  char rel[PATH_MAX], want[PATH_MAX];
  struct stat st;

#ifdef HRUN_TEST_NO_PROC_CHECK
  /* test builds only: shows that the CVE tests catch it */
  (void)check_proc_rules, (void)clean_path, (void)resolved_path;
  (void)ctx, (void)m, (void)source, (void)fd, (void)err, (void)rel, (void)want, (void)st;
  return 0;
#else
  if (resolved_path(ctx, fd, rel, sizeof(rel), err) < 0)
    return -1;
  if (is_type(m, "proc") || is_type(m, "sysfs")) {
    clean_path(m->destination, want, sizeof(want));
    if (strcmp(rel, want) != 0 || fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode))
      return err_set(err, 0, "%s must be a directory of the rootfs, not a symlink (it "
                             "resolves to %s)", want, rel);
  }
  return check_proc_rules(m, source, rel, err);
#endif
}

int mount_check_procfs(int fd, hrun_error *err)
{
  struct statfs sf;

  if (fstatfs(fd, &sf) < 0)
    return err_set(err, errno, "statfs");
  if (sf.f_type != PROC_SUPER_MAGIC)
    return err_set(err, 0, "the proc mount is not a procfs");
  return 0;
}
