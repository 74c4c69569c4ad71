#include "libcontainer/util/signals.h"

#define QUOTE(s) err_quote((s), quoted, sizeof(quoted))

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
  const char *name;
  int sig;
} signal_names[] = {
    {"ABRT", SIGABRT}, {"ALRM", SIGALRM},     {"BUS", SIGBUS},   {"CHLD", SIGCHLD},
    {"CLD", SIGCHLD},  {"CONT", SIGCONT},     {"FPE", SIGFPE},   {"HUP", SIGHUP},
    {"ILL", SIGILL},   {"INT", SIGINT},       {"IO", SIGIO},     {"IOT", SIGIOT},
    {"KILL", SIGKILL}, {"PIPE", SIGPIPE},     {"POLL", SIGPOLL}, {"PROF", SIGPROF},
    {"PWR", SIGPWR},   {"QUIT", SIGQUIT},     {"SEGV", SIGSEGV}, {"STKFLT", SIGSTKFLT},
    {"STOP", SIGSTOP}, {"SYS", SIGSYS},       {"TERM", SIGTERM}, {"TRAP", SIGTRAP},
    {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU}, {"URG", SIGURG},
    {"USR1", SIGUSR1}, {"USR2", SIGUSR2},     {"VTALRM", SIGVTALRM},
    {"WINCH", SIGWINCH}, {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ},
};

static int parse_number(const char *text)
{
  char *end;
  long v;

  errno = 0;
  v = strtol(text, &end, 10);
  if (errno || *end || v < 0 || v >= NSIG)
    return -1;
  return (int)v;
}

/* "RTMIN", "RTMIN+3", "RTMAX-2" */
static int parse_realtime(const char *name)
{
  int base, off = 0;
  const char *rest;

  if (strncasecmp(name, "RTMIN", 5) == 0)
    base = SIGRTMIN, rest = name + 5;
  else if (strncasecmp(name, "RTMAX", 5) == 0)
    base = SIGRTMAX, rest = name + 5;
  else
    return -1;
  if (*rest) {
    off = parse_number(rest + 1);
    if ((rest[0] != '+' && rest[0] != '-') || off < 0)
      return -1;
    off = rest[0] == '-' ? -off : off;
  }
  base += off;
  return base >= SIGRTMIN && base <= SIGRTMAX ? base : -1;
}

int signal_parse(const char *text, hrun_error *err)
{
  char quoted[128];
  const char *name = text;
  size_t i;
  int sig;

  /* 0 is accepted: it signals nothing and tells whether the init lives. */
  if (text[0] >= '0' && text[0] <= '9') {
    sig = parse_number(text);
    return sig >= 0 ? sig : err_set(err, 0, "invalid signal \"%s\"", QUOTE(text));
  }
  if (strncasecmp(name, "SIG", 3) == 0)
    name += 3;
  for (i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
    if (strcasecmp(signal_names[i].name, name) == 0)
      return signal_names[i].sig;
  sig = parse_realtime(name);
  return sig > 0 ? sig : err_set(err, 0, "unknown signal \"%s\"", QUOTE(text));
}
