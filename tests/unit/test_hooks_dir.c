/* oci-hooks(5) files: parsing (1.0.0 and 0.1.0, the errors naming the
 * field), the `when` rules of pkg/hooks, directory masking and order, and
 * the merge of added hooks into the config's JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <regex.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/hooks/ere_check.h"
#include "libcontainer/hooks/hooks_dir.h"
#include "libcontainer/hooks/hooks_merge.h"
#include "libcontainer/util/json.h"

#define CONFIG_HEAD "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"

static struct oci_spec *config(const char *rest)
{
  char *text = rest[0] ? xasprintf(CONFIG_HEAD "%s}", rest) : xasprintf(CONFIG_HEAD "\"x\":0}");
  struct oci_spec *spec = NULL;
  hrun_error err;

  if (spec_parse(text, strlen(text), &spec, &err) < 0)
    fail_msg("config: %s", err.msg);
  free(text);
  return spec;
}

/* Parses text into f within set; returns the result, err filled. */
static int parse(struct hookd_set *set, const char *text, struct hookd_file *f,
                 hrun_error *err)
{
  memset(f, 0, sizeof(*f));
  return hookd_parse(set, text, strlen(text), f, err);
}

static void expect_error(const char *text, const char *msg)
{
  struct hookd_set set;
  struct hookd_file f;
  hrun_error err;

  hookd_set_init(&set);
  assert_int_equal(parse(&set, text, &f, &err), -1);
  if (!strstr(err.msg, msg))
    fail_msg("expected \"%s\" in \"%s\"", msg, err.msg);
  hookd_set_free(&set);
}

static bool matches(const char *file, const char *cfg)
{
  struct oci_spec *spec = config(cfg);
  struct hookd_set set;
  struct hookd_file f;
  hrun_error err;
  bool m;

  hookd_set_init(&set);
  if (parse(&set, file, &f, &err) < 0)
    fail_msg("parse: %s", err.msg);
  m = hookd_match(&f, spec, NULL, 0);
  hookd_set_free(&set);
  spec_free(spec);
  return m;
}

#define V1(when, stages)                                                                  \
  "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"when\":" when ",\"stages\":" \
  stages "}"

static void test_v1_parsed(void **state)
{
  struct hookd_set set;
  struct hookd_file f;
  hrun_error err;

  (void)state;
  hookd_set_init(&set);
  assert_int_equal(parse(&set,
                         "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\",\"args\":"
                         "[\"t\",\"x\"],\"timeout\":5},\"when\":{\"always\":true},"
                         "\"stages\":[\"prestart\",\"precreate\",\"poststop\"]}",
                         &f, &err),
                   0);
  assert_string_equal(f.version, "1.0.0");
  assert_string_equal(f.hook.path, "/bin/true");
  assert_int_equal(f.hook.args.len, 2);
  assert_int_equal(f.hook.timeout.value, 5);
  assert_int_equal(f.stages, (1u << HOOK_PRESTART) | (1u << HOOKD_PRECREATE) |
                                 (1u << HOOK_POSTSTOP));
  assert_int_equal(hookd_target_stage(HOOK_PRESTART), HOOK_CREATE_RUNTIME);
  hookd_set_free(&set);
}

static void test_errors_name_the_field(void **state)
{
  (void)state;
  expect_error("{\"version\":\"1.0.0\",\"hook\":{},\"when\":{\"always\":true},\"stages\":[]}",
               "hook.path: is required");
  expect_error(V1("{\"always\":true}", "[\"prestart\",\"prestop\"]"),
               "stages[1]: unknown stage \"prestop\"");
  expect_error(V1("{\"commands\":[\"a\",\"(\"]}", "[\"prestart\"]"),
               "when.commands[1]: invalid regular expression \"(\"");
  expect_error(V1("{\"annotations\":{\"k\":\"[\"}}", "[\"prestart\"]"),
               "when.annotations.k: invalid regular expression \"[\"");
  expect_error("{\"version\":\"2.0.0\"}", "version: unsupported \"2.0.0\"");
  expect_error(V1("{\"always\":true}", "\"prestart\""), "stages: expected an array");
  expect_error("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/bin/true\"},\"stages\":[]}",
               "when: is required");
  expect_error("{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/nonexistent/x\"},"
               "\"when\":{\"always\":true},\"stages\":[\"prestart\"]}",
               "hook.path: /nonexistent/x: no such file or directory");
  expect_error("{\"hook\":\"/bin/true\",\"stage\":[\"prestart\"],\"stages\":[\"prestart\"]}",
               "\"stages\" and \"stage\" must not both be set");
  expect_error("{\"hook\":\"bin/true\",\"stages\":[\"prestart\"]}",
               "hook must be an absolute path");
  expect_error("{\"version\":\"1.0.0\",", "invalid JSON");
}

static void test_v1_all_conditions_must_hold(void **state)
{
  const char *both = V1("{\"always\":true,\"annotations\":{\"^a$\":\"^1$\"}}", "[\"prestart\"]");

  (void)state;
  assert_true(matches(both, "\"annotations\":{\"a\":\"1\"}"));
  assert_false(matches(both, "\"annotations\":{\"a\":\"2\"}"));
  assert_false(matches(V1("{\"always\":false}", "[\"prestart\"]"), ""));
  /* no condition: never (pkg/hooks counts the conditions that held) */
  assert_false(matches(V1("{}", "[\"prestart\"]"), ""));
}

static void test_regexes_are_unanchored_ere(void **state)
{
  const char *ann = V1("{\"annotations\":{\"example\\\\.(gpu|fpga)\":\"y+\"}}", "[\"prestart\"]");

  (void)state;
  assert_true(matches(ann, "\"annotations\":{\"com.example.gpu\":\"xyyz\"}"));
  assert_true(matches(ann, "\"annotations\":{\"other\":\"y\",\"com.example.fpga\":\"y\"}"));
  assert_false(matches(ann, "\"annotations\":{\"com.exampleXgpu\":\"y\"}"));
  /* the key and the value must match the same annotation */
  assert_false(matches(ann, "\"annotations\":{\"com.example.gpu\":\"n\",\"z\":\"y\"}"));
}

static void test_commands_and_bind_mounts(void **state)
{
  const char *cmd = V1("{\"commands\":[\"^/init$\",\"systemd$\"]}", "[\"prestart\"]");
  const char *bind = V1("{\"hasBindMounts\":true}", "[\"prestart\"]");
  const char *mount = "\"mounts\":[{\"destination\":\"/x\",\"source\":\"/tmp\",\"options\":"
                      "[\"rbind\"]}],\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}";

  (void)state;
  assert_true(matches(cmd, "\"process\":{\"args\":[\"/usr/lib/systemd\"],\"cwd\":\"/\","
                           "\"user\":{\"uid\":0,\"gid\":0}}"));
  assert_false(matches(cmd, "\"process\":{\"args\":[\"/init2\"],\"cwd\":\"/\","
                            "\"user\":{\"uid\":0,\"gid\":0}}"));
  assert_true(matches(bind, mount));
  assert_false(matches(bind, ""));
}

static void test_legacy_any_condition(void **state)
{
  const char *old = "{\"hook\":\"/bin/true\",\"arguments\":[\"a\"],\"cmd\":[\"^sh$\"],"
                    "\"annotation\":[\"^gpu$\",\"^fpga$\"],\"stage\":[\"poststop\"]}";
  struct hookd_set set;
  struct hookd_file f;
  hrun_error err;

  (void)state;
  assert_true(matches(old, "\"annotations\":{\"any\":\"fpga\"}"));
  assert_false(matches(old, "\"annotations\":{\"any\":\"cpu\"}"));
  hookd_set_init(&set);
  assert_int_equal(parse(&set, old, &f, &err), 0);
  assert_string_equal(f.version, "0.1.0");
  assert_int_equal(f.hook.args.len, 2); /* the hook, then its arguments */
  assert_string_equal(f.hook.args.items[0], "/bin/true");
  assert_string_equal(f.hook.args.items[1], "a");
  hookd_set_free(&set);
}

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");

  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void test_dirs_mask_and_sort(void **state)
{
  char a[] = "/tmp/hrun-unit-hooksd-XXXXXX", b[64], path[128];
  const char *always = V1("{\"always\":true}", "[\"poststop\"]");
  char *dirs[3] = {a, b, "/nonexistent-hooks-dir"};
  struct hookd_set set;
  hrun_error err;

  (void)state;
  assert_non_null(mkdtemp(a));
  snprintf(b, sizeof(b), "%s/later", a);
  assert_int_equal(mkdir(b, 0700), 0);
  snprintf(path, sizeof(path), "%s/B.json", a), write_file(path, always);
  snprintf(path, sizeof(path), "%s/a.json", a), write_file(path, "broken, but masked");
  snprintf(path, sizeof(path), "%s/c.txt", a), write_file(path, "not a hook file");
  snprintf(path, sizeof(path), "%s/a.json", b), write_file(path, always);
  hookd_set_init(&set);
  assert_int_equal(hookd_load(&set, dirs, 3, &err), 0);
  assert_int_equal(set.n, 2);
  assert_string_equal(set.files[0].name, "a.json"); /* case-folded order */
  assert_string_equal(set.files[1].name, "B.json");
  assert_non_null(strstr(set.files[0].path, "/later/a.json"));
  assert_int_equal(set.n_masked, 1);
  assert_non_null(strstr(set.masked[0].masked_by, "/later/a.json"));
  hookd_set_free(&set);
  snprintf(path, sizeof(path), "%s/B.json", a), write_file(path, "{\"version\":1}");
  hookd_set_init(&set);
  assert_int_equal(hookd_load(&set, dirs, 3, &err), -1);
  assert_non_null(strstr(err.msg, "/B.json: version: expected a string"));
  hookd_set_free(&set);
  snprintf(path, sizeof(path), "rm -rf %s", a);
  assert_int_equal(system(path), 0);
}

static void test_merge_appends_after_own(void **state)
{
  const char *text = CONFIG_HEAD "\"hooks\":{\"poststop\":[{\"path\":\"/own\"}],"
                                 "\"x-unknown\":1},\"annotations\":{\"k\":\"v\"}}";
  struct spec_hook h = {.path = "/added", .timeout = {true, 3}};
  struct hooks_extra x = {0};
  struct oci_spec *spec = NULL;
  hrun_error err;
  size_t len;
  char *out;

  (void)state;
  hooks_extra_add(&x, HOOK_POSTSTOP, &h);
  hooks_extra_add(&x, HOOK_CREATE_RUNTIME, &h);
  assert_int_equal(hooks_merge(text, strlen(text), &x, &out, &len, &err), 0);
  assert_int_equal(spec_parse(out, len, &spec, &err), 0);
  assert_int_equal(spec->hooks.count[HOOK_POSTSTOP], 2);
  assert_string_equal(spec->hooks.list[HOOK_POSTSTOP][0].path, "/own");
  assert_string_equal(spec->hooks.list[HOOK_POSTSTOP][1].path, "/added");
  assert_int_equal(spec->hooks.list[HOOK_POSTSTOP][1].timeout.value, 3);
  assert_int_equal(spec->hooks.count[HOOK_CREATE_RUNTIME], 1);
  assert_string_equal(spec->annotations[0].value, "v");
  assert_non_null(strstr(out, "\"x-unknown\":1"));
  spec_free(spec);
  free(out);
  hooks_extra_free(&x);
}

static bool compiles(const char *p)
{
  regex_t re;

  if (regcomp(&re, p, REG_EXTENDED | REG_NOSUB) != 0)
    return false;
  regfree(&re);
  return true;
}

/* The fast path never calls valid what regcomp refuses: the usual
 * patterns, then random strings over the characters that matter. */
static void test_ere_fast_path_agrees_with_regcomp(void **state)
{
  static const char *const plain[] = {"^com\\.example\\.gpu$", ".*/nvidia-smi$", "^(yes|true|on)$",
                                      "a(b(c|d)+)?e*", "^$", "x|y", "\\(\\)"};
  static const char *const unknown[] = {"(", ")", "a|", "|a", "()", "*a", "a**", "(|a)", "a\\",
                                        "[ab]", "a{2}", "\\d", "(a|)", ""};
  static const char alphabet[] = "ab.^$*+?()|\\[{";
  char buf[12];
  int i, j, n;

  (void)state;
  for (i = 0; i < (int)(sizeof(plain) / sizeof(plain[0])); i++) {
    assert_true(ere_plainly_valid(plain[i]));
    assert_true(compiles(plain[i]));
  }
  for (i = 0; i < (int)(sizeof(unknown) / sizeof(unknown[0])); i++)
    if (ere_plainly_valid(unknown[i]) && !compiles(unknown[i]))
      fail_msg("fast path accepts \"%s\", regcomp does not", unknown[i]);
  srand(14);
  for (i = 0; i < 200000; i++) {
    n = rand() % (int)sizeof(buf);
    for (j = 0; j < n; j++)
      buf[j] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
    buf[n] = '\0';
    if (ere_plainly_valid(buf) && !compiles(buf))
      fail_msg("fast path accepts \"%s\", regcomp does not", buf);
  }
}

/* Patterns whose repetitions glibc's regcomp would expand exponentially
 * are refused before it sees them. */
static void test_ere_expanded_size_is_bounded(void **state)
{
  char msg[128];

  (void)state;
  assert_int_equal(ere_expanded_size("^com\\.example\\.gpu$"), 17);
  assert_int_equal(ere_expanded_size("a+"), 2);
  assert_int_equal(ere_expanded_size("(ab|c){3}"), 9);
  assert_int_equal(ere_expanded_size("[]a[:alpha:]]{2,4}x*"), 5);
  assert_int_equal(ere_check("a{1000}", msg, sizeof(msg)), 0);
  assert_int_equal(ere_check("a{1001}", msg, sizeof(msg)), -1);
  assert_string_equal(msg, "larger than 1000 once its repetitions are expanded");
  assert_int_equal(ere_check("(a{10}){101}", msg, sizeof(msg)), -1);
  assert_int_equal(ere_check("v++++++++++++++++++++++++++++++++++++++++", msg, sizeof(msg)), -1);
  assert_int_equal(ere_check("((((((((((((v+)+)+)+)+)+)+)+)+)+)+)+)", msg, sizeof(msg)), -1);
  assert_int_equal(ere_check("(((v+)+)+)", msg, sizeof(msg)), 0);
  assert_int_equal(ere_check("()++++++++++++", msg, sizeof(msg)), -1);
  assert_int_equal(ere_check("^++++++++++++", msg, sizeof(msg)), -1);
  /* a group left open does not hide what came before it */
  assert_int_equal(ere_check("9++++++++++++++++++++++++++++(+", msg, sizeof(msg)), -1);
  assert_string_equal(msg, "larger than 1000 once its repetitions are expanded");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_v1_parsed),
      cmocka_unit_test(test_errors_name_the_field),
      cmocka_unit_test(test_v1_all_conditions_must_hold),
      cmocka_unit_test(test_regexes_are_unanchored_ere),
      cmocka_unit_test(test_commands_and_bind_mounts),
      cmocka_unit_test(test_legacy_any_condition),
      cmocka_unit_test(test_dirs_mask_and_sort),
      cmocka_unit_test(test_merge_appends_after_own),
      cmocka_unit_test(test_ere_fast_path_agrees_with_regcomp),
      cmocka_unit_test(test_ere_expanded_size_is_bounded),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
