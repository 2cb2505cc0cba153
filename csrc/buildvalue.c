/* Py_BuildValue and Py_VaBuildValue: values built from a format and a va_list,
 * with the units CPython documents (Doc/c-api/arg.rst, "Building values").
 * Exported by trampolines in src/capi/varargs.rs; the library is reached only
 * through the public API. 'D' is refused with SystemError: isle has no complex type.
 *
 * Every unit's argument is consumed even after an earlier one failed, so that an
 * 'N' further on is still released (it was handed over) and nothing leaks. */
#include "Python.h"

PyObject *isle_PyErr_Format(PyObject *exception, const char *format, ...);

typedef struct {
    va_list *ap;
    int failed; /* an item failed: keep walking only to release what was handed over */
} Builder;

static PyObject *build_item(Builder *b, const char **format);

static int is_separator(char c) { return c == ' ' || c == '\t' || c == ',' || c == ':'; }

/* How many items lie at this level before `end` (or the end of the format). */
static Py_ssize_t count_items(const char *format, char end) {
    Py_ssize_t n = 0;
    int depth = 0;
    for (; *format; format++) {
        char c = *format;
        if (depth == 0 && c == end) return n;
        if (c == '(' || c == '[' || c == '{') {
            if (depth == 0) n++;
            depth++;
        } else if (c == ')' || c == ']' || c == '}') {
            if (depth == 0) break;
            depth--;
        } else if (c == '#' || c == '&' || is_separator(c)) {
            /* modifiers and separators are not items */
        } else if (depth == 0) {
            n++;
        }
    }
    if (end != '\0') {
        PyErr_SetString(PyExc_SystemError, "unmatched paren in format");
        return -1;
    }
    return n;
}

/* The length argument that follows a '#'. */
static Py_ssize_t length_arg(Builder *b, const char **format) {
    if (**format != '#') return -1;
    (*format)++;
    return va_arg(*b->ap, Py_ssize_t);
}

static PyObject *none(void) { return Py_NewRef(Py_None); }

static PyObject *from_text(Builder *b, char unit, const char **format) {
    if (unit == 'u') {
        const wchar_t *w = va_arg(*b->ap, const wchar_t *);
        Py_ssize_t n = length_arg(b, format);
        if (b->failed) return NULL;
        if (w == NULL) return none();
        return PyUnicode_FromWideChar(w, n < 0 ? (Py_ssize_t)wcslen(w) : n);
    }
    const char *s = va_arg(*b->ap, const char *);
    Py_ssize_t n = length_arg(b, format);
    if (b->failed) return NULL;
    if (s == NULL) return none();
    if (n < 0) n = (Py_ssize_t)strlen(s);
    return unit == 'y' ? PyBytes_FromStringAndSize(s, n) : PyUnicode_FromStringAndSize(s, n);
}

/* O, S, N: an object (N hands its reference over); O&: a converter's result. */
static PyObject *from_object(Builder *b, char unit, const char **format) {
    if (unit == 'O' && **format == '&') {
        (*format)++;
        PyObject *(*converter)(void *) = va_arg(*b->ap, PyObject *(*)(void *));
        void *arg = va_arg(*b->ap, void *);
        return b->failed ? NULL : converter(arg);
    }
    PyObject *o = va_arg(*b->ap, PyObject *);
    if (b->failed) {
        if (unit == 'N') Py_XDECREF(o);
        return NULL;
    }
    if (o == NULL) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_SystemError, "NULL object passed to Py_BuildValue");
        return NULL;
    }
    return unit == 'N' ? o : Py_NewRef(o);
}

/* The items of a (...) or [...] group, or the pairs of a {...} one, up to `end`. */
static PyObject *build_container(Builder *b, const char **format, char end) {
    Py_ssize_t n = count_items(*format, end);
    if (n < 0) {
        b->failed = 1;
        return NULL;
    }
    PyObject *result = NULL;
    if (!b->failed) {
        result = end == ')' ? PyTuple_New(n) : end == ']' ? PyList_New(n) : PyDict_New();
        if (result == NULL) b->failed = 1;
    }
    PyObject *key = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = build_item(b, format);
        if (item == NULL) b->failed = 1;
        if (b->failed) {
            Py_XDECREF(item);
            continue;
        }
        if (end == ')') {
            PyTuple_SET_ITEM(result, i, item);
        } else if (end == ']') {
            PyList_SET_ITEM(result, i, item);
        } else if (i % 2 == 0) {
            key = item;
        } else {
            if (PyDict_SetItem(result, key, item) < 0) b->failed = 1;
            Py_DECREF(key);
            Py_DECREF(item);
            key = NULL;
        }
    }
    Py_XDECREF(key);
    if (end == '}' && n % 2 != 0 && !b->failed) {
        PyErr_SetString(PyExc_SystemError, "Bad dict format");
        b->failed = 1;
    }
    if (**format == end) (*format)++;
    if (b->failed) {
        Py_XDECREF(result);
        return NULL;
    }
    return result;
}

/* One item; `*format` moves past it and any separators before it. */
static PyObject *build_item(Builder *b, const char **format) {
    while (is_separator(**format)) (*format)++;
    char unit = *(*format)++;
    va_list *ap = b->ap;
    switch (unit) {
    case '(': return build_container(b, format, ')');
    case '[': return build_container(b, format, ']');
    case '{': return build_container(b, format, '}');
    case 'b': case 'B': case 'h': case 'i': {
        int v = va_arg(*ap, int);
        return b->failed ? NULL : PyLong_FromLong(v);
    }
    case 'H': {
        unsigned int v = va_arg(*ap, unsigned int);
        return b->failed ? NULL : PyLong_FromLong((long)(unsigned short)v);
    }
    case 'I': {
        unsigned int v = va_arg(*ap, unsigned int);
        return b->failed ? NULL : PyLong_FromUnsignedLong(v);
    }
    case 'l': {
        long v = va_arg(*ap, long);
        return b->failed ? NULL : PyLong_FromLong(v);
    }
    case 'k': {
        unsigned long v = va_arg(*ap, unsigned long);
        return b->failed ? NULL : PyLong_FromUnsignedLong(v);
    }
    case 'L': {
        long long v = va_arg(*ap, long long);
        return b->failed ? NULL : PyLong_FromLongLong(v);
    }
    case 'K': {
        unsigned long long v = va_arg(*ap, unsigned long long);
        return b->failed ? NULL : PyLong_FromUnsignedLongLong(v);
    }
    case 'n': {
        Py_ssize_t v = va_arg(*ap, Py_ssize_t);
        return b->failed ? NULL : PyLong_FromSsize_t(v);
    }
    case 'd': case 'f': {
        double v = va_arg(*ap, double);
        return b->failed ? NULL : PyFloat_FromDouble(v);
    }
    case 'D':
        (void)va_arg(*ap, void *);
        if (!b->failed)
            PyErr_SetString(PyExc_SystemError, "Py_BuildValue: format unit 'D' is not supported (no complex type)");
        return NULL;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        return b->failed ? NULL : PyBytes_FromStringAndSize(&c, 1);
    }
    case 'C': {
        int c = va_arg(*ap, int);
        return b->failed ? NULL : PyUnicode_FromOrdinal(c);
    }
    case 's': case 'z': case 'U': case 'y': case 'u':
        return from_text(b, unit, format);
    case 'O': case 'S': case 'N':
        return from_object(b, unit, format);
    }
    if (!b->failed)
        isle_PyErr_Format(PyExc_SystemError, "bad format char passed to Py_BuildValue");
    return NULL;
}

static PyObject *build(const char *format, va_list *ap) {
    if (format == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    Py_ssize_t n = count_items(format, '\0');
    if (n < 0) return NULL;
    if (n == 0) return none();
    Builder b = {ap, 0};
    const char *f = format;
    if (n == 1) return build_item(&b, &f);
    /* Several items at the top level make a tuple, as if in parentheses. */
    PyObject *tuple = PyTuple_New(n);
    if (tuple == NULL) b.failed = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = build_item(&b, &f);
        if (item == NULL) b.failed = 1;
        if (b.failed) {
            Py_XDECREF(item);
            continue;
        }
        PyTuple_SET_ITEM(tuple, i, item);
    }
    if (b.failed) {
        Py_XDECREF(tuple);
        return NULL;
    }
    return tuple;
}

PyObject *isle_Py_BuildValue(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    PyObject *r = build(format, &ap);
    va_end(ap);
    return r;
}

PyObject *isle_Py_VaBuildValue(const char *format, va_list va) {
    va_list ap;
    va_copy(ap, va);
    PyObject *r = build(format, &ap);
    va_end(ap);
    return r;
}

/* The names binaries built with PY_SSIZE_T_CLEAN against older headers import. */
PyObject *isle__Py_BuildValue_SizeT(const char *, ...) __attribute__((alias("isle_Py_BuildValue")));
PyObject *isle__Py_VaBuildValue_SizeT(const char *, va_list) __attribute__((alias("isle_Py_VaBuildValue")));
