/* The systemd cgroup driver (--systemd-cgroup, --cgroup-manager systemd):
 * the container's cgroup is a transient scope unit that systemd creates
 * through its D-Bus API, with Delegate=yes so that hrun (and the container)
 * may manage what is below it. Only on a cgroup v2 host.
 *
 * Three parts, one file each: cgroupsPath -> unit and directory
 * (cgroup_systemd_path.c), resources -> unit properties
 * (cgroup_systemd_props.c), and the D-Bus calls (cgroup_systemd.c). */
#ifndef HRUN_CGROUP_SYSTEMD_H
#define HRUN_CGROUP_SYSTEMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"

struct spec_resources;

/* ---- cgroupsPath (cgroup_systemd_path.c) ------------------------------ */

struct systemd_scope {
  char *slice;    /* "system.slice" */
  char *unit;     /* "<prefix>-<name>.scope" */
  char *rel_path; /* "/system.slice/<unit>", inside the cgroup2 hierarchy */
};

/* "slice:prefix:name" as runc reads it: an empty slice is system.slice, an
 * empty prefix gives "<name>.scope". Absent (NULL or ""): system.slice,
 * prefix "hrun", the container id. Errors name linux.cgroupsPath. */
int systemd_scope_parse(const char *cgroups_path, const char *id, struct systemd_scope *out,
                        hrun_error *err);

/* The cgroup path of a slice: "a-b.slice" -> "/a.slice/a-b.slice", "-.slice"
 * -> "" (the root). NULL and err set when the name is no valid slice. */
char *systemd_slice_path(const char *slice, hrun_error *err);

void systemd_scope_free(struct systemd_scope *s);

/* The container's cgroup: the scope's directory in the cgroup2 hierarchy,
 * with out->unit set. Nothing is created. */
struct cgroup_paths;
void systemd_scope_paths(const struct systemd_scope *s, struct cgroup_paths *out);

/* Whether a name read back from state.json is a scope unit's. */
bool systemd_unit_name_ok(const char *unit);

/* ---- unit properties (cgroup_systemd_props.c) -------------------------- */

enum sd_prop_type {
  SD_PROP_STRING,  /* s */
  SD_PROP_BOOL,    /* b */
  SD_PROP_U64,     /* t */
  SD_PROP_BYTES,   /* ay: a CPU or NUMA node mask */
  SD_PROP_PIDS,    /* au */
  SD_PROP_DEVICES, /* a(ss): path, access */
};

struct sd_device_allow {
  char *path;
  char access[4];
};

struct sd_prop {
  const char *name;
  enum sd_prop_type type;
  char *str;
  bool b;
  uint64_t u64;
  uint8_t *bytes; /* also the PIDs (uint32_t) */
  size_t n;       /* bytes: count; PIDs: count of pids; devices: count */
  struct sd_device_allow *devices;
};

struct sd_props {
  struct sd_prop *v;
  size_t n;
};

#define SD_INFINITY UINT64_MAX

/* The unit properties for res (may be NULL: none), in the order systemd
 * gets them; those it has no property for are left to the cgroup files.
 * Errors name the resource. */
int sd_props_from_resources(const struct spec_resources *res, struct sd_props *out,
                            hrun_error *err);

/* What StartTransientUnit gets: Description, Slice, Delegate, the
 * accounting switches, PIDs=[pid], then the resources' properties. */
int sd_props_for_start(const struct systemd_scope *s, const char *id, pid_t pid,
                       const struct spec_resources *res, struct sd_props *out, hrun_error *err);

/* Appends an empty property of that type. */
struct sd_prop *sd_props_add(struct sd_props *p, const char *name, enum sd_prop_type type);

/* DevicePolicy and DeviceAllow for the device rules of r, when there are
 * rules and systemd can express them (an allow list after a deny of all,
 * or an allow of all); else nothing: the eBPF program that hrun attaches
 * to the scope (cgroup_devices_v2.c) enforces them either way
 * (cgroup_systemd_devices.c). */
void sd_devices_props(const struct spec_resources *r, struct sd_props *p);

const struct sd_prop *sd_props_find(const struct sd_props *p, const char *name);
void sd_props_free(struct sd_props *p);

/* "0-3,5" -> the little-endian bit mask systemd's AllowedCPUs= takes. */
int sd_cpu_mask(const char *list, uint8_t **mask, size_t *n, const char *field,
                hrun_error *err);

/* ---- the D-Bus calls (cgroup_systemd.c) ------------------------------- */

/* Whether systemd is PID 1 and its bus answers: the one-line error of
 * --systemd-cgroup when not. */
int systemd_check(hrun_error *err);

/* Starts s->unit with pid in it and waits for its job. */
int systemd_scope_start(const struct systemd_scope *s, const char *id, pid_t pid,
                        const struct spec_resources *res, hrun_error *err);

/* SetUnitProperties (runtime) with res's properties. */
int systemd_scope_update(const char *unit, const struct spec_resources *res, hrun_error *err);

/* Stops unit and waits; a unit that is gone already is no error. */
int systemd_scope_stop(const char *unit, hrun_error *err);

#endif
