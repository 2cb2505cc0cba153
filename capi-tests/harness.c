#include "harness.h"
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Defined by LeakSanitizer's runtime in sanitized builds only; NULL otherwise. */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* isle's heap figures. Declared here too so that the harness also builds against
 * CPython's own headers (the programs still link against isle). */
#ifndef ISLE_ISLE_H
typedef struct IsleMemoryStats {
    size_t live_blocks;
    size_t live_bytes;
    size_t pages;
} IsleMemoryStats;
#endif
/* Weak, so that a test can also be linked against CPython itself (to check that
 * its expectations are CPython's); there, no blocks are counted. */
extern int Isle_InterpreterMemory(PyInterpreterState *interp, IsleMemoryStats *out) __attribute__((weak));

static size_t main_live_blocks(void) {
    IsleMemoryStats stats;
    if (!Isle_InterpreterMemory || Isle_InterpreterMemory(PyInterpreterState_Main(), &stats) != 0) return 0;
    return stats.live_blocks;
}

/* The case's own verdict, then whether it left objects behind in the main
 * interpreter. A case that ended the runtime itself is past this check; its
 * interpreters' leaks are counted by Py_FinalizeEx. */
static int run_case(const TestCase *c) {
    PyInterpreterState *main_interp = PyInterpreterState_Main();
    size_t before = main_live_blocks();
    int r = c->run();
    if (r == 0 && PyErr_Occurred()) {
        fprintf(stderr, "  case left an exception set:\n");
        PyErr_Print();
        r = 1;
    }
    if (r == 0 && c->leaves == LEAVES_NOTHING && Py_IsInitialized() && PyInterpreterState_Main() == main_interp
        && PyThreadState_GetUnchecked() != NULL && PyThreadState_GetUnchecked()->interp == main_interp) {
        size_t after = main_live_blocks();
        if (after > before) {
            fprintf(stderr, "  case left %zu objects or blocks alive in the main interpreter\n", after - before);
            r = 1;
        }
    }
    return r;
}

static int run_in_child(const TestCase *c) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        if (c->leaves == LEAVES_LEAKS)
            unsetenv("ISLE_LEAK_REPORT");
        else
            setenv("ISLE_LEAK_REPORT", "1", 1);
        Py_Initialize();
        int r = run_case(c);
        if (Py_IsInitialized() && Py_FinalizeEx() < 0) {
            fprintf(stderr, "  Py_FinalizeEx failed (an interpreter ended with blocks still allocated, or a queue was still held?)\n");
            r = 1;
        }
        /* _exit skips LeakSanitizer's check at exit: run it now. */
        if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check() != 0) {
            fprintf(stderr, "  LeakSanitizer found leaked memory\n");
            r = 1;
        }
        fflush(stdout);
        fflush(stderr);
        _exit(r == 0 ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "  killed by signal %d\n", WTERMSIG(status));
        return 1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int wanted(int argc, char **argv, const char *name) {
    if (argc <= 1) return 1;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

int run_cases(int argc, char **argv, const TestCase *cases, size_t count) {
    int passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        if (!wanted(argc, argv, cases[i].name)) continue;
        int r = run_in_child(&cases[i]);
        printf("%s %s\n", r == 0 ? "ok  " : "FAIL", cases[i].name);
        if (r == 0) passed++; else failed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
