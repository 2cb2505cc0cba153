/* How an int is laid out in memory: the same as CPython 3.13 (64-bit, 30-bit
 * digits), because code compiled against CPython's headers (Cython's fast paths,
 * PyUnstable_Long_CompactValue) reads these fields itself. Full API only. */
#ifndef Py_LIMITED_API
#ifndef Py_LONGINTREPR_H
#define Py_LONGINTREPR_H
#ifdef __cplusplus
extern "C" {
#endif

/* One digit holds PyLong_SHIFT bits of the magnitude in an unsigned 32-bit word; the
 * wider types hold the product or sum of two digits. */
typedef uint32_t digit;
typedef int32_t sdigit;
typedef uint64_t twodigits;
typedef int64_t stwodigits;
#define PyLong_SHIFT 30
#define PyLong_BASE ((digit)1 << PyLong_SHIFT)
#define PyLong_MASK ((digit)(PyLong_BASE - 1))
/* The largest power of ten below PyLong_BASE, and its exponent. */
#define _PyLong_DECIMAL_SHIFT 9
#define _PyLong_DECIMAL_BASE ((digit)1000000000)

/* lv_tag = ndigits << _PyLong_NON_SIZE_BITS | reserved bit (0) | sign, where the
 * sign (lv_tag & _PyLong_SIGN_MASK) is 0 for positive, 1 for zero, 2 for negative.
 * The value is sign * sum(ob_digit[i] << (PyLong_SHIFT * i)) over the ndigits digits,
 * least significant first, the top one nonzero. Zero has no digits, yet ob_digit[0]
 * is always allocated (and 0 for zero). */
typedef struct _PyLongValue {
    uintptr_t lv_tag;
    digit ob_digit[1];
} _PyLongValue;

struct _longobject {
    PyObject_HEAD
    _PyLongValue long_value;
};

#define _PyLong_SIGN_MASK 3
#define _PyLong_NON_SIZE_BITS 3

/* Compact: at most one digit, so the value fits in a Py_ssize_t. */
static inline int _PyLong_IsCompact(const PyLongObject *op) {
    assert(PyType_HasFeature(op->ob_base.ob_type, Py_TPFLAGS_LONG_SUBCLASS));
    return op->long_value.lv_tag < ((uintptr_t)2 << _PyLong_NON_SIZE_BITS);
}
#define PyUnstable_Long_IsCompact _PyLong_IsCompact

/* The value of a compact int: 1 - sign is the factor 1, 0 or -1. */
static inline Py_ssize_t _PyLong_CompactValue(const PyLongObject *op) {
    assert(PyType_HasFeature(op->ob_base.ob_type, Py_TPFLAGS_LONG_SUBCLASS));
    assert(PyUnstable_Long_IsCompact(op));
    Py_ssize_t factor = 1 - (Py_ssize_t)(op->long_value.lv_tag & _PyLong_SIGN_MASK);
    return factor * (Py_ssize_t)op->long_value.ob_digit[0];
}
#define PyUnstable_Long_CompactValue _PyLong_CompactValue

#ifdef __cplusplus
}
#endif
#endif /* Py_LONGINTREPR_H */
#endif /* !Py_LIMITED_API */
