/* Queues between interpreters (Isle_Queue*): shareable values, bounds, timeouts,
 * closing, blocking waits that release the GIL, items that outlive the interpreter
 * that sent them, host threads without an interpreter, and a million messages
 * between four interpreters on four threads with none lost or duplicated. */
#include "harness.h"
#include <math.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>


static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static PyThreadState *new_isolated(void) {
    PyThreadState *ts = NULL;
    if (PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated))) return NULL;
    return ts;
}

/* A value with every shareable kind in it, built in the current interpreter. */
static PyObject *sample_value(void) {
    PyObject *big = PyLong_FromString("-123456789012345678901234567890", NULL, 10);
    PyObject *v = Py_BuildValue("(OOiNds#y#[i(ss)]{s:i,i:O})", Py_None, Py_True, -5, big, 1.5,
                                "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80", (Py_ssize_t)15, "\0bytes", (Py_ssize_t)6,
                                1, "a", "b", "k", 1, 2, Py_False);
    return v;
}

static int shareable_values_cross_interpreters(void) {
    IsleQueue *q = Isle_QueueNew(0, 0);
    CHECK(q != NULL);
    PyObject *value = sample_value();
    CHECK(value != NULL && Isle_IsShareable(value));
    CHECK(Isle_QueuePut(q, value, 0) == 0);
    CHECK(Isle_QueueSize(q) == 1);
    Py_DECREF(value);

    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = new_isolated();
    CHECK(sub != NULL);
    PyObject *got = Isle_QueueGet(q, 0);
    CHECK(got != NULL);
    PyObject *expected = sample_value();
    CHECK(PyObject_RichCompareBool(got, expected, Py_EQ) == 1);
    /* A fresh object of this interpreter: it can be stored in this interpreter's list. */
    PyObject *list = PyList_New(0);
    CHECK(PyList_Append(list, got) == 0);
    Py_DECREF(list);
    Py_DECREF(expected);
    Py_DECREF(got);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    CHECK(Isle_QueueSize(q) == 0);
    Isle_QueueRelease(q);
    return 0;
}

static int unshareable_values_are_refused_whole(void) {
    IsleQueue *q = Isle_QueueNew(0, 0);
    PyObject *type_inside = Py_BuildValue("(i[iO])", 1, 2, PyExc_ValueError);
    CHECK(!Isle_IsShareable(type_inside) && !PyErr_Occurred());
    CHECK(Isle_QueuePut(q, type_inside, 0) == -1);
    CHECK_RAISED(IsleExc_NotShareableError);
    CHECK(PyErr_GivenExceptionMatches(IsleExc_NotShareableError, PyExc_ValueError));
    CHECK(Isle_QueueSize(q) == 0);
    PyObject *self_list = PyList_New(0);
    CHECK(PyList_Append(self_list, self_list) == 0);
    CHECK(Isle_QueuePut(q, self_list, 0) == -1);
    CHECK_RAISED(IsleExc_NotShareableError);
    PyList_SetSlice(self_list, 0, 1, NULL); /* break the cycle so it can be freed */
    Py_DECREF(self_list);
    Py_DECREF(type_inside);
    CHECK(Isle_QueueSize(q) == 0);
    CHECK(Isle_QueuePut(q, NULL, 0) == -1);
    CHECK_RAISED(PyExc_SystemError);
    Isle_QueueRelease(q);
    return 0;
}

static int bounds_and_timeouts(void) {
    CHECK(Isle_QueueNew(-1, 0) == NULL);
    CHECK_RAISED(PyExc_ValueError);
    IsleQueue *q = Isle_QueueNew(2, 0);
    PyObject *one = PyLong_FromLong(1);
    CHECK(Isle_QueuePut(q, one, 0) == 0 && Isle_QueuePut(q, one, -1) == 0);
    CHECK(Isle_QueuePut(q, one, 0) == -1);
    CHECK_RAISED(IsleExc_QueueFull);
    double start = seconds_now();
    CHECK(Isle_QueuePut(q, one, 0.05) == -1);
    CHECK(seconds_now() - start >= 0.045);
    CHECK_RAISED(IsleExc_QueueError);
    CHECK(Isle_QueuePut(q, one, NAN) == -1);
    CHECK_RAISED(PyExc_ValueError);
    CHECK(Isle_QueueSize(q) == 2);
    for (int i = 0; i < 2; i++) {
        PyObject *got = Isle_QueueGet(q, 0);
        CHECK(got != NULL && PyLong_AsLong(got) == 1);
        Py_DECREF(got);
    }
    CHECK(Isle_QueueGet(q, 0) == NULL);
    CHECK_RAISED(IsleExc_QueueEmpty);
    start = seconds_now();
    CHECK(Isle_QueueGet(q, 0.05) == NULL);
    CHECK(seconds_now() - start >= 0.045);
    CHECK_RAISED(IsleExc_QueueEmpty);
    Py_DECREF(one);
    Isle_QueueRelease(q);
    /* A byte bound: a second 1 KiB item does not fit in 1.5 KiB. */
    q = Isle_QueueNew(0, 1536);
    char block[1024] = {0};
    CHECK(Isle_QueuePutBytes(q, block, sizeof block, 0) == ISLE_QUEUE_OK);
    CHECK(Isle_QueuePutBytes(q, block, sizeof block, 0) == ISLE_QUEUE_FULL);
    Isle_QueueRelease(q);
    return 0;
}

static int closing_drains_then_refuses(void) {
    IsleQueue *q = Isle_QueueNew(0, 0);
    PyObject *seven = PyLong_FromLong(7);
    CHECK(Isle_QueuePut(q, seven, 0) == 0);
    CHECK(Isle_QueueClose(q) == 0);
    CHECK(Isle_QueuePut(q, seven, 0) == -1);
    CHECK_RAISED(IsleExc_QueueClosedError);
    PyObject *got = Isle_QueueGet(q, -1);
    CHECK(got != NULL && PyLong_AsLong(got) == 7);
    Py_DECREF(got);
    CHECK(Isle_QueueGet(q, -1) == NULL);
    CHECK_RAISED(IsleExc_QueueClosedError);
    Py_DECREF(seven);
    Isle_QueueRelease(q);
    return 0;
}

typedef struct {
    IsleQueue *q;
    long got;
    int closed;
} Waiter;

/* In the main interpreter, through PyGILState: a get that waits forever. */
static void *get_in_main_interpreter(void *arg) {
    Waiter *w = arg;
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *v = Isle_QueueGet(w->q, -1);
    if (v != NULL) {
        w->got = PyLong_AsLong(v);
        Py_DECREF(v);
    } else {
        w->closed = PyErr_ExceptionMatches(IsleExc_QueueClosedError);
        PyErr_Clear();
    }
    PyGILState_Release(g);
    return NULL;
}

/* The waiting get lets go of the main GIL: this thread can take it to put. */
static int a_waiting_get_releases_the_gil(void) {
    alarm(30); /* a get that kept the GIL would hang this case */
    IsleQueue *q = Isle_QueueNew(0, 0);
    Waiter w = {q, 0, 0};
    pthread_t t;
    PyThreadState *saved = PyEval_SaveThread();
    pthread_create(&t, NULL, get_in_main_interpreter, &w);
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    PyEval_RestoreThread(saved);
    PyObject *v = PyLong_FromLong(42);
    CHECK(Isle_QueuePut(q, v, 0) == 0);
    Py_DECREF(v);
    saved = PyEval_SaveThread();
    pthread_join(t, NULL);
    PyEval_RestoreThread(saved);
    CHECK(w.got == 42);

    /* Closing wakes a waiter, which then fails. */
    Waiter w2 = {q, 0, 0};
    saved = PyEval_SaveThread();
    pthread_create(&t, NULL, get_in_main_interpreter, &w2);
    nanosleep(&pause, NULL);
    CHECK(Isle_QueueClose(q) == 0);
    pthread_join(t, NULL);
    PyEval_RestoreThread(saved);
    CHECK(w2.closed == 1);
    Isle_QueueRelease(q);
    alarm(0);
    return 0;
}

/* Sends `n` ints and some bytes from an interpreter that then ends: every item
 * is still there afterwards, in order. */
static int items_outlive_the_interpreter_that_sent_them(void) {
    const long n = 100000;
    IsleQueue *q = Isle_QueueNew(0, 0);
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sender = new_isolated();
    CHECK(sender != NULL);
    for (long i = 0; i < n; i++) {
        PyObject *v = i % 1000 == 0 ? PyBytes_FromStringAndSize("payload", 7) : PyLong_FromLong(i);
        CHECK(Isle_QueuePut(q, v, 0) == 0);
        Py_DECREF(v);
    }
    Py_EndInterpreter(sender);
    PyThreadState_Swap(main_ts);
    CHECK(Isle_QueueSize(q) == n);
    long sum = 0, expected = 0;
    for (long i = 0; i < n; i++) {
        PyObject *v = Isle_QueueGet(q, 0);
        CHECK(v != NULL);
        if (i % 1000 == 0) {
            CHECK(PyBytes_Check(v) && PyBytes_GET_SIZE(v) == 7);
        } else {
            sum += PyLong_AsLong(v);
            expected += i;
        }
        Py_DECREF(v);
    }
    CHECK(sum == expected && Isle_QueueSize(q) == 0);
    Isle_QueueRelease(q);
    return 0;
}

static void *put_bytes_without_an_interpreter(void *arg) {
    IsleQueue *q = arg;
    for (int i = 0; i < 100; i++) {
        char text[16];
        int n = snprintf(text, sizeof text, "msg %d", i);
        if (Isle_QueuePutBytes(q, text, (size_t)n, -1) != ISLE_QUEUE_OK) return (void *)1;
    }
    return NULL;
}

static int host_threads_without_an_interpreter(void) {
    IsleQueue *q = Isle_QueueNew(10, 0);
    pthread_t t;
    pthread_create(&t, NULL, put_bytes_without_an_interpreter, q);
    for (int i = 0; i < 100; i++) {
        PyObject *v = Isle_QueueGet(q, -1);
        CHECK(v != NULL && PyBytes_Check(v));
        char want[16];
        snprintf(want, sizeof want, "msg %d", i);
        CHECK(strcmp(PyBytes_AS_STRING(v), want) == 0);
        Py_DECREF(v);
    }
    void *r;
    PyThreadState *saved = PyEval_SaveThread();
    pthread_join(t, &r);
    PyEval_RestoreThread(saved);
    CHECK(r == NULL);
    /* The raw get takes bytes only; anything else stays in the queue. */
    PyObject *five = PyLong_FromLong(5);
    CHECK(Isle_QueuePut(q, five, 0) == 0);
    void *data = NULL;
    size_t size = 0;
    CHECK(Isle_QueueGetBytes(q, &data, &size, 0) == ISLE_QUEUE_NOT_BYTES);
    CHECK(Isle_QueueSize(q) == 1);
    PyObject *back = Isle_QueueGet(q, 0);
    CHECK(back != NULL && PyLong_AsLong(back) == 5);
    Py_DECREF(back);
    CHECK(Isle_QueuePutBytes(q, "xyz", 3, 0) == ISLE_QUEUE_OK);
    CHECK(Isle_QueueGetBytes(q, &data, &size, 0) == ISLE_QUEUE_OK && size == 3 && memcmp(data, "xyz", 3) == 0);
    PyMem_RawFree(data);
    CHECK(Isle_QueueGetBytes(q, &data, &size, 0) == ISLE_QUEUE_EMPTY);
    CHECK(Isle_QueuePutBytes(NULL, "x", 1, 0) == -1 && Isle_QueueGetBytes(q, NULL, &size, 0) == -1);
    CHECK(Isle_QueuePutBytes(q, "x", 1, NAN) == -1);
    Py_DECREF(five);
    Isle_QueueRelease(q);
    return 0;
}

static int ids_resolve_while_a_handle_lives(void) {
    IsleQueue *q = Isle_QueueNew(0, 0);
    int64_t id = Isle_QueueId(q);
    CHECK(id > 0);
    IsleQueue *again = Isle_QueueFromId(id);
    CHECK(again != NULL && Isle_QueueId(again) == id);
    PyObject *v = PyLong_FromLong(3);
    CHECK(Isle_QueuePut(again, v, 0) == 0 && Isle_QueueSize(q) == 1);
    Py_DECREF(v);
    Isle_QueueRelease(q);
    IsleQueue *third = Isle_QueueFromId(id);
    CHECK(third != NULL);
    Isle_QueueRelease(third);
    Isle_QueueRelease(again); /* the last handle: the queue and its item go */
    CHECK(Isle_QueueFromId(id) == NULL);
    CHECK(Isle_QueueFromId(-7) == NULL && Isle_QueueId(NULL) == -1);
    CHECK(Isle_QueueSize(NULL) == -1 && Isle_QueueClose(NULL) == -1);
    Isle_QueueRelease(NULL); /* ignored */
    CHECK(Isle_QueueGet(NULL, 0) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(Isle_IsShareable(NULL) == 0);
    return 0;
}

/* --- a million messages: two producers, two consumers, each its own interpreter */

typedef struct {
    IsleQueue *q;
    long first, count; /* producers: the values first .. first+count-1 */
    unsigned char *seen;  /* consumers: one byte per value, counted atomically */
    long received;
    int failed;
} Party;

static long message_count(void) {
    const char *env = getenv("ISLE_STRESS_COUNT");
    long n = env ? atol(env) * 10 : 1000000;
    return n < 4 ? 4 : n - n % 2;
}

static void *producer(void *arg) {
    Party *p = arg;
    PyThreadState *ts = new_isolated();
    if (ts == NULL) {
        p->failed = 1;
        return NULL;
    }
    for (long i = 0; i < p->count; i++) {
        PyObject *v = PyLong_FromLong(p->first + i);
        if (v == NULL || Isle_QueuePut(p->q, v, -1) != 0) p->failed = 1;
        Py_XDECREF(v);
    }
    Py_EndInterpreter(ts);
    return NULL;
}

static void *consumer(void *arg) {
    Party *p = arg;
    PyThreadState *ts = new_isolated();
    if (ts == NULL) {
        p->failed = 1;
        return NULL;
    }
    for (;;) {
        PyObject *v = Isle_QueueGet(p->q, -1);
        if (v == NULL) {
            if (!PyErr_ExceptionMatches(IsleExc_QueueClosedError)) p->failed = 1;
            PyErr_Clear();
            break;
        }
        long x = PyLong_AsLong(v);
        Py_DECREF(v);
        __atomic_add_fetch(&p->seen[x], 1, __ATOMIC_RELAXED);
        p->received++;
    }
    Py_EndInterpreter(ts);
    return NULL;
}

static int a_million_messages_between_four_interpreters(void) {
    long n = message_count();
    IsleQueue *q = Isle_QueueNew(1000, 0);
    unsigned char *seen = calloc((size_t)n, 1);
    CHECK(q != NULL && seen != NULL);
    Party producers[2] = {{q, 0, n / 2, NULL, 0, 0}, {q, n / 2, n / 2, NULL, 0, 0}};
    Party consumers[2] = {{q, 0, 0, seen, 0, 0}, {q, 0, 0, seen, 0, 0}};
    pthread_t pt[2], ct[2];
    PyThreadState *saved = PyEval_SaveThread();
    for (int i = 0; i < 2; i++) pthread_create(&ct[i], NULL, consumer, &consumers[i]);
    for (int i = 0; i < 2; i++) pthread_create(&pt[i], NULL, producer, &producers[i]);
    for (int i = 0; i < 2; i++) pthread_join(pt[i], NULL);
    Isle_QueueClose(q); /* consumers drain what is left, then stop */
    for (int i = 0; i < 2; i++) pthread_join(ct[i], NULL);
    PyEval_RestoreThread(saved);
    CHECK(!producers[0].failed && !producers[1].failed && !consumers[0].failed && !consumers[1].failed);
    CHECK(consumers[0].received + consumers[1].received == n);
    long wrong = 0;
    for (long i = 0; i < n; i++) wrong += seen[i] != 1;
    if (wrong) fprintf(stderr, "  %ld values lost or duplicated\n", wrong);
    CHECK(wrong == 0);
    free(seen);
    Isle_QueueRelease(q);
    return 0;
}

static const TestCase cases[] = {
    CASE(shareable_values_cross_interpreters),
    CASE(unshareable_values_are_refused_whole),
    CASE(bounds_and_timeouts),
    CASE(closing_drains_then_refuses),
    CASE(a_waiting_get_releases_the_gil),
    CASE(items_outlive_the_interpreter_that_sent_them),
    CASE(host_threads_without_an_interpreter),
    CASE(ids_resolve_while_a_handle_lives),
    CASE(a_million_messages_between_four_interpreters),
};

TEST_MAIN(cases)
