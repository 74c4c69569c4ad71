#include "libcontainer/hooks/hrun_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/json.h"
#include "libcontainer/spec/spec_read.h"

#define HRUN_CONF_MAX (1 << 20)

static int check_members(struct spec_reader *r, const json_value *doc)
{
  static const char *const known[] = {"hooksDirs", "precreateHooks", NULL};
  size_t i, k;

  for (i = 0; i < json_object_size(doc); i++) {
    const char *key = json_object_key(doc, i);
    for (k = 0; known[k] && strcmp(known[k], key) != 0; k++)
      ;
    if (!known[k])
      return rd_error(r, JPATH_KEY(NULL, key), "unknown member");
  }
  return 0;
}

static int parse(struct hrun_conf *conf, const char *text, size_t len, hrun_error *err)
{
  struct spec_reader r = {.arena = conf->arena, .err = err};
  json_value *doc = rd_parse(&r, text, len, NULL);
  int ret = -1;

  if (!doc)
    return -1;
  if (check_members(&r, doc) == 0 &&
      rd_strv_abs(&r, doc, NULL, "hooksDirs", &conf->hooks_dirs) == 0 &&
      rd_objects(&r, doc, NULL, "precreateHooks", sizeof(struct spec_hook), spec_read_hook,
                 (void **)&conf->precreate, &conf->n_precreate) == 0)
    ret = 0;
  json_free(doc);
  return ret;
}

int hrun_conf_load(struct hrun_conf *conf, hrun_error *err)
{
  const char *env = getenv(HRUN_CONF_ENV);
  cleanup_free char *text = NULL;
  size_t len;

  memset(conf, 0, sizeof(*conf));
  conf->arena = arena_new();
  conf->path = env && env[0] ? env : HRUN_CONF_DEFAULT;
  conf->hooks_dirs.items = arena_calloc(conf->arena, 1, sizeof(char *));
  if (read_regular_file_at(AT_FDCWD, conf->path, HRUN_CONF_MAX, &text, &len, err) < 0) {
    if (err->errnum == ENOENT)
      return 0;
    return err->errnum ? err_set(err, err->errnum, "cannot read %s", conf->path) : -1;
  }
  conf->found = true;
  if (parse(conf, text, len, err) < 0)
    return err_wrap(err, "%s", conf->path);
  return 0;
}

void hrun_conf_free(struct hrun_conf *conf)
{
  if (conf->arena)
    arena_free(conf->arena);
  memset(conf, 0, sizeof(*conf));
}
