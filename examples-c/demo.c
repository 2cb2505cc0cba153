/* An example host: embeds the runtime with the CPython C API, builds and inspects a
 * few objects of each builtin kind, raises and catches exceptions, and starts and
 * stops the runtime several times. Build and run with `make demo` at the top level. */
#include <Python.h>

/* Prints "label: repr(obj)"; returns -1 (with the exception printed) if `obj` is NULL. */
static int show(const char *label, PyObject *obj) {
    if (obj == NULL) {
        fprintf(stderr, "%s: failed\n", label);
        PyErr_Print();
        return -1;
    }
    PyObject *r = PyObject_Repr(obj);
    if (r == NULL) {
        PyErr_Print();
        return -1;
    }
    printf("  %-10s %s\n", label, PyUnicode_AsUTF8(r));
    Py_DECREF(r);
    return 0;
}

/* Shows `obj` and drops the reference. */
static int show_new(const char *label, PyObject *obj) {
    int r = show(label, obj);
    Py_XDECREF(obj);
    return r;
}

static int numbers(void) {
    printf("ints and floats\n");
    PyObject *a = PyLong_FromLong(6);
    PyObject *b = PyLong_FromLong(7);
    if (a == NULL || b == NULL) return -1;
    PyObject *product = PyNumber_Multiply(a, b);
    if (show("6 * 7", product) < 0) return -1;
    printf("  %-10s %ld\n", "as long", PyLong_AsLong(product));
    Py_DECREF(product);

    /* Ints have no fixed width. */
    PyObject *big = PyLong_FromString("123456789012345678901234567890", NULL, 10);
    if (show_new("big * 7", PyNumber_Multiply(big, b)) < 0) return -1;
    Py_XDECREF(big);

    PyObject *half = PyFloat_FromDouble(0.5);
    if (show_new("6 / 7", PyNumber_TrueDivide(a, b)) < 0) return -1;
    if (show_new("6 + 0.5", PyNumber_Add(a, half)) < 0) return -1;
    printf("  %-10s %g\n", "as double", PyFloat_AsDouble(half));
    Py_DECREF(half);
    Py_DECREF(a);
    Py_DECREF(b);
    return 0;
}

static int text(void) {
    printf("strs and bytes\n");
    PyObject *s = PyUnicode_FromString("h\xc3\xa9llo");
    PyObject *t = PyUnicode_FromString(", w\xc3\xb6rld \xf0\x9f\x8c\x8d");
    if (s == NULL || t == NULL) return -1;
    PyObject *both = PyUnicode_Concat(s, t);
    if (show("concat", both) < 0) return -1;
    printf("  %-10s %zd characters, %s\n", "length", PyUnicode_GetLength(both), PyUnicode_AsUTF8(both));
    Py_DECREF(both);
    Py_DECREF(s);
    Py_DECREF(t);

    PyObject *raw = PyBytes_FromStringAndSize("\x00\x01" "abc", 5);
    if (show("bytes", raw) < 0) return -1;
    printf("  %-10s %zd bytes, third is '%c'\n", "size", PyBytes_Size(raw), PyBytes_AsString(raw)[2]);
    Py_DECREF(raw);
    return 0;
}

static int containers(void) {
    printf("tuples, lists and dicts\n");
    PyObject *one = PyLong_FromLong(1);
    PyObject *word = PyUnicode_FromString("two");
    PyObject *pair = PyTuple_Pack(2, one, word);
    if (show("tuple", pair) < 0) return -1;
    printf("  %-10s %zd items, second is %s\n", "tuple", PyTuple_Size(pair),
           PyUnicode_AsUTF8(PyTuple_GetItem(pair, 1)));

    PyObject *list = PyList_New(0);
    if (list == NULL) return -1;
    for (long i = 0; i < 5; i++) {
        PyObject *n = PyLong_FromLong(i * i);
        if (n == NULL || PyList_Append(list, n) < 0) return -1;
        Py_DECREF(n);
    }
    if (PyList_Insert(list, 0, word) < 0) return -1;
    if (PyList_SetItem(list, 1, Py_NewRef(pair)) < 0) return -1; /* steals the new reference */
    if (show("list", list) < 0) return -1;
    printf("  %-10s %zd items\n", "list", PyList_Size(list));

    PyObject *dict = PyDict_New();
    if (dict == NULL) return -1;
    if (PyDict_SetItemString(dict, "one", one) < 0 || PyDict_SetItemString(dict, "pair", pair) < 0 ||
        PyDict_SetItemString(dict, "list", list) < 0)
        return -1;
    if (show("dict", dict) < 0) return -1;
    PyObject *found = PyDict_GetItemString(dict, "pair"); /* borrowed */
    printf("  %-10s %s\n", "lookup", found == pair ? "the same tuple" : "something else");
    if (PyDict_DelItemString(dict, "list") < 0) return -1;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        PyObject *r = PyObject_Repr(value);
        if (r == NULL) return -1;
        printf("  %-10s %s -> %s\n", "entry", PyUnicode_AsUTF8(key), PyUnicode_AsUTF8(r));
        Py_DECREF(r);
    }
    Py_DECREF(dict);
    Py_DECREF(list);
    Py_DECREF(pair);
    Py_DECREF(word);
    Py_DECREF(one);
    return 0;
}

/* Takes the current exception and prints "type: message". */
static void report_caught(const char *what) {
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *msg = PyObject_Str(exc);
    printf("  %-10s %s: %s\n", what, Py_TYPE(exc)->tp_name, msg ? PyUnicode_AsUTF8(msg) : "?");
    Py_XDECREF(msg);
    Py_DECREF(exc);
}

static int exceptions(void) {
    printf("exceptions\n");
    /* Errors raised by the runtime. */
    PyObject *zero = PyLong_FromLong(0);
    PyObject *one = PyLong_FromLong(1);
    PyObject *q = PyNumber_TrueDivide(one, zero);
    if (q != NULL || !PyErr_ExceptionMatches(PyExc_ZeroDivisionError)) return -1;
    report_caught("1 / 0");

    PyObject *list = PyList_New(0);
    if (PyList_GetItem(list, 3) != NULL || !PyErr_ExceptionMatches(PyExc_IndexError)) return -1;
    report_caught("list[3]");
    Py_DECREF(list);

    PyObject *s = PyUnicode_FromString("not a number");
    if (PyLong_AsLong(s) != -1 || !PyErr_ExceptionMatches(PyExc_TypeError)) return -1;
    report_caught("int(str)");
    Py_DECREF(s);

    /* A class of our own, raised with a formatted message and caught by its base. */
    PyObject *app_error = PyErr_NewException("demo.AppError", PyExc_RuntimeError, NULL);
    if (app_error == NULL) return -1;
    PyErr_Format(app_error, "step %d of %s failed", 3, "the demo");
    if (!PyErr_ExceptionMatches(PyExc_RuntimeError)) return -1;
    report_caught("custom");

    /* Printing an uncaught one the way the interpreter does. */
    PyErr_SetString(app_error, "printed to stderr");
    PyErr_Print();
    Py_DECREF(app_error);
    Py_DECREF(zero);
    Py_DECREF(one);
    return 0;
}

static int run_once(int round) {
    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, "isle-demo");
    if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) {
        fprintf(stderr, "start-up failed: %s\n", status.err_msg ? status.err_msg : "?");
        return -1;
    }
    printf("== round %d: initialized=%d, interpreter id %lld\n", round, Py_IsInitialized(),
           (long long)PyInterpreterState_GetID(PyInterpreterState_Get()));
    int r = 0;
    if (round == 1) r = numbers() < 0 || text() < 0 || containers() < 0 || exceptions() < 0 ? -1 : 0;
    else r = numbers();
    if (r < 0 && PyErr_Occurred()) PyErr_Print();
    /* Finalization returns all of the interpreter's memory, whatever is still alive. */
    if (Py_FinalizeEx() < 0) r = -1;
    printf("== round %d: finalized, initialized=%d\n", round, Py_IsInitialized());
    return r;
}

int main(void) {
    for (int round = 1; round <= 3; round++) {
        if (run_once(round) < 0) {
            fprintf(stderr, "demo failed in round %d\n", round);
            return 1;
        }
    }
    printf("demo finished\n");
    return 0;
}
