// Opening a C library at its first use: the part CLibPQ and CCrypto share.
//
// Each of those targets keeps its own table of forwarders (the functions and prototypes
// differ); this target opens the library, resolves names, and ends the process with one line
// and the given exit status when either fails. Only C targets include this header.

#ifndef BUDDY_CLAZYLIBRARY_H
#define BUDDY_CLAZYLIBRARY_H

/// What a lazily loaded library is, for the one line printed when it cannot be loaded.
typedef struct BuddyLazyLibrary {
  /// The environment variable naming another file to load (the tests point it at a missing
  /// file), e.g. "BUDDY_LIBPQ".
  const char *environmentName;
  /// The file loaded when that variable is unset or empty: the library's soname.
  const char *defaultFile;
  /// What the library is, e.g. "the PostgreSQL client library".
  const char *description;
  /// How to install it, e.g. "apt-get install libpq5".
  const char *installHint;
  /// The exit status when it cannot be loaded (78, `ExitStatus.config`).
  int missingStatus;
} BuddyLazyLibrary;

/// Opens the library (never closed: its functions stay in use until the process ends), or
/// ends the process with one line on standard error naming the file and the reason.
/// `*file` is set to the file opened, for `buddy_lazy_symbol`'s message.
void *buddy_lazy_open(const BuddyLazyLibrary *library, const char **file);

/// The address of `name` in a handle from `buddy_lazy_open`, or the process ends with one
/// line naming the library file and the missing symbol.
void *buddy_lazy_symbol(const BuddyLazyLibrary *library, void *handle, const char *file,
                        const char *name);

#endif
