//! The C boundary: every exported function, one file per CPython header family.
//!
//! Each function checks its arguments, calls the core and translates the result into
//! CPython's conventions (NULL or -1 with an exception set). `api!` wraps every body in
//! a panic boundary and reads the current thread state once.

use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

pub mod abstract_iter;
pub mod abstract_mapping;
pub mod abstract_number;
pub mod abstract_sequence;
pub mod boolobject;
pub mod bytearrayobject;
pub mod bytesobject;
pub mod call;
pub mod ceval;
pub mod complexobject;
pub mod crossinterp;
pub mod descrobject;
pub mod dictobject;
pub mod errors_api;
pub mod fileutils;
pub mod floatobject;
pub mod import;
pub mod initconfig;
pub mod lifecycle;
pub mod listobject;
pub mod longobject;
pub mod methodobject;
pub mod moduleobject;
pub mod object;
pub mod pybuffer;
pub mod pycapsule;
pub mod pyhash;
pub mod pymem;
pub mod pystate;
pub mod setobject;
pub mod sliceobject;
pub mod tupleobject;
pub mod typeobject;
pub mod unicodeobject;
pub mod varargs;

/// Runs `$body` behind the panic boundary; a panic becomes `SystemError` and the
/// return type's error value (`ErrorValue`), or `$err` when given.
macro_rules! boundary {
    ($body:expr) => {
        $crate::runtime::boundary::guard(|| $body)
    };
    ($err:expr, $body:expr) => {
        $crate::runtime::boundary::guard_or($err, || $body)
    };
}
pub(crate) use boundary;

/// The usual API entry: the panic boundary, then the current thread state bound to
/// `$ts` (or the error value and a diagnostic when the caller holds no thread state).
/// The error value is the return type's (`ErrorValue`), or `$err` when given.
macro_rules! api {
    (|$ts:ident| $body:expr) => {
        $crate::runtime::boundary::with_thread_state(|$ts| $body)
    };
    ($err:expr, |$ts:ident| $body:expr) => {
        $crate::capi::boundary!($err, {
            match $crate::runtime::thread::Ts::current() {
                Some($ts) => $body,
                None => {
                    $crate::runtime::boundary::no_thread_state();
                    $err
                }
            }
        })
    };
}
pub(crate) use api;

/// Fails with `SystemError: bad argument to internal function` for each null argument,
/// returning the function's error value (`require!(ts; a, b)`) or `$err`.
macro_rules! require {
    ($ts:expr; $($arg:expr),+) => {
        $( if $arg.is_null() {
            $crate::runtime::errors::bad_internal_call($ts);
            return $crate::runtime::boundary::ErrorValue::error_value();
        } )+
    };
    ($ts:expr, $err:expr, $($arg:expr),+) => {
        $( if $arg.is_null() { $crate::runtime::errors::bad_internal_call($ts); return $err; } )+
    };
}
pub(crate) use require;

pub use crate::runtime::boundary::{no_thread_state, IntoC};

/// Reads a C string argument as UTF-8 text.
///
/// # Safety
/// `s` is a NUL-terminated string.
pub unsafe fn c_str<'a>(ts: Ts, s: *const core::ffi::c_char) -> PyResult<&'a str> {
    if s.is_null() {
        return Err(errors::bad_internal_call(ts));
    }
    // SAFETY: the caller promises a NUL-terminated string.
    match unsafe { core::ffi::CStr::from_ptr(s) }.to_str() {
        Ok(t) => Ok(t),
        Err(_) => Err(errors::set_string(
            ts,
            crate::objects::exceptions::exc(crate::objects::exceptions::Exc::UnicodeDecodeError),
            "'utf-8' codec can't decode bytes: invalid UTF-8",
        )),
    }
}
