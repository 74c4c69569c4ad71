/* Error reporting: a failing function fills one hrun_error (errno + message)
 * and returns -1; each caller may prefix its own context with err_wrap(), so
 * the message the user finally reads names the operation, the field or file,
 * and the system error, on one line. */
#ifndef HRUN_ERROR_H
#define HRUN_ERROR_H

#define HRUN_ERROR_MAX 2048

typedef struct hrun_error {
  int errnum; /* errno of the root cause, 0 when it is not a system error */
  char msg[HRUN_ERROR_MAX];
} hrun_error;

/* Sets the error; when errnum != 0 ": <strerror>" is appended. Returns -1. */
int err_set(hrun_error *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes the current message with "<context>: ". Returns -1. */
int err_wrap(hrun_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void err_clear(hrun_error *err);

#endif
