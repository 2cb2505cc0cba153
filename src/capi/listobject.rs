//! `listobject.h`: lists.
//!
//! As in CPython, a NULL or non-list first argument is a `SystemError` (bad internal
//! call), except for `PyList_GetItemRef`, which raises `TypeError`.

use super::{api, IntoC};
use crate::abi::*;
use crate::objects::{list, object};
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::c_int;
use core::ptr::null_mut;

fn list_arg(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() || !list::check(o) {
        return Err(errors::bad_internal_call(ts));
    }
    Ok(o)
}

/// A list of `n` NULL slots, to be filled with `PyList_SetItem`/`PyList_SET_ITEM`.
#[no_mangle]
pub unsafe extern "C" fn PyList_New(n: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| list::new(ts, n).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyList_Size(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| list_arg(ts, o).map(list::size).into_c())
}

/// The item at `i`, borrowed.
#[no_mangle]
pub unsafe extern "C" fn PyList_GetItem(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| list_arg(ts, o).and_then(|l| list::get_item(ts, l, i)).into_c())
}

/// The item at `i`, as a new reference.
#[no_mangle]
pub unsafe extern "C" fn PyList_GetItemRef(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if o.is_null() || !list::check(o) {
            errors::type_error(ts, "expected a list");
            return null_mut();
        }
        match list::get_item(ts, o, i) {
            Ok(it) if !it.is_null() => unsafe { object::new_ref(it) },
            Ok(_) => {
                // A slot not filled yet reads as out of range, as in CPython.
                errors::index_error(ts, "list index out of range");
                null_mut()
            }
            Err(_) => null_mut(),
        }
    })
}

/// Stores `v` at `i`, taking over the caller's reference even when it fails.
#[no_mangle]
pub unsafe extern "C" fn PyList_SetItem(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        if o.is_null() || !list::check(o) {
            unsafe { object::xdecref(v) };
            errors::bad_internal_call(ts);
            return -1;
        }
        list::set_item_owned(ts, o, i, v).into_c()
    })
}

/// Inserts `v` before index `where_` (negative counts from the end; clamped).
#[no_mangle]
pub unsafe extern "C" fn PyList_Insert(o: *mut PyObject, where_: Py_ssize_t, v: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        super::require!(ts, -1, v);
        list_arg(ts, o).and_then(|l| list::insert(ts, l, where_, v)).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyList_Append(o: *mut PyObject, v: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        super::require!(ts, -1, v);
        list_arg(ts, o).and_then(|l| list::append(ts, l, v)).into_c()
    })
}

/// Appends every item of `iterable`.
#[no_mangle]
pub unsafe extern "C" fn PyList_Extend(o: *mut PyObject, iterable: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        super::require!(ts, -1, iterable);
        list_arg(ts, o).and_then(|l| list::extend(ts, l, iterable)).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyList_Clear(o: *mut PyObject) -> c_int {
    api!(-1, |ts| list_arg(ts, o).map(list::clear).into_c())
}

/// `o[low:high]` as a new list; bounds are clamped, negative ones count as 0.
#[no_mangle]
pub unsafe extern "C" fn PyList_GetSlice(o: *mut PyObject, low: Py_ssize_t, high: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| list_arg(ts, o).and_then(|l| list::slice(ts, l, low, high)).into_c())
}

/// `o[low:high] = items`, or `del o[low:high]` when `items` is NULL. `items` may be
/// any iterable, the list itself included.
#[no_mangle]
pub unsafe extern "C" fn PyList_SetSlice(
    o: *mut PyObject,
    low: Py_ssize_t,
    high: Py_ssize_t,
    items: *mut PyObject,
) -> c_int {
    api!(-1, |ts| {
        let replacement = if items.is_null() { None } else { Some(items) };
        list_arg(ts, o).and_then(|l| list::set_slice(ts, l, low, high, replacement)).into_c()
    })
}

/// Sorts in place, stably, with `<`.
#[no_mangle]
pub unsafe extern "C" fn PyList_Sort(o: *mut PyObject) -> c_int {
    api!(-1, |ts| list_arg(ts, o).and_then(|l| list::sort(ts, l)).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyList_Reverse(o: *mut PyObject) -> c_int {
    api!(-1, |ts| list_arg(ts, o).map(list::reverse).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyList_AsTuple(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| list_arg(ts, o).and_then(|l| list::as_tuple(ts, l)).into_c())
}
