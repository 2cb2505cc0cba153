//! `unicodeobject.h`: str objects.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::memory;
use crate::objects::unicode_codecs::{self as codecs, Encoding, Errors};
use crate::objects::{bytes, object, typeobject, unicode};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::cmp::Ordering;
use core::ffi::{c_char, c_int, CStr};
use core::ptr::{null, null_mut};

/// `PyErr_BadArgument` unless `o` is a str.
fn require_str(ts: Ts, o: *mut PyObject) -> PyResult<()> {
    if unicode::check(o) {
        return Ok(());
    }
    Err(errors::type_error(ts, "bad argument type for built-in operation"))
}

/// The `size` bytes at `s` (which may be NULL only when `size` is 0).
unsafe fn input_bytes<'a>(ts: Ts, s: *const c_char, size: Py_ssize_t) -> PyResult<&'a [u8]> {
    if size < 0 || (s.is_null() && size > 0) {
        return Err(errors::bad_internal_call(ts));
    }
    if size == 0 {
        return Ok(&[]);
    }
    // SAFETY: the caller promises `size` readable bytes.
    Ok(unsafe { core::slice::from_raw_parts(s as *const u8, size as usize) })
}

/// The bytes of a NUL-terminated C string.
#[inline]
unsafe fn c_bytes<'a>(ts: Ts, s: *const c_char) -> PyResult<&'a [u8]> {
    if s.is_null() {
        return Err(errors::bad_internal_call(ts));
    }
    // SAFETY: the caller promises a NUL-terminated string.
    Ok(unsafe { CStr::from_ptr(s) }.to_bytes())
}

/// A str from a NUL-terminated UTF-8 string.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromString(s: *const c_char) -> *mut PyObject {
    api!(null_mut(), |ts| {
        unsafe { c_bytes(ts, s) }.and_then(|b| codecs::decode_utf8(ts, b, Errors::Strict)).into_c()
    })
}

/// A str from `size` bytes of UTF-8 (NUL bytes allowed); `UnicodeDecodeError` on bad input.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromStringAndSize(s: *const c_char, size: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if size < 0 {
            errors::system_error(ts, "Negative size passed to PyUnicode_FromStringAndSize");
            return null_mut();
        }
        unsafe { input_bytes(ts, s, size) }.and_then(|b| codecs::decode_utf8(ts, b, Errors::Strict)).into_c()
    })
}

/// A str from `size` code units of `kind` (1, 2 or 4) bytes each.
/// A new string of `size` characters, not yet written, for characters up to
/// `maxchar`: the caller fills it through `PyUnicode_DATA`/`PyUnicode_WRITE` before
/// anything else sees it.
#[no_mangle]
pub extern "C" fn PyUnicode_New(size: Py_ssize_t, maxchar: Py_UCS4) -> *mut PyObject {
    api!(|ts| unicode::new_for_filling(ts, size, maxchar).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromKindAndData(
    kind: c_int,
    buffer: *const core::ffi::c_void,
    size: Py_ssize_t,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if size < 0 {
            errors::value_error(ts, "size must be positive");
            return null_mut();
        }
        if buffer.is_null() && size > 0 {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        unsafe { codecs::from_kind_and_data(ts, kind, buffer as *const u8, size as usize) }.into_c()
    })
}

/// A str from `size` bytes of UTF-8, with an error handler ("strict", "replace", ...).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_DecodeUTF8(
    s: *const c_char,
    size: Py_ssize_t,
    errors_arg: *const c_char,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        let handler = unsafe { Errors::from_c(errors_arg) };
        unsafe { input_bytes(ts, s, size) }.and_then(|b| codecs::decode_utf8(ts, b, handler)).into_c()
    })
}

/// A str from `size` bytes of Latin-1 (every byte is a character).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_DecodeLatin1(
    s: *const c_char,
    size: Py_ssize_t,
    _errors: *const c_char,
) -> *mut PyObject {
    api!(null_mut(), |ts| unsafe { input_bytes(ts, s, size) }.and_then(|b| codecs::decode_latin1(ts, b)).into_c())
}

/// A str from `size` bytes of ASCII, with an error handler.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_DecodeASCII(
    s: *const c_char,
    size: Py_ssize_t,
    errors_arg: *const c_char,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        let handler = unsafe { Errors::from_c(errors_arg) };
        unsafe { input_bytes(ts, s, size) }.and_then(|b| codecs::decode_ascii(ts, b, handler)).into_c()
    })
}

/// The encoding named by a C string; NULL means UTF-8.
unsafe fn encoding_arg(ts: Ts, encoding: *const c_char) -> PyResult<Encoding> {
    if encoding.is_null() {
        return Ok(Encoding::Utf8);
    }
    let name = unsafe { CStr::from_ptr(encoding) }.to_string_lossy();
    codecs::lookup_encoding(ts, &name)
}

/// A str decoded from `size` bytes in `encoding` (UTF-8, Latin-1 or ASCII and their
/// aliases; `LookupError` for others).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Decode(
    s: *const c_char,
    size: Py_ssize_t,
    encoding: *const c_char,
    errors_arg: *const c_char,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        let decoded = unsafe { input_bytes(ts, s, size) }.and_then(|b| {
            let enc = unsafe { encoding_arg(ts, encoding) }?;
            codecs::decode(ts, b, enc, unsafe { Errors::from_c(errors_arg) })
        });
        decoded.into_c()
    })
}

/// Decodes a bytes object (`str(obj, encoding, errors)`); str itself is refused.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromEncodedObject(
    obj: *mut PyObject,
    encoding: *const c_char,
    errors_arg: *const c_char,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), obj);
        if unicode::check(obj) {
            errors::type_error(ts, "decoding str is not supported");
            return null_mut();
        }
        if !bytes::check(obj) {
            let name = typeobject::type_name(object::type_of(obj));
            errors::type_error(ts, &format!("decoding to str: need a bytes-like object, {name} found"));
            return null_mut();
        }
        let data = bytes::as_slice(obj);
        if data.is_empty() {
            return unicode::empty();
        }
        let decoded = unsafe { encoding_arg(ts, encoding) }
            .and_then(|enc| codecs::decode(ts, data, enc, unsafe { Errors::from_c(errors_arg) }));
        decoded.into_c()
    })
}

/// The UTF-8 text of a str (cached on it) and its length in bytes.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsUTF8AndSize(o: *mut PyObject, size: *mut Py_ssize_t) -> *const c_char {
    boundary::guard(|| {
        // An ASCII str is its own UTF-8: no thread state, nothing to encode.
        if !o.is_null() && unicode::check(o) && unicode::is_ascii(o) {
            if !size.is_null() {
                // SAFETY: the caller passes NULL or a writable Py_ssize_t.
                unsafe { *size = unicode::len(o) };
            }
            return unicode::data(o) as *const c_char;
        }
        utf8_and_size_slow(o, size)
    })
}

fn utf8_and_size_slow(o: *mut PyObject, size: *mut Py_ssize_t) -> *const c_char {
    api!(null(), |ts| {
        let utf8 =
            typeobject::check_not_null(ts, o).and_then(|o| require_str(ts, o)).and_then(|()| unicode::as_utf8(ts, o));
        match utf8 {
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
                null()
            }
        }
    })
}

/// The UTF-8 text of a str, cached on it.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsUTF8(o: *mut PyObject) -> *const c_char {
    boundary::guard(|| unsafe { PyUnicode_AsUTF8AndSize(o, null_mut()) })
}

/// The UTF-8 encoding of a str, as bytes.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsUTF8String(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        let encoded = require_str(ts, o).and_then(|()| unicode::as_utf8(ts, o));
        encoded.and_then(|(p, n)| bytes::from_slice(ts, unsafe { core::slice::from_raw_parts(p, n) })).into_c()
    })
}

/// Decodes a NUL-terminated OS string (UTF-8, undecodable bytes as surrogates).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_DecodeFSDefault(s: *const c_char) -> *mut PyObject {
    api!(null_mut(), |ts| unsafe { c_bytes(ts, s) }.and_then(|b| codecs::decode_fs(ts, b)).into_c())
}

/// Decodes `size` bytes of an OS string (UTF-8, undecodable bytes as surrogates).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_DecodeFSDefaultAndSize(s: *const c_char, size: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| unsafe { input_bytes(ts, s, size) }.and_then(|b| codecs::decode_fs(ts, b)).into_c())
}

/// Encodes a str for the OS, as bytes (the inverse of `PyUnicode_DecodeFSDefault`).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_EncodeFSDefault(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        require_str(ts, o).and_then(|()| codecs::encode_fs(ts, o)).into_c()
    })
}

/// A one-character str; `ValueError` outside range(0x110000).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromOrdinal(ordinal: c_int) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if !(0..=unicode::MAX_UNICODE as c_int).contains(&ordinal) {
            errors::value_error(ts, "chr() arg not in range(0x110000)");
            return null_mut();
        }
        unicode::from_chars(ts, 1, ordinal as u32, core::iter::once(ordinal as u32)).into_c()
    })
}

/// A str from `size` wide characters (`size` -1: up to the terminating NUL).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromWideChar(w: *const wchar_t, size: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if w.is_null() && size != 0 {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        let n = if size == -1 { unsafe { libc::wcslen(w) as isize } } else { size };
        if n < 0 {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        if n == 0 {
            return unicode::empty();
        }
        // SAFETY: wchar_t is 4 bytes on the platforms isle supports.
        let units = unsafe { core::slice::from_raw_parts(w as *const u32, n as usize) };
        codecs::from_ucs4(ts, units).into_c()
    })
}

/// Writes the characters of `o` into `w` (at most `count` of them) as wide characters.
fn copy_wide(o: *mut PyObject, w: *mut wchar_t, count: usize) {
    for (i, c) in unicode::chars(o).chain(core::iter::once(0)).take(count).enumerate() {
        // SAFETY: the caller provides room for `count` units.
        unsafe { *w.add(i) = c as wchar_t };
    }
}

/// Copies a str into a wide-character buffer of `size` units. Returns the number of
/// characters copied (a NUL follows when it fits); with `w` NULL, the size needed
/// including the NUL.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsWideChar(o: *mut PyObject, w: *mut wchar_t, size: Py_ssize_t) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        if require_str(ts, o).is_err() {
            return -1;
        }
        let n = unicode::len(o);
        if w.is_null() {
            return n + 1;
        }
        if size < 0 {
            errors::bad_internal_call(ts);
            return -1;
        }
        if size > n {
            copy_wide(o, w, n as usize + 1);
            return n;
        }
        copy_wide(o, w, size as usize);
        size
    })
}

/// A NUL-terminated wide-character copy of a str, allocated with `PyMem_Malloc`. With
/// `size` NULL, a string containing U+0000 is refused (`ValueError`).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_AsWideCharString(o: *mut PyObject, size: *mut Py_ssize_t) -> *mut wchar_t {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        if require_str(ts, o).is_err() {
            return null_mut();
        }
        if size.is_null() && unicode::has_nul(o) {
            errors::value_error(ts, "embedded null character");
            return null_mut();
        }
        let n = unicode::len(o) as usize;
        let w = memory::alloc_in(ts, (n + 1) * core::mem::size_of::<wchar_t>()) as *mut wchar_t;
        if w.is_null() {
            errors::no_memory(ts);
            return null_mut();
        }
        copy_wide(o, w, n + 1);
        if !size.is_null() {
            unsafe { *size = n as Py_ssize_t };
        }
        w
    })
}

/// The number of characters of a str.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_GetLength(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        require_str(ts, o).map(|()| unicode::len(o)).into_c()
    })
}

/// The character at `index`; `(Py_UCS4)-1` with `IndexError` out of range.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_ReadChar(o: *mut PyObject, index: Py_ssize_t) -> Py_UCS4 {
    api!(Py_UCS4::MAX, |ts| {
        require!(ts, Py_UCS4::MAX, o);
        require_str(ts, o).and_then(|()| unicode::read_char(ts, o, index)).unwrap_or(Py_UCS4::MAX)
    })
}

/// The characters from `start` up to `end` (clamped to the length).
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Substring(o: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        require_str(ts, o).and_then(|()| unicode::substring(ts, o, start, end)).into_c()
    })
}

/// Replaces `*p` by the interpreter's interned string equal to it (interning `*p` when
/// there is none yet). Cannot fail: on error `*p` is left as it was.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_InternInPlace(p: *mut *mut PyObject) {
    api!((), |ts| {
        if p.is_null() || unsafe { (*p).is_null() } {
            return;
        }
        if unicode::intern_in_place(ts, unsafe { &mut *p }).is_err() {
            errors::clear(ts);
        }
    })
}

/// The interned str for a NUL-terminated UTF-8 string.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_InternFromString(s: *const c_char) -> *mut PyObject {
    api!(null_mut(), |ts| {
        let decoded = unsafe { c_bytes(ts, s) }.and_then(|b| codecs::decode_utf8(ts, b, Errors::Strict));
        decoded.and_then(|o| unicode::intern(ts, o)).into_c()
    })
}

/// `left + right`, both str.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Concat(left: *mut PyObject, right: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), left, right);
        unicode::concat_checked(ts, left, right).into_c()
    })
}

fn ordering_to_c(o: Ordering) -> c_int {
    match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

/// -1, 0 or 1 as `left` sorts before, equal to or after `right`; `TypeError` (and -1)
/// unless both are str.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Compare(left: *mut PyObject, right: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, left, right);
        if unicode::check(left) && unicode::check(right) {
            return ordering_to_c(unicode::compare(left, right));
        }
        let (a, b) = (typeobject::type_name(object::type_of(left)), typeobject::type_name(object::type_of(right)));
        errors::type_error(ts, &format!("Can't compare {a} and {b}"));
        -1
    })
}

/// Compares a str with a C string read as Latin-1. Never raises.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_CompareWithASCIIString(o: *mut PyObject, s: *const c_char) -> c_int {
    boundary::guard(|| {
        if o.is_null() || s.is_null() || !unicode::check(o) {
            return -1;
        }
        // SAFETY: `s` is a NUL-terminated string.
        let text = unsafe { CStr::from_ptr(s) }.to_bytes();
        ordering_to_c(unicode::compare_with_latin1(o, text))
    })
}

/// 1 if a str holds the text of `size` bytes of UTF-8, else 0. Never raises.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_EqualToUTF8AndSize(o: *mut PyObject, s: *const c_char, size: Py_ssize_t) -> c_int {
    boundary::guard(|| {
        if o.is_null() || s.is_null() || size < 0 || !unicode::check(o) {
            return 0;
        }
        // SAFETY: the caller promises `size` readable bytes.
        let text = unsafe { core::slice::from_raw_parts(s as *const u8, size as usize) };
        unicode::equal_to_utf8(o, text) as c_int
    })
}

/// 1 if a str holds the text of a NUL-terminated UTF-8 string, else 0. Never raises.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_EqualToUTF8(o: *mut PyObject, s: *const c_char) -> c_int {
    boundary::guard(|| {
        if s.is_null() {
            return 0;
        }
        let n = unsafe { CStr::from_ptr(s) }.to_bytes().len();
        unsafe { PyUnicode_EqualToUTF8AndSize(o, s, n as Py_ssize_t) }
    })
}

/// `left op right` as a bool; `NotImplemented` unless both are str.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_RichCompare(left: *mut PyObject, right: *mut PyObject, op: c_int) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), left, right);
        unicode::richcompare(ts, left, right, op).into_c()
    })
}

/// 1 if `element` occurs in `container`, 0 if not, -1 with an exception.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Contains(container: *mut PyObject, element: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, container, element);
        unicode::contains(ts, container, element).into_c()
    })
}

/// The first (`direction` > 0) or last index of `substr` in `str[start:end]`; -1 when
/// absent, -2 with an exception.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Find(
    s: *mut PyObject,
    substr: *mut PyObject,
    start: Py_ssize_t,
    end: Py_ssize_t,
    direction: c_int,
) -> Py_ssize_t {
    api!(-2, |ts| {
        require!(ts, -2, s, substr);
        if unicode::ensure(ts, s).and_then(|()| unicode::ensure(ts, substr)).is_err() {
            return -2;
        }
        unicode::find(s, substr, start, end, direction > 0).map_or(-1, |i| i as Py_ssize_t)
    })
}

/// The first (`direction` > 0) or last index of character `ch` in `str[start:end]`;
/// -1 when absent, -2 with an exception.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FindChar(
    s: *mut PyObject,
    ch: Py_UCS4,
    start: Py_ssize_t,
    end: Py_ssize_t,
    direction: c_int,
) -> Py_ssize_t {
    api!(-2, |ts| {
        require!(ts, -2, s);
        if unicode::ensure(ts, s).is_err() {
            return -2;
        }
        unicode::find_char(s, ch, start, end, direction > 0).map_or(-1, |i| i as Py_ssize_t)
    })
}

/// `separator.join(seq)`; a NULL separator means a single space.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Join(separator: *mut PyObject, seq: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), seq);
        unicode::join(ts, separator, seq).into_c()
    })
}

/// `s.split(sep, maxsplit)` as a list; NULL `sep` splits on white space.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_Split(s: *mut PyObject, sep: *mut PyObject, maxsplit: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), s);
        let checked =
            unicode::ensure(ts, s).and_then(|()| if sep.is_null() { Ok(()) } else { unicode::ensure(ts, sep) });
        checked.and_then(|()| unicode::split(ts, s, sep, maxsplit)).into_c()
    })
}

/// A str: `o` itself when it is one, a copy for str subclasses, `TypeError` otherwise.
#[no_mangle]
pub unsafe extern "C" fn PyUnicode_FromObject(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        unicode::from_object(ts, o).into_c()
    })
}

/// The default encoding: always "utf-8".
#[no_mangle]
pub extern "C" fn PyUnicode_GetDefaultEncoding() -> *const c_char {
    boundary::guard(|| c"utf-8".as_ptr())
}
