/* The process JSON of `exec --process`: spec_parse_process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/capability.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec.h"
#include "tests/unit/spec_test.h"

static void expect_process_error(const char *text, const char *expected)
{
  struct arena *arena = arena_new();
  struct spec_process *p = NULL;
  hrun_error err = {0};
  char *doc = json(text);
  int ret = spec_parse_process(doc, strlen(doc), arena, &p, &err);

  free(doc);
  arena_free(arena);
  assert_int_equal(ret, -1);
  assert_null(p);
  assert_string_equal(err.msg, expected);
}

static void test_parse_process(void **state)
{
  struct arena *arena = arena_new();
  struct spec_process *p = NULL;
  hrun_error err = {0};
  char *doc = json("{'user':{'uid':1000,'gid':100},'args':['/bin/ls','-l'],'cwd':'/tmp',"
                   "'env':['A=b'],'capabilities':{'effective':['CAP_SYS_ADMIN']}}");

  (void)state;
  if (spec_parse_process(doc, strlen(doc), arena, &p, &err) != 0)
    fail_msg("%s", err.msg);
  free(doc);
  assert_int_equal(p->user.uid, 1000);
  assert_int_equal(p->user.gid, 100);
  assert_strv(&p->args, 2, "/bin/ls", "-l");
  assert_strv(&p->env, 1, "A=b");
  assert_string_equal(p->cwd, "/tmp");
  assert_false(p->terminal);
  assert_true(p->has_capabilities);
  assert_int_equal(p->capabilities.sets[CAPSET_EFFECTIVE], CAP(CAP_SYS_ADMIN));
  assert_int_equal(p->capabilities.sets[CAPSET_BOUNDING], 0);
  assert_int_equal(p->n_rlimits, 0);
  /* exec --process without a user: 0:0, as runc reads it. */
  doc = json("{'user':null,'args':['id'],'cwd':'/'}");
  p = NULL;
  if (spec_parse_process(doc, strlen(doc), arena, &p, &err) != 0)
    fail_msg("%s", err.msg);
  free(doc);
  assert_int_equal(p->user.uid, 0);
  assert_int_equal(p->user.gid, 0);
  assert_int_equal(p->user.n_additional_gids, 0);
  arena_free(arena);
  expect_process_error("{'user':{'uid':0,'gid':0},'args':[],'cwd':'/'}",
                       "process.args must not be empty");
  expect_process_error("{'user':{'uid':0,'gid':0},'args':['sh'],'cwd':'.'}",
                       "process.cwd must be an absolute path");
  expect_process_error("{'user':{'gid':0},'args':['sh'],'cwd':'/'}",
                       "process.user.uid: is required");
  expect_process_error("[]", "process: expected an object");
  expect_process_error("{", "invalid JSON: parse error: premature EOF");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_process),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
