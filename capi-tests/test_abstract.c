/* The abstract protocols of abstract.h: item access (PyObject_GetItem/SetItem/
 * DelItem), PySequence_* and PyMapping_*, with CPython's TypeError messages for
 * objects that lack the protocol. Also runs against CPython 3.13 (make reference). */
#include "checks.h"

static PyObject *ints(int n) {
    PyObject *l = PyList_New(n);
    for (int i = 0; i < n; i++) PyList_SET_ITEM(l, i, PyLong_FromLong(i));
    return l;
}

static int item_access(void) {
    PyObject *d = PyDict_New(), *k = PyUnicode_FromString("k"), *v = PyLong_FromLong(5);
    CHECK(PyObject_SetItem(d, k, v) == 0);
    CHECK_INT(PyObject_GetItem(d, k), 5);
    CHECK(PyObject_DelItem(d, k) == 0);
    CHECK(PyObject_GetItem(d, k) == NULL);
    CHECK_ERROR_TEXT(PyExc_KeyError, "'k'");
    CHECK(PyObject_DelItemString(d, "k") == -1);
    CHECK_ERROR_TEXT(PyExc_KeyError, "'k'");
    PyObject *l = ints(3), *zero = PyLong_FromLong(0), *m1 = PyLong_FromLong(-1);
    CHECK(PyObject_SetItem(l, m1, v) == 0);
    CHECK_INT(PyObject_GetItem(l, m1), 5);
    CHECK(PyObject_DelItem(l, zero) == 0 && PyList_GET_SIZE(l) == 2);

    PyObject *t = PyTuple_Pack(1, v);
    CHECK(PyObject_SetItem(t, zero, v) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'tuple' object does not support item assignment");
    CHECK(PyObject_DelItem(t, zero) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'tuple' object doesn't support item deletion");
    CHECK(PyObject_GetItem(v, zero) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not subscriptable");
    CHECK(PyObject_SetItem(v, zero, v) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object does not support item assignment");
    CHECK(PyObject_GetItem((PyObject *)&PyLong_Type, zero) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "type 'int' is not subscriptable");
    if (ISLE_ONLY) {
        CHECK(PyObject_GetItem(NULL, zero) == NULL);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PyObject_SetItem(l, zero, NULL) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PyObject_DelItem(l, NULL) == -1);
        CHECK_RAISED(PyExc_SystemError);
    }
    Py_DECREF(t);
    Py_DECREF(m1);
    Py_DECREF(zero);
    Py_DECREF(l);
    Py_DECREF(v);
    Py_DECREF(k);
    Py_DECREF(d);
    return 0;
}

static int sequence_reading(void) {
    PyObject *l = ints(5);
    CHECK(PySequence_Check(l) && PySequence_Size(l) == 5 && PySequence_Length(l) == 5);
    CHECK_INT(PySequence_GetItem(l, -1), 4);
    CHECK_NEW_REPR(PySequence_GetSlice(l, 1, 3), "[1, 2]");
    CHECK_NEW_REPR(PySequence_GetSlice(l, -2, 100), "[3, 4]");
    PyObject *two = PyLong_FromLong(2), *nine = PyLong_FromLong(9);
    CHECK(PySequence_Contains(l, two) == 1 && PySequence_In(l, nine) == 0);
    CHECK(PySequence_Index(l, two) == 2);
    CHECK(PySequence_Index(l, nine) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "sequence.index(x): x not in sequence");
    PyObject *dup = PySequence_Repeat(l, 3);
    CHECK(PySequence_Count(dup, two) == 3 && PySequence_Count(dup, nine) == 0);
    CHECK(PySequence_Size(dup) == 15);
    Py_DECREF(dup);
    PyObject *t = PySequence_Tuple(l);
    CHECK(t != NULL && PyTuple_CheckExact(t) && PyTuple_GET_SIZE(t) == 5);
    PyObject *same = PySequence_Tuple(t);
    CHECK(same == t);
    Py_DECREF(same);
    CHECK_NEW_REPR(PySequence_List(t), "[0, 1, 2, 3, 4]");
    CHECK_NEW_REPR(PySequence_Concat(t, t), "(0, 1, 2, 3, 4, 0, 1, 2, 3, 4)");
    CHECK_NEW_REPR(PySequence_Repeat(t, 0), "()");
    PyObject *s = PyUnicode_FromString("ab");
    CHECK_TEXT(PySequence_Repeat(s, 3), "ababab");
    CHECK(PySequence_Contains(s, s) == 1);
    CHECK(PySequence_Concat(s, l) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "can only concatenate str (not \"list\") to str");
    /* PySequence_Fast: lists and tuples as they are, other iterables as lists. */
    PyObject *f = PySequence_Fast(t, "no");
    CHECK(f == t);
    CHECK(PySequence_Fast_GET_SIZE(f) == 5);
    CHECK(PyLong_AsLong(PySequence_Fast_GET_ITEM(f, 4)) == 4);
    Py_DECREF(f);
    f = PySequence_Fast(s, "no");
    CHECK(f != NULL && PyList_CheckExact(f) && PySequence_Fast_GET_SIZE(f) == 2);
    PyObject **items = PySequence_Fast_ITEMS(f);
    CHECK_TEXT(Py_NewRef(items[1]), "b");
    Py_DECREF(f);
    CHECK(PySequence_Fast(two, "custom message") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "custom message");
    Py_DECREF(s);
    Py_DECREF(t);
    Py_DECREF(two);
    Py_DECREF(nine);
    Py_DECREF(l);
    return 0;
}

static int sequence_writing(void) {
    PyObject *l = ints(3), *x = PyUnicode_FromString("x");
    CHECK(PySequence_SetItem(l, -1, x) == 0);
    CHECK_REPR(l, "[0, 1, 'x']");
    CHECK(PySequence_DelItem(l, 0) == 0);
    CHECK_REPR(l, "[1, 'x']");
    CHECK(PySequence_SetItem(l, 5, x) == -1);
    CHECK_ERROR_TEXT(PyExc_IndexError, "list assignment index out of range");
    PyObject *more = ints(2);
    CHECK(PySequence_SetSlice(l, 0, 1, more) == 0);
    CHECK_REPR(l, "[0, 1, 'x']");
    CHECK(PySequence_DelSlice(l, 1, 100) == 0);
    CHECK_REPR(l, "[0]");
    PyObject *r = PySequence_InPlaceConcat(l, more);
    CHECK(r == l);
    Py_DECREF(r);
    CHECK_REPR(l, "[0, 0, 1]");
    r = PySequence_InPlaceRepeat(l, 2);
    CHECK(r == l);
    Py_DECREF(r);
    CHECK_REPR(l, "[0, 0, 1, 0, 0, 1]");
    r = PySequence_InPlaceRepeat(l, 0);
    CHECK(r == l && PyList_GET_SIZE(l) == 0);
    Py_DECREF(r);
    /* Immutable sequences: in-place forms make new objects. */
    PyObject *t = PyTuple_Pack(1, x);
    r = PySequence_InPlaceConcat(t, t);
    CHECK(r != NULL && r != t && PyTuple_GET_SIZE(r) == 2);
    Py_DECREF(r);
    r = PySequence_InPlaceRepeat(t, 3);
    CHECK(r != NULL && PyTuple_GET_SIZE(r) == 3);
    Py_DECREF(r);
    CHECK(PySequence_SetItem(t, 0, x) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'tuple' object does not support item assignment");
    CHECK(PySequence_DelItem(x, 0) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object doesn't support item deletion");
    CHECK(PySequence_SetSlice(t, 0, 1, more) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'tuple' object doesn't support slice assignment");
    CHECK(PySequence_DelSlice(t, 0, 1) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'tuple' object doesn't support slice deletion");
    Py_DECREF(t);
    Py_DECREF(more);
    Py_DECREF(x);
    Py_DECREF(l);
    return 0;
}

static int not_sequences(void) {
    PyObject *i = PyLong_FromLong(3), *d = PyDict_New();
    CHECK(!PySequence_Check(i) && !PySequence_Check(d));
    CHECK(PySequence_Size(i) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "object of type 'int' has no len()");
    CHECK(PySequence_Size(d) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "dict is not a sequence");
    CHECK(PySequence_GetItem(i, 0) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object does not support indexing");
    CHECK(PySequence_GetItem(d, 0) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "dict is not a sequence");
    CHECK(PySequence_SetItem(d, 0, i) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "dict is not a sequence");
    CHECK(PySequence_Concat(i, i) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object can't be concatenated");
    CHECK(PySequence_InPlaceConcat(i, i) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object can't be concatenated");
    CHECK(PySequence_Repeat(i, 2) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object can't be repeated");
    CHECK(PySequence_InPlaceRepeat(d, 2) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'dict' object can't be repeated");
    CHECK(PySequence_GetSlice(i, 0, 1) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is unsliceable");
    CHECK(PySequence_Contains(i, i) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument of type 'int' is not iterable");
    CHECK(PySequence_Count(i, i) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument of type 'int' is not iterable");
    CHECK(PySequence_Tuple(i) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not iterable");
    CHECK(PySequence_List(i) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not iterable");
    /* A dict iterates its keys. */
    CHECK(PyDict_SetItem(d, i, i) == 0);
    CHECK(PySequence_Contains(d, i) == 1 && PySequence_Count(d, i) == 1 && PySequence_Index(d, i) == 0);
    CHECK_NEW_REPR(PySequence_Tuple(d), "(3,)");
    if (ISLE_ONLY) {
        CHECK(!PySequence_Check(NULL));
        CHECK(PySequence_Size(NULL) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySequence_GetItem(NULL, 0) == NULL);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySequence_Fast(NULL, "m") == NULL);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySequence_Index(d, NULL) == -1);
        CHECK_RAISED(PyExc_SystemError);
    }
    Py_DECREF(d);
    Py_DECREF(i);
    return 0;
}

static int mappings(void) {
    PyObject *d = PyDict_New(), *one = PyLong_FromLong(1), *l = ints(3), *i = PyLong_FromLong(7);
    CHECK(PyMapping_Check(d) && PyMapping_Check(l) && !PyMapping_Check(i));
    CHECK(PyMapping_SetItemString(d, "a", one) == 0);
    CHECK(PyMapping_SetItemString(d, "b", i) == 0);
    CHECK(PyMapping_Size(d) == 2 && PyMapping_Length(d) == 2 && PyMapping_Size(l) == 3);
    CHECK_INT(PyMapping_GetItemString(d, "b"), 7);
    CHECK(PyMapping_GetItemString(d, "zz") == NULL);
    CHECK_ERROR_TEXT(PyExc_KeyError, "'zz'");
    PyObject *r = (PyObject *)1;
    CHECK(PyMapping_GetOptionalItemString(d, "a", &r) == 1);
    CHECK_INT(r, 1);
    CHECK(PyMapping_GetOptionalItemString(d, "zz", &r) == 0 && r == NULL);
    CHECK_NO_ERROR();
    CHECK(PyMapping_GetOptionalItem(l, one, &r) == 1);
    CHECK_INT(r, 1);
    CHECK(PyMapping_GetOptionalItem(l, i, &r) == -1 && r == NULL);
    CHECK_ERROR_TEXT(PyExc_IndexError, "list index out of range");
    CHECK(PyMapping_HasKeyStringWithError(d, "a") == 1 && PyMapping_HasKeyStringWithError(d, "q") == 0);
    CHECK(PyMapping_HasKeyWithError(l, one) == 1);
    CHECK(PyMapping_HasKeyWithError(l, d) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "list indices must be integers or slices, not dict");
    CHECK(PyMapping_HasKeyString(d, "b") == 1 && PyMapping_HasKeyString(d, "q") == 0);
    /* The old forms print the error and clear it. */
    CHECK(PyMapping_HasKey(l, d) == 0);
    CHECK_NO_ERROR();
    CHECK_NEW_REPR(PyMapping_Keys(d), "['a', 'b']");
    CHECK_NEW_REPR(PyMapping_Values(d), "[1, 7]");
    CHECK_NEW_REPR(PyMapping_Items(d), "[('a', 1), ('b', 7)]");
    CHECK(PyMapping_DelItemString(d, "a") == 0);
    PyObject *b = PyUnicode_FromString("b");
    CHECK(PyMapping_DelItem(d, b) == 0 && PyMapping_Size(d) == 0);
    Py_DECREF(b);
    CHECK(PyMapping_Keys(l) == NULL);
    CHECK_ERROR_TEXT(PyExc_AttributeError, "'list' object has no attribute 'keys'");
    CHECK(PyMapping_Size(i) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "object of type 'int' has no len()");
    PyObject *s = PySet_New(NULL);
    CHECK(PyMapping_Size(s) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "set is not a mapping");
    CHECK(PyMapping_GetItemString(i, "a") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not subscriptable");
    if (ISLE_ONLY) {
        CHECK(!PyMapping_Check(NULL));
        CHECK(PyMapping_Size(NULL) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PyMapping_GetItemString(d, NULL) == NULL);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PyMapping_GetOptionalItem(NULL, one, &r) == -1 && r == NULL);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PyMapping_HasKey(NULL, one) == 0);
        CHECK_NO_ERROR();
        CHECK(PyMapping_Keys(NULL) == NULL);
        CHECK_RAISED(PyExc_SystemError);
    }
    Py_DECREF(s);
    Py_DECREF(i);
    Py_DECREF(l);
    Py_DECREF(one);
    Py_DECREF(d);
    return 0;
}

static const TestCase cases[] = {
    CASE(item_access),
    CASE(sequence_reading),
    CASE(sequence_writing),
    CASE(not_sequences),
    KEEPS_OBJECTS(mappings), /* makes type dicts on first use */
};

TEST_MAIN(cases)
