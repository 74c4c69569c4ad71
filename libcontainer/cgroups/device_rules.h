/* The device access rules a container's cgroup gets. */
#ifndef HRUN_DEVICE_RULES_H
#define HRUN_DEVICE_RULES_H

#include <stddef.h>

struct arena;
struct oci_spec;
struct spec_device;
struct spec_device_rule;
struct spec_resources;

/* The number of rules in runc's default allow list. */
#define DEVICE_RULES_N_DEFAULT 11

/* The effective list, as runc builds it (specconv's CreateCgroupConfig and
 * createDevices): the configured rules (linux.resources.devices) in their
 * order, then runc's default allow list (mknod of any node; null, random,
 * full, tty, zero, urandom, the pty slaves, ptmx, tun) less the entries
 * whose path linux.devices lists again. Applied in that order (v1 writes,
 * or device_policy.c for v2), a configured rule cannot take a default away,
 * but a device that linux.devices lists is reachable only as far as the
 * configured rules allow: linux.devices makes nodes, it never grants
 * access. Allocated in a; *n gets the count. */
struct spec_device_rule *device_rules_compose(const struct spec_device_rule *config,
                                              size_t n_config, const struct spec_device *listed,
                                              size_t n_listed, struct arena *a, size_t *n);

/* Fills *out with the config's resources (zeroed when it has none) whose
 * device rules are device_rules_compose()'s, in spec's arena. */
void device_rules_effective(const struct oci_spec *spec, struct spec_resources *out);

#endif
