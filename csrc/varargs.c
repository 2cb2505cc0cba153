/* Bodies of the variadic entry points (C, because stable Rust cannot read a
 * va_list). Each is exported under its CPython name by a trampoline in
 * src/capi/varargs.rs and calls back into the library only through the public API. */
#include "Python.h"

/* A growable UTF-8 buffer, freed by the caller. */
typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} Buf;

static void buf_put(Buf *b, const char *s, size_t n) {
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = PyMem_RawRealloc(b->data, cap);
        if (p == NULL) { b->failed = 1; return; }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Appends the UTF-8 text of a str object, at most `precision` characters (-1: all). */
static int buf_put_str(Buf *b, PyObject *s, Py_ssize_t precision) {
    Py_ssize_t n;
    const char *text = PyUnicode_AsUTF8AndSize(s, &n);
    if (text == NULL) return -1;
    if (precision >= 0) {
        /* Count characters, not bytes: stop before the precision-th lead byte. */
        Py_ssize_t i = 0, chars = 0;
        while (i < n && chars < precision) {
            i++;
            while (i < n && ((unsigned char)text[i] & 0xC0) == 0x80) i++;
            chars++;
        }
        n = i;
    }
    buf_put(b, text, (size_t)n);
    return 0;
}

static int buf_put_object(Buf *b, PyObject *obj, char conv, Py_ssize_t precision) {
    PyObject *s = conv == 'S' ? PyObject_Str(obj) : PyObject_Repr(obj);
    if (s == NULL) return -1;
    int r = buf_put_str(b, s, precision);
    Py_DECREF(s);
    return r;
}

/* Walks a PyUnicode_FromFormat format. Returns 0, or -1 with an exception set. */
static int format_into(Buf *b, const char *f, va_list *ap) {
    for (; *f; f++) {
        if (*f != '%') {
            const char *start = f;
            while (f[1] && f[1] != '%') f++;
            buf_put(b, start, (size_t)(f - start + 1));
            continue;
        }
        const char *spec = f++;
        while (*f == '-' || *f == '0') f++;
        int width = -1;
        if (*f == '*') { width = va_arg(*ap, int); f++; }
        else if (*f >= '0' && *f <= '9') { width = 0; while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0'); }
        Py_ssize_t precision = -1;
        if (*f == '.') {
            f++;
            if (*f == '*') { precision = va_arg(*ap, int); f++; }
            else { precision = 0; while (*f >= '0' && *f <= '9') precision = precision * 10 + (*f++ - '0'); }
        }
        char size = 0;
        if (*f == 'l') { size = 'l'; f++; if (*f == 'l') { size = 'L'; f++; } }
        else if (*f == 'z') { size = 'z'; f++; }
        else if (*f == 't') { size = 't'; f++; }
        else if (*f == 'j') { size = 'j'; f++; }
        char tmp[128];
        int n = 0;
        switch (*f) {
        case '%':
            buf_put(b, "%", 1);
            break;
        case 'c': {
            int ch = va_arg(*ap, int);
            PyObject *s = PyUnicode_FromOrdinal(ch);
            if (s == NULL) return -1;
            int r = buf_put_str(b, s, -1);
            Py_DECREF(s);
            if (r < 0) return -1;
            break;
        }
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': {
            /* Rebuild a printf conversion from the spec we parsed. */
            char fmt[32];
            int flen = (int)(f - spec);
            if (flen > 20) flen = 20;
            memcpy(fmt, spec, (size_t)flen);
            fmt[flen] = '\0';
            /* Strip the length modifier we re-add explicitly. */
            char *m = fmt + flen;
            while (m > fmt && (m[-1] == 'l' || m[-1] == 'z' || m[-1] == 't' || m[-1] == 'j')) *--m = '\0';
            int is_signed = (*f == 'd' || *f == 'i');
            char conv[4] = {*f, 0};
            char full[40];
            switch (size) {
            case 'l': snprintf(full, sizeof full, "%sl%s", fmt, conv);
                n = is_signed ? snprintf(tmp, sizeof tmp, full, va_arg(*ap, long)) : snprintf(tmp, sizeof tmp, full, va_arg(*ap, unsigned long)); break;
            case 'L': snprintf(full, sizeof full, "%sll%s", fmt, conv);
                n = is_signed ? snprintf(tmp, sizeof tmp, full, va_arg(*ap, long long)) : snprintf(tmp, sizeof tmp, full, va_arg(*ap, unsigned long long)); break;
            case 'z': snprintf(full, sizeof full, "%sz%s", fmt, conv);
                n = is_signed ? snprintf(tmp, sizeof tmp, full, va_arg(*ap, Py_ssize_t)) : snprintf(tmp, sizeof tmp, full, va_arg(*ap, size_t)); break;
            case 't': snprintf(full, sizeof full, "%st%s", fmt, conv);
                n = snprintf(tmp, sizeof tmp, full, va_arg(*ap, ptrdiff_t)); break;
            case 'j': snprintf(full, sizeof full, "%sj%s", fmt, conv);
                n = is_signed ? snprintf(tmp, sizeof tmp, full, va_arg(*ap, intmax_t)) : snprintf(tmp, sizeof tmp, full, va_arg(*ap, uintmax_t)); break;
            default: snprintf(full, sizeof full, "%s%s", fmt, conv);
                n = is_signed ? snprintf(tmp, sizeof tmp, full, va_arg(*ap, int)) : snprintf(tmp, sizeof tmp, full, va_arg(*ap, unsigned int)); break;
            }
            buf_put(b, tmp, (size_t)(n < 0 ? 0 : n));
            break;
        }
        case 'p':
            n = snprintf(tmp, sizeof tmp, "%p", va_arg(*ap, void *));
            buf_put(b, tmp, (size_t)n);
            break;
        case 's': {
            const char *s = va_arg(*ap, const char *);
            if (s == NULL) s = "(null)";
            PyObject *u = PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
            if (u == NULL) return -1;
            int r = buf_put_str(b, u, precision);
            Py_DECREF(u);
            if (r < 0) return -1;
            break;
        }
        case 'U':
            if (buf_put_str(b, va_arg(*ap, PyObject *), precision) < 0) return -1;
            break;
        case 'V': {
            PyObject *obj = va_arg(*ap, PyObject *);
            const char *s = va_arg(*ap, const char *);
            if (obj != NULL) { if (buf_put_str(b, obj, precision) < 0) return -1; }
            else buf_put(b, s, strlen(s));
            break;
        }
        case 'S': case 'R': case 'A':
            if (buf_put_object(b, va_arg(*ap, PyObject *), *f == 'S' ? 'S' : 'R', precision) < 0) return -1;
            break;
        case 'T': {
            PyObject *obj = va_arg(*ap, PyObject *);
            buf_put(b, Py_TYPE(obj)->tp_name, strlen(Py_TYPE(obj)->tp_name));
            break;
        }
        default:
            /* An unknown conversion is copied as is, like CPython. */
            buf_put(b, spec, strlen(spec));
            return 0;
        }
        (void)width;
    }
    return 0;
}

PyObject *isle_PyUnicode_FromFormatV(const char *format, va_list vargs) {
    if (format == NULL) { PyErr_BadInternalCall(); return NULL; }
    Buf b = {0};
    va_list ap;
    va_copy(ap, vargs);
    int r = format_into(&b, format, &ap);
    va_end(ap);
    PyObject *out = NULL;
    if (b.failed) PyErr_NoMemory();
    else if (r == 0) out = PyUnicode_FromStringAndSize(b.data ? b.data : "", (Py_ssize_t)b.len);
    PyMem_RawFree(b.data);
    return out;
}

PyObject *isle_PyUnicode_FromFormat(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    PyObject *r = isle_PyUnicode_FromFormatV(format, ap);
    va_end(ap);
    return r;
}

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
