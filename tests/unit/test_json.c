/* The JSON module's limits (nesting, NUL characters and bytes), its tree,
 * the bounded file reader and the state.json reader built on them. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/fsutil.h"
#include "libcontainer/util/json.h"
#include "libcontainer/state/state.h"

static void refused_n(const char *text, size_t len, const char *want)
{
  hrun_error err = {0};
  json_value *v = json_parse(text, len, &err);

  if (v) {
    json_free(v);
    fail_msg("accepted: %.*s", (int)(len > 60 ? 60 : len), text);
  }
  if (strcmp(err.msg, want) != 0)
    fail_msg("error \"%s\", expected \"%s\"", err.msg, want);
}

static void refused(const char *text, const char *want)
{
  refused_n(text, strlen(text), want);
}

/* "[[[...]]]" (or with objects: {"a":{"a":...}}) depth levels deep. */
static char *nested(size_t depth, bool objects, size_t *len)
{
  size_t open = objects ? 5 : 1, i, n = 0;
  char *s = xmalloc0(depth * (open + 1) + 8);

  for (i = 0; i < depth; i++) {
    memcpy(s + n, objects ? "{\"a\":" : "[", open);
    n += open;
  }
  if (objects)
    s[n++] = '1';
  for (i = 0; i < depth; i++)
    s[n++] = objects ? '}' : ']';
  *len = n;
  return s;
}

static void test_depth(void **state)
{
  hrun_error err;
  json_value *v, *inner;
  size_t len, i;
  char *s;

  (void)state;
  /* 1000 levels are fine, and the tree is as deep as the text. */
  s = nested(JSON_MAX_DEPTH, false, &len);
  v = json_parse(s, len, &err);
  assert_non_null(v);
  for (inner = v, i = 1; json_array_len(inner) == 1; i++)
    inner = json_array_get(inner, 0);
  assert_int_equal(i, JSON_MAX_DEPTH);
  json_free(v);
  free(s);
  s = nested(JSON_MAX_DEPTH + 1, false, &len);
  refused_n(s, len, "invalid JSON: nested deeper than 1000 arrays and objects at byte 1001");
  free(s);
  /* What crashed hrun (yajl_tree recursed per level): far deeper. */
  s = nested(400000, true, &len);
  refused_n(s, len, "invalid JSON: nested deeper than 1000 arrays and objects at byte 5001");
  free(s);
}

static void test_nul(void **state)
{
  static const char after[] = "{\"a\":1}\0{\"b\":2}";
  static const char inside[] = "{\"a\":\"x\0y\"}";

  (void)state;
  refused("{\"process\":{\"args\":[\"sh\",\"a\\u0000b\"]}}",
          "process.args[1] must not contain a NUL character (\\u0000)");
  refused("{\"hostname\":\"\\u0000\"}",
          "hostname must not contain a NUL character (\\u0000)");
  refused("\"\\u0000\"", "a string must not contain a NUL character (\\u0000)");
  refused("{\"a\":{\"b\\u0000c\":1}}", "a: a key must not contain a NUL character (\\u0000)");
  refused("{\"b\\u0000c\":1}", "a key must not contain a NUL character (\\u0000)");
  refused_n(after, sizeof(after) - 1, "invalid JSON: a NUL byte at offset 7");
  refused_n(inside, sizeof(inside) - 1, "invalid JSON: a NUL byte at offset 7");
}

static void test_errors_as_yajl(void **state)
{
  (void)state;
  refused("", "invalid JSON: parse error: premature EOF");
  refused("{", "invalid JSON: parse error: premature EOF");
  refused("{} x", "invalid JSON: parse error: trailing garbage");
  refused("[1,]", "invalid JSON: parse error: unallowed token at this point in JSON text");
  refused("\"\xff\"", "invalid JSON: lexical error: invalid bytes in UTF8 string.");
}

static void test_tree(void **state)
{
  static const char doc[] =
      "/* comments, as yajl_tree allowed */ {\"s\": \"a\\tb\\u00e9\", \"n\": -12, "
      "\"big\": 18446744073709551615, \"f\": 1.5e3, \"t\": true, \"z\": null, "
      "\"a\": [1, \"x\", [], {}], \"s\": \"last\"}";
  hrun_error err;
  json_value *v = json_parse(doc, sizeof(doc) - 1, &err);
  const json_value *a;
  uint64_t u;
  int64_t i;
  double d;
  bool b;

  (void)state;
  assert_non_null(v);
  assert_int_equal(json_type_of(v), JSON_OBJECT);
  assert_int_equal(json_object_size(v), 8);
  assert_string_equal(json_object_key(v, 0), "s");
  assert_string_equal(json_string(json_object_value(v, 0)), "a\tb\xc3\xa9");
  assert_string_equal(json_string(json_object_get(v, "s")), "last"); /* last wins */
  assert_true(json_int64(json_object_get(v, "n"), &i));
  assert_int_equal(i, -12);
  assert_true(json_uint64(json_object_get(v, "big"), &u));
  assert_true(u == UINT64_MAX);
  assert_false(json_int64(json_object_get(v, "f"), &i));
  assert_true(json_double(json_object_get(v, "f"), &d));
  assert_true(d == 1500.0);
  assert_true(json_bool(json_object_get(v, "t"), &b) && b);
  assert_int_equal(json_type_of(json_object_get(v, "z")), JSON_NULL);
  assert_null(json_object_get(v, "missing"));
  assert_int_equal(json_type_of(NULL), JSON_NULL);
  assert_null(json_string(NULL));
  a = json_object_get(v, "a");
  assert_int_equal(json_array_len(a), 4);
  assert_string_equal(json_string(json_array_get(a, 1)), "x");
  assert_int_equal(json_type_of(json_array_get(a, 2)), JSON_ARRAY);
  assert_int_equal(json_array_len(json_array_get(a, 2)), 0);
  assert_int_equal(json_object_size(json_array_get(a, 3)), 0);
  json_free(v);
  v = json_parse("7", 1, &err);
  assert_non_null(v);
  assert_true(json_int64(v, &i) && i == 7);
  json_free(v);
}

/* A big flat array: the items grow by doubling; nothing is lost. */
static void test_wide(void **state)
{
  size_t n = 100000, i, len = 0;
  char *s = xmalloc0(n * 8 + 2);
  hrun_error err;
  json_value *v;
  int64_t x;

  (void)state;
  s[len++] = '[';
  for (i = 0; i < n; i++)
    len += sprintf(s + len, "%s%zu", i ? "," : "", i);
  s[len++] = ']';
  v = json_parse(s, len, &err);
  assert_non_null(v);
  assert_int_equal(json_array_len(v), n);
  for (i = 0; i < n; i += 997) {
    assert_true(json_int64(json_array_get(v, i), &x));
    assert_int_equal(x, (int64_t)i);
  }
  json_free(v);
  free(s);
}

static char dir[] = "/tmp/hrun-test-json.XXXXXX";

static void test_regular_file(void **state)
{
  char path[128], *text = NULL;
  hrun_error err;
  size_t len;
  int fd;

  (void)state;
  snprintf(path, sizeof(path), "%s/f", dir);
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, "0123456789", 10), 10);
  close(fd);
  assert_int_equal(read_regular_file_at(AT_FDCWD, path, 10, &text, &len, &err), 0);
  assert_int_equal(len, 10);
  assert_string_equal(text, "0123456789");
  free(text);
  assert_int_equal(read_regular_file_at(AT_FDCWD, path, 9, &text, &len, &err), -1);
  assert_true(strstr(err.msg, "/f is larger than 9 bytes") != NULL);
  /* A FIFO without a writer: refused at once, not waited on. */
  snprintf(path, sizeof(path), "%s/fifo", dir);
  assert_int_equal(mkfifo(path, 0600), 0);
  assert_int_equal(read_regular_file_at(AT_FDCWD, path, 10, &text, &len, &err), -1);
  assert_true(strstr(err.msg, "/fifo is not a regular file (it is a FIFO)") != NULL);
  unlink(path);
  assert_int_equal(read_regular_file_at(AT_FDCWD, "/dev/zero", 10, &text, &len, &err), -1);
  assert_string_equal(err.msg, "/dev/zero is not a regular file (it is a character device)");
  assert_int_equal(read_regular_file_at(AT_FDCWD, dir, 10, &text, &len, &err), -1);
  assert_true(strstr(err.msg, "is not a regular file (it is a directory)") != NULL);
  assert_int_equal(read_regular_file_at(AT_FDCWD, "/nonexistent", 10, &text, &len, &err), -1);
  assert_int_equal(err.errnum, ENOENT);
  snprintf(path, sizeof(path), "%s/f", dir);
  unlink(path);
}

static void state_refused(const char *text, const char *want)
{
  struct container_state st;
  hrun_error err = {0};

  if (state_parse(text, strlen(text), &st, &err) == 0) {
    state_free(&st);
    fail_msg("accepted: %s", text);
  }
  if (strcmp(err.msg, want) != 0)
    fail_msg("error \"%s\", expected \"%s\"", err.msg, want);
}

static void test_state(void **state)
{
  static const char good[] =
      "{\"id\":\"c\",\"pid\":42,\"startTime\":7,\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"},"
      "\"cgroup\":{\"mode\":\"v2\",\"path\":\"/c\",\"dirs\":[{\"controllers\":\"\","
      "\"path\":\"/sys/fs/cgroup/c\",\"createdDepth\":1}]}}";
  struct container_state st;
  hrun_error err;

  (void)state;
  assert_int_equal(state_parse(good, sizeof(good) - 1, &st, &err), 0);
  assert_int_equal(st.pid, 42);
  assert_true(st.start_time == 7);
  assert_string_equal(st.bundle, "/b");
  assert_string_equal(st.rootfs, ""); /* absent: empty */
  assert_int_equal(st.cgroup.mode, CGROUP_MODE_V2);
  assert_int_equal(st.cgroup.n_dirs, 1);
  assert_int_equal(st.cgroup.dirs[0].created_depth, 1);
  assert_string_equal(st.annotation_values[0], "v");
  state_free(&st);
  state_refused("[]", "expected an object");
  state_refused("{\"pid\":4294967297}", "pid: expected a process id");
  state_refused("{\"pid\":-1}", "pid: expected a process id");
  state_refused("{\"pid\":\"1\"}", "pid: expected a process id");
  state_refused("{\"startTime\":-1}", "startTime: expected an unsigned integer");
  state_refused("{\"bundle\":[]}", "bundle: expected a string");
  state_refused("{\"annotations\":{\"k\":1}}", "annotations.k: expected a string");
  state_refused("{\"cgroup\":{\"mode\":\"v3\"}}", "cgroup.mode: expected \"v1\" or \"v2\"");
  state_refused("{\"cgroup\":{\"dirs\":{}}}", "cgroup.dirs: expected an array");
  state_refused("{\"cgroup\":{\"dirs\":[1]}}", "cgroup.dirs[0]: expected an object");
  state_refused("{\"cgroup\":{\"dirs\":[{\"path\":\"/sys/fs/cgroup/../x\"}]}}",
                "cgroup.dirs[0].path: expected an absolute cgroup directory deeper than "
                "createdDepth");
  state_refused("{\"cgroup\":{\"dirs\":[{\"path\":\"/a/b\",\"createdDepth\":2}]}}",
                "cgroup.dirs[0].path: expected an absolute cgroup directory deeper than "
                "createdDepth");
  state_refused("{\"cgroup\":{\"dirs\":[{\"path\":\"/a/b\",\"createdDepth\":-2}]}}",
                "cgroup.dirs[0].createdDepth: expected a non-negative 32-bit integer");
  state_refused("{\"id\":\"a\\u0000b\"}", "id must not contain a NUL character (\\u0000)");
}

static int setup(void **state)
{
  (void)state;
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  return rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_depth),          cmocka_unit_test(test_nul),
      cmocka_unit_test(test_errors_as_yajl), cmocka_unit_test(test_tree),
      cmocka_unit_test(test_wide),           cmocka_unit_test(test_regular_file),
      cmocka_unit_test(test_state),
  };

  return cmocka_run_group_tests_name("json", tests, setup, teardown);
}
