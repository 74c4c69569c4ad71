/* linux.seccomp -> classic BPF, and loading it.
 *
 * libseccomp builds the filter but never loads it: the program is exported
 * into memory here, in the runtime process, so that the container's process
 * (a clone that must not allocate or touch libseccomp's global state) only
 * calls seccomp(2). The same reason makes the filter flags ours rather than
 * libseccomp attributes: they are probed here and passed at load time. */
#include "libcontainer/security/seccomp.h"

#include <errno.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/log.h"

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

#define MAX_ARCHES 32
/* runc's threshold: libseccomp's binary tree pays off on long profiles and
 * misbehaves (<= 2.5.4) on a filter without rules. */
#define OPTIMIZE_MIN_RULES 32

struct compile {
  const struct spec_seccomp *s;
  scmp_filter_ctx ctx;
  uint32_t default_action;
  unsigned int arches[MAX_ARCHES]; /* in the filter, native first */
  size_t n_arches;
  size_t n_rules; /* rules libseccomp accepted */
  bool notify;
};

static const struct {
  const char *name;
  unsigned int token;
} arch_names[] = {
    {"SCMP_ARCH_X86", SCMP_ARCH_X86},
    {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
    {"SCMP_ARCH_X32", SCMP_ARCH_X32},
    {"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64},
    {"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
    {"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64},
    {"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32},
    {"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL},
    {"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64},
    {"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32},
    {"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
    {"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64},
    {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
    {"SCMP_ARCH_S390", SCMP_ARCH_S390},
    {"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
    {"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC},
    {"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64},
    {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
    /* libseccomp 2.6 adds these; with 2.5 they are skipped at run time. */
#ifdef SCMP_ARCH_LOONGARCH64
    {"SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64},
#endif
#ifdef SCMP_ARCH_M68K
    {"SCMP_ARCH_M68K", SCMP_ARCH_M68K},
#endif
#ifdef SCMP_ARCH_SH
    {"SCMP_ARCH_SH", SCMP_ARCH_SH},
#endif
#ifdef SCMP_ARCH_SHEB
    {"SCMP_ARCH_SHEB", SCMP_ARCH_SHEB},
#endif
};

bool seccomp_arch_known(const char *name)
{
  for (size_t i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++)
    if (strcmp(arch_names[i].name, name) == 0)
      return true;
  return false;
}

static const struct {
  const char *name;
  unsigned int bit;
} flag_names[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};

/* The parser's enum order is the runtime-spec's; libseccomp's comparison
 * enum starts at 1, so an explicit table. */
static const enum scmp_compare compare_ops[] = {
    [SECCOMP_OP_NOT_EQUAL] = SCMP_CMP_NE,     [SECCOMP_OP_LESS_THAN] = SCMP_CMP_LT,
    [SECCOMP_OP_LESS_EQUAL] = SCMP_CMP_LE,    [SECCOMP_OP_EQUAL_TO] = SCMP_CMP_EQ,
    [SECCOMP_OP_GREATER_EQUAL] = SCMP_CMP_GE, [SECCOMP_OP_GREATER_THAN] = SCMP_CMP_GT,
    [SECCOMP_OP_MASKED_EQUAL] = SCMP_CMP_MASKED_EQ,
};

/* The libseccomp action; errnoRet defaults to EPERM for ERRNO and TRACE,
 * as in runc. SCMP_ACT_KILL kills the thread, as the kernel's RET_KILL. */
static int action_value(enum seccomp_action_kind kind, opt_u64 errno_ret, const char *field,
                        uint32_t *out, hrun_error *err)
{
  uint64_t data = errno_ret.set ? errno_ret.value : EPERM;

  /* SECCOMP_RET_DATA has 16 bits: more would silently become another value. */
  if (data > 0xffff)
    return err_set(err, 0, "%s: %llu does not fit seccomp's 16-bit return data", field,
                   (unsigned long long)data);
  switch (kind) {
  case SECCOMP_ACTION_KILL:
  case SECCOMP_ACTION_KILL_THREAD: *out = SCMP_ACT_KILL_THREAD; return 0;
  case SECCOMP_ACTION_KILL_PROCESS: *out = SCMP_ACT_KILL_PROCESS; return 0;
  case SECCOMP_ACTION_TRAP: *out = SCMP_ACT_TRAP; return 0;
  case SECCOMP_ACTION_ERRNO: *out = SCMP_ACT_ERRNO((uint32_t)data); return 0;
  case SECCOMP_ACTION_TRACE: *out = SCMP_ACT_TRACE((uint32_t)data); return 0;
  case SECCOMP_ACTION_ALLOW: *out = SCMP_ACT_ALLOW; return 0;
  case SECCOMP_ACTION_LOG: *out = SCMP_ACT_LOG; return 0;
  case SECCOMP_ACTION_NOTIFY: *out = SCMP_ACT_NOTIFY; return 0;
  }
  return err_set(err, 0, "%s: unknown action", field);
}

static int add_arches(struct compile *c, hrun_error *err)
{
  const struct spec_strv *names = &c->s->architectures;

  c->arches[c->n_arches++] = seccomp_arch_native();
  for (size_t i = 0; i < names->len; i++) {
    unsigned int token = 0;
    int r;

    for (size_t j = 0; j < sizeof(arch_names) / sizeof(arch_names[0]); j++)
      if (strcmp(arch_names[j].name, names->items[i]) == 0)
        token = arch_names[j].token;
    if (!token) {
      log_debug("seccomp: architecture %s unknown to libseccomp %u.%u, skipped", names->items[i],
                seccomp_version()->major, seccomp_version()->minor);
      continue;
    }
    r = seccomp_arch_add(c->ctx, token);
    if (r == -EEXIST) /* the native one, or listed twice */
      continue;
    if (r < 0)
      return err_set(err, -r, "linux.seccomp.architectures[%zu]: add %s", i, names->items[i]);
    if (c->n_arches < MAX_ARCHES)
      c->arches[c->n_arches++] = token;
  }
  return 0;
}

/* libseccomp refuses two comparisons of one argument in a rule, so such a
 * rule becomes one rule per comparison: the syscall matches when any does
 * (runc does the same). */
static bool repeats_an_index(const struct spec_seccomp_syscall *sc)
{
  unsigned int seen = 0;

  for (size_t i = 0; i < sc->n_args; i++) {
    if (seen & (1u << sc->args[i].index))
      return true;
    seen |= 1u << sc->args[i].index;
  }
  return false;
}

/* runtime-spec's value/valueTwo are libseccomp's datum_a/datum_b: for
 * SCMP_CMP_MASKED_EQ that is (arg & value) == valueTwo, as in runc. */
static struct scmp_arg_cmp arg_cmp(const struct spec_seccomp_arg *a)
{
  struct scmp_arg_cmp cmp = {
      .arg = a->index, .op = compare_ops[a->op], .datum_a = a->value, .datum_b = a->value_two};

  return cmp;
}

static int add_name(struct compile *c, size_t i, uint32_t action, const char *name,
                    hrun_error *err)
{
  const struct spec_seccomp_syscall *sc = &c->s->syscalls[i];
  struct scmp_arg_cmp cmps[6];
  int nr = seccomp_syscall_resolve_name(name);
  int r = 0;

  /* Names from newer kernels or other arches: skipped, as runc does. */
  if (nr == __NR_SCMP_ERROR) {
    log_debug("seccomp: unknown syscall %s in linux.seccomp.syscalls[%zu] skipped", name, i);
    return 0;
  }
  if (sc->n_args == 0) {
    r = seccomp_rule_add_array(c->ctx, action, nr, 0, NULL);
  } else if (repeats_an_index(sc)) {
    for (size_t j = 0; j < sc->n_args && r == 0; j++) {
      cmps[0] = arg_cmp(&sc->args[j]);
      r = seccomp_rule_add_array(c->ctx, action, nr, 1, cmps);
    }
  } else {
    /* Distinct indexes of 0..5: at most six. */
    for (size_t j = 0; j < sc->n_args; j++)
      cmps[j] = arg_cmp(&sc->args[j]);
    r = seccomp_rule_add_array(c->ctx, action, nr, (unsigned int)sc->n_args, cmps);
  }
  if (r < 0)
    return err_set(err, -r, "linux.seccomp.syscalls[%zu]: add the rule for %s", i, name);
  c->n_rules++;
  /* Only a rule that made it in needs a listener. */
  c->notify |= action == SCMP_ACT_NOTIFY;
  return 0;
}

static int add_syscall(struct compile *c, size_t i, hrun_error *err)
{
  const struct spec_seccomp_syscall *sc = &c->s->syscalls[i];
  char field[64];
  uint32_t action;

  snprintf(field, sizeof(field), "linux.seccomp.syscalls[%zu].errnoRet", i);
  if (action_value(sc->action, sc->errno_ret, field, &action, err) < 0)
    return -1;
  /* libseccomp refuses it, and it would change nothing. */
  if (action == c->default_action) {
    log_debug("seccomp: linux.seccomp.syscalls[%zu] has the default action, skipped", i);
    return 0;
  }
  for (size_t n = 0; n < sc->names.len; n++)
    if (add_name(c, i, action, sc->names.items[n], err) < 0)
      return -1;
  return 0;
}

/* With a NULL program the kernel checks the flags and then fails to copy
 * the program: EFAULT means it knows them, EINVAL that it does not. */
static bool kernel_has_flags(unsigned int bits)
{
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, bits, NULL) < 0 && errno == EFAULT;
}

static unsigned int flag_bit(const char *name)
{
  for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
    if (strcmp(flag_names[i].name, name) == 0)
      return flag_names[i].bit;
  return 0;
}

static unsigned int choose_flags(const struct spec_seccomp *s, bool notify)
{
  unsigned int flags = 0;

  for (size_t i = 0; i < s->flags.len; i++) {
    unsigned int bit = flag_bit(s->flags.items[i]);
    unsigned int probe = bit;

    if (bit == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) {
      /* The kernel refuses it without a listener. */
      if (!notify) {
        log_debug("seccomp: %s without SCMP_ACT_NOTIFY dropped", s->flags.items[i]);
        continue;
      }
      probe |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
    }
    if (!bit || !kernel_has_flags(probe)) {
      log_debug("seccomp: %s not supported by this kernel, dropped", s->flags.items[i]);
      continue;
    }
    flags |= bit;
  }
  /* TSYNC and NEW_LISTENER together need TSYNC_ESRCH (Linux 5.7), or the
   * kernel could not tell a listener fd from the tid of a failed thread. */
  if ((flags & SECCOMP_FILTER_FLAG_TSYNC) && notify) {
    unsigned int with = SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH |
                        SECCOMP_FILTER_FLAG_NEW_LISTENER;

    if (kernel_has_flags(with)) {
      flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
    } else {
      log_debug("seccomp: SECCOMP_FILTER_FLAG_TSYNC dropped: no TSYNC_ESRCH for the listener");
      flags &= ~(unsigned int)SECCOMP_FILTER_FLAG_TSYNC;
    }
  }
  return flags;
}

/* libseccomp 2.5 only exports to an fd: a memfd, read back whole. */
static int export_bpf(scmp_filter_ctx ctx, struct seccomp_program *out, hrun_error *err)
{
  cleanup_close int fd = memfd_create("hrun-seccomp-bpf", MFD_CLOEXEC);
  struct stat st;
  size_t size, done = 0;
  int r;

  if (fd < 0)
    return err_set(err, errno, "linux.seccomp: memfd_create");
  r = seccomp_export_bpf(ctx, fd);
  if (r < 0)
    return err_set(err, -r, "linux.seccomp: generate the filter");
  if (fstat(fd, &st) < 0)
    return err_set(err, errno, "linux.seccomp: fstat the filter");
  size = (size_t)st.st_size;
  if (size == 0 || size % sizeof(struct sock_filter) != 0)
    return err_set(err, 0, "linux.seccomp: libseccomp exported %zu bytes, not a program", size);
  if (size / sizeof(struct sock_filter) > BPF_MAXINSNS)
    return err_set(err, 0, "linux.seccomp: the filter has %zu instructions, more than %d",
                   size / sizeof(struct sock_filter), BPF_MAXINSNS);
  out->filter = xmalloc0(size);
  while (done < size) {
    ssize_t n = pread(fd, (char *)out->filter + done, size - done, (off_t)done);

    if (n <= 0)
      return err_set(err, n < 0 ? errno : EIO, "linux.seccomp: read the filter back");
    done += (size_t)n;
  }
  out->len = (unsigned short)(size / sizeof(struct sock_filter));
  return 0;
}

/* runc's rule: the stub is for denying defaults, and useless when the
 * default already is ENOSYS. */
static bool wants_enosys_stub(const struct spec_seccomp *s, uint32_t default_action)
{
  switch (s->default_action) {
  case SECCOMP_ACTION_ALLOW:
  case SECCOMP_ACTION_LOG:
  case SECCOMP_ACTION_TRACE: /* a tracer handles new syscalls itself */
  case SECCOMP_ACTION_NOTIFY:
    return false;
  default:
    return default_action != SCMP_ACT_ERRNO(ENOSYS);
  }
}

/* The highest number the profile names, per architecture of the filter. */
static int enosys_stub(const struct compile *c, struct seccomp_program *out, hrun_error *err)
{
  unsigned int max_nr[MAX_ARCHES] = {0};

  for (size_t a = 0; a < c->n_arches; a++)
    for (size_t i = 0; i < c->s->n_syscalls; i++)
      for (size_t n = 0; n < c->s->syscalls[i].names.len; n++) {
        int nr = seccomp_syscall_resolve_name_arch(c->arches[a],
                                                   c->s->syscalls[i].names.items[n]);

        /* Negative: unknown, or a pseudo number for a syscall the arch lacks. */
        if (nr > 0 && (unsigned int)nr > max_nr[a])
          max_nr[a] = (unsigned int)nr;
      }
  return seccomp_enosys_patch(c->arches, max_nr, c->n_arches, out, err);
}

static int build(struct compile *c, hrun_error *err)
{
  int r;

  /* Belt and braces: libseccomp never loads this filter, and hrun orders
   * no_new_privs itself. */
  r = seccomp_attr_set(c->ctx, SCMP_FLTATR_CTL_NNP, 0);
  if (r < 0)
    return err_set(err, -r, "linux.seccomp: clear libseccomp's no_new_privs attribute");
  if (add_arches(c, err) < 0)
    return -1;
  for (size_t i = 0; i < c->s->n_syscalls; i++)
    if (add_syscall(c, i, err) < 0)
      return -1;
  if (c->n_rules > OPTIMIZE_MIN_RULES) {
    r = seccomp_attr_set(c->ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    if (r < 0)
      log_debug("seccomp: binary tree optimization not available: %s", strerror(-r));
  }
  return 0;
}

int seccomp_compile(const struct spec_seccomp *s, struct seccomp_program *out, hrun_error *err)
{
  struct compile c = {.s = s};
  int r;

  memset(out, 0, sizeof(*out));
  if (action_value(s->default_action, s->default_errno_ret, "linux.seccomp.defaultErrnoRet",
                   &c.default_action, err) < 0)
    return -1;
  /* As runc: every syscall, the runtime's own until execve and exit
   * included, would wait for an agent that may not have the fd yet. */
  if (s->default_action == SECCOMP_ACTION_NOTIFY)
    return err_set(err, 0, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default");
  c.ctx = seccomp_init(c.default_action);
  if (!c.ctx)
    return err_set(err, EINVAL, "linux.seccomp: libseccomp refused the default action");
  r = build(&c, err);
  if (r == 0)
    r = export_bpf(c.ctx, out, err);
  if (r == 0 && wants_enosys_stub(s, c.default_action))
    r = enosys_stub(&c, out, err);
  seccomp_release(c.ctx);
  if (r < 0) {
    seccomp_program_free(out);
    return -1;
  }
  out->notify = c.notify;
  out->flags = choose_flags(s, c.notify);
  log_debug("seccomp: %u instructions, %zu rules, flags %#x%s", out->len, c.n_rules, out->flags,
            out->notify ? ", with a listener" : "");
  return 0;
}

void seccomp_program_free(struct seccomp_program *p)
{
  free(p->filter);
  memset(p, 0, sizeof(*p));
}

int seccomp_program_load(const struct seccomp_program *p, hrun_error *err)
{
  struct sock_fprog prog = {.len = p->len, .filter = p->filter};
  unsigned int flags = p->flags | (p->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
  long r;

  if (!p->filter || p->len == 0)
    return err_set(err, EINVAL, "seccomp: no filter to load");
  r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
  if (r < 0) {
    if (errno == EACCES)
      return err_set(err, errno, "seccomp: load the filter (needs no_new_privs or CAP_SYS_ADMIN)");
    return err_set(err, errno, "seccomp: load the filter (flags %#x)", flags);
  }
  return p->notify ? (int)r : 0;
}
