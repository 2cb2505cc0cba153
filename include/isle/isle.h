/* isle's own additions to the API, beyond what CPython offers. Their declarations
 * are in isle/abi.h with the rest; this header documents them.
 *
 * PyGILState_STATE Isle_GILState_EnsureInterpreter(PyInterpreterState *interp);
 *     PyGILState_Ensure for any interpreter, not just the main one: the calling OS
 *     thread gets (and keeps, until the matching PyGILState_Release) a thread state of
 *     `interp`, current and holding that interpreter's GIL.
 *
 * int Isle_AddPendingCall(PyInterpreterState *interp, int (*func)(void *), void *arg);
 *     Py_AddPendingCall aimed at a given interpreter. Safe from any thread.
 *
 * int Isle_InterpreterMemory(PyInterpreterState *interp, IsleMemoryStats *out);
 *     The live blocks, live bytes and pages of the interpreter's heap.
 *
 * int Isle_InterpreterExitStatus(PyInterpreterState *interp, int *status);
 *     Whether a SystemExit reached the top of the interpreter: PyErr_Print in a
 *     sub-interpreter records its status here and returns instead of ending the
 *     process (the main interpreter exits as CPython does). 1 with the status in
 *     *status, 0 if none did, -1 for NULL arguments.
 *
 * int Isle_InterpreterGetConfig(PyInterpreterState *interp, PyInterpreterConfig *out);
 *     The configuration the interpreter was created with, so that host code and
 *     extensions can honour allow_fork, allow_exec, allow_threads and
 *     allow_daemon_threads (isle itself has no os or threading module to apply them).
 */
#ifndef ISLE_ISLE_H
#define ISLE_ISLE_H
#endif
