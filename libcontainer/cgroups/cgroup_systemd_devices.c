/* linux.resources.devices as systemd's DevicePolicy= and DeviceAllow=, as
 * runc derives them: the rules applied in order to an allow list, which
 * systemd can hold when the list starts from "deny all" (strict, plus what
 * is allowed) or ends as "allow all" (auto). A deny that removes only part
 * of what an earlier rule allowed has no DeviceAllow= form: then no device
 * property is set, and the eBPF program hrun attaches to the scope's
 * cgroup stays the only filter (it applies the rules exactly either way). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/cgroups/cgroup_systemd.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/spec/spec.h"

struct allow_list {
  struct sd_device_allow *v;
  struct spec_device_rule *rule; /* the rule each entry came from */
  size_t n;
  bool default_allow;
  bool inexpressible;
};

/* The name /proc/devices gives a major number of that type ('c' or 'b'),
 * for systemd's "char-NAME" and "block-NAME" (a whole major). */
static char *major_name(char type, int64_t major)
{
  cleanup_fclose FILE *f = fopen("/proc/devices", "re");
  const char *section = type == 'b' ? "Block devices:" : "Character devices:";
  char line[256], name[200];
  bool in = false;
  long m;

  while (f && fgets(line, sizeof(line), f)) {
    if (strchr(line, ':')) {
      in = strncmp(line, section, strlen(section)) == 0;
      continue;
    }
    if (in && sscanf(line, " %ld %199s", &m, name) == 2 && m == major)
      return xstrdup(name);
  }
  return NULL;
}

static char *entry_path(char type, const struct spec_device_rule *r)
{
  const char *kind = type == 'b' ? "block" : "char";
  cleanup_free char *name = NULL;

  if (r->major < 0)
    return xasprintf("%s-*", kind);
  if (r->minor >= 0)
    return xasprintf("/dev/%s/%lld:%lld", kind, (long long)r->major, (long long)r->minor);
  name = major_name(type, r->major);
  return name ? xasprintf("%s-%s", kind, name) : NULL;
}

static void append(struct allow_list *l, const struct spec_device_rule *r, char type)
{
  char *path = entry_path(type, r);
  struct sd_device_allow *e;

  if (!path) {
    l->inexpressible = true; /* a major that /proc/devices does not name */
    return;
  }
  l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
  l->rule = xrealloc(l->rule, (l->n + 1) * sizeof(*l->rule));
  e = &l->v[l->n];
  e->path = path;
  snprintf(e->access, sizeof(e->access), "%s", r->access[0] ? r->access : "rwm");
  l->rule[l->n++] = *r;
}

static bool overlaps(const struct spec_device_rule *a, const struct spec_device_rule *b)
{
  bool type = a->type == 'a' || b->type == 'a' || a->type == b->type;
  bool major = a->major < 0 || b->major < 0 || a->major == b->major;
  bool minor = a->minor < 0 || b->minor < 0 || a->minor == b->minor;
  bool access = !a->access[0] || !b->access[0] || strpbrk(a->access, b->access);

  return type && major && minor && access;
}

static bool same(const struct spec_device_rule *a, const struct spec_device_rule *b)
{
  return a->type == b->type && a->major == b->major && a->minor == b->minor &&
         strcmp(a->access[0] ? a->access : "rwm", b->access[0] ? b->access : "rwm") == 0;
}

static void clear(struct allow_list *l)
{
  for (size_t i = 0; i < l->n; i++)
    free(l->v[i].path);
  l->n = 0;
}

/* A deny under "deny all" takes back entries it matches exactly; one that
 * takes back part of an entry cannot be written down. */
static void deny(struct allow_list *l, const struct spec_device_rule *r)
{
  size_t j = 0;

  if (l->default_allow) {
    l->inexpressible = true;
    return;
  }
  for (size_t i = 0; i < l->n; i++) {
    if (same(&l->rule[i], r)) {
      free(l->v[i].path);
      continue;
    }
    if (overlaps(&l->rule[i], r))
      l->inexpressible = true;
    l->v[j] = l->v[i];
    l->rule[j++] = l->rule[i];
  }
  l->n = j;
}

static void apply(struct allow_list *l, const struct spec_device_rule *r)
{
  bool all_access = !r->access[0] || (strchr(r->access, 'r') && strchr(r->access, 'w') &&
                                      strchr(r->access, 'm'));

  if (r->type == 'a' && r->major < 0 && r->minor < 0 && all_access) {
    clear(l);
    l->default_allow = r->allow;
    return;
  }
  if (!r->allow) {
    deny(l, r);
    return;
  }
  if (l->default_allow)
    return;
  if (r->type == 'a' || r->type == 'c')
    append(l, r, 'c');
  if (r->type == 'a' || r->type == 'b')
    append(l, r, 'b');
}

void sd_devices_props(const struct spec_resources *r, struct sd_props *p)
{
  struct allow_list l = {0};
  struct sd_prop *e;

  if (!r || r->n_devices == 0)
    return;
  for (size_t i = 0; i < r->n_devices && !l.inexpressible; i++)
    apply(&l, &r->devices[i]);
  if (l.inexpressible) {
    clear(&l);
    free(l.v);
    free(l.rule);
    return;
  }
  sd_props_add(p, "DevicePolicy", SD_PROP_STRING)->str =
      xstrdup(l.default_allow ? "auto" : "strict");
  /* An empty list resets what the unit allowed before (update). */
  e = sd_props_add(p, "DeviceAllow", SD_PROP_DEVICES);
  e->devices = l.v;
  e->n = l.n;
  free(l.rule);
}
