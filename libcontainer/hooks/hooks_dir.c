/* One oci-hooks(5) file: the 1.0.0 format and the legacy 0.1.0 one (no
 * "version", or "0.1.0"), both into a struct hookd_file. */
#include "libcontainer/hooks/hooks_dir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/hooks/ere_check.h"
#include "libcontainer/util/json.h"
#include "libcontainer/spec/spec_read.h"

const char *hookd_stage_name(int stage)
{
  return stage == HOOKD_PRECREATE ? "precreate" : hook_stage_names[stage];
}

int hookd_target_stage(int s)
{
  return s == HOOK_PRESTART ? HOOK_CREATE_RUNTIME : s;
}

/* POSIX extended expressions (regcomp REG_EXTENDED), unanchored as
 * pkg/hooks' Go expressions are: checked here, compiled where a match
 * needs them. */
static int bad_pattern(const char *pattern, const char *field, const char *msg,
                       hrun_error *err)
{
  char quoted[128];

  return err_set(err, 0, "%s: invalid regular expression \"%s\": %s", field,
                 err_quote(pattern, quoted, sizeof(quoted)), msg);
}

static int check_commands(const struct hookd_when *w, const char *field, hrun_error *err)
{
  char name[64], msg[256];
  size_t i;

  for (i = 0; i < w->n_commands; i++) {
    if (ere_check(w->commands[i], msg, sizeof(msg)) < 0) {
      snprintf(name, sizeof(name), "%s[%zu]", field, i);
      return bad_pattern(w->commands[i], name, msg, err);
    }
  }
  return 0;
}

static int check_annotations(const struct hookd_when *w, const char *field, hrun_error *err)
{
  char name[128], quoted[64], msg[256];
  size_t i;

  for (i = 0; i < w->n_annotations; i++) {
    const struct hookd_annotation *a = &w->annotations[i];

    if (ere_check(a->key, msg, sizeof(msg)) < 0) {
      snprintf(name, sizeof(name), "%s: key \"%s\"", field,
               err_quote(a->key, quoted, sizeof(quoted)));
      return bad_pattern(a->key, name, msg, err);
    }
    if (ere_check(a->value, msg, sizeof(msg)) < 0) {
      snprintf(name, sizeof(name), "%s.%s", field, err_quote(a->key, quoted, sizeof(quoted)));
      return bad_pattern(a->value, name, msg, err);
    }
  }
  return 0;
}

static int read_stage_list(struct spec_reader *r, const struct spec_strv *names,
                           const char *field, struct hookd_file *out)
{
  size_t i;
  int s;

  for (i = 0; i < names->len; i++) {
    s = spec_hook_stage(names->items[i]);
    if (s < 0 && strcmp(names->items[i], hookd_stage_name(HOOKD_PRECREATE)) == 0)
      s = HOOKD_PRECREATE;
    if (s < 0)
      return rd_error(r, JPATH_INDEX(JPATH_KEY(NULL, field), i), "unknown stage \"%s\"",
                      names->items[i]);
    out->stages |= 1u << s;
  }
  return 0;
}

/* A required array of stage names; 0.1.0 also spells it "stage". */
static int read_stages(struct spec_reader *r, const json_value *doc, const char *alias,
                       struct hookd_file *out)
{
  const char *field = "stages";
  struct spec_strv names;

  if (alias && rd_get(doc, alias)) {
    if (rd_get(doc, "stages"))
      return rd_error(r, NULL, "\"stages\" and \"%s\" must not both be set", alias);
    field = alias;
  }
  if (!rd_get(doc, field))
    return rd_required(r, JPATH_KEY(NULL, "stages"));
  if (rd_strv(r, doc, NULL, field, &names) < 0)
    return -1;
  return read_stage_list(r, &names, field, out);
}

static int read_annotation_map(struct spec_reader *r, const json_value *when,
                               struct hookd_when *w)
{
  const struct jpath *at = JPATH_KEY(NULL, "when");
  struct spec_kv *kv;
  size_t i, n;

  if (rd_string_map(r, when, at, "annotations", &kv, &n) < 0)
    return -1;
  w->annotations = arena_calloc(r->arena, n + 1, sizeof(*w->annotations));
  for (i = 0; i < n; i++) {
    w->annotations[i].key = kv[i].key;
    w->annotations[i].value = kv[i].value;
  }
  w->n_annotations = n;
  return 0;
}

static int read_when(struct spec_reader *r, const json_value *doc, struct hookd_when *w)
{
  const struct jpath *at = JPATH_KEY(NULL, "when");
  const json_value *when;
  struct spec_strv cmds;

  if (rd_object_req(r, doc, NULL, "when", &when) < 0 ||
      rd_opt_bool(r, when, at, "always", &w->always) < 0 ||
      rd_opt_bool(r, when, at, "hasBindMounts", &w->has_bind_mounts) < 0 ||
      read_annotation_map(r, when, w) < 0 || rd_strv(r, when, at, "commands", &cmds) < 0)
    return -1;
  w->commands = (const char **)cmds.items;
  w->n_commands = cmds.len;
  if (check_annotations(w, "when.annotations", r->err) < 0)
    return -1;
  return check_commands(w, "when.commands", r->err);
}

static int check_hook_path(struct spec_reader *r, const char *field, const char *path)
{
  if (access(path, F_OK) < 0)
    return err_set(r->err, errno, "%s: %s", field, path);
  return 0;
}

static int read_v1(struct spec_reader *r, const json_value *doc, struct hookd_file *out)
{
  const json_value *hook;

  out->version = "1.0.0";
  if (rd_object_req(r, doc, NULL, "hook", &hook) < 0 ||
      spec_read_hook(r, hook, JPATH_KEY(NULL, "hook"), &out->hook) < 0 ||
      read_when(r, doc, &out->when) < 0 || read_stages(r, doc, NULL, out) < 0)
    return -1;
  return check_hook_path(r, "hook.path", out->hook.path);
}

/* 0.1.0 spells some members two ways ("cmds" or "cmd"); at most one. */
static int legacy_strv(struct spec_reader *r, const json_value *doc, const char *key,
                       const char *alias, struct spec_strv *out)
{
  if (rd_get(doc, key) && rd_get(doc, alias))
    return rd_error(r, NULL, "\"%s\" and \"%s\" must not both be set", key, alias);
  return rd_strv(r, doc, NULL, rd_get(doc, alias) ? alias : key, out);
}

/* pkg/hooks turns a 0.1.0 annotation list into one condition: any
 * annotation whose value matches any of the expressions. */
static void legacy_annotations(struct spec_reader *r, const struct spec_strv *list,
                               struct hookd_when *w)
{
  size_t i, len = 1;
  char *joined;

  if (!list->len)
    return;
  for (i = 0; i < list->len; i++)
    len += strlen(list->items[i]) + 1;
  joined = arena_calloc(r->arena, len, 1);
  for (i = 0; i < list->len; i++) {
    if (i)
      strcat(joined, "|");
    strcat(joined, list->items[i]);
  }
  w->annotations = arena_calloc(r->arena, 1, sizeof(*w->annotations));
  w->annotations[0].key = ".*";
  w->annotations[0].value = joined;
  w->n_annotations = 1;
}

static void legacy_args(struct spec_reader *r, const struct spec_strv *arguments,
                        struct spec_hook *h)
{
  h->args.items = arena_calloc(r->arena, arguments->len + 2, sizeof(char *));
  h->args.items[0] = h->path;
  memcpy(h->args.items + 1, arguments->items, arguments->len * sizeof(char *));
  h->args.len = arguments->len + 1;
}

static int read_v0(struct spec_reader *r, const json_value *doc, struct hookd_file *out)
{
  struct spec_strv arguments, annotations, cmds;

  out->version = "0.1.0";
  out->when.any = true;
  if (rd_abs_path_req(r, doc, NULL, "hook", &out->hook.path) < 0 ||
      rd_strv(r, doc, NULL, "arguments", &arguments) < 0 ||
      read_stages(r, doc, "stage", out) < 0 ||
      legacy_strv(r, doc, "cmds", "cmd", &cmds) < 0 ||
      legacy_strv(r, doc, "annotations", "annotation", &annotations) < 0 ||
      rd_opt_bool(r, doc, NULL, "hasbindmounts", &out->when.has_bind_mounts) < 0)
    return -1;
  if (rd_get(doc, "arguments"))
    legacy_args(r, &arguments, &out->hook);
  out->when.commands = (const char **)cmds.items;
  out->when.n_commands = cmds.len;
  legacy_annotations(r, &annotations, &out->when);
  if (check_annotations(&out->when, "annotations", r->err) < 0 ||
      check_commands(&out->when, rd_get(doc, "cmd") ? "cmd" : "cmds", r->err) < 0)
    return -1;
  return check_hook_path(r, "hook", out->hook.path);
}

int hookd_parse(struct hookd_set *set, const char *text, size_t len, struct hookd_file *out,
                hrun_error *err)
{
  struct spec_reader r = {.arena = set->arena, .err = err};
  json_value *doc = rd_parse(&r, text, len, NULL);
  char *version = NULL, quoted[64];
  int ret = -1;

  if (!doc)
    return -1;
  if (rd_string(&r, doc, NULL, "version", &version) < 0)
    goto out;
  if (version && strcmp(version, "1.0.0") == 0)
    ret = read_v1(&r, doc, out);
  else if (!version || strcmp(version, "0.1.0") == 0)
    ret = read_v0(&r, doc, out);
  else
    err_set(err, 0, "version: unsupported \"%s\" (1.0.0 or 0.1.0)",
            err_quote(version, quoted, sizeof(quoted)));
out:
  json_free(doc);
  return ret;
}
