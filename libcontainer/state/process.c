#include "libcontainer/state/process.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/util/log.h"
#include "libcontainer/state/state.h"

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

int process_kill_by_pid(const struct container_state *st, int sig, int timeout_ms,
                        hrun_error *err)
{
  if (!state_process_alive(st))
    return 0;
  if (kill(st->pid, sig) < 0 && errno != ESRCH)
    return err_set(err, errno, "kill %d", st->pid);
  for (; sig == SIGKILL && timeout_ms > 0 && state_process_alive(st); timeout_ms -= 10)
    usleep(10000);
  if (sig == SIGKILL && state_process_alive(st))
    return err_set(err, 0, "init %d did not exit after SIGKILL", st->pid);
  return 0;
}

static const int forwarded[] = {SIGHUP,  SIGINT,   SIGQUIT, SIGTERM, SIGUSR1,
                                SIGUSR2, SIGWINCH, SIGCONT, SIGALRM};
#define N_FORWARDED (sizeof(forwarded) / sizeof(forwarded[0]))

static volatile sig_atomic_t forward_pid;
static volatile sig_atomic_t held[NSIG];

static void forward_signal(int sig)
{
  if (forward_pid > 0)
    kill(forward_pid, sig);
  else
    held[sig] = 1;
}

static void forwarded_set(sigset_t *set)
{
  sigemptyset(set);
  for (size_t i = 0; i < N_FORWARDED; i++)
    sigaddset(set, forwarded[i]);
}

static void install(void (*handler)(int), int flags)
{
  struct sigaction sa = {.sa_handler = handler, .sa_flags = flags};

  forwarded_set(&sa.sa_mask); /* one handler at a time: held[] is not torn */
  for (size_t i = 0; i < N_FORWARDED; i++)
    sigaction(forwarded[i], &sa, NULL);
}

void process_hold_signals(void)
{
  forward_pid = 0;
  /* SA_RESTART: what create is doing meanwhile goes on undisturbed. */
  install(forward_signal, SA_RESTART);
}

int process_held_signal(void)
{
  for (size_t i = 0; i < N_FORWARDED; i++)
    if (held[forwarded[i]] && forwarded[i] != SIGWINCH && forwarded[i] != SIGCONT)
      return forwarded[i];
  return 0;
}

void process_forward_signals(pid_t pid)
{
  sigset_t set, old;

  if (!pid) {
    install(SIG_DFL, 0);
    forward_pid = 0;
    return;
  }
  /* Blocked while switching, so that a signal is either held and passed
   * on here, or forwarded by the handler: never both, never lost. */
  forwarded_set(&set);
  sigprocmask(SIG_BLOCK, &set, &old);
  install(forward_signal, 0);
  forward_pid = pid;
  for (size_t i = 0; i < N_FORWARDED; i++)
    if (held[forwarded[i]]) {
      held[forwarded[i]] = 0;
      kill(pid, forwarded[i]);
    }
  sigprocmask(SIG_SETMASK, &old, NULL);
}

int process_reap(pid_t pid, int *status, hrun_error *err)
{
  int s = 0;
  pid_t r;

  do
    r = waitpid(pid, &s, 0);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return err_set(err, errno, "wait for process %d", pid);
  if (status)
    *status = s;
  return 0;
}

void process_kill_reap(pid_t pid, int pidfd)
{
  hrun_error err;

  if (pid <= 0)
    return;
  if (pidfd < 0 || syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0)
    kill(pid, SIGKILL);
  /* Already failing: a child that cannot be reaped is worth a warning,
   * not a second error. */
  if (process_reap(pid, NULL, &err) < 0)
    log_warning("%s", err.msg);
}

int process_wait_exit_code(pid_t pid, hrun_error *err)
{
  int status;

  if (process_reap(pid, &status, err) < 0)
    return -1;
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}
