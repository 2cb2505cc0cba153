//! `complexobject.h`: complex numbers, and the `_Py_c_*` arithmetic on `Py_complex`
//! values that CPython's header declares for extensions (the division and power
//! report a zero divisor or base through `errno`, as C math functions do).

use super::{api, boundary, require, IntoC};
use crate::abi::*;
use crate::objects::complex::{self, MathError};

use crate::runtime::errors::Raised;

#[no_mangle]
pub unsafe extern "C" fn PyComplex_FromDoubles(real: f64, imag: f64) -> *mut PyObject {
    api!(core::ptr::null_mut(), |ts| complex::from_doubles(ts, real, imag).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyComplex_FromCComplex(v: Py_complex) -> *mut PyObject {
    api!(core::ptr::null_mut(), |ts| complex::from_value(ts, v).into_c())
}

const ERROR: Py_complex = Py_complex { real: -1.0, imag: 0.0 };

/// The value of a complex, of what `__complex__` returns, or of a real number with a
/// zero imaginary part; `{-1.0, 0.0}` with an exception set on failure.
#[no_mangle]
pub unsafe extern "C" fn PyComplex_AsCComplex(o: *mut PyObject) -> Py_complex {
    api!(ERROR, |ts| {
        require!(ts, ERROR, o);
        complex::as_value(ts, o).unwrap_or(ERROR)
    })
}

/// The real part (through `__complex__` or as a float for other objects); -1.0 with an
/// exception set on failure.
#[no_mangle]
pub unsafe extern "C" fn PyComplex_RealAsDouble(o: *mut PyObject) -> f64 {
    api!(-1.0, |ts| {
        require!(ts, -1.0, o);
        complex::as_value(ts, o).map(|v| v.real).unwrap_or(-1.0)
    })
}

/// The imaginary part (0.0 for a real number); -1.0 with an exception set on failure.
#[no_mangle]
pub unsafe extern "C" fn PyComplex_ImagAsDouble(o: *mut PyObject) -> f64 {
    api!(-1.0, |ts| {
        require!(ts, -1.0, o);
        match complex::as_value(ts, o) {
            Ok(v) => v.imag,
            Err(Raised) => -1.0,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn _Py_c_sum(a: Py_complex, b: Py_complex) -> Py_complex {
    boundary!(complex::sum(a, b))
}

#[no_mangle]
pub unsafe extern "C" fn _Py_c_diff(a: Py_complex, b: Py_complex) -> Py_complex {
    boundary!(complex::diff(a, b))
}

#[no_mangle]
pub unsafe extern "C" fn _Py_c_neg(a: Py_complex) -> Py_complex {
    boundary!(complex::neg(a))
}

#[no_mangle]
pub unsafe extern "C" fn _Py_c_prod(a: Py_complex, b: Py_complex) -> Py_complex {
    boundary!(complex::prod(a, b))
}

/// Sets `errno` to `EDOM` when the divisor is zero (the result is then 0).
#[no_mangle]
pub unsafe extern "C" fn _Py_c_quot(a: Py_complex, b: Py_complex) -> Py_complex {
    boundary!(with_errno(complex::quot(a, b)))
}

/// Sets `errno` to `EDOM` for zero to a negative or complex power.
#[no_mangle]
pub unsafe extern "C" fn _Py_c_pow(a: Py_complex, b: Py_complex) -> Py_complex {
    boundary!(with_errno(complex::pow(a, b)))
}

/// Sets `errno` to `ERANGE` when the result overflows.
#[no_mangle]
pub unsafe extern "C" fn _Py_c_abs(a: Py_complex) -> f64 {
    boundary!(match complex::abs(a) {
        Ok(v) => {
            set_errno(0);
            v
        }
        Err(_) => {
            set_errno(libc::ERANGE);
            f64::INFINITY
        }
    })
}

fn set_errno(code: i32) {
    // SAFETY: the calling thread's errno.
    unsafe { *libc::__errno_location() = code };
}

fn with_errno(r: Result<Py_complex, MathError>) -> Py_complex {
    match r {
        Ok(v) => {
            set_errno(0);
            v
        }
        Err(_) => {
            set_errno(libc::EDOM);
            Py_complex { real: 0.0, imag: 0.0 }
        }
    }
}
