#include "libcontainer/util/json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "libcontainer/util/arena.h"

/* The tree is our own, built from yajl's event parser: yajl's tree parser
 * recurses once per nesting level (a config nested 400k deep overflowed
 * the stack, in yajl_tree_free too), cuts strings at an embedded \u0000,
 * and reads its input up to the first NUL byte. Here the nesting is
 * bounded while parsing, every string keeps its length until it is
 * checked, and the whole tree lives in one arena, freed without a walk. */
struct json_value {
  enum json_type type;
  bool boolean;
  size_t len;          /* members of an object, elements of an array */
  char *text;          /* a string, or a number as written */
  char **keys;         /* an object's, parallel to items */
  json_value **items;  /* an object's values, an array's elements */
};

/* What json_parse returns: the root, and the arena everything is in. */
struct json_doc {
  json_value root;
  struct arena *arena;
};

/* A container being filled: its items grow by doubling (in the arena: the
 * old copies stay there, at most as much again). */
struct frame {
  json_value *v;
  size_t cap;
};

struct builder {
  struct json_doc *doc;
  bool have_root;
  size_t depth;
  struct frame stack[JSON_MAX_DEPTH];
  hrun_error *err;
  bool failed;   /* err holds the reason the parse was cancelled */
  bool too_deep; /* ... which is the nesting, reported with the offset */
};

static void out_of_memory(void)
{
  fputs("hrun: out of memory\n", stderr);
  _exit(EXIT_FAILURE);
}

/* "a.b[2].c": the members being read in the first `frames` open
 * containers, cut with "..." (keys quoted as err_quote does: they came
 * from the input). */
static void format_path(const struct builder *b, size_t frames, char *buf, size_t size)
{
  size_t n = 0, i;
  char key[64];
  int w;

  buf[0] = '\0';
  for (i = 0; i < frames; i++) {
    const json_value *v = b->stack[i].v;

    if (v->len == 0)
      break;
    if (v->type == JSON_OBJECT)
      w = snprintf(buf + n, size - n, "%s%s", n ? "." : "",
                   err_quote(v->keys[v->len - 1], key, sizeof(key)));
    else
      w = snprintf(buf + n, size - n, "[%zu]", v->len - 1);
    if (w < 0 || (size_t)w >= size - n) {
      strcpy(buf + size - 4, "...");
      return;
    }
    n += (size_t)w;
  }
}

/* Cancels the parse (the callback returns this 0): "<path> must not ..."
 * for a value, "<path>: a key must not ..." for a key of the object at
 * path. */
static int refuse_nul(struct builder *b, bool key)
{
  char path[256];

  format_path(b, key ? b->depth - 1 : b->depth, path, sizeof(path));
  if (key)
    err_set(b->err, 0, "%s%sa key must not contain a NUL character (\\u0000)", path,
            path[0] ? ": " : "");
  else
    err_set(b->err, 0, "%s must not contain a NUL character (\\u0000)",
            path[0] ? path : "a string");
  b->failed = true;
  return 0;
}

static char *copy_text(struct builder *b, const void *s, size_t len)
{
  char *r = arena_alloc(b->doc->arena, len + 1);

  memcpy(r, s, len);
  return r;
}

/* Room for one more item in the innermost open container. */
static void grow(struct builder *b, struct frame *f)
{
  json_value *v = f->v;
  size_t cap = f->cap ? f->cap * 2 : 4;
  json_value **items;
  char **keys;

  if (v->len < f->cap)
    return;
  /* (memcpy from the NULL of an empty container is undefined) */
  items = arena_calloc(b->doc->arena, cap, sizeof(*items));
  if (v->len)
    memcpy(items, v->items, v->len * sizeof(*items));
  v->items = items;
  if (v->type == JSON_OBJECT) {
    keys = arena_calloc(b->doc->arena, cap, sizeof(*keys));
    if (v->len)
      memcpy(keys, v->keys, v->len * sizeof(*keys));
    v->keys = keys;
  }
  f->cap = cap;
}

/* A new value where the parser is: the root, the next element of the
 * array, or the value of the object's last key. */
static json_value *add(struct builder *b, enum json_type type)
{
  struct frame *f = b->depth ? &b->stack[b->depth - 1] : NULL;
  json_value *v;

  if (!f) {
    v = &b->doc->root;
    b->have_root = true;
  } else {
    v = arena_alloc(b->doc->arena, sizeof(*v));
    if (f->v->type == JSON_ARRAY) {
      grow(b, f);
      f->v->items[f->v->len++] = v;
    } else {
      f->v->items[f->v->len - 1] = v;
    }
  }
  v->type = type;
  return v;
}

static int on_null(void *ctx)
{
  add(ctx, JSON_NULL);
  return 1;
}

static int on_boolean(void *ctx, int value)
{
  add(ctx, JSON_BOOL)->boolean = value != 0;
  return 1;
}

static int on_number(void *ctx, const char *s, size_t len)
{
  add(ctx, JSON_NUMBER)->text = copy_text(ctx, s, len);
  return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
  struct builder *b = ctx;

  add(b, JSON_STRING)->text = copy_text(b, s, len);
  /* Every reader takes strings as C strings: "a\u0000b" would silently be
   * "a" (an argument, a mount destination, a hostname cut short). */
  if (memchr(s, '\0', len))
    return refuse_nul(b, false);
  return 1;
}

static int open_container(struct builder *b, enum json_type type)
{
  if (b->depth == JSON_MAX_DEPTH) {
    b->failed = b->too_deep = true;
    return 0;
  }
  b->stack[b->depth].v = add(b, type);
  b->stack[b->depth++].cap = 0;
  return 1;
}

static int on_start_map(void *ctx)
{
  return open_container(ctx, JSON_OBJECT);
}

static int on_start_array(void *ctx)
{
  return open_container(ctx, JSON_ARRAY);
}

static int on_end(void *ctx)
{
  ((struct builder *)ctx)->depth--;
  return 1;
}

static int on_map_key(void *ctx, const unsigned char *s, size_t len)
{
  struct builder *b = ctx;
  struct frame *f = &b->stack[b->depth - 1];

  if (memchr(s, '\0', len))
    return refuse_nul(b, true);
  grow(b, f);
  f->v->keys[f->v->len] = copy_text(b, s, len);
  f->v->items[f->v->len++] = NULL;
  return 1;
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = on_end,
    .yajl_start_array = on_start_array,
    .yajl_end_array = on_end,
};

/* yajl's reason, first line only ("parse error: premature EOF"). */
static void yajl_reason(yajl_handle h, hrun_error *err)
{
  unsigned char *msg = yajl_get_error(h, 0, NULL, 0);
  const char *text = msg ? (const char *)msg : "parse error";

  err_set(err, 0, "invalid JSON: %.*s", (int)strcspn(text, "\n"), text);
  if (msg)
    yajl_free_error(h, msg);
}

/* Runs yajl over the whole text; 0 when b->doc holds the document. */
static int run_parser(struct builder *b, const char *text, size_t len)
{
  yajl_handle h = yajl_alloc(&callbacks, NULL, b);
  yajl_status st;

  if (!h)
    out_of_memory();
  /* As yajl_tree_parse, which hrun used before: comments are allowed. */
  yajl_config(h, yajl_allow_comments, 1);
  st = yajl_parse(h, (const unsigned char *)text, len);
  if (st == yajl_status_ok)
    st = yajl_complete_parse(h);
  if (st != yajl_status_ok && b->too_deep)
    err_set(b->err, 0, "invalid JSON: nested deeper than %d arrays and objects at byte %zu",
            JSON_MAX_DEPTH, yajl_get_bytes_consumed(h));
  else if (st != yajl_status_ok && !b->failed)
    yajl_reason(h, b->err);
  else if (st == yajl_status_ok && !b->have_root)
    err_set(b->err, 0, "invalid JSON: no value");
  yajl_free(h);
  return st == yajl_status_ok && b->have_root ? 0 : -1;
}

json_value *json_parse(const char *text, size_t len, hrun_error *err)
{
  const char *nul = memchr(text, '\0', len);
  struct json_doc *doc;
  struct builder *b;
  int r;

  /* A NUL byte is never valid JSON text; yajl_tree stopped there, so that
   * whatever followed it (trailing garbage, a second document) went unseen. */
  if (nul)
    return err_set(err, 0, "invalid JSON: a NUL byte at offset %zu", (size_t)(nul - text)),
           NULL;
  if (len > JSON_MAX_SIZE)
    return err_set(err, 0, "invalid JSON: larger than %d MiB", JSON_MAX_SIZE >> 20), NULL;
  doc = xmalloc0(sizeof(*doc));
  doc->arena = arena_new();
  b = xmalloc0(sizeof(*b));
  b->doc = doc;
  b->err = err;
  r = run_parser(b, text, len);
  free(b);
  if (r < 0) {
    json_free(&doc->root);
    return NULL;
  }
  return &doc->root;
}

void json_free(json_value *v)
{
  /* Only a root is ever freed, and a root is the start of its json_doc. */
  struct json_doc *doc = (struct json_doc *)v;

  if (!doc)
    return;
  arena_free(doc->arena);
  free(doc);
}

enum json_type json_type_of(const json_value *v)
{
  return v ? v->type : JSON_NULL;
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
  return v && v->type == JSON_OBJECT ? v->len : 0;
}

const char *json_object_key(const json_value *v, size_t i)
{
  return v->keys[i];
}

json_value *json_object_value(const json_value *v, size_t i)
{
  return v->items[i];
}

json_value *json_object_get(const json_value *v, const char *key)
{
  size_t i, n = json_object_size(v);

  /* Last one wins, as in most JSON decoders, if a key is repeated. */
  for (i = n; i > 0; i--)
    if (strcmp(v->keys[i - 1], key) == 0)
      return v->items[i - 1];
  return NULL;
}

size_t json_array_len(const json_value *v)
{
  return v && v->type == JSON_ARRAY ? v->len : 0;
}

json_value *json_array_get(const json_value *v, size_t i)
{
  return v->items[i];
}

const char *json_string(const json_value *v)
{
  return v && v->type == JSON_STRING ? v->text : NULL;
}

bool json_bool(const json_value *v, bool *out)
{
  if (!v || v->type != JSON_BOOL)
    return false;
  *out = v->boolean;
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

  if (!v || v->type != JSON_NUMBER)
    return false;
  text = v->text;
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

  if (!v || v->type != JSON_NUMBER)
    return false;
  text = v->text;
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
  if (!v || v->type != JSON_NUMBER)
    return false;
  *out = strtod(v->text, NULL);
  return true;
}

struct json_writer {
  yajl_gen gen;
};

json_writer *json_writer_new(bool pretty)
{
  json_writer *w = xmalloc0(sizeof(*w));

  w->gen = yajl_gen_alloc(NULL);
  if (!w->gen)
    out_of_memory();
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
    jw_bool(w, v->boolean);
    break;
  case JSON_NUMBER:
    yajl_gen_number(w->gen, v->text, strlen(v->text));
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
