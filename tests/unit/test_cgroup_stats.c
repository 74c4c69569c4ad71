/* cgroup_stats_read on fake cgroup directories (v1, v2 and hybrid files
 * as the kernel writes them), the JSON runc's `events` prints for them,
 * and the OOM watch: v2 on a fake memory.events, v1 on a real memory
 * cgroup (root needed; skipped otherwise). */
#include "tests/unit/cgroup_test.h"

#include <ftw.h>
#include <poll.h>

#include "libcontainer/cgroups/cgroup_stats.h"
#include "libcontainer/util/json.h"

/* ---- fake cgroup trees ---------------------------------------------------- */

struct tree {
  char root[64];
  struct cgroup_paths p;
};

static void put(const char *dir, const char *file, const char *text)
{
  char path[256];
  FILE *f;

  snprintf(path, sizeof(path), "%s/%s", dir, file);
  f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Adds dir root/name for controllers ("" for cgroup2); returns its path. */
static const char *add_dir(struct tree *t, const char *name, const char *controllers)
{
  struct cgroup_dir *d;

  t->p.dirs = realloc(t->p.dirs, (t->p.n_dirs + 1) * sizeof(*t->p.dirs));
  d = &t->p.dirs[t->p.n_dirs++];
  d->controllers = strdup(controllers);
  if (asprintf(&d->path, "%s/%s", t->root, name) < 0)
    fail();
  assert_int_equal(mkdir(d->path, 0755), 0);
  return d->path;
}

static int tree_setup(void **state)
{
  struct tree *t = calloc(1, sizeof(*t));

  snprintf(t->root, sizeof(t->root), "/tmp/hrun-unit-stats-XXXXXX");
  if (!mkdtemp(t->root))
    return -1;
  *state = t;
  return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
  (void)sb, (void)flag, (void)ftw;
  return remove(path);
}

static int tree_teardown(void **state)
{
  struct tree *t = *state;

  nftw(t->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
  cgroup_paths_free(&t->p);
  free(t);
  return 0;
}

/* The JSON of s, parsed back. */
static json_value *to_json(const struct cgroup_stats *s)
{
  json_writer *w = json_writer_new(false);
  const char *out;
  size_t len;
  hrun_error err;
  json_value *v;

  cgroup_stats_to_json(w, s);
  out = jw_output(w, &len);
  v = json_parse(out, len, &err);
  if (!v)
    fail_msg("%s: %s", err.msg, out);
  json_writer_free(w);
  return v;
}

/* The keys of an object, space-separated, in order. */
static const char *keys_of(const json_value *obj, char *buf, size_t size)
{
  size_t n = 0;

  buf[0] = '\0';
  for (size_t i = 0; i < json_object_size(obj); i++)
    n += snprintf(buf + n, size - n, "%s%s", i ? " " : "", json_object_key(obj, i));
  return buf;
}

static uint64_t num_at(const json_value *v, const char *a, const char *b, const char *c)
{
  uint64_t x = 0;

  v = json_object_get(v, a);
  if (v && b)
    v = json_object_get(v, b);
  if (v && c)
    v = json_object_get(v, c);
  if (!v || !json_uint64(v, &x))
    fail_msg("no number at %s.%s.%s", a, b ? b : "", c ? c : "");
  return x;
}

#define KEYS(obj, expect) assert_string_equal(keys_of((obj), kbuf, sizeof(kbuf)), (expect))

/* ---- v1 --------------------------------------------------------------------- */

static void fill_v1(struct tree *t)
{
  const char *d;

  t->p.mode = CGROUP_MODE_V1;
  d = add_dir(t, "memory", "memory");
  put(d, "memory.stat", "cache 8192\nrss 4096\ntotal_rss 4096\nactive_anon 0\n");
  put(d, "memory.usage_in_bytes", "12288\n");
  put(d, "memory.max_usage_in_bytes", "65536\n");
  put(d, "memory.failcnt", "3\n");
  put(d, "memory.limit_in_bytes", "67108864\n");
  put(d, "memory.memsw.usage_in_bytes", "12288\n");
  put(d, "memory.memsw.max_usage_in_bytes", "65536\n");
  put(d, "memory.memsw.failcnt", "0\n");
  put(d, "memory.memsw.limit_in_bytes", "9223372036854771712\n");
  d = add_dir(t, "cpu", "cpu");
  put(d, "cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 5000\nnr_bursts 0\n");
  d = add_dir(t, "cpuacct", "cpuacct");
  put(d, "cpuacct.stat", "user 3\nsystem 1\n");
  put(d, "cpuacct.usage", "40000000\n");
  put(d, "cpuacct.usage_percpu", "30000000 10000000 \n");
  put(d, "cpuacct.usage_all", "cpu user system\n0 20000000 10000000\n1 10000000 0\n");
  d = add_dir(t, "cpuset", "cpuset");
  put(d, "cpuset.cpus", "0-2,5\n");
  put(d, "cpuset.mems", "0\n");
  put(d, "cpuset.sched_load_balance", "1\n");
  put(d, "cpuset.sched_relax_domain_level", "-1\n");
  d = add_dir(t, "pids", "pids");
  put(d, "pids.current", "2\n");
  put(d, "pids.max", "max\n");
  d = add_dir(t, "blkio", "blkio");
  put(d, "blkio.throttle.io_serviced_recursive", "8:0 Read 3\n8:0 Write 1\nTotal 4\n");
  put(d, "blkio.throttle.io_service_bytes_recursive", "8:0 Read 4096\n8:0 Write 512\nTotal 4608\n");
  d = add_dir(t, "hugetlb", "hugetlb");
  put(d, "hugetlb.2MB.usage_in_bytes", "2097152\n");
  put(d, "hugetlb.2MB.max_usage_in_bytes", "4194304\n");
  put(d, "hugetlb.2MB.failcnt", "1\n");
  put(d, "hugetlb.2MB.rsvd.usage_in_bytes", "0\n"); /* not a page size */
  put(d, "hugetlb.1GB.usage_in_bytes", "0\n");
  add_dir(t, "systemd", "name=systemd");
}

static void test_v1_files(void **state)
{
  struct tree *t = *state;
  struct cgroup_stats s;
  hrun_error err;

  fill_v1(t);
  OK(cgroup_stats_read(&t->p, &s, &err));
  assert_int_equal(s.memory.usage.usage, 12288);
  assert_int_equal(s.memory.usage.max, 65536);
  assert_int_equal(s.memory.usage.failcnt, 3);
  assert_int_equal(s.memory.usage.limit, 67108864);
  assert_true(s.memory.swap.limit == 9223372036854771712ULL);
  assert_int_equal(s.memory.kernel.limit, 0); /* no kmem files: left at zero */
  assert_int_equal(s.memory.cache, 8192);
  assert_int_equal(s.memory.n_raw, 4);
  assert_string_equal(s.memory.raw[0].key, "active_anon"); /* sorted, as Go prints maps */
  assert_int_equal(s.cpu.total, 40000000);
  assert_int_equal(s.cpu.user, 30000000); /* 3 ticks of 10 ms */
  assert_int_equal(s.cpu.kernel, 10000000);
  assert_int_equal(s.cpu.percpu.n, 2);
  assert_int_equal(s.cpu.percpu_user.v[0], 20000000);
  assert_int_equal(s.cpu.percpu_kernel.v[0], 10000000);
  assert_int_equal(s.cpu.periods, 10);
  assert_int_equal(s.cpu.throttled_periods, 2);
  assert_int_equal(s.cpu.throttled_time, 5000);
  assert_int_equal(s.cpuset.cpus.n, 4);
  assert_int_equal(s.cpuset.cpus.v[3], 5);
  assert_int_equal(s.cpuset.sched_relax_domain_level, -1);
  assert_int_equal(s.pids.current, 2);
  assert_int_equal(s.pids.limit, 0); /* "max": no limit, 0 as runc says */
  assert_int_equal(s.blkio[BLKIO_SERVICED].n, 2);
  assert_int_equal(s.blkio[BLKIO_SERVICE_BYTES].n, 2);
  assert_string_equal(s.blkio[BLKIO_SERVICE_BYTES].e[1].op, "Write");
  assert_int_equal(s.blkio[BLKIO_SERVICE_BYTES].e[1].value, 512);
  assert_int_equal(s.n_hugetlb, 2);
  assert_string_equal(s.hugetlb[0].size, "1GB");
  assert_int_equal(s.hugetlb[1].max, 4194304);
  assert_int_equal(s.hugetlb[1].failcnt, 1);
  cgroup_stats_free(&s);
}

/* The keys runc 1.1.5 prints for the same files (types/events.go). */
static void test_v1_json(void **state)
{
  struct tree *t = *state;
  struct cgroup_stats s;
  hrun_error err;
  char kbuf[512];
  json_value *v;

  fill_v1(t);
  OK(cgroup_stats_read(&t->p, &s, &err));
  v = to_json(&s);
  KEYS(v, "cpu cpuset memory pids blkio hugetlb intel_rdt network_interfaces");
  KEYS(json_object_get(v, "cpu"), "usage throttling");
  KEYS(json_object_get(json_object_get(v, "cpu"), "usage"),
       "total percpu percpu_kernel percpu_user kernel user");
  KEYS(json_object_get(v, "memory"), "cache usage swap kernel kernelTCP raw");
  KEYS(json_object_get(json_object_get(v, "memory"), "kernel"), "limit failcnt");
  KEYS(json_object_get(json_object_get(v, "memory"), "usage"), "limit usage max failcnt");
  KEYS(json_object_get(v, "pids"), "current"); /* limit 0 is left out */
  KEYS(json_object_get(v, "blkio"), "ioServiceBytesRecursive ioServicedRecursive");
  KEYS(json_object_get(json_object_get(v, "hugetlb"), "1GB"), "failcnt");
  KEYS(json_object_get(v, "intel_rdt"), "");
  assert_int_equal(json_type_of(json_object_get(v, "network_interfaces")), JSON_NULL);
  assert_int_equal(num_at(v, "memory", "usage", "limit"), 67108864);
  assert_int_equal(num_at(v, "cpu", "throttling", "throttledTime"), 5000);
  assert_int_equal(num_at(v, "cpuset", "sched_load_balance", NULL), 1);
  json_free(v);
  cgroup_stats_free(&s);
}

/* A host without a file (or a controller) leaves those numbers out. */
static void test_v1_missing_files(void **state)
{
  struct tree *t = *state;
  struct cgroup_stats s;
  hrun_error err;
  char kbuf[512];
  json_value *v;

  t->p.mode = CGROUP_MODE_V1;
  add_dir(t, "memory", "memory");
  add_dir(t, "cpu", "cpu,cpuacct");
  OK(cgroup_stats_read(&t->p, &s, &err));
  assert_int_equal(s.memory.n_raw, 0);
  v = to_json(&s);
  KEYS(v, "cpu cpuset memory pids blkio hugetlb intel_rdt network_interfaces");
  KEYS(json_object_get(json_object_get(v, "cpu"), "usage"), "kernel user");
  KEYS(json_object_get(v, "memory"), "usage swap kernel kernelTCP");
  KEYS(json_object_get(v, "pids"), "");
  json_free(v);
  cgroup_stats_free(&s);
}

static void test_v1_malformed(void **state)
{
  struct tree *t = *state;
  struct cgroup_stats s;
  hrun_error err;
  const char *d;

  t->p.mode = CGROUP_MODE_V1;
  d = add_dir(t, "memory", "memory");
  put(d, "memory.stat", "cache 1\nrss lots\n");
  FAILS(cgroup_stats_read(&t->p, &s, &err), "memory/memory.stat: cannot parse \"rss lots\"");
  put(d, "memory.stat", "cache 1\n");
  put(d, "memory.limit_in_bytes", "-1\n"); /* negative reads as 0, as runc */
  OK(cgroup_stats_read(&t->p, &s, &err));
  assert_int_equal(s.memory.usage.limit, 0);
  cgroup_stats_free(&s);
  put(d, "memory.usage_in_bytes", "12k\n");
  FAILS(cgroup_stats_read(&t->p, &s, &err), "memory.usage_in_bytes: cannot parse \"12k\"");
}

/* runc's blkio order: CFQ's files count only when the first has entries;
 * otherwise the throttle files are read. */
static void test_v1_blkio_groups(void **state)
{
  struct tree *t = *state;
  struct cgroup_stats s;
  hrun_error err;
  const char *d;

  t->p.mode = CGROUP_MODE_V1;
  d = add_dir(t, "blkio", "blkio");
  put(d, "blkio.sectors_recursive", "Total 0\n");
  put(d, "blkio.io_serviced_recursive", "8:0 Read 99\n");
  put(d, "blkio.throttle.io_serviced_recursive", "8:16 Read 3\n");
  put(d, "blkio.throttle.io_service_bytes_recursive", "8:16 Read 4096\n");
  OK(cgroup_stats_read(&t->p, &s, &err));
  assert_int_equal(s.blkio[BLKIO_SERVICED].n, 1);
  assert_int_equal(s.blkio[BLKIO_SERVICED].e[0].minor, 16);
  assert_int_equal(s.blkio[BLKIO_SECTORS].n, 0);
  cgroup_stats_free(&s);
  put(d, "blkio.sectors_recursive", "8:0 11\n"); /* no op: a sectors line */
  OK(cgroup_stats_read(&t->p, &s, &err));
  assert_int_equal(s.blkio[BLKIO_SECTORS].e[0].value, 11);
  assert_string_equal(s.blkio[BLKIO_SECTORS].e[0].op, "");
  /* the next CFQ file is missing: runc stops there */
  assert_int_equal(s.blkio[BLKIO_SERVICED].n, 0);
  cgroup_stats_free(&s);
}

/* ---- v2 ------------------------------------------------------------------------ */

static const char *fill_v2(struct tree *t)
{
  const char *d;

  t->p.mode = CGROUP_MODE_V2;
  d = add_dir(t, "ctr", "");
  put(d, "cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\n"
                     "nr_throttled 1\nthrottled_usec 7\n");
  put(d, "memory.stat", "anon 4096\nfile 8192\nkernel 512\n");
  put(d, "memory.current", "16384\n");
  put(d, "memory.max", "33554432\n");
  put(d, "memory.swap.current", "1024\n");
  put(d, "memory.swap.max", "max\n");
  put(d, "pids.current", "3\n");
  put(d, "pids.max", "42\n");
  put(d, "io.stat", "8:0 rbytes=4096 wbytes=512 rios=2 wios=1 dbytes=0 dios=0\n"
                    "259:1 rbytes=1 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");
  put(d, "hugetlb.2MB.current", "2097152\n");
  put(d, "hugetlb.2MB.events", "max 5\n");
  put(d, "hugetlb.2MB.rsvd.current", "0\n");
  return d;
}

static void test_v2_files(void **state)
{
  struct tree *t = *state;
  struct cgroup_stats s;
  hrun_error err;
  char kbuf[512];
  json_value *v;

  fill_v2(t);
  OK(cgroup_stats_read(&t->p, &s, &err));
  assert_int_equal(s.cpu.total, 1500000); /* usec -> ns */
  assert_int_equal(s.cpu.user, 1000000);
  assert_int_equal(s.cpu.kernel, 500000);
  assert_int_equal(s.cpu.throttled_time, 7000);
  assert_int_equal(s.cpu.percpu.n, 0);
  assert_int_equal(s.memory.cache, 8192); /* "file" on v2 */
  assert_int_equal(s.memory.usage.usage, 16384);
  assert_int_equal(s.memory.usage.limit, 33554432);
  /* swap is reported with memory added, as v1's memsw; unlimited stays so */
  assert_int_equal(s.memory.swap.usage, 16384 + 1024);
  assert_true(s.memory.swap.limit == UINT64_MAX);
  assert_int_equal(s.pids.current, 3);
  assert_int_equal(s.pids.limit, 42);
  assert_int_equal(s.blkio[BLKIO_SERVICE_BYTES].n, 4);
  assert_int_equal(s.blkio[BLKIO_SERVICED].n, 4);
  assert_int_equal(s.blkio[BLKIO_SERVICE_BYTES].e[2].major, 259);
  assert_string_equal(s.blkio[BLKIO_SERVICED].e[1].op, "Write");
  assert_int_equal(s.n_hugetlb, 1);
  assert_int_equal(s.hugetlb[0].usage, 2097152);
  assert_int_equal(s.hugetlb[0].failcnt, 5);
  v = to_json(&s);
  KEYS(json_object_get(json_object_get(v, "cpu"), "usage"), "total kernel user");
  KEYS(json_object_get(v, "memory"), "cache usage swap kernel kernelTCP raw");
  KEYS(json_object_get(v, "cpuset"), "cpu_exclusive mem_hardwall mem_exclusive memory_migrate "
                                     "memory_spread_page memory_spread_slab memory_pressure "
                                     "sched_load_balance sched_relax_domain_level");
  /* a zero value is left out of a blkio entry, as Go's omitempty does */
  KEYS(json_array_get(json_object_get(json_object_get(v, "blkio"), "ioServicedRecursive"), 3),
       "major minor op");
  json_free(v);
  cgroup_stats_free(&s);
}

/* Limited swap: the limit is memory's plus swap's. Without the pids
 * controller the processes of cgroup.procs are counted. */
static void test_v2_swap_and_procs(void **state)
{
  struct tree *t = *state;
  struct cgroup_stats s;
  hrun_error err;
  char path[256];
  const char *d = fill_v2(t);

  put(d, "memory.swap.max", "1048576\n");
  snprintf(path, sizeof(path), "%s/pids.current", d);
  unlink(path);
  put(d, "cgroup.procs", "10\n11\n12\n13\n");
  OK(cgroup_stats_read(&t->p, &s, &err));
  assert_int_equal(s.memory.swap.limit, 33554432 + 1048576);
  assert_int_equal(s.pids.current, 4);
  assert_int_equal(s.pids.limit, 0);
  cgroup_stats_free(&s);
}

/* Hybrid: v1 hierarchies, and hugetlb only on the cgroup2 one (this
 * host's layout). cpu.stat of the cgroup2 directory does not count: the v1
 * cpu hierarchy has the numbers. */
static void test_hybrid(void **state)
{
  struct tree *t = *state;
  struct cgroup_stats s;
  hrun_error err;
  const char *d;

  t->p.mode = CGROUP_MODE_V1;
  d = add_dir(t, "cpu", "cpu,cpuacct");
  put(d, "cpuacct.usage", "77\n");
  d = add_dir(t, "unified", "");
  put(d, "cgroup.controllers", "hugetlb\n");
  put(d, "cpu.stat", "usage_usec 1\n");
  put(d, "pids.current", "9\n"); /* not in cgroup.controllers: ignored */
  put(d, "hugetlb.2MB.current", "4096\n");
  put(d, "hugetlb.2MB.events", "max 0\n");
  OK(cgroup_stats_read(&t->p, &s, &err));
  assert_int_equal(s.cpu.total, 77);
  assert_int_equal(s.pids.current, 0);
  assert_int_equal(s.n_hugetlb, 1);
  assert_int_equal(s.hugetlb[0].usage, 4096);
  cgroup_stats_free(&s);
}

/* ---- OOM watch -------------------------------------------------------------------- */

static bool readable(int fd, int ms)
{
  struct pollfd p = {.fd = fd, .events = POLLIN};

  return poll(&p, 1, ms) == 1;
}

static void test_oom_v2(void **state)
{
  struct tree *t = *state;
  struct cgroup_oom_watch w;
  hrun_error err;
  char path[256];
  const char *d = fill_v2(t);

  put(d, "memory.events", "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\n");
  OK(cgroup_oom_watch_open(&t->p, &w, &err));
  assert_true(w.fd >= 0);
  assert_int_equal(cgroup_oom_watch_read(&w, &err), 0); /* the kill before is old */
  put(d, "memory.events", "low 0\nhigh 0\nmax 9\noom 3\noom_kill 1\n");
  assert_true(readable(w.fd, 2000));
  assert_int_equal(cgroup_oom_watch_read(&w, &err), 0); /* OOMs, but no new kill */
  put(d, "memory.events", "low 0\nhigh 0\nmax 9\noom 4\noom_kill 3\n");
  assert_true(readable(w.fd, 2000));
  assert_int_equal(cgroup_oom_watch_read(&w, &err), 1);
  assert_false(readable(w.fd, 0));
  assert_int_equal(cgroup_oom_watch_read(&w, &err), 0);
  snprintf(path, sizeof(path), "%s/memory.events", d);
  unlink(path); /* the cgroup is gone */
  assert_int_equal(cgroup_oom_watch_read(&w, &err), 0);
  assert_int_equal(w.fd, -1);
  cgroup_oom_watch_close(&w);
}

/* No memory controller: no watch, and no error. */
static void test_oom_none(void **state)
{
  struct tree *t = *state;
  struct cgroup_oom_watch w;
  hrun_error err;

  t->p.mode = CGROUP_MODE_V1;
  add_dir(t, "pids", "pids");
  OK(cgroup_oom_watch_open(&t->p, &w, &err));
  assert_int_equal(w.fd, -1);
  assert_int_equal(cgroup_oom_watch_read(&w, &err), 0);
  cgroup_oom_watch_close(&w);
}

/* A child in the cgroup touches 64 MiB under a 16 MiB limit. */
static int eat_memory(const struct cgroup_paths *p)
{
  hrun_error err;
  size_t size = 64 * MB;
  volatile char *m; /* or the compiler drops the allocation */

  if (cgroup_enter(p, getpid(), &err) < 0)
    return 100;
  m = malloc(size);
  for (size_t i = 0; m && i < size; i += 4096)
    m[i] = 1;
  return 0; /* not killed: the test fails on the exit status */
}

/* v1 on the host's memory hierarchy: the eventfd says OOM, and the
 * cgroup's removal is not taken for one. */
static void test_oom_v1_real(void **state)
{
  FX;
  struct spec_resources r = {.has_memory = true};
  struct cgroup_oom_watch w;

  if (geteuid() != 0 || cgroup_mode() != CGROUP_MODE_V1)
    skip();
  SET(r.memory.limit, 16 * MB);
  resolve(f, f->path);
  OK(cgroup_create(&f->p, &r, &err));
  OK(cgroup_oom_watch_open(&f->p, &w, &err));
  assert_true(w.fd >= 0);
  assert_int_equal(cgroup_oom_watch_read(&w, &err), 0);
  assert_int_equal(IN_CHILD(eat_memory(&f->p)), 128 + SIGKILL);
  assert_true(readable(w.fd, 5000));
  assert_int_equal(cgroup_oom_watch_read(&w, &err), 1);
  OK(cgroup_destroy(&f->p, &err));
  if (readable(w.fd, 2000))
    assert_int_equal(cgroup_oom_watch_read(&w, &err), 0);
  assert_int_equal(w.fd, -1);
  cgroup_oom_watch_close(&w);
  cgroup_paths_free(&f->p);
}

#define TT(fn) cmocka_unit_test_setup_teardown(fn, tree_setup, tree_teardown)

int main(void)
{
  const struct CMUnitTest tests[] = {
      TT(test_v1_files),  TT(test_v1_json),           TT(test_v1_missing_files),
      TT(test_v1_malformed), TT(test_v1_blkio_groups), TT(test_v2_files),
      TT(test_v2_swap_and_procs), TT(test_hybrid),    TT(test_oom_v2),
      TT(test_oom_none),  T(test_oom_v1_real),
  };

  return cmocka_run_group_tests_name("cgroup stats", tests, NULL, NULL);
}
