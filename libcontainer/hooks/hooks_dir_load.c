/* The hook directories: which *.json files are in effect (a later directory
 * masks an earlier one's file of the same name), in the order of their
 * names, each parsed once. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/hooks/hooks_dir.h"

/* A hook file is at most this large (they are a few hundred bytes). */
#define HOOKD_FILE_MAX (1 << 20)

void hookd_set_init(struct hookd_set *set)
{
  memset(set, 0, sizeof(*set));
  set->arena = arena_new();
}

void hookd_set_free(struct hookd_set *set)
{
  free(set->files);
  free(set->masked);
  if (set->arena)
    arena_free(set->arena);
  memset(set, 0, sizeof(*set));
}

/* The files in effect so far, by name. */
struct entries {
  struct hookd_file *list;
  size_t n, cap;
};

static struct hookd_file *entry_named(struct entries *e, const char *name)
{
  size_t i;

  for (i = 0; i < e->n; i++)
    if (strcmp(e->list[i].name, name) == 0)
      return &e->list[i];
  return NULL;
}

static bool is_hook_file(const char *name)
{
  size_t n = strlen(name);

  return n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static void add_masked(struct hookd_set *set, const struct hookd_file *old, const char *by)
{
  struct hookd_file *m;

  set->masked = xrealloc(set->masked, (set->n_masked + 1) * sizeof(*set->masked));
  m = &set->masked[set->n_masked++];
  memset(m, 0, sizeof(*m));
  m->name = old->name;
  m->path = old->path;
  m->masked_by = arena_strdup(set->arena, by);
}

static void add_entry(struct hookd_set *set, struct entries *e, const char *dir,
                      const char *name)
{
  char *path = arena_sprintf(set->arena, "%s/%s", dir, name);
  struct hookd_file *f = entry_named(e, name);

  if (f) {
    add_masked(set, f, path);
  } else {
    if (e->n == e->cap) {
      e->cap = e->cap ? 2 * e->cap : 16;
      e->list = xrealloc(e->list, e->cap * sizeof(*e->list));
    }
    f = &e->list[e->n++];
  }
  memset(f, 0, sizeof(*f));
  f->name = arena_strdup(set->arena, name);
  f->path = path;
}

static int scan_dir(struct hookd_set *set, struct entries *e, const char *dir,
                    hrun_error *err)
{
  cleanup_closedir DIR *d = opendir(dir);
  struct dirent *de;

  if (!d) {
    if (errno == ENOENT)
      return 0; /* as pkg/hooks: a directory that is not there has no hooks */
    return err_set(err, errno, "hooks directory %s", dir);
  }
  while ((de = readdir(d)))
    if (is_hook_file(de->d_name))
      add_entry(set, e, dir, de->d_name);
  return 0;
}

/* pkg/hooks sorts the lower-cased names; equal ones by their bytes, so that
 * the order never depends on the directory's. */
static int by_name(const void *a, const void *b)
{
  const struct hookd_file *x = a, *y = b;
  int r = strcasecmp(x->name, y->name);

  return r ? r : strcmp(x->name, y->name);
}

static int parse_file(struct hookd_set *set, struct hookd_file *f, hrun_error *err)
{
  cleanup_free char *text = NULL;
  size_t len;

  if (read_regular_file_at(AT_FDCWD, f->path, HOOKD_FILE_MAX, &text, &len, err) < 0)
    return err->errnum ? err_set(err, err->errnum, "cannot read %s", f->path) : -1;
  if (hookd_parse(set, text, len, f, err) < 0)
    return err_wrap(err, "%s", f->path);
  return 0;
}

int hookd_load(struct hookd_set *set, char *const *dirs, size_t n_dirs, hrun_error *err)
{
  struct entries e = {0};
  size_t i;

  for (i = 0; i < n_dirs; i++)
    if (scan_dir(set, &e, dirs[i], err) < 0)
      goto fail;
  if (e.n)
    qsort(e.list, e.n, sizeof(*e.list), by_name);
  for (i = 0; i < e.n; i++)
    if (parse_file(set, &e.list[i], err) < 0)
      goto fail;
  set->files = e.list;
  set->n = e.n;
  return 0;
fail:
  free(e.list);
  return -1;
}
