//! `ceval.h`: releasing and re-taking the GIL around blocking work.

use crate::runtime::boundary;
use crate::runtime::interp::is_live_thread_state;
use crate::runtime::switch;
use crate::runtime::thread::{PyThreadState, Ts};

/// Detaches the current thread state, releasing its GIL; returns it for
/// `PyEval_RestoreThread` (`Py_BEGIN_ALLOW_THREADS`).
#[no_mangle]
pub extern "C" fn PyEval_SaveThread() -> *mut PyThreadState {
    boundary::guard(|| {
        let ts = switch::detach_current();
        if ts.is_null() {
            super::no_thread_state();
        }
        ts
    })
}

/// Takes the GIL of `tstate`'s interpreter and makes it current
/// (`Py_END_ALLOW_THREADS`). A NULL or deleted thread state is reported and ignored.
#[no_mangle]
pub unsafe extern "C" fn PyEval_RestoreThread(tstate: *mut PyThreadState) {
    boundary::guard(|| unsafe { PyEval_AcquireThread(tstate) })
}

/// Like `PyEval_RestoreThread`; `tstate` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn PyEval_AcquireThread(tstate: *mut PyThreadState) {
    boundary::guard(|| {
        // SAFETY: a non-null argument is a thread state this runtime handed out; the check
        // is one atomic load beside it, with no process-wide lock.
        if tstate.is_null() || !unsafe { is_live_thread_state(tstate) } {
            eprintln!("isle: PyEval_AcquireThread: NULL or deleted thread state");
            return;
        }
        if Ts::current_raw() == tstate && unsafe { (*tstate).holds_gil } {
            return;
        }
        switch::detach_current();
        switch::attach(tstate);
    })
}

/// Detaches `tstate`, which must be current, and releases its GIL.
#[no_mangle]
pub unsafe extern "C" fn PyEval_ReleaseThread(tstate: *mut PyThreadState) {
    boundary::guard(|| {
        if tstate.is_null() || Ts::current_raw() != tstate {
            eprintln!("isle: PyEval_ReleaseThread: not the current thread state");
            return;
        }
        switch::detach_current();
    })
}
