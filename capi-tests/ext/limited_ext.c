/* A multi-phase extension built for the limited API of 3.13 (what an abi3 wheel
 * holds): reference counting and None go through library calls. */
#define Py_LIMITED_API 0x030d0000
#include <Python.h>

static PyObject *echo(PyObject *m, PyObject *const *args, Py_ssize_t n) {
    if (n == 0) Py_RETURN_NONE;
    return Py_NewRef(args[0]);
}

static PyMethodDef methods[] = {
    {"echo", _PyCFunction_CAST(echo), METH_FASTCALL, NULL},
    {NULL},
};

static int exec_module(PyObject *m) {
    PyObject *none = Py_None;
    Py_INCREF(none);
    return PyModule_Add(m, "NOTHING", none);
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {0, NULL},
};
static PyModuleDef def = {PyModuleDef_HEAD_INIT, .m_name = "limited_ext", .m_methods = methods, .m_slots = slots};
PyMODINIT_FUNC PyInit_limited_ext(void) { return PyModuleDef_Init(&def); }
