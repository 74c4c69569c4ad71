#include "libcontainer/hooks/hook_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/hooks/hook_groups.h"
#include "libcontainer/state/process.h"

static long long now_us(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int hook_io_open(struct hook_io *io, const char *state, size_t len, hrun_error *err)
{
  (void)err;
  io->state = xmalloc0(len + 1);
  memcpy(io->state, state, len);
  io->len = len;
  io->record_dir_fd = -1;
  io->stdout_fd = -1;
  return 0;
}

void hook_io_close(struct hook_io *io)
{
  free(io->state);
  io->state = NULL;
}

/* A fresh memfd holding the state, sealed: the hook can neither change nor
 * truncate it (not even through /proc/self/fd/0, which a read-only fd
 * would not prevent), and it is nobody else's. */
static int sealed_state(const struct hook_io *io, hrun_error *err)
{
  cleanup_close int fd = memfd_create("hrun-hook-state", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  size_t done = 0;

  if (fd < 0)
    return err_set(err, errno, "memfd_create");
  while (done < io->len) {
    /* pwrite: the offset the hook starts at stays 0 */
    ssize_t n = pwrite(fd, io->state + done, io->len - done, (off_t)done);
    if (n <= 0)
      return err_set(err, n < 0 ? errno : EIO, "write the state for the hook");
    done += (size_t)n;
  }
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
    return err_set(err, errno, "seal the state for the hook");
  return take_fd(&fd);
}

/* The hook's stdin, stdout and stderr (dup'd to 0, 1, 2 by the spawn; our
 * copies stay open until it is reaped, see hook_exec), and our
 * non-blocking read ends. */
struct hook_fds {
  int child[3];
  int out, err;
};

static void close_fds(struct hook_fds *f)
{
  int *fds[] = {&f->child[0], &f->child[1], &f->child[2], &f->out, &f->err};

  for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
    if (*fds[i] >= 0)
      close(*fds[i]);
    *fds[i] = -1;
  }
}

/* Pipes, not files, for the output: hrun reads them while the hook runs
 * and keeps only a tail, so a hook that prints gigabytes neither blocks
 * nor fills memory. Only our ends are non-blocking: the hook's writes
 * block as a writer to a pipe expects. */
static int open_fds(const struct hook_io *io, struct hook_fds *f, hrun_error *err)
{
  int out[2], errp[2];

  *f = (struct hook_fds){.child = {-1, -1, -1}, .out = -1, .err = -1};
  f->child[0] = sealed_state(io, err);
  if (f->child[0] < 0)
    return -1;
  if (io->stdout_fd >= 0) {
    if ((f->child[1] = fcntl(io->stdout_fd, F_DUPFD_CLOEXEC, 0)) < 0)
      goto fail;
  } else if (pipe2(out, O_CLOEXEC) < 0) {
    goto fail;
  } else {
    f->out = out[0], f->child[1] = out[1];
  }
  if (pipe2(errp, O_CLOEXEC) < 0)
    goto fail;
  f->err = errp[0], f->child[2] = errp[1];
  if ((f->out >= 0 && fcntl(f->out, F_SETFL, O_NONBLOCK) < 0) ||
      fcntl(f->err, F_SETFL, O_NONBLOCK) < 0)
    goto fail;
  return 0;
fail:
  err_set(err, errno, "pipes for the hook's output");
  close_fds(f);
  return -1;
}

/* What the hook's child needs; it shares our memory until its execve. */
struct spawn_args {
  const char *path;
  char *const *argv;
  char *const *envp;
  const int *fds; /* its stdin, stdout and stderr */
  int record_dir_fd;
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
  /* Recorded by the hook itself before it can start anything: whenever the
   * runtime is killed, what the hook started is in a recorded group. */
  if (a->record_dir_fd >= 0)
    hook_group_record(a->record_dir_fd, getpid());
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
                      const int fds[3], int record_dir_fd, pid_t *pid)
{
  struct spawn_args a = {.path = path, .argv = argv, .envp = envp, .fds = fds,
                         .record_dir_fd = record_dir_fd, .parent = getpid()};
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

static int reap(pid_t pid, struct hook_outcome *o, hrun_error *err)
{
  int status;

  if (process_reap(pid, &status, err) < 0)
    return -1;
  o->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return 0;
}

/* Keeps the last bytes of what was written. */
static void capture(struct hook_capture *c, const char *buf, size_t n)
{
  const size_t max = sizeof(c->tail) - 1;

  c->total += n;
  if (n >= max) {
    memcpy(c->tail, buf + n - max, max);
    c->len = max;
  } else {
    size_t drop = c->len + n > max ? c->len + n - max : 0;
    memmove(c->tail, c->tail + drop, c->len - drop);
    memcpy(c->tail + c->len - drop, buf, n);
    c->len += n - drop;
  }
  c->tail[c->len] = '\0';
}

/* One read of what the pipe holds: the bytes read, 0 at its end (or on an
 * error), -1 when it is empty for now. */
static ssize_t read_some(int fd, struct hook_capture *c, char *buf, size_t size)
{
  ssize_t n = read(fd, buf, size);

  if (n > 0)
    capture(c, buf, (size_t)n);
  else if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return -1;
  return n < 0 ? 0 : n;
}

/* After the hook: what it left in the pipes, but no more than this, since
 * a process it left behind may hold them and write on. */
#define DRAIN_AFTER_EXIT (1 << 20)

struct watch {
  pid_t pid;
  struct pollfd p[3]; /* the pidfd (or -1), our stdout and stderr ends */
  struct hook_capture *cap[3];
  char *buf; /* as large as a pipe's default buffer */
  size_t size;
};

static bool hook_exited(const struct watch *w)
{
  siginfo_t si = {0};

  if (w->p[0].fd >= 0)
    return w->p[0].revents & POLLIN;
  /* No pidfd (a seccomp profile may refuse pidfd_open to startContainer
   * hooks): ask without reaping. */
  return waitid(P_PID, (id_t)w->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid;
}

/* How long poll may sleep: to the deadline; without a pidfd, 10 ms slices
 * to look at the hook in between. */
static int poll_ms(const struct watch *w, long long deadline)
{
  long long left = deadline < 0 ? -1 : (deadline - now_us() + 999) / 1000;

  if (left < 0 && deadline >= 0)
    left = 0;
  if (w->p[0].fd < 0 && (left < 0 || left > 10))
    left = 10;
  return left > INT32_MAX ? INT32_MAX : (int)left;
}

static void drain(struct watch *w)
{
  size_t total = 0;

  for (int i = 1; i < 3; i++) {
    ssize_t n;
    while (w->p[i].fd >= 0 && total < DRAIN_AFTER_EXIT &&
           (n = read_some(w->p[i].fd, w->cap[i], w->buf, w->size)) > 0)
      total += (size_t)n;
  }
}

/* Until the hook exits or its deadline passes (then its process group is
 * killed), reading its output as it comes. */
static void watch_hook(pid_t pid, int timeout_s, const struct hook_fds *f,
                       struct hook_outcome *o)
{
  long long deadline = timeout_s > 0 ? now_us() + timeout_s * 1000000LL : -1;
  cleanup_close int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  char buf[65536]; /* (not in w: its initializer would clear it each time) */
  struct watch w = {.pid = pid,
                    .p = {{.fd = pidfd, .events = POLLIN},
                          {.fd = f->out, .events = POLLIN},
                          {.fd = f->err, .events = POLLIN}},
                    .cap = {NULL, &o->out, &o->err},
                    .buf = buf,
                    .size = sizeof(buf)};

  for (;;) {
    if (poll(w.p, 3, poll_ms(&w, deadline)) < 0 && errno != EINTR)
      break; /* our read ends close before the reap: it cannot block on them */
    for (int i = 1; i < 3; i++)
      if (w.p[i].fd >= 0 && w.p[i].revents &&
          read_some(w.p[i].fd, w.cap[i], w.buf, w.size) == 0)
        w.p[i].fd = -1;
    if (hook_exited(&w))
      break;
    if (deadline >= 0 && now_us() >= deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      o->timed_out = true;
      break;
    }
  }
  drain(&w);
}

/* Where hrun's own stdio is closed, a new fd may be 0, 1 or 2, which one
 * dup2 of the spawn would overwrite before another reads it. */
static int above_stdio(int fd)
{
  int moved;

  if (fd < 0 || fd > 2)
    return fd;
  moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  close(fd);
  return moved;
}

int hook_exec(const char *path, char *const argv[], char *const envp[],
              const struct hook_io *io, int timeout_s, struct hook_outcome *o,
              hrun_error *err)
{
  long long start = now_us();
  struct hook_fds f;
  pid_t pid;
  int r;

  memset(o, 0, sizeof(*o));
  if (open_fds(io, &f, err) < 0)
    return -1;
  for (int i = 0; i < 3; i++)
    f.child[i] = above_stdio(f.child[i]);
  r = spawn_hook(path, argv, envp, f.child, io->record_dir_fd, &pid);
  /* The write ends stay open here until the hook is reaped: the pipes then
   * never hang up when it exits, and its exit is the one wake-up. */
  if (r != 0) {
    close_fds(&f);
    if (io->record_dir_fd >= 0)
      hook_group_forget(io->record_dir_fd, pid);
    return err_set(err, r, "exec %s", path);
  }
  watch_hook(pid, timeout_s, &f, o);
  close_fds(&f);
  /* It ended (or was killed with its group): what it left running in its
   * group was its own choice, or is the reaper's (hook_reaper.h). */
  if (io->record_dir_fd >= 0)
    hook_group_forget(io->record_dir_fd, pid);
  if (reap(pid, o, err) < 0)
    return err_wrap(err, "%s", path);
  o->duration_us = now_us() - start;
  return 0;
}
