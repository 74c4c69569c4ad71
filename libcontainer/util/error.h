/* Error reporting: a failing function fills one hrun_error (errno + message)
 * and returns -1; each caller may prefix its own context with err_wrap(), so
 * the message the user finally reads names the operation, the field or file,
 * and the system error, on one line. */
#ifndef HRUN_ERROR_H
#define HRUN_ERROR_H

#define HRUN_ERROR_MAX 2048

/* What went wrong, for callers that act on it (delete --force of a
 * container that does not exist succeeds) instead of on the text, and for
 * the CLI's exit status (runtime/exit_codes.c). Set where the error is
 * first made; err_wrap keeps it. */
enum hrun_error_kind {
  HRUN_ERR_OTHER = 0,
  HRUN_ERR_NOT_FOUND,      /* no such container */
  HRUN_ERR_NOT_RUNNING,    /* the container's init is gone */
  HRUN_ERR_EXISTS,         /* the id is taken */
  HRUN_ERR_PEER_GONE,      /* the other end of a sync channel closed without a word */
  HRUN_ERR_INVALID_CONFIG, /* config.json, process.json, --resources or a command
                            * line value (an id, an option) fails validation */
  HRUN_ERR_WRONG_STATE,    /* refused in the container's current status (start of
                            * a running one, delete of a running one without
                            * --force, pause of a stopped one, ...) */
  HRUN_ERR_KIND_COUNT
};

typedef struct hrun_error {
  int errnum; /* errno of the root cause, 0 when it is not a system error */
  enum hrun_error_kind kind;
  char msg[HRUN_ERROR_MAX];
} hrun_error;

/* Sets the error (kind HRUN_ERR_OTHER); when errnum != 0 ": <text>" is
 * appended, the text as runc prints it: strerror with a lower-case first
 * letter ("no such file or directory"), which engines match. Returns -1. */
int err_set(hrun_error *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the current message with "<context>: ", keeping errnum and
 * kind. Returns -1. */
int err_wrap(hrun_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* err_set, then the kind. Returns -1. */
int err_set_kind(hrun_error *err, enum hrun_error_kind kind, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Gives the error already made its kind, keeping its text (a boundary such
 * as the config parser classifies every failure below it). Returns -1. */
int err_kind(hrun_error *err, enum hrun_error_kind kind);

void err_clear(hrun_error *err);

/* s made safe to print inside double quotes in a message: printable ASCII
 * as it is, '\\' and '"' escaped, every other byte as \xNN (a newline, an
 * escape sequence or a DEL from the command line never reaches the
 * terminal or the log raw). Cut with "..." when it does not fit in size. */
const char *err_quote(const char *s, char *buf, unsigned size);

/* strerror as Go and runc spell it: "permission denied". */
const char *err_errno_text(int errnum, char *buf, unsigned size);

#endif
