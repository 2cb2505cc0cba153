/* slice and range: PySlice_New, _Unpack, _AdjustIndices, _GetIndicesEx, _GetIndices,
 * the slice and range types (repr, comparison, hash, len, in, indexing, iteration),
 * and subscripting list, tuple, str and bytes with ints and slices. Also runs
 * against CPython 3.13 (make reference): the hashes below are CPython's. */
#include "checks.h"

static PyObject *L(long v) { return PyLong_FromLong(v); }

/* slice(a, b, c) of ints, where LONG_MIN stands for None. */
#define NONE_ LONG_MIN
static PyObject *sl(long a, long b, long c) {
    PyObject *pa = a == NONE_ ? NULL : L(a), *pb = b == NONE_ ? NULL : L(b), *pc = c == NONE_ ? NULL : L(c);
    PyObject *s = PySlice_New(pa, pb, pc);
    Py_XDECREF(pa);
    Py_XDECREF(pb);
    Py_XDECREF(pc);
    return s;
}

static PyObject *range3(long a, long b, long c) {
    PyObject *args = Py_BuildValue("(lll)", a, b, c);
    PyObject *r = PyRange_Type.tp_new(&PyRange_Type, args, NULL);
    Py_DECREF(args);
    return r;
}

static int slices_unpack_and_adjust(void) {
    PyObject *s = sl(NONE_, NONE_, NONE_);
    CHECK(s != NULL && PySlice_Check(s));
    CHECK_REPR(s, "slice(None, None, None)");
    Py_ssize_t start, stop, step, n;
    CHECK(PySlice_Unpack(s, &start, &stop, &step) == 0);
    CHECK(start == 0 && stop == PY_SSIZE_T_MAX && step == 1);
    CHECK(PySlice_AdjustIndices(10, &start, &stop, step) == 10 && start == 0 && stop == 10);
    Py_DECREF(s);

    s = sl(NONE_, NONE_, -1);
    CHECK(PySlice_Unpack(s, &start, &stop, &step) == 0);
    CHECK(start == PY_SSIZE_T_MAX && stop == PY_SSIZE_T_MIN && step == -1);
    CHECK(PySlice_AdjustIndices(10, &start, &stop, step) == 10 && start == 9 && stop == -1);
    Py_DECREF(s);

    s = sl(-3, 100, 2);
    CHECK(PySlice_GetIndicesEx(s, 10, &start, &stop, &step, &n) == 0);
    CHECK(start == 7 && stop == 10 && step == 2 && n == 2);
    CHECK(PySlice_GetIndices(s, 10, &start, &stop, &step) == -1); /* stop past the end */
    CHECK_NO_ERROR();
    Py_DECREF(s);
    s = sl(1, 5, NONE_);
    CHECK(PySlice_GetIndices(s, 10, &start, &stop, &step) == 0 && start == 1 && stop == 5 && step == 1);
    Py_DECREF(s);

    /* Huge bounds are clamped, not refused. */
    PyObject *big = PyLong_FromString("100000000000000000000000", NULL, 10);
    s = PySlice_New(NULL, big, NULL);
    CHECK(PySlice_Unpack(s, &start, &stop, &step) == 0 && stop == PY_SSIZE_T_MAX);
    Py_DECREF(s);
    Py_DECREF(big);

    s = sl(0, 5, 0);
    CHECK(PySlice_Unpack(s, &start, &stop, &step) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "slice step cannot be zero");
    Py_DECREF(s);
    PyObject *text = PyUnicode_FromString("x");
    s = PySlice_New(text, NULL, NULL);
    CHECK_REPR(s, "slice('x', None, None)");
    CHECK(PySlice_Unpack(s, &start, &stop, &step) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "slice indices must be integers or None or have an __index__ method");
    Py_DECREF(s);
    Py_DECREF(text);
    /* The empty selections. */
    start = 5, stop = 2;
    CHECK(PySlice_AdjustIndices(10, &start, &stop, 1) == 0);
    start = -20, stop = -30;
    CHECK(PySlice_AdjustIndices(10, &start, &stop, -1) == 0 && start == -1 && stop == -1);
    return 0;
}

static int slice_comparison_and_hash(void) {
    PyObject *a = sl(1, 2, NONE_), *b = sl(1, 2, NONE_), *c = sl(1, 3, NONE_);
    CHECK(PyObject_RichCompareBool(a, b, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(a, c, Py_LT) == 1);
    CHECK(PyObject_RichCompareBool(c, a, Py_LE) == 0);
    CHECK(PyObject_Hash(a) == -2178470213028018262LL);
    PyObject *all = sl(NONE_, NONE_, NONE_);
    CHECK(PyObject_Hash(all) == 4032618106351268893LL);
    PyObject *l = PyList_New(0);
    PyObject *u = PySlice_New(l, NULL, NULL);
    CHECK(PyObject_Hash(u) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'list'");
    Py_DECREF(u);
    Py_DECREF(l);
    Py_DECREF(all);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    return 0;
}

static int subscripting_sequences(void) {
    PyObject *list = Py_BuildValue("[iiiii]", 1, 2, 3, 4, 5);
    PyObject *s = sl(1, NONE_, 2);
    CHECK_NEW_REPR(PyObject_GetItem(list, s), "[2, 4]");
    PyObject *rev = sl(NONE_, NONE_, -1);
    CHECK_NEW_REPR(PyObject_GetItem(list, rev), "[5, 4, 3, 2, 1]");
    PyObject *m1 = L(-1);
    CHECK_INT(PyObject_GetItem(list, m1), 5);
    PyObject *nine = L(9);
    CHECK(PyObject_GetItem(list, nine) == NULL);
    CHECK_ERROR_TEXT(PyExc_IndexError, "list index out of range");
    PyObject *key = PyUnicode_FromString("a");
    CHECK(PyObject_GetItem(list, key) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "list indices must be integers or slices, not str");

    PyObject *t = PyList_AsTuple(list);
    PyObject *tail = sl(-2, NONE_, NONE_);
    CHECK_NEW_REPR(PyObject_GetItem(t, tail), "(4, 5)");
    PyObject *whole = sl(NONE_, NONE_, NONE_);
    PyObject *same = PyObject_GetItem(t, whole);
    CHECK(same == t);
    Py_DECREF(same);
    CHECK(PyObject_GetItem(t, key) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "tuple indices must be integers or slices, not str");

    PyObject *str = PyUnicode_FromString("abcdef");
    PyObject *every2 = sl(NONE_, NONE_, 2);
    CHECK_TEXT(PyObject_GetItem(str, every2), "ace");
    CHECK_TEXT(PyObject_GetItem(str, m1), "f");
    CHECK(PyObject_GetItem(str, key) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "string indices must be integers, not 'str'");
    CHECK(PyObject_GetItem(str, nine) == NULL);
    CHECK_ERROR_TEXT(PyExc_IndexError, "string index out of range");

    PyObject *bytes = PyBytes_FromString("hello");
    PyObject *b = PyObject_GetItem(bytes, rev);
    CHECK(b != NULL && PyBytes_Check(b) && strcmp(PyBytes_AS_STRING(b), "olleh") == 0);
    Py_DECREF(b);
    CHECK_INT(PyObject_GetItem(bytes, m1), 'o');
    CHECK(PyObject_GetItem(bytes, key) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "byte indices must be integers or slices, not str");

    Py_DECREF(bytes);
    Py_DECREF(every2);
    Py_DECREF(str);
    Py_DECREF(whole);
    Py_DECREF(tail);
    Py_DECREF(t);
    Py_DECREF(key);
    Py_DECREF(nine);
    Py_DECREF(m1);
    Py_DECREF(rev);
    Py_DECREF(s);
    Py_DECREF(list);
    return 0;
}

static int assigning_list_slices(void) {
    PyObject *list = Py_BuildValue("[iiiii]", 0, 1, 2, 3, 4);
    PyObject *evens = sl(NONE_, NONE_, 2);
    PyObject *three = Py_BuildValue("(sss)", "a", "b", "c");
    CHECK(PyObject_SetItem(list, evens, three) == 0);
    CHECK_REPR(list, "['a', 1, 'b', 3, 'c']");
    PyObject *two = Py_BuildValue("(ii)", 8, 9);
    CHECK(PyObject_SetItem(list, evens, two) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "attempt to assign sequence of size 2 to extended slice of size 3");
    PyObject *head = sl(NONE_, 2, NONE_);
    CHECK(PyObject_SetItem(list, head, two) == 0); /* a plain slice may change the size */
    CHECK_REPR(list, "[8, 9, 'b', 3, 'c']");
    CHECK(PyObject_DelItem(list, evens) == 0);
    CHECK_REPR(list, "[9, 3]");
    PyObject *zero = L(0);
    CHECK(PyObject_DelItem(list, zero) == 0);
    CHECK_REPR(list, "[3]");
    PyObject *five = L(5);
    CHECK(PyObject_DelItem(list, five) == -1);
    CHECK_ERROR_TEXT(PyExc_IndexError, "list assignment index out of range");
    /* A negative step, reading the replacement through its iterator. */
    PyObject *down = sl(NONE_, NONE_, -2), *abc = PyUnicode_FromString("abc");
    PyObject *five_items = Py_BuildValue("[iiiii]", 0, 1, 2, 3, 4);
    CHECK(PyObject_SetItem(five_items, down, abc) == 0);
    CHECK_REPR(five_items, "['c', 1, 'b', 3, 'a']");
    CHECK(PyObject_DelItem(five_items, down) == 0);
    CHECK_REPR(five_items, "[1, 3]");
    Py_DECREF(five_items);
    Py_DECREF(abc);
    Py_DECREF(down);
    PyObject *one = L(1);
    CHECK(PyObject_SetItem(list, evens, one) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "must assign iterable to extended slice");
    Py_DECREF(one);
    Py_DECREF(five);
    Py_DECREF(zero);
    Py_DECREF(head);
    Py_DECREF(two);
    Py_DECREF(three);
    Py_DECREF(evens);
    Py_DECREF(list);
    return 0;
}

static int ranges(void) {
    PyObject *r = range3(0, 10, 3);
    CHECK(r != NULL && PyRange_Check(r));
    CHECK_REPR(r, "range(0, 10, 3)");
    CHECK(PyObject_Size(r) == 4);
    CHECK_INT(PySequence_GetItem(r, -1), 9);
    PyObject *six = L(6), *seven = L(7);
    CHECK(PySequence_Contains(r, six) == 1 && PySequence_Contains(r, seven) == 0);
    PyObject *f = PyFloat_FromDouble(6.0);
    CHECK(PySequence_Contains(r, f) == 1); /* by comparison */
    Py_DECREF(f);
    CHECK(PySequence_GetItem(r, 4) == NULL);
    CHECK_ERROR_TEXT(PyExc_IndexError, "range object index out of range");
    PyObject *it = PyObject_GetIter(r);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "range_iterator") == 0);
    CHECK(PyObject_LengthHint(it, 0) == 4);
    long sum = 0;
    PyObject *x;
    while ((x = PyIter_Next(it)) != NULL) {
        sum += PyLong_AsLong(x);
        Py_DECREF(x);
    }
    CHECK(sum == 18 && !PyErr_Occurred());
    Py_DECREF(it);
    PyObject *s = sl(0, 7, 3);
    CHECK_NEW_REPR(PyObject_GetItem(r, s), "range(0, 12, 9)");
    Py_DECREF(s);
    PyObject *ten = range3(0, 10, 1);
    CHECK_REPR(ten, "range(0, 10)");
    s = sl(0, 7, 3);
    CHECK_NEW_REPR(PyObject_GetItem(ten, s), "range(0, 7, 3)");
    Py_DECREF(s);
    s = sl(NONE_, NONE_, -1);
    CHECK_NEW_REPR(PyObject_GetItem(ten, s), "range(9, -1, -1)");
    Py_DECREF(s);
    Py_DECREF(ten);
    Py_DECREF(six);
    Py_DECREF(seven);
    Py_DECREF(r);
    return 0;
}

static int range_equality_and_hash(void) {
    PyObject *a = range3(0, 10, 2), *b = range3(0, 9, 2), *e1 = range3(5, 5, 1), *e2 = range3(9, 0, 1);
    PyObject *one1 = range3(5, 6, 1), *one3 = range3(5, 6, 3);
    CHECK(PyObject_RichCompareBool(a, b, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(e1, e2, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(one1, one3, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(a, one1, Py_NE) == 1);
    CHECK(PyObject_Hash(a) == -6143170332311272345LL && PyObject_Hash(b) == PyObject_Hash(a));
    CHECK(PyObject_Hash(e1) == 2676694398852732306LL);
    CHECK(PyObject_Hash(one3) == -7048428680432378585LL);
    CHECK(PyObject_RichCompareBool(a, b, Py_LT) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'<' not supported between instances of 'range' and 'range'");
    CHECK(PyObject_IsTrue(e1) == 0 && PyObject_IsTrue(a) == 1);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(e1);
    Py_DECREF(e2);
    Py_DECREF(one1);
    Py_DECREF(one3);
    return 0;
}

static int big_ranges(void) {
    PyObject *start = PyLong_FromString("10000000000000000000", NULL, 10);
    PyObject *stop = PyLong_FromString("10000000000000000003", NULL, 10);
    PyObject *args = PyTuple_Pack(2, start, stop);
    PyObject *r = PyRange_Type.tp_new(&PyRange_Type, args, NULL);
    CHECK(r != NULL && PyObject_Size(r) == 3);
    PyObject *it = PyObject_GetIter(r);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "longrange_iterator") == 0);
    PyObject *x = PyIter_Next(it);
    CHECK(PyObject_RichCompareBool(x, start, Py_EQ) == 1);
    Py_DECREF(x);
    Py_DECREF(it);
    CHECK(PySequence_Contains(r, start) == 1 && PySequence_Contains(r, stop) == 0);
    Py_DECREF(r);
    Py_DECREF(args);
    /* Longer than Py_ssize_t: len() overflows. */
    PyObject *huge = PyLong_FromString("100000000000000000000000", NULL, 10);
    args = PyTuple_Pack(1, huge);
    r = PyRange_Type.tp_new(&PyRange_Type, args, NULL);
    CHECK(PyObject_Size(r) == -1);
    CHECK_RAISED(PyExc_OverflowError);
    Py_DECREF(r);
    Py_DECREF(args);
    Py_DECREF(huge);
    Py_DECREF(start);
    Py_DECREF(stop);
    return 0;
}

static int range_arguments(void) {
    PyObject *args = PyTuple_New(0);
    CHECK(PyRange_Type.tp_new(&PyRange_Type, args, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "range expected at least 1 argument, got 0");
    Py_DECREF(args);
    args = Py_BuildValue("(iiii)", 1, 2, 3, 4);
    CHECK(PyRange_Type.tp_new(&PyRange_Type, args, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "range expected at most 3 arguments, got 4");
    Py_DECREF(args);
    args = Py_BuildValue("(iii)", 1, 2, 0);
    CHECK(PyRange_Type.tp_new(&PyRange_Type, args, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "range() arg 3 must not be zero");
    Py_DECREF(args);
    args = Py_BuildValue("(s)", "x");
    CHECK(PyRange_Type.tp_new(&PyRange_Type, args, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    Py_DECREF(args);
    return 0;
}

static int calling_slice(void) {
    PyObject *args = Py_BuildValue("(i)", 5);
    CHECK_NEW_REPR(PySlice_Type.tp_new(&PySlice_Type, args, NULL), "slice(None, 5, None)");
    Py_DECREF(args);
    args = Py_BuildValue("(iii)", 1, 2, 3);
    CHECK_NEW_REPR(PySlice_Type.tp_new(&PySlice_Type, args, NULL), "slice(1, 2, 3)");
    Py_DECREF(args);
    args = PyTuple_New(0);
    CHECK(PySlice_Type.tp_new(&PySlice_Type, args, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "slice expected at least 1 argument, got 0");
    Py_DECREF(args);
    args = Py_BuildValue("(iiii)", 1, 2, 3, 4);
    CHECK(PySlice_Type.tp_new(&PySlice_Type, args, NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "slice expected at most 3 arguments, got 4");
    Py_DECREF(args);
    return 0;
}

static int bad_slice_arguments(void) {
    Py_ssize_t a, b, c, n;
    PyObject *l = PyList_New(0);
    if (ISLE_ONLY) {
        CHECK(PySlice_Unpack(l, &a, &b, &c) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySlice_Unpack(NULL, &a, &b, &c) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySlice_GetIndicesEx(l, 3, &a, &b, &c, &n) == -1);
        CHECK_RAISED(PyExc_SystemError);
        CHECK(PySlice_GetIndices(l, 3, &a, &b, &c) == -1);
        CHECK_RAISED(PyExc_SystemError);
    }
    Py_DECREF(l);
    return 0;
}

static const TestCase cases[] = {
    CASE(slices_unpack_and_adjust),
    CASE(slice_comparison_and_hash),
    CASE(subscripting_sequences),
    CASE(assigning_list_slices),
    CASE(ranges),
    CASE(range_equality_and_hash),
    CASE(big_ranges),
    CASE(range_arguments),
    CASE(calling_slice),
    CASE(bad_slice_arguments),
};

TEST_MAIN(cases)
