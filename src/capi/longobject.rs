//! `longobject.h`: ints.
//!
//! The `PyLong_As*` functions return -1 (or `(unsigned)-1`, `-1.0`, NULL) with an
//! exception set on failure. `AsLong`, `AsInt`, `AsLongLong`, the `*AndOverflow` and
//! `*Mask` variants accept any object with `__index__`; the others want an int.

use super::{api, boundary, require, IntoC};
use crate::abi::*;
use crate::objects::{long, unicode};
use crate::runtime::boundary;
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
    boundary::guard(|| {
        // The common case needs no thread state: an exact int of one digit or none.
        if let Some(v) = (!o.is_null()).then(|| long::exact_small_value(o)).flatten() {
            return v;
        }
        api!(-1, |ts| {
            require!(ts, -1, o);
            long::as_long(ts, o).unwrap_or(-1)
        })
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
    boundary::guard(|| unsafe { PyLong_AsLongAndOverflow(o, overflow) })
}

/// Copies `v` into `n_bytes` bytes at `buffer` as two's complement, in the byte order
/// and with the checks `flags` selects (`Py_ASNATIVEBYTES_*`, -1 for a C-like cast).
/// Returns the bytes the value needs (more than `n_bytes` when it was truncated), or
/// -1 with an exception set.
#[no_mangle]
pub unsafe extern "C" fn PyLong_AsNativeBytes(
    v: *mut PyObject,
    buffer: *mut c_void,
    n_bytes: Py_ssize_t,
    flags: c_int,
) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, v);
        if n_bytes < 0 || (n_bytes > 0 && buffer.is_null()) {
            errors::bad_internal_call(ts);
            return -1;
        }
        let buf: &mut [u8] = if n_bytes == 0 {
            &mut []
        } else {
            // SAFETY: the caller passes `n_bytes` writable bytes at `buffer`.
            unsafe { core::slice::from_raw_parts_mut(buffer as *mut u8, n_bytes as usize) }
        };
        long::as_native_bytes(ts, v, buf, flags).map(|n| n as Py_ssize_t).into_c()
    })
}

/// The int held in `n_bytes` bytes of two's complement at `buffer` (unsigned with
/// `Py_ASNATIVEBYTES_UNSIGNED_BUFFER`).
#[no_mangle]
pub unsafe extern "C" fn PyLong_FromNativeBytes(buffer: *const c_void, n_bytes: usize, flags: c_int) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), buffer);
        // SAFETY: the caller passes `n_bytes` readable bytes at `buffer`.
        let bytes = unsafe { core::slice::from_raw_parts(buffer as *const u8, n_bytes) };
        long::from_native_bytes(ts, bytes, flags, true).into_c()
    })
}

/// The non-negative int held in `n_bytes` bytes at `buffer`.
#[no_mangle]
pub unsafe extern "C" fn PyLong_FromUnsignedNativeBytes(
    buffer: *const c_void,
    n_bytes: usize,
    flags: c_int,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), buffer);
        // SAFETY: the caller passes `n_bytes` readable bytes at `buffer`.
        let bytes = unsafe { core::slice::from_raw_parts(buffer as *const u8, n_bytes) };
        long::from_native_bytes(ts, bytes, flags, false).into_c()
    })
}

/// -1, 0 or 1 by the sign of the int `v` (no error case).
#[no_mangle]
pub unsafe extern "C" fn _PyLong_Sign(v: *mut PyObject) -> c_int {
    boundary!(0, if v.is_null() || !long::check(v) { 0 } else { long::sign(v) })
}

/// The number of bits of the magnitude of the int `v`: 0 for 0, 2 for 3 and -3.
#[no_mangle]
pub unsafe extern "C" fn _PyLong_NumBits(v: *mut PyObject) -> usize {
    api!(usize::MAX, |ts| {
        require!(ts, usize::MAX, v);
        if !long::check(v) {
            errors::bad_internal_call(ts);
            return usize::MAX;
        }
        long::bit_length(v) as usize
    })
}

/// Whether the int `op` has at most one digit (the exported twin of the inline
/// `PyUnstable_Long_IsCompact` of `cpython/longintrepr.h`).
#[no_mangle]
pub unsafe extern "C" fn PyUnstable_Long_IsCompact(op: *const PyLongObject) -> c_int {
    boundary!(0, (!op.is_null() && long::is_compact(op as *mut PyObject)) as c_int)
}

/// The value of a compact int (the exported twin of the inline function).
#[no_mangle]
pub unsafe extern "C" fn PyUnstable_Long_CompactValue(op: *const PyLongObject) -> Py_ssize_t {
    boundary!(0, if op.is_null() { 0 } else { long::compact_value(op as *mut PyObject) })
}
