/* Typed readers for config.json members; see spec_read.h. */
#include "libcontainer/spec/spec_read.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "libcontainer/util/arena.h"

/* ---- paths and errors -------------------------------------------------- */

/* Appends "a.b[2].c" for p to buf; returns the length written so far. */
static size_t format_path(const struct jpath *p, char *buf, size_t size)
{
  size_t n;
  int w;

  if (!p)
    return 0;
  n = format_path(p->parent, buf, size);
  if (p->key)
    w = snprintf(buf + n, size - n, "%s%s", n ? "." : "", p->key);
  else
    w = snprintf(buf + n, size - n, "[%zu]", p->index);
  if (w < 0)
    return n;
  return n + (size_t)w < size ? n + (size_t)w : size - 1;
}

static int fail(struct spec_reader *r, const struct jpath *at, const char *sep,
                const char *fmt, va_list ap)
{
  char path[HRUN_ERROR_MAX / 2] = "";
  char msg[HRUN_ERROR_MAX];

  vsnprintf(msg, sizeof(msg), fmt, ap);
  format_path(at, path, sizeof(path));
  if (!path[0])
    return err_set(r->err, 0, "%s", msg);
  return err_set(r->err, 0, "%s%s%s", path, sep, msg);
}

int rd_error(struct spec_reader *r, const struct jpath *at, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  fail(r, at, ": ", fmt, ap);
  va_end(ap);
  return -1;
}

int rd_must(struct spec_reader *r, const struct jpath *at, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  fail(r, at, " must ", fmt, ap);
  va_end(ap);
  return -1;
}

int rd_required(struct spec_reader *r, const struct jpath *at)
{
  return rd_error(r, at, "is required");
}

int rd_wrap(struct spec_reader *r, const struct jpath *at)
{
  char path[HRUN_ERROR_MAX / 2] = "";

  format_path(at, path, sizeof(path));
  return path[0] ? err_wrap(r->err, "%s", path) : -1;
}

bool rd_lookup(const struct rd_name *table, const char *name, long *value)
{
  for (; table->name; table++) {
    if (strcmp(table->name, name) == 0) {
      *value = table->value;
      return true;
    }
  }
  return false;
}

/* ---- single values ----------------------------------------------------- */

const json_value *rd_get(const json_value *obj, const char *key)
{
  const json_value *v = obj ? json_object_get(obj, key) : NULL;

  return v && json_type_of(v) != JSON_NULL ? v : NULL;
}

/* "<path>: is required" unless obj has key. */
static int need(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key)
{
  return rd_get(obj, key) ? 0 : rd_required(r, JPATH_KEY(at, key));
}

static int check_type(struct spec_reader *r, const json_value *v, const struct jpath *at,
                      enum json_type type)
{
  if (json_type_of(v) == type)
    return 0;
  return rd_error(r, at, "expected %s", json_type_name(type));
}

static int value_uint(struct spec_reader *r, const json_value *v, const struct jpath *at,
                      unsigned bits, uint64_t *out)
{
  uint64_t max = bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;

  if (json_uint64(v, out) && *out <= max)
    return 0;
  if (bits >= 64)
    return rd_error(r, at, "expected an unsigned integer");
  return rd_error(r, at, "expected an unsigned %u-bit integer", bits);
}

static int value_int(struct spec_reader *r, const json_value *v, const struct jpath *at,
                     unsigned bits, int64_t *out)
{
  int64_t max = bits >= 64 ? INT64_MAX : (INT64_C(1) << (bits - 1)) - 1;

  if (json_int64(v, out) && *out <= max && *out >= -max - 1)
    return 0;
  if (bits >= 64)
    return rd_error(r, at, "expected an integer");
  return rd_error(r, at, "expected a %u-bit integer", bits);
}

json_value *rd_parse(struct spec_reader *r, const char *text, size_t len,
                     const struct jpath *at)
{
  json_value *doc = json_parse(text, len, r->err);

  if (doc && check_type(r, doc, at, JSON_OBJECT) < 0) {
    json_free(doc);
    return NULL;
  }
  return doc;
}

/* ---- members ----------------------------------------------------------- */

int rd_object(struct spec_reader *r, const json_value *obj, const struct jpath *at,
              const char *key, const json_value **out)
{
  const json_value *v = rd_get(obj, key);

  *out = NULL;
  if (v && check_type(r, v, JPATH_KEY(at, key), JSON_OBJECT) < 0)
    return -1;
  *out = v;
  return 0;
}

int rd_object_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                  const char *key, const json_value **out)
{
  if (need(r, obj, at, key) < 0)
    return -1;
  return rd_object(r, obj, at, key, out);
}

/* The string member without copying it; *out is NULL when absent. */
static int peek_string(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                       const char *key, const char **out)
{
  const json_value *v = rd_get(obj, key);

  *out = NULL;
  if (v && check_type(r, v, JPATH_KEY(at, key), JSON_STRING) < 0)
    return -1;
  *out = v ? json_string(v) : NULL;
  return 0;
}

int rd_string(struct spec_reader *r, const json_value *obj, const struct jpath *at,
              const char *key, char **out)
{
  const char *s;

  *out = NULL;
  if (peek_string(r, obj, at, key, &s) < 0)
    return -1;
  if (s)
    *out = arena_strdup(r->arena, s);
  return 0;
}

int rd_string_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                  const char *key, char **out)
{
  if (need(r, obj, at, key) < 0)
    return -1;
  return rd_string(r, obj, at, key, out);
}

int rd_abs_path(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, char **out)
{
  if (rd_string(r, obj, at, key, out) < 0)
    return -1;
  if (*out && (*out)[0] != '/')
    return rd_must(r, JPATH_KEY(at, key), "be an absolute path");
  return 0;
}

int rd_abs_path_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                    const char *key, char **out)
{
  if (need(r, obj, at, key) < 0)
    return -1;
  return rd_abs_path(r, obj, at, key, out);
}

int rd_enum(struct spec_reader *r, const json_value *obj, const struct jpath *at,
            const char *key, const struct rd_name *table, const char *what, long *out)
{
  const char *s;

  if (peek_string(r, obj, at, key, &s) < 0)
    return -1;
  if (s && !rd_lookup(table, s, out))
    return rd_error(r, JPATH_KEY(at, key), "unknown %s \"%s\"", what, s);
  return 0;
}

int rd_enum_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, const struct rd_name *table, const char *what,
                long *out)
{
  if (need(r, obj, at, key) < 0)
    return -1;
  return rd_enum(r, obj, at, key, table, what, out);
}

int rd_bool(struct spec_reader *r, const json_value *obj, const struct jpath *at,
            const char *key, bool *out)
{
  const json_value *v = rd_get(obj, key);

  if (v && !json_bool(v, out))
    return rd_error(r, JPATH_KEY(at, key), "expected a boolean");
  return 0;
}

int rd_bool_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, bool *out)
{
  if (need(r, obj, at, key) < 0)
    return -1;
  return rd_bool(r, obj, at, key, out);
}

int rd_opt_bool(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, opt_bool *out)
{
  out->set = rd_get(obj, key) != NULL;
  out->value = false;
  return rd_bool(r, obj, at, key, &out->value);
}

int rd_uint(struct spec_reader *r, const json_value *obj, const struct jpath *at,
            const char *key, unsigned bits, opt_u64 *out)
{
  const json_value *v = rd_get(obj, key);

  out->set = v != NULL;
  out->value = 0;
  return v ? value_uint(r, v, JPATH_KEY(at, key), bits, &out->value) : 0;
}

int rd_uint_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, unsigned bits, uint64_t *out)
{
  opt_u64 v;

  if (need(r, obj, at, key) < 0 || rd_uint(r, obj, at, key, bits, &v) < 0)
    return -1;
  *out = v.value;
  return 0;
}

int rd_u32_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
               const char *key, uint32_t *out)
{
  uint64_t v;

  if (rd_uint_req(r, obj, at, key, 32, &v) < 0)
    return -1;
  *out = (uint32_t)v;
  return 0;
}

int rd_int(struct spec_reader *r, const json_value *obj, const struct jpath *at,
           const char *key, unsigned bits, opt_i64 *out)
{
  const json_value *v = rd_get(obj, key);

  out->set = v != NULL;
  out->value = 0;
  return v ? value_int(r, v, JPATH_KEY(at, key), bits, &out->value) : 0;
}

int rd_int_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
               const char *key, int64_t *out)
{
  opt_i64 v;

  if (need(r, obj, at, key) < 0 || rd_int(r, obj, at, key, 64, &v) < 0)
    return -1;
  *out = v.value;
  return 0;
}

/* ---- collections ------------------------------------------------------- */

int rd_strv(struct spec_reader *r, const json_value *obj, const struct jpath *at,
            const char *key, struct spec_strv *out)
{
  const json_value *v = rd_get(obj, key);
  const struct jpath *here = JPATH_KEY(at, key);
  size_t i, n = v ? json_array_len(v) : 0;

  out->items = arena_calloc(r->arena, n + 1, sizeof(char *));
  out->len = 0;
  if (v && json_type_of(v) != JSON_ARRAY)
    return rd_error(r, here, "expected an array of strings");
  for (i = 0; i < n; i++) {
    const char *s = json_string(json_array_get(v, i));

    if (!s)
      return rd_error(r, JPATH_INDEX(here, i), "expected a string");
    out->items[out->len++] = arena_strdup(r->arena, s);
  }
  return 0;
}

int rd_strv_enum(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                 const char *key, const struct rd_name *table, const char *what,
                 struct spec_strv *out)
{
  size_t i;
  long ignored;

  if (rd_strv(r, obj, at, key, out) < 0)
    return -1;
  for (i = 0; i < out->len; i++)
    if (!rd_lookup(table, out->items[i], &ignored))
      return rd_error(r, JPATH_INDEX(JPATH_KEY(at, key), i), "unknown %s \"%s\"", what,
                      out->items[i]);
  return 0;
}

int rd_strv_abs(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, struct spec_strv *out)
{
  size_t i;

  if (rd_strv(r, obj, at, key, out) < 0)
    return -1;
  for (i = 0; i < out->len; i++)
    if (out->items[i][0] != '/')
      return rd_must(r, JPATH_INDEX(JPATH_KEY(at, key), i), "be an absolute path");
  return 0;
}

/* The array member key; *out is NULL when absent. */
static int get_array(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                     const char *key, const json_value **out)
{
  *out = rd_get(obj, key);
  if (*out && check_type(r, *out, JPATH_KEY(at, key), JSON_ARRAY) < 0)
    return -1;
  return 0;
}

int rd_u32_array(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                 const char *key, uint32_t **out, size_t *n)
{
  const json_value *v;
  size_t i, len;
  uint64_t x;

  *out = NULL;
  *n = 0;
  if (get_array(r, obj, at, key, &v) < 0)
    return -1;
  if (!v)
    return 0;
  len = json_array_len(v);
  *out = arena_calloc(r->arena, len, sizeof(uint32_t));
  for (i = 0; i < len; i++) {
    if (value_uint(r, json_array_get(v, i), JPATH_INDEX(JPATH_KEY(at, key), i), 32, &x) < 0)
      return -1;
    (*out)[i] = (uint32_t)x;
  }
  *n = len;
  return 0;
}

int rd_string_map(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                  const char *key, struct spec_kv **out, size_t *n)
{
  const json_value *v;
  const struct jpath *here = JPATH_KEY(at, key);
  size_t i, len;

  *out = NULL;
  *n = 0;
  if (rd_object(r, obj, at, key, &v) < 0)
    return -1;
  if (!v)
    return 0;
  len = json_object_size(v);
  *out = arena_calloc(r->arena, len, sizeof(struct spec_kv));
  for (i = 0; i < len; i++) {
    const char *k = json_object_key(v, i);
    const char *s = json_string(json_object_value(v, i));

    if (!s)
      return rd_error(r, JPATH_KEY(here, k), "expected a string");
    (*out)[i].key = arena_strdup(r->arena, k);
    (*out)[i].value = arena_strdup(r->arena, s);
  }
  *n = len;
  return 0;
}

int rd_objects(struct spec_reader *r, const json_value *obj, const struct jpath *at,
               const char *key, size_t item_size, rd_item_fn fn, void **items,
               size_t *n)
{
  const json_value *v;
  const struct jpath *here = JPATH_KEY(at, key);
  unsigned char *base;
  size_t i, len;

  *items = NULL;
  *n = 0;
  if (get_array(r, obj, at, key, &v) < 0)
    return -1;
  if (!v)
    return 0;
  len = json_array_len(v);
  base = arena_calloc(r->arena, len, item_size);
  for (i = 0; i < len; i++) {
    const json_value *e = json_array_get(v, i);
    const struct jpath *ep = JPATH_INDEX(here, i);

    if (check_type(r, e, ep, JSON_OBJECT) < 0 || fn(r, e, ep, base + i * item_size) < 0)
      return -1;
  }
  *items = base;
  *n = len;
  return 0;
}
