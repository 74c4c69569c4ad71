/* hooksd DIR CONFIG [ROUNDS]: what hook directories cost create, without
 * a container: hooks_inject (read the configuration file, parse the
 * config, read and check every *.json file of DIR, match it) on CONFIG,
 * against the same call with nothing configured, ROUNDS (2000) times
 * each; prints the medians of wall and CPU time per call. With ROUNDS 1
 * it prints the wall time in us of one call with DIR in a fresh process:
 * what a create pays, page faults and cold caches included.
 * bench/hooksd.sh fills DIR with 20 files that do not match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/hooks/hooks_inject.h"
#include "clock.h"

static int by_value(const void *a, const void *b)
{
  long long x = *(const long long *)a, y = *(const long long *)b;

  return (x > y) - (x < y);
}

static long long median(long long *v, int n)
{
  qsort(v, (size_t)n, sizeof(*v), by_value);
  return v[n / 2];
}

/* One hooks_inject on a fresh copy of the config; adds its times. */
static void one(const struct hooks_inject_opts *o, const char *config, long long *wall,
                long long *cpu)
{
  char *text = xstrdup(config);
  size_t len = strlen(text);
  long long w = now_us(), c = cpu_us();
  struct oci_spec *spec;
  hrun_error err;

  if (hooks_inject(o, "config.json", &text, &len, &spec, &err) < 0) {
    fprintf(stderr, "hooksd: %s\n", err.msg);
    exit(1);
  }
  *wall = now_us() - w;
  *cpu = cpu_us() - c;
  spec_free(spec);
  free(text);
}

int main(int argc, char **argv)
{
  char *dirs[1], *config = NULL;
  int rounds = argc > 3 ? atoi(argv[3]) : 2000, i;
  long long *w0, *c0, *w1, *c1;
  struct hooks_inject_opts off = {0}, on = {.hooks_dirs = dirs, .n_hooks_dirs = 1};
  hrun_error err;

  if (argc < 3 || rounds < 1) {
    fprintf(stderr, "usage: hooksd DIR CONFIG [ROUNDS]\n");
    return 2;
  }
  dirs[0] = argv[1];
  if (read_file_at(-100 /* AT_FDCWD */, argv[2], &config, NULL, &err) < 0) {
    fprintf(stderr, "hooksd: %s\n", err.msg);
    return 1;
  }
  if (rounds == 1) {
    long long w, c;
    one(&on, config, &w, &c);
    printf("%lld\n", w);
    return 0;
  }
  w0 = xmalloc0(sizeof(long long) * rounds), c0 = xmalloc0(sizeof(long long) * rounds);
  w1 = xmalloc0(sizeof(long long) * rounds), c1 = xmalloc0(sizeof(long long) * rounds);
  for (i = 0; i < rounds; i++) {
    one(&off, config, &w0[i], &c0[i]);
    one(&on, config, &w1[i], &c1[i]);
  }
  printf("hooks_inject, nothing configured: %lld us wall, %lld us cpu (median of %d)\n",
         median(w0, rounds), median(c0, rounds), rounds);
  printf("hooks_inject, --hooks-dir %s: %lld us wall, %lld us cpu (median of %d)\n", argv[1],
         median(w1, rounds), median(c1, rounds), rounds);
  return 0;
}
