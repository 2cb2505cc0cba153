/* The variadic entry points. Their bodies are C (csrc/), behind exported
 * trampolines, so cbindgen does not see them; they are declared here. */
#ifndef ISLE_VARARGS_H
#define ISLE_VARARGS_H
#ifdef __cplusplus
extern "C" {
#endif

PyObject *PyErr_Format(PyObject *exception, const char *format, ...);
PyObject *PyErr_FormatV(PyObject *exception, const char *format, va_list vargs);
PyObject *PyUnicode_FromFormat(const char *format, ...);
PyObject *PyUnicode_FromFormatV(const char *format, va_list vargs);
PyObject *PyBytes_FromFormat(const char *format, ...);
PyObject *PyBytes_FromFormatV(const char *format, va_list vargs);
PyObject *PyTuple_Pack(Py_ssize_t n, ...);

#ifdef __cplusplus
}
#endif
#endif
