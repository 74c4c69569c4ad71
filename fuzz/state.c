/* libFuzzer target: a container's state.json through state_parse, what
 * state_read runs on the file. */
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/state/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct container_state st;
  hrun_error err;

  if (state_parse((const char *)data, size, &st, &err) == 0)
    state_free(&st);
  return 0;
}
