//! `floatobject.h`: floats.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::objects::float;
use crate::runtime::boundary;
use crate::runtime::errors;
use core::ptr::null_mut;

#[no_mangle]
pub unsafe extern "C" fn PyFloat_FromDouble(v: f64) -> *mut PyObject {
    api!(null_mut(), |ts| float::from_f64(ts, v).into_c())
}

/// The value of a float, or of `__float__` / `__index__`; -1.0 with an exception set
/// on failure. A NULL argument is a `TypeError`, as CPython's `PyErr_BadArgument`.
#[no_mangle]
pub unsafe extern "C" fn PyFloat_AsDouble(o: *mut PyObject) -> f64 {
    api!(-1.0, |ts| {
        if o.is_null() {
            errors::type_error(ts, "bad argument type for built-in operation");
            return -1.0;
        }
        float::as_double(ts, o).unwrap_or(-1.0)
    })
}

/// The largest finite double.
#[no_mangle]
pub extern "C" fn PyFloat_GetMax() -> f64 {
    boundary::guard(|| f64::MAX)
}

/// The smallest positive normal double.
#[no_mangle]
pub extern "C" fn PyFloat_GetMin() -> f64 {
    boundary::guard(|| f64::MIN_POSITIVE)
}

/// `float(s)` for a str or bytes object.
#[no_mangle]
pub unsafe extern "C" fn PyFloat_FromString(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        float::from_string(ts, o).into_c()
    })
}
