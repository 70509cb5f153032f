#ifndef BUDDY_CXCRYPT_SHIM_H
#define BUDDY_CXCRYPT_SHIM_H

#include <crypt.h>

#endif
