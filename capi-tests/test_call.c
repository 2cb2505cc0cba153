/* Builtin functions from PyMethodDef (every METH_* convention, CPython's argument
 * errors, attributes) and the call protocol (PyObject_Call*, vectorcall). */
#include "harness.h"

static PyObject *seen_self;

/* {key: value} (value stolen). */
static PyObject *dict1(const char *key, PyObject *value) {
    PyObject *d = PyDict_New();
    PyDict_SetItemString(d, key, value);
    Py_DECREF(value);
    return d;
}
static PyObject *names1(const char *name) {
    PyObject *n = PyUnicode_FromString(name);
    PyObject *t = PyTuple_Pack(1, n);
    Py_DECREF(n);
    return t;
}


/* Returns a tuple (self or None, args..., kwargs or None) so tests see what the
 * convention delivered. */
static PyObject *report(PyObject *self, PyObject *const *args, Py_ssize_t n, PyObject *kw) {
    PyObject *t = PyTuple_New(n + 2);
    if (!t) return NULL;
    PyTuple_SET_ITEM(t, 0, Py_NewRef(self ? self : Py_None));
    for (Py_ssize_t i = 0; i < n; i++) PyTuple_SET_ITEM(t, i + 1, Py_NewRef(args[i]));
    PyTuple_SET_ITEM(t, n + 1, Py_NewRef(kw ? kw : Py_None));
    return t;
}

static PyObject *f_noargs(PyObject *self, PyObject *unused) {
    seen_self = self;
    if (unused != NULL) return PyErr_Format(PyExc_AssertionError, "NOARGS got an argument");
    return PyLong_FromLong(7);
}
static PyObject *f_o(PyObject *self, PyObject *arg) { return report(self, &arg, 1, NULL); }
static PyObject *f_varargs(PyObject *self, PyObject *args) {
    return report(self, &PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args), NULL);
}
static PyObject *f_varargs_kw(PyObject *self, PyObject *args, PyObject *kw) {
    return report(self, &PyTuple_GET_ITEM(args, 0), PyTuple_GET_SIZE(args), kw);
}
static PyObject *f_fast(PyObject *self, PyObject *const *args, Py_ssize_t n) { return report(self, args, n, NULL); }
static PyObject *f_fast_kw(PyObject *self, PyObject *const *args, Py_ssize_t n, PyObject *kwnames) {
    PyObject *t = report(self, args, n + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0), kwnames);
    return t;
}
static PyTypeObject *seen_class;
static PyObject *f_method(PyObject *self, PyTypeObject *cls, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    seen_class = cls;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    return report(self, args, n + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0), kwnames);
}
static PyObject *f_null_no_error(PyObject *self, PyObject *unused) { return NULL; }
static PyObject *f_result_and_error(PyObject *self, PyObject *unused) {
    PyErr_SetString(PyExc_ValueError, "stray");
    return Py_NewRef(Py_None);
}
static PyObject *f_raises(PyObject *self, PyObject *arg) {
    PyErr_SetString(PyExc_KeyError, "raised");
    return NULL;
}

static PyMethodDef defs[] = {
    {"noargs", f_noargs, METH_NOARGS, "noargs()\n--\n\nTakes nothing."},
    {"one", f_o, METH_O, "Takes one."},
    {"var", f_varargs, METH_VARARGS, NULL},
    {"varkw", _PyCFunction_CAST(f_varargs_kw), METH_VARARGS | METH_KEYWORDS, NULL},
    {"fast", _PyCFunction_CAST(f_fast), METH_FASTCALL, NULL},
    {"fastkw", _PyCFunction_CAST(f_fast_kw), METH_FASTCALL | METH_KEYWORDS, NULL},
    {"meth", _PyCFunction_CAST(f_method), METH_METHOD | METH_FASTCALL | METH_KEYWORDS, NULL},
    {"null_no_error", f_null_no_error, METH_NOARGS, NULL},
    {"result_and_error", f_result_and_error, METH_NOARGS, NULL},
    {"raises", f_raises, METH_O, NULL},
    {"bad", f_o, METH_O | METH_NOARGS, NULL},
    {NULL},
};
enum { NOARGS, ONE, VAR, VARKW, FAST, FASTKW, METH, NULL_NO_ERROR, RESULT_AND_ERROR, RAISES, BAD };

/* The message of the pending exception (which must be `exc`), cleared. */
static int error_text_is(PyObject *exc, const char *text) {
    PyObject *e = PyErr_GetRaisedException();
    if (!e || !PyErr_GivenExceptionMatches(e, exc)) {
        fprintf(stderr, "  wrong or no exception\n");
        Py_XDECREF(e);
        return 0;
    }
    PyObject *s = PyObject_Str(e);
    int same = s && strcmp(PyUnicode_AsUTF8AndSize(s, NULL), text) == 0;
    if (!same) fprintf(stderr, "  got \"%s\", expected \"%s\"\n", s ? PyUnicode_AsUTF8AndSize(s, NULL) : "?", text);
    Py_XDECREF(s);
    Py_DECREF(e);
    return same;
}

static int noargs_and_o(void) {
    PyObject *self = PyUnicode_FromString("me");
    PyObject *f = PyCFunction_New(&defs[NOARGS], self);
    CHECK(f && PyCFunction_Check(f) && PyCallable_Check(f));
    PyObject *r = PyObject_CallNoArgs(f);
    CHECK(r && PyLong_AsLong(r) == 7 && seen_self == self);
    Py_DECREF(r);
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyObject_CallOneArg(f, one) == NULL);
    CHECK(error_text_is(PyExc_TypeError, "str.noargs() takes no arguments (1 given)"));
    PyObject *g = PyCFunction_New(&defs[ONE], NULL);
    CHECK(PyObject_CallNoArgs(g) == NULL);
    CHECK(error_text_is(PyExc_TypeError, "one() takes exactly one argument (0 given)"));
    PyObject *args2[] = {one, one};
    CHECK(PyObject_Vectorcall(g, args2, 2, NULL) == NULL);
    CHECK(error_text_is(PyExc_TypeError, "one() takes exactly one argument (2 given)"));
    r = PyObject_CallOneArg(g, one);
    CHECK(r && PyTuple_GET_SIZE(r) == 3 && PyTuple_GET_ITEM(r, 0) == Py_None && PyTuple_GET_ITEM(r, 1) == one);
    Py_DECREF(r);
    /* Keywords are refused by conventions without METH_KEYWORDS. */
    PyObject *kw = dict1("x", PyLong_FromLong(1));
    PyObject *empty = PyTuple_New(0);
    CHECK(PyObject_Call(g, empty, kw) == NULL);
    CHECK(error_text_is(PyExc_TypeError, "one() takes no keyword arguments"));
    Py_DECREF(empty); Py_DECREF(kw);
    Py_DECREF(one); Py_DECREF(f); Py_DECREF(g); Py_DECREF(self);
    return 0;
}

static int varargs_and_keywords(void) {
    PyObject *var = PyCFunction_New(&defs[VAR], NULL);
    PyObject *varkw = PyCFunction_New(&defs[VARKW], NULL);
    PyObject *args = PyTuple_Pack(2, PyLong_FromLong(1), PyLong_FromLong(2));
    PyObject *kw = dict1("k", PyLong_FromLong(3));
    PyObject *r = PyObject_CallObject(var, args);
    CHECK(r && PyTuple_GET_SIZE(r) == 4 && PyLong_AsLong(PyTuple_GET_ITEM(r, 2)) == 2);
    Py_DECREF(r);
    CHECK(PyObject_Call(var, args, kw) == NULL);
    CHECK(error_text_is(PyExc_TypeError, "var() takes no keyword arguments"));
    r = PyObject_Call(varkw, args, kw);
    CHECK(r && PyDict_Check(PyTuple_GET_ITEM(r, 3)));
    CHECK(PyLong_AsLong(PyDict_GetItemString(PyTuple_GET_ITEM(r, 3), "k")) == 3);
    Py_DECREF(r);
    /* Vectorcall into a VARARGS function: the keyword names become a dict. */
    PyObject *vals[] = {PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1)};
    PyObject *names = names1("k");
    r = PyObject_Vectorcall(varkw, vals, 1, names);
    CHECK(r && PyTuple_GET_SIZE(r) == 3);
    CHECK(PyLong_AsLong(PyDict_GetItemString(PyTuple_GET_ITEM(r, 2), "k")) == 2);
    Py_DECREF(r);
    r = PyObject_CallObject(var, NULL);
    CHECK(r && PyTuple_GET_SIZE(r) == 2);
    Py_DECREF(r);
    CHECK(PyObject_CallObject(var, kw) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(names); Py_DECREF(args); Py_DECREF(kw); Py_DECREF(var); Py_DECREF(varkw);
    return 0;
}

static int fastcall_conventions(void) {
    PyObject *fast = PyCFunction_New(&defs[FAST], NULL);
    PyObject *fastkw = PyCFunction_New(&defs[FASTKW], NULL);
    PyObject *a = PyLong_FromLong(10), *b = PyLong_FromLong(20);
    /* PY_VECTORCALL_ARGUMENTS_OFFSET: args[-1] is scratch space. */
    PyObject *buf[] = {NULL, a, b};
    PyObject *r = PyObject_Vectorcall(fast, buf + 1, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    CHECK(r && PyTuple_GET_SIZE(r) == 4 && PyTuple_GET_ITEM(r, 2) == b);
    Py_DECREF(r);
    PyObject *names = names1("b");
    CHECK(PyObject_Vectorcall(fast, buf + 1, 1, names) == NULL);
    CHECK(error_text_is(PyExc_TypeError, "fast() takes no keyword arguments"));
    r = PyObject_Vectorcall(fastkw, buf + 1, 1, names);
    CHECK(r && PyTuple_GET_SIZE(r) == 4 && PyTuple_GET_ITEM(r, 3) == names);
    Py_DECREF(r);
    /* The same through a dict. */
    PyObject *kw = dict1("b", Py_NewRef(b));
    r = PyObject_VectorcallDict(fastkw, buf + 1, 1, kw);
    CHECK(r && PyTuple_GET_SIZE(r) == 4 && PyTuple_GET_ITEM(r, 2) == b);
    CHECK(PyUnicode_Check(PyTuple_GET_ITEM(PyTuple_GET_ITEM(r, 3), 0)));
    Py_DECREF(r);
    /* And through a tuple and dict. */
    PyObject *args = PyTuple_Pack(1, a);
    r = PyObject_Call(fastkw, args, kw);
    CHECK(r && PyTuple_GET_SIZE(r) == 4 && PyTuple_GET_ITEM(r, 1) == a && PyTuple_GET_ITEM(r, 2) == b);
    Py_DECREF(r);
    CHECK(PyVectorcall_Function(fast) != NULL);
    CHECK(PyVectorcall_NARGS(3 | PY_VECTORCALL_ARGUMENTS_OFFSET) == 3);
    Py_DECREF(args); Py_DECREF(kw); Py_DECREF(names); Py_DECREF(a); Py_DECREF(b);
    Py_DECREF(fast); Py_DECREF(fastkw);
    return 0;
}

static int method_gets_defining_class(void) {
    PyObject *self = PyLong_FromLong(5);
    CHECK(PyCMethod_New(&defs[METH], self, NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyCMethod_New(&defs[ONE], self, NULL, &PyLong_Type) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyObject *m = PyCMethod_New(&defs[METH], self, NULL, &PyLong_Type);
    CHECK(m && PyCMethod_Check(m) && PyCFunction_Check(m));
    CHECK(PyCFunction_GET_CLASS(m) == &PyLong_Type);
    PyObject *x = PyUnicode_FromString("x");
    PyObject *names = names1("kw");
    PyObject *args[] = {x, x};
    seen_class = NULL;
    PyObject *r = PyObject_Vectorcall(m, args, 1, names);
    CHECK(r && seen_class == &PyLong_Type && PyTuple_GET_ITEM(r, 0) == self && PyTuple_GET_SIZE(r) == 4);
    Py_DECREF(r); Py_DECREF(names); Py_DECREF(x); Py_DECREF(m); Py_DECREF(self);
    return 0;
}

static int bad_flags_and_contract_breaks(void) {
    CHECK(PyCFunction_New(&defs[BAD], NULL) == NULL);
    CHECK(error_text_is(PyExc_SystemError, "bad() method: bad call flags"));
    CHECK(PyCFunction_New(NULL, NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyObject *f = PyCFunction_New(&defs[NULL_NO_ERROR], NULL);
    CHECK(PyObject_CallNoArgs(f) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    Py_DECREF(f);
    f = PyCFunction_New(&defs[RESULT_AND_ERROR], NULL);
    CHECK(PyObject_CallNoArgs(f) == NULL);
    PyObject *e = PyErr_GetRaisedException();
    CHECK(e && PyErr_GivenExceptionMatches(e, PyExc_SystemError));
    PyObject *cause = PyException_GetCause(e);
    CHECK(cause && PyErr_GivenExceptionMatches(cause, PyExc_ValueError));
    Py_DECREF(cause); Py_DECREF(e); Py_DECREF(f);
    f = PyCFunction_New(&defs[RAISES], NULL);
    CHECK(PyObject_CallOneArg(f, Py_None) == NULL);
    CHECK_RAISED(PyExc_KeyError);
    Py_DECREF(f);
    /* Not callable. */
    PyObject *n = PyLong_FromLong(3);
    CHECK(PyObject_CallNoArgs(n) == NULL);
    CHECK(error_text_is(PyExc_TypeError, "'int' object is not callable"));
    PyObject *none = PyTuple_New(0);
    CHECK(PyVectorcall_Call(n, none, NULL) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(none);
    Py_DECREF(n);
    return 0;
}

static int attributes_and_accessors(void) {
    PyObject *mod = PyUnicode_FromString("mymod");
    PyObject *f = PyCFunction_NewEx(&defs[NOARGS], NULL, mod);
    CHECK_STR(PyObject_GetAttrString(f, "__name__"), "noargs");
    CHECK_STR(PyObject_GetAttrString(f, "__qualname__"), "noargs");
    CHECK_STR(PyObject_GetAttrString(f, "__module__"), "mymod");
    CHECK_STR(PyObject_GetAttrString(f, "__doc__"), "Takes nothing.");
    PyObject *s = PyObject_GetAttrString(f, "__self__");
    CHECK(s == Py_None);
    Py_DECREF(s);
    CHECK_STR(PyObject_Repr(f), "<built-in function noargs>");
    PyObject *one = PyLong_FromLong(1);
    CHECK(PyObject_CallOneArg(f, one) == NULL);
    CHECK(error_text_is(PyExc_TypeError, "mymod.noargs() takes no arguments (1 given)"));
    CHECK(PyCFunction_GetFunction(f) == f_noargs);
    CHECK(PyCFunction_GetFlags(f) == METH_NOARGS);
    CHECK(PyCFunction_GetSelf(f) == NULL && !PyErr_Occurred());
    CHECK(PyCFunction_GET_FUNCTION(f) == f_noargs && PyCFunction_GET_FLAGS(f) == METH_NOARGS);
    CHECK(PyCFunction_GetSelf(one) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyObject *bound = PyCFunction_New(&defs[ONE], one);
    CHECK(PyCFunction_GetSelf(bound) == one && PyCFunction_GET_SELF(bound) == one);
    CHECK_STR(PyObject_GetAttrString(bound, "__qualname__"), "int.one");
    s = PyObject_GetAttrString(bound, "__self__");
    CHECK(s == one);
    Py_DECREF(s);
    PyObject *m = PyObject_GetAttrString(bound, "__module__");
    CHECK(m == Py_None);
    Py_DECREF(m);
    Py_DECREF(bound); Py_DECREF(one); Py_DECREF(f); Py_DECREF(mod);
    return 0;
}

/* ABI only in 3.13 (binaries built for older versions call it): no header declares
 * it, so the test does. */
PyObject *PyCFunction_Call(PyObject *callable, PyObject *args, PyObject *kwargs);

/* Methods looked up on the first argument. */
static int method_calls(void) {
    PyObject *m = PyModule_New("holder");
    PyObject *f = PyCFunction_New(&defs[ONE], NULL);
    CHECK(PyModule_AddObjectRef(m, "one", f) == 0);
    PyObject *name = PyUnicode_FromString("one");
    PyObject *arg = PyLong_FromLong(9);
    PyObject *r = PyObject_CallMethodOneArg(m, name, arg);
    CHECK(r && PyTuple_GET_ITEM(r, 1) == arg);
    Py_DECREF(r);
    CHECK(PyObject_CallMethodNoArgs(m, name) == NULL);
    CHECK(error_text_is(PyExc_TypeError, "one() takes exactly one argument (0 given)"));
    PyObject *args[] = {m, arg};
    r = PyObject_VectorcallMethod(name, args, 2, NULL);
    CHECK(r && PyTuple_GET_ITEM(r, 1) == arg);
    Py_DECREF(r);
    PyObject *missing = PyUnicode_FromString("missing");
    CHECK(PyObject_VectorcallMethod(missing, args, 2, NULL) == NULL);
    CHECK_RAISED(PyExc_AttributeError);
    PyObject *t = PyTuple_Pack(1, arg);
    r = PyCFunction_Call(f, t, NULL);
    CHECK(r && PyTuple_GET_ITEM(r, 1) == arg);
    Py_DECREF(r); Py_DECREF(t);
    Py_DECREF(missing); Py_DECREF(arg); Py_DECREF(name); Py_DECREF(f); Py_DECREF(m);
    return 0;
}

/* A function made in one interpreter works there; the same def is shared. */
static int functions_in_isolated_interpreters(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    PyObject *f = PyCFunction_New(&defs[FAST], NULL);
    PyObject *a = PyLong_FromLong(100000);
    PyObject *r = PyObject_CallOneArg(f, a);
    CHECK(r && PyTuple_GET_ITEM(r, 1) == a);
    Py_DECREF(r); Py_DECREF(a); Py_DECREF(f);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    return 0;
}

static const TestCase cases[] = {
    CASE(noargs_and_o),
    CASE(varargs_and_keywords),
    CASE(fastcall_conventions),
    CASE(method_gets_defining_class),
    CASE(bad_flags_and_contract_breaks),
    KEEPS_OBJECTS(attributes_and_accessors), /* makes type dicts on first use */
    KEEPS_OBJECTS(method_calls), /* makes type dicts on first use */
    CASE(functions_in_isolated_interpreters),
};
TEST_MAIN(cases)
