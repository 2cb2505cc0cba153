//! `fileutils.h`: converting between the locale's bytes and wide strings, as
//! CPython does in UTF-8 mode (isle reads no locale: it is always UTF-8, with
//! undecodable bytes kept as lone surrogates, "surrogateescape").

use crate::abi::wchar_t;
use crate::runtime::boundary;
use crate::runtime::config;
use core::ffi::c_char;
use core::ptr::null_mut;

/// A wide string decoded from `arg`, in `PyMem_RawMalloc` memory (free it with
/// `PyMem_RawFree`); `*size`, when given, gets its length. NULL (and `*size` =
/// `(size_t)-1`) when out of memory or `arg` is NULL. Never fails to decode.
#[no_mangle]
pub unsafe extern "C" fn Py_DecodeLocale(arg: *const c_char, size: *mut usize) -> *mut wchar_t {
    boundary::guard(|| {
        let set_size = |n: usize| {
            if !size.is_null() {
                // SAFETY: the caller passes NULL or a writable size_t.
                unsafe { *size = n };
            }
        };
        if arg.is_null() {
            set_size(usize::MAX);
            return null_mut();
        }
        // SAFETY: the caller passes a NUL-terminated string.
        let bytes = unsafe { core::ffi::CStr::from_ptr(arg) }.to_bytes();
        match config::decode_locale(bytes) {
            Ok((p, n)) => {
                set_size(n);
                p
            }
            Err(_) => {
                set_size(usize::MAX);
                null_mut()
            }
        }
    })
}

/// Bytes encoded from the wide string `text`, in `PyMem_Malloc` memory (free it with
/// `PyMem_Free`). NULL when a character has no encoding (its
/// index in `*error_pos`, when given) or out of memory (`*error_pos` = `(size_t)-1`).
#[no_mangle]
pub unsafe extern "C" fn Py_EncodeLocale(text: *const wchar_t, error_pos: *mut usize) -> *mut c_char {
    boundary::guard(|| {
        let fail = |pos: usize| {
            if !error_pos.is_null() {
                // SAFETY: the caller passes NULL or a writable size_t.
                unsafe { *error_pos = pos };
            }
            null_mut()
        };
        if text.is_null() {
            return fail(usize::MAX);
        }
        // SAFETY: the caller passes a NUL-terminated wide string.
        let chars = unsafe { core::slice::from_raw_parts(text, config::wcs_len(text)) };
        let bytes = match config::encode_locale(chars) {
            Ok(b) => b,
            Err(i) => return fail(i),
        };
        // SAFETY: a fresh block of `bytes.len() + 1` bytes; the copy is bounded.
        unsafe {
            let p = super::pymem::PyMem_Malloc(bytes.len() + 1) as *mut u8;
            if p.is_null() {
                return fail(usize::MAX);
            }
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len());
            *p.add(bytes.len()) = 0;
            p as *mut c_char
        }
    })
}
