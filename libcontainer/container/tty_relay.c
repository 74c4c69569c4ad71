#include "libcontainer/container/tty_relay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "libcontainer/spec/spec.h"

#define RELAY_BUF 16384
/* After the process exited, output is read until none is left; a process
 * it left behind (no pid namespace) that keeps writing must not keep hrun
 * here forever. */
#define DRAIN_MAX_READS 256

struct relay {
  int master;
  int pidfd;
  bool in_open;     /* stdin has not ended */
  bool out_open;    /* stdout takes output; after an error it is dropped */
  bool master_open; /* some slave fd is still open */
  size_t in_len, in_off; /* stdin bytes not yet written to the master */
  char in[RELAY_BUF];
};

struct raw_mode {
  bool set;
  struct termios saved;
};

struct relay_signals {
  struct sigaction winch, pipe;
  sigset_t mask; /* the mask before: SIGWINCH is blocked outside ppoll */
};

static volatile sig_atomic_t winch_pending;

static void on_winch(int sig)
{
  (void)sig;
  winch_pending = 1;
}

static bool host_size(struct winsize *ws)
{
  int fd;

  for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    if (isatty(fd))
      return ioctl(fd, TIOCGWINSZ, ws) == 0 && (ws->ws_row || ws->ws_col);
  return false;
}

void tty_relay_size_hint(struct spec_process *proc)
{
  struct winsize ws;

  if (!proc || !host_size(&ws))
    return;
  proc->console_height = (opt_u64){.set = true, .value = ws.ws_row};
  proc->console_width = (opt_u64){.set = true, .value = ws.ws_col};
}

static void copy_size(int master)
{
  struct winsize ws;

  if (host_size(&ws))
    ioctl(master, TIOCSWINSZ, &ws);
}

/* Raw: every byte typed (^C, ^Z, ^D included) goes to the container's pty,
 * whose own line discipline does what a terminal would; no output
 * processing twice. */
static int raw_mode_enter(struct raw_mode *rm, hrun_error *err)
{
  struct termios raw;

  if (tcgetattr(STDIN_FILENO, &rm->saved) < 0)
    return 0; /* not a terminal: plain copying */
  raw = rm->saved;
  cfmakeraw(&raw);
  if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) < 0)
    return err_set(err, errno, "process.terminal: put the terminal on stdin in raw mode");
  rm->set = true;
  return 0;
}

static void raw_mode_leave(struct raw_mode *rm)
{
  int saved = errno;

  while (rm->set && tcsetattr(STDIN_FILENO, TCSANOW, &rm->saved) < 0 && errno == EINTR)
    ;
  rm->set = false;
  errno = saved;
}

static void signals_take(struct relay_signals *s, sigset_t *wait_mask)
{
  struct sigaction sa = {.sa_handler = on_winch};
  sigset_t block;

  sigemptyset(&block);
  sigaddset(&block, SIGWINCH);
  sigprocmask(SIG_BLOCK, &block, &s->mask);
  *wait_mask = s->mask;
  sigdelset(wait_mask, SIGWINCH);
  sigaction(SIGWINCH, &sa, &s->winch);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, &s->pipe);
}

static void signals_give_back(struct relay_signals *s)
{
  sigaction(SIGWINCH, &s->winch, NULL);
  sigaction(SIGPIPE, &s->pipe, NULL);
  sigprocmask(SIG_SETMASK, &s->mask, NULL);
}

/* Blocking writes: stdout is the caller's file description, whose flags
 * are not ours to change; a full pipe holds the process back, as it would
 * without a pty. */
static void write_out(struct relay *r, const char *buf, size_t len)
{
  struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
  ssize_t n;

  while (r->out_open && len > 0) {
    n = write(STDOUT_FILENO, buf, len);
    if (n > 0) {
      buf += n;
      len -= (size_t)n;
    } else if (n < 0 && errno == EAGAIN) {
      poll(&p, 1, -1); /* someone made it non-blocking */
    } else if (n < 0 && errno != EINTR) {
      r->out_open = false; /* EPIPE, EIO: the output has nowhere to go */
    }
  }
}

/* One read of the process's output: 1 when some came, 0 when there is
 * none now (or, after EIO, none ever: every slave fd is closed), -1 on an
 * error. */
static int read_output(struct relay *r, hrun_error *err)
{
  char buf[RELAY_BUF];
  ssize_t n = read(r->master, buf, sizeof(buf));

  if (n > 0) {
    write_out(r, buf, (size_t)n);
    return 1;
  }
  if (n == 0 || errno == EIO)
    r->master_open = false;
  else if (errno != EAGAIN && errno != EINTR)
    return err_set(err, errno, "process.terminal: read the pty");
  return 0;
}

static void write_input(struct relay *r)
{
  ssize_t n = write(r->master, r->in + r->in_off, r->in_len - r->in_off);

  if (n > 0)
    r->in_off += (size_t)n;
  else if (n < 0 && errno != EAGAIN && errno != EINTR)
    r->in_off = r->in_len; /* the pty is gone: the input too */
  if (r->in_off == r->in_len)
    r->in_len = r->in_off = 0;
}

/* The end of stdin (or an error reading it: a hung-up terminal) stops
 * the input, nothing more: the process is not sent an end of file and runs
 * until it ends by itself, as with runc. */
static void read_input(struct relay *r)
{
  ssize_t n = read(STDIN_FILENO, r->in, sizeof(r->in));

  if (n > 0)
    r->in_len = (size_t)n;
  else if (n == 0 || (errno != EAGAIN && errno != EINTR))
    r->in_open = false;
}

/* After the process exited: what it wrote last is still in the pty (a
 * read flushes the kernel's pending buffer first). */
static int drain(struct relay *r, hrun_error *err)
{
  int i, n = 0;

  for (i = 0; i < DRAIN_MAX_READS && r->master_open; i++)
    if ((n = read_output(r, err)) <= 0)
      break;
  return n < 0 ? -1 : 0;
}

static int relay_loop(struct relay *r, const sigset_t *wait_mask, hrun_error *err)
{
  for (;;) {
    struct pollfd p[3] = {
        {.fd = r->pidfd, .events = POLLIN},
        {.fd = r->master_open ? r->master : -1, .events = POLLIN | (r->in_len ? POLLOUT : 0)},
        {.fd = r->in_open && !r->in_len ? STDIN_FILENO : -1, .events = POLLIN},
    };

    if (winch_pending) {
      winch_pending = 0;
      copy_size(r->master);
    }
    if (ppoll(p, 3, NULL, wait_mask) < 0) {
      if (errno == EINTR)
        continue;
      return err_set(err, errno, "process.terminal: poll");
    }
    if (p[1].revents & POLLOUT)
      write_input(r);
    if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) && read_output(r, err) < 0)
      return -1;
    if (p[2].revents)
      read_input(r);
    if (p[0].revents)
      return drain(r, err);
  }
}

int tty_relay_run(int master, int pidfd, hrun_error *err)
{
  struct relay r = {.master = master, .pidfd = pidfd, .in_open = true, .out_open = true,
                    .master_open = true};
  __attribute__((cleanup(raw_mode_leave))) struct raw_mode rm = {0};
  struct relay_signals s;
  sigset_t wait_mask;
  int result;

  /* Our own fd (the init sent it and closed its copy): non-blocking, so
   * that input never waits on a process that does not read. */
  if (fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK) < 0)
    return err_set(err, errno, "process.terminal: make the pty master non-blocking");
  if (raw_mode_enter(&rm, err) < 0)
    return -1;
  signals_take(&s, &wait_mask);
  copy_size(master); /* the size may have changed since the hint */
  result = relay_loop(&r, &wait_mask, err);
  signals_give_back(&s);
  return result;
}
