/* killat: SIGKILLs a command at a chosen system call, for the fault tests
 * (tests/integration/faults.bats).
 *
 *   killat -l LIST CMD [ARG...]   runs CMD under ptrace to its end and writes
 *                                 one line per system call it made to LIST:
 *                                 "NR K NAME [LABEL]", K counting the calls
 *                                 of NR (1, 2, ...); LABEL names the sync
 *                                 message (nsexec/sync.h) a send or receive
 *                                 carried: "send:READY", "recv:GO".
 *   killat -k PHASE:NR:K CMD ...  runs CMD and SIGKILLs it when it stops at
 *                                 the PHASE (entry or exit) of its K-th call
 *                                 of NR; exits 0 when it did, 3 when CMD
 *                                 ended first (CMD's status on stderr).
 *   killat -f NR:K:ERRNO CMD ...  runs CMD to its end with its K-th call of
 *                                 NR failing: the call is skipped and
 *                                 returns -ERRNO. Exits as CMD does; 3 when
 *                                 CMD ended before that call.
 *
 * A kill point is named by (system call, occurrence), not by the index of
 * the call in the whole run: the number of brk or mmap calls may vary from
 * run to run, the K-th mkdir or send does not. Only CMD's own process is
 * traced, not the children it clones (the container init): a killed
 * runtime is what the tests are about. Without -l or -k, killat just runs
 * CMD (exit status as CMD's). */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef __x86_64__
#error "killat reads x86_64 system call numbers only"
#endif

#define MAX_NR 512

static const char *const sync_names[] = {
    NULL,           "GO",          "MOUNTS_READY", "HOOKS_DONE",   "READY",
    "START",        "EXEC",        "ERROR",        "HOOK_REPORT",  "SECCOMP_FD",
    "SECCOMP_DONE", "MOUNT_SOURCES", "MOUNT_SOURCE_FD",
};

static const struct {
  int nr;
  const char *name;
} names[] = {
    {SYS_read, "read"},         {SYS_write, "write"},       {SYS_openat, "openat"},
    {SYS_close, "close"},       {SYS_mkdir, "mkdir"},       {SYS_mkdirat, "mkdirat"},
    {SYS_rmdir, "rmdir"},       {SYS_unlinkat, "unlinkat"}, {SYS_unlink, "unlink"},
    {SYS_rename, "rename"},     {SYS_renameat, "renameat"}, {SYS_renameat2, "renameat2"},
    {SYS_flock, "flock"},       {SYS_clone, "clone"},       {SYS_clone3, "clone3"},
    {SYS_vfork, "vfork"},       {SYS_fork, "fork"},         {SYS_execve, "execve"},
    {SYS_wait4, "wait4"},       {SYS_waitid, "waitid"},     {SYS_kill, "kill"},
    {SYS_bind, "bind"},         {SYS_listen, "listen"},     {SYS_connect, "connect"},
    {SYS_accept4, "accept4"},   {SYS_sendto, "sendto"},     {SYS_recvfrom, "recvfrom"},
    {SYS_sendmsg, "sendmsg"},   {SYS_recvmsg, "recvmsg"},   {SYS_socketpair, "socketpair"},
    {SYS_poll, "poll"},         {SYS_ppoll, "ppoll"},       {SYS_pidfd_open, "pidfd_open"},
    {SYS_pidfd_send_signal, "pidfd_send_signal"},           {SYS_mount, "mount"},
    {SYS_umount2, "umount2"},   {SYS_prctl, "prctl"},       {SYS_setns, "setns"},
    {SYS_unshare, "unshare"},   {SYS_pwrite64, "pwrite64"}, {SYS_ftruncate, "ftruncate"},
    {SYS_fsync, "fsync"},       {SYS_exit_group, "exit_group"},
    {SYS_nanosleep, "nanosleep"}, {SYS_clock_nanosleep, "clock_nanosleep"},
};

static const char *syscall_name(int nr, char buf[16])
{
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (names[i].nr == nr)
      return names[i].name;
  snprintf(buf, 16, "sys_%d", nr);
  return buf;
}

/* The first 4 bytes at addr in the tracee: a sync message's type. */
static int peek_type(pid_t pid, uint64_t addr, uint32_t *type)
{
  struct iovec local = {.iov_base = type, .iov_len = sizeof(*type)};
  struct iovec remote = {.iov_base = (void *)(uintptr_t)addr, .iov_len = sizeof(*type)};

  return process_vm_readv(pid, &local, 1, &remote, 1, 0) == sizeof(*type) ? 0 : -1;
}

/* sendmsg/recvmsg: the first iovec's base. */
static int msghdr_base(pid_t pid, uint64_t msg_addr, uint64_t *base)
{
  struct msghdr m;
  struct iovec first;
  struct iovec local = {.iov_base = &m, .iov_len = sizeof(m)};
  struct iovec remote = {.iov_base = (void *)(uintptr_t)msg_addr, .iov_len = sizeof(m)};

  if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != sizeof(m) || m.msg_iovlen < 1)
    return -1;
  local = (struct iovec){.iov_base = &first, .iov_len = sizeof(first)};
  remote = (struct iovec){.iov_base = m.msg_iov, .iov_len = sizeof(first)};
  if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != sizeof(first))
    return -1;
  *base = (uint64_t)(uintptr_t)first.iov_base;
  return 0;
}

/* "send:NAME" or "recv:NAME" when the call carried a sync message (8-byte
 * header, a known type); buffers are read at entry for sends, at exit for
 * receives. */
static void sync_label(pid_t pid, int nr, const uint64_t args[6], int64_t ret, bool exit,
                       char *label, size_t size)
{
  bool send = nr == SYS_sendto || nr == SYS_sendmsg;
  bool recv = nr == SYS_recvfrom || nr == SYS_recvmsg;
  uint64_t base = args[1];
  uint32_t type;

  if (!(send && !exit) && !(recv && exit))
    return;
  if (recv && ret < 8)
    return;
  if (send && nr == SYS_sendto && args[2] < 8)
    return;
  if ((nr == SYS_sendmsg || nr == SYS_recvmsg) && msghdr_base(pid, args[1], &base) < 0)
    return;
  if (peek_type(pid, base, &type) < 0 || type == 0 ||
      type >= sizeof(sync_names) / sizeof(sync_names[0]))
    return;
  snprintf(label, size, "%s:%s", send ? "send" : "recv", sync_names[type]);
}

struct target {
  int phase; /* PTRACE_SYSCALL_INFO_ENTRY or _EXIT; 0: none */
  int nr;
  unsigned k;
};

static int parse_target(const char *s, struct target *t)
{
  char phase[8];

  if (sscanf(s, "%7[a-z]:%d:%u", phase, &t->nr, &t->k) != 3 || t->nr < 0 ||
      t->nr >= MAX_NR || t->k == 0)
    return -1;
  if (strcmp(phase, "entry") == 0)
    t->phase = PTRACE_SYSCALL_INFO_ENTRY;
  else if (strcmp(phase, "exit") == 0)
    t->phase = PTRACE_SYSCALL_INFO_EXIT;
  else
    return -1;
  return 0;
}

static int exit_status(int status)
{
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* -f: the call that fails, and how far it got. */
struct injection {
  int nr; /* -1: none */
  unsigned k;
  int error;
  bool skipping; /* its entry was skipped; its exit gets -error */
  bool done;
};

static int parse_injection(const char *s, struct injection *in)
{
  if (sscanf(s, "%d:%u:%d", &in->nr, &in->k, &in->error) != 3 || in->nr < 0 ||
      in->nr >= MAX_NR || in->k == 0 || in->error <= 0)
    return -1;
  return 0;
}

/* At the entry of the call: no call at all (orig_rax -1); at its exit, the
 * return value the kernel would give for the error. close is the
 * exception: Linux releases the fd whatever close returns (EINTR and EIO
 * included), so it runs and only its result is an error. */
static void inject(pid_t pid, struct injection *in, bool exit)
{
  struct user_regs_struct regs;

  if (ptrace(PTRACE_GETREGS, pid, 0, &regs) < 0)
    return;
  if (!exit && in->nr != SYS_close)
    regs.orig_rax = (unsigned long long)-1;
  else
    regs.rax = (unsigned long long)(long long)-in->error;
  ptrace(PTRACE_SETREGS, pid, 0, &regs);
  in->skipping = !exit;
  in->done = exit;
}

struct tracer {
  pid_t pid;
  FILE *list;
  struct target target;
  struct injection injection;
  unsigned entries[MAX_NR], exits[MAX_NR];
  int cur_nr;
  uint64_t cur_args[6];
  char cur_label[40];
};

/* One syscall stop. 1: the target was reached (the tracee is killed). */
static int on_syscall_stop(struct tracer *t)
{
  struct __ptrace_syscall_info info;
  char buf[16];

  if (ptrace(PTRACE_GET_SYSCALL_INFO, t->pid, sizeof(info), &info) <= 0)
    return 0;
  if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
    int nr = (int)info.entry.nr;
    if (nr < 0 || nr >= MAX_NR)
      return 0;
    t->cur_nr = nr;
    memcpy(t->cur_args, info.entry.args, sizeof(t->cur_args));
    t->cur_label[0] = '\0';
    sync_label(t->pid, nr, t->cur_args, 0, false, t->cur_label, sizeof(t->cur_label));
    t->entries[nr]++;
    if (t->injection.nr == nr && t->injection.k == t->entries[nr])
      inject(t->pid, &t->injection, false);
    if (t->list && nr == SYS_exit_group)
      fprintf(t->list, "%d %u %s\n", nr, t->entries[nr], syscall_name(nr, buf));
    return t->target.phase == PTRACE_SYSCALL_INFO_ENTRY && t->target.nr == nr &&
           t->target.k == t->entries[nr];
  }
  if (info.op != PTRACE_SYSCALL_INFO_EXIT || t->cur_nr < 0)
    return 0;
  int nr = t->cur_nr;
  t->exits[nr]++;
  if (t->injection.skipping)
    inject(t->pid, &t->injection, true);
  sync_label(t->pid, nr, t->cur_args, info.exit.rval, true, t->cur_label,
             sizeof(t->cur_label));
  if (t->list)
    fprintf(t->list, "%d %u %s%s%s\n", nr, t->exits[nr], syscall_name(nr, buf),
            t->cur_label[0] ? " " : "", t->cur_label);
  t->cur_nr = -1;
  return t->target.phase == PTRACE_SYSCALL_INFO_EXIT && t->target.nr == nr &&
         t->target.k == t->exits[nr];
}

static int trace(struct tracer *t)
{
  int status, sig = 0;

  for (;;) {
    if (ptrace(PTRACE_SYSCALL, t->pid, 0, sig) < 0 && errno != ESRCH) {
      perror("killat: PTRACE_SYSCALL");
      return 2;
    }
    sig = 0;
    if (waitpid(t->pid, &status, __WALL) < 0) {
      perror("killat: waitpid");
      return 2;
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      if (t->target.phase || (t->injection.nr >= 0 && !t->injection.done)) {
        fprintf(stderr, "killat: the command ended (status %d) before its %s point\n",
                exit_status(status), t->target.phase ? "kill" : "failure");
        return 3;
      }
      return exit_status(status);
    }
    if (!WIFSTOPPED(status))
      continue;
    if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
      if (on_syscall_stop(t)) {
        kill(t->pid, SIGKILL);
        while (waitpid(t->pid, &status, __WALL) == t->pid && !WIFEXITED(status) &&
               !WIFSIGNALED(status))
          ;
        return 0;
      }
    } else if (status >> 16 == 0 && WSTOPSIG(status) != SIGTRAP) {
      sig = WSTOPSIG(status); /* a signal for the tracee: deliver it */
    }
  }
}

int main(int argc, char **argv)
{
  struct tracer t = {.cur_nr = -1, .injection = {.nr = -1}};
  int opt, status;

  while ((opt = getopt(argc, argv, "+l:k:f:")) != -1) {
    if (opt == 'l' && !(t.list = fopen(optarg, "w"))) {
      perror(optarg);
      return 2;
    }
    if (opt == 'k' && parse_target(optarg, &t.target) < 0) {
      fprintf(stderr, "killat: bad kill point \"%s\" (entry|exit:NR:K)\n", optarg);
      return 2;
    }
    if (opt == 'f' && parse_injection(optarg, &t.injection) < 0) {
      fprintf(stderr, "killat: bad failure \"%s\" (NR:K:ERRNO)\n", optarg);
      return 2;
    }
    if (opt == '?')
      return 2;
  }
  if (optind >= argc) {
    fprintf(stderr, "usage: killat [-l LIST | -k PHASE:NR:K | -f NR:K:ERRNO] CMD [ARG...]\n");
    return 2;
  }
  t.pid = fork();
  if (t.pid < 0) {
    perror("killat: fork");
    return 2;
  }
  if (t.pid == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    execvp(argv[optind], argv + optind);
    perror("killat: exec");
    _exit(127);
  }
  if (waitpid(t.pid, &status, 0) < 0 || !WIFSTOPPED(status)) {
    fprintf(stderr, "killat: the command did not stop for tracing\n");
    return 2;
  }
  ptrace(PTRACE_SETOPTIONS, t.pid, 0,
         PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
  status = trace(&t);
  if (t.list)
    fclose(t.list);
  return status;
}
