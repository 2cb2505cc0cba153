/* A small harness for C-API tests: each program holds a table of named cases.
 * Every case runs in a child process with a fresh runtime (Py_Initialize before,
 * Py_FinalizeEx after), so a crash fails one case, not the run.
 *
 * Leaks fail a case three ways: the main interpreter holding more heap blocks after
 * the case than before it; Py_FinalizeEx returning -1 because some interpreter ended
 * with blocks still allocated (the harness sets ISLE_LEAK_REPORT=1); and, in
 * sanitized builds, LeakSanitizer finding unreachable malloc memory when the case
 * ends. A case that keeps objects alive on purpose (in sys, interned, in a cache)
 * for Py_FinalizeEx to release cleanly is listed with KEEPS_OBJECTS; one that leaks
 * on purpose, to test that ending an interpreter returns what leaked, with
 * LEAKS_ON_PURPOSE. */
#ifndef ISLE_HARNESS_H
#define ISLE_HARNESS_H
#include <Python.h>

typedef struct {
    const char *name;
    int (*run)(void); /* 0 = pass */
    int leaves; /* LEAVES_NOTHING, LEAVES_OBJECTS or LEAVES_LEAKS */
} TestCase;

enum { LEAVES_NOTHING, LEAVES_OBJECTS, LEAVES_LEAKS };

/* Fails the current case with a message when `cond` is false. */
#define CHECK(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            if (PyErr_Occurred()) PyErr_Print(); \
            return 1; \
        } \
    } while (0)

/* Checks that the pending exception is (a subclass of) `exc`, then clears it. */
#define CHECK_RAISED(exc) \
    do { \
        CHECK(PyErr_Occurred() != NULL); \
        CHECK(PyErr_ExceptionMatches(exc)); \
        PyErr_Clear(); \
    } while (0)

#define CHECK_NO_ERROR() CHECK(PyErr_Occurred() == NULL)

/* Checks that str object `s` holds exactly the UTF-8 text `text` (steals `s`). */
#define CHECK_STR(s, text) \
    do { \
        PyObject *_s = (s); \
        CHECK(_s != NULL); \
        const char *_u = PyUnicode_AsUTF8AndSize(_s, NULL); \
        int _same = _u != NULL && strcmp(_u, (text)) == 0; \
        if (!_same) fprintf(stderr, "  got \"%s\", expected \"%s\"\n", _u ? _u : "(null)", (text)); \
        Py_DECREF(_s); \
        CHECK(_same); \
    } while (0)

#define CASE(name) { #name, name, LEAVES_NOTHING }
#define KEEPS_OBJECTS(name) { #name, name, LEAVES_OBJECTS }
#define LEAKS_ON_PURPOSE(name) { #name, name, LEAVES_LEAKS }

/* The configuration of an isolated interpreter: own GIL, own heap. */
static const PyInterpreterConfig isolated = {
    .use_main_obmalloc = 0,
    .allow_fork = 0,
    .allow_exec = 0,
    .allow_threads = 1,
    .allow_daemon_threads = 0,
    .check_multi_interp_extensions = 1,
    .gil = PyInterpreterConfig_OWN_GIL,
};

/* Runs the cases named on the command line (all when none), prints one line per
 * case and a closing "N passed, N failed". Returns the process exit status. */
int run_cases(int argc, char **argv, const TestCase *cases, size_t count);

#define TEST_MAIN(table) \
    int main(int argc, char **argv) { return run_cases(argc, argv, table, Py_ARRAY_LENGTH(table)); }

#endif
