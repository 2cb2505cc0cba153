//! `bytesobject.h`: bytes objects. `PyBytes_FromFormat(V)` are variadic, in
//! `csrc/varargs.c`.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::objects::bytes;
use crate::runtime::boundary;
use crate::runtime::errors;
use core::ffi::{c_char, c_int, CStr};
use core::ptr::null_mut;

/// A bytes object copying `size` bytes from `v`; with `v` NULL, `size` bytes for the
/// caller to fill before sharing the object.
#[no_mangle]
pub unsafe extern "C" fn PyBytes_FromStringAndSize(v: *const c_char, size: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if size < 0 {
            errors::system_error(ts, "Negative size passed to PyBytes_FromStringAndSize");
            return null_mut();
        }
        if v.is_null() {
            return bytes::alloc(ts, size as usize).into_c();
        }
        // SAFETY: the caller promises `size` readable bytes.
        bytes::from_slice(ts, unsafe { core::slice::from_raw_parts(v as *const u8, size as usize) }).into_c()
    })
}

/// A bytes object copying a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn PyBytes_FromString(v: *const c_char) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), v);
        bytes::from_slice(ts, unsafe { CStr::from_ptr(v) }.to_bytes()).into_c()
    })
}

/// The internal buffer of a bytes object (NUL-terminated, not to be modified).
#[no_mangle]
pub unsafe extern "C" fn PyBytes_AsString(o: *mut PyObject) -> *mut c_char {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        match bytes::expect(ts, o) {
            Ok(()) => bytes::as_ptr(o) as *mut c_char,
            Err(_) => null_mut(),
        }
    })
}

/// Stores the buffer and size of a bytes object. With `len` NULL, data containing a
/// NUL byte is refused (`ValueError`).
#[no_mangle]
pub unsafe extern "C" fn PyBytes_AsStringAndSize(o: *mut PyObject, s: *mut *mut c_char, len: *mut Py_ssize_t) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o, s);
        if bytes::expect(ts, o).is_err() {
            return -1;
        }
        if len.is_null() && bytes::as_slice(o).contains(&0) {
            errors::value_error(ts, "embedded null byte");
            return -1;
        }
        unsafe {
            *s = bytes::as_ptr(o) as *mut c_char;
            if !len.is_null() {
                *len = bytes::len(o);
            }
        }
        0
    })
}

/// The length of a bytes object.
#[no_mangle]
pub unsafe extern "C" fn PyBytes_Size(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        bytes::expect(ts, o).map(|()| bytes::len(o)).into_c()
    })
}

/// Replaces `*pv` by `*pv + w` (the old reference is released). On error, or when `w`
/// is NULL, `*pv` becomes NULL.
#[no_mangle]
pub unsafe extern "C" fn PyBytes_Concat(pv: *mut *mut PyObject, w: *mut PyObject) {
    api!((), |ts| {
        if pv.is_null() {
            errors::bad_internal_call(ts);
            return;
        }
        let v = unsafe { *pv };
        if v.is_null() {
            return;
        }
        // A NULL `w` just clears `*pv`, without an exception (as CPython does).
        let joined = if w.is_null() { null_mut() } else { bytes::concat(ts, v, w).unwrap_or(null_mut()) };
        unsafe {
            *pv = joined;
            crate::objects::object::decref(v);
        }
    })
}

/// `PyBytes_Concat`, then releases `w`.
#[no_mangle]
pub unsafe extern "C" fn PyBytes_ConcatAndDel(pv: *mut *mut PyObject, w: *mut PyObject) {
    boundary::guard(|| unsafe {
        PyBytes_Concat(pv, w);
        crate::objects::object::xdecref(w);
    })
}

/// `bytes(o)` for bytes and iterables of ints in range(256).
#[no_mangle]
pub unsafe extern "C" fn PyBytes_FromObject(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        bytes::from_object(ts, o).into_c()
    })
}

/// `repr(o)`; with `smartquotes` 0 the quotes are always single.
#[no_mangle]
pub unsafe extern "C" fn PyBytes_Repr(o: *mut PyObject, smartquotes: c_int) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        bytes::expect(ts, o).and_then(|()| bytes::repr(ts, o, smartquotes != 0)).into_c()
    })
}

/// Resizes a bytes object the caller is still building. On failure `*pv` is released
/// and set to NULL.
#[no_mangle]
pub unsafe extern "C" fn _PyBytes_Resize(pv: *mut *mut PyObject, newsize: Py_ssize_t) -> c_int {
    api!(-1, |ts| {
        if pv.is_null() || unsafe { (*pv).is_null() } {
            errors::bad_internal_call(ts);
            return -1;
        }
        bytes::resize(ts, unsafe { &mut *pv }, newsize).into_c()
    })
}
