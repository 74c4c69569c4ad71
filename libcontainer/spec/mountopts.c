#include "libcontainer/spec/mountopts.h"

#include <linux/mount.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mount.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec.h"

struct flag_opt {
  const char *name;
  bool clear; /* the option clears the flag ("rw", "suid") */
  unsigned long flag;
};

static const struct flag_opt flag_opts[] = {
    {"defaults", false, 0},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"suid", true, MS_NOSUID},
    {"nosuid", false, MS_NOSUID},
    {"dev", true, MS_NODEV},
    {"nodev", false, MS_NODEV},
    {"exec", true, MS_NOEXEC},
    {"noexec", false, MS_NOEXEC},
    {"sync", false, MS_SYNCHRONOUS},
    {"async", true, MS_SYNCHRONOUS},
    {"dirsync", false, MS_DIRSYNC},
    {"remount", false, MS_REMOUNT},
    {"mand", false, MS_MANDLOCK},
    {"nomand", true, MS_MANDLOCK},
    {"atime", true, MS_NOATIME},
    {"noatime", false, MS_NOATIME},
    {"diratime", true, MS_NODIRATIME},
    {"nodiratime", false, MS_NODIRATIME},
    {"relatime", false, MS_RELATIME},
    {"norelatime", true, MS_RELATIME},
    {"strictatime", false, MS_STRICTATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"lazytime", false, MS_LAZYTIME},
    {"nolazytime", true, MS_LAZYTIME},
    {"silent", false, MS_SILENT},
    {"loud", true, MS_SILENT},
    {"nosymfollow", false, MS_NOSYMFOLLOW},
    {"symfollow", true, MS_NOSYMFOLLOW},
};

static const struct {
  const char *name;
  unsigned long flags;
} propagation_opts[] = {
    {"private", MS_PRIVATE},
    {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},
    {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},
    {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE},
    {"runbindable", MS_UNBINDABLE | MS_REC},
};

struct attr_opt {
  const char *name;
  bool clear;
  uint64_t attr;
  bool atime; /* one of the atime modes, which share one field */
};

/* Recursive variants, applied with mount_setattr(AT_RECURSIVE). */
static const struct attr_opt attr_opts[] = {
    {"rro", false, MOUNT_ATTR_RDONLY, false},
    {"rrw", true, MOUNT_ATTR_RDONLY, false},
    {"rnosuid", false, MOUNT_ATTR_NOSUID, false},
    {"rsuid", true, MOUNT_ATTR_NOSUID, false},
    {"rnodev", false, MOUNT_ATTR_NODEV, false},
    {"rdev", true, MOUNT_ATTR_NODEV, false},
    {"rnoexec", false, MOUNT_ATTR_NOEXEC, false},
    {"rexec", true, MOUNT_ATTR_NOEXEC, false},
    {"rnodiratime", false, MOUNT_ATTR_NODIRATIME, false},
    {"rdiratime", true, MOUNT_ATTR_NODIRATIME, false},
    {"rnoatime", false, MOUNT_ATTR_NOATIME, true},
    {"rstrictatime", false, MOUNT_ATTR_STRICTATIME, true},
    {"rrelatime", false, MOUNT_ATTR_RELATIME, true}, /* the value 0 */
    {"rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW, false},
    {"rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW, false},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

unsigned long mountopts_propagation(const char *name)
{
  size_t i;

  for (i = 0; i < COUNT(propagation_opts); i++)
    if (strcmp(propagation_opts[i].name, name) == 0)
      return propagation_opts[i].flags;
  return 0;
}

static bool apply_flag_opt(struct spec_mount *m, const char *opt)
{
  size_t i;

  for (i = 0; i < COUNT(flag_opts); i++) {
    if (strcmp(flag_opts[i].name, opt) != 0)
      continue;
    if (flag_opts[i].clear) {
      m->flags &= ~flag_opts[i].flag;
      m->clear_flags |= flag_opts[i].flag;
    } else {
      m->flags |= flag_opts[i].flag;
      m->clear_flags &= ~flag_opts[i].flag;
    }
    return true;
  }
  return false;
}

static bool apply_attr_opt(struct spec_mount *m, const char *opt)
{
  size_t i;

  for (i = 0; i < COUNT(attr_opts); i++) {
    if (strcmp(attr_opts[i].name, opt) != 0)
      continue;
    if (attr_opts[i].atime) {
      /* One field for all atime modes: the last one given wins, and
       * mount_setattr wants the whole field cleared to change it. */
      m->attr_set = (m->attr_set & ~MOUNT_ATTR__ATIME) | attr_opts[i].attr;
      m->attr_clr |= MOUNT_ATTR__ATIME;
    } else if (attr_opts[i].clear) {
      m->attr_set &= ~attr_opts[i].attr;
      m->attr_clr |= attr_opts[i].attr;
    } else {
      m->attr_set |= attr_opts[i].attr;
      m->attr_clr &= ~attr_opts[i].attr;
    }
    return true;
  }
  return false;
}

static void append_data(struct arena *arena, struct spec_mount *m, const char *opt)
{
  m->data = m->data ? arena_sprintf(arena, "%s,%s", m->data, opt)
                    : arena_strdup(arena, opt);
}

int mountopts_parse(struct arena *arena, struct spec_mount *m, hrun_error *err)
{
  size_t i;

  (void)err;
  if (m->type && strcmp(m->type, "bind") == 0)
    m->is_bind = true;
  for (i = 0; i < m->options.len; i++) {
    const char *opt = m->options.items[i];
    unsigned long prop;

    if (strcmp(opt, "bind") == 0) {
      m->is_bind = true;
    } else if (strcmp(opt, "rbind") == 0) {
      m->is_bind = true;
      m->is_recursive_bind = true;
    } else if (strcmp(opt, "idmap") == 0 || strcmp(opt, "ridmap") == 0) {
      m->idmap = true;
      m->idmap_recursive = opt[0] == 'r';
    } else if ((prop = mountopts_propagation(opt)) != 0) {
      m->propagation = prop;
    } else if (!apply_flag_opt(m, opt) && !apply_attr_opt(m, opt)) {
      append_data(arena, m, opt);
    }
  }
  return 0;
}
