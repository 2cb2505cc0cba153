/* The generic object protocol: repr/str/hash/compare, truth, length, isinstance,
 * attributes, and type queries. */
#include "harness.h"

static int repr_and_str(void) {
    PyObject *n = PyLong_FromLong(42);
    CHECK_STR(PyObject_Repr(n), "42");
    CHECK_STR(PyObject_Str(n), "42");
    PyObject *s = PyUnicode_FromString("it's");
    CHECK_STR(PyObject_Repr(s), "\"it's\"");
    CHECK_STR(PyObject_Str(s), "it's");
    CHECK_STR(PyObject_Repr(Py_None), "None");
    CHECK_STR(PyObject_Repr((PyObject *)&PyLong_Type), "<class 'int'>");
    CHECK_STR(PyObject_Repr(NULL), "<NULL>");
    CHECK_STR(PyObject_Str(NULL), "<NULL>");
    Py_DECREF(n);
    Py_DECREF(s);
    return 0;
}

static int hashing(void) {
    PyObject *a = PyUnicode_FromString("same text");
    PyObject *b = PyUnicode_FromString("same text");
    CHECK(a != b);
    CHECK(PyObject_Hash(a) == PyObject_Hash(b));
    PyObject *one = PyLong_FromLong(1), *onef = PyFloat_FromDouble(1.0);
    CHECK(Py_TYPE(onef) == &PyFloat_Type && PyFloat_CheckExact(onef));
    CHECK(PyObject_Hash(one) == PyObject_Hash(onef));
    CHECK(PyObject_Hash(one) == PyObject_Hash(Py_True));
    PyObject *list = PyList_New(0);
    CHECK(PyObject_Hash(list) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_HashNotImplemented(list) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_Hash(NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(a); Py_DECREF(b); Py_DECREF(one); Py_DECREF(onef); Py_DECREF(list);
    return 0;
}

static int rich_comparison(void) {
    PyObject *two = PyLong_FromLong(2), *three = PyLong_FromLong(3), *x = PyUnicode_FromString("x");
    CHECK(PyObject_RichCompareBool(two, three, Py_LT) == 1);
    CHECK(PyObject_RichCompareBool(two, three, Py_GE) == 0);
    CHECK(PyObject_RichCompareBool(two, two, Py_EQ) == 1);
    PyObject *r = PyObject_RichCompare(three, two, Py_GT);
    CHECK(r == Py_True);
    Py_DECREF(r);
    /* Unrelated types: == is identity, ordering is a TypeError. */
    CHECK(PyObject_RichCompareBool(two, x, Py_EQ) == 0);
    CHECK(PyObject_RichCompareBool(two, x, Py_NE) == 1);
    CHECK(PyObject_RichCompareBool(two, x, Py_LT) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_RichCompare(two, x, 99) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyObject_RichCompare(NULL, x, Py_EQ) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(two); Py_DECREF(three); Py_DECREF(x);
    return 0;
}

static int truth_and_length(void) {
    PyObject *empty = PyList_New(0), *zero = PyLong_FromLong(0), *text = PyUnicode_FromString("abc");
    CHECK(PyObject_IsTrue(Py_True) == 1 && PyObject_IsTrue(Py_None) == 0);
    CHECK(PyObject_IsTrue(empty) == 0 && PyObject_Not(empty) == 1);
    CHECK(PyObject_IsTrue(zero) == 0 && PyObject_Not(zero) == 1);
    CHECK(PyObject_IsTrue(text) == 1 && PyObject_Not(text) == 0);
    CHECK(PyObject_IsTrue((PyObject *)&PyLong_Type) == 1); /* no length, no bool: true */
    CHECK(PyObject_Size(text) == 3 && PyObject_Length(text) == 3);
    CHECK(PyObject_Size(empty) == 0);
    CHECK(PyObject_Size(zero) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_IsTrue(NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyObject_Not(NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(empty); Py_DECREF(zero); Py_DECREF(text);
    return 0;
}

static int instance_and_subclass_checks(void) {
    PyObject *t = PyLong_FromLong(7);
    CHECK(PyObject_IsInstance(t, (PyObject *)&PyLong_Type) == 1);
    CHECK(PyObject_IsInstance(Py_True, (PyObject *)&PyLong_Type) == 1);
    CHECK(PyObject_IsInstance(t, (PyObject *)&PyUnicode_Type) == 0);
    CHECK(PyObject_IsInstance(t, (PyObject *)&PyBaseObject_Type) == 1);
    PyObject *classes = PyTuple_Pack(2, (PyObject *)&PyUnicode_Type, (PyObject *)&PyLong_Type);
    CHECK(PyObject_IsInstance(t, classes) == 1);
    CHECK(PyObject_IsSubclass((PyObject *)&PyBool_Type, classes) == 1);
    CHECK(PyObject_IsSubclass((PyObject *)&PyBool_Type, (PyObject *)&PyUnicode_Type) == 0);
    CHECK(PyObject_IsInstance(t, t) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_IsSubclass(t, (PyObject *)&PyLong_Type) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyType_IsSubtype(&PyBool_Type, &PyLong_Type) == 1);
    CHECK(PyType_IsSubtype(&PyLong_Type, &PyBool_Type) == 0);
    CHECK(PyType_GetFlags(&PyLong_Type) & Py_TPFLAGS_LONG_SUBCLASS);
    CHECK(!(PyType_GetFlags(&PyLong_Type) & Py_TPFLAGS_HEAPTYPE));
    PyObject *ty = PyObject_Type(t);
    CHECK(ty == (PyObject *)&PyLong_Type);
    Py_DECREF(ty);
    CHECK(PyObject_Type(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyCallable_Check(t) == 0);
    CHECK(PyCallable_Check(NULL) == 0);
    Py_DECREF(classes); Py_DECREF(t);
    return 0;
}

static int attributes_of_exceptions(void) {
    PyObject *msg = PyUnicode_FromString("boom");
    PyErr_SetObject(PyExc_ValueError, msg);
    PyObject *exc = PyErr_GetRaisedException();
    CHECK(exc != NULL);
    /* getset attribute */
    PyObject *args = PyObject_GetAttrString(exc, "args");
    CHECK(args != NULL && PyTuple_Check(args) && PyTuple_GET_SIZE(args) == 1);
    Py_DECREF(args);
    /* instance dict: set, get, has, delete */
    PyObject *name = PyUnicode_FromString("note");
    CHECK(PyObject_HasAttr(exc, name) == 0);
    CHECK(PyObject_HasAttrWithError(exc, name) == 0);
    CHECK_NO_ERROR();
    CHECK(PyObject_SetAttr(exc, name, msg) == 0);
    CHECK(PyObject_HasAttrString(exc, "note") == 1);
    CHECK(PyObject_HasAttrStringWithError(exc, "note") == 1);
    PyObject *got = PyObject_GetAttr(exc, name);
    CHECK(got == msg);
    Py_DECREF(got);
    got = PyObject_GenericGetAttr(exc, name);
    CHECK(got == msg);
    Py_DECREF(got);
    CHECK(PyObject_DelAttr(exc, name) == 0);
    CHECK(PyObject_GetAttr(exc, name) == NULL);
    CHECK_RAISED(PyExc_AttributeError);
    CHECK(PyObject_DelAttrString(exc, "note") == -1);
    CHECK_RAISED(PyExc_AttributeError);
    CHECK(PyObject_GenericSetAttr(exc, name, Py_None) == 0);
    CHECK(PyObject_SetAttrString(exc, "note", NULL) == 0);
    /* a writable getset */
    CHECK(PyObject_SetAttrString(exc, "__cause__", Py_None) == 0);
    /* bad names and NULLs */
    CHECK(PyObject_GetAttr(exc, Py_None) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_SetAttr(exc, Py_None, msg) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_GetAttr(NULL, name) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyObject_GetAttrString(exc, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(name); Py_DECREF(exc); Py_DECREF(msg);
    return 0;
}

static int attributes_of_types_and_ints(void) {
    CHECK_STR(PyObject_GetAttrString((PyObject *)&PyLong_Type, "__name__"), "int");
    CHECK_STR(PyObject_GetAttrString((PyObject *)&PyLong_Type, "__module__"), "builtins");
    PyObject *base = PyObject_GetAttrString((PyObject *)&PyBool_Type, "__base__");
    CHECK(base == (PyObject *)&PyLong_Type);
    Py_DECREF(base);
    CHECK(PyObject_GetAttrString((PyObject *)&PyLong_Type, "no_such") == NULL);
    CHECK_RAISED(PyExc_AttributeError);
    /* ints have no instance dict: setting fails with AttributeError */
    PyObject *n = PyLong_FromLong(5);
    CHECK(PyObject_SetAttrString(n, "x", Py_None) == -1);
    CHECK_RAISED(PyExc_AttributeError);
    CHECK(PyObject_HasAttrString(n, "x") == 0);
    CHECK_NO_ERROR();
    Py_DECREF(n);
    return 0;
}

static const TestCase cases[] = {
    CASE(repr_and_str),
    CASE(hashing),
    CASE(rich_comparison),
    CASE(truth_and_length),
    CASE(instance_and_subclass_checks),
    KEEPS_OBJECTS(attributes_of_exceptions), /* makes type dicts on first use */
    KEEPS_OBJECTS(attributes_of_types_and_ints), /* makes type dicts on first use */
};

TEST_MAIN(cases)
