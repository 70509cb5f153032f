// What the pose runtime's thread team needs from the C library and the CPU, and Swift
// cannot reach directly: the CPUs this process may run on (sched_getaffinity, a
// _GNU_SOURCE function Glibc's Swift module does not export), the spin-wait hint, and
// glibc's malloc thresholds (malloc.h, not in Glibc's Swift module either).
#ifndef CTHREADS_H
#define CTHREADS_H

#include <stdlib.h>  // defines __GLIBC__ under glibc
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// The number of CPUs in this process's affinity mask (honours `taskset`); at least 1.
int cthreads_available_cpus(void);

/// A hint inside a spin-wait loop (`pause` on x86-64, `yield` on arm64).
static inline void cthreads_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/// Fixed glibc malloc thresholds: blocks below `mmap_threshold` bytes come from the heap, and
/// up to `trim_threshold` free bytes at the heap top stay mapped. Returns 1 when both were
/// set, 0 otherwise (another C library: nothing to do).
static inline int cthreads_fix_malloc_thresholds(int mmap_threshold, int trim_threshold) {
#if defined(__GLIBC__)
  return mallopt(M_MMAP_THRESHOLD, mmap_threshold) == 1 &&
         mallopt(M_TRIM_THRESHOLD, trim_threshold) == 1;
#else
  (void)mmap_threshold;
  (void)trim_threshold;
  return 0;
#endif
}

#endif
