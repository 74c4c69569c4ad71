#include "nsexec/process_setup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/security/creds.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/security/mempolicy.h"
#include "libcontainer/security/sched.h"
#include "libcontainer/spec/spec.h"
#include "nsexec/exec.h"
#include "nsexec/seccomp_handoff.h"

static int set_personality(const struct oci_spec *spec, hrun_error *err)
{
  if (!spec || !spec->linux_cfg.personality.set)
    return 0;
  if (personality(spec->linux_cfg.personality.value) < 0)
    return err_set(err, errno, "linux.personality");
  return 0;
}

/* The working directory must be inside the container's root: a cwd that
 * reached a directory outside it (through a leaked fd, as in
 * CVE-2024-21626, or any other way) has no path from "/" and getcwd fails
 * (ENOENT, "(unreachable)"). */
static int enter_cwd(const char *cwd, hrun_error *err)
{
  char buf[PATH_MAX];

  if (chdir(cwd) < 0)
    return err_set(err, errno, "process.cwd: chdir %s", cwd);
#ifndef HRUN_TEST_NO_FD_HYGIENE
  if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
    return err_set(err, 0, "process.cwd: %s is outside the container's root", cwd);
#else
  (void)buf;
#endif
  return 0;
}

/* A user namespace whose setgroups is "deny" (one an unprivileged user
 * made, joined by path) refuses setgroups(2): keep the groups then. */
static bool setgroups_allowed(void)
{
  char buf[16] = "";
  int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
  ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

  if (fd >= 0)
    close(fd);
  return n <= 0 || strncmp(buf, "deny", 4) != 0;
}

/* Memory policy, I/O priority, scheduler: while still privileged (a real-
 * time class or a lower nice needs CAP_SYS_NICE the container may lack)
 * and before the seccomp filter (Docker's default profile refuses
 * set_mempolicy). */
static int set_sched_attrs(const struct process_setup *ps, hrun_error *err)
{
  if (ps->spec && mempolicy_apply(ps->spec->linux_cfg.memory_policy, err) < 0)
    return -1;
  if (ioprio_apply(ps->proc, err) < 0 || sched_apply(ps->proc, err) < 0)
    return -1;
  return 0;
}

int process_setup(const struct process_setup *ps, char **exec_path, hrun_error *err)
{
  const struct spec_process *proc = ps->proc;
  bool early_filter = !proc->no_new_privileges;

  if (enter_cwd(proc->cwd, err) < 0)
    return -1;
  if (set_personality(ps->spec, err) < 0 || set_sched_attrs(ps, err) < 0)
    return -1;
  if (early_filter && seccomp_child_load(ps->seccomp, ps->sync_fd, err) < 0)
    return -1;
  if (creds_apply(proc, setgroups_allowed(), err) < 0)
    return -1;
  if (!early_filter && seccomp_child_load(ps->seccomp, ps->sync_fd, err) < 0)
    return -1;
  return exec_resolve(proc, exec_path, err);
}

int process_set_oom_score_adj(const struct spec_process *proc, hrun_error *err)
{
  char buf[16];
  int n;

  if (!proc || !proc->oom_score_adj.set)
    return 0;
  n = snprintf(buf, sizeof(buf), "%lld", (long long)proc->oom_score_adj.value);
  if (write_file_at(AT_FDCWD, "/proc/self/oom_score_adj", buf, n, err) < 0)
    return err_wrap(err, "process.oomScoreAdj");
  return 0;
}

static int cmp_int(const void *a, const void *b)
{
  return *(const int *)a - *(const int *)b;
}

struct keep_set {
  const int *fds;
  size_t n;
};

static void close_unless_kept(int fd, void *arg)
{
  const struct keep_set *k = arg;

  for (size_t i = 0; i < k->n; i++)
    if (k->fds[i] == fd)
      return;
  close(fd);
}

int process_close_fds(int preserve_fds, const int *keep_in, size_t n_keep, hrun_error *err)
{
  int keep[16];
  int from = 3 + preserve_fds;
  size_t i, n = 0;

  for (i = 0; i < n_keep && n < 16; i++)
    if (keep_in[i] >= 0)
      keep[n++] = keep_in[i];
  qsort(keep, n, sizeof(int), cmp_int);
  for (i = 0; i < n; i++) {
    if (keep[i] < from)
      continue;
    if (keep[i] > from && syscall(SYS_close_range, from, keep[i] - 1, 0) < 0)
      goto one_by_one;
    from = keep[i] + 1;
  }
  if (syscall(SYS_close_range, from, ~0U, 0) == 0)
    return 0;
one_by_one:
  /* No close_range (see fds_each_from): closing what is left is enough, as
   * the ranges before this one are closed already. */
  if (fds_each_from(from, close_unless_kept, &(struct keep_set){keep, n}, err) < 0)
    return err_wrap(err, "close the runtime's fds");
  return 0;
}

void process_reset_signals(void)
{
  sigset_t none;
  int sig;

  for (sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP)
      signal(sig, SIG_DFL);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

void process_pass_preserved_fds(int preserve_fds)
{
  int fd;

  for (fd = 3; fd < 3 + preserve_fds; fd++)
    fcntl(fd, F_SETFD, 0);
}
