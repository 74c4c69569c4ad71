/* failsys SYSCALL_NR ERRNO CMD [ARG...]: runs CMD with one system call
 * failing. A seccomp filter (inherited across execve and fork) answers
 * every call of SYSCALL_NR with -ERRNO; everything else runs as usual.
 * For tests of how hrun reports a failure it cannot cause on demand
 * (pidfd_open failing with EMFILE, say). */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef __x86_64__
#error "failsys filters x86_64 system call numbers only"
#endif

static long number(const char *text, const char *what)
{
  char *end;
  long v = strtol(text, &end, 10);

  if (*text == '\0' || *end != '\0' || v < 0) {
    fprintf(stderr, "failsys: %s \"%s\" is not a number\n", what, text);
    exit(2);
  }
  return v;
}

int main(int argc, char **argv)
{
  if (argc < 4) {
    fprintf(stderr, "usage: failsys SYSCALL_NR ERRNO CMD [ARG...]\n");
    return 2;
  }
  unsigned nr = (unsigned)number(argv[1], "syscall number");
  unsigned err = (unsigned)number(argv[2], "errno");
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};

  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
    perror("failsys: seccomp");
    return 2;
  }
  execvp(argv[3], argv + 3);
  perror("failsys: exec");
  return 127;
}
