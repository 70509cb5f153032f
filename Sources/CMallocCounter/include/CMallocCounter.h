// Counts heap allocations of the calling thread, for the pose benchmark and tests only.
//
// Linking this target into an executable replaces glibc's malloc family with thin
// wrappers around glibc's own __libc_* entry points that increment a thread-local
// counter; nothing else changes. Never link it into a library.
#ifndef CMALLOC_COUNTER_H
#define CMALLOC_COUNTER_H

/// Allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made by
/// the calling thread since it started.
unsigned long long malloc_counter_thread_allocations(void);

#endif
