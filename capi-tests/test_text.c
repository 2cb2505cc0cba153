/* str and bytes: constructors, codecs, comparison, searching, interning, type slots,
 * PyUnicode_FromFormat and PyBytes_FromFormat. */
#include "harness.h"

/* Checks that the pending exception is `exc` with the message `msg`, then clears it. */
#define CHECK_ERROR(exc, msg) \
    do { \
        CHECK(PyErr_Occurred() != NULL); \
        CHECK(PyErr_ExceptionMatches(exc)); \
        PyObject *_e = PyErr_GetRaisedException(); \
        CHECK_STR(PyObject_Str(_e), msg); \
        Py_DECREF(_e); \
    } while (0)

/* Checks that bytes object `b` holds exactly `n` bytes `data` (steals `b`). */
#define CHECK_BYTES(b, data, n) \
    do { \
        PyObject *_b = (b); \
        CHECK(_b != NULL); \
        CHECK(PyBytes_Check(_b)); \
        int _same = PyBytes_GET_SIZE(_b) == (Py_ssize_t)(n) && memcmp(PyBytes_AS_STRING(_b), (data), (n)) == 0; \
        Py_DECREF(_b); \
        CHECK(_same); \
    } while (0)

/* An int in range(256), made without the numbers API: an item of a bytes object. */
static PyObject *small_int(int v) {
    char c = (char)v;
    PyObject *b = PyBytes_FromStringAndSize(&c, 1);
    PyObject *i = Py_TYPE(b)->tp_as_sequence->sq_item(b, 0);
    Py_DECREF(b);
    return i;
}

/* Ints outside range(256), as immortal statics of CPython's int layout: one digit,
 * positive (sign 0) or negative (sign 2). */
static PyLongObject int_300 = {{_Py_IMMORTAL_REFCNT, &PyLong_Type}, {1 << _PyLong_NON_SIZE_BITS, {300}}};
static PyLongObject int_minus_1 = {{_Py_IMMORTAL_REFCNT, &PyLong_Type}, {(1 << _PyLong_NON_SIZE_BITS) | 2, {1}}};

/* An iterable that is its own iterator over up to 4 borrowed items; after `stop`
 * items it ends (stop_with_exc 0), raises StopIteration (1) or RuntimeError (2). */
typedef struct {
    PyObject ob_base;
    int next, stop, stop_with_exc;
    PyObject *items[4];
} ItemsIter;

static PyObject *items_iter_self(PyObject *o) { return Py_NewRef(o); }

static PyObject *items_iter_next(PyObject *o) {
    ItemsIter *it = (ItemsIter *)o;
    if (it->next < it->stop) return Py_NewRef(it->items[it->next++]);
    if (it->stop_with_exc == 1) PyErr_SetString(PyExc_StopIteration, "");
    if (it->stop_with_exc == 2) PyErr_SetString(PyExc_RuntimeError, "iteration failed");
    return NULL;
}

static PyTypeObject ItemsIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "test.ItemsIter",
    .tp_basicsize = sizeof(ItemsIter),
    .tp_iter = items_iter_self,
    .tp_iternext = items_iter_next,
};

/* A stack instance: immortal, so never deallocated. */
#define ITEMS_ITER(stop, exc, ...) {{_Py_IMMORTAL_REFCNT, &ItemsIter_Type}, 0, (stop), (exc), {__VA_ARGS__}}

/* ---------------------------------------------------------------- str: construction */

static int str_from_string_ascii(void) {
    PyObject *s = PyUnicode_FromString("hello");
    CHECK(s != NULL && PyUnicode_CheckExact(s));
    CHECK(PyUnicode_IS_ASCII(s) && PyUnicode_IS_COMPACT(s));
    CHECK(PyUnicode_KIND(s) == PyUnicode_1BYTE_KIND);
    CHECK(PyUnicode_GET_LENGTH(s) == 5);
    CHECK(memcmp(PyUnicode_DATA(s), "hello", 6) == 0); /* NUL-terminated */
    CHECK(PyUnicode_READ_CHAR(s, 4) == 'o');
    Py_DECREF(s);
    PyObject *e = PyUnicode_FromString("");
    CHECK(e == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR));
    return 0;
}

static int str_kinds(void) {
    /* 1 byte per char (Latin-1, not ASCII), 2 bytes, 4 bytes. */
    PyObject *latin = PyUnicode_FromString("caf\xc3\xa9");
    CHECK(latin != NULL && !PyUnicode_IS_ASCII(latin));
    CHECK(PyUnicode_KIND(latin) == PyUnicode_1BYTE_KIND);
    CHECK(PyUnicode_GET_LENGTH(latin) == 4);
    CHECK(PyUnicode_1BYTE_DATA(latin)[3] == 0xe9 && PyUnicode_1BYTE_DATA(latin)[4] == 0);
    CHECK(PyUnicode_READ_CHAR(latin, 3) == 0xe9);

    PyObject *bmp = PyUnicode_FromString("a\xe2\x82\xac"); /* a€ */
    CHECK(PyUnicode_KIND(bmp) == PyUnicode_2BYTE_KIND);
    CHECK(PyUnicode_GET_LENGTH(bmp) == 2);
    CHECK(PyUnicode_2BYTE_DATA(bmp)[0] == 'a' && PyUnicode_2BYTE_DATA(bmp)[1] == 0x20ac);
    CHECK(PyUnicode_2BYTE_DATA(bmp)[2] == 0);

    PyObject *astral = PyUnicode_FromString("\xe2\x82\xac\xf0\x9f\x98\x80"); /* €😀 */
    CHECK(PyUnicode_KIND(astral) == PyUnicode_4BYTE_KIND);
    CHECK(PyUnicode_GET_LENGTH(astral) == 2);
    CHECK(PyUnicode_READ(PyUnicode_KIND(astral), PyUnicode_DATA(astral), 1) == 0x1f600);
    CHECK(PyUnicode_4BYTE_DATA(astral)[0] == 0x20ac && PyUnicode_4BYTE_DATA(astral)[2] == 0);
    Py_DECREF(latin);
    Py_DECREF(bmp);
    Py_DECREF(astral);
    return 0;
}

static int str_from_string_errors(void) {
    CHECK(PyUnicode_FromString(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_FromString("ab\xff") == NULL);
    CHECK_ERROR(PyExc_UnicodeDecodeError, "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte");
    CHECK(PyUnicode_FromStringAndSize("abc", -1) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_FromStringAndSize(NULL, 3) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyObject *nul = PyUnicode_FromStringAndSize("a\0b", 3);
    CHECK(nul != NULL && PyUnicode_GET_LENGTH(nul) == 3 && PyUnicode_READ_CHAR(nul, 1) == 0);
    Py_DECREF(nul);
    CHECK(PyUnicode_FromStringAndSize(NULL, 0) == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR));
    return 0;
}

static int str_decode_utf8_handlers(void) {
    const char bad[] = "a\xe2\x28z\xff";
    CHECK(PyUnicode_DecodeUTF8(bad, 5, NULL) == NULL);
    CHECK_ERROR(PyExc_UnicodeDecodeError, "'utf-8' codec can't decode byte 0xe2 in position 1: invalid continuation byte");
    CHECK(PyUnicode_DecodeUTF8("ab\xe2\x82", 4, "strict") == NULL);
    CHECK_ERROR(PyExc_UnicodeDecodeError, "'utf-8' codec can't decode bytes in position 2-3: unexpected end of data");
    CHECK_STR(PyUnicode_DecodeUTF8(bad, 5, "replace"), "a\xef\xbf\xbd(z\xef\xbf\xbd");
    CHECK_STR(PyUnicode_DecodeUTF8(bad, 5, "ignore"), "a(z");
    CHECK_STR(PyUnicode_DecodeUTF8(bad, 5, "backslashreplace"), "a\\xe2(z\\xff");
    PyObject *esc = PyUnicode_DecodeUTF8(bad, 5, "surrogateescape");
    CHECK(esc != NULL && PyUnicode_GET_LENGTH(esc) == 5);
    CHECK(PyUnicode_READ_CHAR(esc, 1) == 0xdce2 && PyUnicode_READ_CHAR(esc, 4) == 0xdcff);
    Py_DECREF(esc);
    /* An unknown handler is only an error when some input needs it. */
    CHECK_STR(PyUnicode_DecodeUTF8("ok", 2, "no-such-handler"), "ok");
    CHECK(PyUnicode_DecodeUTF8(bad, 5, "no-such-handler") == NULL);
    CHECK_ERROR(PyExc_LookupError, "unknown error handler name 'no-such-handler'");
    CHECK(PyUnicode_DecodeUTF8(NULL, 1, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

static int str_decode_other_encodings(void) {
    PyObject *l = PyUnicode_DecodeLatin1("caf\xe9\xff", 5, NULL);
    CHECK(l != NULL && PyUnicode_KIND(l) == 1 && PyUnicode_READ_CHAR(l, 4) == 0xff);
    Py_DECREF(l);
    CHECK_STR(PyUnicode_DecodeASCII("abc", 3, NULL), "abc");
    CHECK(PyUnicode_DecodeASCII("ab\x80", 3, NULL) == NULL);
    CHECK_ERROR(PyExc_UnicodeDecodeError, "'ascii' codec can't decode byte 0x80 in position 2: ordinal not in range(128)");
    CHECK_STR(PyUnicode_DecodeASCII("a\x80\x81", 3, "replace"), "a\xef\xbf\xbd\xef\xbf\xbd");
    CHECK_STR(PyUnicode_Decode("caf\xc3\xa9", 5, "UTF-8", NULL), "caf\xc3\xa9");
    CHECK_STR(PyUnicode_Decode("caf\xe9", 4, "latin-1", "strict"), "caf\xc3\xa9");
    CHECK_STR(PyUnicode_Decode("caf\xe9", 4, "ISO-8859-1", NULL), "caf\xc3\xa9");
    CHECK_STR(PyUnicode_Decode("abc", 3, "us-ascii", NULL), "abc");
    CHECK_STR(PyUnicode_Decode("abc", 3, NULL, NULL), "abc");
    CHECK(PyUnicode_Decode("abc", 3, "klingon", NULL) == NULL);
    CHECK_ERROR(PyExc_LookupError, "unknown encoding: klingon");
    return 0;
}

static int str_from_kind_and_data(void) {
    const Py_UCS1 l1[] = {'h', 0xe9};
    const Py_UCS2 l2[] = {'a', 0x20ac};
    const Py_UCS4 narrow[] = {'a', 'b'};
    const Py_UCS4 wide[] = {'a', 0x1f600};
    PyObject *s = PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, l1, 2);
    CHECK(s && PyUnicode_KIND(s) == 1 && !PyUnicode_IS_ASCII(s) && PyUnicode_READ_CHAR(s, 1) == 0xe9);
    Py_DECREF(s);
    s = PyUnicode_FromKindAndData(PyUnicode_2BYTE_KIND, l2, 2);
    CHECK(s && PyUnicode_KIND(s) == 2 && PyUnicode_READ_CHAR(s, 1) == 0x20ac);
    Py_DECREF(s);
    /* Stored in the narrowest kind that fits. */
    s = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, narrow, 2);
    CHECK(s && PyUnicode_KIND(s) == 1 && PyUnicode_IS_ASCII(s));
    Py_DECREF(s);
    s = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, wide, 2);
    CHECK(s && PyUnicode_KIND(s) == 4 && PyUnicode_READ_CHAR(s, 1) == 0x1f600);
    Py_DECREF(s);
    const Py_UCS4 too_big[] = {0x110000};
    CHECK(PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, too_big, 1) == NULL);
    CHECK_ERROR(PyExc_ValueError, "character U+110000 is not in range [U+0000; U+10ffff]");
    CHECK(PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, NULL, 0) == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR));
    CHECK(PyUnicode_FromKindAndData(3, l1, 1) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_FromKindAndData(1, l1, -1) == NULL);
    CHECK_RAISED(PyExc_ValueError);
    return 0;
}

static int str_from_ordinal(void) {
    PyObject *s = PyUnicode_FromOrdinal(0x1f600);
    CHECK(s && PyUnicode_KIND(s) == 4 && PyUnicode_GET_LENGTH(s) == 1);
    Py_DECREF(s);
    CHECK_STR(PyUnicode_FromOrdinal('x'), "x");
    CHECK(PyUnicode_FromOrdinal(0x110000) == NULL);
    CHECK_ERROR(PyExc_ValueError, "chr() arg not in range(0x110000)");
    CHECK(PyUnicode_FromOrdinal(-1) == NULL);
    CHECK_RAISED(PyExc_ValueError);
    return 0;
}

/* ---------------------------------------------------------------- str: UTF-8 out */

static int str_as_utf8(void) {
    PyObject *s = PyUnicode_FromString("\xe2\x82\xac\xf0\x9f\x98\x80x");
    Py_ssize_t n = 0;
    const char *u = PyUnicode_AsUTF8AndSize(s, &n);
    CHECK(u != NULL && n == 8 && strcmp(u, "\xe2\x82\xac\xf0\x9f\x98\x80x") == 0);
    CHECK(PyUnicode_AsUTF8(s) == u); /* cached */
    Py_DECREF(s);
    PyObject *nul = PyUnicode_FromStringAndSize("a\0b", 3);
    CHECK(PyUnicode_AsUTF8AndSize(nul, &n) != NULL && n == 3);
    CHECK(PyUnicode_AsUTF8(nul) != NULL);
    Py_DECREF(nul);
    PyObject *b = PyBytes_FromString("x");
    CHECK(PyUnicode_AsUTF8AndSize(b, &n) == NULL && n == -1);
    CHECK_ERROR(PyExc_TypeError, "bad argument type for built-in operation");
    Py_DECREF(b);
    CHECK(PyUnicode_AsUTF8(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyObject *lone = PyUnicode_DecodeUTF8("a\xff", 2, "surrogateescape");
    CHECK(PyUnicode_AsUTF8AndSize(lone, &n) == NULL && n == -1);
    CHECK_ERROR(PyExc_UnicodeEncodeError,
                "'utf-8' codec can't encode character '\\udcff' in position 1: surrogates not allowed");
    Py_DECREF(lone);
    return 0;
}

static int str_as_utf8_string(void) {
    PyObject *s = PyUnicode_FromString("caf\xc3\xa9");
    CHECK_BYTES(PyUnicode_AsUTF8String(s), "caf\xc3\xa9", 5);
    Py_DECREF(s);
    PyObject *lone = PyUnicode_DecodeUTF8("\xff\xfe", 2, "surrogateescape");
    CHECK(PyUnicode_AsUTF8String(lone) == NULL);
    CHECK_ERROR(PyExc_UnicodeEncodeError,
                "'utf-8' codec can't encode characters in position 0-1: surrogates not allowed");
    Py_DECREF(lone);
    CHECK(PyUnicode_AsUTF8String(small_int(1)) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyUnicode_AsUTF8String(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

static int str_fs_encoding(void) {
    PyObject *s = PyUnicode_DecodeFSDefault("dir/\xff\xc3\xa9");
    CHECK(s != NULL && PyUnicode_GET_LENGTH(s) == 6);
    CHECK(PyUnicode_READ_CHAR(s, 4) == 0xdcff && PyUnicode_READ_CHAR(s, 5) == 0xe9);
    CHECK_BYTES(PyUnicode_EncodeFSDefault(s), "dir/\xff\xc3\xa9", 7);
    Py_DECREF(s);
    s = PyUnicode_DecodeFSDefaultAndSize("a\0\x80", 3);
    CHECK(s != NULL && PyUnicode_GET_LENGTH(s) == 3 && PyUnicode_READ_CHAR(s, 2) == 0xdc80);
    Py_DECREF(s);
    /* A surrogate that no byte escapes to cannot be encoded. */
    const Py_UCS2 d800[] = {'x', 0xd800};
    s = PyUnicode_FromKindAndData(PyUnicode_2BYTE_KIND, d800, 2);
    CHECK(PyUnicode_EncodeFSDefault(s) == NULL);
    CHECK_RAISED(PyExc_UnicodeEncodeError);
    Py_DECREF(s);
    CHECK(PyUnicode_DecodeFSDefault(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_EncodeFSDefault(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

/* ---------------------------------------------------------------- str: wchar_t */

static int str_wide_chars(void) {
    PyObject *s = PyUnicode_FromWideChar(L"h\u00e9\u20ac\U0001F600", -1);
    CHECK(s && PyUnicode_GET_LENGTH(s) == 4 && PyUnicode_KIND(s) == 4);
    CHECK(PyUnicode_READ_CHAR(s, 3) == 0x1f600);
    wchar_t buf[8];
    CHECK(PyUnicode_AsWideChar(s, NULL, 0) == 5);
    wmemset(buf, L'#', 8);
    CHECK(PyUnicode_AsWideChar(s, buf, 8) == 4);
    CHECK(buf[0] == L'h' && buf[3] == 0x1f600 && buf[4] == 0 && buf[5] == L'#');
    wmemset(buf, L'#', 8);
    CHECK(PyUnicode_AsWideChar(s, buf, 2) == 2); /* truncated, not terminated */
    CHECK(buf[1] == 0xe9 && buf[2] == L'#');
    Py_ssize_t n = 0;
    wchar_t *w = PyUnicode_AsWideCharString(s, &n);
    CHECK(w != NULL && n == 4 && wcscmp(w, L"h\u00e9\u20ac\U0001F600") == 0);
    PyMem_Free(w);
    Py_DECREF(s);

    s = PyUnicode_FromWideChar(L"ab\0c", 4);
    CHECK(s && PyUnicode_GET_LENGTH(s) == 4 && PyUnicode_IS_ASCII(s));
    CHECK(PyUnicode_AsWideCharString(s, NULL) == NULL);
    CHECK_ERROR(PyExc_ValueError, "embedded null character");
    w = PyUnicode_AsWideCharString(s, &n);
    CHECK(w != NULL && n == 4 && w[2] == 0 && w[3] == L'c' && w[4] == 0);
    PyMem_Free(w);
    Py_DECREF(s);

    CHECK(PyUnicode_FromWideChar(NULL, 0) == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR));
    CHECK(PyUnicode_FromWideChar(NULL, 3) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    const wchar_t bad[] = {L'a', (wchar_t)0x110000};
    CHECK(PyUnicode_FromWideChar(bad, 2) == NULL);
    CHECK_RAISED(PyExc_ValueError);
    CHECK(PyUnicode_AsWideChar(small_int(3), buf, 8) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyUnicode_AsWideCharString(NULL, &n) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

/* ---------------------------------------------------------------- str: access */

static int str_length_and_read_char(void) {
    PyObject *s = PyUnicode_FromString("a\xe2\x82\xac\xf0\x9f\x98\x80");
    CHECK(PyUnicode_GetLength(s) == 3);
    CHECK(PyUnicode_ReadChar(s, 0) == 'a');
    CHECK(PyUnicode_ReadChar(s, 1) == 0x20ac);
    CHECK(PyUnicode_ReadChar(s, 2) == 0x1f600);
    CHECK(PyUnicode_ReadChar(s, 3) == (Py_UCS4)-1);
    CHECK_ERROR(PyExc_IndexError, "string index out of range");
    CHECK(PyUnicode_ReadChar(s, -1) == (Py_UCS4)-1);
    CHECK_RAISED(PyExc_IndexError);
    Py_DECREF(s);
    CHECK(PyUnicode_GetLength(small_int(1)) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyUnicode_GetLength(NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_ReadChar(NULL, 0) == (Py_UCS4)-1);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

static int str_substring(void) {
    PyObject *s = PyUnicode_FromString("ab\xe2\x82\xac" "cd"); /* ab€cd */
    CHECK_STR(PyUnicode_Substring(s, 1, 4), "b\xe2\x82\xac" "c");
    PyObject *tail = PyUnicode_Substring(s, 3, 100);
    CHECK(tail && PyUnicode_KIND(tail) == 1 && PyUnicode_IS_ASCII(tail)); /* narrowed */
    CHECK_STR(tail, "cd");
    PyObject *whole = PyUnicode_Substring(s, 0, 5);
    CHECK(whole == s);
    Py_DECREF(whole);
    CHECK(PyUnicode_Substring(s, 5, 9) == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR));
    CHECK(PyUnicode_Substring(s, 3, 2) == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR));
    CHECK(PyUnicode_Substring(s, -1, 2) == NULL);
    CHECK_ERROR(PyExc_IndexError, "string index out of range");
    Py_DECREF(s);
    CHECK(PyUnicode_Substring(NULL, 0, 1) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

/* ---------------------------------------------------------------- str: operations */

static int str_concat(void) {
    PyObject *a = PyUnicode_FromString("caf");
    PyObject *b = PyUnicode_FromString("\xc3\xa9\xe2\x82\xac"); /* é€ */
    PyObject *c = PyUnicode_Concat(a, b);
    CHECK(c && PyUnicode_KIND(c) == 2 && PyUnicode_GET_LENGTH(c) == 5);
    CHECK_STR(c, "caf\xc3\xa9\xe2\x82\xac");
    PyObject *empty = PyUnicode_FromString("");
    PyObject *same = PyUnicode_Concat(a, empty);
    CHECK(same == a);
    Py_DECREF(same);
    same = PyUnicode_Concat(empty, b);
    CHECK(same == b);
    Py_DECREF(same);
    CHECK(PyUnicode_Concat(a, small_int(1)) == NULL);
    CHECK_ERROR(PyExc_TypeError, "can only concatenate str (not \"int\") to str");
    CHECK(PyUnicode_Concat(small_int(1), a) == NULL);
    CHECK_ERROR(PyExc_TypeError, "must be str, not int");
    CHECK(PyUnicode_Concat(a, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(a);
    Py_DECREF(b);
    return 0;
}

static int str_compare(void) {
    PyObject *a = PyUnicode_FromString("abc");
    PyObject *b = PyUnicode_FromString("abd");
    PyObject *ab = PyUnicode_FromString("ab");
    PyObject *wide = PyUnicode_FromString("ab\xe2\x82\xac");
    PyObject *a2 = PyUnicode_FromString("abc");
    CHECK(PyUnicode_Compare(a, b) == -1);
    CHECK(PyUnicode_Compare(b, a) == 1);
    CHECK(PyUnicode_Compare(a, a2) == 0);
    CHECK(PyUnicode_Compare(ab, a) == -1);
    CHECK(PyUnicode_Compare(wide, a) == 1); /* U+20AC > 'c', across kinds */
    CHECK_NO_ERROR();
    CHECK(PyUnicode_Compare(a, small_int(1)) == -1);
    CHECK_ERROR(PyExc_TypeError, "Can't compare str and int");
    CHECK(PyUnicode_Compare(NULL, a) == -1);
    CHECK_RAISED(PyExc_SystemError);

    CHECK(PyUnicode_CompareWithASCIIString(a, "abc") == 0);
    CHECK(PyUnicode_CompareWithASCIIString(a, "abd") == -1);
    CHECK(PyUnicode_CompareWithASCIIString(a, "ab") == 1);
    CHECK(PyUnicode_CompareWithASCIIString(a, "abcd") == -1);
    CHECK(PyUnicode_CompareWithASCIIString(wide, "abz") == 1);
    PyObject *nul = PyUnicode_FromStringAndSize("ab\0", 3);
    CHECK(PyUnicode_CompareWithASCIIString(nul, "ab") == 1);
    Py_DECREF(nul);
    CHECK_NO_ERROR();
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(ab);
    Py_DECREF(wide);
    Py_DECREF(a2);
    return 0;
}

static int str_equal_to_utf8(void) {
    PyObject *s = PyUnicode_FromString("caf\xc3\xa9\xf0\x9f\x98\x80");
    CHECK(PyUnicode_EqualToUTF8(s, "caf\xc3\xa9\xf0\x9f\x98\x80") == 1);
    CHECK(PyUnicode_EqualToUTF8(s, "caf\xc3\xa9") == 0);
    CHECK(PyUnicode_EqualToUTF8(s, "caf\xe9\xf0\x9f\x98\x80") == 0); /* invalid UTF-8 */
    PyUnicode_AsUTF8(s); /* with the UTF-8 form cached */
    CHECK(PyUnicode_EqualToUTF8(s, "caf\xc3\xa9\xf0\x9f\x98\x80") == 1);
    Py_DECREF(s);
    PyObject *nul = PyUnicode_FromStringAndSize("a\0b", 3);
    CHECK(PyUnicode_EqualToUTF8AndSize(nul, "a\0b", 3) == 1);
    CHECK(PyUnicode_EqualToUTF8(nul, "a") == 0);
    Py_DECREF(nul);
    PyObject *lone = PyUnicode_DecodeUTF8("\xff", 1, "surrogateescape");
    CHECK(PyUnicode_EqualToUTF8(lone, "\xed\xb3\xbf") == 0);
    Py_DECREF(lone);
    CHECK(PyUnicode_EqualToUTF8(small_int(1), "1") == 0);
    CHECK(PyUnicode_EqualToUTF8(NULL, "1") == 0);
    CHECK_NO_ERROR();
    return 0;
}

static int str_rich_compare(void) {
    PyObject *a = PyUnicode_FromString("abc");
    PyObject *b = PyUnicode_FromString("ab\xe2\x82\xac");
    struct { int op; PyObject *expected; } cases[] = {
        {Py_LT, Py_True}, {Py_LE, Py_True}, {Py_EQ, Py_False}, {Py_NE, Py_True}, {Py_GT, Py_False}, {Py_GE, Py_False},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(cases); i++) {
        PyObject *r = PyUnicode_RichCompare(a, b, cases[i].op);
        CHECK(r == cases[i].expected);
        Py_DECREF(r);
        r = PyObject_RichCompare(a, b, cases[i].op); /* through tp_richcompare */
        CHECK(r == cases[i].expected);
        Py_DECREF(r);
    }
    PyObject *a2 = PyUnicode_FromString("abc");
    CHECK(PyObject_RichCompareBool(a, a2, Py_EQ) == 1);
    CHECK(PyObject_RichCompareBool(a, a2, Py_LE) == 1);
    CHECK(PyObject_RichCompareBool(a, a2, Py_GT) == 0);
    PyObject *r = PyUnicode_RichCompare(a, small_int(1), Py_EQ);
    CHECK(r == Py_NotImplemented);
    Py_DECREF(r);
    CHECK(PyObject_RichCompareBool(a, small_int(1), Py_EQ) == 0);
    CHECK(PyObject_RichCompare(a, small_int(1), Py_LT) == NULL);
    CHECK_ERROR(PyExc_TypeError, "'<' not supported between instances of 'str' and 'int'");
    CHECK(PyUnicode_RichCompare(a, NULL, Py_EQ) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(a);
    Py_DECREF(a2);
    Py_DECREF(b);
    return 0;
}

static int str_hash(void) {
    PyObject *a = PyUnicode_FromString("hash me \xe2\x82\xac");
    PyObject *b = PyUnicode_FromString("hash me \xe2\x82\xac");
    CHECK(((PyASCIIObject *)a)->hash == -1);
    Py_hash_t h = PyObject_Hash(a);
    CHECK(h != -1 && h == PyObject_Hash(b));
    CHECK(((PyASCIIObject *)a)->hash == h); /* cached */
    PyObject *s = PyUnicode_FromString("abc");
    PyObject *by = PyBytes_FromString("abc");
    CHECK(PyObject_Hash(s) == PyObject_Hash(by));
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(s);
    Py_DECREF(by);
    return 0;
}

static int str_repr(void) {
    struct { const char *text; Py_ssize_t n; const char *repr; } cases[] = {
        {"abc", 3, "'abc'"},
        {"it's", 4, "\"it's\""},
        {"say \"hi\"", 8, "'say \"hi\"'"},
        {"'\"", 2, "'\\'\"'"},
        {"a\\b\tc\nd\re", 9, "'a\\\\b\\tc\\nd\\re'"},
        {"\x00\x1b\x7f", 3, "'\\x00\\x1b\\x7f'"},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14, "'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80'"},
        {"\xc2\xa0\xc2\xad", 4, "'\\xa0\\xad'"},
        {"\xe2\x80\x8b\xee\x80\x80", 6, "'\\u200b\\ue000'"},
        {"\xf3\xa0\x80\x81", 4, "'\\U000e0001'"},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(cases); i++) {
        PyObject *s = PyUnicode_FromStringAndSize(cases[i].text, cases[i].n);
        CHECK_STR(PyObject_Repr(s), cases[i].repr);
        Py_DECREF(s);
    }
    PyObject *lone = PyUnicode_DecodeUTF8("\xff", 1, "surrogateescape");
    CHECK_STR(PyObject_Repr(lone), "'\\udcff'");
    Py_DECREF(lone);
    return 0;
}

static int str_str_is_identity(void) {
    PyObject *s = PyUnicode_FromString("same");
    PyObject *t = PyObject_Str(s);
    CHECK(t == s);
    Py_DECREF(t);
    t = Py_TYPE(s)->tp_str(s);
    CHECK(t == s);
    Py_DECREF(t);
    Py_DECREF(s);
    return 0;
}

static int str_sequence_slots(void) {
    PySequenceMethods *sq = PyUnicode_Type.tp_as_sequence;
    CHECK(sq != NULL);
    PyObject *s = PyUnicode_FromString("ab\xe2\x82\xac");
    CHECK(PyObject_Size(s) == 3);
    CHECK(sq->sq_length(s) == 3);
    PyObject *c = sq->sq_item(s, 2);
    CHECK(c && PyUnicode_GET_LENGTH(c) == 1 && PyUnicode_READ_CHAR(c, 0) == 0x20ac);
    Py_DECREF(c);
    CHECK(sq->sq_item(s, 3) == NULL);
    CHECK_ERROR(PyExc_IndexError, "string index out of range");
    CHECK_STR(sq->sq_concat(s, s), "ab\xe2\x82\xac" "ab\xe2\x82\xac");
    CHECK(sq->sq_concat(s, small_int(1)) == NULL);
    CHECK_ERROR(PyExc_TypeError, "can only concatenate str (not \"int\") to str");
    PyObject *b = PyUnicode_FromString("b\xe2\x82\xac");
    PyObject *z = PyUnicode_FromString("z");
    CHECK(sq->sq_contains(s, b) == 1);
    CHECK(sq->sq_contains(s, z) == 0);
    CHECK(sq->sq_contains(s, small_int(1)) == -1);
    CHECK_ERROR(PyExc_TypeError, "'in <string>' requires string as left operand, not int");
    CHECK(PyObject_IsTrue(s) == 1);
    CHECK(PyObject_IsTrue(Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR)) == 0);
    Py_DECREF(b);
    Py_DECREF(z);
    Py_DECREF(s);
    return 0;
}

/* ---------------------------------------------------------------- str: searching */

static int str_contains(void) {
    PyObject *s = PyUnicode_FromString("hello w\xc3\xb6rld");
    PyObject *sub = PyUnicode_FromString("w\xc3\xb6r");
    PyObject *no = PyUnicode_FromString("\xe2\x82\xac");
    PyObject *empty = PyUnicode_FromString("");
    CHECK(PyUnicode_Contains(s, sub) == 1);
    CHECK(PyUnicode_Contains(s, no) == 0);
    CHECK(PyUnicode_Contains(s, empty) == 1);
    CHECK(PyUnicode_Contains(s, small_int(1)) == -1);
    CHECK_ERROR(PyExc_TypeError, "'in <string>' requires string as left operand, not int");
    CHECK(PyUnicode_Contains(small_int(1), sub) == -1);
    CHECK_ERROR(PyExc_TypeError, "must be str, not int");
    CHECK(PyUnicode_Contains(NULL, sub) == -1);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(s);
    Py_DECREF(sub);
    Py_DECREF(no);
    return 0;
}

static int str_find(void) {
    PyObject *s = PyUnicode_FromString("ab\xe2\x82\xac" "ab\xe2\x82\xac" "ab"); /* ab€ab€ab */
    PyObject *ab = PyUnicode_FromString("ab");
    PyObject *euro = PyUnicode_FromString("\xe2\x82\xac" "a");
    PyObject *empty = PyUnicode_FromString("");
    PyObject *astral = PyUnicode_FromString("\xf0\x9f\x98\x80");
    CHECK(PyUnicode_Find(s, ab, 0, PY_SSIZE_T_MAX, 1) == 0);
    CHECK(PyUnicode_Find(s, ab, 1, PY_SSIZE_T_MAX, 1) == 3);
    CHECK(PyUnicode_Find(s, ab, 0, PY_SSIZE_T_MAX, -1) == 6);
    CHECK(PyUnicode_Find(s, ab, 0, 7, -1) == 3);
    CHECK(PyUnicode_Find(s, ab, -2, PY_SSIZE_T_MAX, 1) == 6);
    CHECK(PyUnicode_Find(s, euro, 0, 8, 1) == 2);
    CHECK(PyUnicode_Find(s, euro, 3, 5, 1) == -1);
    CHECK(PyUnicode_Find(s, astral, 0, 8, 1) == -1);
    CHECK(PyUnicode_Find(s, empty, 2, 5, 1) == 2);
    CHECK(PyUnicode_Find(s, empty, 2, 5, -1) == 5);
    CHECK(PyUnicode_Find(s, empty, 9, 20, 1) == -1);
    CHECK(PyUnicode_Find(s, small_int(1), 0, 8, 1) == -2);
    CHECK_ERROR(PyExc_TypeError, "must be str, not int");
    CHECK(PyUnicode_Find(NULL, ab, 0, 8, 1) == -2);
    CHECK_RAISED(PyExc_SystemError);

    CHECK(PyUnicode_FindChar(s, 0x20ac, 0, PY_SSIZE_T_MAX, 1) == 2);
    CHECK(PyUnicode_FindChar(s, 0x20ac, 0, PY_SSIZE_T_MAX, -1) == 5);
    CHECK(PyUnicode_FindChar(s, 0x20ac, 3, 5, 1) == -1);
    CHECK(PyUnicode_FindChar(s, 'b', -3, PY_SSIZE_T_MAX, 1) == 7);
    CHECK(PyUnicode_FindChar(s, 'z', 0, 8, 1) == -1);
    CHECK(PyUnicode_FindChar(small_int(1), 'z', 0, 8, 1) == -2);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(s);
    Py_DECREF(ab);
    Py_DECREF(euro);
    Py_DECREF(astral);
    return 0;
}

/* ---------------------------------------------------------------- str: join and split */

static int str_join(void) {
    PyObject *a = PyUnicode_FromString("a");
    PyObject *b = PyUnicode_FromString("\xc3\xa9");
    PyObject *c = PyUnicode_FromString("\xf0\x9f\x98\x80");
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *items = PyTuple_Pack(3, a, b, c);
    CHECK_STR(PyUnicode_Join(sep, items), "a, \xc3\xa9, \xf0\x9f\x98\x80");
    CHECK_STR(PyUnicode_Join(NULL, items), "a \xc3\xa9 \xf0\x9f\x98\x80");
    Py_DECREF(items);
    items = PyTuple_Pack(1, b);
    PyObject *one = PyUnicode_Join(sep, items);
    CHECK(one == b); /* a single str item is returned as is */
    Py_DECREF(one);
    Py_DECREF(items);
    items = PyTuple_New(0);
    CHECK(PyUnicode_Join(sep, items) == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR));
    Py_DECREF(items);
    items = PyTuple_Pack(2, a, small_int(7));
    CHECK(PyUnicode_Join(sep, items) == NULL);
    CHECK_ERROR(PyExc_TypeError, "sequence item 1: expected str instance, int found");
    Py_DECREF(items);
    items = PyTuple_Pack(2, a, b);
    CHECK(PyUnicode_Join(small_int(1), items) == NULL);
    CHECK_ERROR(PyExc_TypeError, "separator: expected str instance, int found");
    Py_DECREF(items);
    ItemsIter it = ITEMS_ITER(3, 0, a, b, c);
    CHECK_STR(PyUnicode_Join(sep, (PyObject *)&it), "a, \xc3\xa9, \xf0\x9f\x98\x80");
    ItemsIter it_stop = ITEMS_ITER(2, 1, c, a);
    CHECK_STR(PyUnicode_Join(sep, (PyObject *)&it_stop), "\xf0\x9f\x98\x80, a");
    ItemsIter it_fail = ITEMS_ITER(1, 2, a);
    CHECK(PyUnicode_Join(sep, (PyObject *)&it_fail) == NULL);
    CHECK_ERROR(PyExc_RuntimeError, "iteration failed");
    CHECK(PyUnicode_Join(sep, small_int(1)) == NULL);
    CHECK_ERROR(PyExc_TypeError, "can only join an iterable");
    CHECK(PyUnicode_Join(sep, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    Py_DECREF(sep);
    return 0;
}

/* Checks that `list` holds exactly the `n` UTF-8 strings `expected` (steals `list`). */
static int check_list(PyObject *list, const char **expected, Py_ssize_t n) {
    CHECK(list != NULL && PyList_Check(list));
    int ok = PyList_GET_SIZE(list) == n;
    for (Py_ssize_t i = 0; ok && i < n; i++) {
        const char *u = PyUnicode_AsUTF8(PyList_GET_ITEM(list, i));
        ok = u != NULL && strcmp(u, expected[i]) == 0;
    }
    Py_DECREF(list);
    CHECK(ok);
    return 0;
}

static int str_split(void) {
    PyObject *s = PyUnicode_FromString("  one\ttwo\xe3\x80\x80three \x1c four  ");
    const char *all[] = {"one", "two", "three", "four"};
    CHECK(check_list(PyUnicode_Split(s, NULL, -1), all, 4) == 0);
    const char *two[] = {"one", "two", "three \x1c four  "};
    CHECK(check_list(PyUnicode_Split(s, NULL, 2), two, 3) == 0);
    Py_DECREF(s);
    s = PyUnicode_FromString("a,\xe2\x82\xac,,b");
    PyObject *comma = PyUnicode_FromString(",");
    const char *parts[] = {"a", "\xe2\x82\xac", "", "b"};
    CHECK(check_list(PyUnicode_Split(s, comma, -1), parts, 4) == 0);
    const char *first[] = {"a", "\xe2\x82\xac,,b"};
    CHECK(check_list(PyUnicode_Split(s, comma, 1), first, 2) == 0);
    const char *none[] = {"a,\xe2\x82\xac,,b"};
    CHECK(check_list(PyUnicode_Split(s, comma, 0), none, 1) == 0);
    PyObject *blank = PyUnicode_FromString(" \t ");
    CHECK(check_list(PyUnicode_Split(blank, NULL, -1), NULL, 0) == 0);
    Py_DECREF(blank);
    PyObject *empty = PyUnicode_FromString("");
    CHECK(PyUnicode_Split(s, empty, -1) == NULL);
    CHECK_ERROR(PyExc_ValueError, "empty separator");
    CHECK(PyUnicode_Split(s, small_int(1), -1) == NULL);
    CHECK_ERROR(PyExc_TypeError, "must be str, not int");
    CHECK(PyUnicode_Split(small_int(1), NULL, -1) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(s);
    Py_DECREF(comma);
    return 0;
}

/* ---------------------------------------------------------------- str: conversions */

static int str_from_object(void) {
    PyObject *s = PyUnicode_FromString("x");
    PyObject *t = PyUnicode_FromObject(s);
    CHECK(t == s);
    Py_DECREF(t);
    Py_DECREF(s);
    CHECK(PyUnicode_FromObject(small_int(1)) == NULL);
    CHECK_ERROR(PyExc_TypeError, "Can't convert 'int' object to str implicitly");
    CHECK(PyUnicode_FromObject(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(strcmp(PyUnicode_GetDefaultEncoding(), "utf-8") == 0);
    return 0;
}

static int str_from_encoded_object(void) {
    PyObject *b = PyBytes_FromString("caf\xc3\xa9");
    CHECK_STR(PyUnicode_FromEncodedObject(b, NULL, NULL), "caf\xc3\xa9");
    CHECK_STR(PyUnicode_FromEncodedObject(b, "latin1", NULL), "caf\xc3\x83\xc2\xa9");
    CHECK(PyUnicode_FromEncodedObject(b, "ascii", "strict") == NULL);
    CHECK_RAISED(PyExc_UnicodeDecodeError);
    CHECK(PyUnicode_FromEncodedObject(b, "no-such-codec", NULL) == NULL);
    CHECK_RAISED(PyExc_LookupError);
    Py_DECREF(b);
    b = PyBytes_FromString("");
    CHECK(PyUnicode_FromEncodedObject(b, "no-such-codec", NULL) == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR));
    PyObject *s = PyUnicode_FromString("x");
    CHECK(PyUnicode_FromEncodedObject(s, NULL, NULL) == NULL);
    CHECK_ERROR(PyExc_TypeError, "decoding str is not supported");
    Py_DECREF(s);
    CHECK(PyUnicode_FromEncodedObject(small_int(1), NULL, NULL) == NULL);
    CHECK_ERROR(PyExc_TypeError, "decoding to str: need a bytes-like object, int found");
    CHECK(PyUnicode_FromEncodedObject(NULL, NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

/* ---------------------------------------------------------------- str: interning */

static int str_intern(void) {
    PyObject *a = PyUnicode_InternFromString("interned \xe2\x82\xac");
    PyObject *b = PyUnicode_InternFromString("interned \xe2\x82\xac");
    CHECK(a != NULL && a == b);
    CHECK(PyUnicode_CHECK_INTERNED(a) != 0);
    PyObject *c = PyUnicode_FromString("interned \xe2\x82\xac");
    CHECK(c != a && PyUnicode_CHECK_INTERNED(c) == 0);
    PyObject *before = c;
    PyUnicode_InternInPlace(&c);
    CHECK(c == a); /* the equal interned string replaced it */
    (void)before;
    PyObject *d = PyUnicode_FromString("fresh");
    PyObject *d0 = d;
    PyUnicode_InternInPlace(&d);
    CHECK(d == d0 && PyUnicode_CHECK_INTERNED(d));
    PyObject *e = PyUnicode_InternFromString("fresh");
    CHECK(e == d);
    PyObject *empty = PyUnicode_InternFromString("");
    CHECK(empty == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR) && PyUnicode_CHECK_INTERNED(empty));
    CHECK(PyUnicode_InternFromString(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_InternFromString("\xc3") == NULL);
    CHECK_ERROR(PyExc_UnicodeDecodeError, "'utf-8' codec can't decode byte 0xc3 in position 0: unexpected end of data");
    PyUnicode_InternInPlace(NULL); /* ignored */
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    Py_DECREF(d);
    Py_DECREF(e);
    return 0;
}

/* Each interpreter interns into its own table: the same text gives distinct objects. */
static int str_intern_per_interpreter(void) {
    PyObject *main_s = PyUnicode_InternFromString("shared text");
    CHECK(main_s != NULL);
    Py_DECREF(main_s); /* the table keeps it; only its address is compared below */
    PyInterpreterConfig config = {
        .use_main_obmalloc = 0, .check_multi_interp_extensions = 1, .gil = PyInterpreterConfig_OWN_GIL,
    };
    PyThreadState *sub = NULL;
    PyStatus st = Py_NewInterpreterFromConfig(&sub, &config);
    CHECK(!PyStatus_Exception(st) && sub != NULL);
    PyObject *sub_s = PyUnicode_InternFromString("shared text");
    CHECK(sub_s != NULL && sub_s != main_s && PyUnicode_CHECK_INTERNED(sub_s));
    CHECK(PyUnicode_InternFromString("shared text") == sub_s);
    Py_DECREF(sub_s);
    Py_DECREF(sub_s);
    /* The empty string is the one object shared by all. */
    CHECK(PyUnicode_InternFromString("") == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR));
    /* The sub-interpreter stays current; finalization ends both. */
    return 0;
}

/* ---------------------------------------------------------------- PyUnicode_FromFormat */

static int format_integers(void) {
    CHECK_STR(PyUnicode_FromFormat("%d %i %u", -12, 34, 56u), "-12 34 56");
    CHECK_STR(PyUnicode_FromFormat("%ld %lu %lld %llu", -1L, 2UL, -3LL, 4ULL), "-1 2 -3 4");
    CHECK_STR(PyUnicode_FromFormat("%zd %zu %td %jd", (Py_ssize_t)-5, (size_t)6, (ptrdiff_t)-7, (intmax_t)8),
              "-5 6 -7 8");
    CHECK_STR(PyUnicode_FromFormat("%x %X %o", 255, 255, 8), "ff FF 10");
    CHECK_STR(PyUnicode_FromFormat("%lx %zx", 0xabcdefUL, (size_t)0x10), "abcdef 10");
    CHECK_STR(PyUnicode_FromFormat("[%5d|%-5d|%05d|%.3d|%-05d]", 42, 42, -42, 7, 3), "[   42|42   |-0042|007|3    ]");
    CHECK_STR(PyUnicode_FromFormat("[%*d|%-*d|%.*d]", 4, 1, 3, 2, 2, 5), "[   1|2  |05]");
    CHECK_STR(PyUnicode_FromFormat("[%*d]", -4, 9), "[9   ]");
    CHECK_STR(PyUnicode_FromFormat("%lld", (long long)INT64_MIN), "-9223372036854775808");
    CHECK_STR(PyUnicode_FromFormat("%llu", (unsigned long long)UINT64_MAX), "18446744073709551615");
    CHECK_STR(PyUnicode_FromFormat("100%% %d%%", 5), "100% 5%");
    return 0;
}

static int format_chars_and_pointers(void) {
    CHECK_STR(PyUnicode_FromFormat("%c%c%c", 'a', 0xe9, 0x1f600), "a\xc3\xa9\xf0\x9f\x98\x80");
    CHECK(PyUnicode_FromFormat("%c", 0x110000) == NULL);
    CHECK_ERROR(PyExc_OverflowError, "character argument not in range(0x110000)");
    CHECK(PyUnicode_FromFormat("%c", -1) == NULL);
    CHECK_RAISED(PyExc_OverflowError);
    PyObject *p = PyUnicode_FromFormat("%p", (void *)0x1234);
    CHECK_STR(p, "0x1234");
    p = PyUnicode_FromFormat("%p", (void *)NULL);
    CHECK_STR(p, "0x0");
    return 0;
}

static int format_c_strings(void) {
    CHECK_STR(PyUnicode_FromFormat("<%s>", "caf\xc3\xa9"), "<caf\xc3\xa9>");
    CHECK_STR(PyUnicode_FromFormat("<%.3s>", "abcdef"), "<abc>");
    /* The precision of %s counts bytes: a cut character becomes U+FFFD. */
    CHECK_STR(PyUnicode_FromFormat("<%.4s>", "caf\xc3\xa9"), "<caf\xef\xbf\xbd>");
    /* The width counts characters. */
    CHECK_STR(PyUnicode_FromFormat("<%6s|%-6s>", "caf\xc3\xa9", "ab"), "<  caf\xc3\xa9|ab    >");
    CHECK_STR(PyUnicode_FromFormat("<%s>", "bad\xff"), "<bad\xef\xbf\xbd>");
    CHECK_STR(PyUnicode_FromFormat("<%ls|%.2ls|%4ls>", L"w\u20ac", L"xyz", L"\u00e9"),
              "<w\xe2\x82\xac|xy|   \xc3\xa9>");
    return 0;
}

static int format_objects(void) {
    PyObject *s = PyUnicode_FromString("h\xc3\xa9llo\xe2\x82\xac");
    PyObject *b = PyBytes_FromString("b'");
    CHECK_STR(PyUnicode_FromFormat("[%U]", s), "[h\xc3\xa9llo\xe2\x82\xac]");
    CHECK_STR(PyUnicode_FromFormat("[%.3U|%8U|%-8.2U]", s, s, s),
              "[h\xc3\xa9l|  h\xc3\xa9llo\xe2\x82\xac|h\xc3\xa9      ]");
    CHECK_STR(PyUnicode_FromFormat("[%S|%R|%A]", s, s, s),
              "[h\xc3\xa9llo\xe2\x82\xac|'h\xc3\xa9llo\xe2\x82\xac'|'h\\xe9llo\\u20ac']");
    PyObject *astral = PyUnicode_FromString("\xf0\x9f\x98\x80");
    CHECK_STR(PyUnicode_FromFormat("[%A]", astral), "['\\U0001f600']");
    Py_DECREF(astral);
    CHECK_STR(PyUnicode_FromFormat("[%R|%S]", b, b), "[b\"b'\"|b\"b'\"]");
    CHECK_STR(PyUnicode_FromFormat("[%.4R|%9A]", s, s), "['h\xc3\xa9l|'h\\xe9llo\\u20ac']");
    CHECK_STR(PyUnicode_FromFormat("[%17A]", s), "[ 'h\\xe9llo\\u20ac']");
    CHECK_STR(PyUnicode_FromFormat("[%V|%V]", s, "unused", NULL, "caf\xc3\xa9"),
              "[h\xc3\xa9llo\xe2\x82\xac|caf\xc3\xa9]");
    CHECK_STR(PyUnicode_FromFormat("[%5.2V]", NULL, "abc"), "[   ab]");
    CHECK_STR(PyUnicode_FromFormat("[%S]", NULL), "[<NULL>]");
    CHECK(PyUnicode_FromFormat("[%U]", NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_FromFormat("[%V]", NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(s);
    Py_DECREF(b);
    return 0;
}

static int format_type_names(void) {
    PyObject *s = PyUnicode_FromString("x");
    CHECK_STR(PyUnicode_FromFormat("%T", s), "str");
    CHECK_STR(PyUnicode_FromFormat("%N|%#N", (PyObject *)&PyBytes_Type, (PyObject *)&PyBytes_Type), "bytes|bytes");
    PyObject *err = PyErr_NewException("spam.SpamError", NULL, NULL);
    CHECK(err != NULL);
    CHECK_STR(PyUnicode_FromFormat("%N|%#N|%10N", err, err, err), "spam.SpamError|spam:SpamError|spam.SpamError");
    CHECK_STR(PyUnicode_FromFormat("[%16N]", err), "[  spam.SpamError]");
    PyErr_SetString(err, "boom");
    PyObject *inst = PyErr_GetRaisedException();
    CHECK_STR(PyUnicode_FromFormat("%T/%#T", inst, inst), "spam.SpamError/spam:SpamError");
    Py_DECREF(inst);
    Py_DECREF(err);
    CHECK(PyUnicode_FromFormat("%N", s) == NULL);
    CHECK_ERROR(PyExc_TypeError, "%N argument must be a type");
    Py_DECREF(s);
    return 0;
}

static int format_errors(void) {
    CHECK(PyUnicode_FromFormat("abc %y", 1) == NULL);
    CHECK_ERROR(PyExc_SystemError, "invalid format string: %y");
    CHECK(PyUnicode_FromFormat("%#d", 1) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_FromFormat("%lU", NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_FromFormat("trailing %") == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyUnicode_FromFormat("caf\xc3\xa9 %d", 1) == NULL);
    CHECK_ERROR(PyExc_ValueError,
                "PyUnicode_FromFormatV() expects an ASCII-encoded format string, got a non-ASCII byte: 0xc3");
    CHECK(PyUnicode_FromFormat(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK_STR(PyUnicode_FromFormat(""), "");
    PyObject *table = PyUnicode_FromString("table");
    CHECK(PyErr_Format(PyExc_KeyError, "no key %d in %U", 3, table) == NULL);
    Py_DECREF(table);
    CHECK(PyErr_ExceptionMatches(PyExc_KeyError));
    PyObject *e = PyErr_GetRaisedException();
    PyObject *args = PyException_GetArgs(e);
    CHECK_STR(Py_NewRef(PyTuple_GET_ITEM(args, 0)), "no key 3 in table");
    Py_DECREF(args);
    Py_DECREF(e);
    return 0;
}

/* ---------------------------------------------------------------- bytes */

static int bytes_from_string_and_size(void) {
    PyObject *b = PyBytes_FromStringAndSize("a\0b", 3);
    CHECK(b && PyBytes_CheckExact(b) && PyBytes_GET_SIZE(b) == 3);
    CHECK(memcmp(PyBytes_AS_STRING(b), "a\0b", 4) == 0); /* NUL-terminated */
    Py_DECREF(b);
    b = PyBytes_FromStringAndSize(NULL, 4);
    CHECK(b && PyBytes_GET_SIZE(b) == 4 && PyBytes_AS_STRING(b)[4] == 0);
    memcpy(PyBytes_AS_STRING(b), "wxyz", 4);
    CHECK_BYTES(b, "wxyz", 4);
    CHECK(PyBytes_FromStringAndSize(NULL, 0) == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_BYTES));
    CHECK(PyBytes_FromStringAndSize("abc", 0) == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_BYTES));
    CHECK(PyBytes_FromStringAndSize("abc", -1) == NULL);
    CHECK_ERROR(PyExc_SystemError, "Negative size passed to PyBytes_FromStringAndSize");
    CHECK_BYTES(PyBytes_FromString("hello"), "hello", 5);
    CHECK(PyBytes_FromString("") == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_BYTES));
    CHECK(PyBytes_FromString(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

static int bytes_accessors(void) {
    PyObject *b = PyBytes_FromStringAndSize("ab\0c", 4);
    char *s = PyBytes_AsString(b);
    CHECK(s == PyBytes_AS_STRING(b));
    CHECK(PyBytes_Size(b) == 4);
    Py_ssize_t n = 0;
    char *p = NULL;
    CHECK(PyBytes_AsStringAndSize(b, &p, &n) == 0 && p == s && n == 4);
    CHECK(PyBytes_AsStringAndSize(b, &p, NULL) == -1);
    CHECK_ERROR(PyExc_ValueError, "embedded null byte");
    PyObject *ok = PyBytes_FromString("abc");
    CHECK(PyBytes_AsStringAndSize(ok, &p, NULL) == 0 && strcmp(p, "abc") == 0);
    Py_DECREF(ok);
    PyObject *str = PyUnicode_FromString("abc");
    CHECK(PyBytes_AsString(str) == NULL);
    CHECK_ERROR(PyExc_TypeError, "expected bytes, str found");
    CHECK(PyBytes_Size(str) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyBytes_AsStringAndSize(str, &p, &n) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyBytes_AsStringAndSize(b, NULL, &n) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyBytes_AsString(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyBytes_Size(NULL) == -1);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(str);
    Py_DECREF(b);
    return 0;
}

static int bytes_concat(void) {
    PyObject *v = PyBytes_FromString("ab");
    PyObject *w = PyBytes_FromString("cd");
    PyBytes_Concat(&v, w);
    CHECK(v != NULL);
    CHECK_BYTES(Py_NewRef(v), "abcd", 4);
    PyBytes_ConcatAndDel(&v, PyBytes_FromString("\0e"));
    CHECK_BYTES(Py_NewRef(v), "abcd", 4); /* "\0e" as a C string is empty */
    PyBytes_ConcatAndDel(&v, PyBytes_FromStringAndSize("\0e", 2));
    CHECK_BYTES(Py_NewRef(v), "abcd\0e", 6);
    PyObject *str = PyUnicode_FromString("x");
    PyBytes_Concat(&v, str);
    CHECK(v == NULL);
    CHECK_ERROR(PyExc_TypeError, "can't concat str to bytes");
    PyBytes_Concat(&v, w); /* *pv NULL: nothing happens */
    CHECK(v == NULL);
    CHECK_NO_ERROR();
    v = PyBytes_FromString("ab");
    PyBytes_Concat(&v, NULL);
    CHECK(v == NULL);
    CHECK_NO_ERROR();
    Py_DECREF(str);
    Py_DECREF(w);
    return 0;
}

static int bytes_from_object(void) {
    PyObject *b = PyBytes_FromString("same");
    PyObject *c = PyBytes_FromObject(b);
    CHECK(c == b);
    Py_DECREF(c);
    Py_DECREF(b);
    PyObject *t = PyTuple_Pack(3, small_int(104), small_int(0), small_int(255));
    CHECK_BYTES(PyBytes_FromObject(t), "h\0\xff", 3);
    Py_DECREF(t);
    ItemsIter it = ITEMS_ITER(2, 0, small_int('o'), small_int('k'));
    CHECK_BYTES(PyBytes_FromObject((PyObject *)&it), "ok", 2);
    ItemsIter it_fail = ITEMS_ITER(0, 2, NULL);
    CHECK(PyBytes_FromObject((PyObject *)&it_fail) == NULL);
    CHECK_ERROR(PyExc_RuntimeError, "iteration failed");
    t = PyTuple_New(0);
    CHECK(PyBytes_FromObject(t) == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_BYTES));
    Py_DECREF(t);
    t = PyTuple_Pack(2, small_int(1), (PyObject *)&int_300);
    CHECK(PyBytes_FromObject(t) == NULL);
    CHECK_ERROR(PyExc_ValueError, "bytes must be in range(0, 256)");
    Py_DECREF(t);
    t = PyTuple_Pack(1, (PyObject *)&int_minus_1);
    CHECK(PyBytes_FromObject(t) == NULL);
    CHECK_RAISED(PyExc_ValueError);
    Py_DECREF(t);
    PyObject *s = PyUnicode_FromString("x");
    t = PyTuple_Pack(1, s);
    CHECK(PyBytes_FromObject(t) == NULL);
    CHECK_ERROR(PyExc_TypeError, "'str' object cannot be interpreted as an integer");
    Py_DECREF(t);
    CHECK(PyBytes_FromObject(s) == NULL);
    CHECK_ERROR(PyExc_TypeError, "cannot convert 'str' object to bytes");
    Py_DECREF(s);
    CHECK(PyBytes_FromObject(small_int(3)) == NULL);
    CHECK_ERROR(PyExc_TypeError, "cannot convert 'int' object to bytes");
    CHECK(PyBytes_FromObject(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

static int bytes_repr(void) {
    struct { const char *data; Py_ssize_t n; const char *smart; const char *plain; } cases[] = {
        {"abc", 3, "b'abc'", "b'abc'"},
        {"", 0, "b''", "b''"},
        {"it's", 4, "b\"it's\"", "b'it\\'s'"},
        {"'\"", 2, "b'\\'\"'", "b'\\'\"'"},
        {"\\\t\n\r", 4, "b'\\\\\\t\\n\\r'", "b'\\\\\\t\\n\\r'"},
        {"\0\x1f\x7f\x80\xff", 5, "b'\\x00\\x1f\\x7f\\x80\\xff'", "b'\\x00\\x1f\\x7f\\x80\\xff'"},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(cases); i++) {
        PyObject *b = PyBytes_FromStringAndSize(cases[i].data, cases[i].n);
        CHECK_STR(PyBytes_Repr(b, 1), cases[i].smart);
        CHECK_STR(PyBytes_Repr(b, 0), cases[i].plain);
        CHECK_STR(PyObject_Repr(b), cases[i].smart);
        CHECK_STR(PyObject_Str(b), cases[i].smart);
        Py_DECREF(b);
    }
    CHECK(PyBytes_Repr(small_int(1), 1) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    return 0;
}

static int bytes_resize(void) {
    PyObject *b = PyBytes_FromStringAndSize(NULL, 3);
    memcpy(PyBytes_AS_STRING(b), "abc", 3);
    CHECK(_PyBytes_Resize(&b, 1000) == 0);
    CHECK(b != NULL && PyBytes_GET_SIZE(b) == 1000 && PyBytes_AS_STRING(b)[1000] == 0);
    CHECK(memcmp(PyBytes_AS_STRING(b), "abc", 3) == 0);
    CHECK(_PyBytes_Resize(&b, 2) == 0);
    CHECK_BYTES(Py_NewRef(b), "ab", 2);
    CHECK(_PyBytes_Resize(&b, 0) == 0);
    CHECK(b == Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_BYTES));
    CHECK(_PyBytes_Resize(&b, 5) == 0); /* from the shared empty: a new object */
    CHECK(b != NULL && PyBytes_GET_SIZE(b) == 5);
    Py_DECREF(b);

    /* A shared object is not changed under its other owner: it is copied. */
    PyObject *shared = PyBytes_FromString("xyz");
    PyObject *other = Py_NewRef(shared);
    CHECK(_PyBytes_Resize(&shared, 2) == 0);
    CHECK(shared != other);
    CHECK_BYTES(shared, "xy", 2);
    CHECK_BYTES(other, "xyz", 3);

    PyObject *neg = PyBytes_FromString("abc");
    CHECK(_PyBytes_Resize(&neg, -1) == -1);
    CHECK(neg == NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyObject *str = PyUnicode_FromString("abc");
    CHECK(_PyBytes_Resize(&str, 2) == -1);
    CHECK(str == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(_PyBytes_Resize(NULL, 2) == -1);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

static int bytes_hash_and_compare(void) {
    PyObject *a = PyBytes_FromString("abc");
    PyObject *a2 = PyBytes_FromString("abc");
    PyObject *b = PyBytes_FromString("abd");
    PyObject *ab = PyBytes_FromString("ab");
    CHECK(((PyBytesObject *)a)->ob_shash == -1);
    Py_hash_t h = PyObject_Hash(a);
    CHECK(h != -1 && h == PyObject_Hash(a2));
    CHECK(((PyBytesObject *)a)->ob_shash == h); /* cached */
    struct { PyObject *x, *y; int op; int expected; } cases[] = {
        {a, b, Py_LT, 1}, {a, b, Py_LE, 1}, {a, b, Py_EQ, 0}, {a, b, Py_NE, 1}, {a, b, Py_GT, 0}, {a, b, Py_GE, 0},
        {a, a2, Py_EQ, 1}, {a, a2, Py_LE, 1}, {a, a2, Py_GE, 1}, {ab, a, Py_LT, 1}, {a, ab, Py_GT, 1},
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(cases); i++) {
        PyObject *r = PyObject_RichCompare(cases[i].x, cases[i].y, cases[i].op);
        CHECK(r == (cases[i].expected ? Py_True : Py_False));
        Py_DECREF(r);
    }
    PyObject *s = PyUnicode_FromString("abc");
    PyObject *r = PyBytes_Type.tp_richcompare(a, s, Py_EQ);
    CHECK(r == Py_NotImplemented);
    Py_DECREF(r);
    CHECK(PyObject_RichCompareBool(a, s, Py_EQ) == 0);
    Py_DECREF(s);
    Py_DECREF(a);
    Py_DECREF(a2);
    Py_DECREF(b);
    Py_DECREF(ab);
    return 0;
}

static int bytes_sequence_slots(void) {
    PySequenceMethods *sq = PyBytes_Type.tp_as_sequence;
    PyObject *b = PyBytes_FromStringAndSize("\x01" "ab", 3);
    CHECK(PyObject_Size(b) == 3);
    PyObject *i = sq->sq_item(b, 0);
    CHECK(i == Py_GetConstantBorrowed(Py_CONSTANT_ONE));
    Py_DECREF(i);
    i = sq->sq_item(b, 1);
    CHECK(i == small_int('a') && PyLong_Check(i));
    CHECK(sq->sq_item(b, 3) == NULL);
    CHECK_ERROR(PyExc_IndexError, "index out of range");
    CHECK_BYTES(sq->sq_concat(b, b), "\x01" "ab\x01" "ab", 6);
    PyObject *s = PyUnicode_FromString("a");
    CHECK(sq->sq_concat(b, s) == NULL);
    CHECK_ERROR(PyExc_TypeError, "can't concat str to bytes");
    CHECK(sq->sq_contains(b, small_int('a')) == 1);
    CHECK(sq->sq_contains(b, small_int('z')) == 0);
    PyObject *sub = PyBytes_FromString("ab");
    PyObject *no = PyBytes_FromString("ba");
    CHECK(sq->sq_contains(b, sub) == 1);
    CHECK(sq->sq_contains(b, no) == 0);
    CHECK(sq->sq_contains(b, Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_BYTES)) == 1);
    CHECK(sq->sq_contains(b, (PyObject *)&int_300) == -1);
    CHECK_ERROR(PyExc_ValueError, "byte must be in range(0, 256)");
    CHECK(sq->sq_contains(b, s) == -1);
    CHECK_ERROR(PyExc_TypeError, "a bytes-like object is required, not 'str'");
    Py_DECREF(s);
    Py_DECREF(sub);
    Py_DECREF(no);
    Py_DECREF(b);
    return 0;
}

static int bytes_from_format(void) {
    CHECK_BYTES(PyBytes_FromFormat("%d %u %ld %lu %zd %zu %i %x", -1, 2u, -3L, 4UL, (Py_ssize_t)-5, (size_t)6, 7, 255),
                "-1 2 -3 4 -5 6 7 ff", 19);
    CHECK_BYTES(PyBytes_FromFormat("[%c%c]", 'A', 0xff), "[A\xff]", 4);
    CHECK_BYTES(PyBytes_FromFormat("[%s|%.2s|%5s]", "abc", "xyz", "q"), "[abc|xy|q]", 10);
    CHECK_BYTES(PyBytes_FromFormat("100%%"), "100%", 4);
    CHECK_BYTES(PyBytes_FromFormat("%p", (void *)0xbeef), "0xbeef", 6);
    CHECK_BYTES(PyBytes_FromFormat("a %y b %d", 1), "a %y b %d", 9); /* copied as is */
    CHECK_BYTES(PyBytes_FromFormat(""), "", 0);
    CHECK(PyBytes_FromFormat("%c", 256) == NULL);
    CHECK_ERROR(PyExc_OverflowError, "PyBytes_FromFormatV(): %c format expects an integer in [0,255]");
    CHECK(PyBytes_FromFormat(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

static const TestCase cases[] = {
    CASE(str_from_string_ascii),
    CASE(str_kinds),
    CASE(str_from_string_errors),
    CASE(str_decode_utf8_handlers),
    CASE(str_decode_other_encodings),
    CASE(str_from_kind_and_data),
    CASE(str_from_ordinal),
    CASE(str_as_utf8),
    CASE(str_as_utf8_string),
    CASE(str_fs_encoding),
    CASE(str_wide_chars),
    CASE(str_length_and_read_char),
    CASE(str_substring),
    CASE(str_concat),
    CASE(str_compare),
    CASE(str_equal_to_utf8),
    CASE(str_rich_compare),
    CASE(str_hash),
    CASE(str_repr),
    CASE(str_str_is_identity),
    CASE(str_sequence_slots),
    CASE(str_contains),
    CASE(str_find),
    CASE(str_join),
    CASE(str_split),
    CASE(str_from_object),
    CASE(str_from_encoded_object),
    KEEPS_OBJECTS(str_intern),
    CASE(str_intern_per_interpreter),
    CASE(format_integers),
    CASE(format_chars_and_pointers),
    CASE(format_c_strings),
    CASE(format_objects),
    KEEPS_OBJECTS(format_type_names), /* makes type dicts on first use */
    CASE(format_errors),
    CASE(bytes_from_string_and_size),
    CASE(bytes_accessors),
    CASE(bytes_concat),
    CASE(bytes_from_object),
    CASE(bytes_repr),
    CASE(bytes_resize),
    CASE(bytes_hash_and_compare),
    CASE(bytes_sequence_slots),
    CASE(bytes_from_format),
};

TEST_MAIN(cases)
