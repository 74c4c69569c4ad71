#include "libcontainer/security/creds.h"

#include <errno.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/security/caps.h"
#include "libcontainer/security/rlimit.h"
#include "libcontainer/spec/spec.h"

static int set_ids(const struct spec_user *u, bool setgroups_allowed, hrun_error *err)
{
  /* Without additionalGids the host's supplementary groups must still go. */
  if (setgroups_allowed &&
      setgroups(u->n_additional_gids, (const gid_t *)u->additional_gids) < 0)
    return err_set(err, errno, "process.user.additionalGids: setgroups");
  if (setresgid(u->gid, u->gid, u->gid) < 0)
    return err_set(err, errno, "process.user.gid: setresgid(%u)", u->gid);
  if (setresuid(u->uid, u->uid, u->uid) < 0)
    return err_set(err, errno, "process.user.uid: setresuid(%u)", u->uid);
  return 0;
}

int creds_apply(const struct spec_process *proc, bool setgroups_allowed, hrun_error *err)
{
  /* No capabilities object means no capabilities, as in runc. */
  static const struct spec_capabilities none;
  const struct spec_capabilities *caps = proc->has_capabilities ? &proc->capabilities : &none;

  if (rlimits_apply(proc->rlimits, proc->n_rlimits, err) < 0)
    return -1;
  if (caps_apply_bounding(caps, err) < 0)
    return err_wrap(err, "process.capabilities.bounding");
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return err_set(err, errno, "prctl(PR_SET_KEEPCAPS)");
  if (set_ids(&proc->user, setgroups_allowed, err) < 0)
    return -1;
  if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return err_set(err, errno, "prctl(PR_SET_KEEPCAPS)");
  if (caps_apply_sets(caps, err) < 0)
    return err_wrap(err, "process.capabilities");
  if (proc->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return err_set(err, errno, "process.noNewPrivileges");
  umask(proc->user.umask.set ? (mode_t)proc->user.umask.value : 022);
  return 0;
}
