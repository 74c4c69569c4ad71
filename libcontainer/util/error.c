#include "libcontainer/util/error.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *err_errno_text(int errnum, char *buf, unsigned size)
{
  snprintf(buf, size, "%s", strerror(errnum));
  /* "Permission denied" -> "permission denied"; an acronym ("RPC ...")
   * stays as it is. */
  if (isupper((unsigned char)buf[0]) && islower((unsigned char)buf[1]))
    buf[0] = (char)tolower((unsigned char)buf[0]);
  return buf;
}

static int set_v(hrun_error *err, enum hrun_error_kind kind, int errnum, const char *fmt,
                 va_list ap)
{
  char text[128];
  int n;

  err->errnum = errnum;
  err->kind = kind;
  n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
  if (n < 0)
    n = 0;
  if (errnum != 0 && (size_t)n < sizeof(err->msg))
    snprintf(err->msg + n, sizeof(err->msg) - n, ": %s",
             err_errno_text(errnum, text, sizeof(text)));
  return -1;
}

int err_set(hrun_error *err, int errnum, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  set_v(err, HRUN_ERR_OTHER, errnum, fmt, ap);
  va_end(ap);
  return -1;
}

int err_set_kind(hrun_error *err, enum hrun_error_kind kind, int errnum, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  set_v(err, kind, errnum, fmt, ap);
  va_end(ap);
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

int err_kind(hrun_error *err, enum hrun_error_kind kind)
{
  err->kind = kind;
  return -1;
}

void err_clear(hrun_error *err)
{
  err->errnum = 0;
  err->kind = HRUN_ERR_OTHER;
  err->msg[0] = '\0';
}

const char *err_quote(const char *s, char *buf, unsigned size)
{
  static const char hex[] = "0123456789abcdef";
  unsigned n = 0;

  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    char one[4];
    unsigned len = 0;

    if (c == '\\' || c == '"') {
      one[len++] = '\\';
      one[len++] = (char)c;
    } else if (c >= 0x20 && c < 0x7f) {
      one[len++] = (char)c;
    } else {
      one[len++] = '\\';
      one[len++] = 'x';
      one[len++] = hex[c >> 4];
      one[len++] = hex[c & 15];
    }
    if (n + len + 4 > size) { /* room for "..." and the NUL */
      memcpy(buf + n, "...", 3);
      n += 3;
      break;
    }
    memcpy(buf + n, one, len);
    n += len;
  }
  buf[n] = '\0';
  return buf;
}
