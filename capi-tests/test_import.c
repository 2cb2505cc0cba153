/* Importing extension modules from .so files (capi-tests/ext/, built next to this
 * program with the same headers): the main interpreter and isolated interpreters on
 * threads get distinct modules and states, m_free runs once per interpreter, every
 * failure raises CPython's exception and leaves sys.modules as it was; single-phase
 * modules, the init table, namespace packages, relative imports, sys. */
#define _GNU_SOURCE
#include "harness.h"
#include <dlfcn.h>
#include <libgen.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

static char ext_dir[4096];

/* The ext/ folder beside this program. */
static const char *extensions(void) {
    if (!ext_dir[0]) {
        char exe[4096];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        exe[n > 0 ? n : 0] = 0;
        snprintf(ext_dir, sizeof ext_dir, "%s/ext", dirname(exe));
    }
    return ext_dir;
}

static char ext_file[4200];
static char tmp_limited[64];
static const char *ext_path(const char *so) {
    snprintf(ext_file, sizeof ext_file, "%s/%s", extensions(), so);
    return ext_file;
}

static int add_to_path(const char *dir) {
    PyObject *path = PySys_GetObject("path");
    PyObject *d = PyUnicode_FromString(dir);
    int r = path && PyList_Check(path) ? PyList_Append(path, d) : -1;
    Py_DECREF(d);
    return r;
}

/* A counter the extension exports, found by dlopen of the loaded library. */
static int read_counter(const char *so, const char *symbol) {
    void *h = dlopen(ext_path(so), RTLD_NOW | RTLD_NOLOAD);
    if (!h) return -1;
    int *p = dlsym(h, symbol);
    int v = p ? __atomic_load_n(p, __ATOMIC_SEQ_CST) : -1;
    dlclose(h);
    return v;
}

static int tuple_has(PyObject *t, const char *text) {
    for (Py_ssize_t i = 0; i < PyTuple_Size(t); i++) {
        const char *u = PyUnicode_AsUTF8AndSize(PyTuple_GetItem(t, i), NULL);
        if (u && strcmp(u, text) == 0) return 1;
    }
    return 0;
}

static PyObject *error_message(void) {
    PyObject *e = PyErr_GetRaisedException();
    PyObject *s = e ? PyObject_Str(e) : NULL;
    Py_XDECREF(e);
    return s;
}

#define CHECK_ERROR(exc, text) \
    do { \
        CHECK(PyErr_ExceptionMatches(exc)); \
        CHECK_STR(error_message(), text); \
    } while (0)

static long call_long(PyObject *m, const char *name) {
    PyObject *f = PyObject_GetAttrString(m, name);
    PyObject *r = f ? PyObject_CallNoArgs(f) : NULL;
    long v = r ? PyLong_AsLong(r) : -1;
    Py_XDECREF(r);
    Py_XDECREF(f);
    return v;
}

static int import_from_so(void) {
    CHECK(add_to_path(extensions()) == 0);
    PyObject *m = PyImport_ImportModule("isolated_ext");
    CHECK(m && PyModule_Check(m));
    PyObject *magic = PyObject_GetAttrString(m, "MAGIC");
    CHECK(magic && PyLong_AsLong(magic) == 1234);
    Py_DECREF(magic);
    CHECK(call_long(m, "bump") == 1 && call_long(m, "bump") == 2);
    CHECK_STR(PyModule_GetFilenameObject(m), ext_path("isolated_ext.so"));
    CHECK_STR(PyObject_GetAttrString(m, "__doc__"), "An isolated extension.");
    PyObject *spec = PyObject_GetAttrString(m, "__spec__");
    CHECK(spec != NULL);
    CHECK_STR(PyObject_GetAttrString(spec, "name"), "isolated_ext");
    CHECK_STR(PyObject_GetAttrString(spec, "origin"), ext_path("isolated_ext.so"));
    Py_DECREF(spec);
    PyObject *again = PyImport_ImportModule("isolated_ext");
    CHECK(again == m);
    Py_DECREF(again);
    PyObject *name = PyUnicode_FromString("isolated_ext");
    PyObject *got = PyImport_GetModule(name);
    CHECK(got == m);
    Py_DECREF(got);
    got = PyImport_Import(name);
    CHECK(got == m);
    Py_DECREF(got); Py_DECREF(name);
    /* A FASTCALL function of the extension. */
    PyObject *add = PyObject_GetAttrString(m, "add");
    PyObject *args[] = {PyLong_FromLong(2), PyLong_FromLong(40)};
    PyObject *sum = PyObject_Vectorcall(add, args, 2, NULL);
    CHECK(sum && PyLong_AsLong(sum) == 42);
    Py_DECREF(sum); Py_DECREF(add);
    Py_DECREF(m);
    return 0;
}

/* A limited-API (abi3) build, found by the .abi3.so suffix, in the main and an
 * isolated interpreter. */
static int limited_api_extension(void) {
    snprintf(tmp_limited, sizeof tmp_limited, "/tmp/isle-abi3-XXXXXX");
    CHECK(mkdtemp(tmp_limited) != NULL);
    char link[512];
    snprintf(link, sizeof link, "%s/limited_ext.abi3.so", tmp_limited);
    CHECK(symlink(ext_path("limited_ext.so"), link) == 0);
    PyThreadState *main_ts = PyThreadState_Get(), *sub = NULL;
    for (int round = 0; round < 2; round++) {
        if (round == 1) CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
        CHECK(add_to_path(tmp_limited) == 0);
        PyObject *m = PyImport_ImportModule("limited_ext");
        CHECK(m != NULL);
        PyObject *nothing = PyObject_GetAttrString(m, "NOTHING");
        CHECK(nothing == Py_None);
        Py_DECREF(nothing);
        PyObject *echo = PyObject_GetAttrString(m, "echo");
        PyObject *arg = PyUnicode_FromString("back");
        PyObject *r = PyObject_CallOneArg(echo, arg);
        CHECK(r == arg);
        Py_DECREF(r); Py_DECREF(arg); Py_DECREF(echo); Py_DECREF(m);
    }
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    unlink(link);
    rmdir(tmp_limited);
    return 0;
}

/* --- isolation across interpreters on threads --- */

enum { THREADS = 4 };
typedef struct { long counts[3]; void *state; PyObject *module; int ok; } Result;
static pthread_barrier_t all_alive;

static PyObject *import_isolated(void) {
    if (add_to_path(extensions()) != 0) return NULL;
    return PyImport_ImportModule("isolated_ext");
}

static void *in_isolated_interpreter(void *arg) {
    Result *r = arg;
    PyThreadState *ts;
    if (PyStatus_Exception(Py_NewInterpreterFromConfig(&ts, &isolated))) return NULL;
    PyObject *m = import_isolated();
    if (m) {
        for (int i = 0; i < 3; i++) r->counts[i] = call_long(m, "bump");
        r->state = PyModule_GetState(m);
        r->module = m;
        r->ok = 1;
    } else {
        PyErr_Print();
    }
    /* Every interpreter is alive here, so their modules and states coexist. */
    pthread_barrier_wait(&all_alive);
    pthread_barrier_wait(&all_alive);
    Py_XDECREF(m);
    Py_EndInterpreter(ts);
    return NULL;
}

static int isolated_interpreters_on_threads(void) {
    PyObject *m = import_isolated();
    CHECK(m && call_long(m, "bump") == 1);
    int frees_before = read_counter("isolated_ext.so", "isolated_ext_frees");
    CHECK(frees_before == 0);
    pthread_t threads[THREADS];
    Result results[THREADS];
    memset(results, 0, sizeof results);
    pthread_barrier_init(&all_alive, NULL, THREADS + 1);
    PyThreadState *main_ts = PyEval_SaveThread();
    for (int i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, in_isolated_interpreter, &results[i]);
    pthread_barrier_wait(&all_alive);
    int distinct = 1;
    for (int i = 0; i < THREADS; i++)
        for (int j = 0; j < i; j++)
            if (results[j].state == results[i].state || results[j].module == results[i].module) distinct = 0;
    pthread_barrier_wait(&all_alive);
    for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&all_alive);
    PyEval_RestoreThread(main_ts);
    CHECK(distinct);
    for (int i = 0; i < THREADS; i++) {
        CHECK(results[i].ok);
        /* Each interpreter counts from its own state. */
        CHECK(results[i].counts[0] == 1 && results[i].counts[1] == 2 && results[i].counts[2] == 3);
        CHECK(results[i].module != m);
    }
    /* m_free ran once in each ended interpreter, not in the main one. */
    CHECK(read_counter("isolated_ext.so", "isolated_ext_frees") == THREADS);
    CHECK(call_long(m, "bump") == 2);
    Py_DECREF(m);
    /* And once for the main interpreter's module when it ends. */
    CHECK(Py_FinalizeEx() == 0);
    CHECK(read_counter("isolated_ext.so", "isolated_ext_frees") == THREADS + 1);
    Py_Initialize();
    return 0;
}

/* --- failures --- */

static int fails_cleanly(const char *name, PyObject *exc, const char *text) {
    PyObject *modules = PyImport_GetModuleDict();
    Py_ssize_t before = PyDict_Size(modules);
    PyObject *m = PyImport_ImportModule(name);
    if (m) { fprintf(stderr, "  %s imported\n", name); Py_DECREF(m); return 1; }
    CHECK_ERROR(exc, text);
    CHECK(PyDict_Size(modules) == before);
    CHECK(PyDict_GetItemString(modules, name) == NULL);
    return 0;
}

static int failure_paths(void) {
    CHECK(add_to_path(extensions()) == 0);
    CHECK(fails_cleanly("null_ext", PyExc_SystemError, "initialization of null_ext failed without raising an exception") == 0);
    CHECK(fails_cleanly("noinit_ext", PyExc_ImportError,
                        "dynamic module does not define module export function (PyInit_noinit_ext)") == 0);
    CHECK(fails_cleanly("raising_ext", PyExc_RuntimeError, "raising_ext refuses to load") == 0);
    CHECK(fails_cleanly("badslot_ext", PyExc_SystemError, "module badslot_ext uses unknown slot ID 42") == 0);
    CHECK(fails_cleanly("uninit_ext", PyExc_SystemError, "init function of uninit_ext returned uninitialized object") == 0);
    CHECK(fails_cleanly("unreported_ext", PyExc_SystemError, "initialization of unreported_ext raised unreported exception") == 0);
    CHECK(fails_cleanly("no_such_module_anywhere", PyExc_ModuleNotFoundError, "No module named 'no_such_module_anywhere'") == 0);
    PyObject *parent = PyImport_ImportModule("isolated_ext");
    CHECK(parent != NULL);
    Py_DECREF(parent);
    CHECK(fails_cleanly("isolated_ext.sub", PyExc_ModuleNotFoundError,
                        "No module named 'isolated_ext.sub'; 'isolated_ext' is not a package") == 0);
    PyObject *e;
    CHECK(PyImport_ImportModule("no_such_module_anywhere") == NULL);
    e = PyErr_GetRaisedException();
    CHECK_STR(PyObject_GetAttrString(e, "name"), "no_such_module_anywhere");
    Py_DECREF(e);
    /* The same in an isolated interpreter, which keeps working afterwards. */
    PyThreadState *main_ts = PyThreadState_Get(), *sub;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    CHECK(add_to_path(extensions()) == 0);
    CHECK(fails_cleanly("raising_ext", PyExc_RuntimeError, "raising_ext refuses to load") == 0);
    CHECK(fails_cleanly("null_ext", PyExc_SystemError, "initialization of null_ext failed without raising an exception") == 0);
    CHECK(fails_cleanly("badslot_ext", PyExc_SystemError, "module badslot_ext uses unknown slot ID 42") == 0);
    PyObject *m = PyImport_ImportModule("isolated_ext");
    CHECK(m && call_long(m, "bump") == 1);
    Py_DECREF(m);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    m = PyImport_ImportModule("isolated_ext");
    CHECK(m && call_long(m, "bump") == 1);
    Py_DECREF(m);
    return 0;
}

/* --- single-phase --- */

static int single_phase_extension(void) {
    CHECK(add_to_path(extensions()) == 0);
    PyObject *m = PyImport_ImportModule("legacy_ext");
    CHECK(m && call_long(m, "answer") == 42);
    CHECK(read_counter("legacy_ext.so", "legacy_ext_inits") == 1);
    PyThreadState *main_ts = PyThreadState_Get();
    /* A legacy interpreter gets a new module filled from the def's m_copy: the init
     * function does not run again. */
    PyThreadState *legacy = Py_NewInterpreter();
    CHECK(legacy && add_to_path(extensions()) == 0);
    PyObject *m2 = PyImport_ImportModule("legacy_ext");
    CHECK(m2 && m2 != m && call_long(m2, "answer") == 42);
    PyObject *inits = PyObject_GetAttrString(m2, "INITS");
    CHECK(inits && PyLong_AsLong(inits) == 1);
    Py_DECREF(inits);
    CHECK(read_counter("legacy_ext.so", "legacy_ext_inits") == 1);
    Py_DECREF(m2);
    Py_EndInterpreter(legacy);
    /* An interpreter that checks extensions refuses it. */
    PyThreadState_Swap(main_ts);
    PyThreadState *sub;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    CHECK(add_to_path(extensions()) == 0);
    CHECK(fails_cleanly("legacy_ext", PyExc_ImportError, "module legacy_ext does not support loading in subinterpreters") == 0);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    Py_DECREF(m);
    return 0;
}

/* The first import in a legacy interpreter that then ends: the main interpreter
 * still gets the module from m_copy (whose functions outlive that interpreter). */
static int single_phase_first_in_legacy(void) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *legacy = Py_NewInterpreter();
    CHECK(legacy && add_to_path(extensions()) == 0);
    PyObject *m = PyImport_ImportModule("legacy_ext");
    CHECK(m && call_long(m, "answer") == 42);
    Py_DECREF(m);
    Py_EndInterpreter(legacy);
    PyThreadState_Swap(main_ts);
    CHECK(add_to_path(extensions()) == 0);
    m = PyImport_ImportModule("legacy_ext");
    CHECK(m && call_long(m, "answer") == 42);
    CHECK(read_counter("legacy_ext.so", "legacy_ext_inits") == 1);
    Py_DECREF(m);
    return 0;
}

/* --- the file system: suffixes, namespace packages, what isle will not run --- */

static char tmp[256];

static void touch(const char *rel) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    FILE *f = fopen(p, "w");
    if (f) fclose(f);
}
static void link_ext(const char *so, const char *rel) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    symlink(ext_path(so), p);
}
static void dir(const char *rel) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    mkdir(p, 0755);
}

static int make_tree(void) {
    snprintf(tmp, sizeof tmp, "/tmp/isle-import-XXXXXX");
    if (!mkdtemp(tmp)) return -1;
    /* The CPython suffix wins over the plain one (which would fail). */
    link_ext("isolated_ext.so", "isolated_ext.cpython-313-x86_64-linux-gnu.so");
    link_ext("noinit_ext.so", "isolated_ext.so");
    dir("nsroot"); dir("nsroot/inner");
    link_ext("isolated_ext.so", "nsroot/inner/isolated_ext.abi3.so");
    link_ext("unicode_ext.so", "zkou\xc5\xa1ka_ext.so");
    dir("pkg"); touch("pkg/__init__.py");
    touch("plain.py");
    return add_to_path(tmp);
}

static int file_system_rules(void) {
    CHECK(make_tree() == 0);
    PyObject *m = PyImport_ImportModule("isolated_ext");
    CHECK(m && call_long(m, "bump") == 1);
    Py_DECREF(m);
    m = PyImport_ImportModule("nsroot.inner.isolated_ext");
    CHECK(m && call_long(m, "bump") == 1);
    CHECK(strcmp(PyModule_GetName(m), "nsroot.inner.isolated_ext") == 0);
    PyObject *inner = PyImport_AddModule("nsroot.inner");
    CHECK(inner && PyObject_HasAttrString(inner, "__path__"));
    PyObject *bound = PyObject_GetAttrString(inner, "isolated_ext");
    CHECK(bound == m);
    Py_DECREF(bound);
    /* import a.b.c gives a; with a fromlist the module itself. */
    PyObject *top = PyImport_ImportModuleLevel("nsroot.inner.isolated_ext", NULL, NULL, NULL, 0);
    CHECK(top && strcmp(PyModule_GetName(top), "nsroot") == 0);
    Py_DECREF(top);
    PyObject *x = PyUnicode_FromString("isolated_ext");
    PyObject *from = PyTuple_Pack(1, x);
    PyObject *leaf = PyImport_ImportModuleLevel("nsroot.inner", NULL, NULL, from, 0);
    CHECK(leaf == inner);
    Py_DECREF(leaf);
    /* Relative: from . import isolated_ext, in package nsroot.inner. */
    PyObject *globals = PyDict_New();
    PyObject *pkgname = PyUnicode_FromString("nsroot.inner");
    PyDict_SetItemString(globals, "__package__", pkgname);
    PyObject *rel = PyImport_ImportModuleLevel("isolated_ext", globals, NULL, from, 1);
    CHECK(rel == m);
    Py_DECREF(rel);
    CHECK(PyImport_ImportModuleLevel("isolated_ext", globals, NULL, from, 3) == NULL);
    CHECK_ERROR(PyExc_ImportError, "attempted relative import beyond top-level package");
    CHECK(PyImport_ImportModuleLevel("isolated_ext", NULL, NULL, NULL, 1) == NULL);
    CHECK_ERROR(PyExc_ImportError, "attempted relative import with no known parent package");
    CHECK(PyImport_ImportModuleLevel("isolated_ext", NULL, NULL, NULL, -1) == NULL);
    CHECK_ERROR(PyExc_ValueError, "level must be >= 0");
    CHECK(PyImport_ImportModuleLevel("", NULL, NULL, NULL, 0) == NULL);
    CHECK_ERROR(PyExc_ValueError, "Empty module name");
    Py_DECREF(globals); Py_DECREF(pkgname); Py_DECREF(from); Py_DECREF(x); Py_DECREF(m);
    /* A non-ASCII name: PyInitU_ and punycode. */
    PyObject *u = PyImport_ImportModule("zkou\xc5\xa1ka_ext");
    CHECK(u && PyModule_Check(u));
    CHECK(strcmp(PyModule_GetName(u), "zkou\xc5\xa1ka_ext") == 0);
    Py_DECREF(u);
    /* What would have to run Python code fails and says so. */
    PyObject *modules = PyImport_GetModuleDict();
    Py_ssize_t before = PyDict_Size(modules);
    CHECK(PyImport_ImportModule("pkg") == NULL);
    PyObject *msg = error_message();
    CHECK(msg && strstr(PyUnicode_AsUTF8AndSize(msg, NULL), "__init__.py would have to run"));
    Py_DECREF(msg);
    CHECK(PyImport_ImportModule("plain") == NULL);
    CHECK(PyErr_ExceptionMatches(PyExc_ImportError) && !PyErr_ExceptionMatches(PyExc_ModuleNotFoundError));
    msg = error_message();
    CHECK(msg && strstr(PyUnicode_AsUTF8AndSize(msg, NULL), "does not run Python source"));
    Py_DECREF(msg);
    CHECK(PyDict_Size(modules) == before);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    CHECK(system(cmd) == 0);
    return 0;
}

/* --- sys, the config, the init table --- */

static int sys_attributes(void) {
    PyObject *vi = PySys_GetObject("version_info");
    CHECK(vi && PyTuple_Check(vi) && PyLong_AsLong(PyTuple_GetItem(vi, 0)) == 3 &&
          PyLong_AsLong(PyTuple_GetItem(vi, 1)) == 13);
    PyObject *hex = PySys_GetObject("hexversion");
    CHECK(hex && PyLong_AsLong(hex) == PY_VERSION_HEX);
    PyObject *maxsize = PySys_GetObject("maxsize");
    CHECK(maxsize && PyLong_AsSsize_t(maxsize) == PY_SSIZE_T_MAX);
    CHECK_STR(Py_NewRef(PySys_GetObject("byteorder")), "little");
    CHECK_STR(Py_NewRef(PySys_GetObject("platform")), "linux");
    PyObject *v = PySys_GetObject("version");
    CHECK(v && strncmp(PyUnicode_AsUTF8AndSize(v, NULL), "3.13.0 ", 7) == 0);
    PyObject *argv = PySys_GetObject("argv");
    CHECK(argv && PyList_Check(argv) && PyList_Size(argv) == 1);
    CHECK(PyList_Check(PySys_GetObject("path")));
    CHECK(PySys_GetObject("modules") == PyImport_GetModuleDict());
    PyObject *names = PySys_GetObject("builtin_module_names");
    CHECK(names && PyTuple_Check(names) && tuple_has(names, "sys") && tuple_has(names, "builtins"));
    PyObject *impl = PySys_GetObject("implementation");
    CHECK(impl);
    CHECK_STR(PyObject_GetAttrString(impl, "name"), "isle");
    CHECK(PySys_GetObject("no_such_thing") == NULL && !PyErr_Occurred());
    PyObject *val = PyLong_FromLong(5);
    CHECK(PySys_SetObject("custom", val) == 0 && PySys_GetObject("custom") == val);
    CHECK(PySys_SetObject("custom", NULL) == 0 && PySys_GetObject("custom") == NULL);
    CHECK(PySys_SetObject("custom", NULL) == 0);
    Py_DECREF(val);
    PyObject *sys = PyImport_ImportModule("sys");
    CHECK(sys && sys == PyDict_GetItemString(PyImport_GetModuleDict(), "sys"));
    Py_DECREF(sys);
    return 0;
}

static int config_paths_and_argv(void) {
    CHECK(Py_FinalizeEx() == 0);
    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    wchar_t wdir[4096];
    mbstowcs(wdir, extensions(), 4096);
    config.module_search_paths_set = 1;
    CHECK(!PyStatus_Exception(PyWideStringList_Append(&config.module_search_paths, wdir)));
    wchar_t *args[] = {L"prog", L"--flag"};
    CHECK(!PyStatus_Exception(PyConfig_SetArgv(&config, 2, args)));
    PyStatus st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    CHECK(!PyStatus_Exception(st));
    PyObject *path = PySys_GetObject("path");
    CHECK(path && PyList_Size(path) == 1);
    CHECK_STR(Py_NewRef(PyList_GetItem(path, 0)), extensions());
    PyObject *argv = PySys_GetObject("argv");
    CHECK(argv && PyList_Size(argv) == 2);
    CHECK_STR(Py_NewRef(PyList_GetItem(argv, 1)), "--flag");
    PyObject *m = PyImport_ImportModule("isolated_ext");
    CHECK(m != NULL);
    Py_DECREF(m);
    /* A sub-interpreter starts from the initial path, not the main one's current. */
    PyObject *extra = PyUnicode_FromString("/nowhere");
    PyList_Append(path, extra);
    Py_DECREF(extra);
    PyThreadState *main_ts = PyThreadState_Get(), *sub;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    PyObject *subpath = PySys_GetObject("path");
    CHECK(subpath && subpath != path && PyList_Size(subpath) == 1);
    m = PyImport_ImportModule("isolated_ext");
    CHECK(m != NULL);
    Py_DECREF(m);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    return 0;
}

/* A sub-interpreter's sys, sys.modules and builtins are its own and complete, whichever
 * function reaches them first; one ended without touching them ends cleanly. */
static int sub_interpreter_sys(void) {
    PyObject *main_sys = PyImport_ImportModule("sys");
    CHECK(main_sys);
    PyThreadState *main_ts = PyThreadState_Get(), *sub;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    /* First reached through PySys_GetObject, then through the module dict. */
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    PyObject *path = PySys_GetObject("path");
    CHECK(path && PyList_Check(path));
    PyObject *modules = PyImport_GetModuleDict();
    CHECK(modules && PySys_GetObject("modules") == modules);
    PyObject *sys = PyDict_GetItemString(modules, "sys");
    CHECK(sys && PyModule_Check(sys) && sys != main_sys);
    CHECK(PyDict_GetItemString(modules, "builtins") != NULL);
    PyObject *imported = PyImport_ImportModule("sys");
    CHECK(imported == sys);
    Py_DECREF(imported);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    /* First reached through an import, then through PySys_SetObject. */
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    imported = PyImport_ImportModule("sys");
    CHECK(imported && imported != main_sys);
    PyObject *val = PyLong_FromLong(7);
    CHECK(PySys_SetObject("custom", val) == 0);
    PyObject *got = PyObject_GetAttrString(imported, "custom");
    CHECK(got == val);
    Py_DECREF(got); Py_DECREF(val); Py_DECREF(imported);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    CHECK(PySys_GetObject("custom") == NULL && !PyErr_Occurred());
    Py_DECREF(main_sys);
    return 0;
}

static int exec_builtin(PyObject *m) { return PyModule_AddIntConstant(m, "READY", 1); }
static PyModuleDef_Slot builtin_slots[] = {
    {Py_mod_exec, exec_builtin},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {0, NULL},
};
static PyModuleDef builtin_multi_def = {PyModuleDef_HEAD_INIT, .m_name = "builtin_multi", .m_slots = builtin_slots};
static PyObject *init_builtin_multi(void) { return PyModuleDef_Init(&builtin_multi_def); }
static PyModuleDef builtin_single_def = {PyModuleDef_HEAD_INIT, .m_name = "builtin_single", .m_size = -1};
static PyObject *init_builtin_single(void) { return PyModule_Create(&builtin_single_def); }

static int init_table(void) {
    CHECK(PyImport_AppendInittab("too_late", init_builtin_multi) == -1);
    CHECK(Py_FinalizeEx() == 0);
    CHECK(PyImport_AppendInittab("builtin_multi", init_builtin_multi) == 0);
    struct _inittab more[] = {{"builtin_single", init_builtin_single}, {NULL, NULL}};
    CHECK(PyImport_ExtendInittab(more) == 0);
    Py_Initialize();
    PyObject *m = PyImport_ImportModule("builtin_multi");
    CHECK(m);
    PyObject *ready = PyObject_GetAttrString(m, "READY");
    CHECK(ready && PyLong_AsLong(ready) == 1);
    Py_DECREF(ready);
    PyObject *spec = PyObject_GetAttrString(m, "__spec__");
    CHECK_STR(PyObject_GetAttrString(spec, "origin"), "built-in");
    Py_DECREF(spec); Py_DECREF(m);
    m = PyImport_ImportModule("builtin_single");
    CHECK(m && PyModule_GetDef(m) == &builtin_single_def);
    Py_DECREF(m);
    PyObject *names = PySys_GetObject("builtin_module_names");
    CHECK(tuple_has(names, "builtin_multi") && tuple_has(names, "builtin_single"));
    PyThreadState *main_ts = PyThreadState_Get(), *sub;
    CHECK(!PyStatus_Exception(Py_NewInterpreterFromConfig(&sub, &isolated)));
    m = PyImport_ImportModule("builtin_multi");
    CHECK(m);
    Py_DECREF(m);
    CHECK(fails_cleanly("builtin_single", PyExc_ImportError,
                        "module builtin_single does not support loading in subinterpreters") == 0);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    return 0;
}

static int add_module_api(void) {
    PyObject *a = PyImport_AddModuleRef("fresh_module");
    CHECK(a && PyModule_Check(a));
    PyObject *b = PyImport_AddModule("fresh_module");
    CHECK(b == a);
    PyObject *name = PyUnicode_FromString("fresh_module");
    CHECK(PyImport_AddModuleObject(name) == a);
    PyObject *got = PyImport_GetModule(name);
    CHECK(got == a);
    Py_DECREF(got);
    Py_DECREF(name);
    name = PyUnicode_FromString("absent_module");
    CHECK(PyImport_GetModule(name) == NULL && !PyErr_Occurred());
    Py_DECREF(name);
    Py_DECREF(a);
    return 0;
}

static const TestCase cases[] = {
    KEEPS_OBJECTS(import_from_so),
    KEEPS_OBJECTS(limited_api_extension),
    KEEPS_OBJECTS(isolated_interpreters_on_threads),
    KEEPS_OBJECTS(failure_paths),
    KEEPS_OBJECTS(single_phase_extension),
    KEEPS_OBJECTS(single_phase_first_in_legacy),
    KEEPS_OBJECTS(file_system_rules),
    KEEPS_OBJECTS(sys_attributes),
    KEEPS_OBJECTS(sub_interpreter_sys),
    KEEPS_OBJECTS(config_paths_and_argv),
    KEEPS_OBJECTS(init_table),
    KEEPS_OBJECTS(add_module_api),
};
TEST_MAIN(cases)
