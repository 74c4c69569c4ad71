#include "libcontainer/hooks/ere_check.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- the size regcomp builds ------------------------------------------

 * glibc's regcomp copies the subexpression of every '+' and {m,n} (a+ is
 * aa*, a{2,3} is aaa?): nested ones grow exponentially ("(((a+)+)+)..."
 * with 20 levels takes gigabytes). So the size once expanded is counted
 * first, saturating: a frame per open group, its branches summed, each
 * repetition multiplying the atom it follows. Anchors and empty groups
 * count as atoms: regcomp copies their nodes as well. */

struct size_frame {
  size_t total;  /* the branches before the current one */
  size_t branch; /* the current branch */
  size_t last;   /* the last atom, which a repetition multiplies */
};

#define ERE_MAX_DEPTH 64

static size_t sat_add(size_t a, size_t b)
{
  return a + b < a || a + b > ERE_MAX_SIZE + 1 ? ERE_MAX_SIZE + 1 : a + b;
}

static size_t sat_mul(size_t a, size_t b)
{
  return b && a > (ERE_MAX_SIZE + 1) / b ? ERE_MAX_SIZE + 1 : a * b;
}

static void atom(struct size_frame *f, size_t n)
{
  f->branch = sat_add(f->branch, n);
  f->last = n;
}

static void repeat(struct size_frame *f, size_t times)
{
  if (times > 1) {
    f->branch = sat_add(f->branch, sat_mul(f->last, times - 1));
    f->last = sat_mul(f->last, times);
  }
}

/* After '[': the end of the bracket expression ("[]a]", "[[:alpha:]]"). */
static const char *skip_bracket(const char *p)
{
  if (*p == '^')
    p++;
  if (*p == ']')
    p++;
  for (; *p && *p != ']'; p++)
    if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
      const char *end = strchr(p + 2, p[1]);
      if (end && end[1] == ']')
        p = end + 1;
    }
  return *p ? p : p - 1;
}

/* After '{': the count a bound {m}, {m,} or {m,n} repeats up to (m+1 for
 * {m,}); *end at its '}'. 0 when it is not a bound. */
static size_t bound(const char *p, const char **end)
{
  char *e;
  unsigned long m = strtoul(p, &e, 10), n = m;

  if (e == p)
    return 0;
  if (*e == ',') {
    n = e[1] == '}' ? m + 1 : strtoul(e + 1, &e, 10);
    if (e[0] == ',')
      e++;
  }
  if (*e != '}')
    return 0;
  *end = e;
  return n > ERE_MAX_SIZE ? ERE_MAX_SIZE + 1 : (n ? n : 1);
}

size_t ere_expanded_size(const char *p)
{
  struct size_frame stack[ERE_MAX_DEPTH + 1] = {{0}}, *f = stack;
  const char *end;
  size_t n;

  for (; *p; p++) {
    if (*p == '\\' && p[1]) {
      atom(f, 1), p++;
    } else if (*p == '[') {
      atom(f, 1), p = skip_bracket(p + 1);
    } else if (*p == '+') {
      repeat(f, 2);
    } else if (*p == '{' && (n = bound(p + 1, &end))) {
      repeat(f, n), p = end;
    } else if (*p == '(') {
      if (f == stack + ERE_MAX_DEPTH)
        return ERE_MAX_SIZE + 1;
      *++f = (struct size_frame){0};
    } else if (*p == ')' && f > stack) {
      n = sat_add(f->total, f->branch);
      atom(--f, n ? n : 1); /* an empty group is a node too */
    } else if (*p == '|') {
      f->total = sat_add(f->total, f->branch), f->branch = f->last = 0;
    } else if (*p == '*' || *p == '?') {
      continue; /* no copy */
    } else {
      atom(f, 1);
    }
  }
  for (; f > stack; f--) /* groups left open (regcomp refuses them) count too */
    atom(f - 1, sat_add(f->total, f->branch));
  return sat_add(f->total, f->branch);
}

int ere_check(const char *pattern, char *msg, size_t size)
{
  regex_t re;
  int rc;

  if (ere_expanded_size(pattern) > ERE_MAX_SIZE) {
    snprintf(msg, size, "larger than %d once its repetitions are expanded", ERE_MAX_SIZE);
    return -1;
  }
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
