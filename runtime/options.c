#include "runtime/options.h"

#include <stdio.h>
#include <string.h>

#include "runtime/cli.h"

enum { OPT_HELP = 'h', OPT_USAGE = 0x7f00 };

const struct cli_opt cli_builtin_opts[] = {
    {OPT_HELP, "help", 'h', NULL, "print this help (also -?)", 0},
    /* crun's --usage: the usage line only. */
    {OPT_USAGE, "usage", 0, NULL, "print the usage line", CLI_OPT_HIDDEN},
    {0},
};

static int has_arg(const struct cli_opt *o)
{
  if (!o->arg)
    return no_argument;
  return o->flags & CLI_OPT_OPTIONAL ? optional_argument : required_argument;
}

static void add_option(struct cli_parser *p, size_t *n, char **s, const struct cli_opt *o)
{
  p->longopts[*n] = (struct option){o->name, has_arg(o), NULL, o->id};
  (*n)++;
  if (!o->short_name)
    return;
  *(*s)++ = o->short_name;
  if (o->arg)
    *(*s)++ = ':';
  if (o->arg && (o->flags & CLI_OPT_OPTIONAL))
    *(*s)++ = ':';
}

void cli_parse_begin(struct cli_parser *p, const struct cli_command *cmd, int argc,
                     char **argv)
{
  const struct cli_opt *o;
  size_t n = 0;
  char *s = p->shortopts;

  memset(p, 0, sizeof(*p));
  p->cmd = cmd;
  p->argc = argc;
  p->argv = argv;
  /* "+": options end at the first argument (exec's command is its own);
   * otherwise they may follow the arguments, as urfave/cli lets runc's. */
  if (cmd->options_first)
    *s++ = '+';
  *s++ = ':'; /* a missing argument is ':', reported by us */
  for (o = cmd->opts; o && o->name && n < CLI_MAX_OPTS; o++)
    add_option(p, &n, &s, o);
  for (o = cli_builtin_opts; o->name; o++)
    add_option(p, &n, &s, o);
  *s = '\0';
  cli_reset_getopt();
  opterr = 0;
}

static int usage_error(struct cli_parser *p, const char *what)
{
  cli_usage("%s (see hrun %s --help)", what, p->cmd->name);
  return CLI_ERROR;
}

static int bad_option(struct cli_parser *p, int c)
{
  char what[256], quoted[128];
  const char *word = optind > 0 && optind <= p->argc ? p->argv[optind - 1] : "?";

  if (c == ':')
    snprintf(what, sizeof(what), "option %s needs an argument",
             err_quote(word, quoted, sizeof(quoted)));
  else if (optopt)
    snprintf(what, sizeof(what), "unknown option -%s",
             err_quote((char[]){(char)optopt, 0}, quoted, sizeof(quoted)));
  else
    snprintf(what, sizeof(what), "unknown option %s", err_quote(word, quoted, sizeof(quoted)));
  return usage_error(p, what);
}

/* getopt returns a short option's letter: the table's id for it. */
static int option_id(const struct cli_command *cmd, int c)
{
  const struct cli_opt *o;

  for (o = cmd->opts; o && o->name; o++)
    if (o->short_name && o->short_name == c)
      return o->id;
  return c;
}

int cli_next(struct cli_parser *p)
{
  int c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);
  char what[128];

  p->optarg = optarg;
  if (c == OPT_HELP || (c == '?' && optopt == '?')) { /* crun's -? */
    cli_print_command_help(p->cmd);
    return CLI_HELP;
  }
  if (c == OPT_USAGE) {
    printf("usage: hrun %s %s\n", p->cmd->name, p->cmd->args);
    return CLI_HELP;
  }
  if (c == '?' || c == ':')
    return bad_option(p, c);
  if (c != -1)
    return option_id(p->cmd, c);
  p->args = p->argv + optind;
  p->n_args = p->argc - optind;
  if (p->n_args < p->cmd->min_args ||
      (p->cmd->max_args >= 0 && p->n_args > p->cmd->max_args)) {
    snprintf(what, sizeof(what), "usage: hrun %s %s", p->cmd->name, p->cmd->args);
    cli_usage("%s", what);
    return CLI_ERROR;
  }
  return CLI_DONE;
}

int cli_parse_status(int r)
{
  return r == CLI_HELP ? 0 : cli_exit_status(HRUN_ERR_INVALID_CONFIG);
}

const char *cli_opt_name(const struct cli_command *cmd, int id)
{
  const struct cli_opt *o;

  for (o = cmd->opts; o && o->name; o++)
    if (o->id == id)
      return o->name;
  return "?";
}

void cli_print_option(const struct cli_opt *o)
{
  char left[64];
  int n;

  if (o->flags & CLI_OPT_HIDDEN)
    return;
  if (o->short_name)
    n = snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->name);
  else
    n = snprintf(left, sizeof(left), "    --%s", o->name);
  if (o->arg)
    snprintf(left + n, sizeof(left) - n, o->flags & CLI_OPT_OPTIONAL ? "[=%s]" : " %s",
             o->arg);
  printf("  %-30s %s%s\n", left, o->help, o->flags & CLI_OPT_REPEAT ? " (repeatable)" : "");
}

void cli_print_command_help(const struct cli_command *cmd)
{
  const struct cli_opt *o;

  printf("usage: hrun %s %s\n\n%s\n\noptions:\n", cmd->name, cmd->args, cmd->summary);
  for (o = cmd->opts; o && o->name; o++)
    cli_print_option(o);
  for (o = cli_builtin_opts; o->name; o++)
    cli_print_option(o);
}

const struct cli_command *cli_find_command(const char *name)
{
  size_t i;

  for (i = 0; cli_commands[i]; i++)
    if (strcmp(cli_commands[i]->name, name) == 0)
      return cli_commands[i];
  return NULL;
}
