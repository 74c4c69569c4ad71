#include "runtime/cli.h"

#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>

#include "libcontainer/util/log.h"
#include "libcontainer/spec/spec.h"

int cli_fail(const hrun_error *err)
{
  log_command_error(err);
  return cli_exit_status(err->kind);
}

static int fail_text(enum hrun_error_kind kind, const char *fmt, va_list ap)
{
  hrun_error err;

  vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
  err.errnum = 0;
  err.kind = kind;
  return cli_fail(&err);
}

int cli_failf(enum hrun_error_kind kind, const char *fmt, ...)
{
  va_list ap;
  int r;

  va_start(ap, fmt);
  r = fail_text(kind, fmt, ap);
  va_end(ap);
  return r;
}

int cli_usage(const char *fmt, ...)
{
  va_list ap;
  int r;

  va_start(ap, fmt);
  r = fail_text(HRUN_ERR_INVALID_CONFIG, fmt, ap);
  va_end(ap);
  return r;
}

int cli_parse_fd_count(const char *arg, int *out)
{
  char *end;
  long v;

  errno = 0;
  v = strtol(arg, &end, 10);
  if (errno || *end || v < 0 || v > 1 << 20) {
    cli_usage("--preserve-fds: \"%s\" is not a count of file descriptors", arg);
    return -1;
  }
  *out = (int)v;
  return 0;
}

int cli_run_on_id(struct cli *cli, const struct cli_command *cmd, int argc, char **argv,
                  id_op op)
{
  struct cli_parser p;
  hrun_error err;
  int c;

  cli_parse_begin(&p, cmd, argc, argv);
  if ((c = cli_next(&p)) != CLI_DONE)
    return cli_parse_status(c);
  if (op(&cli->ctx, p.args[0], &err) < 0)
    return cli_fail(&err);
  return 0;
}

int cli_for_each_match(struct cli *cli, const char *pattern,
                       int (*fn)(struct cli *cli, const char *id, void *data), void *data)
{
  struct container_info *list;
  hrun_error err;
  size_t i, n;
  regex_t re;
  char quoted[256];
  int r, status = 0;

  if ((r = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB)) != 0) {
    char why[256];
    regerror(r, &re, why, sizeof(why));
    return cli_usage("--regex: \"%s\": %s", err_quote(pattern, quoted, sizeof(quoted)), why);
  }
  if (container_list(&cli->ctx, &list, &n, &err) < 0) {
    regfree(&re);
    return cli_fail(&err);
  }
  for (i = 0; i < n; i++) {
    if (regexec(&re, list[i].state.id, 0, NULL, 0) == 0 && fn(cli, list[i].state.id, data))
      status = 1;
    container_info_free(&list[i]);
  }
  free(list);
  regfree(&re);
  return status;
}

void cli_reset_getopt(void)
{
  optind = 0; /* glibc: 0 also resets its internal state */
  opterr = 1;
}

void cli_write_state(json_writer *w, const struct container_info *info)
{
  const struct container_state *st = &info->state;
  bool stopped = info->status == STATUS_STOPPED;
  size_t i;

  jw_object_begin(w);
  jw_key(w, "ociVersion");
  jw_string(w, HRUN_SPEC_VERSION);
  jw_key(w, "id");
  jw_string(w, st->id);
  jw_key(w, "pid");
  jw_int(w, stopped ? 0 : st->pid);
  jw_key(w, "status");
  jw_string(w, container_status_name(info->status));
  jw_key(w, "bundle");
  jw_string(w, st->bundle);
  jw_key(w, "rootfs");
  jw_string(w, st->rootfs);
  jw_key(w, "created");
  jw_string(w, st->created);
  jw_key(w, "owner");
  jw_string(w, st->owner);
  if (st->annotation_keys && st->annotation_keys[0]) {
    jw_key(w, "annotations");
    jw_object_begin(w);
    for (i = 0; st->annotation_keys[i]; i++) {
      jw_key(w, st->annotation_keys[i]);
      jw_string(w, st->annotation_values[i]);
    }
    jw_object_end(w);
  }
  jw_object_end(w);
}
