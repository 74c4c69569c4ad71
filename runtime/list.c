#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/security/passwd.h"
#include "runtime/cli.h"

static void print_json(const struct container_info *list, size_t n)
{
  json_writer *w = json_writer_new(false);
  size_t i;

  jw_array_begin(w);
  for (i = 0; i < n; i++)
    cli_write_state(w, &list[i]);
  jw_array_end(w);
  puts(jw_output(w, NULL));
  json_writer_free(w);
}

/* The name of the state dir's owner (malloc'ed; "" when unknown). */
static char *owner_name(const struct hrun_context *ctx, const char *id)
{
  char path[4096], *name;
  hrun_error ignored;
  struct stat st;

  snprintf(path, sizeof(path), "%s/%s", ctx->root, id);
  if (stat(path, &st) < 0)
    return xstrdup("");
  /* A cosmetic column: an unreadable /etc/passwd leaves it empty, as runc
   * leaves a failed lookup. */
  if (passwd_lookup("/etc/passwd", st.st_uid, PASSWD_NAME, &name, &ignored) < 0)
    return xstrdup("");
  return name ? name : xstrdup("");
}

/* Columns as runc prints them: padded to the widest cell plus 3 spaces. */
static void print_table(const struct hrun_context *ctx, const struct container_info *list,
                        size_t n)
{
  int w_id = 2, w_bundle = 6, w_created = 7;
  size_t i;

  for (i = 0; i < n; i++) {
    int l;
    if ((l = (int)strlen(list[i].state.id)) > w_id)
      w_id = l;
    if ((l = (int)strlen(list[i].state.bundle)) > w_bundle)
      w_bundle = l;
    if ((l = (int)strlen(list[i].state.created)) > w_created)
      w_created = l;
  }
  printf("%-*s   %-10s  %-8s   %-*s   %-*s   %s\n", w_id, "ID", "PID", "STATUS", w_bundle,
         "BUNDLE", w_created, "CREATED", "OWNER");
  for (i = 0; i < n; i++) {
    const struct container_info *c = &list[i];
    char *owner = owner_name(ctx, c->state.id);
    printf("%-*s   %-10d  %-8s   %-*s   %-*s   %s\n", w_id, c->state.id,
           c->status == STATUS_STOPPED ? 0 : c->state.pid, container_status_name(c->status),
           w_bundle, c->state.bundle, w_created, c->state.created, owner);
    free(owner);
  }
}

static const struct cli_opt list_opts[] = {
    {'f', "format", 'f', "FORMAT", "table (default) or json", 0},
    {'q', "quiet", 'q', NULL, "print the ids only", 0},
    {0},
};

static int cmd_list(struct cli *cli, int argc, char **argv)
{
  const char *format = "table";
  struct container_info *list;
  struct cli_parser p;
  bool quiet = false;
  hrun_error err;
  size_t i, n;
  int c;

  cli_parse_begin(&p, &cli_cmd_list, argc, argv);
  while ((c = cli_next(&p)) > 0) {
    if (c == 'f')
      format = p.optarg;
    else
      quiet = true;
  }
  if (c < 0)
    return cli_parse_status(c);
  if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
    return cli_usage("--format: unknown format \"%s\" (table or json)", format);
  if (container_list(&cli->ctx, &list, &n, &err) < 0)
    return cli_fail(&err);
  if (quiet)
    for (i = 0; i < n; i++)
      puts(list[i].state.id);
  else if (strcmp(format, "json") == 0)
    print_json(list, n);
  else
    print_table(&cli->ctx, list, n);
  for (i = 0; i < n; i++)
    container_info_free(&list[i]);
  free(list);
  return 0;
}

const struct cli_command cli_cmd_list = {
    .name = "list", .args = "[options]",
    .summary = "List the containers under the state root.",
    .opts = list_opts, .fn = cmd_list, .min_args = 0, .max_args = 0,
};
