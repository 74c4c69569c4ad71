/* The benchmarks' clocks: wall time and this process's CPU time, in µs. */
#ifndef HRUN_BENCH_CLOCK_H
#define HRUN_BENCH_CLOCK_H

#include <sys/resource.h>
#include <time.h>

static inline long long now_us(void)
{
  struct timespec t;

  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

static inline long long cpu_us(void)
{
  struct rusage r;

  getrusage(RUSAGE_SELF, &r);
  return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1000000LL + r.ru_utime.tv_usec +
         r.ru_stime.tv_usec;
}

#endif
