/* Executing one hook process: stdin from a file holding the state, stdout
 * and stderr captured, its own process group, a deadline. */
#ifndef HRUN_HOOK_EXEC_H
#define HRUN_HOOK_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "libcontainer/error.h"

#define HOOK_CAPTURE_MAX 2048

struct hook_capture {
  char tail[HOOK_CAPTURE_MAX]; /* the last bytes written, NUL-terminated */
  size_t len;
};

struct hook_outcome {
  int exit_code; /* -1 when killed by a signal */
  int signal;
  bool timed_out;
  long long duration_us;
  struct hook_capture out;
  struct hook_capture err;
};

/* The files a stage's hooks use: stdin holds the state, stdout and stderr
 * are captured in memfds. Files, not pipes: a hook's writes never block,
 * nothing needs polling, and a child the hook leaves behind holding them
 * cannot keep the runtime waiting. One set serves a whole stage. */
struct hook_io {
  int state_fd;
  int out_fd;
  int err_fd;
};

int hook_io_open(struct hook_io *io, const char *state, size_t len, hrun_error *err);
void hook_io_close(struct hook_io *io);

/* Runs path with argv and envp in its own process group, stdin the state
 * (from offset 0), and waits at most timeout_s seconds (0: no limit). On
 * expiry the hook's process group gets SIGKILL and the hook is reaped. The
 * hook gets SIGKILL too if the calling process dies first
 * (PR_SET_PDEATHSIG). Returns -1 only when the hook could not be started. */
int hook_exec(const char *path, char *const argv[], char *const envp[],
              const struct hook_io *io, int timeout_s, struct hook_outcome *outcome,
              hrun_error *err);

#endif
