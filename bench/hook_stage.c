/* hook_stage HOOK [ROUNDS]: the hook runner alone, without a container.
 * Each round runs one stage of 30 hooks through hooks_run_stage, then 30
 * bare posix_spawn+waitpid of the same HOOK with a state file on stdin,
 * and notes the wall and CPU time (this process's: the runtime's side) per
 * hook of each. Prints the medians. `make bench-hooks` builds it with
 * bench/hook.c; to compare two versions of the runner, build it against
 * each one's libhrun.a and run them in turn. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libcontainer/hooks/hooks.h"
#include "libcontainer/spec/spec.h"
#include "clock.h"

#define HOOKS 30

extern char **environ;

static struct oci_spec *stage_of(const char *hook)
{
  char json[8192];
  size_t off = 0;
  struct oci_spec *spec;
  hrun_error err;

  off += snprintf(json, sizeof(json),
                  "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"r\"},\"hooks\":{\"prestart\":[");
  for (int i = 0; i < HOOKS; i++)
    off += snprintf(json + off, sizeof(json) - off, "%s{\"path\":\"%s\"}", i ? "," : "", hook);
  snprintf(json + off, sizeof(json) - off, "]}}");
  if (spec_parse(json, strlen(json), &spec, &err) < 0) {
    fprintf(stderr, "hook_stage: %s\n", err.msg);
    exit(1);
  }
  return spec;
}

static void bare(const char *hook, int state_fd)
{
  char *argv[] = {(char *)hook, NULL};
  posix_spawn_file_actions_t fa;
  pid_t pid;

  for (int i = 0; i < HOOKS; i++) {
    lseek(state_fd, 0, SEEK_SET);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, state_fd, 0);
    if (posix_spawn(&pid, hook, &fa, NULL, argv, environ) == 0)
      waitpid(pid, NULL, 0);
    posix_spawn_file_actions_destroy(&fa);
  }
}

static int by_value(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double median(double *v, int n)
{
  qsort(v, (size_t)n, sizeof(*v), by_value);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
  static const char state[] =
      "{\"ociVersion\":\"1.3.0\",\"id\":\"x\",\"status\":\"creating\",\"pid\":1,\"bundle\":\"/b\"}";
  int rounds = argc > 2 ? atoi(argv[2]) : 200, fd;
  struct hook_run run = {.id = "x", .bundle = "/b", .pid = 1, .default_env = environ};
  struct oci_spec *spec;
  double *m;
  hrun_error err;
  char tmp[] = "/tmp/hook_stage.XXXXXX";

  if (argc < 2 || argv[1][0] != '/' || rounds < 1) {
    fprintf(stderr, "usage: hook_stage /ABSOLUTE/HOOK [ROUNDS]\n");
    return 2;
  }
  spec = stage_of(argv[1]);
  fd = mkstemp(tmp);
  if (fd < 0 || write(fd, state, sizeof(state) - 1) < 0)
    return perror("hook_stage: state file"), 1;
  unlink(tmp);
  m = calloc((size_t)rounds * 4, sizeof(*m));
  for (int k = 0; k < rounds; k++) {
    long long c0 = cpu_us(), t0 = now_us();
    if (hooks_run_stage(spec, HOOK_PRESTART, &run, &err) < 0)
      return fprintf(stderr, "hook_stage: %s\n", err.msg), 1;
    long long t1 = now_us(), c1 = cpu_us();
    bare(argv[1], fd);
    long long t2 = now_us(), c2 = cpu_us();
    m[k] = (double)(t1 - t0) / HOOKS, m[rounds + k] = (double)(c1 - c0) / HOOKS;
    m[2 * rounds + k] = (double)(t2 - t1) / HOOKS, m[3 * rounds + k] = (double)(c2 - c1) / HOOKS;
  }
  printf("per hook, median of %d rounds of %d:\n", rounds, HOOKS);
  printf("  stage: %.0f us wall, %.0f us CPU\n", median(m, rounds), median(m + rounds, rounds));
  printf("  bare:  %.0f us wall, %.0f us CPU\n", median(m + 2 * rounds, rounds),
         median(m + 3 * rounds, rounds));
  return 0;
}
