// What this x86-64 CPU and its operating system support, for choosing the pose kernels
// compiled for AVX2 or for AVX-512 (Package.swift): cpuid for the instruction subsets and
// xgetbv for the register state the kernel saves on a context switch (AVX-512 code on a
// CPU that has it but an OS that does not save the zmm registers would die).
#ifndef CCPUID_H
#define CCPUID_H

/// 1 when the CPU and the OS support everything `-target-cpu haswell` may emit (AVX, AVX2,
/// FMA, F16C, BMI1, BMI2, LZCNT, MOVBE, POPCNT), else 0 (always 0 off x86-64).
int ccpuid_supports_avx2(void);

/// 1 when, beyond `ccpuid_supports_avx2`, the CPU and the OS support every AVX-512 subset
/// `-target-cpu znver4` may emit (F, CD, BW, DQ, VL, IFMA, VBMI, VBMI2, VNNI, BITALG,
/// VPOPCNTDQ, BF16) and GFNI, VAES and VPCLMULQDQ, with the opmask and zmm state enabled
/// in XCR0, else 0.
int ccpuid_supports_avx512(void);

/// 1 on an AMD Zen 4 (family 19h with `ccpuid_supports_avx512`), which runs each 512-bit
/// vector operation as two 256-bit halves: there the AVX-512 kernels tiled for 8-lane vectors
/// beat those tiled for 16 lanes (measured: the 1×1 convolutions at 85–90 % of the peak
/// against 64–67 %). Else 0.
int ccpuid_splits_512_bit_vectors(void);

#endif
