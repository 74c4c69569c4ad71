/* linux.seccomp: compiled to classic BPF with libseccomp in the runtime
 * process, loaded with seccomp(2) in the container's process, and, for
 * SCMP_ACT_NOTIFY, the listener fd handed to the agent at listenerPath.
 *
 * The split exists because the container's process is a clone of the
 * runtime: libseccomp allocates and keeps global state, so everything that
 * needs it happens before the clone, and the child only makes one syscall. */
#ifndef HRUN_SECCOMP_H
#define HRUN_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "libcontainer/util/error.h"
#include "libcontainer/spec/spec.h"

struct sock_filter;

struct seccomp_program {
  struct sock_filter *filter; /* compiled classic BPF (malloc'ed) */
  unsigned short len;         /* instructions in filter */
  /* SECCOMP_FILTER_FLAG_* for seccomp(2): those asked for that this kernel
   * supports (TSYNC_ESRCH added when TSYNC meets a listener). */
  unsigned int flags;
  /* The filter uses SCMP_ACT_NOTIFY: seccomp_program_load adds
   * SECCOMP_FILTER_FLAG_NEW_LISTENER and returns the listener fd. */
  bool notify;
};

/* Compiles linux.seccomp into BPF. Unknown syscall names, architectures
 * libseccomp does not know and flags the kernel lacks are skipped with a
 * debug line; a rule whose action is the default action is skipped (it
 * changes nothing). With a default action that denies, syscalls newer than
 * every syscall the profile names get ENOSYS (as runc does), so that libc
 * falls back to older ones instead of failing with the default errno.
 * Errors name the field ("linux.seccomp.syscalls[3].errnoRet: ..."). On
 * failure *out is left empty. */
int seccomp_compile(const struct spec_seccomp *s, struct seccomp_program *out, hrun_error *err);
void seccomp_program_free(struct seccomp_program *p);

/* True for an SCMP_ARCH_* name the libseccomp hrun is built with knows
 * (the others are skipped at compile time; features leaves them out). */
bool seccomp_arch_known(const char *name);

/* Loads the program into the calling process (not named seccomp_load:
 * libseccomp exports that name, which ours would clash with at compile time
 * and interpose at link time). No allocation and no libseccomp call: it
 * runs in a cloned child. Returns the listener fd (close-on-exec) when
 * p->notify, 0 otherwise, -1 with err set. Without no_new_privs the caller
 * needs CAP_SYS_ADMIN: ordering that is the caller's job. From here on the
 * caller's own syscalls are filtered too: hand the listener out in a way a
 * notified syscall cannot block (e.g. the parent takes it with
 * pidfd_getfd), since nobody can answer before the agent has it. */
int seccomp_program_load(const struct seccomp_program *p, hrun_error *err);

/* What the container process state sent to the agent says about the
 * container (runtime-spec config-linux.md, "The Container Process State"). */
struct seccomp_state_info {
  const char *id;
  const char *status; /* "creating" while the init is being set up */
  pid_t pid;          /* the container process, as the runtime sees it */
  const char *bundle; /* absolute */
  const struct spec_kv *annotations;
  size_t n_annotations;
};

/* For a program with p->notify, from the runtime process: connects to
 * s->listener_path (AF_UNIX, SOCK_STREAM; paths longer than
 * sun_path go through the directory's fd), sends the container process
 * state JSON with listener_fd as "seccompFd" in SCM_RIGHTS, and closes the
 * connection. listener_fd stays open: the caller closes it. */
int seccomp_send_listener(const struct spec_seccomp *s, int listener_fd,
                          const struct seccomp_state_info *st, hrun_error *err);

/* The container process state JSON (malloc'ed, NUL-terminated), exposed
 * for tests and for callers that deliver it another way. */
char *seccomp_state_json(const struct spec_seccomp *s, const struct seccomp_state_info *st,
                         size_t *len);

/* Internal to seccomp*.c: prepends to p->filter the ENOSYS stub for the
 * filter's architectures (libseccomp SCMP_ARCH_* tokens); max_nr[i] is the
 * highest syscall number the profile names on arches[i] (0: none, the arch
 * gets no stub). Returns -1 with err set when the program grows too large. */
int seccomp_enosys_patch(const unsigned int *arches, const unsigned int *max_nr, size_t n,
                         struct seccomp_program *p, hrun_error *err);

#endif
