/* The container id: the characters runc allows, so that an id is a safe
 * file name under the state root and a safe word in a message. */
#include "libcontainer/state/state.h"

#include <stdbool.h>
#include <string.h>

static bool id_char_ok(char c, bool first)
{
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
    return true;
  if (c == '_' || c == '+' || c == '-')
    return true;
  return !first && c == '.';
}

static int check_id(const char *id, hrun_error *err)
{
  size_t i;

  if (!id || !id[0])
    return err_set(err, 0, "container id must not be empty");
  if (strlen(id) > 1024)
    return err_set(err, 0, "invalid container id: longer than 1024 characters");
  for (i = 0; id[i]; i++)
    if (!id_char_ok(id[i], i == 0)) {
      char quoted[256];

      /* Never the raw bytes: the id came from the command line and may hold
       * a newline or a terminal escape sequence. */
      return err_set(err, 0,
                     "invalid container id \"%s\": use letters, digits, '_', '+', "
                     "'-' and (not first) '.'",
                     err_quote(id, quoted, sizeof(quoted)));
    }
  return 0;
}

int container_id_validate(const char *id, hrun_error *err)
{
  return check_id(id, err) < 0 ? err_kind(err, HRUN_ERR_INVALID_CONFIG) : 0;
}
