#include "harness.h"
#include <sys/wait.h>
#include <unistd.h>

static int run_in_child(const TestCase *c) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        Py_Initialize();
        int r = c->run();
        if (r == 0 && PyErr_Occurred()) {
            fprintf(stderr, "  case left an exception set:\n");
            PyErr_Print();
            r = 1;
        }
        if (Py_IsInitialized() && Py_FinalizeEx() < 0) r = 1;
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
