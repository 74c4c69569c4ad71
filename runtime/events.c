/* events [--stats] [--interval D] ID: runc's event stream, one JSON object
 * a line: {"type":"stats","id":ID,"data":{...}} every interval and
 * {"type":"oom","id":ID} at each OOM, until the container's init is gone. */
#include <errno.h>
#include <stdio.h>

#include "libcontainer/cgroups/cgroup_stats.h"
#include "libcontainer/util/duration.h"
#include "runtime/cli.h"

enum { OPT_INTERVAL = 600, OPT_STATS };

static const struct cli_opt events_opts[] = {
    {OPT_INTERVAL, "interval", 0, "DURATION",
     "time between two stats events, as Go writes it (default 5s; 500ms, 1m30s)", 0},
    {OPT_STATS, "stats", 0, NULL, "print one stats event and exit", 0},
    {0},
};

/* A line at a time, flushed: the reader is usually a pipe. */
static int print_event(enum container_event_type type, const char *id,
                       const struct cgroup_stats *stats, void *data, hrun_error *err)
{
  json_writer *w = json_writer_new(false);
  int r = 0;

  (void)data;
  jw_object_begin(w);
  jw_key(w, "type");
  jw_string(w, type == CONTAINER_EVENT_OOM ? "oom" : "stats");
  jw_key(w, "id");
  jw_string(w, id);
  if (stats) {
    jw_key(w, "data");
    cgroup_stats_to_json(w, stats);
  }
  jw_object_end(w);
  if (puts(jw_output(w, NULL)) == EOF || fflush(stdout) == EOF)
    r = err_set(err, errno, "events: write to standard output");
  json_writer_free(w);
  return r;
}

static int parse_interval(const char *arg, int64_t *ns)
{
  if (duration_parse(arg, ns) < 0)
    return cli_usage("--interval: \"%s\" is not a duration (like 5s, 500ms or 1m30s)", arg);
  if (*ns <= 0)
    return cli_usage("--interval: \"%s\": the interval must be greater than 0", arg);
  return 0;
}

static int cmd_events(struct cli *cli, int argc, char **argv)
{
  struct events_options o = {.interval_ns = 5000000000LL};
  struct cli_parser p;
  hrun_error err;
  int c;

  cli_parse_begin(&p, &cli_cmd_events, argc, argv);
  while ((c = cli_next(&p)) > 0) {
    if (c == OPT_STATS)
      o.stats_only = true;
    else if (parse_interval(p.optarg, &o.interval_ns) != 0)
      return cli_exit_status(HRUN_ERR_INVALID_CONFIG);
  }
  if (c < 0)
    return cli_parse_status(c);
  if (container_events(&cli->ctx, p.args[0], &o, print_event, NULL, &err) < 0)
    return cli_fail(&err);
  return 0;
}

const struct cli_command cli_cmd_events = {
    .name = "events", .args = "[options] ID",
    .summary = "Print a container's resource usage every interval and its OOM kills, as "
               "JSON lines, until it stops.",
    .opts = events_opts, .fn = cmd_events, .min_args = 1, .max_args = 1,
};
