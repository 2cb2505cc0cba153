//! The C boundary: every exported function, one file per CPython header family.
//!
//! Each function checks its arguments, calls the core and translates the result into
//! CPython's conventions (NULL or -1 with an exception set). `api!` wraps every body in
//! a panic boundary and reads the current thread state once.

use crate::abi::PyObject;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;
use core::ptr::null_mut;
use std::sync::atomic::{AtomicBool, Ordering};

pub mod abstract_number;
pub mod boolobject;
pub mod bytesobject;
pub mod ceval;
pub mod dictobject;
pub mod errors_api;
pub mod floatobject;
pub mod initconfig;
pub mod lifecycle;
pub mod listobject;
pub mod longobject;
pub mod object;
pub mod pyhash;
pub mod pymem;
pub mod pystate;
pub mod tupleobject;
pub mod unicodeobject;
pub mod varargs;

/// Runs `$body` behind a panic boundary; a panic becomes `SystemError` and `$err`.
macro_rules! boundary {
    ($err:expr, $body:expr) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(v) => v,
            Err(_) => {
                $crate::capi::on_panic();
                $err
            }
        }
    };
}
pub(crate) use boundary;

/// The usual API entry: panic boundary, then the current thread state bound to `$ts`
/// (or `$err` and a diagnostic when the caller holds no thread state).
macro_rules! api {
    ($err:expr, |$ts:ident| $body:expr) => {
        $crate::capi::boundary!($err, {
            match $crate::runtime::thread::Ts::current() {
                Some($ts) => $body,
                None => {
                    $crate::capi::no_thread_state();
                    $err
                }
            }
        })
    };
}
pub(crate) use api;

/// Fails with `SystemError: bad argument to internal function` for each null argument.
macro_rules! require {
    ($ts:expr, $err:expr, $($arg:expr),+) => {
        $( if $arg.is_null() { $crate::runtime::errors::bad_internal_call($ts); return $err; } )+
    };
}
pub(crate) use require;

pub fn on_panic() {
    if let Some(ts) = Ts::current() {
        errors::system_error(ts, "internal error in isle (a panic was caught at the C boundary)");
    } else {
        eprintln!("isle: internal error (panic caught at the C boundary)");
    }
}

static WARNED_NO_TSTATE: AtomicBool = AtomicBool::new(false);

/// CPython treats a call without a thread state as a fatal error; isle reports it once
/// and returns the function's error value.
pub fn no_thread_state() {
    if !WARNED_NO_TSTATE.swap(true, Ordering::Relaxed) {
        eprintln!("isle: a C-API function that needs a thread state was called without one (is the GIL held?)");
    }
}

/// Translation of core results into CPython's return conventions.
pub trait IntoC {
    type C;
    fn into_c(self) -> Self::C;
}

impl IntoC for PyResult<*mut PyObject> {
    type C = *mut PyObject;
    fn into_c(self) -> *mut PyObject {
        self.unwrap_or(null_mut())
    }
}

impl IntoC for PyResult<()> {
    type C = c_int;
    fn into_c(self) -> c_int {
        match self {
            Ok(()) => 0,
            Err(Raised) => -1,
        }
    }
}

impl IntoC for PyResult<bool> {
    type C = c_int;
    fn into_c(self) -> c_int {
        match self {
            Ok(b) => b as c_int,
            Err(Raised) => -1,
        }
    }
}

impl IntoC for PyResult<isize> {
    type C = isize;
    fn into_c(self) -> isize {
        self.unwrap_or(-1)
    }
}

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
