/* Bodies of the variadic entry points (C, because stable Rust cannot read a
 * va_list). Each is exported under its CPython name by a trampoline in
 * src/capi/varargs.rs and calls back into the library only through the public API. */
#include "Python.h"

/* The bodies call each other directly rather than through the exported names. */
PyObject *isle_PyUnicode_FromFormat(const char *format, ...);
PyObject *isle_PyErr_Format(PyObject *exception, const char *format, ...);

/* ===================================================================== */
/* PyUnicode_FromFormatV                                                  */
/* ===================================================================== */

/* The text being built, as code points, so that widths and precisions count
 * characters and any str (lone surrogates included) can be copied in. */
typedef struct {
    Py_UCS4 *data;
    Py_ssize_t len, cap;
} Text;

static int text_reserve(Text *t, Py_ssize_t extra) {
    if (extra <= t->cap - t->len) return 0;
    Py_ssize_t cap = t->cap ? t->cap : 64;
    while (cap - t->len < extra) {
        if (cap > PY_SSIZE_T_MAX / 2 / (Py_ssize_t)sizeof(Py_UCS4)) {
            PyErr_NoMemory();
            return -1;
        }
        cap *= 2;
    }
    Py_UCS4 *p = PyMem_RawRealloc(t->data, (size_t)cap * sizeof(Py_UCS4));
    if (p == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    t->data = p;
    t->cap = cap;
    return 0;
}

static int text_fill(Text *t, Py_UCS4 ch, Py_ssize_t n) {
    if (n <= 0) return 0;
    if (text_reserve(t, n) < 0) return -1;
    for (Py_ssize_t i = 0; i < n; i++) t->data[t->len++] = ch;
    return 0;
}

static int text_put_ascii(Text *t, const char *s, Py_ssize_t n) {
    if (text_reserve(t, n) < 0) return -1;
    for (Py_ssize_t i = 0; i < n; i++) t->data[t->len++] = (unsigned char)s[i];
    return 0;
}

/* Appends every character of the str `s`. */
static int text_put_str(Text *t, PyObject *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (text_reserve(t, n) < 0) return -1;
    for (Py_ssize_t i = 0; i < n; i++) t->data[t->len++] = PyUnicode_READ_CHAR(s, i);
    return 0;
}

/* Appends the str `s` with every non-ASCII character escaped, as ascii() does. */
static int text_put_str_ascii(Text *t, PyObject *s) {
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(s); i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(s, i);
        char esc[16];
        int n;
        if (ch < 0x80) { esc[0] = (char)ch; n = 1; }
        else if (ch <= 0xff) n = snprintf(esc, sizeof esc, "\\x%02x", (unsigned)ch);
        else if (ch <= 0xffff) n = snprintf(esc, sizeof esc, "\\u%04x", (unsigned)ch);
        else n = snprintf(esc, sizeof esc, "\\U%08x", (unsigned)ch);
        if (text_put_ascii(t, esc, n) < 0) return -1;
    }
    return 0;
}

/* One conversion specification: %[flags][width][.precision][length]conversion. */
typedef struct {
    int left;             /* '-': pad on the right */
    int zero;             /* '0': pad numbers with zeros */
    int alt;              /* '#': ':' between module and name in %T and %N */
    Py_ssize_t width;     /* -1: none */
    Py_ssize_t precision; /* -1: none */
    char size;            /* 0, 'l', 'q' (ll), 'z', 't' or 'j' */
    char conv;
} Spec;

/* Reads a decimal number of a spec; -1 with ValueError when it is absurdly large. */
static Py_ssize_t parse_count(const char **f, const char *what) {
    Py_ssize_t n = 0;
    while (**f >= '0' && **f <= '9') {
        if (n > (PY_SSIZE_T_MAX - 9) / 10) {
            isle_PyErr_Format(PyExc_ValueError, "%s too big", what);
            return -1;
        }
        n = n * 10 + (*(*f)++ - '0');
    }
    return n;
}

/* Parses the spec after a '%'. Returns the address of the conversion character, or
 * NULL with an exception set. */
static const char *parse_spec(const char *f, Spec *s, va_list *ap) {
    *s = (Spec){.width = -1, .precision = -1};
    for (;; f++) {
        if (*f == '-') s->left = 1;
        else if (*f == '0') s->zero = 1;
        else if (*f == '#') s->alt = 1;
        else break;
    }
    if (*f == '*') {
        int w = va_arg(*ap, int);
        if (w < 0) { s->left = 1; w = -w; }
        s->width = w;
        f++;
    } else if (*f >= '0' && *f <= '9') {
        if ((s->width = parse_count(&f, "width")) < 0) return NULL;
    }
    if (*f == '.') {
        f++;
        if (*f == '*') {
            int p = va_arg(*ap, int);
            s->precision = p < 0 ? -1 : p;
            f++;
        } else if ((s->precision = parse_count(&f, "precision")) < 0) {
            return NULL;
        }
    }
    if (*f == 'l') {
        f++;
        s->size = 'l';
        if (*f == 'l') { f++; s->size = 'q'; }
    } else if (*f == 'z' || *f == 't' || *f == 'j') {
        s->size = *f++;
    }
    s->conv = *f;
    return f;
}

/* Whether the flags and length modifier suit the conversion. */
static int spec_is_valid(const Spec *s) {
    if (s->conv == '\0') return 0;
    if (s->alt && s->conv != 'T' && s->conv != 'N') return 0;
    if (s->size == 0) return strchr("cdiuoxXpsUVSRATN", s->conv) != NULL;
    if (s->size == 'l' && (s->conv == 's' || s->conv == 'V')) return 1;
    return strchr("diuoxX", s->conv) != NULL;
}

/* Cuts the text appended since `start` to `precision` characters (-1: no cut) and
 * pads it with spaces to the width of the spec. */
static int finish_field(Text *t, Py_ssize_t start, Py_ssize_t precision, const Spec *s) {
    Py_ssize_t n = t->len - start;
    if (precision >= 0 && n > precision) {
        t->len = start + precision;
        n = precision;
    }
    if (s->width <= n) return 0;
    Py_ssize_t pad = s->width - n;
    if (text_fill(t, ' ', pad) < 0) return -1;
    if (!s->left) {
        memmove(t->data + start + pad, t->data + start, (size_t)n * sizeof(Py_UCS4));
        for (Py_ssize_t i = 0; i < pad; i++) t->data[start + i] = ' ';
    }
    return 0;
}

/* Reads an integer argument of the spec's type: its magnitude and sign. */
static uintmax_t integer_arg(const Spec *s, va_list *ap, int *negative) {
    *negative = 0;
    if (s->conv == 'd' || s->conv == 'i') {
        intmax_t v;
        switch (s->size) {
        case 'l': v = va_arg(*ap, long); break;
        case 'q': v = va_arg(*ap, long long); break;
        case 'z': v = va_arg(*ap, Py_ssize_t); break;
        case 't': v = va_arg(*ap, ptrdiff_t); break;
        case 'j': v = va_arg(*ap, intmax_t); break;
        default: v = va_arg(*ap, int); break;
        }
        *negative = v < 0;
        return *negative ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
    }
    switch (s->size) {
    case 'l': return va_arg(*ap, unsigned long);
    case 'q': return va_arg(*ap, unsigned long long);
    case 'z': return va_arg(*ap, size_t);
    case 't': return (size_t)va_arg(*ap, ptrdiff_t);
    case 'j': return va_arg(*ap, uintmax_t);
    default: return va_arg(*ap, unsigned int);
    }
}

/* %d %i %u %o %x %X: the precision is a minimum number of digits; '0' pads with
 * zeros after the sign (unless '-' or a precision is given), as printf does. */
static int put_integer(Text *t, const Spec *s, va_list *ap) {
    int negative;
    uintmax_t magnitude = integer_arg(s, ap, &negative);
    const char *fmt = s->conv == 'o' ? "%jo" : s->conv == 'x' ? "%jx" : s->conv == 'X' ? "%jX" : "%ju";
    char digits[72];
    Py_ssize_t ndigits = 0;
    if (!(s->precision == 0 && magnitude == 0)) ndigits = snprintf(digits, sizeof digits, fmt, magnitude);
    Py_ssize_t zeros = s->precision > ndigits ? s->precision - ndigits : 0;
    if (s->zero && !s->left && s->precision < 0 && s->width > negative + ndigits)
        zeros = s->width - negative - ndigits;
    Py_ssize_t start = t->len;
    if (negative && text_put_ascii(t, "-", 1) < 0) return -1;
    if (text_fill(t, '0', zeros) < 0 || text_put_ascii(t, digits, ndigits) < 0) return -1;
    return finish_field(t, start, -1, s);
}

/* %c: a code point given as an int. */
static int put_char_arg(Text *t, va_list *ap) {
    int ch = va_arg(*ap, int);
    if (ch < 0 || ch > 0x10ffff) {
        PyErr_SetString(PyExc_OverflowError, "character argument not in range(0x110000)");
        return -1;
    }
    return text_fill(t, (Py_UCS4)ch, 1);
}

/* %p: always with a 0x prefix, whatever the C library's printf does. */
static int put_pointer(Text *t, const Spec *s, va_list *ap) {
    char buf[32];
    int n = snprintf(buf, sizeof buf, "0x%jx", (uintmax_t)(uintptr_t)va_arg(*ap, void *));
    Py_ssize_t start = t->len;
    if (text_put_ascii(t, buf, n) < 0) return -1;
    return finish_field(t, start, -1, s);
}

/* Appends a str made by the caller (a new reference, or NULL on error), padded. */
static int put_new_str(Text *t, const Spec *s, PyObject *str, Py_ssize_t precision) {
    if (str == NULL) return -1;
    Py_ssize_t start = t->len;
    int r = text_put_str(t, str);
    Py_DECREF(str);
    return r < 0 ? -1 : finish_field(t, start, precision, s);
}

/* %s (or %V without an object): UTF-8 bytes, at most `precision` of them, with
 * undecodable bytes replaced. */
static int put_utf8(Text *t, const Spec *s, const char *str) {
    if (str == NULL) str = "(null)";
    Py_ssize_t n = 0;
    if (s->precision < 0) n = (Py_ssize_t)strlen(str);
    else while (n < s->precision && str[n]) n++;
    return put_new_str(t, s, PyUnicode_DecodeUTF8(str, n, "replace"), -1);
}

/* %ls (or %lV without an object): a wide string, at most `precision` units of it. */
static int put_wide(Text *t, const Spec *s, const wchar_t *str) {
    if (str == NULL) str = L"(null)";
    Py_ssize_t n = 0;
    if (s->precision < 0) n = (Py_ssize_t)wcslen(str);
    else while (n < s->precision && str[n]) n++;
    return put_new_str(t, s, PyUnicode_FromWideChar(str, n), -1);
}

/* %U: a str object; the precision counts characters. */
static int put_str_arg(Text *t, const Spec *s, PyObject *str) {
    if (str == NULL || !PyUnicode_Check(str)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return put_new_str(t, s, Py_NewRef(str), s->precision);
}

/* %V: a str object, or when it is NULL the C string that follows it. */
static int put_str_or_text(Text *t, const Spec *s, va_list *ap) {
    PyObject *obj = va_arg(*ap, PyObject *);
    if (s->size == 'l') {
        const wchar_t *text = va_arg(*ap, const wchar_t *);
        if (obj != NULL) return put_str_arg(t, s, obj);
        if (text == NULL) { PyErr_BadInternalCall(); return -1; }
        return put_wide(t, s, text);
    }
    const char *text = va_arg(*ap, const char *);
    if (obj != NULL) return put_str_arg(t, s, obj);
    if (text == NULL) { PyErr_BadInternalCall(); return -1; }
    return put_utf8(t, s, text);
}

/* %S, %R, %A: str(), repr() or ascii() of an object. */
static int put_object(Text *t, const Spec *s, PyObject *obj) {
    PyObject *str = s->conv == 'S' ? PyObject_Str(obj) : PyObject_Repr(obj);
    if (str == NULL) return -1;
    Py_ssize_t start = t->len;
    int r = s->conv == 'A' ? text_put_str_ascii(t, str) : text_put_str(t, str);
    Py_DECREF(str);
    return r < 0 ? -1 : finish_field(t, start, s->precision, s);
}

/* The fully qualified name of a type: tp_name for static types, "module.qualname"
 * (or "module:qualname") for heap types outside builtins and __main__. */
static PyObject *type_full_name(PyTypeObject *type, int colon) {
    if (!(type->tp_flags & Py_TPFLAGS_HEAPTYPE)) return PyUnicode_FromString(type->tp_name);
    PyObject *qualname = PyObject_GetAttrString((PyObject *)type, "__qualname__");
    if (qualname == NULL) return NULL;
    PyObject *module = PyObject_GetAttrString((PyObject *)type, "__module__");
    if (module == NULL) {
        Py_DECREF(qualname);
        return NULL;
    }
    PyObject *name;
    if (PyUnicode_Check(module) && PyUnicode_Check(qualname) && !PyUnicode_EqualToUTF8(module, "builtins") &&
        !PyUnicode_EqualToUTF8(module, "__main__"))
        name = isle_PyUnicode_FromFormat(colon ? "%U:%U" : "%U.%U", module, qualname);
    else
        name = Py_NewRef(qualname);
    Py_DECREF(module);
    Py_DECREF(qualname);
    return name;
}

/* %T: the type of an object; %N: a type object. */
static int put_type_name(Text *t, const Spec *s, PyObject *arg) {
    if (arg == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    if (s->conv == 'N' && !PyType_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "%N argument must be a type");
        return -1;
    }
    PyTypeObject *type = s->conv == 'T' ? Py_TYPE(arg) : (PyTypeObject *)arg;
    return put_new_str(t, s, type_full_name(type, s->alt), s->precision);
}

static int invalid_format(const char *spec) {
    isle_PyErr_Format(PyExc_SystemError, "invalid format string: %s", spec);
    return -1;
}

/* Formats one conversion; `spec` is where it starts (its '%'). */
static int convert(Text *t, const Spec *s, const char *spec, va_list *ap) {
    if (!spec_is_valid(s)) return invalid_format(spec);
    switch (s->conv) {
    case 'c': return put_char_arg(t, ap);
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': return put_integer(t, s, ap);
    case 'p': return put_pointer(t, s, ap);
    case 's':
        if (s->size == 'l') return put_wide(t, s, va_arg(*ap, const wchar_t *));
        return put_utf8(t, s, va_arg(*ap, const char *));
    case 'U': return put_str_arg(t, s, va_arg(*ap, PyObject *));
    case 'V': return put_str_or_text(t, s, ap);
    case 'S': case 'R': case 'A': return put_object(t, s, va_arg(*ap, PyObject *));
    case 'T': case 'N': return put_type_name(t, s, va_arg(*ap, PyObject *));
    default: return invalid_format(spec);
    }
}

static int format_text(Text *t, const char *f, va_list *ap) {
    while (*f) {
        if (*f != '%') {
            const char *start = f;
            while (*f && *f != '%') f++;
            if (text_put_ascii(t, start, f - start) < 0) return -1;
            continue;
        }
        if (f[1] == '%') {
            if (text_put_ascii(t, "%", 1) < 0) return -1;
            f += 2;
            continue;
        }
        Spec s;
        const char *conv = parse_spec(f + 1, &s, ap);
        if (conv == NULL || convert(t, &s, f, ap) < 0) return -1;
        f = conv + 1;
    }
    return 0;
}

static int check_ascii_format(const char *format) {
    for (const char *f = format; *f; f++) {
        if ((unsigned char)*f >= 0x80) {
            isle_PyErr_Format(PyExc_ValueError,
                         "PyUnicode_FromFormatV() expects an ASCII-encoded format string, "
                         "got a non-ASCII byte: 0x%02x",
                         (unsigned char)*f);
            return -1;
        }
    }
    return 0;
}

PyObject *isle_PyUnicode_FromFormatV(const char *format, va_list vargs) {
    if (format == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    if (check_ascii_format(format) < 0) return NULL;
    Text t = {0};
    va_list ap;
    va_copy(ap, vargs);
    int r = format_text(&t, format, &ap);
    va_end(ap);
    PyObject *out = r < 0 ? NULL : PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, t.data, t.len);
    PyMem_RawFree(t.data);
    return out;
}

PyObject *isle_PyUnicode_FromFormat(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    PyObject *r = isle_PyUnicode_FromFormatV(format, ap);
    va_end(ap);
    return r;
}

/* ===================================================================== */
/* PyBytes_FromFormatV                                                    */
/* ===================================================================== */

/* A growable byte buffer, freed by the caller. */
typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static int buf_put(Buf *b, const char *s, size_t n) {
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap - b->len < n) {
            if (cap > (size_t)PY_SSIZE_T_MAX / 2) {
                PyErr_NoMemory();
                return -1;
            }
            cap *= 2;
        }
        char *p = PyMem_RawRealloc(b->data, cap);
        if (p == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return 0;
}

/* %d %u %i %x of PyBytes_FromFormat: 'l' and 'z' only go with d and u. */
static int put_bytes_integer(Buf *b, char size, char conv, va_list *ap) {
    char num[32];
    int n;
    if (conv == 'd' || conv == 'i') {
        long long v = size == 'l' ? va_arg(*ap, long) : size == 'z' ? va_arg(*ap, Py_ssize_t) : va_arg(*ap, int);
        n = snprintf(num, sizeof num, "%lld", v);
    } else {
        unsigned long long v = size == 'l' ? va_arg(*ap, unsigned long)
                             : size == 'z' ? va_arg(*ap, size_t)
                                           : va_arg(*ap, unsigned int);
        n = snprintf(num, sizeof num, conv == 'x' ? "%llx" : "%llu", v);
    }
    return buf_put(b, num, (size_t)n);
}

/* Walks a PyBytes_FromFormat format. The width is read and ignored and the precision
 * only limits %s, as in CPython; an unknown conversion copies the rest of the format
 * as is and ends the formatting. */
static int format_bytes(Buf *b, const char *f, va_list *ap) {
    while (*f) {
        if (*f != '%') {
            const char *start = f;
            while (*f && *f != '%') f++;
            if (buf_put(b, start, (size_t)(f - start)) < 0) return -1;
            continue;
        }
        const char *spec = f++;
        while (*f >= '0' && *f <= '9') f++;
        Py_ssize_t precision = 0;
        if (*f == '.') {
            for (f++; *f >= '0' && *f <= '9'; f++) {
                if (precision < PY_SSIZE_T_MAX / 10 - 9) precision = precision * 10 + (*f - '0');
            }
        }
        while (*f && *f != '%' && !((*f >= 'a' && *f <= 'z') || (*f >= 'A' && *f <= 'Z'))) f++;
        char size = 0;
        if ((*f == 'l' || *f == 'z') && (f[1] == 'd' || f[1] == 'u')) size = *f++;
        switch (*f) {
        case '%':
            if (buf_put(b, "%", 1) < 0) return -1;
            break;
        case 'c': {
            int c = va_arg(*ap, int);
            if (c < 0 || c > 255) {
                PyErr_SetString(PyExc_OverflowError, "PyBytes_FromFormatV(): %c format expects an integer in [0,255]");
                return -1;
            }
            char ch = (char)c;
            if (buf_put(b, &ch, 1) < 0) return -1;
            break;
        }
        case 'd': case 'u': case 'i': case 'x':
            if (put_bytes_integer(b, size, *f, ap) < 0) return -1;
            break;
        case 's': {
            const char *s = va_arg(*ap, const char *);
            if (s == NULL) s = "(null)";
            size_t n = 0;
            if (precision <= 0) n = strlen(s);
            else while ((Py_ssize_t)n < precision && s[n]) n++;
            if (buf_put(b, s, n) < 0) return -1;
            break;
        }
        case 'p': {
            char num[32];
            int n = snprintf(num, sizeof num, "0x%jx", (uintmax_t)(uintptr_t)va_arg(*ap, void *));
            if (buf_put(b, num, (size_t)n) < 0) return -1;
            break;
        }
        default:
            return buf_put(b, spec, strlen(spec));
        }
        f++;
    }
    return 0;
}

PyObject *isle_PyBytes_FromFormatV(const char *format, va_list vargs) {
    if (format == NULL) {
        PyErr_BadInternalCall();
        return NULL;
    }
    Buf b = {0};
    va_list ap;
    va_copy(ap, vargs);
    int r = format_bytes(&b, format, &ap);
    va_end(ap);
    PyObject *out = r < 0 ? NULL : PyBytes_FromStringAndSize(b.data ? b.data : "", (Py_ssize_t)b.len);
    PyMem_RawFree(b.data);
    return out;
}

PyObject *isle_PyBytes_FromFormat(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    PyObject *r = isle_PyBytes_FromFormatV(format, ap);
    va_end(ap);
    return r;
}

/* ===================================================================== */
/* Errors and tuples                                                      */
/* ===================================================================== */

PyObject *isle_PyErr_FormatV(PyObject *exception, const char *format, va_list vargs) {
    PyObject *msg = isle_PyUnicode_FromFormatV(format, vargs);
    if (msg != NULL) {
        PyErr_SetObject(exception, msg);
        Py_DECREF(msg);
    }
    return NULL;
}

PyObject *isle_PyErr_Format(PyObject *exception, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    isle_PyErr_FormatV(exception, format, ap);
    va_end(ap);
    return NULL;
}

PyObject *isle_PyTuple_Pack(Py_ssize_t n, ...) {
    if (n < 0) { PyErr_BadInternalCall(); return NULL; }
    PyObject *t = PyTuple_New(n);
    if (t == NULL) return NULL;
    va_list ap;
    va_start(ap, n);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = va_arg(ap, PyObject *);
        if (o == NULL) {
            va_end(ap);
            Py_DECREF(t);
            PyErr_BadInternalCall();
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, Py_NewRef(o));
    }
    va_end(ap);
    return t;
}

/* ===================================================================== */
/* PyOS_snprintf: the C library's, always NUL-terminated                  */
/* ===================================================================== */

int isle_PyOS_vsnprintf(char *str, size_t size, const char *format, va_list va) {
    if (str == NULL || size == 0 || format == NULL) return -1;
    va_list ap;
    va_copy(ap, va);
    int n = vsnprintf(str, size, format, ap);
    va_end(ap);
    str[size - 1] = '\0';
    return n;
}

int isle_PyOS_snprintf(char *str, size_t size, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int n = isle_PyOS_vsnprintf(str, size, format, ap);
    va_end(ap);
    return n;
}
