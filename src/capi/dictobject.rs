//! `dictobject.h`: dicts.
//!
//! As in CPython, a NULL or non-dict first argument is a `SystemError` (bad internal
//! call), except where CPython quietly answers "nothing": `PyDict_GetItem`,
//! `PyDict_GetItemString`, `PyDict_Next` and `PyDict_Clear`.

use super::{api, boundary, c_str, require, IntoC};
use crate::abi::*;
use crate::objects::object::decref;
use crate::objects::{dict, unicode};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

fn dict_arg(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() || !dict::check(o) {
        return Err(errors::bad_internal_call(ts));
    }
    Ok(o)
}

/// Runs `f` with a new str made from the C string `key`, released afterwards.
unsafe fn with_str_key<T>(ts: Ts, key: *const c_char, f: impl FnOnce(*mut PyObject) -> PyResult<T>) -> PyResult<T> {
    let k = unsafe { c_str(ts, key) }.and_then(|s| unicode::from_str(ts, s))?;
    let r = f(k);
    unsafe { decref(k) };
    r
}

/// Writes `value` through `result` when the caller gave a place for it, else releases
/// the reference.
unsafe fn store_result(result: *mut *mut PyObject, value: *mut PyObject) {
    if result.is_null() {
        unsafe { crate::objects::object::xdecref(value) };
    } else {
        unsafe { *result = value };
    }
}

/// The `*result` convention of the `...Ref` functions: 1 and a new reference when
/// found, 0 and NULL when absent, -1 and NULL on error.
unsafe fn found_ref(found: PyResult<Option<*mut PyObject>>, result: *mut *mut PyObject) -> c_int {
    let (code, value) = match found {
        Ok(Some(v)) => (1, unsafe { crate::objects::object::new_ref(v) }),
        Ok(None) => (0, null_mut()),
        Err(Raised) => (-1, null_mut()),
    };
    unsafe { store_result(result, value) };
    code
}

#[no_mangle]
pub unsafe extern "C" fn PyDict_New() -> *mut PyObject {
    api!(null_mut(), |ts| dict::new(ts).into_c())
}

/// The value for `key`, borrowed, or NULL. Never raises: errors from hashing or
/// comparing are discarded and any exception already set is kept.
#[no_mangle]
pub unsafe extern "C" fn PyDict_GetItem(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if o.is_null() || key.is_null() || !dict::check(o) {
            return null_mut();
        }
        errors::preserving(ts, || dict::get_item(ts, o, key)).ok().flatten().unwrap_or(null_mut())
    })
}

/// The value for `key`, borrowed; NULL without an exception when absent.
#[no_mangle]
pub unsafe extern "C" fn PyDict_GetItemWithError(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), key);
        dict_arg(ts, o).and_then(|d| dict::get_item(ts, d, key)).map(|v| v.unwrap_or(null_mut())).into_c()
    })
}

/// Looks `key` up: 1 with a new reference in `*result`, 0 when absent, -1 on error.
#[no_mangle]
pub unsafe extern "C" fn PyDict_GetItemRef(o: *mut PyObject, key: *mut PyObject, result: *mut *mut PyObject) -> c_int {
    api!(-1, |ts| {
        let found = if key.is_null() {
            Err(errors::bad_internal_call(ts))
        } else {
            dict_arg(ts, o).and_then(|d| dict::get_item(ts, d, key))
        };
        unsafe { found_ref(found, result) }
    })
}

/// `PyDict_GetItem` with a UTF-8 key; never raises.
#[no_mangle]
pub unsafe extern "C" fn PyDict_GetItemString(o: *mut PyObject, key: *const c_char) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if o.is_null() || key.is_null() || !dict::check(o) {
            return null_mut();
        }
        let found = errors::preserving(ts, || unsafe { with_str_key(ts, key, |k| dict::get_item(ts, o, k)) });
        found.ok().flatten().unwrap_or(null_mut())
    })
}

/// `PyDict_GetItemRef` with a UTF-8 key.
#[no_mangle]
pub unsafe extern "C" fn PyDict_GetItemStringRef(
    o: *mut PyObject,
    key: *const c_char,
    result: *mut *mut PyObject,
) -> c_int {
    api!(-1, |ts| {
        let found = dict_arg(ts, o).and_then(|d| unsafe { with_str_key(ts, key, |k| dict::get_item(ts, d, k)) });
        unsafe { found_ref(found, result) }
    })
}

/// `o[key] = value`; neither reference is taken over.
#[no_mangle]
pub unsafe extern "C" fn PyDict_SetItem(o: *mut PyObject, key: *mut PyObject, value: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, key, value);
        dict_arg(ts, o).and_then(|d| dict::set_item(ts, d, key, value)).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyDict_SetItemString(o: *mut PyObject, key: *const c_char, value: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, value);
        dict_arg(ts, o).and_then(|d| unsafe { with_str_key(ts, key, |k| dict::set_item(ts, d, k, value)) }).into_c()
    })
}

/// `del o[key]`; `KeyError` when absent.
#[no_mangle]
pub unsafe extern "C" fn PyDict_DelItem(o: *mut PyObject, key: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, key);
        dict_arg(ts, o).and_then(|d| dict::del_item_or_raise(ts, d, key)).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyDict_DelItemString(o: *mut PyObject, key: *const c_char) -> c_int {
    api!(-1, |ts| {
        dict_arg(ts, o).and_then(|d| unsafe { with_str_key(ts, key, |k| dict::del_item_or_raise(ts, d, k)) }).into_c()
    })
}

/// `key in o`: 1, 0, or -1 on error.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Contains(o: *mut PyObject, key: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, key);
        dict_arg(ts, o).and_then(|d| dict::contains(ts, d, key)).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyDict_ContainsString(o: *mut PyObject, key: *const c_char) -> c_int {
    api!(-1, |ts| {
        dict_arg(ts, o).and_then(|d| unsafe { with_str_key(ts, key, |k| dict::contains(ts, d, k)) }).into_c()
    })
}

/// Steps through the entries in insertion order: the entry at or after `*ppos`,
/// borrowed, and `*ppos` moved past it. Replacing values during the walk is fine;
/// adding or removing keys is not.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Next(
    o: *mut PyObject,
    ppos: *mut Py_ssize_t,
    pkey: *mut *mut PyObject,
    pvalue: *mut *mut PyObject,
) -> c_int {
    boundary!(0, {
        if o.is_null() || ppos.is_null() || !dict::check(o) {
            return 0;
        }
        let Some(e) = dict::next(o, unsafe { &mut *ppos }) else { return 0 };
        unsafe {
            if !pkey.is_null() {
                *pkey = e.key;
            }
            if !pvalue.is_null() {
                *pvalue = e.value;
            }
        }
        1
    })
}

/// A new list of the keys.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Keys(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| dict_arg(ts, o).and_then(|d| dict::keys(ts, d)).into_c())
}

/// A new list of the values.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Values(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| dict_arg(ts, o).and_then(|d| dict::values(ts, d)).into_c())
}

/// A new list of `(key, value)` tuples.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Items(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| dict_arg(ts, o).and_then(|d| dict::items(ts, d)).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyDict_Size(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| dict_arg(ts, o).map(dict::len).into_c())
}

/// A shallow copy.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Copy(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| dict_arg(ts, o).and_then(|d| dict::copy(ts, d)).into_c())
}

/// `a.update(b)`: `b`'s pairs win.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Update(a: *mut PyObject, b: *mut PyObject) -> c_int {
    boundary::guard(|| unsafe { PyDict_Merge(a, b, 1) })
}

/// Adds the pairs of mapping `b` to `a`; existing keys take `b`'s value only when
/// `override_` is non-zero.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Merge(a: *mut PyObject, b: *mut PyObject, override_: c_int) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, b);
        dict_arg(ts, a).and_then(|d| dict::merge(ts, d, b, override_ != 0)).into_c()
    })
}

/// Adds the pairs of `seq2`, an iterable of 2-item iterables.
#[no_mangle]
pub unsafe extern "C" fn PyDict_MergeFromSeq2(a: *mut PyObject, seq2: *mut PyObject, override_: c_int) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, seq2);
        dict_arg(ts, a).and_then(|d| dict::merge_from_pairs(ts, d, seq2, override_ != 0)).into_c()
    })
}

/// `o.setdefault(key, default)`, borrowed.
#[no_mangle]
pub unsafe extern "C" fn PyDict_SetDefault(
    o: *mut PyObject,
    key: *mut PyObject,
    default: *mut PyObject,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), key, default);
        dict_arg(ts, o).and_then(|d| dict::set_default(ts, d, key, default)).map(|(v, _)| v).into_c()
    })
}

/// `o.setdefault(key, default)`: 1 when the key was present, 0 when `default` was
/// inserted, -1 on error; the value now stored goes to `*result` as a new reference.
#[no_mangle]
pub unsafe extern "C" fn PyDict_SetDefaultRef(
    o: *mut PyObject,
    key: *mut PyObject,
    default: *mut PyObject,
    result: *mut *mut PyObject,
) -> c_int {
    api!(-1, |ts| {
        let r = if key.is_null() || default.is_null() {
            Err(errors::bad_internal_call(ts))
        } else {
            dict_arg(ts, o).and_then(|d| dict::set_default(ts, d, key, default))
        };
        match r {
            Ok((v, inserted)) => unsafe {
                found_ref(Ok(Some(v)), result);
                c_int::from(!inserted)
            },
            Err(e) => unsafe { found_ref(Err(e), result) },
        }
    })
}

/// Removes `key`: 1 with its value in `*result` (released when `result` is NULL), 0
/// when absent (no `KeyError`), -1 on error.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Pop(o: *mut PyObject, key: *mut PyObject, result: *mut *mut PyObject) -> c_int {
    api!(-1, |ts| {
        let popped = if key.is_null() { Err(errors::bad_internal_call(ts)) } else { pop(ts, o, key) };
        unsafe { popped_result(popped, result) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyDict_PopString(o: *mut PyObject, key: *const c_char, result: *mut *mut PyObject) -> c_int {
    api!(-1, |ts| {
        let popped = dict_arg(ts, o).and_then(|d| unsafe { with_str_key(ts, key, |k| pop(ts, d, k)) });
        unsafe { popped_result(popped, result) }
    })
}

/// Pops from a non-empty dict; an empty one answers "absent" without hashing the key.
fn pop(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    let d = dict_arg(ts, o)?;
    if dict::len(d) == 0 {
        return Ok(None);
    }
    dict::pop_item(ts, d, key)
}

/// Like `found_ref`, but the popped value is already a new reference.
unsafe fn popped_result(popped: PyResult<Option<*mut PyObject>>, result: *mut *mut PyObject) -> c_int {
    let (code, value) = match popped {
        Ok(Some(v)) => (1, v),
        Ok(None) => (0, null_mut()),
        Err(Raised) => (-1, null_mut()),
    };
    unsafe { store_result(result, value) };
    code
}

/// Removes every entry; a NULL or non-dict argument is ignored.
#[no_mangle]
pub unsafe extern "C" fn PyDict_Clear(o: *mut PyObject) {
    boundary!((), {
        if !o.is_null() && dict::check(o) {
            dict::clear(o);
        }
    })
}
