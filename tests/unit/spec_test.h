/* Helpers of the config parser's unit tests (test_spec.c,
 * test_spec_process.c). JSON in them is written with single quotes to stay
 * readable; json() turns them into double quotes before parsing. */
#ifndef HRUN_TESTS_SPEC_TEST_H
#define HRUN_TESTS_SPEC_TEST_H

#include <stdarg.h>
#include <stdint.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec.h"

#define CAP(c) (UINT64_C(1) << (c))

/* Configs in a few words: CFG(PROC("...") "," LINUX(NS("{'type':'pid'}"))). */
#define BASE "'ociVersion':'1.0.2','root':{'path':'rootfs'}"
#define CFG(members) "{" BASE "," members "}"
#define PROC(extra) "'process':{'user':{'uid':0,'gid':0},'args':['sh'],'cwd':'/'" extra "}"
#define LINUX(members) "'linux':{" members "}"
#define NS(...) "'namespaces':[" __VA_ARGS__ "]"
#define RES(members) LINUX("'resources':{" members "}")
#define SECCOMP(members) LINUX("'seccomp':{" members "}")
#define SC_ALLOW "'defaultAction':'SCMP_ACT_ALLOW'"

static inline char *json(const char *single_quoted)
{
  char *s = xstrdup(single_quoted), *p;

  for (p = s; *p; p++)
    if (*p == '\'')
      *p = '"';
  return s;
}

static inline void assert_strv(const struct spec_strv *v, size_t n, ...)
{
  va_list ap;
  size_t i;

  assert_int_equal(v->len, n);
  assert_non_null(v->items);
  va_start(ap, n);
  for (i = 0; i < n; i++)
    assert_string_equal(v->items[i], va_arg(ap, const char *));
  va_end(ap);
  assert_null(v->items[n]);
}

#endif
