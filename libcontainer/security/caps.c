#include "libcontainer/security/caps.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "libcontainer/util/log.h"
#include "libcontainer/spec/spec.h"

int caps_last_cap(void)
{
  static int last = -1;

  if (last < 0)
    last = cap_max_bits() - 1;
  return last;
}

static bool has_cap(uint64_t set, int cap)
{
  return (set >> cap) & 1;
}

/* Capabilities beyond the kernel's last are not held either (EINVAL). */
static bool runtime_holds(int cap)
{
  return prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1;
}

void caps_skip_unheld(struct spec_capabilities *caps, const char *what)
{
  uint64_t any = 0;
  int cap, set;

  for (set = 0; set < CAPSET_COUNT; set++)
    any |= caps->sets[set];
  for (cap = 0; cap < 64; cap++) {
    cap_value_t v = cap;
    char *name;

    if (!has_cap(any, cap) || runtime_holds(cap))
      continue;
    for (set = 0; set < CAPSET_COUNT; set++)
      caps->sets[set] &= ~(UINT64_C(1) << cap);
    /* libcap spells names in lower case, config.json in capitals. */
    name = cap_to_name(v);
    for (char *p = name; p && *p; p++)
      *p = (char)toupper((unsigned char)*p);
    log_warning("%s: %s is not in the runtime's bounding set: skipped", what,
                name ? name : "?");
    cap_free(name);
  }
}

int caps_apply_bounding(const struct spec_capabilities *caps, hrun_error *err)
{
  int cap, last = caps_last_cap();

  for (cap = 0; cap <= last; cap++) {
    if (has_cap(caps->sets[CAPSET_BOUNDING], cap))
      continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
      return err_set(err, errno, "drop capability %d from the bounding set", cap);
  }
  return 0;
}

static int fill_flag(cap_t c, cap_flag_t flag, uint64_t set, int last)
{
  cap_value_t list[64];
  int cap, n = 0;

  for (cap = 0; cap <= last; cap++)
    if (has_cap(set, cap))
      list[n++] = cap;
  return n ? cap_set_flag(c, flag, n, list, CAP_SET) : 0;
}

static int apply_ambient(uint64_t set, int last, hrun_error *err)
{
  int cap;

  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return err_set(err, errno, "clear the ambient capabilities");
  for (cap = 0; cap <= last; cap++) {
    if (!has_cap(set, cap))
      continue;
    /* Raising ambient needs the cap in permitted and inheritable; like runc,
     * a cap the sets do not allow is skipped rather than fatal. */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 && errno != EPERM)
      return err_set(err, errno, "raise ambient capability %d", cap);
  }
  return 0;
}

int caps_apply_sets(const struct spec_capabilities *caps, hrun_error *err)
{
  int last = caps_last_cap();
  cap_t c = cap_init();
  int r;

  if (!c)
    return err_set(err, errno, "cap_init");
  r = fill_flag(c, CAP_EFFECTIVE, caps->sets[CAPSET_EFFECTIVE], last);
  if (r == 0)
    r = fill_flag(c, CAP_PERMITTED, caps->sets[CAPSET_PERMITTED], last);
  if (r == 0)
    r = fill_flag(c, CAP_INHERITABLE, caps->sets[CAPSET_INHERITABLE], last);
  if (r == 0 && cap_set_proc(c) < 0)
    r = -1;
  cap_free(c);
  if (r < 0)
    return err_set(err, errno, "set the process capabilities");
  return apply_ambient(caps->sets[CAPSET_AMBIENT], last, err);
}
