/* The ENOSYS stub runc prepends to denying filters.
 *
 * A profile lists the syscalls it knows; one added to the kernel later
 * falls to the default action, typically EPERM, and libc then fails instead
 * of falling back to the older syscall it would use on ENOSYS (clone3,
 * faccessat2, openat2...). So, per architecture, a syscall numbered above
 * every syscall the profile names returns ENOSYS before the filter runs.
 *
 * Layout (all jumps forward, all targets the shared ENOSYS return E or the
 * first instruction of libseccomp's filter F):
 *   ld arch; jeq ARCH_1 -> section 1; ...; ja F
 *   section: ld nr; [s390: jeq 0 -> E]; [x86_64: jset X32 bit]; jgt MAX -> E, else F
 *   E: ret ERRNO(ENOSYS)
 *   F: the filter */
#include "libcontainer/security/seccomp.h"

#include <errno.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/log.h"

#define MAX_GROUPS 32
#define X32_SYSCALL_BIT 0x40000000u

/* One audit arch; x86_64 and x32 share AUDIT_ARCH_X86_64 and are told apart
 * by the x32 bit of the syscall number. */
struct group {
  unsigned int audit;
  unsigned int max_main; /* 0: no check */
  unsigned int max_x32;
  unsigned short start; /* index of the section */
};

struct emitter {
  struct sock_filter *insn;
  unsigned short n;
  unsigned short enosys; /* E */
  unsigned short filter; /* F */
};

static void stmt(struct emitter *e, unsigned short code, unsigned int k)
{
  e->insn[e->n++] = (struct sock_filter)BPF_STMT(code, k);
}

/* A conditional jump to absolute targets (both after the jump). */
static void jump(struct emitter *e, unsigned short code, unsigned int k, unsigned short jt,
                 unsigned short jf)
{
  unsigned short next = (unsigned short)(e->n + 1);

  e->insn[e->n++] =
      (struct sock_filter)BPF_JUMP(code, k, (unsigned char)(jt - next), (unsigned char)(jf - next));
}

static bool is_s390(unsigned int audit)
{
  return audit == AUDIT_ARCH_S390 || audit == AUDIT_ARCH_S390X;
}

static unsigned short section_len(const struct group *g)
{
  return (unsigned short)(1 + is_s390(g->audit) + (g->audit == AUDIT_ARCH_X86_64) +
                          (g->max_main > 0) + (g->max_x32 > 0));
}

static size_t make_groups(const unsigned int *arches, const unsigned int *max_nr, size_t n,
                          struct group *groups)
{
  size_t n_groups = 0;

  for (size_t i = 0; i < n; i++) {
    unsigned int audit = arches[i] == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : arches[i];
    size_t g;

    if (max_nr[i] == 0)
      continue;
    for (g = 0; g < n_groups && groups[g].audit != audit; g++)
      ;
    if (g == n_groups) {
      if (n_groups == MAX_GROUPS)
        continue;
      memset(&groups[n_groups++], 0, sizeof(groups[0]));
      groups[g].audit = audit;
    }
    if (arches[i] == SCMP_ARCH_X32)
      groups[g].max_x32 = max_nr[i];
    else
      groups[g].max_main = max_nr[i];
  }
  return n_groups;
}

static void emit_section(struct emitter *e, const struct group *g)
{
  stmt(e, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  /* s390 multiplexes unknown large numbers through syscall 0 (setup(2),
   * long gone): runc answers ENOSYS there too. */
  if (is_s390(g->audit))
    jump(e, BPF_JMP | BPF_JEQ | BPF_K, 0, e->enosys, (unsigned short)(e->n + 1));
  if (g->audit == AUDIT_ARCH_X86_64) {
    /* The x32 check is last: after the jset and the x86_64 check, if any. */
    unsigned short x32 = (unsigned short)(e->n + 1 + (g->max_main > 0));

    jump(e, BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, g->max_x32 ? x32 : e->filter,
         g->max_main ? (unsigned short)(e->n + 1) : e->filter);
  }
  if (g->max_main)
    jump(e, BPF_JMP | BPF_JGT | BPF_K, g->max_main, e->enosys, e->filter);
  if (g->max_x32)
    jump(e, BPF_JMP | BPF_JGT | BPF_K, g->max_x32, e->enosys, e->filter);
}

static void emit_stub(struct emitter *e, struct group *groups, size_t n_groups)
{
  stmt(e, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  for (size_t g = 0; g < n_groups; g++)
    jump(e, BPF_JMP | BPF_JEQ | BPF_K, groups[g].audit, groups[g].start,
         (unsigned short)(e->n + 1));
  /* Any other arch: straight to the filter, which has its bad-arch action. */
  stmt(e, BPF_JMP | BPF_JA, (unsigned int)(e->filter - (e->n + 1)));
  for (size_t g = 0; g < n_groups; g++)
    emit_section(e, &groups[g]);
  stmt(e, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
}

int seccomp_enosys_patch(const unsigned int *arches, const unsigned int *max_nr, size_t n,
                         struct seccomp_program *p, hrun_error *err)
{
  struct group groups[MAX_GROUPS];
  size_t n_groups = make_groups(arches, max_nr, n, groups);
  size_t stub = 1 + n_groups + 1 + 1;
  struct emitter e = {0};

  if (n_groups == 0)
    return 0;
  for (size_t g = 0; g < n_groups; g++) {
    groups[g].start = (unsigned short)stub - 1; /* sections go before E */
    stub += section_len(&groups[g]);
  }
  /* Every jump's offset must fit in 8 bits: bounded by the stub's length. */
  if (stub > 256) {
    log_debug("seccomp: ENOSYS stub too long (%zu instructions), not added", stub);
    return 0;
  }
  if (stub + p->len > BPF_MAXINSNS)
    return err_set(err, 0, "linux.seccomp: the filter has %zu instructions, more than %d",
                   stub + p->len, BPF_MAXINSNS);
  e.insn = xmalloc0((stub + p->len) * sizeof(struct sock_filter));
  e.enosys = (unsigned short)(stub - 1);
  e.filter = (unsigned short)stub;
  emit_stub(&e, groups, n_groups);
  memcpy(e.insn + stub, p->filter, p->len * sizeof(struct sock_filter));
  free(p->filter);
  p->filter = e.insn;
  p->len = (unsigned short)(stub + p->len);
  log_debug("seccomp: ENOSYS stub of %zu instructions for %zu architectures", stub, n_groups);
  return 0;
}
