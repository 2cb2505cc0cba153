//! `pystate.h`: the current thread state and interpreter.

use super::api;
use crate::abi::PyObject;
use crate::objects::dict;
use crate::runtime::interp::PyInterpreterState;
use crate::runtime::thread::{PyThreadState, Ts};
use crate::runtime::{self as rt};
use core::ptr::null_mut;

/// The current thread state. Without one, CPython ends the process; isle reports it
/// and returns NULL.
#[no_mangle]
pub extern "C" fn PyThreadState_Get() -> *mut PyThreadState {
    let ts = Ts::current_raw();
    if ts.is_null() {
        super::no_thread_state();
    }
    ts
}

/// The current thread state, or NULL.
#[no_mangle]
pub extern "C" fn PyThreadState_GetUnchecked() -> *mut PyThreadState {
    Ts::current_raw()
}

#[no_mangle]
pub extern "C" fn PyInterpreterState_Get() -> *mut PyInterpreterState {
    let ts = PyThreadState_Get();
    if ts.is_null() {
        return null_mut();
    }
    unsafe { (*ts).interp }
}

#[no_mangle]
pub extern "C" fn PyInterpreterState_Main() -> *mut PyInterpreterState {
    rt::main_interp()
}

/// The interpreter's id (0 for the main one), or -1 with `RuntimeError` for NULL.
#[no_mangle]
pub unsafe extern "C" fn PyInterpreterState_GetID(interp: *mut PyInterpreterState) -> i64 {
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
}

/// A dict private to the interpreter, for extensions to keep state in (borrowed).
#[no_mangle]
pub unsafe extern "C" fn PyInterpreterState_GetDict(interp: *mut PyInterpreterState) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if interp.is_null() {
            return null_mut();
        }
        let i = unsafe { &mut *interp };
        if i.dict.is_null() {
            match dict::new(ts) {
                Ok(d) => i.dict = d,
                Err(_) => {
                    crate::runtime::errors::clear(ts);
                    return null_mut();
                }
            }
        }
        i.dict
    })
}

/// The current interpreter's `sys.modules` (borrowed).
#[no_mangle]
pub extern "C" fn PyImport_GetModuleDict() -> *mut PyObject {
    api!(null_mut(), |ts| ts.interp().modules)
}
