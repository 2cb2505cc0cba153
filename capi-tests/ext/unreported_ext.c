/* An init function that returns a module with an exception still set. */
#include <Python.h>
static PyModuleDef def = {PyModuleDef_HEAD_INIT, .m_name = "unreported_ext", .m_size = -1};
PyMODINIT_FUNC PyInit_unreported_ext(void) {
    PyObject *m = PyModule_Create(&def);
    PyErr_SetString(PyExc_KeyError, "left behind");
    return m;
}
