#include "libcontainer/device_rules.h"

#include <string.h>

#include "libcontainer/arena.h"
#include "libcontainer/spec.h"

static const struct spec_device_rule default_rules[] = {
    {.allow = true, .type = 'c', .major = -1, .minor = -1, .access = "m"},
    {.allow = true, .type = 'b', .major = -1, .minor = -1, .access = "m"},
    {.allow = true, .type = 'c', .major = 1, .minor = 3, .access = "rwm"},   /* null */
    {.allow = true, .type = 'c', .major = 1, .minor = 5, .access = "rwm"},   /* zero */
    {.allow = true, .type = 'c', .major = 1, .minor = 7, .access = "rwm"},   /* full */
    {.allow = true, .type = 'c', .major = 1, .minor = 8, .access = "rwm"},   /* random */
    {.allow = true, .type = 'c', .major = 1, .minor = 9, .access = "rwm"},   /* urandom */
    {.allow = true, .type = 'c', .major = 5, .minor = 0, .access = "rwm"},   /* tty */
    {.allow = true, .type = 'c', .major = 5, .minor = 1, .access = "rwm"},   /* console */
    {.allow = true, .type = 'c', .major = 5, .minor = 2, .access = "rwm"},   /* ptmx */
    {.allow = true, .type = 'c', .major = 136, .minor = -1, .access = "rwm"}, /* pts */
    {.allow = true, .type = 'c', .major = 10, .minor = 200, .access = "rwm"}, /* tun */
};

#define N_DEFAULT (sizeof(default_rules) / sizeof(default_rules[0]))

void device_rules_effective(const struct oci_spec *spec, struct spec_resources *out)
{
  const struct spec_linux *lx = &spec->linux_cfg;
  size_t n_config = lx->has_resources ? lx->resources.n_devices : 0;
  size_t i, n = 0;
  struct spec_device_rule *rules;

  if (lx->has_resources)
    *out = lx->resources;
  else
    memset(out, 0, sizeof(*out));
  rules = arena_calloc(spec->arena, n_config + N_DEFAULT + lx->n_devices,
                       sizeof(*rules));
  for (i = 0; i < n_config; i++)
    rules[n++] = lx->resources.devices[i];
  for (i = 0; i < N_DEFAULT; i++)
    rules[n++] = default_rules[i];
  for (i = 0; i < lx->n_devices; i++) {
    const struct spec_device *d = &lx->devices[i];
    if (d->type == 'p')
      continue; /* fifos are not device nodes */
    rules[n++] = (struct spec_device_rule){
        .allow = true,
        .type = d->type == 'b' ? 'b' : 'c',
        .major = d->major,
        .minor = d->minor,
        .access = "rwm",
    };
  }
  out->devices = rules;
  out->n_devices = n;
}
