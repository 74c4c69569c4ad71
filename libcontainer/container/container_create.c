/* create: bundle -> a container waiting for `start`. Every step that leaves
 * something behind (state dir, cgroup, init process) is undone when a later
 * step fails, so a failed create leaves nothing; and each is recorded in
 * state.json before it is made, so that a create killed at any moment
 * leaves nothing `delete --force` cannot find (state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/security/caps.h"
#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/cgroups/cgroup_systemd.h"
#include "libcontainer/util/cleanup.h"
#include "nsexec/console.h"
#include "libcontainer/container/container.h"
#include "libcontainer/cgroups/device_rules.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/fs_secure.h"
#include "libcontainer/hooks/hooks.h"
#include "libcontainer/hooks/hooks_inject.h"
#include "libcontainer/cgroups/intelrdt.h"
#include "libcontainer/util/json.h"
#include "libcontainer/util/log.h"
#include "libcontainer/security/lsm.h"
#include "libcontainer/state/process.h"
#include "libcontainer/security/seccomp.h"
#include "libcontainer/spec/spec.h"
#include "libcontainer/rootfs/sysctl.h"
#include "libcontainer/container/tty_relay.h"
#include "libcontainer/util/unix_socket.h"
#include "nsexec/spawn.h"

extern char **environ;

struct creation {
  const struct hrun_context *ctx;
  const struct create_options *opts;
  char *bundle;
  char *rootfs;
  char *pid_file; /* --pid-file, absolute: create chdirs into the bundle */
  char *config_text;
  size_t config_len;
  struct oci_spec *spec;
  int root_fd;
  int dir_fd;
  int listen_fd;
  int console_fd; /* what the init sends the pty master to */
  int relay_fd;   /* relay_terminal: our end of console_fd's socketpair */
  int tty_master; /* relay_terminal: the master, received from relay_fd */
  int preserve_fds; /* --preserve-fds plus LISTEN_FDS */
  struct seccomp_program seccomp; /* compiled here: the init only loads it */
  bool cgroup_created;
  struct cgroup_paths cgroup;
  struct systemd_scope scope; /* the systemd driver's unit, from linux.cgroupsPath */
  struct spawn_result init;
  unsigned long long init_start_time;
  unsigned long long self_start_time; /* ours: the creator's record */
  struct stat exe;                    /* ours, hence the init's until it execs */
  char created[64];                   /* RFC 3339, taken once */
};

void hooks_inject_opts_of(const struct create_options *co, struct hooks_inject_opts *o)
{
  *o = (struct hooks_inject_opts){
      .hooks_dirs = co->hooks_dirs, .n_hooks_dirs = co->n_hooks_dirs,
      .precreate = co->precreate_hooks, .n_precreate = co->n_precreate_hooks,
      .hook_spec = co->hook_spec};
}

static int check_rootfs(struct creation *c, hrun_error *err)
{
  const char *path = c->spec->root.path;
  cleanup_free char *joined = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", c->bundle, path);
  struct stat st;

  c->rootfs = resolve_path(joined, "root.path:", err);
  if (!c->rootfs)
    return -1;
  if (stat(c->rootfs, &st) < 0 || !S_ISDIR(st.st_mode))
    return err_set(err, 0, "root.path: %s is not a directory", c->rootfs);
  return 0;
}

/* Checks that need the host or the command line, beyond config.json's own
 * consistency (which spec_parse checked). */
static int check_config(struct creation *c, hrun_error *err)
{
  const struct spec_process *proc = c->spec->process;

  if (proc && proc->terminal && !c->opts->console_socket && !c->opts->relay_terminal)
    return err_set_kind(err, HRUN_ERR_INVALID_CONFIG, 0,
                        "process.terminal is true but no --console-socket was given");
  if (c->opts->console_socket && !(proc && proc->terminal))
    return err_set_kind(err, HRUN_ERR_INVALID_CONFIG, 0,
                        "--console-socket was given but process.terminal is false");
  if (sysctl_validate(c->spec, err) < 0)
    return -1;
  if (proc && proc->has_capabilities)
    caps_skip_unheld(&c->spec->process->capabilities, "process.capabilities");
  if (proc && lsm_check(proc->apparmor_profile, "process.apparmorProfile", proc->selinux_label,
                        "process.selinuxLabel", err) < 0)
    return -1;
  if (lsm_check(NULL, NULL, c->spec->linux_cfg.mount_label, "linux.mountLabel", err) < 0 ||
      intelrdt_check(c->spec, err) < 0)
    return -1;
  return check_rootfs(c, err);
}

/* systemd's socket activation (LISTEN_FDS, for this very process) passes
 * its fds on, before --preserve-fds, with LISTEN_FDS and LISTEN_PID=1 in
 * the process's environment — as runc does. */
static int listen_fds_passed(void)
{
  const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
  int n = fds ? atoi(fds) : 0;

  if (n <= 0 || !pid || atoi(pid) != getpid())
    return 0;
  return n;
}

static void pass_listen_fds(struct creation *c, int n, int *preserve_fds)
{
  struct spec_process *proc = c->spec->process;
  char **env;

  *preserve_fds = c->opts->preserve_fds + n;
  if (!n || !proc)
    return;
  env = arena_calloc(c->spec->arena, proc->env.len + 3, sizeof(char *));
  memcpy(env, proc->env.items, proc->env.len * sizeof(char *));
  env[proc->env.len++] = arena_sprintf(c->spec->arena, "LISTEN_FDS=%d", n);
  env[proc->env.len++] = arena_strdup(c->spec->arena, "LISTEN_PID=1");
  proc->env.items = env;
}

/* Before anything exists: precreate filters and the hooks of directories
 * and --hook-spec change the text that is parsed and kept in the state
 * dir (c->spec is set when the text was parsed on the way). */
static int inject_hooks(struct creation *c, const char *name, hrun_error *err)
{
  struct hooks_inject_opts o;

  hooks_inject_opts_of(c->opts, &o);
  return hooks_inject(&o, name, &c->config_text, &c->config_len, &c->spec, err);
}

static int load_config(struct creation *c, hrun_error *err)
{
  /* -f/--config (crun): another file, relative to the bundle. */
  const char *name = c->opts->config ? c->opts->config : "config.json";
  cleanup_free char *path = NULL;

  c->bundle = resolve_path(c->opts->bundle ? c->opts->bundle : ".", "bundle", err);
  if (!c->bundle)
    return -1;
  path = name[0] == '/' ? xstrdup(name) : xasprintf("%s/%s", c->bundle, name);
  if (read_regular_file_at(AT_FDCWD, path, JSON_MAX_SIZE, &c->config_text, &c->config_len,
                           err) < 0)
    return err->errnum ? err_set(err, err->errnum, "%s: cannot read %s", name, path)
                       : err_wrap(err, "%s", name);
  if (inject_hooks(c, name, err) < 0)
    return -1;
  if (!c->spec && spec_parse(c->config_text, c->config_len, &c->spec, err) < 0)
    return err_wrap(err, "%s", name);
  if (check_config(c, err) < 0)
    return err_wrap(err, "%s", name);
  if (c->ctx->cgroup_manager == CGROUP_MANAGER_SYSTEMD &&
      systemd_scope_parse(c->spec->linux_cfg.cgroups_path, c->opts->id, &c->scope, err) < 0)
    return err_wrap(err, "%s", name);
  pass_listen_fds(c, listen_fds_passed(), &c->preserve_fds);
  if (c->spec->linux_cfg.seccomp &&
      seccomp_compile(c->spec->linux_cfg.seccomp, &c->seccomp, err) < 0)
    return err_wrap(err, "%s", name);
  return 0;
}

/* Before anything is made: systemd must be there to make the cgroup. */
static int check_cgroup_manager(const struct hrun_context *ctx, hrun_error *err)
{
  return ctx->cgroup_manager == CGROUP_MANAGER_SYSTEMD ? systemd_check(err) : 0;
}

/* The id is taken. By what a killed create left, or by a create at work
 * right now: say so, and what to do. */
static int explain_taken(const struct creation *c, hrun_error *err)
{
  cleanup_close int fd = -1;
  struct container_state st;
  enum container_status status;
  const char *why = NULL;
  hrun_error ignored;
  size_t n;

  fd = state_dir_open(c->root_fd, c->opts->id, false, &ignored);
  if (fd < 0 || state_read(fd, c->opts->id, &st, &ignored) < 0)
    return -1;
  status = state_status(fd, &st);
  if (status == STATUS_CREATING)
    why = "another create of it is at work";
  else if (status == STATUS_STOPPED && (!st.recorded || st.creator_pid > 0))
    why = "a create of it was killed half-way; `hrun delete --force` removes what it left";
  state_free(&st);
  if (!why)
    return -1;
  n = strlen(err->msg);
  snprintf(err->msg + n, sizeof(err->msg) - n, " (%s)", why);
  return -1;
}

static int make_state_dir(struct creation *c, hrun_error *err)
{
  c->root_fd = state_root_open(c->ctx->root, true, err);
  if (c->root_fd < 0)
    return -1;
  c->dir_fd = state_dir_create(c->root_fd, c->opts->id, err);
  if (c->dir_fd < 0)
    return err->kind == HRUN_ERR_EXISTS ? explain_taken(c, err) : -1;
  return write_file_atomic_at(c->dir_fd, STATE_CONFIG_FILE, c->config_text, c->config_len,
                              0600, err);
}

static void fill_annotations(const struct oci_spec *spec, struct container_state *st)
{
  size_t i;

  st->annotation_keys = xmalloc0(sizeof(char *) * (spec->n_annotations + 1));
  st->annotation_values = xmalloc0(sizeof(char *) * (spec->n_annotations + 1));
  for (i = 0; i < spec->n_annotations; i++) {
    st->annotation_keys[i] = spec->annotations[i].key;
    st->annotation_values[i] = spec->annotations[i].value;
  }
}

/* state.json as far as create knows it; with creating set, this process is
 * recorded as its creator (the container is "creating" while it lives). */
static int write_state(struct creation *c, bool creating, hrun_error *err)
{
  struct container_state st = {
      .id = (char *)c->opts->id,
      .pid = c->init.pid > 0 ? c->init.pid : 0,
      .start_time = c->init_start_time,
      .bundle = c->bundle,
      .rootfs = c->rootfs,
      .created = c->created,
      .owner = "",
      .cgroup = c->cgroup,
      .creator_pid = creating ? getpid() : 0,
      .creator_start_time = c->self_start_time,
      .init_exe_dev = c->exe.st_dev,
      .init_exe_ino = c->exe.st_ino,
  };
  int r;

  fill_annotations(c->spec, &st);
  r = state_write(c->dir_fd, &st, err);
  free(st.annotation_keys);
  free(st.annotation_values);
  return r;
}

/* Intent before effect: what create is about to make (its cgroup
 * directories, with the depth it will create) and who makes it, before any
 * of it exists. */
static int record_intent(struct creation *c, hrun_error *err)
{
  format_rfc3339_now(c->created, sizeof(c->created));
  if (proc_stat(getpid(), &c->self_start_time, NULL) < 0)
    return err_set(err, errno, "read our own start time");
  if (stat("/proc/self/exe", &c->exe) < 0)
    return err_set(err, errno, "stat /proc/self/exe");
  if (c->cgroup.n_dirs)
    cgroup_plan(&c->cgroup);
  return write_state(c, true, err);
}

static int make_cgroup(struct creation *c, hrun_error *err)
{
  const struct spec_resources *limits = &c->spec->linux_cfg.resources;
  struct spec_resources res;

  if (c->ctx->cgroup_manager == CGROUP_MANAGER_DISABLED) {
    if (c->spec->linux_cfg.has_resources && (limits->has_memory || limits->has_cpu || limits->has_pids ||
                   limits->has_block_io || limits->n_hugepage_limits || limits->n_unified))
      log_warning("--cgroup-manager disabled: linux.resources are not applied");
    return record_intent(c, err);
  }
  /* systemd's scope needs a process in it: it is started once the init
   * exists (start_scope). */
  if (c->ctx->cgroup_manager == CGROUP_MANAGER_SYSTEMD) {
    systemd_scope_paths(&c->scope, &c->cgroup);
    return record_intent(c, err);
  }
  if (cgroup_resolve(c->spec->linux_cfg.cgroups_path, c->opts->id, &c->cgroup, err) < 0)
    return -1;
  if (record_intent(c, err) < 0)
    return -1;
  device_rules_effective(c->spec, &res);
  if (cgroup_create(&c->cgroup, &res, err) < 0)
    return -1;
  c->cgroup_created = true;
  return 0;
}

/* The start channel is bound here, by the runtime, so that an init in a
 * user namespace (which may not enter the state dir) still inherits it. The
 * path goes through the dir fd to stay under sun_path's 108 bytes. */
static int open_start_channel(struct creation *c, hrun_error *err)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};

  snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/%s", c->dir_fd,
           STATE_START_SOCKET);
  c->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (c->listen_fd < 0)
    return err_set(err, errno, "start channel: socket");
  if (bind(c->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    return err_set(err, errno, "start channel: bind");
  if (listen(c->listen_fd, 1) < 0)
    return err_set(err, errno, "start channel: listen");
  return 0;
}

/* prestart, then createRuntime: in this process, in the runtime's
 * namespaces, once the init has its namespaces, cgroup, mounts and /dev. */
static int run_runtime_hooks(void *data, pid_t init_pid, hrun_error *err)
{
  const struct creation *c = data;
  struct hook_run run = {.id = c->opts->id, .bundle = c->bundle, .pid = init_pid,
                         .default_env = environ, .record_dir = &c->dir_fd};

  /* Before any hook, and long before the process runs. */
  if (intelrdt_apply(c->spec, c->opts->id, init_pid, err) < 0)
    return -1;
  if (hooks_run_stage(c->spec, HOOK_PRESTART, &run, err) < 0)
    return -1;
  return hooks_run_stage(c->spec, HOOK_CREATE_RUNTIME, &run, err);
}

/* The init's console socket, to hrun itself: a socketpair. */
static int open_relay(struct creation *c, hrun_error *err)
{
  int pair[2];

  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
    return err_set(err, errno, "process.terminal: socketpair");
  c->console_fd = pair[0];
  c->relay_fd = pair[1];
  tty_relay_size_hint(c->spec->process);
  return 0;
}

static int open_console(struct creation *c, hrun_error *err)
{
  const struct spec_process *proc = c->spec->process;

  if (c->opts->console_socket) {
    c->console_fd = console_socket_connect(c->opts->console_socket, err);
    return c->console_fd < 0 ? -1 : 0;
  }
  if (c->opts->relay_terminal && proc && proc->terminal)
    return open_relay(c, err);
  return 0;
}

/* The init sent the master before READY. Our copy of its end goes first:
 * had it sent nothing, the read ends instead of waiting forever. */
static int receive_master(struct creation *c, hrun_error *err)
{
  if (c->relay_fd < 0)
    return 0;
  close(c->console_fd);
  c->console_fd = -1;
  c->tty_master = unix_recv_fd(c->relay_fd, "process.terminal: the pty master", err);
  return c->tty_master < 0 ? -1 : 0;
}

/* The systemd driver: the scope, with the init in it (systemd moves it
 * there; writing cgroup.procs as well, as runc does, makes sure of it
 * before the init is told GO), then the limits written into its directory
 * as the cgroupfs driver does: those no unit property holds, the others
 * again. */
static int start_scope(struct creation *c, pid_t pid, hrun_error *err)
{
  struct spec_resources res;

  device_rules_effective(c->spec, &res);
  /* Also when the start fails half-way: undo stops what may be there. */
  c->cgroup_created = true;
  if (systemd_scope_start(&c->scope, c->opts->id, pid, &res, err) < 0)
    return -1;
  log_debug("create %s: scope %s started with pid %d", c->opts->id, c->scope.unit, (int)pid);
  if (cgroup_enter(&c->cgroup, pid, err) < 0)
    return -1;
  return cgroup_apply_resources(&c->cgroup, &res, err);
}

/* The init exists: recorded before it is told GO (until then it only
 * waits, and dies of EOF if we do), so that from now on delete finds it
 * even without a cgroup. The lock is released here: the hooks run next,
 * and none runs under it. */
static int record_init(void *data, pid_t pid, hrun_error *err)
{
  struct creation *c = data;

  c->init.pid = pid;
  if (proc_stat(pid, &c->init_start_time, NULL) < 0)
    return err_set(err, errno, "read the start time of the container init");
  if (write_state(c, true, err) < 0)
    return -1;
  if (c->cgroup.unit && start_scope(c, pid, err) < 0)
    return -1;
  state_dir_unlock(c->dir_fd);
  return 0;
}

static int spawn_init(struct creation *c, hrun_error *err)
{
  struct spawn_request req = {
      .spec = c->spec,
      .id = c->opts->id,
      .bundle = c->bundle,
      .rootfs = c->rootfs,
      .cgroup = &c->cgroup,
      .start_listen_fd = c->listen_fd,
      .preserve_fds = c->preserve_fds,
      .no_pivot = c->opts->no_pivot,
      .no_new_keyring = c->opts->no_new_keyring,
      .on_cloned = record_init,
      .runtime_hooks = run_runtime_hooks,
      .data = c,
      .seccomp = c->seccomp.filter ? &c->seccomp : NULL,
  };

  if (open_console(c, err) < 0)
    return -1;
  req.console_fd = c->console_fd;
  /* Relative bind mount sources are relative to the bundle. */
  if (chdir(c->bundle) < 0)
    return err_set(err, errno, "chdir %s", c->bundle);
  if (nsexec_spawn(&req, &c->init, err) < 0)
    return -1;
  return receive_master(c, err);
}

/* The init is ready: the final state.json (no creator: the container is
 * "created" from now on), then the pid file. */
static int record_state(struct creation *c, hrun_error *err)
{
  char pid[32];

  if (write_state(c, false, err) < 0)
    return -1;
  if (!c->pid_file)
    return 0;
  snprintf(pid, sizeof(pid), "%d", c->init.pid);
  return write_file_atomic(c->pid_file, pid, strlen(pid), 0644, err);
}

static void undo_creation(struct creation *c)
{
  hrun_error ignored;

  if (c->init.pid > 0) {
    process_kill_reap(c->init.pid, c->init.pidfd);
    intelrdt_remove(c->spec, c->opts->id, &ignored);
  }
  if (c->cgroup_created)
    cgroup_destroy(&c->cgroup, &ignored);
  if (c->dir_fd >= 0)
    state_dir_remove(c->root_fd, c->opts->id, &ignored);
  /* The container existed in part: its poststop hooks run (runtime-spec
   * lifecycle steps 12-13), as after any failed hook, once it is deleted. */
  if (c->cgroup_created)
    hooks_run_poststop(c->spec, c->opts->id, c->bundle);
}

static void free_creation(struct creation *c)
{
  if (c->listen_fd >= 0)
    close(c->listen_fd);
  if (c->console_fd >= 0)
    close(c->console_fd);
  if (c->relay_fd >= 0)
    close(c->relay_fd);
  if (c->tty_master >= 0)
    close(c->tty_master);
  if (c->dir_fd >= 0)
    close(c->dir_fd);
  if (c->root_fd >= 0)
    close(c->root_fd);
  if (c->init.pidfd >= 0)
    close(c->init.pidfd);
  cgroup_paths_free(&c->cgroup);
  systemd_scope_free(&c->scope);
  seccomp_program_free(&c->seccomp);
  spec_free(c->spec);
  free(c->config_text);
  free(c->rootfs);
  free(c->pid_file);
  free(c->bundle);
}

static int create_steps(struct creation *c, hrun_error *err)
{
  if (container_id_validate(c->opts->id, err) < 0)
    return -1;
  /* A relative --pid-file names a file from the caller's directory (as with
   * runc), which spawn_init leaves for the bundle's. */
  if (c->opts->pid_file && !(c->pid_file = absolute_path(c->opts->pid_file, err)))
    return err_wrap(err, "--pid-file");
  if (load_config(c, err) < 0 || check_cgroup_manager(c->ctx, err) < 0)
    return -1;
  log_debug("create %s: bundle %s, rootfs %s", c->opts->id, c->bundle, c->rootfs);
  if (make_state_dir(c, err) < 0 || make_cgroup(c, err) < 0)
    return -1;
  log_debug("create %s: state dir and cgroup %s made", c->opts->id,
            c->cgroup.n_dirs ? c->cgroup.rel_path : "(none)");
  if (open_start_channel(c, err) < 0 || spawn_init(c, err) < 0)
    return -1;
  if (record_state(c, err) < 0)
    return -1;
  log_debug("create %s: created, init pid %d", c->opts->id, c->init.pid);
  return 0;
}

int container_create(const struct hrun_context *ctx, const struct create_options *opts,
                     struct create_result *res, hrun_error *err)
{
  struct creation c = {.ctx = ctx, .opts = opts, .root_fd = -1, .dir_fd = -1,
                       .listen_fd = -1, .console_fd = -1, .relay_fd = -1, .tty_master = -1,
                       .init = {.pid = -1, .pidfd = -1}};
  int r = create_steps(&c, err);

  if (r < 0)
    undo_creation(&c);
  if (r == 0 && res) {
    res->pid = c.init.pid;
    res->pidfd = take_fd(&c.init.pidfd);
    res->tty_master = take_fd(&c.tty_master);
  }
  free_creation(&c);
  return r;
}
