// libcrypto, loaded at its first use instead of at process start.
//
// Linked directly, OpenSSL's libcrypto (relocated and initialised by the dynamic loader) cost
// every `buddy` start about 1.5 ms, though only SHA-256 is taken from it and `buddy count` of
// a landmark file never hashes. So this target defines the six digest functions WorkoutStore
// calls, with OpenSSL's own prototypes (the header's declarations make the compiler check
// every signature), as forwarders: the first call opens libcrypto with dlopen and resolves
// them all; every call then jumps through the table.
//
// When libcrypto cannot be loaded, a command that needs a digest can do nothing right: it
// prints one line naming the library and the reason, and the process exits with 78
// (`ExitStatus.config`, documented in `buddy --help` and the README) before anything is
// stored. `BUDDY_LIBCRYPTO` names another library file to load (the tests point it at a
// missing file).

#include "CCrypto.h"

#include <CLazyLibrary.h>
#include <pthread.h>

// Every forwarded function: X(return type, name, parameters, arguments). Hidden, so libraries
// loaded later (libpq brings libcrypto too) never bind to the forwarders.
#define BUDDY_LIBCRYPTO_FUNCTIONS(X)                                                              \
  X(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())                                                     \
  X(const EVP_MD *, EVP_sha256, (void), ())                                                       \
  X(int, EVP_DigestInit_ex, (EVP_MD_CTX * ctx, const EVP_MD *type, ENGINE *impl),                 \
    (ctx, type, impl))                                                                            \
  X(int, EVP_DigestUpdate, (EVP_MD_CTX * ctx, const void *d, size_t cnt), (ctx, d, cnt))          \
  X(int, EVP_DigestFinal_ex, (EVP_MD_CTX * ctx, unsigned char *md, unsigned int *s),              \
    (ctx, md, s))

/// The library loaded when `BUDDY_LIBCRYPTO` is unset (OpenSSL 3's soname, Debian 12's
/// libssl3), and the line printed when it cannot be loaded.
static const BuddyLazyLibrary library = {
    .environmentName = "BUDDY_LIBCRYPTO",
    .defaultFile = "libcrypto.so.3",
    .description = "the OpenSSL crypto library",
    .installHint = "apt-get install libssl3",
    .missingStatus = BuddyLibCryptoMissingStatus,
};

// The resolved functions (written once, under `once`, before any forwarder reads them).
static struct {
#define BUDDY_FIELD(type, name, parameters, arguments) type(*name) parameters;
  BUDDY_LIBCRYPTO_FUNCTIONS(BUDDY_FIELD)
#undef BUDDY_FIELD
  void (*EVP_MD_CTX_free)(EVP_MD_CTX *ctx);
} libcrypto;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  const char *file;
  void *handle = buddy_lazy_open(&library, &file);
#define BUDDY_RESOLVE(type, name, parameters, arguments)                                          \
  libcrypto.name = (type(*) parameters)buddy_lazy_symbol(&library, handle, file, #name);
  BUDDY_LIBCRYPTO_FUNCTIONS(BUDDY_RESOLVE)
#undef BUDDY_RESOLVE
  libcrypto.EVP_MD_CTX_free =
      (void (*)(EVP_MD_CTX *))buddy_lazy_symbol(&library, handle, file, "EVP_MD_CTX_free");
}

#define BUDDY_FORWARD(type, name, parameters, arguments)                                          \
  __attribute__((visibility("hidden"))) type name parameters {                                    \
    pthread_once(&once, load);                                                                    \
    return libcrypto.name arguments;                                                              \
  }
BUDDY_LIBCRYPTO_FUNCTIONS(BUDDY_FORWARD)

__attribute__((visibility("hidden"))) void EVP_MD_CTX_free(EVP_MD_CTX *ctx) {
  pthread_once(&once, load);
  libcrypto.EVP_MD_CTX_free(ctx);
}
