//! The Python-visible methods of `dict` (its `tp_methods`), over the core functions
//! of `dict.rs`, as CPython 3.13 has them.

use super::dictview;
use super::exceptions::{exc, Exc};
use super::iterobject::DictIterKind;
use super::methodargs::{check_positional, fast, positional, simple, END};
use super::object::{self, decref, new_ref, type_of};
use super::{dict, singletons, tuple};
use crate::abi::*;
use crate::protocols::{attr, call, mapping};
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;

type VarArgsKw = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
type NoArgs = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

const fn varargs_kw(name: &'static core::ffi::CStr, f: VarArgsKw) -> PyMethodDef {
    // SAFETY: CPython's convention: METH_VARARGS | METH_KEYWORDS functions are stored cast to PyCFunction.
    let meth = unsafe { core::mem::transmute::<VarArgsKw, NoArgs>(f) };
    PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: Some(meth),
        ml_flags: METH_VARARGS | METH_KEYWORDS,
        ml_doc: core::ptr::null(),
    }
}

const fn class_fast(name: &'static core::ffi::CStr, f: super::methodargs::Fast) -> PyMethodDef {
    let mut d = fast(name, f);
    d.ml_flags |= METH_CLASS;
    d
}

pub static mut DICT_METHODS: [PyMethodDef; 13] = [
    fast(c"get", dict_get),
    fast(c"setdefault", dict_setdefault),
    fast(c"pop", dict_pop),
    simple(c"popitem", dict_popitem, METH_NOARGS),
    simple(c"keys", dict_keys, METH_NOARGS),
    simple(c"values", dict_values, METH_NOARGS),
    simple(c"items", dict_items, METH_NOARGS),
    varargs_kw(c"update", dict_update),
    class_fast(c"fromkeys", dict_fromkeys),
    simple(c"clear", dict_clear, METH_NOARGS),
    simple(c"copy", dict_copy, METH_NOARGS),
    simple(c"__contains__", dict_contains_method, METH_O | METH_COEXIST),
    END,
];

unsafe extern "C" fn dict_get(d: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| get(ts, d, positional(args, n)))
}

unsafe extern "C" fn dict_setdefault(d: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| setdefault(ts, d, positional(args, n)))
}

unsafe extern "C" fn dict_pop(d: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| pop(ts, d, positional(args, n)))
}

unsafe extern "C" fn dict_popitem(d: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| popitem(ts, d))
}

unsafe extern "C" fn dict_keys(d: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| dictview::new(ts, d, DictIterKind::Keys))
}

unsafe extern "C" fn dict_values(d: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| dictview::new(ts, d, DictIterKind::Values))
}

unsafe extern "C" fn dict_items(d: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| dictview::new(ts, d, DictIterKind::Items))
}

unsafe extern "C" fn dict_update(d: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| update(ts, d, args, kwargs).map(|()| none()))
}

unsafe extern "C" fn dict_fromkeys(cls: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| fromkeys(ts, cls, positional(args, n)))
}

unsafe extern "C" fn dict_clear(d: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| {
        dict::clear(d);
        Ok::<_, Raised>(none())
    })
}

unsafe extern "C" fn dict_copy(d: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| dict::copy(ts, d))
}

unsafe extern "C" fn dict_contains_method(d: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| dict::contains(ts, d, key).map(super::bool_::from_bool).map(|b| unsafe { new_ref(b) }))
}

fn none() -> *mut PyObject {
    // SAFETY: None is immortal.
    unsafe { new_ref(singletons::none()) }
}

/// `d.get(key, default=None, /)`.
fn get(ts: Ts, d: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    check_positional(ts, "get", args.len(), 1, 2)?;
    let found = dict::get_item(ts, d, args[0])?;
    let v = found.or(args.get(1).copied()).unwrap_or(singletons::none());
    // SAFETY: a borrowed value, returned as a new reference.
    Ok(unsafe { new_ref(v) })
}

/// `d.setdefault(key, default=None, /)`.
fn setdefault(ts: Ts, d: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    check_positional(ts, "setdefault", args.len(), 1, 2)?;
    let default = args.get(1).copied().unwrap_or(singletons::none());
    let (v, _) = dict::set_default(ts, d, args[0], default)?;
    // SAFETY: the value stored in the dict, returned as a new reference.
    Ok(unsafe { new_ref(v) })
}

/// `d.pop(key[, default], /)`: `KeyError(key)` without a default.
fn pop(ts: Ts, d: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    check_positional(ts, "pop", args.len(), 1, 2)?;
    match (dict::pop_item(ts, d, args[0])?, args.get(1)) {
        (Some(v), _) => Ok(v),
        // SAFETY: the caller's default, returned as a new reference.
        (None, Some(&default)) => Ok(unsafe { new_ref(default) }),
        (None, None) => Err(dict::key_error(ts, args[0])),
    }
}

/// `d.popitem()`: the last entry inserted, as `(key, value)`.
fn popitem(ts: Ts, d: *mut PyObject) -> PyResult<*mut PyObject> {
    let Some(last) = dict::entries(d).last().map(|e| e.key) else {
        return Err(errors::set_string(ts, exc(Exc::KeyError), "popitem(): dictionary is empty"));
    };
    // SAFETY: the key is held while its entry is removed.
    let key = unsafe { new_ref(last) };
    let value = dict::pop_item(ts, d, key);
    let pair = match value {
        Ok(Some(v)) => {
            let pair = tuple::pack(ts, &[key, v]);
            unsafe { decref(v) };
            pair
        }
        Ok(None) => Err(errors::system_error(ts, "popitem(): the last entry vanished")),
        Err(e) => Err(e),
    };
    unsafe { decref(key) };
    pair
}

/// `d.update([other], **kwargs)`: a mapping (anything with `keys`) or an iterable of
/// pairs, then the keyword arguments.
fn update(ts: Ts, d: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> PyResult<()> {
    let positional = if args.is_null() { &[][..] } else { tuple::items(args) };
    check_positional(ts, "update", positional.len(), 0, 1)?;
    if let Some(&other) = positional.first() {
        if has_keys(ts, other)? {
            dict::merge(ts, d, other, true)?;
        } else {
            dict::merge_from_pairs(ts, d, other, true)?;
        }
    }
    if !kwargs.is_null() && dict::len(kwargs) > 0 {
        dict::merge(ts, d, kwargs, true)?;
    }
    Ok(())
}

/// Whether `o` has a `keys` attribute (a dict always does).
fn has_keys(ts: Ts, o: *mut PyObject) -> PyResult<bool> {
    if dict::check(o) {
        return Ok(true);
    }
    match attr::getattr_str(ts, o, "keys") {
        Ok(k) => {
            unsafe { decref(k) };
            Ok(true)
        }
        Err(Raised) if object::is_subtype(type_of(ts.exception()), exc(Exc::AttributeError)) => {
            errors::clear(ts);
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// `cls.fromkeys(iterable, value=None, /)`: `cls()` with each key set to `value`.
fn fromkeys(ts: Ts, cls: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    check_positional(ts, "fromkeys", args.len(), 1, 2)?;
    let value = args.get(1).copied().unwrap_or(singletons::none());
    // dict itself is not callable yet: its instances are made directly.
    let d = if cls == dict::dict_type() as *mut PyObject { dict::new(ts)? } else { call::call_slice(ts, cls, &[])? };
    if let Err(e) = fill_keys(ts, d, args[0], value) {
        unsafe { decref(d) };
        return Err(e);
    }
    Ok(d)
}

fn fill_keys(ts: Ts, d: *mut PyObject, iterable: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    let keys = super::containers::collect_iterable(ts, iterable)?;
    for &key in &keys.0 {
        if dict::check_exact(d) {
            dict::set_item(ts, d, key, value)?;
        } else {
            mapping::set_item(ts, d, key, value)?;
        }
    }
    Ok(())
}
