/* A host for the shelf extension: imports it in the main interpreter and in four
 * isolated interpreters on four threads at once, uses it in each, and checks that
 * every interpreter has its own module, types and state, and that each module's
 * state is freed exactly once when its interpreter ends.
 *
 *   shelf_host DIR...   the folders to search for shelf's .so (and, run against
 *                       CPython, its standard library)
 * Builds against isle's headers and CPython 3.13's alike. */
#include <Python.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define WORKERS 4

static int failures;

#define EXPECT(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "shelf_host: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            if (PyErr_Occurred()) PyErr_Print(); \
            __atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST); \
            return -1; \
        } \
    } while (0)

static long call_long(PyObject *module, const char *name) {
    PyObject *r = PyObject_CallMethod(module, name, NULL);
    long v = r ? PyLong_AsLong(r) : -1;
    Py_XDECREF(r);
    return v;
}

/* Uses the module the way Python code would: makes boxes, a label, raises its
 * error. `boxes` is how many boxes this interpreter should have made by the end. */
static int exercise(PyObject *shelf, int boxes) {
    PyObject *box_type = PyObject_GetAttrString(shelf, "Box");
    EXPECT(box_type != NULL && PyType_Check(box_type));
    for (int i = 0; i < boxes; i++) {
        PyObject *box = PyObject_CallFunction(box_type, "i", i);
        EXPECT(box != NULL);
        PyObject *got = PyObject_CallMethod(box, "get", NULL);
        EXPECT(got != NULL && PyLong_AsLong(got) == i);
        Py_DECREF(got);
        PyObject *r = PyObject_CallMethod(box, "put", "s", "new");
        EXPECT(r == Py_None);
        Py_DECREF(r);
        PyObject *error = PyObject_GetAttrString(shelf, "Error");
        EXPECT(error != NULL);
        EXPECT(PyObject_CallMethod(box, "expect", "s", "old") == NULL && PyErr_ExceptionMatches(error));
        PyErr_Clear();
        r = PyObject_CallMethod(box, "expect", "s", "new");
        EXPECT(r == Py_None);
        Py_DECREF(r);
        Py_DECREF(error);
        Py_DECREF(box);
    }
    Py_DECREF(box_type);
    EXPECT(call_long(shelf, "boxes_made") == boxes);

    PyObject *label_type = PyObject_GetAttrString(shelf, "Label");
    EXPECT(label_type != NULL);
    PyObject *label = PyObject_CallFunction(label_type, "s", "hi");
    EXPECT(label != NULL && PyUnicode_Check(label) && PyUnicode_CompareWithASCIIString(label, "hi") == 0);
    PyObject *shout = PyObject_CallMethod(label, "shout", NULL);
    EXPECT(shout != NULL && PyUnicode_CompareWithASCIIString(shout, "hi!") == 0);
    Py_DECREF(shout);
    Py_DECREF(label);
    Py_DECREF(label_type);

    /* A Tape is written and read in place through the buffer protocol. */
    PyObject *tape_type = PyObject_GetAttrString(shelf, "Tape");
    EXPECT(tape_type != NULL);
    PyObject *tape = PyObject_CallFunction(tape_type, "i", 8);
    Py_DECREF(tape_type);
    EXPECT(tape != NULL && PyObject_CheckBuffer(tape));
    Py_buffer view;
    EXPECT(PyObject_GetBuffer(tape, &view, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_ND) == 0);
    EXPECT(view.len == 8 && !view.readonly && view.shape[0] == 8 && strcmp(view.format, "B") == 0);
    memcpy(view.buf, "isolated", 8);
    EXPECT(call_long(tape, "exports") == 1);
    /* While the view is out the tape will not be wiped. */
    EXPECT(PyObject_CallMethod(tape, "wipe", NULL) == NULL && PyErr_ExceptionMatches(PyExc_BufferError));
    PyErr_Clear();
    PyBuffer_Release(&view);
    EXPECT(call_long(tape, "exports") == 0);
    EXPECT(PyObject_GetBuffer(tape, &view, PyBUF_SIMPLE) == 0);
    EXPECT(memcmp(view.buf, "isolated", 8) == 0);
    PyBuffer_Release(&view);
    /* The tape reads any bytes-like object through y*. */
    PyObject *copied = PyObject_CallMethod(tape, "copy_from", "y", "ISO");
    EXPECT(copied != NULL && PyLong_AsLong(copied) == 3);
    Py_DECREF(copied);
    EXPECT(PyObject_GetBuffer(tape, &view, PyBUF_SIMPLE) == 0);
    EXPECT(memcmp(view.buf, "ISOlated", 8) == 0);
    PyBuffer_Release(&view);
    EXPECT(call_long(tape, "exports") == 0);
    Py_DECREF(tape);

    EXPECT(PyObject_CallMethod(shelf, "fail", "s", "on purpose") == NULL);
    PyObject *error = PyObject_GetAttrString(shelf, "Error");
    EXPECT(PyErr_ExceptionMatches(error));
    PyErr_Clear();
    Py_DECREF(error);
    return 0;
}

typedef struct {
    int index;
    PyObject *main_module; /* compared by address only */
    PyObject *main_box_type;
    int ok;
} Worker;

static void *worker(void *arg) {
    Worker *w = arg;
    PyInterpreterConfig config = {
        .use_main_obmalloc = 0, .allow_threads = 1, .check_multi_interp_extensions = 1,
        .gil = PyInterpreterConfig_OWN_GIL,
    };
    PyThreadState *ts = NULL;
    PyStatus status = Py_NewInterpreterFromConfig(&ts, &config);
    if (PyStatus_Exception(status)) {
        fprintf(stderr, "shelf_host: worker %d: no interpreter: %s\n", w->index, status.err_msg);
        __atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
        return NULL;
    }
    PyObject *shelf = PyImport_ImportModule("shelf");
    if (shelf == NULL) {
        PyErr_Print();
        __atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
    } else {
        PyObject *box_type = PyObject_GetAttrString(shelf, "Box");
        /* Its own module and types, its own state (it counts only its own boxes). */
        int separate = shelf != w->main_module && box_type != w->main_box_type;
        if (!separate) {
            fprintf(stderr, "shelf_host: worker %d shares the main interpreter's module\n", w->index);
            __atomic_add_fetch(&failures, 1, __ATOMIC_SEQ_CST);
        }
        PyObject *marker = PyLong_FromLong(w->index);
        PyObject_SetAttrString(shelf, "marker", marker);
        Py_DECREF(marker);
        w->ok = separate && exercise(shelf, 10 + w->index) == 0;
        Py_XDECREF(box_type);
        Py_DECREF(shelf);
    }
    Py_EndInterpreter(ts);
    return NULL;
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

    PyObject *shelf = PyImport_ImportModule("shelf");
    if (shelf == NULL) {
        PyErr_Print();
        return 1;
    }
    if (exercise(shelf, 3) != 0) return 1;
    PyObject *box_type = PyObject_GetAttrString(shelf, "Box");

    Worker workers[WORKERS];
    pthread_t threads[WORKERS];
    PyThreadState *main_ts = PyEval_SaveThread();
    for (int i = 0; i < WORKERS; i++) {
        workers[i] = (Worker){i, shelf, box_type, 0};
        pthread_create(&threads[i], NULL, worker, &workers[i]);
    }
    for (int i = 0; i < WORKERS; i++) pthread_join(threads[i], NULL);
    PyEval_RestoreThread(main_ts);

    int ok = failures == 0;
    for (int i = 0; i < WORKERS; i++) ok = ok && workers[i].ok;
    /* The workers' markers and boxes never reached the main interpreter's module. */
    ok = ok && !PyObject_HasAttrString(shelf, "marker") && call_long(shelf, "boxes_made") == 3;
    /* Each worker's module state was freed when its interpreter ended; ours is alive. */
    long freed = call_long(shelf, "freed_states");
    ok = ok && freed == WORKERS;
    printf("shelf: imported in the main interpreter and %d isolated ones on %d threads; "
           "each its own module, types and state; %ld states freed on ending: %s\n",
           WORKERS, WORKERS, freed, ok ? "ok" : "FAILED");
    Py_DECREF(box_type);
    Py_DECREF(shelf);
    if (Py_FinalizeEx() < 0) return 1;
    return ok ? 0 : 1;
}
