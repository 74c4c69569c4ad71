/* Container state on disk: <root>/<id>/ holds state.json (what create
 * learned), config.json (the config as it was at create: later edits of the
 * bundle have no effect) and start.sock (the init's start channel while the
 * container is "created"). Status is never trusted from disk: it is derived
 * from the live process each time it is asked for. */
#ifndef HRUN_STATE_H
#define HRUN_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "libcontainer/cgroup.h"
#include "libcontainer/error.h"

#define STATE_FILE "state.json"
#define STATE_CONFIG_FILE "config.json"
#define STATE_START_SOCKET "start.sock"

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
};

const char *container_status_name(enum container_status s);

/* Container ids: [A-Za-z0-9_+-][A-Za-z0-9_+.-]* (no '/', no "..", <= 1024). */
int container_id_validate(const char *id, hrun_error *err);

/* Opens (creating with mode 0700 when asked) the state root. */
int state_root_open(const char *root, bool create, hrun_error *err);

/* Creates <root>/<id> and returns it locked; "container X already exists"
 * when it is there. */
int state_dir_create(int root_fd, const char *id, hrun_error *err);

/* Opens <root>/<id>, locked exclusively when lock is set. An id without a
 * directory (or whose directory was removed while we waited for the lock)
 * gives "container X does not exist". */
int state_dir_open(int root_fd, const char *id, bool lock, hrun_error *err);

/* Opens the root (*root_fd) and the container's dir: validates the id and
 * reports a missing root as "container X does not exist" too. */
int state_open_container(const char *root, const char *id, bool lock, int *root_fd,
                         hrun_error *err);

int state_dir_remove(int root_fd, const char *id, hrun_error *err);

int state_write(int dir_fd, const struct container_state *st, hrun_error *err);
/* "container X does not exist" when state.json is missing (still creating). */
int state_read(int dir_fd, const char *id, struct container_state *st, hrun_error *err);
void state_free(struct container_state *st);
/* state.json's text into st (state_read without the file, for tests and
 * fuzzing): "<member>: expected ..." for a wrong type or range. */
int state_parse(const char *text, size_t len, struct container_state *st, hrun_error *err);

/* True while the init process recorded in st is the one that still runs
 * (same start time, not a zombie). */
bool state_process_alive(const struct container_state *st);

enum container_status state_status(int dir_fd, const struct container_state *st);

#endif
