/* Executing one hook process: stdin its own sealed copy of the state,
 * stdout and stderr drained through pipes into bounded tails, its own
 * process group, a deadline. */
#ifndef HRUN_HOOK_EXEC_H
#define HRUN_HOOK_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "libcontainer/util/error.h"

#define HOOK_CAPTURE_MAX 2048

/* What hrun keeps of a stream however much the hook writes: the last
 * bytes. */
struct hook_capture {
  char tail[HOOK_CAPTURE_MAX]; /* the last bytes written, NUL-terminated */
  size_t len;
  unsigned long long total; /* bytes written in all; more than len: truncated */
};

struct hook_outcome {
  int exit_code; /* -1 when killed by a signal */
  int signal;
  bool timed_out;
  long long duration_us;
  struct hook_capture out;
  struct hook_capture err;
};

/* The state a stage's hooks read. Each hook gets a fresh memfd of it,
 * sealed against writing, shrinking and growing: a file, so a hook that
 * does not read it cannot fail, and its own, so that nothing a hook does
 * to its stdin (write, truncate, seek, a child reading it later) reaches
 * the next one. */
struct hook_io {
  char *state;
  size_t len;
  /* The state dir, where each hook's process group is recorded while it
   * runs (hook_groups.h); -1: not recorded (poststop, after the dir is
   * gone). */
  int record_dir_fd;
  /* Where the hook's stdout goes instead of the captured pipe (precreate
   * hooks return a whole config there); -1: the pipe. */
  int stdout_fd;
};

int hook_io_open(struct hook_io *io, const char *state, size_t len, hrun_error *err);
void hook_io_close(struct hook_io *io);

/* Runs path with argv and envp in its own process group, stdin the state,
 * and waits at most timeout_s seconds (0: no limit), draining stdout and
 * stderr meanwhile so that the hook never blocks on them. On expiry the
 * hook's process group gets SIGKILL and the hook is reaped. The hook gets
 * SIGKILL too if the calling process dies first (PR_SET_PDEATHSIG). What it
 * leaves in other groups is the caller's (hook_reaper.h). Returns -1 only when the
 * hook could not be started. */
int hook_exec(const char *path, char *const argv[], char *const envp[],
              const struct hook_io *io, int timeout_s, struct hook_outcome *outcome,
              hrun_error *err);

#endif
