#include "libcontainer/rootfs/sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "libcontainer/util/fsutil.h"
#include "libcontainer/spec/spec.h"

static const struct {
  const char *prefix; /* a key equal to it, or starting with it when it ends in '.' */
  int ns;
} namespaced[] = {
    {"kernel.msgmax", CLONE_NEWIPC},
    {"kernel.msgmnb", CLONE_NEWIPC},
    {"kernel.msgmni", CLONE_NEWIPC},
    {"kernel.sem", CLONE_NEWIPC},
    {"kernel.shmall", CLONE_NEWIPC},
    {"kernel.shmmax", CLONE_NEWIPC},
    {"kernel.shmmni", CLONE_NEWIPC},
    {"kernel.shm_rmid_forced", CLONE_NEWIPC},
    {"fs.mqueue.", CLONE_NEWIPC},
    {"net.", CLONE_NEWNET},
    {"kernel.hostname", CLONE_NEWUTS},
    {"kernel.domainname", CLONE_NEWUTS},
};

static int key_namespace(const char *key)
{
  size_t i;

  for (i = 0; i < sizeof(namespaced) / sizeof(namespaced[0]); i++) {
    const char *p = namespaced[i].prefix;
    size_t n = strlen(p);
    if (p[n - 1] == '.' ? strncmp(key, p, n) == 0 : strcmp(key, p) == 0)
      return namespaced[i].ns;
  }
  return 0;
}

/* The hostname and domainname fields say what they are: a sysctl that
 * says otherwise is refused, one that agrees (or stands alone) is written.
 * (runc refuses kernel.hostname even when it agrees or stands alone, and
 * lets a conflicting kernel.domainname win.) */
static int check_uts_conflict(const struct oci_spec *spec, const struct spec_kv *kv,
                              hrun_error *err)
{
  const char *field = NULL, *value = NULL;
  char q1[128], q2[128];

  if (strcmp(kv->key, "kernel.hostname") == 0)
    field = "hostname", value = spec->hostname;
  else if (strcmp(kv->key, "kernel.domainname") == 0)
    field = "domainname", value = spec->domainname;
  if (!field || !value || strcmp(value, kv->value) == 0)
    return 0;
  return err_set(err, 0, "linux.sysctl.%s (\"%s\") conflicts with the %s field (\"%s\")",
                 kv->key, err_quote(kv->value, q1, sizeof(q1)), field,
                 err_quote(value, q2, sizeof(q2)));
}

static bool key_is_safe(const char *key)
{
  return key[0] && !strchr(key, '/') && !strstr(key, "..") && key[0] != '.';
}

int sysctl_validate(const struct oci_spec *spec, hrun_error *err)
{
  size_t i;

  for (i = 0; i < spec->linux_cfg.n_sysctl; i++) {
    const char *key = spec->linux_cfg.sysctl[i].key;
    int ns = key_namespace(key);

    if (!key_is_safe(key))
      return err_set(err, 0, "linux.sysctl.%s: not a valid sysctl name", key);
    if (!ns)
      return err_set(err, 0, "linux.sysctl.%s: not a namespaced sysctl: it would change the host",
                     key);
    if (!spec_namespace(spec, ns))
      return err_set(err, 0, "linux.sysctl.%s: needs the container's own %s namespace", key,
                     spec_namespace_name(ns));
    if (check_uts_conflict(spec, &spec->linux_cfg.sysctl[i], err) < 0)
      return -1;
  }
  return 0;
}

int sysctl_apply(const struct oci_spec *spec, hrun_error *err)
{
  size_t i;

  for (i = 0; i < spec->linux_cfg.n_sysctl; i++) {
    const struct spec_kv *kv = &spec->linux_cfg.sysctl[i];
    char path[512], *p;

    snprintf(path, sizeof(path), "/proc/sys/%s", kv->key);
    for (p = path + strlen("/proc/sys/"); *p; p++)
      if (*p == '.')
        *p = '/';
    if (write_file_at(AT_FDCWD, path, kv->value, strlen(kv->value), err) < 0)
      return err_wrap(err, "linux.sysctl.%s", kv->key);
  }
  return 0;
}
