//! The Python-visible methods of `str` (its `tp_methods`), over the core functions of
//! `unicode.rs`: arguments, defaults, results and messages as CPython 3.13 has them.

use super::methodargs::{
    self, bind, check_positional, fast, fast_kw, positional, simple, slice_index, ssize, Params, END,
};
use super::object::{self, decref, new_ref};
use super::typeobject::type_name;
use super::unicode::{self, adjust_indices, char_at, len, substring};
use super::{bool_, bytes, list, long, singletons, tuple};
use crate::abi::*;
use crate::protocols::object::is_true;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

pub static mut STR_METHODS: [PyMethodDef; 31] = [
    simple(c"join", str_join, METH_O),
    fast_kw(c"split", str_split),
    fast_kw(c"rsplit", str_rsplit),
    fast_kw(c"replace", str_replace),
    fast(c"startswith", str_startswith),
    fast(c"endswith", str_endswith),
    fast(c"find", str_find),
    fast(c"rfind", str_rfind),
    fast(c"index", str_index),
    fast(c"rindex", str_rindex),
    fast(c"count", str_count),
    fast(c"strip", str_strip),
    fast(c"lstrip", str_lstrip),
    fast(c"rstrip", str_rstrip),
    simple(c"lower", str_lower, METH_NOARGS),
    simple(c"upper", str_upper, METH_NOARGS),
    simple(c"isdigit", str_isdigit, METH_NOARGS),
    simple(c"isalpha", str_isalpha, METH_NOARGS),
    simple(c"isspace", str_isspace, METH_NOARGS),
    simple(c"isascii", str_isascii, METH_NOARGS),
    simple(c"isupper", str_isupper, METH_NOARGS),
    simple(c"islower", str_islower, METH_NOARGS),
    simple(c"isalnum", str_isalnum, METH_NOARGS),
    fast_kw(c"encode", str_encode),
    simple(c"partition", str_partition, METH_O),
    simple(c"rpartition", str_rpartition, METH_O),
    simple(c"zfill", str_zfill, METH_O),
    fast_kw(c"splitlines", str_splitlines),
    simple(c"removeprefix", str_removeprefix, METH_O),
    simple(c"removesuffix", str_removesuffix, METH_O),
    END,
];

// ---------------------------------------------------------------------------------
// The C entry points: each is the panic boundary around one core function below.

unsafe extern "C" fn str_join(s: *mut PyObject, seq: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| unicode::join(ts, s, seq))
}

unsafe extern "C" fn str_split(
    s: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| split_method(ts, s, args, n, kw, false))
}

unsafe extern "C" fn str_rsplit(
    s: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| split_method(ts, s, args, n, kw, true))
}

unsafe extern "C" fn str_replace(
    s: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| replace_method(ts, s, args, n, kw))
}

unsafe extern "C" fn str_startswith(s: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| tailmatch_method(ts, s, positional(args, n), "startswith", false))
}

unsafe extern "C" fn str_endswith(s: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| tailmatch_method(ts, s, positional(args, n), "endswith", true))
}

unsafe extern "C" fn str_find(s: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, s, positional(args, n), "find", true, false))
}

unsafe extern "C" fn str_rfind(s: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, s, positional(args, n), "rfind", false, false))
}

unsafe extern "C" fn str_index(s: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, s, positional(args, n), "index", true, true))
}

unsafe extern "C" fn str_rindex(s: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| find_method(ts, s, positional(args, n), "rindex", false, true))
}

unsafe extern "C" fn str_count(s: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| count_method(ts, s, positional(args, n)))
}

unsafe extern "C" fn str_strip(s: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| strip_method(ts, s, positional(args, n), "strip", true, true))
}

unsafe extern "C" fn str_lstrip(s: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| strip_method(ts, s, positional(args, n), "lstrip", true, false))
}

unsafe extern "C" fn str_rstrip(s: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| strip_method(ts, s, positional(args, n), "rstrip", false, true))
}

unsafe extern "C" fn str_lower(s: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| map_case(ts, s, false))
}

unsafe extern "C" fn str_upper(s: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| map_case(ts, s, true))
}

unsafe extern "C" fn str_isdigit(s: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| Ok::<_, errors::Raised>(all_chars(s, is_digit)))
}

unsafe extern "C" fn str_isalpha(s: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| Ok::<_, errors::Raised>(all_chars(s, is_alpha)))
}

unsafe extern "C" fn str_isalnum(s: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| Ok::<_, errors::Raised>(all_chars(s, |c| is_alpha(c) || is_digit(c) || is_numeric(c))))
}

unsafe extern "C" fn str_isspace(s: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| Ok::<_, errors::Raised>(all_chars(s, unicode::is_space)))
}

unsafe extern "C" fn str_isascii(s: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| Ok::<_, errors::Raised>(bool_ref(unicode::is_ascii(s))))
}

unsafe extern "C" fn str_isupper(s: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| Ok::<_, errors::Raised>(cased_test(s, true)))
}

unsafe extern "C" fn str_islower(s: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| Ok::<_, errors::Raised>(cased_test(s, false)))
}

unsafe extern "C" fn str_encode(
    s: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| encode_method(ts, s, args, n, kw))
}

unsafe extern "C" fn str_partition(s: *mut PyObject, sep: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| partition(ts, s, sep, true))
}

unsafe extern "C" fn str_rpartition(s: *mut PyObject, sep: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| partition(ts, s, sep, false))
}

unsafe extern "C" fn str_zfill(s: *mut PyObject, width: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| zfill(ts, s, width))
}

unsafe extern "C" fn str_splitlines(
    s: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> *mut PyObject {
    boundary::slot(|ts| splitlines_method(ts, s, args, n, kw))
}

unsafe extern "C" fn str_removeprefix(s: *mut PyObject, prefix: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| remove_affix(ts, s, prefix, "removeprefix", false))
}

unsafe extern "C" fn str_removesuffix(s: *mut PyObject, suffix: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| remove_affix(ts, s, suffix, "removesuffix", true))
}

// ---------------------------------------------------------------------------------
// The methods

fn bool_ref(b: bool) -> *mut PyObject {
    // SAFETY: True and False are immortal.
    unsafe { new_ref(bool_::from_bool(b)) }
}

/// A copy of `s` as an exact str (a str itself is shared).
fn exact_copy(ts: Ts, s: *mut PyObject) -> PyResult<*mut PyObject> {
    unicode::exact(ts, s)
}

fn split_method(
    ts: Ts,
    s: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
    from_right: bool,
) -> PyResult<*mut PyObject> {
    const NAMES: &[&str] = &["sep", "maxsplit"];
    let function = if from_right { "rsplit" } else { "split" };
    let p = Params { function, names: NAMES, required: 0, positional: 2, keyword_from: 0 };
    let [sep, maxsplit] = bind::<2>(ts, &p, args, n, kw)?;
    let sep = match sep {
        Some(v) if v != singletons::none() && !unicode::check(v) => {
            let name = type_name(object::type_of(v));
            return Err(errors::type_error(ts, &format!("must be str or None, not {name}")));
        }
        Some(v) if v != singletons::none() => v,
        _ => core::ptr::null_mut(),
    };
    let maxsplit = ssize(ts, maxsplit, -1)?;
    if !from_right {
        return unicode::split(ts, s, sep, maxsplit);
    }
    if !sep.is_null() && len(sep) == 0 {
        return Err(errors::value_error(ts, "empty separator"));
    }
    let limit = if maxsplit < 0 { usize::MAX } else { maxsplit as usize };
    let mut ranges = if sep.is_null() { rsplit_whitespace(s, limit) } else { rsplit_sep(s, sep, limit) };
    ranges.reverse();
    pieces(ts, s, &ranges)
}

/// A list of the substrings of `s` at `ranges`.
fn pieces(ts: Ts, s: *mut PyObject, ranges: &[(usize, usize)]) -> PyResult<*mut PyObject> {
    let out = list::new(ts, 0)?;
    for &(start, end) in ranges {
        let appended = substring(ts, s, start as isize, end as isize).and_then(|p| {
            let r = list::append(ts, out, p);
            // SAFETY: the list holds its own reference.
            unsafe { decref(p) };
            r
        });
        if let Err(e) = appended {
            // SAFETY: the list we made.
            unsafe { decref(out) };
            return Err(e);
        }
    }
    Ok(out)
}

fn rsplit_whitespace(s: *mut PyObject, limit: usize) -> Vec<(usize, usize)> {
    let space_at = |i: usize| unicode::is_space(char_at(s, i));
    let mut ranges = Vec::new();
    let mut i = len(s) as usize;
    while ranges.len() < limit {
        while i > 0 && space_at(i - 1) {
            i -= 1;
        }
        if i == 0 {
            return ranges;
        }
        let end = i;
        while i > 0 && !space_at(i - 1) {
            i -= 1;
        }
        ranges.push((i, end));
    }
    // The limit was reached: the rest, without its trailing white space, is one piece.
    while i > 0 && space_at(i - 1) {
        i -= 1;
    }
    if i > 0 {
        ranges.push((0, i));
    }
    ranges
}

fn rsplit_sep(s: *mut PyObject, sep: *mut PyObject, limit: usize) -> Vec<(usize, usize)> {
    let m = len(sep) as usize;
    let mut ranges = Vec::new();
    let mut end = len(s) as usize;
    while ranges.len() < limit {
        match unicode::find(s, sep, 0, end as isize, false) {
            Some(at) => {
                ranges.push((at + m, end));
                end = at;
            }
            None => break,
        }
    }
    ranges.push((0, end));
    ranges
}

fn replace_method(
    ts: Ts,
    s: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> PyResult<*mut PyObject> {
    const NAMES: &[&str] = &["old", "new", "count"];
    let p = Params { function: "replace", names: NAMES, required: 2, positional: 3, keyword_from: 2 };
    let [old, new, count] = bind::<3>(ts, &p, args, n, kw)?;
    let old = methodargs::str_arg(ts, "replace", "argument 1", old.unwrap_or(core::ptr::null_mut()))?;
    let new = methodargs::str_arg(ts, "replace", "argument 2", new.unwrap_or(core::ptr::null_mut()))?;
    let count = ssize(ts, count, -1)?;
    let limit = if count < 0 { usize::MAX } else { count as usize };
    let (n, m) = (len(s) as usize, len(old) as usize);
    let mut out: Vec<u32> = Vec::with_capacity(n);
    let new_chars: Vec<u32> = unicode::chars(new).collect();
    let (mut i, mut done) = (0usize, 0usize);
    if m == 0 {
        // An empty `old` matches before every character and at the end.
        while i <= n {
            if done < limit {
                out.extend_from_slice(&new_chars);
                done += 1;
            }
            if i < n {
                out.push(char_at(s, i));
            }
            i += 1;
        }
    } else {
        while done < limit {
            let Some(at) = unicode::find(s, old, i as isize, n as isize, true) else { break };
            out.extend((i..at).map(|j| char_at(s, j)));
            out.extend_from_slice(&new_chars);
            i = at + m;
            done += 1;
        }
        out.extend((i..n).map(|j| char_at(s, j)));
    }
    if done == 0 {
        return exact_copy(ts, s);
    }
    unicode::from_code_points(ts, &out)
}

/// Reads `(sub, start=None, end=None)` for find, index, count and the tail matches.
fn start_end(ts: Ts, args: &[*mut PyObject], function: &str) -> PyResult<(isize, isize)> {
    check_positional(ts, function, args.len(), 1, 3)?;
    let start = slice_index(ts, args.get(1).copied(), 0)?;
    let end = slice_index(ts, args.get(2).copied(), isize::MAX)?;
    Ok((start, end))
}

fn find_method(
    ts: Ts,
    s: *mut PyObject,
    args: &[*mut PyObject],
    function: &str,
    forward: bool,
    raise: bool,
) -> PyResult<*mut PyObject> {
    let (start, end) = start_end(ts, args, function)?;
    let sub = methodargs::str_arg(ts, function, "argument 1", args[0])?;
    match unicode::find(s, sub, start, end, forward) {
        Some(at) => long::from_i64(ts, at as i64),
        None if raise => Err(errors::value_error(ts, "substring not found")),
        None => long::from_i64(ts, -1),
    }
}

fn count_method(ts: Ts, s: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    let (start, end) = start_end(ts, args, "count")?;
    let sub = methodargs::str_arg(ts, "count", "argument 1", args[0])?;
    let (start, end) = adjust_indices(start, end, len(s));
    if end < start {
        return long::from_i64(ts, 0);
    }
    let m = len(sub) as usize;
    if m == 0 {
        return long::from_i64(ts, (end - start + 1) as i64);
    }
    let (mut i, mut found) = (start, 0i64);
    while let Some(at) = unicode::find(s, sub, i, end, true) {
        found += 1;
        i = (at + m) as isize;
    }
    long::from_i64(ts, found)
}

fn tailmatch_method(
    ts: Ts,
    s: *mut PyObject,
    args: &[*mut PyObject],
    function: &str,
    at_end: bool,
) -> PyResult<*mut PyObject> {
    let (start, end) = start_end(ts, args, function)?;
    let what = args[0];
    let candidates: &[*mut PyObject] = if tuple::check(what) {
        tuple::items(what)
    } else if unicode::check(what) {
        core::slice::from_ref(&args[0])
    } else {
        let name = type_name(object::type_of(what));
        return Err(errors::type_error(ts, &format!("{function} first arg must be str or a tuple of str, not {name}")));
    };
    for &c in candidates {
        if !unicode::check(c) {
            let name = type_name(object::type_of(c));
            return Err(errors::type_error(ts, &format!("tuple for {function} must only contain str, not {name}")));
        }
        if tail_matches(s, c, start, end, at_end) {
            return Ok(bool_ref(true));
        }
    }
    Ok(bool_ref(false))
}

fn tail_matches(s: *mut PyObject, sub: *mut PyObject, start: isize, end: isize, at_end: bool) -> bool {
    let (start, end) = adjust_indices(start, end, len(s));
    let m = len(sub);
    if end - start < m || start > len(s) {
        return false;
    }
    let at = if at_end { end - m } else { start } as usize;
    (0..m as usize).all(|j| char_at(s, at + j) == char_at(sub, j))
}

fn strip_method(
    ts: Ts,
    s: *mut PyObject,
    args: &[*mut PyObject],
    function: &str,
    left: bool,
    right: bool,
) -> PyResult<*mut PyObject> {
    check_positional(ts, function, args.len(), 0, 1)?;
    let chars = match args.first() {
        Some(&c) if c != singletons::none() => {
            if !unicode::check(c) {
                return Err(errors::type_error(ts, &format!("{function} arg must be None or str")));
            }
            Some(c)
        }
        _ => None,
    };
    let strips = |c: u32| match chars {
        Some(set) => unicode::chars(set).any(|x| x == c),
        None => unicode::is_space(c),
    };
    let (mut i, mut j) = (0usize, len(s) as usize);
    if left {
        while i < j && strips(char_at(s, i)) {
            i += 1;
        }
    }
    if right {
        while j > i && strips(char_at(s, j - 1)) {
            j -= 1;
        }
    }
    if i == 0 && j == len(s) as usize {
        return exact_copy(ts, s);
    }
    substring(ts, s, i as isize, j as isize)
}

/// `str.lower` / `str.upper` with Unicode's full case mappings (`'ß'.upper() == 'SS'`)
/// and, for lower, the final form of sigma at the end of a word.
fn map_case(ts: Ts, s: *mut PyObject, upper: bool) -> PyResult<*mut PyObject> {
    let n = len(s) as usize;
    let mut out: Vec<u32> = Vec::with_capacity(n);
    for i in 0..n {
        let c = char_at(s, i);
        let Some(ch) = char::from_u32(c) else {
            out.push(c);
            continue;
        };
        if upper {
            out.extend(ch.to_uppercase().map(u32::from));
        } else if c == 0x3A3 && is_final_sigma(s, i) {
            out.push(0x3C2);
        } else {
            out.extend(ch.to_lowercase().map(u32::from));
        }
    }
    unicode::from_code_points(ts, &out)
}

/// A capital sigma preceded by a letter and not followed by one ends a word.
fn is_final_sigma(s: *mut PyObject, i: usize) -> bool {
    let letter = |j: usize| char::from_u32(char_at(s, j)).is_some_and(char::is_alphabetic);
    i > 0 && letter(i - 1) && (i + 1 >= len(s) as usize || !letter(i + 1))
}

fn all_chars(s: *mut PyObject, test: impl Fn(u32) -> bool) -> *mut PyObject {
    let n = len(s) as usize;
    bool_ref(n > 0 && (0..n).all(|i| test(char_at(s, i))))
}

/// `isupper`/`islower`: some cased character, and none of the other case.
fn cased_test(s: *mut PyObject, upper: bool) -> *mut PyObject {
    let mut cased = false;
    for c in unicode::chars(s) {
        let Some(ch) = char::from_u32(c) else { continue };
        let (is_upper, is_lower) = (ch.is_uppercase(), ch.is_lowercase());
        if (upper && is_lower) || (!upper && is_upper) {
            return bool_ref(false);
        }
        cased |= is_upper || is_lower;
    }
    bool_ref(cased)
}

/// Decimal and other digits: exact for Latin-1 (`0-9`, `²`, `³`, `¹`); beyond it the
/// numbers of Unicode (Nd, Nl, No) except the fractions and Roman numerals.
fn is_digit(c: u32) -> bool {
    match c {
        0x30..=0x39 | 0xB2 | 0xB3 | 0xB9 => true,
        0..=0xFF => false,
        _ => char::from_u32(c).is_some_and(char::is_numeric) && !is_vulgar(c),
    }
}

/// Fractions and other numbers that are not digits.
fn is_vulgar(c: u32) -> bool {
    (0x2150..=0x218B).contains(&c) || (0xBC..=0xBE).contains(&c)
}

fn is_numeric(c: u32) -> bool {
    char::from_u32(c).is_some_and(char::is_numeric)
}

/// Letters (categories L*): exact for Latin-1; beyond it Rust's Alphabetic property.
fn is_alpha(c: u32) -> bool {
    match c {
        0x41..=0x5A | 0x61..=0x7A | 0xAA | 0xB5 | 0xBA | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0xFF => true,
        0..=0xFF => false,
        _ => char::from_u32(c).is_some_and(char::is_alphabetic),
    }
}

fn encode_method(
    ts: Ts,
    s: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> PyResult<*mut PyObject> {
    const NAMES: &[&str] = &["encoding", "errors"];
    let p = Params { function: "encode", names: NAMES, required: 0, positional: 2, keyword_from: 0 };
    let [encoding, handler] = bind::<2>(ts, &p, args, n, kw)?;
    let encoding = match encoding {
        Some(e) => unicode::to_string_lossy(methodargs::str_arg(ts, "encode", "argument 'encoding'", e)?),
        None => "utf-8".to_string(),
    };
    let handler = match handler {
        Some(e) => unicode::to_string_lossy(methodargs::str_arg(ts, "encode", "argument 'errors'", e)?),
        None => "strict".to_string(),
    };
    let data = super::unicode_codecs::encode(ts, s, &encoding, &handler)?;
    bytes::from_slice(ts, &data)
}

fn partition(ts: Ts, s: *mut PyObject, sep: *mut PyObject, forward: bool) -> PyResult<*mut PyObject> {
    if !unicode::check(sep) {
        let name = type_name(object::type_of(sep));
        return Err(errors::type_error(ts, &format!("must be str, not {name}")));
    }
    if len(sep) == 0 {
        return Err(errors::value_error(ts, "empty separator"));
    }
    let n = len(s);
    let parts = match unicode::find(s, sep, 0, n, forward) {
        Some(at) => {
            let at = at as isize;
            [substring(ts, s, 0, at)?, unicode::exact(ts, sep)?, substring(ts, s, at + len(sep), n)?]
        }
        None if forward => [exact_copy(ts, s)?, unicode::empty(), unicode::empty()],
        None => [unicode::empty(), unicode::empty(), exact_copy(ts, s)?],
    };
    let r = tuple::pack(ts, &parts);
    for p in parts {
        // SAFETY: the tuple holds its own references.
        unsafe { decref(p) };
    }
    r
}

fn zfill(ts: Ts, s: *mut PyObject, width: *mut PyObject) -> PyResult<*mut PyObject> {
    let width = ssize(ts, Some(width), 0)?;
    let n = len(s);
    if width <= n {
        return exact_copy(ts, s);
    }
    let fill = (width - n) as usize;
    let first = if n > 0 { Some(char_at(s, 0)) } else { None };
    let signed = matches!(first, Some(0x2B) | Some(0x2D));
    let mut out: Vec<u32> = Vec::with_capacity(width as usize);
    if signed {
        out.push(first.unwrap_or(0));
    }
    out.extend(core::iter::repeat_n(0x30, fill));
    out.extend(unicode::chars(s).skip(signed as usize));
    unicode::from_code_points(ts, &out)
}

/// Line boundaries as `str.splitlines` knows them.
fn is_line_break(c: u32) -> bool {
    matches!(c, 0x0A..=0x0D | 0x1C..=0x1E | 0x85 | 0x2028 | 0x2029)
}

fn splitlines_method(
    ts: Ts,
    s: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
    kw: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let p = Params { function: "splitlines", names: &["keepends"], required: 0, positional: 1, keyword_from: 0 };
    let [keepends] = bind::<1>(ts, &p, args, n, kw)?;
    let keepends = match keepends {
        Some(k) => is_true(ts, k)?,
        None => false,
    };
    let n = len(s) as usize;
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < n {
        let start = i;
        while i < n && !is_line_break(char_at(s, i)) {
            i += 1;
        }
        let mut eol = i;
        if i < n {
            let crlf = char_at(s, i) == 0x0D && i + 1 < n && char_at(s, i + 1) == 0x0A;
            i += if crlf { 2 } else { 1 };
            if keepends {
                eol = i;
            }
        }
        ranges.push((start, eol));
    }
    pieces(ts, s, &ranges)
}

fn remove_affix(
    ts: Ts,
    s: *mut PyObject,
    affix: *mut PyObject,
    function: &str,
    at_end: bool,
) -> PyResult<*mut PyObject> {
    let affix = methodargs::str_arg(ts, function, "argument", affix)?;
    if len(affix) > 0 && tail_matches(s, affix, 0, isize::MAX, at_end) {
        let m = len(affix);
        let (a, b) = if at_end { (0, len(s) - m) } else { (m, len(s)) };
        return substring(ts, s, a, b);
    }
    exact_copy(ts, s)
}
