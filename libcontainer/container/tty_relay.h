/* process.terminal without --console-socket, in a foreground `run` or
 * `exec`: as runc and crun do, hrun keeps the pty master itself and
 * relays it to its own stdin and stdout until the process exits. */
#ifndef HRUN_TTY_RELAY_H
#define HRUN_TTY_RELAY_H

#include "libcontainer/util/error.h"

struct spec_process;

/* Puts the window size of hrun's terminal (the first of stdin, stdout and
 * stderr that is one) into proc's consoleSize, so that the process starts
 * with it (console_setup sets it before the process runs). Nothing when
 * hrun has no terminal. */
void tty_relay_size_hint(struct spec_process *proc);

/* Copies stdin to master and master to stdout until the process behind
 * pidfd has exited and the output it left is read. Meanwhile stdin, when it
 * is a terminal, is in raw mode (restored on every return), each SIGWINCH
 * copies the window size again (the container's foreground process group
 * then gets its own SIGWINCH), and SIGPIPE is ignored. The end of stdin only
 * stops the copying of input: the process runs on, as with runc. Returns
 * -1 only when the relay itself broke; the process is then still running. */
int tty_relay_run(int master, int pidfd, hrun_error *err);

#endif
