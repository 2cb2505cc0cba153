/* bytearray from C: its layout (PyByteArray_AS_STRING/GET_SIZE read it), the
 * PyByteArray_* functions, its sequence and mapping slots, its methods, and its
 * buffer slot with the export count that pins the storage. Also runs against
 * CPython 3.13 (make reference), so every expectation below is CPython's. */
#include "checks.h"

/* A new bytearray holding the C string `s`. */
static PyObject *ba(const char *s) { return PyByteArray_FromStringAndSize(s, (Py_ssize_t)strlen(s)); }

/* Checks that bytearray `o` (borrowed) holds exactly `n` bytes `data`, NUL after. */
#define CHECK_BA_DATA(o, data, n) \
    do { \
        CHECK(PyByteArray_Check(o)); \
        CHECK(PyByteArray_GET_SIZE(o) == (n)); \
        CHECK(PyByteArray_Size(o) == (n)); \
        CHECK(memcmp(PyByteArray_AS_STRING(o), (data), (n)) == 0); \
        CHECK(PyByteArray_AS_STRING(o)[(n)] == '\0'); \
        CHECK(PyByteArray_AsString(o) == PyByteArray_AS_STRING(o)); \
    } while (0)

/* repr(o.name(...)) for o = bytearray(text). */
#define CHECK_BA_METHOD(text, name, expected, ...) \
    do { \
        PyObject *_self = ba(text); \
        CHECK(_self != NULL); \
        PyObject *_r = PyObject_CallMethod(_self, name, __VA_ARGS__); \
        Py_DECREF(_self); \
        CHECK_NEW_REPR(_r, expected); \
    } while (0)

#define CHECK_BA_METHOD_FAILS(text, name, exc, message, ...) \
    do { \
        PyObject *_self = ba(text); \
        CHECK(_self != NULL); \
        PyObject *_r = PyObject_CallMethod(_self, name, __VA_ARGS__); \
        Py_DECREF(_self); \
        CHECK(_r == NULL); \
        CHECK_ERROR_TEXT(exc, message); \
    } while (0)

static int construct_and_layout(void) {
    PyObject *b = ba("abc");
    CHECK(b != NULL);
    CHECK(PyByteArray_CheckExact(b));
    CHECK(!PyBytes_Check(b));
    CHECK(Py_TYPE(b) == &PyByteArray_Type);
    CHECK_BA_DATA(b, "abc", 3);
    CHECK_REPR(b, "bytearray(b'abc')");
    CHECK(PyObject_Hash(b) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'bytearray'");
    Py_DECREF(b);

    PyObject *empty = PyByteArray_FromStringAndSize(NULL, 0);
    CHECK(empty != NULL);
    CHECK(PyByteArray_GET_SIZE(empty) == 0);
    CHECK(PyByteArray_AS_STRING(empty) != NULL && PyByteArray_AS_STRING(empty)[0] == '\0');
    CHECK_REPR(empty, "bytearray(b'')");
    Py_DECREF(empty);

    CHECK(PyByteArray_FromStringAndSize("x", -1) == NULL);
    CHECK_ERROR_TEXT(PyExc_SystemError, "Negative size passed to PyByteArray_FromStringAndSize");

    PyObject *quotes = ba("it's");
    CHECK_REPR(quotes, "bytearray(b\"it\\'s\")");
    Py_DECREF(quotes);
    PyObject *both = PyByteArray_FromStringAndSize("'\"\x00\n", 4);
    CHECK_REPR(both, "bytearray(b'\\'\"\\x00\\n')");
    Py_DECREF(both);

    /* PyByteArray_FromObject is bytearray(o). */
    PyObject *src = PyBytes_FromString("xyz");
    PyObject *copy = PyByteArray_FromObject(src);
    CHECK(copy != NULL);
    CHECK_BA_DATA(copy, "xyz", 3);
    PyObject *again = PyByteArray_FromObject(copy);
    CHECK(again != NULL && again != copy);
    CHECK_BA_DATA(again, "xyz", 3);
    Py_DECREF(again);
    Py_DECREF(copy);
    Py_DECREF(src);
    PyObject *ints = Py_BuildValue("[iii]", 1, 2, 255);
    CHECK_NEW_REPR(PyByteArray_FromObject(ints), "bytearray(b'\\x01\\x02\\xff')");
    Py_DECREF(ints);
    PyObject *three = PyLong_FromLong(3);
    CHECK_NEW_REPR(PyByteArray_FromObject(three), "bytearray(b'\\x00\\x00\\x00')");
    Py_DECREF(three);
    PyObject *f = PyFloat_FromDouble(1.5);
    CHECK(PyByteArray_FromObject(f) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "cannot convert 'float' object to bytearray");
    Py_DECREF(f);
    PyObject *bad = Py_BuildValue("[i]", 256);
    CHECK(PyByteArray_FromObject(bad) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "byte must be in range(0, 256)");
    Py_DECREF(bad);
    bad = Py_BuildValue("[s]", "a");
    CHECK(PyByteArray_FromObject(bad) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    Py_DECREF(bad);
    PyObject *s = PyUnicode_FromString("x");
    CHECK(PyByteArray_FromObject(s) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "string argument without an encoding");
    Py_DECREF(s);
    PyObject *neg = PyLong_FromLong(-1);
    CHECK(PyByteArray_FromObject(neg) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "negative count");
    Py_DECREF(neg);
    return 0;
}

static int calling_the_type(void) {
    PyObject *type = (PyObject *)&PyByteArray_Type;
    CHECK_NEW_REPR(PyObject_CallNoArgs(type), "bytearray(b'')");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "ss", "h\xc3\xa9", "utf-8"), "bytearray(b'h\\xc3\\xa9')");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "sss", "h\xc3\xa9", "ascii", "replace"), "bytearray(b'h?')");
    CHECK_NEW_REPR(PyObject_CallFunction(type, "y", "raw"), "bytearray(b'raw')");
    CHECK(PyObject_CallFunction(type, "ys", "x", "utf-8") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "encoding without a string argument");
    CHECK(PyObject_CallFunction(type, "iss", 1, "utf-8", "strict") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "encoding without a string argument");

    PyObject *args = PyTuple_New(0);
    PyObject *kwargs = Py_BuildValue("{s:s,s:s}", "source", "abc", "encoding", "ascii");
    CHECK_NEW_REPR(PyObject_Call(type, args, kwargs), "bytearray(b'abc')");
    Py_DECREF(kwargs);
    kwargs = Py_BuildValue("{s:s}", "errors", "strict");
    CHECK(PyObject_Call(type, args, kwargs) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "errors without a string argument");
    Py_DECREF(kwargs);
    Py_DECREF(args);
    return 0;
}

static int resize_and_concat(void) {
    PyObject *b = ba("hello");
    CHECK(PyByteArray_Resize(b, 2) == 0);
    CHECK_BA_DATA(b, "he", 2);
    CHECK(PyByteArray_Resize(b, 100) == 0);
    CHECK(PyByteArray_GET_SIZE(b) == 100);
    CHECK(memcmp(PyByteArray_AS_STRING(b), "he", 2) == 0);
    memset(PyByteArray_AS_STRING(b) + 2, 'x', 98);
    CHECK(PyByteArray_AS_STRING(b)[100] == '\0');
    CHECK(PyByteArray_Resize(b, 0) == 0);
    CHECK(PyByteArray_GET_SIZE(b) == 0);
    CHECK(PyByteArray_AS_STRING(b)[0] == '\0');
    if (ISLE_ONLY) { /* CPython 3.13 only asserts that the size is not negative */
        CHECK(PyByteArray_Resize(b, -1) == -1);
        CHECK_ERROR_TEXT(PyExc_ValueError, "Can only resize to positive sizes, got -1");
    }
    Py_DECREF(b);

    PyObject *x = PyBytes_FromString("ab");
    PyObject *y = ba("cd");
    PyObject *c = PyByteArray_Concat(x, y);
    CHECK(c != NULL);
    CHECK_BA_DATA(c, "abcd", 4);
    Py_DECREF(c);
    c = PyByteArray_Concat(y, x);
    CHECK_BA_DATA(c, "cdab", 4);
    Py_DECREF(c);
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyByteArray_Concat(y, one) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "can't concat int to bytearray");
    CHECK(PyNumber_Add(y, one) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "can't concat int to bytearray");
    CHECK_NEW_REPR(PyNumber_Add(y, x), "bytearray(b'cdab')");
    Py_DECREF(one);
    Py_DECREF(x);
    Py_DECREF(y);
    return 0;
}

static int sequence_and_mapping(void) {
    PyObject *b = ba("abcdef");
    CHECK(PySequence_Check(b));
    CHECK(PySequence_Size(b) == 6);
    CHECK_INT(PySequence_GetItem(b, 0), 'a');
    CHECK_INT(PySequence_GetItem(b, -1), 'f');
    CHECK(PySequence_GetItem(b, 6) == NULL);
    CHECK_ERROR_TEXT(PyExc_IndexError, "bytearray index out of range");
    PyObject *key = PyLong_FromLong(-2);
    CHECK_INT(PyObject_GetItem(b, key), 'e');
    Py_DECREF(key);
    key = PyUnicode_FromString("x");
    CHECK(PyObject_GetItem(b, key) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "bytearray indices must be integers or slices, not str");
    Py_DECREF(key);
    CHECK_NEW_REPR(PySequence_GetSlice(b, 1, 3), "bytearray(b'bc')");
    PyObject *step = PyLong_FromLong(-2);
    PyObject *rev = PySlice_New(NULL, NULL, step);
    Py_DECREF(step);
    CHECK_NEW_REPR(PyObject_GetItem(b, rev), "bytearray(b'fdb')");

    /* Item and slice assignment. */
    PyObject *v = PyLong_FromLong('Z');
    CHECK(PySequence_SetItem(b, 0, v) == 0);
    Py_DECREF(v);
    v = PyLong_FromLong(300);
    CHECK(PySequence_SetItem(b, 0, v) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "byte must be in range(0, 256)");
    Py_DECREF(v);
    v = PyUnicode_FromString("a");
    CHECK(PySequence_SetItem(b, 0, v) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    CHECK(PySequence_SetSlice(b, 0, 1, v) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "can assign only bytes, buffers, or iterables of ints in range(0, 256)");
    Py_DECREF(v);
    CHECK_REPR(b, "bytearray(b'Zbcdef')");
    PyObject *data = PyBytes_FromString("123");
    CHECK(PySequence_SetSlice(b, 1, 2, data) == 0);
    CHECK_REPR(b, "bytearray(b'Z123cdef')");
    CHECK(PySequence_DelSlice(b, 0, 2) == 0);
    CHECK_REPR(b, "bytearray(b'23cdef')");
    CHECK(PySequence_DelItem(b, -1) == 0);
    CHECK_REPR(b, "bytearray(b'23cde')");
    CHECK(PySequence_SetSlice(b, 0, 0, b) == 0); /* itself: a copy is inserted */
    CHECK_REPR(b, "bytearray(b'23cde23cde')");
    CHECK(PyObject_SetItem(b, rev, data) == -1);
    CHECK_ERROR_TEXT(PyExc_ValueError, "attempt to assign bytes of size 3 to extended slice of size 5");
    PyObject *five = PyBytes_FromString("vwxyz");
    CHECK(PyObject_SetItem(b, rev, five) == 0);
    CHECK_REPR(b, "bytearray(b'2zcyex3wdv')");
    CHECK(PyObject_DelItem(b, rev) == 0);
    CHECK_REPR(b, "bytearray(b'2ce3d')");
    Py_DECREF(five);
    Py_DECREF(rev);
    Py_DECREF(data);
    PyObject *ints = Py_BuildValue("[ii]", 'p', 'q');
    CHECK(PySequence_SetSlice(b, 5, 5, ints) == 0);
    CHECK_REPR(b, "bytearray(b'2ce3dpq')");
    Py_DECREF(ints);
    CHECK(PySequence_DelItem(b, 7) == -1);
    CHECK_ERROR_TEXT(PyExc_IndexError, "bytearray index out of range");

    /* Membership, concatenation and repetition. */
    PyObject *x = PyLong_FromLong('e');
    CHECK(PySequence_Contains(b, x) == 1);
    Py_DECREF(x);
    PyObject *sub = PyBytes_FromString("3dp");
    CHECK(PySequence_Contains(b, sub) == 1);
    Py_DECREF(sub);
    PyObject *str = PyUnicode_FromString("d");
    CHECK(PySequence_Contains(b, str) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "a bytes-like object is required, not 'str'");
    Py_DECREF(str);
    PyObject *tail = PyBytes_FromString("!");
    PyObject *same = PyNumber_InPlaceAdd(b, tail);
    CHECK(same == b);
    Py_DECREF(same);
    CHECK_REPR(b, "bytearray(b'2ce3dpq!')");
    Py_DECREF(tail);
    PyObject *two = PyLong_FromLong(2);
    PyObject *small = ba("ab");
    CHECK_NEW_REPR(PyNumber_Multiply(small, two), "bytearray(b'abab')");
    CHECK_NEW_REPR(PyNumber_Multiply(two, small), "bytearray(b'abab')");
    same = PyNumber_InPlaceMultiply(small, two);
    CHECK(same == small);
    Py_DECREF(same);
    CHECK_REPR(small, "bytearray(b'abab')");
    PyObject *half = PyFloat_FromDouble(0.5);
    CHECK(PyNumber_Multiply(small, half) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "can't multiply sequence by non-int of type 'float'");
    Py_DECREF(half);
    Py_DECREF(two);
    Py_DECREF(small);
    Py_DECREF(b);
    return 0;
}

static int comparisons_and_iteration(void) {
    PyObject *a = ba("abc");
    PyObject *bytes = PyBytes_FromString("abc");
    PyObject *bigger = ba("abd");
    CHECK(PyObject_RichCompareBool(a, bytes, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(bytes, a, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(a, bigger, Py_LT) == 1);
    CHECK(PyObject_RichCompareBool(bigger, bytes, Py_GE) == 1);
    CHECK(PyObject_RichCompareBool(a, bigger, Py_NE) == 1);
    PyObject *s = PyUnicode_FromString("abc");
    CHECK(PyObject_RichCompareBool(a, s, Py_EQ) == 0);
    CHECK(PyObject_RichCompareBool(a, s, Py_LT) == -1);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'<' not supported between instances of 'bytearray' and 'str'");
    Py_DECREF(s);

    PyObject *it = PyObject_GetIter(a);
    CHECK(it != NULL);
    CHECK(strcmp(Py_TYPE(it)->tp_name, "bytearray_iterator") == 0);
    CHECK(PyObject_LengthHint(it, -1) == 3);
    CHECK_INT(PyIter_Next(it), 'a');
    /* The iterator sees changes made while iterating. */
    CHECK(PySequence_DelItem(a, 1) == 0);
    CHECK_INT(PyIter_Next(it), 'c');
    CHECK(PyIter_Next(it) == NULL);
    CHECK_NO_ERROR();
    Py_DECREF(it);
    Py_DECREF(a);
    Py_DECREF(bytes);
    Py_DECREF(bigger);
    return 0;
}

static int mutating_methods(void) {
    PyObject *b = ba("ab");
    CHECK_NEW_REPR(PyObject_CallMethod(b, "append", "i", 'c'), "None");
    CHECK(PyObject_CallMethod(b, "append", "i", 256) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "byte must be in range(0, 256)");
    CHECK(PyObject_CallMethod(b, "append", "s", "a") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    CHECK_NEW_REPR(PyObject_CallMethod(b, "extend", "y", "de"), "None");
    PyObject *ints = Py_BuildValue("(ii)", 'f', 'g');
    CHECK_NEW_REPR(PyObject_CallMethod(b, "extend", "(O)", ints), "None");
    Py_DECREF(ints);
    CHECK(PyObject_CallMethod(b, "extend", "i", 5) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "can't extend bytearray with int");
    CHECK(PyObject_CallMethod(b, "extend", "s", "ab") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "expected iterable of integers; got: 'str'");
    CHECK_REPR(b, "bytearray(b'abcdefg')");
    CHECK_INT(PyObject_CallMethod(b, "pop", NULL), 'g');
    CHECK_INT(PyObject_CallMethod(b, "pop", "i", 0), 'a');
    CHECK(PyObject_CallMethod(b, "pop", "i", 10) == NULL);
    CHECK_ERROR_TEXT(PyExc_IndexError, "pop index out of range");
    CHECK_NEW_REPR(PyObject_CallMethod(b, "insert", "ii", 1, 'X'), "None");
    CHECK_NEW_REPR(PyObject_CallMethod(b, "insert", "ii", -100, '<'), "None");
    CHECK_NEW_REPR(PyObject_CallMethod(b, "insert", "ii", 100, '>'), "None");
    CHECK(PyObject_CallMethod(b, "insert", "i", 1) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "insert expected 2 arguments, got 1");
    CHECK_REPR(b, "bytearray(b'<bXcdef>')");
    CHECK_NEW_REPR(PyObject_CallMethod(b, "remove", "i", 'X'), "None");
    CHECK(PyObject_CallMethod(b, "remove", "i", 'X') == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "value not found in bytearray");
    CHECK_NEW_REPR(PyObject_CallMethod(b, "reverse", NULL), "None");
    CHECK_REPR(b, "bytearray(b'>fedcb<')");
    PyObject *copy = PyObject_CallMethod(b, "copy", NULL);
    CHECK(copy != NULL && copy != b && PyByteArray_CheckExact(copy));
    CHECK_NEW_REPR(PyObject_CallMethod(b, "clear", NULL), "None");
    CHECK_REPR(b, "bytearray(b'')");
    CHECK(PyObject_CallMethod(b, "pop", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_IndexError, "pop from empty bytearray");
    CHECK_REPR(copy, "bytearray(b'>fedcb<')");
    Py_DECREF(copy);
    Py_DECREF(b);

    /* Many appends, then deleting from the front, keep the data intact. */
    b = PyByteArray_FromStringAndSize(NULL, 0);
    for (int i = 0; i < 1000; i++) {
        PyObject *r = PyObject_CallMethod(b, "append", "i", i % 256);
        CHECK(r != NULL);
        Py_DECREF(r);
    }
    for (int i = 0; i < 990; i++) CHECK(PySequence_DelItem(b, 0) == 0);
    CHECK(PyByteArray_GET_SIZE(b) == 10);
    for (int i = 0; i < 10; i++) CHECK((unsigned char)PyByteArray_AS_STRING(b)[i] == (990 + i) % 256);
    CHECK(PyByteArray_AS_STRING(b)[10] == '\0');
    Py_DECREF(b);
    return 0;
}

static int shared_methods(void) {
    CHECK_BA_METHOD("a,b,c", "split", "[bytearray(b'a'), bytearray(b'b'), bytearray(b'c')]", "y", ",");
    CHECK_BA_METHOD("h\xc3\xa9", "decode", "'h\xc3\xa9'", NULL);
    CHECK_BA_METHOD("\x01\xab", "hex", "'01ab'", NULL);
    CHECK_BA_METHOD("abcabc", "find", "2", "i", 'c');
    CHECK_BA_METHOD("abcabc", "rindex", "4", "y", "b");
    CHECK_BA_METHOD("abcabc", "count", "2", "y", "ab");
    CHECK_BA_METHOD("abc", "startswith", "True", "y", "ab");
    CHECK_BA_METHOD("aaa", "replace", "bytearray(b'bba')", "yyi", "a", "b", 2);
    CHECK_BA_METHOD("  ab  ", "strip", "bytearray(b'ab')", NULL);
    CHECK_BA_METHOD("xyabyx", "strip", "bytearray(b'ab')", "y", "xy");
    CHECK_BA_METHOD("  ab  ", "lstrip", "bytearray(b'ab  ')", NULL);
    CHECK_BA_METHOD("  ab  ", "rstrip", "bytearray(b'  ab')", NULL);
    CHECK_BA_METHOD_FAILS("ab", "strip", PyExc_TypeError, "a bytes-like object is required, not 'str'", "s", "a");
    CHECK_BA_METHOD("aB1", "upper", "bytearray(b'AB1')", NULL);
    CHECK_BA_METHOD("aB1", "lower", "bytearray(b'ab1')", NULL);
    CHECK_BA_METHOD("aB1", "swapcase", "bytearray(b'Ab1')", NULL);
    CHECK_BA_METHOD("abc1", "isalnum", "True", NULL);
    CHECK_BA_METHOD("", "isdigit", "False", NULL);
    CHECK_BA_METHOD("ab1", "islower", "True", NULL);
    CHECK_BA_METHOD("prefix-rest", "removeprefix", "bytearray(b'rest')", "y", "prefix-");
    CHECK_BA_METHOD("rest", "removesuffix", "bytearray(b'rest')", "y", "x");
    PyObject *parts = Py_BuildValue("[yy]", "a", "b");
    CHECK_BA_METHOD("-", "join", "bytearray(b'a-b')", "O", parts);
    Py_DECREF(parts);

    /* Arguments may be bytearrays too, in bytes' methods as well. */
    PyObject *sep = ba(",");
    PyObject *bytes = PyBytes_FromString("x,y");
    CHECK_NEW_REPR(PyObject_CallMethod(bytes, "split", "O", sep), "[b'x', b'y']");
    Py_DECREF(bytes);
    Py_DECREF(sep);

    PyObject *type = (PyObject *)&PyByteArray_Type;
    CHECK_NEW_REPR(PyObject_CallMethod(type, "fromhex", "s", " 01 ab\tcd\n"), "bytearray(b'\\x01\\xab\\xcd')");
    CHECK(PyObject_CallMethod(type, "fromhex", "s", "0 1") == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "non-hexadecimal number found in fromhex() arg at position 1");
    PyObject *btype = (PyObject *)&PyBytes_Type;
    CHECK_NEW_REPR(PyObject_CallMethod(btype, "fromhex", "s", "ff00"), "b'\\xff\\x00'");
    CHECK(PyObject_CallMethod(btype, "fromhex", "y", "ff") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "fromhex() argument must be str, not bytes");
    CHECK(PyObject_CallMethod(btype, "fromhex", "s", "a") == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "non-hexadecimal number found in fromhex() arg at position 1");
    PyObject *b = PyBytes_FromString(" ab ");
    CHECK_NEW_REPR(PyObject_CallMethod(b, "strip", NULL), "b'ab'");
    CHECK_NEW_REPR(PyObject_CallMethod(b, "upper", NULL), "b' AB '");
    Py_DECREF(b);
    return 0;
}

/* The buffer slot: a writable view of the data that pins the storage. */
static int buffer_slot(void) {
    PyObject *b = ba("abc");
    PyBufferProcs *procs = Py_TYPE(b)->tp_as_buffer;
    CHECK(procs != NULL && procs->bf_getbuffer != NULL && procs->bf_releasebuffer != NULL);
    Py_buffer view;
    memset(&view, 0, sizeof view);
    CHECK(procs->bf_getbuffer(b, &view, PyBUF_FULL) == 0);
    CHECK(view.obj == b);
    CHECK(view.buf == PyByteArray_AS_STRING(b));
    CHECK(view.len == 3 && view.itemsize == 1 && view.readonly == 0 && view.ndim == 1);
    CHECK(view.format != NULL && strcmp(view.format, "B") == 0);
    CHECK(view.shape == &view.len && view.strides == &view.itemsize && view.suboffsets == NULL);
    CHECK(((PyByteArrayObject *)b)->ob_exports == 1);

    /* Writes through the view are the bytearray's; resizing is refused. */
    ((char *)view.buf)[0] = 'X';
    CHECK_REPR(b, "bytearray(b'Xbc')");
    CHECK(PyObject_CallMethod(b, "append", "i", 'd') == NULL);
    CHECK_ERROR_TEXT(PyExc_BufferError, "Existing exports of data: object cannot be re-sized");
    CHECK(PyByteArray_Resize(b, 10) == -1);
    CHECK_ERROR_TEXT(PyExc_BufferError, "Existing exports of data: object cannot be re-sized");
    CHECK(PySequence_DelItem(b, 0) == -1);
    CHECK_ERROR_TEXT(PyExc_BufferError, "Existing exports of data: object cannot be re-sized");
    PyObject *same_size = PyBytes_FromString("YZ");
    CHECK(PySequence_SetSlice(b, 1, 3, same_size) == 0);
    Py_DECREF(same_size);
    CHECK_REPR(b, "bytearray(b'XYZ')");

    /* A second, simple view: no format, shape or strides. */
    Py_buffer simple;
    memset(&simple, 0, sizeof simple);
    CHECK(procs->bf_getbuffer(b, &simple, PyBUF_SIMPLE) == 0);
    CHECK(simple.format == NULL && simple.shape == NULL && simple.strides == NULL);
    CHECK(((PyByteArrayObject *)b)->ob_exports == 2);
    procs->bf_releasebuffer(b, &simple);
    Py_DECREF(simple.obj);
    procs->bf_releasebuffer(b, &view);
    Py_DECREF(view.obj);
    CHECK(((PyByteArrayObject *)b)->ob_exports == 0);

    CHECK_NEW_REPR(PyObject_CallMethod(b, "append", "i", 'd'), "None");
    CHECK_REPR(b, "bytearray(b'XYZd')");
    Py_DECREF(b);
    return 0;
}

static const TestCase cases[] = {
    CASE(construct_and_layout),
    KEEPS_OBJECTS(calling_the_type),
    CASE(resize_and_concat),
    CASE(sequence_and_mapping),
    CASE(comparisons_and_iteration),
    KEEPS_OBJECTS(mutating_methods),
    KEEPS_OBJECTS(shared_methods),
    KEEPS_OBJECTS(buffer_slot),
};

TEST_MAIN(cases)
