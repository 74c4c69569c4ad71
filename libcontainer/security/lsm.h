/* Linux security module labels for the container's process: an AppArmor
 * profile (process.apparmorProfile, exec --apparmor) and an SELinux label
 * (process.selinuxLabel, exec --process-label). Each is refused with a
 * clear error on a host whose kernel does not run that LSM, and set with
 * /proc/self/attr/.../exec (it applies at the next execve) right before the
 * process is executed. */
#ifndef HRUN_LSM_H
#define HRUN_LSM_H

#include <stdbool.h>

#include "libcontainer/util/error.h"

bool lsm_apparmor_enabled(void);
bool lsm_selinux_enabled(void);

/* An error naming `what` (the field or option) for each label asked for
 * that this host cannot apply. */
int lsm_check(const char *apparmor_profile, const char *apparmor_what,
              const char *selinux_label, const char *selinux_what, hrun_error *err);

/* In the process about to execve: the labels it asks for (NULL: none). */
int lsm_set_exec_labels(const char *apparmor_profile, const char *selinux_label,
                        hrun_error *err);

#endif
