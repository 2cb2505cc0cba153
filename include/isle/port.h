/* Declaration helpers CPython's headers provide to extension code. */
#ifndef ISLE_PORT_H
#define ISLE_PORT_H

#ifdef __cplusplus
#  define ISLE_EXTERN_C extern "C"
#else
#  define ISLE_EXTERN_C
#endif

#define PyAPI_FUNC(RTYPE) RTYPE
#define PyAPI_DATA(RTYPE) extern RTYPE
#define PyMODINIT_FUNC ISLE_EXTERN_C __attribute__((visibility("default"))) PyObject *
#define Py_EXPORTED_SYMBOL __attribute__((visibility("default")))
#define Py_LOCAL(type) static type
#define Py_LOCAL_INLINE(type) static inline type
#define Py_ALWAYS_INLINE __attribute__((always_inline))
#define Py_NO_INLINE __attribute__((noinline))
#define Py_UNUSED(name) _unused_##name __attribute__((unused))
#define Py_DEPRECATED(version) __attribute__((deprecated))
#define _Py_NO_RETURN __attribute__((noreturn))
#define Py_GCC_ATTRIBUTE(x) __attribute__(x)
#define _Py_CAST(type, expr) ((type)(expr))
#define _PyObject_CAST(op) _Py_CAST(PyObject *, (op))
#define _PyVarObject_CAST(op) _Py_CAST(PyVarObject *, (op))
#define _Py_NULL NULL

#define Py_ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))
#define Py_MIN(x, y) (((x) > (y)) ? (y) : (x))
#define Py_MAX(x, y) (((x) > (y)) ? (x) : (y))
#define Py_ABS(x) ((x) < 0 ? -(x) : (x))
#define Py_STRINGIFY(x) _Py_XSTRINGIFY(x)
#define _Py_XSTRINGIFY(x) #x
#define Py_CHARMASK(c) ((unsigned char)((c) & 0xff))
#define Py_SAFE_DOWNCAST(value, larger, smaller) ((smaller)(value))
#define Py_BUILD_ASSERT(cond) do { (void)sizeof(char[1 - 2 * !(cond)]); } while (0)
#define Py_UNREACHABLE() __builtin_unreachable()

#define PyDoc_VAR(name) static const char name[]
#define PyDoc_STRVAR(name, str) PyDoc_VAR(name) = PyDoc_STR(str)
#define PyDoc_STR(str) str

#define PY_SSIZE_T_MAX ((Py_ssize_t)(((size_t)-1) >> 1))
#define PY_SSIZE_T_MIN (-PY_SSIZE_T_MAX - 1)
/* Bits per digit of an int's magnitude (see cpython/longintrepr.h). */
#define PYLONG_BITS_IN_DIGIT 30

#define PY_BIG_ENDIAN 0
#define PY_LITTLE_ENDIAN 1

typedef intptr_t Py_intptr_t;
typedef uintptr_t Py_uintptr_t;

#endif
