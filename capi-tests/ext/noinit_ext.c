/* A shared object without a PyInit_noinit_ext function. */
#include <Python.h>
Py_EXPORTED_SYMBOL int noinit_ext_something(void) { return 1; }
