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

/* What regcomp builds for a pattern, in atoms once every '+' and {m,n}
 * is expanded (glibc copies their subexpressions): a pattern larger than
 * ERE_MAX_SIZE is refused before regcomp sees it, since nested repetitions
 * grow it exponentially. (Go's RE2, which pkg/hooks uses, caps repeat
 * counts at 1000 as well.) Saturates at ERE_MAX_SIZE + 1. */
#define ERE_MAX_SIZE 1000
size_t ere_expanded_size(const char *pattern);

/* 0 when the pattern compiles and is not too large once expanded; else -1
 * and the reason (regerror's text) in msg. */
int ere_check(const char *pattern, char *msg, size_t size);

#endif
