#include "nsexec/exec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/util/cleanup.h"
#include "libcontainer/util/engine_errors.h"
#include "libcontainer/security/passwd.h"
#include "libcontainer/spec/spec.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *env_get(const struct spec_strv *env, const char *name)
{
  size_t i, n = strlen(name);

  for (i = 0; i < env->len; i++)
    if (strncmp(env->items[i], name, n) == 0 && env->items[i][n] == '=')
      return env->items[i] + n + 1;
  return NULL;
}

static bool is_executable_file(const char *path)
{
  struct stat st;

  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int exec_resolve(const struct spec_process *proc, char **path, hrun_error *err)
{
  const char *name = proc->args.items[0];
  const char *search = env_get(&proc->env, "PATH");
  cleanup_free char *dirs = NULL;
  char *dir, *save = NULL;

  if (strchr(name, '/')) {
    struct stat st;
    /* runc's texts (Go's exec.LookPath): engines turn them into exit codes
     * 127 and 126. A directory is "permission denied", as execve says. */
    if (stat(name, &st) < 0)
      return err_exec_lookup(err, name, errno, 1);
    if (S_ISDIR(st.st_mode) || access(name, X_OK) < 0)
      return err_exec_lookup(err, name, S_ISDIR(st.st_mode) ? EACCES : errno, 0);
    *path = xstrdup(name);
    return 0;
  }
  dirs = xstrdup(search ? search : DEFAULT_PATH);
  for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
    cleanup_free char *candidate = xasprintf("%s/%s", dir[0] ? dir : ".", name);
    if (is_executable_file(candidate)) {
      *path = take_ptr(candidate);
      return 0;
    }
  }
  return err_exec_not_found_in_path(err, name);
}

char **exec_build_env(const struct spec_process *proc, hrun_error *err)
{
  cleanup_free char *home = NULL;
  char **env;
  size_t i;

  if (!env_get(&proc->env, "HOME") &&
      passwd_lookup("/etc/passwd", proc->user.uid, PASSWD_HOME, &home, err) < 0) {
    err_wrap(err, "HOME of uid %u", (unsigned)proc->user.uid);
    return NULL;
  }
  env = xmalloc0(sizeof(char *) * (proc->env.len + 2));
  for (i = 0; i < proc->env.len; i++)
    env[i] = proc->env.items[i];
  if (!env_get(&proc->env, "HOME"))
    env[i] = xasprintf("HOME=%s", home ? home : "/");
  return env;
}
