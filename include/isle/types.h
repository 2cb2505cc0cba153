/* Type checks and the accessor macros of the builtin types. */
#ifndef ISLE_TYPES_H
#define ISLE_TYPES_H

#include <math.h>

#define PyLong_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_LONG_SUBCLASS)
#define PyLong_CheckExact(op) Py_IS_TYPE((op), &PyLong_Type)
#define PyBool_Check(op) Py_IS_TYPE((op), &PyBool_Type)
#define PyFloat_Check(op) PyObject_TypeCheck((op), &PyFloat_Type)
#define PyFloat_CheckExact(op) Py_IS_TYPE((op), &PyFloat_Type)
#define PyLong_AS_LONG(op) PyLong_AsLong(op)
/* pid_t is an int on the platforms isle supports. */
#define PyLong_FromPid PyLong_FromLong
#define PyLong_AsPid PyLong_AsInt

/* Special doubles (pymath.h) and the float returns built on them. */
#define Py_HUGE_VAL HUGE_VAL
#define Py_INFINITY ((double)INFINITY)
#define Py_NAN ((double)NAN)
#define Py_IS_NAN(x) isnan(x)
#define Py_IS_INFINITY(x) isinf(x)
#define Py_IS_FINITE(x) isfinite(x)
#define Py_RETURN_NAN return PyFloat_FromDouble(Py_NAN)
#define Py_RETURN_INF(sign) \
    do { \
        if (copysign(1., (sign)) == 1.) return PyFloat_FromDouble(Py_HUGE_VAL); \
        return PyFloat_FromDouble(-Py_HUGE_VAL); \
    } while (0)
#define PyUnicode_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_UNICODE_SUBCLASS)
#define PyUnicode_CheckExact(op) Py_IS_TYPE((op), &PyUnicode_Type)
#define PyBytes_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_BYTES_SUBCLASS)
#define PyBytes_CheckExact(op) Py_IS_TYPE((op), &PyBytes_Type)
#define PyByteArray_Check(op) PyObject_TypeCheck((op), &PyByteArray_Type)
#define PyByteArray_CheckExact(op) Py_IS_TYPE((op), &PyByteArray_Type)
#define PyComplex_Check(op) PyObject_TypeCheck((op), &PyComplex_Type)
#define PyComplex_CheckExact(op) Py_IS_TYPE((op), &PyComplex_Type)
#define PyTuple_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_TUPLE_SUBCLASS)
#define PyTuple_CheckExact(op) Py_IS_TYPE((op), &PyTuple_Type)
#define PyList_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_LIST_SUBCLASS)
#define PyList_CheckExact(op) Py_IS_TYPE((op), &PyList_Type)
#define PyDict_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_DICT_SUBCLASS)
#define PyDict_CheckExact(op) Py_IS_TYPE((op), &PyDict_Type)
#define PyModule_Check(op) PyObject_TypeCheck((op), &PyModule_Type)
#define PyModule_CheckExact(op) Py_IS_TYPE((op), &PyModule_Type)
#define PyExceptionClass_Check(x) \
    (PyType_Check((x)) && PyType_FastSubclass((PyTypeObject *)(x), Py_TPFLAGS_BASE_EXC_SUBCLASS))
#define PyExceptionInstance_Check(x) PyType_FastSubclass(Py_TYPE(x), Py_TPFLAGS_BASE_EXC_SUBCLASS)
#define PyExceptionInstance_Class(x) _PyObject_CAST(Py_TYPE(x))

#ifndef Py_LIMITED_API
/* The flags of PyLong_AsNativeBytes and PyLong_FromNativeBytes: byte order (big
 * endian is 0), an unsigned buffer, errors for negative values, __index__ for
 * non-ints. -1 behaves like a C cast in native byte order. */
#define Py_ASNATIVEBYTES_DEFAULTS -1
#define Py_ASNATIVEBYTES_BIG_ENDIAN 0
#define Py_ASNATIVEBYTES_LITTLE_ENDIAN 1
#define Py_ASNATIVEBYTES_NATIVE_ENDIAN 3
#define Py_ASNATIVEBYTES_UNSIGNED_BUFFER 4
#define Py_ASNATIVEBYTES_REJECT_NEGATIVE 8
#define Py_ASNATIVEBYTES_ALLOW_INDEX 16

#define PyTuple_GET_SIZE(op) Py_SIZE(op)
#define PyTuple_GET_ITEM(op, i) (((PyTupleObject *)(op))->ob_item[i])
static inline void PyTuple_SET_ITEM(PyObject *op, Py_ssize_t index, PyObject *value) {
    ((PyTupleObject *)op)->ob_item[index] = value;
}
#define PyTuple_SET_ITEM(op, index, value) PyTuple_SET_ITEM(_PyObject_CAST(op), (index), _PyObject_CAST(value))
#define PyList_GET_SIZE(op) Py_SIZE(op)
#define PyList_GET_ITEM(op, i) (((PyListObject *)(op))->ob_item[i])
static inline void PyList_SET_ITEM(PyObject *op, Py_ssize_t index, PyObject *value) {
    ((PyListObject *)op)->ob_item[index] = value;
}
#define PyList_SET_ITEM(op, index, value) PyList_SET_ITEM(_PyObject_CAST(op), (index), _PyObject_CAST(value))
/* The public head of a dict, laid out as CPython's; what ma_keys points to is
 * private (isle's own table), so only ma_used is meaningful to read. */
typedef struct _dictkeysobject PyDictKeysObject;
typedef struct _dictvalues PyDictValues;
typedef struct {
    PyObject_HEAD
    Py_ssize_t ma_used;
    Py_DEPRECATED(3.12) uint64_t ma_version_tag;
    PyDictKeysObject *ma_keys;
    PyDictValues *ma_values;
} PyDictObject;
#define PyFloat_AS_DOUBLE(op) (((PyFloatObject *)(op))->ob_fval)
#define PyBytes_AS_STRING(op) (((PyBytesObject *)(op))->ob_sval)
#define PyBytes_GET_SIZE(op) Py_SIZE(op)
/* An empty bytearray may have no storage: its data is then this shared "". */
static inline char *PyByteArray_AS_STRING(PyObject *op) {
    PyByteArrayObject *self = (PyByteArrayObject *)op;
    return Py_SIZE(self) ? self->ob_start : _PyByteArray_empty_string;
}
#define PyByteArray_AS_STRING(op) PyByteArray_AS_STRING(_PyObject_CAST(op))
static inline Py_ssize_t PyByteArray_GET_SIZE(PyObject *op) { return Py_SIZE(op); }
#define PyByteArray_GET_SIZE(op) PyByteArray_GET_SIZE(_PyObject_CAST(op))

/* PEP 393 accessors: read the compact layout directly. */
typedef uint8_t Py_UCS1;
typedef uint16_t Py_UCS2;
#define _PyASCIIObject_CAST(op) ((PyASCIIObject *)(op))
#define PyUnicode_IS_ASCII(op) ((_PyASCIIObject_CAST(op)->state >> 6) & 1)
#define PyUnicode_IS_COMPACT(op) ((_PyASCIIObject_CAST(op)->state >> 5) & 1)
#define PyUnicode_IS_COMPACT_ASCII(op) (PyUnicode_IS_ASCII(op) && PyUnicode_IS_COMPACT(op))
#define PyUnicode_KIND(op) ((int)((_PyASCIIObject_CAST(op)->state >> 2) & 7))
#define PyUnicode_GET_LENGTH(op) (_PyASCIIObject_CAST(op)->length)
static inline void *PyUnicode_DATA(PyObject *op) {
    if (!PyUnicode_IS_COMPACT(op)) return ((PyUnicodeObject *)op)->data; /* a subclass's */
    if (PyUnicode_IS_ASCII(op)) return (void *)((PyASCIIObject *)op + 1);
    return (void *)((PyCompactUnicodeObject *)op + 1);
}
#define PyUnicode_DATA(op) PyUnicode_DATA(_PyObject_CAST(op))
#define PyUnicode_1BYTE_DATA(op) ((uint8_t *)PyUnicode_DATA(op))
#define PyUnicode_2BYTE_DATA(op) ((uint16_t *)PyUnicode_DATA(op))
#define PyUnicode_4BYTE_DATA(op) ((uint32_t *)PyUnicode_DATA(op))
static inline Py_UCS4 PyUnicode_READ(int kind, const void *data, Py_ssize_t index) {
    if (kind == PyUnicode_1BYTE_KIND) return ((const uint8_t *)data)[index];
    if (kind == PyUnicode_2BYTE_KIND) return ((const uint16_t *)data)[index];
    return ((const uint32_t *)data)[index];
}
#define PyUnicode_READ(kind, data, index) PyUnicode_READ((int)(kind), (const void *)(data), (index))
static inline void PyUnicode_WRITE(int kind, void *data, Py_ssize_t index, Py_UCS4 value) {
    if (kind == PyUnicode_1BYTE_KIND) ((uint8_t *)data)[index] = (uint8_t)value;
    else if (kind == PyUnicode_2BYTE_KIND) ((uint16_t *)data)[index] = (uint16_t)value;
    else ((uint32_t *)data)[index] = value;
}
#define PyUnicode_WRITE(kind, data, index, value) PyUnicode_WRITE((int)(kind), (void *)(data), (index), (Py_UCS4)(value))
static inline Py_UCS4 PyUnicode_READ_CHAR(PyObject *op, Py_ssize_t index) {
    return PyUnicode_READ(PyUnicode_KIND(op), PyUnicode_DATA(op), index);
}
#define PyUnicode_READ_CHAR(op, index) PyUnicode_READ_CHAR(_PyObject_CAST(op), (index))
#define PyUnicode_READY(op) 0
static inline unsigned int PyUnicode_CHECK_INTERNED(PyObject *op) { return _PyASCIIObject_CAST(op)->state & 3; }
#define PyUnicode_CHECK_INTERNED(op) PyUnicode_CHECK_INTERNED(_PyObject_CAST(op))
#endif /* !Py_LIMITED_API */

#endif
