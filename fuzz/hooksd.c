/* libFuzzer target: an oci-hooks(5) file through hookd_parse, then its
 * `when` against a fixed config (the expressions it checked are compiled
 * again there). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "libcontainer/hooks/hooks_dir.h"

static const char config[] =
    "{\"ociVersion\":\"1.3.0\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"/bin/sh\"],"
    "\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}},\"annotations\":{\"a\":\"b\",\"c.d\":\"yes\"},"
    "\"mounts\":[{\"destination\":\"/x\",\"source\":\"/tmp\",\"options\":[\"rbind\"]}],"
    "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static struct oci_spec *spec;
  struct hookd_set set;
  struct hookd_file f;
  hrun_error err;

  if (!spec && spec_parse(config, sizeof(config) - 1, &spec, &err) < 0)
    __builtin_trap();
  hookd_set_init(&set);
  memset(&f, 0, sizeof(f));
  if (hookd_parse(&set, (const char *)data, size, &f, &err) == 0)
    hookd_match(&f, spec, err.msg, sizeof(err.msg));
  hookd_set_free(&set);
  return 0;
}
