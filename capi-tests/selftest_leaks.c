/* Cases that leak on purpose, run by run-all.sh's harness self-test (never by
 * the plain test run): each leak must make its case fail, or the leak checks
 * could not be trusted. */
#include "harness.h"

static int clean_case(void) {
    PyObject *s = PyUnicode_FromString("released before the case ends");
    CHECK(s != NULL);
    Py_DECREF(s);
    return 0;
}

static int leaks_an_object(void) {
    CHECK(PyUnicode_FromString("never released") != NULL);
    return 0;
}

static int leaks_in_a_subinterpreter(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    CHECK(PyList_New(3) != NULL);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    return 0;
}

/* Kept where the compiler cannot prove the block unreachable and drop the call. */
void *volatile leak_sink;

static int leaks_a_malloc(void) {
    leak_sink = malloc(48);
    CHECK(leak_sink != NULL);
    leak_sink = NULL;
    return 0;
}

static int leaks_a_queue(void) {
    IsleQueue *q = Isle_QueueNew(0, 0);
    CHECK(q != NULL);
    CHECK(Isle_QueuePutBytes(q, "kept", 4, 0) == ISLE_QUEUE_OK);
    return 0;
}

static const TestCase cases[] = {
    CASE(clean_case),
    CASE(leaks_an_object),
    CASE(leaks_in_a_subinterpreter),
    CASE(leaks_a_malloc),
    CASE(leaks_a_queue),
};

TEST_MAIN(cases)
