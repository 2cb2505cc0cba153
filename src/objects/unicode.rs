//! `str`: compact PEP 393 strings, laid out as CPython 3.13 lays them out so that the
//! public inline accessors (`PyUnicode_KIND`, `PyUnicode_DATA` ...) work unchanged.
//!
//! Every string is stored in the narrowest kind that holds its widest character: ASCII
//! text right after a `PyASCIIObject`, other text after a `PyCompactUnicodeObject`.
//! Both are NUL-terminated. The UTF-8 form of non-ASCII text is made on demand and
//! cached in `utf8`, freed with the string.

use super::object;
use crate::abi::*;
use crate::memory;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

const ASCII_HEADER: usize = core::mem::size_of::<PyASCIIObject>();
const COMPACT_HEADER: usize = core::mem::size_of::<PyCompactUnicodeObject>();

const STATE_KIND_SHIFT: u32 = 2;
const STATE_COMPACT: u32 = 1 << 5;
const STATE_ASCII: u32 = 1 << 6;

#[no_mangle]
pub static mut PyUnicode_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(unicode_dealloc),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_UNICODE_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"str", ASCII_HEADER + 1, 0)
};

#[inline]
pub fn unicode_type() -> *mut PyTypeObject {
    &raw mut PyUnicode_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_UNICODE_SUBCLASS)
}

pub fn check_exact(o: *mut PyObject) -> bool {
    object::type_of(o) == unicode_type()
}

fn head(o: *mut PyObject) -> &'static mut PyASCIIObject {
    // SAFETY: callers pass str objects.
    unsafe { &mut *(o as *mut PyASCIIObject) }
}

/// Bytes per character: 1, 2 or 4.
pub fn kind(o: *mut PyObject) -> u32 {
    (head(o).state >> STATE_KIND_SHIFT) & 0b111
}

pub fn is_ascii(o: *mut PyObject) -> bool {
    head(o).state & STATE_ASCII != 0
}

pub fn len(o: *mut PyObject) -> isize {
    head(o).length
}

/// The character data (kind-sized units, NUL-terminated).
pub fn data(o: *mut PyObject) -> *mut u8 {
    let offset = if is_ascii(o) { ASCII_HEADER } else { COMPACT_HEADER };
    (o as usize + offset) as *mut u8
}

/// Allocates an uninitialised string of `length` characters of `kind`; `max_char`
/// decides ASCII-ness.
pub fn alloc(ts: Ts, length: usize, kind: u32, ascii: bool) -> PyResult<*mut PyObject> {
    let header = if ascii { ASCII_HEADER } else { COMPACT_HEADER };
    let Some(size) =
        length.checked_add(1).and_then(|n| n.checked_mul(kind as usize)).and_then(|n| n.checked_add(header))
    else {
        return Err(errors::no_memory(ts));
    };
    if length > isize::MAX as usize / 4 {
        return Err(errors::no_memory(ts));
    }
    let p = memory::alloc_in(ts, size) as *mut PyObject;
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `p` is a fresh block of `size` bytes.
    unsafe {
        core::ptr::write_bytes(p as *mut u8, 0, header);
        object::init_header(p, unicode_type());
        let h = &mut *(p as *mut PyASCIIObject);
        h.length = length as isize;
        h.hash = -1;
        h.state = (kind << STATE_KIND_SHIFT) | STATE_COMPACT | if ascii { STATE_ASCII } else { 0 };
        // Terminating NUL of the right width.
        core::ptr::write_bytes((p as *mut u8).add(header + length * kind as usize), 0, kind as usize);
    }
    Ok(p)
}

/// A new str from Rust text.
pub fn from_str(ts: Ts, s: &str) -> PyResult<*mut PyObject> {
    if s.is_ascii() {
        let o = alloc(ts, s.len(), 1, true)?;
        // SAFETY: `o` has room for `s.len()` bytes of data.
        unsafe { core::ptr::copy_nonoverlapping(s.as_ptr(), data(o), s.len()) };
        return Ok(o);
    }
    let max = s.chars().map(|c| c as u32).max().unwrap_or(0);
    let n = s.chars().count();
    from_chars(ts, n, max, s.chars().map(|c| c as u32))
}

/// A new str from code points; `max` is the largest of them.
pub fn from_chars(ts: Ts, n: usize, max: u32, chars: impl Iterator<Item = u32>) -> PyResult<*mut PyObject> {
    let kind = if max < 0x100 {
        1
    } else if max < 0x10000 {
        2
    } else {
        4
    };
    let o = alloc(ts, n, kind, max < 0x80)?;
    let d = data(o);
    // SAFETY: `o` holds `n` units of `kind` bytes; each write stays inside.
    unsafe {
        for (i, c) in chars.take(n).enumerate() {
            match kind {
                1 => *d.add(i) = c as u8,
                2 => *(d as *mut u16).add(i) = c as u16,
                _ => *(d as *mut u32).add(i) = c,
            }
        }
    }
    Ok(o)
}

/// The code point at `i` (no bounds check beyond debug).
pub fn char_at(o: *mut PyObject, i: usize) -> u32 {
    debug_assert!((i as isize) < len(o));
    let d = data(o);
    // SAFETY: `i` is within the string.
    unsafe {
        match kind(o) {
            1 => *d.add(i) as u32,
            2 => *(d as *const u16).add(i) as u32,
            _ => *(d as *const u32).add(i),
        }
    }
}

pub fn chars(o: *mut PyObject) -> impl Iterator<Item = u32> {
    (0..len(o) as usize).map(move |i| char_at(o, i))
}

/// The text as a Rust string; lone surrogates become U+FFFD.
pub fn to_string_lossy(o: *mut PyObject) -> String {
    if is_ascii(o) {
        // SAFETY: ASCII data is valid UTF-8 of `len` bytes.
        return unsafe { String::from_utf8_unchecked(core::slice::from_raw_parts(data(o), len(o) as usize).to_vec()) };
    }
    chars(o).map(|c| char::from_u32(c).unwrap_or('\u{fffd}')).collect()
}

/// The UTF-8 bytes of `o`, cached on the object: valid while `o` lives. Fails with
/// `UnicodeEncodeError` for lone surrogates.
pub fn as_utf8(ts: Ts, o: *mut PyObject) -> PyResult<(*const u8, usize)> {
    if is_ascii(o) {
        return Ok((data(o), len(o) as usize));
    }
    // SAFETY: non-ASCII strings have the compact layout.
    let c = unsafe { &mut *(o as *mut PyCompactUnicodeObject) };
    if c.utf8.is_null() {
        let mut text = String::with_capacity(len(o) as usize * 2);
        for ch in chars(o) {
            match char::from_u32(ch) {
                Some(ch) => text.push(ch),
                None => {
                    return Err(errors::set_string(
                        ts,
                        super::exceptions::exc(super::exceptions::Exc::UnicodeEncodeError),
                        "'utf-8' codec can't encode character: surrogates not allowed",
                    ))
                }
            }
        }
        let buf = memory::alloc_in(ts, text.len() + 1);
        if buf.is_null() {
            return Err(errors::no_memory(ts));
        }
        // SAFETY: `buf` holds len + 1 bytes.
        unsafe {
            core::ptr::copy_nonoverlapping(text.as_ptr(), buf, text.len());
            *buf.add(text.len()) = 0;
        }
        c.utf8 = buf as *mut core::ffi::c_char;
        c.utf8_length = text.len() as isize;
    }
    Ok((c.utf8 as *const u8, c.utf8_length as usize))
}

unsafe extern "C" fn unicode_dealloc(o: *mut PyObject) {
    if !is_ascii(o) {
        // SAFETY: non-ASCII strings have the compact layout; utf8 is ours.
        unsafe { memory::free((*(o as *mut PyCompactUnicodeObject)).utf8 as *mut u8) };
    }
    unsafe { object::free_object(o) }
}

/// True when both strings hold the same text.
pub fn equal(a: *mut PyObject, b: *mut PyObject) -> bool {
    if a == b {
        return true;
    }
    if len(a) != len(b) || kind(a) != kind(b) {
        return false;
    }
    let n = len(a) as usize * kind(a) as usize;
    // SAFETY: both hold `n` bytes of data.
    unsafe { core::slice::from_raw_parts(data(a), n) == core::slice::from_raw_parts(data(b), n) }
}

/// The hash of the text, computed once and cached.
pub fn hash(o: *mut PyObject) -> Py_hash_t {
    let h = head(o);
    if h.hash != -1 {
        return h.hash;
    }
    let n = len(o) as usize * kind(o) as usize;
    // SAFETY: the string holds `n` bytes of data.
    let bytes = unsafe { core::slice::from_raw_parts(data(o), n) };
    let mut v = crate::objects::hash::bytes(bytes);
    if v == -1 {
        v = -2;
    }
    h.hash = v;
    v
}

#[repr(C)]
struct EmptyStr {
    head: PyASCIIObject,
    nul: u64,
}

/// `""`, shared and immortal.
static mut EMPTY: EmptyStr = EmptyStr {
    head: PyASCIIObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut PyUnicode_Type },
        length: 0,
        hash: -1,
        state: (1 << STATE_KIND_SHIFT) | STATE_COMPACT | STATE_ASCII | (1 << 7),
    },
    nul: 0,
};

pub fn empty() -> *mut PyObject {
    &raw mut EMPTY as *mut PyObject
}

/// How a decoder treats bytes that are not valid in its encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errors {
    Strict,
    Replace,
    Ignore,
}

impl Errors {
    /// Reads a C error-handler name; NULL means "strict".
    ///
    /// # Safety
    /// `name` is NULL or a NUL-terminated string.
    pub unsafe fn from_c(ts: Ts, name: *const core::ffi::c_char) -> PyResult<Errors> {
        if name.is_null() {
            return Ok(Errors::Strict);
        }
        match unsafe { core::ffi::CStr::from_ptr(name) }.to_bytes() {
            b"strict" => Ok(Errors::Strict),
            b"replace" => Ok(Errors::Replace),
            b"ignore" => Ok(Errors::Ignore),
            other => Err(errors::set_string(
                ts,
                super::exceptions::exc(super::exceptions::Exc::LookupError),
                &format!("unknown error handler name '{}'", String::from_utf8_lossy(other)),
            )),
        }
    }
}

/// A str from UTF-8 bytes.
pub fn decode_utf8(ts: Ts, bytes: &[u8], handler: Errors) -> PyResult<*mut PyObject> {
    if bytes.is_empty() {
        return Ok(empty());
    }
    match core::str::from_utf8(bytes) {
        Ok(s) => from_str(ts, s),
        Err(e) => match handler {
            Errors::Replace => from_str(ts, &String::from_utf8_lossy(bytes)),
            Errors::Ignore => {
                let text: String = bytes.utf8_chunks().map(|c| c.valid()).collect();
                from_str(ts, &text)
            }
            Errors::Strict => {
                let at = e.valid_up_to();
                Err(errors::set_string(
                    ts,
                    super::exceptions::exc(super::exceptions::Exc::UnicodeDecodeError),
                    &format!(
                        "'utf-8' codec can't decode byte 0x{:02x} in position {at}: invalid start byte",
                        bytes[at]
                    ),
                ))
            }
        },
    }
}
