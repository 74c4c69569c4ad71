#include "libcontainer/json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "libcontainer/arena.h"

/* json_value is yajl's tree node; the cast stays inside this file. */
#define Y(v) ((yajl_val)(v))
#define J(v) ((json_value *)(v))

json_value *json_parse(const char *text, size_t len, hrun_error *err)
{
  char errbuf[512] = "";
  char *copy = xmalloc0(len + 1);
  yajl_val tree;
  char *nl;

  /* yajl_tree wants a NUL-terminated buffer. */
  memcpy(copy, text, len);
  tree = yajl_tree_parse(copy, errbuf, sizeof(errbuf));
  free(copy);
  if (!tree) {
    nl = strchr(errbuf, '\n');
    if (nl)
      *nl = '\0';
    err_set(err, 0, "invalid JSON: %s", errbuf[0] ? errbuf : "parse error");
    return NULL;
  }
  return J(tree);
}

void json_free(json_value *v)
{
  if (v)
    yajl_tree_free(Y(v));
}

enum json_type json_type_of(const json_value *v)
{
  switch (Y(v)->type) {
  case yajl_t_string:
    return JSON_STRING;
  case yajl_t_number:
    return JSON_NUMBER;
  case yajl_t_object:
    return JSON_OBJECT;
  case yajl_t_array:
    return JSON_ARRAY;
  case yajl_t_true:
  case yajl_t_false:
    return JSON_BOOL;
  default:
    return JSON_NULL;
  }
}

const char *json_type_name(enum json_type t)
{
  static const char *const names[] = {
      [JSON_NULL] = "null",         [JSON_BOOL] = "a boolean",
      [JSON_NUMBER] = "a number",   [JSON_STRING] = "a string",
      [JSON_OBJECT] = "an object",  [JSON_ARRAY] = "an array",
  };
  return names[t];
}

size_t json_object_size(const json_value *v)
{
  return YAJL_IS_OBJECT(Y(v)) ? Y(v)->u.object.len : 0;
}

const char *json_object_key(const json_value *v, size_t i)
{
  return Y(v)->u.object.keys[i];
}

json_value *json_object_value(const json_value *v, size_t i)
{
  return J(Y(v)->u.object.values[i]);
}

json_value *json_object_get(const json_value *v, const char *key)
{
  size_t i, n = json_object_size(v);

  /* Last one wins, as in most JSON decoders, if a key is repeated. */
  for (i = n; i > 0; i--)
    if (strcmp(Y(v)->u.object.keys[i - 1], key) == 0)
      return J(Y(v)->u.object.values[i - 1]);
  return NULL;
}

size_t json_array_len(const json_value *v)
{
  return YAJL_IS_ARRAY(Y(v)) ? Y(v)->u.array.len : 0;
}

json_value *json_array_get(const json_value *v, size_t i)
{
  return J(Y(v)->u.array.values[i]);
}

const char *json_string(const json_value *v)
{
  return YAJL_IS_STRING(Y(v)) ? Y(v)->u.string : NULL;
}

bool json_bool(const json_value *v, bool *out)
{
  if (YAJL_IS_TRUE(Y(v)))
    *out = true;
  else if (YAJL_IS_FALSE(Y(v)))
    *out = false;
  else
    return false;
  return true;
}

/* Integers are read from the number's own text so that the full uint64 range
 * survives and 1.0 or 1e3 are rejected instead of silently truncated. */
static bool number_is_integer_text(const char *s)
{
  if (*s == '-')
    s++;
  if (!*s)
    return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return false;
  return true;
}

bool json_int64(const json_value *v, int64_t *out)
{
  const char *text;
  char *end;
  long long r;

  if (!YAJL_IS_NUMBER(Y(v)))
    return false;
  text = Y(v)->u.number.r;
  if (!number_is_integer_text(text))
    return false;
  errno = 0;
  r = strtoll(text, &end, 10);
  if (errno || *end)
    return false;
  *out = r;
  return true;
}

bool json_uint64(const json_value *v, uint64_t *out)
{
  const char *text;
  char *end;
  unsigned long long r;

  if (!YAJL_IS_NUMBER(Y(v)))
    return false;
  text = Y(v)->u.number.r;
  if (text[0] == '-' || !number_is_integer_text(text))
    return false;
  errno = 0;
  r = strtoull(text, &end, 10);
  if (errno || *end)
    return false;
  *out = r;
  return true;
}

bool json_double(const json_value *v, double *out)
{
  if (!YAJL_IS_NUMBER(Y(v)))
    return false;
  *out = strtod(Y(v)->u.number.r, NULL);
  return true;
}

struct json_writer {
  yajl_gen gen;
};

json_writer *json_writer_new(bool pretty)
{
  json_writer *w = xmalloc0(sizeof(*w));

  w->gen = yajl_gen_alloc(NULL);
  if (!w->gen) {
    fputs("hrun: out of memory\n", stderr);
    _exit(EXIT_FAILURE);
  }
  yajl_gen_config(w->gen, yajl_gen_beautify, pretty ? 1 : 0);
  yajl_gen_config(w->gen, yajl_gen_indent_string, "  ");
  yajl_gen_config(w->gen, yajl_gen_validate_utf8, 0);
  return w;
}

void json_writer_free(json_writer *w)
{
  if (!w)
    return;
  yajl_gen_free(w->gen);
  free(w);
}

void jw_object_begin(json_writer *w)
{
  yajl_gen_map_open(w->gen);
}

void jw_object_end(json_writer *w)
{
  yajl_gen_map_close(w->gen);
}

void jw_array_begin(json_writer *w)
{
  yajl_gen_array_open(w->gen);
}

void jw_array_end(json_writer *w)
{
  yajl_gen_array_close(w->gen);
}

void jw_key(json_writer *w, const char *key)
{
  jw_string(w, key);
}

void jw_string(json_writer *w, const char *s)
{
  yajl_gen_string(w->gen, (const unsigned char *)s, strlen(s));
}

void jw_int(json_writer *w, long long v)
{
  yajl_gen_integer(w->gen, v);
}

void jw_uint(json_writer *w, unsigned long long v)
{
  char buf[32];
  int n = snprintf(buf, sizeof(buf), "%llu", v);
  yajl_gen_number(w->gen, buf, n);
}

void jw_bool(json_writer *w, bool v)
{
  yajl_gen_bool(w->gen, v);
}

void jw_null(json_writer *w)
{
  yajl_gen_null(w->gen);
}

void jw_value(json_writer *w, const json_value *v)
{
  size_t i;

  switch (json_type_of(v)) {
  case JSON_NULL:
    jw_null(w);
    break;
  case JSON_BOOL:
    jw_bool(w, YAJL_IS_TRUE(Y(v)));
    break;
  case JSON_NUMBER:
    yajl_gen_number(w->gen, Y(v)->u.number.r, strlen(Y(v)->u.number.r));
    break;
  case JSON_STRING:
    jw_string(w, json_string(v));
    break;
  case JSON_OBJECT:
    jw_object_begin(w);
    for (i = 0; i < json_object_size(v); i++) {
      jw_key(w, json_object_key(v, i));
      jw_value(w, json_object_value(v, i));
    }
    jw_object_end(w);
    break;
  case JSON_ARRAY:
    jw_array_begin(w);
    for (i = 0; i < json_array_len(v); i++)
      jw_value(w, json_array_get(v, i));
    jw_array_end(w);
    break;
  }
}

const char *jw_output(json_writer *w, size_t *len)
{
  const unsigned char *buf = NULL;
  size_t n = 0;

  yajl_gen_get_buf(w->gen, &buf, &n);
  if (len)
    *len = n;
  return (const char *)buf;
}
