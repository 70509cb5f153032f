#ifndef BUDDY_CCRYPTO_H
#define BUDDY_CCRYPTO_H

// OpenSSL's digest API, loaded at first use (LibCryptoLoader.c): the declarations are
// OpenSSL's own, the definitions this target's forwarders.
#include <openssl/evp.h>

/// The exit status when libcrypto cannot be loaded: 78, `ExitStatus.config` in the CLI.
static const int BuddyLibCryptoMissingStatus = 78;

#endif
