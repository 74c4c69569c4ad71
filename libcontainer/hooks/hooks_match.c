/* `when` of an oci-hooks(5) file against a config, with pkg/hooks' rules:
 * 1.0.0 needs every condition given to hold (and at least one given),
 * 0.1.0 any one; `commands`, when given and the config has a process,
 * decides last. The reason is kept for `hrun hooks`. */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "libcontainer/hooks/hooks_dir.h"

struct reason {
  char *buf;
  size_t size, len;
};

static void say(struct reason *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct reason *r, const char *fmt, ...)
{
  va_list ap;
  int n;

  if (!r->buf || r->len + 1 >= r->size)
    return;
  if (r->len)
    r->len += (size_t)snprintf(r->buf + r->len, r->size - r->len, ", ");
  if (r->len + 1 >= r->size)
    return;
  va_start(ap, fmt);
  n = vsnprintf(r->buf + r->len, r->size - r->len, fmt, ap);
  va_end(ap);
  if (n > 0)
    r->len = r->len + (size_t)n < r->size ? r->len + (size_t)n : r->size - 1;
}

/* An expression hookd_parse checked, compiled for one condition. */
struct pattern {
  regex_t re;
  bool ok;
};

static void pattern_compile(struct pattern *p, const char *text)
{
  p->ok = regcomp(&p->re, text, REG_EXTENDED | REG_NOSUB) == 0;
}

static bool pattern_matches(const struct pattern *p, const char *s)
{
  return p->ok && regexec(&p->re, s, 0, NULL, 0) == 0;
}

static void pattern_free(struct pattern *p)
{
  if (p->ok)
    regfree(&p->re);
  p->ok = false;
}

/* Bind mounts in the config (pkg/hooks is told whether the user asked for
 * any; a runtime only sees the config). */
static const char *bind_mount(const struct oci_spec *spec)
{
  size_t i;

  for (i = 0; i < spec->n_mounts; i++)
    if (spec->mounts[i].is_bind)
      return spec->mounts[i].destination;
  return NULL;
}

/* The value's expression is compiled only once a key matched. */
static const struct spec_kv *annotation_matching(const struct hookd_annotation *a,
                                                 const struct oci_spec *spec)
{
  struct pattern key = {0}, value = {0};
  const struct spec_kv *found = NULL;
  size_t i;

  if (!spec->n_annotations)
    return NULL;
  pattern_compile(&key, a->key);
  for (i = 0; i < spec->n_annotations && !found; i++) {
    if (!pattern_matches(&key, spec->annotations[i].key))
      continue;
    if (!value.ok)
      pattern_compile(&value, a->value);
    if (pattern_matches(&value, spec->annotations[i].value))
      found = &spec->annotations[i];
  }
  pattern_free(&key);
  pattern_free(&value);
  return found;
}

/* The outcome of one condition: 1 holds, 0 does not. With `any`, the first
 * that holds decides; without, the first that does not. */
enum { UNDECIDED = -1 };

static int decide(const struct hookd_when *w, bool holds, int *matches)
{
  if (holds && w->any)
    return 1;
  if (!holds && !w->any)
    return 0;
  *matches += holds;
  return UNDECIDED;
}

static int match_flags(const struct hookd_when *w, const struct oci_spec *spec,
                       struct reason *r, int *matches)
{
  const char *bind = bind_mount(spec);
  int d;

  if (w->always.set) {
    say(r, w->always.value ? "when.always is true" : "when.always is false");
    if ((d = decide(w, w->always.value, matches)) != UNDECIDED)
      return d;
  }
  if (w->has_bind_mounts.set) {
    bool holds = w->has_bind_mounts.value && bind;
    if (holds)
      say(r, "when.hasBindMounts: %s is a bind mount", bind);
    else
      say(r, "when.hasBindMounts: %s", w->has_bind_mounts.value ? "no bind mount" : "is false");
    if ((d = decide(w, holds, matches)) != UNDECIDED)
      return d;
  }
  return UNDECIDED;
}

static int match_annotations(const struct hookd_when *w, const struct oci_spec *spec,
                             struct reason *r, int *matches)
{
  size_t i;
  int d;

  for (i = 0; i < w->n_annotations; i++) {
    const struct hookd_annotation *a = &w->annotations[i];
    const struct spec_kv *kv = annotation_matching(a, spec);

    if (kv)
      say(r, "when.annotations \"%s\": \"%s\" matched by %s=%s", a->key, a->value, kv->key,
          kv->value);
    else
      say(r, "when.annotations \"%s\": \"%s\" matched by no annotation", a->key, a->value);
    if ((d = decide(w, kv != NULL, matches)) != UNDECIDED)
      return d;
  }
  return UNDECIDED;
}

static int match_commands(const struct hookd_when *w, const struct oci_spec *spec,
                          struct reason *r)
{
  const char *arg0 = spec->process->args.items[0];
  size_t i;

  for (i = 0; i < w->n_commands; i++) {
    struct pattern p;
    bool m;

    pattern_compile(&p, w->commands[i]);
    m = pattern_matches(&p, arg0);
    pattern_free(&p);
    if (m) {
      say(r, "when.commands[%zu] \"%s\" matches process.args[0] %s", i, w->commands[i], arg0);
      return 1;
    }
  }
  say(r, "when.commands: none matches process.args[0] %s", arg0);
  return 0;
}

bool hookd_match(const struct hookd_file *f, const struct oci_spec *spec, char *why,
                 size_t size)
{
  const struct hookd_when *w = &f->when;
  struct reason r = {.buf = why, .size = size};
  int matches = 0, d;

  if (why && size)
    why[0] = '\0';
  if ((d = match_flags(w, spec, &r, &matches)) != UNDECIDED ||
      (d = match_annotations(w, spec, &r, &matches)) != UNDECIDED)
    return d == 1;
  if (spec->process && spec->process->args.len && w->n_commands)
    return match_commands(w, spec, &r) == 1;
  if (!matches && !r.len)
    say(&r, "when has no condition that applies");
  return matches > 0;
}
