/* The systemd driver's calls to systemd (org.freedesktop.systemd1.Manager
 * on the system bus, through sd-bus): start the container's transient
 * scope, change its properties, stop it. Each call opens its own
 * connection: hrun is a short-lived process and makes one or two calls.
 * The property list comes from cgroup_systemd_props.c; this file only
 * serialises it. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/cgroups/cgroup_systemd.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/log.h"
#include "libcontainer/cgroups/sdbus_dl.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_NO_SUCH_UNIT "org.freedesktop.systemd1.NoSuchUnit"
#define SD_UNIT_EXISTS "org.freedesktop.systemd1.UnitExists"
/* As runc: a job that takes longer means systemd is stuck. */
#define JOB_TIMEOUT_USEC (30ULL * 1000000ULL)

static void bus_closep(sd_bus **b)
{
  if (*b)
    sdbus.flush_close_unref(*b);
}

static void msg_unrefp(sd_bus_message **m)
{
  if (*m)
    sdbus.message_unref(*m);
}

static void bus_error_freep(sd_bus_error *e)
{
  if (sdbus.error_free)
    sdbus.error_free(e);
}

#define cleanup_bus __attribute__((cleanup(bus_closep)))
#define cleanup_msg __attribute__((cleanup(msg_unrefp)))
#define cleanup_bus_error __attribute__((cleanup(bus_error_freep)))

struct job_wait {
  char *path;   /* the job's object path, once systemd returned it */
  char *result; /* JobRemoved's result: "done", "failed", ... */
};

int systemd_check(hrun_error *err)
{
  cleanup_bus sd_bus *bus = NULL;
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  int r;

  if (access("/run/systemd/system", F_OK) < 0)
    return err_set(err, 0, "--systemd-cgroup: systemd is not running on this host "
                           "(no /run/systemd/system); use the cgroupfs manager");
  if (sdbus_load(err) < 0)
    return -1;
  r = sdbus.open_system(&bus);
  if (r >= 0)
    r = sdbus.call_method(bus, SD_DEST, SD_PATH, "org.freedesktop.DBus.Peer", "Ping", &e,
                           NULL, "");
  if (r < 0 && e.message)
    return err_set(err, 0, "--systemd-cgroup: systemd's bus is unreachable: %s", e.message);
  if (r < 0)
    return err_set(err, -r, "--systemd-cgroup: systemd's bus is unreachable");
  if (cgroup_mode() != CGROUP_MODE_V2)
    return err_set(err, 0, "--systemd-cgroup: needs a cgroup v2 host (this one has cgroup v1 "
                           "hierarchies); use the cgroupfs manager");
  return 0;
}

static int on_job_removed(sd_bus_message *m, void *data, sd_bus_error *ret)
{
  struct job_wait *w = data;
  const char *path, *unit, *result;
  uint32_t id;

  (void)ret;
  if (sdbus.message_read(m, "uoss", &id, &path, &unit, &result) < 0)
    return 0;
  if (w->path && !w->result && strcmp(path, w->path) == 0)
    w->result = xstrdup(result);
  return 0;
}

/* A connection that hears JobRemoved (systemd sends its signals on the
 * system bus only to subscribed clients). */
static int bus_open(sd_bus **bus, struct job_wait *w, const char *what, hrun_error *err)
{
  int r;

  if (sdbus_load(err) < 0)
    return -1;
  r = sdbus.open_system(bus);

  if (r >= 0)
    r = sdbus.match_signal(*bus, NULL, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved",
                            on_job_removed, w);
  if (r >= 0)
    r = sdbus.call_method(*bus, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe", NULL, NULL, "");
  if (r < 0)
    return err_set(err, -r, "--systemd-cgroup: %s: systemd's bus", what);
  return 0;
}

static uint64_t now_usec(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

/* reply holds the job's path; its JobRemoved may already be queued (the
 * call does not dispatch signals): it is handled here. */
static int wait_job(sd_bus *bus, sd_bus_message *reply, struct job_wait *w, const char *what,
                    hrun_error *err)
{
  uint64_t deadline = now_usec() + JOB_TIMEOUT_USEC, now;
  const char *path;
  int r = sdbus.message_read(reply, "o", &path);

  if (r < 0)
    return err_set(err, -r, "--systemd-cgroup: %s: systemd's reply", what);
  w->path = xstrdup(path);
  while (!w->result) {
    r = sdbus.process(bus, NULL);
    if (r > 0)
      continue;
    if (r == 0 && (now = now_usec()) < deadline)
      r = sdbus.wait(bus, deadline - now);
    else if (r == 0)
      return err_set(err, ETIMEDOUT, "--systemd-cgroup: %s: systemd's job %s", what, w->path);
    if (r < 0)
      return err_set(err, -r, "--systemd-cgroup: %s: waiting for systemd's job", what);
  }
  if (strcmp(w->result, "done") != 0)
    return err_set(err, 0, "--systemd-cgroup: %s: systemd's job ended \"%s\" (see journalctl)",
                   what, w->result);
  return 0;
}

static void job_wait_free(struct job_wait *w)
{
  free(w->path);
  free(w->result);
}

static int append_value(sd_bus_message *m, const struct sd_prop *p)
{
  int r;

  switch (p->type) {
  case SD_PROP_STRING: return sdbus.message_append(m, "s", p->str);
  case SD_PROP_BOOL: return sdbus.message_append(m, "b", (int)p->b);
  case SD_PROP_U64: return sdbus.message_append(m, "t", p->u64);
  case SD_PROP_BYTES: return sdbus.message_append_array(m, 'y', p->bytes, p->n);
  case SD_PROP_PIDS: return sdbus.message_append_array(m, 'u', p->bytes, p->n * 4);
  case SD_PROP_DEVICES:
    r = sdbus.message_open_container(m, 'a', "(ss)");
    for (size_t i = 0; r >= 0 && i < p->n; i++)
      r = sdbus.message_append(m, "(ss)", p->devices[i].path, p->devices[i].access);
    return r < 0 ? r : sdbus.message_close_container(m);
  }
  return -EINVAL;
}

/* The a(sv) of StartTransientUnit and SetUnitProperties. */
static int append_props(sd_bus_message *m, const struct sd_props *props)
{
  static const char *const sig[] = {"s", "b", "t", "ay", "au", "a(ss)"};
  int r = sdbus.message_open_container(m, 'a', "(sv)");

  for (size_t i = 0; r >= 0 && i < props->n; i++) {
    const struct sd_prop *p = &props->v[i];
    r = sdbus.message_open_container(m, 'r', "sv");
    if (r >= 0)
      r = sdbus.message_append(m, "s", p->name);
    if (r >= 0)
      r = sdbus.message_open_container(m, 'v', sig[p->type]);
    if (r >= 0)
      r = append_value(m, p);
    if (r >= 0)
      r = sdbus.message_close_container(m);
    if (r >= 0)
      r = sdbus.message_close_container(m);
  }
  return r < 0 ? r : sdbus.message_close_container(m);
}

static int start_call(sd_bus *bus, const char *unit, const struct sd_props *props,
                      sd_bus_message **reply, sd_bus_error *e)
{
  cleanup_msg sd_bus_message *m = NULL;
  int r = sdbus.message_new_method_call(bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
                                         "StartTransientUnit");

  if (r >= 0)
    r = sdbus.message_append(m, "ss", unit, "fail");
  if (r >= 0)
    r = append_props(m, props);
  if (r >= 0)
    r = sdbus.message_append(m, "a(sa(sv))", 0);
  return r < 0 ? r : sdbus.call(bus, m, 0, e, reply);
}

static int call_error(hrun_error *err, int r, const sd_bus_error *e, const char *what)
{
  return err_set(err, e->message ? 0 : -r, "--systemd-cgroup: %s%s%s", what,
                 e->message ? ": " : "", e->message ? e->message : "");
}

int systemd_scope_start(const struct systemd_scope *s, const char *id, pid_t pid,
                        const struct spec_resources *res, hrun_error *err)
{
  cleanup_bus sd_bus *bus = NULL;
  cleanup_msg sd_bus_message *reply = NULL;
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  cleanup_free char *what = xasprintf("start %s", s->unit);
  struct job_wait w = {0};
  struct sd_props props;
  int r;

  if (sd_props_for_start(s, id, pid, res, &props, err) < 0)
    return -1;
  r = bus_open(&bus, &w, what, err);
  if (r == 0) {
    r = start_call(bus, s->unit, &props, &reply, &e);
    /* A failed unit of that name, left by an earlier container: it goes. */
    if (r < 0 && sdbus.error_has_name(&e, SD_UNIT_EXISTS)) {
      sdbus.error_free(&e);
      sdbus.call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "ResetFailedUnit", NULL, NULL,
                         "s", s->unit);
      r = start_call(bus, s->unit, &props, &reply, &e);
    }
    r = r < 0 ? call_error(err, r, &e, what) : wait_job(bus, reply, &w, what, err);
  }
  sd_props_free(&props);
  job_wait_free(&w);
  return r;
}

int systemd_scope_update(const char *unit, const struct spec_resources *res, hrun_error *err)
{
  cleanup_bus sd_bus *bus = NULL;
  cleanup_msg sd_bus_message *m = NULL;
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  cleanup_free char *what = xasprintf("set the properties of %s", unit);
  struct sd_props props = {0};
  int r;

  if (sd_props_from_resources(res, &props, err) < 0)
    return -1;
  if (props.n == 0)
    return 0;
  if (sdbus_load(err) < 0) {
    sd_props_free(&props);
    return -1;
  }
  r = sdbus.open_system(&bus);
  if (r >= 0)
    r = sdbus.message_new_method_call(bus, &m, SD_DEST, SD_PATH, SD_MANAGER,
                                       "SetUnitProperties");
  if (r >= 0)
    r = sdbus.message_append(m, "sb", unit, 1);
  if (r >= 0)
    r = append_props(m, &props);
  if (r >= 0)
    r = sdbus.call(bus, m, 0, &e, NULL);
  sd_props_free(&props);
  return r < 0 ? call_error(err, r, &e, what) : 0;
}

int systemd_scope_stop(const char *unit, hrun_error *err)
{
  cleanup_bus sd_bus *bus = NULL;
  cleanup_msg sd_bus_message *reply = NULL;
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  cleanup_free char *what = xasprintf("stop %s", unit);
  struct job_wait w = {0};
  int r = bus_open(&bus, &w, what, err);

  if (r < 0)
    return -1;
  r = sdbus.call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "StopUnit", &e, &reply, "ss", unit,
                         "replace");
  if (r < 0 && sdbus.error_has_name(&e, SD_NO_SUCH_UNIT))
    r = 0; /* it ended with its last process */
  else if (r < 0)
    r = call_error(err, r, &e, what);
  else
    r = wait_job(bus, reply, &w, what, err);
  /* A scope that failed (its processes killed by the OOM killer, ...) is
   * kept by systemd until reset: it goes too. */
  sdbus.call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "ResetFailedUnit", NULL, NULL, "s",
                     unit);
  job_wait_free(&w);
  log_debug("systemd: %s: %s", what, r < 0 ? err->msg : "done");
  return r;
}
