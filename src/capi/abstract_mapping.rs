//! `abstract.h`, item access and the mapping part: `PyObject_GetItem`/`SetItem`/
//! `DelItem`, `PyMapping_*`.

use super::{api, c_str, require, IntoC};
use crate::abi::*;
use crate::protocols::mapping::{self, View};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::report;
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

#[no_mangle]
pub unsafe extern "C" fn PyObject_GetItem(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o, key);
        mapping::get_item(ts, o, key).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_SetItem(o: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o, key, v);
        mapping::set_item(ts, o, key, v).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_DelItem(o: *mut PyObject, key: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o, key);
        mapping::set_item(ts, o, key, null_mut()).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_DelItemString(o: *mut PyObject, key: *const c_char) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        unsafe { c_str(ts, key) }.and_then(|k| mapping::set_item_str(ts, o, k, null_mut())).into_c()
    })
}

/// 1 if `o` supports `o[key]` (its type has `mp_subscript`), else 0.
#[no_mangle]
pub unsafe extern "C" fn PyMapping_Check(o: *mut PyObject) -> c_int {
    boundary::guard(|| (!o.is_null() && mapping::check(o)) as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn PyMapping_Size(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        mapping::size(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyMapping_Length(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        mapping::size(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyMapping_GetItemString(o: *mut PyObject, key: *const c_char) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o, key);
        unsafe { c_str(ts, key) }.and_then(|k| mapping::get_item_str(ts, o, k)).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyMapping_SetItemString(o: *mut PyObject, key: *const c_char, v: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o, key, v);
        unsafe { c_str(ts, key) }.and_then(|k| mapping::set_item_str(ts, o, k, v)).into_c()
    })
}

/// Stores an optional result: 1 and the value, 0 and NULL when absent, -1 and NULL
/// on error.
unsafe fn optional_out(r: PyResult<Option<*mut PyObject>>, result: *mut *mut PyObject) -> c_int {
    let (status, value) = match r {
        Ok(Some(v)) => (1, v),
        Ok(None) => (0, null_mut()),
        Err(_) => (-1, null_mut()),
    };
    // SAFETY: the caller passes a writable pointer.
    unsafe { *result = value };
    status
}

/// `o[key]` with a missing key not an error: 1 and a new reference in `*result`,
/// 0 and NULL when `key` is absent, -1 and NULL on error.
#[no_mangle]
pub unsafe extern "C" fn PyMapping_GetOptionalItem(
    o: *mut PyObject,
    key: *mut PyObject,
    result: *mut *mut PyObject,
) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, result);
        if o.is_null() || key.is_null() {
            unsafe { *result = null_mut() };
            errors::bad_internal_call(ts);
            return -1;
        }
        unsafe { optional_out(mapping::get_optional(ts, o, key), result) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyMapping_GetOptionalItemString(
    o: *mut PyObject,
    key: *const c_char,
    result: *mut *mut PyObject,
) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, result);
        if o.is_null() || key.is_null() {
            unsafe { *result = null_mut() };
            errors::bad_internal_call(ts);
            return -1;
        }
        let r = unsafe { c_str(ts, key) }.and_then(|k| mapping::get_optional_str(ts, o, k));
        unsafe { optional_out(r, result) }
    })
}

fn has(r: PyResult<Option<*mut PyObject>>) -> c_int {
    match r {
        Ok(Some(v)) => {
            unsafe { crate::objects::object::decref(v) };
            1
        }
        Ok(None) => 0,
        Err(_) => -1,
    }
}

/// 1 if `o[key]` exists, 0 if `key` is missing, -1 on any other error.
#[no_mangle]
pub unsafe extern "C" fn PyMapping_HasKeyWithError(o: *mut PyObject, key: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o, key);
        has(mapping::get_optional(ts, o, key))
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyMapping_HasKeyStringWithError(o: *mut PyObject, key: *const c_char) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o, key);
        has(unsafe { c_str(ts, key) }.and_then(|k| mapping::get_optional_str(ts, o, k)))
    })
}

/// An error the old `HasKey` functions cannot report: printed, as CPython 3.13 does,
/// and cleared.
fn ignore_error(ts: Ts, message: &str) -> c_int {
    eprintln!("{message}:");
    report::write_unraisable(ts, null_mut());
    0
}

/// 1 if `o[key]` exists, else 0; errors are printed and cleared.
#[no_mangle]
pub unsafe extern "C" fn PyMapping_HasKey(o: *mut PyObject, key: *mut PyObject) -> c_int {
    api!(0, |ts| {
        let found = if o.is_null() || key.is_null() {
            errors::bad_internal_call(ts);
            -1
        } else {
            has(mapping::get_optional(ts, o, key))
        };
        if found >= 0 {
            return found;
        }
        ignore_error(
            ts,
            "Exception ignored in PyMapping_HasKey(); consider using PyMapping_HasKeyWithError(), \
             PyMapping_GetOptionalItem() or PyObject_GetItem()",
        )
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyMapping_HasKeyString(o: *mut PyObject, key: *const c_char) -> c_int {
    api!(0, |ts| {
        let found = if o.is_null() || key.is_null() {
            errors::bad_internal_call(ts);
            -1
        } else {
            has(unsafe { c_str(ts, key) }.and_then(|k| mapping::get_optional_str(ts, o, k)))
        };
        if found >= 0 {
            return found;
        }
        ignore_error(
            ts,
            "Exception ignored in PyMapping_HasKeyString(); consider using \
             PyMapping_HasKeyStringWithError(), PyMapping_GetOptionalItemString() or PyMapping_GetItemString()",
        )
    })
}

/// A list of the keys: a dict's directly, any other mapping's from its `keys()`.
#[no_mangle]
pub unsafe extern "C" fn PyMapping_Keys(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        mapping::view_list(ts, o, View::Keys).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyMapping_Values(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        mapping::view_list(ts, o, View::Values).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyMapping_Items(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        mapping::view_list(ts, o, View::Items).into_c()
    })
}
