//! Item access (`o[key]`) and the mapping protocol (`PyMapping_*`), dispatching
//! through `tp_as_mapping`, then `tp_as_sequence` for integer keys.

use crate::abi::*;
use crate::objects::exceptions::{self, Exc};
use crate::objects::object::{self, decref, type_of};
use crate::objects::typeobject::type_name;
use crate::objects::{dict, list, tuple, unicode};
use crate::protocols::object::check_result;
use crate::protocols::sequence::{self, mapping_methods, methods};
use crate::protocols::{attr, iter, number};
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;

fn int_result(ts: Ts, r: core::ffi::c_int, what: &str) -> PyResult<()> {
    if r >= 0 {
        return Ok(());
    }
    if errors::occurred(ts) {
        Err(Raised)
    } else {
        Err(errors::system_error(ts, &format!("{what} returned an error without setting an exception")))
    }
}

/// An integer key for a sequence: `IndexError` when it does not fit.
fn sequence_index(ts: Ts, key: *mut PyObject) -> PyResult<isize> {
    number::as_ssize_t(ts, key, Some(exceptions::exc(Exc::IndexError)))
}

fn is_type(o: *mut PyObject) -> bool {
    object::has_flag(type_of(o), Py_TPFLAGS_TYPE_SUBCLASS)
}

/// `o[key]` (`PyObject_GetItem`).
pub fn get_item(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    if let Some(f) = mapping_methods(o).and_then(|m| m.mp_subscript) {
        return check_result(ts, unsafe { f(o, key) }, "__getitem__");
    }
    if methods(o).is_some_and(|m| m.sq_item.is_some()) {
        if number::index_check(key) {
            let i = sequence_index(ts, key)?;
            return sequence::get_item(ts, o, i);
        }
        let name = type_name(type_of(key));
        return Err(errors::type_error(ts, &format!("sequence index must be integer, not '{name}'")));
    }
    if is_type(o) {
        // `__class_getitem__` needs calling Python-level methods: not looked up yet.
        let name = type_name(o as *mut PyTypeObject);
        return Err(errors::type_error(ts, &format!("type '{name}' is not subscriptable")));
    }
    Err(errors::type_error(ts, &format!("'{}' object is not subscriptable", type_name(type_of(o)))))
}

/// `o[key] = v`, or `del o[key]` when `v` is null.
pub fn set_item(ts: Ts, o: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> PyResult<()> {
    if let Some(f) = mapping_methods(o).and_then(|m| m.mp_ass_subscript) {
        return int_result(ts, unsafe { f(o, key, v) }, "__setitem__");
    }
    if let Some(m) = methods(o) {
        if number::index_check(key) {
            let i = sequence_index(ts, key)?;
            return sequence::set_item(ts, o, i, v);
        }
        if m.sq_ass_item.is_some() {
            let name = type_name(type_of(key));
            return Err(errors::type_error(ts, &format!("sequence index must be integer, not '{name}'")));
        }
    }
    let what = if v.is_null() { "doesn't support item deletion" } else { "does not support item assignment" };
    Err(errors::type_error(ts, &format!("'{}' object {what}", type_name(type_of(o)))))
}

/// Runs `f` with `key` as a new str.
fn with_str_key<T>(ts: Ts, key: &str, f: impl FnOnce(*mut PyObject) -> PyResult<T>) -> PyResult<T> {
    let k = unicode::from_str(ts, key)?;
    let r = f(k);
    unsafe { decref(k) };
    r
}

pub fn get_item_str(ts: Ts, o: *mut PyObject, key: &str) -> PyResult<*mut PyObject> {
    with_str_key(ts, key, |k| get_item(ts, o, k))
}

pub fn set_item_str(ts: Ts, o: *mut PyObject, key: &str, v: *mut PyObject) -> PyResult<()> {
    with_str_key(ts, key, |k| set_item(ts, o, k, v))
}

/// `o[key]`, with a missing key (`KeyError`) as None (`PyMapping_GetOptionalItem`).
pub fn get_optional(ts: Ts, o: *mut PyObject, key: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    if dict::check_exact(o) {
        return Ok(dict::get_item(ts, o, key)?.map(|v| unsafe { object::new_ref(v) }));
    }
    match get_item(ts, o, key) {
        Ok(v) => Ok(Some(v)),
        Err(Raised) if object::is_subtype(type_of(ts.exception()), exceptions::exc(Exc::KeyError)) => {
            errors::clear(ts);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

pub fn get_optional_str(ts: Ts, o: *mut PyObject, key: &str) -> PyResult<Option<*mut PyObject>> {
    with_str_key(ts, key, |k| get_optional(ts, o, k))
}

/// `PyMapping_Check`: the type has `mp_subscript`.
pub fn check(o: *mut PyObject) -> bool {
    mapping_methods(o).is_some_and(|m| m.mp_subscript.is_some())
}

/// `len(o)` through `mp_length` (`PyMapping_Size`).
pub fn size(ts: Ts, o: *mut PyObject) -> PyResult<isize> {
    if let Some(f) = mapping_methods(o).and_then(|m| m.mp_length) {
        let n = unsafe { f(o) };
        if n < 0 && errors::occurred(ts) {
            return Err(Raised);
        }
        return Ok(n);
    }
    if methods(o).is_some_and(|m| m.sq_length.is_some()) {
        return Err(errors::type_error(ts, &format!("{} is not a mapping", type_name(type_of(o)))));
    }
    Err(errors::type_error(ts, &format!("object of type '{}' has no len()", type_name(type_of(o)))))
}

/// Which view `PyMapping_Keys`/`Values`/`Items` lists.
#[derive(Clone, Copy)]
pub enum View {
    Keys,
    Values,
    Items,
}

impl View {
    fn method(self) -> &'static str {
        match self {
            View::Keys => "keys",
            View::Values => "values",
            View::Items => "items",
        }
    }
}

/// A list of `o.keys()` (or values, items): read directly from a dict; otherwise
/// the method is looked up and called through its type's `tp_call`, and its result
/// iterated.
pub fn view_list(ts: Ts, o: *mut PyObject, view: View) -> PyResult<*mut PyObject> {
    if dict::check_exact(o) {
        return match view {
            View::Keys => dict::keys(ts, o),
            View::Values => dict::values(ts, o),
            View::Items => dict::items(ts, o),
        };
    }
    let name = view.method();
    let method = attr::getattr_str(ts, o, name)?;
    let result = call_without_arguments(ts, method);
    unsafe { decref(method) };
    let result = result?;
    if list::check_exact(result) {
        return Ok(result);
    }
    let items = match iter::get_iter(ts, result) {
        Ok(it) => {
            let r = iter::drain(ts, it, 0);
            unsafe { decref(it) };
            r
        }
        Err(Raised) => {
            let message = format!(
                "{}.{name}() returned a non-iterable (type {})",
                type_name(type_of(o)),
                type_name(type_of(result))
            );
            Err(sequence::replace_type_error(ts, &message))
        }
    };
    unsafe { decref(result) };
    list::from_slice(ts, &items?.0)
}

fn call_without_arguments(ts: Ts, f: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: a live object's type; `tp_call` follows CPython's contract.
    let Some(call) = (unsafe { (*type_of(f)).tp_call }) else {
        return Err(errors::type_error(ts, &format!("'{}' object is not callable", type_name(type_of(f)))));
    };
    check_result(ts, unsafe { call(f, tuple::empty(), core::ptr::null_mut()) }, "__call__")
}
