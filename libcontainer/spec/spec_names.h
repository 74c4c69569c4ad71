/* Names config.json uses that the parser turns into numbers (the hook
 * stage, capability set and namespace tables are declared in spec.h). */
#ifndef HRUN_SPEC_NAMES_H
#define HRUN_SPEC_NAMES_H

/* "CAP_CHOWN" -> 0. -1 unless the name is a capability libcap knows
 * (numbers and lower case are refused: the spec spells names in capitals). */
int caps_from_name(const char *name);

/* "RLIMIT_NOFILE" -> RLIMIT_NOFILE; -1 when unknown. */
int rlimit_from_name(const char *name);

#endif
