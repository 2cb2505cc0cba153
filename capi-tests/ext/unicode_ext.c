/* A module with a non-ASCII name, "zkouška_ext": its init function is named by
 * the punycode of the name, as CPython looks it up. */
#include <Python.h>

static PyModuleDef_Slot slots[] = {
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {0, NULL},
};
static PyModuleDef def = {PyModuleDef_HEAD_INIT, .m_name = "zkou\xc5\xa1ka_ext", .m_slots = slots};
PyMODINIT_FUNC PyInitU_zkouka_ext_39b(void) { return PyModuleDef_Init(&def); }
