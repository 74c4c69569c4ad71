#include "libcontainer/hooks/hooks.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/hooks/hook_exec.h"
#include "libcontainer/hooks/hook_reaper.h"
#include "libcontainer/util/json.h"
#include "libcontainer/util/log.h"

extern char **environ;

#define STDERR_TAIL 512

/* runtime-spec (runtime.md, "Lifecycle" and "State"): "creating" is step
 * 2 itself; prestart, createRuntime and createContainer are steps 3-5,
 * after it, and startContainer runs before the process does: all four see
 * "created". (runc sends "creating" to the first three; crun and the OCI
 * validation suite's hooks_stdin say "created".) */
const char *hooks_stage_status(enum hook_stage stage)
{
  switch (stage) {
  case HOOK_POSTSTART:
    return "running";
  case HOOK_POSTSTOP:
    return "stopped";
  default:
    return "created";
  }
}

/* The state a stage's hooks read on stdin (runtime-spec "State"), in the
 * files of the stage (a memfd: every hook reads it whole from offset 0, and
 * one that exits without reading it cannot make the runtime die of SIGPIPE
 * or fail with EPIPE, as crun 1.8.1 does at random). */
static int open_io(const struct oci_spec *spec, enum hook_stage stage,
                   const struct hook_run *run, struct hook_io *io, hrun_error *err)
{
  json_writer *w = json_writer_new(false);
  const char *out;
  size_t len, i;
  int r;

  jw_object_begin(w);
  jw_key(w, "ociVersion");
  jw_string(w, HRUN_SPEC_VERSION);
  jw_key(w, "id");
  jw_string(w, run->id);
  jw_key(w, "status");
  jw_string(w, hooks_stage_status(stage));
  if (stage != HOOK_POSTSTOP) {
    jw_key(w, "pid");
    jw_int(w, run->pid);
  }
  jw_key(w, "bundle");
  jw_string(w, run->bundle);
  if (spec->n_annotations) {
    jw_key(w, "annotations");
    jw_object_begin(w);
    for (i = 0; i < spec->n_annotations; i++) {
      jw_key(w, spec->annotations[i].key);
      jw_string(w, spec->annotations[i].value);
    }
    jw_object_end(w);
  }
  jw_object_end(w);
  out = jw_output(w, &len);
  r = hook_io_open(io, out, len, err);
  json_writer_free(w);
  return r;
}

/* The end of the hook's stderr, on one line. When the hook wrote more than
 * that, it says so and starts at a line's start if the window has one. */
static void stderr_tail(const struct hook_capture *c, char *buf, size_t size)
{
  const char *s = c->len > STDERR_TAIL ? c->tail + c->len - STDERR_TAIL : c->tail;
  const char *end = c->tail + c->len, *nl;
  size_t n = 0;
  bool text = false, sep = false;

  buf[0] = '\0';
  if (c->total > (unsigned long long)(end - s)) {
    nl = memchr(s, '\n', (size_t)(end - s));
    if (nl && nl + 1 < end)
      s = nl + 1;
    n = (size_t)snprintf(buf, size, "(output truncated) ");
  }
  for (; s < end && n + 3 < size; s++) {
    if (*s == '\n' || !*s) {
      sep = sep || (*s && text);
      continue;
    }
    if (sep)
      buf[n++] = ';', buf[n++] = ' ', sep = false;
    buf[n++] = *s, text = true;
  }
  buf[n] = '\0';
}

int hooks_outcome_error(const char *name, const char *path, long long timeout,
                        const struct hook_outcome *o, hrun_error *err)
{
  char tail[2 * STDERR_TAIL + 32], why[64]; /* each newline may become "; " */

  if (o->timed_out)
    return err_set(err, 0, "%s (%s) timed out after %lld s; killed with what it started",
                   name, path, timeout);
  if (o->signal)
    snprintf(why, sizeof(why), "killed by signal %d (%s)", o->signal, strsignal(o->signal));
  else
    snprintf(why, sizeof(why), "exit status %d", o->exit_code);
  stderr_tail(&o->err, tail, sizeof(tail));
  return err_set(err, 0, "%s (%s) failed: %s%s%s", name, path, why, tail[0] ? ": " : "",
                 tail);
}

static int hook_failure(enum hook_stage stage, size_t i, const struct spec_hook *h,
                        const struct hook_outcome *o, hrun_error *err)
{
  char name[64];

  snprintf(name, sizeof(name), "hooks.%s[%zu]", hook_stage_names[stage], i);
  return hooks_outcome_error(name, h->path, (long long)h->timeout.value, o, err);
}

static void report(const struct hook_run *run, enum hook_stage stage, size_t i,
                   const struct spec_hook *h, const struct hook_outcome *o)
{
  struct hook_report r = {.stage = stage, .index = (int)i, .exit_code = o->exit_code,
                          .signal = o->signal, .timed_out = o->timed_out,
                          .duration_us = o->duration_us};

  if (!log_debug_enabled())
    return;
  snprintf(r.path, sizeof(r.path), "%s", h->path);
  if (run->report)
    run->report(&r, run->report_data);
  else
    hooks_log_report(&r);
}

static int run_one(const struct oci_spec *spec, enum hook_stage stage, size_t i,
                   const struct hook_run *run, const struct hook_io *io, hrun_error *err)
{
  const struct spec_hook *h = &spec->hooks.list[stage][i];
  char *fallback_argv[2] = {h->path, NULL};
  struct hook_outcome o;

  /* argv is args exactly as given (args[0] is argv[0]); without args, the
   * path alone. */
  if (hook_exec(h->path, h->args.len ? h->args.items : fallback_argv,
                h->has_env ? h->env.items : run->default_env, io,
                h->timeout.set ? (int)h->timeout.value : 0, &o, err) < 0)
    return err_wrap(err, "hooks.%s[%zu]", hook_stage_names[stage], i);
  report(run, stage, i, h, &o);
  if (o.timed_out || o.signal || o.exit_code != 0)
    return hook_failure(stage, i, h, &o, err);
  return 0;
}

/* A hook that fails leaves nothing running, even in a session of its own;
 * a stage that fails leaves nothing any of its hooks started. What a hook
 * of a stage that succeeds leaves running stays, as with runc and crun. */
int hooks_run_stage(const struct oci_spec *spec, enum hook_stage stage,
                    const struct hook_run *run, hrun_error *err)
{
  struct hook_reaper reaper;
  struct hook_io io;
  hrun_error warning;
  size_t i, n = spec->hooks.count[stage];
  int r = 0;

  if (n == 0)
    return 0;
  if (open_io(spec, stage, run, &io, err) < 0)
    return err_wrap(err, "hooks.%s", hook_stage_names[stage]);
  if (run->record_dir)
    io.record_dir_fd = *run->record_dir;
  hook_reaper_begin(&reaper);
  for (i = 0; i < n && r == 0; i++) {
    if (stage != HOOK_POSTSTOP) {
      r = run_one(spec, stage, i, run, &io, err);
    } else if (run_one(spec, stage, i, run, &io, &warning) < 0) {
      /* runtime-spec: a failing poststop hook is a warning, the others run */
      log_warning("%s", warning.msg);
      hook_reaper_kill(&reaper);
    } else if (i + 1 < n) {
      hook_reaper_keep_current(&reaper);
    }
  }
  if (r < 0)
    hook_reaper_kill(&reaper);
  hook_reaper_end(&reaper);
  hook_io_close(&io);
  return r;
}

void hooks_run_poststop(const struct oci_spec *spec, const char *id, const char *bundle)
{
  struct hook_run run = {.id = id, .bundle = bundle, .default_env = environ};
  hrun_error ignored;

  hooks_run_stage(spec, HOOK_POSTSTOP, &run, &ignored);
}

void hooks_log_report(const struct hook_report *r)
{
  char status[64];
  struct log_field fields[] = {
      {"stage", hook_stage_names[r->stage], 0},
      {"index", NULL, r->index},
      {"path", r->path, 0},
      {"duration_us", NULL, r->duration_us},
      {"exit_status", NULL, r->exit_code},
      {"signal", NULL, r->signal},
  };

  if (r->timed_out)
    snprintf(status, sizeof(status), "timed out");
  else if (r->signal)
    snprintf(status, sizeof(status), "killed by signal %d", r->signal);
  else
    snprintf(status, sizeof(status), "exit status %d", r->exit_code);
  log_write(LOG_LEVEL_DEBUG, fields, sizeof(fields) / sizeof(fields[0]),
            "hook %s[%d] %s: %s in %lld.%03lld ms", hook_stage_names[r->stage], r->index,
            r->path, status, r->duration_us / 1000, r->duration_us % 1000);
}
