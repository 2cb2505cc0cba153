//! Reading the arguments of the builtin types' own methods (`METH_FASTCALL`, with or
//! without `METH_KEYWORDS`), with CPython's messages for a wrong count, an unknown
//! keyword, or an argument given twice. Also the conversions those methods share:
//! `start`/`end` slice indices and `Py_ssize_t` counts.

use super::exceptions::{exc, Exc};
use super::typeobject::type_name;
use super::{object, singletons, tuple, unicode};
use crate::abi::*;
use crate::protocols::number;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::c_int;

/// A method's parameters: `names` in order, of which the first `positional` may be
/// passed by position (the rest are keyword-only) and the first `required` must be given.
/// Parameters before `keyword_from` are positional-only.
pub struct Params {
    pub function: &'static str,
    pub names: &'static [&'static str],
    pub required: usize,
    pub positional: usize,
    pub keyword_from: usize,
}

// ---------------------------------------------------------------------------------
// Method tables

pub type Fast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;
pub type FastKw = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t, *mut PyObject) -> *mut PyObject;
pub type NoArgs = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

pub const fn fast(name: &'static core::ffi::CStr, f: Fast) -> PyMethodDef {
    // SAFETY: CPython's convention: ml_meth holds a METH_FASTCALL function cast to PyCFunction.
    let meth = unsafe { core::mem::transmute::<Fast, NoArgs>(f) };
    PyMethodDef { ml_name: name.as_ptr(), ml_meth: Some(meth), ml_flags: METH_FASTCALL, ml_doc: core::ptr::null() }
}

pub const fn fast_kw(name: &'static core::ffi::CStr, f: FastKw) -> PyMethodDef {
    // SAFETY: as in `fast`, for METH_FASTCALL | METH_KEYWORDS.
    let meth = unsafe { core::mem::transmute::<FastKw, NoArgs>(f) };
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: Some(meth),
        ml_flags: METH_FASTCALL | METH_KEYWORDS,
        ml_doc: core::ptr::null(),
    }
}

pub const fn simple(name: &'static core::ffi::CStr, f: NoArgs, flags: c_int) -> PyMethodDef {
    PyMethodDef { ml_name: name.as_ptr(), ml_meth: Some(f), ml_flags: flags, ml_doc: core::ptr::null() }
}

pub const END: PyMethodDef =
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: None, ml_flags: 0, ml_doc: core::ptr::null() };

// ---------------------------------------------------------------------------------
// Binding arguments

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `_PyArg_CheckPositional` for a method taking `min..=max` positional arguments only.
pub fn check_positional(ts: Ts, function: &str, nargs: usize, min: usize, max: usize) -> PyResult<()> {
    let (bound, n) = if nargs < min {
        (if min == max { "" } else { "at least " }, min)
    } else if nargs > max {
        (if min == max { "" } else { "at most " }, max)
    } else {
        return Ok(());
    };
    Err(errors::type_error(ts, &format!("{function} expected {bound}{n} argument{}, got {nargs}", plural(n))))
}

/// Binds the positional `args[..nargs]` and the keyword values after them (named by
/// `kwnames`, a tuple of str or null) to `p`'s parameters; absent ones are None.
pub fn bind<const N: usize>(
    ts: Ts,
    p: &Params,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> PyResult<[Option<*mut PyObject>; N]> {
    debug_assert_eq!(p.names.len(), N);
    let nargs = nargs.max(0) as usize;
    let keywords: &[*mut PyObject] = if kwnames.is_null() { &[] } else { tuple::items(kwnames) };
    let f = p.function;
    if nargs + keywords.len() > N {
        let kw = if nargs == 0 { "keyword " } else { "" };
        let given = nargs + keywords.len();
        return Err(errors::type_error(
            ts,
            &format!("{f}() takes at most {N} {kw}argument{} ({given} given)", plural(N)),
        ));
    }
    if nargs > p.positional {
        let bound = if p.required < p.positional { "at most" } else { "exactly" };
        let m = p.positional;
        let message = if m == 0 {
            format!("{f}() takes no positional arguments")
        } else {
            format!("{f}() takes {bound} {m} positional argument{} ({nargs} given)", plural(m))
        };
        return Err(errors::type_error(ts, &message));
    }
    let mut out = [None; N];
    for (i, slot) in out.iter_mut().enumerate().take(nargs) {
        // SAFETY: the caller passes nargs positional arguments.
        *slot = Some(unsafe { *args.add(i) });
    }
    for (k, &name) in keywords.iter().enumerate() {
        let at = (p.keyword_from..N).find(|&i| unicode::equal_to_utf8(name, p.names[i].as_bytes()));
        let Some(at) = at else {
            let shown = unicode::to_string_lossy(name);
            return Err(errors::type_error(ts, &format!("{f}() got an unexpected keyword argument '{shown}'")));
        };
        if out[at].is_some() {
            let shown = unicode::to_string_lossy(name);
            let pos = at + 1;
            return Err(errors::type_error(
                ts,
                &format!("argument for {f}() given by name ('{shown}') and position ({pos})"),
            ));
        }
        // SAFETY: the keyword values follow the positional arguments.
        out[at] = Some(unsafe { *args.add(nargs + k) });
    }
    if let Some(missing) = (0..p.required).find(|&i| out[i].is_none()) {
        let name = p.names[missing];
        let pos = missing + 1;
        return Err(errors::type_error(ts, &format!("{f}() missing required argument '{name}' (pos {pos})")));
    }
    Ok(out)
}

/// The positional arguments of a `METH_FASTCALL` method as a slice.
pub fn positional<'a>(args: *const *mut PyObject, nargs: Py_ssize_t) -> &'a [*mut PyObject] {
    if nargs <= 0 || args.is_null() {
        return &[];
    }
    // SAFETY: the caller's array holds nargs arguments for the call's duration.
    unsafe { core::slice::from_raw_parts(args, nargs as usize) }
}

/// A `start`/`end` argument: None (or absent) gives `default`; otherwise anything with
/// `__index__`, clamped into the `Py_ssize_t` range (`_PyEval_SliceIndex`).
pub fn slice_index(ts: Ts, v: Option<*mut PyObject>, default: isize) -> PyResult<isize> {
    match v {
        None => Ok(default),
        Some(v) if v == singletons::none() => Ok(default),
        Some(v) if number::index_check(v) => number::as_ssize_t(ts, v, None),
        Some(_) => Err(errors::type_error(ts, "slice indices must be integers or None or have an __index__ method")),
    }
}

/// A `Py_ssize_t` argument (format unit `n`): `__index__`, `OverflowError` when it
/// does not fit.
pub fn ssize(ts: Ts, v: Option<*mut PyObject>, default: isize) -> PyResult<isize> {
    match v {
        None => Ok(default),
        Some(v) => number::as_ssize_t(ts, v, Some(exc(Exc::OverflowError))),
    }
}

/// A str argument (format unit `U`), with CPython's argument-clinic message:
/// `f() argument N must be str, not T`.
pub fn str_arg(ts: Ts, function: &str, what: &str, v: *mut PyObject) -> PyResult<*mut PyObject> {
    if unicode::check(v) {
        return Ok(v);
    }
    let name = type_name(object::type_of(v));
    Err(errors::type_error(ts, &format!("{function}() {what} must be str, not {name}")))
}

/// `bind` for a call made with a tuple of positional arguments and a dict of keyword
/// arguments (null or empty for none), as `tp_init` and `tp_new` receive them. The
/// bound values are borrowed from `args` and `kwds`.
pub fn bind_tuple_dict<const N: usize>(
    ts: Ts,
    p: &Params,
    args: *mut PyObject,
    kwds: *mut PyObject,
) -> PyResult<[Option<*mut PyObject>; N]> {
    let positional: &[*mut PyObject] = if args.is_null() { &[] } else { tuple::items(args) };
    if kwds.is_null() || super::dict::len(kwds) == 0 {
        return bind::<N>(ts, p, positional.as_ptr(), positional.len() as Py_ssize_t, core::ptr::null_mut());
    }
    let (all, names) = crate::protocols::call::dict_to_kwnames(ts, positional, kwds)?;
    let bound = bind::<N>(ts, p, all.as_ptr(), positional.len() as Py_ssize_t, names);
    // SAFETY: the names tuple is ours; the bound values belong to `args` and `kwds`.
    unsafe { object::decref(names) };
    bound
}
