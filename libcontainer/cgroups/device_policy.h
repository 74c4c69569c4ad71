/* What the cgroup v1 devices controller makes of a rule list, so that the
 * cgroup v2 program decides as v1 does. */
#ifndef HRUN_DEVICE_POLICY_H
#define HRUN_DEVICE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/util/error.h"

struct spec_device_rule;

enum { DEV_ACC_R = 1, DEV_ACC_W = 2, DEV_ACC_M = 4 };

struct device_exception {
  char type; /* 'c' or 'b' */
  int64_t major, minor; /* -1 = any */
  unsigned access; /* DEV_ACC_* */
};

/* v1's state after "a" to devices.deny and then each rule in order: the
 * default, and the exceptions to it. */
struct device_policy {
  bool default_allow;
  struct device_exception *ex; /* malloc'ed */
  size_t n;
};

/* Replays rules as v1 does: "a" resets to allow or deny everything; a rule
 * against the default adds its access to the exception of exactly its
 * type, major and minor; a rule with the default takes its access from
 * that exact exception only. A rule of the latter kind that a wildcard
 * exception with the same access covers is an error naming it: v1 would
 * ignore it silently (runc refuses it too). device_policy_free() after. */
int device_policy_build(const struct spec_device_rule *rules, size_t n,
                        struct device_policy *out, hrun_error *err);
void device_policy_free(struct device_policy *p);

/* Whether v1 lets a request of access (DEV_ACC_*) to type major:minor
 * through: with default deny, one exception must cover the whole access;
 * with default allow, any exception overlapping it denies. */
bool device_policy_allows(const struct device_policy *p, char type, uint32_t major,
                          uint32_t minor, unsigned access);

#endif
