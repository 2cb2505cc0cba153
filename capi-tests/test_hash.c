/* Hashing: str and bytes under the key PyConfig's hash seed selects (values taken
 * from CPython 3.13 run with PYTHONHASHSEED set), random keys per runtime start,
 * and the pyhash.h helpers. */
#include "harness.h"
#include <math.h>

/* Restarts the runtime with `use_hash_seed` / `hash_seed` set as given. */
static int restart_with_seed(int use_hash_seed, unsigned long seed) {
    if (Py_IsInitialized() && Py_FinalizeEx() < 0) return -1;
    PyConfig c;
    PyConfig_InitIsolatedConfig(&c);
    c.use_hash_seed = use_hash_seed;
    c.hash_seed = seed;
    PyStatus st = Py_InitializeFromConfig(&c);
    PyConfig_Clear(&c);
    return PyStatus_Exception(st) ? -1 : 0;
}

static Py_hash_t str_hash(const char *utf8) {
    PyObject *s = PyUnicode_FromString(utf8);
    if (s == NULL) return -1;
    Py_hash_t h = PyObject_Hash(s);
    Py_DECREF(s);
    return h;
}

static Py_hash_t bytes_hash(const char *data, Py_ssize_t n) {
    PyObject *b = PyBytes_FromStringAndSize(data, n);
    if (b == NULL) return -1;
    Py_hash_t h = PyObject_Hash(b);
    Py_DECREF(b);
    return h;
}

static int seed_zero_gives_cpython_hashes(void) {
    CHECK(restart_with_seed(1, 0) == 0);
    CHECK(str_hash("abc") == -4594863902769663758LL);
    CHECK(bytes_hash("abc", 3) == -4594863902769663758LL);
    CHECK(_Py_HashBytes("abc", 3) == -4594863902769663758LL);
    /* A str hashes its PEP 393 data: one, two or four bytes per character. */
    CHECK(str_hash("\xc3\xa9") == 6047309291227476195LL);          /* U+00E9 */
    CHECK(bytes_hash("\xe9", 1) == 6047309291227476195LL);
    CHECK(str_hash("\xe2\x82\xac") == -5529981157763016009LL);     /* U+20AC */
    CHECK(str_hash("\xf0\x9f\x98\x80x") == -8926728262118538918LL); /* U+1F600 x */
    CHECK(bytes_hash("\xc3\xa9", 2) == -1266968099349302080LL);
    CHECK(str_hash("") == 0 && bytes_hash("", 0) == 0 && _Py_HashBytes("", 0) == 0);
    return 0;
}

static int nonzero_seeds_give_cpython_hashes(void) {
    CHECK(restart_with_seed(1, 42) == 0);
    CHECK(str_hash("abc") == 3869580338025362921LL);
    CHECK(str_hash("\xc3\xa9") == 5653850369683463245LL);
    CHECK(str_hash("\xe2\x82\xac") == -9193319877017669544LL);
    CHECK(str_hash("\xf0\x9f\x98\x80x") == -7412435959675129227LL);
    CHECK(restart_with_seed(1, 4294967295UL) == 0);
    CHECK(str_hash("abc") == -6122489556238538401LL);
    CHECK(str_hash("\xf0\x9f\x98\x80x") == 461681878319395138LL);
    CHECK(restart_with_seed(1, 1) == 0);
    char hundred[101];
    memset(hundred, 'a', 100);
    hundred[100] = 0;
    CHECK(str_hash(hundred) == -8353280118088029196LL);
    return 0;
}

static int random_keys_differ_between_runtimes(void) {
    /* The harness started this runtime with Py_Initialize: a random key. */
    Py_hash_t first = str_hash("abc");
    CHECK(restart_with_seed(0, 0) == 0); /* use_hash_seed = 0: random, seed ignored */
    Py_hash_t second = str_hash("abc");
    CHECK(Py_FinalizeEx() == 0);
    Py_Initialize();
    Py_hash_t third = str_hash("abc");
    /* Three independent 128-bit keys: equal hashes would be a 2**-64 accident. */
    CHECK(first != second && second != third && first != third);
    CHECK(first != -4594863902769663758LL);
    /* Equal text still hashes equally within a runtime. */
    CHECK(str_hash("abc") == third && bytes_hash("abc", 3) == third);
    return 0;
}

static int interpreters_share_the_key(void) {
    Py_hash_t main_hash = str_hash("shared key");
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = NULL;
    PyStatus st = Py_NewInterpreterFromConfig(&sub, &isolated);
    CHECK(!PyStatus_Exception(st));
    Py_hash_t sub_hash = str_hash("shared key");
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    CHECK(sub_hash == main_hash);
    return 0;
}

static int pointer_hash_rotates(void) {
    CHECK(Py_HashPointer((void *)0x1230) == 0x123);
    CHECK(Py_HashPointer((void *)0xF) == (Py_hash_t)0xF000000000000000ULL);
    CHECK(Py_HashPointer((void *)-1) == -2); /* -1 is the error value */
    CHECK(_Py_HashPointer((void *)0x40) == 4);
    PyObject *o = PyList_New(0);
    CHECK(PyObject_GenericHash(o) == Py_HashPointer(o));
    Py_DECREF(o);
    return 0;
}

static int object_default_hash_is_the_pointer_hash(void) {
    PyObject *exc = PyErr_NewException("test.Boom", NULL, NULL);
    CHECK(exc != NULL);
    CHECK(PyObject_Hash(exc) == Py_HashPointer(exc));
    Py_DECREF(exc);
    return 0;
}

static int double_hash_follows_cpython(void) {
    PyObject *nan = PyFloat_FromDouble(NAN), *other = PyFloat_FromDouble(NAN);
    CHECK(_Py_HashDouble(nan, NAN) == Py_HashPointer(nan));
    CHECK(PyObject_Hash(nan) == Py_HashPointer(nan));
    CHECK(PyObject_Hash(nan) != PyObject_Hash(other));
    CHECK(_Py_HashDouble(NULL, INFINITY) == PyHASH_INF);
    CHECK(_Py_HashDouble(NULL, -INFINITY) == -PyHASH_INF);
    CHECK(_Py_HashDouble(NULL, 1.5) == 1152921504606846977LL); /* hash(1.5) */
    CHECK(_Py_HashDouble(NULL, -1.0) == -2);
    PyObject *f = PyFloat_FromDouble(0.5);
    CHECK(_Py_HashDouble(f, 0.5) == PyObject_Hash(f));
    Py_DECREF(f);
    Py_DECREF(nan);
    Py_DECREF(other);
    return 0;
}

static int hash_parameters_match_the_numbers(void) {
    CHECK(PyHASH_BITS == 61 && _PyHASH_BITS == PyHASH_BITS);
    CHECK(sizeof(PyHASH_MODULUS) == sizeof(size_t));
    CHECK(PyHASH_MODULUS == ((size_t)1 << 61) - 1 && _PyHASH_MODULUS == PyHASH_MODULUS);
    CHECK(PyHASH_MULTIPLIER == 1000003UL && PyHASH_IMAG == PyHASH_MULTIPLIER);
    CHECK(Py_HASH_ALGORITHM == Py_HASH_SIPHASH13 && Py_HASH_CUTOFF == 0);
    /* Numbers hash modulo PyHASH_MODULUS; infinity hashes to PyHASH_INF. */
    PyObject *m = PyLong_FromSize_t(PyHASH_MODULUS), *m1 = PyLong_FromSize_t(PyHASH_MODULUS + 5);
    PyObject *inf = PyFloat_FromDouble(INFINITY);
    CHECK(PyObject_Hash(m) == 0 && PyObject_Hash(m1) == 5);
    CHECK(PyObject_Hash(inf) == _PyHASH_INF);
    Py_DECREF(m);
    Py_DECREF(m1);
    Py_DECREF(inf);
    return 0;
}

static int func_def_describes_siphash13(void) {
    CHECK(restart_with_seed(1, 0) == 0);
    PyHash_FuncDef *def = PyHash_GetFuncDef();
    CHECK(def != NULL && strcmp(def->name, "siphash13") == 0);
    CHECK(def->hash_bits == 64 && def->seed_bits == 128);
    CHECK(def->hash("abc", 3) == -4594863902769663758LL);
    CHECK(def->hash("\xe9", 1) == _Py_HashBytes("\xe9", 1));
    /* The raw function: empty data is hashed like any other, not mapped to 0
     * (CPython 3.13 under PYTHONHASHSEED=0 gives this value). */
    CHECK(def->hash("", 0) == -3315872660926475476LL);
    return 0;
}

static const TestCase cases[] = {
    CASE(seed_zero_gives_cpython_hashes),
    CASE(nonzero_seeds_give_cpython_hashes),
    CASE(random_keys_differ_between_runtimes),
    CASE(interpreters_share_the_key),
    CASE(pointer_hash_rotates),
    CASE(object_default_hash_is_the_pointer_hash),
    CASE(double_hash_follows_cpython),
    CASE(hash_parameters_match_the_numbers),
    CASE(func_def_describes_siphash13),
};

TEST_MAIN(cases)
