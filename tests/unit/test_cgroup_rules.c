/* The rules a cgroup gets, without a cgroup: the device rule list (the
 * configured rules, then runc's defaults less the re-listed ones), the
 * cgroup v2 device program's decisions run in userspace on probes, and
 * the cpu.shares -> cpu.weight conversion. No root needed. */
#include <linux/bpf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/cgroups/device_policy.h"
#include "libcontainer/cgroups/device_rules.h"
#include "libcontainer/spec/spec.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define RULE(al, t, ma, mi, acc) {.allow = (al), .type = (t), .major = (ma), .minor = (mi), .access = acc}
#define DENY_ALL RULE(false, 'a', -1, -1, "rwm")

static const struct spec_device_rule runc_defaults[] = {
    RULE(true, 'c', -1, -1, "m"),    RULE(true, 'b', -1, -1, "m"),    RULE(true, 'c', 1, 3, "rwm"),
    RULE(true, 'c', 1, 8, "rwm"),    RULE(true, 'c', 1, 7, "rwm"),    RULE(true, 'c', 5, 0, "rwm"),
    RULE(true, 'c', 1, 5, "rwm"),    RULE(true, 'c', 1, 9, "rwm"),    RULE(true, 'c', 136, -1, "rwm"),
    RULE(true, 'c', 5, 2, "rwm"),    RULE(true, 'c', 10, 200, "rwm"),
};

static void assert_rule(const struct spec_device_rule *got, const struct spec_device_rule *want)
{
  if (got->allow != want->allow || got->type != want->type || got->major != want->major ||
      got->minor != want->minor || strcmp(got->access, want->access) != 0)
    fail_msg("rule %s %c %lld:%lld %s != %s %c %lld:%lld %s", got->allow ? "allow" : "deny",
             got->type, (long long)got->major, (long long)got->minor, got->access,
             want->allow ? "allow" : "deny", want->type, (long long)want->major,
             (long long)want->minor, want->access);
}

/* ---- the rule list -------------------------------------------------------- */

static void test_defaults_alone(void **state)
{
  struct arena *a = arena_new();
  struct spec_device_rule *r;
  size_t n;

  (void)state;
  r = device_rules_compose(NULL, 0, NULL, 0, a, &n);
  assert_int_equal(n, N(runc_defaults));
  assert_int_equal(DEVICE_RULES_N_DEFAULT, N(runc_defaults));
  for (size_t i = 0; i < n; i++)
    assert_rule(&r[i], &runc_defaults[i]);
  arena_free(a);
}

/* Configured rules first, in order; listed devices add no rule; a listed
 * path of the default list takes its default out (runc's createDevices). */
static void test_config_then_defaults(void **state)
{
  struct spec_device_rule config[] = {DENY_ALL, RULE(true, 'c', 10, 229, "r")};
  struct spec_device listed[] = {
      {.type = 'c', .path = "/dev/fuse", .major = 10, .minor = 229},
      {.type = 'c', .path = "/dev/null", .major = 1, .minor = 3},
      {.type = 'c', .path = "/dev/zero2", .major = 1, .minor = 5},
  };
  struct arena *a = arena_new();
  struct spec_device_rule *r;
  size_t n, k = 0;

  (void)state;
  r = device_rules_compose(config, N(config), listed, N(listed), a, &n);
  assert_int_equal(n, N(config) + N(runc_defaults) - 1);
  assert_rule(&r[k++], &config[0]);
  assert_rule(&r[k++], &config[1]);
  for (size_t i = 0; i < N(runc_defaults); i++)
    if (i != 2) /* /dev/null */
      assert_rule(&r[k++], &runc_defaults[i]);
  assert_int_equal(k, n);
  arena_free(a);
}

static void test_effective_from_config(void **state)
{
  const char *doc = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":{"
                    "\"namespaces\":[{\"type\":\"mount\"}],"
                    "\"devices\":[{\"path\":\"/dev/tty\",\"type\":\"c\",\"major\":5,\"minor\":0}],"
                    "\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],"
                    "\"pids\":{\"limit\":7}}}}";
  struct spec_device_rule deny = DENY_ALL;
  struct spec_resources res;
  struct oci_spec *spec;
  hrun_error err;

  (void)state;
  if (spec_parse(doc, strlen(doc), &spec, &err) < 0)
    fail_msg("%s", err.msg);
  device_rules_effective(spec, &res);
  assert_true(res.has_pids);
  assert_int_equal(res.pids.limit.value, 7);
  assert_int_equal(res.n_devices, 1 + N(runc_defaults) - 1);
  assert_rule(&res.devices[0], &deny);
  for (size_t i = 1; i < res.n_devices; i++)
    assert_false(res.devices[i].type == 'c' && res.devices[i].major == 5 &&
                 res.devices[i].minor == 0);
  spec_free(spec);
}

/* ---- the cgroup v2 program, run in userspace ------------------------------ */

/* Runs the instructions the generator emits (anything else fails the
 * test) on ctx = {access << 16 | type, major, minor}. */
static int run_program(const struct bpf_insn *p, size_t n, uint32_t type, uint32_t access,
                       uint32_t major, uint32_t minor)
{
  const uint32_t ctx[3] = {access << 16 | type, major, minor};
  uint64_t reg[11] = {0};

  for (size_t pc = 0, steps = 0; pc < n && steps < 100000; pc++, steps++) {
    const struct bpf_insn *i = &p[pc];
    uint32_t d32 = (uint32_t)reg[i->dst_reg];
    switch (i->code) {
    case BPF_LDX | BPF_W | BPF_MEM:
      assert_int_equal(i->src_reg, 1);
      assert_true(i->off >= 0 && i->off <= 8 && i->off % 4 == 0);
      reg[i->dst_reg] = ctx[i->off / 4];
      break;
    case BPF_ALU | BPF_MOV | BPF_X: reg[i->dst_reg] = (uint32_t)reg[i->src_reg]; break;
    case BPF_ALU | BPF_RSH | BPF_K: reg[i->dst_reg] = d32 >> i->imm; break;
    case BPF_ALU | BPF_AND | BPF_K: reg[i->dst_reg] = d32 & (uint32_t)i->imm; break;
    case BPF_ALU64 | BPF_MOV | BPF_K: reg[i->dst_reg] = (uint64_t)(int64_t)i->imm; break;
    case BPF_JMP32 | BPF_JNE | BPF_K: pc += d32 != (uint32_t)i->imm ? i->off : 0; break;
    case BPF_JMP32 | BPF_JEQ | BPF_K: pc += d32 == (uint32_t)i->imm ? i->off : 0; break;
    case BPF_JMP | BPF_JA: pc += i->off; break;
    case BPF_JMP | BPF_EXIT: return (int)reg[0];
    default: fail_msg("instruction %zu: unexpected opcode 0x%02x", pc, i->code);
    }
  }
  fail_msg("the program ran off its end or did not stop");
  return -1;
}

static unsigned acc_bits(const char *access)
{
  return (strchr(access, 'r') ? DEV_ACC_R : 0) | (strchr(access, 'w') ? DEV_ACC_W : 0) |
         (strchr(access, 'm') ? DEV_ACC_M : 0);
}

/* The program's decision, checked against device_policy_allows(). */
static int decide(const struct spec_device_rule *r, size_t n, char type, const char *access,
                  uint32_t major, uint32_t minor)
{
  uint32_t acc = 0;
  struct device_policy pol;
  struct bpf_insn *p;
  size_t n_insns;
  hrun_error err;
  int v;

  if (device_policy_build(r, n, &pol, &err) < 0)
    fail_msg("%s", err.msg);
  p = cg_v2_device_program(&pol, &n_insns);
  acc |= strchr(access, 'm') ? BPF_DEVCG_ACC_MKNOD : 0;
  acc |= strchr(access, 'r') ? BPF_DEVCG_ACC_READ : 0;
  acc |= strchr(access, 'w') ? BPF_DEVCG_ACC_WRITE : 0;
  v = run_program(p, n_insns, type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, acc, major,
                  minor);
  if (v != (int)device_policy_allows(&pol, type, major, minor, acc_bits(access)))
    fail_msg("%c %u:%u %s: the program says %d, the policy not", type, major, minor, access, v);
  free(p);
  device_policy_free(&pol);
  return v;
}

struct probe {
  char type;
  const char *access;
  uint32_t major, minor;
  int want;
};

static void check_probes(const struct spec_device_rule *r, size_t n, const struct probe *p,
                         size_t np)
{
  for (size_t i = 0; i < np; i++) {
    int got = decide(r, n, p[i].type, p[i].access, p[i].major, p[i].minor);
    if (got != p[i].want)
      fail_msg("probe %c %u:%u %s: %d, want %d", p[i].type, p[i].major, p[i].minor,
               p[i].access, got, p[i].want);
  }
}

static void check_composed(const struct spec_device_rule *config, size_t n_config,
                           const struct spec_device *listed, size_t n_listed,
                           const struct probe *p, size_t np)
{
  struct arena *a = arena_new();
  size_t n;
  struct spec_device_rule *r = device_rules_compose(config, n_config, listed, n_listed, a, &n);

  check_probes(r, n, p, np);
  arena_free(a);
}

static const struct spec_device listed[] = {
    {.type = 'c', .path = "/dev/fuse", .major = 10, .minor = 229},
    {.type = 'c', .path = "/dev/null", .major = 1, .minor = 3}};

/* A deny-all config with /dev/fuse and /dev/null listed: both stay denied,
 * the rest of the default list holds. */
static void test_program_deny_all(void **state)
{
  struct spec_device_rule config[] = {DENY_ALL};
  static const struct probe probes[] = {
      {'c', "r", 10, 229, 0},  {'c', "w", 10, 229, 0},  {'c', "rw", 10, 229, 0},
      {'c', "r", 1, 3, 0},     {'c', "rw", 1, 3, 0},    {'c', "m", 1, 3, 1},
      {'c', "rw", 1, 5, 1},    {'c', "rw", 1, 9, 1},    {'c', "rw", 1, 8, 1},
      {'c', "rw", 1, 7, 1},    {'c', "rw", 5, 0, 1},    {'c', "rw", 5, 2, 1},
      {'c', "rw", 136, 7, 1},  {'c', "rw", 10, 200, 1}, {'b', "m", 8, 0, 1},
      {'b', "r", 8, 0, 0},     {'c', "r", 5, 1, 0},     {'c', "mr", 4, 1, 0},
  };

  (void)state;
  check_composed(config, N(config), listed, N(listed), probes, N(probes));
}

/* A read-only rule for a listed device: reads pass, writes do not, and an
 * O_RDWR open (read and write at once) does not either. */
static void test_program_read_only(void **state)
{
  struct spec_device_rule config[] = {DENY_ALL, RULE(true, 'c', 10, 229, "r"),
                                      RULE(true, 'c', 1, 3, "r")};
  static const struct probe probes[] = {
      {'c', "r", 10, 229, 1}, {'c', "w", 10, 229, 0}, {'c', "rw", 10, 229, 0},
      {'c', "r", 1, 3, 1},    {'c', "w", 1, 3, 0},    {'c', "rw", 1, 5, 1},
  };

  (void)state;
  check_composed(config, N(config), listed, N(listed), probes, N(probes));
}

/* v1's own rules: an exception must cover the whole request (no union of
 * two), allows of the same node merge, a deny takes access from the same
 * node only, and after "allow a" any overlap with a deny denies. */
static void test_program_v1_semantics(void **state)
{
  struct spec_device_rule split[] = {DENY_ALL, RULE(true, 'c', 1, -1, "r"), RULE(true, 'c', 1, 3, "w")};
  struct spec_device_rule merged[] = {DENY_ALL, RULE(true, 'c', 1, 3, "r"), RULE(true, 'c', 1, 3, "w"),
                                      RULE(true, 'c', 1, 5, "rwm"), RULE(false, 'c', 1, 5, "w")};
  struct spec_device_rule narrower[] = {DENY_ALL, RULE(true, 'c', 1, 3, "rw"), RULE(false, 'c', 1, -1, "w")};
  struct spec_device_rule allow_all[] = {RULE(true, 'a', -1, -1, ""), RULE(false, 'c', 1, 3, "w"),
                                         RULE(false, 'b', 8, -1, "")};
  static const struct probe p_split[] = {{'c', "r", 1, 3, 1}, {'c', "w", 1, 3, 1}, {'c', "rw", 1, 3, 0},
                                         {'c', "rw", 1, 5, 0}, {'c', "r", 1, 5, 1}};
  static const struct probe p_merged[] = {{'c', "rw", 1, 3, 1}, {'c', "rw", 1, 5, 0}, {'c', "rm", 1, 5, 1},
                                          {'c', "m", 1, 3, 0}};
  /* v1 applies the deny to c 1:* only, which holds nothing: 1:3 stays rw. */
  static const struct probe p_narrower[] = {{'c', "rw", 1, 3, 1}, {'c', "r", 1, 5, 0}};
  static const struct probe p_allow_all[] = {{'c', "r", 1, 3, 1}, {'c', "rw", 1, 3, 0}, {'c', "w", 1, 5, 1},
                                             {'b', "m", 8, 1, 0}, {'b', "r", 7, 0, 1}};

  (void)state;
  check_probes(split, N(split), p_split, N(p_split));
  check_probes(merged, N(merged), p_merged, N(p_merged));
  check_probes(narrower, N(narrower), p_narrower, N(p_narrower));
  check_probes(allow_all, N(allow_all), p_allow_all, N(p_allow_all));
  /* No rules at all: everything denied. */
  assert_int_equal(decide(NULL, 0, 'c', "r", 1, 3), 0);
}

/* What v1 would ignore is refused, naming the rule; runc's own defaults
 * narrowing a configured wildcard deny are named as such. */
static void test_policy_refuses_holes(void **state)
{
  struct spec_device_rule hole[] = {DENY_ALL, RULE(true, 'c', 1, -1, "rw"), RULE(false, 'c', 1, 3, "w")};
  struct spec_device_rule ok[] = {DENY_ALL, RULE(true, 'c', 1, -1, "r"), RULE(false, 'c', 1, 3, "w")};
  struct spec_device_rule deny_wide[] = {RULE(true, 'a', -1, -1, ""), RULE(false, 'c', 1, -1, "")};
  struct spec_device_rule bad[] = {RULE(true, 'x', 1, 3, "r")};
  struct device_policy pol;
  struct arena *a = arena_new();
  struct spec_device_rule *r;
  hrun_error err;
  size_t n;

  (void)state;
  assert_int_equal(device_policy_build(hole, N(hole), &pol, &err), -1);
  assert_string_equal(err.msg, "linux.resources.devices[2]: \"deny c 1:3 w\" cannot narrow the "
                      "wider \"allow c 1:* rw\" before it (cgroup v1 would ignore it; runc "
                      "refuses it too)");
  assert_int_equal(device_policy_build(ok, N(ok), &pol, &err), 0);
  device_policy_free(&pol);
  r = device_rules_compose(deny_wide, N(deny_wide), NULL, 0, a, &n);
  assert_int_equal(device_policy_build(r, n, &pol, &err), -1);
  assert_string_equal(err.msg, "linux.resources.devices: runc's default rule \"allow c 1:3 rwm\" "
                      "cannot narrow the wider \"deny c 1:* rwm\" (cgroup v1 would ignore it; "
                      "runc refuses it too)");
  assert_int_equal(device_policy_build(bad, N(bad), &pol, &err), -1);
  assert_string_equal(err.msg, "linux.resources.devices[0]: invalid type 'x'");
  arena_free(a);
}

/* The program agrees with the policy on a grid of probes, for rule lists
 * in both modes, with and without runc's defaults. */
static void test_program_grid(void **state)
{
  static const struct spec_device_rule lists[][4] = {
      {DENY_ALL, RULE(true, 'c', 1, -1, "r"), RULE(true, 'c', 1, 3, "w"), RULE(true, 'b', -1, 0, "m")},
      {DENY_ALL, RULE(true, 'c', -1, 3, "rw"), RULE(true, 'c', 1, 5, "rwm"), RULE(false, 'c', 1, 5, "r")},
      {RULE(true, 'a', -1, -1, "rwm"), RULE(false, 'c', 1, 3, "r"), RULE(false, 'b', 8, -1, "rwm"),
       RULE(true, 'b', 8, -1, "r")},
      {RULE(true, 'a', -1, -1, ""), RULE(false, 'c', 9, 3, "w"), DENY_ALL, RULE(true, 'c', 1, 3, "r")},
  };
  static const char *const accesses[] = {"r", "w", "m", "rw", "rm", "wm", "rwm"};
  static const uint32_t nums[][2] = {{1, 3}, {1, 5}, {8, 0}, {8, 1}, {9, 3}};
  struct arena *a = arena_new();

  (void)state;
  for (size_t l = 0; l < N(lists); l++) {
    size_t n;
    struct spec_device_rule *r = device_rules_compose(lists[l], 4, NULL, 0, a, &n);
    for (size_t k = 0; k < 2; k++) /* with and without runc's defaults */
      for (size_t ac = 0; ac < N(accesses); ac++)
        for (size_t t = 0; t < 2; t++)
          for (size_t d = 0; d < N(nums); d++)
            decide(k ? r : lists[l], k ? n : 4, t ? 'b' : 'c', accesses[ac], nums[d][0],
                   nums[d][1]);
  }
  arena_free(a);
}

/* ---- cpu.shares -> cpu.weight --------------------------------------------- */

static void test_cpu_weight_points(void **state)
{
  static const uint64_t points[][2] = {
      {0, 0},        /* unset, not written */
      {1, 1},        {2, 1},           {3, 2},           {10, 4},         {100, 17},
      {512, 59},     {1023, 100},      {1024, 100},      {1025, 101},     {2048, 174},
      {10000, 627},  {100000, 4340},   {262143, 10000},  {262144, 10000}, {1 << 20, 10000},
      {UINT64_MAX, 10000},
  };

  (void)state;
  for (size_t i = 0; i < N(points); i++)
    if (cg_v2_cpu_weight(points[i][0]) != points[i][1])
      fail_msg("shares %llu: weight %llu, want %llu", (unsigned long long)points[i][0],
               (unsigned long long)cg_v2_cpu_weight(points[i][0]),
               (unsigned long long)points[i][1]);
}

/* 1024 gives exactly 10^2: a ceil over a result a hair above 100 would
 * make v1's default 101, not v2's default 100. Over the whole range the
 * weight never falls and stays in [1, 10000]. */
static void test_cpu_weight_range(void **state)
{
  uint64_t prev = 1;

  (void)state;
  assert_int_equal(cg_v2_cpu_weight(1024), 100);
  for (uint64_t s = 2; s <= 262144; s++) {
    uint64_t w = cg_v2_cpu_weight(s);
    if (w < prev || w > 10000)
      fail_msg("shares %llu: weight %llu after %llu", (unsigned long long)s,
               (unsigned long long)w, (unsigned long long)prev);
    prev = w;
  }
  assert_int_equal(prev, 10000);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults_alone),          cmocka_unit_test(test_config_then_defaults),
      cmocka_unit_test(test_effective_from_config),   cmocka_unit_test(test_program_deny_all),
      cmocka_unit_test(test_program_read_only),       cmocka_unit_test(test_program_v1_semantics),
      cmocka_unit_test(test_policy_refuses_holes),    cmocka_unit_test(test_program_grid),
      cmocka_unit_test(test_cpu_weight_points),       cmocka_unit_test(test_cpu_weight_range),
  };

  return cmocka_run_group_tests_name("cgroup rules", tests, NULL, NULL);
}
