/* The inline method-call helpers CPython's abstract.h defines over
 * PyObject_VectorcallMethod (declared in isle/varargs.h). */
#ifndef ISLE_METHODCALL_H
#define ISLE_METHODCALL_H

#ifndef Py_LIMITED_API
static inline PyObject *PyObject_CallMethodNoArgs(PyObject *self, PyObject *name) {
    return PyObject_VectorcallMethod(name, &self, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}
static inline PyObject *PyObject_CallMethodOneArg(PyObject *self, PyObject *name, PyObject *arg) {
    PyObject *args[2] = {self, arg};
    return PyObject_VectorcallMethod(name, args, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}
#endif

#endif
