/* events: a container's stats every interval and its OOM kills, as runc's
 * `events` streams them, until the container's init is gone. One ppoll
 * waits for the init's pidfd, the OOM watch and the next tick together, so
 * the stream ends the moment the container does, and an OOM is reported
 * when it happens rather than at the next tick. */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/cgroups/cgroup_stats.h"
#include "libcontainer/container/container.h"
#include "libcontainer/util/engine_errors.h"
#include "libcontainer/util/log.h"
#include "libcontainer/state/process.h"

#define NS_PER_SEC 1000000000LL

static int64_t now_ns(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* in_stream: a failed reading is logged and the stream goes on, as runc
 * does (a cgroup file can vanish while the container ends). */
static int emit_stats(const struct container_handle *h, container_event_fn fn, void *data,
                      bool in_stream, hrun_error *err)
{
  struct cgroup_stats s;
  int r;

  if (cgroup_stats_read(&h->state.cgroup, &s, err) < 0) {
    err_wrap(err, "container %s", h->state.id);
    if (!in_stream)
      return -1;
    log_warning("%s", err->msg);
    return 0;
  }
  r = fn(CONTAINER_EVENT_STATS, h->state.id, &s, data, err);
  cgroup_stats_free(&s);
  return r;
}

static int emit_ooms(struct cgroup_oom_watch *w, const char *id, container_event_fn fn,
                     void *data, hrun_error *err)
{
  int r = cgroup_oom_watch_read(w, err);

  if (r < 0)
    return err_wrap(err, "container %s", id);
  return r > 0 ? fn(CONTAINER_EVENT_OOM, id, NULL, data, err) : 0;
}

static int stream(const struct container_handle *h, int pidfd, struct cgroup_oom_watch *oom,
                  const struct events_options *o, container_event_fn fn, void *data,
                  hrun_error *err)
{
  const char *id = h->state.id;
  int64_t next = now_ns() + o->interval_ns, left;
  struct pollfd fds[2];
  struct timespec ts;
  int r;

  for (;;) {
    fds[0] = (struct pollfd){.fd = pidfd, .events = POLLIN};
    fds[1] = (struct pollfd){.fd = oom->fd, .events = POLLIN}; /* -1: ignored */
    left = next - now_ns();
    ts = left > 0 ? (struct timespec){left / NS_PER_SEC, left % NS_PER_SEC}
                  : (struct timespec){0, 0};
    r = ppoll(fds, 2, &ts, NULL);
    if (r < 0 && errno != EINTR)
      return err_set(err, errno, "container %s: events: poll", id);
    /* The OOM first: a kill that ended the init comes before the end. */
    if (r > 0 && fds[1].revents && emit_ooms(oom, id, fn, data, err) < 0)
      return -1;
    /* The init is gone: one last look at the counter, which on v2 can be
     * ahead of its inotify event. */
    if (r > 0 && fds[0].revents)
      return emit_ooms(oom, id, fn, data, err);
    if (now_ns() < next)
      continue;
    if (emit_stats(h, fn, data, true, err) < 0)
      return -1;
    /* Ticks missed by a slow reader are dropped, as Go's time.Tick does. */
    next += o->interval_ns;
    if (next <= now_ns())
      next = now_ns() + o->interval_ns;
  }
}

static int events_open(const struct container_handle *h, int *pidfd,
                       struct cgroup_oom_watch *oom, hrun_error *err)
{
  const char *id = h->state.id;

  *pidfd = process_open(&h->state);
  if (*pidfd < 0)
    return errno == ESRCH ? err_not_running(err, id)
                          : err_set(err, errno, "container %s: pidfd_open", id);
  if (cgroup_oom_watch_open(&h->state.cgroup, oom, err) < 0) {
    close(*pidfd);
    return err_wrap(err, "container %s", id);
  }
  return 0;
}

int container_events(const struct hrun_context *ctx, const char *id,
                     const struct events_options *opts, container_event_fn fn, void *data,
                     hrun_error *err)
{
  struct container_handle h;
  struct cgroup_oom_watch oom;
  int pidfd, r;

  /* No lock: the stream lasts as long as the container, and kill, delete
   * and exec must not wait for it. */
  if (container_open_alive(ctx, id, false, &h, err) < 0)
    return -1;
  if (h.state.cgroup.n_dirs == 0)
    r = err_set(err, 0, "container %s has no cgroup to read stats from", id);
  else if (opts->stats_only)
    r = emit_stats(&h, fn, data, false, err);
  else if ((r = events_open(&h, &pidfd, &oom, err)) == 0) {
    r = stream(&h, pidfd, &oom, opts, fn, data, err);
    cgroup_oom_watch_close(&oom);
    close(pidfd);
  }
  container_close(&h);
  return r;
}
