/* Hash parameters of CPython 3.13's pyhash.h (64-bit build), hand-written: the
 * numeric hash reduces modulo the Mersenne prime 2**61 - 1; str and bytes data
 * hash with SipHash-1-3 under a 128-bit key chosen at runtime start. */
#ifndef ISLE_PYHASH_H
#define ISLE_PYHASH_H

/* Strings shorter than this would use a small-string hash: 0, never. */
#define Py_HASH_CUTOFF 0

/* The algorithm numbers CPython's configure knows, and the one in use. */
#define Py_HASH_EXTERNAL 0
#define Py_HASH_SIPHASH24 1
#define Py_HASH_FNV 2
#define Py_HASH_SIPHASH13 3
#define Py_HASH_ALGORITHM Py_HASH_SIPHASH13

/* Multiplier of the tuple and complex hashes (0xf4243). */
#define PyHASH_MULTIPLIER 1000003UL
/* Numbers hash to their value modulo 2**PyHASH_BITS - 1. */
#define PyHASH_BITS 61
#define PyHASH_MODULUS (((size_t)1 << PyHASH_BITS) - 1)
/* hash(float('inf')); minus it for negative infinity. */
#define PyHASH_INF 314159
/* The factor of the imaginary part in a complex number's hash. */
#define PyHASH_IMAG PyHASH_MULTIPLIER

/* The names 3.12 used, still accepted by 3.13. */
#define _PyHASH_MULTIPLIER PyHASH_MULTIPLIER
#define _PyHASH_BITS PyHASH_BITS
#define _PyHASH_MODULUS PyHASH_MODULUS
#define _PyHASH_INF PyHASH_INF
#define _PyHASH_IMAG PyHASH_IMAG
#define _Py_HashPointer Py_HashPointer

#endif
