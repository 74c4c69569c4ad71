#include "libcontainer/cgroups/intelrdt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/spec/spec.h"

int intelrdt_mount_point(char **mnt, hrun_error *err)
{
  cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");

  *mnt = NULL;
  if (!f)
    return err_set(err, errno, "open /proc/self/mountinfo");
  return intelrdt_mount_point_in(f, mnt, err);
}

int intelrdt_mount_point_in(FILE *f, char **mnt, hrun_error *err)
{
  cleanup_free char *line = NULL;
  char mp[4096], fstype[64];
  size_t cap = 0;
  const char *sep;

  *mnt = NULL;
  errno = 0;
  while (!*mnt && getline(&line, &cap, f) > 0) {
    sep = strstr(line, " - ");
    if (sep && sscanf(sep + 3, "%63s", fstype) == 1 && strcmp(fstype, "resctrl") == 0 &&
        sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1)
      *mnt = xstrdup(mp);
  }
  return *mnt ? 0 : stream_check(f, "/proc/self/mountinfo", err);
}

int intelrdt_update(const char *id, const struct spec_intel_rdt *rdt,
                    const char *l3_schema, const char *mb_schema, hrun_error *err)
{
  const char *opt = l3_schema ? "--l3-cache-schema" : "--mem-bw-schema";
  struct spec_intel_rdt change = {.l3_cache_schema = (char *)l3_schema,
                                  .mem_bw_schema = (char *)mb_schema};
  cleanup_free char *mnt = NULL, *group = NULL, *mon = NULL, *file = NULL, *text = NULL;

  if (!l3_schema && !mb_schema)
    return 0;
  if (intelrdt_mount_point(&mnt, err) < 0)
    return err_wrap(err, "%s", opt);
  if (!mnt)
    return err_set(err, 0, "%s: this host has no Intel RDT (no resctrl file system is "
                           "mounted, e.g. on /sys/fs/resctrl)", opt);
  if (!rdt)
    return err_set(err, 0, "%s: container %s has no Intel RDT group (its config has no "
                           "linux.intelRdt)", opt, id);
  intelrdt_paths(mnt, rdt, id, &group, &mon);
  file = xasprintf("%s/schemata", group);
  text = intelrdt_schemata(&change);
  if (write_file_at(AT_FDCWD, file, text, strlen(text), err) < 0)
    return err_wrap(err, "%s", opt);
  return 0;
}

static int no_resctrl(hrun_error *err)
{
  return err_set(err, 0, "linux.intelRdt: this host has no Intel RDT (no resctrl file system "
                         "is mounted, e.g. on /sys/fs/resctrl)");
}

static bool has_schema(const struct spec_intel_rdt *rdt)
{
  return rdt->l3_cache_schema || rdt->mem_bw_schema || rdt->schemata.len;
}

int intelrdt_check(const struct oci_spec *spec, hrun_error *err)
{
  const struct spec_intel_rdt *rdt = spec->linux_cfg.intel_rdt;
  cleanup_free char *mnt = NULL, *group = NULL, *mon = NULL;
  struct stat st;

  if (!rdt)
    return 0;
  if (intelrdt_mount_point(&mnt, err) < 0)
    return err_wrap(err, "linux.intelRdt");
  if (!mnt)
    return no_resctrl(err);
  intelrdt_paths(mnt, rdt, "x", &group, &mon);
  if (rdt->clos_id && !has_schema(rdt) && stat(group, &st) < 0)
    return err_set(err, errno, "linux.intelRdt.closID: no resctrl group %s (without a schema "
                               "it must exist beforehand)", group);
  return 0;
}

void intelrdt_paths(const char *root, const struct spec_intel_rdt *rdt, const char *id,
                    char **group, char **mon)
{
  *group = xasprintf("%s/%s", root, rdt->clos_id ? rdt->clos_id : id);
  *mon = rdt->enable_monitoring ? xasprintf("%s/mon_groups/%s", *group, id) : NULL;
}

char *intelrdt_schemata(const struct spec_intel_rdt *rdt)
{
  const char *first[] = {rdt->l3_cache_schema, rdt->mem_bw_schema};
  char *text = xstrdup(""), *next;
  size_t i;

  for (i = 0; i < 2 + rdt->schemata.len; i++) {
    const char *line = i < 2 ? first[i] : rdt->schemata.items[i - 2];
    if (!line || !line[0])
      continue;
    next = xasprintf("%s%s\n", text, line);
    free(text);
    text = next;
  }
  if (!text[0]) {
    free(text);
    return NULL;
  }
  return text;
}

static int add_task(const char *dir, pid_t pid, hrun_error *err)
{
  cleanup_free char *tasks = xasprintf("%s/tasks", dir);
  char buf[32];

  snprintf(buf, sizeof(buf), "%d", pid);
  return write_file_at(AT_FDCWD, tasks, buf, strlen(buf), err);
}

static int apply_group(const char *group, const struct spec_intel_rdt *rdt, pid_t pid,
                       hrun_error *err)
{
  cleanup_free char *schemata = intelrdt_schemata(rdt);
  cleanup_free char *file = xasprintf("%s/schemata", group);

  if (mkdir(group, 0755) < 0 && errno != EEXIST)
    return err_set(err, errno, "make the resctrl group %s", group);
  if (schemata && write_file_at(AT_FDCWD, file, schemata, strlen(schemata), err) < 0)
    return -1;
  return add_task(group, pid, err);
}

int intelrdt_apply_at(const char *root, const struct spec_intel_rdt *rdt, const char *id,
                      pid_t pid, hrun_error *err)
{
  cleanup_free char *group = NULL, *mon = NULL;

  intelrdt_paths(root, rdt, id, &group, &mon);
  if (apply_group(group, rdt, pid, err) < 0)
    return err_wrap(err, "linux.intelRdt");
  if (mon && mkdir(mon, 0755) < 0 && errno != EEXIST)
    return err_set(err, errno, "linux.intelRdt.enableMonitoring: make %s", mon);
  if (mon && add_task(mon, pid, err) < 0)
    return err_wrap(err, "linux.intelRdt.enableMonitoring");
  return 0;
}

int intelrdt_apply(const struct oci_spec *spec, const char *id, pid_t pid, hrun_error *err)
{
  cleanup_free char *mnt = NULL;

  if (!spec->linux_cfg.intel_rdt)
    return 0;
  if (intelrdt_mount_point(&mnt, err) < 0)
    return err_wrap(err, "linux.intelRdt");
  if (!mnt)
    return no_resctrl(err);
  return intelrdt_apply_at(mnt, spec->linux_cfg.intel_rdt, id, pid, err);
}

int intelrdt_remove_at(const char *root, const struct spec_intel_rdt *rdt, const char *id,
                       hrun_error *err)
{
  cleanup_free char *group = NULL, *mon = NULL;
  const char *dir;

  intelrdt_paths(root, rdt, id, &group, &mon);
  dir = rdt->clos_id ? mon : group;
  if (dir && rmdir(dir) < 0 && errno != ENOENT)
    return err_set(err, errno, "remove the resctrl group %s", dir);
  return 0;
}

int intelrdt_remove(const struct oci_spec *spec, const char *id, hrun_error *err)
{
  cleanup_free char *mnt = NULL;

  if (!spec->linux_cfg.intel_rdt)
    return 0;
  if (intelrdt_mount_point(&mnt, err) < 0)
    return -1;
  if (!mnt)
    return 0; /* resctrl gone: so is the group */
  return intelrdt_remove_at(mnt, spec->linux_cfg.intel_rdt, id, err);
}
