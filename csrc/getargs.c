/* Argument parsing: the PyArg_Parse* family, over the format units CPython
 * documents (Doc/c-api/arg.rst). C, because the outputs arrive as a va_list. Each
 * body is exported under its CPython name by a trampoline in src/capi/varargs.rs
 * and calls the library only through the public API.
 *
 * The Py_buffer units (s*, y*, z*, w*) take any exporter of a C-contiguous buffer
 * and release it again when parsing fails later. Not available yet, and refused with
 * SystemError naming the unit: D, since isle has no complex type. es/et encode to UTF-8 only. Nested "(...)" units accept tuples and
 * lists (isle has no generic sequence protocol yet). */
#include "Python.h"
#include <limits.h>

/* The bodies call each other directly rather than through the exported names. */
PyObject *isle_PyErr_Format(PyObject *exception, const char *format, ...);

/* Format units are ASCII letters (locale-independent, as CPython's Py_ISALPHA). */
static int is_unit_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

#define MESSAGE_SIZE 512
#define MAX_LEVELS 32

/* An O& converter that asked for cleanup (Py_CLEANUP_SUPPORTED), or a buffer the
 * parser allocated for es/et; undone if parsing fails later on. */
typedef struct {
    int (*converter)(PyObject *, void *);
    void *addr;
} Cleanup;

typedef struct {
    Cleanup *items;
    int count, capacity;
    Cleanup local[16];
} Cleanups;

typedef struct {
    va_list *ap;
    Cleanups cleanups;
    char message[MESSAGE_SIZE];
} Parser;

static void parser_init(Parser *p, va_list *ap) {
    p->ap = ap;
    p->cleanups.items = p->cleanups.local;
    p->cleanups.count = 0;
    p->cleanups.capacity = (int)Py_ARRAY_LENGTH(p->cleanups.local);
    p->message[0] = '\0';
}

static int add_cleanup(Parser *p, int (*converter)(PyObject *, void *), void *addr) {
    Cleanups *c = &p->cleanups;
    if (c->count == c->capacity) {
        int capacity = c->capacity * 2;
        Cleanup *items = PyMem_Malloc(sizeof(Cleanup) * (size_t)capacity);
        if (items == NULL) return -1;
        memcpy(items, c->items, sizeof(Cleanup) * (size_t)c->count);
        if (c->items != c->local) PyMem_Free(c->items);
        c->items = items;
        c->capacity = capacity;
    }
    c->items[c->count].converter = converter;
    c->items[c->count].addr = addr;
    c->count++;
    return 0;
}

/* Frees a buffer allocated for es/et when parsing fails after it. */
static int free_encoded(PyObject *unused, void *addr) {
    char **buffer = addr;
    PyMem_Free(*buffer);
    *buffer = NULL;
    return 0;
}

static const char *mismatch(Parser *p, const char *expected, PyObject *arg);
static const char *raised(Parser *p);

/* Releases a Py_buffer unit's view when parsing fails after it. */
static int release_view(PyObject *unused, void *addr) {
    PyBuffer_Release((Py_buffer *)addr);
    return 0;
}

/* Fills `view` with a C-contiguous view of `arg` (flags PyBUF_SIMPLE or
 * PyBUF_WRITABLE); NULL, or the failure. As in CPython, an object that exports no
 * buffer keeps the exporter's TypeError, except for w*, which says what it wanted. */
static const char *contiguous_view(Parser *p, PyObject *arg, Py_buffer *view, int flags) {
    if (PyObject_GetBuffer(arg, view, flags) != 0) {
        if (flags != PyBUF_WRITABLE) return raised(p);
        PyErr_Clear();
        return mismatch(p, "read-write bytes-like object", arg);
    }
    if (!PyBuffer_IsContiguous(view, 'C')) {
        PyBuffer_Release(view);
        return mismatch(p, "contiguous buffer", arg);
    }
    return NULL;
}

/* s*, z*, y*, w*: `view` filled (str as UTF-8 for s* and z*, None as an empty view
 * for z*), to be released on failure. */
static const char *convert_view(Parser *p, char unit, PyObject *arg) {
    Py_buffer *view = va_arg(*p->ap, Py_buffer *);
    if (unit == 'z' && arg == Py_None) {
        PyBuffer_FillInfo(view, NULL, NULL, 0, 1, 0);
    } else if ((unit == 's' || unit == 'z') && PyUnicode_Check(arg)) {
        Py_ssize_t size;
        const char *utf8 = PyUnicode_AsUTF8AndSize(arg, &size);
        if (utf8 == NULL) return mismatch(p, "(unicode conversion error)", arg);
        if (PyBuffer_FillInfo(view, arg, (void *)utf8, size, 1, 0) < 0) return raised(p);
    } else {
        const char *failed = contiguous_view(p, arg, view, unit == 'w' ? PyBUF_WRITABLE : PyBUF_SIMPLE);
        if (failed != NULL) return failed;
    }
    if (add_cleanup(p, release_view, view) < 0) {
        PyBuffer_Release(view);
        return mismatch(p, "(cleanup problem)", arg);
    }
    return NULL;
}

/* Ends a parse: on failure every recorded cleanup runs (converters get NULL). */
static int finish(Parser *p, int ok) {
    Cleanups *c = &p->cleanups;
    if (!ok)
        for (int i = 0; i < c->count; i++) c->items[i].converter(NULL, c->items[i].addr);
    if (c->items != c->local) PyMem_Free(c->items);
    return ok;
}

static const char *type_name_of(PyObject *o) {
    return o == Py_None ? "None" : Py_TYPE(o)->tp_name;
}

/* "must be <expected>, not <type>"; an expectation in parentheses is a message
 * about the format itself and becomes a SystemError. Returns the message. */
static const char *mismatch(Parser *p, const char *expected, PyObject *arg) {
    if (expected[0] == '(')
        snprintf(p->message, MESSAGE_SIZE, "%.100s", expected);
    else
        snprintf(p->message, MESSAGE_SIZE, "must be %.50s, not %.50s", expected, type_name_of(arg));
    return p->message;
}

/* A conversion that failed with an exception already set. */
static const char *raised(Parser *p) {
    p->message[0] = '\0';
    return p->message;
}

static const char *overflow(Parser *p, const char *what) {
    PyErr_SetString(PyExc_OverflowError, what);
    return raised(p);
}

/* Integer units: the value as a long, with range checks in the caller. */
static int as_long(PyObject *arg, long *out) {
    *out = PyLong_AsLong(arg);
    return !(*out == -1 && PyErr_Occurred());
}

static int as_mask(PyObject *arg, unsigned long *out) {
    *out = PyLong_AsUnsignedLongMask(arg);
    return !(*out == (unsigned long)-1 && PyErr_Occurred());
}

static const char *convert_integer(Parser *p, char unit, PyObject *arg) {
    va_list *ap = p->ap;
    long v;
    unsigned long m;
    switch (unit) {
    case 'b': {
        char *out = va_arg(*ap, char *);
        if (!as_long(arg, &v)) return raised(p);
        if (v < 0) return overflow(p, "unsigned byte integer is less than minimum");
        if (v > UCHAR_MAX) return overflow(p, "unsigned byte integer is greater than maximum");
        *out = (char)(unsigned char)v;
        return NULL;
    }
    case 'B': {
        unsigned char *out = va_arg(*ap, unsigned char *);
        if (!as_mask(arg, &m)) return raised(p);
        *out = (unsigned char)m;
        return NULL;
    }
    case 'h': {
        short *out = va_arg(*ap, short *);
        if (!as_long(arg, &v)) return raised(p);
        if (v < SHRT_MIN) return overflow(p, "signed short integer is less than minimum");
        if (v > SHRT_MAX) return overflow(p, "signed short integer is greater than maximum");
        *out = (short)v;
        return NULL;
    }
    case 'H': {
        unsigned short *out = va_arg(*ap, unsigned short *);
        if (!as_mask(arg, &m)) return raised(p);
        *out = (unsigned short)m;
        return NULL;
    }
    case 'i': {
        int *out = va_arg(*ap, int *);
        if (!as_long(arg, &v)) return raised(p);
        if (v > INT_MAX) return overflow(p, "signed integer is greater than maximum");
        if (v < INT_MIN) return overflow(p, "signed integer is less than minimum");
        *out = (int)v;
        return NULL;
    }
    case 'I': {
        unsigned int *out = va_arg(*ap, unsigned int *);
        if (!as_mask(arg, &m)) return raised(p);
        *out = (unsigned int)m;
        return NULL;
    }
    case 'l': {
        long *out = va_arg(*ap, long *);
        if (!as_long(arg, &v)) return raised(p);
        *out = v;
        return NULL;
    }
    case 'k': {
        unsigned long *out = va_arg(*ap, unsigned long *);
        if (!PyLong_Check(arg)) return mismatch(p, "int", arg);
        if (!as_mask(arg, &m)) return raised(p);
        *out = m;
        return NULL;
    }
    case 'L': {
        long long *out = va_arg(*ap, long long *);
        long long ll = PyLong_AsLongLong(arg);
        if (ll == -1 && PyErr_Occurred()) return raised(p);
        *out = ll;
        return NULL;
    }
    case 'K': {
        unsigned long long *out = va_arg(*ap, unsigned long long *);
        if (!PyLong_Check(arg)) return mismatch(p, "int", arg);
        unsigned long long ull = PyLong_AsUnsignedLongLongMask(arg);
        if (ull == (unsigned long long)-1 && PyErr_Occurred()) return raised(p);
        *out = ull;
        return NULL;
    }
    case 'n': {
        Py_ssize_t *out = va_arg(*ap, Py_ssize_t *);
        PyObject *index = PyNumber_Index(arg);
        if (index == NULL) return raised(p);
        Py_ssize_t n = PyLong_AsSsize_t(index);
        Py_DECREF(index);
        if (n == -1 && PyErr_Occurred()) return raised(p);
        *out = n;
        return NULL;
    }
    }
    return mismatch(p, "(impossible<bad format char>)", arg);
}

/* s, s#, z, z#: text as UTF-8 (or, with #, the bytes of a bytes object). */
static const char *convert_text(Parser *p, char unit, const char **format, PyObject *arg) {
    va_list *ap = p->ap;
    int nullable = unit == 'z';
    if (**format == '*') {
        (*format)++;
        return convert_view(p, unit, arg);
    }
    if (**format == '#') {
        (*format)++;
        const char **out = va_arg(*ap, const char **);
        Py_ssize_t *size = va_arg(*ap, Py_ssize_t *);
        if (nullable && arg == Py_None) {
            *out = NULL;
            *size = 0;
        } else if (PyUnicode_Check(arg)) {
            const char *utf8 = PyUnicode_AsUTF8AndSize(arg, size);
            if (utf8 == NULL) return mismatch(p, "(unicode conversion error)", arg);
            *out = utf8;
        } else if (PyBytes_Check(arg)) {
            *out = PyBytes_AS_STRING(arg);
            *size = PyBytes_GET_SIZE(arg);
        } else {
            return mismatch(p, nullable ? "str, bytes-like object or None" : "str or bytes-like object", arg);
        }
        return NULL;
    }
    const char **out = va_arg(*ap, const char **);
    if (nullable && arg == Py_None) {
        *out = NULL;
        return NULL;
    }
    if (!PyUnicode_Check(arg)) return mismatch(p, nullable ? "str or None" : "str", arg);
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(arg, &size);
    if (utf8 == NULL) return mismatch(p, "(unicode conversion error)", arg);
    if ((Py_ssize_t)strlen(utf8) != size) {
        PyErr_SetString(PyExc_ValueError, "embedded null character");
        return raised(p);
    }
    *out = utf8;
    return NULL;
}

/* y, y#: the bytes of a bytes object. */
static const char *convert_bytes_data(Parser *p, const char **format, PyObject *arg) {
    va_list *ap = p->ap;
    if (**format == '*') {
        (*format)++;
        return convert_view(p, 'y', arg);
    }
    const char **out = va_arg(*ap, const char **);
    if (!PyBytes_Check(arg)) {
        if (**format == '#') (void)va_arg(*ap, Py_ssize_t *);
        return mismatch(p, "bytes-like object", arg);
    }
    if (**format == '#') {
        (*format)++;
        Py_ssize_t *size = va_arg(*ap, Py_ssize_t *);
        *size = PyBytes_GET_SIZE(arg);
    } else if ((Py_ssize_t)strlen(PyBytes_AS_STRING(arg)) != PyBytes_GET_SIZE(arg)) {
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return raised(p);
    }
    *out = PyBytes_AS_STRING(arg);
    return NULL;
}

static int is_utf8_name(const char *encoding) {
    if (encoding == NULL) return 1;
    char folded[16];
    size_t n = 0;
    for (const char *c = encoding; *c && n < sizeof folded - 1; c++)
        if (*c != '-' && *c != '_') folded[n++] = (char)((*c >= 'A' && *c <= 'Z') ? *c + 32 : *c);
    folded[n] = '\0';
    return strcmp(folded, "utf8") == 0;
}

/* es, et, es#, et#: text encoded into a buffer the parser allocates (or, with #
 * and a non-NULL buffer, the caller's). */
static const char *convert_encoded(Parser *p, const char **format, PyObject *arg) {
    va_list *ap = p->ap;
    const char *encoding = va_arg(*ap, const char *);
    char mode = **format;
    if (mode != 's' && mode != 't') return mismatch(p, "(unknown parser marker combination)", arg);
    (*format)++;
    char **buffer = va_arg(*ap, char **);
    int sized = **format == '#';
    Py_ssize_t *size_io = NULL;
    if (sized) {
        (*format)++;
        size_io = va_arg(*ap, Py_ssize_t *);
    }
    if (buffer == NULL) return mismatch(p, "(buffer is NULL)", arg);
    if (sized && size_io == NULL) return mismatch(p, "(buffer_len is NULL)", arg);

    PyObject *encoded;
    if (mode == 't' && PyBytes_Check(arg)) {
        encoded = Py_NewRef(arg);
    } else if (PyUnicode_Check(arg)) {
        if (!is_utf8_name(encoding)) return mismatch(p, "(only the utf-8 encoding is supported)", arg);
        encoded = PyUnicode_AsUTF8String(arg);
        if (encoded == NULL) return mismatch(p, "(encoding failed)", arg);
    } else {
        return mismatch(p, mode == 's' ? "str" : "str, bytes or bytearray", arg);
    }
    const char *data = PyBytes_AS_STRING(encoded);
    Py_ssize_t size = PyBytes_GET_SIZE(encoded);
    if (!sized && (Py_ssize_t)strlen(data) != size) {
        Py_DECREF(encoded);
        return mismatch(p, "encoded string without null bytes", arg);
    }
    if (sized && *buffer != NULL) {
        if (size + 1 > *size_io) {
            Py_DECREF(encoded);
            isle_PyErr_Format(PyExc_ValueError, "encoded string too long (%zd, maximum length %zd)", size,
                              *size_io - 1);
            return raised(p);
        }
    } else {
        *buffer = PyMem_Malloc((size_t)size + 1);
        if (*buffer == NULL) {
            Py_DECREF(encoded);
            PyErr_NoMemory();
            return raised(p);
        }
        if (add_cleanup(p, free_encoded, buffer) < 0) {
            Py_DECREF(encoded);
            return mismatch(p, "(cleanup problem)", arg);
        }
    }
    memcpy(*buffer, data, (size_t)size + 1);
    if (sized) *size_io = size;
    Py_DECREF(encoded);
    return NULL;
}

/* O, O!, O&. */
static const char *convert_object(Parser *p, const char **format, PyObject *arg) {
    va_list *ap = p->ap;
    if (**format == '!') {
        (*format)++;
        PyTypeObject *type = va_arg(*ap, PyTypeObject *);
        PyObject **out = va_arg(*ap, PyObject **);
        if (!PyType_IsSubtype(Py_TYPE(arg), type)) return mismatch(p, type->tp_name, arg);
        *out = arg;
        return NULL;
    }
    if (**format == '&') {
        (*format)++;
        int (*converter)(PyObject *, void *) = va_arg(*ap, int (*)(PyObject *, void *));
        void *addr = va_arg(*ap, void *);
        int r = converter(arg, addr);
        if (r == 0) return mismatch(p, "(unspecified)", arg);
        if (r == Py_CLEANUP_SUPPORTED && add_cleanup(p, converter, addr) < 0)
            return mismatch(p, "(cleanup problem)", arg);
        return NULL;
    }
    PyObject **out = va_arg(*ap, PyObject **);
    *out = arg;
    return NULL;
}

/* One unit that is not a nested tuple. */
static const char *convert_simple(Parser *p, const char **format, PyObject *arg) {
    va_list *ap = p->ap;
    char unit = *(*format)++;
    switch (unit) {
    case 'b': case 'B': case 'h': case 'H': case 'i': case 'I':
    case 'l': case 'k': case 'L': case 'K': case 'n':
        return convert_integer(p, unit, arg);
    case 'f': case 'd': {
        double v = PyFloat_AsDouble(arg);
        if (unit == 'f') {
            float *out = va_arg(*ap, float *);
            if (v == -1.0 && PyErr_Occurred()) return raised(p);
            *out = (float)v;
        } else {
            double *out = va_arg(*ap, double *);
            if (v == -1.0 && PyErr_Occurred()) return raised(p);
            *out = v;
        }
        return NULL;
    }
    case 'D':
        (void)va_arg(*ap, void *);
        return mismatch(p, "(format unit 'D' is not supported: no complex type)", arg);
    case 'c': {
        char *out = va_arg(*ap, char *);
        if (!PyBytes_Check(arg) || PyBytes_GET_SIZE(arg) != 1) return mismatch(p, "a byte string of length 1", arg);
        *out = PyBytes_AS_STRING(arg)[0];
        return NULL;
    }
    case 'C': {
        int *out = va_arg(*ap, int *);
        if (!PyUnicode_Check(arg) || PyUnicode_GetLength(arg) != 1) return mismatch(p, "a unicode character", arg);
        *out = (int)PyUnicode_ReadChar(arg, 0);
        return NULL;
    }
    case 'p': {
        int *out = va_arg(*ap, int *);
        int truth = PyObject_IsTrue(arg);
        if (truth < 0) return raised(p);
        *out = truth;
        return NULL;
    }
    case 's': case 'z':
        return convert_text(p, unit, format, arg);
    case 'y':
        return convert_bytes_data(p, format, arg);
    case 'e':
        return convert_encoded(p, format, arg);
    case 'S': case 'Y': case 'U': {
        PyObject **out = va_arg(*ap, PyObject **);
        int ok = unit == 'S' ? PyBytes_Check(arg) : unit == 'U' ? PyUnicode_Check(arg) : 0;
        if (!ok) return mismatch(p, unit == 'S' ? "bytes" : unit == 'U' ? "str" : "bytearray", arg);
        *out = arg;
        return NULL;
    }
    case 'O':
        return convert_object(p, format, arg);
    case 'w':
        if (**format == '*') {
            (*format)++;
            return convert_view(p, 'w', arg);
        }
        (void)va_arg(*ap, void *);
        return mismatch(p, "(invalid use of 'w' format character)", arg);
    }
    return mismatch(p, "(impossible<bad format char>)", arg);
}

/* How many units a "(...)" group holds; `format` points after its '('. */
static int group_size(const char *format) {
    int depth = 0, n = 0;
    for (;; format++) {
        char c = *format;
        if (c == '(') {
            if (depth == 0) n++;
            depth++;
        } else if (c == ')') {
            if (depth == 0) return n;
            depth--;
        } else if (c == '\0' || c == ':' || c == ';') {
            return n;
        } else if (depth == 0 && is_unit_letter(c) && c != 'e') {
            n++;
        }
    }
}

static const char *convert_item(Parser *p, const char **format, PyObject *arg, int *levels);

/* A nested "(...)" unit: the items of a tuple or list, each converted in turn. */
static const char *convert_group(Parser *p, const char **format, PyObject *arg, int *levels) {
    int n = group_size(*format);
    if (!PyTuple_Check(arg) && !PyList_Check(arg)) {
        levels[0] = 0;
        snprintf(p->message, MESSAGE_SIZE, "must be %d-item sequence, not %.50s", n, type_name_of(arg));
        return p->message;
    }
    Py_ssize_t len = PyTuple_Check(arg) ? PyTuple_GET_SIZE(arg) : PyList_GET_SIZE(arg);
    if (len != n) {
        levels[0] = 0;
        snprintf(p->message, MESSAGE_SIZE, "must be sequence of length %d, not %zd", n, len);
        return p->message;
    }
    for (int i = 0; i < n; i++) {
        PyObject *item = PyTuple_Check(arg) ? PyTuple_GET_ITEM(arg, i) : PyList_GET_ITEM(arg, i);
        Py_INCREF(item);
        const char *msg = convert_item(p, format, item, levels + 1);
        Py_DECREF(item);
        if (msg != NULL) {
            levels[0] = i + 1;
            return msg;
        }
    }
    if (**format == ')') (*format)++;
    return NULL;
}

/* Converts `arg` by the unit at *format and moves past it; NULL on success, else a
 * message ("must be ..."; an exception may be set already). `levels` receives the
 * item path into nested groups, 0-terminated. */
static const char *convert_item(Parser *p, const char **format, PyObject *arg, int *levels) {
    if (**format == '(') {
        (*format)++;
        return convert_group(p, format, arg, levels);
    }
    levels[0] = 0;
    return convert_simple(p, format, arg);
}

/* Raises the error for argument `index` (1-based; 0 for a lone argument) unless
 * a conversion already raised one. A custom message (after ';') replaces ours. */
static void report(Py_ssize_t index, const char *msg, const int *levels, const char *fname, const char *custom) {
    if (PyErr_Occurred()) return;
    char text[MESSAGE_SIZE];
    if (custom == NULL) {
        int used = 0;
        if (fname != NULL) used += snprintf(text + used, sizeof text - (size_t)used, "%.200s() ", fname);
        if (index != 0) {
            used += snprintf(text + used, sizeof text - (size_t)used, "argument %zd", index);
            for (int i = 0; i < MAX_LEVELS && levels[i] > 0 && used < 220; i++)
                used += snprintf(text + used, sizeof text - (size_t)used, ", item %d", levels[i] - 1);
        } else {
            used += snprintf(text + used, sizeof text - (size_t)used, "argument");
        }
        snprintf(text + used, sizeof text - (size_t)used, " %.256s", msg);
        custom = text;
    }
    PyErr_SetString(msg[0] == '(' ? PyExc_SystemError : PyExc_TypeError, custom);
}

/* What a format says about itself: its function name (after ':') or custom error
 * message (after ';'), and how many units it has, how many of them required. */
typedef struct {
    const char *fname, *custom;
    int min, max;
} Shape;

static int scan_format(const char *format, Shape *s) {
    int depth = 0;
    s->fname = s->custom = NULL;
    s->min = -1;
    s->max = 0;
    for (const char *f = format;; f++) {
        switch (*f) {
        case '\0':
            goto done;
        case ':':
            s->fname = f + 1;
            goto done;
        case ';':
            s->custom = f + 1;
            goto done;
        case '(':
            if (depth == 0) s->max++;
            if (++depth >= 30) {
                PyErr_SetString(PyExc_SystemError, "too many tuple nesting levels in argument format string");
                return -1;
            }
            break;
        case ')':
            if (depth == 0) {
                PyErr_SetString(PyExc_SystemError, "excess ')' in getargs format");
                return -1;
            }
            depth--;
            break;
        case '|':
            if (depth == 0) s->min = s->max;
            break;
        case 'e': /* es, et: the 's' or 't' after it is the unit */
            break;
        default:
            if (depth == 0 && is_unit_letter(*f)) s->max++;
        }
    }
done:
    if (depth != 0) {
        PyErr_SetString(PyExc_SystemError, "missing ')' in getargs format");
        return -1;
    }
    if (s->min < 0) s->min = s->max;
    return 0;
}

static const char *name_or(const char *fname, const char *otherwise) { return fname ? fname : otherwise; }
static const char *parens(const char *fname) { return fname ? "()" : ""; }

/* PyArg_ParseTuple's core over `nargs` arguments. */
static int parse_positional(PyObject *const *args, Py_ssize_t nargs, const char *format, va_list *ap) {
    Shape s;
    if (scan_format(format, &s) < 0) return 0;
    if (nargs < s.min || nargs > s.max) {
        if (s.custom != NULL) {
            PyErr_SetString(PyExc_TypeError, s.custom);
        } else {
            int bound = nargs < s.min ? s.min : s.max;
            isle_PyErr_Format(PyExc_TypeError, "%.150s%s takes %s %d argument%s (%zd given)",
                              name_or(s.fname, "function"), parens(s.fname),
                              s.min == s.max ? "exactly" : nargs < s.min ? "at least" : "at most", bound,
                              bound == 1 ? "" : "s", nargs);
        }
        return 0;
    }
    Parser p;
    parser_init(&p, ap);
    int levels[MAX_LEVELS + 1];
    const char *f = format;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        if (*f == '|') f++;
        const char *msg = convert_item(&p, &f, args[i], levels);
        if (msg != NULL) {
            report(i + 1, msg, levels, s.fname, s.custom);
            return finish(&p, 0);
        }
    }
    if (*f != '\0' && !is_unit_letter(*f) && *f != '(' && *f != '|' && *f != ':' && *f != ';') {
        isle_PyErr_Format(PyExc_SystemError, "bad format string: %.200s", format);
        return finish(&p, 0);
    }
    return finish(&p, 1);
}

static int parse_tuple(PyObject *args, const char *format, va_list *ap) {
    if (args == NULL || format == NULL) {
        PyErr_BadInternalCall();
        return 0;
    }
    if (!PyTuple_Check(args)) {
        PyErr_SetString(PyExc_SystemError, "new style getargs format but argument is not a tuple");
        return 0;
    }
    return parse_positional(&PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args), format, ap);
}

int isle_PyArg_ParseTuple(PyObject *args, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int r = parse_tuple(args, format, &ap);
    va_end(ap);
    return r;
}

int isle_PyArg_VaParse(PyObject *args, const char *format, va_list va) {
    va_list ap;
    va_copy(ap, va);
    int r = parse_tuple(args, format, &ap);
    va_end(ap);
    return r;
}

/* PyArg_Parse: the old convention, where `arg` is the single argument itself. */
static int parse_single(PyObject *arg, const char *format, va_list *ap) {
    Shape s;
    if (format == NULL) {
        PyErr_BadInternalCall();
        return 0;
    }
    if (scan_format(format, &s) < 0) return 0;
    if (s.max == 0) {
        if (arg == NULL) return 1;
        isle_PyErr_Format(PyExc_TypeError, "%.200s%s takes no arguments", name_or(s.fname, "function"),
                          parens(s.fname));
        return 0;
    }
    if (s.min != 1 || s.max != 1) {
        PyErr_SetString(PyExc_SystemError, "old style getargs format uses new features");
        return 0;
    }
    if (arg == NULL) {
        isle_PyErr_Format(PyExc_TypeError, "%.200s%s takes at least one argument", name_or(s.fname, "function"),
                          parens(s.fname));
        return 0;
    }
    Parser p;
    parser_init(&p, ap);
    int levels[MAX_LEVELS + 1];
    const char *f = format;
    const char *msg = convert_item(&p, &f, arg, levels);
    if (msg == NULL) return finish(&p, 1);
    report(levels[0], msg, levels + 1, s.fname, s.custom);
    return finish(&p, 0);
}

int isle_PyArg_Parse(PyObject *arg, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int r = parse_single(arg, format, &ap);
    va_end(ap);
    return r;
}

/* Moves past one unit without converting, consuming its outputs from the va_list;
 * NULL, or what is wrong with the format. */
static const char *skip_item(const char **format, va_list *ap) {
    char unit = *(*format)++;
    switch (unit) {
    case 'b': case 'B': case 'h': case 'H': case 'i': case 'I': case 'l': case 'k':
    case 'L': case 'K': case 'n': case 'f': case 'd': case 'D': case 'c': case 'C':
    case 'p': case 'S': case 'Y': case 'U':
        (void)va_arg(*ap, void *);
        return NULL;
    case 'e':
        (void)va_arg(*ap, const char *);
        if (**format != 's' && **format != 't') return "impossible<bad format char>";
        (*format)++;
        /* the buffer, and its size with '#', as for the units below */
        __attribute__((fallthrough));
    case 's': case 'z': case 'y': case 'w':
        (void)va_arg(*ap, void *);
        if (**format == '#') {
            (void)va_arg(*ap, Py_ssize_t *);
            (*format)++;
        } else if (**format == '*') {
            (*format)++;
        }
        return NULL;
    case 'O':
        if (**format == '!' || **format == '&') {
            (void)va_arg(*ap, void *);
            (*format)++;
        }
        (void)va_arg(*ap, void *);
        return NULL;
    case '(':
        while (**format != ')') {
            if (**format == '\0' || **format == ':' || **format == ';') return "Unmatched left paren in format string";
            const char *msg = skip_item(format, ap);
            if (msg != NULL) return msg;
        }
        (*format)++;
        return NULL;
    case ')':
        return "Unmatched right paren in format string";
    }
    return "impossible<bad format char>";
}

static int is_end_of_format(char c) { return c == '\0' || c == ';' || c == ':'; }

/* The argument for parameter `name`, borrowed: from `kwargs`, or NULL. */
static PyObject *keyword_argument(PyObject *kwargs, const char *name, int *failed) {
    PyObject *v = NULL;
    int found = PyDict_GetItemStringRef(kwargs, name, &v);
    if (found < 0) {
        *failed = 1;
        return NULL;
    }
    if (found == 0) return NULL;
    Py_DECREF(v); /* the dict keeps it alive for the whole parse */
    return v;
}

/* "Did you mean" for a mistyped keyword, as CPython chooses it: the parameter name
 * nearest by an edit distance where inserting, deleting or replacing a character
 * costs 2 and changing only its case costs 1, if no more than about a third of
 * the characters involved need changing. Names longer than 40 characters (once a
 * common prefix and suffix are set aside) are never suggested. */
#define EDIT_COST 2
#define CASE_EDIT_COST 1
#define MAX_SUGGESTED_LENGTH 40

static size_t replace_cost(char a, char b) {
    if (a == b) return 0;
    char la = (a >= 'A' && a <= 'Z') ? (char)(a + 32) : a;
    char lb = (b >= 'A' && b <= 'Z') ? (char)(b + 32) : b;
    return la == lb ? CASE_EDIT_COST : EDIT_COST;
}

/* The distance between a and b, or anything above `limit` when it exceeds it. */
static size_t edit_distance(const char *a, size_t na, const char *b, size_t nb, size_t limit) {
    while (na && nb && a[0] == b[0]) a++, b++, na--, nb--;
    while (na && nb && a[na - 1] == b[nb - 1]) na--, nb--;
    if (na == 0 || nb == 0) return (na + nb) * EDIT_COST;
    if (na > MAX_SUGGESTED_LENGTH || nb > MAX_SUGGESTED_LENGTH) return limit + 1;
    size_t row[MAX_SUGGESTED_LENGTH + 1];
    for (size_t j = 0; j <= nb; j++) row[j] = j * EDIT_COST;
    for (size_t i = 1; i <= na; i++) {
        size_t diagonal = row[0], best_in_row;
        row[0] = i * EDIT_COST;
        best_in_row = row[0];
        for (size_t j = 1; j <= nb; j++) {
            size_t above = row[j];
            size_t cost = diagonal + replace_cost(a[i - 1], b[j - 1]);
            size_t by_edit = (above < row[j - 1] ? above : row[j - 1]) + EDIT_COST;
            row[j] = cost < by_edit ? cost : by_edit;
            diagonal = above;
            if (row[j] < best_in_row) best_in_row = row[j];
        }
        if (best_in_row > limit) return limit + 1;
    }
    return row[nb];
}

/* The parameter of kwlist[from..to) to suggest for `key`, or NULL. */
static const char *suggest_keyword(PyObject *key, char **kwlist, int from, int to) {
    Py_ssize_t n;
    const char *name = PyUnicode_AsUTF8AndSize(key, &n);
    if (name == NULL) {
        PyErr_Clear();
        return NULL;
    }
    const char *best = NULL;
    size_t best_distance = (size_t)-1;
    for (int i = from; i < to; i++) {
        size_t m = strlen(kwlist[i]);
        if ((size_t)n == m && memcmp(name, kwlist[i], m) == 0) continue;
        size_t limit = ((size_t)n + m + 3) * EDIT_COST / 6;
        if (best != NULL && best_distance - 1 < limit) limit = best_distance - 1;
        size_t d = edit_distance(name, (size_t)n, kwlist[i], m, limit);
        if (d > limit) continue;
        if (best == NULL || d < best_distance) {
            best = kwlist[i];
            best_distance = d;
        }
    }
    return best;
}

/* After every parameter took its value: the keywords left over are either given
 * twice (by name and by position) or unknown. Raises and returns 0. */
static int reject_extra_keywords(PyObject *args, PyObject *kwargs, char **kwlist, int positional_only,
                                 int total, const char *fname) {
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    int failed = 0;
    for (int i = positional_only; i < nargs && i < total; i++) {
        if (keyword_argument(kwargs, kwlist[i], &failed) != NULL) {
            isle_PyErr_Format(PyExc_TypeError, "argument for %.200s%s given by name ('%s') and position (%d)",
                              name_or(fname, "function"), parens(fname), kwlist[i], i + 1);
            return 0;
        }
        if (failed) return 0;
    }
    Py_ssize_t pos = 0;
    PyObject *key;
    while (PyDict_Next(kwargs, &pos, &key, NULL)) {
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "keywords must be strings");
            return 0;
        }
        int known = 0;
        for (int i = positional_only; i < total && !known; i++) known = PyUnicode_EqualToUTF8(key, kwlist[i]);
        if (!known) {
            const char *suggestion = suggest_keyword(key, kwlist, positional_only, total);
            if (suggestion != NULL)
                isle_PyErr_Format(PyExc_TypeError,
                                  "%.200s%s got an unexpected keyword argument '%S'. Did you mean '%s'?",
                                  name_or(fname, "this function"), parens(fname), key, suggestion);
            else
                isle_PyErr_Format(PyExc_TypeError, "%.200s%s got an unexpected keyword argument '%S'",
                                  name_or(fname, "this function"), parens(fname), key);
            return 0;
        }
    }
    isle_PyErr_Format(PyExc_TypeError, "invalid keyword argument for %.200s%s", name_or(fname, "this function"),
                      parens(fname));
    return 0;
}

/* PyArg_ParseTupleAndKeywords' core: the parameters of `kwlist` in order, each
 * from the positional arguments first, then (unless positional-only, an empty
 * name) from `kwargs`; '|' starts the optional ones, '$' the keyword-only ones. */
static int parse_keywords(PyObject *args, PyObject *kwargs, const char *format, char **kwlist, va_list *ap) {
    if (args == NULL || !PyTuple_Check(args) || (kwargs != NULL && !PyDict_Check(kwargs)) || format == NULL ||
        kwlist == NULL) {
        PyErr_BadInternalCall();
        return 0;
    }
    const char *fname = strchr(format, ':');
    const char *custom = NULL;
    if (fname != NULL) fname++;
    else if ((custom = strchr(format, ';')) != NULL) custom++;

    int positional_only = 0, total;
    while (kwlist[positional_only] != NULL && kwlist[positional_only][0] == '\0') positional_only++;
    for (total = positional_only; kwlist[total] != NULL; total++) {
        if (kwlist[total][0] == '\0') {
            PyErr_SetString(PyExc_SystemError, "Empty keyword parameter name");
            return 0;
        }
    }
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    Py_ssize_t nkwargs = kwargs == NULL ? 0 : PyDict_Size(kwargs);
    if (nargs + nkwargs > total) {
        isle_PyErr_Format(PyExc_TypeError, "%.200s%s takes at most %d %sargument%s (%zd given)",
                          name_or(fname, "function"), parens(fname), total, nargs == 0 ? "keyword " : "",
                          total == 1 ? "" : "s", nargs + nkwargs);
        return 0;
    }

    Parser p;
    parser_init(&p, ap);
    int levels[MAX_LEVELS + 1];
    int min = INT_MAX, max = INT_MAX;
    int missing_positional = 0; /* a positional-only one is missing: reported once | or $ are known */
    int i;
    for (i = 0; i < total; i++) {
        if (*format == '|') {
            if (min != INT_MAX) {
                PyErr_SetString(PyExc_SystemError, "Invalid format string (| specified twice)");
                return finish(&p, 0);
            }
            if (max != INT_MAX) {
                PyErr_SetString(PyExc_SystemError, "Invalid format string ($ before |)");
                return finish(&p, 0);
            }
            min = i;
            format++;
        }
        if (*format == '$') {
            if (max != INT_MAX) {
                PyErr_SetString(PyExc_SystemError, "Invalid format string ($ specified twice)");
                return finish(&p, 0);
            }
            max = i;
            format++;
            if (max < positional_only) {
                PyErr_SetString(PyExc_SystemError, "Empty parameter name after $");
                return finish(&p, 0);
            }
            if (missing_positional) break;
            if (max < nargs) {
                if (max == 0)
                    isle_PyErr_Format(PyExc_TypeError, "%.200s%s takes no positional arguments",
                                      name_or(fname, "function"), parens(fname));
                else
                    isle_PyErr_Format(PyExc_TypeError, "%.200s%s takes %s %d positional argument%s (%zd given)",
                                      name_or(fname, "function"), parens(fname),
                                      min != INT_MAX ? "at most" : "exactly", max, max == 1 ? "" : "s", nargs);
                return finish(&p, 0);
            }
        }
        if (is_end_of_format(*format)) {
            isle_PyErr_Format(PyExc_SystemError, "More keyword list entries (%d) than format specifiers (%d)",
                              total, i);
            return finish(&p, 0);
        }
        if (!missing_positional) {
            PyObject *arg = NULL;
            if (i < nargs) {
                arg = PyTuple_GET_ITEM(args, i);
            } else if (nkwargs > 0 && i >= positional_only) {
                int failed = 0;
                arg = keyword_argument(kwargs, kwlist[i], &failed);
                if (failed) return finish(&p, 0);
                if (arg != NULL) nkwargs--;
            }
            if (arg != NULL) {
                const char *msg = convert_item(&p, &format, arg, levels);
                if (msg != NULL) {
                    report(i + 1, msg, levels, fname, custom);
                    return finish(&p, 0);
                }
                continue;
            }
            if (i < min) {
                if (i < positional_only) {
                    missing_positional = 1;
                } else {
                    isle_PyErr_Format(PyExc_TypeError, "%.200s%s missing required argument '%s' (pos %d)",
                                      name_or(fname, "function"), parens(fname), kwlist[i], i + 1);
                    return finish(&p, 0);
                }
            }
            /* Every required parameter has its value and no keyword is left. */
            if (nkwargs == 0 && !missing_positional) return finish(&p, 1);
        }
        const char *bad = skip_item(&format, p.ap);
        if (bad != NULL) {
            isle_PyErr_Format(PyExc_SystemError, "%s: '%s'", bad, format);
            return finish(&p, 0);
        }
    }
    if (missing_positional) {
        int required = positional_only < min ? positional_only : min;
        isle_PyErr_Format(PyExc_TypeError, "%.200s%s takes %s %d positional argument%s (%zd given)",
                          name_or(fname, "function"), parens(fname), required < i ? "at least" : "exactly",
                          required, required == 1 ? "" : "s", nargs);
        return finish(&p, 0);
    }
    if (!is_end_of_format(*format) && *format != '|' && *format != '$') {
        isle_PyErr_Format(PyExc_SystemError,
                          "more argument specifiers than keyword list entries (remaining format:'%s')", format);
        return finish(&p, 0);
    }
    if (nkwargs > 0) {
        reject_extra_keywords(args, kwargs, kwlist, positional_only, total, fname);
        return finish(&p, 0);
    }
    return finish(&p, 1);
}

int isle_PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *kwargs, const char *format, char **kwlist, ...) {
    va_list ap;
    va_start(ap, kwlist);
    int r = parse_keywords(args, kwargs, format, kwlist, &ap);
    va_end(ap);
    return r;
}

int isle_PyArg_VaParseTupleAndKeywords(PyObject *args, PyObject *kwargs, const char *format, char **kwlist,
                                       va_list va) {
    va_list ap;
    va_copy(ap, va);
    int r = parse_keywords(args, kwargs, format, kwlist, &ap);
    va_end(ap);
    return r;
}

/* _PyArg_CheckPositional and PyArg_UnpackTuple's count check. */
int isle__PyArg_CheckPositional(const char *name, Py_ssize_t nargs, Py_ssize_t min, Py_ssize_t max) {
    if (nargs >= min && (nargs == 0 || nargs <= max)) return 1;
    int too_few = nargs < min;
    Py_ssize_t bound = too_few ? min : max;
    const char *qualifier = min == max ? "" : too_few ? "at least " : "at most ";
    if (name != NULL)
        isle_PyErr_Format(PyExc_TypeError, "%.200s expected %s%zd argument%s, got %zd", name, qualifier, bound,
                          bound == 1 ? "" : "s", nargs);
    else
        isle_PyErr_Format(PyExc_TypeError, "unpacked tuple should have %s%zd element%s, but has %zd", qualifier,
                          bound, bound == 1 ? "" : "s", nargs);
    return 0;
}

int isle_PyArg_UnpackTuple(PyObject *args, const char *name, Py_ssize_t min, Py_ssize_t max, ...) {
    if (args == NULL || !PyTuple_Check(args)) {
        PyErr_SetString(PyExc_SystemError, "PyArg_UnpackTuple() argument list is not a tuple");
        return 0;
    }
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (!isle__PyArg_CheckPositional(name, nargs, min, max)) return 0;
    va_list ap;
    va_start(ap, max);
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject **out = va_arg(ap, PyObject **);
        *out = PyTuple_GET_ITEM(args, i);
    }
    va_end(ap);
    return 1;
}

int isle_PyArg_ValidateKeywordArguments(PyObject *kwargs) {
    if (kwargs == NULL || !PyDict_Check(kwargs)) {
        PyErr_BadInternalCall();
        return 0;
    }
    Py_ssize_t pos = 0;
    PyObject *key;
    while (PyDict_Next(kwargs, &pos, &key, NULL)) {
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "keywords must be strings");
            return 0;
        }
    }
    return 1;
}

/* The names binaries built with PY_SSIZE_T_CLEAN against older headers import:
 * the same functions, since every '#' length is a Py_ssize_t either way. */
#define SAME_AS(name) __attribute__((alias(#name)))
int isle__PyArg_Parse_SizeT(PyObject *, const char *, ...) SAME_AS(isle_PyArg_Parse);
int isle__PyArg_ParseTuple_SizeT(PyObject *, const char *, ...) SAME_AS(isle_PyArg_ParseTuple);
int isle__PyArg_VaParse_SizeT(PyObject *, const char *, va_list) SAME_AS(isle_PyArg_VaParse);
int isle__PyArg_ParseTupleAndKeywords_SizeT(PyObject *, PyObject *, const char *, char **, ...)
    SAME_AS(isle_PyArg_ParseTupleAndKeywords);
int isle__PyArg_VaParseTupleAndKeywords_SizeT(PyObject *, PyObject *, const char *, char **, va_list)
    SAME_AS(isle_PyArg_VaParseTupleAndKeywords);
