/* runtime-spec "seccomp notify": the listener fd of a filter that uses
 * SCMP_ACT_NOTIFY goes to the agent listening at linux.seccomp.listenerPath,
 * with the container process state (config-linux.md, "The Container Process
 * State") as the payload of the same message. One connection, one message,
 * then close, as the specification requires. */
#include "libcontainer/security/seccomp.h"

#include <string.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/json.h"
#include "libcontainer/util/unix_socket.h"

static void write_state(json_writer *w, const struct seccomp_state_info *st)
{
  jw_key(w, "state");
  jw_object_begin(w);
  jw_key(w, "ociVersion");
  jw_string(w, HRUN_SPEC_VERSION);
  jw_key(w, "id");
  jw_string(w, st->id);
  jw_key(w, "status");
  jw_string(w, st->status);
  jw_key(w, "pid");
  jw_int(w, st->pid);
  jw_key(w, "bundle");
  jw_string(w, st->bundle);
  /* Always an object, empty when there are none: agents index into it. */
  jw_key(w, "annotations");
  jw_object_begin(w);
  for (size_t i = 0; i < st->n_annotations; i++) {
    jw_key(w, st->annotations[i].key);
    jw_string(w, st->annotations[i].value);
  }
  jw_object_end(w);
  jw_object_end(w);
}

char *seccomp_state_json(const struct spec_seccomp *s, const struct seccomp_state_info *st,
                         size_t *len)
{
  json_writer *w = json_writer_new(false);
  const char *out;
  char *copy;
  size_t n;

  jw_object_begin(w);
  jw_key(w, "ociVersion");
  jw_string(w, HRUN_SPEC_VERSION);
  /* The names of the SCM_RIGHTS fds, in order. */
  jw_key(w, "fds");
  jw_array_begin(w);
  jw_string(w, "seccompFd");
  jw_array_end(w);
  jw_key(w, "pid");
  jw_int(w, st->pid);
  jw_key(w, "metadata");
  jw_string(w, s->listener_metadata ? s->listener_metadata : "");
  write_state(w, st);
  jw_object_end(w);
  out = jw_output(w, &n);
  copy = xmalloc0(n + 1);
  memcpy(copy, out, n);
  json_writer_free(w);
  if (len)
    *len = n;
  return copy;
}

int seccomp_send_listener(const struct spec_seccomp *s, int listener_fd,
                          const struct seccomp_state_info *st, hrun_error *err)
{
  cleanup_close int sock = -1;
  cleanup_free char *json = NULL;
  size_t len;

  if (!s->listener_path || !s->listener_path[0])
    return err_set(err, 0, "linux.seccomp: SCMP_ACT_NOTIFY requires listenerPath");
  sock = unix_connect(s->listener_path, "linux.seccomp.listenerPath", err);
  if (sock < 0)
    return -1;
  json = seccomp_state_json(s, st, &len);
  return unix_send_fd(sock, listener_fd, json, len, "linux.seccomp.listenerPath", err);
}
