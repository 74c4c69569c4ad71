/* Options shared by create and run. */
#ifndef HRUN_CREATE_OPTS_H
#define HRUN_CREATE_OPTS_H

#include <getopt.h>

#include "libcontainer/container.h"

enum {
  CREATE_OPT_BUNDLE = 'b',
  CREATE_OPT_PID_FILE = 300,
  CREATE_OPT_CONSOLE_SOCKET,
  CREATE_OPT_NO_PIVOT,
  CREATE_OPT_NO_NEW_KEYRING,
  CREATE_OPT_PRESERVE_FDS,
};

#define CREATE_LONG_OPTIONS                                                    \
  {"bundle", required_argument, NULL, CREATE_OPT_BUNDLE},                      \
  {"pid-file", required_argument, NULL, CREATE_OPT_PID_FILE},                  \
  {"console-socket", required_argument, NULL, CREATE_OPT_CONSOLE_SOCKET},      \
  {"no-pivot", no_argument, NULL, CREATE_OPT_NO_PIVOT},                        \
  {"no-new-keyring", no_argument, NULL, CREATE_OPT_NO_NEW_KEYRING},            \
  {"preserve-fds", required_argument, NULL, CREATE_OPT_PRESERVE_FDS}

/* Handles one create option; 1 when c was one, 0 when not, -1 on error. */
int create_opt_handle(int c, const char *arg, struct create_options *opts);

#endif
