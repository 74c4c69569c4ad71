/* libFuzzer target: `exec --process FILE` through spec_parse_process. */
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct arena *a = arena_new();
  struct spec_process *p;
  hrun_error err;

  spec_parse_process((const char *)data, size, a, &p, &err);
  arena_free(a);
  return 0;
}
