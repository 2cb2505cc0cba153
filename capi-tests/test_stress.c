/* Creates and ends many isolated interpreters from two host threads at once and
 * checks that every one of them gave back all its memory. ISLE_STRESS_COUNT sets the
 * total (default 100000; run-all.sh lowers it under valgrind). */
#include "harness.h"
#include <pthread.h>

typedef struct {
    long count;
    long failures;
} Job;

static void *churn(void *arg) {
    Job *job = arg;
    for (long i = 0; i < job->count; i++) {
        PyThreadState *ts = NULL;
        if (PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated))) {
            job->failures++;
            continue;
        }
        /* Some objects, a few of them deliberately leaked: ending must return them. */
        PyObject *t = PyTuple_New(3);
        for (int k = 0; k < 3; k++) PyTuple_SET_ITEM(t, k, PyUnicode_FromStringAndSize("item", 4));
        PyObject *leak = PyUnicode_FromStringAndSize("leaked", 6);
        IsleMemoryStats st;
        if (t == NULL || leak == NULL || Isle_InterpreterMemory(ts->interp, &st) != 0 || st.live_blocks < 5)
            job->failures++;
        Py_DECREF(t);
        Py_EndInterpreter(ts);
        if (PyThreadState_GetUnchecked() != NULL) job->failures++;
    }
    return NULL;
}

static long total_count(void) {
    const char *env = getenv("ISLE_STRESS_COUNT");
    long n = env ? atol(env) : 100000;
    return n < 2 ? 2 : n;
}

static int many_interpreters_from_two_threads(void) {
    long n = total_count();
    Job jobs[2] = {{n / 2, 0}, {n - n / 2, 0}};
    pthread_t t[2];
    PyThreadState *saved = PyEval_SaveThread();
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, churn, &jobs[i]);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    PyEval_RestoreThread(saved);
    CHECK(jobs[0].failures == 0 && jobs[1].failures == 0);
    /* Only the main interpreter is left. */
    CHECK(PyInterpreterState_Head() == PyInterpreterState_Main());
    CHECK(PyInterpreterState_Next(PyInterpreterState_Main()) == NULL);
    return 0;
}

/* Host threads taking turns on the main interpreter's GIL with PyGILState: the GIL
 * must serialize them, so a shared counter kept in a dict ends exactly right. */
#define ENSURE_THREADS 4
#define ENSURE_ROUNDS 2000
static PyObject *shared_dict;

static void *ensure_and_count(void *arg) {
    long *failures = arg;
    PyObject *key = NULL;
    for (int i = 0; i < ENSURE_ROUNDS; i++) {
        PyGILState_STATE g = PyGILState_Ensure();
        if (key == NULL) key = PyUnicode_FromString("count");
        PyObject *old = PyDict_GetItemWithError(shared_dict, key);
        long n = old ? PyLong_AsLong(old) : 0;
        PyObject *next = PyLong_FromLong(n + 1);
        if (next == NULL || PyDict_SetItem(shared_dict, key, next) < 0) (*failures)++;
        Py_XDECREF(next);
        if (i == ENSURE_ROUNDS - 1) Py_CLEAR(key);
        PyGILState_Release(g);
    }
    return NULL;
}

static int gilstate_threads_take_turns(void) {
    shared_dict = PyDict_New();
    pthread_t t[ENSURE_THREADS];
    long failures[ENSURE_THREADS] = {0};
    PyThreadState *saved = PyEval_SaveThread();
    for (int i = 0; i < ENSURE_THREADS; i++) pthread_create(&t[i], NULL, ensure_and_count, &failures[i]);
    for (int i = 0; i < ENSURE_THREADS; i++) pthread_join(t[i], NULL);
    PyEval_RestoreThread(saved);
    for (int i = 0; i < ENSURE_THREADS; i++) CHECK(failures[i] == 0);
    PyObject *n = PyDict_GetItemString(shared_dict, "count");
    CHECK(n != NULL && PyLong_AsLong(n) == ENSURE_THREADS * ENSURE_ROUNDS);
    /* Every thread state PyGILState_Ensure made was deleted with its last Release. */
    CHECK(PyThreadState_Next(PyInterpreterState_ThreadHead(PyInterpreterState_Main())) == NULL);
    Py_DECREF(shared_dict);
    return 0;
}

static const TestCase cases[] = {
    LEAKS_ON_PURPOSE(many_interpreters_from_two_threads),
    CASE(gilstate_threads_take_turns),
};

TEST_MAIN(cases)
