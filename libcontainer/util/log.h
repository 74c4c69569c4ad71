/* Logging: errors always reach stderr ("hrun: <command>: <message>"); with
 * --log they also go to that file, as text or, with --log-format json, one
 * object per line ({"level","msg","time"}) as containerd and conmon expect.
 * Debug lines (--debug) go to the log file, or to stderr without one. */
#ifndef HRUN_LOG_H
#define HRUN_LOG_H

#include <stdbool.h>

#include "libcontainer/util/error.h"

enum log_level {
  LOG_LEVEL_ERROR,
  LOG_LEVEL_WARNING,
  LOG_LEVEL_INFO,
  LOG_LEVEL_DEBUG,
};

/* A structured field for JSON output; text output appends key=value. */
struct log_field {
  const char *key;
  const char *str; /* string value, or NULL to use num */
  long long num;
};

/* file may be NULL; format is "text" or "json"; level (crun's
 * --log-level: error, warning, info, debug) may be NULL (warning); debug
 * (--debug) means level debug. */
int log_init(const char *file, const char *format, bool debug, const char *level,
             hrun_error *err);
/* The command name shown in stderr messages ("create"). */
void log_set_command(const char *command);
bool log_debug_enabled(void);

void log_write(enum log_level level, const struct log_field *fields, int n_fields,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define log_debug(...)                                                         \
  do {                                                                         \
    if (log_debug_enabled())                                                   \
      log_write(LOG_LEVEL_DEBUG, NULL, 0, __VA_ARGS__);                        \
  } while (0)
#define log_warning(...) log_write(LOG_LEVEL_WARNING, NULL, 0, __VA_ARGS__)

/* Reports a failed command: stderr and the log file. */
void log_command_error(const hrun_error *err);

#endif
