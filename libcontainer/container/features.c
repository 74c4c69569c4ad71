/* `hrun features`: the runtime-spec features document. The names come from
 * the parsers that accept them (mountopts.c, spec.c, spec_seccomp.c,
 * spec_procattrs.c); they are
 * repeated in one table here because those parsers keep theirs private, and
 * the mount options are checked against mountopts_parse() at run time so that
 * the document never claims an option hrun would pass to the filesystem as
 * data. */
#include "libcontainer/container/features.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/security/caps.h"
#include "libcontainer/spec/mountopts.h"
#include "libcontainer/security/seccomp.h"
#include "libcontainer/spec/spec.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

enum feature_list {
  FL_HOOKS,
  FL_MOUNT_OPTIONS,
  FL_NAMESPACES,
  FL_SECCOMP_ACTIONS,
  FL_SECCOMP_OPERATORS,
  FL_SECCOMP_ARCHS,
  FL_SECCOMP_FLAGS,
  FL_MPOL_MODES,
  FL_MPOL_FLAGS,
  FL_COUNT,
};

/* Every list of the document; sorted as runc sorts them. */
static const char *const *const lists[FL_COUNT] = {
    [FL_HOOKS] = NAMES("prestart", "createRuntime", "createContainer", "startContainer",
                       "poststart", "poststop"),
    /* mountopts.c: flags, propagation, recursive attributes, bind/rbind. */
    [FL_MOUNT_OPTIONS] = NAMES(
        "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
        "idmap", "lazytime", "loud", "mand", "noatime", "nodev", "nodiratime", "noexec",
        "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid", "nosymfollow",
        "private", "rbind", "rdev", "rdiratime", "relatime", "remount", "rexec", "ridmap",
        "rnoatime", "rnodev", "rnodiratime", "rnoexec", "rnosuid", "rnosymfollow", "ro",
        "rprivate", "rrelatime", "rro", "rrw", "rshared", "rslave", "rstrictatime",
        "rsuid", "rsymfollow", "runbindable", "rw", "shared", "silent", "slave",
        "strictatime", "suid", "symfollow", "sync", "unbindable"),
    [FL_NAMESPACES] = NAMES("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"),
    [FL_SECCOMP_ACTIONS] = NAMES("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
                                 "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                                 "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE",
                                 "SCMP_ACT_TRAP"),
    [FL_SECCOMP_OPERATORS] = NAMES("SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE",
                                   "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"),
    [FL_SECCOMP_ARCHS] = NAMES(
        "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
        "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
        "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC",
        "SCMP_ARCH_PARISC64", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
        "SCMP_ARCH_RISCV64", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_SH",
        "SCMP_ARCH_SHEB", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64"),
    [FL_SECCOMP_FLAGS] = NAMES("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                               "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                               "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
    /* spec_procattrs.c */
    [FL_MPOL_MODES] = NAMES("MPOL_BIND", "MPOL_DEFAULT", "MPOL_INTERLEAVE", "MPOL_LOCAL",
                            "MPOL_PREFERRED", "MPOL_PREFERRED_MANY",
                            "MPOL_WEIGHTED_INTERLEAVE"),
    [FL_MPOL_FLAGS] = NAMES("MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES",
                            "MPOL_F_STATIC_NODES"),
};

typedef bool (*name_filter)(const char *name, void *ctx);

static void write_list(json_writer *w, const char *key, enum feature_list list,
                       name_filter keep, void *ctx)
{
  const char *const *n;

  jw_key(w, key);
  jw_array_begin(w);
  for (n = lists[list]; *n; n++)
    if (!keep || keep(*n, ctx))
      jw_string(w, *n);
  jw_array_end(w);
}

/* Recognized = mountopts_parse() turns it into flags, not filesystem data. */
static bool mount_option_known(const char *name, void *ctx)
{
  char *items[] = {(char *)name, NULL};
  struct spec_mount m = {.options = {.items = items, .len = 1}};
  hrun_error err;

  return mountopts_parse(ctx, &m, &err) == 0 && m.data == NULL;
}

/* The kernel bits of each knownFlags name (WAIT_KILLABLE_RECV is only
 * accepted together with NEW_LISTENER). */
static unsigned long seccomp_flag_bits(const char *name)
{
  static const struct {
    const char *name;
    unsigned long bits;
  } bits[] = {
      {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
      {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
      {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
      {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
       SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV | SECCOMP_FILTER_FLAG_NEW_LISTENER},
  };
  size_t i;

  for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
    if (strcmp(bits[i].name, name) == 0)
      return bits[i].bits;
  return 0;
}

/* With a NULL program the kernel validates the flags, then fails to copy the
 * program: EFAULT means it knows them, EINVAL that it does not. Nothing is
 * installed either way. */
static bool seccomp_flag_supported(const char *name, void *ctx)
{
  unsigned long bits = seccomp_flag_bits(name);

  (void)ctx;
  return bits && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, bits, NULL) < 0 &&
         errno == EFAULT;
}

/* Every capability libcap can name, up to the running kernel's last one. */
static void write_capabilities(json_writer *w)
{
  int cap, last = caps_last_cap();

  jw_key(w, "capabilities");
  jw_array_begin(w);
  for (cap = 0; cap <= last; cap++) {
    char *name = cap_to_name(cap);

    /* libcap spells a capability it has no name for as its number. */
    if (name && strncmp(name, "cap_", 4) == 0) {
      for (char *p = name; *p; p++)
        if (*p >= 'a' && *p <= 'z')
          *p = (char)(*p - 'a' + 'A');
      jw_string(w, name);
    }
    cap_free(name);
  }
  jw_array_end(w);
}

static void write_bool(json_writer *w, const char *key, bool value)
{
  jw_key(w, key);
  jw_bool(w, value);
}

/* "key": {"enabled": value} */
static void write_enabled(json_writer *w, const char *key, bool value)
{
  jw_key(w, key);
  jw_object_begin(w);
  write_bool(w, "enabled", value);
  jw_object_end(w);
}

static void write_cgroup(json_writer *w)
{
  jw_key(w, "cgroup");
  jw_object_begin(w);
  write_bool(w, "v1", true);
  write_bool(w, "v2", true);
  write_bool(w, "systemd", true);
  write_bool(w, "systemdUser", false);
  write_bool(w, "rdma", false);
  jw_object_end(w);
}

static bool arch_known(const char *name, void *ctx)
{
  (void)ctx;
  return seccomp_arch_known(name);
}

static void write_seccomp(json_writer *w)
{
  jw_key(w, "seccomp");
  jw_object_begin(w);
  write_bool(w, "enabled", true);
  write_list(w, "actions", FL_SECCOMP_ACTIONS, NULL, NULL);
  write_list(w, "operators", FL_SECCOMP_OPERATORS, NULL, NULL);
  write_list(w, "archs", FL_SECCOMP_ARCHS, arch_known, NULL);
  write_list(w, "knownFlags", FL_SECCOMP_FLAGS, NULL, NULL);
  write_list(w, "supportedFlags", FL_SECCOMP_FLAGS, seccomp_flag_supported, NULL);
  jw_object_end(w);
}

static void write_linux(json_writer *w)
{
  jw_key(w, "linux");
  jw_object_begin(w);
  write_list(w, "namespaces", FL_NAMESPACES, NULL, NULL);
  write_capabilities(w);
  write_cgroup(w);
  write_seccomp(w);
  /* Supported, applied where the host has them (features-linux.md: not a
   * statement about this host); refused by name where it has not. */
  write_enabled(w, "apparmor", true);
  write_enabled(w, "selinux", true);
  write_enabled(w, "intelRdt", true);
  jw_key(w, "memoryPolicy");
  jw_object_begin(w);
  write_list(w, "modes", FL_MPOL_MODES, NULL, NULL);
  write_list(w, "flags", FL_MPOL_FLAGS, NULL, NULL);
  jw_object_end(w);
  jw_key(w, "mountExtensions");
  jw_object_begin(w);
  write_enabled(w, "idmap", true);
  jw_object_end(w);
  write_enabled(w, "netDevices", true);
  jw_object_end(w);
}

void features_write(json_writer *w, const char *version)
{
  struct arena *arena = arena_new();

  jw_object_begin(w);
  jw_key(w, "ociVersionMin");
  jw_string(w, "1.0.0");
  jw_key(w, "ociVersionMax");
  jw_string(w, HRUN_SPEC_VERSION);
  write_list(w, "hooks", FL_HOOKS, NULL, NULL);
  write_list(w, "mountOptions", FL_MOUNT_OPTIONS, mount_option_known, arena);
  write_linux(w);
  jw_key(w, "annotations");
  jw_object_begin(w);
  jw_key(w, "io.github.hrun.version");
  jw_string(w, version);
  jw_object_end(w);
  jw_object_end(w);
  arena_free(arena);
}
