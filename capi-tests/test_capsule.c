/* Capsules: PyCapsule_New, the getters and setters, PyCapsule_IsValid, the
 * destructor, and the ValueError CPython raises for anything that is not a live
 * capsule of the right name. Also runs against CPython 3.13 (make reference). */
#include "checks.h"

static int payload = 42, other = 7;
static int destroyed;
static void *seen_context;

static void destroy(PyObject *capsule) {
    destroyed++;
    seen_context = PyCapsule_GetContext(capsule);
}

static int new_and_read(void) {
    PyObject *c = PyCapsule_New(&payload, "test.payload", NULL);
    CHECK(c != NULL && PyCapsule_CheckExact(c));
    CHECK(PyCapsule_GetPointer(c, "test.payload") == &payload);
    CHECK(strcmp(PyCapsule_GetName(c), "test.payload") == 0);
    CHECK(PyCapsule_GetContext(c) == NULL && PyCapsule_GetDestructor(c) == NULL);
    CHECK_NO_ERROR();
    CHECK(PyCapsule_IsValid(c, "test.payload") && !PyCapsule_IsValid(c, "other") && !PyCapsule_IsValid(c, NULL));
    CHECK(PyCapsule_GetPointer(c, "other") == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_GetPointer called with incorrect name");
    CHECK(PyCapsule_GetPointer(c, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_GetPointer called with incorrect name");
    PyObject *r = PyObject_Repr(c);
    const char *text = PyUnicode_AsUTF8(r);
    CHECK(text != NULL && strncmp(text, "<capsule object \"test.payload\" at 0x", 36) == 0);
    Py_DECREF(r);
    Py_DECREF(c);

    c = PyCapsule_New(&payload, NULL, NULL);
    CHECK(PyCapsule_GetPointer(c, NULL) == &payload && PyCapsule_IsValid(c, NULL));
    CHECK(PyCapsule_GetName(c) == NULL);
    CHECK_NO_ERROR();
    r = PyObject_Repr(c);
    CHECK(strncmp(PyUnicode_AsUTF8(r), "<capsule object NULL at 0x", 26) == 0);
    Py_DECREF(r);
    Py_DECREF(c);
    return 0;
}

static int setters_and_destructor(void) {
    destroyed = 0;
    PyObject *c = PyCapsule_New(&payload, "a", NULL);
    CHECK(PyCapsule_SetPointer(c, &other) == 0 && PyCapsule_GetPointer(c, "a") == &other);
    CHECK(PyCapsule_SetName(c, "b") == 0 && PyCapsule_GetPointer(c, "b") == &other);
    CHECK(PyCapsule_SetContext(c, &payload) == 0 && PyCapsule_GetContext(c) == &payload);
    CHECK(PyCapsule_SetDestructor(c, destroy) == 0 && PyCapsule_GetDestructor(c) == destroy);
    CHECK(PyCapsule_SetPointer(c, NULL) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_SetPointer called with null pointer");
    CHECK(destroyed == 0);
    Py_DECREF(c);
    CHECK(destroyed == 1 && seen_context == &payload);
    /* A destructor given at creation runs too. */
    c = PyCapsule_New(&payload, NULL, destroy);
    Py_DECREF(c);
    CHECK(destroyed == 2 && seen_context == NULL);
    return 0;
}

static int not_capsules(void) {
    CHECK(PyCapsule_New(NULL, "x", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_New called with null pointer");
    PyObject *i = PyLong_FromLong(1);
    CHECK(!PyCapsule_IsValid(i, NULL) && !PyCapsule_IsValid(NULL, NULL));
    CHECK_NO_ERROR();
    CHECK(PyCapsule_GetPointer(i, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_GetPointer called with invalid PyCapsule object");
    CHECK(PyCapsule_GetName(i) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_GetName called with invalid PyCapsule object");
    CHECK(PyCapsule_GetContext(i) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_GetContext called with invalid PyCapsule object");
    CHECK(PyCapsule_GetDestructor(i) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_GetDestructor called with invalid PyCapsule object");
    CHECK(PyCapsule_SetPointer(i, &payload) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_SetPointer called with invalid PyCapsule object");
    CHECK(PyCapsule_SetName(i, "n") == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_SetName called with invalid PyCapsule object");
    CHECK(PyCapsule_SetContext(i, NULL) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_SetContext called with invalid PyCapsule object");
    CHECK(PyCapsule_SetDestructor(i, NULL) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_SetDestructor called with invalid PyCapsule object");
    CHECK(PyCapsule_GetPointer(NULL, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "PyCapsule_GetPointer called with invalid PyCapsule object");
    Py_DECREF(i);
    return 0;
}

static int void_pointers_as_ints(void) {
    PyObject *p = PyLong_FromVoidPtr(&payload);
    CHECK(p != NULL && PyLong_Check(p));
    CHECK(PyLong_AsVoidPtr(p) == &payload);
    Py_DECREF(p);
    p = PyLong_FromVoidPtr(NULL);
    CHECK(PyLong_AsVoidPtr(p) == NULL);
    CHECK_NO_ERROR();
    Py_DECREF(p);
    PyObject *s = PyUnicode_FromString("x");
    CHECK(PyLong_AsVoidPtr(s) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(s);
    return 0;
}

static const TestCase cases[] = {
    CASE(new_and_read),
    CASE(setters_and_destructor),
    CASE(not_capsules),
    CASE(void_pointers_as_ints),
};

TEST_MAIN(cases)
