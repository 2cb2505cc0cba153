/* C-API micro-benchmarks in one interpreter: nanoseconds per operation, best of 5
 * runs of N iterations each. */
#include "common.h"

#define N 2000000

typedef void (*Op)(long i);

static PyObject *key, *value, *dict, *a, *b, *c;

static void long_from_long(long i) {
    PyObject *o = PyLong_FromLong(i + 1000);
    Py_DECREF(o);
}

static void tuple_pack3(long i) {
    PyObject *t = PyTuple_Pack(3, a, b, c);
    Py_DECREF(t);
}

static void dict_set_get(long i) {
    PyDict_SetItem(dict, key, value);
    if (PyDict_GetItemWithError(dict, key) == NULL) abort();
}

static void unicode_from_string(long i) {
    PyObject *s = PyUnicode_FromString("sixteen chars!!!");
    Py_DECREF(s);
}

static void number_add(long i) {
    PyObject *r = PyNumber_Add(a, b);
    Py_DECREF(r);
}

static PyObject *args3;

static void parse_tuple(long i) {
    long x;
    const char *s;
    PyObject *o;
    if (!PyArg_ParseTuple(args3, "lsO", &x, &s, &o)) abort();
}

static void build_value(long i) {
    PyObject *t = Py_BuildValue("(lsO)", i, "text", a);
    Py_DECREF(t);
}

static PyObject *len_name, *echo_name, *holder_instance, *fast_function;

/* An attribute found in str's (per-interpreter) type dict: the __len__ slot wrapper. */
static void str_attribute(long i) {
    PyObject *m = PyObject_GetAttr(c, len_name);
    Py_DECREF(m);
}

/* An attribute of a heap type (a class made at run time), found in its dict. */
static void heap_type_attribute(long i) {
    PyObject *m = PyObject_GetAttr(holder_instance, echo_name);
    Py_DECREF(m);
}

static PyObject *norm_name, *point_instance;

/* A method of a heap type made from a spec, read from an instance: a bound method
 * made each time (the attribute bench/attr.c times). */
static void heap_method_attribute(long i) {
    PyObject *m = PyObject_GetAttr(point_instance, norm_name);
    Py_DECREF(m);
}

static PyObject *norm(PyObject *self, PyObject *unused) { return PyLong_FromLong(0); }

static PyMethodDef point_methods[] = {{"norm", norm, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};

static PyType_Slot point_slots[] = {{Py_tp_methods, point_methods}, {Py_tp_new, PyType_GenericNew}, {0, NULL}};

static PyType_Spec point_spec = {
    .name = "bench.Point", .basicsize = sizeof(PyObject), .flags = Py_TPFLAGS_DEFAULT, .slots = point_slots};

static PyObject *fast_identity(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    return Py_NewRef(nargs ? args[0] : Py_None);
}

static PyMethodDef fast_def = {"fast", (PyCFunction)(void (*)(void))fast_identity, METH_FASTCALL, NULL};

static void fastcall_call(long i) {
    PyObject *r = PyObject_Vectorcall(fast_function, &a, 1, NULL);
    Py_DECREF(r);
}

static PyObject *list100;

/* Iterating a list of 100 ints: PyObject_GetIter, then PyIter_Next to the end. */
static void iterate_list(long i) {
    PyObject *it = PyObject_GetIter(list100);
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) Py_DECREF(item);
    Py_DECREF(it);
}

#if PY_VERSION_HEX >= 0x030C0000
/* An isolated interpreter (own GIL, own heap) made and ended. */
static void interpreter_create_end(long i) {
    PyThreadState *main_ts = PyThreadState_Get();
    Py_EndInterpreter(new_interp(&isolated_config));
    PyThreadState_Swap(main_ts);
}

/* The same, reading sys.path in between: an interpreter that uses sys. */
static void interpreter_with_sys(long i) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *ts = new_interp(&isolated_config);
    if (PySys_GetObject("path") == NULL) abort();
    Py_EndInterpreter(ts);
    PyThreadState_Swap(main_ts);
}
#endif

static const struct {
    const char *id, *name;
    Op op;
    long n; /* iterations per timed run when not N (for slow operations) */
} ops[] = {
    {"long", "PyLong_FromLong + DECREF", long_from_long},
    {"tuple", "PyTuple_Pack(3) + DECREF", tuple_pack3},
    {"dict", "PyDict_SetItem + GetItem (interned key)", dict_set_get},
    {"str", "PyUnicode_FromString, 16 ASCII chars", unicode_from_string},
    {"add", "PyNumber_Add, two ints + DECREF", number_add},
    {"parse", "PyArg_ParseTuple(\"lsO\")", parse_tuple},
    {"build", "Py_BuildValue(\"(lsO)\") + DECREF", build_value},
    {"strattr", "PyObject_GetAttr(str, '__len__') + DECREF", str_attribute},
    {"heapattr", "PyObject_GetAttr(heap type, its attribute)", heap_type_attribute},
    {"heapmeth", "PyObject_GetAttr(instance, method of a spec type)", heap_method_attribute},
    {"fastcall", "METH_FASTCALL function, PyObject_Vectorcall", fastcall_call},
    {"iter", "PyObject_GetIter + PyIter_Next over 100 items", iterate_list},
#if PY_VERSION_HEX >= 0x030C0000
    {"interp", "Py_NewInterpreterFromConfig + Py_EndInterpreter", interpreter_create_end, 200},
    {"interpsys", "the same, reading sys.path in between", interpreter_with_sys, 200},
#endif
};

static void measure(const char *name, Op op, long n) {
    double best = 1e30;
    for (int run = 0; run < 5; run++) {
        double t0 = now_us();
        for (long i = 0; i < n; i++) op(i);
        double ns = (now_us() - t0) * 1e3 / n;
        if (ns < best) best = ns;
    }
    printf("%-45s %7.1f ns/op\n", name, best);
}

/* `micro`: timings of every operation. `micro OP N`: just N runs of OP, untimed, for
 * counting instructions (bench/instructions.sh runs it under callgrind). */
int main(int argc, char **argv) {
    Py_Initialize();
    key = PyUnicode_InternFromString("interned-key");
    value = PyLong_FromLong(12345);
    dict = PyDict_New();
    a = PyLong_FromLong(100000);
    b = PyLong_FromLong(200000);
    c = PyUnicode_FromString("c");
    args3 = Py_BuildValue("(lsO)", 7L, "text", a);
    list100 = PyList_New(100);
    for (long k = 0; k < 100; k++) PyList_SET_ITEM(list100, k, PyLong_FromLong(k));
    len_name = PyUnicode_InternFromString("__len__");
    echo_name = PyUnicode_InternFromString("echo");
    fast_function = PyCFunction_New(&fast_def, NULL);
    PyObject *ns = Py_BuildValue("{s:O}", "echo", fast_function);
    PyObject *holder = PyErr_NewException("bench.Holder", NULL, ns);
    holder_instance = holder;
    Py_DECREF(ns);
    norm_name = PyUnicode_InternFromString("norm");
    PyObject *point_type = PyType_FromSpec(&point_spec);
    point_instance = point_type ? PyObject_CallNoArgs(point_type) : NULL;
    Py_XDECREF(point_type);
    if (holder_instance == NULL || fast_function == NULL || point_instance == NULL) {
        PyErr_Print();
        return 1;
    }
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        if (argc == 3) {
            if (strcmp(argv[1], ops[k].id) != 0) continue;
            long n = atol(argv[2]);
            for (long i = 0; i < n; i++) ops[k].op(i);
        } else {
            measure(ops[k].name, ops[k].op, ops[k].n ? ops[k].n : N);
        }
    }
    Py_DECREF(key); Py_DECREF(value); Py_DECREF(dict); Py_DECREF(a); Py_DECREF(b); Py_DECREF(c); Py_DECREF(args3);
    Py_DECREF(len_name); Py_DECREF(echo_name); Py_DECREF(holder_instance); Py_DECREF(fast_function); Py_DECREF(list100);
    Py_DECREF(norm_name); Py_DECREF(point_instance);
    Py_FinalizeEx();
    return 0;
}
