/* The interpreters modules (_interpqueues, _interpreters, concurrent.interpreters as
 * interpreters) used from C through their Python-level objects, and the host-side
 * queue additions: an eventfd a host loop can wait on, and reserve/commit. */
#include "harness.h"
#include <isle/isle.h>
#include <libgen.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static PyObject *import(const char *name) { return PyImport_ImportModule(name); }

/* module.name(args...) by the format of Py_BuildValue. */
static PyObject *call_attr(const char *module, const char *name, const char *fmt, ...) {
    PyObject *m = import(module);
    if (!m) return NULL;
    PyObject *f = PyObject_GetAttrString(m, name);
    Py_DECREF(m);
    if (!f) return NULL;
    va_list va;
    va_start(va, fmt);
    PyObject *args = fmt ? Py_VaBuildValue(fmt, va) : PyTuple_New(0);
    va_end(va);
    if (args && !PyTuple_Check(args)) {
        PyObject *t = PyTuple_Pack(1, args);
        Py_DECREF(args);
        args = t;
    }
    PyObject *r = args ? PyObject_Call(f, args, NULL) : NULL;
    Py_XDECREF(args);
    Py_DECREF(f);
    return r;
}

static long long long_attr(PyObject *o, const char *name) {
    PyObject *v = PyObject_GetAttrString(o, name);
    if (!v) return -999;
    long long r = PyLong_AsLongLong(v);
    Py_DECREF(v);
    return r;
}

static PyInterpreterState *interp_by_id(long long id) {
    for (PyInterpreterState *i = PyInterpreterState_Head(); i; i = PyInterpreterState_Next(i))
        if (PyInterpreterState_GetID(i) == id) return i;
    return NULL;
}

static char ext_dir[4096];

/* Puts the ext/ folder beside this program on sys.path of the current interpreter. */
static int add_ext_path(void) {
    if (!ext_dir[0]) {
        char exe[4096];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0) return -1;
        exe[n] = 0;
        snprintf(ext_dir, sizeof ext_dir, "%s/ext", dirname(exe));
    }
    PyObject *path = PySys_GetObject("path");
    PyObject *d = PyUnicode_FromString(ext_dir);
    int r = path && d ? PyList_Append(path, d) : -1;
    Py_XDECREF(d);
    return r;
}

/* Adds ext/ to sys.path of the interpreter with this id, from the host. */
static int add_ext_path_in(long long id) {
    PyInterpreterState *interp = interp_by_id(id);
    if (!interp) return -1;
    PyThreadState *saved = PyEval_SaveThread();
    PyGILState_STATE st = Isle_GILState_EnsureInterpreter(interp);
    int r = add_ext_path();
    PyGILState_Release(st);
    PyEval_RestoreThread(saved);
    return r;
}

static int the_modules_import_in_main_and_isolated_interpreters(void) {
    const char *names[] = {"_interpqueues", "_interpreters", "concurrent", "concurrent.interpreters", "interpreters"};
    for (int pass = 0; pass < 2; pass++) {
        PyThreadState *main_ts = PyThreadState_Get(), *sub = NULL;
        if (pass == 1) {
            CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
        }
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            PyObject *m = import(names[i]);
            CHECK(m != NULL);
            Py_DECREF(m);
        }
        PyObject *hl = import("interpreters"), *dotted = import("concurrent.interpreters");
        PyObject *pkg = import("concurrent");
        CHECK(hl == dotted);
        PyObject *attr = PyObject_GetAttrString(pkg, "interpreters");
        CHECK(attr == hl);
        Py_DECREF(attr);
        const char *hl_names[] = {"create", "list_all", "get_current", "get_main", "create_queue", "Interpreter",
                                  "Queue", "InterpreterError", "InterpreterNotFoundError", "ExecutionFailed",
                                  "NotShareableError", "QueueError", "QueueEmpty", "QueueFull", "is_shareable"};
        for (size_t i = 0; i < sizeof hl_names / sizeof *hl_names; i++) CHECK(PyObject_HasAttrString(hl, hl_names[i]));
        PyObject *err = PyObject_GetAttrString(hl, "InterpreterNotFoundError");
        CHECK(err == IsleExc_InterpreterNotFoundError);
        CHECK(PyErr_GivenExceptionMatches(err, IsleExc_InterpreterError));
        Py_DECREF(err);
        CHECK_STR(PyObject_GetAttrString(hl, "__name__"), "concurrent.interpreters");
        PyObject *ll = import("_interpreters");
        CHECK(long_attr(ll, "WHENCE_STDLIB") == 5 && long_attr(ll, "WHENCE_RUNTIME") == 1);
        Py_DECREF(ll);
        Py_DECREF(pkg);
        Py_DECREF(dotted);
        Py_DECREF(hl);
        if (sub) {
            Py_EndInterpreter(sub);
            PyThreadState_Swap(main_ts);
        }
    }
    return 0;
}

static int create_list_close_and_the_current_and_main_interpreters(void) {
    PyObject *current = call_attr("interpreters", "get_current", NULL);
    PyObject *main_i = call_attr("interpreters", "get_main", NULL);
    CHECK(current && main_i);
    CHECK(long_attr(current, "id") == 0 && long_attr(main_i, "id") == 0);
    CHECK(PyObject_RichCompareBool(current, main_i, Py_EQ) == 1);
    CHECK_STR(PyObject_GetAttrString(main_i, "whence"), "runtime init");
    CHECK_STR(PyObject_Repr(main_i), "Interpreter(0)");

    PyObject *interp = call_attr("interpreters", "create", NULL);
    CHECK(interp != NULL);
    long long id = long_attr(interp, "id");
    CHECK(id > 0);
    CHECK_STR(PyObject_GetAttrString(interp, "whence"), "_interpreters module");
    PyObject *running = PyObject_CallMethod(interp, "is_running", NULL);
    CHECK(running == Py_False);
    Py_DECREF(running);
    PyObject *all = call_attr("interpreters", "list_all", NULL);
    CHECK(all && PyList_Size(all) == 2);
    CHECK(long_attr(PyList_GetItem(all, 0), "id") == 0 && long_attr(PyList_GetItem(all, 1), "id") == id);
    Py_DECREF(all);
    /* The low-level view of the same. */
    PyObject *ll = call_attr("_interpreters", "list_all", NULL);
    PyObject *expected = Py_BuildValue("[(ii)(Li)]", 0, 1, id, 5);
    CHECK(PyObject_RichCompareBool(ll, expected, Py_EQ) == 1);
    Py_DECREF(expected);
    Py_DECREF(ll);

    /* The current and the main interpreter cannot be closed. */
    CHECK(PyObject_CallMethod(current, "close", NULL) == NULL);
    CHECK_RAISED(IsleExc_InterpreterError);
    CHECK(call_attr("_interpreters", "destroy", "i", 0) == NULL);
    CHECK_RAISED(IsleExc_InterpreterError);

    PyObject *r = PyObject_CallMethod(interp, "close", NULL);
    CHECK(r == Py_None);
    Py_DECREF(r);
    CHECK(interp_by_id(id) == NULL);
    all = call_attr("interpreters", "list_all", NULL);
    CHECK(all && PyList_Size(all) == 1);
    Py_DECREF(all);
    /* Closed: every use now names an interpreter that does not exist. */
    CHECK(PyObject_CallMethod(interp, "close", NULL) == NULL);
    CHECK_RAISED(IsleExc_InterpreterNotFoundError);
    CHECK(PyObject_CallMethod(interp, "is_running", NULL) == NULL);
    CHECK_RAISED(IsleExc_InterpreterNotFoundError);
    Py_DECREF(interp);
    Py_DECREF(current);
    Py_DECREF(main_i);
    return 0;
}

static int bad_interpreter_ids(void) {
    PyObject *cls = call_attr("interpreters", "Interpreter", "i", 424242);
    CHECK(cls == NULL);
    CHECK_RAISED(IsleExc_InterpreterNotFoundError);
    CHECK(call_attr("interpreters", "Interpreter", "s", "1") == NULL);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(call_attr("_interpreters", "destroy", "i", 424242) == NULL);
    CHECK_RAISED(IsleExc_InterpreterNotFoundError);
    CHECK(call_attr("_interpreters", "is_running", "i", 424242) == NULL);
    CHECK_RAISED(IsleExc_InterpreterNotFoundError);
    CHECK(call_attr("_interpreters", "whence", "i", -1) == NULL);
    CHECK_RAISED(PyExc_ValueError);
    CHECK(call_attr("_interpreters", "whence", "s", "x") == NULL);
    CHECK_RAISED(PyExc_TypeError);
    PyObject *huge = PyLong_FromString("100000000000000000000000", NULL, 10);
    CHECK(call_attr("_interpreters", "whence", "N", huge) == NULL);
    CHECK_RAISED(PyExc_OverflowError);
    CHECK(call_attr("_interpreters", "create", "s", "bogus") == NULL);
    CHECK_RAISED(PyExc_ValueError);
    /* exec needs the evaluator: a clear InterpreterError, after the id is checked. */
    CHECK(call_attr("_interpreters", "exec", "is", 424242, "x = 1") == NULL);
    CHECK_RAISED(IsleExc_InterpreterNotFoundError);
    PyObject *interp = call_attr("interpreters", "create", NULL);
    CHECK(interp != NULL);
    CHECK(PyObject_CallMethod(interp, "exec", "s", "x = 1") == NULL);
    CHECK(PyErr_ExceptionMatches(IsleExc_InterpreterError));
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *text = PyObject_Str(exc);
    CHECK(text && strstr(PyUnicode_AsUTF8(text), "not supported yet") != NULL);
    Py_DECREF(text);
    Py_DECREF(exc);
    PyObject *r = PyObject_CallMethod(interp, "close", NULL);
    CHECK(r == Py_None);
    Py_DECREF(r);
    Py_DECREF(interp);
    return 0;
}

/* Runs in the isolated interpreter `sub`: takes what main put, checks it, replies. */
static int queue_side_of_sub(long long qid) {
    PyObject *q = call_attr("interpreters", "Queue", "L", qid);
    CHECK(q != NULL);
    PyObject *got = PyObject_CallMethod(q, "get", "Od", Py_True, 5.0);
    PyObject *expected = Py_BuildValue("(is y[d]{s:N})", 1, "two", "3", 4.0, "none", Py_None);
    CHECK(got && PyObject_RichCompareBool(got, expected, Py_EQ) == 1);
    Py_DECREF(expected);
    Py_DECREF(got);
    /* A queue object sent through the queue arrives as a queue object of this
     * interpreter, with the same id. */
    PyObject *inner = PyObject_CallMethod(q, "get_nowait", NULL);
    CHECK(inner != NULL);
    PyObject *hl = import("interpreters");
    PyObject *queue_type = PyObject_GetAttrString(hl, "Queue");
    CHECK(PyObject_TypeCheck(inner, (PyTypeObject *)queue_type));
    CHECK(long_attr(inner, "id") == qid);
    CHECK(PyObject_RichCompareBool(inner, q, Py_EQ) == 1);
    Py_DECREF(queue_type);
    Py_DECREF(hl);
    PyObject *r = PyObject_CallMethod(inner, "put", "s", "reply from sub");
    CHECK(r == Py_None);
    Py_DECREF(r);
    Py_DECREF(inner);
    Py_DECREF(q);
    return 0;
}

static int queues_carry_values_between_interpreters(void) {
    PyObject *q = call_attr("interpreters", "create_queue", NULL);
    CHECK(q != NULL);
    long long qid = long_attr(q, "id");
    CHECK(long_attr(q, "maxsize") == -1);
    PyObject *value = Py_BuildValue("(is y[d]{s:O})", 1, "two", "3", 4.0, "none", Py_None);
    PyObject *r = PyObject_CallMethod(q, "put", "(O)", value);
    CHECK(r == Py_None);
    Py_DECREF(r);
    Py_DECREF(value);
    r = PyObject_CallMethod(q, "put_nowait", "O", q);
    CHECK(r == Py_None);
    Py_DECREF(r);
    PyObject *size = PyObject_CallMethod(q, "qsize", NULL);
    CHECK(PyLong_AsLong(size) == 2);
    Py_DECREF(size);

    PyThreadState *main_ts = PyThreadState_Get(), *sub = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    int failed = queue_side_of_sub(qid);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    CHECK(failed == 0);

    /* The reply outlived the interpreter that sent it. */
    PyObject *reply = PyObject_CallMethod(q, "get", NULL);
    CHECK_STR(reply, "reply from sub");
    PyObject *empty = PyObject_CallMethod(q, "empty", NULL);
    CHECK(empty == Py_True);
    Py_DECREF(empty);
    /* The low-level module sees the same queue by id. */
    PyObject *count = call_attr("_interpqueues", "get_count", "L", qid);
    CHECK(count && PyLong_AsLong(count) == 0);
    Py_DECREF(count);
    Py_DECREF(q);
    return 0;
}

static int prepare_main_binds_shared_values_in_the_target(void) {
    PyObject *interp = call_attr("interpreters", "create", NULL);
    PyObject *q = call_attr("interpreters", "create_queue", "i", 3);
    CHECK(interp && q);
    long long id = long_attr(interp, "id"), qid = long_attr(q, "id");
    PyObject *ns = Py_BuildValue("{s:O,s:s}", "q", q, "text", "hi");
    PyObject *kw = Py_BuildValue("{s:i,s:O}", "n", 5, "me", interp);
    PyObject *meth = PyObject_GetAttrString(interp, "prepare_main");
    PyObject *args = PyTuple_Pack(1, ns);
    PyObject *r = PyObject_Call(meth, args, kw);
    CHECK(r == Py_None);
    Py_DECREF(r);
    /* An unshareable value is refused before anything is bound. */
    PyObject *bad = Py_BuildValue("{s:[O]}", "bad", (PyObject *)&PyLong_Type);
    PyObject *bad_args = PyTuple_Pack(1, bad);
    CHECK(PyObject_Call(meth, bad_args, NULL) == NULL);
    CHECK_RAISED(IsleExc_NotShareableError);
    Py_DECREF(bad_args);
    Py_DECREF(bad);
    Py_DECREF(args);
    Py_DECREF(meth);
    Py_DECREF(kw);
    Py_DECREF(ns);

    /* Look from inside the target, as its host would. */
    PyThreadState *saved = PyEval_SaveThread();
    PyGILState_STATE st = Isle_GILState_EnsureInterpreter(interp_by_id(id));
    int ok = 0;
    PyObject *main_mod = PyImport_AddModule("__main__");
    if (main_mod) {
        PyObject *tq = PyObject_GetAttrString(main_mod, "q");
        PyObject *n = PyObject_GetAttrString(main_mod, "n");
        PyObject *bad_attr = PyObject_GetAttrString(main_mod, "bad");
        PyErr_Clear();
        /* The interpreter object arrives as this interpreter's Interpreter, same id;
         * it is the current one here. */
        PyObject *me = PyObject_GetAttrString(main_mod, "me");
        PyObject *current = call_attr("interpreters", "get_current", NULL);
        ok = tq && long_attr(tq, "id") == qid && long_attr(tq, "maxsize") == 3 && n && PyLong_AsLong(n) == 5 &&
             bad_attr == NULL && me && long_attr(me, "id") == id && current &&
             PyObject_RichCompareBool(me, current, Py_EQ) == 1;
        Py_XDECREF(me);
        Py_XDECREF(current);
        Py_XDECREF(tq);
        Py_XDECREF(n);
    }
    PyGILState_Release(st);
    PyEval_RestoreThread(saved);
    CHECK(ok);
    r = PyObject_CallMethod(interp, "close", NULL);
    CHECK(r == Py_None);
    Py_DECREF(r);
    Py_DECREF(interp);
    Py_DECREF(q);
    return 0;
}

static int call_runs_a_c_function_in_the_target(void) {
    CHECK(add_ext_path() == 0);
    PyObject *interp = call_attr("interpreters", "create", NULL);
    CHECK(interp != NULL);
    long long id = long_attr(interp, "id");
    CHECK(add_ext_path_in(id) == 0);
    PyObject *ext = import("xi_ext");
    PyObject *ll = import("_interpreters");
    CHECK(ext && ll);

    /* Arguments are shared in, the result shared back; it ran in the target. */
    PyObject *add_where = PyObject_GetAttrString(ext, "add_where");
    PyObject *r = PyObject_CallMethod(interp, "call", "Oii", add_where, 2, 3);
    PyObject *expected = Py_BuildValue("(iL)", 5, id);
    CHECK(r && PyObject_RichCompareBool(r, expected, Py_EQ) == 1);
    Py_DECREF(expected);
    Py_DECREF(r);
    PyObject *big = PyLong_FromString("123456789012345678901234567890", NULL, 10);
    r = PyObject_CallMethod(interp, "call", "OOi", add_where, big, 1);
    PyObject *sum = r ? PyTuple_GetItem(r, 0) : NULL;
    PyObject *want = PyLong_FromString("123456789012345678901234567891", NULL, 10);
    CHECK(sum && PyObject_RichCompareBool(sum, want, Py_EQ) == 1);
    Py_DECREF(want);
    Py_XDECREF(r);
    Py_DECREF(big);

    /* A builtin module's function: the target's view of itself. */
    PyObject *get_current = PyObject_GetAttrString(ll, "get_current");
    r = PyObject_CallMethod(interp, "call", "O", get_current);
    expected = Py_BuildValue("(Li)", id, 5);
    CHECK(r && PyObject_RichCompareBool(r, expected, Py_EQ) == 1);
    Py_DECREF(expected);
    Py_DECREF(r);
    /* While the call runs, the target counts as running. */
    PyObject *is_running = PyObject_GetAttrString(ll, "is_running");
    r = PyObject_CallMethod(interp, "call", "OL", is_running, id);
    CHECK(r == Py_True);
    Py_DECREF(r);

    /* Keyword arguments. */
    PyObject *keywords = PyObject_GetAttrString(ext, "keywords");
    PyObject *call = PyObject_GetAttrString(interp, "call");
    PyObject *args = PyTuple_Pack(1, keywords);
    PyObject *kw = Py_BuildValue("{s:i,s:s}", "a", 1, "b", "x");
    r = PyObject_Call(call, args, kw);
    CHECK(r && PyLong_AsLong(r) == 2);
    Py_DECREF(r);
    Py_DECREF(kw);

    /* Only callables implemented in C, and shareable arguments. */
    CHECK(PyObject_CallMethod(interp, "call", "O", (PyObject *)&PyLong_Type) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyObject_CallMethod(interp, "call", "OO", add_where, (PyObject *)&PyLong_Type) == NULL);
    CHECK_RAISED(IsleExc_NotShareableError);
    /* The low-level shape: (result, excinfo). */
    r = PyObject_CallMethod(ll, "call", "LO(ii)", id, add_where, 1, 1);
    CHECK(r && PyTuple_Check(r) && PyTuple_Size(r) == 2 && PyTuple_GetItem(r, 1) == Py_None);
    Py_DECREF(r);

    Py_DECREF(args);
    Py_DECREF(call);
    Py_DECREF(keywords);
    Py_DECREF(is_running);
    Py_DECREF(get_current);
    Py_DECREF(add_where);
    Py_DECREF(ll);
    Py_DECREF(ext);
    r = PyObject_CallMethod(interp, "close", NULL);
    CHECK(r == Py_None);
    Py_DECREF(r);
    Py_DECREF(interp);
    return 0;
}

static int an_exception_in_the_target_is_execution_failed(void) {
    CHECK(add_ext_path() == 0);
    PyObject *interp = call_attr("interpreters", "create", NULL);
    long long id = long_attr(interp, "id");
    CHECK(add_ext_path_in(id) == 0);
    PyObject *ext = import("xi_ext");
    PyObject *keywords = PyObject_GetAttrString(ext, "keywords");
    PyObject *call = PyObject_GetAttrString(interp, "call");
    PyObject *args = PyTuple_Pack(1, keywords);
    PyObject *kw = Py_BuildValue("{s:s}", "key", "missing");
    CHECK(PyObject_Call(call, args, kw) == NULL);
    CHECK(PyErr_ExceptionMatches(IsleExc_ExecutionFailed));
    CHECK(PyErr_ExceptionMatches(IsleExc_InterpreterError));
    PyObject *exc = PyErr_GetRaisedException();
    CHECK_STR(PyObject_Str(exc), "KeyError: 'missing'");
    PyObject *info = PyObject_GetAttrString(exc, "excinfo");
    CHECK(info != NULL);
    CHECK_STR(PyObject_GetAttrString(info, "msg"), "'missing'");
    PyObject *type = PyObject_GetAttrString(info, "type");
    CHECK_STR(PyObject_GetAttrString(type, "__name__"), "KeyError");
    CHECK_STR(PyObject_GetAttrString(type, "__module__"), "builtins");
    Py_DECREF(type);
    Py_DECREF(info);
    Py_DECREF(exc);

    /* A builtin module's exception, raised in the target. */
    PyObject *qmod = import("_interpqueues");
    PyObject *gc = PyObject_GetAttrString(qmod, "get_count");
    CHECK(PyObject_CallMethod(interp, "call", "Oi", gc, 987654) == NULL);
    exc = PyErr_GetRaisedException();
    CHECK(PyErr_GivenExceptionMatches(exc, IsleExc_ExecutionFailed));
    CHECK_STR(PyObject_Str(exc), "QueueNotFoundError: queue 987654 not found");
    Py_DECREF(exc);
    Py_DECREF(gc);
    Py_DECREF(qmod);
    Py_DECREF(kw);
    Py_DECREF(args);
    Py_DECREF(call);
    Py_DECREF(keywords);
    Py_DECREF(ext);
    PyObject *r = PyObject_CallMethod(interp, "close", NULL);
    CHECK(r == Py_None);
    Py_DECREF(r);
    Py_DECREF(interp);
    return 0;
}

typedef struct {
    PyObject *interp;
    PyObject *block;
    int failed;
} Blocker;

static void *run_blocking_call(void *arg) {
    Blocker *b = arg;
    PyGILState_STATE st = PyGILState_Ensure();
    PyObject *r = PyObject_CallMethod(b->interp, "call", "O", b->block);
    b->failed = r != Py_None;
    if (!r) PyErr_Print();
    Py_XDECREF(r);
    PyGILState_Release(st);
    return NULL;
}

static int an_interpreter_running_elsewhere_is_refused(void) {
    CHECK(add_ext_path() == 0);
    PyObject *interp = call_attr("interpreters", "create", NULL);
    long long id = long_attr(interp, "id");
    CHECK(add_ext_path_in(id) == 0);
    PyObject *ext = import("xi_ext");
    Blocker b = {interp, PyObject_GetAttrString(ext, "block"), 0};
    pthread_t t;
    PyThreadState *saved = PyEval_SaveThread();
    pthread_create(&t, NULL, run_blocking_call, &b);
    PyEval_RestoreThread(saved);
    /* Wait (GIL released) until the other thread is inside the target. */
    for (int i = 0; i < 5000; i++) {
        PyObject *blocked = PyObject_CallMethod(ext, "is_blocked", NULL);
        int yes = blocked == Py_True;
        Py_XDECREF(blocked);
        if (yes) break;
        saved = PyEval_SaveThread();
        usleep(1000);
        PyEval_RestoreThread(saved);
    }
    PyObject *running = PyObject_CallMethod(interp, "is_running", NULL);
    CHECK(running == Py_True);
    Py_DECREF(running);
    PyObject *is_blocked = PyObject_GetAttrString(ext, "is_blocked");
    CHECK(PyObject_CallMethod(interp, "call", "O", is_blocked) == NULL);
    CHECK(PyErr_ExceptionMatches(IsleExc_InterpreterError) && !PyErr_ExceptionMatches(IsleExc_ExecutionFailed));
    PyErr_Clear();
    CHECK(PyObject_CallMethod(interp, "close", NULL) == NULL);
    CHECK_RAISED(IsleExc_InterpreterError);
    PyObject *r = PyObject_CallMethod(ext, "release", NULL);
    Py_XDECREF(r);
    saved = PyEval_SaveThread();
    pthread_join(t, NULL);
    PyEval_RestoreThread(saved);
    CHECK(!b.failed);
    running = PyObject_CallMethod(interp, "is_running", NULL);
    CHECK(running == Py_False);
    Py_DECREF(running);
    r = PyObject_CallMethod(interp, "close", NULL);
    CHECK(r == Py_None);
    Py_DECREF(r);
    Py_DECREF(is_blocked);
    Py_DECREF(b.block);
    Py_DECREF(ext);
    Py_DECREF(interp);
    return 0;
}

static int queue_bad_input(void) {
    PyObject *q = call_attr("interpreters", "create_queue", "i", 1);
    CHECK(q != NULL);
    PyObject *r = PyObject_CallMethod(q, "get_nowait", NULL);
    CHECK(r == NULL);
    CHECK_RAISED(IsleExc_QueueEmpty);
    CHECK(PyErr_GivenExceptionMatches(IsleExc_QueueEmpty, IsleExc_QueueError));
    /* NaN and negative timeouts. */
    CHECK(PyObject_CallMethod(q, "get", "Od", Py_True, NAN) == NULL);
    CHECK_RAISED(PyExc_ValueError);
    CHECK(PyObject_CallMethod(q, "get", "Od", Py_True, -1.0) == NULL);
    CHECK_RAISED(PyExc_ValueError);
    CHECK(PyObject_CallMethod(q, "put", "iOd", 1, Py_True, NAN) == NULL);
    CHECK_RAISED(PyExc_ValueError);
    /* A real timeout, not truncated to whole seconds. */
    double start = seconds_now();
    CHECK(PyObject_CallMethod(q, "get", "Od", Py_True, 0.05) == NULL);
    CHECK_RAISED(IsleExc_QueueEmpty);
    CHECK(seconds_now() - start >= 0.05);
    /* Unshareable values are refused whole. */
    PyObject *bad = Py_BuildValue("(i[O])", 1, (PyObject *)&PyLong_Type);
    CHECK(PyObject_CallMethod(q, "put", "(O)", bad) == NULL);
    CHECK_RAISED(IsleExc_NotShareableError);
    Py_DECREF(bad);
    PyObject *n = PyObject_CallMethod(q, "qsize", NULL);
    CHECK(PyLong_AsLong(n) == 0);
    Py_DECREF(n);
    /* Full, without blocking and with a timeout. */
    r = PyObject_CallMethod(q, "put", "i", 1);
    CHECK(r == Py_None);
    Py_DECREF(r);
    PyObject *full = PyObject_CallMethod(q, "full", NULL);
    CHECK(full == Py_True);
    Py_DECREF(full);
    CHECK(PyObject_CallMethod(q, "put_nowait", "i", 2) == NULL);
    CHECK_RAISED(IsleExc_QueueFull);
    CHECK(PyObject_CallMethod(q, "put", "iOd", 2, Py_True, 0.01) == NULL);
    CHECK_RAISED(IsleExc_QueueFull);
    CHECK(PyObject_CallMethod(q, "put", "iO", 2, Py_False) == NULL);
    CHECK_RAISED(IsleExc_QueueFull);
    /* Closed: puts fail, gets drain then fail. */
    r = PyObject_CallMethod(q, "close", NULL);
    Py_XDECREF(r);
    CHECK(PyObject_CallMethod(q, "put_nowait", "i", 3) == NULL);
    CHECK_RAISED(IsleExc_QueueClosedError);
    r = PyObject_CallMethod(q, "get", NULL);
    CHECK(r && PyLong_AsLong(r) == 1);
    Py_DECREF(r);
    CHECK(PyObject_CallMethod(q, "get", NULL) == NULL);
    CHECK_RAISED(IsleExc_QueueClosedError);
    /* An id that never existed. */
    CHECK(call_attr("interpreters", "Queue", "i", 999999) == NULL);
    CHECK_RAISED(IsleExc_QueueNotFoundError);
    Py_DECREF(q);
    return 0;
}

static int the_low_level_queue_functions(void) {
    PyObject *qid_obj = call_attr("_interpqueues", "create", "iii", 2, 0, 1);
    CHECK(qid_obj != NULL);
    long long qid = PyLong_AsLongLong(qid_obj);
    PyObject *all = call_attr("_interpqueues", "list_all", NULL);
    PyObject *entry = Py_BuildValue("(Lii)", qid, 0, 1);
    CHECK(all && PySequence_Contains(all, entry) == 1);
    Py_DECREF(entry);
    Py_DECREF(all);
    PyObject *defaults = call_attr("_interpqueues", "get_queue_defaults", "O", qid_obj);
    PyObject *want = Py_BuildValue("(ii)", 0, 1);
    CHECK(defaults && PyObject_RichCompareBool(defaults, want, Py_EQ) == 1);
    Py_DECREF(want);
    Py_DECREF(defaults);
    PyObject *r = call_attr("_interpqueues", "put", "O(is)ii", qid_obj, 7, "x", 0, 1);
    CHECK(r == Py_None);
    Py_DECREF(r);
    CHECK(call_attr("_interpqueues", "put", "Oiii", qid_obj, 1, 0, 9) == NULL);
    CHECK_RAISED(PyExc_ValueError);
    PyObject *got = call_attr("_interpqueues", "get", "O", qid_obj);
    want = Py_BuildValue("((is)iO)", 7, "x", 0, Py_None);
    CHECK(got && PyObject_RichCompareBool(got, want, Py_EQ) == 1);
    Py_DECREF(want);
    Py_DECREF(got);
    CHECK(call_attr("_interpqueues", "get", "O", qid_obj) == NULL);
    CHECK_RAISED(IsleExc_QueueEmpty);
    PyObject *maxsize = call_attr("_interpqueues", "get_maxsize", "O", qid_obj);
    CHECK(maxsize && PyLong_AsLong(maxsize) == 2);
    Py_DECREF(maxsize);
    CHECK(call_attr("_interpqueues", "create", "i", 2) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    /* References by id: bind takes one, release gives one back, the last ends it. */
    r = call_attr("_interpqueues", "bind", "O", qid_obj);
    Py_XDECREF(r);
    r = call_attr("_interpqueues", "release", "O", qid_obj);
    Py_XDECREF(r);
    r = call_attr("_interpqueues", "get_count", "O", qid_obj);
    CHECK(r && PyLong_AsLong(r) == 0);
    Py_DECREF(r);
    r = call_attr("_interpqueues", "release", "O", qid_obj);
    CHECK(r == Py_None);
    Py_DECREF(r);
    CHECK(call_attr("_interpqueues", "get_count", "O", qid_obj) == NULL);
    CHECK_RAISED(IsleExc_QueueNotFoundError);
    CHECK(call_attr("_interpqueues", "destroy", "O", qid_obj) == NULL);
    CHECK_RAISED(IsleExc_QueueNotFoundError);
    Py_DECREF(qid_obj);
    /* destroy ends a queue at once, whoever else holds it. */
    PyObject *q = call_attr("interpreters", "create_queue", NULL);
    r = call_attr("_interpqueues", "destroy", "L", long_attr(q, "id"));
    CHECK(r == Py_None);
    Py_DECREF(r);
    CHECK(PyObject_CallMethod(q, "put", "i", 1) == NULL);
    CHECK_RAISED(IsleExc_QueueClosedError);
    Py_DECREF(q);
    return 0;
}

/* ---- the host side: eventfd and reserve/commit ---- */

static int readable(int fd, int timeout_ms) {
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

static void *put_later(void *arg) {
    usleep(20000);
    Isle_QueuePutBytes(arg, "wake", 4, 0);
    return NULL;
}

static int the_eventfd_wakes_a_host_loop(void) {
    IsleQueue *q = Isle_QueueNew(0, 0);
    int fd = Isle_QueueGetEventFd(q);
    CHECK(fd >= 0 && Isle_QueueGetEventFd(q) == fd);
    CHECK(!readable(fd, 0));
    pthread_t t;
    PyThreadState *saved = PyEval_SaveThread();
    pthread_create(&t, NULL, put_later, q);
    int woke = readable(fd, 5000);
    pthread_join(t, NULL);
    PyEval_RestoreThread(saved);
    CHECK(woke);
    void *data;
    size_t size;
    CHECK(Isle_QueueGetBytes(q, &data, &size, 0) == ISLE_QUEUE_OK);
    CHECK(size == 4 && memcmp(data, "wake", 4) == 0);
    PyMem_RawFree(data);
    CHECK(!readable(fd, 0));
    /* Two items: readable until both are taken. */
    PyObject *one = PyLong_FromLong(1);
    CHECK(Isle_QueuePut(q, one, 0) == 0 && Isle_QueuePut(q, one, 0) == 0);
    Py_DECREF(one);
    CHECK(readable(fd, 0));
    PyObject *got = Isle_QueueGet(q, 0);
    Py_XDECREF(got);
    CHECK(readable(fd, 0));
    got = Isle_QueueGet(q, 0);
    Py_XDECREF(got);
    CHECK(!readable(fd, 0));
    /* A put through the Python-level object signals it too, and so does closing. */
    PyObject *pyq = call_attr("interpreters", "Queue", "L", (long long)Isle_QueueId(q));
    CHECK(pyq != NULL);
    PyObject *r = PyObject_CallMethod(pyq, "put", "s", "x");
    Py_XDECREF(r);
    CHECK(readable(fd, 0));
    got = PyObject_CallMethod(pyq, "get", NULL);
    Py_XDECREF(got);
    CHECK(!readable(fd, 0));
    Py_DECREF(pyq);
    Isle_QueueClose(q);
    CHECK(readable(fd, 0));
    CHECK(Isle_QueueGetEventFd(NULL) == -1);
    Isle_QueueRelease(q);
    return 0;
}

static int reserve_and_commit_write_in_place(void) {
    IsleQueue *q = Isle_QueueNew(2, 0);
    void *a, *b, *c;
    CHECK(Isle_QueueReserveBytes(q, 5, &a, 0) == ISLE_QUEUE_OK);
    memcpy(a, "hello", 5);
    CHECK(Isle_QueueReserveBytes(q, 3, &b, 0) == ISLE_QUEUE_OK);
    CHECK(a != b);
    /* Both places are held: the bound counts reservations. */
    CHECK(Isle_QueueReserveBytes(q, 1, &c, 0) == ISLE_QUEUE_FULL);
    CHECK(Isle_QueuePutBytes(q, "x", 1, 0) == ISLE_QUEUE_FULL);
    CHECK(Isle_QueueSize(q) == 0);
    CHECK(Isle_QueueAbort(q, b) == 0);
    CHECK(Isle_QueueAbort(q, b) == -1);
    CHECK(Isle_QueueCommit(q, b) == -1);
    CHECK(Isle_QueueCommit(q, a) == ISLE_QUEUE_OK);
    CHECK(Isle_QueueCommit(q, a) == -1);
    CHECK(Isle_QueueSize(q) == 1);
    /* A zero-length reservation still has its own address. */
    CHECK(Isle_QueueReserveBytes(q, 0, &c, 0) == ISLE_QUEUE_OK && c != NULL);
    CHECK(Isle_QueueCommit(q, c) == ISLE_QUEUE_OK);
    /* The committed block arrives as bytes in an interpreter. */
    PyObject *got = Isle_QueueGet(q, 0);
    CHECK(got && PyBytes_Check(got) && PyBytes_Size(got) == 5 && memcmp(PyBytes_AsString(got), "hello", 5) == 0);
    Py_DECREF(got);
    got = Isle_QueueGet(q, 0);
    CHECK(got && PyBytes_Check(got) && PyBytes_Size(got) == 0);
    Py_DECREF(got);
    /* Bad input. */
    CHECK(Isle_QueueReserveBytes(q, 1, NULL, 0) == -1);
    CHECK(Isle_QueueReserveBytes(NULL, 1, &c, 0) == -1);
    CHECK(Isle_QueueReserveBytes(q, 1, &c, NAN) == -1);
    /* More than any allocator gives: refused, not an abort. */
    CHECK(Isle_QueueReserveBytes(q, (size_t)-1, &c, 0) == -1);
    CHECK(Isle_QueueCommit(q, NULL) == -1 && Isle_QueueAbort(NULL, a) == -1);
    /* Closed meanwhile: the commit is refused and the block freed. */
    CHECK(Isle_QueueReserveBytes(q, 4, &c, 0) == ISLE_QUEUE_OK);
    void *left;
    CHECK(Isle_QueueReserveBytes(q, 64, &left, 0) == ISLE_QUEUE_OK);
    Isle_QueueClose(q);
    CHECK(Isle_QueueCommit(q, c) == ISLE_QUEUE_CLOSED);
    CHECK(Isle_QueueReserveBytes(q, 1, &c, 0) == ISLE_QUEUE_CLOSED);
    /* `left` is never committed: the queue frees it with itself. */
    Isle_QueueRelease(q);
    return 0;
}

static void *reserve_when_room(void *arg) {
    void *p;
    if (Isle_QueueReserveBytes(arg, 2, &p, 5.0) != ISLE_QUEUE_OK) return (void *)1;
    memcpy(p, "ok", 2);
    return (void *)(intptr_t)(Isle_QueueCommit(arg, p) != ISLE_QUEUE_OK);
}

static int a_waiting_reserve_gets_the_place_an_abort_frees(void) {
    IsleQueue *q = Isle_QueueNew(1, 0);
    void *a;
    CHECK(Isle_QueueReserveBytes(q, 1, &a, 0) == ISLE_QUEUE_OK);
    pthread_t t;
    PyThreadState *saved = PyEval_SaveThread();
    pthread_create(&t, NULL, reserve_when_room, q);
    usleep(20000);
    Isle_QueueAbort(q, a);
    void *r;
    pthread_join(t, &r);
    PyEval_RestoreThread(saved);
    CHECK(r == NULL);
    void *data;
    size_t size;
    CHECK(Isle_QueueGetBytes(q, &data, &size, 0) == ISLE_QUEUE_OK && size == 2 && memcmp(data, "ok", 2) == 0);
    PyMem_RawFree(data);
    Isle_QueueRelease(q);
    return 0;
}

static const TestCase cases[] = {
    KEEPS_OBJECTS(the_modules_import_in_main_and_isolated_interpreters),
    KEEPS_OBJECTS(create_list_close_and_the_current_and_main_interpreters),
    KEEPS_OBJECTS(bad_interpreter_ids),
    KEEPS_OBJECTS(queues_carry_values_between_interpreters),
    KEEPS_OBJECTS(prepare_main_binds_shared_values_in_the_target),
    KEEPS_OBJECTS(call_runs_a_c_function_in_the_target),
    KEEPS_OBJECTS(an_exception_in_the_target_is_execution_failed),
    KEEPS_OBJECTS(an_interpreter_running_elsewhere_is_refused),
    KEEPS_OBJECTS(queue_bad_input),
    KEEPS_OBJECTS(the_low_level_queue_functions),
    KEEPS_OBJECTS(the_eventfd_wakes_a_host_loop),
    CASE(reserve_and_commit_write_in_place),
    CASE(a_waiting_reserve_gets_the_place_an_abort_frees),
};

TEST_MAIN(cases)
