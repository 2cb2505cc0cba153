/* PyUnicode_New (a string filled in place, as compiled binaries do through the
 * PEP 393 macros) and the locale conversions Py_DecodeLocale / Py_EncodeLocale. */
#include "harness.h"
#include <wchar.h>

static int new_strings_are_filled_in_place(void) {
    PyObject *ascii = PyUnicode_New(3, 'z');
    CHECK(ascii != NULL && PyUnicode_KIND(ascii) == PyUnicode_1BYTE_KIND && PyUnicode_IS_ASCII(ascii));
    memcpy(PyUnicode_DATA(ascii), "abc", 3);
    CHECK(PyUnicode_CompareWithASCIIString(ascii, "abc") == 0);
    Py_DECREF(ascii);
    PyObject *latin = PyUnicode_New(2, 0xE9);
    CHECK(latin != NULL && PyUnicode_KIND(latin) == PyUnicode_1BYTE_KIND && !PyUnicode_IS_ASCII(latin));
    PyUnicode_WRITE(PyUnicode_1BYTE_KIND, PyUnicode_DATA(latin), 0, 0xE9);
    PyUnicode_WRITE(PyUnicode_1BYTE_KIND, PyUnicode_DATA(latin), 1, 'x');
    CHECK_STR(latin, "\xc3\xa9x");
    PyObject *wide = PyUnicode_New(1, 0x1F600);
    CHECK(wide != NULL && PyUnicode_KIND(wide) == PyUnicode_4BYTE_KIND);
    PyUnicode_WRITE(PyUnicode_4BYTE_KIND, PyUnicode_DATA(wide), 0, 0x1F600);
    CHECK(PyUnicode_ReadChar(wide, 0) == 0x1F600);
    Py_DECREF(wide);
    PyObject *bmp = PyUnicode_New(1, 0x20AC);
    CHECK(bmp != NULL && PyUnicode_KIND(bmp) == PyUnicode_2BYTE_KIND);
    Py_DECREF(bmp);
    PyObject *empty = PyUnicode_New(0, 0);
    CHECK(empty != NULL && PyUnicode_GET_LENGTH(empty) == 0);
    Py_DECREF(empty);
    CHECK(PyUnicode_New(-1, 'a') == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_New(1, 0x110000) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

static int locale_text_round_trips(void) {
    size_t n = 0;
    wchar_t *w = Py_DecodeLocale("h\xc3\xa9 \xff!", &n);
    CHECK(w != NULL && n == 5);
    CHECK(w[0] == L'h' && w[1] == 0xE9 && w[2] == L' ' && w[3] == 0xDCFF && w[4] == L'!' && w[5] == 0);
    size_t error_pos = 7;
    char *back = Py_EncodeLocale(w, &error_pos);
    CHECK(back != NULL && strcmp(back, "h\xc3\xa9 \xff!") == 0);
    PyMem_Free(back);
    PyMem_RawFree(w);
    const wchar_t bad[] = {L'a', 0xD800, 0};
    CHECK(Py_EncodeLocale(bad, &error_pos) == NULL && error_pos == 1);
    CHECK(Py_DecodeLocale(NULL, &n) == NULL && n == (size_t)-1);
    return 0;
}

static int calling_str(void) {
    PyObject *five = PyLong_FromLong(5);
    CHECK_STR(PyObject_CallOneArg((PyObject *)&PyUnicode_Type, five), "5");
    Py_DECREF(five);
    CHECK_STR(PyObject_CallNoArgs((PyObject *)&PyUnicode_Type), "");
    CHECK_STR(PyObject_CallFunction((PyObject *)&PyUnicode_Type, "ys", "caf\xc3\xa9", "utf-8"), "caf\xc3\xa9");
    CHECK(PyObject_CallFunction((PyObject *)&PyUnicode_Type, "ss", "already text", "utf-8") == NULL);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_CallFunction((PyObject *)&PyUnicode_Type, "iiii", 1, 2, 3, 4) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    return 0;
}

/* Instances of a str subclass keep their characters apart from the object, as in
 * CPython: the compact bit is clear and PyUnicode_DATA follows the data pointer. */
static int str_subclass_instances(void) {
    PyType_Slot slots[] = {{0, NULL}};
    PyType_Spec spec = {"m.Label", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    PyObject *bases = PyTuple_Pack(1, (PyObject *)&PyUnicode_Type);
    PyObject *label_type = PyType_FromSpecWithBases(&spec, bases);
    Py_DECREF(bases);
    CHECK(label_type != NULL);
    const char *texts[] = {"hi", "h\xc3\xa9llo", "\xe2\x82\xac uro", "\xf0\x9f\x98\x80"};
    for (int i = 0; i < 4; i++) {
        PyObject *exact = PyUnicode_FromString(texts[i]);
        PyObject *label = PyObject_CallOneArg(label_type, exact);
        CHECK(label != NULL && Py_TYPE(label) == (PyTypeObject *)label_type);
        CHECK(PyUnicode_Check(label) && !PyUnicode_CheckExact(label) && !PyUnicode_IS_COMPACT(label));
        CHECK(PyUnicode_KIND(label) == PyUnicode_KIND(exact) && PyUnicode_GET_LENGTH(label) == PyUnicode_GET_LENGTH(exact));
        CHECK(memcmp(PyUnicode_DATA(label), PyUnicode_DATA(exact),
                     (size_t)(PyUnicode_GET_LENGTH(exact) * PyUnicode_KIND(exact))) == 0);
        CHECK(PyObject_RichCompareBool(label, exact, Py_EQ) == 1);
        CHECK(PyObject_Hash(label) == PyObject_Hash(exact));
        CHECK(strcmp(PyUnicode_AsUTF8(label), texts[i]) == 0);
        PyObject *back = PyObject_Str(label);
        CHECK(back != NULL && PyUnicode_CheckExact(back) && PyObject_RichCompareBool(back, exact, Py_EQ) == 1);
        Py_DECREF(back);
        Py_DECREF(label);
        Py_DECREF(exact);
    }
    Py_DECREF(label_type);
    return 0;
}

static const TestCase cases[] = {
    KEEPS_OBJECTS(calling_str), /* makes type dicts on first use */
    KEEPS_OBJECTS(str_subclass_instances),
    CASE(new_strings_are_filled_in_place),
    CASE(locale_text_round_trips),
};

TEST_MAIN(cases)
