// What the pose runtime's thread team needs from the C library and the CPU, and Swift
// cannot reach directly: the CPUs this process may run on (sched_getaffinity, a
// _GNU_SOURCE function Glibc's Swift module does not export) and the spin-wait hint.
#ifndef CTHREADS_H
#define CTHREADS_H

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

#endif
