/* seccomp on the real kernel: actions, default errno and the ENOSYS stub,
 * argument comparisons, skipped rules, errors, architectures, flags. */
#include "tests/unit/seccomp_test.h"

#include <sys/personality.h>

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS (glibc hides it) */
#endif

/* ---- actions ------------------------------------------------------- */

static int child_mkdir_eperm(int listener, void *arg)
{
  (void)listener;
  CHILD_CHECK(SYS_ERR(SYS_mkdir, (char *)arg, 0700) == EPERM);
  CHILD_CHECK(SYS_ERR(SYS_mkdirat, AT_FDCWD, (char *)arg, 0700) == EPERM);
  CHILD_CHECK(mkdir((char *)arg, 0700) < 0 && errno == EPERM);
  CHILD_CHECK(getpid() > 0);
  CHILD_CHECK(open("/dev/null", O_RDONLY | O_CLOEXEC) >= 0);
  return 0;
}

static void test_errno_rule(void **state)
{
  struct seccomp_program p;
  char *dir = tmp_path("denied");

  (void)state;
  compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
          "\"action\":\"SCMP_ACT_ERRNO\"}]}", &p);
  assert_false(p.notify);
  assert_int_equal(p.flags, 0);
  assert_exited_ok(run_child(&p, child_mkdir_eperm, dir));
  assert_int_equal(access(dir, F_OK), -1);
  seccomp_program_free(&p);
  assert_null(p.filter);
  free(dir);
}

#ifdef __x86_64__
/* A syscall through the i386 entry (AUDIT_ARCH_I386): -errno or the result. */
static int int80(long nr)
{
  long ret;

  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory", "r8", "r9", "r10", "r11");
  return (int)ret;
}

/* Whether this kernel takes i386 syscalls at all: some x86_64 hosts (VMs
 * without ia32 emulation) answer int 0x80 with SIGSEGV. Probed without a
 * filter, in a child. */
static bool i386_syscalls_work(void)
{
  static int known = -1;
  int status;
  pid_t pid;

  if (known >= 0)
    return known;
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    signal(SIGSEGV, SIG_DFL);
    _exit(int80(20) > 0 ? 0 : 1); /* getpid */
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  known = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!known)
    print_message("# this kernel takes no i386 syscalls (int 0x80 gives SIGSEGV): "
                  "the i386 checks are skipped\n");
  return known;
}
#endif

/* Default ERRNO(EADDRNOTAVAIL) with an allow list: unlisted syscalls get the
 * default errno, except those above every listed one, which get ENOSYS. */
static int child_default_errno(int listener, void *arg)
{
  (void)listener;
  (void)arg; /* (used on x86_64 only) */
  CHILD_CHECK(SYS_ERR(SYS_mkdir, "/", 0700) == EADDRNOTAVAIL);
  CHILD_CHECK(SYS_ERR(SYS_getuid) == EADDRNOTAVAIL);
  CHILD_CHECK(SYS_ERR(SYS_getpid) == 0);
  CHILD_CHECK(SYS_ERR(SYS_mkdirat, AT_FDCWD, "/", 0700) == EXDEV);
  /* Above mkdirat (258), the highest listed: the ENOSYS stub. */
  CHILD_CHECK(SYS_ERR(SYS_openat2, AT_FDCWD, "/", NULL, 0) == ENOSYS);
  CHILD_CHECK(SYS_ERR(1000) == ENOSYS);
  /* x32 numbers (bit 30) have their own maximum. */
  CHILD_CHECK(SYS_ERR(0x40000000 | SYS_getuid) == EADDRNOTAVAIL);
  CHILD_CHECK(SYS_ERR(0x40000000 | 1000) == ENOSYS);
#ifdef __x86_64__
  if (!*(bool *)arg)
    return 0;
  /* i386: getuid is 24, mkdirat 296 the highest listed. */
  CHILD_CHECK(int80(24) == -EADDRNOTAVAIL);
  CHILD_CHECK(int80(20) > 0); /* getpid */
  CHILD_CHECK(int80(1000) == -ENOSYS);
#endif
  return 0;
}

static void test_default_errno_ret(void **state)
{
  struct seccomp_program p;

  (void)state;
  compile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":99,"
          "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],"
          "\"syscalls\":[{\"names\":[\"getpid\",\"exit\",\"exit_group\",\"write\"],"
          "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\","
          "\"errnoRet\":18}]}", &p);
  bool i386 = false;
#ifdef __x86_64__
  i386 = i386_syscalls_work();
#endif
  assert_exited_ok(run_child(&p, child_default_errno, &i386));
  seccomp_program_free(&p);
}

/* The stub is for denying defaults only, and not with defaultErrnoRet ENOSYS. */
static void test_enosys_stub_only_when_denying(void **state)
{
  struct seccomp_program a, b;

  (void)state;
  compile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"syscalls\":[{\"names\":"
          "[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", &a);
  compile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getpid\"],"
          "\"action\":\"SCMP_ACT_ALLOW\"}]}", &b);
  /* ld arch, jeq, ja, ld nr, jset, jgt, ret: 7 instructions more. */
  assert_int_equal(b.len, a.len + 7);
  assert_int_equal(b.filter[0].code, BPF_LD | BPF_W | BPF_ABS);
  assert_int_equal(b.filter[b.len - a.len - 1].k, SECCOMP_RET_ERRNO | ENOSYS);
  seccomp_program_free(&a);
  seccomp_program_free(&b);
}

static void sigsys_handler(int sig, siginfo_t *info, void *ctx)
{
  (void)sig;
  (void)ctx;
  if (info->si_code == SYS_SECCOMP && info->si_syscall == SYS_mkdir)
    _exit(0);
  _exit(3);
}

static int child_trap(int listener, void *arg)
{
  struct sigaction sa = {.sa_sigaction = sigsys_handler, .sa_flags = SA_SIGINFO};

  (void)listener;
  (void)arg;
  CHILD_CHECK(sigaction(SIGSYS, &sa, NULL) == 0);
  syscall(SYS_mkdir, "/", 0700);
  return 4; /* the handler should have exited */
}

static int child_mkdir(int listener, void *arg)
{
  (void)listener;
  (void)arg;
  syscall(SYS_mkdir, "/", 0700);
  return 4;
}

static void test_trap_and_kill(void **state)
{
  static const char *const kills[] = {"SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD",
                                      "SCMP_ACT_KILL_PROCESS"};
  struct seccomp_program p;
  int status;

  (void)state;
  compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],"
          "\"action\":\"SCMP_ACT_TRAP\"}]}", &p);
  assert_exited_ok(run_child(&p, child_trap, NULL));
  seccomp_program_free(&p);
  for (size_t i = 0; i < 3; i++) {
    char *json = xasprintf("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                           "[\"mkdir\"],\"action\":\"%s\"}]}", kills[i]);

    compile(json, &p);
    status = run_child(&p, child_mkdir, NULL);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGSYS);
    seccomp_program_free(&p);
    free(json);
  }
}

static int child_mkdir_works(int listener, void *arg)
{
  (void)listener;
  CHILD_CHECK(mkdir((char *)arg, 0700) == 0);
  return 0;
}

/* LOG allows (and logs); TRACE without a tracer fails the syscall (ENOSYS). */
static void test_log_and_trace(void **state)
{
  struct seccomp_program p;
  char *dir = tmp_path("logged");

  (void)state;
  compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
          "\"action\":\"SCMP_ACT_LOG\"},{\"names\":[\"rmdir\"],\"action\":\"SCMP_ACT_TRACE\","
          "\"errnoRet\":5}]}", &p);
  assert_exited_ok(run_child(&p, child_mkdir_works, dir));
  assert_int_equal(access(dir, F_OK), 0);
  seccomp_program_free(&p);
  free(dir);
}

/* ---- arguments ------------------------------------------------------ */

static const unsigned long umask_probes[] = {0021, 0022, 0023, 0122, 0222, 0322};
#define N_PROBES (sizeof(umask_probes) / sizeof(umask_probes[0]))

/* Exit status: bit i set when umask(probe i) was denied. */
static int child_umask_probes(int listener, void *arg)
{
  int denied = 0;

  (void)listener;
  (void)arg;
  for (size_t i = 0; i < N_PROBES; i++)
    if (syscall(SYS_umask, umask_probes[i]) < 0) {
      CHILD_CHECK(errno == EUCLEAN);
      denied |= 1 << i;
    }
  return denied;
}

/* Each operator on umask's argument: which probes are denied. */
static void test_all_operators(void **state)
{
  static const struct {
    const char *op;
    unsigned long value, value_two;
  } ops[] = {
      {"SCMP_CMP_NE", 0022, 0}, {"SCMP_CMP_LT", 0022, 0}, {"SCMP_CMP_LE", 0022, 0},
      {"SCMP_CMP_EQ", 0022, 0}, {"SCMP_CMP_GE", 0022, 0}, {"SCMP_CMP_GT", 0022, 0},
      {"SCMP_CMP_MASKED_EQ", 0300, 0100},
  };

  (void)state;
  for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
    char *json = xasprintf("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                           "[\"umask\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":%d,\"args\":"
                           "[{\"index\":0,\"value\":%lu,\"valueTwo\":%lu,\"op\":\"%s\"}]}]}",
                           EUCLEAN, ops[o].value, ops[o].value_two, ops[o].op);
    struct seccomp_program p;
    int want = 0, status;

    for (size_t i = 0; i < N_PROBES; i++) {
      unsigned long a = umask_probes[i], v = ops[o].value;
      bool m = o == 0 ? a != v : o == 1 ? a < v : o == 2 ? a <= v : o == 3 ? a == v
             : o == 4 ? a >= v : o == 5 ? a > v : (a & v) == ops[o].value_two;

      want |= m << i;
    }
    compile(json, &p);
    status = run_child(&p, child_umask_probes, NULL);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) != want)
      fail_msg("%s: denied %#x, want %#x", ops[o].op, WEXITSTATUS(status), want);
    seccomp_program_free(&p);
    free(json);
  }
}

static int child_openat_masked(int listener, void *arg)
{
  (void)listener;
  (void)arg;
  CHILD_CHECK(open("/dev/null", O_RDONLY | O_CLOEXEC) >= 0);
  /* flags & (O_CREAT|O_EXCL) == O_CREAT: denied. */
  CHILD_CHECK(open("/dev/null", O_WRONLY | O_CREAT | O_CLOEXEC, 0600) < 0 && errno == ENOTTY);
  /* With O_EXCL too it reaches the kernel, which says EEXIST. */
  CHILD_CHECK(open("/dev/null", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) < 0 &&
              errno == EEXIST);
  return 0;
}

/* MASKED_EQ: value is the mask, valueTwo the value (libseccomp's datum_a and
 * datum_b, runc's order): a swap would deny nothing here. */
static void test_masked_eq_order(void **state)
{
  struct seccomp_program p;
  char *json = xasprintf("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                         "[\"openat\",\"open\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":%d,"
                         "\"args\":[{\"index\":2,\"value\":%d,\"valueTwo\":%d,"
                         "\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
                         ENOTTY, O_CREAT | O_EXCL, O_CREAT);

  (void)state;
  /* open's flags are argument 1, not 2: only openat (which libc uses) has
   * flags at index 2; the rule on open is harmless. */
  compile(json, &p);
  assert_exited_ok(run_child(&p, child_openat_masked, NULL));
  seccomp_program_free(&p);
  free(json);
}

static int child_personality(int listener, void *arg)
{
  (void)listener;
  (void)arg;
  CHILD_CHECK(SYS_ERR(SYS_personality, PER_LINUX32) == EPERM);
  CHILD_CHECK(SYS_ERR(SYS_personality, PER_LINUX | ADDR_NO_RANDOMIZE) == EPERM);
  CHILD_CHECK(SYS_ERR(SYS_personality, 0xffffffffUL) == 0); /* a query */
  CHILD_CHECK(SYS_ERR(SYS_personality, PER_LINUX) == 0);
  return 0;
}

/* Two comparisons of argument 0 in one rule: OR, one rule each. */
static void test_repeated_index_is_or(void **state)
{
  struct seccomp_program p;
  char *json = xasprintf("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                         "[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":["
                         "{\"index\":0,\"value\":%d,\"op\":\"SCMP_CMP_EQ\"},"
                         "{\"index\":0,\"value\":%d,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                         PER_LINUX32, PER_LINUX | ADDR_NO_RANDOMIZE);

  (void)state;
  compile(json, &p);
  assert_exited_ok(run_child(&p, child_personality, NULL));
  seccomp_program_free(&p);
  free(json);
}

static int child_two_args(int listener, void *arg)
{
  (void)listener;
  (void)arg;
  /* socket(AF_UNIX, SOCK_DGRAM, 0) denied; either alone allowed. */
  CHILD_CHECK(SYS_ERR(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0) == EPERM);
  CHILD_CHECK(SYS_ERR(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0) == 0);
  CHILD_CHECK(SYS_ERR(SYS_socket, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0) == 0);
  return 0;
}

/* Distinct indexes: one rule, all comparisons (AND). */
static void test_distinct_indexes_are_and(void **state)
{
  struct seccomp_program p;
  char *json = xasprintf("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                         "[\"socket\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":["
                         "{\"index\":0,\"value\":%d,\"op\":\"SCMP_CMP_EQ\"},"
                         "{\"index\":1,\"value\":%d,\"valueTwo\":%d,"
                         "\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
                         AF_UNIX, 0xf, SOCK_DGRAM);

  (void)state;
  compile(json, &p);
  assert_exited_ok(run_child(&p, child_two_args, NULL));
  seccomp_program_free(&p);
  free(json);
}

/* Unknown names and rules with the default action are skipped, not errors. */
static void test_skipped_rules(void **state)
{
  struct seccomp_program p, q;
  char *dir = tmp_path("skipped");

  (void)state;
  compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
          "{\"names\":[\"no_such_syscall\",\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\"},"
          "{\"names\":[\"getpid\",\"mkdir\"],\"action\":\"SCMP_ACT_ALLOW\"},"
          "{\"names\":[\"also_unknown\"],\"action\":\"SCMP_ACT_KILL\"}]}", &p);
  assert_exited_ok(run_child(&p, child_mkdir_eperm, dir));
  /* ERRNO(EPERM) equals the default ERRNO (EPERM): skipped; ERRNO(2) is not. */
  compile("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
          "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1},"
          "{\"names\":[\"getppid\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":2}]}", &q);
  assert_true(q.len > 0);
  seccomp_program_free(&p);
  seccomp_program_free(&q);
  free(dir);
}

static void test_errors(void **state)
{
  (void)state;
  compile_fails("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpid\"],"
                "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"mkdir\"],\"action\":"
                "\"SCMP_ACT_ERRNO\",\"errnoRet\":70000}]}",
                "linux.seccomp.syscalls[1].errnoRet: 70000 does not fit");
  compile_fails("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":65536}",
                "linux.seccomp.defaultErrnoRet");
  compile_fails("{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":\"/x\"}",
                "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY");
}

static void test_architectures(void **state)
{
  struct seccomp_program p;
  char *dir = tmp_path("arches");

  (void)state;
  /* LOONGARCH64, M68K, SH are unknown to libseccomp 2.5: skipped. */
  compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
          "\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\",\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_LOONGARCH64\","
          "\"SCMP_ARCH_M68K\",\"SCMP_ARCH_SH\",\"SCMP_ARCH_SHEB\",\"SCMP_ARCH_X86\"],"
          "\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", &p);
  assert_exited_ok(run_child(&p, child_mkdir_eperm, dir));
  seccomp_program_free(&p);
  free(dir);
}

static void test_flags(void **state)
{
  struct seccomp_program p;
  char *dir = tmp_path("flags");

  (void)state;
  compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_LOG\","
          "\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\",\"SECCOMP_FILTER_FLAG_TSYNC\","
          "\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],\"syscalls\":[{\"names\":[\"mkdir\","
          "\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", &p);
  /* WAIT_KILLABLE_RECV is meaningless (refused) without a listener. */
  assert_int_equal(p.flags, SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW |
                                SECCOMP_FILTER_FLAG_TSYNC);
  assert_exited_ok(run_child(&p, child_mkdir_eperm, dir));
  seccomp_program_free(&p);
  compile("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/x\",\"flags\":["
          "\"SECCOMP_FILTER_FLAG_TSYNC\",\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"],"
          "\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", &p);
  assert_true(p.notify);
  assert_int_equal(p.flags, SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH |
                                SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
  seccomp_program_free(&p);
  free(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_errno_rule),
      cmocka_unit_test(test_default_errno_ret),
      cmocka_unit_test(test_enosys_stub_only_when_denying),
      cmocka_unit_test(test_trap_and_kill),
      cmocka_unit_test(test_log_and_trace),
      cmocka_unit_test(test_all_operators),
      cmocka_unit_test(test_masked_eq_order),
      cmocka_unit_test(test_repeated_index_is_or),
      cmocka_unit_test(test_distinct_indexes_are_and),
      cmocka_unit_test(test_skipped_rules),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_architectures),
      cmocka_unit_test(test_flags),
  };

  return cmocka_run_group_tests_name("seccomp", tests, make_tmpdir, remove_tmpdir);
}
