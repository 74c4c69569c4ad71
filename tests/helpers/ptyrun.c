/* ptyrun ROWS COLS [NEWROWS NEWCOLS MARKER] -- COMMAND [ARG...]: runs
 * COMMAND as a session leader on a new pty of ROWS x COLS and copies its
 * output to stdout. Once MARKER has appeared in that output, the window is
 * resized to NEWROWS x NEWCOLS, which makes the kernel send SIGWINCH to the
 * pty's foreground process group, as a terminal emulator does. Exits with
 * COMMAND's status (128 + signal); SIGALRM ends it after 30 s. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void set_size(int fd, const char *rows, const char *cols)
{
  struct winsize ws = {.ws_row = (unsigned short)atoi(rows), .ws_col = (unsigned short)atoi(cols)};

  if (ioctl(fd, TIOCSWINSZ, &ws) < 0) {
    perror("ptyrun: TIOCSWINSZ");
    exit(1);
  }
}

static pid_t spawn(int master, char **argv)
{
  pid_t pid = fork();
  int slave;

  if (pid != 0)
    return pid;
  setsid();
  slave = open(ptsname(master), O_RDWR);
  if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
    perror("ptyrun: slave");
    _exit(127);
  }
  dup2(slave, 0);
  dup2(slave, 1);
  dup2(slave, 2);
  close(slave);
  close(master);
  execvp(argv[0], argv);
  perror("ptyrun: exec");
  _exit(127);
}

/* Copies the output; resizes once the marker went by. The last
 * len(marker) - 1 bytes are kept so that a marker split between two reads
 * is still seen. */
static void copy(int master, char **resize)
{
  char buf[4096 + 256], *seen = buf;
  size_t kept = 0, mlen = resize ? strlen(resize[2]) : 0;
  ssize_t n;

  for (;;) {
    n = read(master, seen + kept, 4096);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return; /* EIO: the last slave fd is closed */
    if (write(STDOUT_FILENO, seen + kept, n) != n)
      return;
    kept += n;
    if (resize && memmem(seen, kept, resize[2], mlen)) {
      set_size(master, resize[0], resize[1]);
      resize = NULL;
    }
    if (mlen > 1 && kept >= mlen) {
      memmove(seen, seen + kept - (mlen - 1), mlen - 1);
      kept = mlen - 1;
    } else if (mlen <= 1) {
      kept = 0;
    }
  }
}

int main(int argc, char **argv)
{
  char **resize = NULL;
  int master, status, cmd = 3;
  pid_t pid;

  if (argc > 6 && strcmp(argv[3], "--") != 0) {
    resize = argv + 3;
    cmd = 6;
  }
  if (argc < cmd + 2 || strcmp(argv[cmd], "--") != 0 ||
      (resize && strlen(resize[2]) > 255)) {
    fprintf(stderr, "usage: ptyrun ROWS COLS [NEWROWS NEWCOLS MARKER] -- COMMAND [ARG...]\n");
    return 2;
  }
  alarm(30); /* default action: the test sees a failure, not a hang */
  master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
    perror("ptyrun: posix_openpt");
    return 1;
  }
  set_size(master, argv[1], argv[2]);
  pid = spawn(master, argv + cmd + 1);
  copy(master, resize);
  if (waitpid(pid, &status, 0) < 0)
    return 1;
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
