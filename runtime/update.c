/* update [--resources FILE|-] [--memory N ...] ID */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/arena.h"
#include "libcontainer/fsutil.h"
#include "libcontainer/spec.h"
#include "runtime/cli.h"

enum {
  OPT_RESOURCES = 'r',
  OPT_MEMORY = 600,
  OPT_MEMORY_SWAP,
  OPT_MEMORY_RESERVATION,
  OPT_PIDS_LIMIT,
  OPT_CPU_SHARES,
  OPT_CPU_QUOTA,
  OPT_CPU_PERIOD,
  OPT_CPUSET_CPUS,
  OPT_CPUSET_MEMS,
};

static const struct option update_options[] = {
    {"resources", required_argument, NULL, OPT_RESOURCES},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"memory-swap", required_argument, NULL, OPT_MEMORY_SWAP},
    {"memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION},
    {"pids-limit", required_argument, NULL, OPT_PIDS_LIMIT},
    {"cpu-shares", required_argument, NULL, OPT_CPU_SHARES},
    {"cpu-quota", required_argument, NULL, OPT_CPU_QUOTA},
    {"cpu-period", required_argument, NULL, OPT_CPU_PERIOD},
    {"cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS},
    {"cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS},
    {0},
};

/* --resources FILE, or - for stdin (containerd's way). */
static int read_resources(const char *path, struct arena *a, struct spec_resources **res,
                          hrun_error *err)
{
  char *text = NULL;
  size_t len;
  int r;

  if (read_file_at(AT_FDCWD, strcmp(path, "-") == 0 ? "/dev/stdin" : path, &text, &len,
                   err) < 0)
    return err_wrap(err, "--resources");
  r = spec_parse_resources(text, len, a, res, err);
  free(text);
  return r < 0 ? err_wrap(err, "--resources %s", path) : 0;
}

/* A number with an optional k, m or g (binary) suffix, or -1. */
static int parse_size(const char *opt, const char *text, int64_t *out, hrun_error *err)
{
  char *end;
  long long v;

  errno = 0;
  v = strtoll(text, &end, 10);
  if (!errno && (*end == 'k' || *end == 'K'))
    v <<= 10, end++;
  else if (!errno && (*end == 'm' || *end == 'M'))
    v <<= 20, end++;
  else if (!errno && (*end == 'g' || *end == 'G'))
    v <<= 30, end++;
  if (*end == 'b' || *end == 'B')
    end++;
  if (errno || *end || text[0] == '\0')
    return err_set(err, 0, "--%s: \"%s\" is not a number", opt, text);
  *out = v;
  return 0;
}

static int set_i64(const struct option *o, const char *arg, opt_i64 *field, bool *has,
                   hrun_error *err)
{
  if (parse_size(o->name, arg, &field->value, err) < 0)
    return -1;
  field->set = *has = true;
  return 0;
}

static int set_u64(const struct option *o, const char *arg, opt_u64 *field, bool *has,
                   hrun_error *err)
{
  int64_t v;

  if (parse_size(o->name, arg, &v, err) < 0)
    return -1;
  if (v < 0)
    return err_set(err, 0, "--%s must not be negative", o->name);
  field->value = (uint64_t)v;
  field->set = *has = true;
  return 0;
}

static int apply_flag(int c, const char *arg, struct arena *a, struct spec_resources *r,
                      hrun_error *err)
{
  const struct option *o = update_options;

  while (o->name && o->val != c)
    o++;

  switch (c) {
  case OPT_MEMORY: return set_i64(o, arg, &r->memory.limit, &r->has_memory, err);
  case OPT_MEMORY_SWAP: return set_i64(o, arg, &r->memory.swap, &r->has_memory, err);
  case OPT_MEMORY_RESERVATION: return set_i64(o, arg, &r->memory.reservation, &r->has_memory, err);
  case OPT_PIDS_LIMIT: return set_i64(o, arg, &r->pids.limit, &r->has_pids, err);
  case OPT_CPU_SHARES: return set_u64(o, arg, &r->cpu.shares, &r->has_cpu, err);
  case OPT_CPU_QUOTA: return set_i64(o, arg, &r->cpu.quota, &r->has_cpu, err);
  case OPT_CPU_PERIOD: return set_u64(o, arg, &r->cpu.period, &r->has_cpu, err);
  case OPT_CPUSET_CPUS: r->cpu.cpus = arena_strdup(a, arg), r->has_cpu = true; return 0;
  case OPT_CPUSET_MEMS: r->cpu.mems = arena_strdup(a, arg), r->has_cpu = true; return 0;
  }
  return err_set(err, 0, "unknown option");
}

/* The file first (if any), the single-value options on top of it. */
static int collect(int argc, char **argv, struct arena *a, struct spec_resources **res,
                   hrun_error *err)
{
  struct {
    int opt;
    const char *arg;
  } flags[32];
  const char *file = NULL;
  int c, i, n = 0;

  while ((c = getopt_long(argc, argv, "r:", update_options, NULL)) != -1) {
    if (c == '?')
      return err_set(err, 0, "see hrun --help");
    if (c == OPT_RESOURCES)
      file = optarg;
    else if (n < 32)
      flags[n].opt = c, flags[n++].arg = optarg;
  }
  if (file && read_resources(file, a, res, err) < 0)
    return -1;
  if (!file)
    *res = arena_alloc(a, sizeof(**res));
  for (i = 0; i < n; i++)
    if (apply_flag(flags[i].opt, flags[i].arg, a, *res, err) < 0)
      return -1;
  return 0;
}

int cmd_update(struct cli *cli, int argc, char **argv)
{
  struct arena *a = arena_new();
  struct spec_resources *res;
  hrun_error err;
  int r = 1;

  if (collect(argc, argv, a, &res, &err) < 0)
    r = cli_fail(&err);
  else if (!cli_expect_args(argc - optind, 1, 1, "update [--resources FILE|-] [options] ID"))
    r = container_update(&cli->ctx, argv[optind], res, &err) < 0 ? cli_fail(&err) : 0;
  arena_free(a);
  return r;
}
