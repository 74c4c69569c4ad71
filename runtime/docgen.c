#include "runtime/docgen.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "runtime/cli.h"

/* Text for a roff line: a backslash or a dash taken literally, and no
 * request or control character read at the start of the line. */
static void roff(const char *s)
{
  if (*s == '.' || *s == '\'')
    fputs("\\&", stdout);
  for (; *s; s++) {
    if (*s == '\\')
      fputs("\\e", stdout);
    else if (*s == '-')
      fputs("\\-", stdout);
    else
      putchar(*s);
  }
}

/* "ID [COMMAND [ARG...]]": the words in italics, the brackets roman. */
static void roff_args(const char *s)
{
  bool italic = false;

  for (; *s; s++) {
    bool word = isalnum((unsigned char)*s) || *s == '_';
    if (word != italic)
      fputs(word ? "\\fI" : "\\fR", stdout);
    italic = word;
    if (*s == '-')
      fputs("\\-", stdout);
    else
      putchar(*s);
  }
  if (italic)
    fputs("\\fR", stdout);
}

/* "\fB\-b\fR, \fB\-\-bundle\fR \fIDIR\fR" */
static void roff_label(const struct cli_opt *o)
{
  if (o->short_name)
    printf("\\fB\\-%c\\fR, ", o->short_name);
  fputs("\\fB\\-\\-", stdout);
  roff(o->name);
  fputs("\\fR", stdout);
  if (!o->arg)
    return;
  fputs(o->flags & CLI_OPT_OPTIONAL ? "[=\\fI" : " \\fI", stdout);
  roff(o->arg);
  fputs(o->flags & CLI_OPT_OPTIONAL ? "\\fR]" : "\\fR", stdout);
}

/* The --help text as a sentence: capital first, full stop last. */
static void roff_sentence(const struct cli_opt *o)
{
  size_t n = strlen(o->help);

  if (n && islower((unsigned char)o->help[0]))
    putchar(toupper((unsigned char)o->help[0]));
  roff(n && islower((unsigned char)o->help[0]) ? o->help + 1 : o->help);
  if (o->flags & CLI_OPT_REPEAT)
    fputs(" (repeatable)", stdout);
  if (n && o->help[n - 1] != '.')
    putchar('.');
  putchar('\n');
}

/* The summary as whatis(1) lists it: "hrun-kill - send a signal ...",
 * no full stop. */
static void gen_head(const struct cli_command *cmd)
{
  char what[256];
  size_t n;

  snprintf(what, sizeof(what), "%s", cmd->summary);
  n = strlen(what);
  if (n && what[n - 1] == '.')
    what[n - 1] = '\0';
  if (isupper((unsigned char)what[0]) && islower((unsigned char)what[1]))
    what[0] = (char)tolower((unsigned char)what[0]);
  printf(".SH NAME\nhrun\\-%s \\- ", cmd->name);
  roff(what);
  printf("\n.SH SYNOPSIS\n.B hrun\n[\\fIglobal options\\fR]\n.B %s\n", cmd->name);
  if (*cmd->args) {
    roff_args(cmd->args);
    putchar('\n');
  }
}

/* fn on each option of cmd, then on the built-in ones (--help, --usage),
 * that --help shows (hidden false) or does not (hidden true). */
static void each_opt(const struct cli_command *cmd, bool hidden,
                     void (*fn)(const struct cli_opt *o, int i))
{
  const struct cli_opt *lists[] = {cmd->opts, cli_builtin_opts};
  const struct cli_opt *o;
  size_t l;
  int i = 0;

  for (l = 0; l < 2; l++)
    for (o = lists[l]; o && o->name; o++)
      if (!(o->flags & CLI_OPT_HIDDEN) == !hidden)
        fn(o, i++);
}

static void option_entry(const struct cli_opt *o, int i)
{
  (void)i;
  printf(".TP\n");
  roff_label(o);
  putchar('\n');
  roff_sentence(o);
}

static void hidden_entry(const struct cli_opt *o, int i)
{
  fputs(i ? ",\n" : "", stdout);
  roff_label(o);
  fputs(" (", stdout);
  roff(o->help);
  fputs(")", stdout);
}

/* What the parser takes but --help leaves out goes in one paragraph. */
static void gen_options(const struct cli_command *cmd)
{
  printf(".SH OPTIONS\n");
  each_opt(cmd, false, option_entry);
  printf(".PP\nAlso accepted, and not listed by \\fB\\-\\-help\\fR:\n");
  each_opt(cmd, true, hidden_entry);
  printf(".\n");
}

/* hrun.8's COMMANDS: each command's summary and its page. */
static void gen_commands(void)
{
  size_t i;

  for (i = 0; cli_commands[i]; i++) {
    printf(".TP\n.BR hrun\\-%s (8)\n", cli_commands[i]->name);
    roff(cli_commands[i]->summary);
    putchar('\n');
  }
}

/* Unhyphenated and ragged: "hrun\-up-\ndate(8)" is no page name. */
static void gen_see_also(void)
{
  size_t i;

  printf(".nh\n.ad l\n");
  for (i = 0; cli_commands[i]; i++)
    printf(".BR hrun\\-%s (8),\n", cli_commands[i]->name);
}

/* _hrun_NAME_flags or _hrun_NAME_args: the options shown by --help that
 * take no value (an optional one goes with '=') or that take one. */
static void completion_list(const char *name, const struct cli_opt *opts, bool args)
{
  const struct cli_opt *o;
  const char *sep = "";

  printf("_hrun_%s_%s=\"", name, args ? "args" : "flags");
  for (o = opts; o && o->name; o++) {
    if ((o->flags & CLI_OPT_HIDDEN) || (o->arg && !(o->flags & CLI_OPT_OPTIONAL)) != args)
      continue;
    printf("%s--%s", sep, o->name);
    if (o->short_name)
      printf(" -%c", o->short_name);
    sep = " ";
  }
  printf("\"\n");
}

/* Commands without options get no lists; --help and -h are offered for
 * every command by the completion itself. */
static void gen_completion(void)
{
  size_t i;

  printf("_hrun_commands=\"");
  for (i = 0; cli_commands[i]; i++)
    printf("%s%s", i ? " " : "", cli_commands[i]->name);
  printf("\"\n");
  completion_list("global", cli_global_opts, false);
  completion_list("global", cli_global_opts, true);
  for (i = 0; cli_commands[i]; i++) {
    if (!cli_commands[i]->opts)
      continue;
    completion_list(cli_commands[i]->name, cli_commands[i]->opts, false);
    completion_list(cli_commands[i]->name, cli_commands[i]->opts, true);
  }
}

int cli_gen_doc(const char *key)
{
  const char *colon = strchr(key, ':');
  const struct cli_command *cmd = colon ? cli_find_command(colon + 1) : NULL;

  if (strcmp(key, "commands") == 0)
    gen_commands();
  else if (strcmp(key, "seealso") == 0)
    gen_see_also();
  else if (strcmp(key, "completion") == 0)
    gen_completion();
  else if (cmd && strncmp(key, "head:", 5) == 0)
    gen_head(cmd);
  else if (cmd && strncmp(key, "options:", 8) == 0)
    gen_options(cmd);
  else
    return cli_usage("--gen-doc: unknown key \"%s\"", key);
  return 0;
}
