/* Signalling and waiting for a container's init without being its parent:
 * through a pidfd, opened only after the recorded start time matched, so a
 * recycled pid is never signalled. */
#ifndef HRUN_PROCESS_H
#define HRUN_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"

struct container_state;

/* A pidfd of the container's init, or -1 (errno ESRCH) when it is gone. */
int process_open(const struct container_state *st);

int process_signal(int pidfd, int sig, hrun_error *err);

/* Passes the signals a foreground runtime receives (INT, TERM, HUP, ...)
 * on to pid, our child, first those held since process_hold_signals; pid
 * 0 restores the default handling. */
void process_forward_signals(pid_t pid);

/* Until process_forward_signals: those signals are caught and held, not
 * acted on, so that one arriving while a container is made (or deleted)
 * cannot kill the runtime half way. */
void process_hold_signals(void);

/* A held signal that would have ended the runtime (all but WINCH and
 * CONT), or 0. */
int process_held_signal(void);

/* waitpid for our child pid, EINTR retried: 0 with *status (may be
 * NULL), or -1 with err naming the pid (ECHILD: it was not ours to reap). */
int process_reap(pid_t pid, int *status, hrun_error *err);

/* For undoing: SIGKILL to our child (through pidfd when >= 0) and reap
 * it; a failure to reap is logged as a warning. */
void process_kill_reap(pid_t pid, int pidfd);

/* Waits for our child pid: its exit status, or 128 + the signal that
 * killed it (as a shell reports it). */
int process_wait_exit_code(pid_t pid, hrun_error *err);

/* Waits until the process has exited; false on timeout. */
bool process_wait_exit(int pidfd, int timeout_ms);

/* Without a pidfd (pidfd_open failed with EMFILE, ENOMEM...): sig to the
 * init by pid once its start time matched, then, for SIGKILL, waits up to
 * timeout_ms for it to be gone. A last resort: the pid could be reused
 * between the check and the kill. */
int process_kill_by_pid(const struct container_state *st, int sig, int timeout_ms,
                        hrun_error *err);

#endif
