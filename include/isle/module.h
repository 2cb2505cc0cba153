/* Modules and import: the macros of CPython's moduleobject.h and modsupport.h. */
#ifndef ISLE_MODULE_H
#define ISLE_MODULE_H

#define PyModuleDef_HEAD_INIT { PyObject_HEAD_INIT(NULL) NULL, 0, NULL }
#define PyModuleDef_Check(op) PyObject_TypeCheck((op), &PyModuleDef_Type)

#define Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED ((void *)0)
#define Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED ((void *)1)
#define Py_MOD_PER_INTERPRETER_GIL_SUPPORTED ((void *)2)
#define Py_MOD_GIL_USED ((void *)0)
#define Py_MOD_GIL_NOT_USED ((void *)1)
#define Py_CLEANUP_SUPPORTED 0x20000

#ifdef Py_LIMITED_API
#  define PyModule_Create(module) PyModule_Create2((module), PYTHON_ABI_VERSION)
#  define PyModule_FromDefAndSpec(module, spec) PyModule_FromDefAndSpec2((module), (spec), PYTHON_ABI_VERSION)
#else
#  define PyModule_Create(module) PyModule_Create2((module), PYTHON_API_VERSION)
#  define PyModule_FromDefAndSpec(module, spec) PyModule_FromDefAndSpec2((module), (spec), PYTHON_API_VERSION)
#endif

#endif
