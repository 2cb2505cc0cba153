/* Objects made by isle, read the way code compiled against CPython 3.13 reads them:
 * through the inline functions, macros and struct fields of the headers, not through
 * exported functions. The Makefile builds this file twice, against isle's headers and
 * against CPython 3.13's own, and links both builds with isle only. */
#include "harness.h"
#include <stddef.h>

/* ---- ints ------------------------------------------------------------------ */

#define TAG(o) (((PyLongObject *)(o))->long_value.lv_tag)
#define NDIGITS(o) (TAG(o) >> _PyLong_NON_SIZE_BITS)
#define SIGN_BITS(o) (TAG(o) & _PyLong_SIGN_MASK)
#define DIGIT(o, i) (((PyLongObject *)(o))->long_value.ob_digit[i])

enum { SIGN_POSITIVE = 0, SIGN_ZERO = 1, SIGN_NEGATIVE = 2 };

/* Splits the magnitude written in hex (most significant nibble first) into 30-bit
 * digits, least significant first, nibble by nibble. Returns the digit count without
 * leading zero digits. */
static size_t digits_from_hex(const char *hex, uint32_t *out, size_t cap) {
    size_t n = 0, len = strlen(hex);
    uint64_t pending = 0;
    unsigned pending_bits = 0;
    for (size_t i = len; i-- > 0;) {
        char c = hex[i];
        unsigned v = c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
        pending |= (uint64_t)v << pending_bits;
        pending_bits += 4;
        if (pending_bits >= 30) {
            if (n < cap) out[n] = (uint32_t)(pending & 0x3fffffff);
            n++;
            pending >>= 30;
            pending_bits -= 30;
        }
    }
    if (pending_bits > 0) {
        if (n < cap) out[n] = (uint32_t)pending;
        n++;
    }
    while (n > 0 && n <= cap && out[n - 1] == 0) n--;
    return n;
}

/* Checks that the int `o` has the sign and the magnitude `hex`, digit by digit. */
static int check_int_layout(PyObject *o, int negative, const char *hex) {
    uint32_t want[64];
    size_t n = digits_from_hex(hex, want, 64);
    CHECK(o != NULL && PyLong_Check(o));
    if (NDIGITS(o) != n) fprintf(stderr, "  0x%s: %zu digits, expected %zu\n", hex, (size_t)NDIGITS(o), n);
    CHECK(NDIGITS(o) == n);
    CHECK((TAG(o) & 4) == 0); /* the reserved bit */
    CHECK(SIGN_BITS(o) == (n == 0 ? SIGN_ZERO : negative ? SIGN_NEGATIVE : SIGN_POSITIVE));
    for (size_t i = 0; i < n; i++) {
        if (DIGIT(o, i) != want[i]) fprintf(stderr, "  0x%s: digit %zu is %u, expected %u\n", hex, i, DIGIT(o, i), want[i]);
        CHECK(DIGIT(o, i) == want[i]);
    }
    if (n == 0) CHECK(DIGIT(o, 0) == 0);
    CHECK(PyUnstable_Long_IsCompact((PyLongObject *)o) == (n <= 1));
    return 0;
}

static int int_layout_is_cpythons(void) {
    CHECK(sizeof(PyLongObject) == 32);
    CHECK(offsetof(PyLongObject, long_value.lv_tag) == 16);
    CHECK(offsetof(PyLongObject, long_value.ob_digit) == 24);
    CHECK(sizeof(digit) == 4 && PyLong_SHIFT == 30);
    CHECK(PyLong_Type.tp_basicsize == (Py_ssize_t)offsetof(PyLongObject, long_value.ob_digit));
    CHECK(PyLong_Type.tp_itemsize == (Py_ssize_t)sizeof(digit));
    return 0;
}

static int compact_values(void) {
    const long values[] = {0, 1, -1, 2, -5, 256, 257, -6, 1000, -123456, (1L << 30) - 1, -((1L << 30) - 1)};
    for (size_t i = 0; i < Py_ARRAY_LENGTH(values); i++) {
        PyObject *o = PyLong_FromLong(values[i]);
        CHECK(o != NULL && PyLong_CheckExact(o));
        CHECK(PyUnstable_Long_IsCompact((PyLongObject *)o));
        if (PyUnstable_Long_CompactValue((PyLongObject *)o) != values[i])
            fprintf(stderr, "  %ld read as %zd\n", values[i], PyUnstable_Long_CompactValue((PyLongObject *)o));
        CHECK(PyUnstable_Long_CompactValue((PyLongObject *)o) == values[i]);
        Py_DECREF(o);
    }
    return 0;
}

static int zero_has_no_digits(void) {
    PyObject *zero = PyLong_FromLong(0);
    CHECK(TAG(zero) == SIGN_ZERO && DIGIT(zero, 0) == 0);
    /* Zero made by arithmetic has the same representation. */
    PyObject *a = PyLong_FromLong(123456789), *b = PyLong_FromLong(-123456789);
    PyObject *sum = PyNumber_Add(a, b);
    CHECK(sum != NULL && TAG(sum) == SIGN_ZERO && DIGIT(sum, 0) == 0);
    PyObject *text = PyLong_FromString("-0", NULL, 10);
    CHECK(text != NULL && TAG(text) == SIGN_ZERO);
    Py_DECREF(zero);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(sum);
    Py_DECREF(text);
    return 0;
}

static int bools_are_compact_ints(void) {
    CHECK(PyLong_Check(Py_True) && PyLong_Check(Py_False));
    CHECK(PyBool_Check(Py_True) && !PyLong_CheckExact(Py_True));
    CHECK(PyUnstable_Long_IsCompact((PyLongObject *)Py_True));
    CHECK(PyUnstable_Long_CompactValue((PyLongObject *)Py_True) == 1);
    CHECK(TAG(Py_True) == (1 << _PyLong_NON_SIZE_BITS) && DIGIT(Py_True, 0) == 1);
    CHECK(PyUnstable_Long_IsCompact((PyLongObject *)Py_False));
    CHECK(PyUnstable_Long_CompactValue((PyLongObject *)Py_False) == 0);
    CHECK(TAG(Py_False) == SIGN_ZERO && DIGIT(Py_False, 0) == 0);
    CHECK(sizeof _Py_TrueStruct == 32 && sizeof _Py_FalseStruct == 32);
    CHECK(PyBool_Type.tp_basicsize == PyLong_Type.tp_basicsize);
    CHECK(PyBool_Type.tp_itemsize == PyLong_Type.tp_itemsize);
    return 0;
}

/* Ints from text (hex, parsed by isle) against digits split here from the same text. */
static int digits_of_ints_from_text(void) {
    static const char *const magnitudes[] = {
        "40000000",                    /* 2**30: the first two-digit value */
        "fffffffffffffff",             /* 2**60 - 1 */
        "1000000000000000",            /* 2**60: the first three-digit value */
        "7fffffffffffffff",            /* LONG_MAX */
        "ffffffffffffffff",            /* 2**64 - 1 */
        "10000000000000000",           /* 2**64 */
        "10000000000000000000000005",  /* 2**100 + 5 */
        "123456789abcdef0fedcba9876543210deadbeefcafebabe0123456789abcdef5555aaaa",
    };
    char text[128];
    for (size_t i = 0; i < Py_ARRAY_LENGTH(magnitudes); i++) {
        for (int negative = 0; negative <= 1; negative++) {
            snprintf(text, sizeof text, "%s0x%s", negative ? "-" : "", magnitudes[i]);
            PyObject *o = PyLong_FromString(text, NULL, 16);
            if (check_int_layout(o, negative, magnitudes[i])) return 1;
            Py_DECREF(o);
        }
    }
    return 0;
}

/* Ints from arithmetic and from C integers have the same digits. */
static int digits_of_computed_ints(void) {
    PyObject *one = PyLong_FromLong(1), *hundred = PyLong_FromLong(100), *five = PyLong_FromLong(5);
    PyObject *power = PyNumber_Lshift(one, hundred);
    PyObject *big = PyNumber_Add(power, five);
    if (check_int_layout(big, 0, "10000000000000000000000005")) return 1;
    PyObject *negative = PyNumber_Negative(big);
    if (check_int_layout(negative, 1, "10000000000000000000000005")) return 1;
    PyObject *product = PyNumber_Multiply(negative, big); /* -(2**100 + 5)**2 */
    if (check_int_layout(product, 1, "1000000000000000000000000a0000000000000000000000019")) return 1;

    PyObject *min = PyLong_FromLong(LONG_MIN);
    if (check_int_layout(min, 1, "8000000000000000")) return 1;
    PyObject *umax = PyLong_FromUnsignedLongLong(ULLONG_MAX);
    if (check_int_layout(umax, 0, "ffffffffffffffff")) return 1;
    PyObject *two30 = PyLong_FromLong(1L << 30);
    if (check_int_layout(two30, 0, "40000000")) return 1;
    PyObject *from_double = PyLong_FromDouble(-1e20); /* 0x56bc75e2d63100000 */
    if (check_int_layout(from_double, 1, "56bc75e2d63100000")) return 1;

    PyObject *objects[] = {one, hundred, five, power, big, negative, product, min, umax, two30, from_double};
    for (size_t i = 0; i < Py_ARRAY_LENGTH(objects); i++) Py_DECREF(objects[i]);
    return 0;
}

/* ---- containers ------------------------------------------------------------ */

static int tuple_items_and_size(void) {
    PyObject *a = PyLong_FromLong(1), *b = PyUnicode_FromString("b"), *c = PyFloat_FromDouble(3.0);
    PyObject *t = PyTuple_Pack(3, a, b, c);
    CHECK(t != NULL && PyTuple_Check(t));
    CHECK(PyTuple_GET_SIZE(t) == 3);
    CHECK(PyTuple_GET_ITEM(t, 0) == a && PyTuple_GET_ITEM(t, 1) == b && PyTuple_GET_ITEM(t, 2) == c);
    PyObject *u = PyTuple_New(2);
    CHECK(u != NULL && PyTuple_GET_SIZE(u) == 2);
    PyTuple_SET_ITEM(u, 0, Py_NewRef(a));
    PyTuple_SET_ITEM(u, 1, Py_NewRef(c));
    CHECK(PyTuple_GetItem(u, 1) == c);
    CHECK(PyTuple_Type.tp_itemsize == (Py_ssize_t)sizeof(PyObject *));
    CHECK(PyTuple_Type.tp_basicsize == (Py_ssize_t)offsetof(PyTupleObject, ob_item));
    Py_DECREF(u);
    Py_DECREF(t);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    return 0;
}

static int list_items_and_allocation(void) {
    PyObject *l = PyList_New(0);
    CHECK(l != NULL && PyList_Check(l) && PyList_GET_SIZE(l) == 0);
    PyObject *items[10];
    for (int i = 0; i < 10; i++) {
        items[i] = PyLong_FromLong(1000 + i);
        CHECK(PyList_Append(l, items[i]) == 0);
        PyListObject *lo = (PyListObject *)l;
        CHECK(lo->allocated >= PyList_GET_SIZE(l) && lo->allocated < 1000);
    }
    CHECK(PyList_GET_SIZE(l) == 10);
    for (int i = 0; i < 10; i++) CHECK(PyList_GET_ITEM(l, i) == items[i]);
    PyObject *fixed = PyList_New(3);
    CHECK(fixed != NULL && PyList_GET_SIZE(fixed) == 3 && ((PyListObject *)fixed)->allocated >= 3);
    for (int i = 0; i < 3; i++) {
        CHECK(PyList_GET_ITEM(fixed, i) == NULL);
        PyList_SET_ITEM(fixed, i, Py_NewRef(items[i]));
    }
    CHECK(PyList_GetItem(fixed, 2) == items[2]);
    CHECK(PyList_Type.tp_basicsize == (Py_ssize_t)sizeof(PyListObject));
    for (int i = 0; i < 10; i++) Py_DECREF(items[i]);
    Py_DECREF(fixed);
    Py_DECREF(l);
    return 0;
}

static int dict_used_count(void) {
    PyObject *d = PyDict_New();
    CHECK(d != NULL && PyDict_Check(d));
    CHECK(((PyDictObject *)d)->ma_used == 0);
    const char *keys[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        PyObject *v = PyLong_FromLong(i);
        CHECK(PyDict_SetItemString(d, keys[i], v) == 0);
        Py_DECREF(v);
        CHECK(((PyDictObject *)d)->ma_used == i + 1);
    }
    CHECK(PyDict_DelItemString(d, "b") == 0);
    CHECK(((PyDictObject *)d)->ma_used == 2);
    CHECK(PyDict_Type.tp_basicsize == (Py_ssize_t)sizeof(PyDictObject));
    Py_DECREF(d);
    return 0;
}

static int set_size_and_layout(void) {
    PyObject *s = PySet_New(NULL);
    CHECK(s != NULL && PySet_Check(s) && PyAnySet_CheckExact(s));
    CHECK(PySet_GET_SIZE(s) == 0);
    for (long i = 0; i < 40; i++) {
        PyObject *k = PyLong_FromLong(i);
        CHECK(PySet_Add(s, k) == 0);
        Py_DECREF(k);
        CHECK(PySet_GET_SIZE(s) == i + 1);
    }
    /* The table is reachable as CPython lays it out: mask + 1 slots, the keys active. */
    PySetObject *so = (PySetObject *)s;
    CHECK(so->table != so->smalltable && so->used == 40 && so->fill >= 40);
    Py_ssize_t active = 0;
    for (Py_ssize_t i = 0; i <= so->mask; i++) active += so->table[i].key != NULL && so->table[i].hash != -1;
    CHECK(active == 40);
    CHECK(PySet_Type.tp_basicsize == (Py_ssize_t)sizeof(PySetObject) && sizeof(PySetObject) == 200);
    PyObject *f = PyFrozenSet_New(s);
    CHECK(PyFrozenSet_CheckExact(f) && PySet_GET_SIZE(f) == 40 && ((PySetObject *)f)->hash == -1);
    CHECK(PyObject_Hash(f) == ((PySetObject *)f)->hash);
    Py_DECREF(f);
    Py_DECREF(s);
    return 0;
}

/* PySequence_Fast_* and PySlice_GetIndicesEx are macros over the layouts and
 * PySlice_Unpack/PySlice_AdjustIndices. */
static int sequence_fast_and_slice_macros(void) {
    PyObject *s = PyUnicode_FromString("xyz");
    PyObject *fast = PySequence_Fast(s, "no");
    CHECK(fast != NULL && PySequence_Fast_GET_SIZE(fast) == 3);
    CHECK(PyUnicode_READ_CHAR(PySequence_Fast_GET_ITEM(fast, 2), 0) == 'z');
    CHECK(PySequence_Fast_ITEMS(fast)[0] == PySequence_Fast_GET_ITEM(fast, 0));
    Py_DECREF(fast);
    Py_DECREF(s);
    PyObject *m2 = PyLong_FromLong(-2);
    PyObject *slice = PySlice_New(m2, NULL, NULL);
    Py_ssize_t start, stop, step, n;
    CHECK(PySlice_GetIndicesEx(slice, 10, &start, &stop, &step, &n) == 0);
    CHECK(start == 8 && stop == 10 && step == 1 && n == 2);
    CHECK(((PySliceObject *)slice)->start == m2 && ((PySliceObject *)slice)->stop == Py_None);
    Py_DECREF(slice);
    Py_DECREF(m2);
    return 0;
}

/* ---- text, bytes, floats ----------------------------------------------------- */

/* `s` has `kind`, the code points `want`, and its data where CPython puts it. */
static int check_str(PyObject *s, int kind, int ascii, const Py_UCS4 *want, Py_ssize_t n) {
    CHECK(s != NULL && PyUnicode_Check(s));
    CHECK(PyUnicode_KIND(s) == kind);
    CHECK(PyUnicode_IS_ASCII(s) == (unsigned)ascii);
    CHECK(PyUnicode_GET_LENGTH(s) == n);
    size_t header = ascii ? sizeof(PyASCIIObject) : sizeof(PyCompactUnicodeObject);
    CHECK((char *)PyUnicode_DATA(s) == (char *)s + header);
    for (Py_ssize_t i = 0; i < n; i++) {
        CHECK(PyUnicode_READ_CHAR(s, i) == want[i]);
        CHECK(PyUnicode_READ(kind, PyUnicode_DATA(s), i) == want[i]);
    }
    /* Terminated by a NUL code point, as CPython's strings are. */
    CHECK(PyUnicode_READ(kind, PyUnicode_DATA(s), n) == 0);
    return 0;
}

static int str_kinds_and_data(void) {
    static const Py_UCS4 ascii[] = {'h', 'e', 'l', 'l', 'o'};
    static const Py_UCS4 latin1[] = {'h', 0xe9, 'l', 'l', 'o'};
    static const Py_UCS4 bmp[] = {0x20ac, 'u', 'r', 'o'};
    static const Py_UCS4 astral[] = {0x1f600, 'x', 0xe9};
    PyObject *s1 = PyUnicode_FromString("hello");
    PyObject *s2 = PyUnicode_FromString("h\xc3\xa9llo");
    PyObject *s3 = PyUnicode_FromString("\xe2\x82\xacuro");
    PyObject *s4 = PyUnicode_FromString("\xf0\x9f\x98\x80x\xc3\xa9");
    if (check_str(s1, PyUnicode_1BYTE_KIND, 1, ascii, 5)) return 1;
    if (check_str(s2, PyUnicode_1BYTE_KIND, 0, latin1, 5)) return 1;
    if (check_str(s3, PyUnicode_2BYTE_KIND, 0, bmp, 4)) return 1;
    if (check_str(s4, PyUnicode_4BYTE_KIND, 0, astral, 3)) return 1;
    CHECK(memcmp(PyUnicode_1BYTE_DATA(s1), "hello", 6) == 0);
    CHECK(PyUnicode_IS_COMPACT_ASCII(s1) && !PyUnicode_IS_COMPACT_ASCII(s2));
    CHECK(strcmp(Py_TYPE(s1)->tp_name, "str") == 0);
    Py_DECREF(s1);
    Py_DECREF(s2);
    Py_DECREF(s3);
    Py_DECREF(s4);
    return 0;
}

static int bytes_data_and_size(void) {
    PyObject *b = PyBytes_FromStringAndSize("ab\0cd", 5);
    CHECK(b != NULL && PyBytes_Check(b));
    CHECK(PyBytes_GET_SIZE(b) == 5);
    CHECK(memcmp(PyBytes_AS_STRING(b), "ab\0cd", 5) == 0);
    CHECK(PyBytes_AS_STRING(b)[5] == '\0');
    CHECK(PyBytes_AS_STRING(b) == (char *)b + offsetof(PyBytesObject, ob_sval));
    CHECK(PyBytes_Type.tp_basicsize == (Py_ssize_t)offsetof(PyBytesObject, ob_sval) + 1);
    CHECK(PyBytes_Type.tp_itemsize == 1);
    Py_DECREF(b);
    return 0;
}

static int float_value(void) {
    const double values[] = {3.25, -0.0, 1e300, -2.5e-310};
    for (size_t i = 0; i < Py_ARRAY_LENGTH(values); i++) {
        PyObject *f = PyFloat_FromDouble(values[i]);
        CHECK(f != NULL && PyFloat_Check(f));
        double read = PyFloat_AS_DOUBLE(f);
        CHECK(memcmp(&read, &values[i], sizeof(double)) == 0);
        Py_DECREF(f);
    }
    CHECK(PyFloat_Type.tp_basicsize == (Py_ssize_t)sizeof(PyFloatObject));
    return 0;
}

/* ---- type objects ------------------------------------------------------------ */

static int type_names_and_flags(void) {
    PyObject *i = PyLong_FromLong(7), *f = PyFloat_FromDouble(1.0), *t = PyTuple_New(0);
    PyObject *l = PyList_New(0), *d = PyDict_New(), *s = PyUnicode_FromString("s");
    PyObject *b = PyBytes_FromStringAndSize("b", 1);
    CHECK(strcmp(Py_TYPE(i)->tp_name, "int") == 0 && strcmp(Py_TYPE(Py_True)->tp_name, "bool") == 0);
    CHECK(strcmp(Py_TYPE(f)->tp_name, "float") == 0 && strcmp(Py_TYPE(t)->tp_name, "tuple") == 0);
    CHECK(strcmp(Py_TYPE(l)->tp_name, "list") == 0 && strcmp(Py_TYPE(d)->tp_name, "dict") == 0);
    CHECK(strcmp(Py_TYPE(b)->tp_name, "bytes") == 0);
    CHECK(PyLong_Check(i) && !PyLong_Check(f) && !PyLong_Check(s));
    CHECK(PyTuple_Check(t) && !PyTuple_Check(l));
    CHECK(PyList_Check(l) && !PyList_Check(t));
    CHECK(PyDict_Check(d) && !PyDict_Check(l));
    CHECK(PyUnicode_Check(s) && !PyUnicode_Check(b));
    CHECK(PyBytes_Check(b) && !PyBytes_Check(s));
    CHECK(PyType_Check((PyObject *)&PyLong_Type) && !PyType_Check(i));
    CHECK(PyType_HasFeature(&PyLong_Type, Py_TPFLAGS_BASETYPE));
    CHECK(!PyType_HasFeature(&PyBool_Type, Py_TPFLAGS_BASETYPE));
    CHECK(PyType_HasFeature(&PyBool_Type, Py_TPFLAGS_LONG_SUBCLASS));
    CHECK(Py_TYPE(Py_True)->tp_base == &PyLong_Type);
    PyObject *objects[] = {i, f, t, l, d, s, b};
    for (size_t k = 0; k < Py_ARRAY_LENGTH(objects); k++) Py_DECREF(objects[k]);
    return 0;
}

/* A heap type read through PyHeapTypeObject's fields, and MROs through the tuple macros. */
static int heap_types_and_mro(void) {
    PyObject *bases = PyTuple_Pack(2, PyExc_ValueError, PyExc_KeyError);
    PyObject *e = PyErr_NewException("m.E", bases, NULL);
    Py_DECREF(bases);
    CHECK(e != NULL);
    PyHeapTypeObject *h = (PyHeapTypeObject *)e;
    CHECK(h->ht_type.tp_as_number == &h->as_number);
    CHECK(h->ht_type.tp_as_mapping == &h->as_mapping);
    CHECK(h->ht_type.tp_as_sequence == &h->as_sequence);
    CHECK(h->ht_type.tp_name == h->_ht_tpname && strcmp(h->_ht_tpname, "m.E") == 0);
    CHECK(PyUnicode_Check(h->ht_name) && strcmp(PyUnicode_AsUTF8(h->ht_name), "E") == 0);
    CHECK(PyUnicode_Check(h->ht_qualname));
    CHECK(h->ht_module == NULL);
    PyObject *mro = h->ht_type.tp_mro;
    CHECK(PyTuple_Check(mro) && PyTuple_GET_SIZE(mro) == 7);
    CHECK(PyTuple_GET_ITEM(mro, 0) == e && PyTuple_GET_ITEM(mro, 2) == PyExc_KeyError);
    CHECK(PyTuple_GET_ITEM(mro, 3) == PyExc_LookupError);
    CHECK(PyTuple_GET_ITEM(mro, 6) == (PyObject *)&PyBaseObject_Type);
    CHECK(PyTuple_GET_SIZE(h->ht_type.tp_bases) == 2);
    CHECK(PyTuple_GET_SIZE(PyBool_Type.tp_mro) == 3 && PyTuple_GET_ITEM(PyBool_Type.tp_mro, 1) == (PyObject *)&PyLong_Type);
    Py_DECREF(e);
    return 0;
}

static const TestCase cases[] = {
    CASE(int_layout_is_cpythons),
    CASE(compact_values),
    CASE(zero_has_no_digits),
    CASE(bools_are_compact_ints),
    CASE(digits_of_ints_from_text),
    CASE(digits_of_computed_ints),
    CASE(tuple_items_and_size),
    CASE(list_items_and_allocation),
    CASE(dict_used_count),
    CASE(set_size_and_layout),
    CASE(sequence_fast_and_slice_macros),
    CASE(str_kinds_and_data),
    CASE(bytes_data_and_size),
    CASE(float_value),
    CASE(type_names_and_flags),
    CASE(heap_types_and_mro),
};

TEST_MAIN(cases)
