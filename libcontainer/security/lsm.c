#include "libcontainer/security/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"

bool lsm_apparmor_enabled(void)
{
  char c = 0;
  cleanup_close int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);

  return fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
}

bool lsm_selinux_enabled(void)
{
  struct statfs fs;

  return statfs("/sys/fs/selinux", &fs) == 0 && fs.f_type == SELINUX_MAGIC;
}

/* Whether the kernel has a profile of that name: securityfs lists them as
 * "name (mode)". The process's label is set only after `start` (after the
 * startContainer hooks, which must not run confined), so a profile that is
 * not loaded would otherwise fail the start, not the create. Where
 * securityfs is not mounted nothing can be told: true. */
static bool apparmor_profile_loaded(const char *name)
{
  cleanup_fclose FILE *f = fopen("/sys/kernel/security/apparmor/profiles", "re");
  cleanup_free char *line = NULL;
  size_t cap = 0, len = strlen(name);

  if (!f || strcmp(name, "unconfined") == 0)
    return true;
  while (getline(&line, &cap, f) > 0)
    if (strncmp(line, name, len) == 0 && strncmp(line + len, " (", 2) == 0)
      return true;
  return false;
}

int lsm_check(const char *apparmor_profile, const char *apparmor_what,
              const char *selinux_label, const char *selinux_what, hrun_error *err)
{
  if (apparmor_profile && apparmor_profile[0] && !lsm_apparmor_enabled())
    return err_set(err, 0, "%s: AppArmor is not enabled on this host (its kernel does not "
                           "run the AppArmor LSM), so the profile \"%s\" cannot be applied",
                   apparmor_what, apparmor_profile);
  if (apparmor_profile && apparmor_profile[0] && !apparmor_profile_loaded(apparmor_profile))
    return err_set(err, 0, "%s: AppArmor profile \"%s\" is not loaded (apparmor_parser -a "
                           "loads it)", apparmor_what, apparmor_profile);
  if (selinux_label && selinux_label[0] && !lsm_selinux_enabled())
    return err_set(err, 0, "%s: SELinux is not enabled on this host (no selinuxfs), so the "
                           "label \"%s\" cannot be applied",
                   selinux_what, selinux_label);
  return 0;
}

/* Writes value to /proc/self/attr/<path>, once the file is known to be on
 * a real procfs (a fake /proc in the container could swallow the label). */
static int write_attr(const char *path, const char *value, hrun_error *err)
{
  char full[64];
  cleanup_close int fd = -1;
  struct statfs fs;
  size_t len = strlen(value);

  snprintf(full, sizeof(full), "/proc/self/attr/%s", path);
  fd = open(full, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return err_set(err, errno, "open %s", full);
  if (fstatfs(fd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC)
    return err_set(err, 0, "%s is not on procfs", full);
  if (write(fd, value, len) != (ssize_t)len)
    return err_set(err, errno, "write %s", full);
  return 0;
}

int lsm_set_exec_labels(const char *apparmor_profile, const char *selinux_label,
                        hrun_error *err)
{
  char cmd[4096];

  if (apparmor_profile && apparmor_profile[0]) {
    snprintf(cmd, sizeof(cmd), "exec %s", apparmor_profile);
    /* The per-LSM directory first (kernels with stacked LSMs), then the
     * old shared file. */
    if (write_attr("apparmor/exec", cmd, err) < 0 && write_attr("exec", cmd, err) < 0)
      return err_wrap(err, "AppArmor profile %s", apparmor_profile);
  }
  if (selinux_label && selinux_label[0] && write_attr("exec", selinux_label, err) < 0)
    return err_wrap(err, "SELinux label %s", selinux_label);
  return 0;
}
