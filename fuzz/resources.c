/* libFuzzer target: `update --resources FILE` through spec_parse_resources. */
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/util/arena.h"
#include "libcontainer/spec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct arena *a = arena_new();
  struct spec_resources *r;
  hrun_error err;

  spec_parse_resources((const char *)data, size, a, &r, &err);
  arena_free(a);
  return 0;
}
