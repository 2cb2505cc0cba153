/* Memory held by many small containers: 1000 dicts of 20 int entries each, measured
 * as RSS growth (isle and CPython alike) and, for isle, as the heap's own figures. */
#include "common.h"

#define DICTS 1000
#define ENTRIES 20

int main(void) {
    Py_Initialize();
    PyObject *keep[DICTS];
    long rss_before = rss_kib();
#ifdef ISLE_ISLE_H
    IsleMemoryStats before, after;
    Isle_InterpreterMemory(PyInterpreterState_Main(), &before);
#endif
    for (int i = 0; i < DICTS; i++) {
        keep[i] = PyDict_New();
        for (long k = 0; k < ENTRIES; k++) {
            /* Small ints are shared by both runtimes: only the dicts are counted. */
            PyObject *key = PyLong_FromLong(k), *value = PyLong_FromLong(k + 1);
            if (keep[i] == NULL || PyDict_SetItem(keep[i], key, value) != 0) {
                fprintf(stderr, "dict fill failed\n");
                return 1;
            }
            Py_DECREF(key);
            Py_DECREF(value);
        }
    }
    long rss_after = rss_kib();
    printf("%d dicts of %d entries: RSS growth %ld KiB (%.0f bytes per dict)\n", DICTS, ENTRIES,
           rss_after - rss_before, (rss_after - rss_before) * 1024.0 / DICTS);
#ifdef ISLE_ISLE_H
    Isle_InterpreterMemory(PyInterpreterState_Main(), &after);
    printf("isle heap: %zu more pages (%zu KiB), %zu more live bytes\n", after.pages - before.pages,
           (after.pages - before.pages) * 4, after.live_bytes - before.live_bytes);
#endif
    for (int i = 0; i < DICTS; i++) Py_DECREF(keep[i]);
    Py_FinalizeEx();
    return 0;
}
