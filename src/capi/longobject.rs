//! `longobject.h`: ints.
//!
//! The `PyLong_As*` functions return -1 (or `(unsigned)-1`, `-1.0`, NULL) with an
//! exception set on failure. `AsLong`, `AsInt`, `AsLongLong`, the `*AndOverflow` and
//! `*Mask` variants accept any object with `__index__`; the others want an int.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::objects::{long, unicode};
use crate::runtime::errors;
use core::ffi::{c_char, c_int, c_long, c_longlong, c_ulong, c_ulonglong, c_void, CStr};
use core::ptr::null_mut;

#[no_mangle]
pub unsafe extern "C" fn PyLong_FromLong(v: c_long) -> *mut PyObject {
    api!(null_mut(), |ts| long::from_i64(ts, v).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_FromSsize_t(v: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| long::from_i64(ts, v as i64).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_FromSize_t(v: usize) -> *mut PyObject {
    api!(null_mut(), |ts| long::from_u64(ts, v as u64).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_FromLongLong(v: c_longlong) -> *mut PyObject {
    api!(null_mut(), |ts| long::from_i64(ts, v).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_FromUnsignedLong(v: c_ulong) -> *mut PyObject {
    api!(null_mut(), |ts| long::from_u64(ts, v).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_FromUnsignedLongLong(v: c_ulonglong) -> *mut PyObject {
    api!(null_mut(), |ts| long::from_u64(ts, v).into_c())
}

/// The integral part of `v`; `OverflowError` for infinities, `ValueError` for NaN.
#[no_mangle]
pub unsafe extern "C" fn PyLong_FromDouble(v: f64) -> *mut PyObject {
    api!(null_mut(), |ts| long::from_f64(ts, v).into_c())
}

/// Parses `s` in `base` (0 or 2..36); `*pend` receives where parsing stopped.
#[no_mangle]
pub unsafe extern "C" fn PyLong_FromString(s: *const c_char, pend: *mut *mut c_char, base: c_int) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), s);
        // SAFETY: the caller passes a NUL-terminated string.
        let text = unsafe { CStr::from_ptr(s) }.to_bytes();
        let (result, end) = long::parse_c_text(ts, text, base);
        if let (Some(end), false) = (end, pend.is_null()) {
            // SAFETY: `end` is within the string; `pend` is writable.
            unsafe { *pend = s.add(end) as *mut c_char };
        }
        result.into_c()
    })
}

/// `int(u, base)` for a str `u`.
#[no_mangle]
pub unsafe extern "C" fn PyLong_FromUnicodeObject(u: *mut PyObject, base: c_int) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), u);
        if !unicode::check(u) {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        long::from_unicode(ts, u, base).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_FromVoidPtr(p: *mut c_void) -> *mut PyObject {
    api!(null_mut(), |ts| long::from_u64(ts, p as usize as u64).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_AsLong(o: *mut PyObject) -> c_long {
    api!(-1, |ts| {
        require!(ts, -1, o);
        long::as_long(ts, o).unwrap_or(-1)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_AsInt(o: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        long::as_int(ts, o).unwrap_or(-1)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_AsSsize_t(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        long::as_ssize(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_AsSize_t(o: *mut PyObject) -> usize {
    api!(usize::MAX, |ts| {
        require!(ts, usize::MAX, o);
        long::as_size_t(ts, o).unwrap_or(usize::MAX)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_AsLongLong(o: *mut PyObject) -> c_longlong {
    api!(-1, |ts| {
        require!(ts, -1, o);
        long::as_long_long(ts, o).unwrap_or(-1)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_AsUnsignedLong(o: *mut PyObject) -> c_ulong {
    api!(c_ulong::MAX, |ts| {
        require!(ts, c_ulong::MAX, o);
        long::as_unsigned_long(ts, o).unwrap_or(c_ulong::MAX)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_AsUnsignedLongLong(o: *mut PyObject) -> c_ulonglong {
    api!(c_ulonglong::MAX, |ts| {
        require!(ts, c_ulonglong::MAX, o);
        long::as_unsigned_long_long(ts, o).unwrap_or(c_ulonglong::MAX)
    })
}

/// The value modulo 2**64 (no overflow check).
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsUnsignedLongMask(o: *mut PyObject) -> c_ulong {
    api!(c_ulong::MAX, |ts| {
        require!(ts, c_ulong::MAX, o);
        long::as_unsigned_mask(ts, o).unwrap_or(c_ulong::MAX)
    })
}

/// The value modulo 2**64 (no overflow check).
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsUnsignedLongLongMask(o: *mut PyObject) -> c_ulonglong {
    api!(c_ulonglong::MAX, |ts| {
        require!(ts, c_ulonglong::MAX, o);
        long::as_unsigned_mask(ts, o).unwrap_or(c_ulonglong::MAX)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_AsDouble(o: *mut PyObject) -> f64 {
    api!(-1.0, |ts| {
        require!(ts, -1.0, o);
        long::as_double(ts, o).unwrap_or(-1.0)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_AsVoidPtr(o: *mut PyObject) -> *mut c_void {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        long::as_void_ptr(ts, o).map_or(null_mut(), |v| v as *mut c_void)
    })
}

/// Like `PyLong_AsLong`, but overflow sets `*overflow` to 1 or -1 (and returns -1)
/// instead of raising.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsLongAndOverflow(o: *mut PyObject, overflow: *mut c_int) -> c_long {
    api!(-1, |ts| {
        require!(ts, -1, overflow);
        // SAFETY: `overflow` is writable.
        unsafe { *overflow = 0 };
        require!(ts, -1, o);
        match long::as_i64_and_overflow(ts, o) {
            Ok((v, flag)) => {
                unsafe { *overflow = flag };
                v
            }
            Err(_) => -1,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyLong_AsLongLongAndOverflow(o: *mut PyObject, overflow: *mut c_int) -> c_longlong {
    unsafe { PyLong_AsLongAndOverflow(o, overflow) }
}
