/* Intel RDT (cache allocation, memory bandwidth) through the resctrl file
 * system. */
#ifndef HRUN_INTELRDT_H
#define HRUN_INTELRDT_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"

struct oci_spec;
struct spec_intel_rdt;

/* Whether a resctrl file system is mounted; its mount point in *mnt
 * (malloc'ed) when it is. -1 with err when mountinfo cannot be read. */
int intelrdt_mount_point(char **mnt, hrun_error *err);
/* The same from mountinfo text in f (the parser alone, for fuzzing). */
int intelrdt_mount_point_in(FILE *f, char **mnt, hrun_error *err);

/* `update --l3-cache-schema / --mem-bw-schema`: written to the schemata
 * of the container's group (rdt: its config's linux.intelRdt); nothing
 * when both are NULL; a clear error when this host has no resctrl, or the
 * container no RDT group (no linux.intelRdt). */
int intelrdt_update(const char *id, const struct spec_intel_rdt *rdt,
                    const char *l3_schema, const char *mb_schema, hrun_error *err);

/* linux.intelRdt at create, as runc does it: the group is
 * <resctrl>/<closID>, or <resctrl>/<container id> without a closID; a
 * closID without any schema must name a group made beforehand. The
 * schemata (l3CacheSchema, memBwSchema, then each schemata line) are
 * written to its schemata file, the init's pid to its tasks, and with
 * enableMonitoring the same pid to mon_groups/<id>/tasks in it. */

/* Refused, naming linux.intelRdt, where this host has no resctrl or no
 * such group. Nothing without linux.intelRdt. */
int intelrdt_check(const struct oci_spec *spec, hrun_error *err);
/* The group and monitoring group directories under root (malloc'ed;
 * *mon NULL without enableMonitoring). */
void intelrdt_paths(const char *root, const struct spec_intel_rdt *rdt, const char *id,
                    char **group, char **mon);
/* The text for the schemata file (malloc'ed), NULL when no schema. */
char *intelrdt_schemata(const struct spec_intel_rdt *rdt);
/* Puts pid in the container's group under root (a resctrl mount point). */
int intelrdt_apply_at(const char *root, const struct spec_intel_rdt *rdt, const char *id,
                      pid_t pid, hrun_error *err);
/* The same on this host's resctrl (nothing without linux.intelRdt). */
int intelrdt_apply(const struct oci_spec *spec, const char *id, pid_t pid, hrun_error *err);
/* At delete: the group named after the container goes; a closID group is
 * shared and stays, only the container's monitoring group in it goes. */
int intelrdt_remove_at(const char *root, const struct spec_intel_rdt *rdt, const char *id,
                       hrun_error *err);
int intelrdt_remove(const struct oci_spec *spec, const char *id, hrun_error *err);

#endif
