/* runstat CMD [ARG...]: runs CMD once (stdin /dev/null unless kept) and
 * prints "<wall microseconds> <peak RSS KiB> <exit status>" on stderr's
 * fd 3 (or stdout when fd 3 is closed), then with RUNSTAT_CPU set its CPU
 * time in microseconds, then with RUNSTAT_REALTIME set the wall clock
 * (CLOCK_REALTIME, "seconds.nanoseconds") just before the spawn and just
 * after the wait. The runtime's own output is left alone. Used by the
 * bench scripts to time one runtime command at a time.
 *
 * runstat --wait-gone PID: waits until PID has exited (pidfd, works for a
 * process that is not our child) and prints the wait time the same way. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"

extern char **environ;

static FILE *out(void)
{
  return fcntl(3, F_GETFD) >= 0 ? fdopen(3, "w") : stdout;
}

/* The wall clock, to line the command's run up with the timestamps of its
 * own log (hrun --debug --log: bench/run.sh's breakdown). */
static void realtime(char *buf, size_t len)
{
  struct timespec t;

  clock_gettime(CLOCK_REALTIME, &t);
  snprintf(buf, len, " %lld.%09ld", (long long)t.tv_sec, t.tv_nsec);
}

static int wait_gone(pid_t pid)
{
  long long start = now_us();
  int fd = (int)syscall(SYS_pidfd_open, pid, 0);
  struct pollfd p = {.fd = fd, .events = POLLIN};

  if (fd >= 0)
    while (poll(&p, 1, -1) < 0 && errno == EINTR)
      ;
  fprintf(out(), "%lld 0 0\n", now_us() - start);
  return 0;
}

int main(int argc, char **argv)
{
  struct rusage ru;
  char cpu[32] = "", t0[40] = "", t1[40] = "";
  int stamps = getenv("RUNSTAT_REALTIME") != NULL;
  long long start, wall;
  pid_t pid;
  int status;

  if (argc == 3 && strcmp(argv[1], "--wait-gone") == 0)
    return wait_gone(atoi(argv[2]));
  if (argc < 2) {
    fprintf(stderr, "usage: runstat CMD [ARG...] | runstat --wait-gone PID\n");
    return 2;
  }
  if (stamps)
    realtime(t0, sizeof(t0));
  start = now_us();
  if (posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ) != 0) {
    perror("runstat: spawn");
    return 2;
  }
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("runstat: wait4");
    return 2;
  }
  wall = now_us() - start;
  if (stamps)
    realtime(t1, sizeof(t1));
  /* RUNSTAT_CPU: the command's CPU time (user + system) too, which a busy
   * machine disturbs less than the wall time (bench/hooksd.sh). */
  if (getenv("RUNSTAT_CPU"))
    snprintf(cpu, sizeof(cpu), " %lld",
             (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec +
                 ru.ru_stime.tv_usec);
  fprintf(out(), "%lld %ld %d%s%s%s\n", wall, ru.ru_maxrss,
          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), cpu, t0, t1);
  return 0;
}
