/* An extension for the interpreters-module tests: functions implemented in C that
 * Interpreter.call() runs in another interpreter. `block` waits (in the interpreter
 * that runs it) until `release` is called from anywhere in the process, so that a
 * test can see an interpreter running. Safe in interpreters with their own GIL. */
#include <Python.h>
#include <stdatomic.h>
#include <unistd.h>

static atomic_int entered, released;

static PyObject *block(PyObject *m, PyObject *unused) {
    atomic_store(&entered, 1);
    while (!atomic_load(&released)) usleep(1000);
    atomic_store(&released, 0);
    atomic_store(&entered, 0);
    Py_RETURN_NONE;
}

static PyObject *release(PyObject *m, PyObject *unused) {
    atomic_store(&released, 1);
    Py_RETURN_NONE;
}

static PyObject *is_blocked(PyObject *m, PyObject *unused) { return PyBool_FromLong(atomic_load(&entered)); }

/* (a + b, the id of the interpreter this ran in) */
static PyObject *add_where(PyObject *m, PyObject *const *args, Py_ssize_t n) {
    if (n != 2) {
        PyErr_SetString(PyExc_TypeError, "add_where() takes 2 arguments");
        return NULL;
    }
    PyObject *sum = PyNumber_Add(args[0], args[1]);
    if (!sum) return NULL;
    return Py_BuildValue("(NL)", sum, (long long)PyInterpreterState_GetID(PyInterpreterState_Get()));
}

/* Raises KeyError(key) when called with key=...; else returns the keywords' count. */
static PyObject *keywords(PyObject *m, PyObject *args, PyObject *kwargs) {
    PyObject *key = kwargs ? PyDict_GetItemString(kwargs, "key") : NULL;
    if (key) {
        PyErr_SetObject(PyExc_KeyError, key);
        return NULL;
    }
    return PyLong_FromSsize_t(kwargs ? PyDict_Size(kwargs) : 0);
}

static PyMethodDef methods[] = {
    {"block", block, METH_NOARGS, NULL},
    {"release", release, METH_NOARGS, NULL},
    {"is_blocked", is_blocked, METH_NOARGS, NULL},
    {"add_where", _PyCFunction_CAST(add_where), METH_FASTCALL, NULL},
    {"keywords", _PyCFunction_CAST(keywords), METH_VARARGS | METH_KEYWORDS, NULL},
    {NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "xi_ext",
    .m_size = 0,
    .m_methods = methods,
    .m_slots = slots,
};

PyMODINIT_FUNC PyInit_xi_ext(void) { return PyModuleDef_Init(&def); }
