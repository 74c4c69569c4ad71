/* config.json "process" (also the whole document of `exec --process`). */
#include "libcontainer/spec/spec.h"

#include "libcontainer/util/arena.h"
#include "libcontainer/util/json.h"
#include "libcontainer/spec/spec_names.h"
#include "libcontainer/spec/spec_read.h"

static int read_console_size(struct spec_reader *r, const json_value *obj,
                             const struct jpath *at, struct spec_process *p)
{
  const struct jpath *here = JPATH_KEY(at, "consoleSize");
  const json_value *size;

  if (rd_object(r, obj, at, "consoleSize", &size) < 0)
    return -1;
  if (!size)
    return 0;
  p->console_height.set = p->console_width.set = true;
  if (rd_uint_req(r, size, here, "height", 64, &p->console_height.value) < 0 ||
      rd_uint_req(r, size, here, "width", 64, &p->console_width.value) < 0)
    return -1;
  return 0;
}

static int read_user(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                     struct spec_user *u)
{
  const struct jpath *here = JPATH_KEY(at, "user");
  const json_value *user;

  if (r->process_user_optional) {
    if (rd_object(r, obj, at, "user", &user) < 0)
      return -1;
    if (!user) {
      *u = (struct spec_user){0};
      return 0;
    }
  } else if (rd_object_req(r, obj, at, "user", &user) < 0) {
    return -1;
  }
  if (rd_u32_req(r, user, here, "uid", &u->uid) < 0 ||
      rd_u32_req(r, user, here, "gid", &u->gid) < 0 ||
      rd_uint(r, user, here, "umask", 32, &u->umask) < 0 ||
      rd_u32_array(r, user, here, "additionalGids", &u->additional_gids,
                   &u->n_additional_gids) < 0 ||
      rd_string(r, user, here, "username", &u->username) < 0)
    return -1;
  return 0;
}

static int read_cap_set(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                        enum cap_set_kind set, struct spec_capabilities *caps)
{
  const char *key = cap_set_names[set];
  struct spec_strv names;
  size_t i;

  if (rd_strv(r, obj, at, key, &names) < 0)
    return -1;
  for (i = 0; i < names.len; i++) {
    int cap = caps_from_name(names.items[i]);

    if (cap < 0)
      return rd_error(r, JPATH_INDEX(JPATH_KEY(at, key), i), "unknown capability \"%s\"",
                      names.items[i]);
    caps->sets[set] |= UINT64_C(1) << cap;
  }
  return 0;
}

static int read_capabilities(struct spec_reader *r, const json_value *obj,
                             const struct jpath *at, struct spec_process *p)
{
  const struct jpath *here = JPATH_KEY(at, "capabilities");
  const json_value *caps;
  int set;

  if (rd_object(r, obj, at, "capabilities", &caps) < 0)
    return -1;
  p->has_capabilities = caps != NULL;
  for (set = 0; caps && set < CAPSET_COUNT; set++)
    if (read_cap_set(r, caps, here, set, &p->capabilities) < 0)
      return -1;
  return 0;
}

static int read_rlimit(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                       void *item)
{
  struct spec_rlimit *rl = item;
  char *type;

  if (rd_string_req(r, obj, at, "type", &type) < 0)
    return -1;
  rl->name = type;
  rl->resource = rlimit_from_name(type);
  if (rl->resource < 0)
    return rd_error(r, JPATH_KEY(at, "type"), "unknown rlimit \"%s\"", type);
  /* soft > hard is left to setrlimit(2), which names the problem. */
  if (rd_uint_req(r, obj, at, "soft", 64, &rl->soft) < 0 ||
      rd_uint_req(r, obj, at, "hard", 64, &rl->hard) < 0)
    return -1;
  return 0;
}

/* What runs: terminal, user, args, env, cwd. */
static int read_command(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                        struct spec_process *p)
{
  if (rd_bool(r, obj, at, "terminal", &p->terminal) < 0 ||
      read_console_size(r, obj, at, p) < 0 || read_user(r, obj, at, &p->user) < 0 ||
      rd_strv(r, obj, at, "args", &p->args) < 0)
    return -1;
  if (p->args.len == 0)
    return rd_must(r, JPATH_KEY(at, "args"), "not be empty");
  if (rd_strv(r, obj, at, "env", &p->env) < 0 ||
      rd_abs_path_req(r, obj, at, "cwd", &p->cwd) < 0)
    return -1;
  return 0;
}

/* With which privileges and limits. */
static int read_privileges(struct spec_reader *r, const json_value *obj,
                           const struct jpath *at, struct spec_process *p)
{
  if (read_capabilities(r, obj, at, p) < 0 ||
      rd_objects(r, obj, at, "rlimits", sizeof(struct spec_rlimit), read_rlimit,
                 (void **)&p->rlimits, &p->n_rlimits) < 0 ||
      rd_bool(r, obj, at, "noNewPrivileges", &p->no_new_privileges) < 0 ||
      rd_int(r, obj, at, "oomScoreAdj", 32, &p->oom_score_adj) < 0 ||
      rd_string(r, obj, at, "apparmorProfile", &p->apparmor_profile) < 0 ||
      rd_string(r, obj, at, "selinuxLabel", &p->selinux_label) < 0 ||
      spec_read_io_priority(r, obj, at, &p->io_priority) < 0 ||
      spec_read_scheduler(r, obj, at, &p->scheduler) < 0)
    return -1;
  return 0;
}

int spec_read_process(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                      struct spec_process *out)
{
  if (read_command(r, obj, at, out) < 0 || read_privileges(r, obj, at, out) < 0)
    return -1;
  return 0;
}

int spec_parse_process(const char *text, size_t len, struct arena *arena,
                       struct spec_process **out, hrun_error *err)
{
  const struct jpath *at = JPATH_KEY(NULL, "process");
  struct spec_reader r = {.arena = arena, .err = err, .process_user_optional = true};
  struct spec_process *p;
  json_value *doc;
  int ret;

  doc = rd_parse(&r, text, len, at);
  if (!doc)
    return err_kind(err, HRUN_ERR_INVALID_CONFIG);
  p = arena_alloc(arena, sizeof(*p));
  ret = spec_read_process(&r, doc, at, p);
  json_free(doc);
  if (ret < 0)
    return err_kind(err, HRUN_ERR_INVALID_CONFIG);
  *out = p;
  return 0;
}
