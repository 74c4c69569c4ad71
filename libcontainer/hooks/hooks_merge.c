#include "libcontainer/hooks/hooks_merge.h"

#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/json.h"

void hooks_extra_add(struct hooks_extra *x, int stage, const struct spec_hook *h)
{
  x->list[stage] = xrealloc(x->list[stage], (x->n[stage] + 1) * sizeof(*x->list[stage]));
  x->list[stage][x->n[stage]++] = h;
}

size_t hooks_extra_count(const struct hooks_extra *x)
{
  size_t n = 0;

  for (int s = 0; s < HOOK_STAGE_COUNT; s++)
    n += x->n[s];
  return n;
}

void hooks_extra_free(struct hooks_extra *x)
{
  for (int s = 0; s < HOOK_STAGE_COUNT; s++)
    free(x->list[s]);
  memset(x, 0, sizeof(*x));
}

static void write_strv(json_writer *w, const char *key, const struct spec_strv *v)
{
  jw_key(w, key);
  jw_array_begin(w);
  for (size_t i = 0; i < v->len; i++)
    jw_string(w, v->items[i]);
  jw_array_end(w);
}

static void write_hook(json_writer *w, const struct spec_hook *h)
{
  jw_object_begin(w);
  jw_key(w, "path");
  jw_string(w, h->path);
  if (h->args.len)
    write_strv(w, "args", &h->args);
  if (h->has_env)
    write_strv(w, "env", &h->env);
  if (h->timeout.set) {
    jw_key(w, "timeout");
    jw_int(w, h->timeout.value);
  }
  jw_object_end(w);
}

static void write_stage(json_writer *w, const json_value *own, const struct hooks_extra *x,
                        int s)
{
  size_t i;

  jw_key(w, hook_stage_names[s]);
  jw_array_begin(w);
  for (i = 0; own && i < json_array_len(own); i++)
    jw_value(w, json_array_get(own, i));
  for (i = 0; i < x->n[s]; i++)
    write_hook(w, x->list[s][i]);
  jw_array_end(w);
}

/* The config's hooks object (spec_parse checked its shape), each stage
 * with the extra ones after its own; members hrun does not know kept. */
static void write_hooks(json_writer *w, const json_value *hooks, const struct hooks_extra *x)
{
  size_t i;
  int s;

  jw_key(w, "hooks");
  jw_object_begin(w);
  for (i = 0; hooks && i < json_object_size(hooks); i++) {
    const char *key = json_object_key(hooks, i);
    const json_value *v = json_object_value(hooks, i);

    s = spec_hook_stage(key);
    if (s >= 0 && json_type_of(v) == JSON_NULL)
      continue; /* absent: written below when something is added */
    if (s >= 0) {
      write_stage(w, v, x, s);
    } else {
      jw_key(w, key);
      jw_value(w, v);
    }
  }
  for (s = 0; s < HOOK_STAGE_COUNT; s++) {
    const json_value *own = hooks ? json_object_get(hooks, hook_stage_names[s]) : NULL;
    if ((!own || json_type_of(own) == JSON_NULL) && x->n[s])
      write_stage(w, NULL, x, s);
  }
  jw_object_end(w);
}

int hooks_merge(const char *text, size_t len, const struct hooks_extra *x, char **out,
                size_t *out_len, hrun_error *err)
{
  json_value *doc = json_parse(text, len, err);
  json_value *hooks;
  json_writer *w;
  const char *o;
  size_t i;

  if (!doc)
    return -1;
  hooks = json_object_get(doc, "hooks");
  if (hooks && json_type_of(hooks) != JSON_OBJECT)
    hooks = NULL;
  w = json_writer_new(false);
  jw_object_begin(w);
  for (i = 0; i < json_object_size(doc); i++) {
    if (strcmp(json_object_key(doc, i), "hooks") == 0)
      continue;
    jw_key(w, json_object_key(doc, i));
    jw_value(w, json_object_value(doc, i));
  }
  write_hooks(w, hooks, x);
  jw_object_end(w);
  o = jw_output(w, out_len);
  *out = xmalloc0(*out_len + 1);
  memcpy(*out, o, *out_len);
  json_writer_free(w);
  json_free(doc);
  return 0;
}
