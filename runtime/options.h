/* One table per command: its options, arguments and summary. The parser,
 * `--help` / `hrun help CMD`, the man pages' SYNOPSIS and OPTIONS and the
 * bash completion's option lists (runtime/docgen.c) read the same table,
 * so they cannot disagree. */
#ifndef HRUN_OPTIONS_H
#define HRUN_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>

struct cli;

enum {
  CLI_OPT_HIDDEN = 1 << 0,   /* accepted, not shown by --help */
  CLI_OPT_REPEAT = 1 << 1,   /* may be given more than once (help says so) */
  CLI_OPT_OPTIONAL = 1 << 2, /* the argument is optional: --opt or --opt=VALUE */
};

struct cli_opt {
  int id;         /* what cli_next returns, for the long and the short form */
  const char *name;
  char short_name;
  const char *arg; /* the argument's name in --help ("FILE"), NULL for a flag */
  const char *help;
  unsigned flags;
};

struct cli_command {
  const char *name;
  const char *args;    /* the positional arguments, for the usage line */
  const char *summary; /* one line */
  const struct cli_opt *opts; /* ends with an entry whose name is NULL */
  int (*fn)(struct cli *cli, int argc, char **argv);
  int min_args, max_args; /* max -1: any number */
  bool enters_container;  /* its clones run in the container (exe seal) */
  bool options_first;     /* options end at the first argument (exec) */
};

#define CLI_MAX_OPTS 48

/* The option parser of one command invocation. */
struct cli_parser {
  const struct cli_command *cmd;
  struct option longopts[CLI_MAX_OPTS + 2];
  char shortopts[3 * CLI_MAX_OPTS + 4];
  int argc;
  char **argv;
  const char *optarg; /* the argument of the option just returned */
  char **args;        /* the positional arguments, once cli_next returned 0 */
  int n_args;
};

enum {
  CLI_DONE = 0,   /* no more options; p->args holds the arguments */
  CLI_HELP = -2,  /* --help was given and printed */
  CLI_ERROR = -1, /* a usage error was printed */
};

void cli_parse_begin(struct cli_parser *p, const struct cli_command *cmd, int argc,
                     char **argv);
/* The next option's id, or CLI_DONE / CLI_HELP / CLI_ERROR. */
int cli_next(struct cli_parser *p);
/* What a command returns when cli_next ended with CLI_HELP or CLI_ERROR. */
int cli_parse_status(int r);
/* The option's long name, for error messages ("--memory"). */
const char *cli_opt_name(const struct cli_command *cmd, int id);

/* One line of an option list: "  -f, --format FORMAT   help". */
void cli_print_option(const struct cli_opt *o);
/* Help: "usage:" line, summary, options; to stdout. */
void cli_print_command_help(const struct cli_command *cmd);

/* The commands, in the order `hrun --help` lists them. */
extern const struct cli_command *const cli_commands[];
extern const struct cli_opt cli_global_opts[];
/* --help and --usage, which every command takes. */
extern const struct cli_opt cli_builtin_opts[];
const struct cli_command *cli_find_command(const char *name);

#endif
