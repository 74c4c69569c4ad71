/* The one door to JSON. json.c is the only file that includes yajl: the rest
 * of hrun reads a parsed tree through these accessors and writes JSON through
 * the writer below, so the library can be swapped without touching callers. */
#ifndef HRUN_JSON_H
#define HRUN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/util/error.h"

typedef struct json_value json_value;

enum json_type {
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_OBJECT,
  JSON_ARRAY,
};

/* Limits on every document hrun reads: a deeper nesting is refused while
 * parsing (nothing recurses over a tree deeper than this), a larger one
 * before it is read. */
#define JSON_MAX_DEPTH 1000
#define JSON_MAX_SIZE (64 << 20)

/* Parses a whole document of len bytes. On failure err says "invalid JSON:
 * <reason>" (yajl's, or a NUL byte, the nesting, the size), or, for a
 * string that holds \u0000, "<path> must not contain a NUL character
 * (\u0000)" (a key: "<path>: a key must not ..."): no string in the tree
 * has one. */
json_value *json_parse(const char *text, size_t len, hrun_error *err);
/* Frees a tree json_parse returned (its root; no walk, no recursion). */
void json_free(json_value *v);

enum json_type json_type_of(const json_value *v);
/* "null", "a boolean", "a number", "a string", "an object", "an array" */
const char *json_type_name(enum json_type t);

size_t json_object_size(const json_value *v);
const char *json_object_key(const json_value *v, size_t i);
json_value *json_object_value(const json_value *v, size_t i);
/* NULL when v is not an object or has no such key. */
json_value *json_object_get(const json_value *v, const char *key);

size_t json_array_len(const json_value *v);
json_value *json_array_get(const json_value *v, size_t i);

/* NULL unless v is a string. */
const char *json_string(const json_value *v);
/* false unless v is a boolean. */
bool json_bool(const json_value *v, bool *out);
/* false unless v is a number written as an integer that fits the type
 * (no fraction, no exponent, in range). */
bool json_int64(const json_value *v, int64_t *out);
bool json_uint64(const json_value *v, uint64_t *out);
/* false unless v is a number. */
bool json_double(const json_value *v, double *out);

/* Writer. Calls must nest properly; output stays valid until free. */
typedef struct json_writer json_writer;

json_writer *json_writer_new(bool pretty);
void json_writer_free(json_writer *w);
void jw_object_begin(json_writer *w);
void jw_object_end(json_writer *w);
void jw_array_begin(json_writer *w);
void jw_array_end(json_writer *w);
void jw_key(json_writer *w, const char *key);
void jw_string(json_writer *w, const char *s);
void jw_int(json_writer *w, long long v);
void jw_uint(json_writer *w, unsigned long long v);
void jw_bool(json_writer *w, bool v);
void jw_null(json_writer *w);
/* Copies an already parsed value (any type) into the output. */
void jw_value(json_writer *w, const json_value *v);
const char *jw_output(json_writer *w, size_t *len);

#endif
