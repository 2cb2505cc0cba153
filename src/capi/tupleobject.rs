//! `tupleobject.h`: tuples.

use super::{api, IntoC};
use crate::abi::*;
use crate::objects::{object, tuple};
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ptr::null_mut;

/// A tuple of `n` NULL slots, to be filled with `PyTuple_SetItem`/`PyTuple_SET_ITEM`.
#[no_mangle]
pub unsafe extern "C" fn PyTuple_New(n: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if n < 0 {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        if n == 0 {
            return tuple::empty();
        }
        tuple::new(ts, n).into_c()
    })
}

/// `o` itself when it is a tuple, else `SystemError` (CPython's answer to a wrong
/// argument here).
fn tuple_arg(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() || !tuple::check(o) {
        return Err(errors::bad_internal_call(ts));
    }
    Ok(o)
}

#[no_mangle]
pub unsafe extern "C" fn PyTuple_Size(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| tuple_arg(ts, o).map(tuple::size).into_c())
}

/// The item at `i`, borrowed.
#[no_mangle]
pub unsafe extern "C" fn PyTuple_GetItem(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| tuple_arg(ts, o).and_then(|t| tuple::get_item(ts, t, i)).into_c())
}

/// Stores `v` at `i`, taking over the caller's reference even when it fails. Only for
/// a tuple still private to its creator (refcount 1).
#[no_mangle]
pub unsafe extern "C" fn PyTuple_SetItem(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> core::ffi::c_int {
    api!(-1, |ts| {
        if o.is_null() {
            unsafe { object::xdecref(v) };
            errors::bad_internal_call(ts);
            return -1;
        }
        tuple::set_item_owned(ts, o, i, v).into_c()
    })
}

/// `o[low:high]`; out-of-range bounds are clamped, negative ones count as 0.
#[no_mangle]
pub unsafe extern "C" fn PyTuple_GetSlice(o: *mut PyObject, low: Py_ssize_t, high: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| tuple_arg(ts, o).and_then(|t| tuple::slice(ts, t, low, high)).into_c())
}

/// Resizes the tuple in `*pv`, which must not be shared yet; on failure the tuple is
/// released and `*pv` set to NULL.
#[no_mangle]
pub unsafe extern "C" fn _PyTuple_Resize(pv: *mut *mut PyObject, newsize: Py_ssize_t) -> core::ffi::c_int {
    api!(-1, |ts| {
        if pv.is_null() {
            errors::bad_internal_call(ts);
            return -1;
        }
        tuple::resize(ts, unsafe { &mut *pv }, newsize).into_c()
    })
}
