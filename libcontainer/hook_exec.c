#include "libcontainer/hook_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"
#include "libcontainer/process.h"

static long long now_us(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int hook_io_open(struct hook_io *io, const char *state, size_t len, hrun_error *err)
{
  io->state_fd = memfd_create("hrun-hook-state", MFD_CLOEXEC);
  io->out_fd = memfd_create("hrun-hook-stdout", MFD_CLOEXEC);
  io->err_fd = memfd_create("hrun-hook-stderr", MFD_CLOEXEC);
  if (io->state_fd < 0 || io->out_fd < 0 || io->err_fd < 0) {
    err_set(err, errno, "memfd_create");
    hook_io_close(io);
    return -1;
  }
  if (write(io->state_fd, state, len) != (ssize_t)len) {
    err_set(err, errno, "write the state for the hooks");
    hook_io_close(io);
    return -1;
  }
  return 0;
}

void hook_io_close(struct hook_io *io)
{
  int *fds[] = {&io->state_fd, &io->out_fd, &io->err_fd};

  for (size_t i = 0; i < 3; i++) {
    if (*fds[i] >= 0)
      close(*fds[i]);
    *fds[i] = -1;
  }
}

/* Signals ignored here would stay ignored across execve: only those need
 * resetting (handlers never survive it). Looked up once per process. */
static const sigset_t *ignored_signals(void)
{
  static sigset_t set;
  static bool done;
  struct sigaction sa;

  if (!done) {
    sigemptyset(&set);
    for (int sig = 1; sig < NSIG; sig++)
      if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &sa) == 0 &&
          sa.sa_handler == SIG_IGN)
        sigaddset(&set, sig);
    done = true;
  }
  return &set;
}

/* A vfork-style spawn (glibc's posix_spawn uses CLONE_VM|CLONE_VFORK): the
 * hook gets stdin, stdout and stderr, its own process group and default
 * signal handling; every other fd of hrun is close-on-exec. */
static int spawn_hook(const char *path, char *const argv[], char *const envp[],
                      const struct hook_io *io, pid_t *pid)
{
  const int fds[3] = {io->state_fd, io->out_fd, io->err_fd};
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  sigset_t none;
  int i, r;

  sigemptyset(&none);
  posix_spawn_file_actions_init(&fa);
  for (i = 0; i < 3; i++)
    posix_spawn_file_actions_adddup2(&fa, fds[i], i);
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigdefault(&attr, ignored_signals());
  posix_spawnattr_setsigmask(&attr, &none);
  r = posix_spawn(pid, path, &fa, &attr, argv, envp);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&fa);
  return r;
}

static int reap(pid_t pid, struct hook_outcome *o, hrun_error *err)
{
  int status;

  if (process_reap(pid, &status, err) < 0)
    return -1;
  o->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return 0;
}

/* With a timeout: wait on a pidfd until the deadline, then kill the
 * hook's whole process group. Without one, waitpid is all it takes. */
static int wait_hook(pid_t pid, int timeout_s, struct hook_outcome *o, hrun_error *err)
{
  long long deadline = now_us() + timeout_s * 1000000LL;
  cleanup_close int pidfd = -1;
  struct pollfd p;
  int r;

  if (timeout_s > 0)
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd >= 0) {
    p = (struct pollfd){.fd = pidfd, .events = POLLIN};
    do {
      long long left = deadline - now_us();
      r = left > 0 ? poll(&p, 1, (int)((left + 999) / 1000)) : 0;
    } while (r < 0 && errno == EINTR);
    if (r == 0) {
      kill(-pid, SIGKILL);
      o->timed_out = true;
    }
  }
  return reap(pid, o, err);
}

/* The last bytes the hook wrote to fd. */
static void read_tail(int fd, struct hook_capture *c)
{
  struct stat st;
  off_t start;
  ssize_t n;

  c->len = 0;
  c->tail[0] = '\0';
  if (fstat(fd, &st) < 0 || st.st_size == 0)
    return;
  start = st.st_size > (off_t)sizeof(c->tail) - 1 ? st.st_size - (off_t)sizeof(c->tail) + 1 : 0;
  n = pread(fd, c->tail, sizeof(c->tail) - 1, start);
  c->len = n > 0 ? (size_t)n : 0;
  c->tail[c->len] = '\0';
}

static void rewind_io(const struct hook_io *io)
{
  lseek(io->state_fd, 0, SEEK_SET);
  if (ftruncate(io->out_fd, 0) == 0)
    lseek(io->out_fd, 0, SEEK_SET);
  if (ftruncate(io->err_fd, 0) == 0)
    lseek(io->err_fd, 0, SEEK_SET);
}

int hook_exec(const char *path, char *const argv[], char *const envp[],
              const struct hook_io *io, int timeout_s, struct hook_outcome *o,
              hrun_error *err)
{
  long long start = now_us();
  pid_t pid;
  int r;

  memset(o, 0, sizeof(*o));
  rewind_io(io);
  r = spawn_hook(path, argv, envp, io, &pid);
  if (r != 0)
    return err_set(err, r, "exec %s", path);
  if (wait_hook(pid, timeout_s, o, err) < 0)
    return err_wrap(err, "%s", path);
  o->duration_us = now_us() - start;
  read_tail(io->out_fd, &o->out);
  read_tail(io->err_fd, &o->err);
  return 0;
}
