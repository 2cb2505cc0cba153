/* Interpreter life-cycle figures: create+end time, memory per live interpreter,
 * memory left after ending them, and Py_Initialize + Py_FinalizeEx time. */
#include "common.h"

#define CYCLES 5000
#define LIVE 100
#define INIT_CYCLES 200

/* With `use_sys`, each interpreter reads sys.path before it ends: isle makes a
 * sub-interpreter's sys (and sys.modules, builtins) on first use. */
static PyThreadState *new_interp_using(const PyInterpreterConfig *cfg, int use_sys) {
    PyThreadState *ts = new_interp(cfg);
    if (use_sys && PySys_GetObject("path") == NULL) {
        fprintf(stderr, "no sys.path\n");
        exit(1);
    }
    return ts;
}

static void create_end(const char *label, const PyInterpreterConfig *cfg, int use_sys) {
    static double t[CYCLES];
    PyThreadState *main_ts = PyThreadState_Get();
    for (int i = 0; i < 100; i++) { /* warm-up */
        Py_EndInterpreter(new_interp_using(cfg, use_sys));
        PyThreadState_Swap(main_ts);
    }
    long rss_before = rss_kib();
    for (int i = 0; i < CYCLES; i++) {
        double t0 = now_us();
        PyThreadState *ts = new_interp_using(cfg, use_sys);
        Py_EndInterpreter(ts);
        t[i] = now_us() - t0;
        PyThreadState_Swap(main_ts);
    }
    long rss_after = rss_kib();
    double median = percentile(t, CYCLES, 50), p99 = percentile(t, CYCLES, 99);
    printf("%-27s create+end: median %.2f us, p99 %.2f us; RSS growth per cycle %.3f KiB\n", label, median, p99,
           (double)(rss_after - rss_before) / CYCLES);
}

static void live_interpreters(const char *label, const PyInterpreterConfig *cfg, int use_sys) {
    PyThreadState *main_ts = PyThreadState_Get();
    PyThreadState *ts[LIVE];
    long before = rss_kib();
    for (int i = 0; i < LIVE; i++) ts[i] = new_interp_using(cfg, use_sys);
    long live = rss_kib();
    for (int i = LIVE - 1; i >= 0; i--) {
        PyThreadState_Swap(ts[i]);
        Py_EndInterpreter(ts[i]);
    }
    PyThreadState_Swap(main_ts);
    long after = rss_kib();
    printf("%-27s %d live idle interpreters: %.1f KiB RSS each; RSS after ending them: %+ld KiB\n", label, LIVE,
           (double)(live - before) / LIVE, after - before);
}

static void init_finalize(void) {
    static double t[INIT_CYCLES];
    Py_FinalizeEx();
    for (int i = 0; i < INIT_CYCLES; i++) {
        double t0 = now_us();
        Py_Initialize();
        Py_FinalizeEx();
        t[i] = now_us() - t0;
    }
    printf("Py_Initialize + Py_FinalizeEx: median %.2f us\n", percentile(t, INIT_CYCLES, 50));
    Py_Initialize();
}

int main(void) {
    Py_Initialize();
    create_end("isolated", &isolated_config, 0);
    create_end("isolated, reading sys.path", &isolated_config, 1);
    create_end("legacy", &legacy_config, 0);
    live_interpreters("isolated", &isolated_config, 0);
    live_interpreters("isolated, reading sys.path", &isolated_config, 1);
    live_interpreters("legacy", &legacy_config, 0);
    init_finalize();
    Py_FinalizeEx();
    return 0;
}
