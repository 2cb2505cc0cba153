/* Queues between interpreters: put+get in one interpreter, throughput from one
 * interpreter's thread to another's, and a blocking round trip, for small ints and
 * 1 KiB bytes. Against isle it uses the Isle_Queue* C API; against CPython 3.13 the
 * _interpqueues module (called from C), whose get never blocks: its consumers poll. */
#include "common.h"
#include <pthread.h>

#define ONE_INTERP_N 1000000
#define BETWEEN_N 200000
#define ROUND_TRIPS 20000

#ifdef ISLE_ISLE_H
typedef IsleQueue *Q;
static Q q_new(void) { return Isle_QueueNew(0, 0); }
static Q q_attach(Q q) { return q; } /* a handle works in every interpreter */
static int q_put(Q q, PyObject *o) { return Isle_QueuePut(q, o, -1); }
static PyObject *q_get(Q q) { return Isle_QueueGet(q, -1); } /* blocks, GIL released */
static void q_release(Q q) { Isle_QueueRelease(q); }
static const char *backend = "isle Isle_Queue*";
#else
/* CPython: a queue is its id; each interpreter reaches it through its own import of
 * _interpqueues. */
typedef struct {
    PyObject *module, *put, *get;
    long long id;
} *Q;
static Q q_attach_id(long long id) {
    Q q = calloc(1, sizeof *q);
    q->module = PyImport_ImportModule("_interpqueues");
    if (q->module == NULL) {
        PyErr_Print();
        exit(1);
    }
    q->put = PyObject_GetAttrString(q->module, "put");
    q->get = PyObject_GetAttrString(q->module, "get");
    q->id = id;
    return q;
}
static Q q_new(void) {
    PyObject *m = PyImport_ImportModule("_interpqueues");
    PyObject *id = PyObject_CallMethod(m, "create", "iii", 0, 0, 1);
    Q q = q_attach_id(PyLong_AsLongLong(id));
    Py_DECREF(id);
    Py_DECREF(m);
    return q;
}
static Q q_attach(Q q) { return q_attach_id(q->id); }
static int q_put(Q q, PyObject *o) {
    PyObject *r = PyObject_CallFunction(q->put, "LOii", q->id, o, 0, 1);
    if (r == NULL) return -1;
    Py_DECREF(r);
    return 0;
}
/* Polls: _interpqueues.get raises QueueEmpty rather than wait. Between attempts the
 * GIL is let go, as the eval loop would: CPython frees an item in the interpreter
 * that sent it, which may need this interpreter's GIL. */
static PyObject *q_get(Q q) {
    for (;;) {
        PyObject *r = PyObject_CallFunction(q->get, "L", q->id);
        if (r != NULL) {
            PyObject *item = Py_NewRef(PyTuple_GET_ITEM(r, 0));
            Py_DECREF(r);
            return item;
        }
        PyErr_Clear();
        Py_BEGIN_ALLOW_THREADS
        Py_END_ALLOW_THREADS
    }
}
static void q_release(Q q) {
    Py_DECREF(q->put);
    Py_DECREF(q->get);
    Py_DECREF(q->module);
    free(q);
}
static const char *backend = "CPython 3.13 _interpqueues (called from C)";
#endif

static PyObject *payload(int bytes, long i) {
    if (!bytes) return PyLong_FromLong(i);
    static char block[1024];
    return PyBytes_FromStringAndSize(block, sizeof block);
}

static void one_interpreter(int bytes) {
    Q q = q_new();
    double best = 1e30;
    for (int run = 0; run < 3; run++) {
        double t0 = now_us();
        for (long i = 0; i < ONE_INTERP_N; i++) {
            PyObject *o = payload(bytes, i);
            if (q_put(q, o) < 0) exit(1);
            Py_DECREF(o);
            PyObject *back = q_get(q);
            Py_DECREF(back);
        }
        double ns = (now_us() - t0) * 1e3 / ONE_INTERP_N;
        if (ns < best) best = ns;
    }
    printf("  put+get in one interpreter, %-9s %8.1f ns per item\n", bytes ? "1 KiB:" : "small int:", best);
    q_release(q);
}

typedef struct {
    Q q, back;
    int bytes;
    long count;
    int consumed; /* set when the consumer has everything */
} Job;

/* CPython drops (or marks unbound) the items of an interpreter that ends, so the
 * producer's interpreter stays until the consumer is done. */
static void wait_until_consumed(Job *j) {
    PyThreadState *ts = PyEval_SaveThread();
    while (!__atomic_load_n(&j->consumed, __ATOMIC_ACQUIRE)) {
        struct timespec pause = {0, 100000};
        nanosleep(&pause, NULL);
    }
    PyEval_RestoreThread(ts);
}

static PyThreadState *isolated_interp(void) { return new_interp(&isolated_config); }

static void *produce(void *arg) {
    Job *j = arg;
    PyThreadState *ts = isolated_interp();
    Q q = q_attach(j->q);
    for (long i = 0; i < j->count; i++) {
        PyObject *o = payload(j->bytes, i);
        q_put(q, o);
        Py_DECREF(o);
    }
    wait_until_consumed(j);
#ifndef ISLE_ISLE_H
    q_release(q);
#endif
    Py_EndInterpreter(ts);
    return NULL;
}

static void *consume(void *arg) {
    Job *j = arg;
    PyThreadState *ts = isolated_interp();
    Q q = q_attach(j->q);
    for (long i = 0; i < j->count; i++) Py_DECREF(q_get(q));
    __atomic_store_n(&j->consumed, 1, __ATOMIC_RELEASE);
#ifndef ISLE_ISLE_H
    q_release(q);
#endif
    Py_EndInterpreter(ts);
    return NULL;
}

static void between_interpreters(int bytes) {
    Q q = q_new();
    Job job = {q, NULL, bytes, BETWEEN_N, 0};
    pthread_t p, c;
    PyThreadState *main_ts = PyEval_SaveThread();
    double t0 = now_us();
    pthread_create(&c, NULL, consume, &job);
    pthread_create(&p, NULL, produce, &job);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    double secs = (now_us() - t0) / 1e6;
    PyEval_RestoreThread(main_ts);
    printf("  one interpreter's thread to another's, %-9s %6.2f M items/s\n", bytes ? "1 KiB:" : "small int:",
           BETWEEN_N / secs / 1e6);
    q_release(q);
}

/* The far side of the round trip: takes each item and sends it straight back. */
static void *echo(void *arg) {
    Job *j = arg;
    PyThreadState *ts = isolated_interp();
    Q in = q_attach(j->q), out = q_attach(j->back);
    __atomic_store_n(&j->consumed, 1, __ATOMIC_RELEASE); /* here: ready */
    for (long i = 0; i < j->count; i++) {
        PyObject *o = q_get(in);
        q_put(out, o);
        Py_DECREF(o);
    }
#ifndef ISLE_ISLE_H
    q_release(in);
    q_release(out);
#endif
    Py_EndInterpreter(ts);
    return NULL;
}

static void round_trip(void) {
    Q there = q_new(), back = q_new();
    Job job = {there, back, 0, ROUND_TRIPS, 0};
    pthread_t t;
    /* CPython makes interpreters under the main GIL: let it go until the far side
     * is ready. */
    PyThreadState *main_ts = PyEval_SaveThread();
    pthread_create(&t, NULL, echo, &job);
    while (!__atomic_load_n(&job.consumed, __ATOMIC_ACQUIRE)) {
        struct timespec pause = {0, 100000};
        nanosleep(&pause, NULL);
    }
    PyEval_RestoreThread(main_ts);
    PyObject *o = PyLong_FromLong(1);
    double t0 = now_us();
    for (long i = 0; i < ROUND_TRIPS; i++) {
        q_put(there, o);
        Py_DECREF(q_get(back));
    }
    double us = (now_us() - t0) / ROUND_TRIPS;
    Py_DECREF(o);
    main_ts = PyEval_SaveThread();
    pthread_join(t, NULL);
    PyEval_RestoreThread(main_ts);
    printf("  round trip to another interpreter and back (blocking get): %.1f us\n", us);
    q_release(there);
    q_release(back);
}

int main(void) {
    Py_Initialize();
    printf("queues, %s\n", backend);
    one_interpreter(0);
    one_interpreter(1);
    between_interpreters(0);
    between_interpreters(1);
    round_trip();
    Py_FinalizeEx();
    return 0;
}
