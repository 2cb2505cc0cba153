/* A host that runs one isolated interpreter per thread, all at the same time.
 *
 * Each worker thread is made by the host, not by isle. It creates its own interpreter
 * (own GIL, own heap), builds some objects, lets go of the GIL around a blocking
 * wait, then ends the interpreter; ending it returns every byte it allocated. The
 * main thread meanwhile uses its own interpreter, and afterwards lends a worker thread
 * into a sub-interpreter through Isle_GILState_EnsureInterpreter. */
#include <Python.h>
#include <pthread.h>

#define WORKERS 4

static const PyInterpreterConfig isolated = {
    .use_main_obmalloc = 0,
    .allow_fork = 0,
    .allow_exec = 0,
    .allow_threads = 1,
    .allow_daemon_threads = 0,
    .check_multi_interp_extensions = 1,
    .gil = PyInterpreterConfig_OWN_GIL,
};

typedef struct {
    int index;
    long total;
    int64_t interp_id;
    size_t blocks_while_alive;
} Job;

static void *worker(void *arg) {
    Job *job = arg;
    PyThreadState *ts = NULL;
    PyStatus status = Py_NewInterpreterFromConfig(&ts, &isolated);
    if (PyStatus_Exception(status)) {
        fprintf(stderr, "worker %d: %s\n", job->index, status.err_msg);
        return NULL;
    }
    job->interp_id = PyInterpreterState_GetID(PyThreadState_GetInterpreter(ts));

    /* Ordinary C-API work, in parallel with the other workers. */
    PyObject *counts = PyDict_New();
    for (long i = 0; i < 20000; i++) {
        PyObject *key = PyUnicode_FromFormat("word-%ld", i % 100);
        PyObject *old = PyDict_GetItemWithError(counts, key);
        PyObject *next = PyLong_FromLong((old ? PyLong_AsLong(old) : 0) + i);
        PyDict_SetItem(counts, key, next);
        Py_DECREF(next);
        Py_DECREF(key);
    }
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (PyDict_Next(counts, &pos, &k, &v)) job->total += PyLong_AsLong(v);

    IsleMemoryStats mem;
    Isle_InterpreterMemory(PyThreadState_GetInterpreter(ts), &mem);
    job->blocks_while_alive = mem.live_blocks;
    Py_DECREF(counts);

    /* Blocking work without the GIL. */
    Py_BEGIN_ALLOW_THREADS
    struct timespec pause = {0, 1000000};
    nanosleep(&pause, NULL);
    Py_END_ALLOW_THREADS

    Py_EndInterpreter(ts);
    return NULL;
}

static void *borrowed_thread(void *arg) {
    PyInterpreterState *interp = arg;
    /* This thread has no thread state; get one for that interpreter, use it, give it back. */
    PyGILState_STATE g = Isle_GILState_EnsureInterpreter(interp);
    PyObject *s = PyUnicode_FromString("hello from a borrowed thread");
    printf("  borrowed thread in interpreter %lld: %s\n", (long long)PyInterpreterState_GetID(interp),
           PyUnicode_AsUTF8(s));
    Py_DECREF(s);
    PyGILState_Release(g);
    return NULL;
}

int main(void) {
    Py_Initialize();
    PyThreadState *main_ts = PyEval_SaveThread(); /* the workers do not need the main GIL */

    pthread_t threads[WORKERS];
    Job jobs[WORKERS] = {0};
    for (int i = 0; i < WORKERS; i++) {
        jobs[i].index = i;
        pthread_create(&threads[i], NULL, worker, &jobs[i]);
    }
    for (int i = 0; i < WORKERS; i++) pthread_join(threads[i], NULL);
    PyEval_RestoreThread(main_ts);

    long expected = 0;
    for (long i = 0; i < 20000; i++) expected += i;
    for (int i = 0; i < WORKERS; i++)
        printf("worker %d: interpreter %lld, sum %ld (%s), %zu heap blocks while alive\n", i,
               (long long)jobs[i].interp_id, jobs[i].total, jobs[i].total == expected ? "right" : "WRONG",
               jobs[i].blocks_while_alive);

    /* A sub-interpreter kept by the main thread, visited by another thread. */
    PyThreadState *sub = NULL;
    if (PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated))) return 1;
    PyInterpreterState *interp = PyThreadState_GetInterpreter(sub);
    PyThreadState_Swap(main_ts);
    PyThreadState *saved = PyEval_SaveThread();
    pthread_t t;
    pthread_create(&t, NULL, borrowed_thread, interp);
    pthread_join(t, NULL);
    PyEval_RestoreThread(saved);
    PyThreadState_Swap(sub);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);

    int live = 0;
    for (PyInterpreterState *i = PyInterpreterState_Head(); i; i = PyInterpreterState_Next(i)) live++;
    printf("interpreters alive at the end: %d (the main one)\n", live);
    return Py_FinalizeEx() < 0 ? 1 : 0;
}
