/* Container state on disk: <root>/<id>/ holds state.json (what create
 * learned), config.json (the config as it was at create: later edits of the
 * bundle have no effect), start.sock (the init's start channel while the
 * container is "created") and a hook-<pgid> file for each runtime hook
 * running right now. Status is never trusted from disk: it is derived from
 * the live processes each time it is asked for.
 *
 * Intent before effect: create writes state.json before it makes anything
 * else (the cgroup paths it is about to create, its own pid), again as soon
 * as the init exists (its pid), and a last time when the init is ready
 * (without the creator). Whatever the moment a create is killed at, delete
 * finds in the state dir everything it must undo. docs/state.md has the
 * format and the lock rules. */
#ifndef HRUN_STATE_H
#define HRUN_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "libcontainer/cgroups/cgroup.h"
#include "libcontainer/util/error.h"

#define STATE_FILE "state.json"
#define STATE_CONFIG_FILE "config.json"
#define STATE_START_SOCKET "start.sock"
#define STATE_HOOK_PREFIX "hook-"

enum container_status {
  STATUS_CREATING,
  STATUS_CREATED,
  STATUS_RUNNING,
  STATUS_PAUSED,
  STATUS_STOPPED,
};

struct container_state {
  char *id;
  pid_t pid;
  unsigned long long start_time; /* /proc/<pid>/stat field 22: guards against pid reuse */
  char *bundle;
  char *rootfs;
  char *created; /* RFC 3339 */
  char *owner;
  struct cgroup_paths cgroup;
  char **annotation_keys; /* NULL-terminated, parallel to annotation_values */
  char **annotation_values;
  /* While create runs: the create (or run) process. A container whose
   * creator died half-way is "stopped", whatever its init does. */
  pid_t creator_pid;
  unsigned long long creator_start_time;
  /* st_dev and st_ino of the runtime binary the init runs until it execs
   * the container's process: "created" while /proc/<pid>/exe still names
   * it, whoever was killed when. 0: not recorded (an older hrun's state;
   * the start channel decides). */
  unsigned long long init_exe_dev, init_exe_ino;
  /* false: the dir has no state.json (create is at its first step, or was
   * killed there); only id is set. */
  bool recorded;
};

const char *container_status_name(enum container_status s);

/* Container ids: [A-Za-z0-9_+-][A-Za-z0-9_+.-]* (no '/', no "..", <= 1024). */
int container_id_validate(const char *id, hrun_error *err);

/* Opens (creating with mode 0700 when asked) the state root. */
int state_root_open(const char *root, bool create, hrun_error *err);

/* Creates <root>/<id> and returns it locked; "container X already exists"
 * when it is there. */
int state_dir_create(int root_fd, const char *id, hrun_error *err);

/* Opens <root>/<id>, locked exclusively when lock is set (waiting at most
 * STATE_LOCK_WAIT_MS: only create's first steps and delete take it, and
 * neither runs a hook under it). An id without a directory (or whose
 * directory was removed while we waited for the lock) gives "container X
 * does not exist". */
int state_dir_open(int root_fd, const char *id, bool lock, hrun_error *err);

#define STATE_LOCK_WAIT_MS 15000

/* Releases the lock taken by state_dir_create or state_dir_open. */
void state_dir_unlock(int dir_fd);

/* True when another process holds the dir's lock now (a create at its
 * first steps, or a delete). The caller must not hold it. */
bool state_dir_lock_busy(int dir_fd);

/* Opens the root (*root_fd) and the container's dir: validates the id and
 * reports a missing root as "container X does not exist" too. */
int state_open_container(const char *root, const char *id, bool lock, int *root_fd,
                         hrun_error *err);

int state_dir_remove(int root_fd, const char *id, hrun_error *err);

int state_write(int dir_fd, const struct container_state *st, hrun_error *err);
/* A dir without state.json is no error: st->recorded is false. */
int state_read(int dir_fd, const char *id, struct container_state *st, hrun_error *err);
void state_free(struct container_state *st);
/* state.json's text into st (state_read without the file, for tests and
 * fuzzing): "<member>: expected ..." for a wrong type or range. */
int state_parse(const char *text, size_t len, struct container_state *st, hrun_error *err);

/* True while the process pid with that start time still runs (not a
 * zombie): pid reuse never makes another process look alive. */
bool state_pid_alive(pid_t pid, unsigned long long start_time);

/* True while the init process recorded in st is the one that still runs. */
bool state_process_alive(const struct container_state *st);

/* True while the create that made st is still at work. */
bool state_creator_alive(const struct container_state *st);

/* creating (its creator at work), created (the init has not executed the
 * process yet), running, paused or stopped (no init, or a creator that
 * died half-way). Must not be called with the dir's lock held. */
enum container_status state_status(int dir_fd, const struct container_state *st);

#endif
