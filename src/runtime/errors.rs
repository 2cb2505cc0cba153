//! The current exception of a thread state, and the `Result` convention of the core.
//!
//! Core functions return `PyResult<T>`; an `Err(Raised)` means an exception has been set
//! on the thread state, exactly as a NULL / -1 return means in CPython's API.

use super::thread::Ts;
use crate::abi::{PyObject, PyTypeObject};
use crate::objects::{exceptions, object, unicode};
use core::ptr::null_mut;

/// Marker: the exception is already set on the thread state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raised;

pub type PyResult<T> = Result<T, Raised>;

/// Replaces the current exception with `exc` (a new reference, or null to clear).
pub fn set_raised(ts: Ts, exc: *mut PyObject) {
    let old = ts.replace_exception(exc);
    // SAFETY: the thread state owned the old exception.
    unsafe { object::xdecref(old) };
}

/// Takes the current exception (new reference, or null).
pub fn take_raised(ts: Ts) -> *mut PyObject {
    ts.replace_exception(null_mut())
}

pub fn occurred(ts: Ts) -> bool {
    !ts.exception().is_null()
}

pub fn clear(ts: Ts) {
    set_raised(ts, null_mut());
}

/// Raises `ty` with `value` as CPython's `PyErr_SetObject` does: an instance of `ty` is
/// used as is, a tuple becomes the arguments, anything else the single argument.
pub fn set_object(ts: Ts, ty: *mut PyTypeObject, value: *mut PyObject) -> Raised {
    if let Ok(exc) = exceptions::instantiate(ts, ty, value) {
        set_raised(ts, exc)
    }
    Raised
}

/// Raises `ty(message)`.
pub fn set_string(ts: Ts, ty: *mut PyTypeObject, message: &str) -> Raised {
    if let Ok(s) = unicode::from_str(ts, message) {
        set_object(ts, ty, s);
        unsafe { object::decref(s) };
    }
    Raised
}

/// Shorthands for the exceptions the core raises most.
pub fn type_error(ts: Ts, message: &str) -> Raised {
    set_string(ts, exceptions::exc(exceptions::Exc::TypeError), message)
}
pub fn value_error(ts: Ts, message: &str) -> Raised {
    set_string(ts, exceptions::exc(exceptions::Exc::ValueError), message)
}
pub fn overflow_error(ts: Ts, message: &str) -> Raised {
    set_string(ts, exceptions::exc(exceptions::Exc::OverflowError), message)
}
pub fn index_error(ts: Ts, message: &str) -> Raised {
    set_string(ts, exceptions::exc(exceptions::Exc::IndexError), message)
}
pub fn system_error(ts: Ts, message: &str) -> Raised {
    set_string(ts, exceptions::exc(exceptions::Exc::SystemError), message)
}
pub fn zero_division(ts: Ts, message: &str) -> Raised {
    set_string(ts, exceptions::exc(exceptions::Exc::ZeroDivisionError), message)
}
/// `SystemError: bad argument to internal function`, CPython's answer to a NULL.
pub fn bad_internal_call(ts: Ts) -> Raised {
    system_error(ts, "bad argument to internal function")
}

/// Raises `MemoryError` without allocating a message.
pub fn no_memory(ts: Ts) -> Raised {
    set_object(ts, exceptions::exc(exceptions::Exc::MemoryError), null_mut())
}

/// Runs `f` with the current exception set aside, restoring it afterwards.
pub fn preserving<T>(ts: Ts, f: impl FnOnce() -> T) -> T {
    let saved = take_raised(ts);
    let out = f();
    set_raised(ts, saved);
    out
}

/// Makes `cause` (owned, or null) the `__cause__` and `__context__` of the exception
/// now set, as CPython's `_PyErr_FormatFromCause` does.
pub fn chain_cause(ts: Ts, cause: *mut PyObject) {
    let exc = ts.exception();
    if exc.is_null() || cause.is_null() {
        // SAFETY: the caller handed over its reference.
        unsafe { object::xdecref(cause) };
        return;
    }
    // SAFETY: one reference for each field; the caller's is the second.
    unsafe { object::incref(cause) };
    exceptions::set_field(exc, exceptions::ExcField::Context, cause);
    exceptions::set_field(exc, exceptions::ExcField::Cause, cause);
}
