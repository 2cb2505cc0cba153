/* Attribute lookup: a method of a heap type made from a spec (the bound method made
 * each time) and a slot wrapper of str (`s.__len__`, a bound method-wrapper), each
 * looked up by an interned name and released; then the same with the lookup alone
 * (the unbound attribute read from the type). Best of 5 runs of N lookups. */
#include "common.h"

#define N 1000000
#define RUNS 5

static PyObject *norm(PyObject *self, PyObject *unused) { return PyLong_FromLong(0); }

static PyMethodDef methods[] = {{"norm", norm, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};

static PyType_Slot slots[] = {{Py_tp_methods, methods}, {Py_tp_new, PyType_GenericNew}, {0, NULL}};

static PyType_Spec spec = {
    .name = "bench.Point", .basicsize = sizeof(PyObject), .flags = Py_TPFLAGS_DEFAULT, .slots = slots};

/* Nanoseconds per getattr(o, name), best of RUNS. */
static double per_lookup_ns(PyObject *o, PyObject *name) {
    double best = 1e300;
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_us();
        for (int i = 0; i < N; i++) {
            PyObject *v = PyObject_GetAttr(o, name);
            if (v == NULL) {
                PyErr_Print();
                exit(1);
            }
            Py_DECREF(v);
        }
        double t = (now_us() - t0) * 1000.0 / N;
        if (t < best) best = t;
    }
    return best;
}

int main(void) {
    Py_Initialize();
    PyObject *type = PyType_FromSpec(&spec);
    PyObject *inst = type ? PyObject_CallNoArgs(type) : NULL;
    if (inst == NULL) {
        PyErr_Print();
        return 1;
    }
    PyObject *norm_name = PyUnicode_InternFromString("norm");
    PyObject *len_name = PyUnicode_InternFromString("__len__");
    PyObject *s = PyUnicode_FromString("some text");
    printf("heap type method, bound (inst.norm):   %6.1f ns\n", per_lookup_ns(inst, norm_name));
    printf("heap type method, from the type:       %6.1f ns\n", per_lookup_ns(type, norm_name));
    printf("str slot wrapper, bound (s.__len__):   %6.1f ns\n", per_lookup_ns(s, len_name));
    printf("str slot wrapper, from the type:       %6.1f ns\n", per_lookup_ns((PyObject *)&PyUnicode_Type, len_name));
    Py_DECREF(s);
    Py_DECREF(len_name);
    Py_DECREF(norm_name);
    Py_DECREF(inst);
    Py_DECREF(type);
    return Py_FinalizeEx() < 0;
}
