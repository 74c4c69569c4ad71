/* The device access rules a container's cgroup gets. */
#ifndef HRUN_DEVICE_RULES_H
#define HRUN_DEVICE_RULES_H

struct oci_spec;
struct spec_resources;

/* Fills *out with the config's resources (zeroed when it has none) whose
 * device rules are: linux.resources.devices in order, then the nodes every
 * container gets (mknod of any node; null, zero, full, random, urandom,
 * tty, console, ptmx, the pty slaves, tun: runc's list), then read, write
 * and mknod of each linux.devices entry. Allocated in spec's arena. */
void device_rules_effective(const struct oci_spec *spec, struct spec_resources *out);

#endif
