/* The Python-visible methods of the builtin types, called from C as an extension
 * would (PyObject_CallMethod, keyword arguments through PyObject_Call): results and
 * error messages. Also runs against CPython 3.13 (make reference), so every
 * expectation below is CPython's. */
#include "checks.h"

/* obj.name(*args, **kwargs) with args and kwargs built from formats ("" for none). */
static PyObject *call_kw(PyObject *obj, const char *name, PyObject *args, PyObject *kwargs) {
    PyObject *m = PyObject_GetAttrString(obj, name);
    PyObject *r = m ? PyObject_Call(m, args, kwargs) : NULL;
    Py_XDECREF(m);
    Py_XDECREF(args);
    Py_XDECREF(kwargs);
    return r;
}

/* `repr(s.name(...))` for a str `text` and a Py_BuildValue format of the arguments. */
#define CHECK_STR_METHOD(text, name, expected, ...) \
    do { \
        PyObject *_self = PyUnicode_FromString(text); \
        CHECK(_self != NULL); \
        PyObject *_r = PyObject_CallMethod(_self, name, __VA_ARGS__); \
        Py_DECREF(_self); \
        CHECK_NEW_REPR(_r, expected); \
    } while (0)

/* Checks that s.name(...) raises `exc` with `text`. */
#define CHECK_STR_METHOD_FAILS(text, name, exc, message, ...) \
    do { \
        PyObject *_self = PyUnicode_FromString(text); \
        CHECK(_self != NULL); \
        PyObject *_r = PyObject_CallMethod(_self, name, __VA_ARGS__); \
        Py_DECREF(_self); \
        CHECK(_r == NULL); \
        CHECK_ERROR_TEXT(exc, message); \
    } while (0)

static int str_join_and_split(void) {
    PyObject *items = Py_BuildValue("[sss]", "a", "b", "c");
    CHECK(items != NULL);
    CHECK_STR_METHOD(", ", "join", "'a, b, c'", "O", items);
    Py_DECREF(items);
    PyObject *empty = PyList_New(0);
    CHECK_STR_METHOD("-", "join", "''", "O", empty);
    Py_DECREF(empty);
    PyObject *bad = Py_BuildValue("[si]", "a", 1);
    CHECK_STR_METHOD_FAILS("-", "join", PyExc_TypeError, "sequence item 1: expected str instance, int found", "O",
                           bad);
    Py_DECREF(bad);
    CHECK_STR_METHOD_FAILS("-", "join", PyExc_TypeError, "can only join an iterable", "i", 5);

    CHECK_STR_METHOD("  a b\t c  ", "split", "['a', 'b', 'c']", NULL);
    CHECK_STR_METHOD("a,b,,c", "split", "['a', 'b', '', 'c']", "s", ",");
    CHECK_STR_METHOD("a,b,,c", "split", "['a', 'b,,c']", "si", ",", 1);
    CHECK_STR_METHOD("  a b c  ", "split", "['a', 'b c  ']", "Oi", Py_None, 1);
    CHECK_STR_METHOD("a,b,,c", "rsplit", "['a,b,', 'c']", "si", ",", 1);
    CHECK_STR_METHOD("  a b c  ", "rsplit", "['  a b', 'c']", "Oi", Py_None, 1);
    CHECK_STR_METHOD("a b c", "rsplit", "['a', 'b', 'c']", NULL);
    CHECK_STR_METHOD("", "split", "[]", NULL);
    CHECK_STR_METHOD("", "split", "['']", "s", ",");
    CHECK_STR_METHOD_FAILS("abc", "split", PyExc_ValueError, "empty separator", "s", "");
    CHECK_STR_METHOD_FAILS("abc", "split", PyExc_TypeError, "must be str or None, not int", "i", 1);
    CHECK_STR_METHOD_FAILS("abc", "split", PyExc_TypeError, "split() takes at most 2 arguments (3 given)", "sii", ",",
                           1, 2);
    CHECK_STR_METHOD_FAILS("abc", "split", PyExc_TypeError, "'str' object cannot be interpreted as an integer", "ss",
                           ",", "x");

    PyObject *s = PyUnicode_FromString("a b  c");
    CHECK_NEW_REPR(call_kw(s, "split", PyTuple_New(0), Py_BuildValue("{s:i}", "maxsplit", 1)), "['a', 'b  c']");
    CHECK_NEW_REPR(call_kw(s, "rsplit", PyTuple_New(0), Py_BuildValue("{s:s,s:i}", "sep", " ", "maxsplit", 1)),
                   "['a b ', 'c']");
    PyObject *r = call_kw(s, "split", PyTuple_New(0), Py_BuildValue("{s:i}", "max", 1));
    CHECK(r == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "split() got an unexpected keyword argument 'max'");
    r = call_kw(s, "split", Py_BuildValue("(s)", " "), Py_BuildValue("{s:s}", "sep", " "));
    CHECK(r == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "argument for split() given by name ('sep') and position (1)");
    Py_DECREF(s);
    return 0;
}

static int str_replace_and_search(void) {
    CHECK_STR_METHOD("aaa", "replace", "'bbb'", "ss", "a", "b");
    CHECK_STR_METHOD("aaa", "replace", "'bba'", "ssi", "a", "b", 2);
    CHECK_STR_METHOD("ab", "replace", "'-a-b-'", "ss", "", "-");
    CHECK_STR_METHOD("abc", "replace", "'abc'", "ss", "x", "y");
    CHECK_STR_METHOD("\xc3\xa9t\xc3\xa9", "replace", "'\xe2\x82\xact\xe2\x82\xac'", "ss", "\xc3\xa9", "\xe2\x82\xac");
    CHECK_STR_METHOD_FAILS("abc", "replace", PyExc_TypeError, "replace() argument 1 must be str, not int", "is", 1,
                           "x");
    CHECK_STR_METHOD_FAILS("abc", "replace", PyExc_TypeError, "replace() argument 2 must be str, not int", "si", "a",
                           1);
    PyObject *s = PyUnicode_FromString("aaaa");
    CHECK_NEW_REPR(call_kw(s, "replace", Py_BuildValue("(ss)", "a", "b"), Py_BuildValue("{s:i}", "count", 1)),
                   "'baaa'");
    Py_DECREF(s);

    CHECK_STR_METHOD("hello", "startswith", "True", "s", "he");
    CHECK_STR_METHOD("hello", "startswith", "False", "s", "lo");
    CHECK_STR_METHOD("hello", "startswith", "True", "si", "ll", 2);
    CHECK_STR_METHOD("hello", "startswith", "True", "((ss))", "x", "h");
    CHECK_STR_METHOD("hello", "endswith", "True", "s", "lo");
    CHECK_STR_METHOD("hello", "endswith", "True", "sii", "ell", 0, 4);
    CHECK_STR_METHOD("hello", "endswith", "True", "sOi", "l", Py_None, -1);
    CHECK_STR_METHOD("hello", "startswith", "True", "s", "");
    CHECK_STR_METHOD("hello", "startswith", "False", "si", "", 6);
    CHECK_STR_METHOD_FAILS("hello", "startswith", PyExc_TypeError,
                           "startswith first arg must be str or a tuple of str, not int", "i", 1);
    CHECK_STR_METHOD_FAILS("hello", "endswith", PyExc_TypeError, "tuple for endswith must only contain str, not int",
                           "((i))", 1);
    CHECK_STR_METHOD_FAILS("hello", "startswith", PyExc_TypeError, "startswith expected at least 1 argument, got 0",
                           NULL);

    CHECK_STR_METHOD("abcabc", "find", "1", "s", "b");
    CHECK_STR_METHOD("abcabc", "find", "4", "si", "b", 2);
    CHECK_STR_METHOD("abcabc", "find", "-1", "sii", "b", 2, 4);
    CHECK_STR_METHOD("abcabc", "rfind", "4", "s", "b");
    CHECK_STR_METHOD("abcabc", "find", "6", "si", "", 6);
    CHECK_STR_METHOD("abcabc", "find", "-1", "si", "", 7);
    CHECK_STR_METHOD("abcabc", "index", "2", "s", "c");
    CHECK_STR_METHOD("abcabc", "rindex", "5", "s", "c");
    CHECK_STR_METHOD("abcabc", "count", "2", "s", "bc");
    CHECK_STR_METHOD("abcabc", "count", "7", "s", "");
    CHECK_STR_METHOD("aaaa", "count", "2", "s", "aa");
    CHECK_STR_METHOD("abcabc", "count", "1", "si", "a", 1);
    CHECK_STR_METHOD_FAILS("abc", "index", PyExc_ValueError, "substring not found", "s", "x");
    CHECK_STR_METHOD_FAILS("abc", "rindex", PyExc_ValueError, "substring not found", "s", "x");
    CHECK_STR_METHOD_FAILS("abc", "find", PyExc_TypeError, "find() argument 1 must be str, not int", "i", 1);
    CHECK_STR_METHOD_FAILS("abc", "find", PyExc_TypeError, "find expected at most 3 arguments, got 4", "siii", "a", 1,
                           2, 3);
    CHECK_STR_METHOD_FAILS("abc", "find", PyExc_TypeError,
                           "slice indices must be integers or None or have an __index__ method", "ss", "a", "b");
    return 0;
}

static int str_strip_case_and_tests(void) {
    CHECK_STR_METHOD("  ab \n", "strip", "'ab'", NULL);
    CHECK_STR_METHOD("  ab \n", "lstrip", "'ab \\n'", NULL);
    CHECK_STR_METHOD("  ab \n", "rstrip", "'  ab'", NULL);
    CHECK_STR_METHOD("xxabyx", "strip", "'ab'", "s", "xy");
    CHECK_STR_METHOD("xxabyx", "strip", "'xxabyx'", "s", "");
    CHECK_STR_METHOD_FAILS("ab", "strip", PyExc_TypeError, "strip arg must be None or str", "i", 1);
    CHECK_STR_METHOD_FAILS("ab", "strip", PyExc_TypeError, "strip expected at most 1 argument, got 2", "ss", "a",
                           "b");

    CHECK_STR_METHOD("Hello World", "lower", "'hello world'", NULL);
    CHECK_STR_METHOD("Hello World", "upper", "'HELLO WORLD'", NULL);
    CHECK_STR_METHOD("\xc3\x89t\xc3\xa9", "upper", "'\xc3\x89T\xc3\x89'", NULL);
    CHECK_STR_METHOD("stra\xc3\x9f" "e", "upper", "'STRASSE'", NULL);
    /* Capital sigma becomes final sigma at the end of a word. */
    CHECK_STR_METHOD("\xce\x9f\xce\xa3 \xce\xa3", "lower", "'\xce\xbf\xcf\x82 \xcf\x83'", NULL);
    CHECK_STR_METHOD_FAILS("ab", "lower", PyExc_TypeError, "str.lower() takes no arguments (1 given)", "i", 1);

    CHECK_STR_METHOD("0123", "isdigit", "True", NULL);
    CHECK_STR_METHOD("\xc2\xb2", "isdigit", "True", NULL);
    CHECK_STR_METHOD("\xc2\xbd", "isdigit", "False", NULL);
    CHECK_STR_METHOD("12a", "isdigit", "False", NULL);
    CHECK_STR_METHOD("", "isdigit", "False", NULL);
    CHECK_STR_METHOD("ab\xc3\xa9", "isalpha", "True", NULL);
    CHECK_STR_METHOD("ab1", "isalpha", "False", NULL);
    CHECK_STR_METHOD(" \t\n\x1c", "isspace", "True", NULL);
    CHECK_STR_METHOD(" a", "isspace", "False", NULL);
    CHECK_STR_METHOD("", "isascii", "True", NULL);
    CHECK_STR_METHOD("\xc3\xa9", "isascii", "False", NULL);
    CHECK_STR_METHOD("AB1", "isupper", "True", NULL);
    CHECK_STR_METHOD("Ab", "isupper", "False", NULL);
    CHECK_STR_METHOD("ab1", "islower", "True", NULL);
    CHECK_STR_METHOD("12", "islower", "False", NULL);
    CHECK_STR_METHOD("ab12", "isalnum", "True", NULL);
    CHECK_STR_METHOD("ab 12", "isalnum", "False", NULL);
    return 0;
}

static int str_encode_partition_zfill_splitlines(void) {
    CHECK_STR_METHOD("h\xc3\xa9", "encode", "b'h\\xc3\\xa9'", NULL);
    CHECK_STR_METHOD("h\xc3\xa9", "encode", "b'h\\xe9'", "s", "latin-1");
    CHECK_STR_METHOD("h\xc3\xa9", "encode", "b'h?'", "ss", "ascii", "replace");
    CHECK_STR_METHOD("h\xc3\xa9!", "encode", "b'h!'", "ss", "ascii", "ignore");
    CHECK_STR_METHOD("h\xe2\x82\xac", "encode", "b'h\\\\u20ac'", "ss", "latin-1", "backslashreplace");
    CHECK_STR_METHOD_FAILS("h\xc3\xa9", "encode", PyExc_UnicodeEncodeError,
                           "'ascii' codec can't encode character '\\xe9' in position 1: ordinal not in range(128)", "s",
                           "ascii");
    CHECK_STR_METHOD_FAILS("\xe2\x82\xac\xe2\x82\xac", "encode", PyExc_UnicodeEncodeError,
                           "'latin-1' codec can't encode characters in position 0-1: ordinal not in range(256)", "s",
                           "latin-1");
    CHECK_STR_METHOD_FAILS("h", "encode", PyExc_LookupError, "unknown encoding: nope", "s", "nope");
    CHECK_STR_METHOD_FAILS("h", "encode", PyExc_TypeError, "encode() argument 'encoding' must be str, not int", "i",
                           1);
    PyObject *s = PyUnicode_FromString("h\xc3\xa9");
    CHECK_NEW_REPR(call_kw(s, "encode", PyTuple_New(0), Py_BuildValue("{s:s,s:s}", "errors", "replace", "encoding",
                                                                       "ascii")),
                   "b'h?'");
    Py_DECREF(s);

    CHECK_STR_METHOD("a=b=c", "partition", "('a', '=', 'b=c')", "s", "=");
    CHECK_STR_METHOD("a=b=c", "rpartition", "('a=b', '=', 'c')", "s", "=");
    CHECK_STR_METHOD("abc", "partition", "('abc', '', '')", "s", "=");
    CHECK_STR_METHOD("abc", "rpartition", "('', '', 'abc')", "s", "=");
    CHECK_STR_METHOD_FAILS("abc", "partition", PyExc_ValueError, "empty separator", "s", "");
    CHECK_STR_METHOD_FAILS("abc", "partition", PyExc_TypeError, "must be str, not int", "i", 1);

    CHECK_STR_METHOD("42", "zfill", "'00042'", "i", 5);
    CHECK_STR_METHOD("-42", "zfill", "'-0042'", "i", 5);
    CHECK_STR_METHOD("+42", "zfill", "'+42'", "i", 2);
    CHECK_STR_METHOD("", "zfill", "'000'", "i", 3);
    CHECK_STR_METHOD_FAILS("1", "zfill", PyExc_TypeError, "'str' object cannot be interpreted as an integer", "s", "x");

    CHECK_STR_METHOD("a\nb\r\nc\rd\x0b" "e", "splitlines", "['a', 'b', 'c', 'd', 'e']", NULL);
    CHECK_STR_METHOD("a\nb\r\n", "splitlines", "['a\\n', 'b\\r\\n']", "i", 1);
    CHECK_STR_METHOD("\n\n", "splitlines", "['', '']", NULL);
    CHECK_STR_METHOD("", "splitlines", "[]", NULL);
    s = PyUnicode_FromString("x\ny");
    CHECK_NEW_REPR(call_kw(s, "splitlines", PyTuple_New(0), Py_BuildValue("{s:O}", "keepends", Py_True)),
                   "['x\\n', 'y']");
    Py_DECREF(s);

    CHECK_STR_METHOD("prefix-body", "removeprefix", "'body'", "s", "prefix-");
    CHECK_STR_METHOD("body", "removeprefix", "'body'", "s", "x");
    CHECK_STR_METHOD("body-suffix", "removesuffix", "'body'", "s", "-suffix");
    return 0;
}

/* A dict {'a': 1, 'b': 2}. */
static PyObject *ab_dict(void) { return Py_BuildValue("{s:i,s:i}", "a", 1, "b", 2); }

static int dict_lookups_and_removals(void) {
    PyObject *d = ab_dict();
    CHECK(d != NULL);
    CHECK_NEW_REPR(PyObject_CallMethod(d, "get", "s", "a"), "1");
    CHECK_NEW_REPR(PyObject_CallMethod(d, "get", "s", "x"), "None");
    CHECK_NEW_REPR(PyObject_CallMethod(d, "get", "si", "x", 7), "7");
    CHECK(PyObject_CallMethod(d, "get", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "get expected at least 1 argument, got 0");
    CHECK(PyObject_CallMethod(d, "get", "[]") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "unhashable type: 'list'");

    CHECK_NEW_REPR(PyObject_CallMethod(d, "setdefault", "si", "a", 9), "1");
    CHECK_NEW_REPR(PyObject_CallMethod(d, "setdefault", "si", "c", 3), "3");
    CHECK_NEW_REPR(PyObject_CallMethod(d, "setdefault", "s", "n"), "None");
    CHECK_REPR(d, "{'a': 1, 'b': 2, 'c': 3, 'n': None}");

    CHECK_NEW_REPR(PyObject_CallMethod(d, "pop", "s", "n"), "None");
    CHECK_NEW_REPR(PyObject_CallMethod(d, "pop", "si", "n", 5), "5");
    CHECK(PyObject_CallMethod(d, "pop", "s", "n") == NULL);
    CHECK_ERROR_TEXT(PyExc_KeyError, "'n'");
    CHECK(PyObject_CallMethod(d, "pop", "sii", "n", 1, 2) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "pop expected at most 2 arguments, got 3");

    CHECK_NEW_REPR(PyObject_CallMethod(d, "popitem", NULL), "('c', 3)");
    CHECK_NEW_REPR(PyObject_CallMethod(d, "copy", NULL), "{'a': 1, 'b': 2}");
    CHECK_NEW_REPR(PyObject_CallMethod(d, "clear", NULL), "None");
    CHECK(PyDict_Size(d) == 0);
    CHECK(PyObject_CallMethod(d, "popitem", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_KeyError, "'popitem(): dictionary is empty'");
    CHECK(PyObject_CallMethod(d, "copy", "i", 1) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "dict.copy() takes no arguments (1 given)");
    Py_DECREF(d);
    return 0;
}

static int dict_views(void) {
    PyObject *d = ab_dict();
    PyObject *keys = PyObject_CallMethod(d, "keys", NULL);
    PyObject *values = PyObject_CallMethod(d, "values", NULL);
    PyObject *items = PyObject_CallMethod(d, "items", NULL);
    CHECK(keys && values && items);
    CHECK(strcmp(Py_TYPE(keys)->tp_name, "dict_keys") == 0);
    CHECK(strcmp(Py_TYPE(values)->tp_name, "dict_values") == 0);
    CHECK(strcmp(Py_TYPE(items)->tp_name, "dict_items") == 0);
    CHECK_REPR(keys, "dict_keys(['a', 'b'])");
    CHECK_REPR(values, "dict_values([1, 2])");
    CHECK_REPR(items, "dict_items([('a', 1), ('b', 2)])");
    /* Views show the dict as it is now. */
    PyObject *three = PyLong_FromLong(3);
    CHECK(PyDict_SetItemString(d, "c", three) == 0);
    CHECK(PyObject_Size(keys) == 3 && PyObject_Size(values) == 3 && PyObject_Size(items) == 3);
    PyObject *c = PyUnicode_FromString("c");
    CHECK(PySequence_Contains(keys, c) == 1);
    CHECK(PySequence_Contains(values, three) == 1);
    CHECK(PySequence_Contains(values, c) == 0);
    PyObject *pair = PyTuple_Pack(2, c, three), *wrong = PyTuple_Pack(2, c, c);
    CHECK(PySequence_Contains(items, pair) == 1);
    CHECK(PySequence_Contains(items, wrong) == 0);
    CHECK(PySequence_Contains(items, c) == 0);
    CHECK_NEW_REPR(PySequence_List(keys), "['a', 'b', 'c']");
    CHECK_NEW_REPR(PySequence_List(items), "[('a', 1), ('b', 2), ('c', 3)]");
    CHECK_NEW_REPR(PyMapping_Values(d), "[1, 2, 3]");
    Py_DECREF(pair);
    Py_DECREF(wrong);
    Py_DECREF(c);
    Py_DECREF(three);
    Py_DECREF(keys);
    Py_DECREF(values);
    Py_DECREF(items);
    Py_DECREF(d);
    return 0;
}

static int dict_update_and_fromkeys(void) {
    PyObject *d = ab_dict();
    PyObject *other = Py_BuildValue("{s:i}", "a", 10);
    CHECK_NEW_REPR(PyObject_CallMethod(d, "update", "O", other), "None");
    Py_DECREF(other);
    CHECK_NEW_REPR(PyObject_CallMethod(d, "update", "[(si)]", "z", 26), "None");
    CHECK_NEW_REPR(call_kw(d, "update", Py_BuildValue("([(si)])", "y", 25), Py_BuildValue("{s:i}", "b", 20)), "None");
    CHECK_REPR(d, "{'a': 10, 'b': 20, 'z': 26, 'y': 25}");
    CHECK(PyObject_CallMethod(d, "update", "ii", 1, 2) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "update expected at most 1 argument, got 2");
    CHECK(PyObject_CallMethod(d, "update", "[i]", 1) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "cannot convert dictionary update sequence element #0 to a sequence");
    CHECK(PyObject_CallMethod(d, "update", "[s]", "x") == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "dictionary update sequence element #0 has length 1; 2 is required");
    Py_DECREF(d);

    PyObject *type = (PyObject *)&PyDict_Type;
    CHECK_NEW_REPR(PyObject_CallMethod(type, "fromkeys", "s", "ab"), "{'a': None, 'b': None}");
    CHECK_NEW_REPR(PyObject_CallMethod(type, "fromkeys", "[ii]i", 1, 2, 0), "{1: 0, 2: 0}");
    d = PyDict_New();
    CHECK_NEW_REPR(PyObject_CallMethod(d, "fromkeys", "(s)", "k"), "{'k': None}");
    Py_DECREF(d);
    CHECK(PyObject_CallMethod(type, "fromkeys", "i", 1) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not iterable");
    return 0;
}

static int list_mutators(void) {
    PyObject *l = Py_BuildValue("[iii]", 1, 2, 3);
    CHECK(l != NULL);
    CHECK_NEW_REPR(PyObject_CallMethod(l, "append", "i", 4), "None");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "extend", "((ii))", 5, 6), "None");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "extend", "s", "ab"), "None");
    CHECK_REPR(l, "[1, 2, 3, 4, 5, 6, 'a', 'b']");
    CHECK(PyObject_CallMethod(l, "extend", "i", 1) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'int' object is not iterable");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "insert", "is", 0, "x"), "None");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "insert", "is", -1, "y"), "None");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "insert", "is", 100, "z"), "None");
    CHECK_REPR(l, "['x', 1, 2, 3, 4, 5, 6, 'a', 'y', 'b', 'z']");
    CHECK(PyObject_CallMethod(l, "insert", "i", 0) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "insert expected 2 arguments, got 1");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "pop", NULL), "'z'");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "pop", "i", 0), "'x'");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "pop", "i", -2), "'y'");
    CHECK(PyObject_CallMethod(l, "pop", "i", 50) == NULL);
    CHECK_ERROR_TEXT(PyExc_IndexError, "pop index out of range");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "remove", "s", "a"), "None");
    CHECK(PyObject_CallMethod(l, "remove", "s", "a") == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "list.remove(x): x not in list");
    CHECK_REPR(l, "[1, 2, 3, 4, 5, 6, 'b']");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "reverse", NULL), "None");
    CHECK_REPR(l, "['b', 6, 5, 4, 3, 2, 1]");
    PyObject *copy = PyObject_CallMethod(l, "copy", NULL);
    CHECK(copy != NULL && copy != l);
    CHECK_NEW_REPR(PyObject_CallMethod(l, "clear", NULL), "None");
    CHECK_REPR(l, "[]");
    CHECK_NEW_REPR(copy, "['b', 6, 5, 4, 3, 2, 1]");
    CHECK(PyObject_CallMethod(l, "pop", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_IndexError, "pop from empty list");
    Py_DECREF(l);
    return 0;
}

static int list_searching(void) {
    PyObject *l = Py_BuildValue("[iisii]", 1, 2, "a", 1, 2);
    CHECK_NEW_REPR(PyObject_CallMethod(l, "index", "i", 2), "1");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "index", "ii", 2, 2), "4");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "index", "ii", 1, -2), "3");
    CHECK(PyObject_CallMethod(l, "index", "iii", 2, 2, 4) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "2 is not in list");
    CHECK(PyObject_CallMethod(l, "index", "s", "b") == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "'b' is not in list");
    CHECK(PyObject_CallMethod(l, "index", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "index expected at least 1 argument, got 0");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "count", "i", 1), "2");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "count", "s", "a"), "1");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "count", "d", 2.0), "2");
    CHECK_NEW_REPR(PyObject_CallMethod(l, "count", "s", "z"), "0");
    Py_DECREF(l);
    return 0;
}

static int list_sort(void) {
    PyObject *l = Py_BuildValue("[iiiii]", 3, 1, 2, 5, 4);
    CHECK_NEW_REPR(PyObject_CallMethod(l, "sort", NULL), "None");
    CHECK_REPR(l, "[1, 2, 3, 4, 5]");
    CHECK_NEW_REPR(call_kw(l, "sort", PyTuple_New(0), Py_BuildValue("{s:O}", "reverse", Py_True)), "None");
    CHECK_REPR(l, "[5, 4, 3, 2, 1]");
    CHECK(PyObject_CallMethod(l, "sort", "i", 1) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "sort() takes no positional arguments");
    CHECK(call_kw(l, "sort", PyTuple_New(0), Py_BuildValue("{s:i}", "cmp", 1)) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "sort() got an unexpected keyword argument 'cmp'");
    Py_DECREF(l);

    /* A key function: str.lower, unbound. */
    PyObject *lower = PyObject_GetAttrString((PyObject *)&PyUnicode_Type, "lower");
    CHECK(lower != NULL);
    l = Py_BuildValue("[ssss]", "b", "A", "c", "a");
    CHECK_NEW_REPR(call_kw(l, "sort", PyTuple_New(0), Py_BuildValue("{s:O}", "key", lower)), "None");
    /* Stable: 'A' and 'a' have equal keys and keep their order. */
    CHECK_REPR(l, "['A', 'a', 'b', 'c']");
    CHECK_NEW_REPR(call_kw(l, "sort", PyTuple_New(0), Py_BuildValue("{s:O,s:i}", "key", lower, "reverse", 1)),
                   "None");
    CHECK_REPR(l, "['c', 'b', 'A', 'a']");
    Py_DECREF(l);

    /* A key that fails leaves the list's items in place; a bound method as key. */
    l = Py_BuildValue("[si]", "x", 1);
    CHECK(call_kw(l, "sort", PyTuple_New(0), Py_BuildValue("{s:O}", "key", lower)) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "descriptor 'lower' for 'str' objects doesn't apply to a 'int' object");
    CHECK_REPR(l, "['x', 1]");
    CHECK(PyObject_CallMethod(l, "sort", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "'<' not supported between instances of 'int' and 'str'");
    Py_DECREF(l);
    Py_DECREF(lower);
    PyObject *rank = Py_BuildValue("{s:i,s:i,s:i}", "gold", 1, "silver", 2, "bronze", 3);
    PyObject *get = PyObject_GetAttrString(rank, "get");
    l = Py_BuildValue("[sss]", "bronze", "gold", "silver");
    CHECK_NEW_REPR(call_kw(l, "sort", PyTuple_New(0), Py_BuildValue("{s:O}", "key", get)), "None");
    CHECK_REPR(l, "['gold', 'silver', 'bronze']");
    Py_DECREF(l);
    Py_DECREF(get);
    Py_DECREF(rank);
    return 0;
}

static int tuple_index_and_count(void) {
    PyObject *t = Py_BuildValue("(isis)", 1, "a", 1, "b");
    CHECK_NEW_REPR(PyObject_CallMethod(t, "index", "s", "a"), "1");
    CHECK_NEW_REPR(PyObject_CallMethod(t, "index", "ii", 1, 1), "2");
    CHECK_NEW_REPR(PyObject_CallMethod(t, "index", "iii", 1, -3, 10), "2");
    CHECK_NEW_REPR(PyObject_CallMethod(t, "index", "d", 1.0), "0");
    CHECK(PyObject_CallMethod(t, "index", "iii", 1, 1, 2) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "tuple.index(x): x not in tuple");
    CHECK(PyObject_CallMethod(t, "index", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "index expected at least 1 argument, got 0");
    CHECK_NEW_REPR(PyObject_CallMethod(t, "count", "i", 1), "2");
    CHECK_NEW_REPR(PyObject_CallMethod(t, "count", "s", "z"), "0");
    Py_DECREF(t);
    return 0;
}

/* repr(i.name(...)) for the int `value`. */
#define CHECK_INT_METHOD(value, name, expected, ...) \
    do { \
        PyObject *_self = PyLong_FromLongLong(value); \
        PyObject *_r = PyObject_CallMethod(_self, name, __VA_ARGS__); \
        Py_DECREF(_self); \
        CHECK_NEW_REPR(_r, expected); \
    } while (0)

static int int_methods(void) {
    CHECK_INT_METHOD(255, "bit_length", "8", NULL);
    CHECK_INT_METHOD(-256, "bit_length", "9", NULL);
    CHECK_INT_METHOD(0, "bit_length", "0", NULL);
    CHECK_INT_METHOD(-7, "bit_count", "3", NULL);
    CHECK_INT_METHOD(1024, "to_bytes", "b'\\x04\\x00'", "is", 2, "big");
    CHECK_INT_METHOD(1024, "to_bytes", "b'\\x00\\x04'", "is", 2, "little");
    CHECK_INT_METHOD(5, "to_bytes", "b'\\x05'", NULL);
    CHECK_INT_METHOD(0, "to_bytes", "b''", "i", 0);
    PyObject *i = PyLong_FromLong(-2);
    CHECK_NEW_REPR(call_kw(i, "to_bytes", Py_BuildValue("(is)", 2, "big"), Py_BuildValue("{s:O}", "signed", Py_True)),
                   "b'\\xff\\xfe'");
    CHECK(PyObject_CallMethod(i, "to_bytes", "is", 2, "big") == NULL);
    CHECK_ERROR_TEXT(PyExc_OverflowError, "can't convert negative int to unsigned");
    Py_DECREF(i);
    i = PyLong_FromLong(128);
    CHECK(call_kw(i, "to_bytes", Py_BuildValue("(i)", 1), Py_BuildValue("{s:O}", "signed", Py_True)) == NULL);
    CHECK_ERROR_TEXT(PyExc_OverflowError, "int too big to convert");
    CHECK(PyObject_CallMethod(i, "to_bytes", "is", 1, "middle") == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "byteorder must be either 'little' or 'big'");
    CHECK(PyObject_CallMethod(i, "to_bytes", "i", -1) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "length argument must be non-negative");
    CHECK(PyObject_CallMethod(i, "to_bytes", "isi", 1, "big", 0) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "to_bytes() takes at most 2 positional arguments (3 given)");
    Py_DECREF(i);
    CHECK_INT_METHOD(7, "conjugate", "7", NULL);
    CHECK_INT_METHOD(-7, "as_integer_ratio", "(-7, 1)", NULL);
    CHECK_INT_METHOD(3, "is_integer", "True", NULL);

    PyObject *type = (PyObject *)&PyLong_Type;
    CHECK_NEW_REPR(PyObject_CallMethod(type, "from_bytes", "y#s", "\x04\x00", (Py_ssize_t)2, "big"), "1024");
    CHECK_NEW_REPR(PyObject_CallMethod(type, "from_bytes", "y#s", "\x04\x00", (Py_ssize_t)2, "little"), "4");
    CHECK_NEW_REPR(PyObject_CallMethod(type, "from_bytes", "[ii]", 1, 0), "256");
    CHECK_NEW_REPR(call_kw(type, "from_bytes", Py_BuildValue("(y#)", "\xff\xfe", (Py_ssize_t)2),
                           Py_BuildValue("{s:O}", "signed", Py_True)),
                   "-2");
    CHECK_NEW_REPR(PyObject_CallMethod(type, "from_bytes", "y#", "\xff\xff\xff\xff\xff\xff\xff\xff\xff", (Py_ssize_t)9),
                   "4722366482869645213695");
    CHECK(PyObject_CallMethod(type, "from_bytes", "s", "ab") == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "cannot convert 'str' object to bytes");
    CHECK(PyObject_CallMethod(type, "from_bytes", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_TypeError, "from_bytes() missing required argument 'bytes' (pos 1)");
    return 0;
}

/* repr(f.name()) for the float `value`. */
#define CHECK_FLOAT_METHOD(value, name, expected) \
    do { \
        PyObject *_self = PyFloat_FromDouble(value); \
        PyObject *_r = PyObject_CallMethod(_self, name, NULL); \
        Py_DECREF(_self); \
        CHECK_NEW_REPR(_r, expected); \
    } while (0)

static int float_methods(void) {
    CHECK_FLOAT_METHOD(2.0, "is_integer", "True");
    CHECK_FLOAT_METHOD(2.5, "is_integer", "False");
    CHECK_FLOAT_METHOD(Py_HUGE_VAL, "is_integer", "False");
    CHECK_FLOAT_METHOD(0.75, "as_integer_ratio", "(3, 4)");
    CHECK_FLOAT_METHOD(-2.5, "as_integer_ratio", "(-5, 2)");
    CHECK_FLOAT_METHOD(0.0, "as_integer_ratio", "(0, 1)");
    CHECK_FLOAT_METHOD(1e20, "as_integer_ratio", "(100000000000000000000, 1)");
    CHECK_FLOAT_METHOD(0.1, "as_integer_ratio", "(3602879701896397, 36028797018963968)");
    CHECK_FLOAT_METHOD(1.5, "conjugate", "1.5");
    CHECK_FLOAT_METHOD(1.0, "hex", "'0x1.0000000000000p+0'");
    CHECK_FLOAT_METHOD(-0.1, "hex", "'-0x1.999999999999ap-4'");
    CHECK_FLOAT_METHOD(0.0, "hex", "'0x0.0p+0'");
    CHECK_FLOAT_METHOD(5e-324, "hex", "'0x0.0000000000001p-1022'");
    CHECK_FLOAT_METHOD(-Py_HUGE_VAL, "hex", "'-inf'");
    PyObject *f = PyFloat_FromDouble(Py_HUGE_VAL);
    CHECK(PyObject_CallMethod(f, "as_integer_ratio", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_OverflowError, "cannot convert Infinity to integer ratio");
    Py_DECREF(f);
    f = PyFloat_FromDouble(Py_NAN);
    CHECK(PyObject_CallMethod(f, "as_integer_ratio", NULL) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "cannot convert NaN to integer ratio");
    Py_DECREF(f);
    return 0;
}

/* repr(b.name(...)) for the bytes `text`. */
#define CHECK_BYTES_METHOD(text, name, expected, ...) \
    do { \
        PyObject *_self = PyBytes_FromString(text); \
        PyObject *_r = PyObject_CallMethod(_self, name, __VA_ARGS__); \
        Py_DECREF(_self); \
        CHECK_NEW_REPR(_r, expected); \
    } while (0)

#define CHECK_BYTES_METHOD_FAILS(text, name, exc, message, ...) \
    do { \
        PyObject *_self = PyBytes_FromString(text); \
        PyObject *_r = PyObject_CallMethod(_self, name, __VA_ARGS__); \
        Py_DECREF(_self); \
        CHECK(_r == NULL); \
        CHECK_ERROR_TEXT(exc, message); \
    } while (0)

static int bytes_methods(void) {
    CHECK_BYTES_METHOD("h\xc3\xa9", "decode", "'h\xc3\xa9'", NULL);
    CHECK_BYTES_METHOD("h\xe9", "decode", "'h\xc3\xa9'", "s", "latin-1");
    CHECK_BYTES_METHOD("h\xe9", "decode", "'h\xef\xbf\xbd'", "ss", "utf-8", "replace");
    CHECK_BYTES_METHOD_FAILS("h\xe9", "decode", PyExc_UnicodeDecodeError,
                             "'utf-8' codec can't decode byte 0xe9 in position 1: unexpected end of data", NULL);
    PyObject *parts = Py_BuildValue("[yy]", "a", "b");
    CHECK_BYTES_METHOD(", ", "join", "b'a, b'", "O", parts);
    Py_DECREF(parts);
    parts = Py_BuildValue("[ys]", "a", "b");
    CHECK_BYTES_METHOD_FAILS(",", "join", PyExc_TypeError, "sequence item 1: expected a bytes-like object, str found",
                             "O", parts);
    Py_DECREF(parts);
    CHECK_BYTES_METHOD("hello", "startswith", "True", "y", "he");
    CHECK_BYTES_METHOD("hello", "endswith", "True", "((yy))", "x", "lo");
    CHECK_BYTES_METHOD("hello", "startswith", "True", "yi", "ll", 2);
    CHECK_BYTES_METHOD_FAILS("hello", "startswith", PyExc_TypeError,
                             "startswith first arg must be bytes or a tuple of bytes, not str", "s", "h");
    CHECK_BYTES_METHOD("abcabc", "find", "1", "y", "b");
    CHECK_BYTES_METHOD("abcabc", "find", "2", "i", 'c');
    CHECK_BYTES_METHOD("abcabc", "rfind", "4", "y", "b");
    CHECK_BYTES_METHOD("abcabc", "find", "-1", "yii", "b", 2, 4);
    CHECK_BYTES_METHOD("abcabc", "count", "2", "y", "bc");
    CHECK_BYTES_METHOD("abcabc", "index", "5", "yi", "c", 3);
    CHECK_BYTES_METHOD_FAILS("abc", "index", PyExc_ValueError, "subsection not found", "y", "x");
    CHECK_BYTES_METHOD_FAILS("abc", "find", PyExc_TypeError,
                             "argument should be integer or bytes-like object, not 'str'", "s", "a");
    CHECK_BYTES_METHOD_FAILS("abc", "find", PyExc_ValueError, "byte must be in range(0, 256)", "i", 256);
    CHECK_BYTES_METHOD(" a b\t c ", "split", "[b'a', b'b', b'c']", NULL);
    CHECK_BYTES_METHOD("a,b,,c", "split", "[b'a', b'b,,c']", "yi", ",", 1);
    CHECK_BYTES_METHOD_FAILS("abc", "split", PyExc_ValueError, "empty separator", "y", "");
    CHECK_BYTES_METHOD_FAILS("abc", "split", PyExc_TypeError, "a bytes-like object is required, not 'str'", "s", ",");
    CHECK_BYTES_METHOD("aaa", "replace", "b'bba'", "yyi", "a", "b", 2);
    CHECK_BYTES_METHOD("ab", "replace", "b'-a-b-'", "yy", "", "-");
    CHECK_BYTES_METHOD_FAILS("ab", "replace", PyExc_TypeError, "a bytes-like object is required, not 'str'", "sy", "a",
                             "b");
    CHECK_BYTES_METHOD("\x01\xab\xff", "hex", "'01abff'", NULL);
    CHECK_BYTES_METHOD("\x01\x02\x03\x04\x05", "hex", "'01:02:03:04:05'", "s", ":");
    CHECK_BYTES_METHOD("\x01\x02\x03\x04\x05", "hex", "'01 0203 0405'", "si", " ", 2);
    CHECK_BYTES_METHOD("\x01\x02\x03\x04\x05", "hex", "'0102-0304-05'", "yi", "-", -2);
    CHECK_BYTES_METHOD_FAILS("\x01", "hex", PyExc_ValueError, "sep must be length 1.", "s", "ab");
    CHECK_BYTES_METHOD("abc", "isascii", "True", NULL);
    CHECK_BYTES_METHOD("\x80", "isascii", "False", NULL);
    return 0;
}

/* repr(getattr(o, name)) for a new object `o` (stolen). */
#define CHECK_ATTR(o, name, expected) \
    do { \
        PyObject *_o = (o); \
        CHECK(_o != NULL); \
        PyObject *_a = PyObject_GetAttrString(_o, name); \
        Py_DECREF(_o); \
        CHECK_NEW_REPR(_a, expected); \
    } while (0)

static int numeric_attributes(void) {
    CHECK_ATTR(PyLong_FromLong(5), "real", "5");
    CHECK_ATTR(PyLong_FromLong(5), "imag", "0");
    CHECK_ATTR(PyLong_FromLong(-7), "numerator", "-7");
    CHECK_ATTR(PyLong_FromLong(-7), "denominator", "1");
    CHECK_ATTR(PyBool_FromLong(1), "numerator", "1");
    CHECK_ATTR(PyBool_FromLong(1), "real", "1");
    CHECK_ATTR(PyFloat_FromDouble(2.5), "real", "2.5");
    CHECK_ATTR(PyFloat_FromDouble(2.5), "imag", "0.0");
    PyObject *five = PyLong_FromLong(5);
    CHECK(PyObject_SetAttrString(five, "real", five) == -1);
    CHECK_RAISED(PyExc_AttributeError);
    Py_DECREF(five);

    PyObject *type = (PyObject *)&PyFloat_Type;
    CHECK_NEW_REPR(PyObject_CallMethod(type, "fromhex", "s", "0x1.8p3"), "12.0");
    CHECK_NEW_REPR(PyObject_CallMethod(type, "fromhex", "s", " -0X1P-2 "), "-0.25");
    CHECK_NEW_REPR(PyObject_CallMethod(type, "fromhex", "s", "0x1p-1074"), "5e-324");
    CHECK_NEW_REPR(PyObject_CallMethod(type, "fromhex", "s", "0x1p-1075"), "0.0");
    CHECK_NEW_REPR(PyObject_CallMethod(type, "fromhex", "s", "0x1.000000000000080000000001p0"),
                   "1.0000000000000002");
    CHECK_NEW_REPR(PyObject_CallMethod(type, "fromhex", "s", "-inf"), "-inf");
    CHECK(PyObject_CallMethod(type, "fromhex", "s", "0x1p+") == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "invalid hexadecimal floating-point string");
    CHECK(PyObject_CallMethod(type, "fromhex", "s", "0x1.fffffffffffff8p1023") == NULL);
    CHECK_ERROR_TEXT(PyExc_OverflowError, "hexadecimal value too large to represent as a float");
    /* float.hex() reads back. */
    PyObject *third = PyFloat_FromDouble(1.0 / 3.0);
    PyObject *hex = PyObject_CallMethod(third, "hex", NULL);
    CHECK(hex != NULL);
    PyObject *back = PyObject_CallMethod(type, "fromhex", "O", hex);
    CHECK(back != NULL && PyFloat_AsDouble(back) == 1.0 / 3.0);
    Py_DECREF(back);
    Py_DECREF(hex);
    Py_DECREF(third);
    return 0;
}

static int range_methods(void) {
    PyObject *r = PyObject_CallFunction((PyObject *)&PyRange_Type, "iii", 1, 10, 3);
    CHECK(r != NULL);
    CHECK_NEW_REPR(PyObject_GetAttrString(r, "start"), "1");
    CHECK_NEW_REPR(PyObject_GetAttrString(r, "stop"), "10");
    CHECK_NEW_REPR(PyObject_GetAttrString(r, "step"), "3");
    CHECK_NEW_REPR(PyObject_CallMethod(r, "index", "i", 7), "2");
    CHECK_NEW_REPR(PyObject_CallMethod(r, "count", "i", 4), "1");
    CHECK_NEW_REPR(PyObject_CallMethod(r, "count", "i", 5), "0");
    CHECK_NEW_REPR(PyObject_CallMethod(r, "count", "d", 4.0), "1");
    CHECK_NEW_REPR(PyObject_CallMethod(r, "index", "d", 4.0), "1");
    CHECK(PyObject_CallMethod(r, "index", "i", 5) == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "5 is not in range");
    CHECK(PyObject_CallMethod(r, "index", "s", "a") == NULL);
    CHECK_ERROR_TEXT(PyExc_ValueError, "sequence.index(x): x not in sequence");
    Py_DECREF(r);
    r = PyObject_CallFunction((PyObject *)&PyRange_Type, "i", 5);
    CHECK_NEW_REPR(PyObject_GetAttrString(r, "start"), "0");
    CHECK_NEW_REPR(PyObject_GetAttrString(r, "step"), "1");
    Py_DECREF(r);
    return 0;
}

static const TestCase cases[] = {
    KEEPS_OBJECTS(str_join_and_split),
    KEEPS_OBJECTS(str_replace_and_search),
    KEEPS_OBJECTS(str_strip_case_and_tests),
    KEEPS_OBJECTS(str_encode_partition_zfill_splitlines),
    KEEPS_OBJECTS(dict_lookups_and_removals),
    KEEPS_OBJECTS(dict_views),
    KEEPS_OBJECTS(dict_update_and_fromkeys),
    KEEPS_OBJECTS(list_mutators),
    KEEPS_OBJECTS(list_searching),
    KEEPS_OBJECTS(list_sort),
    KEEPS_OBJECTS(tuple_index_and_count),
    KEEPS_OBJECTS(int_methods),
    KEEPS_OBJECTS(float_methods),
    KEEPS_OBJECTS(bytes_methods),
    KEEPS_OBJECTS(numeric_attributes),
    KEEPS_OBJECTS(range_methods),
};

TEST_MAIN(cases)
