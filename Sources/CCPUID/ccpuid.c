#include "CCPUID.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <stdint.h>

static uint64_t read_xcr0(void) {
  uint32_t eax, edx;
  // xgetbv with ECX = 0 (the instruction's bytes, so no -mxsave is needed).
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
  return ((uint64_t)edx << 32) | eax;
}

static int bit(unsigned value, int position) { return (value >> position) & 1; }

int ccpuid_supports_avx2(void) {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  // SSE4.2 20, POPCNT 23, MOVBE 22, FMA 12, F16C 29, AVX 28, OSXSAVE 27.
  if (!(bit(ecx, 20) && bit(ecx, 23) && bit(ecx, 22) && bit(ecx, 12) && bit(ecx, 29) &&
        bit(ecx, 28) && bit(ecx, 27)))
    return 0;
  // The OS saves the SSE (bit 1) and AVX (bit 2) state.
  if ((read_xcr0() & 0x6) != 0x6) return 0;
  if (__get_cpuid_max(0, 0) < 7) return 0;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  // BMI1 3, AVX2 5, BMI2 8.
  if (!(bit(ebx, 3) && bit(ebx, 5) && bit(ebx, 8))) return 0;
  // LZCNT (ABM): extended leaf 0x80000001, ECX bit 5.
  if (!__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx)) return 0;
  return bit(ecx, 5);
}

int ccpuid_supports_avx512(void) {
  if (!ccpuid_supports_avx2()) return 0;
  // Opmask (bit 5), upper halves of zmm0-15 (6) and zmm16-31 (7), with SSE and AVX.
  if ((read_xcr0() & 0xe6) != 0xe6) return 0;
  unsigned eax, ebx, ecx, edx;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  unsigned maxSubleaf = eax;
  // EBX: F 16, DQ 17, IFMA 21, CD 28, BW 30, VL 31.
  if (!(bit(ebx, 16) && bit(ebx, 17) && bit(ebx, 21) && bit(ebx, 28) && bit(ebx, 30) &&
        bit(ebx, 31)))
    return 0;
  // ECX: VBMI 1, VBMI2 6, GFNI 8, VAES 9, VPCLMULQDQ 10, VNNI 11, BITALG 12, VPOPCNTDQ 14.
  if (!(bit(ecx, 1) && bit(ecx, 6) && bit(ecx, 8) && bit(ecx, 9) && bit(ecx, 10) &&
        bit(ecx, 11) && bit(ecx, 12) && bit(ecx, 14)))
    return 0;
  if (maxSubleaf < 1) return 0;
  // Subleaf 1, EAX: BF16 5.
  __cpuid_count(7, 1, eax, ebx, ecx, edx);
  return bit(eax, 5);
}

int ccpuid_splits_512_bit_vectors(void) {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx)) return 0;
  // "AuthenticAMD" in EBX, EDX, ECX.
  if (ebx != 0x68747541 || edx != 0x69746e65 || ecx != 0x444d4163) return 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
  unsigned family = (eax >> 8) & 0xf;
  if (family == 0xf) family += (eax >> 20) & 0xff;
  // Family 19h with AVX-512 is Zen 4 (Zen 3, the same family, has none).
  return family == 0x19 && ccpuid_supports_avx512();
}

#else
int ccpuid_supports_avx2(void) { return 0; }
int ccpuid_supports_avx512(void) { return 0; }
int ccpuid_splits_512_bit_vectors(void) { return 0; }
#endif
