/* Device rules on cgroup v2: cgroup2 has no devices files, the kernel asks
 * a BPF_PROG_TYPE_CGROUP_DEVICE program instead. The program is generated
 * from the rules v1 writes too (device_rules.c: linux.resources.devices,
 * then runc's default list) and attached to the container's directory
 * with raw bpf(2) calls.
 *
 * Semantics (as runc and crun): default deny, the last matching rule wins
 * (the rules are emitted last first, the first match returns).
 * A request may ask for several accesses at once (open O_RDWR asks for
 * read and write), so the rules are evaluated for each requested access
 * separately and the request passes only if every access is allowed; this
 * is what makes [allow "c 1:3 rw", deny "c 1:3 w"] deny O_RDWR but allow
 * O_RDONLY, as with v1's devices.deny. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/arena.h"
#include "libcontainer/cgroup_internal.h"
#include "libcontainer/cleanup.h"

/* Registers: r1 ctx, r2 device type, r3 requested access, r4 major,
 * r5 minor, r0 scratch and result. */
enum { R0, R1, R2, R3, R4, R5 };

struct prog {
  struct bpf_insn *insns;
  size_t n, cap;
};

static size_t emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
                   int32_t imm)
{
  if (p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 64;
    p->insns = xrealloc(p->insns, p->cap * sizeof(*p->insns));
  }
  p->insns[p->n] = (struct bpf_insn){
      .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
  return p->n++;
}

static void emit_prologue(struct prog *p)
{
  /* ctx: struct bpf_cgroup_dev_ctx { u32 access_type, major, minor } with
   * access_type = access << 16 | type. */
  emit(p, BPF_LDX | BPF_W | BPF_MEM, R2, R1, 0, 0);
  emit(p, BPF_ALU | BPF_MOV | BPF_X, R3, R2, 0, 0);
  emit(p, BPF_ALU | BPF_RSH | BPF_K, R3, 0, 0, 16);
  emit(p, BPF_ALU | BPF_AND | BPF_K, R2, 0, 0, 0xffff);
  emit(p, BPF_LDX | BPF_W | BPF_MEM, R4, R1, 4, 0);
  emit(p, BPF_LDX | BPF_W | BPF_MEM, R5, R1, 8, 0);
}

static void emit_return(struct prog *p, int32_t v)
{
  emit(p, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, v);
  emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

static bool has_access(const struct spec_device_rule *d, char c)
{
  return d->access[0] == '\0' || strchr(d->access, c) != NULL;
}

/* "if it matches: allow -> jump to the section's end, deny -> return 0".
 * The comparisons skip the rest of the block on mismatch. Type 'a' stands
 * for every device, as in v1. Returns whether the rule matches always. */
static bool emit_rule(struct prog *p, const struct spec_device_rule *d, size_t *patch,
                      size_t *n_patch)
{
  int32_t cond[3][2];
  int nc = 0, len, k;

  if (d->type != 'a') {
    cond[nc][0] = R2;
    cond[nc++][1] = d->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
    if (d->major >= 0) {
      cond[nc][0] = R4;
      cond[nc++][1] = (int32_t)(uint32_t)d->major;
    }
    if (d->minor >= 0) {
      cond[nc][0] = R5;
      cond[nc++][1] = (int32_t)(uint32_t)d->minor;
    }
  }
  len = nc + (d->allow ? 1 : 2);
  for (k = 0; k < nc; k++)
    emit(p, BPF_JMP32 | BPF_JNE | BPF_K, (uint8_t)cond[k][0], 0, (int16_t)(len - 1 - k),
         cond[k][1]);
  if (d->allow)
    patch[(*n_patch)++] = emit(p, BPF_JMP | BPF_JA, 0, 0, 0, 0);
  else
    emit_return(p, 0);
  return nc == 0;
}

/* The rules for one access bit, last first; falls through to the next
 * section when this access is not requested or allowed. */
static void emit_section(struct prog *p, const struct spec_device_rule *r, size_t n, char c,
                         int32_t bit, size_t *patch)
{
  size_t n_patch = 0;
  bool final = false;

  emit(p, BPF_ALU | BPF_MOV | BPF_X, R0, R3, 0, 0);
  emit(p, BPF_ALU | BPF_AND | BPF_K, R0, 0, 0, bit);
  patch[n_patch++] = emit(p, BPF_JMP32 | BPF_JEQ | BPF_K, R0, 0, 0, 0);
  for (size_t i = n; i-- > 0 && !final;)
    if (has_access(&r[i], c))
      final = emit_rule(p, &r[i], patch, &n_patch);
  /* After an unconditional rule anything more would be unreachable, which
   * the verifier refuses. */
  if (!final)
    emit_return(p, 0);
  for (size_t i = 0; i < n_patch; i++)
    p->insns[patch[i]].off = (int16_t)(p->n - patch[i] - 1);
}

static int check_rules(const struct spec_device_rule *r, size_t n, hrun_error *err)
{
  for (size_t i = 0; i < n; i++) {
    if (r[i].type != 'a' && r[i].type != 'c' && r[i].type != 'b')
      return err_set(err, 0, "linux.resources.devices[%zu]: invalid type '%c'", i, r[i].type);
    if (r[i].major < -1 || r[i].major > UINT32_MAX || r[i].minor < -1 ||
        r[i].minor > UINT32_MAX)
      return err_set(err, 0, "linux.resources.devices[%zu]: invalid major or minor", i);
    if (strspn(r[i].access, "rwm") != strlen(r[i].access))
      return err_set(err, 0, "linux.resources.devices[%zu]: invalid access \"%s\"", i,
                     r[i].access);
  }
  /* Jump offsets are 16 bits: each section must stay below 32k insns. */
  if (n > 4000)
    return err_set(err, 0, "linux.resources.devices: too many rules (%zu)", n);
  return 0;
}

struct bpf_insn *cg_v2_device_program(const struct spec_device_rule *rules, size_t n,
                                      size_t *n_insns)
{
  static const struct {
    char c;
    int32_t bit;
  } acc[] = {{'m', BPF_DEVCG_ACC_MKNOD}, {'r', BPF_DEVCG_ACC_READ}, {'w', BPF_DEVCG_ACC_WRITE}};
  size_t *patch = xmalloc0((n + 1) * sizeof(size_t));
  struct prog p = {0};

  emit_prologue(&p);
  for (size_t k = 0; k < sizeof(acc) / sizeof(acc[0]); k++)
    emit_section(&p, rules, n, acc[k].c, acc[k].bit, patch);
  emit_return(&p, 1);
  free(patch);
  *n_insns = p.n;
  return p.insns;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
  return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* On failure the verifier's last line says why. */
static int prog_load(const struct bpf_insn *insns, size_t n, hrun_error *err)
{
  static char log[8192];
  union bpf_attr attr;
  char *last;
  int fd;

  memset(&attr, 0, sizeof(attr));
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (uint64_t)(uintptr_t)insns;
  attr.insn_cnt = (uint32_t)n;
  attr.license = (uint64_t)(uintptr_t) "GPL";
  if ((fd = (int)sys_bpf(BPF_PROG_LOAD, &attr)) >= 0)
    return fd;
  log[0] = '\0';
  attr.log_buf = (uint64_t)(uintptr_t)log;
  attr.log_size = sizeof(log);
  attr.log_level = 1;
  if ((fd = (int)sys_bpf(BPF_PROG_LOAD, &attr)) >= 0)
    return fd;
  while (*log && (last = strrchr(log, '\n')) && last[1] == '\0')
    *last = '\0';
  last = strrchr(log, '\n');
  return err_set(err, errno, "cgroup: devices: load the device program%s%s",
                 *log ? ": verifier: " : "", last ? last + 1 : log);
}

/* The programs attached to this very directory (not inherited ones). */
static int query_attached(int dirfd, uint32_t *ids, uint32_t *n, const char *dir,
                          hrun_error *err)
{
  union bpf_attr attr;

  memset(&attr, 0, sizeof(attr));
  attr.query.target_fd = (uint32_t)dirfd;
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
  attr.query.prog_cnt = *n;
  if (sys_bpf(BPF_PROG_QUERY, &attr) < 0)
    return err_set(err, errno, "cgroup: devices: query the device programs of %s", dir);
  *n = attr.query.prog_cnt;
  return 0;
}

static int attach(int dirfd, int prog_fd, const char *dir, hrun_error *err)
{
  union bpf_attr attr;

  memset(&attr, 0, sizeof(attr));
  attr.target_fd = (uint32_t)dirfd;
  attr.attach_bpf_fd = (uint32_t)prog_fd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0)
    return err_set(err, errno, "cgroup: devices: attach the device program to %s", dir);
  return 0;
}

static int detach(int dirfd, uint32_t id, const char *dir, hrun_error *err)
{
  cleanup_close int fd = -1;
  union bpf_attr attr;

  memset(&attr, 0, sizeof(attr));
  attr.prog_id = id;
  fd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
  if (fd < 0)
    return errno == ENOENT ? 0 : err_set(err, errno, "cgroup: devices: open program %u", id);
  memset(&attr, 0, sizeof(attr));
  attr.target_fd = (uint32_t)dirfd;
  attr.attach_bpf_fd = (uint32_t)fd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  if (sys_bpf(BPF_PROG_DETACH, &attr) < 0 && errno != ENOENT)
    return err_set(err, errno, "cgroup: devices: detach the old device program from %s", dir);
  return 0;
}

/* With ALLOW_MULTI every attached program must allow, so an update attaches
 * the new program first (never a moment without one) and then detaches
 * the ones that were there before. */
int cg_v2_devices(const char *dir, const struct spec_resources *r, hrun_error *err)
{
  cleanup_close int dirfd = -1, prog_fd = -1;
  uint32_t old[64], n_old = 64;
  struct bpf_insn *insns;
  size_t n_insns;

  if (check_rules(r->devices, r->n_devices, err) < 0)
    return -1;
  dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    return err_set(err, errno, "cgroup: devices: open %s", dir);
  if (query_attached(dirfd, old, &n_old, dir, err) < 0)
    return -1;
  insns = cg_v2_device_program(r->devices, r->n_devices, &n_insns);
  prog_fd = prog_load(insns, n_insns, err);
  free(insns);
  if (prog_fd < 0 || attach(dirfd, prog_fd, dir, err) < 0)
    return -1;
  for (uint32_t i = 0; i < n_old; i++)
    if (detach(dirfd, old[i], dir, err) < 0)
      return -1;
  return 0;
}
