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
 *
 * Queues between interpreters (and host threads). A queue belongs to no
 * interpreter: an item is a copy made when it is put, in memory no interpreter owns,
 * so it outlives the interpreter that put it and any thread can take it. Timeouts
 * are seconds: negative waits forever, 0 does not wait; a wait releases the caller's
 * GIL. Values that can be put: None, bool, int, float, str, bytes, and tuples, lists
 * and dicts of such values (exact types only); anything else raises
 * IsleExc_NotShareableError and nothing is queued.
 *
 * IsleQueue *Isle_QueueNew(Py_ssize_t maxsize, Py_ssize_t maxbytes);
 *     A new queue (0: no bound), and a handle on it. No interpreter needed.
 * IsleQueue *Isle_QueueFromId(int64_t id);   int64_t Isle_QueueId(IsleQueue *q);
 *     Queues have process-wide ids; another handle from one, NULL once gone.
 * void Isle_QueueRelease(IsleQueue *q);
 *     Releases a handle; a queue lives while any handle does.
 * int Isle_QueuePut(IsleQueue *q, PyObject *obj, double timeout);
 * PyObject *Isle_QueueGet(IsleQueue *q, double timeout);
 *     With a thread state: 0 / a new object of the current interpreter, or -1 /
 *     NULL with IsleExc_QueueFull, IsleExc_QueueEmpty, IsleExc_QueueClosedError
 *     (all IsleExc_QueueError), IsleExc_NotShareableError or ValueError set.
 * int Isle_QueuePutBytes(IsleQueue *q, const void *data, size_t size, double timeout);
 * int Isle_QueueGetBytes(IsleQueue *q, void **data, size_t *size, double timeout);
 *     From any thread, with or without an interpreter: bytes items, as
 *     ISLE_QUEUE_OK / _EMPTY / _FULL / _CLOSED / _NOT_BYTES, or -1 for bad arguments.
 *     GetBytes hands over a PyMem_RawMalloc copy.
 * Py_ssize_t Isle_QueueSize(IsleQueue *q);   int Isle_QueueClose(IsleQueue *q);
 *     Close: later puts fail, gets drain what is left, then fail; waiters wake.
 * int Isle_IsShareable(PyObject *obj);
 *     Queue objects of the interpreters module are shareable too (they arrive as
 *     queue objects of the same id).
 * int Isle_QueueGetEventFd(IsleQueue *q);
 *     A Linux eventfd, owned by the queue, readable while it holds items or is
 *     closed: a host event loop waits on it, then gets until ISLE_QUEUE_EMPTY. -1 for
 *     NULL or when the system refuses one.
 * int Isle_QueueReserveBytes(IsleQueue *q, size_t size, void **data, double timeout);
 * int Isle_QueueCommit(IsleQueue *q, void *data);
 * int Isle_QueueAbort(IsleQueue *q, void *data);
 *     Writing a bytes item in place, from any thread: Reserve holds a place (counted
 *     by the bounds, waiting up to timeout for one) and hands out `size` bytes;
 *     Commit queues them without a copy (ISLE_QUEUE_CLOSED, block freed, if the queue
 *     was closed meanwhile); Abort gives the place back. -1 for bad arguments,
 *     including a pointer that is not an outstanding reservation of `q`.
 *
 * The Python-level modules _interpqueues, _interpreters and concurrent.interpreters
 * (also named interpreters) are builtin; README "Queues between interpreters" lists
 * them. Their exceptions are IsleExc_InterpreterError, _InterpreterNotFoundError,
 * _ExecutionFailed and _QueueNotFoundError, besides the queue ones above.
 */
#ifndef ISLE_ISLE_H
#define ISLE_ISLE_H
#endif
