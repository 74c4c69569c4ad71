/* Device rules on cgroup v2: cgroup2 has no devices files, the kernel asks
 * a BPF_PROG_TYPE_CGROUP_DEVICE program instead. The program is generated
 * from the rules v1 writes too (device_rules.c: linux.resources.devices,
 * then runc's default list) and attached to the container's directory
 * with raw bpf(2) calls.
 *
 * It decides as v1 does (as runc's does): the rules are first replayed the
 * way v1 applies them (device_policy.c), and the program checks the
 * resulting exceptions: default deny, a request passes when one exception
 * covers all of its access (an O_RDWR open asks for read and write at
 * once); default allow (after an "allow a"), a request is denied when an
 * exception shares any of its access. So [allow "c 1:3 rw", deny "c 1:3 w"]
 * denies O_RDWR and allows O_RDONLY, and a deny that would narrow a
 * wildcard allow (v1 ignores it) is refused on both. */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_internal.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/cgroups/device_policy.h"

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

static uint32_t bpf_access(unsigned access)
{
  return (access & DEV_ACC_R ? BPF_DEVCG_ACC_READ : 0) |
         (access & DEV_ACC_W ? BPF_DEVCG_ACC_WRITE : 0) |
         (access & DEV_ACC_M ? BPF_DEVCG_ACC_MKNOD : 0);
}

/* One exception: "if it matches, return the opposite of the default".
 * Each comparison skips the rest of the block on mismatch. With default
 * deny the exception must cover every requested access (r3 & ~access is
 * 0), with default allow it must share one (r3 & access is not 0): the
 * kernel's match_exception and match_exception_partial. */
static void emit_exception(struct prog *p, const struct device_exception *e, bool default_allow)
{
  uint32_t acc = bpf_access(e->access);
  bool check_access = acc != (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD);
  int len = 1 + (e->major >= 0) + (e->minor >= 0) + (check_access ? 3 : 0) + 2, at = 0;

  /* A jump from position at to the end of the block skips len - at - 1. */
  emit(p, BPF_JMP32 | BPF_JNE | BPF_K, R2, 0, (int16_t)(len - at++ - 1),
       e->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
  if (e->major >= 0)
    emit(p, BPF_JMP32 | BPF_JNE | BPF_K, R4, 0, (int16_t)(len - at++ - 1), (int32_t)e->major);
  if (e->minor >= 0)
    emit(p, BPF_JMP32 | BPF_JNE | BPF_K, R5, 0, (int16_t)(len - at++ - 1), (int32_t)e->minor);
  if (check_access) {
    emit(p, BPF_ALU | BPF_MOV | BPF_X, R0, R3, 0, 0);
    emit(p, BPF_ALU | BPF_AND | BPF_K, R0, 0, 0, (int32_t)(default_allow ? acc : ~acc & 7));
    at += 2;
    emit(p, BPF_JMP32 | (default_allow ? BPF_JEQ : BPF_JNE) | BPF_K, R0, 0,
         (int16_t)(len - at - 1), 0);
  }
  emit_return(p, default_allow ? 0 : 1);
}

struct bpf_insn *cg_v2_device_program(const struct device_policy *pol, size_t *n_insns)
{
  struct prog p = {0};

  emit_prologue(&p);
  for (size_t k = 0; k < pol->n; k++)
    emit_exception(&p, &pol->ex[k], pol->default_allow);
  emit_return(&p, pol->default_allow ? 1 : 0);
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
  struct device_policy pol;
  struct bpf_insn *insns;
  size_t n_insns;

  if (device_policy_build(r->devices, r->n_devices, &pol, err) < 0)
    return -1;
  /* Jump offsets are 16 bits, but no jump spans more than one exception. */
  insns = cg_v2_device_program(&pol, &n_insns);
  device_policy_free(&pol);
  dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0 || query_attached(dirfd, old, &n_old, dir, err) < 0) {
    free(insns);
    return dirfd < 0 ? err_set(err, errno, "cgroup: devices: open %s", dir) : -1;
  }
  prog_fd = prog_load(insns, n_insns, err);
  free(insns);
  if (prog_fd < 0 || attach(dirfd, prog_fd, dir, err) < 0)
    return -1;
  for (uint32_t i = 0; i < n_old; i++)
    if (detach(dirfd, old[i], dir, err) < 0)
      return -1;
  return 0;
}
