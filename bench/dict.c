/* dict insertion and lookup for key sets of three shapes: sequential ints, ints
 * with a stride of 2**15 (their hashes share the low 15 bits, which a table
 * indexed by the low bits alone turns quadratic) and random str keys. Each case
 * fills a fresh dict with N keys and looks every key up; best of 5 runs. */
#include "common.h"
#include <stdint.h>

#define N 20000
#define RUNS 5

static PyObject *keys[N];

static void make_int_keys(long stride) {
    for (long i = 0; i < N; i++) keys[i] = PyLong_FromLong(i * stride);
}

/* Random 12-letter strings from a fixed xorshift sequence: the same keys each run. */
static void make_str_keys(void) {
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < N; i++) {
        char text[13];
        for (int j = 0; j < 12; j++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text[j] = (char)('a' + x % 26);
        }
        text[12] = 0;
        keys[i] = PyUnicode_FromString(text);
    }
}

static void drop_keys(void) {
    for (int i = 0; i < N; i++) Py_CLEAR(keys[i]);
}

/* Microseconds to insert every key into a new dict and look each one up. */
static double insert_and_lookup(void) {
    double t0 = now_us();
    PyObject *d = PyDict_New();
    for (int i = 0; i < N; i++) {
        if (PyDict_SetItem(d, keys[i], Py_None) < 0) abort();
    }
    for (int i = 0; i < N; i++) {
        if (PyDict_GetItemWithError(d, keys[i]) != Py_None) abort();
    }
    double us = now_us() - t0;
    if (PyDict_Size(d) != N) abort();
    Py_DECREF(d);
    return us;
}

static void measure(const char *name) {
    double best = 1e30;
    for (int run = 0; run < RUNS; run++) {
        double us = insert_and_lookup();
        if (us < best) best = us;
    }
    printf("%-40s %9.3f ms  (%5.1f ns per insert+lookup)\n", name, best / 1e3, best * 1e3 / N);
}

int main(void) {
    Py_Initialize();
    printf("dict, %d keys: insert all, then look each up (best of %d)\n", N, RUNS);
    make_int_keys(1);
    measure("sequential ints 0..N-1");
    drop_keys();
    make_int_keys(1L << 15);
    measure("strided ints i * 2**15");
    drop_keys();
    make_str_keys();
    measure("random 12-letter str keys");
    drop_keys();
    return Py_FinalizeEx() < 0 ? 1 : 0;
}
