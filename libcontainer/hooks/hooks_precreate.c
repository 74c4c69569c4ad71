#include "libcontainer/hooks/hooks_precreate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/hooks/hook_exec.h"
#include "libcontainer/hooks/hook_reaper.h"
#include "libcontainer/hooks/hooks.h"
#include "libcontainer/util/json.h"
#include "libcontainer/util/log.h"

extern char **environ;

/* The output goes to a file, not a pipe: it is read whole once the hook is
 * done, and a filter that prints more than a pipe holds never blocks. */
static int read_output(int fd, char **out, size_t *len, hrun_error *err)
{
  if (lseek(fd, 0, SEEK_SET) < 0)
    return err_set(err, errno, "lseek");
  return read_fd_max(fd, "output", JSON_MAX_SIZE, out, len, err);
}

static int exec_filter(const char *name, const struct spec_hook *h, const char *text,
                       size_t len, char **out, size_t *out_len, hrun_error *err)
{
  cleanup_close int fd = memfd_create("hrun-precreate-out", MFD_CLOEXEC);
  char *fallback_argv[2] = {h->path, NULL};
  struct hook_outcome o;
  struct hook_io io;
  int r;

  if (fd < 0)
    return err_set(err, errno, "memfd_create");
  if (hook_io_open(&io, text, len, err) < 0)
    return -1;
  io.stdout_fd = fd;
  r = hook_exec(h->path, h->args.len ? h->args.items : fallback_argv,
                h->has_env ? h->env.items : environ, &io,
                h->timeout.set ? (int)h->timeout.value : 0, &o, err);
  hook_io_close(&io);
  if (r < 0)
    return err_wrap(err, "%s", name);
  log_debug("precreate hook %s: exit status %d in %lld us", h->path, o.exit_code,
            o.duration_us);
  if (o.timed_out || o.signal || o.exit_code != 0)
    return hooks_outcome_error(name, h->path, (long long)h->timeout.value, &o,
                               err);
  if (read_output(fd, out, out_len, err) < 0)
    return err_wrap(err, "%s (%s)", name, h->path);
  return 0;
}

static int run_one(const struct precreate_hook *p, char **text, size_t *len,
                   struct oci_spec **spec, hrun_error *err)
{
  struct oci_spec *parsed = NULL;
  char *out = NULL, name[512];
  size_t out_len;

  snprintf(name, sizeof(name), "precreate hook from %s", p->origin);
  if (exec_filter(name, p->hook, *text, *len, &out, &out_len, err) < 0)
    return -1;
  if (spec_parse(out, out_len, &parsed, err) < 0) {
    free(out);
    return err_wrap(err, "%s (%s): its output", name, p->hook->path);
  }
  free(*text);
  *text = out;
  *len = out_len;
  spec_free(*spec);
  *spec = parsed;
  return 0;
}

/* As any stage: a failing filter leaves nothing running that it started
 * (hook_reaper.h); what those that succeed leave is theirs. */
int precreate_run(const struct precreate_hook *hooks, size_t n, char **text, size_t *len,
                  struct oci_spec **spec, hrun_error *err)
{
  struct hook_reaper reaper;
  size_t i;
  int r = 0;

  if (!n)
    return 0;
  hook_reaper_begin(&reaper);
  for (i = 0; i < n && r == 0; i++) {
    r = run_one(&hooks[i], text, len, spec, err);
    if (r < 0)
      hook_reaper_kill(&reaper);
    else
      hook_reaper_keep_current(&reaper);
  }
  hook_reaper_end(&reaper);
  return r;
}
