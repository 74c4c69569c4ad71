#include "libcontainer/hooks/hooks_inject.h"

#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/hooks/hook_spec.h"

static const char *annotation(const struct oci_spec *spec, const char *key)
{
  for (size_t i = 0; i < spec->n_annotations; i++)
    if (strcmp(spec->annotations[i].key, key) == 0)
      return spec->annotations[i].value;
  return NULL;
}

static int read_opt_out(const struct oci_spec *spec, bool *off, hrun_error *err)
{
  const char *v = annotation(spec, HOOKS_DIRS_ANNOTATION);
  char quoted[64];

  *off = v && strcmp(v, "off") == 0;
  if (v && !*off && strcmp(v, "on") != 0)
    return err_set(err, 0, "annotations.%s must be \"on\" or \"off\", not \"%s\"",
                   HOOKS_DIRS_ANNOTATION, err_quote(v, quoted, sizeof(quoted)));
  return 0;
}

static void add_precreate(struct hooks_sources *s, const struct spec_hook *h,
                          const char *origin)
{
  s->precreate = xrealloc(s->precreate, (s->n_precreate + 1) * sizeof(*s->precreate));
  s->precreate[s->n_precreate++] = (struct precreate_hook){.hook = h, .origin = origin};
}

static int collect_precreate(struct hooks_sources *s, const struct hooks_inject_opts *o,
                             const struct oci_spec *spec, hrun_error *err)
{
  size_t i;

  for (i = 0; i < s->set.n; i++)
    if ((s->set.files[i].stages & (1u << HOOKD_PRECREATE)) &&
        hookd_match(&s->set.files[i], spec, NULL, 0))
      add_precreate(s, &s->set.files[i].hook, s->set.files[i].path);
  s->n_precreate_dirs = s->n_precreate;
  for (i = 0; i < s->conf.n_precreate; i++)
    add_precreate(s, &s->conf.precreate[i],
                  arena_sprintf(s->arena, "%s precreateHooks[%zu]", s->conf.path, i));
  for (i = 0; i < o->n_precreate; i++) {
    struct spec_hook *h = arena_alloc(s->arena, sizeof(*h));
    if (o->precreate[i][0] != '/')
      return err_set(err, 0, "--precreate-hook %s: must be an absolute path", o->precreate[i]);
    h->path = o->precreate[i];
    h->args.items = arena_calloc(s->arena, 1, sizeof(char *));
    add_precreate(s, h, "--precreate-hook");
  }
  return 0;
}

static void collect_dirs(struct hooks_sources *s, const struct hooks_inject_opts *o)
{
  size_t n = s->conf.hooks_dirs.len + o->n_hooks_dirs, i;

  s->dirs = arena_calloc(s->arena, n + 1, sizeof(char *));
  for (i = 0; i < s->conf.hooks_dirs.len; i++)
    s->dirs[s->n_dirs++] = s->conf.hooks_dirs.items[i];
  for (i = 0; i < o->n_hooks_dirs; i++)
    s->dirs[s->n_dirs++] = o->hooks_dirs[i];
}

int hooks_sources_open(struct hooks_sources *s, const struct hooks_inject_opts *o,
                       hrun_error *err)
{
  memset(s, 0, sizeof(*s));
  s->arena = arena_new();
  hookd_set_init(&s->set);
  if (hrun_conf_load(&s->conf, err) < 0)
    return -1;
  collect_dirs(s, o);
  return 0;
}

int hooks_sources_load(struct hooks_sources *s, const struct hooks_inject_opts *o,
                       const struct oci_spec *spec, hrun_error *err)
{
  if (read_opt_out(spec, &s->opted_out, err) < 0)
    return -1;
  if (s->n_dirs && !s->opted_out && hookd_load(&s->set, s->dirs, s->n_dirs, err) < 0)
    return -1;
  if (o->hook_spec && hook_spec_load(o->hook_spec, s->arena, &s->spec_hooks, err) < 0)
    return -1;
  return collect_precreate(s, o, spec, err);
}

void hooks_sources_free(struct hooks_sources *s)
{
  hookd_set_free(&s->set);
  hrun_conf_free(&s->conf);
  free(s->precreate);
  if (s->arena)
    arena_free(s->arena);
  memset(s, 0, sizeof(*s));
}

bool hooks_inject_configured(const struct hooks_sources *s, const struct hooks_inject_opts *o)
{
  return s->n_dirs || s->conf.n_precreate || o->n_precreate || o->hook_spec;
}

void hooks_sources_extra(const struct hooks_sources *s, const struct oci_spec *spec,
                         struct hooks_extra *x)
{
  size_t i, j;
  int st;

  for (i = 0; i < s->set.n; i++) {
    const struct hookd_file *f = &s->set.files[i];
    if (!(f->stages & ((1u << HOOK_STAGE_COUNT) - 1)) || !hookd_match(f, spec, NULL, 0))
      continue;
    for (st = 0; st < HOOK_STAGE_COUNT; st++)
      if (f->stages & (1u << st))
        hooks_extra_add(x, hookd_target_stage(st), &f->hook);
  }
  for (st = 0; st < HOOK_STAGE_COUNT; st++)
    for (j = 0; j < s->spec_hooks.count[st]; j++)
      hooks_extra_add(x, st, &s->spec_hooks.list[st][j]);
}

/* *merged is set when hooks were added (the parsed spec is then stale). */
static int merge_extra(const struct hooks_sources *s, const struct oci_spec *spec, char **text,
                       size_t *len, bool *merged, hrun_error *err)
{
  struct hooks_extra x = {0};
  char *out = NULL;
  size_t out_len;
  int r = 0;

  hooks_sources_extra(s, spec, &x);
  *merged = hooks_extra_count(&x) > 0;
  if (*merged) {
    r = hooks_merge(*text, *len, &x, &out, &out_len, err);
    if (r == 0) {
      free(*text);
      *text = out;
      *len = out_len;
    }
  }
  hooks_extra_free(&x);
  return r;
}

int hooks_inject(const struct hooks_inject_opts *o, const char *name, char **text,
                 size_t *len, struct oci_spec **parsed, hrun_error *err)
{
  struct hooks_sources s;
  struct oci_spec *spec = NULL;
  bool merged = false;
  int r = -1;

  *parsed = NULL;
  if (hooks_sources_open(&s, o, err) < 0)
    goto out;
  if (!hooks_inject_configured(&s, o)) {
    r = 0;
    goto out;
  }
  if (spec_parse(*text, *len, &spec, err) < 0) {
    err_wrap(err, "%s", name);
    goto out;
  }
  if (hooks_sources_load(&s, o, spec, err) < 0 ||
      precreate_run(s.precreate, s.n_precreate, text, len, &spec, err) < 0 ||
      merge_extra(&s, spec, text, len, &merged, err) < 0)
    goto out;
  r = 0;
  if (!merged)
    *parsed = take_ptr(spec);
out:
  spec_free(spec);
  hooks_sources_free(&s);
  return r;
}
