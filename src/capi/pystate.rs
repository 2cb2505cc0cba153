//! `pystate.h`: the current thread state and interpreter.

use super::api;
use crate::abi::{IsleMemoryStats, PyGILState_STATE, PyInterpreterConfig, PyObject};
use crate::objects::dict;
use crate::runtime::boundary;
use crate::runtime::interp::{get_or_make, is_live_thread_state, PyInterpreterState};
use crate::runtime::thread::{PyThreadState, Ts};
use crate::runtime::{self as rt, lifecycle, pending, switch};
use core::ffi::{c_int, c_void};
use core::ptr::null_mut;

/// The current thread state. Without one, CPython ends the process; isle reports it
/// and returns NULL.
#[no_mangle]
pub extern "C" fn PyThreadState_Get() -> *mut PyThreadState {
    boundary::guard(|| {
        let ts = Ts::current_raw();
        if ts.is_null() {
            super::no_thread_state();
        }
        ts
    })
}

/// The current thread state, or NULL.
#[no_mangle]
pub extern "C" fn PyThreadState_GetUnchecked() -> *mut PyThreadState {
    boundary::guard(Ts::current_raw)
}

#[no_mangle]
pub extern "C" fn PyInterpreterState_Get() -> *mut PyInterpreterState {
    boundary::guard(|| {
        let ts = PyThreadState_Get();
        if ts.is_null() {
            return null_mut();
        }
        unsafe { (*ts).interp }
    })
}

#[no_mangle]
pub extern "C" fn PyInterpreterState_Main() -> *mut PyInterpreterState {
    boundary::guard(rt::main_interp)
}

/// The interpreter's id (0 for the main one), or -1 with `RuntimeError` for NULL.
#[no_mangle]
pub unsafe extern "C" fn PyInterpreterState_GetID(interp: *mut PyInterpreterState) -> i64 {
    boundary::guard(|| {
        if interp.is_null() {
            if let Some(ts) = Ts::current() {
                crate::runtime::errors::set_string(
                    ts,
                    crate::objects::exceptions::exc(crate::objects::exceptions::Exc::RuntimeError),
                    "no interpreter provided",
                );
            }
            return -1;
        }
        unsafe { (*interp).id }
    })
}

/// A dict private to the interpreter, for extensions to keep state in (borrowed).
#[no_mangle]
pub unsafe extern "C" fn PyInterpreterState_GetDict(interp: *mut PyInterpreterState) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if interp.is_null() {
            return null_mut();
        }
        // SAFETY: the caller passes a live interpreter.
        let i = unsafe { &*interp };
        match get_or_make(&i.dict, || dict::new(ts)) {
            Ok(d) => d,
            Err(_) => {
                crate::runtime::errors::clear(ts);
                null_mut()
            }
        }
    })
}

/// The current interpreter's `sys.modules` (borrowed).
#[no_mangle]
pub extern "C" fn PyImport_GetModuleDict() -> *mut PyObject {
    api!(null_mut(), |ts| crate::runtime::lifecycle::modules_dict(ts).unwrap_or(null_mut()))
}

/// A new thread state of `interp`, not yet current; NULL for a NULL or dead interpreter.
#[no_mangle]
pub unsafe extern "C" fn PyThreadState_New(interp: *mut PyInterpreterState) -> *mut PyThreadState {
    boundary::guard(|| {
        if interp.is_null() || !rt::is_live(interp) {
            return null_mut();
        }
        unsafe { (*interp).new_thread_state() }
    })
}

/// Drops what `tstate` holds (its exception and dict). The caller holds its GIL.
#[no_mangle]
pub unsafe extern "C" fn PyThreadState_Clear(tstate: *mut PyThreadState) {
    boundary::guard(|| {
        // SAFETY: a non-null argument is a thread state this runtime handed out.
        if tstate.is_null() || !unsafe { is_live_thread_state(tstate) } {
            eprintln!("isle: PyThreadState_Clear: NULL or deleted thread state");
            return;
        }
        unsafe { lifecycle::clear_thread_state(tstate) }
    })
}

/// Frees a thread state that is not current (clear it first).
#[no_mangle]
pub unsafe extern "C" fn PyThreadState_Delete(tstate: *mut PyThreadState) {
    boundary::guard(|| {
        // SAFETY: a non-null argument is a thread state this runtime handed out.
        if tstate.is_null() || !unsafe { is_live_thread_state(tstate) } {
            eprintln!("isle: PyThreadState_Delete: NULL or deleted thread state");
            return;
        }
        if Ts::current_raw() == tstate {
            eprintln!("isle: PyThreadState_Delete: the thread state is current (use PyThreadState_DeleteCurrent)");
            return;
        }
        switch::forget(tstate);
        unsafe {
            lifecycle::clear_thread_state(tstate);
            (*(*tstate).interp).free_thread_state(tstate);
        }
    })
}

/// Frees the current thread state and releases its GIL.
#[no_mangle]
pub extern "C" fn PyThreadState_DeleteCurrent() {
    boundary::guard(|| {
        if Ts::current_raw().is_null() {
            super::no_thread_state();
            return;
        }
        switch::delete_current()
    })
}

/// Makes `tstate` (may be NULL) current, moving the GIL with it; returns the old one.
/// A deleted thread state is refused: NULL is returned and nothing changes.
#[no_mangle]
pub unsafe extern "C" fn PyThreadState_Swap(tstate: *mut PyThreadState) -> *mut PyThreadState {
    boundary::guard(|| {
        // SAFETY: a non-null argument is a thread state this runtime handed out.
        if !tstate.is_null() && !unsafe { is_live_thread_state(tstate) } {
            eprintln!("isle: PyThreadState_Swap: the thread state was deleted");
            return null_mut();
        }
        if tstate == Ts::current_raw() {
            return tstate;
        }
        switch::swap(tstate)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyThreadState_GetInterpreter(tstate: *mut PyThreadState) -> *mut PyInterpreterState {
    boundary::guard(|| {
        if tstate.is_null() {
            return null_mut();
        }
        unsafe { (*tstate).interp }
    })
}

/// A process-wide unique id of the thread state.
#[no_mangle]
pub unsafe extern "C" fn PyThreadState_GetID(tstate: *mut PyThreadState) -> u64 {
    boundary::guard(|| {
        if tstate.is_null() {
            return 0;
        }
        unsafe { (*tstate).id }
    })
}

/// A dict for extensions to keep per-thread data in (borrowed); NULL without a
/// thread state.
#[no_mangle]
pub extern "C" fn PyThreadState_GetDict() -> *mut PyObject {
    boundary::guard(|| {
        // Documented to work without a thread state: NULL, and no complaint.
        let Some(ts) = Ts::current() else { return null_mut() };
        if ts.dict().is_null() {
            match dict::new(ts) {
                Ok(d) => ts.set_dict(d),
                Err(_) => {
                    crate::runtime::errors::clear(ts);
                    return null_mut();
                }
            }
        }
        ts.dict()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyThreadState_Next(tstate: *mut PyThreadState) -> *mut PyThreadState {
    boundary::guard(|| {
        if tstate.is_null() {
            return null_mut();
        }
        unsafe { (*tstate).next }
    })
}

/// The newest interpreter (the main one is last in the list).
#[no_mangle]
pub extern "C" fn PyInterpreterState_Head() -> *mut PyInterpreterState {
    boundary::guard(|| rt::REGISTRY.lock().head)
}

#[no_mangle]
pub unsafe extern "C" fn PyInterpreterState_Next(interp: *mut PyInterpreterState) -> *mut PyInterpreterState {
    boundary::guard(|| {
        if interp.is_null() {
            return null_mut();
        }
        let _registry = rt::REGISTRY.lock();
        unsafe { (*interp).next }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyInterpreterState_ThreadHead(interp: *mut PyInterpreterState) -> *mut PyThreadState {
    boundary::guard(|| {
        if interp.is_null() {
            return null_mut();
        }
        unsafe { (*interp).tstate_head }
    })
}

/// Makes sure this OS thread has a thread state of the main interpreter, current and
/// holding the GIL (`PyGILState_Ensure`).
#[no_mangle]
pub extern "C" fn PyGILState_Ensure() -> PyGILState_STATE {
    boundary::guard(|| {
        let main = rt::main_interp();
        if main.is_null() {
            super::no_thread_state();
            return PyGILState_STATE::PyGILState_UNLOCKED;
        }
        gil_state(switch::ensure(main))
    })
}

/// isle's answer to gh-59956: `PyGILState_Ensure` for any interpreter. Pair each call
/// with `PyGILState_Release`.
#[no_mangle]
pub unsafe extern "C" fn Isle_GILState_EnsureInterpreter(interp: *mut PyInterpreterState) -> PyGILState_STATE {
    boundary::guard(|| {
        if interp.is_null() || !(switch::has_thread_state_of(interp) || rt::is_live(interp)) {
            eprintln!("isle: Isle_GILState_EnsureInterpreter: NULL or ended interpreter");
            return PyGILState_STATE::PyGILState_UNLOCKED;
        }
        gil_state(switch::ensure(interp))
    })
}

fn gil_state(raw: i32) -> PyGILState_STATE {
    if raw == switch::LOCKED {
        PyGILState_STATE::PyGILState_LOCKED
    } else {
        PyGILState_STATE::PyGILState_UNLOCKED
    }
}

/// Undoes the matching `PyGILState_Ensure`.
#[no_mangle]
pub extern "C" fn PyGILState_Release(old: PyGILState_STATE) {
    boundary::guard(|| {
        let raw = if old == PyGILState_STATE::PyGILState_LOCKED { switch::LOCKED } else { switch::UNLOCKED };
        if !switch::release(raw) {
            eprintln!("isle: PyGILState_Release: the current thread state did not come from PyGILState_Ensure");
        }
    })
}

/// 1 when this thread has a current thread state holding its GIL.
#[no_mangle]
pub extern "C" fn PyGILState_Check() -> core::ffi::c_int {
    boundary::guard(|| {
        let ts = Ts::current_raw();
        (!ts.is_null() && unsafe { (*ts).holds_gil }) as core::ffi::c_int
    })
}

/// This OS thread's thread state for the main interpreter, or NULL.
#[no_mangle]
pub extern "C" fn PyGILState_GetThisThreadState() -> *mut PyThreadState {
    boundary::guard(|| {
        let main = rt::main_interp();
        if main.is_null() {
            return null_mut();
        }
        switch::this_thread_state(main)
    })
}

/// Queues `func(arg)` for the main interpreter; 0, or -1 when the queue is full.
#[no_mangle]
pub unsafe extern "C" fn Py_AddPendingCall(
    func: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    arg: *mut c_void,
) -> c_int {
    boundary::guard(|| unsafe { Isle_AddPendingCall(rt::main_interp(), func, arg) })
}

/// Queues `func(arg)` to run in `interp` the next time one of its threads takes the
/// GIL or calls `Py_MakePendingCalls`. Safe from any thread.
#[no_mangle]
pub unsafe extern "C" fn Isle_AddPendingCall(
    interp: *mut PyInterpreterState,
    func: Option<unsafe extern "C" fn(*mut c_void) -> c_int>,
    arg: *mut c_void,
) -> c_int {
    boundary::guard(|| {
        let Some(func) = func else { return -1 };
        if interp.is_null() || !rt::is_live(interp) {
            return -1;
        }
        if pending::add(unsafe { &*interp }, func, arg) {
            0
        } else {
            -1
        }
    })
}

/// Runs the current interpreter's pending calls; -1 (exception set) if one failed.
#[no_mangle]
pub extern "C" fn Py_MakePendingCalls() -> c_int {
    api!(-1, |ts| if pending::run(ts).is_ok() { 0 } else { -1 })
}

/// Registers `func(data)` to run when `interp` ends, before its objects are freed.
#[no_mangle]
pub unsafe extern "C" fn PyUnstable_AtExit(
    interp: *mut PyInterpreterState,
    func: Option<unsafe extern "C" fn(*mut c_void)>,
    data: *mut c_void,
) -> c_int {
    boundary::guard(|| {
        let Some(func) = func else { return -1 };
        if interp.is_null() || !rt::is_live(interp) {
            return -1;
        }
        unsafe { (*interp).add_atexit(func, data) };
        0
    })
}

/// Fills `out` with the heap figures of `interp`; -1 for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn Isle_InterpreterMemory(interp: *mut PyInterpreterState, out: *mut IsleMemoryStats) -> c_int {
    boundary::guard(|| {
        if interp.is_null() || out.is_null() {
            return -1;
        }
        let s = unsafe { (*(*interp).heap).stats() };
        unsafe { *out = IsleMemoryStats { live_blocks: s.live_blocks, live_bytes: s.live_bytes, pages: s.pages } };
        0
    })
}

/// Copies the configuration `interp` was created with into `out` (the main
/// interpreter reports the legacy settings with its own GIL). -1 for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn Isle_InterpreterGetConfig(
    interp: *mut PyInterpreterState,
    out: *mut PyInterpreterConfig,
) -> c_int {
    boundary::guard(|| {
        if interp.is_null() || out.is_null() {
            return -1;
        }
        unsafe { *out = (*interp).config };
        0
    })
}

/// Whether a `SystemExit` reached the top of `interp` (through `PyErr_Print` in a
/// sub-interpreter, or a pending call): 1 with its status in `*status`, 0 if none
/// did, -1 for NULL arguments.
#[no_mangle]
pub unsafe extern "C" fn Isle_InterpreterExitStatus(interp: *mut PyInterpreterState, status: *mut c_int) -> c_int {
    boundary::guard(|| {
        if interp.is_null() || status.is_null() {
            return -1;
        }
        // SAFETY: the caller passes a live interpreter; the field is only written by a
        // thread holding its GIL, which the caller is expected to hold too.
        match unsafe { (*interp).exit_status.get() } {
            Some(code) => {
                unsafe { *status = code };
                1
            }
            None => 0,
        }
    })
}
