//! `abstract.h`, the sequence part: `PySequence_*`.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::protocols::sequence::{self, Search};
use crate::runtime::boundary;
use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

/// 1 if `o` supports `o[i]` for ints (and is not a dict), else 0.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Check(o: *mut PyObject) -> c_int {
    boundary::guard(|| (!o.is_null() && sequence::check(o)) as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn PySequence_Size(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        sequence::size(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySequence_Length(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        sequence::size(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySequence_Concat(s: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), s, o);
        sequence::concat(ts, s, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySequence_InPlaceConcat(s: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), s, o);
        sequence::inplace_concat(ts, s, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySequence_Repeat(o: *mut PyObject, count: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        sequence::repeat(ts, o, count).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySequence_InPlaceRepeat(o: *mut PyObject, count: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        sequence::inplace_repeat(ts, o, count).into_c()
    })
}

/// `o[i]`; a negative `i` counts from the end.
#[no_mangle]
pub unsafe extern "C" fn PySequence_GetItem(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        sequence::get_item(ts, o, i).into_c()
    })
}

/// `o[i] = v` (`v` is not stolen); a NULL `v` deletes, as `PySequence_DelItem`.
#[no_mangle]
pub unsafe extern "C" fn PySequence_SetItem(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        sequence::set_item(ts, o, i, v).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySequence_DelItem(o: *mut PyObject, i: Py_ssize_t) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        sequence::set_item(ts, o, i, null_mut()).into_c()
    })
}

/// `o[i1:i2]`.
#[no_mangle]
pub unsafe extern "C" fn PySequence_GetSlice(o: *mut PyObject, i1: Py_ssize_t, i2: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        sequence::get_slice(ts, o, i1, i2).into_c()
    })
}

/// `o[i1:i2] = v`; a NULL `v` deletes.
#[no_mangle]
pub unsafe extern "C" fn PySequence_SetSlice(
    o: *mut PyObject,
    i1: Py_ssize_t,
    i2: Py_ssize_t,
    v: *mut PyObject,
) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        sequence::set_slice(ts, o, i1, i2, v).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySequence_DelSlice(o: *mut PyObject, i1: Py_ssize_t, i2: Py_ssize_t) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        sequence::set_slice(ts, o, i1, i2, null_mut()).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySequence_Tuple(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        sequence::to_tuple(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PySequence_List(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        sequence::to_list(ts, o).into_c()
    })
}

/// An exact list or tuple as it is, anything else iterable as a new list; `TypeError`
/// with the message `m` when `o` is not iterable.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Fast(o: *mut PyObject, m: *const c_char) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        let message = if m.is_null() {
            String::new()
        } else {
            // SAFETY: the caller passes a NUL-terminated message.
            unsafe { core::ffi::CStr::from_ptr(m) }.to_string_lossy().into_owned()
        };
        sequence::fast(ts, o, &message).into_c()
    })
}

/// How many items of `o` equal `value`.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Count(o: *mut PyObject, value: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o, value);
        sequence::search(ts, o, value, Search::Count).into_c()
    })
}

/// 1 if an item of `seq` equals `ob`, 0 if none does, -1 on error.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Contains(seq: *mut PyObject, ob: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, seq, ob);
        sequence::contains(ts, seq, ob).into_c()
    })
}

/// The old name of `PySequence_Contains`.
#[no_mangle]
pub unsafe extern "C" fn PySequence_In(seq: *mut PyObject, ob: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, seq, ob);
        sequence::contains(ts, seq, ob).into_c()
    })
}

/// The index of the first item of `o` equal to `value`; `ValueError` if none.
#[no_mangle]
pub unsafe extern "C" fn PySequence_Index(o: *mut PyObject, value: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o, value);
        sequence::search(ts, o, value, Search::Index).into_c()
    })
}
