//! `unicodeobject.h`: str objects.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::objects::unicode;
use crate::runtime::errors;
use core::ffi::c_char;
use core::ptr::null_mut;

/// A str from `size` bytes of UTF-8 (NUL bytes allowed); `UnicodeDecodeError` on bad input.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromStringAndSize(s: *const c_char, size: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if size < 0 {
            errors::system_error(ts, "Negative size passed to PyUnicode_FromStringAndSize");
            return null_mut();
        }
        if s.is_null() && size > 0 {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        let bytes =
            if size == 0 { &[][..] } else { unsafe { core::slice::from_raw_parts(s as *const u8, size as usize) } };
        unicode::decode_utf8(ts, bytes, unicode::Errors::Strict).into_c()
    })
}

/// A str from `size` bytes of UTF-8, with an error handler ("strict", "replace", "ignore").
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_DecodeUTF8(
    s: *const c_char,
    size: Py_ssize_t,
    errors_arg: *const c_char,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), s);
        if size < 0 {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        let handler = match unsafe { unicode::Errors::from_c(ts, errors_arg) } {
            Ok(h) => h,
            Err(_) => return null_mut(),
        };
        let bytes = unsafe { core::slice::from_raw_parts(s as *const u8, size as usize) };
        unicode::decode_utf8(ts, bytes, handler).into_c()
    })
}

/// The UTF-8 text of a str (cached on it) and its length in bytes.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsUTF8AndSize(o: *mut PyObject, size: *mut Py_ssize_t) -> *const c_char {
    api!(core::ptr::null(), |ts| {
        require!(ts, core::ptr::null(), o);
        if !unicode::check(o) {
            errors::type_error(ts, "bad argument type for built-in operation");
            return core::ptr::null();
        }
        match unicode::as_utf8(ts, o) {
            Ok((p, n)) => {
                if !size.is_null() {
                    unsafe { *size = n as Py_ssize_t };
                }
                p as *const c_char
            }
            Err(_) => {
                if !size.is_null() {
                    unsafe { *size = -1 };
                }
                core::ptr::null()
            }
        }
    })
}

/// A one-character str; `ValueError` outside range(0x110000).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromOrdinal(ordinal: core::ffi::c_int) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if !(0..0x110000).contains(&ordinal) {
            errors::value_error(ts, "chr() arg not in range(0x110000)");
            return null_mut();
        }
        unicode::from_chars(ts, 1, ordinal as u32, core::iter::once(ordinal as u32)).into_c()
    })
}
