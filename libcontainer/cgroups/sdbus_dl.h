/* sd-bus (libsystemd), loaded with dlopen on the first use by the systemd
 * cgroup driver. hrun is a static binary (no loader at each of the starts
 * a container costs) and Debian ships no static libsystemd: loading it
 * only when --systemd-cgroup is used keeps both, and a hrun that never
 * meets systemd needs no libsystemd at all. The types and prototypes are
 * libsystemd-dev's. */
#ifndef HRUN_SDBUS_DL_H
#define HRUN_SDBUS_DL_H

#include <systemd/sd-bus.h>

#include "libcontainer/util/error.h"

struct sdbus_api {
  __typeof__(sd_bus_open_system) *open_system;
  __typeof__(sd_bus_flush_close_unref) *flush_close_unref;
  __typeof__(sd_bus_call_method) *call_method;
  __typeof__(sd_bus_call) *call;
  __typeof__(sd_bus_match_signal) *match_signal;
  __typeof__(sd_bus_process) *process;
  __typeof__(sd_bus_wait) *wait;
  __typeof__(sd_bus_message_new_method_call) *message_new_method_call;
  __typeof__(sd_bus_message_unref) *message_unref;
  __typeof__(sd_bus_message_append) *message_append;
  __typeof__(sd_bus_message_append_array) *message_append_array;
  __typeof__(sd_bus_message_open_container) *message_open_container;
  __typeof__(sd_bus_message_close_container) *message_close_container;
  __typeof__(sd_bus_message_read) *message_read;
  __typeof__(sd_bus_error_free) *error_free;
  __typeof__(sd_bus_error_has_name) *error_has_name;
};

/* Filled by sdbus_load(). */
extern struct sdbus_api sdbus;

/* Loads libsystemd.so.0 once; the error names it and says why not. */
int sdbus_load(hrun_error *err);

#endif
