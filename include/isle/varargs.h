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

/* Argument parsing and value building (csrc/getargs.c, csrc/buildvalue.c). An O&
 * converter returning Py_CLEANUP_SUPPORTED is called again with NULL if parsing
 * fails after it. */
#define Py_CLEANUP_SUPPORTED 0x20000
int PyArg_Parse(PyObject *arg, const char *format, ...);
int PyArg_ParseTuple(PyObject *args, const char *format, ...);
int PyArg_VaParse(PyObject *args, const char *format, va_list vargs);
int PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *kw, const char *format, char **keywords, ...);
int PyArg_VaParseTupleAndKeywords(PyObject *args, PyObject *kw, const char *format, char **keywords,
                                  va_list vargs);
int PyArg_UnpackTuple(PyObject *args, const char *name, Py_ssize_t min, Py_ssize_t max, ...);
int PyArg_ValidateKeywordArguments(PyObject *kw);
int _PyArg_CheckPositional(const char *name, Py_ssize_t nargs, Py_ssize_t min, Py_ssize_t max);
PyObject *Py_BuildValue(const char *format, ...);
PyObject *Py_VaBuildValue(const char *format, va_list vargs);
int _PyArg_Parse_SizeT(PyObject *arg, const char *format, ...);
int _PyArg_ParseTuple_SizeT(PyObject *args, const char *format, ...);
int _PyArg_VaParse_SizeT(PyObject *args, const char *format, va_list vargs);
int _PyArg_ParseTupleAndKeywords_SizeT(PyObject *args, PyObject *kw, const char *format, char **keywords, ...);
int _PyArg_VaParseTupleAndKeywords_SizeT(PyObject *args, PyObject *kw, const char *format, char **keywords,
                                         va_list vargs);
PyObject *_Py_BuildValue_SizeT(const char *format, ...);
PyObject *_Py_VaBuildValue_SizeT(const char *format, va_list vargs);

/* snprintf and vsnprintf whose output is always NUL-terminated. */
int PyOS_snprintf(char *str, size_t size, const char *format, ...);
int PyOS_vsnprintf(char *str, size_t size, const char *format, va_list va);

/* Calls with arguments from a format or a NULL-terminated list (csrc/call.c). */
PyObject *PyObject_CallFunction(PyObject *callable, const char *format, ...);
PyObject *PyObject_CallMethod(PyObject *obj, const char *name, const char *format, ...);
PyObject *PyObject_CallFunctionObjArgs(PyObject *callable, ...);
PyObject *PyObject_CallMethodObjArgs(PyObject *obj, PyObject *name, ...);
PyObject *_PyObject_CallFunction_SizeT(PyObject *callable, const char *format, ...);
PyObject *_PyObject_CallMethod_SizeT(PyObject *obj, const char *name, const char *format, ...);


#ifdef __cplusplus
}
#endif
#endif
