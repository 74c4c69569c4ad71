/* /etc/passwd and /etc/group lookups without NSS: the name and home of a
 * uid, the gid of a group name. */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "libcontainer/security/passwd.h"

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
  hrun_error err;
  char *got = (char *)"unset";

  assert_int_equal(passwd_lookup(path, uid, field, &got, &err), 0);

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
  hrun_error err;
  char *got = (char *)"unset";

  /* No file: no entry, as runc has it. */
  assert_int_equal(passwd_lookup("/nonexistent/passwd", 0, PASSWD_NAME, &got, &err), 0);
  assert_null(got);
}

/* A file that opens but cannot be read (here a directory: EISDIR) is an
 * error naming it, not a file without the entry. */
static void test_read_error(void **state)
{
  char dir[] = "/tmp/hrun-unit-passwd-dir-XXXXXX", want[128];
  hrun_error err;
  char *got = (char *)"unset";

  (void)state;
  assert_non_null(mkdtemp(dir));
  assert_int_equal(passwd_lookup(dir, 0, PASSWD_NAME, &got, &err), -1);
  rmdir(dir);
  assert_null(got);
  assert_int_equal(err.errnum, EISDIR);
  snprintf(want, sizeof(want), "read %s: is a directory", dir);
  assert_string_equal(err.msg, want);
}

/* group_lookup_gid on the given /etc/group text. */
static bool lookup_gid(const char *text, const char *name, uint32_t *gid)
{
  FILE *f = fmemopen((void *)text, strlen(text), "r");
  hrun_error err;
  int found;

  assert_non_null(f);
  found = group_lookup_gid(f, name, gid, &err);
  fclose(f);
  assert_true(found >= 0);
  return found == 1;
}

/* A stream whose reads fail with EIO after the first line. */
static ssize_t failing_read(void *cookie, char *buf, size_t size)
{
  static const char first[] = "root:x:0:\n";
  int *calls = cookie;

  if ((*calls)++ > 0 || size < sizeof(first) - 1) {
    errno = EIO;
    return -1;
  }
  memcpy(buf, first, sizeof(first) - 1);
  return sizeof(first) - 1;
}

static void test_group_read_error(void **state)
{
  int calls = 0;
  FILE *f = fopencookie(&calls, "r", (cookie_io_functions_t){.read = failing_read});
  uint32_t gid = 42;
  hrun_error err;

  (void)state;
  assert_non_null(f);
  /* Before: the failed read was the end of the file, "no tty group". */
  assert_int_equal(group_lookup_gid(f, "tty", &gid, &err), -1);
  fclose(f);
  assert_int_equal(err.errnum, EIO);
  assert_string_equal(err.msg, "read /etc/group: input/output error");
  assert_int_equal(gid, 42);
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
      cmocka_unit_test(test_read_error),
      cmocka_unit_test(test_group_read_error),
  };

  return cmocka_run_group_tests_name("passwd", tests, write_passwd, remove_passwd);
}
