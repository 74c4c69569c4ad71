/* /etc/passwd lookups without NSS: the name and home of a uid. */
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

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_name_and_home),
      cmocka_unit_test(test_missing_entries_and_fields),
  };

  return cmocka_run_group_tests_name("passwd", tests, write_passwd, remove_passwd);
}
