/* The default config.json, member for member as runc 1.1's `runc spec`
 * (libcontainer/specconv/example.go and ToRootless) writes it. */
#include "libcontainer/spec/spec_default.h"

#include <string.h>
#include <unistd.h>

#include "libcontainer/spec/spec.h"

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

struct default_mount {
  const char *destination;
  const char *type;
  const char *source;
  const char *const *options; /* NULL: no "options" member */
};

static const struct default_mount mounts[] = {
    {"/proc", "proc", "proc", NULL},
    {"/dev", "tmpfs", "tmpfs", NAMES("nosuid", "strictatime", "mode=755", "size=65536k")},
    {"/dev/pts", "devpts", "devpts",
     NAMES("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")},
    {"/dev/shm", "tmpfs", "shm",
     NAMES("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")},
    {"/dev/mqueue", "mqueue", "mqueue", NAMES("nosuid", "noexec", "nodev")},
    {"/sys", "sysfs", "sysfs", NAMES("nosuid", "noexec", "nodev", "ro")},
    {"/sys/fs/cgroup", "cgroup", "cgroup",
     NAMES("nosuid", "noexec", "nodev", "relatime", "ro")},
};

/* Without a network namespace of its own, a rootless container may not mount
 * sysfs: it gets the host's, read-only. */
static const struct default_mount rootless_sys = {
    "/sys", "none", "/sys", NAMES("rbind", "nosuid", "noexec", "nodev", "ro")};

static const char *const masked_paths[] = {
    "/proc/acpi",        "/proc/asound",     "/proc/kcore",       "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/sys/firmware",     "/proc/scsi",       NULL,
};

static const char *const readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

static void write_strings(json_writer *w, const char *key, const char *const *v)
{
  jw_key(w, key);
  jw_array_begin(w);
  for (; *v; v++)
    jw_string(w, *v);
  jw_array_end(w);
}

/* The runc default: only what an unprivileged shell may need. */
static void write_capabilities(json_writer *w)
{
  static const char *const sets[] = {"bounding", "effective", "permitted", "ambient", NULL};
  const char *const *set;

  jw_key(w, "capabilities");
  jw_object_begin(w);
  for (set = sets; *set; set++)
    write_strings(w, *set, NAMES("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"));
  jw_object_end(w);
}

static void write_process(json_writer *w)
{
  jw_key(w, "process");
  jw_object_begin(w);
  jw_key(w, "terminal");
  jw_bool(w, true);
  jw_key(w, "user");
  jw_object_begin(w);
  jw_key(w, "uid");
  jw_int(w, 0);
  jw_key(w, "gid");
  jw_int(w, 0);
  jw_object_end(w);
  write_strings(w, "args", NAMES("sh"));
  write_strings(w, "env", NAMES("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                "TERM=xterm"));
  jw_key(w, "cwd");
  jw_string(w, "/");
  write_capabilities(w);
  jw_key(w, "rlimits");
  jw_array_begin(w);
  jw_object_begin(w);
  jw_key(w, "type");
  jw_string(w, "RLIMIT_NOFILE");
  jw_key(w, "hard");
  jw_int(w, 1024);
  jw_key(w, "soft");
  jw_int(w, 1024);
  jw_object_end(w);
  jw_array_end(w);
  jw_key(w, "noNewPrivileges");
  jw_bool(w, true);
  jw_object_end(w);
}

/* runc's ToRootless drops uid= and gid= options: the ids may not be mapped. */
static bool keep_option(const char *opt, bool rootless)
{
  return !rootless || (strncmp(opt, "uid=", 4) != 0 && strncmp(opt, "gid=", 4) != 0);
}

static void write_mount(json_writer *w, const struct default_mount *m, bool rootless)
{
  const char *const *o;

  jw_object_begin(w);
  jw_key(w, "destination");
  jw_string(w, m->destination);
  jw_key(w, "type");
  jw_string(w, m->type);
  jw_key(w, "source");
  jw_string(w, m->source);
  if (m->options) {
    jw_key(w, "options");
    jw_array_begin(w);
    for (o = m->options; *o; o++)
      if (keep_option(*o, rootless))
        jw_string(w, *o);
    jw_array_end(w);
  }
  jw_object_end(w);
}

static void write_mounts(json_writer *w, bool rootless)
{
  size_t i;

  jw_key(w, "mounts");
  jw_array_begin(w);
  for (i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
    const struct default_mount *m = &mounts[i];

    if (rootless && strcmp(m->destination, "/sys") == 0)
      m = &rootless_sys;
    write_mount(w, m, rootless);
  }
  jw_array_end(w);
}

/* Maps container root to the caller, the one id it may map without help. */
static void write_id_mapping(json_writer *w, const char *key, unsigned int host_id)
{
  jw_key(w, key);
  jw_array_begin(w);
  jw_object_begin(w);
  jw_key(w, "containerID");
  jw_uint(w, 0);
  jw_key(w, "hostID");
  jw_uint(w, host_id);
  jw_key(w, "size");
  jw_uint(w, 1);
  jw_object_end(w);
  jw_array_end(w);
}

/* Deny every device; the default /dev only holds what the runtime creates. */
static void write_resources(json_writer *w)
{
  jw_key(w, "resources");
  jw_object_begin(w);
  jw_key(w, "devices");
  jw_array_begin(w);
  jw_object_begin(w);
  jw_key(w, "allow");
  jw_bool(w, false);
  jw_key(w, "access");
  jw_string(w, "rwm");
  jw_object_end(w);
  jw_array_end(w);
  jw_object_end(w);
}

static void write_namespaces(json_writer *w, bool rootless)
{
  const char *const *ns = rootless ? NAMES("pid", "ipc", "uts", "mount", "user")
                                   : NAMES("pid", "network", "ipc", "uts", "mount");

  jw_key(w, "namespaces");
  jw_array_begin(w);
  for (; *ns; ns++) {
    jw_object_begin(w);
    jw_key(w, "type");
    jw_string(w, *ns);
    jw_object_end(w);
  }
  jw_array_end(w);
}

static void write_linux(json_writer *w, bool rootless)
{
  jw_key(w, "linux");
  jw_object_begin(w);
  if (rootless) {
    write_id_mapping(w, "uidMappings", geteuid());
    write_id_mapping(w, "gidMappings", getegid());
  } else {
    write_resources(w);
  }
  write_namespaces(w, rootless);
  write_strings(w, "maskedPaths", masked_paths);
  write_strings(w, "readonlyPaths", readonly_paths);
  jw_object_end(w);
}

void spec_default_write(json_writer *w, bool rootless)
{
  jw_object_begin(w);
  jw_key(w, "ociVersion");
  jw_string(w, HRUN_SPEC_VERSION);
  write_process(w);
  jw_key(w, "root");
  jw_object_begin(w);
  jw_key(w, "path");
  jw_string(w, "rootfs");
  jw_key(w, "readonly");
  jw_bool(w, true);
  jw_object_end(w);
  jw_key(w, "hostname");
  jw_string(w, "hrun");
  write_mounts(w, rootless);
  write_linux(w, rootless);
  jw_object_end(w);
}
