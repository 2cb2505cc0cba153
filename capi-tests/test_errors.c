/* The current exception: raising, matching, fetching and restoring, formatting,
 * printing; exception objects and classes, and the builtin hierarchy. */
#include "harness.h"
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unistd.h>

/* A str from a C string (the API this program uses to make test values). */
static PyObject *str(const char *s) { return PyUnicode_FromStringAndSize(s, (Py_ssize_t)strlen(s)); }

/* The UTF-8 text of a str, or NULL. */
static const char *utf8(PyObject *s) { return PyUnicode_AsUTF8AndSize(s, NULL); }

/* Raises `type(msg)` and takes the exception back (a new reference). */
static PyObject *raise_and_take(PyObject *type, const char *msg) {
    PyErr_SetString(type, msg);
    return PyErr_GetRaisedException();
}

/* Checks that str(o) (or repr(o)) is `text`; `o` is borrowed. */
#define CHECK_STR_OF(o, text) CHECK_STR(PyObject_Str(o), text)
#define CHECK_REPR_OF(o, text) CHECK_STR(PyObject_Repr(o), text)

/* Takes the current exception, checks its type is exactly `type` and str() is `text`. */
#define CHECK_RAISED_TEXT(type, text) \
    do { \
        PyObject *_e = PyErr_GetRaisedException(); \
        CHECK(_e != NULL); \
        int _is = Py_TYPE(_e) == (PyTypeObject *)(type); \
        if (!_is) fprintf(stderr, "  raised %s\n", Py_TYPE(_e)->tp_name); \
        PyObject *_t = PyObject_Str(_e); \
        Py_DECREF(_e); \
        CHECK(_is); \
        CHECK_STR(_t, text); \
    } while (0)

/* --- capturing stderr ------------------------------------------------------------ */

typedef struct {
    int saved;
    int read_end;
} Capture;

static int capture_start(Capture *c) {
    int fds[2];
    fflush(stderr);
    if (pipe(fds) != 0) return -1;
    c->saved = dup(2);
    c->read_end = fds[0];
    dup2(fds[1], 2);
    close(fds[1]);
    return 0;
}

/* Restores stderr and returns what was written to it meanwhile (static buffer). */
static const char *capture_end(Capture *c) {
    static char buf[4096];
    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < sizeof buf && (r = read(c->read_end, buf + n, sizeof buf - 1 - n)) > 0) n += (size_t)r;
    buf[n] = 0;
    close(c->read_end);
    return buf;
}

#define CHECK_TEXT(got, expected) \
    do { \
        const char *_g = (got); \
        int _same = strcmp(_g, (expected)) == 0; \
        if (!_same) fprintf(stderr, "  got \"%s\", expected \"%s\"\n", _g, (expected)); \
        CHECK(_same); \
    } while (0)

/* --- raising --------------------------------------------------------------------- */

static int set_string_and_occurred(void) {
    CHECK(PyErr_Occurred() == NULL);
    PyErr_SetString(PyExc_TypeError, "boom");
    CHECK(PyErr_Occurred() == PyExc_TypeError);
    CHECK(PyErr_ExceptionMatches(PyExc_TypeError));
    CHECK(PyErr_ExceptionMatches(PyExc_Exception));
    CHECK(PyErr_ExceptionMatches(PyExc_BaseException));
    CHECK(!PyErr_ExceptionMatches(PyExc_ValueError));
    /* A new error replaces the old one. */
    PyErr_SetString(PyExc_ValueError, "second");
    CHECK_RAISED_TEXT(PyExc_ValueError, "second");
    CHECK(PyErr_Occurred() == NULL);
    PyErr_SetString(PyExc_KeyError, "k");
    PyErr_Clear();
    CHECK(PyErr_Occurred() == NULL);
    PyErr_Clear(); /* nothing set: fine */
    PyErr_SetString(PyExc_RuntimeError, "caf\xc3\xa9");
    CHECK_RAISED_TEXT(PyExc_RuntimeError, "caf\xc3\xa9");
    return 0;
}

static int set_string_bad_type(void) {
    PyErr_SetString(NULL, "x");
    CHECK_RAISED(PyExc_SystemError);
    PyObject *s = str("not a class");
    PyErr_SetString(s, "x");
    CHECK_RAISED(PyExc_SystemError);
    PyErr_SetObject(s, s);
    CHECK_RAISED(PyExc_SystemError);
    PyErr_SetNone(s);
    CHECK_RAISED(PyExc_SystemError);
    /* A class that is not an exception class. */
    PyErr_SetString((PyObject *)&PyUnicode_Type, "x");
    CHECK_RAISED(PyExc_SystemError);
    /* An exception instance is not a class either. */
    PyErr_SetString(PyExc_ValueError, "v");
    PyObject *inst = PyErr_GetRaisedException();
    PyErr_SetString(inst, "x");
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(inst);
    Py_DECREF(s);
    return 0;
}

static int set_object_values(void) {
    /* A tuple value becomes the args. */
    PyObject *a = str("a"), *b = str("b");
    PyObject *t = PyTuple_Pack(2, a, b);
    PyErr_SetObject(PyExc_ValueError, t);
    PyObject *e = PyErr_GetRaisedException();
    CHECK(e != NULL && Py_TYPE(e) == (PyTypeObject *)PyExc_ValueError);
    PyObject *args = PyException_GetArgs(e);
    CHECK(args == t);
    Py_DECREF(args);
    Py_DECREF(e);
    /* Any other value is the single argument. */
    PyErr_SetObject(PyExc_ValueError, a);
    e = PyErr_GetRaisedException();
    args = PyException_GetArgs(e);
    CHECK(PyTuple_GET_SIZE(args) == 1 && PyTuple_GET_ITEM(args, 0) == a);
    Py_DECREF(args);
    /* An instance of the class (or a subclass) is raised as is. */
    PyErr_SetObject(PyExc_Exception, e);
    PyObject *e2 = PyErr_GetRaisedException();
    CHECK(e2 == e);
    CHECK(Py_TYPE(e2) == (PyTypeObject *)PyExc_ValueError);
    Py_DECREF(e2);
    Py_DECREF(e);
    /* None and NULL mean no arguments. */
    PyErr_SetObject(PyExc_KeyError, Py_None);
    e = PyErr_GetRaisedException();
    args = PyException_GetArgs(e);
    CHECK(PyTuple_GET_SIZE(args) == 0);
    Py_DECREF(args);
    Py_DECREF(e);
    PyErr_SetObject(PyExc_KeyError, NULL);
    CHECK_RAISED_TEXT(PyExc_KeyError, "");
    PyErr_SetNone(PyExc_StopIteration);
    CHECK(PyErr_Occurred() == PyExc_StopIteration);
    CHECK_RAISED_TEXT(PyExc_StopIteration, "");
    Py_DECREF(t);
    Py_DECREF(a);
    Py_DECREF(b);
    return 0;
}

static int raised_exception_round_trip(void) {
    CHECK(PyErr_GetRaisedException() == NULL);
    PyErr_SetString(PyExc_OSError, "disk");
    PyObject *e = PyErr_GetRaisedException();
    CHECK(e != NULL && PyErr_Occurred() == NULL);
    CHECK(PyExceptionInstance_Check(e));
    CHECK(PyExceptionInstance_Class(e) == PyExc_OSError);
    Py_INCREF(e);
    PyErr_SetRaisedException(e); /* takes the reference */
    CHECK(PyErr_Occurred() == PyExc_OSError);
    PyObject *again = PyErr_GetRaisedException();
    CHECK(again == e);
    Py_DECREF(again);
    PyErr_SetRaisedException(NULL); /* clears */
    CHECK(PyErr_Occurred() == NULL);
    PyErr_SetString(PyExc_TypeError, "t");
    PyErr_SetRaisedException(NULL);
    CHECK(PyErr_Occurred() == NULL);
    /* Not an exception: SystemError, and the reference is consumed. */
    PyObject *s = str("nope");
    Py_INCREF(s);
    PyErr_SetRaisedException(s);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(Py_REFCNT(s) == 1);
    Py_DECREF(s);
    Py_DECREF(e);
    return 0;
}

static int fetch_restore_round_trip(void) {
    PyObject *t = (PyObject *)1, *v = (PyObject *)1, *tb = (PyObject *)1;
    PyErr_Fetch(&t, &v, &tb);
    CHECK(t == NULL && v == NULL && tb == NULL);

    PyErr_SetString(PyExc_TypeError, "boom");
    PyErr_Fetch(&t, &v, &tb);
    CHECK(PyErr_Occurred() == NULL);
    CHECK(t == PyExc_TypeError);
    CHECK(v != NULL && Py_TYPE(v) == (PyTypeObject *)PyExc_TypeError);
    CHECK(tb == NULL);
    PyObject *inst = v;
    PyErr_Restore(t, v, tb);
    CHECK(PyErr_Occurred() == PyExc_TypeError);
    PyObject *e = PyErr_GetRaisedException();
    CHECK(e == inst);
    CHECK_STR_OF(e, "boom");
    Py_DECREF(e);

    /* An unnormalized pair: the instance is made from the value. */
    PyErr_Restore(Py_NewRef(PyExc_IndexError), str("out of range"), NULL);
    CHECK(PyErr_Occurred() == PyExc_IndexError);
    CHECK_RAISED_TEXT(PyExc_IndexError, "out of range");
    PyErr_Restore(Py_NewRef(PyExc_IndexError), NULL, NULL);
    CHECK_RAISED_TEXT(PyExc_IndexError, "");

    /* A NULL type clears (and releases the others). */
    PyErr_SetString(PyExc_ValueError, "v");
    PyErr_Restore(NULL, str("dropped"), NULL);
    CHECK(PyErr_Occurred() == NULL);

    /* NULL out-pointers are allowed: those parts are dropped. */
    PyErr_SetString(PyExc_ValueError, "v");
    PyErr_Fetch(&t, NULL, NULL);
    CHECK(t == PyExc_ValueError && PyErr_Occurred() == NULL);
    Py_DECREF(t);
    return 0;
}

static int normalize_exception(void) {
    PyObject *t = Py_NewRef(PyExc_ValueError);
    PyObject *v = str("bad");
    PyObject *tb = NULL;
    PyErr_NormalizeException(&t, &v, &tb);
    CHECK(t == PyExc_ValueError);
    CHECK(v != NULL && Py_TYPE(v) == (PyTypeObject *)PyExc_ValueError);
    CHECK_STR_OF(v, "bad");
    /* Already normalized: unchanged. */
    PyObject *before = v;
    PyErr_NormalizeException(&t, &v, &tb);
    CHECK(v == before && t == PyExc_ValueError);
    Py_DECREF(v);
    Py_DECREF(t);

    t = Py_NewRef(PyExc_KeyError);
    v = NULL;
    PyErr_NormalizeException(&t, &v, &tb);
    CHECK(v != NULL && Py_TYPE(v) == (PyTypeObject *)PyExc_KeyError);
    PyObject *args = PyException_GetArgs(v);
    CHECK(PyTuple_GET_SIZE(args) == 0);
    Py_DECREF(args);
    Py_DECREF(v);
    Py_DECREF(t);

    /* A tuple value is the argument list. */
    PyObject *a = str("a"), *b = str("b");
    t = Py_NewRef(PyExc_OSError);
    v = PyTuple_Pack(2, a, b);
    PyErr_NormalizeException(&t, &v, &tb);
    CHECK(Py_TYPE(v) == (PyTypeObject *)PyExc_OSError);
    args = PyException_GetArgs(v);
    CHECK(PyTuple_GET_SIZE(args) == 2 && PyTuple_GET_ITEM(args, 1) == b);
    Py_DECREF(args);
    Py_DECREF(v);
    Py_DECREF(t);
    Py_DECREF(a);
    Py_DECREF(b);

    /* A NULL type is left alone. */
    t = NULL;
    v = NULL;
    PyErr_NormalizeException(&t, &v, &tb);
    CHECK(t == NULL && v == NULL);
    CHECK_NO_ERROR();
    return 0;
}

static int given_exception_matches(void) {
    PyErr_SetString(PyExc_KeyError, "k");
    PyObject *inst = PyErr_GetRaisedException();
    /* classes */
    CHECK(PyErr_GivenExceptionMatches(PyExc_KeyError, PyExc_KeyError) == 1);
    CHECK(PyErr_GivenExceptionMatches(PyExc_KeyError, PyExc_LookupError) == 1);
    CHECK(PyErr_GivenExceptionMatches(PyExc_KeyError, PyExc_BaseException) == 1);
    CHECK(PyErr_GivenExceptionMatches(PyExc_LookupError, PyExc_KeyError) == 0);
    CHECK(PyErr_GivenExceptionMatches(PyExc_KeyError, PyExc_IndexError) == 0);
    /* instances */
    CHECK(PyErr_GivenExceptionMatches(inst, PyExc_LookupError) == 1);
    CHECK(PyErr_GivenExceptionMatches(inst, PyExc_TypeError) == 0);
    /* tuples, nested too */
    PyObject *t1 = PyTuple_Pack(2, PyExc_TypeError, PyExc_LookupError);
    PyObject *t2 = PyTuple_Pack(2, PyExc_ValueError, PyExc_TypeError);
    PyObject *nested = PyTuple_Pack(2, PyExc_OSError, t1);
    CHECK(PyErr_GivenExceptionMatches(inst, t1) == 1);
    CHECK(PyErr_GivenExceptionMatches(PyExc_KeyError, t1) == 1);
    CHECK(PyErr_GivenExceptionMatches(inst, t2) == 0);
    CHECK(PyErr_GivenExceptionMatches(inst, nested) == 1);
    PyObject *empty = PyTuple_New(0);
    CHECK(PyErr_GivenExceptionMatches(inst, empty) == 0);
    /* NULL on either side is no match */
    CHECK(PyErr_GivenExceptionMatches(NULL, PyExc_Exception) == 0);
    CHECK(PyErr_GivenExceptionMatches(PyExc_Exception, NULL) == 0);
    /* PyErr_ExceptionMatches reads the current exception */
    CHECK(PyErr_ExceptionMatches(PyExc_Exception) == 0);
    PyErr_SetRaisedException(Py_NewRef(inst));
    CHECK(PyErr_ExceptionMatches(t1) == 1);
    CHECK(PyErr_ExceptionMatches(t2) == 0);
    PyErr_Clear();
    Py_DECREF(empty);
    Py_DECREF(nested);
    Py_DECREF(t1);
    Py_DECREF(t2);
    Py_DECREF(inst);
    return 0;
}

static int shorthand_raisers(void) {
    CHECK(PyErr_NoMemory() == NULL);
    CHECK(PyErr_Occurred() == PyExc_MemoryError);
    PyErr_Clear();
    CHECK(PyErr_BadArgument() == 0);
    CHECK(PyErr_Occurred() == PyExc_TypeError);
    PyErr_Clear();
    PyErr_BadInternalCall();
    CHECK(PyErr_Occurred() == PyExc_SystemError);
    CHECK_RAISED_TEXT(PyExc_SystemError, "bad argument to internal function");
    _PyErr_BadInternalCall(__FILE__, __LINE__);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

/* --- PyErr_Format ------------------------------------------------------------------ */

static PyObject *format_v(PyObject *exc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    PyObject *r = PyErr_FormatV(exc, fmt, ap);
    va_end(ap);
    return r;
}

static int format_conversions(void) {
    PyObject *obj = str("o'k");
    PyObject *u = str("\xc3\xbc" "ber");
    CHECK(PyErr_Format(PyExc_ValueError, "%s %d %zd %S %R %U %c %%", "text", -42, (Py_ssize_t)PY_SSIZE_T_MAX, obj,
                       Py_Ellipsis, u, 0x20AC) == NULL);
    CHECK(PyErr_Occurred() == PyExc_ValueError);
    CHECK_RAISED_TEXT(PyExc_ValueError, "text -42 9223372036854775807 o'k Ellipsis \xc3\xbc" "ber \xe2\x82\xac %");
    /* %R of an exception: its repr. */
    PyErr_SetNone(PyExc_KeyError);
    PyObject *inner = PyErr_GetRaisedException();
    PyErr_Format(PyExc_ValueError, "[%R] [%S]", inner, inner);
    CHECK_RAISED_TEXT(PyExc_ValueError, "[KeyError()] []");
    Py_DECREF(inner);

    int x;
    char want[64];
    snprintf(want, sizeof want, "at %p!", (void *)&x);
    PyErr_Format(PyExc_RuntimeError, "at %p!", (void *)&x);
    CHECK_RAISED_TEXT(PyExc_RuntimeError, want);
    CHECK(strncmp(want, "at 0x", 5) == 0);

    PyErr_Format(PyExc_TypeError, "%i %u %ld %lu %lld %x %zu", 7, 8u, -9L, 10UL, -11LL, 255, (size_t)12);
    CHECK_RAISED_TEXT(PyExc_TypeError, "7 8 -9 10 -11 ff 12");
    PyErr_Format(PyExc_TypeError, "no conversions");
    CHECK_RAISED_TEXT(PyExc_TypeError, "no conversions");
    PyErr_Format(PyExc_TypeError, "%.3s|%5d|%-3d|", "abcdef", 42, 7);
    CHECK_RAISED_TEXT(PyExc_TypeError, "abc|   42|7  |");

    CHECK(format_v(PyExc_KeyError, "%s=%d", "key", 5) == NULL);
    CHECK(PyErr_Occurred() == PyExc_KeyError);
    PyObject *e = PyErr_GetRaisedException();
    PyObject *args = PyException_GetArgs(e);
    CHECK(PyTuple_GET_SIZE(args) == 1);
    CHECK(strcmp(utf8(PyTuple_GET_ITEM(args, 0)), "key=5") == 0);
    Py_DECREF(args);
    Py_DECREF(e);

    /* Not an exception class: SystemError, like PyErr_SetObject. */
    PyErr_Format(obj, "x %d", 1);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(obj);
    Py_DECREF(u);
    return 0;
}

/* --- printing ---------------------------------------------------------------------- */

static int print_writes_type_and_message(void) {
    Capture c;
    CHECK(capture_start(&c) == 0);
    PyErr_SetString(PyExc_TypeError, "boom");
    PyErr_Print();
    const char *out = capture_end(&c);
    CHECK_TEXT(out, "TypeError: boom\n");
    CHECK(PyErr_Occurred() == NULL);

    CHECK(capture_start(&c) == 0);
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    PyErr_PrintEx(0);
    PyErr_SetObject(PyExc_KeyError, Py_None);
    PyErr_Print();
    PyErr_SetObject(PyExc_KeyError, Py_Ellipsis); /* KeyError shows the repr of its key */
    PyErr_Print();
    PyErr_Print(); /* nothing set: prints nothing */
    out = capture_end(&c);
    CHECK_TEXT(out, "KeyboardInterrupt\nKeyError\nKeyError: Ellipsis\n");
    CHECK(PyErr_Occurred() == NULL);

    /* A class made by PyErr_NewException prints with its module. */
    PyObject *cls = PyErr_NewException("mymod.Oops", NULL, NULL);
    CHECK(cls != NULL);
    CHECK(capture_start(&c) == 0);
    PyErr_SetString(cls, "it broke");
    PyErr_Print();
    out = capture_end(&c);
    CHECK_TEXT(out, "mymod.Oops: it broke\n");
    Py_DECREF(cls);
    return 0;
}

static int print_shows_cause_and_context(void) {
    Capture c;
    PyObject *outer = raise_and_take(PyExc_RuntimeError, "outer");
    PyObject *inner = raise_and_take(PyExc_ValueError, "inner");
    PyObject *root = raise_and_take(PyExc_OSError, "root");
    PyException_SetContext(inner, Py_NewRef(root));
    PyException_SetCause(outer, Py_NewRef(inner));
    CHECK(capture_start(&c) == 0);
    PyErr_SetRaisedException(Py_NewRef(outer));
    PyErr_Print();
    const char *out = capture_end(&c);
    CHECK_TEXT(out,
               "OSError: root\n"
               "\nDuring handling of the above exception, another exception occurred:\n\n"
               "ValueError: inner\n"
               "\nThe above exception was the direct cause of the following exception:\n\n"
               "RuntimeError: outer\n");

    /* A suppressed context is not shown; a cause is shown whatever the flag says. */
    PyException_SetCause(outer, NULL);
    PyException_SetContext(outer, Py_NewRef(inner));
    CHECK(PyObject_SetAttrString(outer, "__suppress_context__", Py_True) == 0);
    CHECK(capture_start(&c) == 0);
    PyErr_SetRaisedException(Py_NewRef(outer));
    PyErr_Print();
    out = capture_end(&c);
    CHECK_TEXT(out, "RuntimeError: outer\n");

    /* A loop in the chain ends at the first exception seen twice. */
    PyException_SetContext(root, Py_NewRef(outer));
    CHECK(PyObject_SetAttrString(outer, "__suppress_context__", Py_False) == 0);
    CHECK(capture_start(&c) == 0);
    PyErr_SetRaisedException(Py_NewRef(outer));
    PyErr_Print();
    out = capture_end(&c);
    CHECK_TEXT(out,
               "OSError: root\n"
               "\nDuring handling of the above exception, another exception occurred:\n\n"
               "ValueError: inner\n"
               "\nDuring handling of the above exception, another exception occurred:\n\n"
               "RuntimeError: outer\n");
    /* Break the cycle so that the references go. */
    PyException_SetContext(root, NULL);
    Py_DECREF(outer);
    Py_DECREF(inner);
    Py_DECREF(root);
    return 0;
}

/* The sys module, reached through a class whose namespace is sys.modules (this
 * program uses no dict API). */
static PyObject *sys_module(void) {
    PyObject *cls = PyErr_NewException("t.SysHolder", NULL, PyImport_GetModuleDict());
    if (cls == NULL) return NULL;
    PyObject *sys = PyObject_GetAttrString(cls, "sys");
    Py_DECREF(cls);
    return sys;
}

/* PyErr_Print of a SystemExit ends the process with the exit's code; run in a child. */
static int exit_status_of_printed_system_exit(PyObject *value) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        PyErr_SetObject(PyExc_SystemExit, value);
        PyErr_Print();
        _exit(99); /* not reached */
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int print_of_system_exit_exits(void) {
    PyObject *three = PyLong_FromLong(3);
    PyObject *text = PyUnicode_FromString("bye");
    CHECK(exit_status_of_printed_system_exit(three) == 3);
    CHECK(exit_status_of_printed_system_exit(Py_None) == 0);
    CHECK(exit_status_of_printed_system_exit(text) == 1);
    CHECK(exit_status_of_printed_system_exit(NULL) == 0);
    Py_DECREF(three);
    Py_DECREF(text);
    return 0;
}

/* A sub-interpreter never ends the process: the status is kept for the host. */
static int print_of_system_exit_in_a_subinterpreter_returns(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    int status = -7;
    CHECK(Isle_InterpreterExitStatus(sub->interp, &status) == 0);
    PyObject *code = PyLong_FromLong(5);
    PyErr_SetObject(PyExc_SystemExit, code);
    Py_DECREF(code);
    Capture c;
    CHECK(capture_start(&c) == 0);
    PyErr_Print();
    const char *out = capture_end(&c);
    CHECK_TEXT(out, "");
    CHECK(PyErr_Occurred() == NULL);
    CHECK(Isle_InterpreterExitStatus(sub->interp, &status) == 1 && status == 5);
    CHECK(Isle_InterpreterExitStatus(main_ts->interp, &status) == 0);
    CHECK(Isle_InterpreterExitStatus(NULL, &status) == -1);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    return 0;
}

static int print_keeps_last_exception(void) {
    PyObject *sys = sys_module();
    CHECK(sys != NULL);
    Capture c;
    CHECK(capture_start(&c) == 0);
    PyErr_SetString(PyExc_ValueError, "first");
    PyObject *first = Py_NewRef(PyErr_GetRaisedException());
    PyErr_SetRaisedException(first);
    PyErr_Print(); /* same as PyErr_PrintEx(1): sys.last_exc is set */
    PyErr_SetString(PyExc_TypeError, "second");
    PyErr_PrintEx(0); /* leaves sys.last_exc alone */
    const char *out = capture_end(&c);
    CHECK_TEXT(out, "ValueError: first\nTypeError: second\n");
    PyObject *last = PyObject_GetAttrString(sys, "last_exc");
    CHECK(last == first);
    Py_DECREF(last);
    Py_DECREF(first);
    Py_DECREF(sys);
    return 0;
}

static int write_unraisable(void) {
    Capture c;
    PyErr_SetNone(PyExc_KeyError);
    PyObject *where = PyErr_GetRaisedException(); /* any object: its repr is printed */
    CHECK(capture_start(&c) == 0);
    PyErr_SetString(PyExc_ValueError, "lost");
    PyErr_WriteUnraisable(where);
    const char *out = capture_end(&c);
    CHECK_TEXT(out, "Exception ignored in: KeyError()\nValueError: lost\n");
    CHECK(PyErr_Occurred() == NULL);

    CHECK(capture_start(&c) == 0);
    PyErr_SetString(PyExc_RuntimeError, "no object");
    PyErr_WriteUnraisable(NULL);
    PyErr_WriteUnraisable(where); /* nothing set: prints nothing */
    out = capture_end(&c);
    CHECK_TEXT(out, "RuntimeError: no object\n");
    CHECK(PyErr_Occurred() == NULL);
    Py_DECREF(where);
    return 0;
}

/* --- new exception classes ------------------------------------------------------------ */

static int new_exception_classes(void) {
    PyObject *base = PyErr_NewException("mymod.Base", NULL, NULL);
    CHECK(base != NULL);
    CHECK(PyExceptionClass_Check(base));
    CHECK(PyType_IsSubtype((PyTypeObject *)base, (PyTypeObject *)PyExc_Exception));
    CHECK(strcmp(((PyTypeObject *)base)->tp_name, "mymod.Base") == 0);
    CHECK(((PyTypeObject *)base)->tp_flags & Py_TPFLAGS_HEAPTYPE);
    PyObject *mod = PyObject_GetAttrString(base, "__module__");
    CHECK_STR(mod, "mymod");

    PyObject *sub = PyErr_NewException("pkg.mod.Sub", base, NULL);
    CHECK(sub != NULL);
    CHECK(PyObject_IsSubclass(sub, base) == 1);
    CHECK(PyObject_IsSubclass(sub, PyExc_Exception) == 1);
    CHECK(PyObject_IsSubclass(base, sub) == 0);
    mod = PyObject_GetAttrString(sub, "__module__");
    CHECK_STR(mod, "pkg.mod");

    /* A tuple of bases. */
    PyObject *bases = PyTuple_Pack(1, PyExc_KeyError);
    PyObject *keyish = PyErr_NewException("mymod.KeyIsh", bases, NULL);
    CHECK(keyish != NULL);
    CHECK(PyObject_IsSubclass(keyish, PyExc_LookupError) == 1);
    Py_DECREF(bases);

    /* Instances: raise, match, catch by a base. */
    PyErr_SetString(sub, "deep");
    CHECK(PyErr_Occurred() == sub);
    CHECK(PyErr_ExceptionMatches(base));
    CHECK(PyErr_ExceptionMatches(PyExc_Exception));
    CHECK(!PyErr_ExceptionMatches(PyExc_ValueError));
    PyObject *e = PyErr_GetRaisedException();
    CHECK(PyObject_IsInstance(e, base) == 1);
    CHECK(PyObject_IsInstance(e, PyExc_BaseException) == 1);
    CHECK_STR_OF(e, "deep");
    PyException_SetArgs(e, Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_TUPLE));
    CHECK_REPR_OF(e, "Sub()");
    CHECK(PyErr_GivenExceptionMatches(e, base));
    Py_DECREF(e);

    /* A class keeps working after the caller drops it while an instance lives. */
    PyObject *key = PyTuple_Pack(1, Py_Ellipsis);
    PyErr_SetObject(keyish, key);
    Py_DECREF(key);
    Py_DECREF(keyish);
    e = PyErr_GetRaisedException();
    CHECK(strcmp(Py_TYPE(e)->tp_name, "mymod.KeyIsh") == 0);
    CHECK_STR_OF(e, "Ellipsis"); /* inherits KeyError's str(): the repr of its key */
    Py_DECREF(e);

    Py_DECREF(sub);
    Py_DECREF(base);
    return 0;
}

static int new_exception_with_doc_and_namespace(void) {
    PyObject *cls = PyErr_NewExceptionWithDoc("mymod.Documented", "Raised when documented.", PyExc_ValueError, NULL);
    CHECK(cls != NULL);
    CHECK(strcmp(((PyTypeObject *)cls)->tp_doc, "Raised when documented.") == 0);
    CHECK(PyObject_IsSubclass(cls, PyExc_ValueError) == 1);
    Py_DECREF(cls);
    cls = PyErr_NewExceptionWithDoc("mymod.Undocumented", NULL, NULL, NULL);
    CHECK(cls != NULL);
    CHECK(((PyTypeObject *)cls)->tp_doc == NULL);
    Py_DECREF(cls);

    /* The dict's entries become class attributes: sys.modules is a dict at hand that
     * holds "sys". */
    PyObject *ns = PyImport_GetModuleDict();
    CHECK(ns != NULL && PyDict_Check(ns));
    cls = PyErr_NewException("mymod.WithAttrs", PyExc_Exception, ns);
    CHECK(cls != NULL);
    PyObject *sys = PyObject_GetAttrString(cls, "sys");
    CHECK(sys != NULL && PyModule_Check(sys));
    Py_DECREF(sys);
    PyObject *mod = PyObject_GetAttrString(cls, "__module__");
    CHECK_STR(mod, "mymod");
    /* An instance sees them too. */
    PyErr_SetNone(cls);
    PyObject *e = PyErr_GetRaisedException();
    sys = PyObject_GetAttrString(e, "sys");
    CHECK(sys != NULL && PyModule_Check(sys));
    Py_DECREF(sys);
    Py_DECREF(e);
    Py_DECREF(cls);
    return 0;
}

static int new_exception_bad_names(void) {
    CHECK(PyErr_NewException("nodot", NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyErr_NewExceptionWithDoc("nodot", "doc", NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyErr_NewException(NULL, NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

/* --- exception objects ----------------------------------------------------------------- */

static int exception_cause_and_context(void) {
    PyObject *e = raise_and_take(PyExc_RuntimeError, "outer");
    PyObject *cause = raise_and_take(PyExc_ValueError, "inner");
    PyObject *ctx = raise_and_take(PyExc_KeyError, "ctx");
    CHECK(PyException_GetCause(e) == NULL);
    CHECK(PyException_GetContext(e) == NULL);
    CHECK(PyException_GetTraceback(e) == NULL);
    PyObject *attr = PyObject_GetAttrString(e, "__cause__");
    CHECK(attr == Py_None);
    attr = PyObject_GetAttrString(e, "__suppress_context__");
    CHECK(attr == Py_False);

    PyException_SetCause(e, Py_NewRef(cause)); /* steals */
    PyObject *got = PyException_GetCause(e);
    CHECK(got == cause);
    Py_DECREF(got);
    attr = PyObject_GetAttrString(e, "__cause__");
    CHECK(attr == cause);
    Py_DECREF(attr);
    /* Setting a cause suppresses the context in tracebacks. */
    attr = PyObject_GetAttrString(e, "__suppress_context__");
    CHECK(attr == Py_True);

    PyException_SetContext(e, Py_NewRef(ctx));
    got = PyException_GetContext(e);
    CHECK(got == ctx);
    Py_DECREF(got);
    attr = PyObject_GetAttrString(e, "__context__");
    CHECK(attr == ctx);
    Py_DECREF(attr);

    /* Replacing releases the old value; NULL clears. */
    PyException_SetCause(e, NULL);
    CHECK(PyException_GetCause(e) == NULL);
    PyException_SetContext(e, NULL);
    CHECK(PyException_GetContext(e) == NULL);
    CHECK(Py_REFCNT(cause) == 1 && Py_REFCNT(ctx) == 1);
    attr = PyObject_GetAttrString(e, "__traceback__");
    CHECK(attr == Py_None);
    Py_DECREF(e);
    Py_DECREF(cause);
    Py_DECREF(ctx);
    return 0;
}

static int exception_attribute_assignment(void) {
    PyObject *e = raise_and_take(PyExc_RuntimeError, "outer");
    PyObject *other = raise_and_take(PyExc_ValueError, "inner");
    PyObject *s = str("not an exception");

    CHECK(PyObject_SetAttrString(e, "__cause__", other) == 0);
    PyObject *got = PyException_GetCause(e);
    CHECK(got == other);
    Py_DECREF(got);
    CHECK(PyObject_GetAttrString(e, "__suppress_context__") == Py_True);
    CHECK(PyObject_SetAttrString(e, "__cause__", Py_None) == 0);
    CHECK(PyException_GetCause(e) == NULL);
    CHECK(PyObject_SetAttrString(e, "__cause__", s) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_DelAttrString(e, "__cause__") == -1);
    CHECK_RAISED(PyExc_TypeError);

    CHECK(PyObject_SetAttrString(e, "__context__", other) == 0);
    got = PyException_GetContext(e);
    CHECK(got == other);
    Py_DECREF(got);
    CHECK(PyObject_SetAttrString(e, "__context__", Py_None) == 0);
    CHECK(PyException_GetContext(e) == NULL);
    CHECK(PyObject_SetAttrString(e, "__context__", (PyObject *)&PyUnicode_Type) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_DelAttrString(e, "__context__") == -1);
    CHECK_RAISED(PyExc_TypeError);

    CHECK(PyObject_SetAttrString(e, "__suppress_context__", Py_False) == 0);
    CHECK(PyObject_GetAttrString(e, "__suppress_context__") == Py_False);
    CHECK(PyObject_SetAttrString(e, "__suppress_context__", s) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_DelAttrString(e, "__suppress_context__") == -1);
    CHECK_RAISED(PyExc_TypeError);

    CHECK(PyObject_SetAttrString(e, "__traceback__", Py_None) == 0);
    CHECK(PyException_GetTraceback(e) == NULL);
    CHECK(PyObject_SetAttrString(e, "__traceback__", s) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_DelAttrString(e, "__traceback__") == -1);
    CHECK_RAISED(PyExc_TypeError);

    /* Other attributes go to the instance dict. */
    CHECK(PyObject_SetAttrString(e, "detail", s) == 0);
    got = PyObject_GetAttrString(e, "detail");
    CHECK(got == s);
    Py_DECREF(got);
    CHECK(PyObject_DelAttrString(e, "detail") == 0);
    CHECK(PyObject_GetAttrString(e, "detail") == NULL);
    CHECK_RAISED(PyExc_AttributeError);

    CHECK(Py_REFCNT(other) == 1); /* every link was released */
    Py_DECREF(s);
    Py_DECREF(other);
    Py_DECREF(e);
    return 0;
}

static int exception_args(void) {
    PyObject *e = raise_and_take(PyExc_ValueError, "msg");
    PyObject *args = PyException_GetArgs(e);
    CHECK(args != NULL && PyTuple_Check(args) && PyTuple_GET_SIZE(args) == 1);
    CHECK(strcmp(utf8(PyTuple_GET_ITEM(args, 0)), "msg") == 0);
    PyObject *attr = PyObject_GetAttrString(e, "args");
    CHECK(attr == args);
    Py_DECREF(attr);
    Py_DECREF(args);

    PyObject *a = str("x"), *b = str("y");
    PyObject *two = PyTuple_Pack(2, a, b);
    PyException_SetArgs(e, two); /* borrows */
    CHECK(Py_REFCNT(two) == 2);
    args = PyException_GetArgs(e);
    CHECK(args == two);
    Py_DECREF(args);
    PyObject *one = PyTuple_Pack(1, Py_Ellipsis);
    PyException_SetArgs(e, one);
    CHECK(Py_REFCNT(two) == 1); /* the old args were released */
    CHECK_STR_OF(e, "Ellipsis");
    CHECK_REPR_OF(e, "ValueError(Ellipsis)");
    Py_DECREF(one);
    Py_DECREF(two);
    Py_DECREF(a);
    Py_DECREF(b);

    PyObject *none = PyObject_GetAttrString(e, "no_such_attribute");
    CHECK(none == NULL);
    CHECK_RAISED(PyExc_AttributeError);
    Py_DECREF(e);
    return 0;
}

static int exception_object_null_arguments(void) {
    CHECK(PyException_GetCause(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyException_GetContext(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyException_GetArgs(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyException_GetTraceback(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyException_SetCause(NULL, NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyException_SetContext(NULL, NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyException_SetArgs(NULL, NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

static int exception_str_and_repr(void) {
    PyObject *e = raise_and_take(PyExc_ValueError, "bad value");
    CHECK_STR_OF(e, "bad value");
    Py_DECREF(e);
    PyErr_SetNone(PyExc_TypeError);
    e = PyErr_GetRaisedException();
    CHECK_STR_OF(e, "");
    CHECK_REPR_OF(e, "TypeError()");
    /* One argument: repr(arg) inside the parentheses; str() is str(arg). */
    PyErr_SetObject(PyExc_OSError, e);
    PyObject *outer = PyErr_GetRaisedException();
    CHECK_REPR_OF(outer, "OSError(TypeError())");
    CHECK_STR_OF(outer, "");
    Py_DECREF(outer);
    Py_DECREF(e);
    /* KeyError's str() is the repr of its key. */
    PyObject *args = PyTuple_Pack(1, Py_Ellipsis);
    PyErr_SetObject(PyExc_KeyError, args);
    e = PyErr_GetRaisedException();
    CHECK_STR_OF(e, "Ellipsis");
    CHECK_REPR_OF(e, "KeyError(Ellipsis)");
    Py_DECREF(e);
    PyErr_SetObject(PyExc_IndexError, args);
    e = PyErr_GetRaisedException();
    CHECK_STR_OF(e, "Ellipsis");
    Py_DECREF(e);
    Py_DECREF(args);
    return 0;
}

/* --- the builtin hierarchy ---------------------------------------------------------------- */

typedef struct {
    const char *name;
    PyObject **cls;
    PyObject **base;
} Edge;

#define EDGE(name, base) {#name, &PyExc_##name, &PyExc_##base}

/* Each builtin exception and its direct base in CPython 3.13. */
static const Edge hierarchy[] = {
    EDGE(BaseExceptionGroup, BaseException),
    EDGE(GeneratorExit, BaseException),
    EDGE(KeyboardInterrupt, BaseException),
    EDGE(SystemExit, BaseException),
    EDGE(Exception, BaseException),
    EDGE(ArithmeticError, Exception),
    EDGE(FloatingPointError, ArithmeticError),
    EDGE(OverflowError, ArithmeticError),
    EDGE(ZeroDivisionError, ArithmeticError),
    EDGE(AssertionError, Exception),
    EDGE(AttributeError, Exception),
    EDGE(BufferError, Exception),
    EDGE(EOFError, Exception),
    EDGE(ExceptionGroup, BaseExceptionGroup),
    EDGE(ImportError, Exception),
    EDGE(ModuleNotFoundError, ImportError),
    EDGE(LookupError, Exception),
    EDGE(IndexError, LookupError),
    EDGE(KeyError, LookupError),
    EDGE(MemoryError, Exception),
    EDGE(NameError, Exception),
    EDGE(UnboundLocalError, NameError),
    EDGE(OSError, Exception),
    EDGE(BlockingIOError, OSError),
    EDGE(ChildProcessError, OSError),
    EDGE(ConnectionError, OSError),
    EDGE(BrokenPipeError, ConnectionError),
    EDGE(ConnectionAbortedError, ConnectionError),
    EDGE(ConnectionRefusedError, ConnectionError),
    EDGE(ConnectionResetError, ConnectionError),
    EDGE(FileExistsError, OSError),
    EDGE(FileNotFoundError, OSError),
    EDGE(InterruptedError, OSError),
    EDGE(IsADirectoryError, OSError),
    EDGE(NotADirectoryError, OSError),
    EDGE(PermissionError, OSError),
    EDGE(ProcessLookupError, OSError),
    EDGE(TimeoutError, OSError),
    EDGE(ReferenceError, Exception),
    EDGE(RuntimeError, Exception),
    EDGE(NotImplementedError, RuntimeError),
    EDGE(PythonFinalizationError, RuntimeError),
    EDGE(RecursionError, RuntimeError),
    EDGE(StopAsyncIteration, Exception),
    EDGE(StopIteration, Exception),
    EDGE(SyntaxError, Exception),
    EDGE(IndentationError, SyntaxError),
    EDGE(TabError, IndentationError),
    EDGE(SystemError, Exception),
    EDGE(TypeError, Exception),
    EDGE(ValueError, Exception),
    EDGE(UnicodeError, ValueError),
    EDGE(UnicodeDecodeError, UnicodeError),
    EDGE(UnicodeEncodeError, UnicodeError),
    EDGE(UnicodeTranslateError, UnicodeError),
    EDGE(Warning, Exception),
    EDGE(BytesWarning, Warning),
    EDGE(DeprecationWarning, Warning),
    EDGE(EncodingWarning, Warning),
    EDGE(FutureWarning, Warning),
    EDGE(ImportWarning, Warning),
    EDGE(PendingDeprecationWarning, Warning),
    EDGE(ResourceWarning, Warning),
    EDGE(RuntimeWarning, Warning),
    EDGE(SyntaxWarning, Warning),
    EDGE(UnicodeWarning, Warning),
    EDGE(UserWarning, Warning),
};

static int is_sub(PyObject *a, PyObject *b) { return PyType_IsSubtype((PyTypeObject *)a, (PyTypeObject *)b); }

static int exception_hierarchy(void) {
    for (size_t i = 0; i < Py_ARRAY_LENGTH(hierarchy); i++) {
        const Edge *e = &hierarchy[i];
        PyObject *cls = *e->cls, *base = *e->base;
        if (!is_sub(cls, base) || is_sub(base, cls) || !is_sub(cls, PyExc_BaseException)) {
            fprintf(stderr, "  %s: wrong place in the hierarchy\n", e->name);
            return 1;
        }
        CHECK(PyExceptionClass_Check(cls));
        CHECK(Py_TYPE(cls) == &PyType_Type);
        CHECK(strcmp(((PyTypeObject *)cls)->tp_name, e->name) == 0);
        CHECK(_Py_IsImmortal(cls));
        CHECK(PyObject_IsSubclass(cls, base) == 1);
        /* Only BaseException's direct children escape `except Exception`. */
        int under_exception = is_sub(cls, PyExc_Exception);
        /* ExceptionGroup derives from both BaseExceptionGroup and Exception. */
        int expected = base != PyExc_BaseException || cls == PyExc_Exception || cls == PyExc_ExceptionGroup;
        if (under_exception != expected) {
            fprintf(stderr, "  %s: subclass of Exception is %d\n", e->name, under_exception);
            return 1;
        }
    }
    CHECK(is_sub(PyExc_KeyError, PyExc_LookupError) && is_sub(PyExc_LookupError, PyExc_Exception) &&
          is_sub(PyExc_Exception, PyExc_BaseException));
    CHECK(is_sub(PyExc_ModuleNotFoundError, PyExc_ImportError));
    CHECK(is_sub(PyExc_BrokenPipeError, PyExc_ConnectionError) && is_sub(PyExc_ConnectionError, PyExc_OSError));
    CHECK(!is_sub(PyExc_KeyError, PyExc_IndexError));
    CHECK(!is_sub(PyExc_SystemExit, PyExc_Exception));
    CHECK(!is_sub(PyExc_KeyboardInterrupt, PyExc_Exception));
    CHECK(!is_sub(PyExc_GeneratorExit, PyExc_Exception));
    CHECK(!is_sub(PyExc_Warning, PyExc_ValueError));
    CHECK(PyExc_IOError == PyExc_OSError && PyExc_EnvironmentError == PyExc_OSError);
    CHECK(((PyTypeObject *)PyExc_BaseException)->tp_base == &PyBaseObject_Type);
    CHECK(strcmp(((PyTypeObject *)PyExc_BaseException)->tp_name, "BaseException") == 0);
    return 0;
}

/* Every builtin exception can be raised, matched by its bases and printed. */
static int every_builtin_exception_raises(void) {
    for (size_t i = 0; i < Py_ARRAY_LENGTH(hierarchy); i++) {
        PyObject *cls = *hierarchy[i].cls;
        PyErr_SetNone(cls);
        CHECK(PyErr_Occurred() == cls);
        CHECK(PyErr_ExceptionMatches(*hierarchy[i].base));
        CHECK(PyErr_ExceptionMatches(PyExc_BaseException));
        PyObject *e = PyErr_GetRaisedException();
        CHECK(e != NULL && Py_TYPE(e) == (PyTypeObject *)cls);
        PyObject *r = PyObject_Repr(e);
        CHECK(r != NULL);
        char want[80];
        snprintf(want, sizeof want, "%s()", hierarchy[i].name);
        CHECK_STR(r, want);
        Py_DECREF(e);
    }
    return 0;
}

static const TestCase cases[] = {
    CASE(set_string_and_occurred),
    CASE(set_string_bad_type),
    CASE(set_object_values),
    CASE(raised_exception_round_trip),
    CASE(fetch_restore_round_trip),
    CASE(normalize_exception),
    CASE(given_exception_matches),
    CASE(shorthand_raisers),
    CASE(format_conversions),
    KEEPS_OBJECTS(print_writes_type_and_message),
    KEEPS_OBJECTS(print_shows_cause_and_context),
    KEEPS_OBJECTS(print_keeps_last_exception),
    CASE(print_of_system_exit_exits),
    CASE(print_of_system_exit_in_a_subinterpreter_returns),
    CASE(write_unraisable),
    KEEPS_OBJECTS(new_exception_classes), /* makes type dicts on first use */
    KEEPS_OBJECTS(new_exception_with_doc_and_namespace), /* makes type dicts on first use */
    CASE(new_exception_bad_names),
    KEEPS_OBJECTS(exception_cause_and_context), /* makes type dicts on first use */
    KEEPS_OBJECTS(exception_attribute_assignment), /* makes type dicts on first use */
    KEEPS_OBJECTS(exception_args), /* makes type dicts on first use */
    CASE(exception_object_null_arguments),
    CASE(exception_str_and_repr),
    CASE(exception_hierarchy),
    CASE(every_builtin_exception_raises),
};

TEST_MAIN(cases)
