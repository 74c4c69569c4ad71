/* /etc/passwd and /etc/group lookups without NSS: the name and home of a
 * uid, the gid of a group name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/passwd.h"

static char path[] = "/tmp/hrun-unit-passwd-XXXXXX";

static int write_passwd(void **state)
{
  static const char text[] = "nouid:x::0::/nouid:\n" /* before root: */
                             "junk:x:0x:0::/junk:\n" /* neither is uid 0 */
                             "root:x:0:0:root:/root:/bin/sh\n"
                             "daemon:x:1:1::/usr/sbin:\n"
                             "# not an entry\n"
                             "nohome:x:7:7:::/bin/false\n"
                             "short:x:8\n"
                             "web:x:1000:1000:Web,,,:/home/web:/bin/sh"; /* no final newline */
  int fd = mkstemp(path);

  (void)state;
  if (fd < 0 || write(fd, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1))
    return -1;
  close(fd);
  return 0;
}

static int remove_passwd(void **state)
{
  (void)state;
  unlink(path);
  return 0;
}

static void assert_lookup(uint32_t uid, enum passwd_field field, const char *expect)
{
  char *got = passwd_lookup(path, uid, field);

  if (!expect)
    assert_null(got);
  else
    assert_string_equal(got ? got : "(null)", expect);
  free(got);
}

static void test_name_and_home(void **state)
{
  (void)state;
  assert_lookup(0, PASSWD_HOME, "/root");
  assert_lookup(1, PASSWD_HOME, "/usr/sbin");
  assert_lookup(1000, PASSWD_NAME, "web");
  assert_lookup(1000, PASSWD_HOME, "/home/web");
}

static void test_missing_entries_and_fields(void **state)
{
  (void)state;
  assert_lookup(4242, PASSWD_NAME, NULL);
  assert_lookup(7, PASSWD_HOME, NULL); /* empty field */
  assert_lookup(8, PASSWD_HOME, NULL); /* line too short */
  assert_lookup(8, PASSWD_NAME, "short");
  assert_lookup(0, PASSWD_NAME, "root"); /* not the entries without a number */
  assert_null(passwd_lookup("/nonexistent/passwd", 0, PASSWD_NAME));
}

/* group_lookup_gid on the given /etc/group text. */
static bool lookup_gid(const char *text, const char *name, uint32_t *gid)
{
  FILE *f = fmemopen((void *)text, strlen(text), "r");
  bool found;

  assert_non_null(f);
  found = group_lookup_gid(f, name, gid);
  fclose(f);
  return found;
}

static void test_group_gid(void **state)
{
  static const char text[] = "root:x:0:\n"
                             "ttyx:x:9:\n"     /* a longer name is not tty */
                             "tty:x:5:alice,bob\n"
                             "tty:x:6:\n"      /* the first entry counts */
                             "users:x:100"; /* no members field, no newline */
  uint32_t gid = 42;

  (void)state;
  assert_true(lookup_gid(text, "tty", &gid));
  assert_int_equal(gid, 5);
  assert_true(lookup_gid(text, "users", &gid));
  assert_int_equal(gid, 100);
  assert_true(lookup_gid(text, "root", &gid));
  assert_int_equal(gid, 0);
  assert_false(lookup_gid(text, "wheel", &gid));
}

static void test_group_bad_entries(void **state)
{
  uint32_t gid = 42;

  (void)state;
  assert_false(lookup_gid("tty:x::\n", "tty", &gid));          /* empty gid */
  assert_false(lookup_gid("tty:x:5x:\n", "tty", &gid));        /* not a number */
  assert_false(lookup_gid("tty:x:4294967296:\n", "tty", &gid)); /* too large */
  assert_false(lookup_gid("tty:x\n", "tty", &gid));            /* too short */
  assert_false(lookup_gid("tty\n", "tty", &gid));
  assert_false(lookup_gid("", "tty", &gid));
  assert_int_equal(gid, 42);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_name_and_home),
      cmocka_unit_test(test_missing_entries_and_fields),
      cmocka_unit_test(test_group_gid),
      cmocka_unit_test(test_group_bad_entries),
  };

  return cmocka_run_group_tests_name("passwd", tests, write_passwd, remove_passwd);
}
