//! `bytes`: immutable byte strings, NUL-terminated after the data.

use super::object::{self, decref, new_ref};
use super::typeobject::type_name;
use super::{bool_, long, singletons, unicode};
use crate::abi::*;
use crate::memory;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::cmp::Ordering;
use core::ffi::c_int;
use core::ptr::null_mut;

const DATA_OFFSET: usize = core::mem::offset_of!(PyBytesObject, ob_sval);

static mut BYTES_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(bytes_length),
    sq_concat: Some(bytes_concat),
    sq_repeat: Some(bytes_repeat),
    sq_item: Some(bytes_item),
    was_sq_slice: null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(bytes_contains),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut BYTES_AS_MAPPING: PyMappingMethods =
    PyMappingMethods { mp_length: Some(bytes_length), mp_subscript: Some(bytes_subscript), mp_ass_subscript: None };

#[no_mangle]
pub static mut PyBytes_Type: PyTypeObject = PyTypeObject {
    tp_repr: Some(bytes_repr),
    tp_hash: Some(bytes_hash),
    tp_richcompare: Some(bytes_richcompare),
    tp_iter: Some(bytes_iter),
    tp_as_sequence: &raw mut BYTES_AS_SEQUENCE,
    tp_as_mapping: &raw mut BYTES_AS_MAPPING,
    tp_as_buffer: &raw mut BYTES_AS_BUFFER,
    tp_methods: (&raw mut super::bytes_methods::BYTES_METHODS).cast(),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_BYTES_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"bytes", DATA_OFFSET + 1, 1)
};

#[inline]
pub fn bytes_type() -> *mut PyTypeObject {
    &raw mut PyBytes_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_BYTES_SUBCLASS)
}

pub fn check_exact(o: *mut PyObject) -> bool {
    object::type_of(o) == bytes_type()
}

/// `TypeError: expected bytes, T found` unless `o` is a bytes object.
pub fn expect(ts: Ts, o: *mut PyObject) -> PyResult<()> {
    if check(o) {
        return Ok(());
    }
    let name = type_name(object::type_of(o));
    Err(errors::type_error(ts, &format!("expected bytes, {name} found")))
}

/// A new bytes object of `n` zero bytes, for the caller to fill; `b""` when `n` is 0.
pub fn alloc(ts: Ts, n: usize) -> PyResult<*mut PyObject> {
    if n == 0 {
        return Ok(empty());
    }
    if n > isize::MAX as usize - DATA_OFFSET - 1 {
        return Err(errors::overflow_error(ts, "byte string is too large"));
    }
    let o = object::alloc_object(ts, bytes_type(), n as isize)?;
    // SAFETY: a fresh bytes object.
    unsafe { (*(o as *mut PyBytesObject)).ob_shash = -1 };
    Ok(o)
}

/// A new bytes object copying `data`.
pub fn from_slice(ts: Ts, data: &[u8]) -> PyResult<*mut PyObject> {
    let o = alloc(ts, data.len())?;
    // SAFETY: the object has room for `data.len()` bytes (none for the shared empty).
    unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), as_ptr(o), data.len()) };
    Ok(o)
}

pub fn as_ptr(o: *mut PyObject) -> *mut u8 {
    (o as usize + DATA_OFFSET) as *mut u8
}

pub fn len(o: *mut PyObject) -> isize {
    // SAFETY: callers pass bytes objects.
    unsafe { (*(o as *mut PyVarObject)).ob_size }
}

/// The bytes of `o`, valid while it lives.
pub fn as_slice<'a>(o: *mut PyObject) -> &'a [u8] {
    // SAFETY: `len` bytes follow the header.
    unsafe { core::slice::from_raw_parts(as_ptr(o), len(o) as usize) }
}

/// `b""`, shared and immortal.
static mut EMPTY: PyBytesObject = PyBytesObject {
    ob_base: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut PyBytes_Type },
        ob_size: 0,
    },
    ob_shash: -1,
    ob_sval: [0],
};

pub fn empty() -> *mut PyObject {
    &raw mut EMPTY as *mut PyObject
}

/// The hash of the bytes (the same as the hash of the equal ASCII str), cached in
/// `ob_shash` except on shared immortal objects, which are never written.
pub fn hash(o: *mut PyObject) -> Py_hash_t {
    let b = o as *mut PyBytesObject;
    // SAFETY: callers pass bytes objects.
    let cached = unsafe { (*b).ob_shash };
    if cached != -1 {
        return cached;
    }
    let h = crate::objects::hash::bytes(as_slice(o));
    if !object::is_immortal(o) {
        unsafe { (*b).ob_shash = h };
    }
    h
}

/// `a op b` for two bytes objects; `NotImplemented` when either is not bytes.
pub fn richcompare(ts: Ts, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<*mut PyObject> {
    if !check(a) || !check(b) {
        return Ok(unsafe { new_ref(singletons::not_implemented()) });
    }
    let (x, y) = (as_slice(a), as_slice(b));
    let result = match op {
        Py_EQ => x == y,
        Py_NE => x != y,
        Py_LT => x.cmp(y) == Ordering::Less,
        Py_LE => x.cmp(y) != Ordering::Greater,
        Py_GT => x.cmp(y) == Ordering::Greater,
        Py_GE => x.cmp(y) != Ordering::Less,
        _ => return Err(errors::bad_internal_call(ts)),
    };
    Ok(bool_::from_bool(result))
}

/// The text of `repr()` for bytes: `b'...'`, with double quotes when `smart_quotes`
/// and the data has a single quote but no double quote; escapes for the quote, the
/// backslash, tab, newline, carriage return and every byte outside 0x20..0x7e.
pub fn repr_text(data: &[u8], smart_quotes: bool) -> String {
    let quote = if smart_quotes && data.contains(&b'\'') && !data.contains(&b'"') { b'"' } else { b'\'' };
    let mut out = String::with_capacity(data.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &b in data {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if b == quote => {
                out.push('\\');
                out.push(quote as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => unicode::push_hex_escape(&mut out, b as u32),
        }
    }
    out.push(quote as char);
    out
}

pub fn repr(ts: Ts, o: *mut PyObject, smart_quotes: bool) -> PyResult<*mut PyObject> {
    unicode::from_str(ts, &repr_text(as_slice(o), smart_quotes))
}

/// `a + b` for two bytes objects; an empty operand gives the other one back.
pub fn concat(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    if !check(a) || !check(b) {
        let (ta, tb) = (type_name(object::type_of(a)), type_name(object::type_of(b)));
        return Err(errors::type_error(ts, &format!("can't concat {tb} to {ta}")));
    }
    if len(a) == 0 && check_exact(b) {
        return Ok(unsafe { new_ref(b) });
    }
    if len(b) == 0 && check_exact(a) {
        return Ok(unsafe { new_ref(a) });
    }
    let (x, y) = (as_slice(a), as_slice(b));
    let Some(total) = x.len().checked_add(y.len()) else { return Err(errors::no_memory(ts)) };
    let o = alloc(ts, total)?;
    // SAFETY: `o` holds `total` bytes.
    unsafe {
        core::ptr::copy_nonoverlapping(x.as_ptr(), as_ptr(o), x.len());
        core::ptr::copy_nonoverlapping(y.as_ptr(), as_ptr(o).add(x.len()), y.len());
    }
    Ok(o)
}

/// The byte at `i`, as an int.
pub fn item(ts: Ts, o: *mut PyObject, i: isize) -> PyResult<*mut PyObject> {
    if i < 0 || i >= len(o) {
        return Err(errors::index_error(ts, "index out of range"));
    }
    long::from_i64(ts, as_slice(o)[i as usize] as i64)
}

/// The value of an int that must be a byte.
fn int_value_as_byte(ts: Ts, o: *mut PyObject, message: &str) -> PyResult<u8> {
    // SAFETY: `o` is an int.
    match unsafe { long::small_value(o) } {
        Some(v @ 0..=255) => Ok(v as u8),
        _ => Err(errors::value_error(ts, message)),
    }
}

/// `x in o`: `x` is a byte value (an int) or a bytes object to look for.
pub fn contains(ts: Ts, o: *mut PyObject, x: *mut PyObject) -> PyResult<bool> {
    let hay = as_slice(o);
    if long::check(x) {
        let b = int_value_as_byte(ts, x, "byte must be in range(0, 256)")?;
        return Ok(hay.contains(&b));
    }
    if check(x) {
        let needle = as_slice(x);
        return Ok(needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle));
    }
    let name = type_name(object::type_of(x));
    Err(errors::type_error(ts, &format!("a bytes-like object is required, not '{name}'")))
}

/// `bytes(o)` for the objects `PyBytes_FromObject` accepts: bytes, and iterables
/// (lists, tuples ...) of ints in range(256). Strings are refused.
pub fn from_object(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if check_exact(o) {
        return Ok(unsafe { new_ref(o) });
    }
    if check(o) {
        return from_slice(ts, as_slice(o));
    }
    let refused = format!("cannot convert '{}' object to bytes", type_name(object::type_of(o)));
    if unicode::check(o) {
        return Err(errors::type_error(ts, &refused));
    }
    let items = unicode::sequence_items(ts, o, &refused)?;
    let result = from_int_items(ts, &items);
    unicode::release_all(&items);
    result
}

fn from_int_items(ts: Ts, items: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    let mut data = Vec::with_capacity(items.len());
    for &it in items {
        if !long::check(it) {
            let name = type_name(object::type_of(it));
            return Err(errors::type_error(ts, &format!("'{name}' object cannot be interpreted as an integer")));
        }
        data.push(int_value_as_byte(ts, it, "bytes must be in range(0, 256)")?);
    }
    from_slice(ts, &data)
}

/// `_PyBytes_Resize`: gives the bytes object `*pv`, which the caller owns, `newsize`
/// bytes, keeping the common prefix (new bytes are unspecified). An object nobody else
/// holds is resized in place; a shared one is replaced by a copy. On failure `*pv` is
/// released and set to NULL.
pub fn resize(ts: Ts, pv: &mut *mut PyObject, newsize: isize) -> PyResult<()> {
    let v = *pv;
    if !check(v) || newsize < 0 {
        *pv = null_mut();
        unsafe { decref(v) };
        return Err(errors::bad_internal_call(ts));
    }
    let old = len(v);
    if old == newsize {
        return Ok(());
    }
    let shared = old == 0 || object::is_immortal(v) || unsafe { (*v).ob_refcnt } != 1;
    if newsize == 0 {
        *pv = empty();
        unsafe { decref(v) };
        return Ok(());
    }
    let resized = if shared {
        let copy = copy_resized(ts, v, newsize as usize);
        unsafe { decref(v) };
        copy
    } else {
        // Either moves the object (the old block is gone) or fails leaving it intact.
        resize_in_place(ts, v, newsize as usize).inspect_err(|_| unsafe { decref(v) })
    };
    match resized {
        Ok(o) => *pv = o,
        Err(_) => *pv = null_mut(),
    }
    resized.map(|_| ())
}

fn copy_resized(ts: Ts, v: *mut PyObject, newsize: usize) -> PyResult<*mut PyObject> {
    let keep = (len(v) as usize).min(newsize);
    let o = alloc(ts, newsize)?;
    // SAFETY: both hold at least `keep` bytes.
    unsafe { core::ptr::copy_nonoverlapping(as_ptr(v), as_ptr(o), keep) };
    Ok(o)
}

/// Reallocates an object only the caller holds; it may move.
fn resize_in_place(ts: Ts, v: *mut PyObject, newsize: usize) -> PyResult<*mut PyObject> {
    if newsize > isize::MAX as usize - DATA_OFFSET - 1 {
        return Err(errors::overflow_error(ts, "byte string is too large"));
    }
    // SAFETY: `v` is a heap block of ours that nobody else references.
    let p = unsafe { memory::realloc_in(ts, v as *mut u8, DATA_OFFSET + newsize + 1) } as *mut PyObject;
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `p` holds the header and newsize + 1 bytes of data.
    unsafe {
        (*(p as *mut PyVarObject)).ob_size = newsize as isize;
        (*(p as *mut PyBytesObject)).ob_shash = -1;
        *as_ptr(p).add(newsize) = 0;
    }
    Ok(p)
}

// ---------------------------------------------------------------------------------
// Slots

static mut BYTES_AS_BUFFER: PyBufferProcs =
    PyBufferProcs { bf_getbuffer: Some(bytes_getbuffer), bf_releasebuffer: None };

/// `bf_getbuffer` of bytes: a read-only view of its bytes (a request for a writable
/// one fails with `BufferError`).
unsafe extern "C" fn bytes_getbuffer(o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    boundary::slot(|ts| {
        let data = as_ptr(o) as *mut core::ffi::c_void;
        super::buffer::fill_info(ts, view, o, data, len(o), 1, flags)
    })
}

unsafe extern "C" fn bytes_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| repr(ts, o, true).unwrap_or(null_mut()))
}

unsafe extern "C" fn bytes_hash(o: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| hash(o))
}

unsafe extern "C" fn bytes_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::with_thread_state(|ts| richcompare(ts, a, b, op).unwrap_or(null_mut()))
}

unsafe extern "C" fn bytes_length(o: *mut PyObject) -> Py_ssize_t {
    boundary::guard(|| len(o))
}

unsafe extern "C" fn bytes_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| concat(ts, a, b).unwrap_or(null_mut()))
}

unsafe extern "C" fn bytes_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    boundary::with_thread_state(|ts| item(ts, o, i).unwrap_or(null_mut()))
}

unsafe extern "C" fn bytes_contains(o: *mut PyObject, x: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| match contains(ts, o, x) {
        Ok(found) => found as c_int,
        Err(Raised) => -1,
    })
}

/// `o[key]`: a byte as an int, or bytes for a slice (an exact bytes' whole slice is
/// itself).
pub fn subscript(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    use super::slice::{self, Subscript};
    match slice::subscript_key(ts, key, len(o), "byte indices must be integers or slices, not {}")? {
        Subscript::Index(i) => item(ts, o, i),
        Subscript::Slice { step: 1, count, .. } if count == len(o) && check_exact(o) => Ok(unsafe { new_ref(o) }),
        Subscript::Slice { start, step, count } => {
            let data = as_slice(o);
            let picked: Vec<u8> = slice::positions(start, step, count).map(|p| data[p]).collect();
            from_slice(ts, &picked)
        }
    }
}

/// `o * n`; an exact bytes once over is itself.
pub fn repeat(ts: Ts, o: *mut PyObject, n: isize) -> PyResult<*mut PyObject> {
    if n == 1 && check_exact(o) {
        return Ok(unsafe { new_ref(o) });
    }
    let n = n.max(0) as usize;
    if as_slice(o).len().checked_mul(n).is_none_or(|t| t > isize::MAX as usize / 2) {
        return Err(errors::overflow_error(ts, "repeated bytes are too long"));
    }
    from_slice(ts, &as_slice(o).repeat(n))
}

unsafe extern "C" fn bytes_repeat(o: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| repeat(ts, o, n))
}

unsafe extern "C" fn bytes_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| subscript(ts, o, key))
}

unsafe extern "C" fn bytes_iter(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| super::iterobject::bytes_iter(ts, o).unwrap_or(null_mut()))
}

#[cfg(test)]
mod tests {
    use super::repr_text;

    #[test]
    fn repr_quotes() {
        assert_eq!(repr_text(b"abc", true), "b'abc'");
        assert_eq!(repr_text(b"", true), "b''");
        assert_eq!(repr_text(b"it's", true), "b\"it's\"");
        assert_eq!(repr_text(b"it's", false), "b'it\\'s'");
        assert_eq!(repr_text(b"'\"", true), "b'\\'\"'");
    }

    #[test]
    fn repr_escapes() {
        assert_eq!(repr_text(b"\\\t\n\r", true), "b'\\\\\\t\\n\\r'");
        assert_eq!(repr_text(b"\x00\x1f\x7f\x80\xff", true), "b'\\x00\\x1f\\x7f\\x80\\xff'");
    }
}
