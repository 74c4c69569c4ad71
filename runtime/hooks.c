/* hrun hooks: which hooks a create of this bundle would run, stage by
 * stage, and why each is there (config.json, a hooks.d file and the
 * condition that matched, --hook-spec), and which files were left out and
 * why: seen before anything starts. Nothing is run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/hooks/hooks_inject.h"
#include "runtime/cli.h"
#include "runtime/create_opts.h"

static const struct cli_opt hooks_opts[] = {
    {CREATE_OPT_BUNDLE, "bundle", 'b', "DIR", "the bundle (default: the current directory)", 0},
    {CREATE_OPT_HOOKS_DIR, "hooks-dir", 0, "DIR", "as create's --hooks-dir", CLI_OPT_REPEAT},
    {CREATE_OPT_PRECREATE_HOOK, "precreate-hook", 0, "PATH", "as create's --precreate-hook",
     CLI_OPT_REPEAT},
    {CREATE_OPT_HOOK_SPEC, "hook-spec", 0, "FILE", "as create's --hook-spec", 0},
    {0},
};

static void print_hook(int *n, const struct spec_hook *h, const char *from, const char *why)
{
  size_t i;

  printf("  %d. %s", ++*n, h->path);
  for (i = 1; i < h->args.len; i++)
    printf(" %s", h->args.items[i]);
  if (h->timeout.set)
    printf(" (timeout %lld s)", (long long)h->timeout.value);
  printf("\n     from %s%s%s\n", from, why && why[0] ? ": " : "", why ? why : "");
}

static void print_files(const struct hooks_sources *s, const struct oci_spec *spec, int stage,
                        int *n)
{
  char why[1024], from[1200];
  size_t i;
  int st;

  for (i = 0; i < s->set.n; i++) {
    const struct hookd_file *f = &s->set.files[i];
    for (st = 0; st < HOOKD_STAGE_COUNT; st++) {
      if (!(f->stages & (1u << st)) || hookd_target_stage(st) != stage ||
          !hookd_match(f, spec, why, sizeof(why)))
        continue;
      snprintf(from, sizeof(from), "%s%s", f->path,
               st == HOOK_PRESTART ? " (stage prestart, run as createRuntime)" : "");
      print_hook(n, &f->hook, from, why);
    }
  }
}

static void print_precreate(const struct hooks_sources *s, const struct oci_spec *spec)
{
  int n = 0;
  size_t i;

  printf("precreate:\n");
  print_files(s, spec, HOOKD_PRECREATE, &n);
  for (i = s->n_precreate_dirs; i < s->n_precreate; i++)
    print_hook(&n, s->precreate[i].hook, s->precreate[i].origin, NULL);
  if (!n)
    printf("  (none)\n");
}

static void print_stage(const struct hooks_sources *s, const struct oci_spec *spec, int stage)
{
  char from[128];
  size_t i;
  int n = 0;

  printf("%s:\n", hook_stage_names[stage]);
  for (i = 0; i < spec->hooks.count[stage]; i++) {
    snprintf(from, sizeof(from), "config.json hooks.%s[%zu]", hook_stage_names[stage], i);
    print_hook(&n, &spec->hooks.list[stage][i], from, NULL);
  }
  print_files(s, spec, stage, &n);
  for (i = 0; i < s->spec_hooks.count[stage]; i++) {
    snprintf(from, sizeof(from), "--hook-spec %s[%zu]", hook_stage_names[stage], i);
    print_hook(&n, &s->spec_hooks.list[stage][i], from, NULL);
  }
  if (!n)
    printf("  (none)\n");
}

static void print_left_out(const struct hooks_sources *s, const struct oci_spec *spec)
{
  char why[1024];
  size_t i;
  int n = 0;

  printf("not added:\n");
  for (i = 0; i < s->set.n; i++)
    if (!hookd_match(&s->set.files[i], spec, why, sizeof(why)))
      printf("  %s: %s\n", s->set.files[i].path, why), n++;
  for (i = 0; i < s->set.n_masked; i++)
    printf("  %s: masked by %s\n", s->set.masked[i].path, s->set.masked[i].masked_by), n++;
  if (!n)
    printf("  (none)\n");
}

static void print_sources(const struct hooks_sources *s, const char *bundle)
{
  size_t i;

  printf("bundle: %s\n", bundle);
  printf("configuration file: %s (%s)\n", s->conf.path, s->conf.found ? "read" : "not found");
  printf("hooks directories:");
  for (i = 0; i < s->n_dirs; i++)
    printf(" %s", s->dirs[i]);
  printf("%s\n", s->n_dirs ? "" : " (none)");
  if (s->opted_out && s->n_dirs)
    printf("annotation %s=off: no hook of the directories is added\n", HOOKS_DIRS_ANNOTATION);
  if (s->n_precreate)
    printf("(precreate hooks are not run here: the other stages are matched against "
           "config.json as it is)\n");
  printf("\n");
}

static int explain(const char *bundle_arg, const struct hooks_inject_opts *o, hrun_error *err)
{
  cleanup_free char *bundle = resolve_path(bundle_arg, "bundle", err);
  cleanup_free char *config = NULL;
  struct oci_spec *spec = NULL;
  struct hooks_sources s;
  int stage, r = -1;

  if (!bundle)
    return -1;
  config = xasprintf("%s/config.json", bundle);
  if (spec_load(config, &spec, err) < 0)
    return -1;
  if (hooks_sources_open(&s, o, err) == 0 && hooks_sources_load(&s, o, spec, err) == 0) {
    print_sources(&s, bundle);
    print_precreate(&s, spec);
    for (stage = 0; stage < HOOK_STAGE_COUNT; stage++)
      print_stage(&s, spec, stage);
    print_left_out(&s, spec);
    r = 0;
  }
  hooks_sources_free(&s);
  spec_free(spec);
  return r;
}

static int cmd_hooks(struct cli *cli, int argc, char **argv)
{
  struct create_options co = {0};
  struct hooks_inject_opts o;
  struct cli_parser p;
  hrun_error err;
  int c, r = 1;

  (void)cli;
  cli_parse_begin(&p, &cli_cmd_hooks, argc, argv);
  while ((c = cli_next(&p)) > 0)
    create_opt_handle(c, p.optarg, &co);
  if (c < 0) {
    r = cli_parse_status(c);
  } else {
    hooks_inject_opts_of(&co, &o);
    r = explain(co.bundle ? co.bundle : ".", &o, &err) < 0 ? cli_fail(&err) : 0;
  }
  free(co.hooks_dirs);
  free(co.precreate_hooks);
  return r;
}

const struct cli_command cli_cmd_hooks = {
    .name = "hooks", .args = "[options]",
    .summary = "Show, stage by stage, the hooks a create of the bundle would run, and why.",
    .opts = hooks_opts, .fn = cmd_hooks, .min_args = 0, .max_args = 0,
};
