/* config.json "linux.seccomp". Syscall names are kept as given: whether the
 * kernel knows them is decided when the filter is built. */
#include "libcontainer/spec/spec.h"

#include "libcontainer/util/json.h"
#include "libcontainer/spec/spec_read.h"

static const struct rd_name actions[] = {
    {"SCMP_ACT_KILL", SECCOMP_ACTION_KILL},
    {"SCMP_ACT_KILL_PROCESS", SECCOMP_ACTION_KILL_PROCESS},
    {"SCMP_ACT_KILL_THREAD", SECCOMP_ACTION_KILL_THREAD},
    {"SCMP_ACT_TRAP", SECCOMP_ACTION_TRAP},
    {"SCMP_ACT_ERRNO", SECCOMP_ACTION_ERRNO},
    {"SCMP_ACT_TRACE", SECCOMP_ACTION_TRACE},
    {"SCMP_ACT_ALLOW", SECCOMP_ACTION_ALLOW},
    {"SCMP_ACT_LOG", SECCOMP_ACTION_LOG},
    {"SCMP_ACT_NOTIFY", SECCOMP_ACTION_NOTIFY},
    {NULL, 0},
};

static const struct rd_name operators[] = {
    {"SCMP_CMP_NE", SECCOMP_OP_NOT_EQUAL},
    {"SCMP_CMP_LT", SECCOMP_OP_LESS_THAN},
    {"SCMP_CMP_LE", SECCOMP_OP_LESS_EQUAL},
    {"SCMP_CMP_EQ", SECCOMP_OP_EQUAL_TO},
    {"SCMP_CMP_GE", SECCOMP_OP_GREATER_EQUAL},
    {"SCMP_CMP_GT", SECCOMP_OP_GREATER_THAN},
    {"SCMP_CMP_MASKED_EQ", SECCOMP_OP_MASKED_EQUAL},
    {NULL, 0},
};

/* Validation only: the names are stored as strings. */
static const struct rd_name architectures[] = {
    {"SCMP_ARCH_X86", 0},        {"SCMP_ARCH_X86_64", 0},      {"SCMP_ARCH_X32", 0},
    {"SCMP_ARCH_ARM", 0},        {"SCMP_ARCH_AARCH64", 0},     {"SCMP_ARCH_MIPS", 0},
    {"SCMP_ARCH_MIPS64", 0},     {"SCMP_ARCH_MIPS64N32", 0},   {"SCMP_ARCH_MIPSEL", 0},
    {"SCMP_ARCH_MIPSEL64", 0},   {"SCMP_ARCH_MIPSEL64N32", 0}, {"SCMP_ARCH_PPC", 0},
    {"SCMP_ARCH_PPC64", 0},      {"SCMP_ARCH_PPC64LE", 0},     {"SCMP_ARCH_S390", 0},
    {"SCMP_ARCH_S390X", 0},      {"SCMP_ARCH_PARISC", 0},      {"SCMP_ARCH_PARISC64", 0},
    {"SCMP_ARCH_RISCV64", 0},    {"SCMP_ARCH_LOONGARCH64", 0}, {"SCMP_ARCH_M68K", 0},
    {"SCMP_ARCH_SH", 0},         {"SCMP_ARCH_SHEB", 0},        {NULL, 0},
};

static const struct rd_name filter_flags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", 0},
    {"SECCOMP_FILTER_FLAG_LOG", 0},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", 0},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 0},
    {NULL, 0},
};

#define MAX_ARG_INDEX 5 /* a syscall has six arguments */

/* errnoRet/defaultErrnoRet: only the actions that return an errno take one. */
static int read_errno_ret(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                          const char *key, long action, opt_u64 *out)
{
  if (rd_uint(r, obj, at, key, 32, out) < 0)
    return -1;
  if (out->set && action != SECCOMP_ACTION_ERRNO && action != SECCOMP_ACTION_TRACE)
    return rd_error(r, JPATH_KEY(at, key), "only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE");
  return 0;
}

static int read_arg(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                    void *item)
{
  struct spec_seccomp_arg *a = item;
  uint64_t index;
  opt_u64 value_two;
  long op;

  if (rd_uint_req(r, obj, at, "index", 64, &index) < 0)
    return -1;
  if (index > MAX_ARG_INDEX)
    return rd_must(r, JPATH_KEY(at, "index"), "be between 0 and %d", MAX_ARG_INDEX);
  if (rd_uint_req(r, obj, at, "value", 64, &a->value) < 0 ||
      rd_uint(r, obj, at, "valueTwo", 64, &value_two) < 0 ||
      rd_enum_req(r, obj, at, "op", operators, "operator", &op) < 0)
    return -1;
  a->index = (uint32_t)index;
  a->value_two = value_two.value;
  a->op = (enum seccomp_op_kind)op;
  return 0;
}

static int read_syscall(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                        void *item)
{
  struct spec_seccomp_syscall *s = item;
  long action;

  if (rd_strv(r, obj, at, "names", &s->names) < 0)
    return -1;
  if (s->names.len == 0)
    return rd_must(r, JPATH_KEY(at, "names"), "not be empty");
  if (rd_enum_req(r, obj, at, "action", actions, "action", &action) < 0 ||
      read_errno_ret(r, obj, at, "errnoRet", action, &s->errno_ret) < 0 ||
      rd_objects(r, obj, at, "args", sizeof(struct spec_seccomp_arg), read_arg,
                 (void **)&s->args, &s->n_args) < 0)
    return -1;
  s->action = (enum seccomp_action_kind)action;
  return 0;
}

/* SCMP_ACT_NOTIFY hands the listener fd to the agent at listenerPath. */
static int check_listener(struct spec_reader *r, const struct jpath *at,
                          const struct spec_seccomp *sc)
{
  static const char notify_msg[] = "SCMP_ACT_NOTIFY requires linux.seccomp.listenerPath";
  const struct jpath *syscalls = JPATH_KEY(at, "syscalls");
  size_t i;

  /* "" is no path, as in runc. */
  if (sc->listener_path && sc->listener_path[0])
    return 0;
  if (sc->listener_metadata)
    return rd_error(r, JPATH_KEY(at, "listenerMetadata"),
                    "requires linux.seccomp.listenerPath");
  if (sc->default_action == SECCOMP_ACTION_NOTIFY)
    return rd_error(r, JPATH_KEY(at, "defaultAction"), "%s", notify_msg);
  for (i = 0; i < sc->n_syscalls; i++)
    if (sc->syscalls[i].action == SECCOMP_ACTION_NOTIFY)
      return rd_error(r, JPATH_KEY(JPATH_INDEX(syscalls, i), "action"), "%s", notify_msg);
  return 0;
}

int spec_read_seccomp(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                      struct spec_seccomp *sc)
{
  long action;

  if (rd_enum_req(r, obj, at, "defaultAction", actions, "action", &action) < 0 ||
      read_errno_ret(r, obj, at, "defaultErrnoRet", action, &sc->default_errno_ret) < 0 ||
      rd_strv_enum(r, obj, at, "architectures", architectures, "architecture",
                   &sc->architectures) < 0 ||
      rd_strv_enum(r, obj, at, "flags", filter_flags, "flag", &sc->flags) < 0 ||
      rd_string(r, obj, at, "listenerPath", &sc->listener_path) < 0 ||
      rd_string(r, obj, at, "listenerMetadata", &sc->listener_metadata) < 0 ||
      rd_objects(r, obj, at, "syscalls", sizeof(struct spec_seccomp_syscall), read_syscall,
                 (void **)&sc->syscalls, &sc->n_syscalls) < 0)
    return -1;
  sc->default_action = (enum seccomp_action_kind)action;
  return check_listener(r, at, sc);
}
