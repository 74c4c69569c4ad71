/* Unix stream sockets to peers given by path (--console-socket, a seccomp
 * agent's listenerPath) and fds passed over them. */
#ifndef HRUN_UNIX_SOCKET_H
#define HRUN_UNIX_SOCKET_H

#include <stddef.h>

#include "libcontainer/util/error.h"

/* Connects to path (paths longer than sun_path go through an O_PATH fd of
 * their directory). Errors are prefixed with what ("--console-socket"). */
int unix_connect(const char *path, const char *what, hrun_error *err);

/* Sends all of data with fd attached (SCM_RIGHTS) to its first bytes. */
int unix_send_fd(int sock, int fd, const void *data, size_t len, const char *what,
                 hrun_error *err);

/* Receives one fd sent with unix_send_fd (close-on-exec); the data that
 * came with it is dropped. An error when the peer closed without one. */
int unix_recv_fd(int sock, const char *what, hrun_error *err);

#endif
