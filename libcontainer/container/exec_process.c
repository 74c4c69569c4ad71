#include "libcontainer/container/exec_process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/security/caps.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/container/container.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/json.h"
#include "libcontainer/security/lsm.h"
#include "libcontainer/spec/spec.h"
#include "libcontainer/spec/spec_names.h"

static int from_file(const char *path, struct oci_spec *config, struct spec_process **out,
                     hrun_error *err)
{
  cleanup_free char *text = NULL;
  size_t len;

  if (read_regular_file_at(AT_FDCWD, path, JSON_MAX_SIZE, &text, &len, err) < 0)
    return err_wrap(err, "--process");
  if (spec_parse_process(text, len, config->arena, out, err) < 0)
    return err_wrap(err, "--process %s", path);
  /* Without capabilities of its own the process gets the container's, as
   * with runc (not none). */
  if (!(*out)->has_capabilities && config->process && config->process->has_capabilities) {
    (*out)->has_capabilities = true;
    (*out)->capabilities = config->process->capabilities;
  }
  /* So are its I/O priority and scheduler (runc too). */
  if (!(*out)->io_priority.set && config->process)
    (*out)->io_priority = config->process->io_priority;
  if (!(*out)->scheduler.set && config->process)
    (*out)->scheduler = config->process->scheduler;
  return 0;
}

static struct spec_strv strv_from(struct arena *a, char **items, int n)
{
  struct spec_strv v = {.items = arena_calloc(a, n + 1, sizeof(char *)), .len = n};
  int i;

  for (i = 0; i < n; i++)
    v.items[i] = arena_strdup(a, items[i]);
  return v;
}

/* -e NAME=VALUE replaces NAME in the base environment or is added. */
static void set_env(struct arena *a, struct spec_strv *env, const char *var)
{
  size_t i, name_len = strcspn(var, "=");
  char **items;

  for (i = 0; i < env->len; i++)
    if (strncmp(env->items[i], var, name_len) == 0 && env->items[i][name_len] == '=') {
      env->items[i] = arena_strdup(a, var);
      return;
    }
  items = arena_calloc(a, env->len + 2, sizeof(char *));
  memcpy(items, env->items, env->len * sizeof(char *));
  items[env->len++] = arena_strdup(a, var);
  env->items = items;
}

static int parse_user(const char *text, struct spec_user *u, hrun_error *err)
{
  char *end;
  unsigned long uid, gid;

  errno = 0;
  uid = strtoul(text, &end, 10);
  gid = u->gid;
  if (!errno && *end == ':')
    gid = strtoul(end + 1, &end, 10);
  if (errno || *end || text[0] == '\0' || uid > UINT32_MAX || gid > UINT32_MAX)
    return err_set(err, 0, "--user: \"%s\" is not UID[:GID]", text);
  u->uid = uid;
  u->gid = gid;
  u->n_additional_gids = 0;
  return 0;
}

static int add_caps(const struct exec_options *opts, struct spec_process *p, hrun_error *err)
{
  int i, cap;

  for (i = 0; i < opts->n_caps; i++) {
    cap = caps_from_name(opts->caps[i]);
    if (cap < 0)
      return err_set(err, 0, "--cap: unknown capability \"%s\"", opts->caps[i]);
    p->has_capabilities = true;
    p->capabilities.sets[CAPSET_BOUNDING] |= 1ULL << cap;
    p->capabilities.sets[CAPSET_EFFECTIVE] |= 1ULL << cap;
    p->capabilities.sets[CAPSET_PERMITTED] |= 1ULL << cap;
    /* Never the inheritable set: an exec'd process must not hand
     * capabilities to the programs it runs (CVE-2022-27650). */
  }
  return 0;
}

/* -g GID: added to the process's additional groups (after -u, which
 * clears them). */
static int add_gids(const struct exec_options *opts, struct spec_process *p, struct arena *a,
                    hrun_error *err)
{
  size_t n = p->user.n_additional_gids;
  uint32_t *gids;
  char *end;
  int i;

  if (opts->n_additional_gids == 0)
    return 0;
  gids = arena_calloc(a, n + opts->n_additional_gids, sizeof(*gids));
  memcpy(gids, p->user.additional_gids, n * sizeof(*gids));
  for (i = 0; i < opts->n_additional_gids; i++) {
    unsigned long v;
    errno = 0;
    v = strtoul(opts->additional_gids[i], &end, 10);
    if (errno || *end || !opts->additional_gids[i][0] || v > UINT32_MAX)
      return err_set(err, 0, "--additional-gids: \"%s\" is not a group id",
                     opts->additional_gids[i]);
    gids[n++] = (uint32_t)v;
  }
  p->user.additional_gids = gids;
  p->user.n_additional_gids = n;
  return 0;
}

static int from_command_line(const struct exec_options *opts, struct oci_spec *config,
                             struct spec_process **out, hrun_error *err)
{
  struct arena *a = config->arena;
  struct spec_process *p;
  int i;

  if (!config->process)
    return err_set(err, 0, "the container has no process to base the exec on: use --process");
  if (opts->n_args < 1)
    return err_set(err, 0, "exec needs a command (or --process FILE)");
  p = arena_alloc(a, sizeof(*p));
  *p = *config->process;
  p->args = strv_from(a, opts->args, opts->n_args);
  p->terminal = opts->tty;
  for (i = 0; i < opts->n_env; i++)
    set_env(a, &p->env, opts->env[i]);
  /* An empty --cwd is no --cwd, as runc reads it. */
  if (opts->cwd && opts->cwd[0] != '/' && opts->cwd[0])
    return err_set(err, 0, "--cwd: \"%s\" must be an absolute path", opts->cwd);
  if (opts->cwd && opts->cwd[0])
    p->cwd = arena_strdup(a, opts->cwd);
  if (opts->user && parse_user(opts->user, &p->user, err) < 0)
    return -1;
  if (add_caps(opts, p, err) < 0)
    return -1;
  *out = p;
  return 0;
}

int exec_process_build(const struct exec_options *opts, struct oci_spec *config,
                       struct spec_process **out, hrun_error *err)
{
  int r = opts->process_file ? from_file(opts->process_file, config, out, err)
                             : from_command_line(opts, config, out, err);

  /* Every failure of the command line's process is a bad value; --process
   * FILE's are made INVALID_CONFIG by spec_parse_process, except reading it. */
  if (r < 0)
    return opts->process_file ? -1 : err_kind(err, HRUN_ERR_INVALID_CONFIG);
#ifdef HRUN_TEST_EXEC_INHERITABLE
  /* test builds only: crun's CVE-2022-27650, inheritable = permitted */
  (*out)->capabilities.sets[CAPSET_INHERITABLE] = (*out)->capabilities.sets[CAPSET_PERMITTED];
#endif
  if (opts->tty)
    (*out)->terminal = true;
  if (opts->no_new_privs)
    (*out)->no_new_privileges = true;
  if (add_gids(opts, *out, config->arena, err) < 0)
    return err_kind(err, HRUN_ERR_INVALID_CONFIG);
  caps_skip_unheld(&(*out)->capabilities,
                   opts->n_caps ? "process.capabilities (with --cap)" : "process.capabilities");
  if (opts->apparmor)
    (*out)->apparmor_profile = arena_strdup(config->arena, opts->apparmor);
  if (opts->process_label)
    (*out)->selinux_label = arena_strdup(config->arena, opts->process_label);
  if (lsm_check((*out)->apparmor_profile, opts->apparmor ? "--apparmor" : "process.apparmorProfile",
                (*out)->selinux_label,
                opts->process_label ? "--process-label" : "process.selinuxLabel", err) < 0)
    return -1;
  /* Without a console socket hrun relays the terminal itself, which a
   * detached exec cannot (runc refuses it too). */
  if ((*out)->terminal && !opts->console_socket && opts->detach)
    return err_set_kind(err, HRUN_ERR_INVALID_CONFIG, 0,
                        "a terminal with --detach needs --console-socket");
  if (!(*out)->terminal && opts->console_socket)
    return err_set_kind(err, HRUN_ERR_INVALID_CONFIG, 0,
                        "--console-socket was given but the process has no terminal");
  return 0;
}
