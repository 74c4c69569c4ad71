#include "libcontainer/ere_check.h"

#include <regex.h>
#include <string.h>

/* Characters that stand for themselves in an ERE. */
static bool literal(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (c && strchr("_-/:=,@%~!#&<>;' \"", c));
}

/* Escaped specials that mean themselves. */
static bool escapable(char c)
{
  return c && strchr(".\\/-+*?()[]{}|^$", c);
}

/* A walk that tracks what the previous token was: an atom (something a
 * quantifier may follow) or not, and each open group's content. */
bool ere_plainly_valid(const char *p)
{
  int depth = 0;
  bool atom = false, empty_branch = true;

  for (; *p; p++) {
    char c = *p;

    if (literal(c) || c == '.') {
      atom = true, empty_branch = false;
    } else if (c == '\\') {
      if (!escapable(p[1]))
        return false;
      p++, atom = true, empty_branch = false;
    } else if (c == '^' || c == '$') {
      atom = false, empty_branch = false;
    } else if (c == '*' || c == '+' || c == '?') {
      if (!atom)
        return false;
      atom = false; /* no quantifier on a quantifier */
    } else if (c == '(') {
      depth++, atom = false, empty_branch = true;
    } else if (c == ')') {
      if (!depth-- || empty_branch)
        return false;
      atom = true, empty_branch = false;
    } else if (c == '|') {
      if (empty_branch)
        return false;
      atom = false, empty_branch = true;
    } else {
      return false; /* '[', '{' and the rest: regcomp decides */
    }
  }
  return depth == 0 && !(empty_branch && p[-1] == '|');
}

int ere_check(const char *pattern, char *msg, size_t size)
{
  regex_t re;
  int rc;

  if (ere_plainly_valid(pattern))
    return 0;
  rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
  if (rc == 0) {
    regfree(&re);
    return 0;
  }
  regerror(rc, &re, msg, size);
  return -1;
}
