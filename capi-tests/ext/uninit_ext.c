/* An init function that returns its def without PyModuleDef_Init (its type is NULL). */
#include <Python.h>
static PyModuleDef def = {PyModuleDef_HEAD_INIT, .m_name = "uninit_ext"};
PyMODINIT_FUNC PyInit_uninit_ext(void) { return (PyObject *)&def; }
