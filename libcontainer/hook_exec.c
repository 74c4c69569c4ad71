#include "libcontainer/hook_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/cleanup.h"

static long long now_us(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void capture_append(struct hook_capture *c, const char *buf, size_t n)
{
  size_t max = sizeof(c->tail) - 1;

  if (n >= max) {
    memcpy(c->tail, buf + n - max, max);
    c->len = max;
  } else {
    if (c->len + n > max) {
      size_t drop = c->len + n - max;
      memmove(c->tail, c->tail + drop, c->len - drop);
      c->len -= drop;
    }
    memcpy(c->tail + c->len, buf, n);
    c->len += n;
  }
  c->tail[c->len] = '\0';
}

/* Reads what is there; returns false at EOF (or error). */
static bool drain(int fd, struct hook_capture *c)
{
  char buf[4096];
  ssize_t n;

  while ((n = read(fd, buf, sizeof(buf))) > 0)
    capture_append(c, buf, n);
  return n < 0 && (errno == EAGAIN || errno == EINTR);
}

/* A vfork-style spawn (glibc's posix_spawn uses CLONE_VM|CLONE_VFORK): the
 * hook gets stdin, stdout and stderr, its own process group and default
 * signal handling; every other fd of hrun is close-on-exec. */
static int spawn_hook(const char *path, char *const argv[], char *const envp[],
                      const int fds[3], pid_t *pid)
{
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  sigset_t all, none;
  int i, r;

  sigfillset(&all);
  sigdelset(&all, SIGKILL);
  sigdelset(&all, SIGSTOP);
  sigemptyset(&none);
  posix_spawn_file_actions_init(&fa);
  for (i = 0; i < 3; i++)
    posix_spawn_file_actions_adddup2(&fa, fds[i], i);
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |
                                      POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  r = posix_spawn(pid, path, &fa, &attr, argv, envp);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&fa);
  return r;
}

static void reap(pid_t pid, struct hook_outcome *o)
{
  int status;

  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  o->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

/* Collects output until the hook exits or the deadline passes. The hook's
 * exit, not EOF, ends the wait: a child it left behind may hold the pipes. */
static void supervise(pid_t pid, int pidfd, const int out[2], long long deadline_us,
                      struct hook_outcome *o)
{
  struct pollfd p[3] = {{.fd = pidfd, .events = POLLIN},
                        {.fd = out[0], .events = POLLIN},
                        {.fd = out[1], .events = POLLIN}};

  for (;;) {
    long long left = deadline_us ? deadline_us - now_us() : -1000;
    int r = poll(p, 3, deadline_us ? (left > 0 ? (int)((left + 999) / 1000) : 0) : -1);

    if (r < 0 && errno != EINTR)
      break;
    if (deadline_us && left <= 0) {
      kill(-pid, SIGKILL);
      o->timed_out = true;
      break;
    }
    if (p[1].revents && !drain(out[0], &o->out))
      p[1].fd = -1;
    if (p[2].revents && !drain(out[1], &o->err))
      p[2].fd = -1;
    if (p[0].revents)
      break;
    if (p[0].fd < 0 && p[1].fd < 0 && p[2].fd < 0)
      break; /* no pidfd: the closed pipes are all there is to wait for */
  }
  reap(pid, o);
  drain(out[0], &o->out);
  drain(out[1], &o->err);
}

static int open_pipe(int p[2])
{
  if (pipe2(p, O_CLOEXEC) < 0)
    return -1;
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  return 0;
}

int hook_exec(const char *path, char *const argv[], char *const envp[], int stdin_fd,
              int timeout_s, struct hook_outcome *o, hrun_error *err)
{
  int out[2] = {-1, -1}, errp[2] = {-1, -1};
  cleanup_close int pidfd = -1;
  long long start = now_us();
  pid_t pid;
  int r, fds[3];

  memset(o, 0, sizeof(*o));
  if (open_pipe(out) < 0 || open_pipe(errp) < 0) {
    err_set(err, errno, "pipe");
    goto fail;
  }
  lseek(stdin_fd, 0, SEEK_SET);
  fds[0] = stdin_fd, fds[1] = out[1], fds[2] = errp[1];
  r = spawn_hook(path, argv, envp, fds, &pid);
  close(out[1]);
  close(errp[1]);
  out[1] = errp[1] = -1;
  if (r != 0) {
    err_set(err, r, "exec %s", path);
    goto fail;
  }
  pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  supervise(pid, pidfd, (int[2]){out[0], errp[0]},
            timeout_s > 0 ? start + timeout_s * 1000000LL : 0, o);
  o->duration_us = now_us() - start;
  close(out[0]);
  close(errp[0]);
  return 0;
fail:
  for (int i = 0; i < 2; i++) {
    if (out[i] >= 0)
      close(out[i]);
    if (errp[i] >= 0)
      close(errp[i]);
  }
  return -1;
}
