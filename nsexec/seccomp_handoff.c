#include "nsexec/seccomp_handoff.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/security/seccomp.h"
#include "libcontainer/spec/spec.h"
#include "nsexec/sync.h"

#define LISTENER_LINK "anon_inode:seccomp notify"
#define HANDOFF_WAIT_MS 5000

int seccomp_child_load(const struct seccomp_program *p, int sync_fd, hrun_error *err)
{
  int reserved = -1, fd;

  if (!p)
    return 0;
  if (p->notify) {
    /* The listener will take the lowest free fd: find it, name it. */
    reserved = fcntl(sync_fd, F_DUPFD_CLOEXEC, 0);
    if (reserved < 0)
      return err_set(err, errno, "linux.seccomp: reserve the listener's fd");
    if (sync_send_seccomp_fd(sync_fd, reserved, err) < 0)
      return -1;
    close(reserved);
  }
  fd = seccomp_program_load(p, err);
  if (fd < 0)
    return err_wrap(err, "linux.seccomp");
  if (!p->notify)
    return 0;
  if (fd != reserved)
    return err_set(err, 0, "linux.seccomp: the listener got fd %d, not %d", fd, reserved);
  return sync_wait_seccomp_done(sync_fd, err);
}

static bool is_listener(pid_t pid, int fdnum)
{
  char path[64], target[64];
  ssize_t n;

  snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fdnum);
  n = readlink(path, target, sizeof(target) - 1);
  if (n < 0)
    return false;
  target[n] = '\0';
  return strcmp(target, LISTENER_LINK) == 0;
}

/* Until the fd is the listener; a message meanwhile is the child's error. */
static int wait_for_listener(const struct seccomp_handoff *h, int fdnum, hrun_error *err)
{
  struct pollfd p = {.fd = h->sync_fd, .events = POLLIN};
  int waited, type, number;

  for (waited = 0; waited < HANDOFF_WAIT_MS; waited++) {
    if (is_listener(h->pid, fdnum))
      return 0;
    if (poll(&p, 1, 1) > 0) {
      type = sync_wait_any(h->sync_fd, &number, "the container process", err);
      if (type < 0)
        return -1;
      return err_set(err, 0, "linux.seccomp: got %s while waiting for the listener",
                     sync_type_name((enum sync_type)type));
    }
  }
  return err_set(err, 0, "linux.seccomp: no listener appeared in process %d", h->pid);
}

int seccomp_parent_handoff(const struct seccomp_handoff *h, int fdnum, hrun_error *err)
{
  const struct spec_seccomp *s = h->spec->linux_cfg.seccomp;
  struct seccomp_state_info st = {.id = h->id, .status = h->status, .pid = h->pid,
                                  .bundle = h->bundle, .annotations = h->spec->annotations,
                                  .n_annotations = h->spec->n_annotations};
  int listener, r;

  if (wait_for_listener(h, fdnum, err) < 0)
    return -1;
  listener = (int)syscall(SYS_pidfd_getfd, h->pidfd, fdnum, 0);
  if (listener < 0)
    return err_set(err, errno, "linux.seccomp: take the listener from process %d", h->pid);
  r = seccomp_send_listener(s, listener, &st, err);
  close(listener);
  if (r < 0)
    return err_wrap(err, "linux.seccomp.listenerPath");
  return sync_send_seccomp_done(h->sync_fd, err);
}

int seccomp_wait_for(const struct seccomp_handoff *h, enum sync_type expect, const char *peer,
                     hrun_error *err)
{
  int type, number;

  for (;;) {
    type = sync_wait_any(h->sync_fd, &number, peer, err);
    if (type < 0)
      return -1;
    if (type == (int)expect)
      return 0;
    if (type != SYNC_SECCOMP_FD)
      return err_set(err, 0, "%s sent %s, expected %s", peer,
                     sync_type_name((enum sync_type)type), sync_type_name(expect));
    if (seccomp_parent_handoff(h, number, err) < 0)
      return -1;
  }
}
