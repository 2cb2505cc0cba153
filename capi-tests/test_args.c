/* Argument parsing (PyArg_*) and value building (Py_BuildValue). The expected
 * messages are CPython 3.13's: this file also builds against CPython's headers and
 * libpython (make -C capi-tests cpython-check), where every case passes too. */
#include "harness.h"

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

static PyObject *tuple_of(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    PyObject *t = Py_VaBuildValue(format, ap);
    va_end(ap);
    return t;
}

static int parse_integers(void) {
    PyObject *args = tuple_of("(iiiiiiiiiLLn)", 200, 65000, -30000, 65535, -7, -1, -9, -1, 5, (long long)-1,
                              (long long)-1, (Py_ssize_t)77);
    CHECK(args != NULL && PyTuple_GET_SIZE(args) == 12);
    unsigned char b;
    unsigned char B;
    short h;
    unsigned short H;
    int i;
    unsigned int I;
    long l;
    unsigned long k;
    long long L;
    unsigned long long K;
    Py_ssize_t n;
    short h2;
    CHECK(PyArg_ParseTuple(args, "bBhHiIlkhLKn", &b, &B, &h, &H, &i, &I, &l, &k, &h2, &L, &K, &n));
    CHECK(b == 200 && B == (unsigned char)65000 && h == -30000 && H == 65535 && i == -7);
    CHECK(I == 0xFFFFFFFFu && l == -9 && k == (unsigned long)-1 && h2 == 5 && L == -1 && K == ~0ULL && n == 77);
    Py_DECREF(args);

    args = tuple_of("(i)", 256);
    CHECK(!PyArg_ParseTuple(args, "b", &b));
    CHECK_ERROR_TEXT(PyExc_OverflowError, "unsigned byte integer is greater than maximum");
    Py_DECREF(args);
    args = tuple_of("(i)", -1);
    CHECK(!PyArg_ParseTuple(args, "b", &b));
    CHECK_ERROR_TEXT(PyExc_OverflowError, "unsigned byte integer is less than minimum");
    Py_DECREF(args);
    args = tuple_of("(i)", 40000);
    CHECK(!PyArg_ParseTuple(args, "h", &h));
    CHECK_ERROR_TEXT(PyExc_OverflowError, "signed short integer is greater than maximum");
    Py_DECREF(args);
    args = tuple_of("(L)", (long long)1 << 40);
    CHECK(!PyArg_ParseTuple(args, "i", &i));
    CHECK_ERROR_TEXT(PyExc_OverflowError, "signed integer is greater than maximum");
    Py_DECREF(args);
    args = tuple_of("(s)", "7");
    CHECK(!PyArg_ParseTuple(args, "i:f", &i));
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    CHECK(!PyArg_ParseTuple(args, "k:f", &k));
    CHECK_ERROR_TEXT(PyExc_TypeError, "f() argument 1 must be int, not str");
    Py_DECREF(args);
    return 0;
}

static int parse_floats_chars_and_truth(void) {
    PyObject *args = tuple_of("(dyCi)", 2.5, "x", 0x20AC, 0);
    float f;
    char c;
    int ch, truth;
    CHECK(PyArg_ParseTuple(args, "fcCp", &f, &c, &ch, &truth));
    CHECK(f == 2.5f && c == 'x' && ch == 0x20AC && truth == 0);
    double d;
    CHECK(PyArg_ParseTuple(args, "d|OOO", &d, &(PyObject *){NULL}, &(PyObject *){NULL}, &(PyObject *){NULL}));
    CHECK(d == 2.5);
    Py_DECREF(args);
    args = tuple_of("(s)", "xy");
    CHECK(!PyArg_ParseTuple(args, "c", &c));
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument 1 must be a byte string of length 1, not str");
    CHECK(!PyArg_ParseTuple(args, "C", &ch));
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument 1 must be a unicode character, not str");
    Py_DECREF(args);
    return 0;
}

static int parse_text_and_objects(void) {
    PyObject *args = tuple_of("(ssy#OsN)", "h\xc3\xa9llo", "abc", "a\0b", (Py_ssize_t)3, Py_None, "x",
                              PyBytes_FromString("raw"));
    CHECK(args != NULL);
    const char *s, *z, *y;
    Py_ssize_t s_len, y_len;
    PyObject *none_obj, *u, *bytes_obj;
    CHECK(PyArg_ParseTuple(args, "ss#y#zUS", &s, &z, &s_len, &y, &y_len, &z, &u, &bytes_obj));
    CHECK(strcmp(s, "h\xc3\xa9llo") == 0 && s_len == 3 && y_len == 3 && memcmp(y, "a\0b", 3) == 0);
    CHECK(z == NULL && PyUnicode_Check(u) && PyBytes_Check(bytes_obj));
    CHECK(PyArg_ParseTuple(args, "OOOO!OO", &none_obj, &none_obj, &none_obj, Py_TYPE(Py_None), &none_obj, &u,
                           &bytes_obj));
    CHECK(none_obj == Py_None);
    CHECK(!PyArg_ParseTuple(args, "OOOO!OO", &none_obj, &none_obj, &none_obj, &PyLong_Type, &none_obj, &u,
                            &bytes_obj));
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument 4 must be int, not None");
    CHECK(!PyArg_ParseTuple(args, "OOy:g", &none_obj, &none_obj, &y, &u, &u, &u));
    CHECK_ERROR_TEXT(PyExc_TypeError, "g() takes exactly 3 arguments (6 given)");
    Py_DECREF(args);

    args = tuple_of("(y#)", "a\0b", (Py_ssize_t)3);
    CHECK(!PyArg_ParseTuple(args, "y", &y));
    CHECK_ERROR_TEXT(PyExc_ValueError, "embedded null byte");
    CHECK(!PyArg_ParseTuple(args, "s", &s));
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument 1 must be str, not bytes");
    Py_DECREF(args);
    args = tuple_of("(s#)", "a\0b", (Py_ssize_t)3);
    CHECK(!PyArg_ParseTuple(args, "s", &s));
    CHECK_ERROR_TEXT(PyExc_ValueError, "embedded null character");
    CHECK(!PyArg_ParseTuple(args, "z:h", &s));
    CHECK_ERROR_TEXT(PyExc_ValueError, "embedded null character");
    Py_DECREF(args);
    args = tuple_of("(i)", 3);
    CHECK(!PyArg_ParseTuple(args, "z:h", &s));
    CHECK_ERROR_TEXT(PyExc_TypeError, "h() argument 1 must be str or None, not int");
    CHECK(!PyArg_ParseTuple(args, "U", &u));
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument 1 must be str, not int");
    CHECK(!PyArg_ParseTuple(args, "S", &u));
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument 1 must be bytes, not int");
    Py_DECREF(args);
    return 0;
}

static int parse_encoded_text(void) {
    PyObject *args = tuple_of("(ss)", "gr\xc3\xbc\xc3\x9f", "x");
    char *out = NULL;
    CHECK(PyArg_ParseTuple(args, "es|s", "utf-8", &out, &(const char *){NULL}));
    CHECK(strcmp(out, "gr\xc3\xbc\xc3\x9f") == 0);
    PyMem_Free(out);
    char fixed[4];
    char *into = fixed;
    Py_ssize_t size = sizeof fixed;
    CHECK(!PyArg_ParseTuple(args, "es#|s", "utf-8", &into, &size, &(const char *){NULL}));
    CHECK_ERROR_TEXT(PyExc_ValueError, "encoded string too long (6, maximum length 3)");
    out = NULL;
    size = 0;
    CHECK(PyArg_ParseTuple(args, "et#|s", NULL, &out, &size, &(const char *){NULL}));
    CHECK(size == 6 && memcmp(out, "gr\xc3\xbc\xc3\x9f", 7) == 0);
    PyMem_Free(out);
    Py_DECREF(args);
    return 0;
}

static int parse_counts_names_and_messages(void) {
    PyObject *none = PyTuple_New(0);
    int a = 0, b = 0;
    CHECK(!PyArg_ParseTuple(none, "i|i:f", &a, &b));
    CHECK_ERROR_TEXT(PyExc_TypeError, "f() takes at least 1 argument (0 given)");
    CHECK(!PyArg_ParseTuple(none, "i", &a));
    CHECK_ERROR_TEXT(PyExc_TypeError, "function takes exactly 1 argument (0 given)");
    CHECK(!PyArg_ParseTuple(none, "i;give me a number", &a));
    CHECK_ERROR_TEXT(PyExc_TypeError, "give me a number");
    CHECK(PyArg_ParseTuple(none, ""));
    CHECK(PyArg_ParseTuple(none, "|i", &a) && a == 0);
    PyObject *three = tuple_of("(iii)", 1, 2, 3);
    CHECK(!PyArg_ParseTuple(three, "i|i:f", &a, &b));
    CHECK_ERROR_TEXT(PyExc_TypeError, "f() takes at most 2 arguments (3 given)");
    CHECK(!PyArg_ParseTuple(three, "ii", &a, &b));
    CHECK_ERROR_TEXT(PyExc_TypeError, "function takes exactly 2 arguments (3 given)");
    PyObject *not_tuple = PyLong_FromLong(1);
    CHECK(!PyArg_ParseTuple(not_tuple, "i", &a));
    CHECK_ERROR_TEXT(PyExc_SystemError, "new style getargs format but argument is not a tuple");
    /* PyArg_Parse: the old convention, one argument that is not in a tuple. */
    CHECK(PyArg_Parse(not_tuple, "i", &a) && a == 1);
    CHECK(!PyArg_Parse(not_tuple, "ii", &a, &b));
    CHECK_ERROR_TEXT(PyExc_SystemError, "old style getargs format uses new features");
    Py_DECREF(not_tuple);
    Py_DECREF(three);
    Py_DECREF(none);
    return 0;
}

static int parse_nested_groups(void) {
    PyObject *args = tuple_of("((i(si))i)", 1, "two", 3, 4);
    int a, c, d;
    const char *s;
    CHECK(PyArg_ParseTuple(args, "(i(si))i", &a, &s, &c, &d));
    CHECK(a == 1 && strcmp(s, "two") == 0 && c == 3 && d == 4);
    CHECK(!PyArg_ParseTuple(args, "(i(ii))i", &a, &c, &c, &d));
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    CHECK(!PyArg_ParseTuple(args, "(i(UU))i", &a, &s, &s, &d));
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument 1, item 1, item 1 must be str, not int");
    CHECK(!PyArg_ParseTuple(args, "(iii)i", &a, &c, &c, &d));
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument 1 must be sequence of length 3, not 2");
    CHECK(!PyArg_ParseTuple(args, "(i(si))(ii)", &a, &s, &c, &c, &d));
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument 2 must be 2-item sequence, not int");
    Py_DECREF(args);
    return 0;
}

static int cleanups_run = 0;

/* An O& converter that asks to be told when parsing fails after it. */
static int converter_with_cleanup(PyObject *arg, void *addr) {
    if (arg == NULL) {
        cleanups_run++;
        return 1;
    }
    *(PyObject **)addr = arg;
    return Py_CLEANUP_SUPPORTED;
}

static int refuse(PyObject *arg, void *addr) {
    PyErr_SetString(PyExc_ValueError, "refused by the converter");
    return 0;
}

static int parse_with_converters(void) {
    PyObject *args = tuple_of("(is)", 1, "x");
    PyObject *seen = NULL;
    int n;
    CHECK(PyArg_ParseTuple(args, "O&s", converter_with_cleanup, &seen, &(const char *){NULL}));
    CHECK(seen == PyTuple_GET_ITEM(args, 0) && cleanups_run == 0);
    CHECK(!PyArg_ParseTuple(args, "O&i", converter_with_cleanup, &seen, &n));
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    CHECK(cleanups_run == 1);
    CHECK(!PyArg_ParseTuple(args, "O&s", refuse, &seen, &(const char *){NULL}));
    CHECK_ERROR_TEXT(PyExc_ValueError, "refused by the converter");
    Py_DECREF(args);
    return 0;
}

static int parse_keywords(void) {
    static char *kwlist[] = {"a", "b", "c", NULL};
    PyObject *args = tuple_of("(i)", 1);
    PyObject *kwargs = Py_BuildValue("{s:i,s:i}", "c", 3, "b", 2);
    int a = 0, b = 0, c = 0;
    CHECK(PyArg_ParseTupleAndKeywords(args, kwargs, "i|i$i:g", kwlist, &a, &b, &c));
    CHECK(a == 1 && b == 2 && c == 3);
    a = b = c = 0;
    CHECK(PyArg_ParseTupleAndKeywords(args, NULL, "i|i$i:g", kwlist, &a, &b, &c) && a == 1 && b == 0);
    PyObject *none = PyTuple_New(0);
    CHECK(!PyArg_ParseTupleAndKeywords(none, kwargs, "i|i$i:g", kwlist, &a, &b, &c));
    CHECK_ERROR_TEXT(PyExc_TypeError, "g() missing required argument 'a' (pos 1)");
    PyObject *also_a = Py_BuildValue("{s:i}", "a", 9);
    CHECK(!PyArg_ParseTupleAndKeywords(args, also_a, "i|i$i:g", kwlist, &a, &b, &c));
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument for g() given by name ('a') and position (1)");
    PyObject *unknown = Py_BuildValue("{s:i}", "d", 9);
    CHECK(!PyArg_ParseTupleAndKeywords(args, unknown, "i|i$i:g", kwlist, &a, &b, &c));
    CHECK_ERROR_TEXT(PyExc_TypeError, "g() got an unexpected keyword argument 'd'");
    CHECK(!PyArg_ParseTupleAndKeywords(args, unknown, "i|i$i", kwlist, &a, &b, &c));
    CHECK_ERROR_TEXT(PyExc_TypeError, "this function got an unexpected keyword argument 'd'");
    PyObject *three = tuple_of("(iii)", 1, 2, 3);
    CHECK(!PyArg_ParseTupleAndKeywords(three, NULL, "i|i$i:g", kwlist, &a, &b, &c));
    CHECK_ERROR_TEXT(PyExc_TypeError, "g() takes at most 2 positional arguments (3 given)");
    CHECK(!PyArg_ParseTupleAndKeywords(three, kwargs, "i|i$i:g", kwlist, &a, &b, &c));
    CHECK_ERROR_TEXT(PyExc_TypeError, "g() takes at most 3 arguments (5 given)");
    PyObject *bad_type = Py_BuildValue("{s:s}", "b", "x");
    CHECK(!PyArg_ParseTupleAndKeywords(args, bad_type, "i|i$i:g", kwlist, &a, &b, &c));
    CHECK_ERROR_TEXT(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    /* Positional-only parameters have empty names. */
    static char *posonly[] = {"", "b", NULL};
    CHECK(!PyArg_ParseTupleAndKeywords(none, kwargs, "i|i:h", posonly, &a, &b));
    CHECK_ERROR_TEXT(PyExc_TypeError, "h() takes at least 1 positional argument (0 given)");
    static char *bad_list[] = {"a", "", NULL};
    CHECK(!PyArg_ParseTupleAndKeywords(args, NULL, "i|i", bad_list, &a, &b));
    CHECK_ERROR_TEXT(PyExc_SystemError, "Empty keyword parameter name");
    Py_DECREF(bad_type);
    Py_DECREF(three);
    Py_DECREF(unknown);
    Py_DECREF(also_a);
    Py_DECREF(none);
    Py_DECREF(kwargs);
    Py_DECREF(args);
    return 0;
}

/* A mistyped keyword gets CPython's suggestion of the nearest parameter name. */
static int unknown_keywords_get_suggestions(void) {
    static char *kwlist[] = {"alpha", "beta", "Gamma", "delta_value", NULL};
    PyObject *args = PyTuple_New(0);
    int a = 0, b = 0, c = 0, d = 0;
    const struct {
        const char *keyword, *message;
    } expected[] = {
        {"alpah", "f() got an unexpected keyword argument 'alpah'. Did you mean 'alpha'?"},
        {"gamma", "f() got an unexpected keyword argument 'gamma'. Did you mean 'Gamma'?"},
        {"bet", "f() got an unexpected keyword argument 'bet'. Did you mean 'beta'?"},
        {"deltavalue", "f() got an unexpected keyword argument 'deltavalue'. Did you mean 'delta_value'?"},
        {"xyz", "f() got an unexpected keyword argument 'xyz'"},
        {"omega", "f() got an unexpected keyword argument 'omega'"},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(expected); i++) {
        PyObject *kwargs = Py_BuildValue("{s:i}", expected[i].keyword, 1);
        CHECK(!PyArg_ParseTupleAndKeywords(args, kwargs, "|iiii:f", kwlist, &a, &b, &c, &d));
        Py_DECREF(kwargs);
        CHECK_ERROR_TEXT(PyExc_TypeError, expected[i].message);
    }
    Py_DECREF(args);
    return 0;
}

static int unpack_and_check_positional(void) {
    PyObject *args = tuple_of("(ii)", 1, 2);
    PyObject *x = NULL, *y = NULL, *z = NULL;
    CHECK(PyArg_UnpackTuple(args, "f", 1, 3, &x, &y, &z));
    CHECK(x == PyTuple_GET_ITEM(args, 0) && y == PyTuple_GET_ITEM(args, 1) && z == NULL);
    CHECK(!PyArg_UnpackTuple(args, "f", 3, 4, &x, &y, &z));
    CHECK_ERROR_TEXT(PyExc_TypeError, "f expected at least 3 arguments, got 2");
    CHECK(!PyArg_UnpackTuple(args, "f", 1, 1, &x));
    CHECK_ERROR_TEXT(PyExc_TypeError, "f expected 1 argument, got 2");
    CHECK(!PyArg_UnpackTuple(args, "f", 0, 1, &x));
    CHECK_ERROR_TEXT(PyExc_TypeError, "f expected at most 1 argument, got 2");
    CHECK(!PyArg_UnpackTuple(args, NULL, 3, 3, &x, &y, &z));
    CHECK_ERROR_TEXT(PyExc_TypeError, "unpacked tuple should have 3 elements, but has 2");
    Py_DECREF(args);
    PyObject *kwargs = PyDict_New();
    CHECK(PyArg_ValidateKeywordArguments(kwargs));
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyDict_SetItem(kwargs, one, one) == 0);
    CHECK(!PyArg_ValidateKeywordArguments(kwargs));
    CHECK_ERROR_TEXT(PyExc_TypeError, "keywords must be strings");
    Py_DECREF(one);
    Py_DECREF(kwargs);
    return 0;
}

static int build_values(void) {
    PyObject *v = Py_BuildValue("");
    CHECK(v == Py_None);
    Py_DECREF(v);
    v = Py_BuildValue("i", 7);
    CHECK(v != NULL && PyLong_AsLong(v) == 7);
    Py_DECREF(v);
    v = Py_BuildValue("iis", 1, 2, "three");
    CHECK(v != NULL && PyTuple_Check(v) && PyTuple_GET_SIZE(v) == 3);
    Py_DECREF(v);
    v = Py_BuildValue("()");
    CHECK(v != NULL && PyTuple_Check(v) && PyTuple_GET_SIZE(v) == 0);
    Py_DECREF(v);
    v = Py_BuildValue("[i,(s#,z), {s:d}]", 1, "abcdef", (Py_ssize_t)2, (char *)NULL, "k", 0.5);
    CHECK(v != NULL && PyList_Check(v) && PyList_GET_SIZE(v) == 3);
    PyObject *pair = PyList_GET_ITEM(v, 1);
    CHECK(PyTuple_GET_SIZE(pair) == 2 && PyTuple_GET_ITEM(pair, 1) == Py_None);
    CHECK(PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(pair, 0), "ab") == 0);
    PyObject *half = PyDict_GetItemString(PyList_GET_ITEM(v, 2), "k");
    CHECK(half != NULL && PyFloat_AsDouble(half) == 0.5);
    Py_DECREF(v);
    v = Py_BuildValue("(bhHIkLKnccC)", -1, -2, 65535, 4000000000u, 5ul, -6ll, 7ull, (Py_ssize_t)-8, 'x', 'y', 0x1F600);
    CHECK(v != NULL && PyTuple_GET_SIZE(v) == 11);
    CHECK(PyLong_AsLong(PyTuple_GET_ITEM(v, 2)) == 65535 && PyLong_AsUnsignedLong(PyTuple_GET_ITEM(v, 3)) == 4000000000u);
    CHECK(PyBytes_Check(PyTuple_GET_ITEM(v, 8)) && PyUnicode_ReadChar(PyTuple_GET_ITEM(v, 10), 0) == 0x1F600);
    Py_DECREF(v);
    v = Py_BuildValue("y#u", "a\0b", (Py_ssize_t)3, L"w\u00e9");
    CHECK(v != NULL && PyBytes_GET_SIZE(PyTuple_GET_ITEM(v, 0)) == 3);
    CHECK(PyUnicode_GetLength(PyTuple_GET_ITEM(v, 1)) == 2);
    Py_DECREF(v);
    return 0;
}

static int build_value_errors_release_what_was_handed_over(void) {
    PyObject *handed = PyUnicode_FromString("stolen by N");
    Py_INCREF(handed); /* one for us, one for Py_BuildValue to take */
    Py_ssize_t before = Py_REFCNT(handed);
    /* The O with NULL fails; the N after it is still taken (and released). */
    PyObject *v = Py_BuildValue("(iON)", 1, (PyObject *)NULL, handed);
    CHECK(v == NULL);
    CHECK_ERROR_TEXT(PyExc_SystemError, "NULL object passed to Py_BuildValue");
    CHECK(Py_REFCNT(handed) == before - 1);
    PyObject *kept = Py_NewRef(handed);
    v = Py_BuildValue("N", kept);
    CHECK(v == handed);
    Py_DECREF(v);
    Py_DECREF(handed);
    CHECK(Py_BuildValue("{s:i,s}", "a", 1, "b") == NULL);
    CHECK_ERROR_TEXT(PyExc_SystemError, "Bad dict format");
    CHECK(Py_BuildValue("(ii", 1, 2) == NULL);
    CHECK_ERROR_TEXT(PyExc_SystemError, "unmatched paren in format");
    return 0;
}

static const TestCase cases[] = {
    CASE(parse_integers),
    CASE(parse_floats_chars_and_truth),
    CASE(parse_text_and_objects),
    CASE(parse_encoded_text),
    CASE(parse_counts_names_and_messages),
    CASE(parse_nested_groups),
    CASE(parse_with_converters),
    CASE(parse_keywords),
    CASE(unknown_keywords_get_suggestions),
    CASE(unpack_and_check_positional),
    CASE(build_values),
    CASE(build_value_errors_release_what_was_handed_over),
};

TEST_MAIN(cases)
