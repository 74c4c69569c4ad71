/* libFuzzer target: config.json through spec_parse, the whole reader
 * (every member, the cross-member checks, mount options, seccomp). */
#include <stddef.h>
#include <stdint.h>

#include "libcontainer/spec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct oci_spec *spec = NULL;
  hrun_error err;

  if (spec_parse((const char *)data, size, &spec, &err) == 0)
    spec_free(spec);
  return 0;
}
