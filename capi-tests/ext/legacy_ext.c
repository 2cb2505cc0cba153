/* A single-phase extension (PyModule_Create, m_size -1): loads only in interpreters
 * that do not check extensions; counts how often its init function runs. */
#include <Python.h>

Py_EXPORTED_SYMBOL int legacy_ext_inits;

static PyObject *answer(PyObject *m, PyObject *unused) { return PyLong_FromLong(42); }

static PyMethodDef methods[] = {
    {"answer", answer, METH_NOARGS, NULL},
    {NULL},
};

static PyModuleDef def = {
    PyModuleDef_HEAD_INIT, .m_name = "legacy_ext", .m_size = -1, .m_methods = methods,
};

PyMODINIT_FUNC PyInit_legacy_ext(void) {
    legacy_ext_inits++;
    PyObject *m = PyModule_Create(&def);
    if (m && PyModule_AddIntConstant(m, "INITS", legacy_ext_inits) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
