/* Checks shared by the tests that also run against CPython 3.13 itself (make -C
 * capi-tests reference): exception texts, and what only isle can be asked. */
#ifndef ISLE_TEST_CHECKS_H
#define ISLE_TEST_CHECKS_H
#include "harness.h"

/* Built against isle's headers: NULL and other bad arguments, which CPython does not
 * check (it crashes or asserts), are tested only then. */
#ifdef ISLE_ISLE_H
#define ISLE_ONLY 1
#else
#define ISLE_ONLY 0
#endif

/* Checks that the pending exception is `exc` with exactly `text`, then clears it. */
#define CHECK_ERROR_TEXT(exc, text) \
    do { \
        CHECK(PyErr_Occurred() != NULL); \
        PyObject *_e = PyErr_GetRaisedException(); \
        int _match = PyErr_GivenExceptionMatches(_e, (exc)); \
        PyObject *_s = PyObject_Str(_e); \
        const char *_u = _s ? PyUnicode_AsUTF8(_s) : NULL; \
        int _same = _u != NULL && strcmp(_u, (text)) == 0; \
        if (!_same || !_match) \
            fprintf(stderr, "  got %s: \"%s\", expected \"%s\"\n", Py_TYPE(_e)->tp_name, _u ? _u : "?", (text)); \
        Py_XDECREF(_s); \
        Py_DECREF(_e); \
        CHECK(_same && _match); \
    } while (0)

/* Checks that `o` (stolen) is the str `text`. */
#define CHECK_TEXT(o, text) \
    do { \
        PyObject *_t = (o); \
        CHECK(_t != NULL); \
        const char *_u = PyUnicode_AsUTF8(_t); \
        int _same = _u != NULL && strcmp(_u, (text)) == 0; \
        if (!_same) fprintf(stderr, "  got \"%s\", expected \"%s\"\n", _u ? _u : "(null)", (text)); \
        Py_DECREF(_t); \
        CHECK(_same); \
    } while (0)

#define CHECK_REPR(o, text) CHECK_TEXT(PyObject_Repr(o), text)

/* Checks the repr of a new object `o` (stolen). */
#define CHECK_NEW_REPR(o, text) \
    do { \
        PyObject *_o = (o); \
        CHECK(_o != NULL); \
        PyObject *_r = PyObject_Repr(_o); \
        Py_DECREF(_o); \
        CHECK_TEXT(_r, text); \
    } while (0)

/* Checks that `o` (stolen) is the int `v`. */
#define CHECK_INT(o, v) \
    do { \
        PyObject *_i = (o); \
        CHECK(_i != NULL); \
        long _got = PyLong_AsLong(_i); \
        Py_DECREF(_i); \
        if (_got != (long)(v)) fprintf(stderr, "  got %ld, expected %ld\n", _got, (long)(v)); \
        CHECK(_got == (long)(v)); \
    } while (0)

/* Types defined by a test are readied only under CPython (isle's static types of
 * tests are used as they are). */
static inline int ready(PyTypeObject *t) {
#if ISLE_ONLY
    (void)t;
    return 0;
#else
    return PyType_Ready(t);
#endif
}

#endif
