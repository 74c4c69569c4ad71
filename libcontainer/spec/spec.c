/* config.json: the document, its top-level members (ociVersion, root, mounts,
 * hostname, domainname, hooks, annotations) and the checks that span several
 * members. "process" and "linux" have their own files. */
#include "libcontainer/spec/spec.h"

#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/json.h"
#include "libcontainer/spec/mountopts.h"
#include "libcontainer/spec/spec_read.h"

const struct spec_namespace *spec_namespace(const struct oci_spec *spec, int type)
{
  size_t i;

  for (i = 0; i < spec->linux_cfg.n_namespaces; i++)
    if (spec->linux_cfg.namespaces[i].type == type)
      return &spec->linux_cfg.namespaces[i];
  return NULL;
}

/* ---- top-level members -------------------------------------------------- */

static int read_version(struct spec_reader *r, const json_value *doc, struct oci_spec *spec)
{
  char *v;

  if (rd_string_req(r, doc, NULL, "ociVersion", &v) < 0)
    return -1;
  /* Same major version: the spec is compatible across 1.x. */
  if (strncmp(v, "1.", 2) != 0 || v[2] < '0' || v[2] > '9')
    return rd_error(r, JPATH_KEY(NULL, "ociVersion"),
                    "unsupported version \"%s\" (expected 1.x)", v);
  spec->oci_version = v;
  return 0;
}

static int read_root(struct spec_reader *r, const json_value *doc, struct spec_root *root)
{
  const struct jpath *at = JPATH_KEY(NULL, "root");
  const json_value *obj;

  if (rd_object_req(r, doc, NULL, "root", &obj) < 0 ||
      rd_string_req(r, obj, at, "path", &root->path) < 0 ||
      rd_bool(r, obj, at, "readonly", &root->readonly) < 0)
    return -1;
  if (!root->path[0])
    return rd_must(r, JPATH_KEY(at, "path"), "not be empty");
  return 0;
}

/* runc's rules: mappings make an idmapped mount even without the option
 * (runtime-spec says the option SHOULD be there); only a bind can be
 * idmapped; mappings come in pairs. */
static int check_idmap(struct spec_reader *r, const struct jpath *at, struct spec_mount *m)
{
  if (m->n_uid_mappings || m->n_gid_mappings)
    m->idmap = true;
  if (!m->idmap)
    return 0;
  if (!m->is_bind)
    return rd_error(r, JPATH_KEY(at, m->n_uid_mappings ? "uidMappings" : "options"),
                    "an idmapped mount must be a bind mount");
  if (m->n_uid_mappings && !m->n_gid_mappings)
    return rd_error(r, JPATH_KEY(at, "gidMappings"), "is required with uidMappings");
  if (m->n_gid_mappings && !m->n_uid_mappings)
    return rd_error(r, JPATH_KEY(at, "uidMappings"), "is required with gidMappings");
  return 0;
}

static int read_mount(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                      void *item)
{
  struct spec_mount *m = item;

  if (rd_abs_path_req(r, obj, at, "destination", &m->destination) < 0 ||
      rd_string(r, obj, at, "type", &m->type) < 0 ||
      rd_string(r, obj, at, "source", &m->source) < 0 ||
      rd_strv(r, obj, at, "options", &m->options) < 0 ||
      spec_read_id_mappings(r, obj, at, "uidMappings", &m->uid_mappings,
                            &m->n_uid_mappings) < 0 ||
      spec_read_id_mappings(r, obj, at, "gidMappings", &m->gid_mappings,
                            &m->n_gid_mappings) < 0)
    return -1;
  if (mountopts_parse(r->arena, m, r->err) < 0)
    return rd_wrap(r, at);
  return check_idmap(r, at, m);
}

int spec_read_hook(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                   void *item)
{
  struct spec_hook *h = item;

  if (rd_abs_path_req(r, obj, at, "path", &h->path) < 0 ||
      rd_strv(r, obj, at, "args", &h->args) < 0 ||
      rd_strv(r, obj, at, "env", &h->env) < 0 ||
      rd_int(r, obj, at, "timeout", 64, &h->timeout) < 0)
    return -1;
  h->has_env = rd_get(obj, "env") != NULL;
  if (h->timeout.set && h->timeout.value <= 0)
    return rd_must(r, JPATH_KEY(at, "timeout"), "be greater than zero");
  return 0;
}

static int read_hooks(struct spec_reader *r, const json_value *doc, struct spec_hooks *hooks)
{
  const struct jpath *at = JPATH_KEY(NULL, "hooks");
  const json_value *obj;
  int stage;

  if (rd_object(r, doc, NULL, "hooks", &obj) < 0)
    return -1;
  for (stage = 0; stage < HOOK_STAGE_COUNT; stage++)
    if (rd_objects(r, obj, at, hook_stage_names[stage], sizeof(struct spec_hook), spec_read_hook,
                   (void **)&hooks->list[stage], &hooks->count[stage]) < 0)
      return -1;
  return 0;
}

static int read_process(struct spec_reader *r, const json_value *doc, struct oci_spec *spec)
{
  const json_value *obj;

  if (rd_object(r, doc, NULL, "process", &obj) < 0)
    return -1;
  if (!obj)
    return 0;
  spec->process = arena_alloc(r->arena, sizeof(*spec->process));
  return spec_read_process(r, obj, JPATH_KEY(NULL, "process"), spec->process);
}

static int read_linux(struct spec_reader *r, const json_value *doc, struct oci_spec *spec)
{
  const json_value *obj;

  if (rd_object(r, doc, NULL, "linux", &obj) < 0)
    return -1;
  return spec_read_linux(r, obj, JPATH_KEY(NULL, "linux"), &spec->linux_cfg);
}

static int read_document(struct spec_reader *r, const json_value *doc, struct oci_spec *spec)
{
  if (read_version(r, doc, spec) < 0 || read_root(r, doc, &spec->root) < 0 ||
      rd_objects(r, doc, NULL, "mounts", sizeof(struct spec_mount), read_mount,
                 (void **)&spec->mounts, &spec->n_mounts) < 0 ||
      read_process(r, doc, spec) < 0 ||
      rd_string(r, doc, NULL, "hostname", &spec->hostname) < 0 ||
      rd_string(r, doc, NULL, "domainname", &spec->domainname) < 0 ||
      read_hooks(r, doc, &spec->hooks) < 0 ||
      rd_string_map(r, doc, NULL, "annotations", &spec->annotations,
                    &spec->n_annotations) < 0)
    return -1;
  return read_linux(r, doc, spec);
}

/* ---- checks across members ----------------------------------------------- */

#define LINUX_PATH(key) JPATH_KEY(JPATH_KEY(NULL, "linux"), (key))

static int check_user_namespace(struct spec_reader *r, const struct oci_spec *spec)
{
  const struct spec_linux *lx = &spec->linux_cfg;
  const struct spec_namespace *ns = spec_namespace(spec, CLONE_NEWUSER);

  if (!ns && lx->n_uid_mappings)
    return rd_error(r, LINUX_PATH("uidMappings"), "requires a user namespace");
  if (!ns && lx->n_gid_mappings)
    return rd_error(r, LINUX_PATH("gidMappings"), "requires a user namespace");
  if (!ns || ns->path)
    return 0;
  if (!lx->n_uid_mappings)
    return rd_error(r, LINUX_PATH("uidMappings"), "is required with a new user namespace");
  if (!lx->n_gid_mappings)
    return rd_error(r, LINUX_PATH("gidMappings"), "is required with a new user namespace");
  return 0;
}

/* As runc: joining a uts namespace and naming it is allowed (pods do it). */
static int check_uts_namespace(struct spec_reader *r, const struct oci_spec *spec)
{
  if (spec_namespace(spec, CLONE_NEWUTS))
    return 0;
  if (spec->hostname && spec->hostname[0])
    return rd_error(r, JPATH_KEY(NULL, "hostname"), "requires a uts namespace");
  if (spec->domainname && spec->domainname[0])
    return rd_error(r, JPATH_KEY(NULL, "domainname"), "requires a uts namespace");
  return 0;
}

/* Offsets can only be written before a new time namespace has a process. */
static int check_time_namespace(struct spec_reader *r, const struct oci_spec *spec)
{
  const struct spec_namespace *ns = spec_namespace(spec, CLONE_NEWTIME);

  if (!spec->linux_cfg.time_monotonic.set && !spec->linux_cfg.time_boottime.set)
    return 0;
  if (!ns || ns->path)
    return rd_error(r, LINUX_PATH("timeOffsets"), "requires a new time namespace");
  return 0;
}

/* "idmap" alone borrows the container's user namespace (runc does). */
static int check_idmap_mounts(struct spec_reader *r, const struct oci_spec *spec)
{
  size_t i;

  for (i = 0; i < spec->n_mounts; i++) {
    const struct spec_mount *m = &spec->mounts[i];

    if (m->idmap && !m->n_uid_mappings && !spec_namespace(spec, CLONE_NEWUSER))
      return rd_error(r, JPATH_KEY(JPATH_INDEX(JPATH_KEY(NULL, "mounts"), i), "uidMappings"),
                      "an idmapped mount needs mappings of its own or a user namespace "
                      "in linux.namespaces to take them from");
  }
  return 0;
}

/* Without a mount namespace of its own the container is only chrooted
 * into its rootfs: whatever would need a mount (or a node in /dev) would
 * land in the caller's mount namespace, where runc does it and hrun never
 * does. The first such field is refused; *parent is NULL for a top-level
 * one. */
static const char *needs_mount_namespace(const struct oci_spec *spec, const char **parent)
{
  const struct spec_linux *lx = &spec->linux_cfg;

  *parent = NULL;
  if (spec->n_mounts)
    return "mounts";
  *parent = "linux";
  if (lx->masked_paths.len)
    return "maskedPaths";
  if (lx->readonly_paths.len)
    return "readonlyPaths";
  if (lx->rootfs_propagation)
    return "rootfsPropagation";
  if (lx->n_devices)
    return "devices";
  *parent = "root";
  if (spec->root.readonly)
    return "readonly";
  *parent = "process"; /* its pty is bound on /dev/console */
  return spec->process && spec->process->terminal ? "terminal" : NULL;
}

static int check_mount_namespace(struct spec_reader *r, const struct oci_spec *spec)
{
  const char *parent, *key;

  if (spec_namespace(spec, CLONE_NEWNS) || !(key = needs_mount_namespace(spec, &parent)))
    return 0;
  return rd_error(r, JPATH_KEY(parent ? JPATH_KEY(NULL, parent) : NULL, key),
                  "requires a mount namespace (linux.namespaces has no \"mount\"; "
                  "without one hrun only chroots into the rootfs)");
}

static int validate(struct spec_reader *r, const struct oci_spec *spec)
{
  if (check_user_namespace(r, spec) < 0 || check_uts_namespace(r, spec) < 0 ||
      check_time_namespace(r, spec) < 0 || check_idmap_mounts(r, spec) < 0 ||
      check_mount_namespace(r, spec) < 0)
    return -1;
  return 0;
}

/* ---- entry points ---------------------------------------------------------- */

int spec_parse(const char *text, size_t len, struct oci_spec **out, hrun_error *err)
{
  struct oci_spec *spec = xmalloc0(sizeof(*spec));
  struct spec_reader r = {.err = err};
  json_value *doc;
  int ret = -1;

  spec->arena = arena_new();
  r.arena = spec->arena;
  doc = rd_parse(&r, text, len, NULL);
  if (doc && read_document(&r, doc, spec) == 0 && validate(&r, spec) == 0)
    ret = 0;
  json_free(doc);
  if (ret < 0) {
    spec_free(spec);
    return err_kind(err, HRUN_ERR_INVALID_CONFIG);
  }
  *out = spec;
  return 0;
}

int spec_load(const char *path, struct oci_spec **out, hrun_error *err)
{
  cleanup_free char *text = NULL;
  const char *base = strrchr(path, '/');
  size_t len;

  if (read_regular_file_at(AT_FDCWD, path, JSON_MAX_SIZE, &text, &len, err) < 0)
    return err->errnum ? err_set(err, err->errnum, "cannot read %s", path) : -1;
  if (spec_parse(text, len, out, err) < 0)
    return err_wrap(err, "%s", base && base[1] ? base + 1 : path);
  return 0;
}

void spec_free(struct oci_spec *spec)
{
  if (!spec)
    return;
  arena_free(spec->arena);
  free(spec);
}
