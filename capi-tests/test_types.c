/* The type system: heap types laid out as CPython 3.13's PyHeapTypeObject, tp_bases and
 * tp_mro (C3 linearization), PyType_IsSubtype through the MRO, and the errors CPython
 * raises for bases that cannot be combined. Heap types are made with
 * PyErr_NewException, which takes a tuple of bases as CPython's does. */
#include "harness.h"
#include <stddef.h>

/* Takes the pending exception, checks its type is exactly `type` and str() is `text`. */
#define CHECK_RAISED_TEXT(type, text) \
    do { \
        PyObject *_e = PyErr_GetRaisedException(); \
        CHECK(_e != NULL); \
        int _is = Py_TYPE(_e) == (PyTypeObject *)(type); \
        PyObject *_t = PyObject_Str(_e); \
        Py_DECREF(_e); \
        CHECK(_is); \
        CHECK_STR(_t, text); \
    } while (0)

/* Checks that tuple `t` holds exactly the `n` types of `want`, in order. */
static int same_types(PyObject *t, PyObject *const *want, Py_ssize_t n) {
    if (t == NULL || !PyTuple_Check(t) || PyTuple_GET_SIZE(t) != n) return 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyTuple_GET_ITEM(t, i) != want[i]) return 0;
    return 1;
}

#define T(x) ((PyObject *)&(x))

static int heap_type_layout_is_cpythons(void) {
    CHECK(sizeof(PyHeapTypeObject) == 928);
    CHECK(offsetof(PyHeapTypeObject, as_number) == 448);
    CHECK(offsetof(PyHeapTypeObject, ht_name) == 856);
    CHECK(offsetof(PyHeapTypeObject, ht_module) == 888);
    CHECK(PyType_Type.tp_basicsize == (Py_ssize_t)sizeof(PyHeapTypeObject));
    PyObject *e = PyErr_NewException("m.MyError", NULL, NULL);
    CHECK(e != NULL);
    PyHeapTypeObject *h = (PyHeapTypeObject *)e;
    PyTypeObject *t = (PyTypeObject *)e;
    /* Each heap type points at tables of its own, inside its own object. */
    CHECK(t->tp_as_number == &h->as_number);
    CHECK(t->tp_as_sequence == &h->as_sequence);
    CHECK(t->tp_as_mapping == &h->as_mapping);
    CHECK(t->tp_as_async == &h->as_async);
    CHECK(t->tp_as_buffer == &h->as_buffer);
    CHECK(strcmp(t->tp_name, "m.MyError") == 0);
    CHECK(t->tp_name == h->_ht_tpname);
    CHECK_STR(Py_NewRef(h->ht_name), "MyError");
    CHECK_STR(Py_NewRef(h->ht_qualname), "MyError");
    CHECK(h->ht_module == NULL);
    CHECK(PyType_HasFeature(t, Py_TPFLAGS_HEAPTYPE));
    Py_DECREF(e);
    return 0;
}

static int two_heap_types_own_distinct_tables(void) {
    PyObject *a = PyErr_NewException("m.A", NULL, NULL);
    PyObject *b = PyErr_NewException("m.B", a, NULL);
    CHECK(a != NULL && b != NULL);
    CHECK(((PyTypeObject *)a)->tp_as_number != ((PyTypeObject *)b)->tp_as_number);
    CHECK(((PyTypeObject *)b)->tp_base == (PyTypeObject *)a);
    Py_DECREF(b);
    Py_DECREF(a);
    return 0;
}

static int static_types_have_bases_and_mro(void) {
    PyObject *int_mro[] = {T(PyLong_Type), T(PyBaseObject_Type)};
    PyObject *bool_mro[] = {T(PyBool_Type), T(PyLong_Type), T(PyBaseObject_Type)};
    PyObject *object_mro[] = {T(PyBaseObject_Type)};
    CHECK(same_types(PyLong_Type.tp_mro, int_mro, 2));
    CHECK(same_types(PyBool_Type.tp_mro, bool_mro, 3));
    CHECK(same_types(PyBaseObject_Type.tp_mro, object_mro, 1));
    CHECK(PyTuple_GET_SIZE(PyBaseObject_Type.tp_bases) == 0);
    PyObject *bool_bases[] = {T(PyLong_Type)};
    CHECK(same_types(PyBool_Type.tp_bases, bool_bases, 1));
    PyTypeObject *key_error = (PyTypeObject *)PyExc_KeyError;
    PyObject *ke_mro[] = {PyExc_KeyError, PyExc_LookupError, PyExc_Exception, PyExc_BaseException,
                          T(PyBaseObject_Type)};
    CHECK(same_types(key_error->tp_mro, ke_mro, 5));
    /* The one builtin with two bases. */
    PyTypeObject *eg = (PyTypeObject *)PyExc_ExceptionGroup;
    PyObject *eg_mro[] = {PyExc_ExceptionGroup, PyExc_BaseExceptionGroup, PyExc_Exception,
                          PyExc_BaseException, T(PyBaseObject_Type)};
    CHECK(same_types(eg->tp_mro, eg_mro, 5));
    CHECK(PyType_IsSubtype(eg, (PyTypeObject *)PyExc_Exception));
    CHECK(PyType_IsSubtype(eg, (PyTypeObject *)PyExc_BaseExceptionGroup));
    CHECK(!PyType_IsSubtype(eg, (PyTypeObject *)PyExc_ValueError));
    return 0;
}

static int mro_of_multiple_bases_is_c3(void) {
    /* class E(ValueError, KeyError): CPython's MRO. */
    PyObject *bases = PyTuple_Pack(2, PyExc_ValueError, PyExc_KeyError);
    PyObject *e = PyErr_NewException("m.E", bases, NULL);
    Py_DECREF(bases);
    CHECK(e != NULL);
    PyTypeObject *t = (PyTypeObject *)e;
    PyObject *want[] = {e, PyExc_ValueError, PyExc_KeyError, PyExc_LookupError, PyExc_Exception,
                        PyExc_BaseException, T(PyBaseObject_Type)};
    CHECK(same_types(t->tp_mro, want, 7));
    PyObject *want_bases[] = {PyExc_ValueError, PyExc_KeyError};
    CHECK(same_types(t->tp_bases, want_bases, 2));
    CHECK(t->tp_base == (PyTypeObject *)PyExc_ValueError);
    /* __mro__ and __bases__ say the same. */
    PyObject *mro = PyObject_GetAttrString(e, "__mro__");
    CHECK(same_types(mro, want, 7));
    Py_DECREF(mro);
    PyObject *b = PyObject_GetAttrString(e, "__bases__");
    CHECK(same_types(b, want_bases, 2));
    Py_DECREF(b);
    /* Subtype checks see the second base and what it derives from. */
    CHECK(PyType_IsSubtype(t, (PyTypeObject *)PyExc_KeyError));
    CHECK(PyType_IsSubtype(t, (PyTypeObject *)PyExc_LookupError));
    CHECK(!PyType_IsSubtype(t, (PyTypeObject *)PyExc_TypeError));
    PyErr_SetString(e, "boom");
    CHECK(PyErr_ExceptionMatches(PyExc_LookupError));
    PyErr_Clear();
    Py_DECREF(e);
    return 0;
}

static int mro_of_a_diamond(void) {
    PyObject *a = PyErr_NewException("m.A", NULL, NULL);
    PyObject *b = PyErr_NewException("m.B", a, NULL);
    PyObject *c = PyErr_NewException("m.C", a, NULL);
    PyObject *bases = PyTuple_Pack(2, b, c);
    PyObject *d = PyErr_NewException("m.D", bases, NULL);
    Py_DECREF(bases);
    CHECK(d != NULL);
    PyObject *want[] = {d, b, c, a, PyExc_Exception, PyExc_BaseException, T(PyBaseObject_Type)};
    CHECK(same_types(((PyTypeObject *)d)->tp_mro, want, 7));
    /* The new type's MRO keeps its bases alive; dropping ours in any order is safe. */
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    CHECK(PyType_IsSubtype((PyTypeObject *)d, (PyTypeObject *)want[3]));
    Py_DECREF(d);
    return 0;
}

static int inconsistent_mro_is_refused(void) {
    PyObject *a = PyErr_NewException("m.A", NULL, NULL);
    PyObject *b = PyErr_NewException("m.B", a, NULL);
    PyObject *bases = PyTuple_Pack(2, a, b);
    CHECK(PyErr_NewException("m.C", bases, NULL) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError,
                      "Cannot create a consistent method resolution order (MRO) for bases A, B");
    Py_DECREF(bases);
    bases = PyTuple_Pack(2, a, a);
    CHECK(PyErr_NewException("m.C", bases, NULL) == NULL);
    CHECK_RAISED_TEXT(PyExc_TypeError, "duplicate base class A");
    Py_DECREF(bases);
    Py_DECREF(b);
    Py_DECREF(a);
    /* The interpreter keeps working. */
    PyObject *ok = PyErr_NewException("m.Fine", NULL, NULL);
    CHECK(ok != NULL);
    Py_DECREF(ok);
    return 0;
}

static int subtype_without_mro_follows_base_chain(void) {
    /* A static type nobody readied: no tp_mro, so the tp_base chain decides. */
    static PyTypeObject unready = {PyVarObject_HEAD_INIT(NULL, 0).tp_name = "m.Unready",
                                   .tp_basicsize = sizeof(PyObject)};
    unready.tp_base = &PyLong_Type;
    CHECK(unready.tp_mro == NULL);
    CHECK(PyType_IsSubtype(&unready, &PyLong_Type));
    CHECK(PyType_IsSubtype(&unready, &PyBaseObject_Type));
    CHECK(!PyType_IsSubtype(&unready, &PyFloat_Type));
    return 0;
}

static const TestCase cases[] = {
    CASE(heap_type_layout_is_cpythons),
    CASE(two_heap_types_own_distinct_tables),
    CASE(static_types_have_bases_and_mro),
    KEEPS_OBJECTS(mro_of_multiple_bases_is_c3), /* makes type dicts on first use */
    CASE(mro_of_a_diamond),
    CASE(inconsistent_mro_is_refused),
    CASE(subtype_without_mro_follows_base_chain),
};

TEST_MAIN(cases)
