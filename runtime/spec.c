/* hrun spec [-b DIR] [--rootless]: writes the starter config.json of runc. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/spec/spec_default.h"
#include "runtime/cli.h"

enum { OPT_ROOTLESS = 256 };

/* Never replaces a config.json (even a dangling symlink): it is the user's
 * work, and runc refuses with the same words. */
static int write_config(const char *bundle, const char *file, bool rootless, hrun_error *err)
{
  cleanup_close int dirfd = -1;
  struct stat st;
  cleanup_free char *text = NULL;
  json_writer *w;

  dirfd = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    return err_set(err, errno, "bundle %s", bundle);
  if (fstatat(dirfd, file, &st, AT_SYMLINK_NOFOLLOW) == 0)
    return err_set(err, 0, "File %s exists. Remove it first", file);
  if (errno != ENOENT)
    return err_set(err, errno, "%s/%s", bundle, file);
  w = json_writer_new(true);
  spec_default_write(w, rootless);
  text = xasprintf("%s\n", jw_output(w, NULL));
  json_writer_free(w);
  /* 0666 and the umask, like runc and every editor. */
  if (write_file_atomic_at(dirfd, file, text, strlen(text), 0666, err) < 0)
    return err_wrap(err, "bundle %s", bundle);
  return 0;
}

static const struct cli_opt spec_opts[] = {
    {'b', "bundle", 'b', "DIR", "write DIR/config.json (default: the current directory)", 0},
    {'f', "file", 'f', "FILE", "write FILE instead of config.json, relative to DIR (crun)", 0},
    {OPT_ROOTLESS, "rootless", 0, NULL, "a config for a user namespace of the caller's ids", 0},
    {0},
};

static int cmd_spec(struct cli *cli, int argc, char **argv)
{
  const char *bundle = ".", *file = "config.json";
  bool rootless = false;
  struct cli_parser p;
  hrun_error err;
  int c;

  (void)cli;
  cli_parse_begin(&p, &cli_cmd_spec, argc, argv);
  while ((c = cli_next(&p)) > 0) {
    if (c == 'b')
      bundle = p.optarg;
    else if (c == 'f')
      file = p.optarg;
    else
      rootless = true;
  }
  if (c < 0)
    return cli_parse_status(c);
  if (write_config(bundle, file, rootless, &err) < 0)
    return cli_fail(&err);
  return 0;
}

const struct cli_command cli_cmd_spec = {
    .name = "spec", .args = "[options]",
    .summary = "Write a default config.json (runc's), refusing to overwrite one.",
    .opts = spec_opts, .fn = cmd_spec, .min_args = 0, .max_args = 0,
};
