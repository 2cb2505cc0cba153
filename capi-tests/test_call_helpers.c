/* PyObject_CallFunction, _CallMethod, _CallFunctionObjArgs, _CallMethodObjArgs,
 * PyObject_VectorcallMethod and the inline _CallMethodNoArgs/_OneArg. Also run
 * against CPython 3.13 itself (REFERENCE_SOURCES). */
#include "harness.h"

/* Returns its arguments tuple, so a test sees what the call passed. */
static PyObject *echo(PyObject *self, PyObject *args) { return Py_NewRef(args); }

static PyMethodDef echo_def = {"echo", echo, METH_VARARGS, NULL};

static PyObject *new_echo(void) { return PyCFunction_New(&echo_def, NULL); }

/* A class whose attribute `echo` is the function: calling it as a method of the
 * class passes the arguments unchanged. */
static PyObject *class_with_echo(void) {
    PyObject *ns = PyDict_New();
    PyObject *f = new_echo();
    if (ns == NULL || f == NULL || PyDict_SetItemString(ns, "echo", f) < 0) return NULL;
    Py_DECREF(f);
    PyObject *cls = PyErr_NewException("helpers.Holder", NULL, ns);
    Py_DECREF(ns);
    return cls;
}

static int args_are(PyObject *r, Py_ssize_t n, const long *values) {
    if (r == NULL || !PyTuple_Check(r) || PyTuple_GET_SIZE(r) != n) return 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyLong_AsLong(PyTuple_GET_ITEM(r, i)) != values[i]) return 0;
    return 1;
}

static int call_function_with_a_format(void) {
    PyObject *f = new_echo();
    CHECK(f != NULL);
    PyObject *r = PyObject_CallFunction(f, NULL);
    CHECK(args_are(r, 0, NULL));
    Py_DECREF(r);
    r = PyObject_CallFunction(f, "");
    CHECK(args_are(r, 0, NULL));
    Py_DECREF(r);
    r = PyObject_CallFunction(f, "i", 7); /* one value: one argument */
    CHECK(args_are(r, 1, (long[]){7}));
    Py_DECREF(r);
    r = PyObject_CallFunction(f, "ii", 1, 2); /* several: the tuple is the arguments */
    CHECK(args_are(r, 2, (long[]){1, 2}));
    Py_DECREF(r);
    r = PyObject_CallFunction(f, "(ii)", 3, 4); /* a tuple: its items */
    CHECK(args_are(r, 2, (long[]){3, 4}));
    Py_DECREF(r);
    r = PyObject_CallFunction(f, "[i]", 5); /* a list: one argument */
    CHECK(r != NULL && PyTuple_GET_SIZE(r) == 1 && PyList_Check(PyTuple_GET_ITEM(r, 0)));
    Py_DECREF(r);
    CHECK(PyObject_CallFunction(f, "O", (PyObject *)NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyObject_CallFunction(NULL, "i", 1) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyObject *not_callable = PyLong_FromLong(3);
    CHECK(PyObject_CallFunction(not_callable, "i", 1) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    Py_DECREF(not_callable);
    Py_DECREF(f);
    return 0;
}

static int call_with_object_lists(void) {
    PyObject *f = new_echo();
    PyObject *one = PyLong_FromLong(1), *two = PyLong_FromLong(2);
    PyObject *r = PyObject_CallFunctionObjArgs(f, one, two, NULL);
    CHECK(args_are(r, 2, (long[]){1, 2}));
    Py_DECREF(r);
    r = PyObject_CallFunctionObjArgs(f, NULL);
    CHECK(args_are(r, 0, NULL));
    Py_DECREF(r);
    PyObject *cls = class_with_echo();
    CHECK(cls != NULL);
    PyObject *name = PyUnicode_FromString("echo");
    r = PyObject_CallMethodObjArgs(cls, name, two, one, NULL);
    CHECK(args_are(r, 2, (long[]){2, 1}));
    Py_DECREF(r);
    PyObject *missing = PyUnicode_FromString("no_such_method");
    CHECK(PyObject_CallMethodObjArgs(cls, missing, one, NULL) == NULL);
    CHECK_RAISED(PyExc_AttributeError);
    Py_DECREF(missing);
    Py_DECREF(name);
    Py_DECREF(cls);
    Py_DECREF(one);
    Py_DECREF(two);
    Py_DECREF(f);
    return 0;
}

static int call_methods(void) {
    PyObject *cls = class_with_echo();
    CHECK(cls != NULL);
    PyObject *r = PyObject_CallMethod(cls, "echo", "ii", 8, 9);
    CHECK(args_are(r, 2, (long[]){8, 9}));
    Py_DECREF(r);
    r = PyObject_CallMethod(cls, "echo", NULL);
    CHECK(args_are(r, 0, NULL));
    Py_DECREF(r);
    CHECK(PyObject_CallMethod(cls, "absent", "i", 1) == NULL);
    CHECK_RAISED(PyExc_AttributeError);
    PyObject *name = PyUnicode_FromString("echo");
    PyObject *three = PyLong_FromLong(3);
    /* The vectorcall form: args[0] is the object; the rest are the arguments. */
    PyObject *argv[3] = {cls, three, three};
    r = PyObject_VectorcallMethod(name, argv, 3 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    CHECK(args_are(r, 2, (long[]){3, 3}));
    Py_DECREF(r);
    r = PyObject_CallMethodOneArg(cls, name, three);
    CHECK(args_are(r, 1, (long[]){3}));
    Py_DECREF(r);
    r = PyObject_CallMethodNoArgs(cls, name);
    CHECK(args_are(r, 0, NULL));
    Py_DECREF(r);
    Py_DECREF(three);
    Py_DECREF(name);
    Py_DECREF(cls);
    return 0;
}

static int os_snprintf_always_terminates(void) {
    char small[5];
    memset(small, 'x', sizeof small);
    CHECK(PyOS_snprintf(small, sizeof small, "%d-%s", 12, "abc") == 6);
    CHECK(strcmp(small, "12-a") == 0);
    char room[32];
    CHECK(PyOS_snprintf(room, sizeof room, "%s %zd", "n", (Py_ssize_t)-4) == 4 && strcmp(room, "n -4") == 0);
    return 0;
}

static const TestCase cases[] = {
    CASE(os_snprintf_always_terminates),
    CASE(call_function_with_a_format),
    KEEPS_OBJECTS(call_with_object_lists), /* makes type dicts on first use */
    KEEPS_OBJECTS(call_methods), /* makes type dicts on first use */
};

TEST_MAIN(cases)
