#include "libcontainer/util/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARENA_CHUNK 16384

struct arena_chunk {
  struct arena_chunk *next;
  size_t used, size;
  _Alignas(16) unsigned char data[];
};

struct arena {
  struct arena_chunk *head;
};

static void out_of_memory(void)
{
  static const char msg[] = "hrun: out of memory\n";
  if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
    /* nothing left to report with */
  }
  _exit(EXIT_FAILURE);
}

void *xmalloc0(size_t size)
{
  void *p = calloc(1, size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *xrealloc(void *p, size_t size)
{
  void *r = realloc(p, size ? size : 1);
  if (!r)
    out_of_memory();
  return r;
}

char *xstrdup(const char *s)
{
  char *r = strdup(s);
  if (!r)
    out_of_memory();
  return r;
}

char *xasprintf(const char *fmt, ...)
{
  va_list ap;
  char *r;

  va_start(ap, fmt);
  if (vasprintf(&r, fmt, ap) < 0)
    out_of_memory();
  va_end(ap);
  return r;
}

struct arena *arena_new(void)
{
  return xmalloc0(sizeof(struct arena));
}

void arena_free(struct arena *a)
{
  struct arena_chunk *c, *next;

  if (!a)
    return;
  for (c = a->head; c; c = next) {
    next = c->next;
    free(c);
  }
  free(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
  struct arena_chunk *c = a->head;
  size_t aligned = (size + 15) & ~(size_t)15;
  void *p;

  if (!c || c->size - c->used < aligned) {
    size_t cap = aligned > ARENA_CHUNK ? aligned : ARENA_CHUNK;
    c = xmalloc0(sizeof(*c) + cap);
    c->size = cap;
    c->next = a->head;
    a->head = c;
  }
  p = c->data + c->used;
  c->used += aligned;
  memset(p, 0, size);
  return p;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
  if (size && n > SIZE_MAX / size)
    out_of_memory();
  return arena_alloc(a, n * size);
}

char *arena_strdup(struct arena *a, const char *s)
{
  size_t len = strlen(s) + 1;
  char *r = arena_alloc(a, len);
  memcpy(r, s, len);
  return r;
}

char *arena_sprintf(struct arena *a, const char *fmt, ...)
{
  va_list ap;
  char *tmp, *r;

  va_start(ap, fmt);
  if (vasprintf(&tmp, fmt, ap) < 0)
    out_of_memory();
  va_end(ap);
  r = arena_strdup(a, tmp);
  free(tmp);
  return r;
}
