#include "libcontainer/hooks/hook_groups.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/log.h"
#include "libcontainer/state/state.h"

static void record_name(pid_t pgid, char name[32])
{
  snprintf(name, 32, STATE_HOOK_PREFIX "%d", (int)pgid);
}

void hook_group_record(int dir_fd, pid_t pgid)
{
  unsigned long long start;
  char name[32], text[32];
  int fd, n;

  if (proc_stat(pgid, &start, NULL) < 0)
    return; /* already gone: nothing to record */
  record_name(pgid, name);
  fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    log_debug("record hook group %d: %s", (int)pgid, strerror(errno));
    return;
  }
  n = snprintf(text, sizeof(text), "%llu\n", start);
  if (write(fd, text, (size_t)n) != n)
    log_debug("record hook group %d: %s", (int)pgid, strerror(errno));
  close(fd);
}

void hook_group_forget(int dir_fd, pid_t pgid)
{
  char name[32];

  record_name(pgid, name);
  unlinkat(dir_fd, name, 0);
}

/* Process group, start time and state of pid (/proc/<pid>/stat fields 5,
 * 22 and 3); -1 when it is gone. */
static int read_stat(pid_t pid, pid_t *pgid, unsigned long long *start, char *state)
{
  char path[32], buf[1024];
  cleanup_close int fd = -1;
  ssize_t n;
  char *p;
  int field;

  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) <= 0)
    return -1;
  buf[n] = '\0';
  /* The command name may hold spaces and parentheses: count from its end. */
  p = strrchr(buf, ')');
  if (!p || sscanf(p + 2, "%c %*d %d", state, pgid) != 2)
    return -1;
  /* Field 22 follows the 20th space after the name. */
  for (field = 0; field < 20 && p; field++)
    p = strchr(p + 1, ' ');
  if (!p)
    return -1;
  *start = strtoull(p + 1, NULL, 10);
  return 0;
}

static bool member(pid_t pid, pid_t pgid, unsigned long long leader_start)
{
  unsigned long long start;
  pid_t group;
  char state;

  return read_stat(pid, &group, &start, &state) == 0 && group == pgid &&
         start >= leader_start && state != 'Z' && state != 'X';
}

/* Each member through a pidfd opened before the check, so that a pid
 * recycled between the check and the signal is never hit. */
static int kill_group(pid_t pgid, unsigned long long leader_start)
{
  cleanup_closedir DIR *d = opendir("/proc");
  struct dirent *e;
  int killed = 0;

  while (d && (e = readdir(d))) {
    pid_t pid = (pid_t)atoi(e->d_name);
    cleanup_close int pidfd = -1;

    if (pid <= 0 || !member(pid, pgid, leader_start))
      continue;
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd >= 0 && member(pid, pgid, leader_start) &&
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) == 0)
      killed++;
  }
  return killed;
}

static bool leader_reused(pid_t pgid, unsigned long long leader_start)
{
  unsigned long long start;
  pid_t group;
  char state;

  /* The leader's pid names a process that is not our leader: the group
   * we recorded emptied before its number could be reused. */
  return read_stat(pgid, &group, &start, &state) == 0 && start != leader_start;
}

int hook_groups_kill(int dir_fd)
{
  cleanup_close int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_closedir DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  struct dirent *e;
  int killed = 0;

  if (!d)
    return 0;
  fd = -1; /* the DIR owns it */
  while ((e = readdir(d))) {
    size_t plen = strlen(STATE_HOOK_PREFIX);
    cleanup_free char *text = NULL;
    unsigned long long start;
    hrun_error ignored;
    size_t len;
    pid_t pgid;

    if (strncmp(e->d_name, STATE_HOOK_PREFIX, plen) != 0)
      continue;
    pgid = (pid_t)atoi(e->d_name + plen);
    if (pgid > 0 && pgid != getpgrp() && read_file_at(dir_fd, e->d_name, &text, &len, &ignored) == 0 &&
        sscanf(text, "%llu", &start) == 1 && !leader_reused(pgid, start))
      killed += kill_group(pgid, start);
    unlinkat(dir_fd, e->d_name, 0);
  }
  return killed;
}
