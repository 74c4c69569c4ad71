/* Internal to the spec*.c files: typed readers for config.json fields.
 *
 * Each reader looks one member up, checks its JSON type (and range, enum
 * value, ...), copies it into the spec's arena, and on failure sets an error
 * that names the member's JSON path ("linux.namespaces[2].type: expected a
 * string"). A missing member and a JSON null are the same thing: "absent".
 * Optional readers leave absent values unset; *_req readers fail with
 * "<path>: is required". */
#ifndef HRUN_SPEC_READ_H
#define HRUN_SPEC_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/util/json.h"
#include "libcontainer/spec/spec.h"

/* A location in the document as a chain of stack frames, printed only when an
 * error names it. key == NULL means the element `index` of an array. A NULL
 * jpath is the document itself. JPATH_* build a frame as a compound literal,
 * which lives until the end of the enclosing block. */
struct jpath {
  const struct jpath *parent;
  const char *key;
  size_t index;
};

#define JPATH_KEY(parent_, key_) (&(const struct jpath){(parent_), (key_), 0})
#define JPATH_INDEX(parent_, i_) (&(const struct jpath){(parent_), NULL, (i_)})

struct spec_reader {
  struct arena *arena;
  hrun_error *err;
  /* exec --process: an absent process.user is uid 0, gid 0 (runc reads the
   * file into a Go struct whose zero value that is); config.json must
   * have one. */
  bool process_user_optional;
};

/* A name <-> value table, ended by {NULL, 0}. */
struct rd_name {
  const char *name;
  long value;
};

/* Returns true and sets *value when name is in the table. */
bool rd_lookup(const struct rd_name *table, const char *name, long *value);

/* "pid" -> CLONE_NEWPID, ... (spec.c). */
extern const struct rd_name spec_namespace_names[];

/* Parses a JSON document whose top level must be an object ("<at>: expected
 * an object", or "expected an object" when at is NULL). Free with json_free. */
json_value *rd_parse(struct spec_reader *r, const char *text, size_t len,
                     const struct jpath *at);

/* ---- errors (all return -1) ------------------------------------------ */

/* "<path>: <message>" */
int rd_error(struct spec_reader *r, const struct jpath *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "<path> must <message>" */
int rd_must(struct spec_reader *r, const struct jpath *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "<path>: is required" */
int rd_required(struct spec_reader *r, const struct jpath *at);
/* Prefixes the current error with "<path>: ". */
int rd_wrap(struct spec_reader *r, const struct jpath *at);

/* ---- members --------------------------------------------------------- */

/* The member key of obj; NULL when obj is NULL, or key is absent or null. */
const json_value *rd_get(const json_value *obj, const char *key);

/* Objects: *out is NULL when absent. */
int rd_object(struct spec_reader *r, const json_value *obj, const struct jpath *at,
              const char *key, const json_value **out);
int rd_object_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                  const char *key, const json_value **out);

/* Strings: *out is NULL when absent. */
int rd_string(struct spec_reader *r, const json_value *obj, const struct jpath *at,
              const char *key, char **out);
int rd_string_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                  const char *key, char **out);
/* A string that must start with '/' ("<path> must be an absolute path"). */
int rd_abs_path(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, char **out);
int rd_abs_path_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                    const char *key, char **out);
/* A string looked up in table: "<path>: unknown <what> \"<value>\"";
 * *out is left alone when absent. */
int rd_enum(struct spec_reader *r, const json_value *obj, const struct jpath *at,
            const char *key, const struct rd_name *table, const char *what, long *out);
int rd_enum_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, const struct rd_name *table, const char *what,
                long *out);

/* Booleans: *out is left alone when absent (opt_bool: unset, false). */
int rd_bool(struct spec_reader *r, const json_value *obj, const struct jpath *at,
            const char *key, bool *out);
int rd_bool_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, bool *out);
int rd_opt_bool(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, opt_bool *out);

/* Integers of the given width: bits is 16, 32 or 64 for unsigned ones
 * ("expected an unsigned 32-bit integer", "expected an unsigned integer"),
 * 32 or 64 for signed ones ("expected a 32-bit integer", "expected an
 * integer"). Fractions and exponents are refused. Absent: unset, 0. */
int rd_uint(struct spec_reader *r, const json_value *obj, const struct jpath *at,
            const char *key, unsigned bits, opt_u64 *out);
int rd_uint_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, unsigned bits, uint64_t *out);
int rd_u32_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
               const char *key, uint32_t *out);
int rd_int(struct spec_reader *r, const json_value *obj, const struct jpath *at,
           const char *key, unsigned bits, opt_i64 *out);
int rd_int_req(struct spec_reader *r, const json_value *obj, const struct jpath *at,
               const char *key, int64_t *out);

/* ---- collections ----------------------------------------------------- */

/* An array of strings ("expected an array of strings", then "<path>[i]:
 * expected a string"); empty (items = {NULL}) when absent. */
int rd_strv(struct spec_reader *r, const json_value *obj, const struct jpath *at,
            const char *key, struct spec_strv *out);
/* rd_strv, then every item must be in table ("<path>[i]: unknown <what> ..."). */
int rd_strv_enum(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                 const char *key, const struct rd_name *table, const char *what,
                 struct spec_strv *out);
/* rd_strv, then every item must be an absolute path. */
int rd_strv_abs(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                const char *key, struct spec_strv *out);

/* An array of uint32 ("<path>[i]: expected an unsigned 32-bit integer"). */
int rd_u32_array(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                 const char *key, uint32_t **out, size_t *n);

/* An object whose values are all strings ("<path>.<key>: expected a string"),
 * in document order. */
int rd_string_map(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                  const char *key, struct spec_kv **out, size_t *n);

/* Reads one element (already checked to be an object) into item. */
typedef int (*rd_item_fn)(struct spec_reader *r, const json_value *obj,
                          const struct jpath *at, void *item);

/* An array of objects: allocates *n items of item_size (zeroed) into *items
 * and calls fn on each. *items is NULL and *n 0 when absent. */
int rd_objects(struct spec_reader *r, const json_value *obj, const struct jpath *at,
               const char *key, size_t item_size, rd_item_fn fn, void **items,
               size_t *n);

/* ---- object readers shared by the spec*.c files ----------------------- */

/* One hook entry (path absolute, args, env, timeout > 0) into a struct
 * spec_hook; an rd_item_fn, also for hooks outside config.json (hooks.d
 * files, --hook-spec, hrun's configuration file). */
int spec_read_hook(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                   void *item);
/* uidMappings/gidMappings-style arrays (linux.*, mounts[i].*). */
int spec_read_id_mappings(struct spec_reader *r, const json_value *obj,
                          const struct jpath *at, const char *key,
                          struct spec_id_mapping **out, size_t *n);
int spec_read_process(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                      struct spec_process *out);
/* obj may be NULL: an absent "linux" still gets empty string arrays. */
int spec_read_linux(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                    struct spec_linux *out);
/* linux.netDevices and linux.intelRdt (spec_netdev_rdt.c). */
int spec_read_net_devices(struct spec_reader *r, const json_value *obj,
                          const struct jpath *at, struct spec_linux *out);
int spec_read_intel_rdt(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                        struct spec_linux *out);
int spec_read_resources(struct spec_reader *r, const json_value *obj,
                        const struct jpath *at, struct spec_resources *out);
/* process.ioPriority, process.scheduler, linux.memoryPolicy
 * (spec_procattrs.c); each leaves its output unset when absent. */
int spec_read_io_priority(struct spec_reader *r, const json_value *obj,
                          const struct jpath *at, struct spec_io_priority *out);
int spec_read_scheduler(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                        struct spec_scheduler *out);
int spec_read_memory_policy(struct spec_reader *r, const json_value *obj,
                            const struct jpath *at, struct spec_memory_policy **out);
int spec_read_seccomp(struct spec_reader *r, const json_value *obj, const struct jpath *at,
                      struct spec_seccomp *out);

#endif
