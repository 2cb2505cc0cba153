/* Start-up and shut-down, PyConfig and PyStatus, the current thread state and
 * interpreter, the memory allocators, the constants and immortality. */
#include "harness.h"
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__has_include)
#  if __has_include(<valgrind/valgrind.h>)
#    include <valgrind/valgrind.h>
#  endif
#endif
/* AddressSanitizer keeps freed memory in quarantine, so RSS says nothing there either. */
#if defined(__SANITIZE_ADDRESS__)
#  define UNDER_ADDRESS_SANITIZER 1
#else
#  define UNDER_ADDRESS_SANITIZER 0
#endif
#ifndef RUNNING_ON_VALGRIND
#  define RUNNING_ON_VALGRIND 0
#endif

/* --- runtime start and stop --------------------------------------------------- */

static int initialized_state(void) {
    CHECK(Py_IsInitialized() == 1);
    CHECK(Py_IsFinalizing() == 0);
    CHECK(PyThreadState_Get() != NULL);
    return 0;
}

static int initialize_twice_is_a_no_op(void) {
    PyInterpreterState *main = PyInterpreterState_Main();
    PyThreadState *ts = PyThreadState_Get();
    Py_Initialize();
    Py_InitializeEx(0);
    CHECK(Py_IsInitialized());
    CHECK(PyInterpreterState_Main() == main);
    CHECK(PyThreadState_Get() == ts);
    return 0;
}

static int finalize_then_initialize_again(void) {
    for (int i = 0; i < 50; i++) {
        CHECK(Py_FinalizeEx() == 0);
        CHECK(Py_IsInitialized() == 0);
        CHECK(PyThreadState_GetUnchecked() == NULL);
        if (i % 2) Py_Initialize();
        else Py_InitializeEx(0);
        CHECK(Py_IsInitialized() == 1);
        CHECK(Py_IsFinalizing() == 0);
        CHECK(PyInterpreterState_GetID(PyInterpreterState_Get()) == 0);
        /* The new runtime works: objects, exceptions. */
        PyObject *s = PyUnicode_FromFormat("cycle %d", i);
        CHECK(s != NULL);
        Py_DECREF(s);
        PyErr_SetString(PyExc_ValueError, "after restart");
        CHECK_RAISED(PyExc_ValueError);
    }
    return 0;
}

static int finalize_when_not_initialized(void) {
    CHECK(Py_FinalizeEx() == 0);
    CHECK(Py_FinalizeEx() == 0); /* nothing to do: still success */
    Py_Finalize();
    CHECK(Py_IsInitialized() == 0);
    return 0;
}

static int at_exit_order[40];
static int at_exit_count;
#define AT_EXIT_FN(n) \
    static void at_exit_##n(void) { at_exit_order[at_exit_count++] = n; }
AT_EXIT_FN(1)
AT_EXIT_FN(2)
AT_EXIT_FN(3)

static int at_exit_runs_last_registered_first(void) {
    at_exit_count = 0;
    CHECK(Py_AtExit(at_exit_1) == 0);
    CHECK(Py_AtExit(at_exit_2) == 0);
    CHECK(Py_AtExit(at_exit_3) == 0);
    CHECK(at_exit_count == 0);
    CHECK(Py_FinalizeEx() == 0);
    CHECK(at_exit_count == 3);
    CHECK(at_exit_order[0] == 3 && at_exit_order[1] == 2 && at_exit_order[2] == 1);
    /* They ran once: the next runtime starts with none registered. */
    Py_Initialize();
    CHECK(Py_FinalizeEx() == 0);
    CHECK(at_exit_count == 3);
    return 0;
}

static void count_at_exit(void) { at_exit_count++; }

static int at_exit_limit_is_32(void) {
    at_exit_count = 0;
    for (int i = 0; i < 32; i++) CHECK(Py_AtExit(count_at_exit) == 0);
    CHECK(Py_AtExit(count_at_exit) == -1);
    CHECK(Py_AtExit(NULL) == -1);
    CHECK(Py_FinalizeEx() == 0);
    CHECK(at_exit_count == 32);
    return 0;
}

/* --- PyConfig ----------------------------------------------------------------- */

static int all_strings_null(const PyConfig *c) {
    const wchar_t *s[] = {c->dump_refs_file, c->filesystem_encoding, c->filesystem_errors, c->pycache_prefix,
                          c->stdio_encoding, c->stdio_errors, c->check_hash_pycs_mode, c->program_name,
                          c->pythonpath_env, c->home, c->platlibdir, c->stdlib_dir, c->executable,
                          c->base_executable, c->prefix, c->base_prefix, c->exec_prefix, c->base_exec_prefix,
                          c->run_command, c->run_module, c->run_filename, c->sys_path_0};
    for (size_t i = 0; i < Py_ARRAY_LENGTH(s); i++)
        if (s[i] != NULL) return 0;
    const PyWideStringList *l[] = {&c->orig_argv, &c->argv, &c->xoptions, &c->warnoptions, &c->module_search_paths};
    for (size_t i = 0; i < Py_ARRAY_LENGTH(l); i++)
        if (l[i]->length != 0 || l[i]->items != NULL) return 0;
    return 1;
}

/* The fields both presets set alike (CPython 3.13's config_init_defaults). */
static int check_shared_defaults(const PyConfig *c) {
    CHECK(c->hash_seed == 0);
    CHECK(c->import_time == 0);
    CHECK(c->code_debug_ranges == 1);
    CHECK(c->show_ref_count == 0);
    CHECK(c->dump_refs == 0);
    CHECK(c->malloc_stats == 0);
    CHECK(c->site_import == 1);
    CHECK(c->bytes_warning == 0);
    CHECK(c->warn_default_encoding == 0);
    CHECK(c->inspect == 0);
    CHECK(c->interactive == 0);
    CHECK(c->optimization_level == 0);
    CHECK(c->parser_debug == 0);
    CHECK(c->write_bytecode == 1);
    CHECK(c->verbose == 0);
    CHECK(c->quiet == 0);
    CHECK(c->buffered_stdio == 1);
    CHECK(c->use_frozen_modules == 1);
    CHECK(c->cpu_count == -1);
    CHECK(c->module_search_paths_set == 0);
    CHECK(c->skip_source_first_line == 0);
    CHECK(c->_install_importlib == 1);
    CHECK(c->_init_main == 1);
    CHECK(c->_is_python_build == 0);
    CHECK(all_strings_null(c));
    return 0;
}

static int config_python_defaults(void) {
    PyConfig c;
    memset(&c, 0x5a, sizeof c); /* garbage in: every field must be written */
    PyConfig_InitPythonConfig(&c);
    CHECK(c._config_init == 2);
    CHECK(check_shared_defaults(&c) == 0);
    CHECK(c.isolated == 0);
    CHECK(c.use_environment == 1);
    CHECK(c.dev_mode == -1);
    CHECK(c.install_signal_handlers == 1);
    CHECK(c.use_hash_seed == -1);
    CHECK(c.faulthandler == -1);
    CHECK(c.tracemalloc == -1);
    CHECK(c.perf_profiling == -1);
    CHECK(c.parse_argv == 1);
    CHECK(c.user_site_directory == 1);
    CHECK(c.configure_c_stdio == 1);
    CHECK(c.safe_path == 0);
    CHECK(c.int_max_str_digits == -1);
    CHECK(c.pathconfig_warnings == 1);
    PyConfig_Clear(&c);
    return 0;
}

static int config_isolated_defaults(void) {
    PyConfig c;
    memset(&c, 0x5a, sizeof c);
    PyConfig_InitIsolatedConfig(&c);
    CHECK(c._config_init == 3);
    CHECK(check_shared_defaults(&c) == 0);
    CHECK(c.isolated == 1);
    CHECK(c.use_environment == 0);
    CHECK(c.dev_mode == 0);
    CHECK(c.install_signal_handlers == 0);
    CHECK(c.use_hash_seed == 0);
    CHECK(c.faulthandler == 0);
    CHECK(c.tracemalloc == 0);
    CHECK(c.perf_profiling == 0);
    CHECK(c.parse_argv == 0);
    CHECK(c.user_site_directory == 0);
    CHECK(c.configure_c_stdio == 0);
    CHECK(c.safe_path == 1);
    CHECK(c.int_max_str_digits == 4300);
    CHECK(c.pathconfig_warnings == 0);
    PyConfig_Clear(&c);
    return 0;
}

static int config_set_string_and_clear(void) {
    PyConfig c;
    PyConfig_InitIsolatedConfig(&c);
    wchar_t name[] = L"my-host";
    PyStatus st = PyConfig_SetString(&c, &c.program_name, name);
    CHECK(!PyStatus_Exception(st));
    CHECK(c.program_name != NULL && c.program_name != name); /* a copy */
    name[0] = L'X';
    CHECK(wcscmp(c.program_name, L"my-host") == 0);
    /* Replacing frees the old value (valgrind sees it otherwise). */
    CHECK(!PyStatus_Exception(PyConfig_SetString(&c, &c.program_name, L"second")));
    CHECK(wcscmp(c.program_name, L"second") == 0);
    CHECK(!PyStatus_Exception(PyConfig_SetString(&c, &c.program_name, NULL)));
    CHECK(c.program_name == NULL);
    CHECK(!PyStatus_Exception(PyConfig_SetString(&c, &c.home, L"/opt/home")));
    CHECK(!PyStatus_Exception(PyConfig_SetString(&c, &c.dump_refs_file, L"refs.txt")));
    CHECK(!PyStatus_Exception(PyConfig_SetString(&c, &c.sys_path_0, L"")));
    CHECK(c.sys_path_0 != NULL && c.sys_path_0[0] == 0);
    /* A value the host allocated with PyMem_RawMalloc is the config's to free. */
    wchar_t *own = PyMem_RawMalloc(4 * sizeof(wchar_t));
    CHECK(own != NULL);
    wcscpy(own, L"abc");
    c.stdio_encoding = own;

    c.verbose = 7;
    PyConfig_Clear(&c);
    CHECK(all_strings_null(&c));
    CHECK(c.verbose == 7); /* integers are kept */
    CHECK(c._config_init == 3);
    PyConfig_Clear(&c); /* twice is harmless */
    PyConfig_Clear(NULL);
    return 0;
}

static int config_set_bytes_string(void) {
    PyConfig c;
    PyConfig_InitPythonConfig(&c);
    CHECK(!PyStatus_Exception(PyConfig_SetBytesString(&c, &c.program_name, "h\xc3\xa9llo \xe2\x82\xac")));
    CHECK(wcscmp(c.program_name, L"h\u00e9llo \u20ac") == 0);
    CHECK(!PyStatus_Exception(PyConfig_SetBytesString(&c, &c.program_name, "\xf0\x9f\x90\x8d")));
    CHECK(c.program_name[0] == 0x1F40D && c.program_name[1] == 0);
    /* Bytes that are not UTF-8 are kept as lone surrogates, as Py_DecodeLocale does. */
    CHECK(!PyStatus_Exception(PyConfig_SetBytesString(&c, &c.home, "a\xff" "b")));
    CHECK(c.home[0] == L'a' && c.home[1] == 0xDCFF && c.home[2] == L'b' && c.home[3] == 0);
    CHECK(!PyStatus_Exception(PyConfig_SetBytesString(&c, &c.home, NULL)));
    CHECK(c.home == NULL);
    PyConfig_Clear(&c);
    CHECK(c.program_name == NULL);
    return 0;
}

static int wide_list_append_and_insert(void) {
    PyWideStringList l = {0, NULL};
    CHECK(!PyStatus_Exception(PyWideStringList_Append(&l, L"b")));
    CHECK(!PyStatus_Exception(PyWideStringList_Insert(&l, 0, L"a")));
    CHECK(!PyStatus_Exception(PyWideStringList_Append(&l, L"d")));
    CHECK(!PyStatus_Exception(PyWideStringList_Insert(&l, 2, L"c")));
    CHECK(!PyStatus_Exception(PyWideStringList_Insert(&l, 100, L"e"))); /* past the end appends */
    CHECK(l.length == 5);
    const wchar_t *want[] = {L"a", L"b", L"c", L"d", L"e"};
    for (int i = 0; i < 5; i++) CHECK(wcscmp(l.items[i], want[i]) == 0);
    PyStatus st = PyWideStringList_Insert(&l, -1, L"x");
    CHECK(PyStatus_IsError(st));
    CHECK(st.err_msg != NULL && strstr(st.err_msg, "index") != NULL);
    CHECK(l.length == 5);
    CHECK(PyStatus_IsError(PyWideStringList_Append(&l, NULL)));
    CHECK(PyStatus_IsError(PyWideStringList_Append(NULL, L"x")));
    CHECK(l.length == 5);

    /* A list inside a config is freed by PyConfig_Clear. */
    PyConfig c;
    PyConfig_InitIsolatedConfig(&c);
    c.xoptions = l;
    CHECK(!PyStatus_Exception(PyWideStringList_Append(&c.warnoptions, L"error")));
    CHECK(!PyStatus_Exception(PyWideStringList_Append(&c.module_search_paths, L"/lib")));
    c.module_search_paths_set = 1;
    PyConfig_Clear(&c);
    CHECK(all_strings_null(&c));
    CHECK(c.module_search_paths_set == 0);
    return 0;
}

static int config_set_argv(void) {
    PyConfig c;
    PyConfig_InitPythonConfig(&c);
    wchar_t *wargv[] = {L"prog", L"-x", L"\u00e9"};
    CHECK(!PyStatus_Exception(PyConfig_SetArgv(&c, 3, wargv)));
    CHECK(c.argv.length == 3);
    CHECK(c.argv.items[0] != wargv[0]);
    CHECK(wcscmp(c.argv.items[2], L"\u00e9") == 0);
    char *bargv[] = {"host", "caf\xc3\xa9"};
    CHECK(!PyStatus_Exception(PyConfig_SetBytesArgv(&c, 2, bargv))); /* replaces */
    CHECK(c.argv.length == 2);
    CHECK(wcscmp(c.argv.items[0], L"host") == 0);
    CHECK(wcscmp(c.argv.items[1], L"caf\u00e9") == 0);
    /* Bad arguments leave argv as it was. */
    CHECK(PyStatus_IsError(PyConfig_SetArgv(&c, -1, wargv)));
    CHECK(PyStatus_IsError(PyConfig_SetArgv(&c, 2, NULL)));
    wchar_t *with_null[] = {L"ok", NULL};
    CHECK(PyStatus_IsError(PyConfig_SetArgv(&c, 2, with_null)));
    CHECK(c.argv.length == 2 && wcscmp(c.argv.items[0], L"host") == 0);
    CHECK(!PyStatus_Exception(PyConfig_SetArgv(&c, 0, NULL)));
    CHECK(c.argv.length == 0);

    wchar_t *opts[] = {L"dev", L"utf8"};
    CHECK(!PyStatus_Exception(PyConfig_SetWideStringList(&c, &c.xoptions, 2, opts)));
    CHECK(c.xoptions.length == 2 && wcscmp(c.xoptions.items[1], L"utf8") == 0);
    CHECK(PyStatus_IsError(PyConfig_SetWideStringList(&c, NULL, 2, opts)));
    PyConfig_Clear(&c);
    CHECK(all_strings_null(&c));
    return 0;
}

static int config_null_arguments(void) {
    PyConfig c;
    PyConfig_InitPythonConfig(&c);
    CHECK(PyStatus_IsError(PyConfig_SetString(NULL, &c.home, L"x")));
    CHECK(PyStatus_IsError(PyConfig_SetString(&c, NULL, L"x")));
    CHECK(PyStatus_IsError(PyConfig_SetBytesString(&c, NULL, "x")));
    CHECK(PyStatus_IsError(PyConfig_SetArgv(NULL, 0, NULL)));
    CHECK(PyStatus_IsError(PyConfig_SetBytesArgv(NULL, 0, NULL)));
    PyStatus st = PyConfig_SetString(NULL, NULL, NULL);
    CHECK(st.err_msg != NULL && st.func != NULL && strcmp(st.func, "PyConfig_SetString") == 0);
    PyConfig_InitPythonConfig(NULL);
    PyConfig_InitIsolatedConfig(NULL);
    PyConfig_Clear(&c);
    return 0;
}

static int initialize_from_config(void) {
    CHECK(Py_FinalizeEx() == 0);
    PyConfig c;
    PyConfig_InitIsolatedConfig(&c);
    CHECK(!PyStatus_Exception(PyConfig_SetString(&c, &c.program_name, L"embedded")));
    CHECK(!PyStatus_Exception(PyWideStringList_Append(&c.argv, L"embedded")));
    PyStatus st = Py_InitializeFromConfig(&c);
    PyConfig_Clear(&c);
    CHECK(!PyStatus_Exception(st));
    CHECK(Py_IsInitialized());
    PyObject *s = PyUnicode_FromStringAndSize("ok", 2);
    CHECK(s != NULL);
    Py_DECREF(s);

    /* Again while running: accepted, nothing changes. */
    PyInterpreterState *main = PyInterpreterState_Main();
    PyConfig_InitPythonConfig(&c);
    st = Py_InitializeFromConfig(&c);
    PyConfig_Clear(&c);
    CHECK(!PyStatus_Exception(st));
    CHECK(PyInterpreterState_Main() == main);

    /* And after a finalization, from a Python configuration. */
    CHECK(Py_FinalizeEx() == 0);
    PyConfig_InitPythonConfig(&c);
    st = Py_InitializeFromConfig(&c);
    PyConfig_Clear(&c);
    CHECK(!PyStatus_Exception(st));
    CHECK(Py_IsInitialized());
    return 0;
}

static int initialize_from_null_config(void) {
    CHECK(Py_FinalizeEx() == 0);
    PyStatus st = Py_InitializeFromConfig(NULL);
    CHECK(PyStatus_IsError(st));
    CHECK(PyStatus_Exception(st));
    CHECK(st.err_msg != NULL && strlen(st.err_msg) > 0);
    CHECK(Py_IsInitialized() == 0);
    return 0;
}

/* --- PyStatus --------------------------------------------------------------- */

static int status_helpers(void) {
    PyStatus ok = PyStatus_Ok();
    CHECK(ok._type == _PyStatus_TYPE_OK);
    CHECK(!PyStatus_Exception(ok) && !PyStatus_IsError(ok) && !PyStatus_IsExit(ok));

    const char *msg = "it broke";
    PyStatus err = PyStatus_Error(msg);
    CHECK(PyStatus_Exception(err) && PyStatus_IsError(err) && !PyStatus_IsExit(err));
    CHECK(err.err_msg == msg); /* the message is not copied */

    PyStatus nomem = PyStatus_NoMemory();
    CHECK(PyStatus_IsError(nomem));
    CHECK(strcmp(nomem.err_msg, "memory allocation failed") == 0);

    PyStatus ex = PyStatus_Exit(3);
    CHECK(PyStatus_Exception(ex) && PyStatus_IsExit(ex) && !PyStatus_IsError(ex));
    CHECK(ex.exitcode == 3);
    PyStatus ex0 = PyStatus_Exit(0);
    CHECK(PyStatus_Exception(ex0) && ex0.exitcode == 0);
    return 0;
}

/* Runs Py_ExitStatusException(st) in a child; returns its exit code (or -1) and puts
 * what it wrote on stderr into `err`. */
static int exit_code_of(PyStatus st, char *err, size_t errsize) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        Py_ExitStatusException(st);
        _exit(99); /* not reached */
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t r;
    while (n + 1 < errsize && (r = read(fds[0], err + n, errsize - 1 - n)) > 0) n += (size_t)r;
    err[n] = 0;
    close(fds[0]);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

static int exit_status_exception(void) {
    char err[512];
    CHECK(exit_code_of(PyStatus_Exit(7), err, sizeof err) == 7);
    CHECK(exit_code_of(PyStatus_Exit(0), err, sizeof err) == 0);
    CHECK(exit_code_of(PyStatus_Error("the sky fell"), err, sizeof err) == 1);
    CHECK(strstr(err, "the sky fell") != NULL);
    CHECK(exit_code_of(PyStatus_NoMemory(), err, sizeof err) == 1);
    CHECK(strstr(err, "memory allocation failed") != NULL);
    return 0;
}

/* --- thread state and interpreter -------------------------------------------- */

static int thread_state_and_interpreter(void) {
    PyThreadState *ts = PyThreadState_Get();
    CHECK(ts != NULL);
    CHECK(PyThreadState_GetUnchecked() == ts);
    PyInterpreterState *interp = PyInterpreterState_Get();
    CHECK(interp != NULL);
    CHECK(ts->interp == interp);
    CHECK(PyInterpreterState_Main() == interp);
    CHECK(ts->prev == NULL && ts->next == NULL); /* the only thread state */
    return 0;
}

static int interpreter_ids(void) {
    CHECK(PyInterpreterState_GetID(PyInterpreterState_Main()) == 0);
    CHECK(PyInterpreterState_GetID(PyInterpreterState_Get()) == 0);
    CHECK(PyInterpreterState_GetID(NULL) == -1);
    CHECK_RAISED(PyExc_RuntimeError);
    return 0;
}

/* --- memory --------------------------------------------------------------------- */

static int all_bytes_are(const unsigned char *p, size_t n, unsigned char v) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != v) return 0;
    return 1;
}

static int raw_memory(void) {
    void *p = PyMem_RawMalloc(0);
    CHECK(p != NULL); /* a unique pointer even for 0 bytes */
    PyMem_RawFree(p);
    unsigned char *b = PyMem_RawMalloc(100);
    CHECK(b != NULL);
    memset(b, 0x42, 100);
    b = PyMem_RawRealloc(b, 100000);
    CHECK(b != NULL && all_bytes_are(b, 100, 0x42));
    b = PyMem_RawRealloc(b, 10);
    CHECK(b != NULL && all_bytes_are(b, 10, 0x42));
    PyMem_RawFree(b);
    unsigned char *z = PyMem_RawCalloc(1000, 3);
    CHECK(z != NULL && all_bytes_are(z, 3000, 0));
    PyMem_RawFree(z);
    z = PyMem_RawCalloc(0, 0);
    CHECK(z != NULL);
    PyMem_RawFree(z);
    /* No bytes asked for: a unique pointer, whatever the other factor. */
    z = PyMem_RawCalloc(0, (size_t)1 << 40);
    CHECK(z != NULL);
    PyMem_RawFree(z);
    z = PyMem_RawCalloc((size_t)1 << 40, 0);
    CHECK(z != NULL);
    PyMem_RawFree(z);
    CHECK(PyMem_RawMalloc((size_t)PY_SSIZE_T_MAX + 1) == NULL);
    CHECK(PyMem_RawCalloc(SIZE_MAX / 2, 4) == NULL);
    void *keep = PyMem_RawMalloc(8);
    CHECK(PyMem_RawRealloc(keep, (size_t)PY_SSIZE_T_MAX + 1) == NULL); /* keep is still ours */
    PyMem_RawFree(keep);
    PyMem_RawFree(NULL);
    void *q = PyMem_RawRealloc(NULL, 0);
    CHECK(q != NULL);
    PyMem_RawFree(q);
    return 0;
}

typedef void *(*malloc_fn)(size_t);
typedef void *(*calloc_fn)(size_t, size_t);
typedef void *(*realloc_fn)(void *, size_t);
typedef void (*free_fn)(void *);

/* The allocator contract shared by the PyMem_ and PyObject_ domains. */
static int check_domain(malloc_fn m, calloc_fn c, realloc_fn r, free_fn f) {
    static const size_t sizes[] = {0, 1, 7, 16, 24, 100, 511, 512, 513, 4000, 4096, 70000};
    void *blocks[Py_ARRAY_LENGTH(sizes)];
    for (size_t i = 0; i < Py_ARRAY_LENGTH(sizes); i++) {
        blocks[i] = m(sizes[i]);
        CHECK(blocks[i] != NULL);
        CHECK(((uintptr_t)blocks[i] & 15) == 0);
        memset(blocks[i], (int)i, sizes[i]);
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(sizes); i++) {
        CHECK(all_bytes_are(blocks[i], sizes[i], (unsigned char)i));
        for (size_t j = 0; j < i; j++) CHECK(blocks[i] != blocks[j]);
    }
    for (size_t i = 0; i < Py_ARRAY_LENGTH(sizes); i++) f(blocks[i]);

    /* realloc keeps the data while the block moves across size classes. */
    static const size_t steps[] = {8, 40, 300, 600, 5000, 100000, 3000, 200, 12};
    size_t have = 8;
    unsigned char *p = m(have);
    CHECK(p != NULL);
    for (size_t i = 0; i < have; i++) p[i] = (unsigned char)(i * 7 + 1);
    for (size_t s = 1; s < Py_ARRAY_LENGTH(steps); s++) {
        p = r(p, steps[s]);
        CHECK(p != NULL);
        CHECK(((uintptr_t)p & 15) == 0);
        size_t keep = have < steps[s] ? have : steps[s];
        for (size_t i = 0; i < keep; i++) CHECK(p[i] == (unsigned char)(i * 7 + 1));
        for (size_t i = keep; i < steps[s]; i++) p[i] = (unsigned char)(i * 7 + 1);
        have = steps[s];
    }
    f(p);
    p = r(NULL, 50); /* realloc(NULL) allocates */
    CHECK(p != NULL);
    f(p);

    /* calloc zeroes, even memory that was just dirtied and freed. */
    for (size_t size = 16; size <= 8192; size *= 2) {
        unsigned char *d = m(size);
        CHECK(d != NULL);
        memset(d, 0xAB, size);
        f(d);
        unsigned char *z = c(size / 4, 4);
        CHECK(z != NULL && all_bytes_are(z, size, 0));
        f(z);
    }
    void *z0 = c(0, 16);
    CHECK(z0 != NULL);
    f(z0);
    z0 = c(0, (size_t)1 << 40);
    CHECK(z0 != NULL);
    f(z0);

    /* Sizes that cannot be allocated give NULL, not a crash. */
    CHECK(m((size_t)PY_SSIZE_T_MAX + 1) == NULL);
    CHECK(c(SIZE_MAX / 2, 4) == NULL);
    CHECK(c((size_t)1 << 40, (size_t)1 << 40) == NULL);
    void *keep = m(32);
    CHECK(r(keep, (size_t)PY_SSIZE_T_MAX + 1) == NULL);
    f(keep);
    f(NULL);
    return 0;
}

static int object_memory(void) {
    return check_domain(PyObject_Malloc, PyObject_Calloc, PyObject_Realloc, PyObject_Free);
}

static int mem_memory(void) {
    return check_domain(PyMem_Malloc, PyMem_Calloc, PyMem_Realloc, PyMem_Free);
}

/* --- constants, identity, reference counts -------------------------------------- */

static int constants_every_id(void) {
    for (unsigned id = Py_CONSTANT_NONE; id <= Py_CONSTANT_EMPTY_TUPLE; id++) {
        PyObject *o = Py_GetConstant(id);
        CHECK(o != NULL);
        CHECK(Py_GetConstantBorrowed(id) == o);
        CHECK(_Py_IsImmortal(o));
        Py_DECREF(o);
    }
    CHECK_NO_ERROR();
    CHECK(Py_GetConstantBorrowed(Py_CONSTANT_NONE) == Py_None);
    CHECK(Py_GetConstantBorrowed(Py_CONSTANT_FALSE) == Py_False);
    CHECK(Py_GetConstantBorrowed(Py_CONSTANT_TRUE) == Py_True);
    CHECK(Py_GetConstantBorrowed(Py_CONSTANT_ELLIPSIS) == Py_Ellipsis);
    CHECK(Py_GetConstantBorrowed(Py_CONSTANT_NOT_IMPLEMENTED) == Py_NotImplemented);
    PyObject *zero = Py_GetConstantBorrowed(Py_CONSTANT_ZERO);
    PyObject *one = Py_GetConstantBorrowed(Py_CONSTANT_ONE);
    CHECK(Py_TYPE(zero) == &PyLong_Type && Py_TYPE(one) == &PyLong_Type && zero != one);
    PyObject *es = Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_STR);
    CHECK(Py_TYPE(es) == &PyUnicode_Type && PyUnicode_GET_LENGTH(es) == 0);
    PyObject *eb = Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_BYTES);
    CHECK(Py_TYPE(eb) == &PyBytes_Type && PyBytes_GET_SIZE(eb) == 0 && PyBytes_AS_STRING(eb)[0] == 0);
    PyObject *et = Py_GetConstantBorrowed(Py_CONSTANT_EMPTY_TUPLE);
    CHECK(Py_TYPE(et) == &PyTuple_Type && PyTuple_GET_SIZE(et) == 0);
    CHECK(PyTuple_New(0) == et);
    return 0;
}

static int constants_invalid_id(void) {
    CHECK(Py_GetConstant(10) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(Py_GetConstantBorrowed(10) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    CHECK(Py_GetConstant((unsigned)-1) == NULL);
    CHECK_RAISED(PyExc_SystemError);
    return 0;
}

static int is_functions(void) {
    PyObject *a = PyUnicode_FromStringAndSize("a", 1);
    PyObject *b = PyUnicode_FromStringAndSize("b", 1);
    CHECK(a != NULL && b != NULL);
    CHECK(Py_Is(a, a) == 1);
    CHECK(Py_Is(a, b) == 0);
    CHECK(Py_IsNone(Py_None) == 1 && Py_IsNone(a) == 0);
    CHECK(Py_IsTrue(Py_True) == 1 && Py_IsTrue(Py_False) == 0 && Py_IsTrue(a) == 0);
    CHECK(Py_IsFalse(Py_False) == 1 && Py_IsFalse(Py_True) == 0 && Py_IsFalse(Py_None) == 0);
    Py_DECREF(a);
    Py_DECREF(b);
    return 0;
}

static int incref_decref_functions(void) {
    Py_IncRef(NULL);
    Py_DecRef(NULL);
    Py_XINCREF((PyObject *)NULL);
    Py_XDECREF((PyObject *)NULL);
    PyObject *s = PyUnicode_FromStringAndSize("counted", 7);
    CHECK(s != NULL && Py_REFCNT(s) == 1);
    Py_IncRef(s);
    CHECK(Py_REFCNT(s) == 2);
    _Py_IncRef(s);
    CHECK(Py_REFCNT(s) == 3);
    Py_DecRef(s);
    _Py_DecRef(s);
    CHECK(Py_REFCNT(s) == 1);
    PyObject *r = Py_NewRef(s);
    CHECK(r == s && Py_REFCNT(s) == 2);
    Py_DECREF(r);
    Py_DecRef(s); /* the last reference: deallocates */
    CHECK_NO_ERROR();
    return 0;
}

static int immortal_singletons(void) {
    PyObject *singletons[] = {Py_None, Py_True, Py_False, Py_Ellipsis, Py_NotImplemented,
                              (PyObject *)&PyLong_Type, PyExc_TypeError};
    for (size_t i = 0; i < Py_ARRAY_LENGTH(singletons); i++) {
        PyObject *o = singletons[i];
        Py_ssize_t before = Py_REFCNT(o);
        CHECK(_Py_IsImmortal(o));
        CHECK((uint32_t)before == 0xFFFFFFFFu);
        for (int k = 0; k < 3; k++) Py_INCREF(o);
        for (int k = 0; k < 10; k++) Py_DECREF(o);
        Py_IncRef(o);
        Py_DecRef(o);
        Py_DecRef(o);
        _Py_DecRef(o);
        Py_SET_REFCNT(o, 1);
        _Py_SetRefcnt(o, 1);
        CHECK(Py_REFCNT(o) == before);
    }
    CHECK(Py_REFCNT(Py_None) == _Py_IMMORTAL_REFCNT);
    return 0;
}

/* --- repeated start-up --------------------------------------------------------- */

static long resident_kib(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL) return -1;
    long size = 0, resident = -1;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* A few hundred objects of the kinds the runtime has: strs, tuples, exceptions. Some
 * are left alive on purpose: finalization must reclaim them. */
static int one_cycle_of_work(int cycle) {
    PyObject *keep = PyTuple_New(64);
    CHECK(keep != NULL);
    for (int i = 0; i < 64; i++) {
        PyObject *s = PyUnicode_FromFormat("cycle %d item %d %s", cycle, i, "\xc3\xa9t\xc3\xa9");
        CHECK(s != NULL);
        PyObject *pair = PyTuple_Pack(2, s, s);
        CHECK(pair != NULL);
        PyTuple_SET_ITEM(keep, i, pair);
        Py_DECREF(s);
    }
    for (int i = 0; i < 100; i++) {
        PyErr_Format(PyExc_KeyError, "missing %d", i);
        PyObject *exc = PyErr_GetRaisedException();
        CHECK(exc != NULL);
        PyObject *text = PyObject_Str(exc);
        CHECK(text != NULL);
        Py_DECREF(text);
        Py_DECREF(exc);
    }
    Py_DECREF(keep);
    for (int i = 0; i < 10; i++) {
        PyObject *leaked = PyUnicode_FromFormat("left for finalization %d", i);
        CHECK(leaked != NULL);
    }
    return 0;
}

static int repeated_initialize_keeps_memory_flat(void) {
    const int cycles = 1000;
    long at_100 = -1;
    for (int cycle = 1; cycle <= cycles; cycle++) {
        CHECK(one_cycle_of_work(cycle) == 0);
        CHECK(Py_FinalizeEx() == 0);
        Py_Initialize();
        CHECK(Py_IsInitialized());
        if (cycle == 100) at_100 = resident_kib();
    }
    long at_end = resident_kib();
    CHECK(at_100 > 0 && at_end > 0);
    /* Under valgrind the resident size is valgrind's own bookkeeping (its queue of freed
     * blocks grows for a while); its leak check is the assertion there. */
    if (RUNNING_ON_VALGRIND || UNDER_ADDRESS_SANITIZER) return 0;
    if (at_end - at_100 >= 1024) fprintf(stderr, "  RSS grew from %ld KiB to %ld KiB\n", at_100, at_end);
    CHECK(at_end - at_100 < 1024);
    return 0;
}

static const TestCase cases[] = {
    CASE(initialized_state),
    CASE(initialize_twice_is_a_no_op),
    CASE(finalize_then_initialize_again),
    CASE(finalize_when_not_initialized),
    CASE(at_exit_runs_last_registered_first),
    CASE(at_exit_limit_is_32),
    CASE(config_python_defaults),
    CASE(config_isolated_defaults),
    CASE(config_set_string_and_clear),
    CASE(config_set_bytes_string),
    CASE(wide_list_append_and_insert),
    CASE(config_set_argv),
    CASE(config_null_arguments),
    CASE(initialize_from_config),
    CASE(initialize_from_null_config),
    CASE(status_helpers),
    CASE(exit_status_exception),
    CASE(thread_state_and_interpreter),
    CASE(interpreter_ids),
    CASE(raw_memory),
    CASE(object_memory),
    CASE(mem_memory),
    CASE(constants_every_id),
    CASE(constants_invalid_id),
    CASE(is_functions),
    CASE(incref_decref_functions),
    CASE(immortal_singletons),
    LEAKS_ON_PURPOSE(repeated_initialize_keeps_memory_flat),
};

TEST_MAIN(cases)
