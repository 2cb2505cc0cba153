/* Parallel scaling: the same CPU-bound C-API work in T host threads, each in its own
 * interpreter with its own GIL. efficiency = wall(T=1) / wall(T=2): 1.0 is perfect
 * scaling, 0.5 is fully serial. */
#include "common.h"
#include <pthread.h>

#define ROUNDS 10
#define INTS 100000
#define KEYS 10000

/* Builds a list of INTS ints, sums them with PyNumber_Add, fills a dict with KEYS
 * formatted str keys and looks each up. Returns 0 on success. */
static int workload(void) {
    PyObject *list = PyList_New(INTS);
    if (list == NULL) return -1;
    for (long i = 0; i < INTS; i++) PyList_SET_ITEM(list, i, PyLong_FromLong(i));
    PyObject *sum = PyLong_FromLong(0);
    for (long i = 0; i < INTS; i++) {
        PyObject *next = PyNumber_Add(sum, PyList_GET_ITEM(list, i));
        Py_DECREF(sum);
        sum = next;
    }
    long total = PyLong_AsLong(sum);
    Py_DECREF(sum);
    Py_DECREF(list);
    if (total != (long)INTS * (INTS - 1) / 2) return -1;

    PyObject *dict = PyDict_New();
    PyObject *keys[KEYS];
    for (int i = 0; i < KEYS; i++) {
        keys[i] = PyUnicode_FromFormat("key-%d", i);
        PyObject *v = PyLong_FromLong(i);
        PyDict_SetItem(dict, keys[i], v);
        Py_DECREF(v);
    }
    int found = 0;
    for (int i = 0; i < KEYS; i++) {
        found += PyDict_GetItemWithError(dict, keys[i]) != NULL;
        Py_DECREF(keys[i]);
    }
    Py_DECREF(dict);
    return found == KEYS ? 0 : -1;
}

/* The same shape of work in plain C (no interpreter): what this machine's cores give
 * when nothing is shared, to read the interpreter figure against. */
static void *plain_c_worker(void *arg) {
    int *failed = arg;
    for (int r = 0; r < ROUNDS; r++) {
        long **boxes = malloc(INTS * sizeof *boxes);
        long sum = 0;
        for (long i = 0; i < INTS; i++) {
            boxes[i] = malloc(sizeof(long));
            *boxes[i] = i;
        }
        for (long i = 0; i < INTS; i++) {
            sum += *boxes[i];
            free(boxes[i]);
        }
        free(boxes);
        if (sum != (long)INTS * (INTS - 1) / 2) *failed = 1;
    }
    return NULL;
}

#define SWITCHES 1000000
#define BLOCK 1024

/* Releases and re-takes the GIL (Py_BEGIN/END_ALLOW_THREADS) around a 1 KiB
 * PyObject_Malloc/PyObject_Free pair, SWITCHES times: thread-state bookkeeping and
 * mid-size allocation, which must not meet another interpreter's on a lock. */
static int switching_workload(void) {
    for (long i = 0; i < SWITCHES; i++) {
        Py_BEGIN_ALLOW_THREADS
        Py_END_ALLOW_THREADS
        char *p = PyObject_Malloc(BLOCK);
        if (p == NULL) return -1;
        p[0] = (char)i;
        p[BLOCK - 1] = (char)i;
        PyObject_Free(p);
    }
    return 0;
}

static void *switching_worker(void *arg) {
    int *failed = arg;
    PyThreadState *ts = new_interp(&isolated_config);
    if (switching_workload() != 0) *failed = 1;
    Py_EndInterpreter(ts);
    return NULL;
}

/* The plain-C shape of the same: releasing and re-taking a lock of the thread's own
 * (what a save/restore must do at least), then a 1 KiB malloc/free. */
static void *switching_plain_c_worker(void *arg) {
    int *failed = arg;
    pthread_mutex_t own;
    pthread_mutex_init(&own, NULL);
    pthread_mutex_lock(&own);
    for (long i = 0; i < SWITCHES; i++) {
        pthread_mutex_unlock(&own);
        pthread_mutex_lock(&own);
        volatile char *p = malloc(BLOCK);
        if (p == NULL) *failed = 1;
        else {
            p[0] = (char)i;
            p[BLOCK - 1] = (char)i;
            free((void *)p);
        }
    }
    pthread_mutex_unlock(&own);
    pthread_mutex_destroy(&own);
    return NULL;
}

static void *worker(void *arg) {
    int *failed = arg;
    PyThreadState *ts = new_interp(&isolated_config);
    for (int r = 0; r < ROUNDS; r++)
        if (workload() != 0) *failed = 1;
    Py_EndInterpreter(ts);
    return NULL;
}

static double run_threads(int n, void *(*body)(void *)) {
    pthread_t t[8];
    int failed[8] = {0};
    double t0 = now_us();
    for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, body, &failed[i]);
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    double wall = now_us() - t0;
    for (int i = 0; i < n; i++)
        if (failed[i]) {
            fprintf(stderr, "workload failed in thread %d\n", i);
            exit(1);
        }
    return wall;
}

/* Best-of-9 wall times with 1 and 2 threads, interleaved so that both see the same
 * machine; returns wall(T=1) / wall(T=2). */
static double efficiency(const char *label, void *(*body)(void *)) {
    run_threads(1, body); /* warm-up */
    double best1 = 1e30, best2 = 1e30;
    for (int rep = 0; rep < 9; rep++) {
        double w1 = run_threads(1, body), w2 = run_threads(2, body);
        if (w1 < best1) best1 = w1;
        if (w2 < best2) best2 = w2;
    }
    printf("%s: T=1 wall %.1f ms, T=2 wall %.1f ms, efficiency %.3f (best of 9)\n", label, best1 / 1e3,
           best2 / 1e3, best1 / best2);
    return best1 / best2;
}

int main(void) {
    Py_Initialize();
    PyThreadState *main_ts = PyEval_SaveThread();
    double isle = efficiency("parallel, own interpreter per thread", worker);
    double plain = efficiency("same shape in plain C (machine baseline)", plain_c_worker);
    printf("parallel efficiency relative to the machine baseline: %.3f\n", isle / plain);
    double sw = efficiency("save/restore + 1 KiB PyObject_Malloc/Free, own interpreter per thread", switching_worker);
    double sw_plain = efficiency("same shape in plain C (own lock released and re-taken, 1 KiB malloc/free)", switching_plain_c_worker);
    printf("save/restore efficiency relative to the machine baseline: %.3f\n", sw / sw_plain);
    PyEval_RestoreThread(main_ts);
    Py_FinalizeEx();
    return 0;
}
