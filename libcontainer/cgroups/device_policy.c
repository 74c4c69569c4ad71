/* The cgroup v1 devices controller's state after a rule list (the kernel's
 * security/device_cgroup.c, replayed in userspace), for the cgroup v2
 * program to decide as v1 does. runc does the same with its devices
 * emulator; this is hrun's own code. */
#include "libcontainer/cgroups/device_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec.h"

static unsigned access_bits(const char *access)
{
  unsigned a = 0;

  if (!access[0])
    return DEV_ACC_R | DEV_ACC_W | DEV_ACC_M;
  a |= strchr(access, 'r') ? DEV_ACC_R : 0;
  a |= strchr(access, 'w') ? DEV_ACC_W : 0;
  a |= strchr(access, 'm') ? DEV_ACC_M : 0;
  return a;
}

static const char *describe(char type, int64_t major, int64_t minor, unsigned access,
                            char *buf, size_t size)
{
  char maj[24] = "*", min[24] = "*";

  if (major >= 0)
    snprintf(maj, sizeof(maj), "%lld", (long long)major);
  if (minor >= 0)
    snprintf(min, sizeof(min), "%lld", (long long)minor);
  snprintf(buf, size, "%c %s:%s %s%s%s", type, maj, min, access & DEV_ACC_R ? "r" : "",
           access & DEV_ACC_W ? "w" : "", access & DEV_ACC_M ? "m" : "");
  return buf;
}

static int check_rule(const struct spec_device_rule *r, size_t i, hrun_error *err)
{
  if (r->type != 'a' && r->type != 'c' && r->type != 'b')
    return err_set(err, 0, "linux.resources.devices[%zu]: invalid type '%c'", i, r->type);
  if (r->major < -1 || r->major > UINT32_MAX || r->minor < -1 || r->minor > UINT32_MAX)
    return err_set(err, 0, "linux.resources.devices[%zu]: invalid major or minor", i);
  if (strspn(r->access, "rwm") != strlen(r->access))
    return err_set(err, 0, "linux.resources.devices[%zu]: invalid access \"%s\"", i, r->access);
  return 0;
}

static struct device_exception *find(struct device_policy *p, char type, int64_t major,
                                     int64_t minor)
{
  for (size_t k = 0; k < p->n; k++)
    if (p->ex[k].type == type && p->ex[k].major == major && p->ex[k].minor == minor)
      return &p->ex[k];
  return NULL;
}

/* A removal that v1 would not apply because the access sits in a wider
 * (wildcard) exception instead of the exact one. */
static int check_hole(const struct device_policy *p, const struct spec_device_rule *r,
                      unsigned access, size_t i, hrun_error *err)
{
  char want[48], wide[48];

  for (size_t k = 0; k < p->n; k++) {
    const struct device_exception *e = &p->ex[k];
    if (e->type != r->type || (e->major == r->major && e->minor == r->minor) ||
        (e->major >= 0 && e->major != r->major) || (e->minor >= 0 && e->minor != r->minor) ||
        !(e->access & access))
      continue;
    describe(r->type, r->major, r->minor, access, want, sizeof(want));
    describe(e->type, e->major, e->minor, e->access, wide, sizeof(wide));
    if (r->builtin)
      return err_set(err, 0, "linux.resources.devices: runc's default rule \"allow %s\" "
                     "cannot narrow the wider \"deny %s\" (cgroup v1 would ignore it; runc "
                     "refuses it too)", want, wide);
    return err_set(err, 0, "linux.resources.devices[%zu]: \"%s %s\" cannot narrow the wider "
                   "\"%s %s\" before it (cgroup v1 would ignore it; runc refuses it too)", i,
                   r->allow ? "allow" : "deny", want, p->default_allow ? "deny" : "allow", wide);
  }
  return 0;
}

static int apply(struct device_policy *p, const struct spec_device_rule *r, size_t i,
                 hrun_error *err)
{
  unsigned access = access_bits(r->access);
  struct device_exception *e;

  if (r->type == 'a') {
    p->default_allow = r->allow;
    p->n = 0;
    return 0;
  }
  e = find(p, r->type, r->major, r->minor);
  if (r->allow != p->default_allow) {
    if (!e) {
      e = &p->ex[p->n++];
      *e = (struct device_exception){r->type, r->major, r->minor, 0};
    }
    e->access |= access;
    return 0;
  }
  if (check_hole(p, r, access, i, err) < 0)
    return -1;
  if (e && !(e->access &= ~access))
    *e = p->ex[--p->n];
  return 0;
}

int device_policy_build(const struct spec_device_rule *rules, size_t n,
                        struct device_policy *out, hrun_error *err)
{
  *out = (struct device_policy){.ex = xmalloc0((n + 1) * sizeof(*out->ex))};
  for (size_t i = 0; i < n; i++)
    if (check_rule(&rules[i], i, err) < 0 || apply(out, &rules[i], i, err) < 0) {
      device_policy_free(out);
      return -1;
    }
  return 0;
}

void device_policy_free(struct device_policy *p)
{
  free(p->ex);
  p->ex = NULL;
  p->n = 0;
}

bool device_policy_allows(const struct device_policy *p, char type, uint32_t major,
                          uint32_t minor, unsigned access)
{
  for (size_t k = 0; k < p->n; k++) {
    const struct device_exception *e = &p->ex[k];
    if (e->type != type || (e->major >= 0 && e->major != major) ||
        (e->minor >= 0 && e->minor != minor))
      continue;
    if (p->default_allow && (e->access & access))
      return false;
    if (!p->default_allow && !(access & ~e->access))
      return true;
  }
  return p->default_allow;
}
