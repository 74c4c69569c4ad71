/* Reading a container's cgroup into a cgroup_stats: the file formats of
 * cgroup v1 and v2 and runc 1.1's conversions between them (its
 * libcontainer/cgroups/fs and fs2 GetStats). Unlike runc, a missing file is
 * never an error: kernels and hosts differ in which files they have (kmem,
 * memsw, the blkio schedulers), and the stats of the others still count. */
#include "libcontainer/cgroups/cgroup_stats.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/util/cleanup.h"

/* ---- file helpers ------------------------------------------------------- */

/* 1 and the text, 0 when the file does not exist, -1 on error. */
static int read_opt(const char *dir, const char *file, char **out, hrun_error *err)
{
  *out = NULL;
  if (cg_read(dir, file, out, err) == 0)
    return 1;
  if (err->errnum != ENOENT)
    return -1;
  err_clear(err);
  return 0;
}

static int bad_value(hrun_error *err, const char *dir, const char *file, const char *what)
{
  return err_set(err, 0, "cgroup stats: %s/%s: cannot parse \"%.64s\"", dir, file, what);
}

/* runc's fscommon.ParseUint: decimal digits only; a negative number (a
 * cgroup file's "-1") reads as 0. */
static bool parse_u64(const char *s, uint64_t *v)
{
  const char *digits = s + (*s == '-');
  char *end;

  if (!isdigit((unsigned char)*digits))
    return false;
  errno = 0;
  unsigned long long x = strtoull(digits, &end, 10);
  if (*end || (errno && *s != '-'))
    return false;
  *v = *s == '-' ? 0 : x;
  return true;
}

/* A one-value file; "max" is UINT64_MAX. Missing: *v stays as it is. */
static int read_u64(const char *dir, const char *file, uint64_t *v, hrun_error *err)
{
  cleanup_free char *text = NULL;
  int r = read_opt(dir, file, &text, err);

  if (r <= 0)
    return r;
  if (strcmp(text, "max") == 0)
    *v = UINT64_MAX;
  else if (!parse_u64(text, v))
    return bad_value(err, dir, file, text);
  return 1;
}

/* The next line of *text (NUL-terminated in place), or NULL at the end. */
static char *next_line(char **text)
{
  char *line = *text, *nl;

  if (!line || !*line)
    return NULL;
  nl = strchr(line, '\n');
  *text = nl ? nl + 1 : NULL;
  if (nl)
    *nl = '\0';
  return line;
}

typedef void (*kv_fn)(const char *key, uint64_t value, struct cgroup_stats *s);

/* A flat keyed file, one "KEY VALUE" a line (memory.stat, cpu.stat). */
static int read_keyed(const char *dir, const char *file, kv_fn fn, struct cgroup_stats *s,
                      hrun_error *err)
{
  cleanup_free char *text = NULL;
  char *cursor, *line, *sp;
  uint64_t v;
  int r = read_opt(dir, file, &text, err);

  if (r <= 0)
    return r;
  for (cursor = text; (line = next_line(&cursor));) {
    sp = strchr(line, ' ');
    if (!sp || strchr(sp + 1, ' ') || !parse_u64(sp + 1, &v))
      return bad_value(err, dir, file, line);
    *sp = '\0';
    fn(line, v, s);
  }
  return 1;
}

static void list_add(struct cgroup_u64_list *l, uint64_t v)
{
  l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
  l->v[l->n++] = v;
}

/* Space-separated numbers (cpuacct.usage_percpu). */
static int read_u64_list(const char *dir, const char *file, struct cgroup_u64_list *l,
                         hrun_error *err)
{
  cleanup_free char *text = NULL;
  char *tok, *save = NULL;
  uint64_t v;
  int r = read_opt(dir, file, &text, err);

  if (r <= 0)
    return r;
  for (tok = strtok_r(text, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
    if (!parse_u64(tok, &v))
      return bad_value(err, dir, file, tok);
    list_add(l, v);
  }
  return 1;
}

/* ---- cpu ----------------------------------------------------------------- */

static void cpu_stat_v1(const char *key, uint64_t v, struct cgroup_stats *s)
{
  if (strcmp(key, "nr_periods") == 0)
    s->cpu.periods = v;
  else if (strcmp(key, "nr_throttled") == 0)
    s->cpu.throttled_periods = v;
  else if (strcmp(key, "throttled_time") == 0)
    s->cpu.throttled_time = v;
}

static int v1_cpu(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  return read_keyed(dir, "cpu.stat", cpu_stat_v1, s, err);
}

/* cpuacct.stat: "user TICKS\nsystem TICKS", in USER_HZ. */
static int cpuacct_stat(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  cleanup_free char *text = NULL;
  char user[16], system[16];
  unsigned long long u, k;
  long hz = sysconf(_SC_CLK_TCK);
  int r = read_opt(dir, "cpuacct.stat", &text, err);

  if (r <= 0)
    return r;
  if (sscanf(text, "%15s %llu %15s %llu", user, &u, system, &k) != 4 ||
      strcmp(user, "user") != 0 || strcmp(system, "system") != 0)
    return bad_value(err, dir, "cpuacct.stat", text);
  if (hz <= 0)
    hz = 100;
  s->cpu.user = u * 1000000000ULL / (unsigned long long)hz;
  s->cpu.kernel = k * 1000000000ULL / (unsigned long long)hz;
  return 1;
}

/* cpuacct.usage_all: a header, then "CPU USER SYSTEM" per cpu. */
static int cpuacct_usage_all(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  cleanup_free char *text = NULL;
  char *cursor, *line;
  unsigned long long cpu, user, sys;
  char extra;
  int r = read_opt(dir, "cpuacct.usage_all", &text, err);

  if (r <= 0)
    return r;
  cursor = text;
  next_line(&cursor); /* "cpu user system" */
  while ((line = next_line(&cursor))) {
    if (sscanf(line, "%llu %llu %llu %c", &cpu, &user, &sys, &extra) != 3)
      continue; /* runc skips lines that are not three columns */
    list_add(&s->cpu.percpu_user, user);
    list_add(&s->cpu.percpu_kernel, sys);
  }
  return 1;
}

static int v1_cpuacct(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  if (cpuacct_stat(dir, s, err) < 0 || read_u64(dir, "cpuacct.usage", &s->cpu.total, err) < 0 ||
      read_u64_list(dir, "cpuacct.usage_percpu", &s->cpu.percpu, err) < 0)
    return -1;
  return cpuacct_usage_all(dir, s, err);
}

static void cpu_stat_v2(const char *key, uint64_t v, struct cgroup_stats *s)
{
  static const struct {
    const char *key;
    size_t offset;
    uint64_t scale;
  } fields[] = {
      {"usage_usec", offsetof(struct cgroup_stats, cpu.total), 1000},
      {"user_usec", offsetof(struct cgroup_stats, cpu.user), 1000},
      {"system_usec", offsetof(struct cgroup_stats, cpu.kernel), 1000},
      {"nr_periods", offsetof(struct cgroup_stats, cpu.periods), 1},
      {"nr_throttled", offsetof(struct cgroup_stats, cpu.throttled_periods), 1},
      {"throttled_usec", offsetof(struct cgroup_stats, cpu.throttled_time), 1000},
  };

  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
    if (strcmp(key, fields[i].key) == 0)
      *(uint64_t *)((char *)s + fields[i].offset) = v * fields[i].scale;
}

/* cpu.stat exists in every cgroup2 directory, the cpu controller or not. */
static int v2_cpu(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  return read_keyed(dir, "cpu.stat", cpu_stat_v2, s, err);
}

/* ---- cpuset (v1) ------------------------------------------------------------ */

/* "0-3,8,10-11" */
static int read_cpu_list(const char *dir, const char *file, struct cgroup_u64_list *l,
                         hrun_error *err)
{
  cleanup_free char *text = NULL;
  char *tok, *save = NULL, *end;
  unsigned long lo, hi;
  int r = read_opt(dir, file, &text, err);

  if (r <= 0)
    return r;
  for (tok = strtok_r(text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    lo = strtoul(tok, &end, 10);
    hi = *end == '-' ? strtoul(end + 1, &end, 10) : lo;
    if (!isdigit((unsigned char)*tok) || *end || hi < lo || hi > 65535)
      return bad_value(err, dir, file, tok);
    for (unsigned long c = lo; c <= hi; c++)
      list_add(l, c);
  }
  return 1;
}

static int v1_cpuset(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  static const struct {
    const char *file;
    size_t offset;
  } flags[] = {
      {"cpuset.cpu_exclusive", offsetof(struct cgroup_stats, cpuset.cpu_exclusive)},
      {"cpuset.mem_hardwall", offsetof(struct cgroup_stats, cpuset.mem_hardwall)},
      {"cpuset.mem_exclusive", offsetof(struct cgroup_stats, cpuset.mem_exclusive)},
      {"cpuset.memory_migrate", offsetof(struct cgroup_stats, cpuset.memory_migrate)},
      {"cpuset.memory_spread_page", offsetof(struct cgroup_stats, cpuset.memory_spread_page)},
      {"cpuset.memory_spread_slab", offsetof(struct cgroup_stats, cpuset.memory_spread_slab)},
      {"cpuset.memory_pressure", offsetof(struct cgroup_stats, cpuset.memory_pressure)},
      {"cpuset.sched_load_balance", offsetof(struct cgroup_stats, cpuset.sched_load_balance)},
  };
  cleanup_free char *level = NULL;
  char *end;

  if (read_cpu_list(dir, "cpuset.cpus", &s->cpuset.cpus, err) < 0 ||
      read_cpu_list(dir, "cpuset.mems", &s->cpuset.mems, err) < 0)
    return -1;
  for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
    if (read_u64(dir, flags[i].file, (uint64_t *)((char *)s + flags[i].offset), err) < 0)
      return -1;
  /* The one signed value: -1 means the system default. */
  if (read_opt(dir, "cpuset.sched_relax_domain_level", &level, err) < 0)
    return -1;
  if (level) {
    s->cpuset.sched_relax_domain_level = strtoll(level, &end, 10);
    if (end == level || *end)
      return bad_value(err, dir, "cpuset.sched_relax_domain_level", level);
  }
  return 1;
}

/* ---- memory ------------------------------------------------------------------- */

static void memory_stat(const char *key, uint64_t v, struct cgroup_stats *s)
{
  s->memory.raw = xrealloc(s->memory.raw, (s->memory.n_raw + 1) * sizeof(*s->memory.raw));
  s->memory.raw[s->memory.n_raw++] = (struct cgroup_kv){xstrdup(key), v};
}

static int kv_cmp(const void *a, const void *b)
{
  return strcmp(((const struct cgroup_kv *)a)->key, ((const struct cgroup_kv *)b)->key);
}

static uint64_t raw_value(const struct cgroup_stats *s, const char *key)
{
  for (size_t i = 0; i < s->memory.n_raw; i++)
    if (strcmp(s->memory.raw[i].key, key) == 0)
      return s->memory.raw[i].value;
  return 0;
}

static int read_memory_stat(const char *dir, struct cgroup_stats *s, const char *cache_key,
                            hrun_error *err)
{
  int r = read_keyed(dir, "memory.stat", memory_stat, s, err);

  if (r < 0)
    return -1;
  /* Go prints a map with its keys sorted. */
  qsort(s->memory.raw, s->memory.n_raw, sizeof(*s->memory.raw), kv_cmp);
  s->memory.cache = raw_value(s, cache_key);
  return r;
}

/* memory[.NAME].{usage_in_bytes,max_usage_in_bytes,failcnt,limit_in_bytes} */
static int v1_mem_data(const char *dir, const char *name, struct cgroup_mem_data *m,
                       hrun_error *err)
{
  static const char *const suffix[] = {"usage_in_bytes", "max_usage_in_bytes", "failcnt",
                                       "limit_in_bytes"};
  uint64_t *field[] = {&m->usage, &m->max, &m->failcnt, &m->limit};
  char file[64];

  for (size_t i = 0; i < 4; i++) {
    snprintf(file, sizeof(file), "memory%s%s.%s", *name ? "." : "", name, suffix[i]);
    if (read_u64(dir, file, field[i], err) < 0)
      return -1;
  }
  return 1;
}

static int v1_memory(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  if (read_memory_stat(dir, s, "cache", err) < 0 ||
      v1_mem_data(dir, "", &s->memory.usage, err) < 0 ||
      v1_mem_data(dir, "memsw", &s->memory.swap, err) < 0 ||
      v1_mem_data(dir, "kmem", &s->memory.kernel, err) < 0)
    return -1;
  return v1_mem_data(dir, "kmem.tcp", &s->memory.kernel_tcp, err);
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int v2_memory(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  struct cgroup_mem_data *mem = &s->memory.usage, *swap = &s->memory.swap;
  int r;

  if (read_memory_stat(dir, s, "file", err) < 0)
    return -1;
  r = read_u64(dir, "memory.current", &mem->usage, err);
  if (r <= 0) /* no memory controller here */
    return r;
  if (read_u64(dir, "memory.max", &mem->limit, err) < 0 ||
      read_u64(dir, "memory.swap.current", &swap->usage, err) < 0 ||
      read_u64(dir, "memory.swap.max", &swap->limit, err) < 0)
    return -1;
  /* v1's memsw counts memory and swap together, v2's swap only swap: runc
   * reports the sum, as v1 would. */
  swap->usage = add_sat(swap->usage, mem->usage);
  if (swap->limit != UINT64_MAX)
    swap->limit = add_sat(swap->limit, mem->limit);
  return 1;
}

/* ---- pids ------------------------------------------------------------------------ */

static int v1_pids(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  if (read_u64(dir, "pids.current", &s->pids.current, err) < 0 ||
      read_u64(dir, "pids.max", &s->pids.limit, err) < 0)
    return -1;
  if (s->pids.limit == UINT64_MAX) /* "max": runc says 0 for no limit */
    s->pids.limit = 0;
  return 1;
}

/* Without the pids controller, the processes in cgroup.procs. */
static int v2_pids(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  cleanup_free char *procs = NULL;
  int r;

  if (cg_exists(dir, "pids.current"))
    return v1_pids(dir, s, err);
  r = read_opt(dir, "cgroup.procs", &procs, err);
  if (r <= 0)
    return r;
  for (const char *c = procs; *c; c++)
    s->pids.current += *c == '\n';
  s->pids.current += *procs != '\0'; /* cg_read dropped the last newline */
  return 1;
}

/* ---- blkio and io ------------------------------------------------------------- */

static void blkio_add(struct cgroup_stats *s, enum cgroup_blkio_table t,
                      const struct cgroup_blkio_entry *e)
{
  s->blkio[t].e = xrealloc(s->blkio[t].e, (s->blkio[t].n + 1) * sizeof(*e));
  s->blkio[t].e[s->blkio[t].n++] = *e;
}

/* "MAJ:MIN [OP] VALUE" lines and a "Total N" line (skipped). 1 when the
 * file had entries, 0 when it is missing or has none. */
static int read_blkio_file(const char *dir, const char *file, struct cgroup_stats *s,
                           enum cgroup_blkio_table t, hrun_error *err)
{
  cleanup_free char *text = NULL;
  char *cursor, *line;
  struct cgroup_blkio_entry e;
  unsigned long long maj, min, v;
  char op[16], extra;
  bool any = false;
  int r = read_opt(dir, file, &text, err);

  if (r <= 0)
    return r;
  for (cursor = text; (line = next_line(&cursor));) {
    memset(&e, 0, sizeof(e));
    if (sscanf(line, "Total %llu %c", &v, &extra) == 1)
      continue;
    if (sscanf(line, "%llu:%llu %15s %llu %c", &maj, &min, op, &v, &extra) == 4)
      snprintf(e.op, sizeof(e.op), "%s", op);
    else if (sscanf(line, "%llu:%llu %llu %c", &maj, &min, &v, &extra) != 3)
      return bad_value(err, dir, file, line);
    e.major = maj, e.minor = min, e.value = v;
    blkio_add(s, t, &e);
    any = true;
  }
  return any;
}

struct blkio_file {
  const char *name;
  enum cgroup_blkio_table table;
};

static const struct blkio_file bfq_debug[] = {
    {"blkio.bfq.sectors_recursive", BLKIO_SECTORS},
    {"blkio.bfq.io_service_time_recursive", BLKIO_SERVICE_TIME},
    {"blkio.bfq.io_wait_time_recursive", BLKIO_WAIT_TIME},
    {"blkio.bfq.io_merged_recursive", BLKIO_MERGED},
    {"blkio.bfq.io_queued_recursive", BLKIO_QUEUED},
    {"blkio.bfq.time_recursive", BLKIO_TIME},
    {"blkio.bfq.io_serviced_recursive", BLKIO_SERVICED},
    {"blkio.bfq.io_service_bytes_recursive", BLKIO_SERVICE_BYTES},
    {NULL, 0}};
static const struct blkio_file bfq[] = {
    {"blkio.bfq.io_serviced_recursive", BLKIO_SERVICED},
    {"blkio.bfq.io_service_bytes_recursive", BLKIO_SERVICE_BYTES},
    {NULL, 0}};
static const struct blkio_file cfq[] = {
    {"blkio.sectors_recursive", BLKIO_SECTORS},
    {"blkio.io_service_time_recursive", BLKIO_SERVICE_TIME},
    {"blkio.io_wait_time_recursive", BLKIO_WAIT_TIME},
    {"blkio.io_merged_recursive", BLKIO_MERGED},
    {"blkio.io_queued_recursive", BLKIO_QUEUED},
    {"blkio.time_recursive", BLKIO_TIME},
    {"blkio.io_serviced_recursive", BLKIO_SERVICED},
    {"blkio.io_service_bytes_recursive", BLKIO_SERVICE_BYTES},
    {NULL, 0}};
static const struct blkio_file throttle_recursive[] = {
    {"blkio.throttle.io_serviced_recursive", BLKIO_SERVICED},
    {"blkio.throttle.io_service_bytes_recursive", BLKIO_SERVICE_BYTES},
    {NULL, 0}};
static const struct blkio_file throttle[] = {
    {"blkio.throttle.io_serviced", BLKIO_SERVICED},
    {"blkio.throttle.io_service_bytes", BLKIO_SERVICE_BYTES},
    {NULL, 0}};

/* runc's order: the first group whose first file has entries is the one
 * read (the scheduler in use decides which files count); within it, an
 * empty file ends the reading. */
static int v1_blkio(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  static const struct blkio_file *const groups[] = {bfq_debug, bfq, cfq, throttle_recursive,
                                                    throttle};
  int r;

  for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
    for (size_t i = 0; groups[g][i].name; i++) {
      r = read_blkio_file(dir, groups[g][i].name, s, groups[g][i].table, err);
      if (r < 0)
        return -1;
      if (r == 0 && i == 0)
        break;
      if (r == 0 || !groups[g][i + 1].name)
        return 1;
    }
  return 1;
}

/* io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N"; runc
 * maps the bytes and ios to v1's service_bytes and serviced tables. */
static int v2_io(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  static const struct {
    const char *key, *op;
    enum cgroup_blkio_table table;
  } ops[] = {{"rbytes", "Read", BLKIO_SERVICE_BYTES},
             {"wbytes", "Write", BLKIO_SERVICE_BYTES},
             {"rios", "Read", BLKIO_SERVICED},
             {"wios", "Write", BLKIO_SERVICED}};
  cleanup_free char *text = NULL;
  char *cursor, *line, *tok, *save, *eq;
  struct cgroup_blkio_entry e;
  unsigned long long maj, min;
  int r = read_opt(dir, "io.stat", &text, err);

  if (r <= 0)
    return r;
  for (cursor = text; (line = next_line(&cursor));) {
    save = NULL;
    tok = strtok_r(line, " ", &save);
    if (!tok || sscanf(tok, "%llu:%llu", &maj, &min) != 2)
      continue; /* as runc: a line without a device is skipped */
    while ((tok = strtok_r(NULL, " ", &save))) {
      if (!(eq = strchr(tok, '=')))
        continue;
      *eq = '\0';
      for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (strcmp(tok, ops[i].key) != 0)
          continue;
        memset(&e, 0, sizeof(e));
        e.major = maj, e.minor = min;
        snprintf(e.op, sizeof(e.op), "%s", ops[i].op);
        if (!parse_u64(eq + 1, &e.value))
          return bad_value(err, dir, "io.stat", eq + 1);
        blkio_add(s, ops[i].table, &e);
      }
    }
  }
  return 1;
}

/* ---- hugetlb ------------------------------------------------------------------- */

static int hugetlb_cmp(const void *a, const void *b)
{
  return strcmp(((const struct cgroup_hugetlb_stat *)a)->size,
                ((const struct cgroup_hugetlb_stat *)b)->size);
}

/* The page sizes are those of the hugetlb.<SIZE>.<suffix> files there:
 * the kernel names them as runc's HugePageSizes does ("2MB", "1GB"). */
static int hugetlb_sizes(const char *dir, const char *suffix, struct cgroup_stats *s,
                         hrun_error *err)
{
  cleanup_closedir DIR *d = opendir(dir);
  struct dirent *de;
  const char *size, *dot;

  if (!d)
    return errno == ENOENT ? 0 : err_set(err, errno, "cgroup stats: open %s", dir);
  while ((de = readdir(d))) {
    if (strncmp(de->d_name, "hugetlb.", 8) != 0)
      continue;
    size = de->d_name + 8;
    dot = strchr(size, '.');
    if (!dot || dot == size || strcmp(dot + 1, suffix) != 0)
      continue; /* also skips hugetlb.2MB.rsvd.* */
    s->hugetlb = xrealloc(s->hugetlb, (s->n_hugetlb + 1) * sizeof(*s->hugetlb));
    s->hugetlb[s->n_hugetlb++] = (struct cgroup_hugetlb_stat){.size = xasprintf(
        "%.*s", (int)(dot - size), size)};
  }
  qsort(s->hugetlb, s->n_hugetlb, sizeof(*s->hugetlb), hugetlb_cmp);
  return 1;
}

static int read_hugetlb(const char *dir, const char *size, const char *suffix, uint64_t *v,
                        hrun_error *err)
{
  char file[96];

  snprintf(file, sizeof(file), "hugetlb.%s.%s", size, suffix);
  return read_u64(dir, file, v, err);
}

static int v1_hugetlb(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  if (hugetlb_sizes(dir, "usage_in_bytes", s, err) < 0)
    return -1;
  for (size_t i = 0; i < s->n_hugetlb; i++) {
    struct cgroup_hugetlb_stat *h = &s->hugetlb[i];
    if (read_hugetlb(dir, h->size, "usage_in_bytes", &h->usage, err) < 0 ||
        read_hugetlb(dir, h->size, "max_usage_in_bytes", &h->max, err) < 0 ||
        read_hugetlb(dir, h->size, "failcnt", &h->failcnt, err) < 0)
      return -1;
  }
  return 1;
}

/* A keyed file's value for key (hugetlb.<SIZE>.events "max N"). */
static int read_key(const char *dir, const char *file, const char *key, uint64_t *v,
                    hrun_error *err)
{
  cleanup_free char *text = NULL;
  char *cursor, *line;
  size_t len = strlen(key);
  int r = read_opt(dir, file, &text, err);

  if (r <= 0)
    return r;
  for (cursor = text; (line = next_line(&cursor));)
    if (strncmp(line, key, len) == 0 && line[len] == ' ')
      return parse_u64(line + len + 1, v) ? 1 : bad_value(err, dir, file, line);
  return 0;
}

static int v2_hugetlb(const char *dir, struct cgroup_stats *s, hrun_error *err)
{
  char file[96];

  if (hugetlb_sizes(dir, "current", s, err) < 0)
    return -1;
  for (size_t i = 0; i < s->n_hugetlb; i++) {
    struct cgroup_hugetlb_stat *h = &s->hugetlb[i];
    if (read_hugetlb(dir, h->size, "current", &h->usage, err) < 0)
      return -1;
    /* failcnt: how often the limit made an allocation fail. */
    snprintf(file, sizeof(file), "hugetlb.%s.events", h->size);
    if (read_key(dir, file, "max", &h->failcnt, err) < 0)
      return -1;
  }
  return 1;
}

/* ---- the controllers -------------------------------------------------------- */

typedef int (*stat_fn)(const char *dir, struct cgroup_stats *s, hrun_error *err);

/* v1: the hierarchy's controller; v2: the cgroup2 controller with the same
 * numbers (NULL: v2 has them elsewhere, or not at all). */
static const struct {
  const char *v1, *v2;
  stat_fn read_v1, read_v2;
} controllers[] = {
    {"cpu", "cpu", v1_cpu, v2_cpu},
    {"cpuacct", NULL, v1_cpuacct, NULL},
    {"cpuset", NULL, v1_cpuset, NULL},
    {"memory", "memory", v1_memory, v2_memory},
    {"pids", "pids", v1_pids, v2_pids},
    {"blkio", "io", v1_blkio, v2_io},
    {"hugetlb", "hugetlb", v1_hugetlb, v2_hugetlb},
};

/* On a hybrid host the cgroup2 directory counts for a controller only when
 * it is enabled there (cpu.stat, for one, exists in every directory). */
static bool v2_has(const struct cgroup_paths *p, const char *dir, const char *ctrl)
{
  cleanup_free char *list = NULL;
  hrun_error ignored;

  if (p->mode == CGROUP_MODE_V2)
    return true;
  return cg_read(dir, "cgroup.controllers", &list, &ignored) == 0 &&
         cg_list_has(list, ctrl, " ");
}

int cgroup_stats_read(const struct cgroup_paths *p, struct cgroup_stats *s, hrun_error *err)
{
  const struct cgroup_dir *v2 = cg_v2_dir(p), *d;
  int r = 0;

  memset(s, 0, sizeof(*s));
  for (size_t i = 0; i < sizeof(controllers) / sizeof(controllers[0]) && r >= 0; i++) {
    d = p->mode == CGROUP_MODE_V1 ? cg_v1_dir(p, controllers[i].v1) : NULL;
    if (d)
      r = controllers[i].read_v1(d->path, s, err);
    else if (v2 && controllers[i].v2 && v2_has(p, v2->path, controllers[i].v2))
      r = controllers[i].read_v2(v2->path, s, err);
  }
  if (r < 0)
    cgroup_stats_free(s);
  return r < 0 ? -1 : 0;
}

static void list_free(struct cgroup_u64_list *l)
{
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

void cgroup_stats_free(struct cgroup_stats *s)
{
  list_free(&s->cpu.percpu);
  list_free(&s->cpu.percpu_kernel);
  list_free(&s->cpu.percpu_user);
  list_free(&s->cpuset.cpus);
  list_free(&s->cpuset.mems);
  for (size_t i = 0; i < s->memory.n_raw; i++)
    free(s->memory.raw[i].key);
  free(s->memory.raw);
  for (size_t t = 0; t < BLKIO_N_TABLES; t++)
    free(s->blkio[t].e);
  for (size_t i = 0; i < s->n_hugetlb; i++)
    free(s->hugetlb[i].size);
  free(s->hugetlb);
  memset(s, 0, sizeof(*s));
}
