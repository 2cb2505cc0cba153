//! The object protocol: repr, str, hash, comparison, truth, length, isinstance.

use crate::abi::*;
use crate::objects::object::{self, decref, new_ref, type_of};
use crate::objects::typeobject::{self, type_name};
use crate::objects::{bool_, singletons, tuple, unicode};
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;

/// Turns a slot's C-style result (null + exception) into a `PyResult`, checking the
/// slot kept CPython's contract.
#[inline]
pub fn check_result(ts: Ts, r: *mut PyObject, what: &str) -> PyResult<*mut PyObject> {
    if r.is_null() {
        return Err(failed_result(ts, what));
    }
    Ok(r)
}

#[cold]
fn failed_result(ts: Ts, what: &str) -> Raised {
    if !errors::occurred(ts) {
        return errors::system_error(ts, &format!("{what} returned NULL without setting an exception"));
    }
    Raised
}

pub fn repr(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let ty = type_of(o);
    // SAFETY: live type object.
    let f = unsafe { (*ty).tp_repr }.unwrap_or(typeobject::default_repr);
    let r = check_result(ts, unsafe { f(o) }, "__repr__")?;
    if !unicode::check(r) {
        let name = type_name(type_of(r));
        unsafe { decref(r) };
        return Err(errors::type_error(ts, &format!("__repr__ returned non-string (type {name})")));
    }
    Ok(r)
}

pub fn str(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if unicode::check_exact(o) {
        return Ok(unsafe { new_ref(o) });
    }
    let ty = type_of(o);
    let Some(f) = (unsafe { (*ty).tp_str }) else { return repr(ts, o) };
    let r = check_result(ts, unsafe { f(o) }, "__str__")?;
    if !unicode::check(r) {
        let name = type_name(type_of(r));
        unsafe { decref(r) };
        return Err(errors::type_error(ts, &format!("__str__ returned non-string (type {name})")));
    }
    Ok(r)
}

pub fn hash(ts: Ts, o: *mut PyObject) -> PyResult<Py_hash_t> {
    let ty = type_of(o);
    match unsafe { (*ty).tp_hash } {
        Some(f) => {
            let h = unsafe { f(o) };
            if h == -1 && errors::occurred(ts) {
                Err(Raised)
            } else {
                Ok(h)
            }
        }
        None => Err(unhashable(ts, o)),
    }
}

pub fn unhashable(ts: Ts, o: *mut PyObject) -> Raised {
    errors::type_error(ts, &format!("unhashable type: '{}'", type_name(type_of(o))))
}

fn swapped(op: c_int) -> c_int {
    [Py_GT, Py_GE, Py_EQ, Py_NE, Py_LT, Py_LE][op as usize]
}

fn call_richcompare(ts: Ts, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<Option<*mut PyObject>> {
    let Some(f) = (unsafe { (*type_of(a)).tp_richcompare }) else { return Ok(None) };
    let r = check_result(ts, unsafe { f(a, b, op) }, "__richcmp__")?;
    if r == singletons::not_implemented() {
        unsafe { decref(r) };
        return Ok(None);
    }
    Ok(Some(r))
}

/// `a op b`, trying the reflected operation and falling back to identity for == / !=.
pub fn richcompare(ts: Ts, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<*mut PyObject> {
    if !(Py_LT..=Py_GE).contains(&op) {
        return Err(errors::bad_internal_call(ts));
    }
    let (ta, tb) = (type_of(a), type_of(b));
    let reflected_first = ta != tb && object::is_subtype(tb, ta);
    if reflected_first {
        if let Some(r) = call_richcompare(ts, b, a, swapped(op))? {
            return Ok(r);
        }
    }
    if let Some(r) = call_richcompare(ts, a, b, op)? {
        return Ok(r);
    }
    if !reflected_first {
        if let Some(r) = call_richcompare(ts, b, a, swapped(op))? {
            return Ok(r);
        }
    }
    match op {
        Py_EQ => Ok(bool_::from_bool(a == b)),
        Py_NE => Ok(bool_::from_bool(a != b)),
        _ => {
            const SYMBOLS: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];
            Err(errors::type_error(
                ts,
                &format!(
                    "'{}' not supported between instances of '{}' and '{}'",
                    SYMBOLS[op as usize],
                    type_name(ta),
                    type_name(tb)
                ),
            ))
        }
    }
}

/// `a op b` as a bool; identical objects are equal without asking them.
pub fn richcompare_bool(ts: Ts, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<bool> {
    if a == b {
        if op == Py_EQ {
            return Ok(true);
        }
        if op == Py_NE {
            return Ok(false);
        }
    }
    let r = richcompare(ts, a, b, op)?;
    let t = is_true(ts, r);
    unsafe { decref(r) };
    t
}

pub fn is_true(ts: Ts, o: *mut PyObject) -> PyResult<bool> {
    if o == bool_::py_true() {
        return Ok(true);
    }
    if o == bool_::py_false() || o == singletons::none() {
        return Ok(false);
    }
    let ty = type_of(o);
    unsafe {
        let nb = (*ty).tp_as_number;
        if !nb.is_null() {
            if let Some(f) = (*nb).nb_bool {
                return int_result(ts, f(o)).map(|v| v != 0);
            }
        }
        let mp = (*ty).tp_as_mapping;
        if !mp.is_null() {
            if let Some(f) = (*mp).mp_length {
                return ssize_result(ts, f(o)).map(|v| v != 0);
            }
        }
        let sq = (*ty).tp_as_sequence;
        if !sq.is_null() {
            if let Some(f) = (*sq).sq_length {
                return ssize_result(ts, f(o)).map(|v| v != 0);
            }
        }
    }
    Ok(true)
}

fn int_result(ts: Ts, v: c_int) -> PyResult<c_int> {
    if v < 0 && errors::occurred(ts) {
        Err(Raised)
    } else {
        Ok(v)
    }
}

fn ssize_result(ts: Ts, v: Py_ssize_t) -> PyResult<Py_ssize_t> {
    if v < 0 && errors::occurred(ts) {
        Err(Raised)
    } else {
        Ok(v)
    }
}

/// `len(o)`.
pub fn length(ts: Ts, o: *mut PyObject) -> PyResult<Py_ssize_t> {
    let ty = type_of(o);
    unsafe {
        let sq = (*ty).tp_as_sequence;
        if !sq.is_null() {
            if let Some(f) = (*sq).sq_length {
                return ssize_result(ts, f(o));
            }
        }
        let mp = (*ty).tp_as_mapping;
        if !mp.is_null() {
            if let Some(f) = (*mp).mp_length {
                return ssize_result(ts, f(o));
            }
        }
    }
    Err(errors::type_error(ts, &format!("object of type '{}' has no len()", type_name(ty))))
}

fn is_type(o: *mut PyObject) -> bool {
    object::has_flag(type_of(o), Py_TPFLAGS_TYPE_SUBCLASS)
}

/// Whether any entry of the tuple `classes` satisfies `test`.
fn any_of(classes: *mut PyObject, mut test: impl FnMut(*mut PyObject) -> PyResult<bool>) -> PyResult<bool> {
    for &c in tuple::items(classes) {
        if test(c)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `isinstance(o, cls)`; `cls` may be a type or a tuple of them.
pub fn is_instance(ts: Ts, o: *mut PyObject, cls: *mut PyObject) -> PyResult<bool> {
    if tuple::check(cls) {
        return any_of(cls, |c| is_instance(ts, o, c));
    }
    if !is_type(cls) {
        return Err(errors::type_error(ts, "isinstance() arg 2 must be a type, a tuple of types, or a union"));
    }
    Ok(object::is_subtype(type_of(o), cls as *mut PyTypeObject))
}

/// `issubclass(derived, cls)`; `cls` may be a type or a tuple of them.
pub fn is_subclass(ts: Ts, derived: *mut PyObject, cls: *mut PyObject) -> PyResult<bool> {
    if !is_type(derived) {
        return Err(errors::type_error(ts, "issubclass() arg 1 must be a class"));
    }
    if tuple::check(cls) {
        return any_of(cls, |c| is_subclass(ts, derived, c));
    }
    if !is_type(cls) {
        return Err(errors::type_error(ts, "issubclass() arg 2 must be a class, a tuple of classes, or a union"));
    }
    Ok(object::is_subtype(derived as *mut PyTypeObject, cls as *mut PyTypeObject))
}

/// Whether calling `o` can work (`callable(o)`).
pub fn is_callable(o: *mut PyObject) -> bool {
    unsafe { (*type_of(o)).tp_call.is_some() }
}
