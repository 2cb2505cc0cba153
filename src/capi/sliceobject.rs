//! `sliceobject.h`: slices and turning them into indices.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::objects::slice;
use crate::runtime::boundary;
use crate::runtime::errors;
use core::ffi::c_int;
use core::ptr::null_mut;

/// `slice(start, stop, step)`; a NULL part is None.
#[no_mangle]
pub unsafe extern "C" fn PySlice_New(start: *mut PyObject, stop: *mut PyObject, step: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| slice::new(ts, start, stop, step).into_c())
}

/// Writes the slice's bounds with None replaced by the ends; -1 with an exception
/// for parts that are not indices or a zero step.
#[no_mangle]
pub unsafe extern "C" fn PySlice_Unpack(
    s: *mut PyObject,
    start: *mut Py_ssize_t,
    stop: *mut Py_ssize_t,
    step: *mut Py_ssize_t,
) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, s, start, stop, step);
        if !slice::check(s) {
            errors::bad_internal_call(ts);
            return -1;
        }
        match slice::unpack(ts, s) {
            Ok((a, b, c)) => {
                // SAFETY: the caller passes writable pointers.
                unsafe {
                    *start = a;
                    *stop = b;
                    *step = c;
                }
                0
            }
            Err(_) => -1,
        }
    })
}

/// Clamps unpacked bounds to a sequence of `length` items; returns how many it selects.
#[no_mangle]
pub unsafe extern "C" fn PySlice_AdjustIndices(
    length: Py_ssize_t,
    start: *mut Py_ssize_t,
    stop: *mut Py_ssize_t,
    step: Py_ssize_t,
) -> Py_ssize_t {
    boundary::guard(|| {
        if start.is_null() || stop.is_null() || step == 0 {
            return 0;
        }
        // SAFETY: the caller passes valid pointers.
        unsafe { slice::adjust_indices(length, &mut *start, &mut *stop, step) }
    })
}

/// `PySlice_Unpack` then `PySlice_AdjustIndices`.
#[no_mangle]
pub unsafe extern "C" fn PySlice_GetIndicesEx(
    s: *mut PyObject,
    length: Py_ssize_t,
    start: *mut Py_ssize_t,
    stop: *mut Py_ssize_t,
    step: *mut Py_ssize_t,
    slicelength: *mut Py_ssize_t,
) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, s, start, stop, step, slicelength);
        if !slice::check(s) {
            errors::bad_internal_call(ts);
            return -1;
        }
        // SAFETY: the caller passes writable pointers.
        unsafe {
            match slice::unpack(ts, s) {
                Ok((mut a, mut b, c)) => {
                    *slicelength = slice::adjust_indices(length, &mut a, &mut b, c);
                    *start = a;
                    *stop = b;
                    *step = c;
                    0
                }
                Err(_) => {
                    *slicelength = 0;
                    -1
                }
            }
        }
    })
}

/// The old form: int parts only, bounds not clamped; -1 (without an exception for
/// bounds out of range) when the slice does not fit.
#[no_mangle]
pub unsafe extern "C" fn PySlice_GetIndices(
    s: *mut PyObject,
    length: Py_ssize_t,
    start: *mut Py_ssize_t,
    stop: *mut Py_ssize_t,
    step: *mut Py_ssize_t,
) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, s, start, stop, step);
        if !slice::check(s) {
            errors::bad_internal_call(ts);
            return -1;
        }
        match slice::get_indices_strict(ts, s, length) {
            Ok(Some((a, b, c))) => {
                // SAFETY: the caller passes writable pointers.
                unsafe {
                    *start = a;
                    *stop = b;
                    *step = c;
                }
                0
            }
            _ => -1,
        }
    })
}
