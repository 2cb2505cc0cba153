//! `pylifecycle.h` and `initconfig.h`: starting and stopping the runtime and
//! interpreters, `PyStatus` and `PyConfig`.

use super::boundary;
use crate::abi::*;
use crate::objects::hash::HashSeed;
use crate::runtime::boundary;
use crate::runtime::lifecycle::{self, LifecycleError, AT_EXIT, AT_EXIT_LIMIT, LEGACY_CONFIG};
use crate::runtime::thread::PyThreadState;
use crate::runtime::{self as rt, thread::Ts};
use core::ffi::{c_char, c_int, CStr};
use core::ptr::{null, null_mut};
use std::sync::atomic::Ordering;

fn status(kind: PyStatusType, func: &'static CStr, msg: *const c_char, exitcode: c_int) -> PyStatus {
    PyStatus { _type: kind, func: func.as_ptr(), err_msg: msg, exitcode }
}

/// An error status naming the function that failed and why.
pub(crate) fn error_at(func: &'static CStr, msg: &'static CStr) -> PyStatus {
    status(PyStatusType::_PyStatus_TYPE_ERROR, func, msg.as_ptr(), -1)
}

fn error_status(func: &'static CStr, e: LifecycleError) -> PyStatus {
    error_at(func, e.c_message())
}

#[no_mangle]
pub extern "C" fn PyStatus_Ok() -> PyStatus {
    boundary::guard(|| PyStatus { _type: PyStatusType::_PyStatus_TYPE_OK, func: null(), err_msg: null(), exitcode: 0 })
}

#[no_mangle]
pub extern "C" fn PyStatus_Error(err_msg: *const c_char) -> PyStatus {
    boundary::guard(|| status(PyStatusType::_PyStatus_TYPE_ERROR, c"PyStatus_Error", err_msg, -1))
}

#[no_mangle]
pub extern "C" fn PyStatus_NoMemory() -> PyStatus {
    boundary::guard(|| {
        status(PyStatusType::_PyStatus_TYPE_ERROR, c"PyStatus_NoMemory", c"memory allocation failed".as_ptr(), -1)
    })
}

#[no_mangle]
pub extern "C" fn PyStatus_Exit(exitcode: c_int) -> PyStatus {
    boundary::guard(|| status(PyStatusType::_PyStatus_TYPE_EXIT, c"PyStatus_Exit", null(), exitcode))
}

#[no_mangle]
pub extern "C" fn PyStatus_IsError(s: PyStatus) -> c_int {
    boundary::guard(|| (s._type == PyStatusType::_PyStatus_TYPE_ERROR) as c_int)
}

#[no_mangle]
pub extern "C" fn PyStatus_IsExit(s: PyStatus) -> c_int {
    boundary::guard(|| (s._type == PyStatusType::_PyStatus_TYPE_EXIT) as c_int)
}

#[no_mangle]
pub extern "C" fn PyStatus_Exception(s: PyStatus) -> c_int {
    boundary::guard(|| (s._type != PyStatusType::_PyStatus_TYPE_OK) as c_int)
}

/// Ends the process as `s` says: its exit code for an exit status, 1 after printing
/// the message for an error. Does nothing for an OK status.
#[no_mangle]
pub unsafe extern "C" fn Py_ExitStatusException(s: PyStatus) {
    boundary::guard(|| match s._type {
        PyStatusType::_PyStatus_TYPE_OK => {}
        PyStatusType::_PyStatus_TYPE_EXIT => std::process::exit(s.exitcode),
        PyStatusType::_PyStatus_TYPE_ERROR => {
            let text = |p: *const c_char| {
                if p.is_null() {
                    String::new()
                } else {
                    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
                }
            };
            eprintln!("Fatal Python error: {}: {}", text(s.func), text(s.err_msg));
            std::process::exit(1);
        }
    })
}

#[no_mangle]
pub extern "C" fn Py_Initialize() {
    boundary::guard(|| Py_InitializeEx(1))
}

/// Starts the runtime; `initsigs` is accepted and ignored (isle installs no signal
/// handlers).
#[no_mangle]
pub extern "C" fn Py_InitializeEx(_initsigs: c_int) {
    boundary::guard(|| {
        if !rt::is_initialized() {
            crate::runtime::import::set_startup(Vec::new(), Vec::new());
        }
        let r = boundary!(Err(LifecycleError::NoMemory), lifecycle::initialize(HashSeed::Random));
        if let Err(e) = r {
            unsafe { Py_ExitStatusException(error_status(c"Py_InitializeEx", e)) };
        }
    })
}

/// Starts the runtime from a configuration (see the README for the fields isle reads).
#[no_mangle]
pub unsafe extern "C" fn Py_InitializeFromConfig(config: *const PyConfig) -> PyStatus {
    boundary::guard(|| {
        if config.is_null() {
            return PyStatus_Error(c"Py_InitializeFromConfig: config is NULL".as_ptr());
        }
        // SAFETY: checked non-null; the caller passes an initialized PyConfig.
        let seed = unsafe { HashSeed::from_config((*config).use_hash_seed, (*config).hash_seed) };
        if !rt::is_initialized() {
            // SAFETY: as above; the lists are the config's own.
            let (paths, argv) = unsafe {
                let c = &*config;
                let paths = if c.module_search_paths_set != 0 {
                    crate::runtime::config::list_to_strings(&c.module_search_paths)
                } else {
                    Vec::new()
                };
                (paths, crate::runtime::config::list_to_strings(&c.argv))
            };
            crate::runtime::import::set_startup(paths, argv);
        }
        match boundary!(Err(LifecycleError::NoMemory), lifecycle::initialize(seed)) {
            Ok(()) => PyStatus_Ok(),
            Err(e) => error_status(c"Py_InitializeFromConfig", e),
        }
    })
}

#[no_mangle]
pub extern "C" fn Py_IsInitialized() -> c_int {
    boundary::guard(|| rt::is_initialized() as c_int)
}

#[no_mangle]
pub extern "C" fn Py_IsFinalizing() -> c_int {
    boundary::guard(|| rt::is_finalizing() as c_int)
}

/// Ends every interpreter and returns all their memory. 0 on success (also when
/// there was nothing to finalize); -1 when `ISLE_LEAK_REPORT` is set and some
/// interpreter of this runtime ended with blocks still allocated.
#[no_mangle]
pub extern "C" fn Py_FinalizeEx() -> c_int {
    boundary!(-1, {
        match lifecycle::finalize() {
            lifecycle::Finalized::Leaked(_) => -1,
            lifecycle::Finalized::NothingToDo | lifecycle::Finalized::Clean => 0,
        }
    })
}

#[no_mangle]
pub extern "C" fn Py_Finalize() {
    boundary::guard(|| {
        Py_FinalizeEx();
    })
}

/// Registers `func` to run at the end of `Py_FinalizeEx`; at most 32. 0 on success.
#[no_mangle]
pub extern "C" fn Py_AtExit(func: Option<extern "C" fn()>) -> c_int {
    boundary::guard(|| {
        let Some(func) = func else { return -1 };
        let mut list = AT_EXIT.lock();
        if list.len() >= AT_EXIT_LIMIT {
            return -1;
        }
        list.push(func);
        0
    })
}

/// Creates an interpreter from `config`; on success `*tstate_p` is its thread state,
/// now current. On failure `*tstate_p` is NULL and the caller's thread state is kept.
#[no_mangle]
pub unsafe extern "C" fn Py_NewInterpreterFromConfig(
    tstate_p: *mut *mut PyThreadState,
    config: *const PyInterpreterConfig,
) -> PyStatus {
    boundary::guard(|| {
        if tstate_p.is_null() || config.is_null() {
            return PyStatus_Error(c"Py_NewInterpreterFromConfig: NULL argument".as_ptr());
        }
        unsafe { *tstate_p = null_mut() };
        let config = unsafe { *config };
        let previous = Ts::current_raw();
        match boundary!(Err(LifecycleError::NoMemory), lifecycle::new_interpreter(&config)) {
            Ok(ts) => {
                unsafe { *tstate_p = ts };
                PyStatus_Ok()
            }
            Err(e) => {
                if Ts::current_raw() != previous && !previous.is_null() {
                    crate::runtime::switch::attach(previous);
                }
                error_status(c"Py_NewInterpreterFromConfig", e)
            }
        }
    })
}

/// Creates an interpreter with the legacy configuration (sharing the main GIL and
/// heap). NULL on failure (CPython would end the process).
#[no_mangle]
pub unsafe extern "C" fn Py_NewInterpreter() -> *mut PyThreadState {
    boundary::guard(|| {
        let mut ts = null_mut();
        let st = unsafe { Py_NewInterpreterFromConfig(&mut ts, &LEGACY_CONFIG) };
        if PyStatus_Exception(st) != 0 {
            return null_mut();
        }
        // SAFETY: the fresh interpreter's first thread state.
        unsafe { (*(*ts).interp).whence.store(crate::runtime::interp::WHENCE_LEGACY_CAPI, Ordering::Relaxed) };
        ts
    })
}

/// Ends the interpreter of `tstate`, which must be current and its only thread state.
/// No thread state is current afterwards. Misuse is reported on stderr, not fatal.
#[no_mangle]
pub unsafe extern "C" fn Py_EndInterpreter(tstate: *mut PyThreadState) {
    boundary::guard(|| {
        if tstate.is_null() {
            eprintln!("isle: Py_EndInterpreter: NULL thread state");
            return;
        }
        let r = boundary!(Err(LifecycleError::NoMemory), lifecycle::end_interpreter(tstate));
        if let Err(e) = r {
            eprintln!("isle: Py_EndInterpreter: {e}; the interpreter was not ended");
        }
    })
}
