//! The panic boundary: every function C calls (exports in `capi/`, type slots in
//! `objects/`) runs its body through `guard`, so a panic becomes `SystemError` and the
//! function's error value instead of unwinding into C, which would abort the process.
//!
//! The error value comes from the return type (`ErrorValue`): NULL for pointers, -1 for
//! the integer conventions, nothing for `void`. A function whose convention differs
//! (`(unsigned long)-1`, `-1.0`) still gets it from its type; the rare one that
//! returns something else passes its value to `guard_or`.

use super::errors::{self, PyResult, Raised};
use super::thread::Ts;
use crate::abi::{PyGILState_STATE, PyObject, PyStatus, PyStatusType};
use core::ffi::{c_int, c_long, c_ulong};
use core::ptr::{null, null_mut};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

/// What a C function of this return type returns when it fails.
pub trait ErrorValue {
    fn error_value() -> Self;
}

impl<T> ErrorValue for *mut T {
    fn error_value() -> Self {
        null_mut()
    }
}

impl<T> ErrorValue for *const T {
    fn error_value() -> Self {
        null()
    }
}

macro_rules! minus_one {
    ($($t:ty),*) => { $( impl ErrorValue for $t { fn error_value() -> Self { -1 as $t } } )* };
}
// `c_long` is `i64` here; `isize` covers `Py_ssize_t` and `Py_hash_t`.
minus_one!(c_int, c_long, isize, f64);

/// `(unsigned long)-1` and friends, as `PyLong_AsUnsigned*` and `PyUnicode_ReadChar` fail.
macro_rules! all_ones {
    ($($t:ty),*) => { $( impl ErrorValue for $t { fn error_value() -> Self { <$t>::MAX } } )* };
}
all_ones!(u32, c_ulong, usize);

/// `PyComplex_AsCComplex`'s error value.
impl ErrorValue for crate::abi::Py_complex {
    fn error_value() -> Self {
        crate::abi::Py_complex { real: -1.0, imag: 0.0 }
    }
}

impl ErrorValue for () {
    fn error_value() -> Self {}
}

/// A failed `PyGILState_Ensure` took nothing, so its release must do nothing.
impl ErrorValue for PyGILState_STATE {
    fn error_value() -> Self {
        PyGILState_STATE::PyGILState_UNLOCKED
    }
}

impl ErrorValue for PyStatus {
    fn error_value() -> Self {
        PyStatus {
            _type: PyStatusType::_PyStatus_TYPE_ERROR,
            func: null(),
            err_msg: c"internal error in isle (a panic was caught at the C boundary)".as_ptr(),
            exitcode: 0,
        }
    }
}

/// Runs `body`; a panic is reported and becomes the return type's error value.
#[inline]
pub fn guard<R: ErrorValue>(body: impl FnOnce() -> R) -> R {
    guard_or_else(R::error_value, body)
}

/// Runs `body`; a panic is reported and becomes `err`.
#[inline]
pub fn guard_or<R>(err: R, body: impl FnOnce() -> R) -> R {
    guard_or_else(|| err, body)
}

#[inline]
fn guard_or_else<R>(err: impl FnOnce() -> R, body: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(v) => v,
        Err(_) => {
            on_panic();
            err()
        }
    }
}

/// Runs `body` with the current thread state behind the panic boundary; without a
/// thread state it reports that once and returns the error value.
#[inline]
pub fn with_thread_state<R: ErrorValue>(body: impl FnOnce(Ts) -> R) -> R {
    guard(|| match Ts::current() {
        Some(ts) => body(ts),
        None => {
            no_thread_state();
            R::error_value()
        }
    })
}

/// The boundary of a type slot whose core returns a `PyResult`: the thread state, the
/// panic boundary, then CPython's convention for the result (`IntoC`).
#[inline]
pub fn slot<R: IntoC>(body: impl FnOnce(Ts) -> R) -> R::C
where
    R::C: ErrorValue,
{
    with_thread_state(|ts| body(ts).into_c())
}

/// A caught panic: `SystemError` on the current thread state if there is one.
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

/// Translation of core results into CPython's return conventions: NULL or -1 with
/// the exception already set.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn panics<R>() -> R {
        panic!("planted panic")
    }

    #[test]
    fn a_panic_becomes_the_return_types_error_value() {
        assert!(guard(panics::<*mut PyObject>).is_null());
        assert_eq!(guard(panics::<c_int>), -1);
        assert_eq!(guard(panics::<isize>), -1);
        assert_eq!(guard(panics::<c_ulong>), c_ulong::MAX);
        assert_eq!(guard(panics::<f64>), -1.0);
        guard(panics::<()>);
        assert_eq!(guard_or(0, panics::<c_int>), 0);
    }

    #[test]
    fn no_panic_passes_the_value_through() {
        assert_eq!(guard(|| 7 as c_int), 7);
        assert_eq!(guard_or(-2isize, || 3), 3);
    }

    #[test]
    fn without_a_thread_state_the_body_does_not_run() {
        let mut ran = false;
        let r: c_int = with_thread_state(|_| {
            ran = true;
            0
        });
        assert_eq!(r, -1);
        assert!(!ran);
    }
}
