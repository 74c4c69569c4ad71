/* The names config.json spells things by: hook stages, capability sets,
 * namespace types, capabilities and rlimits. Kept apart from the code that
 * applies them, so that parsing does not depend on the layers that act. */
#include "libcontainer/spec/spec_names.h"

#include <sched.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "libcontainer/spec/spec.h"
#include "libcontainer/spec/spec_read.h"

const char *const hook_stage_names[HOOK_STAGE_COUNT] = {
    [HOOK_PRESTART] = "prestart",
    [HOOK_CREATE_RUNTIME] = "createRuntime",
    [HOOK_CREATE_CONTAINER] = "createContainer",
    [HOOK_START_CONTAINER] = "startContainer",
    [HOOK_POSTSTART] = "poststart",
    [HOOK_POSTSTOP] = "poststop",
};

int spec_hook_stage(const char *name)
{
  for (int s = 0; s < HOOK_STAGE_COUNT; s++)
    if (strcmp(hook_stage_names[s], name) == 0)
      return s;
  return -1;
}

const char *const cap_set_names[CAPSET_COUNT] = {
    [CAPSET_BOUNDING] = "bounding",       [CAPSET_EFFECTIVE] = "effective",
    [CAPSET_INHERITABLE] = "inheritable", [CAPSET_PERMITTED] = "permitted",
    [CAPSET_AMBIENT] = "ambient",
};

const struct rd_name spec_namespace_names[] = {
    {"pid", CLONE_NEWPID},       {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
    {"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},     {"user", CLONE_NEWUSER},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},   {NULL, 0},
};

int spec_namespace_type(const char *name)
{
  long type;

  return rd_lookup(spec_namespace_names, name, &type) ? (int)type : -1;
}

const char *spec_namespace_name(int type)
{
  const struct rd_name *n;

  for (n = spec_namespace_names; n->name; n++)
    if (n->value == type)
      return n->name;
  return NULL;
}

int caps_from_name(const char *name)
{
  cap_value_t v;

  if (strncmp(name, "CAP_", 4) != 0 || name[4] == '\0')
    return -1;
  for (const char *p = name + 4; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return -1;
  if (cap_from_name(name, &v) < 0 || v < 0 || v > 63)
    return -1;
  return (int)v;
}

static const struct {
  const char *name;
  int resource;
} rlimit_names[] = {
    {"RLIMIT_AS", RLIMIT_AS},           {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},         {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},     {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},     {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

int rlimit_from_name(const char *name)
{
  size_t i;

  for (i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
    if (strcmp(rlimit_names[i].name, name) == 0)
      return rlimit_names[i].resource;
  return -1;
}
