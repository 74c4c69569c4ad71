/* Scope-bound cleanup so that every early return releases what the function
 * acquired; take_fd()/take_ptr() hand ownership to the caller. */
#ifndef HRUN_CLEANUP_H
#define HRUN_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_free_fn(void *p)
{
  free(*(void **)p);
}

static inline void cleanup_close_fn(int *fd)
{
  if (*fd >= 0) {
    int saved = errno;
    close(*fd);
    errno = saved;
  }
}

static inline void cleanup_fclose_fn(FILE **f)
{
  if (*f)
    fclose(*f);
}

static inline void cleanup_closedir_fn(DIR **d)
{
  if (*d)
    closedir(*d);
}

#define cleanup_free __attribute__((cleanup(cleanup_free_fn)))
#define cleanup_close __attribute__((cleanup(cleanup_close_fn)))
#define cleanup_fclose __attribute__((cleanup(cleanup_fclose_fn)))
#define cleanup_closedir __attribute__((cleanup(cleanup_closedir_fn)))

static inline int take_fd(int *fd)
{
  int r = *fd;
  *fd = -1;
  return r;
}

static inline void *take_ptr_(void **p)
{
  void *r = *p;
  *p = NULL;
  return r;
}
#define take_ptr(p) take_ptr_((void **)&(p))

#endif
