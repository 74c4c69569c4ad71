/* Signal names as `kill` accepts them: "TERM", "SIGTERM", "15". */
#ifndef HRUN_SIGNALS_H
#define HRUN_SIGNALS_H

#include "libcontainer/util/error.h"

/* The signal number, or -1 with err set. */
int signal_parse(const char *text, hrun_error *err);

#endif
