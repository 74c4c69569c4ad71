#include "libcontainer/process.h"

#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/state.h"

int process_open(const struct container_state *st)
{
  int fd;

  if (st->pid <= 0) {
    errno = ESRCH;
    return -1;
  }
  fd = (int)syscall(SYS_pidfd_open, st->pid, 0);
  if (fd < 0)
    return -1;
  /* The pid may have been reused between the state write and now; once the
   * pidfd is open, a matching start time pins it to our process. */
  if (!state_process_alive(st)) {
    close(fd);
    errno = ESRCH;
    return -1;
  }
  return fd;
}

int process_signal(int pidfd, int sig, hrun_error *err)
{
  if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
    return err_set(err, errno, "send signal %d", sig);
  return 0;
}

bool process_wait_exit(int pidfd, int timeout_ms)
{
  struct pollfd p = {.fd = pidfd, .events = POLLIN};
  int r;

  do
    r = poll(&p, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  return r > 0;
}
