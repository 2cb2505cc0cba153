//! `str`: compact PEP 393 strings, laid out as CPython 3.13 lays them out so that the
//! public inline accessors (`PyUnicode_KIND`, `PyUnicode_DATA` ...) work unchanged.
//!
//! Every string is stored in the narrowest kind that holds its widest character: ASCII
//! text right after a `PyASCIIObject`, other text after a `PyCompactUnicodeObject`.
//! Both are NUL-terminated. The UTF-8 form of non-ASCII text is made on demand and
//! cached in `utf8`, freed with the string. Equality and hashing rely on that
//! canonical form, so every constructor here keeps it.
//!
//! Codecs (UTF-8, Latin-1, ASCII, wchar_t, the file-system encoding) live in
//! `unicode_codecs.rs`.

use super::object::{self, decref, incref, new_ref};
use super::typeobject::type_name;
use super::{bool_, dict, list, singletons};
use crate::abi::*;
use crate::memory;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::cmp::Ordering;
use core::ffi::c_int;
use core::ptr::null_mut;

pub use super::unicode_codecs::{decode_utf8, Errors};

const ASCII_HEADER: usize = core::mem::size_of::<PyASCIIObject>();
const COMPACT_HEADER: usize = core::mem::size_of::<PyCompactUnicodeObject>();

const STATE_INTERNED_MASK: u32 = 0b11;
/// The values of the `interned` bits of a string's state (`PyUnicode_CHECK_INTERNED`).
pub const SSTATE_NOT_INTERNED: u32 = 0;
/// Held by its interpreter's table until the interpreter ends.
pub const SSTATE_INTERNED_MORTAL: u32 = 1;
/// Not used by isle: interned strings of an interpreter are never immortal.
pub const SSTATE_INTERNED_IMMORTAL: u32 = 2;
/// The shared static strings (`""`).
pub const SSTATE_INTERNED_IMMORTAL_STATIC: u32 = 3;
const STATE_KIND_SHIFT: u32 = 2;
const STATE_COMPACT: u32 = 1 << 5;
const STATE_ASCII: u32 = 1 << 6;
const STATE_STATIC: u32 = 1 << 7;

/// The largest code point.
pub(crate) const MAX_UNICODE: u32 = 0x10FFFF;

static mut UNICODE_AS_SEQUENCE: PySequenceMethods = PySequenceMethods {
    sq_length: Some(unicode_length),
    sq_concat: Some(unicode_concat),
    sq_repeat: Some(unicode_repeat),
    sq_item: Some(unicode_item),
    was_sq_slice: null_mut(),
    sq_ass_item: None,
    was_sq_ass_slice: null_mut(),
    sq_contains: Some(unicode_contains),
    sq_inplace_concat: None,
    sq_inplace_repeat: None,
};

static mut UNICODE_AS_MAPPING: PyMappingMethods =
    PyMappingMethods { mp_length: Some(unicode_length), mp_subscript: Some(unicode_subscript), mp_ass_subscript: None };

#[no_mangle]
pub static mut PyUnicode_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(unicode_dealloc),
    tp_repr: Some(unicode_repr),
    tp_str: Some(unicode_str),
    tp_hash: Some(unicode_hash),
    tp_richcompare: Some(unicode_richcompare),
    tp_iter: Some(unicode_iter),
    tp_new: Some(unicode_new),
    tp_as_sequence: &raw mut UNICODE_AS_SEQUENCE,
    tp_as_mapping: &raw mut UNICODE_AS_MAPPING,
    tp_methods: (&raw mut super::unicode_methods::STR_METHODS).cast(),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_UNICODE_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    // The size of a subclass instance's header, as in CPython (exact strs are
    // compact and sized by their length).
    ..PyTypeObject::blank(c"str", core::mem::size_of::<PyUnicodeObject>(), 0)
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

/// `SSTATE_*`: 0 when the string is not interned.
pub fn interned_state(o: *mut PyObject) -> u32 {
    head(o).state & STATE_INTERNED_MASK
}

/// The character data (kind-sized units, NUL-terminated).
pub fn data(o: *mut PyObject) -> *mut u8 {
    if head(o).state & STATE_COMPACT == 0 {
        // SAFETY: a str without the compact bit has the PyUnicodeObject layout.
        return unsafe { (*(o as *mut PyUnicodeObject)).data } as *mut u8;
    }
    let offset = if is_ascii(o) { ASCII_HEADER } else { COMPACT_HEADER };
    (o as usize + offset) as *mut u8
}

/// The narrowest kind holding code point `max`.
pub fn kind_for(max: u32) -> u32 {
    if max < 0x100 {
        1
    } else if max < 0x10000 {
        2
    } else {
        4
    }
}

/// Allocates an uninitialised string of `length` characters of `kind`; `ascii` says
/// whether every character will be below 128. Zero characters give the shared `""`.
pub fn alloc(ts: Ts, length: usize, kind: u32, ascii: bool) -> PyResult<*mut PyObject> {
    if length == 0 {
        return Ok(empty());
    }
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

/// `PyUnicode_New`: an uninitialised string of `length` characters for the caller
/// to fill, able to hold code points up to `max` (which picks its kind).
pub fn new_for_filling(ts: Ts, length: isize, max: u32) -> PyResult<*mut PyObject> {
    if length < 0 {
        return Err(errors::system_error(ts, "Negative size passed to PyUnicode_New"));
    }
    if max > 0x10FFFF {
        return Err(errors::system_error(ts, "invalid maximum character passed to PyUnicode_New"));
    }
    alloc_for(ts, length as usize, max)
}

/// Frees the character block of a subclass instance, and its UTF-8 copy unless
/// that is the same block (ASCII text).
fn release_separate_data(o: *mut PyObject) {
    // SAFETY: `o` has the PyUnicodeObject layout; both blocks are ours (or null).
    unsafe {
        let u = &mut *(o as *mut PyUnicodeObject);
        let utf8 = u._base.utf8 as *mut u8;
        if !utf8.is_null() && utf8 != u.data as *mut u8 {
            memory::free(utf8);
        }
        memory::free(u.data as *mut u8);
        u.data = core::ptr::null_mut();
        u._base.utf8 = core::ptr::null_mut();
    }
}

/// An instance of the str subclass `ty` holding the text of the exact str `text`,
/// in CPython's layout for subclass instances: the header in an object of the
/// type's size, the characters in a block of their own.
pub fn subclass_instance(ts: Ts, ty: *mut PyTypeObject, text: *mut PyObject) -> PyResult<*mut PyObject> {
    let n = len(text) as usize;
    let k = kind(text) as usize;
    let block = memory::alloc_in(ts, (n + 1) * k);
    if block.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `block` holds n + 1 characters; the text's data holds n and a NUL.
    unsafe { core::ptr::copy_nonoverlapping(data(text), block, (n + 1) * k) };
    let o = match object::alloc_object(ts, ty, 0) {
        Ok(o) => o,
        Err(e) => {
            // SAFETY: the block made above.
            unsafe { memory::free(block) };
            return Err(e);
        }
    };
    let ascii = is_ascii(text);
    // SAFETY: `o` is a fresh object of a str subclass, at least PyUnicodeObject big.
    unsafe {
        let u = &mut *(o as *mut PyUnicodeObject);
        u._base._base.length = n as isize;
        u._base._base.hash = -1;
        u._base._base.state = ((k as u32) << STATE_KIND_SHIFT) | if ascii { STATE_ASCII } else { 0 };
        u._base.utf8 = if ascii { block as *mut core::ffi::c_char } else { core::ptr::null_mut() };
        u._base.utf8_length = if ascii { n as isize } else { 0 };
        u.data = block as *mut core::ffi::c_void;
    }
    Ok(o)
}

/// `str(object='')` and `str(bytes, encoding, errors)`: the `tp_new` of str, and of
/// its subclasses.
unsafe extern "C" fn unicode_new(ty: *mut PyTypeObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let text = new_text(ts, args, kwargs)?;
        if ty == unicode_type() {
            return Ok(text);
        }
        let r = subclass_instance(ts, ty, text);
        // SAFETY: our reference to the exact text.
        unsafe { object::decref(text) };
        r
    })
}

/// The exact str that `str(...)` with these arguments gives.
fn new_text(ts: Ts, args: *mut PyObject, kwargs: *mut PyObject) -> PyResult<*mut PyObject> {
    const NAMES: [&str; 3] = ["object", "encoding", "errors"];
    let mut given: [*mut PyObject; 3] = [core::ptr::null_mut(); 3];
    let positional = super::tuple::items(args);
    if positional.len() > 3 {
        let n = positional.len();
        return Err(errors::type_error(ts, &format!("str() takes at most 3 arguments ({n} given)")));
    }
    given[..positional.len()].copy_from_slice(positional);
    if !kwargs.is_null() {
        let mut pos = 0;
        while let Some(e) = super::dict::next(kwargs, &mut pos) {
            let which = check(e.key).then(|| NAMES.iter().position(|n| equal_to_utf8(e.key, n.as_bytes()))).flatten();
            let Some(i) = which else {
                let name = to_string_lossy(e.key);
                return Err(errors::type_error(ts, &format!("str() got an unexpected keyword argument '{name}'")));
            };
            if !given[i].is_null() {
                let name = NAMES[i];
                return Err(errors::type_error(
                    ts,
                    &format!("argument for str() given by name ('{name}') and position ({})", i + 1),
                ));
            }
            given[i] = e.value;
        }
    }
    let [object, encoding, errors_arg] = given;
    if object.is_null() {
        return Ok(empty());
    }
    if encoding.is_null() && errors_arg.is_null() {
        return crate::protocols::object::str(ts, object);
    }
    decode_for_str(ts, object, encoding, errors_arg)
}

fn decode_for_str(
    ts: Ts,
    object: *mut PyObject,
    encoding: *mut PyObject,
    errors_arg: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let text_arg = |o: *mut PyObject, what: &str| -> PyResult<String> {
        if !check(o) {
            let tn = super::typeobject::type_name(object::type_of(o));
            return Err(errors::type_error(ts, &format!("str() argument '{what}' must be str, not {tn}")));
        }
        Ok(to_string_lossy(o))
    };
    let encoding = if encoding.is_null() { "utf-8".to_string() } else { text_arg(encoding, "encoding")? };
    let handler = if errors_arg.is_null() { "strict".to_string() } else { text_arg(errors_arg, "errors")? };
    if check(object) {
        return Err(errors::type_error(ts, "decoding str is not supported"));
    }
    if !super::bytes::check(object) {
        let tn = super::typeobject::type_name(object::type_of(object));
        return Err(errors::type_error(ts, &format!("decoding to str: need a bytes-like object, {tn} found")));
    }
    let codec = super::unicode_codecs::lookup_encoding(ts, &encoding)?;
    super::unicode_codecs::decode(
        ts,
        super::bytes::as_slice(object),
        codec,
        super::unicode_codecs::Errors::from_name(&handler),
    )
}

/// Allocates a string of `length` characters able to hold code point `max`.
fn alloc_for(ts: Ts, length: usize, max: u32) -> PyResult<*mut PyObject> {
    alloc(ts, length, kind_for(max), max < 0x80)
}

/// A new str from Rust text.
pub fn from_str(ts: Ts, s: &str) -> PyResult<*mut PyObject> {
    if s.is_ascii() {
        return from_ascii(ts, s.as_bytes());
    }
    let max = s.chars().map(|c| c as u32).max().unwrap_or(0);
    let n = s.chars().count();
    from_chars(ts, n, max, s.chars().map(|c| c as u32))
}

/// A new str from bytes the caller knows are ASCII.
pub fn from_ascii(ts: Ts, bytes: &[u8]) -> PyResult<*mut PyObject> {
    debug_assert!(bytes.is_ascii());
    if bytes.is_empty() {
        return Ok(empty());
    }
    let o = alloc(ts, bytes.len(), 1, true)?;
    // SAFETY: `o` has room for `bytes.len()` bytes of data.
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), data(o), bytes.len()) };
    Ok(o)
}

/// A new str from code points; `max` is the largest of them.
pub fn from_chars(ts: Ts, n: usize, max: u32, chars: impl Iterator<Item = u32>) -> PyResult<*mut PyObject> {
    let o = alloc_for(ts, n, max)?;
    for (i, c) in chars.take(n).enumerate() {
        write_char(o, i, c);
    }
    Ok(o)
}

/// A new str from a slice of code points (each at most `MAX_UNICODE`).
pub fn from_code_points(ts: Ts, chars: &[u32]) -> PyResult<*mut PyObject> {
    let max = chars.iter().copied().max().unwrap_or(0);
    from_chars(ts, chars.len(), max, chars.iter().copied())
}

/// Stores code point `c` at index `i` of a string being built.
fn write_char(o: *mut PyObject, i: usize, c: u32) {
    let d = data(o);
    // SAFETY: callers keep `i` below the length and `c` within the kind.
    unsafe {
        match kind(o) {
            1 => *d.add(i) = c as u8,
            2 => *(d as *mut u16).add(i) = c as u16,
            _ => *(d as *mut u32).add(i) = c,
        }
    }
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

pub fn chars(o: *mut PyObject) -> impl Iterator<Item = u32> + Clone {
    (0..len(o) as usize).map(move |i| char_at(o, i))
}

/// The data of a 1-byte string.
fn units1<'a>(o: *mut PyObject) -> &'a [u8] {
    // SAFETY: `len` units follow the header.
    unsafe { core::slice::from_raw_parts(data(o), len(o) as usize) }
}

fn units2<'a>(o: *mut PyObject) -> &'a [u16] {
    // SAFETY: 2-byte data starts 8-aligned and holds `len` units.
    unsafe { core::slice::from_raw_parts(data(o) as *const u16, len(o) as usize) }
}

fn units4<'a>(o: *mut PyObject) -> &'a [u32] {
    // SAFETY: 4-byte data starts 8-aligned and holds `len` units.
    unsafe { core::slice::from_raw_parts(data(o) as *const u32, len(o) as usize) }
}

/// The text as a Rust string; lone surrogates become U+FFFD.
pub fn to_string_lossy(o: *mut PyObject) -> String {
    if is_ascii(o) {
        // SAFETY: ASCII data is valid UTF-8.
        return unsafe { core::str::from_utf8_unchecked(units1(o)) }.to_owned();
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
        let text = super::unicode_codecs::encode_utf8(ts, o, Errors::Strict)?;
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
    boundary::guard(|| {
        if head(o).state & STATE_COMPACT == 0 {
            release_separate_data(o);
        } else if !is_ascii(o) {
            // SAFETY: non-ASCII strings have the compact layout; utf8 is ours.
            unsafe { memory::free((*(o as *mut PyCompactUnicodeObject)).utf8 as *mut u8) };
        }
        unsafe { object::free_object(o) }
    })
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

/// Code point order of two strings.
pub fn compare(a: *mut PyObject, b: *mut PyObject) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    match (kind(a), kind(b)) {
        (1, 1) => units1(a).cmp(units1(b)),
        (2, 2) => units2(a).cmp(units2(b)),
        (4, 4) => units4(a).cmp(units4(b)),
        _ => chars(a).cmp(chars(b)),
    }
}

/// Code point order of a string and a byte string read as Latin-1.
pub fn compare_with_latin1(o: *mut PyObject, bytes: &[u8]) -> Ordering {
    chars(o).cmp(bytes.iter().map(|&b| b as u32))
}

/// Whether `o` holds the text `utf8` encodes; false for invalid UTF-8 and for
/// strings with lone surrogates, which have no UTF-8 form.
pub fn equal_to_utf8(o: *mut PyObject, utf8: &[u8]) -> bool {
    if is_ascii(o) {
        return units1(o) == utf8;
    }
    // SAFETY: non-ASCII strings have the compact layout.
    let cached = unsafe { &*(o as *mut PyCompactUnicodeObject) };
    if !cached.utf8.is_null() {
        // SAFETY: the cache holds `utf8_length` bytes.
        let bytes = unsafe { core::slice::from_raw_parts(cached.utf8 as *const u8, cached.utf8_length as usize) };
        return bytes == utf8;
    }
    let Ok(text) = core::str::from_utf8(utf8) else { return false };
    chars(o).eq(text.chars().map(u32::from))
}

/// Whether the string contains U+0000.
pub fn has_nul(o: *mut PyObject) -> bool {
    find_char(o, 0, 0, len(o), true).is_some()
}

/// `a op b` for two strings; `NotImplemented` when either is not a str.
pub fn richcompare(ts: Ts, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<*mut PyObject> {
    if !check(a) || !check(b) {
        return Ok(unsafe { new_ref(singletons::not_implemented()) });
    }
    let result = match op {
        Py_EQ => equal(a, b),
        Py_NE => !equal(a, b),
        Py_LT => compare(a, b) == Ordering::Less,
        Py_LE => compare(a, b) != Ordering::Greater,
        Py_GT => compare(a, b) == Ordering::Greater,
        Py_GE => compare(a, b) != Ordering::Less,
        _ => return Err(errors::bad_internal_call(ts)),
    };
    Ok(bool_::from_bool(result))
}

/// The hash of the text, computed once and cached (except on shared immortal strings,
/// which are never written).
pub fn hash(o: *mut PyObject) -> Py_hash_t {
    let h = head(o);
    if h.hash != -1 {
        return h.hash;
    }
    let n = len(o) as usize * kind(o) as usize;
    // SAFETY: the string holds `n` bytes of data.
    let bytes = unsafe { core::slice::from_raw_parts(data(o), n) };
    let v = crate::objects::hash::bytes(bytes);
    if !object::is_immortal(o) {
        h.hash = v;
    }
    v
}

#[repr(C)]
struct EmptyStr {
    head: PyASCIIObject,
    nul: u64,
}

/// `""`, shared, immortal and interned in every interpreter.
static mut EMPTY: EmptyStr = EmptyStr {
    head: PyASCIIObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut PyUnicode_Type },
        length: 0,
        hash: -1,
        state: SSTATE_INTERNED_IMMORTAL_STATIC | (1 << STATE_KIND_SHIFT) | STATE_COMPACT | STATE_ASCII | STATE_STATIC,
    },
    nul: 0,
};

pub fn empty() -> *mut PyObject {
    &raw mut EMPTY as *mut PyObject
}

/// A static, immortal ASCII str of `N - 1` characters and its NUL, laid out as a
/// compact ASCII str.
#[repr(C)]
pub struct StaticStr<const N: usize> {
    head: PyASCIIObject,
    data: [u8; N],
}

/// `text` and a NUL, as the array a `StaticStr` holds.
const fn nul_terminated<const N: usize>(text: &str) -> [u8; N] {
    let b = text.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < b.len() {
        out[i] = b[i];
        i += 1;
    }
    out
}

/// Declares the static strs and `static_str`, which finds one by its text.
macro_rules! static_strs {
    ($($id:ident = $text:literal),* $(,)?) => {
        $(
            #[allow(non_upper_case_globals)]
            static mut $id: StaticStr<{ $text.len() + 1 }> = StaticStr {
                head: PyASCIIObject {
                    ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut PyUnicode_Type },
                    length: $text.len() as Py_ssize_t,
                    hash: -1,
                    state: SSTATE_INTERNED_IMMORTAL_STATIC
                        | (1 << STATE_KIND_SHIFT)
                        | STATE_COMPACT
                        | STATE_ASCII
                        | STATE_STATIC,
                },
                data: nul_terminated($text),
            };
        )*

        /// The static str whose text is `text`, if there is one: the names isle itself
        /// stores in dicts (module attributes, `sys`'s), so that making an
        /// interpreter's `sys` and modules allocates and hashes no string for them.
        /// Like `""` they are shared by every interpreter, immortal, and never written
        /// while an interpreter runs.
        pub fn static_str(text: &str) -> Option<*mut PyObject> {
            match text {
                $( $text => Some(&raw mut $id as *mut PyObject), )*
                _ => None,
            }
        }

        /// Stores each static str's hash under the runtime's key; run by
        /// `Py_Initialize` once the key is chosen, before any interpreter exists.
        pub fn hash_static_strs() {
            for o in [$( &raw mut $id as *mut PyObject ),*] {
                let h = head(o);
                h.hash = -1;
                h.hash = hash(o);
            }
        }
    };
}

static_strs! {
    S_NAME = "__name__", S_DOC = "__doc__", S_PACKAGE = "__package__", S_LOADER = "__loader__",
    S_SPEC = "__spec__", S_FILE = "__file__", S_PATH_DUNDER = "__path__",
    S_MODULES = "modules", S_SYS = "sys", S_BUILTINS = "builtins", S_PATH = "path", S_ARGV = "argv",
    S_VERSION = "version", S_VERSION_INFO = "version_info", S_HEXVERSION = "hexversion",
    S_MAXSIZE = "maxsize", S_BYTEORDER = "byteorder", S_PLATFORM = "platform",
    S_BUILTIN_MODULE_NAMES = "builtin_module_names", S_IMPLEMENTATION = "implementation",
    S_LAST_EXC = "last_exc", S_NAME_PLAIN = "name", S_CACHE_TAG = "cache_tag",
    S_LITTLE = "little", S_BIG = "big", S_LINUX = "linux", S_ISLE = "isle", S_FINAL = "final",
}

/// A str of `text`: the static one when there is one (see `static_str`), else new.
pub fn from_str_or_static(ts: Ts, text: &str) -> PyResult<*mut PyObject> {
    match static_str(text) {
        Some(s) => Ok(s),
        None => from_str(ts, text),
    }
}

// ---------------------------------------------------------------------------------
// Building strings from strings

/// `o` as an exact str: itself for a str, a copy for an instance of a subclass.
pub fn exact(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if check_exact(o) {
        return Ok(unsafe { new_ref(o) });
    }
    let n = len(o) as usize;
    let copy = alloc(ts, n, kind(o), is_ascii(o))?;
    copy_into(copy, 0, o, 0, n);
    Ok(copy)
}

/// Copies `n` characters of `src` from `from` into `dst` at `at`; `dst` is at least
/// as wide as the characters copied.
fn copy_into(dst: *mut PyObject, at: usize, src: *mut PyObject, from: usize, n: usize) {
    if n == 0 {
        return;
    }
    let k = kind(src) as usize;
    if kind(dst) as usize == k {
        // SAFETY: both ranges are inside their strings, which are distinct.
        unsafe { core::ptr::copy_nonoverlapping(data(src).add(from * k), data(dst).add(at * k), n * k) };
        return;
    }
    for i in 0..n {
        write_char(dst, at + i, char_at(src, from + i));
    }
}

/// `a + b`. An empty operand gives the other one back.
pub fn concat(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    if len(a) == 0 {
        return exact(ts, b);
    }
    if len(b) == 0 {
        return exact(ts, a);
    }
    let (la, lb) = (len(a) as usize, len(b) as usize);
    if la > isize::MAX as usize - lb {
        return Err(errors::overflow_error(ts, "strings are too large to concat"));
    }
    let o = alloc(ts, la + lb, kind(a).max(kind(b)), is_ascii(a) && is_ascii(b))?;
    copy_into(o, 0, a, 0, la);
    copy_into(o, la, b, 0, lb);
    Ok(o)
}

/// The characters `start..end` (already within bounds) in their narrowest kind.
fn slice(ts: Ts, o: *mut PyObject, start: usize, end: usize) -> PyResult<*mut PyObject> {
    let n = end - start;
    if is_ascii(o) {
        let s = alloc(ts, n, 1, true)?;
        copy_into(s, 0, o, start, n);
        return Ok(s);
    }
    let max = (start..end).map(|i| char_at(o, i)).max().unwrap_or(0);
    let s = alloc_for(ts, n, max)?;
    copy_into(s, 0, o, start, n);
    Ok(s)
}

/// `PyUnicode_Substring`: characters `start` up to `end` (clamped to the length).
pub fn substring(ts: Ts, o: *mut PyObject, start: isize, end: isize) -> PyResult<*mut PyObject> {
    let n = len(o);
    let end = end.min(n);
    if start == 0 && end == n {
        return exact(ts, o);
    }
    if start < 0 || end < 0 {
        return Err(errors::index_error(ts, "string index out of range"));
    }
    if start >= n || end < start {
        return Ok(empty());
    }
    slice(ts, o, start as usize, end as usize)
}

/// The code point at `index`, or `IndexError`.
pub fn read_char(ts: Ts, o: *mut PyObject, index: isize) -> PyResult<u32> {
    if index < 0 || index >= len(o) {
        return Err(errors::index_error(ts, "string index out of range"));
    }
    Ok(char_at(o, index as usize))
}

/// `TypeError: must be str, not T` unless `o` is a str.
pub fn ensure(ts: Ts, o: *mut PyObject) -> PyResult<()> {
    if check(o) {
        return Ok(());
    }
    let name = type_name(object::type_of(o));
    Err(errors::type_error(ts, &format!("must be str, not {name}")))
}

/// `str(o)` for an object that must already be a str (`PyUnicode_FromObject`).
pub fn from_object(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if check(o) {
        return exact(ts, o);
    }
    let name = type_name(object::type_of(o));
    Err(errors::type_error(ts, &format!("Can't convert '{name}' object to str implicitly")))
}

// ---------------------------------------------------------------------------------
// Searching

/// Python's slice rules for `start`/`end` arguments: negative counts from the end,
/// `end` is clamped into `0..=len` and `start` at 0 (a start past the end finds nothing).
pub(crate) fn adjust_indices(start: isize, end: isize, len: isize) -> (isize, isize) {
    let from_end = |i: isize| if i < 0 { (i + len).max(0) } else { i };
    (from_end(start), from_end(end).min(len))
}

fn matches_at(hay: *mut PyObject, at: usize, needle: *mut PyObject) -> bool {
    (0..len(needle) as usize).all(|j| char_at(hay, at + j) == char_at(needle, j))
}

/// Where `needle` first (or, backwards, last) occurs in `hay[start:end]`.
pub fn find(hay: *mut PyObject, needle: *mut PyObject, start: isize, end: isize, forward: bool) -> Option<usize> {
    let (start, end) = adjust_indices(start, end, len(hay));
    let m = len(needle);
    if end - start < m {
        return None;
    }
    let (start, end, m) = (start as usize, end as usize, m as usize);
    if m == 0 {
        return Some(if forward { start } else { end });
    }
    // A needle wider than the haystack holds a character the haystack cannot.
    if kind(needle) > kind(hay) {
        return None;
    }
    let mut candidates = start..=end - m;
    if kind(hay) == 1 && kind(needle) == 1 {
        let (h, n) = (units1(hay), units1(needle));
        let hit = |&i: &usize| &h[i..i + m] == n;
        return if forward { candidates.find(hit) } else { candidates.rev().find(hit) };
    }
    let hit = |&i: &usize| matches_at(hay, i, needle);
    if forward {
        candidates.find(hit)
    } else {
        candidates.rev().find(hit)
    }
}

/// Where code point `ch` first (or last) occurs in `o[start:end]`.
pub fn find_char(o: *mut PyObject, ch: u32, start: isize, end: isize, forward: bool) -> Option<usize> {
    let (start, end) = adjust_indices(start, end, len(o));
    if end - start < 1 {
        return None;
    }
    let mut range = start as usize..end as usize;
    let hit = |&i: &usize| char_at(o, i) == ch;
    if forward {
        range.find(hit)
    } else {
        range.rev().find(hit)
    }
}

/// `element in container`, both of which must be str.
pub fn contains(ts: Ts, container: *mut PyObject, element: *mut PyObject) -> PyResult<bool> {
    if !check(element) {
        let name = type_name(object::type_of(element));
        return Err(errors::type_error(ts, &format!("'in <string>' requires string as left operand, not {name}")));
    }
    ensure(ts, container)?;
    Ok(find(container, element, 0, isize::MAX, true).is_some())
}

// ---------------------------------------------------------------------------------
// Joining and splitting

/// The items of a list, tuple or other iterable, as new references; `TypeError` with
/// `message` when `o` cannot be iterated.
pub fn sequence_items(ts: Ts, o: *mut PyObject, message: &str) -> PyResult<Vec<*mut PyObject>> {
    crate::protocols::sequence::fast_items(ts, o, message).map(super::containers::OwnedRefs::into_vec)
}

/// Drops the references of a vector of owned items.
pub fn release_all(items: &[*mut PyObject]) {
    for &it in items {
        unsafe { decref(it) };
    }
}

/// `sep.join(seq)`; a null `sep` means a single space.
pub fn join(ts: Ts, sep: *mut PyObject, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    let items = sequence_items(ts, seq, "can only join an iterable")?;
    let result = join_items(ts, sep, &items);
    release_all(&items);
    result
}

fn join_items(ts: Ts, sep: *mut PyObject, items: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    match items {
        [] => return Ok(empty()),
        [only] if check_exact(*only) => return Ok(unsafe { new_ref(*only) }),
        _ => {}
    }
    if sep.is_null() {
        let space = from_str(ts, " ")?;
        let result = join_checked(ts, space, items);
        unsafe { decref(space) };
        return result;
    }
    if !check(sep) {
        let name = type_name(object::type_of(sep));
        return Err(errors::type_error(ts, &format!("separator: expected str instance, {name} found")));
    }
    join_checked(ts, sep, items)
}

fn join_checked(ts: Ts, sep: *mut PyObject, items: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    let (mut total, mut wide, mut ascii) = (0usize, kind(sep), is_ascii(sep));
    for (i, &it) in items.iter().enumerate() {
        if !check(it) {
            let name = type_name(object::type_of(it));
            return Err(errors::type_error(ts, &format!("sequence item {i}: expected str instance, {name} found")));
        }
        total = total.checked_add(len(it) as usize).ok_or_else(|| too_long_to_join(ts))?;
        wide = wide.max(kind(it));
        ascii &= is_ascii(it);
    }
    let seps = (len(sep) as usize).checked_mul(items.len() - 1).ok_or_else(|| too_long_to_join(ts))?;
    total = total.checked_add(seps).filter(|&t| t <= isize::MAX as usize).ok_or_else(|| too_long_to_join(ts))?;
    let out = alloc(ts, total, wide, ascii)?;
    let mut at = 0;
    for (i, &it) in items.iter().enumerate() {
        if i > 0 {
            copy_into(out, at, sep, 0, len(sep) as usize);
            at += len(sep) as usize;
        }
        copy_into(out, at, it, 0, len(it) as usize);
        at += len(it) as usize;
    }
    Ok(out)
}

fn too_long_to_join(ts: Ts) -> Raised {
    errors::overflow_error(ts, "join() result is too long for a Python string")
}

/// Python's `str.isspace` for one code point: Unicode white space, plus the
/// information separators U+001C..U+001F that Python also counts.
pub fn is_space(c: u32) -> bool {
    (0x1c..=0x1f).contains(&c) || char::from_u32(c).is_some_and(char::is_whitespace)
}

/// `s.split(sep, maxsplit)` as a list; a null `sep` splits on runs of white space, a
/// negative `maxsplit` means no limit.
pub fn split(ts: Ts, s: *mut PyObject, sep: *mut PyObject, maxsplit: isize) -> PyResult<*mut PyObject> {
    let limit = if maxsplit < 0 { usize::MAX } else { maxsplit as usize };
    let ranges = if sep.is_null() {
        split_whitespace_ranges(s, limit)
    } else {
        if len(sep) == 0 {
            return Err(errors::value_error(ts, "empty separator"));
        }
        split_sep_ranges(s, sep, limit)
    };
    let out = list::new(ts, 0)?;
    for (start, end) in ranges {
        let piece = substring(ts, s, start as isize, end as isize);
        let appended = piece.and_then(|p| {
            let r = list::append(ts, out, p);
            unsafe { decref(p) };
            r
        });
        if let Err(e) = appended {
            unsafe { decref(out) };
            return Err(e);
        }
    }
    Ok(out)
}

fn split_whitespace_ranges(s: *mut PyObject, limit: usize) -> Vec<(usize, usize)> {
    let n = len(s) as usize;
    let space_at = |i: usize| is_space(char_at(s, i));
    let mut ranges = Vec::new();
    let mut i = 0;
    while ranges.len() < limit {
        while i < n && space_at(i) {
            i += 1;
        }
        if i == n {
            return ranges;
        }
        let start = i;
        while i < n && !space_at(i) {
            i += 1;
        }
        ranges.push((start, i));
    }
    // The limit was reached: the rest, without its leading white space, is one piece.
    while i < n && space_at(i) {
        i += 1;
    }
    if i < n {
        ranges.push((i, n));
    }
    ranges
}

fn split_sep_ranges(s: *mut PyObject, sep: *mut PyObject, limit: usize) -> Vec<(usize, usize)> {
    let n = len(s) as usize;
    let mut ranges = Vec::new();
    let mut start = 0;
    while ranges.len() < limit {
        match find(s, sep, start as isize, n as isize, true) {
            Some(at) => {
                ranges.push((start, at));
                start = at + len(sep) as usize;
            }
            None => break,
        }
    }
    ranges.push((start, n));
    ranges
}

// ---------------------------------------------------------------------------------
// repr

/// Python's `str.isprintable` for one non-ASCII character. Rust's `escape_debug`
/// escapes exactly the characters Python calls unprintable (the categories Other and
/// Separator, except space); it also escapes combining marks at the start of a
/// string, so the character is looked at in second position.
fn is_printable_non_ascii(c: char) -> bool {
    let mut buf = [0u8; 5];
    buf[0] = b'a';
    let n = c.encode_utf8(&mut buf[1..]).len();
    match core::str::from_utf8(&buf[..n + 1]) {
        Ok(s) => s.escape_debug().nth(1) == Some(c),
        Err(_) => false,
    }
}

/// Appends `\xNN`, `\uNNNN` or `\UNNNNNNNN` for `c`, the shortest that fits.
pub fn push_hex_escape(out: &mut String, c: u32) {
    use core::fmt::Write;
    let _ = match c {
        0..=0xff => write!(out, "\\x{c:02x}"),
        0x100..=0xffff => write!(out, "\\u{c:04x}"),
        _ => write!(out, "\\U{c:08x}"),
    };
}

fn push_repr_char(out: &mut String, c: u32, quote: char) {
    match c {
        0x5c => out.push_str("\\\\"),
        0x09 => out.push_str("\\t"),
        0x0a => out.push_str("\\n"),
        0x0d => out.push_str("\\r"),
        _ if c == quote as u32 => {
            out.push('\\');
            out.push(quote);
        }
        0x20..=0x7e => out.push(c as u8 as char),
        0..=0x7f => push_hex_escape(out, c),
        _ => match char::from_u32(c) {
            Some(ch) if is_printable_non_ascii(ch) => out.push(ch),
            _ => push_hex_escape(out, c),
        },
    }
}

/// The text `repr()` gives for a string of code points `chars`: single quotes unless
/// the text has a single quote and no double quote, backslash escapes for the quote,
/// the backslash, tab, newline, carriage return and unprintable characters.
pub fn repr_text<I: Iterator<Item = u32> + Clone>(chars: I) -> String {
    let (mut single, mut double) = (false, false);
    for c in chars.clone() {
        single |= c == '\'' as u32;
        double |= c == '"' as u32;
    }
    let quote = if single && !double { '"' } else { '\'' };
    let mut out = String::with_capacity(chars.size_hint().0 + 2);
    out.push(quote);
    for c in chars {
        push_repr_char(&mut out, c, quote);
    }
    out.push(quote);
    out
}

pub fn repr(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    from_str(ts, &repr_text(chars(o)))
}

// ---------------------------------------------------------------------------------
// Interning: one table per interpreter, so no string is shared between two of them
// (except the immortal static ones). The table holds its strings until the
// interpreter ends.

fn interned_table(ts: Ts) -> PyResult<*mut PyObject> {
    crate::runtime::interp::get_or_make(&ts.interp().interned, || dict::new(ts))
}

/// Replaces `*p` by the interpreter's interned string equal to it, interning `*p`
/// itself when there is none. Instances of str subclasses are left alone.
pub fn intern_in_place(ts: Ts, p: &mut *mut PyObject) -> PyResult<()> {
    let s = *p;
    if !check_exact(s) || interned_state(s) != SSTATE_NOT_INTERNED {
        return Ok(());
    }
    if len(s) == 0 {
        *p = empty();
        unsafe { decref(s) };
        return Ok(());
    }
    let table = interned_table(ts)?;
    if let Some(found) = dict::get_item(ts, table, s)? {
        unsafe {
            incref(found);
            decref(s);
        }
        *p = found;
        return Ok(());
    }
    dict::set_item(ts, table, s, s)?;
    head(s).state |= SSTATE_INTERNED_MORTAL;
    Ok(())
}

/// The interned string equal to `s`, whose reference is taken over.
pub fn intern(ts: Ts, mut s: *mut PyObject) -> PyResult<*mut PyObject> {
    if let Err(e) = intern_in_place(ts, &mut s) {
        unsafe { decref(s) };
        return Err(e);
    }
    Ok(s)
}

/// The interned string for `text`.
pub fn intern_str(ts: Ts, text: &str) -> PyResult<*mut PyObject> {
    intern(ts, from_str(ts, text)?)
}

// ---------------------------------------------------------------------------------
// Slots

/// `o[key]`: a one-character str, or a str for a slice (an exact str's whole slice
/// is itself).
pub fn subscript(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    use super::slice::{self, Subscript};
    match slice::subscript_key(ts, key, len(o), "string indices must be integers, not '{}'")? {
        Subscript::Index(i) => read_char(ts, o, i).and_then(|c| from_chars(ts, 1, c, core::iter::once(c))),
        Subscript::Slice { step: 1, count, .. } if count == len(o) && check_exact(o) => Ok(unsafe { new_ref(o) }),
        Subscript::Slice { start, step, count } => {
            let picked: Vec<u32> = slice::positions(start, step, count).map(|p| char_at(o, p)).collect();
            from_code_points(ts, &picked)
        }
    }
}

/// `o * n`; an exact str once over is itself.
pub fn repeat(ts: Ts, o: *mut PyObject, n: isize) -> PyResult<*mut PyObject> {
    if n == 1 && check_exact(o) {
        return Ok(unsafe { new_ref(o) });
    }
    let n = n.max(0) as usize;
    let Some(total) = (len(o) as usize).checked_mul(n).filter(|&t| t <= isize::MAX as usize / 4) else {
        return Err(errors::overflow_error(ts, "repeated string is too long"));
    };
    let max = chars(o).max().unwrap_or(0);
    from_chars(ts, total, max, chars(o).cycle())
}

unsafe extern "C" fn unicode_repeat(o: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| repeat(ts, o, n))
}

unsafe extern "C" fn unicode_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| subscript(ts, o, key))
}

unsafe extern "C" fn unicode_iter(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| super::iterobject::str_iter(ts, o).unwrap_or(null_mut()))
}

unsafe extern "C" fn unicode_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| repr(ts, o).unwrap_or(null_mut()))
}

unsafe extern "C" fn unicode_str(o: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| exact(ts, o).unwrap_or(null_mut()))
}

unsafe extern "C" fn unicode_hash(o: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| hash(o))
}

unsafe extern "C" fn unicode_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    boundary::with_thread_state(|ts| richcompare(ts, a, b, op).unwrap_or(null_mut()))
}

unsafe extern "C" fn unicode_length(o: *mut PyObject) -> Py_ssize_t {
    boundary::guard(|| len(o))
}

/// `a + b` as the sequence slot: `a` is a str, `b` must be one.
unsafe extern "C" fn unicode_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| concat_checked(ts, a, b).unwrap_or(null_mut()))
}

/// `PyUnicode_Concat`: both operands must be str.
pub fn concat_checked(ts: Ts, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    ensure(ts, a)?;
    if !check(b) {
        let name = type_name(object::type_of(b));
        return Err(errors::type_error(ts, &format!("can only concatenate str (not \"{name}\") to str")));
    }
    concat(ts, a, b)
}

unsafe extern "C" fn unicode_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    boundary::with_thread_state(|ts| {
        read_char(ts, o, i).and_then(|c| from_chars(ts, 1, c, core::iter::once(c))).unwrap_or(null_mut())
    })
}

unsafe extern "C" fn unicode_contains(container: *mut PyObject, element: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| match contains(ts, container, element) {
        Ok(found) => found as c_int,
        Err(Raised) => -1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr_of(s: &str) -> String {
        repr_text(s.chars().map(|c| c as u32))
    }

    #[test]
    fn static_strs_read_as_the_str_of_their_text() {
        let o = static_str("builtin_module_names").expect("a static str");
        assert!(check_exact(o) && is_ascii(o) && object::is_immortal(o));
        assert_eq!(to_string_lossy(o), "builtin_module_names");
        assert_eq!(len(o), 20);
        // SAFETY: the data holds len + 1 bytes.
        assert_eq!(unsafe { *data(o).add(20) }, 0);
        hash_static_strs();
        assert_eq!(hash(o), crate::objects::hash::bytes(b"builtin_module_names"));
        assert!(static_str("no such name").is_none());
    }

    #[test]
    fn repr_prefers_single_quotes() {
        assert_eq!(repr_of("abc"), "'abc'");
        assert_eq!(repr_of(""), "''");
        assert_eq!(repr_of("it's"), "\"it's\"");
        assert_eq!(repr_of("say \"hi\""), "'say \"hi\"'");
        assert_eq!(repr_of("both ' and \""), "'both \\' and \"'");
    }

    #[test]
    fn repr_escapes_controls_and_backslash() {
        assert_eq!(repr_of("a\\b"), "'a\\\\b'");
        assert_eq!(repr_of("\t\n\r"), "'\\t\\n\\r'");
        assert_eq!(repr_of("\0\x1b\x7f"), "'\\x00\\x1b\\x7f'");
    }

    #[test]
    fn repr_keeps_printable_non_ascii() {
        assert_eq!(repr_of("caf\u{e9}"), "'caf\u{e9}'");
        assert_eq!(repr_of("\u{20ac}\u{1f600}"), "'\u{20ac}\u{1f600}'");
        // A combining mark is printable even at the start.
        assert_eq!(repr_of("\u{301}"), "'\u{301}'");
    }

    #[test]
    fn repr_escapes_unprintable_non_ascii() {
        assert_eq!(repr_of("\u{a0}"), "'\\xa0'");
        assert_eq!(repr_of("\u{ad}"), "'\\xad'");
        assert_eq!(repr_of("\u{200b}\u{2028}"), "'\\u200b\\u2028'");
        assert_eq!(repr_of("\u{e000}"), "'\\ue000'");
        assert_eq!(repr_of("\u{e0001}"), "'\\U000e0001'");
        assert_eq!(repr_text([0xd800u32].into_iter()), "'\\ud800'");
    }

    #[test]
    fn indices_follow_slice_rules() {
        assert_eq!(adjust_indices(0, isize::MAX, 5), (0, 5));
        assert_eq!(adjust_indices(-2, -1, 5), (3, 4));
        assert_eq!(adjust_indices(-10, 10, 5), (0, 5));
        assert_eq!(adjust_indices(7, 9, 5), (7, 5));
    }

    #[test]
    fn python_white_space() {
        for c in [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1f, 0x85, 0xa0, 0x3000, 0x2028] {
            assert!(is_space(c), "{c:#x}");
        }
        for c in [0x41, 0x200b, 0xd800, 0x00] {
            assert!(!is_space(c), "{c:#x}");
        }
    }
}
