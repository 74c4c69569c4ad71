#include "libcontainer/hooks/hook_reaper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"

/* Each round kills one generation (their children become ours once they
 * are reaped); a tree deeper than this, still forking, is left to the
 * container's teardown. */
#define MAX_ROUNDS 64

/* Our children as the kernel lists them. /proc/self/task/<getpid()> exists
 * only when this procfs numbers us as we number ourselves: in the init
 * before pivot_root, /proc is the host's and the open fails, so pids from
 * another namespace are never signalled. hrun runs hooks from its only
 * thread, the one orphans are given to. */
static int open_children(void)
{
  char path[64];

  snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
  return open(path, O_RDONLY | O_CLOEXEC);
}

/* "pid pid ... " into a malloc'd array; the count. */
static size_t read_children(int fd, pid_t **out)
{
  size_t len = 0, cap = 256, n = 0;
  cleanup_free char *text = xmalloc0(cap);
  ssize_t r;

  while ((r = read(fd, text + len, cap - len - 1)) > 0) {
    len += (size_t)r;
    if (len + 1 == cap)
      text = xrealloc(text, cap *= 2);
  }
  text[len] = '\0';
  *out = xmalloc0(sizeof(**out) * (len / 2 + 1));
  for (char *s = text, *end; *s; s = end) {
    long v = strtol(s, &end, 10);
    if (end == s)
      break;
    (*out)[n++] = (pid_t)v;
  }
  return n;
}

static size_t list_children(pid_t **out)
{
  cleanup_close int fd = open_children();

  *out = NULL;
  return fd < 0 ? 0 : read_children(fd, out);
}

static bool kept(const struct hook_reaper *r, pid_t pid)
{
  for (size_t i = 0; i < r->n_keep; i++)
    if (r->keep[i] == pid)
      return true;
  return false;
}

/* Still our unreaped child, so its pid cannot have been reused. */
static bool is_child(pid_t pid)
{
  siginfo_t si;

  return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0;
}

void hook_reaper_begin(struct hook_reaper *r)
{
  cleanup_close int fd = open_children();
  int was = 0;

  memset(r, 0, sizeof(*r));
  if (fd < 0)
    return;
  prctl(PR_GET_CHILD_SUBREAPER, &was, 0, 0, 0);
  r->was_subreaper = was != 0;
  if (!r->was_subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
    return;
  r->n_keep = read_children(fd, &r->keep);
  r->active = true;
}

void hook_reaper_keep_current(struct hook_reaper *r)
{
  if (!r->active)
    return;
  free(r->keep);
  r->n_keep = list_children(&r->keep);
}

void hook_reaper_kill(struct hook_reaper *r)
{
  for (int round = 0; r->active && round < MAX_ROUNDS; round++) {
    cleanup_free pid_t *kids = NULL;
    size_t n = list_children(&kids), killed = 0;

    for (size_t i = 0; i < n; i++)
      if (!kept(r, kids[i]) && is_child(kids[i]) && kill(kids[i], SIGKILL) == 0)
        kids[killed++] = kids[i];
    if (killed == 0)
      return;
    for (size_t i = 0; i < killed; i++)
      while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
        ;
  }
}

void hook_reaper_end(struct hook_reaper *r)
{
  if (r->active && !r->was_subreaper)
    prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
  free(r->keep);
  memset(r, 0, sizeof(*r));
}
