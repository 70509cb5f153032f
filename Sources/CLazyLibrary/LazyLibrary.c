// Opening a C library at its first use (see include/CLazyLibrary.h): dlopen, dlsym, and the one
// line and exit status when the library or one of its functions is missing.

#include "CLazyLibrary.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

/// Ends the process with one line on standard error: the library is not there to be used.
static void missing(const BuddyLazyLibrary *library, const char *file, const char *reason) {
  fflush(NULL);
  fprintf(stderr, "buddy: cannot load %s %s (%s); install it (Debian: %s)\n",
          library->description, file, reason ? reason : "unknown reason", library->installHint);
  exit(library->missingStatus);
}

void *buddy_lazy_open(const BuddyLazyLibrary *library, const char **file) {
  const char *chosen = getenv(library->environmentName);
  if (!chosen || !*chosen) {
    chosen = library->defaultFile;
  }
  *file = chosen;
  void *handle = dlopen(chosen, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    missing(library, chosen, dlerror());
  }
  return handle;
}

void *buddy_lazy_symbol(const BuddyLazyLibrary *library, void *handle, const char *file,
                        const char *name) {
  void *function = dlsym(handle, name);
  if (!function) {
    missing(library, file, dlerror());
  }
  return function;
}
