/* The parent/child synchronisation protocol — every message, in one table.
 *
 * Two channels, both SOCK_SEQPACKET (one message per send, EOF when the
 * peer's last copy of the socket closes):
 *
 *   create channel: a socketpair between the create (or run) process, the
 *                   "parent", and the container init it cloned, the "init".
 *   start channel:  <state dir>/start.sock, a listening socket the parent
 *                   binds before the clone and the init inherits; the init
 *                   takes one START on it, then closes it. Close-on-exec in
 *                   the init. `start` unlinks it once the init answered.
 *
 * | # | message          | from -> to      | sent when                                   | then                                         |
 * |---|------------------|-----------------|---------------------------------------------|----------------------------------------------|
 * | 1 | SYNC_GO          | parent -> init  | its uid/gid maps are written (it was born   | init moves itself into its v1 cgroups, joins |
 * |   |                  |                 | in its cgroup2 dir, if any)                 | or creates the remaining namespaces, sets    |
 * |   |                  |                 |                                             | the hostname, mounts the rootfs and /dev     |
 * | 2 | SYNC_MOUNTS_READY| init -> parent  | rootfs mounts, /dev and sysctls are ready   | parent moves linux.netDevices into the init's|
 * |   |                  |                 | (pivot_root has not happened)               | network namespace, applies linux.intelRdt,   |
 * |   |                  |                 |                                             | runs prestart, then createRuntime hooks, in  |
 * |   |                  |                 |                                             | the runtime's namespaces                     |
 * | 3 | SYNC_HOOKS_DONE  | parent -> init  | every prestart and createRuntime hook       | init runs createContainer hooks, masks paths,|
 * |   |                  |                 | succeeded                                   | pivots, sets credentials                     |
 * | 4 | SYNC_READY       | init -> parent  | the init is set up and waits on the start   | parent writes state.json and the pid file,   |
 * |   |                  |                 | channel; payload: none                      | create returns 0 ("created")                 |
 * | 5 | SYNC_START       | start -> init   | `start` (or run) releases the container     | init runs startContainer hooks               |
 * | 6 | SYNC_EXEC        | init -> start   | startContainer hooks succeeded; execve of   | EOF on the start channel (close-on-exec)     |
 * |   |                  |                 | process.args comes next (even if `start`    | proves execve succeeded: poststart hooks run |
 * |   |                  |                 | died since its START: START commits)        |                                              |
 * | 7 | SYNC_ERROR       | either way, on  | a step failed; payload: errno + message     | the receiver stops; the parent (or start)    |
 * |   |                  | either channel  |                                             | prints it, destroys the container            |
 * | 8 | SYNC_HOOK_REPORT | init -> parent, | with --debug, after each createContainer or | the receiver logs it and keeps waiting for   |
 * |   |                  | init -> start   | startContainer hook; payload: hook_report   | the message it expects                       |
 * | 9 | SYNC_SECCOMP_FD  | init or exec'd  | right before loading a filter that uses     | parent waits until that fd is the listener,  |
 * |   |                  | process ->      | SCMP_ACT_NOTIFY; payload: the fd number the | takes it with pidfd_getfd, sends it to       |
 * |   |                  | parent          | listener will have (kept free until then)   | linux.seccomp.listenerPath                   |
 * |10 | SYNC_SECCOMP_DONE| parent -> init  | the agent has the listener: a notified      | the sender of 9 goes on                      |
 * |   |                  | or exec'd       | syscall of the sender can now be answered   |                                              |
 * |11 | SYNC_MOUNT_SOURCES| init -> parent | between 1 and 2, only with a user namespace | parent joins the init's mount namespace,     |
 * |   |                  |                 | and bind mounts: the init has its mount     | opens every bind source there (O_PATH, with  |
 * |   |                  |                 | namespace and is not yet root in the user   | its host privileges), returns to its own     |
 * |   |                  |                 | namespace                                   | namespace and sends them (12); an idmapped   |
 * |   |                  |                 |                                             | bind's is its detached, idmapped tree        |
 * |12 | SYNC_MOUNT_SOURCE_FD| parent -> init | one per bind mount, in config order;        | init binds from /proc/self/fd/N what its     |
 * |   |                  |                 | payload: the mount's index, the fd          | user namespace could not reach by path       |
 * |   |                  |                 | (SCM_RIGHTS)                                |                                              |
 *
 * The exec channel is a socketpair between `exec` and the process it
 * clones: 1 (GO: it moves itself into the container's cgroups), 9/10 when the
 * filter notifies, then 6 (EXEC) or 7 (ERROR); EOF after EXEC means execve
 * succeeded.
 *
 * A peer that dies mid-protocol shows up as EOF, reported as an error of
 * kind HRUN_ERR_PEER_GONE by every wait: before READY the init dies of
 * it, so a create killed at any message leaves no init but one recorded
 * in state.json (docs/state.md). Every message is a kill point of
 * tests/integration/faults.bats, on the runtime's side, before and after
 * its system call. */
#ifndef HRUN_SYNC_H
#define HRUN_SYNC_H

#include "libcontainer/util/error.h"

enum sync_type {
  SYNC_GO = 1,
  SYNC_MOUNTS_READY,
  SYNC_HOOKS_DONE,
  SYNC_READY,
  SYNC_START,
  SYNC_EXEC,
  SYNC_ERROR,
  SYNC_HOOK_REPORT,
  SYNC_SECCOMP_FD,
  SYNC_SECCOMP_DONE,
  SYNC_MOUNT_SOURCES,
  SYNC_MOUNT_SOURCE_FD,
};

struct hook_report;

const char *sync_type_name(enum sync_type t);

/* The table as the compiler checks it: one send and one wait per message,
 * each with exactly its payload. A wait logs the HOOK_REPORTs met on the
 * way and fails (-1) on the peer's ERROR (err gets its text and errno), on
 * another message ("<sender> sent X, expected Y") and on EOF ("<sender>
 * exited before Y", of kind HRUN_ERR_PEER_GONE). <sender> is the name
 * after each message below, the one its wait reports. A received fd is
 * close-on-exec. */
/*  1 GO, from "the runtime" */
int sync_send_go(int fd, hrun_error *err);
int sync_wait_go(int fd, hrun_error *err);
/*  2 MOUNTS_READY, from "the container init" */
int sync_send_mounts_ready(int fd, hrun_error *err);
int sync_wait_mounts_ready(int fd, hrun_error *err);
/*  3 HOOKS_DONE, from "the runtime" */
int sync_send_hooks_done(int fd, hrun_error *err);
int sync_wait_hooks_done(int fd, hrun_error *err);
/*  4 READY, from "the container init" (the runtime waits with sync_wait_any) */
int sync_send_ready(int fd, hrun_error *err);
int sync_wait_ready(int fd, hrun_error *err);
/*  5 START, from "start" */
int sync_send_start(int fd, hrun_error *err);
int sync_wait_start(int fd, hrun_error *err);
/*  6 EXEC, from "the container init" (an exec'd process's: sync_wait_any) */
int sync_send_exec(int fd, hrun_error *err);
int sync_wait_exec(int fd, hrun_error *err);
/*  7 ERROR: every wait takes it (best effort: the sender is failing) */
void sync_send_error(int fd, const hrun_error *error);
/*  8 HOOK_REPORT: every wait logs it */
void sync_send_hook_report(int fd, const struct hook_report *report);
/*  9 SECCOMP_FD, from "the container process"; payload: the fd number */
int sync_send_seccomp_fd(int fd, int listener_fd_number, hrun_error *err);
int sync_wait_seccomp_fd(int fd, int *listener_fd_number, hrun_error *err);
/* 10 SECCOMP_DONE, from "the runtime" */
int sync_send_seccomp_done(int fd, hrun_error *err);
int sync_wait_seccomp_done(int fd, hrun_error *err);
/* 11 MOUNT_SOURCES, from "the container init" */
int sync_send_mount_sources(int fd, hrun_error *err);
int sync_wait_mount_sources(int fd, hrun_error *err);
/* 12 MOUNT_SOURCE_FD, from "the runtime"; payload: the mount's index, its fd (required) */
int sync_send_mount_source_fd(int fd, int index, int passed_fd, hrun_error *err);
int sync_wait_mount_source_fd(int fd, int *index, int *passed_fd, hrun_error *err);

/* The one wait for one of several messages: the runtime, waiting for the
 * end of a child's setup (READY from an init, EXEC from an exec'd
 * process), meets SECCOMP_FD first when the child's filter notifies, and
 * the sender differs by channel, hence peer. Returns which message arrived
 * (*number: SECCOMP_FD's payload); the caller judges it. ERROR and EOF
 * ("<peer> exited before it was ready") fail as in the waits above. */
int sync_wait_any(int fd, int *number, const char *peer, hrun_error *err);

/* Waits for EOF (the peer closed, or exec'ed: close-on-exec). A message
 * instead of EOF is an error (ERROR: its text; another: "<peer> sent X,
 * expected the channel to close"). */
int sync_wait_eof(int fd, const char *peer, hrun_error *err);

#endif
