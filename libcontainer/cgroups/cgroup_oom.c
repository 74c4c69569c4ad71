/* OOM events of a container's cgroup, as a file descriptor to poll.
 *
 * v1: an eventfd registered through cgroup.event_control on
 *     memory.oom_control; the kernel adds 1 for each OOM in the cgroup, and
 *     also signals it once when the cgroup is removed (told apart by
 *     cgroup.event_control being gone, as runc does). One OOM kill is often
 *     several OOMs (the charges of the dying task retry), so what is
 *     reported is "OOM since the last look", not a count.
 * v2: inotify on memory.events, which the kernel marks modified when any
 *     of its counters changes; an OOM kill is a rise of oom_kill. The
 *     inotify event reaches us from a kernel work item, so a reader that
 *     must not miss a kill (the container just ended) reads the counter
 *     itself: cgroup_oom_watch_read always does. */
#include "libcontainer/cgroups/cgroup_stats.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/util/cleanup.h"

/* memory.events' oom_kill; 0 when the file has no such line. */
static int read_oom_kills(const char *dir, uint64_t *v, hrun_error *err)
{
  cleanup_free char *text = NULL;
  const char *line;

  *v = 0;
  if (cg_read(dir, "memory.events", &text, err) < 0)
    return -1;
  for (line = text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
    if (strncmp(line, "oom_kill ", 9) == 0) {
      *v = strtoull(line + 9, NULL, 10);
      break;
    }
  return 0;
}

static int open_v1(const char *dir, struct cgroup_oom_watch *w, hrun_error *err)
{
  cleanup_free char *path = xasprintf("%s/memory.oom_control", dir);
  cleanup_close int efd = -1;
  cleanup_close int ctl = open(path, O_RDONLY | O_CLOEXEC);

  if (ctl < 0)
    return errno == ENOENT ? 0 : err_set(err, errno, "cgroup: OOM events: open %s", path);
  efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0)
    return err_set(err, errno, "cgroup: OOM events: eventfd");
  if (cg_writef(dir, "cgroup.event_control", "OOM events", err, "%d %d", efd, ctl) < 0) {
    if (err->errnum != ENOENT)
      return -1;
    err_clear(err); /* a kernel without v1 memory events: nothing to watch */
    return 0;
  }
  w->fd = take_fd(&efd);
  w->event_fd = take_fd(&ctl);
  return 0;
}

static int open_v2(const char *dir, struct cgroup_oom_watch *w, hrun_error *err)
{
  cleanup_free char *path = xasprintf("%s/memory.events", dir);
  cleanup_close int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);

  if (fd < 0)
    return err_set(err, errno, "cgroup: OOM events: inotify_init1");
  if (inotify_add_watch(fd, path, IN_MODIFY) < 0)
    return errno == ENOENT ? 0 : err_set(err, errno, "cgroup: OOM events: watch %s", path);
  /* Kills before now are not news. */
  if (read_oom_kills(dir, &w->oom_kills, err) < 0)
    return -1;
  w->fd = take_fd(&fd);
  return 0;
}

int cgroup_oom_watch_open(const struct cgroup_paths *p, struct cgroup_oom_watch *w,
                          hrun_error *err)
{
  const struct cgroup_dir *d = p->mode == CGROUP_MODE_V1 ? cg_v1_dir(p, "memory") : NULL;
  int r;

  memset(w, 0, sizeof(*w));
  w->fd = w->event_fd = -1;
  if (d) {
    w->mode = CGROUP_MODE_V1;
    r = open_v1(d->path, w, err);
  } else if ((d = cg_v2_dir(p))) {
    w->mode = CGROUP_MODE_V2;
    r = open_v2(d->path, w, err);
  } else {
    return 0; /* no memory controller: no OOM to report */
  }
  if (r == 0 && w->fd >= 0)
    w->dir = xstrdup(d->path);
  return r;
}

static int read_v1(struct cgroup_oom_watch *w, hrun_error *err)
{
  uint64_t n = 0;

  if (read(w->fd, &n, sizeof(n)) < 0)
    return errno == EAGAIN ? 0 : err_set(err, errno, "cgroup: OOM events: read eventfd");
  if (!cg_exists(w->dir, "cgroup.event_control")) { /* removed, not an OOM */
    cgroup_oom_watch_close(w);
    return 0;
  }
  return n > 0;
}

static int read_v2(struct cgroup_oom_watch *w, hrun_error *err)
{
  char buf[4096];
  uint64_t kills;

  while (read(w->fd, buf, sizeof(buf)) > 0)
    ; /* the events only say "look again" */
  if (read_oom_kills(w->dir, &kills, err) < 0) {
    if (err->errnum != ENOENT && err->errnum != ENODEV)
      return -1;
    cgroup_oom_watch_close(w); /* the cgroup is gone */
    return 0;
  }
  if (kills <= w->oom_kills)
    return 0;
  w->oom_kills = kills;
  return 1;
}

int cgroup_oom_watch_read(struct cgroup_oom_watch *w, hrun_error *err)
{
  if (w->fd < 0)
    return 0;
  return w->mode == CGROUP_MODE_V1 ? read_v1(w, err) : read_v2(w, err);
}

void cgroup_oom_watch_close(struct cgroup_oom_watch *w)
{
  if (w->fd >= 0)
    close(w->fd);
  if (w->event_fd >= 0)
    close(w->event_fd);
  free(w->dir);
  w->fd = w->event_fd = -1;
  w->dir = NULL;
}
