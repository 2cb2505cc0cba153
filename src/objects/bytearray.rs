//! `bytearray`: mutable byte strings in CPython 3.13's layout (`PyByteArrayObject`,
//! which `PyByteArray_AS_STRING` and `PyByteArray_GET_SIZE` read directly).
//!
//! The storage is one heap block of `ob_alloc` bytes at `ob_bytes`; the data starts at
//! `ob_start` (deleting a prefix moves it forward instead of moving the rest) and is
//! always followed by a NUL. An empty bytearray may have no block at all, and then
//! `PyByteArray_AS_STRING` gives `_PyByteArray_empty_string`. While a buffer view is
//! exported (`ob_exports > 0`) the storage is pinned: anything that would resize it
//! raises `BufferError`, as in CPython.
//!
//! The data may change whenever Python code runs (an `__index__`, an iterator), so no
//! slice of it is held across a conversion of an argument.

use super::object::{self, decref, new_ref, type_of};
use super::typeobject::type_name;
use super::{bool_, bytes, long, singletons, unicode};
use crate::abi::*;
use crate::memory;
use crate::protocols;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::cmp::Ordering;
use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

static mut BYTEARRAY_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(bytearray_length),
    sq_concat: Some(bytearray_concat),
    sq_repeat: Some(bytearray_repeat),
    sq_item: Some(bytearray_item),
    sq_ass_item: Some(bytearray_ass_item),
    sq_contains: Some(bytearray_contains),
    sq_inplace_concat: Some(bytearray_inplace_concat),
    sq_inplace_repeat: Some(bytearray_inplace_repeat),
    ..PySequenceMethods::EMPTY
};

static mut BYTEARRAY_AS_MAPPING: PyMappingMethods = PyMappingMethods {
    mp_length: Some(bytearray_length),
    mp_subscript: Some(bytearray_subscript),
    mp_ass_subscript: Some(bytearray_ass_subscript),
};

static mut BYTEARRAY_AS_BUFFER: PyBufferProcs =
    PyBufferProcs { bf_getbuffer: Some(bytearray_getbuffer), bf_releasebuffer: Some(bytearray_releasebuffer) };

#[no_mangle]
pub static mut PyByteArray_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(bytearray_dealloc),
    tp_repr: Some(bytearray_repr),
    // The exported function itself, as in CPython (see `PyList_Type`).
    tp_hash: Some(super::typeobject::hash_not_implemented),
    tp_richcompare: Some(bytearray_richcompare),
    tp_iter: Some(bytearray_iter),
    tp_as_sequence: &raw mut BYTEARRAY_AS_SEQUENCE,
    tp_as_mapping: &raw mut BYTEARRAY_AS_MAPPING,
    tp_as_buffer: &raw mut BYTEARRAY_AS_BUFFER,
    tp_methods: (&raw mut super::bytearray_methods::BYTEARRAY_METHODS).cast(),
    tp_init: Some(bytearray_init),
    tp_new: Some(bytearray_new),
    tp_flags: Py_TPFLAGS_BASETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"bytearray", core::mem::size_of::<PyByteArrayObject>(), 0)
};

/// What `PyByteArray_AS_STRING` gives for an empty bytearray.
#[no_mangle]
pub static mut _PyByteArray_empty_string: [c_char; 1] = [0];

#[inline]
pub fn bytearray_type() -> *mut PyTypeObject {
    &raw mut PyByteArray_Type
}

/// `PyByteArray_Check`.
pub fn check(o: *mut PyObject) -> bool {
    object::is_subtype(type_of(o), bytearray_type())
}

pub fn check_exact(o: *mut PyObject) -> bool {
    type_of(o) == bytearray_type()
}

fn fields(o: *mut PyObject) -> *mut PyByteArrayObject {
    o as *mut PyByteArrayObject
}

pub fn len(o: *mut PyObject) -> isize {
    // SAFETY: callers pass bytearrays; a plain field read.
    unsafe { (*(o as *mut PyVarObject)).ob_size }
}

/// The data (`PyByteArray_AS_STRING`): NUL-terminated, the shared empty string when
/// there is none.
pub fn as_ptr(o: *mut PyObject) -> *mut u8 {
    // SAFETY: callers pass bytearrays; plain field reads.
    unsafe {
        if len(o) == 0 || (*fields(o)).ob_start.is_null() {
            (&raw mut _PyByteArray_empty_string).cast()
        } else {
            (*fields(o)).ob_start.cast()
        }
    }
}

/// The bytes, valid until the bytearray changes size or Python code runs.
pub fn as_slice<'a>(o: *mut PyObject) -> &'a [u8] {
    // SAFETY: `len` bytes of data start at `as_ptr` (none for the empty string).
    unsafe { core::slice::from_raw_parts(as_ptr(o), len(o) as usize) }
}

fn as_mut_slice<'a>(o: *mut PyObject) -> &'a mut [u8] {
    // SAFETY: as `as_slice`; the caller holds the GIL and no other slice of the data.
    unsafe { core::slice::from_raw_parts_mut(as_ptr(o), len(o) as usize) }
}

/// The data of a bytes or bytearray object; None for other objects.
pub fn bytes_like<'a>(o: *mut PyObject) -> Option<&'a [u8]> {
    if bytes::check(o) {
        Some(bytes::as_slice(o))
    } else if check(o) {
        Some(as_slice(o))
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------
// Storage

fn resize_refused(ts: Ts) -> Raised {
    let e = super::exceptions::exc(super::exceptions::Exc::BufferError);
    errors::set_string(ts, e, "Existing exports of data: object cannot be re-sized")
}

fn exported(o: *mut PyObject) -> bool {
    // SAFETY: callers pass bytearrays.
    unsafe { (*fields(o)).ob_exports > 0 }
}

/// The bytes of the block before the data (a deleted prefix).
fn offset(o: *mut PyObject) -> usize {
    // SAFETY: ob_start points into the block at ob_bytes (or both are null).
    unsafe {
        let f = fields(o);
        if (*f).ob_bytes.is_null() {
            0
        } else {
            (*f).ob_start.offset_from((*f).ob_bytes) as usize
        }
    }
}

/// Gives the bytearray `n` bytes of data, keeping the first `min(len, n)`; new bytes
/// are unspecified. Growth over-allocates by an eighth, so appending is amortized
/// O(1); a block less than half used is shrunk.
pub fn set_len(ts: Ts, o: *mut PyObject, n: usize) -> PyResult<()> {
    let old = len(o) as usize;
    if n == old {
        return Ok(());
    }
    if exported(o) {
        return Err(resize_refused(ts));
    }
    if n > isize::MAX as usize - 1 {
        return Err(errors::no_memory(ts));
    }
    let f = fields(o);
    // SAFETY: a bytearray of ours; the GIL is held.
    let alloc = unsafe { (*f).ob_alloc } as usize;
    let room = alloc.saturating_sub(offset(o));
    if n < room && (n + 1) * 2 > alloc {
        // SAFETY: the block holds `room` bytes from ob_start, and n < room.
        unsafe {
            (*(o as *mut PyVarObject)).ob_size = n as isize;
            *(*f).ob_start.add(n) = 0;
        }
        return Ok(());
    }
    let want = if n > old { n.saturating_add(n >> 3).saturating_add(if n < 9 { 3 } else { 6 }) } else { n + 1 };
    let want = want.min(isize::MAX as usize);
    let keep = old.min(n);
    // SAFETY: the old data is moved to the start of its block before the block is
    // resized (realloc keeps its first bytes); every pointer is the block's own.
    unsafe {
        if offset(o) > 0 {
            core::ptr::copy((*f).ob_start, (*f).ob_bytes, keep);
        }
        let p = memory::realloc_in(ts, (*f).ob_bytes.cast(), want) as *mut c_char;
        if p.is_null() {
            (*f).ob_start = (*f).ob_bytes;
            (*(o as *mut PyVarObject)).ob_size = keep as isize;
            return Err(errors::no_memory(ts));
        }
        (*f).ob_bytes = p;
        (*f).ob_start = p;
        (*f).ob_alloc = want as isize;
        (*(o as *mut PyVarObject)).ob_size = n as isize;
        *p.add(n) = 0;
    }
    Ok(())
}

/// Replaces the bytes `lo..hi` (clamped into the data) with `data`, which must not
/// be the bytearray's own storage. A change of size while exported is refused.
pub fn replace_range(ts: Ts, o: *mut PyObject, lo: usize, hi: usize, data: &[u8]) -> PyResult<()> {
    let n = len(o) as usize;
    let lo = lo.min(n);
    let hi = hi.clamp(lo, n);
    let removed = hi - lo;
    if data.len() != removed && exported(o) {
        return Err(resize_refused(ts));
    }
    if lo == 0 && data.is_empty() && removed > 0 && removed < n {
        // Deleting a prefix only moves the start forward.
        // SAFETY: `removed < n`, so ob_start stays inside the data.
        unsafe {
            let f = fields(o);
            (*f).ob_start = (*f).ob_start.add(removed);
            (*(o as *mut PyVarObject)).ob_size = (n - removed) as isize;
        }
        return Ok(());
    }
    let new_len = n - removed + data.len();
    if data.len() > removed {
        set_len(ts, o, new_len)?;
        as_mut_slice(o).copy_within(hi..n, lo + data.len());
    } else if data.len() < removed {
        as_mut_slice(o).copy_within(hi..n, lo + data.len());
        set_len(ts, o, new_len)?;
    }
    as_mut_slice(o)[lo..lo + data.len()].copy_from_slice(data);
    Ok(())
}

/// A new bytearray of type `ty` (a subtype's instance from its allocator), empty.
fn new_empty(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    object::alloc_object(ts, ty, 0)
}

/// A new bytearray copying `data`.
pub fn from_slice(ts: Ts, data: &[u8]) -> PyResult<*mut PyObject> {
    let o = new_empty(ts, bytearray_type())?;
    if let Err(e) = replace_range(ts, o, 0, 0, data) {
        unsafe { decref(o) };
        return Err(e);
    }
    Ok(o)
}

/// A new bytearray of `n` zero bytes (`PyByteArray_FromStringAndSize(NULL, n)` leaves
/// them for the caller to fill).
pub fn zeroed(ts: Ts, n: usize) -> PyResult<*mut PyObject> {
    let o = new_empty(ts, bytearray_type())?;
    if let Err(e) = set_len(ts, o, n) {
        unsafe { decref(o) };
        return Err(e);
    }
    as_mut_slice(o).fill(0);
    Ok(o)
}

// ---------------------------------------------------------------------------------
// Values from arguments

/// A byte value from an int (anything with `__index__`): `ValueError` outside 0..=255.
pub fn byte_value(ts: Ts, v: *mut PyObject) -> PyResult<u8> {
    if !protocols::number::index_check(v) {
        let name = type_name(type_of(v));
        return Err(errors::type_error(ts, &format!("'{name}' object cannot be interpreted as an integer")));
    }
    let i = protocols::number::as_ssize_t(ts, v, None)?;
    u8::try_from(i).map_err(|_| errors::value_error(ts, "byte must be in range(0, 256)"))
}

/// The bytes of an iterable of ints; `not_iterable` says what to raise when `v` is
/// not iterable at all.
fn bytes_of_iterable(ts: Ts, v: *mut PyObject, not_iterable: impl FnOnce(Ts) -> Raised) -> PyResult<Vec<u8>> {
    if !super::containers::is_iterable(v) {
        return Err(not_iterable(ts));
    }
    let it = protocols::iter::get_iter(ts, v)?;
    let mut out = Vec::new();
    let result = loop {
        match protocols::iter::next(ts, it) {
            Ok(Some(item)) => {
                let b = byte_value(ts, item);
                unsafe { decref(item) };
                match b {
                    Ok(b) => out.push(b),
                    Err(e) => break Err(e),
                }
            }
            Ok(None) => break Ok(out),
            Err(e) => break Err(e),
        }
    };
    unsafe { decref(it) };
    result
}

/// The initial contents `bytearray(source, encoding, errors)` gives (`tp_init`).
fn initial_contents(
    ts: Ts,
    source: Option<*mut PyObject>,
    encoding: Option<*mut PyObject>,
    handler: Option<*mut PyObject>,
) -> PyResult<Vec<u8>> {
    let Some(source) = source else {
        if encoding.is_some() {
            return Err(errors::type_error(ts, "encoding without a string argument"));
        }
        if handler.is_some() {
            return Err(errors::type_error(ts, "errors without a string argument"));
        }
        return Ok(Vec::new());
    };
    if unicode::check(source) {
        let Some(encoding) = encoding else {
            return Err(errors::type_error(ts, "string argument without an encoding"));
        };
        let encoding = super::methodargs::str_arg(ts, "bytearray", "argument 'encoding'", encoding)?;
        let handler = match handler {
            Some(h) => unicode::to_string_lossy(super::methodargs::str_arg(ts, "bytearray", "argument 'errors'", h)?),
            None => "strict".into(),
        };
        return super::unicode_codecs::encode(ts, source, &unicode::to_string_lossy(encoding), &handler);
    }
    if encoding.is_some() {
        return Err(errors::type_error(ts, "encoding without a string argument"));
    }
    if handler.is_some() {
        return Err(errors::type_error(ts, "errors without a string argument"));
    }
    if protocols::number::index_check(source) {
        let n = protocols::number::as_ssize_t(
            ts,
            source,
            Some(super::exceptions::exc(super::exceptions::Exc::OverflowError)),
        )?;
        if n < 0 {
            return Err(errors::value_error(ts, "negative count"));
        }
        return Ok(vec![0; n as usize]);
    }
    if let Some(data) = super::buffer::copy_of(ts, source)? {
        return Ok(data);
    }
    bytes_of_iterable(ts, source, |ts| {
        let name = type_name(type_of(source));
        errors::type_error(ts, &format!("cannot convert '{name}' object to bytearray"))
    })
}

/// `bytearray.__init__`: replaces the contents.
fn init(ts: Ts, o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> PyResult<()> {
    use super::methodargs::{bind_tuple_dict, Params};
    let p = Params {
        function: "bytearray",
        names: &["source", "encoding", "errors"],
        required: 0,
        positional: 3,
        keyword_from: 0,
    };
    let [source, encoding, handler] = bind_tuple_dict::<3>(ts, &p, args, kwds)?;
    let data = initial_contents(ts, source, encoding, handler)?;
    replace_range(ts, o, 0, len(o) as usize, &data)
}

/// `PyByteArray_FromObject`: `bytearray(o)`.
pub fn from_object(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let data = initial_contents(ts, Some(o), None, None)?;
    from_slice(ts, &data)
}

/// `a + b` as a new bytearray (`PyByteArray_Concat`, and the `+` of bytearray): both
/// must have a buffer.
pub fn concat(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    let refused = |ts| {
        let (ta, tb) = (type_name(type_of(a)), type_name(type_of(b)));
        errors::type_error(ts, &format!("can't concat {tb} to {ta}"))
    };
    let Some(mut x) = super::buffer::copy_of(ts, a)? else { return Err(refused(ts)) };
    let Some(y) = super::buffer::copy_of(ts, b)? else { return Err(refused(ts)) };
    x.extend_from_slice(&y);
    from_slice(ts, &x)
}

/// `o += other`: appends the buffer of `other`; returns `o` itself.
fn inplace_concat(ts: Ts, o: *mut PyObject, other: *mut PyObject) -> PyResult<*mut PyObject> {
    let Some(data) = super::buffer::copy_of(ts, other)? else {
        let name = type_name(type_of(other));
        return Err(errors::type_error(ts, &format!("can't concat {name} to bytearray")));
    };
    let n = len(o) as usize;
    replace_range(ts, o, n, n, &data)?;
    Ok(unsafe { new_ref(o) })
}

/// `o * n` as a new bytearray.
fn repeat(ts: Ts, o: *mut PyObject, n: isize) -> PyResult<*mut PyObject> {
    let data = as_slice(o);
    let n = n.max(0) as usize;
    if data.len().checked_mul(n).is_none_or(|t| t >= isize::MAX as usize) {
        return Err(errors::no_memory(ts));
    }
    from_slice(ts, &data.repeat(n))
}

/// `o *= n`; returns `o` itself.
fn inplace_repeat(ts: Ts, o: *mut PyObject, n: isize) -> PyResult<*mut PyObject> {
    let data = as_slice(o);
    let n = n.max(0) as usize;
    if data.len().checked_mul(n).is_none_or(|t| t >= isize::MAX as usize) {
        return Err(errors::no_memory(ts));
    }
    let repeated = data.repeat(n);
    replace_range(ts, o, 0, len(o) as usize, &repeated)?;
    Ok(unsafe { new_ref(o) })
}

/// The byte at `i` (already counted from the end when negative), as an int.
fn item(ts: Ts, o: *mut PyObject, i: isize) -> PyResult<*mut PyObject> {
    if i < 0 || i >= len(o) {
        return Err(errors::index_error(ts, "bytearray index out of range"));
    }
    long::from_i64(ts, i64::from(as_slice(o)[i as usize]))
}

fn subscript(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    use super::slice::{self, Subscript};
    match slice::subscript_key(ts, key, len(o), "bytearray indices must be integers or slices, not {}")? {
        Subscript::Index(i) => item(ts, o, i),
        Subscript::Slice { start, step, count } => {
            let data = as_slice(o);
            let picked: Vec<u8> = slice::positions(start, step, count).map(|p| data[p]).collect();
            from_slice(ts, &picked)
        }
    }
}

/// The bytes a slice assignment stores: a copy of any buffer (`o` itself included) or
/// of an iterable of ints; numbers and str are refused.
fn assigned_bytes(ts: Ts, v: *mut PyObject) -> PyResult<Vec<u8>> {
    let refused = |ts| errors::type_error(ts, "can assign only bytes, buffers, or iterables of ints in range(0, 256)");
    if unicode::check(v) || protocols::number::number_check(v) {
        return Err(refused(ts));
    }
    if let Some(data) = super::buffer::copy_of(ts, v)? {
        return Ok(data);
    }
    bytes_of_iterable(ts, v, |ts| {
        let name = type_name(type_of(v));
        errors::type_error(ts, &format!("cannot convert '{name}' object to bytearray"))
    })
}

/// `o[key] = value`, or `del o[key]` when `value` is None.
fn ass_subscript(ts: Ts, o: *mut PyObject, key: *mut PyObject, value: Option<*mut PyObject>) -> PyResult<()> {
    use super::slice::{self, Subscript};
    let what = "bytearray indices must be integers or slices, not {}";
    match slice::subscript_key(ts, key, len(o), what)? {
        Subscript::Index(i) => {
            let b = value.map(|v| byte_value(ts, v)).transpose()?;
            if i < 0 || i >= len(o) {
                return Err(errors::index_error(ts, "bytearray index out of range"));
            }
            match b {
                Some(b) => as_mut_slice(o)[i as usize] = b,
                None => replace_range(ts, o, i as usize, i as usize + 1, &[])?,
            }
            Ok(())
        }
        Subscript::Slice { start, step, count } => {
            let data = value.map(|v| assigned_bytes(ts, v)).transpose()?;
            // Converting the value may have run code that resized `o`: look again.
            let (start, step, count) = match slice::subscript_key(ts, key, len(o), what)? {
                Subscript::Slice { start, step, count } => (start, step, count),
                Subscript::Index(_) => (start, step, count),
            };
            if step == 1 {
                let lo = start.max(0) as usize;
                return replace_range(ts, o, lo, lo + count.max(0) as usize, data.as_deref().unwrap_or(&[]));
            }
            match data {
                Some(d) => {
                    if d.len() as isize != count {
                        let message =
                            format!("attempt to assign bytes of size {} to extended slice of size {count}", d.len());
                        return Err(errors::value_error(ts, &message));
                    }
                    let target = as_mut_slice(o);
                    for (p, b) in slice::positions(start, step, count).zip(d) {
                        target[p] = b;
                    }
                    Ok(())
                }
                None => {
                    let mut gone = vec![false; len(o) as usize];
                    for p in slice::positions(start, step, count) {
                        gone[p] = true;
                    }
                    let kept: Vec<u8> = as_slice(o).iter().zip(&gone).filter(|(_, &g)| !g).map(|(&b, _)| b).collect();
                    replace_range(ts, o, 0, len(o) as usize, &kept)
                }
            }
        }
    }
}

/// `x in o`: an int is a byte value; a buffer is a run of bytes to look for.
fn contains(ts: Ts, o: *mut PyObject, x: *mut PyObject) -> PyResult<bool> {
    if protocols::number::index_check(x) {
        let b = byte_value(ts, x)?;
        return Ok(as_slice(o).contains(&b));
    }
    let Some(needle) = super::buffer::copy_of(ts, x)? else {
        let name = type_name(type_of(x));
        return Err(errors::type_error(ts, &format!("a bytes-like object is required, not '{name}'")));
    };
    let hay = as_slice(o);
    Ok(needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle.as_slice()))
}

/// `a op b` between a bytearray and a bytes or bytearray; `NotImplemented` otherwise.
fn richcompare(ts: Ts, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<*mut PyObject> {
    let (Some(x), Some(y)) = (bytes_like(a), bytes_like(b)) else {
        return Ok(unsafe { new_ref(singletons::not_implemented()) });
    };
    let ordering = x.cmp(y);
    let result = match op {
        Py_EQ => x == y,
        Py_NE => x != y,
        Py_LT => ordering == Ordering::Less,
        Py_LE => ordering != Ordering::Greater,
        Py_GT => ordering == Ordering::Greater,
        Py_GE => ordering != Ordering::Less,
        _ => return Err(errors::bad_internal_call(ts)),
    };
    Ok(unsafe { new_ref(bool_::from_bool(result)) })
}

/// The text of `repr()`: `bytearray(b'...')` under the type's name, with CPython's
/// quoting for bytearrays: double quotes when there is a single quote and no double
/// one, and the single quote escaped either way.
pub fn repr_text(name: &str, data: &[u8]) -> String {
    let quote = if data.contains(&b'\'') && !data.contains(&b'"') { '"' } else { '\'' };
    let mut out = String::with_capacity(data.len() + name.len() + 5);
    out.push_str(name);
    out.push_str("(b");
    out.push(quote);
    for &b in data {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7e => out.push(b as char),
            _ => unicode::push_hex_escape(&mut out, u32::from(b)),
        }
    }
    out.push(quote);
    out.push(')');
    out
}

/// `PyBuffer_FillInfo` for the bytearray's data, writable, one byte per item.
fn fill_view(o: *mut PyObject, view: &mut Py_buffer, flags: c_int) {
    view.obj = unsafe { new_ref(o) };
    view.buf = as_ptr(o).cast();
    view.len = len(o);
    view.readonly = 0;
    view.itemsize = 1;
    view.format = if flags & PyBUF_FORMAT != 0 { c"B".as_ptr() as *mut c_char } else { null_mut() };
    view.ndim = 1;
    view.shape = if flags & PyBUF_ND != 0 { &raw mut view.len } else { null_mut() };
    view.strides = if flags & PyBUF_STRIDES == PyBUF_STRIDES { &raw mut view.itemsize } else { null_mut() };
    view.suboffsets = null_mut();
    view.internal = null_mut();
}

// ---------------------------------------------------------------------------------
// Slots

unsafe extern "C" fn bytearray_new(ty: *mut PyTypeObject, _: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| new_empty(ts, ty))
}

unsafe extern "C" fn bytearray_init(o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> c_int {
    boundary::slot(|ts| init(ts, o, args, kwds))
}

unsafe extern "C" fn bytearray_dealloc(o: *mut PyObject) {
    boundary::guard(|| unsafe {
        memory::free((*fields(o)).ob_bytes.cast());
        object::free_object(o);
    })
}

unsafe extern "C" fn bytearray_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| unicode::from_str(ts, &repr_text(super::typeobject::short_name(type_of(o)), as_slice(o))))
}

unsafe extern "C" fn bytearray_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::slot(|ts| richcompare(ts, a, b, op))
}

unsafe extern "C" fn bytearray_iter(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| super::iterobject::bytearray_iter(ts, o))
}

unsafe extern "C" fn bytearray_length(o: *mut PyObject) -> Py_ssize_t {
    boundary::guard(|| len(o))
}

unsafe extern "C" fn bytearray_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| concat(ts, a, b))
}

unsafe extern "C" fn bytearray_repeat(o: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| repeat(ts, o, n))
}

unsafe extern "C" fn bytearray_inplace_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| inplace_concat(ts, a, b))
}

unsafe extern "C" fn bytearray_inplace_repeat(o: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| inplace_repeat(ts, o, n))
}

/// `sq_item`: the sequence protocol has already counted a negative index from the end.
unsafe extern "C" fn bytearray_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| item(ts, o, i))
}

unsafe extern "C" fn bytearray_ass_item(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    boundary::slot(|ts| {
        let b = if v.is_null() { None } else { Some(byte_value(ts, v)?) };
        if i < 0 || i >= len(o) {
            return Err(errors::index_error(ts, "bytearray index out of range"));
        }
        match b {
            Some(b) => {
                as_mut_slice(o)[i as usize] = b;
                Ok(())
            }
            None => replace_range(ts, o, i as usize, i as usize + 1, &[]),
        }
    })
}

unsafe extern "C" fn bytearray_contains(o: *mut PyObject, x: *mut PyObject) -> c_int {
    boundary::slot(|ts| contains(ts, o, x))
}

unsafe extern "C" fn bytearray_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| subscript(ts, o, key))
}

unsafe extern "C" fn bytearray_ass_subscript(o: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int {
    boundary::slot(|ts| ass_subscript(ts, o, key, (!v.is_null()).then_some(v)))
}

/// `bf_getbuffer`: a writable view of the data; the storage is pinned until the view
/// is released.
unsafe extern "C" fn bytearray_getbuffer(o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    boundary::with_thread_state(|ts| {
        if view.is_null() {
            let e = super::exceptions::exc(super::exceptions::Exc::BufferError);
            errors::set_string(ts, e, "bytearray_getbuffer: view==NULL argument is obsolete");
            return -1;
        }
        // SAFETY: the caller passes a view to fill.
        fill_view(o, unsafe { &mut *view }, flags);
        unsafe { (*fields(o)).ob_exports += 1 };
        0
    })
}

/// `bf_releasebuffer`: one view fewer (the caller drops the view's reference).
unsafe extern "C" fn bytearray_releasebuffer(o: *mut PyObject, _view: *mut Py_buffer) {
    boundary::guard(|| unsafe {
        let f = fields(o);
        if (*f).ob_exports > 0 {
            (*f).ob_exports -= 1;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::repr_text;

    #[test]
    fn repr_escapes_the_single_quote_always() {
        assert_eq!(repr_text("bytearray", b""), "bytearray(b'')");
        assert_eq!(repr_text("bytearray", b"it's"), "bytearray(b\"it\\'s\")");
        assert_eq!(repr_text("bytearray", b"'\""), "bytearray(b'\\'\"')");
        assert_eq!(repr_text("B", b"\x00\n\\"), "B(b'\\x00\\n\\\\')");
    }
}
