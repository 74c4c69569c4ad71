#include "libcontainer/hook_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/arena.h"
#include "libcontainer/cleanup.h"

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

/* What the hook's child needs; it shares our memory until its execve. */
struct spawn_args {
  const char *path;
  char *const *argv;
  char *const *envp;
  const int *fds; /* its stdin, stdout and stderr */
  pid_t parent;
  int error; /* errno of the step that failed, set by the child */
};

/* The child, on a stack of its own, until execve: every signal back to
 * its default (handlers would run on our memory; ignored signals would
 * stay ignored across execve), its own process group, stdio, and SIGKILL
 * when the runtime dies (PR_SET_PDEATHSIG): a hook never outlives the
 * runtime that waits for it, whoever kills that runtime. */
static int hook_child(void *data)
{
  struct spawn_args *a = data;
  struct sigaction dfl = {.sa_handler = SIG_DFL}, old;
  sigset_t none;
  int i;

  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &old) == 0 &&
        old.sa_handler != SIG_DFL)
      sigaction(sig, &dfl, NULL);
  if (setpgid(0, 0) < 0)
    goto fail;
  for (i = 0; i < 3; i++)
    if (dup2(a->fds[i], i) < 0)
      goto fail;
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
    goto fail;
  if (getppid() != a->parent) /* the runtime died before the prctl */
    _exit(127);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execve(a->path, a->argv, a->envp);
fail:
  a->error = errno;
  _exit(127);
}

#define HOOK_CHILD_STACK (64 * 1024)

/* A vfork-style spawn (CLONE_VM | CLONE_VFORK, as glibc's posix_spawn, which
 * has no way to set the parent-death signal): we resume once the hook has
 * executed, or failed to. Signals stay blocked meanwhile, so that none of
 * our handlers runs in the child. Every other fd of hrun is close-on-exec. */
static int spawn_hook(const char *path, char *const argv[], char *const envp[],
                      const struct hook_io *io, pid_t *pid)
{
  const int fds[3] = {io->state_fd, io->out_fd, io->err_fd};
  struct spawn_args a = {.path = path, .argv = argv, .envp = envp, .fds = fds,
                         .parent = getpid()};
  cleanup_free char *stack = xmalloc0(HOOK_CHILD_STACK);
  sigset_t all, old;
  int status;

  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  *pid = clone(hook_child, stack + HOOK_CHILD_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
  if (*pid < 0)
    a.error = errno;
  sigprocmask(SIG_SETMASK, &old, NULL);
  if (*pid > 0 && a.error) {
    while (waitpid(*pid, &status, 0) < 0 && errno == EINTR)
      ;
  }
  return a.error;
}

static void reap(pid_t pid, struct hook_outcome *o)
{
  int status;

  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  o->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

/* With a timeout: wait on a pidfd until the deadline, then kill the
 * hook's whole process group. Without one, waitpid is all it takes. */
static void wait_hook(pid_t pid, int timeout_s, struct hook_outcome *o)
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
  reap(pid, o);
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
  wait_hook(pid, timeout_s, o);
  o->duration_us = now_us() - start;
  read_tail(io->out_fd, &o->out);
  read_tail(io->err_fd, &o->err);
  return 0;
}
