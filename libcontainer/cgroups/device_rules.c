/* runc's default allow list, and where it goes among the configured rules.
 *
 * runc (libcontainer/specconv AllowedDevices, 1.2.2 and later) and crun
 * (default_devices in cgroup-resources.c) append a fixed list after the
 * configured rules, on v1 and in the v2 program alike. hrun uses runc's
 * list: crun's has /dev/console (c 5:1) too, which hrun never needs (its
 * /dev/console is a bind mount of a pty slave, c 136:N). The pty slaves,
 * ptmx and tun have no path, so linux.devices cannot take them out (as in
 * runc). */
#include "libcontainer/cgroups/device_rules.h"

#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec.h"

#define RWM(p, maj, min)                                                                        \
  {p, {.allow = true, .type = 'c', .major = maj, .minor = min, .access = "rwm", .builtin = true}}
#define MKNOD(t) {NULL, {.allow = true, .type = t, .major = -1, .minor = -1, .access = "m", .builtin = true}}

static const struct {
  const char *path; /* NULL: never replaced by a linux.devices entry */
  struct spec_device_rule rule;
} defaults[] = {
    MKNOD('c'),
    MKNOD('b'),
    RWM("/dev/null", 1, 3),
    RWM("/dev/random", 1, 8),
    RWM("/dev/full", 1, 7),
    RWM("/dev/tty", 5, 0),
    RWM("/dev/zero", 1, 5),
    RWM("/dev/urandom", 1, 9),
    RWM(NULL, 136, -1), /* /dev/pts/N */
    RWM(NULL, 5, 2),    /* /dev/ptmx */
    RWM(NULL, 10, 200), /* /dev/net/tun: runc dropped it in 1.2.0, restored it in 1.2.2 */
};

_Static_assert(sizeof(defaults) / sizeof(defaults[0]) == DEVICE_RULES_N_DEFAULT,
               "DEVICE_RULES_N_DEFAULT counts the default list");

static bool listed_again(const char *path, const struct spec_device *listed, size_t n)
{
  if (!path)
    return false;
  for (size_t i = 0; i < n; i++)
    if (listed[i].path && strcmp(listed[i].path, path) == 0)
      return true;
  return false;
}

struct spec_device_rule *device_rules_compose(const struct spec_device_rule *config,
                                              size_t n_config, const struct spec_device *listed,
                                              size_t n_listed, struct arena *a, size_t *n)
{
  struct spec_device_rule *rules =
      arena_calloc(a, n_config + DEVICE_RULES_N_DEFAULT, sizeof(*rules));

  /* Configured rules first: their indexes are the ones errors name. */
  if (n_config)
    memcpy(rules, config, n_config * sizeof(*rules));
  *n = n_config;
  for (size_t i = 0; i < DEVICE_RULES_N_DEFAULT; i++)
    if (!listed_again(defaults[i].path, listed, n_listed))
      rules[(*n)++] = defaults[i].rule;
  return rules;
}

void device_rules_effective(const struct oci_spec *spec, struct spec_resources *out)
{
  const struct spec_linux *lx = &spec->linux_cfg;

  if (lx->has_resources)
    *out = lx->resources;
  else
    memset(out, 0, sizeof(*out));
  out->devices = device_rules_compose(out->devices, out->n_devices, lx->devices, lx->n_devices,
                                      spec->arena, &out->n_devices);
}
