/* libsystemd.so.0 resolved at run time (sdbus_dl.h says why). From a
 * static binary, glibc's dlopen loads the library with a libc of its own,
 * as it does for NSS modules: it needs the glibc hrun was built with, which
 * on the Debian release hrun is built for is the one installed. */
#include <dlfcn.h>
#include <stddef.h>

#include "libcontainer/cgroups/sdbus_dl.h"

#define LIBSYSTEMD "libsystemd.so.0"

struct sdbus_api sdbus;

static const struct {
  const char *name;
  size_t offset;
} symbols[] = {
#define SYM(field, name) {name, offsetof(struct sdbus_api, field)}
    SYM(open_system, "sd_bus_open_system"),
    SYM(flush_close_unref, "sd_bus_flush_close_unref"),
    SYM(call_method, "sd_bus_call_method"),
    SYM(call, "sd_bus_call"),
    SYM(match_signal, "sd_bus_match_signal"),
    SYM(process, "sd_bus_process"),
    SYM(wait, "sd_bus_wait"),
    SYM(message_new_method_call, "sd_bus_message_new_method_call"),
    SYM(message_unref, "sd_bus_message_unref"),
    SYM(message_append, "sd_bus_message_append"),
    SYM(message_append_array, "sd_bus_message_append_array"),
    SYM(message_open_container, "sd_bus_message_open_container"),
    SYM(message_close_container, "sd_bus_message_close_container"),
    SYM(message_read, "sd_bus_message_read"),
    SYM(error_free, "sd_bus_error_free"),
    SYM(error_has_name, "sd_bus_error_has_name"),
#undef SYM
};

int sdbus_load(hrun_error *err)
{
  static void *lib;
  struct sdbus_api api;

  if (lib)
    return 0;
  void *h = dlopen(LIBSYSTEMD, RTLD_NOW | RTLD_LOCAL);
  if (!h)
    return err_set(err, 0, "--systemd-cgroup: cannot load %s (Debian's libsystemd0): %s",
                   LIBSYSTEMD, dlerror());
  for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
    void *f = dlsym(h, symbols[i].name);
    if (!f) {
      dlclose(h);
      return err_set(err, 0, "--systemd-cgroup: %s has no %s", LIBSYSTEMD, symbols[i].name);
    }
    *(void **)((char *)&api + symbols[i].offset) = f;
  }
  sdbus = api;
  lib = h;
  return 0;
}
