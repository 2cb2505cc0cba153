/* The call helpers that take their arguments as a format or a NULL-terminated list
 * (PyObject_CallFunction, _CallMethod, _CallFunctionObjArgs, _CallMethodObjArgs).
 * Exported by trampolines in src/capi/varargs.rs; the library is reached only
 * through the public API. */
#include "Python.h"

PyObject *isle_Py_VaBuildValue(const char *format, va_list va);

static PyObject *null_argument(void) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
    return NULL;
}

/* Calls `callable` with the arguments `format` builds: none for an empty format, the
 * items of a tuple it builds, or the one other value it builds. */
static PyObject *call_with_format(PyObject *callable, const char *format, va_list *ap) {
    if (callable == NULL) return null_argument();
    if (format == NULL || *format == '\0') return PyObject_CallNoArgs(callable);
    PyObject *args = isle_Py_VaBuildValue(format, *ap);
    if (args == NULL) return NULL;
    if (!PyTuple_Check(args)) {
        PyObject *one = PyTuple_Pack(1, args);
        Py_DECREF(args);
        if (one == NULL) return NULL;
        args = one;
    }
    PyObject *result = PyObject_Call(callable, args, NULL);
    Py_DECREF(args);
    return result;
}

PyObject *isle_PyObject_CallFunction(PyObject *callable, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    PyObject *r = call_with_format(callable, format, &ap);
    va_end(ap);
    return r;
}

static PyObject *call_method_with_format(PyObject *obj, const char *name, const char *format, va_list *ap) {
    if (obj == NULL || name == NULL) return null_argument();
    PyObject *method = PyObject_GetAttrString(obj, name);
    if (method == NULL) return NULL;
    PyObject *r = call_with_format(method, format, ap);
    Py_DECREF(method);
    return r;
}

PyObject *isle_PyObject_CallMethod(PyObject *obj, const char *name, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    PyObject *r = call_method_with_format(obj, name, format, &ap);
    va_end(ap);
    return r;
}

/* The objects up to the NULL that ends the list, as a tuple. */
static PyObject *tuple_until_null(va_list *ap) {
    va_list count;
    va_copy(count, *ap);
    Py_ssize_t n = 0;
    while (va_arg(count, PyObject *) != NULL) n++;
    va_end(count);
    PyObject *args = PyTuple_New(n);
    if (args == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) PyTuple_SET_ITEM(args, i, Py_NewRef(va_arg(*ap, PyObject *)));
    return args;
}

static PyObject *call_with_list(PyObject *callable, va_list *ap) {
    PyObject *args = tuple_until_null(ap);
    if (args == NULL) return NULL;
    PyObject *r = PyObject_Call(callable, args, NULL);
    Py_DECREF(args);
    return r;
}

PyObject *isle_PyObject_CallFunctionObjArgs(PyObject *callable, ...) {
    if (callable == NULL) return null_argument();
    va_list ap;
    va_start(ap, callable);
    PyObject *r = call_with_list(callable, &ap);
    va_end(ap);
    return r;
}

PyObject *isle_PyObject_CallMethodObjArgs(PyObject *obj, PyObject *name, ...) {
    if (obj == NULL || name == NULL) return null_argument();
    PyObject *method = PyObject_GetAttr(obj, name);
    if (method == NULL) return NULL;
    va_list ap;
    va_start(ap, name);
    PyObject *r = call_with_list(method, &ap);
    va_end(ap);
    Py_DECREF(method);
    return r;
}

/* The names binaries built with PY_SSIZE_T_CLEAN against older headers import. */
PyObject *isle__PyObject_CallFunction_SizeT(PyObject *, const char *, ...)
    __attribute__((alias("isle_PyObject_CallFunction")));
PyObject *isle__PyObject_CallMethod_SizeT(PyObject *, const char *, const char *, ...)
    __attribute__((alias("isle_PyObject_CallMethod")));
