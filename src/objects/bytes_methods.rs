//! The Python-visible methods of `bytes` (its `tp_methods`), as CPython 3.13 has them,
//! and the core they share with `bytearray` (`bytearray_methods.rs` lists the same
//! functions): each reads its object's data through `data_of` and builds results of
//! its object's kind (`same_kind`). Arguments CPython takes as any bytes-like object
//! are read through `buffer::copy_of` (bytes, bytearray, any `bf_getbuffer`).
//!
//! A bytearray's data may be resized by Python code an argument conversion runs
//! (`__index__`), so the data is read only after every argument is converted.

use super::methodargs::{
    bind, check_positional, fast, fast_kw, positional, simple, slice_index, ssize, str_arg, Params, END,
};
use super::object::{self, decref, new_ref};
use super::typeobject::type_name;
use super::unicode_codecs::{self, Errors};
use super::{bool_, bytearray, bytes, list, long, singletons, tuple, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

/// The `tp_methods` of `bytes` or `bytearray`: the methods the two share (these
/// functions, which build results of their object's kind), then `own`, then the end.
macro_rules! bytes_like_methods {
    ($($own:expr),* $(,)?) => {
        [
            fast_kw(c"decode", bytes_decode),
            simple(c"join", bytes_join, METH_O),
            fast(c"startswith", bytes_startswith),
            fast(c"endswith", bytes_endswith),
            fast(c"find", bytes_find),
            fast(c"rfind", bytes_rfind),
            fast(c"index", bytes_index),
            fast(c"rindex", bytes_rindex),
            fast(c"count", bytes_count),
            fast_kw(c"split", bytes_split),
            fast(c"replace", bytes_replace),
            fast_kw(c"hex", bytes_hex),
            simple(c"isascii", bytes_isascii, METH_NOARGS),
            fast(c"strip", bytes_strip),
            fast(c"lstrip", bytes_lstrip),
            fast(c"rstrip", bytes_rstrip),
            simple(c"lower", bytes_lower, METH_NOARGS),
            simple(c"upper", bytes_upper, METH_NOARGS),
            simple(c"swapcase", bytes_swapcase, METH_NOARGS),
            simple(c"isalnum", bytes_isalnum, METH_NOARGS),
            simple(c"isalpha", bytes_isalpha, METH_NOARGS),
            simple(c"isdigit", bytes_isdigit, METH_NOARGS),
            simple(c"isspace", bytes_isspace, METH_NOARGS),
            simple(c"islower", bytes_islower, METH_NOARGS),
            simple(c"isupper", bytes_isupper, METH_NOARGS),
            simple(c"removeprefix", bytes_removeprefix, METH_O),
            simple(c"removesuffix", bytes_removesuffix, METH_O),
            $($own,)*
            END,
        ]
    };
}
pub(super) use bytes_like_methods;

pub static mut BYTES_METHODS: [PyMethodDef; 29] =
    bytes_like_methods![simple(c"fromhex", bytes_fromhex, METH_O | METH_CLASS)];

pub(super) unsafe extern "C" fn bytes_decode(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| decode(ts, b, args, n, kw))
}

pub(super) unsafe extern "C" fn bytes_join(b: *mut PyObject, seq: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| join(ts, b, seq))
}

pub(super) unsafe extern "C" fn bytes_startswith(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| tailmatch(ts, b, positional(args, n), "startswith", false))
}

pub(super) unsafe extern "C" fn bytes_endswith(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| tailmatch(ts, b, positional(args, n), "endswith", true))
}

pub(super) unsafe extern "C" fn bytes_find(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, b, positional(args, n), "find", true, false))
}

pub(super) unsafe extern "C" fn bytes_rfind(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, b, positional(args, n), "rfind", false, false))
}

pub(super) unsafe extern "C" fn bytes_index(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, b, positional(args, n), "index", true, true))
}

pub(super) unsafe extern "C" fn bytes_rindex(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, b, positional(args, n), "rindex", false, true))
}

pub(super) unsafe extern "C" fn bytes_count(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| count(ts, b, positional(args, n)))
}

pub(super) unsafe extern "C" fn bytes_split(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| split(ts, b, args, n, kw))
}

pub(super) unsafe extern "C" fn bytes_replace(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| replace(ts, b, positional(args, n)))
}

pub(super) unsafe extern "C" fn bytes_hex(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| hex(ts, b, args, n, kw))
}

pub(super) unsafe extern "C" fn bytes_isascii(b: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| Ok::<_, errors::Raised>(bool_ref(data_of(b).is_ascii())))
}

fn bool_ref(v: bool) -> *mut PyObject {
    // SAFETY: True and False are immortal.
    unsafe { new_ref(bool_::from_bool(v)) }
}

/// The data of a bytes or bytearray `self`.
pub fn data_of<'a>(o: *mut PyObject) -> &'a [u8] {
    if bytes::check(o) {
        bytes::as_slice(o)
    } else {
        bytearray::as_slice(o)
    }
}

/// A result of the kind of `o`: a bytearray for a bytearray, else bytes.
pub fn same_kind(ts: Ts, o: *mut PyObject, data: &[u8]) -> PyResult<*mut PyObject> {
    if bytearray::check(o) {
        bytearray::from_slice(ts, data)
    } else {
        bytes::from_slice(ts, data)
    }
}

/// A bytes-like argument (copied), with CPython's message for anything else.
pub fn bytes_arg(ts: Ts, v: *mut PyObject, message: impl FnOnce(&str) -> String) -> PyResult<Vec<u8>> {
    match super::buffer::copy_of(ts, v)? {
        Some(data) => Ok(data),
        None => Err(errors::type_error(ts, &message(type_name(object::type_of(v))))),
    }
}

fn decode(
    ts: Ts,
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let p = Params { function: "decode", names: &["encoding", "errors"], required: 0, positional: 2, keyword_from: 0 };
    let [encoding, handler] = bind::<2>(ts, &p, args, n, kw)?;
    let encoding = match encoding {
        Some(e) => unicode::to_string_lossy(str_arg(ts, "decode", "argument 'encoding'", e)?),
        None => "utf-8".into(),
    };
    let handler = match handler {
        Some(e) => unicode::to_string_lossy(str_arg(ts, "decode", "argument 'errors'", e)?),
        None => "strict".into(),
    };
    let encoding = unicode_codecs::lookup_encoding(ts, &encoding)?;
    unicode_codecs::decode(ts, data_of(b), encoding, Errors::from_name(&handler))
}

fn join(ts: Ts, sep: *mut PyObject, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    let items = unicode::sequence_items(ts, seq, "can only join an iterable")?;
    let mut out = Vec::new();
    let mut failed = None;
    for (i, &it) in items.iter().enumerate() {
        let Some(data) = bytearray::bytes_like(it) else {
            failed = Some(format!(
                "sequence item {i}: expected a bytes-like object, {} found",
                type_name(object::type_of(it))
            ));
            break;
        };
        if i > 0 {
            out.extend_from_slice(data_of(sep));
        }
        out.extend_from_slice(data);
    }
    unicode::release_all(&items);
    match failed {
        Some(message) => Err(errors::type_error(ts, &message)),
        None => same_kind(ts, sep, &out),
    }
}

/// The `start`/`end` arguments, not yet clamped (converting them may run code).
fn range_args(ts: Ts, args: &[*mut PyObject], function: &str) -> PyResult<(isize, isize)> {
    check_positional(ts, function, args.len(), 1, 3)?;
    Ok((slice_index(ts, args.get(1).copied(), 0)?, slice_index(ts, args.get(2).copied(), isize::MAX)?))
}

/// `start`/`end` clamped into `0..=len` as slices are (start may pass the end).
fn clamp((start, end): (isize, isize), len: usize) -> (usize, usize) {
    let (start, end) = unicode::adjust_indices(start, end, len as isize);
    (start as usize, end as usize)
}

/// The needle of find and friends: bytes, or an int 0..=255 for one byte.
fn needle(ts: Ts, v: *mut PyObject) -> PyResult<Vec<u8>> {
    if let Some(data) = super::buffer::copy_of(ts, v)? {
        return Ok(data);
    }
    if long::check(v) {
        let b = long::as_long(ts, v)?;
        return u8::try_from(b).map(|b| vec![b]).map_err(|_| errors::value_error(ts, "byte must be in range(0, 256)"));
    }
    let name = type_name(object::type_of(v));
    Err(errors::type_error(ts, &format!("argument should be integer or bytes-like object, not '{name}'")))
}

fn find_in(hay: &[u8], sub: &[u8], start: usize, end: usize, forward: bool) -> Option<usize> {
    if end < start || end - start < sub.len() {
        return None;
    }
    let mut at = start..=end - sub.len();
    let hit = |&i: &usize| &hay[i..i + sub.len()] == sub;
    if forward {
        at.find(hit)
    } else {
        at.rev().find(hit)
    }
}

fn find_method(
    ts: Ts,
    b: *mut PyObject,
    args: &[*mut PyObject],
    function: &str,
    forward: bool,
    raise: bool,
) -> PyResult<*mut PyObject> {
    let range = range_args(ts, args, function)?;
    let sub = needle(ts, args[0])?;
    let hay = data_of(b);
    let (start, end) = clamp(range, hay.len());
    match find_in(hay, &sub, start, end, forward) {
        Some(i) => long::from_i64(ts, i as i64),
        None if raise => Err(errors::value_error(ts, "subsection not found")),
        None => long::from_i64(ts, -1),
    }
}

fn count(ts: Ts, b: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    let range = range_args(ts, args, "count")?;
    let sub = needle(ts, args[0])?;
    let hay = data_of(b);
    let (start, end) = clamp(range, hay.len());
    if end < start {
        return long::from_i64(ts, 0);
    }
    if sub.is_empty() {
        return long::from_i64(ts, (end - start + 1) as i64);
    }
    let (mut i, mut found) = (start, 0i64);
    while let Some(at) = find_in(hay, &sub, i, end, true) {
        found += 1;
        i = at + sub.len();
    }
    long::from_i64(ts, found)
}

fn tailmatch(
    ts: Ts,
    b: *mut PyObject,
    args: &[*mut PyObject],
    function: &str,
    at_end: bool,
) -> PyResult<*mut PyObject> {
    let range = range_args(ts, args, function)?;
    let what = args[0];
    let candidates: &[*mut PyObject] =
        if tuple::check(what) { tuple::items(what) } else { core::slice::from_ref(&args[0]) };
    let mut subs = Vec::with_capacity(candidates.len());
    for &c in candidates {
        subs.push(bytes_arg(ts, c, |name| {
            if tuple::check(what) {
                format!("a bytes-like object is required, not '{name}'")
            } else {
                format!("{function} first arg must be bytes or a tuple of bytes, not {name}")
            }
        })?);
    }
    let hay = data_of(b);
    let (start, end) = clamp(range, hay.len());
    for sub in &subs {
        let sub = sub.as_slice();
        if start <= hay.len() && end >= start && end - start >= sub.len() {
            let at = if at_end { end - sub.len() } else { start };
            if &hay[at..at + sub.len()] == sub {
                return Ok(bool_ref(true));
            }
        }
    }
    Ok(bool_ref(false))
}

fn split(
    ts: Ts,
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let p = Params { function: "split", names: &["sep", "maxsplit"], required: 0, positional: 2, keyword_from: 0 };
    let [sep, maxsplit] = bind::<2>(ts, &p, args, n, kw)?;
    let sep = match sep {
        Some(s) if s != singletons::none() => {
            Some(bytes_arg(ts, s, |name| format!("a bytes-like object is required, not '{name}'"))?)
        }
        _ => None,
    };
    let maxsplit = ssize(ts, maxsplit, -1)?;
    let limit = if maxsplit < 0 { usize::MAX } else { maxsplit as usize };
    let hay = data_of(b);
    let ranges = match sep.as_deref() {
        Some([]) => return Err(errors::value_error(ts, "empty separator")),
        Some(sep) => {
            let (mut ranges, mut start) = (Vec::new(), 0);
            while ranges.len() < limit {
                let Some(at) = find_in(hay, sep, start, hay.len(), true) else { break };
                ranges.push((start, at));
                start = at + sep.len();
            }
            ranges.push((start, hay.len()));
            ranges
        }
        None => split_whitespace(hay, limit),
    };
    let out = list::new(ts, 0)?;
    for (s, e) in ranges {
        let r = same_kind(ts, b, &hay[s..e]).and_then(|piece| {
            let r = list::append(ts, out, piece);
            unsafe { decref(piece) };
            r
        });
        if let Err(err) = r {
            unsafe { decref(out) };
            return Err(err);
        }
    }
    Ok(out)
}

fn split_whitespace(hay: &[u8], limit: usize) -> Vec<(usize, usize)> {
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C);
    let (mut ranges, mut i, n) = (Vec::new(), 0, hay.len());
    while ranges.len() < limit {
        while i < n && space(hay[i]) {
            i += 1;
        }
        if i == n {
            return ranges;
        }
        let start = i;
        while i < n && !space(hay[i]) {
            i += 1;
        }
        ranges.push((start, i));
    }
    while i < n && space(hay[i]) {
        i += 1;
    }
    if i < n {
        ranges.push((i, n));
    }
    ranges
}

fn replace(ts: Ts, b: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    check_positional(ts, "replace", args.len(), 2, 3)?;
    let message = |name: &str| format!("a bytes-like object is required, not '{name}'");
    let old = bytes_arg(ts, args[0], message)?;
    let new = bytes_arg(ts, args[1], message)?;
    let count = ssize(ts, args.get(2).copied(), -1)?;
    let (old, new) = (old.as_slice(), new.as_slice());
    let limit = if count < 0 { usize::MAX } else { count as usize };
    let hay = data_of(b);
    let mut out = Vec::with_capacity(hay.len());
    let (mut i, mut done) = (0, 0);
    if old.is_empty() {
        while i <= hay.len() {
            if done < limit {
                out.extend_from_slice(new);
                done += 1;
            }
            if i < hay.len() {
                out.push(hay[i]);
            }
            i += 1;
        }
    } else {
        while done < limit {
            let Some(at) = find_in(hay, old, i, hay.len(), true) else { break };
            out.extend_from_slice(&hay[i..at]);
            out.extend_from_slice(new);
            i = at + old.len();
            done += 1;
        }
        out.extend_from_slice(&hay[i..]);
    }
    same_kind(ts, b, &out)
}

/// `b.hex(sep=<none>, bytes_per_sep=1)`: a positive `bytes_per_sep` groups from the
/// right, a negative one from the left.
fn hex(
    ts: Ts,
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let p = Params { function: "hex", names: &["sep", "bytes_per_sep"], required: 0, positional: 2, keyword_from: 0 };
    let [sep, per] = bind::<2>(ts, &p, args, n, kw)?;
    let per = long_arg(ts, per)?;
    let sep = match sep {
        None => None,
        Some(s) => Some(separator(ts, s)?),
    };
    let data = data_of(b);
    let mut out = String::with_capacity(data.len() * 3);
    let group = per.unsigned_abs().max(1);
    for (i, byte) in data.iter().enumerate() {
        if let Some(sep) = sep {
            let boundary = if per > 0 { (data.len() - i) % group == 0 } else { i % group == 0 };
            if i > 0 && per != 0 && boundary {
                out.push(sep);
            }
        }
        out.push_str(&format!("{byte:02x}"));
    }
    unicode::from_str(ts, &out)
}

fn long_arg(ts: Ts, v: Option<*mut PyObject>) -> PyResult<isize> {
    match v {
        None => Ok(1),
        Some(v) => long::as_ssize(ts, v),
    }
}

/// The separator of `hex`: one ASCII character, as str or bytes.
fn separator(ts: Ts, s: *mut PyObject) -> PyResult<char> {
    let text: Vec<u32> = if unicode::check(s) {
        unicode::chars(s).collect()
    } else if bytes::check(s) {
        bytes::as_slice(s).iter().map(|&c| u32::from(c)).collect()
    } else {
        return Err(errors::type_error(ts, "sep must be str or bytes."));
    };
    match text.as_slice() {
        [c] if *c < 128 => Ok(char::from(*c as u8)),
        [_] => Err(errors::value_error(ts, "sep must be ASCII.")),
        _ => Err(errors::value_error(ts, "sep must be length 1.")),
    }
}

// ---------------------------------------------------------------------------------
// Stripping, case and character classes (shared with bytearray)

pub(super) unsafe extern "C" fn bytes_strip(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| strip(ts, b, positional(args, n), "strip", true, true))
}

pub(super) unsafe extern "C" fn bytes_lstrip(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| strip(ts, b, positional(args, n), "lstrip", true, false))
}

pub(super) unsafe extern "C" fn bytes_rstrip(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| strip(ts, b, positional(args, n), "rstrip", false, true))
}

pub(super) unsafe extern "C" fn bytes_lower(b: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| same_kind(ts, b, &data_of(b).to_ascii_lowercase()))
}

pub(super) unsafe extern "C" fn bytes_upper(b: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| same_kind(ts, b, &data_of(b).to_ascii_uppercase()))
}

pub(super) unsafe extern "C" fn bytes_swapcase(b: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let swapped: Vec<u8> = data_of(b)
            .iter()
            .map(|&c| if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
            .collect();
        same_kind(ts, b, &swapped)
    })
}

pub(super) unsafe extern "C" fn bytes_removeprefix(b: *mut PyObject, prefix: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| remove_affix(ts, b, prefix, true))
}

pub(super) unsafe extern "C" fn bytes_removesuffix(b: *mut PyObject, suffix: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| remove_affix(ts, b, suffix, false))
}

/// `bytes.fromhex(string)` (a class method): the bytes the hex digits spell.
unsafe extern "C" fn bytes_fromhex(ty: *mut PyObject, text: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| fromhex(ts, ty as *mut PyTypeObject, text, bytes::bytes_type(), bytes::from_slice))
}

pub(super) unsafe extern "C" fn bytearray_fromhex(ty: *mut PyObject, text: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| fromhex(ts, ty as *mut PyTypeObject, text, bytearray::bytearray_type(), bytearray::from_slice))
}

macro_rules! char_class {
    ($fn:ident, $test:expr) => {
        pub(super) unsafe extern "C" fn $fn(b: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
            boundary::slot(|_| {
                let data = data_of(b);
                Ok::<_, errors::Raised>(bool_ref(!data.is_empty() && data.iter().all($test)))
            })
        }
    };
}
char_class!(bytes_isalnum, |c: &u8| c.is_ascii_alphanumeric());
char_class!(bytes_isalpha, |c: &u8| c.is_ascii_alphabetic());
char_class!(bytes_isdigit, |c: &u8| c.is_ascii_digit());
char_class!(bytes_isspace, |c: &u8| is_space(*c));

pub(super) unsafe extern "C" fn bytes_islower(b: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| {
        let data = data_of(b);
        let cased = data.iter().any(u8::is_ascii_lowercase) && !data.iter().any(u8::is_ascii_uppercase);
        Ok::<_, errors::Raised>(bool_ref(cased))
    })
}

pub(super) unsafe extern "C" fn bytes_isupper(b: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| {
        let data = data_of(b);
        let cased = data.iter().any(u8::is_ascii_uppercase) && !data.iter().any(u8::is_ascii_lowercase);
        Ok::<_, errors::Raised>(bool_ref(cased))
    })
}

/// ASCII whitespace as `bytes` methods see it (`Py_ISSPACE`).
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// `strip`/`lstrip`/`rstrip`: the bytes of the argument (whitespace for None or none).
fn strip(
    ts: Ts,
    b: *mut PyObject,
    args: &[*mut PyObject],
    function: &str,
    left: bool,
    right: bool,
) -> PyResult<*mut PyObject> {
    check_positional(ts, function, args.len(), 0, 1)?;
    let chars = match args.first() {
        Some(&c) if c != singletons::none() => {
            Some(bytes_arg(ts, c, |name| format!("a bytes-like object is required, not '{name}'"))?)
        }
        _ => None,
    };
    let strips = |c: &u8| match &chars {
        Some(set) => set.contains(c),
        None => is_space(*c),
    };
    let data = data_of(b);
    let start = if left { data.iter().position(|c| !strips(c)).unwrap_or(data.len()) } else { 0 };
    let end = if right { data.iter().rposition(|c| !strips(c)).map_or(start, |i| i + 1) } else { data.len() };
    same_kind(ts, b, &data[start..end.max(start)])
}

fn remove_affix(ts: Ts, b: *mut PyObject, affix: *mut PyObject, prefix: bool) -> PyResult<*mut PyObject> {
    let affix = bytes_arg(ts, affix, |name| format!("a bytes-like object is required, not '{name}'"))?;
    let data = data_of(b);
    let kept = if prefix { data.strip_prefix(affix.as_slice()) } else { data.strip_suffix(affix.as_slice()) };
    same_kind(ts, b, kept.unwrap_or(data))
}

/// The bytes spelled by pairs of hex digits, with ASCII whitespace between pairs.
/// `Err(position)` names the first character that breaks the rule.
pub fn parse_hex(text: impl Iterator<Item = u32>) -> Result<Vec<u8>, usize> {
    let chars: Vec<u32> = text.collect();
    let digit = |i: usize| chars.get(i).and_then(|&c| char::from_u32(c)).and_then(|c| c.to_digit(16));
    let mut out = Vec::with_capacity(chars.len() / 2);
    let mut i = 0;
    while i < chars.len() {
        if chars[i] < 128 && is_space(chars[i] as u8) {
            i += 1;
            continue;
        }
        let high = digit(i).ok_or(i)?;
        let low = digit(i + 1).ok_or(i + 1)?;
        out.push((high * 16 + low) as u8);
        i += 2;
    }
    Ok(out)
}

/// `fromhex` of `exact` (bytes or bytearray); a subclass gets `cls(result)`.
fn fromhex(
    ts: Ts,
    cls: *mut PyTypeObject,
    text: *mut PyObject,
    exact: *mut PyTypeObject,
    make: fn(Ts, &[u8]) -> PyResult<*mut PyObject>,
) -> PyResult<*mut PyObject> {
    let text = str_arg(ts, "fromhex", "argument", text)?;
    let data = parse_hex(unicode::chars(text)).map_err(|at| {
        errors::value_error(ts, &format!("non-hexadecimal number found in fromhex() arg at position {at}"))
    })?;
    let made = make(ts, &data)?;
    if cls == exact {
        return Ok(made);
    }
    let r = crate::protocols::call::call_slice(ts, cls as *mut PyObject, &[made]);
    unsafe { decref(made) };
    r
}

#[cfg(test)]
mod tests {
    use super::parse_hex;

    fn hex(s: &str) -> Result<Vec<u8>, usize> {
        parse_hex(s.chars().map(u32::from))
    }

    #[test]
    fn hex_pairs_with_spaces_between() {
        assert_eq!(hex(" 01 ab\tcd\n"), Ok(vec![1, 0xab, 0xcd]));
        assert_eq!(hex(""), Ok(vec![]));
        assert_eq!(hex("0 1"), Err(1));
        assert_eq!(hex("a"), Err(1));
        assert_eq!(hex("zz"), Err(0));
        assert_eq!(hex("00é"), Err(2));
    }
}
