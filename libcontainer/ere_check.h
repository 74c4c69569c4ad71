/* Whether a POSIX extended regular expression compiles, without compiling
 * the common ones: glibc's regcomp builds a DFA (2-9 us and 4 KiB of fresh
 * heap each), and a hooks.d directory is checked at every create. */
#ifndef HRUN_ERE_CHECK_H
#define HRUN_ERE_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* True when pattern is in a subset regcomp(REG_EXTENDED) always accepts:
 * literals, escaped specials, '.', '^', '$', '*', '+' and '?' after an
 * atom, non-empty groups and alternatives. False means "not known":
 * brackets, braces and anything unusual go to regcomp. */
bool ere_plainly_valid(const char *pattern);

/* 0 when the pattern compiles; else -1 and regerror's text in msg. */
int ere_check(const char *pattern, char *msg, size_t size);

#endif
