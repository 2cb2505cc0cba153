/* An init function that fails without setting an exception. */
#include <Python.h>
PyMODINIT_FUNC PyInit_null_ext(void) { return NULL; }
