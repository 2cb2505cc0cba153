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

static const TestCase cases[] = {
    CASE(new_strings_are_filled_in_place),
    CASE(locale_text_round_trips),
};

TEST_MAIN(cases)
