/* Runs functions of two extension modules downloaded from PyPI as CPython 3.13
 * wheels (tools/wheels/check.sh fetches and unpacks them): markupsafe's _speedups
 * and tornado's speedups, in the main interpreter and in an isolated one (own GIL)
 * when the module allows it. Builds against isle's headers and CPython's alike.
 *
 *   wheel_host DIR...   the folders to search (the unpacked modules, and for
 *                       CPython its standard library) */
#include <Python.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

static int check_markupsafe(const char *where) {
    PyObject *m = PyImport_ImportModule("markupsafe._speedups");
    if (m == NULL) return -1;
    PyObject *out = PyObject_CallMethod(m, "_escape_inner", "s", "<a href=\"x\">&'</a>");
    Py_DECREF(m);
    if (out == NULL) return -1;
    const char *want = "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;";
    int ok = PyUnicode_CompareWithASCIIString(out, want) == 0;
    printf("%s: markupsafe._speedups._escape_inner -> %s: %s\n", where, PyUnicode_AsUTF8(out), ok ? "ok" : "WRONG");
    Py_DECREF(out);
    return ok ? 0 : -1;
}

static int check_tornado(const char *where) {
    PyObject *m = PyImport_ImportModule("tornado.speedups");
    if (m == NULL) return -1;
    PyObject *out = PyObject_CallMethod(m, "websocket_mask", "y#y#", "\x01\x02\x03\x04", (Py_ssize_t)4, "hello!",
                                        (Py_ssize_t)6);
    Py_DECREF(m);
    if (out == NULL) return -1;
    const unsigned char want[] = {'h' ^ 1, 'e' ^ 2, 'l' ^ 3, 'l' ^ 4, 'o' ^ 1, '!' ^ 2};
    int ok = PyBytes_Check(out) && PyBytes_GET_SIZE(out) == 6 && memcmp(PyBytes_AS_STRING(out), want, 6) == 0;
    printf("%s: tornado.speedups.websocket_mask: %s\n", where, ok ? "ok" : "WRONG");
    Py_DECREF(out);
    if (!ok) return -1;
    /* A bad argument gets the module's own error. */
    out = PyObject_CallMethod(m = PyImport_ImportModule("tornado.speedups"), "websocket_mask", "y#y#", "ab",
                              (Py_ssize_t)2, "x", (Py_ssize_t)1);
    Py_DECREF(m);
    if (out != NULL || !PyErr_ExceptionMatches(PyExc_ValueError)) return -1;
    PyErr_Clear();
    return 0;
}

/* In an isolated interpreter: 1 if it worked, 0 if the module refuses such
 * interpreters (ImportError), -1 on any other failure. */
static int in_isolated_interpreter(int (*check)(const char *)) {
    PyInterpreterConfig config = {
        .use_main_obmalloc = 0, .allow_threads = 1, .check_multi_interp_extensions = 1,
        .gil = PyInterpreterConfig_OWN_GIL,
    };
    PyThreadState *main_ts = PyThreadState_Get(), *ts = NULL;
    PyStatus st = Py_NewInterpreterFromConfig(&ts, &config);
    if (PyStatus_Exception(st)) return -1;
    int r = check("isolated interpreter") == 0 ? 1 : -1;
    if (r < 0 && PyErr_ExceptionMatches(PyExc_ImportError)) {
        PyObject *e = PyErr_GetRaisedException();
        PyObject *text = PyObject_Str(e);
        const char *message = text ? PyUnicode_AsUTF8(text) : NULL;
        /* Only the refusal CPython gives counts; any other ImportError is a failure. */
        if (message != NULL && strstr(message, "does not support loading in subinterpreters") != NULL) {
            printf("isolated interpreter: refused, as the module asks: %s\n", message);
            r = 0;
        } else {
            printf("isolated interpreter: ImportError: %s\n", message ? message : "?");
        }
        Py_XDECREF(text);
        Py_DECREF(e);
    } else if (r < 0) {
        PyErr_Print();
    }
    Py_EndInterpreter(ts);
    PyThreadState_Swap(main_ts);
    return r;
}

int main(int argc, char **argv) {
    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    config.module_search_paths_set = 1;
    for (int i = 1; i < argc; i++) {
        wchar_t *path = Py_DecodeLocale(argv[i], NULL);
        PyStatus st = PyWideStringList_Append(&config.module_search_paths, path);
        PyMem_RawFree(path);
        if (PyStatus_Exception(st)) Py_ExitStatusException(st);
    }
    PyStatus status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) Py_ExitStatusException(status);
    int failed = 0;
    if (check_markupsafe("main interpreter") < 0 || check_tornado("main interpreter") < 0) {
        if (PyErr_Occurred()) PyErr_Print();
        failed = 1;
    }
    if (in_isolated_interpreter(check_markupsafe) < 0) failed = 1;
    if (in_isolated_interpreter(check_tornado) < 0) failed = 1;
    if (Py_FinalizeEx() < 0) failed = 1;
    printf("wheels: %s\n", failed ? "FAILED" : "ok");
    return failed;
}
