/* seccomp notify on the real kernel (the listener fd, its hand-over to an
 * agent with the container process state) and podman's default profile. */
#include "tests/unit/seccomp_test.h"

/* ---- notify ----------------------------------------------------------- */

static void send_fd(int sock, int fd)
{
  char byte = 'F', control[CMSG_SPACE(sizeof(int))] = {0};
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = sizeof(control)};
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  CHILD_CHECK(sendmsg(sock, &msg, MSG_NOSIGNAL) == 1);
}

/* Receives up to size bytes and one fd (-1 when none came). */
static ssize_t recv_with_fd(int sock, char *buf, size_t size, int *fd)
{
  char control[CMSG_SPACE(sizeof(int))] = {0};
  struct iovec iov = {.iov_base = buf, .iov_len = size};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = sizeof(control)};
  struct cmsghdr *cmsg;
  ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | MSG_WAITALL);

  *fd = -1;
  cmsg = CMSG_FIRSTHDR(&msg);
  if (n >= 0 && cmsg && cmsg->cmsg_type == SCM_RIGHTS)
    memcpy(fd, CMSG_DATA(cmsg), sizeof(int));
  return n;
}

/* Answers one notification for mkdir/mkdirat with -EXDEV. */
static void answer_exdev(int listener)
{
  struct pollfd pfd = {.fd = listener, .events = POLLIN};
  struct seccomp_notif req;
  struct seccomp_notif_resp resp;

  assert_int_equal(poll(&pfd, 1, 10000), 1);
  memset(&req, 0, sizeof(req)); /* the kernel wants it zeroed */
  assert_int_equal(ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req), 0);
  assert_true(req.data.nr == SYS_mkdir || req.data.nr == SYS_mkdirat);
  memset(&resp, 0, sizeof(resp));
  resp.id = req.id;
  resp.error = -EXDEV;
  assert_int_equal(ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp), 0);
}

struct notify_child {
  int sock;
  char *path;
};

/* Hands the listener to the parent, then mkdir waits for its answer. */
static int child_notify(int listener, void *arg)
{
  struct notify_child *nc = arg;

  send_fd(nc->sock, listener);
  close(listener);
  CHILD_CHECK(mkdir(nc->path, 0700) < 0 && errno == EXDEV);
  CHILD_CHECK(getpid() > 0);
  return 0;
}

static const char notify_profile[] =
    "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"%s\",\"listenerMetadata\":\"%s\","
    "\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}";

/* Starts a notify child; returns its pid and the listener it sent. */
static pid_t start_notify_child(const struct seccomp_program *p, struct notify_child *nc,
                                int *listener)
{
  int pair[2];
  char byte;
  pid_t pid;

  assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
  nc->sock = pair[1];
  pid = start_child(p, child_notify, nc);
  close(pair[1]);
  assert_int_equal(recv_with_fd(pair[0], &byte, 1, listener), 1);
  assert_true(*listener >= 0);
  close(pair[0]);
  return pid;
}

static void test_notify(void **state)
{
  struct oci_spec *spec;
  struct seccomp_program p;
  struct notify_child nc = {.path = tmp_path("notified")};
  char *json = xasprintf(notify_profile, "/unused", "");
  hrun_error err;
  int listener;
  pid_t pid;

  (void)state;
  spec = parse_seccomp(json);
  assert_int_equal(seccomp_compile(spec->linux_cfg.seccomp, &p, &err), 0);
  assert_true(p.notify);
  pid = start_notify_child(&p, &nc, &listener);
  answer_exdev(listener);
  assert_exited_ok(wait_child(pid));
  assert_int_equal(access(nc.path, F_OK), -1);
  close(listener);
  seccomp_program_free(&p);
  spec_free(spec);
  free(json);
  free(nc.path);
}

/* Binds dir/agent.sock even when too long for sun_path (through the cwd). */
static int listen_in(const char *dir)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX, .sun_path = "agent.sock"};
  int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  assert_int_equal(chdir(dir), 0);
  assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
  assert_int_equal(listen(fd, 1), 0);
  assert_int_equal(fchdir(cwd), 0);
  close(cwd);
  return fd;
}

static const char *get_str(const json_value *v, const char *key)
{
  const char *s = json_string(json_object_get(v, key));

  return s ? s : "<missing>";
}

static void check_state_json(const char *text, size_t len, pid_t pid)
{
  hrun_error err;
  json_value *v = json_parse(text, len, &err);
  const json_value *state, *fds;
  int64_t n;

  assert_non_null(v);
  assert_string_equal(get_str(v, "ociVersion"), "1.3.0");
  fds = json_object_get(v, "fds");
  assert_int_equal(json_array_len(fds), 1);
  assert_string_equal(json_string(json_array_get(fds, 0)), "seccompFd");
  assert_true(json_int64(json_object_get(v, "pid"), &n) && n == pid);
  assert_string_equal(get_str(v, "metadata"), "meta data");
  state = json_object_get(v, "state");
  assert_string_equal(get_str(state, "ociVersion"), "1.3.0");
  assert_string_equal(get_str(state, "id"), "ctr");
  assert_string_equal(get_str(state, "status"), "creating");
  assert_true(json_int64(json_object_get(state, "pid"), &n) && n == pid);
  assert_string_equal(get_str(state, "bundle"), "/bundle");
  assert_string_equal(get_str(json_object_get(state, "annotations"), "a"), "b");
  json_free(v);
}

static void check_send_listener(const char *dir)
{
  struct spec_kv annotations[] = {{"a", "b"}};
  struct seccomp_state_info st = {.id = "ctr", .status = "creating", .bundle = "/bundle",
                                  .annotations = annotations, .n_annotations = 1};
  struct notify_child nc = {.path = tmp_path("agent-denied")};
  char *sock_path = xasprintf("%s/agent.sock", dir), *json, buf[8192];
  int srv = listen_in(dir), conn, listener, got;
  struct oci_spec *spec;
  struct seccomp_program p;
  hrun_error err;
  ssize_t n;

  json = xasprintf(notify_profile, sock_path, "meta data");
  spec = parse_seccomp(json);
  assert_int_equal(seccomp_compile(spec->linux_cfg.seccomp, &p, &err), 0);
  st.pid = start_notify_child(&p, &nc, &listener);
  if (seccomp_send_listener(spec->linux_cfg.seccomp, listener, &st, &err) < 0)
    fail_msg("send: %s", err.msg);
  close(listener);
  conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
  assert_true(conn >= 0);
  n = recv_with_fd(conn, buf, sizeof(buf), &got); /* MSG_WAITALL: until the close */
  assert_true(n > 0 && got >= 0);
  check_state_json(buf, (size_t)n, st.pid);
  answer_exdev(got); /* the fd that came is the child's listener */
  assert_exited_ok(wait_child(st.pid));
  close(got);
  close(conn);
  close(srv);
  seccomp_program_free(&p);
  spec_free(spec);
  free(json);
  free(sock_path);
  free(nc.path);
}

static void test_send_listener(void **state)
{
  struct sockaddr_un addr;
  char *long_dir = xasprintf("%s/%0120d", tmpdir, 0);

  (void)state;
  check_send_listener(tmpdir);
  /* Longer than sun_path: sent through /proc/self/fd/N/agent.sock. */
  assert_int_equal(mkdir(long_dir, 0700), 0);
  assert_true(strlen(long_dir) + strlen("/agent.sock") >= sizeof(addr.sun_path));
  check_send_listener(long_dir);
  free(long_dir);
}

static void test_send_listener_no_agent(void **state)
{
  char *json = xasprintf(notify_profile, "/nonexistent/agent.sock", "");
  struct oci_spec *spec = parse_seccomp(json);
  struct seccomp_state_info st = {.id = "c", .status = "creating", .pid = 1, .bundle = "/"};
  hrun_error err;

  (void)state;
  assert_int_equal(seccomp_send_listener(spec->linux_cfg.seccomp, 0, &st, &err), -1);
  assert_non_null(strstr(err.msg, "linux.seccomp.listenerPath: connect to /nonexistent"));
  spec_free(spec);
  free(json);
}

/* ---- podman's default profile ----------------------------------------- */

#define PODMAN_PROFILE "/usr/share/containers/seccomp.json"

/* podman's default capabilities decide its includes/excludes. */
static bool podman_cap(const char *cap)
{
  static const char *const caps[] = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
                                     "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
                                     "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP",
                                     "CAP_SETUID", "CAP_SYS_CHROOT"};

  for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
    if (strcmp(caps[i], cap) == 0)
      return true;
  return false;
}

/* How many items of obj[key] are amd64 (arches) or podman caps. */
static size_t count_matching(const json_value *obj, const char *key)
{
  const json_value *a = json_object_get(obj, key);
  size_t n = 0;

  for (size_t i = 0; i < json_array_len(a); i++) {
    const char *s = json_string(json_array_get(a, i));

    n += s && (strcmp(s, "amd64") == 0 || podman_cap(s));
  }
  return n;
}

/* What podman does with the profile for an amd64 container with its
 * default capabilities: keep the rules whose includes/excludes match. */
static bool podman_keeps(const json_value *rule)
{
  const json_value *inc = json_object_get(rule, "includes");
  const json_value *exc = json_object_get(rule, "excludes");
  size_t inc_arches = json_array_len(json_object_get(inc, "arches"));
  size_t inc_caps = json_array_len(json_object_get(inc, "caps"));

  return (inc_arches == 0 || count_matching(inc, "arches") > 0) &&
         count_matching(inc, "caps") == inc_caps && count_matching(exc, "arches") == 0 &&
         count_matching(exc, "caps") == 0;
}

static void write_podman_rules(json_writer *w, const json_value *syscalls)
{
  static const char *const keys[] = {"names", "action", "errnoRet", "args"};

  jw_array_begin(w);
  for (size_t i = 0; i < json_array_len(syscalls); i++) {
    const json_value *rule = json_array_get(syscalls, i);

    if (!podman_keeps(rule))
      continue;
    jw_object_begin(w);
    for (size_t k = 0; k < 4; k++)
      if (json_object_get(rule, keys[k])) {
        jw_key(w, keys[k]);
        jw_value(w, json_object_get(rule, keys[k]));
      }
    jw_object_end(w);
  }
  jw_array_end(w);
}

/* The profile as linux.seccomp of a config.json. */
static char *podman_config(const char *text, size_t len)
{
  hrun_error err;
  json_value *profile = json_parse(text, len, &err);
  json_writer *w = json_writer_new(false);
  char *out;

  assert_non_null(profile);
  jw_object_begin(w);
  jw_key(w, "ociVersion");
  jw_string(w, "1.3.0");
  jw_key(w, "root");
  jw_object_begin(w);
  jw_key(w, "path");
  jw_string(w, "r");
  jw_object_end(w);
  jw_key(w, "linux");
  jw_object_begin(w);
  jw_key(w, "seccomp");
  jw_object_begin(w);
  jw_key(w, "defaultAction");
  jw_value(w, json_object_get(profile, "defaultAction"));
  jw_key(w, "defaultErrnoRet");
  jw_value(w, json_object_get(profile, "defaultErrnoRet"));
  jw_key(w, "architectures"); /* archMap's x86_64 entry */
  jw_array_begin(w);
  jw_string(w, "SCMP_ARCH_X86_64");
  jw_string(w, "SCMP_ARCH_X86");
  jw_string(w, "SCMP_ARCH_X32");
  jw_array_end(w);
  jw_key(w, "syscalls");
  write_podman_rules(w, json_object_get(profile, "syscalls"));
  jw_object_end(w);
  jw_object_end(w);
  jw_object_end(w);
  out = xstrdup(jw_output(w, NULL));
  json_writer_free(w);
  json_free(profile);
  return out;
}

static int child_podman(int listener, void *arg)
{
  char *const argv[] = {"true", NULL}, *const envp[] = {NULL};

  (void)listener;
  (void)arg;
  CHILD_CHECK(SYS_ERR(SYS_bpf, 0, NULL, 0) == EPERM);         /* needs CAP_SYS_ADMIN */
  CHILD_CHECK(SYS_ERR(SYS_kexec_load, 0, 0, NULL, 0) == EPERM); /* listed */
  CHILD_CHECK(SYS_ERR(SYS_add_key, NULL, NULL, NULL, 0, 0) == ENOSYS); /* unlisted: the default */
  CHILD_CHECK(SYS_ERR(SYS_getpid) == 0);
  execve("/bin/true", argv, envp);
  CHILD_CHECK(!"execve");
  return 1;
}

static void test_podman_profile(void **state)
{
  char *text = NULL, *config;
  size_t len;
  struct oci_spec *spec;
  struct seccomp_program p;
  hrun_error err;

  (void)state;
  if (read_file_at(AT_FDCWD, PODMAN_PROFILE, &text, &len, &err) < 0)
    skip();
  config = podman_config(text, len);
  if (spec_parse(config, strlen(config), &spec, &err) < 0)
    fail_msg("spec: %s", err.msg);
  if (seccomp_compile(spec->linux_cfg.seccomp, &p, &err) < 0)
    fail_msg("compile: %s", err.msg);
  assert_exited_ok(run_child(&p, child_podman, NULL));
  seccomp_program_free(&p);
  spec_free(spec);
  free(config);
  free(text);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_notify),
      cmocka_unit_test(test_send_listener),
      cmocka_unit_test(test_send_listener_no_agent),
      cmocka_unit_test(test_podman_profile),
  };

  return cmocka_run_group_tests_name("seccomp notify", tests, make_tmpdir, remove_tmpdir);
}
