//! Pending calls: functions another thread asks an interpreter to run the next time a
//! thread of it takes its GIL (or calls `Py_MakePendingCalls`).

use super::errors::{PyResult, Raised};
use super::interp::{PendingFn, PyInterpreterState};
use super::thread::Ts;
use core::ffi::c_void;
use std::sync::atomic::Ordering;

/// CPython's queue holds this many calls; more are refused.
pub const MAX_PENDING: usize = 32;

/// Queues `func(arg)` for `interp`; false when the queue is full.
pub fn add(interp: &PyInterpreterState, func: PendingFn, arg: *mut c_void) -> bool {
    let mut q = interp.pending.lock();
    if q.len() >= MAX_PENDING {
        return false;
    }
    q.push((func, arg as usize));
    interp.has_pending.store(true, Ordering::Release);
    true
}

/// Runs the queued calls of the current interpreter in order. Stops at the first that
/// fails (returns -1 with an exception set); the rest stay queued.
pub fn run(ts: Ts) -> PyResult<()> {
    let interp = ts.interp();
    loop {
        let next = {
            let mut q = interp.pending.lock();
            if q.is_empty() {
                interp.has_pending.store(false, Ordering::Release);
                return Ok(());
            }
            q.remove(0)
        };
        let (func, arg) = next;
        // SAFETY: the host queued this function with this argument.
        if unsafe { func(arg as *mut c_void) } != 0 {
            return Err(Raised);
        }
    }
}

/// Called whenever a thread state is attached: cheap when nothing is queued. A failing
/// call has nobody to report to, so its exception is printed; a `SystemExit` from one
/// is recorded as the interpreter's exit status, never acted on here.
pub fn run_if_any(ts: Ts) {
    if ts.interp().has_pending.load(Ordering::Acquire) && run(ts).is_err() {
        if let super::report::Printed::ExitRequested(status) = super::report::print_current(ts, true) {
            ts.interp().exit_status.set(Some(status));
        }
    }
}
