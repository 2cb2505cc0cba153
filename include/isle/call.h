/* The call protocol and builtin functions: what CPython's abstract.h and
 * methodobject.h declare beyond the exported functions (typedefs, macros, the
 * inline accessors that read PyCFunctionObject). */
#ifndef ISLE_CALL_H
#define ISLE_CALL_H

#define PY_VECTORCALL_ARGUMENTS_OFFSET ((size_t)1 << (8 * sizeof(size_t) - 1))

typedef PyObject *(*PyCFunctionWithKeywords)(PyObject *, PyObject *, PyObject *);
typedef PyObject *(*PyCFunctionFast)(PyObject *, PyObject *const *, Py_ssize_t);
typedef PyObject *(*PyCFunctionFastWithKeywords)(PyObject *, PyObject *const *, Py_ssize_t, PyObject *);
typedef PyObject *(*PyCMethod)(PyObject *, PyTypeObject *, PyObject *const *, size_t, PyObject *);
typedef PyCFunctionFast _PyCFunctionFast;
typedef PyCFunctionFastWithKeywords _PyCFunctionFastWithKeywords;

/* Casts any of the signatures above to PyCFunction for a PyMethodDef, through a
 * generic function pointer so compilers do not warn. */
#define _PyCFunction_CAST(func) ((PyCFunction)(void (*)(void))(func))

#define PyCFunction_CheckExact(op) Py_IS_TYPE((op), &PyCFunction_Type)
#define PyCFunction_Check(op) PyObject_TypeCheck((op), &PyCFunction_Type)
#define PyCMethod_CheckExact(op) Py_IS_TYPE((op), &PyCMethod_Type)
#define PyCMethod_Check(op) PyObject_TypeCheck((op), &PyCMethod_Type)

#ifndef Py_LIMITED_API
static inline Py_ssize_t _PyVectorcall_NARGS(size_t n) { return (Py_ssize_t)(n & ~PY_VECTORCALL_ARGUMENTS_OFFSET); }

static inline PyCFunction PyCFunction_GET_FUNCTION(PyObject *func) {
    return ((PyCFunctionObject *)func)->m_ml->ml_meth;
}
#define PyCFunction_GET_FUNCTION(func) PyCFunction_GET_FUNCTION(_PyObject_CAST(func))
static inline PyObject *PyCFunction_GET_SELF(PyObject *func) {
    PyCFunctionObject *f = (PyCFunctionObject *)func;
    return (f->m_ml->ml_flags & METH_STATIC) ? NULL : f->m_self;
}
#define PyCFunction_GET_SELF(func) PyCFunction_GET_SELF(_PyObject_CAST(func))
static inline int PyCFunction_GET_FLAGS(PyObject *func) { return ((PyCFunctionObject *)func)->m_ml->ml_flags; }
#define PyCFunction_GET_FLAGS(func) PyCFunction_GET_FLAGS(_PyObject_CAST(func))
static inline PyTypeObject *PyCFunction_GET_CLASS(PyObject *func) {
    PyCFunctionObject *f = (PyCFunctionObject *)func;
    return (f->m_ml->ml_flags & METH_METHOD) ? ((PyCMethodObject *)func)->mm_class : NULL;
}
#define PyCFunction_GET_CLASS(func) PyCFunction_GET_CLASS(_PyObject_CAST(func))

static inline PyObject *PyObject_CallMethodNoArgs(PyObject *self, PyObject *name) {
    return PyObject_VectorcallMethod(name, &self, 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}
static inline PyObject *PyObject_CallMethodOneArg(PyObject *self, PyObject *name, PyObject *arg) {
    PyObject *args[2] = {self, arg};
    return PyObject_VectorcallMethod(name, args, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
}
#define _PyObject_CallMethodNoArgs PyObject_CallMethodNoArgs
#define _PyObject_CallMethodOneArg PyObject_CallMethodOneArg
#define _PyObject_VectorcallMethod PyObject_VectorcallMethod
#define _PyObject_Vectorcall PyObject_Vectorcall
#define _PyObject_FastCallDict PyObject_VectorcallDict
#define _PyVectorcall_Function PyVectorcall_Function
#define _PyObject_CallOneArg PyObject_CallOneArg
#define _PyObject_CallNoArg PyObject_CallNoArgs
#endif

#endif
