#include "libcontainer/util/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/json.h"

static struct {
  int fd; /* log file, -1 when none */
  bool json;
  enum log_level max; /* lines above this level are dropped */
  const char *command;
} log_cfg = {.fd = -1, .max = LOG_LEVEL_WARNING, .command = ""};

static const char *const level_names[] = {
    [LOG_LEVEL_ERROR] = "error",
    [LOG_LEVEL_WARNING] = "warning",
    [LOG_LEVEL_INFO] = "info",
    [LOG_LEVEL_DEBUG] = "debug",
};

static int set_level(const char *name, hrun_error *err)
{
  size_t i;

  for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
    if (strcmp(level_names[i], name) == 0 ||
        (i == LOG_LEVEL_WARNING && strcmp(name, "warn") == 0)) {
      log_cfg.max = (enum log_level)i;
      return 0;
    }
  return err_set(err, 0, "--log-level: unknown level \"%s\" (error, warning, info or debug)",
                 name);
}

int log_init(const char *file, const char *format, bool debug, const char *level,
             hrun_error *err)
{
  if (level && set_level(level, err) < 0)
    return -1;
  if (debug)
    log_cfg.max = LOG_LEVEL_DEBUG;
  if (format && strcmp(format, "json") == 0)
    log_cfg.json = true;
  else if (format && strcmp(format, "text") != 0)
    return err_set(err, 0, "--log-format: unknown format \"%s\" (text or json)", format);
  if (file && file[0]) {
    log_cfg.fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (log_cfg.fd < 0)
      return err_set(err, errno, "--log: open %s", file);
  }
  return 0;
}

void log_set_command(const char *command)
{
  log_cfg.command = command;
}

bool log_debug_enabled(void)
{
  return log_cfg.max >= LOG_LEVEL_DEBUG;
}

static void write_line(int fd, const char *line, size_t len)
{
  /* One write per line keeps concurrent writers' lines whole (O_APPEND). */
  while (len > 0) {
    ssize_t w = write(fd, line, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return;
    line += w;
    len -= w;
  }
}

static void write_json(enum log_level level, const struct log_field *fields, int n,
                       const char *msg, const char *when)
{
  json_writer *w = json_writer_new(false);
  const char *out;
  size_t len;
  char *line;
  int i;

  jw_object_begin(w);
  jw_key(w, "level");
  jw_string(w, level_names[level]);
  jw_key(w, "msg");
  jw_string(w, msg);
  jw_key(w, "time");
  jw_string(w, when);
  for (i = 0; i < n; i++) {
    jw_key(w, fields[i].key);
    if (fields[i].str)
      jw_string(w, fields[i].str);
    else
      jw_int(w, fields[i].num);
  }
  jw_object_end(w);
  out = jw_output(w, &len);
  line = malloc(len + 1);
  if (line) {
    memcpy(line, out, len);
    line[len] = '\n';
    write_line(log_cfg.fd, line, len + 1);
    free(line);
  }
  json_writer_free(w);
}

static void write_text(int fd, enum log_level level, const struct log_field *fields,
                       int n, const char *msg, const char *when)
{
  char line[4096];
  int len, i;

  len = snprintf(line, sizeof(line), "time=\"%s\" level=%s msg=\"%s\"", when,
                 level_names[level], msg);
  for (i = 0; i < n && len < (int)sizeof(line); i++) {
    if (fields[i].str)
      len += snprintf(line + len, sizeof(line) - len, " %s=\"%s\"", fields[i].key,
                      fields[i].str);
    else
      len += snprintf(line + len, sizeof(line) - len, " %s=%lld", fields[i].key,
                      fields[i].num);
  }
  if (len >= (int)sizeof(line) - 1)
    len = sizeof(line) - 2;
  line[len++] = '\n';
  write_line(fd, line, len);
}

static void log_emit(enum log_level level, const struct log_field *fields, int n,
                     const char *msg)
{
  char when[64];

  format_rfc3339_now(when, sizeof(when));
  if (log_cfg.fd >= 0 && log_cfg.json)
    write_json(level, fields, n, msg, when);
  else
    write_text(log_cfg.fd >= 0 ? log_cfg.fd : STDERR_FILENO, level, fields, n, msg, when);
}

void log_write(enum log_level level, const struct log_field *fields, int n_fields,
               const char *fmt, ...)
{
  char msg[HRUN_ERROR_MAX];
  va_list ap;

  if (level > log_cfg.max)
    return;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  log_emit(level, fields, n_fields, msg);
}

void log_command_error(const hrun_error *err)
{
  char line[HRUN_ERROR_MAX + 64];
  int len;

  len = snprintf(line, sizeof(line), "hrun: %s%s%s\n", log_cfg.command,
                 log_cfg.command[0] ? ": " : "", err->msg);
  if (len >= (int)sizeof(line))
    len = sizeof(line) - 1;
  write_line(STDERR_FILENO, line, len);
  if (log_cfg.fd >= 0)
    log_emit(LOG_LEVEL_ERROR, NULL, 0, err->msg);
}
