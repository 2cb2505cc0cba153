/* Helpers shared by the benchmarks. Only the CPython C API is used, so the same
 * sources build against CPython 3.12+ (python3-config --embed) for comparison. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static inline double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Resident set size in KiB, from /proc/self/statm. */
static inline long rss_kib(void) {
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL) return -1;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = -1;
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts `v` and returns its p-th percentile (0..100). */
static inline double percentile(double *v, int n, double p) {
    qsort(v, (size_t)n, sizeof v[0], compare_doubles);
    int i = (int)(p / 100.0 * (n - 1) + 0.5);
    return v[i];
}

#if PY_VERSION_HEX >= 0x030C0000 /* interpreter configs exist from 3.12 on */
static const PyInterpreterConfig isolated_config = {
    .use_main_obmalloc = 0, .allow_fork = 0, .allow_exec = 0, .allow_threads = 1,
    .allow_daemon_threads = 0, .check_multi_interp_extensions = 1, .gil = PyInterpreterConfig_OWN_GIL,
};

static const PyInterpreterConfig legacy_config = {
    .use_main_obmalloc = 1, .allow_fork = 1, .allow_exec = 1, .allow_threads = 1,
    .allow_daemon_threads = 1, .check_multi_interp_extensions = 0, .gil = PyInterpreterConfig_SHARED_GIL,
};

static inline PyThreadState *new_interp(const PyInterpreterConfig *cfg) {
    PyThreadState *ts = NULL;
    PyStatus st = Py_NewInterpreterFromConfig(&ts, cfg);
    if (PyStatus_Exception(st)) {
        fprintf(stderr, "interpreter creation failed: %s\n", st.err_msg ? st.err_msg : "?");
        exit(1);
    }
    return ts;
}
#endif /* 3.12+ */
#endif
