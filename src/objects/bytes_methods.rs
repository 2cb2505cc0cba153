//! The Python-visible methods of `bytes` (its `tp_methods`), as CPython 3.13 has them.
//! Arguments that CPython takes as any bytes-like object are taken as bytes here
//! (isle has no buffer protocol yet).

use super::methodargs::{
    bind, check_positional, fast, fast_kw, positional, simple, slice_index, ssize, str_arg, Params, END,
};
use super::object::{self, decref, new_ref};
use super::typeobject::type_name;
use super::unicode_codecs::{self, Errors};
use super::{bool_, bytes, list, long, singletons, tuple, unicode};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

pub static mut BYTES_METHODS: [PyMethodDef; 14] = [
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
    END,
];

unsafe extern "C" fn bytes_decode(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| decode(ts, b, args, n, kw))
}

unsafe extern "C" fn bytes_join(b: *mut PyObject, seq: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| join(ts, b, seq))
}

unsafe extern "C" fn bytes_startswith(b: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| tailmatch(ts, b, positional(args, n), "startswith", false))
}

unsafe extern "C" fn bytes_endswith(b: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| tailmatch(ts, b, positional(args, n), "endswith", true))
}

unsafe extern "C" fn bytes_find(b: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, b, positional(args, n), "find", true, false))
}

unsafe extern "C" fn bytes_rfind(b: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, b, positional(args, n), "rfind", false, false))
}

unsafe extern "C" fn bytes_index(b: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, b, positional(args, n), "index", true, true))
}

unsafe extern "C" fn bytes_rindex(b: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, b, positional(args, n), "rindex", false, true))
}

unsafe extern "C" fn bytes_count(b: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| count(ts, b, positional(args, n)))
}

unsafe extern "C" fn bytes_split(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| split(ts, b, args, n, kw))
}

unsafe extern "C" fn bytes_replace(b: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| replace(ts, b, positional(args, n)))
}

unsafe extern "C" fn bytes_hex(
    b: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| hex(ts, b, args, n, kw))
}

unsafe extern "C" fn bytes_isascii(b: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| Ok::<_, errors::Raised>(bool_ref(bytes::as_slice(b).is_ascii())))
}

fn bool_ref(v: bool) -> *mut PyObject {
    // SAFETY: True and False are immortal.
    unsafe { new_ref(bool_::from_bool(v)) }
}

/// A bytes argument, with CPython's message for anything else.
fn bytes_arg(ts: Ts, v: *mut PyObject, message: impl FnOnce(&str) -> String) -> PyResult<&'static [u8]> {
    if bytes::check(v) {
        return Ok(bytes::as_slice(v));
    }
    Err(errors::type_error(ts, &message(type_name(object::type_of(v)))))
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
    unicode_codecs::decode(ts, bytes::as_slice(b), encoding, Errors::from_name(&handler))
}

fn join(ts: Ts, sep: *mut PyObject, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    let items = unicode::sequence_items(ts, seq, "can only join an iterable")?;
    let mut out = Vec::new();
    let mut failed = None;
    for (i, &it) in items.iter().enumerate() {
        if !bytes::check(it) {
            failed = Some(format!(
                "sequence item {i}: expected a bytes-like object, {} found",
                type_name(object::type_of(it))
            ));
            break;
        }
        if i > 0 {
            out.extend_from_slice(bytes::as_slice(sep));
        }
        out.extend_from_slice(bytes::as_slice(it));
    }
    unicode::release_all(&items);
    match failed {
        Some(message) => Err(errors::type_error(ts, &message)),
        None => bytes::from_slice(ts, &out),
    }
}

/// `start`/`end` clamped into `0..=len` as slices are (start may pass the end).
fn range_of(ts: Ts, args: &[*mut PyObject], function: &str, len: usize) -> PyResult<(usize, usize)> {
    check_positional(ts, function, args.len(), 1, 3)?;
    let (start, end) = unicode::adjust_indices(
        slice_index(ts, args.get(1).copied(), 0)?,
        slice_index(ts, args.get(2).copied(), isize::MAX)?,
        len as isize,
    );
    Ok((start as usize, end as usize))
}

/// The needle of find and friends: bytes, or an int 0..=255 for one byte.
fn needle(ts: Ts, v: *mut PyObject) -> PyResult<Vec<u8>> {
    if bytes::check(v) {
        return Ok(bytes::as_slice(v).to_vec());
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
    let hay = bytes::as_slice(b);
    let (start, end) = range_of(ts, args, function, hay.len())?;
    let sub = needle(ts, args[0])?;
    match find_in(hay, &sub, start, end, forward) {
        Some(i) => long::from_i64(ts, i as i64),
        None if raise => Err(errors::value_error(ts, "subsection not found")),
        None => long::from_i64(ts, -1),
    }
}

fn count(ts: Ts, b: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    let hay = bytes::as_slice(b);
    let (start, end) = range_of(ts, args, "count", hay.len())?;
    let sub = needle(ts, args[0])?;
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
    let hay = bytes::as_slice(b);
    let (start, end) = range_of(ts, args, function, hay.len())?;
    let what = args[0];
    let candidates: &[*mut PyObject] =
        if tuple::check(what) { tuple::items(what) } else { core::slice::from_ref(&args[0]) };
    for &c in candidates {
        let sub = bytes_arg(ts, c, |name| {
            if tuple::check(what) {
                format!("a bytes-like object is required, not '{name}'")
            } else {
                format!("{function} first arg must be bytes or a tuple of bytes, not {name}")
            }
        })?;
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
    let hay = bytes::as_slice(b);
    let ranges = match sep {
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
        let r = bytes::from_slice(ts, &hay[s..e]).and_then(|piece| {
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
    let limit = if count < 0 { usize::MAX } else { count as usize };
    let hay = bytes::as_slice(b);
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
    bytes::from_slice(ts, &out)
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
    let data = bytes::as_slice(b);
    let sep = match sep {
        None => None,
        Some(s) => Some(separator(ts, s)?),
    };
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
