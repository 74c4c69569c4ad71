/* update [--resources FILE|-] [--memory N ...] ID */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/json.h"
#include "libcontainer/spec/spec.h"
#include "runtime/cli.h"

enum {
  OPT_RESOURCES = 'r',
  OPT_MEMORY = 600,
  OPT_MEMORY_SWAP,
  OPT_MEMORY_RESERVATION,
  OPT_KERNEL_MEMORY,
  OPT_KERNEL_MEMORY_TCP,
  OPT_PIDS_LIMIT,
  OPT_CPU_SHARES,
  OPT_CPU_QUOTA,
  OPT_CPU_PERIOD,
  OPT_CPU_RT_PERIOD,
  OPT_CPU_RT_RUNTIME,
  OPT_CPUSET_CPUS,
  OPT_CPUSET_MEMS,
  OPT_BLKIO_WEIGHT,
  OPT_L3_CACHE_SCHEMA,
  OPT_MEM_BW_SCHEMA,
};

static const struct cli_opt update_opts[] = {
    {OPT_RESOURCES, "resources", 'r', "FILE",
     "the linux.resources JSON to apply (- for stdin); the options below go on top", 0},
    {OPT_MEMORY, "memory", 0, "BYTES", "memory limit (k, m, g suffixes)", 0},
    {OPT_MEMORY_SWAP, "memory-swap", 0, "BYTES", "memory plus swap limit", 0},
    {OPT_MEMORY_RESERVATION, "memory-reservation", 0, "BYTES", "memory soft limit", 0},
    {OPT_KERNEL_MEMORY, "kernel-memory", 0, "BYTES", "accepted and ignored, as runc does",
     CLI_OPT_HIDDEN},
    {OPT_KERNEL_MEMORY_TCP, "kernel-memory-tcp", 0, "BYTES", "accepted and ignored, as runc does",
     CLI_OPT_HIDDEN},
    {OPT_PIDS_LIMIT, "pids-limit", 0, "N", "maximum number of tasks", 0},
    {OPT_CPU_SHARES, "cpu-share", 0, "N", "CPU shares (relative weight)", 0},
    {OPT_CPU_SHARES, "cpu-shares", 0, "N", "hrun's earlier spelling of --cpu-share",
     CLI_OPT_HIDDEN},
    {OPT_CPU_QUOTA, "cpu-quota", 0, "USEC", "CFS quota per period", 0},
    {OPT_CPU_PERIOD, "cpu-period", 0, "USEC", "CFS period", 0},
    {OPT_CPU_RT_PERIOD, "cpu-rt-period", 0, "USEC", "realtime period (cgroup v1)", 0},
    {OPT_CPU_RT_RUNTIME, "cpu-rt-runtime", 0, "USEC", "realtime runtime per period (cgroup v1)", 0},
    {OPT_CPUSET_CPUS, "cpuset-cpus", 0, "LIST", "CPUs the container may use", 0},
    {OPT_CPUSET_MEMS, "cpuset-mems", 0, "LIST", "memory nodes the container may use", 0},
    {OPT_BLKIO_WEIGHT, "blkio-weight", 0, "N", "block I/O weight (10 to 1000)", 0},
    {OPT_L3_CACHE_SCHEMA, "l3-cache-schema", 0, "SCHEMA", "Intel RDT L3 cache schema", 0},
    {OPT_MEM_BW_SCHEMA, "mem-bw-schema", 0, "SCHEMA", "Intel RDT memory bandwidth schema", 0},
    {0},
};

/* --resources FILE, or - for stdin (containerd's way). */
static int read_resources(const char *path, struct arena *a, struct spec_resources **res,
                          hrun_error *err)
{
  char *text = NULL;
  size_t len;
  int r;

  /* stdin is a pipe (containerd's way), bounded like a file. */
  if (strcmp(path, "-") == 0
          ? read_fd_max(STDIN_FILENO, "standard input", JSON_MAX_SIZE, &text, &len, err)
          : read_regular_file_at(AT_FDCWD, path, JSON_MAX_SIZE, &text, &len, err))
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

static int set_i64(const char *name, const char *arg, opt_i64 *field, bool *has,
                   hrun_error *err)
{
  if (parse_size(name, arg, &field->value, err) < 0)
    return -1;
  field->set = *has = true;
  return 0;
}

static int set_u64(const char *name, const char *arg, opt_u64 *field, bool *has,
                   hrun_error *err)
{
  int64_t v;

  if (parse_size(name, arg, &v, err) < 0)
    return -1;
  if (v < 0)
    return err_set(err, 0, "--%s must not be negative", name);
  field->value = (uint64_t)v;
  field->set = *has = true;
  return 0;
}

static int apply_flag(int c, const char *arg, struct arena *a, struct update_request *u,
                      hrun_error *err)
{
  struct spec_resources *r = u->res;
  const char *name = cli_opt_name(&cli_cmd_update, c);

  switch (c) {
  case OPT_MEMORY: return set_i64(name, arg, &r->memory.limit, &r->has_memory, err);
  case OPT_MEMORY_SWAP: return set_i64(name, arg, &r->memory.swap, &r->has_memory, err);
  case OPT_MEMORY_RESERVATION: return set_i64(name, arg, &r->memory.reservation, &r->has_memory, err);
  case OPT_KERNEL_MEMORY: case OPT_KERNEL_MEMORY_TCP: return 0;
  case OPT_PIDS_LIMIT: return set_i64(name, arg, &r->pids.limit, &r->has_pids, err);
  case OPT_CPU_SHARES: return set_u64(name, arg, &r->cpu.shares, &r->has_cpu, err);
  case OPT_CPU_QUOTA: return set_i64(name, arg, &r->cpu.quota, &r->has_cpu, err);
  case OPT_CPU_PERIOD: return set_u64(name, arg, &r->cpu.period, &r->has_cpu, err);
  case OPT_CPU_RT_PERIOD: return set_u64(name, arg, &r->cpu.realtime_period, &r->has_cpu, err);
  case OPT_CPU_RT_RUNTIME: return set_i64(name, arg, &r->cpu.realtime_runtime, &r->has_cpu, err);
  case OPT_CPUSET_CPUS: r->cpu.cpus = arena_strdup(a, arg), r->has_cpu = true; return 0;
  case OPT_CPUSET_MEMS: r->cpu.mems = arena_strdup(a, arg), r->has_cpu = true; return 0;
  case OPT_BLKIO_WEIGHT: return set_u64(name, arg, &r->block_io.weight, &r->has_block_io, err);
  case OPT_L3_CACHE_SCHEMA: u->l3_cache_schema = arena_strdup(a, arg); return 0;
  case OPT_MEM_BW_SCHEMA: u->mem_bw_schema = arena_strdup(a, arg); return 0;
  }
  return err_set(err, 0, "unknown option");
}

/* The file first (if any), the single-value options on top of it, in
 * any order around the id (as runc takes them). 1 when the parser ended
 * the command (--help, a usage error): *status is its exit status. */
static int collect(struct cli_parser *p, struct arena *a, struct update_request *u,
                   int *status, hrun_error *err)
{
  struct {
    int opt;
    const char *arg;
  } flags[CLI_MAX_OPTS];
  const char *file = NULL;
  int c, i, n = 0;

  while ((c = cli_next(p)) > 0) {
    if (c == OPT_RESOURCES)
      file = p->optarg;
    else if (n < CLI_MAX_OPTS)
      flags[n].opt = c, flags[n++].arg = p->optarg;
  }
  if (c < 0) {
    *status = cli_parse_status(c);
    return 1;
  }
  if (file && read_resources(file, a, &u->res, err) < 0)
    return -1;
  if (!file)
    u->res = arena_alloc(a, sizeof(*u->res));
  for (i = 0; i < n; i++)
    if (apply_flag(flags[i].opt, flags[i].arg, a, u, err) < 0)
      return err_kind(err, HRUN_ERR_INVALID_CONFIG);
  return 0;
}

static int cmd_update(struct cli *cli, int argc, char **argv)
{
  struct arena *a = arena_new();
  struct update_request u = {0};
  struct cli_parser p;
  hrun_error err;
  int r;

  int status = 0;

  cli_parse_begin(&p, &cli_cmd_update, argc, argv);
  r = collect(&p, a, &u, &status, &err);
  if (r > 0)
    r = status;
  else if (r < 0)
    r = cli_fail(&err);
  else
    r = container_update(&cli->ctx, p.args[0], &u, &err) < 0 ? cli_fail(&err) : 0;
  arena_free(a);
  return r;
}

const struct cli_command cli_cmd_update = {
    .name = "update", .args = "[options] ID",
    .summary = "Change the resource limits of a running container.",
    .opts = update_opts, .fn = cmd_update, .min_args = 1, .max_args = 1,
};
