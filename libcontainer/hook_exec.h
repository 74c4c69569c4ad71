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

/* Runs path with argv and envp, stdin_fd as its stdin (read from offset 0),
 * and waits at most timeout_s seconds (0: no limit). On expiry the hook's
 * process group gets SIGKILL and the hook is reaped. Returns -1 only when
 * the hook could not be started. */
int hook_exec(const char *path, char *const argv[], char *const envp[], int stdin_fd,
              int timeout_s, struct hook_outcome *outcome, hrun_error *err);

#endif
