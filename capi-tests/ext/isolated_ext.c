/* A multi-phase extension in the modern style: per-module state, exec slot, safe in
 * interpreters with their own GIL. Counts m_free calls process-wide. */
#include <Python.h>
#include <stdatomic.h>

typedef struct { long counter; } State;

/* Read by the tests through dlsym: how many modules' m_free ran. */
Py_EXPORTED_SYMBOL atomic_int isolated_ext_frees;

static PyObject *bump(PyObject *m, PyObject *unused) {
    State *st = PyModule_GetState(m);
    return PyLong_FromLong(++st->counter);
}

static PyObject *state_address(PyObject *m, PyObject *unused) {
    return PyLong_FromVoidPtr(PyModule_GetState(m));
}

static PyObject *add(PyObject *m, PyObject *const *args, Py_ssize_t n) {
    if (n != 2) {
        PyErr_SetString(PyExc_TypeError, "add() takes 2 arguments");
        return NULL;
    }
    return PyNumber_Add(args[0], args[1]);
}

static PyMethodDef methods[] = {
    {"bump", bump, METH_NOARGS, "Adds one to this module's counter."},
    {"state_address", state_address, METH_NOARGS, NULL},
    {"add", _PyCFunction_CAST(add), METH_FASTCALL, NULL},
    {NULL},
};

static int exec_module(PyObject *m) {
    State *st = PyModule_GetState(m);
    st->counter = 0;
    return PyModule_AddIntConstant(m, "MAGIC", 1234);
}

static void free_module(void *m) { atomic_fetch_add(&isolated_ext_frees, 1); }

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static PyModuleDef def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "isolated_ext",
    .m_doc = "An isolated extension.",
    .m_size = sizeof(State),
    .m_methods = methods,
    .m_slots = slots,
    .m_free = free_module,
};

PyMODINIT_FUNC PyInit_isolated_ext(void) { return PyModuleDef_Init(&def); }
