/* A multi-phase module whose exec slot raises. */
#include <Python.h>

static int exec_module(PyObject *m) {
    PyErr_SetString(PyExc_RuntimeError, "raising_ext refuses to load");
    return -1;
}
static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {0, NULL},
};
static PyModuleDef def = {PyModuleDef_HEAD_INIT, .m_name = "raising_ext", .m_slots = slots};
PyMODINIT_FUNC PyInit_raising_ext(void) { return PyModuleDef_Init(&def); }
