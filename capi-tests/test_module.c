/* Module objects and definitions: PyModule_* helpers, multi-phase creation with its
 * slots and errors, Py_mod_multiple_interpreters against interpreter configs, module
 * state and m_free, single-phase modules and PyState_*. */
#include "harness.h"

static PyObject *error_message(void) {
    PyObject *e = PyErr_GetRaisedException();
    PyObject *s = e ? PyObject_Str(e) : NULL;
    Py_XDECREF(e);
    return s;
}

/* The pending exception is `exc` with exactly `text`; cleared. */
#define CHECK_ERROR(exc, text) \
    do { \
        CHECK(PyErr_ExceptionMatches(exc)); \
        CHECK_STR(error_message(), text); \
    } while (0)

static PyObject *spec_named(const char *name) {
    PyObject *spec = PyModule_New("spec");
    PyObject *n = PyUnicode_FromString(name);
    PyObject_SetAttrString(spec, "name", n);
    Py_DECREF(n);
    return spec;
}

static PyObject *hello(PyObject *self, PyObject *unused) { return Py_NewRef(self); }
static PyMethodDef functions[] = {
    {"hello", hello, METH_NOARGS, "Says hello."},
    {NULL},
};
static PyMethodDef class_function[] = {
    {"nope", hello, METH_NOARGS | METH_CLASS, NULL},
    {NULL},
};

static PyObject *module_getattr(PyObject *self, PyObject *name) {
    if (PyUnicode_Check(name) && strcmp(PyUnicode_AsUTF8AndSize(name, NULL), "dynamic") == 0)
        return PyLong_FromLong(99);
    PyErr_Format(PyExc_AttributeError, "no %U here", name);
    return NULL;
}
static PyMethodDef getattr_def = {"__getattr__", module_getattr, METH_O, NULL};

/* PEP 562: a module-level __getattr__ answers for missing attributes. */
static int module_getattr_hook(void) {
    PyObject *m = PyModule_New("hooked");
    PyObject *f = PyCFunction_New(&getattr_def, NULL);
    CHECK(PyModule_Add(m, "__getattr__", f) == 0);
    PyObject *v = PyObject_GetAttrString(m, "dynamic");
    CHECK(v && PyLong_AsLong(v) == 99);
    Py_DECREF(v);
    CHECK(PyObject_GetAttrString(m, "other") == NULL);
    CHECK_ERROR(PyExc_AttributeError, "no other here");
    Py_DECREF(m);
    return 0;
}

static int module_helpers(void) {
    PyObject *m = PyModule_New("helpers");
    CHECK(m && PyModule_Check(m));
    CHECK(strcmp(PyModule_GetName(m), "helpers") == 0);
    CHECK_STR(PyModule_GetNameObject(m), "helpers");
    PyObject *d = PyModule_GetDict(m);
    CHECK(d && PyDict_Check(d) && PyDict_GetItemString(d, "__doc__") == Py_None);
    CHECK(PyDict_GetItemString(d, "__spec__") == Py_None && PyDict_GetItemString(d, "__package__") == Py_None);
    CHECK(PyModule_GetFilenameObject(m) == NULL);
    CHECK_ERROR(PyExc_SystemError, "module filename missing");
    CHECK(PyModule_GetState(m) == NULL && PyModule_GetDef(m) == NULL && !PyErr_Occurred());
    CHECK(PyModule_AddIntConstant(m, "ANSWER", 42) == 0);
    CHECK(PyModule_AddStringConstant(m, "TEXT", "words") == 0);
    PyObject *v = PyList_New(0);
    CHECK(PyModule_AddObjectRef(m, "ref", v) == 0 && Py_REFCNT(v) == 2);
    CHECK(PyModule_AddObject(m, "stolen", Py_NewRef(v)) == 0 && Py_REFCNT(v) == 3);
    CHECK(PyModule_Add(m, "added", Py_NewRef(v)) == 0 && Py_REFCNT(v) == 4);
    CHECK(PyModule_AddObjectRef(m, "null", NULL) == -1);
    CHECK_ERROR(PyExc_SystemError, "PyModule_AddObjectRef() must be called with an exception raised if value is NULL");
    CHECK(PyModule_AddObjectRef(v, "x", v) == -1);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyModule_AddType(m, &PyLong_Type) == 0);
    PyObject *a = PyObject_GetAttrString(m, "ANSWER");
    CHECK(a && PyLong_AsLong(a) == 42);
    Py_DECREF(a);
    CHECK_STR(PyObject_GetAttrString(m, "TEXT"), "words");
    PyObject *t = PyObject_GetAttrString(m, "int");
    CHECK(t == (PyObject *)&PyLong_Type);
    Py_DECREF(t);
    CHECK(PyModule_SetDocString(m, "A doc.") == 0);
    CHECK_STR(PyObject_GetAttrString(m, "__doc__"), "A doc.");
    CHECK(PyModule_AddFunctions(m, functions) == 0);
    PyObject *f = PyObject_GetAttrString(m, "hello");
    CHECK(f && PyCFunction_Check(f) && PyCFunction_GetSelf(f) == m);
    CHECK_STR(PyObject_GetAttrString(f, "__module__"), "helpers");
    PyObject *r = PyObject_CallNoArgs(f);
    CHECK(r == m);
    Py_DECREF(r); Py_DECREF(f);
    CHECK(PyModule_AddFunctions(m, class_function) == -1);
    CHECK_ERROR(PyExc_ValueError, "module functions cannot set METH_CLASS or METH_STATIC");
    CHECK(PyObject_GetAttrString(m, "missing") == NULL);
    CHECK_ERROR(PyExc_AttributeError, "module 'helpers' has no attribute 'missing'");
    CHECK_STR(PyObject_Repr(m), "<module 'helpers'>");
    PyObject *dd = PyObject_GetAttrString(m, "__dict__");
    CHECK(dd == PyModule_GetDict(m));
    Py_DECREF(dd);
    CHECK(PyModule_GetState(v) == NULL);
    CHECK_RAISED(PyExc_TypeError);
    CHECK(PyModule_GetDict(v) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    PyObject *n = PyUnicode_FromString("by_object");
    PyObject *m2 = PyModule_NewObject(n);
    CHECK(m2 && strcmp(PyModule_GetName(m2), "by_object") == 0);
    Py_DECREF(m2); Py_DECREF(n);
    /* The module and its functions refer to each other; without a cycle collector
     * the cycle is broken by clearing the namespace (the interpreter's end does it
     * for every module). */
    PyDict_Clear(PyModule_GetDict(m));
    Py_DECREF(v); Py_DECREF(m);
    return 0;
}

/* --- a multi-phase definition --- */

typedef struct { int counter; int execs; } State;
static int exec_order[4], exec_count, frees, clears;

static int exec_first(PyObject *m) {
    State *st = PyModule_GetState(m);
    if (!st || st->counter != 0) return -1;
    st->execs++;
    if (exec_count < 4) exec_order[exec_count++] = 1;
    return PyModule_AddIntConstant(m, "first", 1);
}
static int exec_second(PyObject *m) {
    State *st = PyModule_GetState(m);
    st->execs++;
    if (exec_count < 4) exec_order[exec_count++] = 2;
    return 0;
}
static void count_free(void *m) { frees++; }
static int count_clear(PyObject *m) { clears++; return 0; }

static PyModuleDef_Slot good_slots[] = {
    {Py_mod_exec, exec_first},
    {Py_mod_exec, exec_second},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};
static PyModuleDef good_def = {
    PyModuleDef_HEAD_INIT, .m_name = "good", .m_doc = "Good module.", .m_size = sizeof(State),
    .m_methods = functions, .m_slots = good_slots, .m_clear = count_clear, .m_free = count_free,
};

static int multi_phase_creation(void) {
    PyObject *d = PyModuleDef_Init(&good_def);
    CHECK(d == (PyObject *)&good_def && Py_TYPE(d) == &PyModuleDef_Type && PyModuleDef_Check(d));
    Py_ssize_t index = good_def.m_base.m_index;
    CHECK(index > 0);
    CHECK(PyModuleDef_Init(&good_def) == d && good_def.m_base.m_index == index);
    PyObject *spec = spec_named("pkg.good");
    exec_count = 0; frees = 0;
    PyObject *m = PyModule_FromDefAndSpec(&good_def, spec);
    CHECK(m && PyModule_GetDef(m) == &good_def && PyModule_GetState(m) == NULL);
    CHECK(strcmp(PyModule_GetName(m), "pkg.good") == 0);
    CHECK_STR(PyObject_GetAttrString(m, "__doc__"), "Good module.");
    PyObject *f = PyObject_GetAttrString(m, "hello");
    CHECK(f != NULL);
    Py_DECREF(f);
    CHECK(exec_count == 0);
    CHECK(PyModule_ExecDef(m, &good_def) == 0);
    State *st = PyModule_GetState(m);
    CHECK(st && st->execs == 2 && exec_count == 2 && exec_order[0] == 1 && exec_order[1] == 2);
    st->counter = 5;
    /* Executing again keeps the state. */
    CHECK(PyModule_ExecDef(m, &good_def) != 0 || PyModule_GetState(m) == st);
    PyErr_Clear();
    CHECK(frees == 0);
    PyDict_Clear(PyModule_GetDict(m));
    Py_DECREF(m);
    CHECK(frees == 1);
    /* A module that was created but never executed has no state: m_free is skipped. */
    m = PyModule_FromDefAndSpec(&good_def, spec);
    PyDict_Clear(PyModule_GetDict(m));
    Py_DECREF(m);
    CHECK(frees == 1);
    Py_DECREF(spec);
    return 0;
}

/* --- bad definitions --- */

static PyObject *create_null(PyObject *spec, PyModuleDef *def) { return NULL; }
static PyObject *create_stray_error(PyObject *spec, PyModuleDef *def) {
    PyErr_SetString(PyExc_KeyError, "stray");
    return PyModule_New("stray");
}
static PyObject *create_list(PyObject *spec, PyModuleDef *def) { return PyList_New(0); }
static PyObject *create_module(PyObject *spec, PyModuleDef *def) { return PyModule_New("made_by_create"); }
static int exec_fail_silently(PyObject *m) { return -1; }
static int exec_raise(PyObject *m) { PyErr_SetString(PyExc_ValueError, "exec raised"); return -1; }

#define DEF(var, size, ...) \
    static PyModuleDef_Slot var##_slots[] = {__VA_ARGS__, {0, NULL}}; \
    static PyModuleDef var = {PyModuleDef_HEAD_INIT, .m_name = #var, .m_size = size, .m_slots = var##_slots};

DEF(unknown_slot, 0, {99, NULL})
DEF(two_creates, 0, {Py_mod_create, create_module}, {Py_mod_create, create_module})
DEF(two_multi, 0, {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED},
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED})
DEF(two_gil, 0, {Py_mod_gil, Py_MOD_GIL_USED}, {Py_mod_gil, Py_MOD_GIL_USED})
DEF(negative_size, -1, {Py_mod_exec, exec_first})
DEF(null_create, 0, {Py_mod_create, create_null})
DEF(stray_create, 0, {Py_mod_create, create_stray_error})
DEF(list_with_state, 8, {Py_mod_create, create_list})
DEF(list_with_exec, 0, {Py_mod_create, create_list}, {Py_mod_exec, exec_second})
DEF(list_plain, 0, {Py_mod_create, create_list})
DEF(created, 0, {Py_mod_create, create_module})
DEF(silent_exec, 0, {Py_mod_exec, exec_fail_silently})
DEF(raising_exec, 0, {Py_mod_exec, exec_raise})

static PyObject *from_def(PyModuleDef *def) {
    PyObject *spec = spec_named(def->m_name);
    PyObject *m = PyModule_FromDefAndSpec(def, spec);
    Py_DECREF(spec);
    return m;
}

static int bad_definitions(void) {
    CHECK(from_def(&unknown_slot) == NULL);
    CHECK_ERROR(PyExc_SystemError, "module unknown_slot uses unknown slot ID 99");
    CHECK(from_def(&two_creates) == NULL);
    CHECK_ERROR(PyExc_SystemError, "module two_creates has multiple create slots");
    CHECK(from_def(&two_multi) == NULL);
    CHECK_ERROR(PyExc_SystemError, "module two_multi has more than one 'multiple interpreters' slots");
    CHECK(from_def(&two_gil) == NULL);
    CHECK_ERROR(PyExc_SystemError, "module two_gil has more than one 'gil' slot");
    CHECK(from_def(&negative_size) == NULL);
    CHECK_ERROR(PyExc_SystemError, "module negative_size: m_size may not be negative for multi-phase initialization");
    CHECK(from_def(&null_create) == NULL);
    CHECK_ERROR(PyExc_SystemError, "creation of module null_create failed without setting an exception");
    CHECK(from_def(&stray_create) == NULL);
    CHECK(PyErr_ExceptionMatches(PyExc_SystemError));
    PyObject *e = PyErr_GetRaisedException();
    PyObject *cause = PyException_GetCause(e);
    CHECK(cause && PyErr_GivenExceptionMatches(cause, PyExc_KeyError));
    Py_DECREF(cause); Py_DECREF(e);
    CHECK(from_def(&list_with_state) == NULL);
    CHECK_ERROR(PyExc_SystemError, "module list_with_state is not a module object, but requests module state");
    CHECK(from_def(&list_with_exec) == NULL);
    CHECK_ERROR(PyExc_SystemError,
                "module list_with_exec specifies execution slots, but did not create a ModuleType instance");
    PyObject *l = from_def(&list_plain);
    CHECK(l && PyList_Check(l));
    Py_DECREF(l);
    PyObject *m = from_def(&created);
    CHECK(m && strcmp(PyModule_GetName(m), "made_by_create") == 0 && PyModule_GetDef(m) == &created);
    Py_DECREF(m);
    m = from_def(&silent_exec);
    CHECK(m && PyModule_ExecDef(m, &silent_exec) == -1);
    CHECK_ERROR(PyExc_SystemError, "execution of module silent_exec failed without setting an exception");
    Py_DECREF(m);
    m = from_def(&raising_exec);
    CHECK(m && PyModule_ExecDef(m, &raising_exec) == -1);
    CHECK_ERROR(PyExc_ValueError, "exec raised");
    Py_DECREF(m);
    CHECK(PyModuleDef_Init(NULL) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

/* --- Py_mod_multiple_interpreters --- */

DEF(not_supported, 0, {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED})
DEF(supported, 0, {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED})
DEF(no_slot, 0, {Py_mod_gil, Py_MOD_GIL_USED})
DEF(per_gil, 0, {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED})

/* 1 when `def` loads in the current interpreter, 0 when refused with CPython's
 * ImportError, -1 for anything else. */
static int loads(PyModuleDef *def) {
    PyObject *m = from_def(def);
    if (m) { Py_DECREF(m); return 1; }
    char want[128];
    snprintf(want, sizeof want, "module %s does not support loading in subinterpreters", def->m_name);
    if (!PyErr_ExceptionMatches(PyExc_ImportError)) return -1;
    PyObject *s = error_message();
    int same = s && strcmp(PyUnicode_AsUTF8AndSize(s, NULL), want) == 0;
    Py_XDECREF(s);
    return same ? 0 : -1;
}

static const PyInterpreterConfig shared_gil_checked = {
    .use_main_obmalloc = 0, .check_multi_interp_extensions = 1, .gil = PyInterpreterConfig_SHARED_GIL,
};

static int multiple_interpreters_enforced(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    CHECK(loads(&not_supported) == 1 && loads(&supported) == 1 && loads(&per_gil) == 1);
    PyThreadState *sub;
    /* Isolated: own GIL, checks extensions. */
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    CHECK(loads(&not_supported) == 0);
    CHECK(loads(&supported) == 0);
    CHECK(loads(&no_slot) == 0);
    CHECK(loads(&per_gil) == 1);
    Py_EndInterpreter(sub);
    /* Shared GIL, own heap, checks extensions: only NOT_SUPPORTED is refused. */
    PyThreadState_Swap(main_ts);
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &shared_gil_checked)));
    CHECK(loads(&not_supported) == 0);
    CHECK(loads(&supported) == 1 && loads(&no_slot) == 1 && loads(&per_gil) == 1);
    Py_EndInterpreter(sub);
    /* Legacy: no checks. */
    PyThreadState_Swap(main_ts);
    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    CHECK(loads(&not_supported) == 1 && loads(&supported) == 1);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    return 0;
}

/* m_free runs once per module when its interpreter ends, even for a module whose
 * last reference was never dropped, and m_clear ran before it. */
static int state_hooks_at_interpreter_end(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    frees = 0; clears = 0;
    for (int i = 0; i < 3; i++) {
        PyThreadState *sub;
        CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
        PyObject *spec = spec_named("good");
        PyObject *m = PyModule_FromDefAndSpec(&good_def, spec);
        CHECK(m && PyModule_ExecDef(m, &good_def) == 0);
        /* Put it in sys.modules and keep a cycle: the module's dict holds the module. */
        CHECK(PyDict_SetItemString(PyImport_GetModuleDict(), "good", m) == 0);
        CHECK(PyModule_AddObjectRef(m, "self", m) == 0);
        PyObject *leaked = PyModule_FromDefAndSpec(&good_def, spec);
        CHECK(leaked && PyModule_ExecDef(leaked, &good_def) == 0);
        (void)leaked; /* never released: the interpreter's end still runs its m_free */
        Py_DECREF(m); Py_DECREF(spec);
        CHECK(frees == 2 * i);
        Py_EndInterpreter(sub);
        CHECK(frees == 2 * (i + 1));
        PyThreadState_Swap(main_ts);
    }
    CHECK(clears >= 3);
    return 0;
}

/* --- single-phase --- */

static PyModuleDef single_def = {
    PyModuleDef_HEAD_INIT, .m_name = "single", .m_size = sizeof(int), .m_methods = functions,
};

static int single_phase_modules(void) {
    PyObject *m = PyModule_Create(&single_def);
    CHECK(m && PyModule_GetDef(m) == &single_def && single_def.m_base.m_index > 0);
    int *st = PyModule_GetState(m);
    CHECK(st && *st == 0);
    CHECK(PyState_FindModule(&single_def) == NULL && !PyErr_Occurred());
    CHECK(PyState_AddModule(m, &single_def) == 0);
    CHECK(PyState_FindModule(&single_def) == m);
    CHECK(PyState_AddModule(m, &single_def) == -1);
    CHECK_RAISED(PyExc_SystemError);
    /* Each interpreter has its own index. */
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *sub = Py_NewInterpreter();
    CHECK(PyState_FindModule(&single_def) == NULL);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    CHECK(PyState_RemoveModule(&single_def) == 0);
    CHECK(PyState_FindModule(&single_def) == NULL && !PyErr_Occurred());
    /* Defs with slots have no place in the index. */
    PyModuleDef_Init(&good_def);
    CHECK(PyState_FindModule(&good_def) == NULL && !PyErr_Occurred());
    CHECK(PyState_AddModule(m, &good_def) == -1);
    CHECK_ERROR(PyExc_SystemError, "PyState_AddModule called on module with slots");
    CHECK(PyState_RemoveModule(&good_def) == -1);
    CHECK_ERROR(PyExc_SystemError, "PyState_RemoveModule called on module with slots");
    CHECK(PyModule_Create(&good_def) == NULL);
    CHECK_ERROR(PyExc_SystemError, "module good: PyModule_Create is incompatible with m_slots");
    static PyModuleDef never_added = {PyModuleDef_HEAD_INIT, .m_name = "never", .m_size = -1};
    CHECK(PyState_RemoveModule(&never_added) == -1);
    CHECK_ERROR(PyExc_SystemError, "PyState_RemoveModule: Module index invalid.");
    PyModuleDef_Init(&never_added);
    CHECK(PyState_RemoveModule(&never_added) == -1);
    CHECK_ERROR(PyExc_SystemError, "PyState_RemoveModule: Module index out of bounds.");
    PyDict_Clear(PyModule_GetDict(m));
    Py_DECREF(m);
    return 0;
}

static const TestCase cases[] = {
    KEEPS_OBJECTS(module_helpers), /* makes type dicts on first use */
    KEEPS_OBJECTS(module_getattr_hook), /* makes type dicts on first use */
    KEEPS_OBJECTS(multi_phase_creation), /* makes type dicts on first use */
    KEEPS_OBJECTS(bad_definitions), /* makes type dicts on first use */
    KEEPS_OBJECTS(multiple_interpreters_enforced), /* makes type dicts on first use */
    LEAKS_ON_PURPOSE(state_hooks_at_interpreter_end),
    KEEPS_OBJECTS(single_phase_modules),
};
TEST_MAIN(cases)
