/* process.terminal: a pty from the container's own devpts, whose master
 * goes to the caller through --console-socket (SCM_RIGHTS) and whose slave
 * becomes the process's stdio and controlling terminal. */
#ifndef HRUN_CONSOLE_H
#define HRUN_CONSOLE_H

#include "libcontainer/util/error.h"

struct spec_process;

/* Connects to the --console-socket path (the runtime does it, in the host's
 * mount namespace); returns a close-on-exec fd. */
int console_socket_connect(const char *path, hrun_error *err);

/* Opens ptmx below root_fd (the container's "/dev/ptmx"), gives the slave
 * to process.user (uid, the tty group of root_fd's /etc/group when there is
 * one, mode 0620), sets the window size, sends the master over socket_fd,
 * and makes the slave stdin, stdout, stderr and the controlling terminal of
 * the calling session leader.
 * Returns the slave fd (close-on-exec), e.g. for /dev/console. */
int console_setup(int root_fd, int socket_fd, const struct spec_process *proc,
                  hrun_error *err);

/* Binds the pty slave over the rootfs's /dev/console. */
int console_bind_dev_console(int root_fd, int slave_fd, hrun_error *err);

#endif
