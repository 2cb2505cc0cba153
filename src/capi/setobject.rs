//! `setobject.h`: sets and frozensets.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::objects::set;
use crate::runtime::errors;
use core::ffi::c_int;
use core::ptr::null_mut;

/// A new set of the items of `iterable` (empty when NULL).
#[no_mangle]
pub unsafe extern "C" fn PySet_New(iterable: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| set::new_from(ts, set::set_type(), iterable).into_c())
}

/// A new frozenset of the items of `iterable` (empty when NULL).
#[no_mangle]
pub unsafe extern "C" fn PyFrozenSet_New(iterable: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| set::new_from(ts, set::frozenset_type(), iterable).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PySet_Size(anyset: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        if anyset.is_null() || !set::check_any(anyset) {
            errors::bad_internal_call(ts);
            return -1;
        }
        set::len(anyset)
    })
}

/// 1 if `key` is in the set or frozenset, 0 if not, -1 on error (an unhashable key).
#[no_mangle]
pub unsafe extern "C" fn PySet_Contains(anyset: *mut PyObject, key: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, anyset, key);
        if !set::check_any(anyset) {
            errors::bad_internal_call(ts);
            return -1;
        }
        set::contains_key(ts, anyset, key).into_c()
    })
}

/// Adds `key` to a set, or to a frozenset nobody else holds yet (refcount 1).
#[no_mangle]
pub unsafe extern "C" fn PySet_Add(anyset: *mut PyObject, key: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, anyset, key);
        let fillable = set::check_set(anyset) || (set::check_frozenset(anyset) && unsafe { (*anyset).ob_refcnt } == 1);
        if !fillable {
            errors::bad_internal_call(ts);
            return -1;
        }
        set::add(ts, anyset, key).into_c()
    })
}

/// 1 if `key` was found and removed, 0 if absent, -1 on error.
#[no_mangle]
pub unsafe extern "C" fn PySet_Discard(s: *mut PyObject, key: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, s, key);
        if !set::check_set(s) {
            errors::bad_internal_call(ts);
            return -1;
        }
        set::discard(ts, s, key).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySet_Clear(s: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        if s.is_null() || !set::check_set(s) {
            errors::bad_internal_call(ts);
            return -1;
        }
        set::clear(s);
        0
    })
}

/// Removes and returns an arbitrary key; `KeyError` when the set is empty.
#[no_mangle]
pub unsafe extern "C" fn PySet_Pop(s: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if s.is_null() || !set::check_set(s) {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        set::pop(ts, s).into_c()
    })
}
