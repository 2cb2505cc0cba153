//! `bytearrayobject.h`: mutable byte strings. `PyByteArray_AS_STRING` and
//! `PyByteArray_GET_SIZE` are inline reads of the layout (include/isle/types.h).

use super::{api, require, IntoC};
use crate::abi::*;
use crate::objects::bytearray;
use crate::objects::typeobject::type_name;
use crate::runtime::errors;
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

/// `TypeError` unless `o` is a bytearray (CPython only asserts it).
fn expect(ts: Ts, o: *mut PyObject) -> bool {
    if bytearray::check(o) {
        return true;
    }
    let name = type_name(crate::objects::object::type_of(o));
    errors::type_error(ts, &format!("expected bytearray, {name} found"));
    false
}

/// `bytearray(o)`.
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_FromObject(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        bytearray::from_object(ts, o).into_c()
    })
}

/// A bytearray copying `size` bytes from `v`; with `v` NULL, `size` zero bytes.
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_FromStringAndSize(v: *const c_char, size: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if size < 0 {
            errors::system_error(ts, "Negative size passed to PyByteArray_FromStringAndSize");
            return null_mut();
        }
        if v.is_null() {
            return bytearray::zeroed(ts, size as usize).into_c();
        }
        // SAFETY: the caller promises `size` readable bytes.
        bytearray::from_slice(ts, unsafe { core::slice::from_raw_parts(v as *const u8, size as usize) }).into_c()
    })
}

/// `a + b` as a new bytearray, for any two objects with a buffer.
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_Concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), a, b);
        bytearray::concat(ts, a, b).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyByteArray_Size(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        if !expect(ts, o) {
            return -1;
        }
        bytearray::len(o)
    })
}

/// The data, NUL-terminated (valid until the bytearray is resized).
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_AsString(o: *mut PyObject) -> *mut c_char {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        if !expect(ts, o) {
            return null_mut();
        }
        bytearray::as_ptr(o) as *mut c_char
    })
}

/// Gives the bytearray `size` bytes, keeping the common prefix (new bytes are
/// unspecified); `BufferError` while a view of it is exported.
#[no_mangle]
pub unsafe extern "C" fn PyByteArray_Resize(o: *mut PyObject, size: Py_ssize_t) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        if !expect(ts, o) {
            return -1;
        }
        if size < 0 {
            errors::value_error(ts, &format!("Can only resize to positive sizes, got {size}"));
            return -1;
        }
        bytearray::set_len(ts, o, size as usize).into_c()
    })
}
