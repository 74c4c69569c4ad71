#include "libcontainer/hooks/hook_spec.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/json.h"
#include "libcontainer/spec/spec_read.h"

/* The binary as iSulad wants it: a file root owns and alone may change,
 * that can be executed. stat follows a symlink: what runs is checked. */
static int check_binary(struct spec_reader *r, const struct jpath *at, const char *path)
{
  struct stat st;

  if (stat(path, &st) < 0)
    return err_set(r->err, errno, "%s", path), rd_wrap(r, at);
  if (!S_ISREG(st.st_mode))
    return rd_error(r, at, "%s is not a regular file", path);
  if (!(st.st_mode & 0111))
    return rd_error(r, at, "%s is not executable", path);
  if (st.st_uid != 0)
    return rd_error(r, at, "%s is owned by uid %u, not root", path, (unsigned)st.st_uid);
  if (st.st_mode & 022)
    return rd_error(r, at, "%s is writable by its group or others (mode %04o)", path,
                    (unsigned)(st.st_mode & 07777));
  return 0;
}

static int check_stage(struct spec_reader *r, const json_value *doc, int s,
                       struct spec_hooks *out)
{
  const char *name = hook_stage_names[s];
  const struct jpath *at = JPATH_KEY(NULL, name);
  size_t i;

  if (rd_objects(r, doc, NULL, name, sizeof(struct spec_hook), spec_read_hook,
                 (void **)&out->list[s], &out->count[s]) < 0)
    return -1;
  for (i = 0; i < out->count[s]; i++)
    if (check_binary(r, JPATH_KEY(JPATH_INDEX(at, i), "path"), out->list[s][i].path) < 0)
      return -1;
  return 0;
}

static int read_spec(struct spec_reader *r, const char *text, size_t len,
                     struct spec_hooks *out)
{
  json_value *doc = rd_parse(r, text, len, NULL);
  size_t i;
  int s, ret = -1;

  if (!doc)
    return -1;
  for (i = 0; i < json_object_size(doc); i++)
    if (spec_hook_stage(json_object_key(doc, i)) < 0) {
      rd_error(r, JPATH_KEY(NULL, json_object_key(doc, i)), "unknown hook stage");
      goto out;
    }
  for (s = 0; s < HOOK_STAGE_COUNT; s++)
    if (check_stage(r, doc, s, out) < 0)
      goto out;
  ret = 0;
out:
  json_free(doc);
  return ret;
}

int hook_spec_load(const char *path, struct arena *arena, struct spec_hooks *out,
                   hrun_error *err)
{
  struct spec_reader r = {.arena = arena, .err = err};
  cleanup_free char *text = NULL;
  size_t len;

  memset(out, 0, sizeof(*out));
  if (path[0] != '/')
    return err_set(err, 0, "--hook-spec %s: must be an absolute path", path);
  if (read_regular_file_at(AT_FDCWD, path, HOOK_SPEC_MAX, &text, &len, err) < 0)
    return err->errnum ? err_set(err, err->errnum, "--hook-spec %s", path)
                       : err_wrap(err, "--hook-spec");
  if (read_spec(&r, text, len, out) < 0)
    return err_wrap(err, "--hook-spec %s", path);
  return 0;
}
