/* Interpreters, thread states and the GIL API. */
#include "harness.h"
#include <pthread.h>
#include <time.h>

static PyObject *text(const char *s) { return PyUnicode_FromStringAndSize(s, (Py_ssize_t)strlen(s)); }

static int interp_listed(PyInterpreterState *interp) {
    for (PyInterpreterState *i = PyInterpreterState_Head(); i; i = PyInterpreterState_Next(i))
        if (i == interp) return 1;
    return 0;
}

static int new_isolated_interpreter(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyObject *main_modules = PyImport_GetModuleDict();
    PyThreadState *ts = NULL;
    PyStatus st = Py_NewInterpreterFromConfig(&ts, &isolated);
    CHECK(!PyStatus_Exception(st));
    CHECK(ts != NULL);
    CHECK(PyThreadState_Get() == ts);
    CHECK(PyGILState_Check());
    PyInterpreterState *interp = PyThreadState_GetInterpreter(ts);
    CHECK(interp != PyInterpreterState_Main());
    CHECK(PyInterpreterState_Get() == interp);
    CHECK(PyInterpreterState_GetID(interp) > 0);
    CHECK(ts->interp == interp);
    PyInterpreterConfig seen;
    CHECK(Isle_InterpreterGetConfig(interp, &seen) == 0);
    CHECK(memcmp(&seen, &isolated, sizeof seen) == 0);
    CHECK(Isle_InterpreterGetConfig(PyInterpreterState_Main(), &seen) == 0);
    CHECK(seen.gil == PyInterpreterConfig_OWN_GIL && seen.use_main_obmalloc == 1 && seen.allow_fork == 1);
    CHECK(Isle_InterpreterGetConfig(NULL, &seen) == -1);
    PyObject *modules = PyImport_GetModuleDict();
    CHECK(modules != NULL && PyDict_Check(modules));
    CHECK(modules != main_modules);
    /* Its own sys and builtins modules, listed in its own sys.modules. */
    PyObject *sys = PyDict_GetItemString(modules, "sys");
    PyObject *main_sys = PyDict_GetItemString(main_modules, "sys");
    CHECK(sys != NULL && Py_IS_TYPE(sys, &PyModule_Type) && PyModule_Check(sys));
    CHECK(main_sys != NULL && sys != main_sys);
    CHECK(PyDict_GetItemString(modules, "builtins") != PyDict_GetItemString(main_modules, "builtins"));
    PyObject *s = text("made in a sub-interpreter");
    CHECK(s != NULL);
    Py_DECREF(s);
    CHECK(interp_listed(interp));
    Py_EndInterpreter(ts);
    CHECK(PyThreadState_GetUnchecked() == NULL);
    CHECK(!interp_listed(interp));
    PyThreadState_Swap(main_ts);
    CHECK(PyImport_GetModuleDict() == main_modules);
    return 0;
}

static int legacy_interpreter(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *ts = Py_NewInterpreter();
    CHECK(ts != NULL);
    CHECK(PyThreadState_Get() == ts);
    CHECK(PyInterpreterState_Get() != PyInterpreterState_Main());
    PyObject *s = text("legacy");
    CHECK(s != NULL);
    Py_DECREF(s);
    Py_EndInterpreter(ts);
    PyThreadState_Swap(main_ts);
    CHECK(PyInterpreterState_GetID(PyInterpreterState_Get()) == 0);
    return 0;
}

static int ids_are_never_reused(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    int64_t last = 0;
    for (int i = 0; i < 5; i++) {
        PyThreadState *ts = NULL;
        CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated)));
        int64_t id = PyInterpreterState_GetID(ts->interp);
        CHECK(id > last);
        last = id;
        Py_EndInterpreter(ts);
        PyThreadState_Swap(main_ts);
    }
    return 0;
}

static int expect_config_error(PyInterpreterConfig cfg, const char *message) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *ts = (PyThreadState *)0x1;
    PyStatus st = Py_NewInterpreterFromConfig(&ts, &cfg);
    CHECK(PyStatus_Exception(st));
    CHECK(PyStatus_IsError(st));
    CHECK(!PyStatus_IsExit(st));
    CHECK(ts == NULL);
    CHECK(st.err_msg != NULL && strstr(st.err_msg, message) != NULL);
    /* The caller's thread state is untouched and usable. */
    CHECK(PyThreadState_Get() == main_ts);
    PyObject *s = text("still fine");
    CHECK(s != NULL);
    Py_DECREF(s);
    return 0;
}

static int bad_configs_are_refused(void) {
    PyInterpreterConfig bad_gil = isolated;
    bad_gil.gil = 7;
    if (expect_config_error(bad_gil, "'gil' value")) return 1;
    PyInterpreterConfig own_heap_no_checks = isolated;
    own_heap_no_checks.check_multi_interp_extensions = 0;
    if (expect_config_error(own_heap_no_checks, "single-phase init")) return 1;
    PyInterpreterConfig own_gil_shared_heap = isolated;
    own_gil_shared_heap.use_main_obmalloc = 1;
    if (expect_config_error(own_gil_shared_heap, "per-interpreter GIL")) return 1;
    PyThreadState *ts = NULL;
    CHECK(PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, NULL)));
    CHECK(PyStatus_Exception(Py_NewInterpreterFromConfig(NULL, &isolated)));
    return 0;
}

typedef struct {
    PyThreadState *ts;
    int attached;
} Attacher;

/* Attaches the thread state on this thread (waiting for its GIL), then leaves. */
static void *attach_then_leave(void *arg) {
    Attacher *a = arg;
    PyEval_RestoreThread(a->ts);
    __atomic_store_n(&a->attached, 1, __ATOMIC_SEQ_CST);
    PyEval_SaveThread();
    return NULL;
}

static int attached_within(Attacher *a, int ms) {
    for (int waited = 0; waited < ms; waited += 5) {
        if (__atomic_load_n(&a->attached, __ATOMIC_SEQ_CST)) return 1;
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return __atomic_load_n(&a->attached, __ATOMIC_SEQ_CST);
}

/* Makes an interpreter from `cfg` and tells whether another thread can attach to it
 * while this thread holds the main GIL: 1 if it could not (the GIL is shared), 0 if
 * it could, -1 on failure. A shared GIL is only let go of after 200 ms, and the
 * other thread attaches as soon as it is. */
static int shares_main_gil(const PyInterpreterConfig *cfg) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *ts = NULL;
    if (PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, cfg))) return -1;
    PyEval_SaveThread();
    PyEval_RestoreThread(main_ts);
    Attacher a = {ts, 0};
    pthread_t t;
    pthread_create(&t, NULL, attach_then_leave, &a);
    int blocked = !attached_within(&a, cfg->gil == PyInterpreterConfig_OWN_GIL ? 10000 : 200);
    PyEval_SaveThread();
    pthread_join(t, NULL);
    PyEval_RestoreThread(ts);
    Py_EndInterpreter(ts);
    PyThreadState_Swap(main_ts);
    return a.attached ? blocked : -1;
}

static int default_gil_config_shares_main_gil(void) {
    PyInterpreterConfig cfg = {
        .use_main_obmalloc = 1, .allow_fork = 1, .allow_exec = 1, .allow_threads = 1,
        .allow_daemon_threads = 1, .check_multi_interp_extensions = 0, .gil = PyInterpreterConfig_DEFAULT_GIL,
    };
    CHECK(shares_main_gil(&cfg) == 1);
    cfg.gil = PyInterpreterConfig_SHARED_GIL;
    CHECK(shares_main_gil(&cfg) == 1);
    /* The same probe sees an own GIL as not shared. */
    CHECK(shares_main_gil(&isolated) == 0);
    return 0;
}

static int end_interpreter_misuse_is_refused(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    /* The main interpreter is ended by Py_FinalizeEx only. */
    Py_EndInterpreter(main_ts);
    CHECK(PyThreadState_Get() == main_ts);
    CHECK(interp_listed(PyInterpreterState_Main()));

    PyThreadState *ts = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated)));
    PyInterpreterState *interp = ts->interp;
    /* A second thread state alive: refused. */
    PyThreadState *other = PyThreadState_New(interp);
    CHECK(other != NULL);
    Py_EndInterpreter(ts);
    CHECK(interp_listed(interp));
    CHECK(PyThreadState_Get() == ts);
    PyThreadState_Clear(other);
    PyThreadState_Delete(other);
    /* Not the current thread state: refused. */
    PyThreadState_Swap(main_ts);
    Py_EndInterpreter(ts);
    CHECK(interp_listed(interp));
    CHECK(PyThreadState_Get() == main_ts);
    PyThreadState_Swap(ts);
    Py_EndInterpreter(ts);
    CHECK(!interp_listed(interp));
    PyThreadState_Swap(main_ts);
    return 0;
}

static PyThreadState *foreign_ts;
static int foreign_end_left_it;
static void *end_from_another_thread(void *arg) {
    Py_EndInterpreter(foreign_ts); /* not this thread's: refused */
    foreign_end_left_it = PyThreadState_GetUnchecked() == NULL;
    return NULL;
}

static int end_interpreter_from_wrong_thread_is_refused(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&foreign_ts, &isolated)));
    PyInterpreterState *interp = foreign_ts->interp;
    pthread_t t;
    pthread_create(&t, NULL, end_from_another_thread, NULL);
    pthread_join(t, NULL);
    CHECK(foreign_end_left_it);
    CHECK(interp_listed(interp));
    CHECK(PyThreadState_Get() == foreign_ts);
    Py_EndInterpreter(foreign_ts);
    CHECK(!interp_listed(interp));
    PyThreadState_Swap(main_ts);
    return 0;
}

static void *misuse_without_thread_state(void *arg) {
    int *ok = arg;
    *ok = PyThreadState_GetDict() == NULL && PyThreadState_GetUnchecked() == NULL && !PyGILState_Check() &&
           PyGILState_GetThisThreadState() == NULL;
    PyGILState_Release(PyGILState_UNLOCKED); /* no matching Ensure: reported, ignored */
    *ok = *ok && PyThreadState_GetUnchecked() == NULL;
    return NULL;
}

static int thread_api_without_a_thread_state(void) {
    int ok = 0;
    pthread_t t;
    PyThreadState *saved = PyEval_SaveThread();
    pthread_create(&t, NULL, misuse_without_thread_state, &ok);
    pthread_join(t, NULL);
    PyEval_RestoreThread(saved);
    CHECK(ok);
    CHECK(PyThreadState_GetInterpreter(NULL) == NULL);
    CHECK(PyThreadState_GetID(NULL) == 0);
    CHECK(PyThreadState_Next(NULL) == NULL);
    CHECK(PyInterpreterState_Next(NULL) == NULL);
    CHECK(PyInterpreterState_ThreadHead(NULL) == NULL);
    CHECK(PyUnstable_AtExit(NULL, NULL, NULL) == -1);
    return 0;
}

static int thread_state_lifecycle(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyInterpreterState *interp = PyInterpreterState_Get();
    CHECK(PyInterpreterState_ThreadHead(interp) == main_ts);
    PyThreadState *t2 = PyThreadState_New(interp);
    CHECK(t2 != NULL && t2 != main_ts);
    CHECK(PyThreadState_Get() == main_ts);
    CHECK(PyThreadState_GetInterpreter(t2) == interp);
    CHECK(PyThreadState_GetID(t2) != PyThreadState_GetID(main_ts));
    /* Both are listed. */
    int seen = 0;
    for (PyThreadState *t = PyInterpreterState_ThreadHead(interp); t; t = PyThreadState_Next(t))
        seen += (t == t2) + (t == main_ts);
    CHECK(seen == 2);
    /* Thread-state dicts are per thread state and stable. */
    PyObject *d_main = PyThreadState_GetDict();
    CHECK(d_main != NULL && d_main == PyThreadState_GetDict());
    CHECK(PyThreadState_Swap(t2) == main_ts);
    CHECK(PyThreadState_Get() == t2);
    PyObject *d2 = PyThreadState_GetDict();
    CHECK(d2 != NULL && d2 != d_main);
    CHECK(PyThreadState_Swap(main_ts) == t2);
    PyThreadState_Clear(t2);
    PyThreadState_Delete(t2);
    /* Swapping in a deleted thread state is refused and changes nothing. */
    CHECK(PyThreadState_Swap(t2) == NULL);
    CHECK(PyThreadState_Get() == main_ts);
    CHECK(PyThreadState_New(NULL) == NULL);
    return 0;
}

static int delete_current_releases_gil(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *t2 = PyThreadState_New(PyInterpreterState_Get());
    PyThreadState_Swap(t2);
    PyThreadState_Clear(t2);
    PyThreadState_DeleteCurrent();
    CHECK(PyThreadState_GetUnchecked() == NULL);
    CHECK(!PyGILState_Check());
    PyEval_RestoreThread(main_ts);
    CHECK(PyThreadState_Get() == main_ts);
    return 0;
}

static int save_and_restore_thread(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *saved = PyEval_SaveThread();
    CHECK(saved == main_ts);
    CHECK(PyThreadState_GetUnchecked() == NULL);
    CHECK(!PyGILState_Check());
    PyEval_RestoreThread(saved);
    CHECK(PyThreadState_Get() == main_ts);
    CHECK(PyGILState_Check());
    Py_BEGIN_ALLOW_THREADS
    CHECK(PyThreadState_GetUnchecked() == NULL);
    Py_BLOCK_THREADS
    CHECK(PyThreadState_GetUnchecked() == main_ts);
    Py_UNBLOCK_THREADS
    Py_END_ALLOW_THREADS
    CHECK(PyThreadState_Get() == main_ts);
    PyEval_ReleaseThread(main_ts);
    CHECK(PyThreadState_GetUnchecked() == NULL);
    PyEval_AcquireThread(main_ts);
    CHECK(PyThreadState_Get() == main_ts);
    return 0;
}

/* --- work done from threads the host made ------------------------------------ */

typedef struct {
    PyInterpreterState *interp; /* NULL: the main interpreter via PyGILState_Ensure */
    int ok;
    PyInterpreterState *seen;
} EnsureJob;

static void *ensure_worker(void *arg) {
    EnsureJob *job = arg;
    if (PyThreadState_GetUnchecked() != NULL) return NULL;
    PyGILState_STATE outer = job->interp ? Isle_GILState_EnsureInterpreter(job->interp) : PyGILState_Ensure();
    PyGILState_STATE inner = job->interp ? Isle_GILState_EnsureInterpreter(job->interp) : PyGILState_Ensure();
    job->seen = PyInterpreterState_Get();
    PyObject *s = text("from a host thread");
    int made = s != NULL;
    Py_XDECREF(s);
    int checked = PyGILState_Check();
    PyGILState_Release(inner);
    int still = PyThreadState_GetUnchecked() != NULL;
    PyGILState_Release(outer);
    int gone = PyThreadState_GetUnchecked() == NULL;
    job->ok = outer == PyGILState_UNLOCKED && inner == PyGILState_LOCKED && made && checked && still && gone;
    return NULL;
}

static int run_ensure_job(EnsureJob *job) {
    pthread_t t;
    PyThreadState *saved = PyEval_SaveThread();
    pthread_create(&t, NULL, ensure_worker, job);
    pthread_join(t, NULL);
    PyEval_RestoreThread(saved);
    return job->ok ? 0 : 1;
}

static int gilstate_from_host_thread(void) {
    CHECK(PyGILState_GetThisThreadState() == PyThreadState_Get());
    CHECK(PyGILState_Check());
    EnsureJob job = {0};
    CHECK(run_ensure_job(&job) == 0);
    CHECK(job.seen == PyInterpreterState_Main());
    /* In a thread that already holds the GIL, Ensure is a no-op that nests. */
    PyGILState_STATE st = PyGILState_Ensure();
    CHECK(st == PyGILState_LOCKED);
    PyGILState_Release(st);
    CHECK(PyThreadState_Get() == PyGILState_GetThisThreadState());
    return 0;
}

static int ensure_for_a_subinterpreter(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    PyInterpreterState *interp = sub->interp;
    PyThreadState_Swap(main_ts);
    EnsureJob job = {.interp = interp};
    CHECK(run_ensure_job(&job) == 0);
    CHECK(job.seen == interp);
    /* The worker's thread state was deleted: the sub-interpreter has one again. */
    CHECK(PyInterpreterState_ThreadHead(interp) == sub && PyThreadState_Next(sub) == NULL);
    PyThreadState_Swap(sub);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    return 0;
}

static int enumeration_lists_all(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *a = NULL, *b = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&a, &isolated)));
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&b, &isolated)));
    int n = 0;
    PyInterpreterState *last = NULL;
    for (PyInterpreterState *i = PyInterpreterState_Head(); i; i = PyInterpreterState_Next(i)) {
        n++;
        last = i;
    }
    CHECK(n == 3);
    CHECK(last == PyInterpreterState_Main());
    CHECK(PyInterpreterState_Head() == b->interp);
    CHECK(PyInterpreterState_Next(PyInterpreterState_Head()) == a->interp);
    Py_EndInterpreter(b);
    PyThreadState_Swap(a);
    Py_EndInterpreter(a);
    PyThreadState_Swap(main_ts);
    CHECK(PyInterpreterState_Head() == PyInterpreterState_Main());
    CHECK(PyInterpreterState_Next(PyInterpreterState_Main()) == NULL);
    return 0;
}

static int interpreter_dicts_are_separate(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyObject *main_dict = PyInterpreterState_GetDict(PyInterpreterState_Get());
    CHECK(main_dict != NULL && PyDict_Check(main_dict));
    CHECK(main_dict == PyInterpreterState_GetDict(PyInterpreterState_Get()));
    PyThreadState *ts = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated)));
    PyObject *sub_dict = PyInterpreterState_GetDict(ts->interp);
    CHECK(sub_dict != NULL && sub_dict != main_dict);
    Py_EndInterpreter(ts);
    PyThreadState_Swap(main_ts);
    CHECK(PyInterpreterState_GetDict(NULL) == NULL);
    return 0;
}

static int counter_calls;
static int count_call(void *arg) {
    counter_calls += *(int *)arg;
    return 0;
}
static int failing_call(void *arg) {
    PyErr_SetString(PyExc_RuntimeError, "pending call failed");
    return -1;
}

static int pending_calls(void) {
    static int two = 2;
    counter_calls = 0;
    CHECK(Py_AddPendingCall(count_call, &two) == 0);
    CHECK(Py_AddPendingCall(count_call, &two) == 0);
    CHECK(Py_MakePendingCalls() == 0);
    CHECK(counter_calls == 4);
    CHECK(Py_MakePendingCalls() == 0);
    CHECK(counter_calls == 4);
    CHECK(Py_AddPendingCall(failing_call, NULL) == 0);
    CHECK(Py_AddPendingCall(count_call, &two) == 0);
    CHECK(Py_MakePendingCalls() == -1);
    CHECK_RAISED(PyExc_RuntimeError);
    CHECK(Py_MakePendingCalls() == 0);
    CHECK(counter_calls == 6);
    int queued = 0;
    while (Py_AddPendingCall(count_call, &two) == 0 && queued < 1000) queued++;
    CHECK(queued == 32);
    CHECK(Py_MakePendingCalls() == 0);
    CHECK(Py_AddPendingCall(NULL, NULL) == -1);
    return 0;
}

static int pending_call_for_a_subinterpreter_runs_in_it(void) {
    static PyInterpreterState *ran_in;
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    PyThreadState_Swap(main_ts);
    int record(void *arg);
    ran_in = NULL;
    CHECK(Isle_AddPendingCall(sub->interp, record, &ran_in) == 0);
    CHECK(ran_in == NULL);
    PyThreadState_Swap(sub); /* attaching runs it */
    CHECK(ran_in == sub->interp);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    CHECK(Isle_AddPendingCall(NULL, record, &ran_in) == -1);
    return 0;
}
int record(void *arg) {
    *(PyInterpreterState **)arg = PyInterpreterState_Get();
    return 0;
}

static int atexit_ran;
static void note_atexit(void *data) {
    /* Runs while the interpreter is still usable. */
    PyObject *s = text("at exit");
    atexit_ran = (s != NULL) * *(int *)data;
    Py_XDECREF(s);
}

static int unstable_atexit_runs_at_end(void) {
    static int seven = 7;
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *ts = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated)));
    CHECK(PyUnstable_AtExit(ts->interp, note_atexit, &seven) == 0);
    CHECK(PyUnstable_AtExit(ts->interp, NULL, NULL) == -1);
    atexit_ran = 0;
    Py_EndInterpreter(ts);
    CHECK(atexit_ran == 7);
    PyThreadState_Swap(main_ts);
    return 0;
}

static int heaps_are_separate_and_released(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    IsleMemoryStats main_before, main_after, sub;
    CHECK(Isle_InterpreterMemory(PyInterpreterState_Main(), &main_before) == 0);
    PyThreadState *ts = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated)));
    IsleMemoryStats fresh;
    CHECK(Isle_InterpreterMemory(ts->interp, &fresh) == 0);
    /* Deliberately leak objects in the sub-interpreter: ending it returns them. */
    for (int i = 0; i < 1000; i++) CHECK(text("leaked on purpose") != NULL);
    CHECK(Isle_InterpreterMemory(ts->interp, &sub) == 0);
    CHECK(sub.live_blocks >= fresh.live_blocks + 1000);
    CHECK(Isle_InterpreterMemory(PyInterpreterState_Main(), &main_after) == 0);
    CHECK(main_after.live_blocks == main_before.live_blocks);
    Py_EndInterpreter(ts);
    PyThreadState_Swap(main_ts);
    CHECK(Isle_InterpreterMemory(NULL, &sub) == -1);
    return 0;
}

static int objects_are_not_shared_between_interpreters(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyObject *list = PyList_New(0), *dict = PyDict_New(), *key = text("key");
    PyObject *tuple = PyTuple_New(1);
    PyThreadState *sub = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    PyObject *theirs = text("made in the sub-interpreter");
    PyThreadState_Swap(main_ts);
    /* Storing another interpreter's object anywhere is refused... */
    CHECK(PyList_Append(list, theirs) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Insert(list, 0, theirs) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_SetItem(dict, key, theirs) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyDict_SetItem(dict, theirs, key) == -1);
    CHECK_RAISED(PyExc_SystemError);
    Py_INCREF(theirs); /* SetItem steals, even on failure */
    CHECK(PyTuple_SetItem(tuple, 0, theirs) == -1);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(PyList_Size(list) == 0 && PyDict_Size(dict) == 0);
    /* ...while the shared immortal objects are fine anywhere. */
    CHECK(PyList_Append(list, Py_None) == 0);
    PyObject *small = PyLong_FromLong(7);
    CHECK(PyDict_SetItem(dict, key, small) == 0);
    Py_DECREF(small);
    PyThreadState_Swap(sub);
    Py_DECREF(theirs);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    Py_DECREF(list); Py_DECREF(dict); Py_DECREF(key); Py_DECREF(tuple);
    return 0;
}

/* --- parallelism -------------------------------------------------------------- */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int arrived;
} Meeting;

/* Waits until `parties` threads arrived; 0 on success, -1 after 30 s (a hang). */
static int meet(Meeting *m, int parties) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 30;
    pthread_mutex_lock(&m->lock);
    m->arrived++;
    pthread_cond_broadcast(&m->cond);
    int r = 0;
    while (m->arrived < parties && r == 0) r = pthread_cond_timedwait(&m->cond, &m->lock, &deadline);
    int ok = m->arrived >= parties;
    pthread_mutex_unlock(&m->lock);
    return ok ? 0 : -1;
}

static Meeting meeting = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};

static void *own_gil_worker(void *arg) {
    int *ok = arg;
    PyThreadState *ts = NULL;
    if (PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated))) return NULL;
    /* Both threads hold their own interpreter's GIL here at the same time. */
    int met = meet(&meeting, 2) == 0 && PyGILState_Check();
    PyObject *s = text("parallel");
    *ok = met && s != NULL;
    Py_XDECREF(s);
    Py_EndInterpreter(ts);
    return NULL;
}

static int own_gils_run_in_parallel(void) {
    int ok[2] = {0, 0};
    pthread_t t[2];
    PyThreadState *saved = PyEval_SaveThread();
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, own_gil_worker, &ok[i]);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    PyEval_RestoreThread(saved);
    CHECK(ok[0] && ok[1]);
    return 0;
}

static void *legacy_worker(void *arg) {
    int *ok = arg;
    PyGILState_STATE g = PyGILState_Ensure(); /* the main GIL, needed to create one */
    PyThreadState *mine = PyThreadState_Get();
    PyThreadState *ts = Py_NewInterpreter();
    if (ts == NULL) return NULL;
    PyObject *s = text("legacy worker");
    *ok = s != NULL && PyInterpreterState_Get() != PyInterpreterState_Main();
    Py_XDECREF(s);
    Py_EndInterpreter(ts);
    PyThreadState_Swap(mine);
    PyGILState_Release(g);
    return NULL;
}

static int legacy_interpreters_from_threads(void) {
    int ok[2] = {0, 0};
    pthread_t t[2];
    PyThreadState *saved = PyEval_SaveThread();
    for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, legacy_worker, &ok[i]);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
    PyEval_RestoreThread(saved);
    CHECK(ok[0] && ok[1]);
    return 0;
}

static int finalize_ends_live_subinterpreters(void) {
    PyThreadState *ts = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated)));
    CHECK(text("left behind") != NULL);
    PyThreadState *ts2 = NULL;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&ts2, &isolated)));
    /* Finalize from a sub-interpreter's thread state: everything goes. */
    CHECK(Py_FinalizeEx() == 0);
    CHECK(!Py_IsInitialized());
    CHECK(PyThreadState_GetUnchecked() == NULL);
    Py_Initialize();
    CHECK(PyInterpreterState_Head() == PyInterpreterState_Main());
    CHECK(PyInterpreterState_Next(PyInterpreterState_Main()) == NULL);
    return 0;
}

static const TestCase cases[] = {
    CASE(new_isolated_interpreter),
    CASE(legacy_interpreter),
    CASE(ids_are_never_reused),
    CASE(bad_configs_are_refused),
    CASE(default_gil_config_shares_main_gil),
    CASE(end_interpreter_misuse_is_refused),
    CASE(end_interpreter_from_wrong_thread_is_refused),
    CASE(thread_api_without_a_thread_state),
    KEEPS_OBJECTS(thread_state_lifecycle),
    CASE(delete_current_releases_gil),
    CASE(save_and_restore_thread),
    CASE(gilstate_from_host_thread),
    CASE(ensure_for_a_subinterpreter),
    CASE(enumeration_lists_all),
    KEEPS_OBJECTS(interpreter_dicts_are_separate),
    CASE(pending_calls),
    CASE(pending_call_for_a_subinterpreter_runs_in_it),
    CASE(unstable_atexit_runs_at_end),
    LEAKS_ON_PURPOSE(heaps_are_separate_and_released),
    CASE(objects_are_not_shared_between_interpreters),
    CASE(own_gils_run_in_parallel),
    CASE(legacy_interpreters_from_threads),
    LEAKS_ON_PURPOSE(finalize_ends_live_subinterpreters),
};

TEST_MAIN(cases)
