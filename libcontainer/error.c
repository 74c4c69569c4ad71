#include "libcontainer/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(hrun_error *err, int errnum, const char *fmt, ...)
{
  va_list ap;
  int n;

  err->errnum = errnum;
  va_start(ap, fmt);
  n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
  va_end(ap);
  if (n < 0)
    n = 0;
  if (errnum != 0 && (size_t)n < sizeof(err->msg))
    snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errnum));
  return -1;
}

int err_wrap(hrun_error *err, const char *fmt, ...)
{
  char context[HRUN_ERROR_MAX];
  char old[HRUN_ERROR_MAX];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(context, sizeof(context), fmt, ap);
  va_end(ap);
  memcpy(old, err->msg, sizeof(old));
  /* A message longer than the buffer is cut; the start matters most. */
  if (snprintf(err->msg, sizeof(err->msg), "%s: %s", context, old) >= (int)sizeof(err->msg))
    err->msg[sizeof(err->msg) - 1] = '\0';
  return -1;
}

void err_clear(hrun_error *err)
{
  err->errnum = 0;
  err->msg[0] = '\0';
}
