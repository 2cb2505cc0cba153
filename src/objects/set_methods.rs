//! The Python-visible methods of `set` and `frozenset` (their `tp_methods`), as
//! CPython 3.13 has them, over the set core of `set.rs`. Methods take any iterable
//! where the operators take only sets; a set given as a key is looked up as a
//! frozenset, as the `in` operator does.

use super::exceptions::{exc, Exc};
use super::methodargs::{positional, simple, END};
use super::object::{decref, new_ref};
use super::set::{self, check_any, check_set, frozenset_type, set_type};
use super::{bool_, singletons};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;

const fn varargs(name: &'static core::ffi::CStr, f: super::methodargs::Fast) -> PyMethodDef {
    super::methodargs::fast(name, f)
}

pub static mut SET_METHODS: [PyMethodDef; 18] = [
    simple(c"add", set_add, METH_O),
    simple(c"clear", set_clear, METH_NOARGS),
    simple(c"copy", set_copy, METH_NOARGS),
    simple(c"discard", set_discard, METH_O),
    varargs(c"difference", set_difference),
    varargs(c"difference_update", set_difference_update),
    varargs(c"intersection", set_intersection),
    varargs(c"intersection_update", set_intersection_update),
    simple(c"isdisjoint", set_isdisjoint, METH_O),
    simple(c"issubset", set_issubset, METH_O),
    simple(c"issuperset", set_issuperset, METH_O),
    simple(c"pop", set_pop, METH_NOARGS),
    simple(c"remove", set_remove, METH_O),
    simple(c"symmetric_difference", set_symmetric_difference, METH_O),
    simple(c"symmetric_difference_update", set_symmetric_difference_update, METH_O),
    varargs(c"union", set_union),
    varargs(c"update", set_update),
    END,
];

pub static mut FROZENSET_METHODS: [PyMethodDef; 9] = [
    simple(c"copy", set_copy, METH_NOARGS),
    varargs(c"difference", set_difference),
    varargs(c"intersection", set_intersection),
    simple(c"isdisjoint", set_isdisjoint, METH_O),
    simple(c"issubset", set_issubset, METH_O),
    simple(c"issuperset", set_issuperset, METH_O),
    simple(c"symmetric_difference", set_symmetric_difference, METH_O),
    varargs(c"union", set_union),
    END,
];

fn none() -> *mut PyObject {
    // SAFETY: None is immortal.
    unsafe { new_ref(singletons::none()) }
}

fn bool_ref(v: bool) -> *mut PyObject {
    // SAFETY: True and False are immortal.
    unsafe { new_ref(bool_::from_bool(v)) }
}

/// `other` as a set or frozenset: itself (a new reference), or a new set of its items.
fn as_set(ts: Ts, other: *mut PyObject) -> PyResult<*mut PyObject> {
    if check_any(other) {
        return Ok(unsafe { new_ref(other) });
    }
    set::new_from(ts, set_type(), other)
}

/// Runs `f` on `other` as a set, releasing the temporary.
fn with_set<R>(ts: Ts, other: *mut PyObject, f: impl FnOnce(*mut PyObject) -> PyResult<R>) -> PyResult<R> {
    let s = as_set(ts, other)?;
    let r = f(s);
    unsafe { decref(s) };
    r
}

/// `f(key)`, retried with `frozenset(key)` when `key` is an unhashable set.
fn with_key<R>(ts: Ts, key: *mut PyObject, f: impl Fn(*mut PyObject) -> PyResult<R>) -> PyResult<R> {
    match f(key) {
        Err(Raised)
            if check_set(key)
                && super::object::is_subtype(super::object::type_of(ts.exception()), exc(Exc::TypeError)) =>
        {
            errors::clear(ts);
            let frozen = set::new_from(ts, frozenset_type(), key)?;
            let r = f(frozen);
            unsafe { decref(frozen) };
            r
        }
        r => r,
    }
}

/// `o.copy()`: a new set of `o`'s base type (`set` or `frozenset`); an exact
/// frozenset is itself.
fn copy(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if super::object::type_of(o) == frozenset_type() {
        return Ok(unsafe { new_ref(o) });
    }
    fresh_copy(ts, o)
}

/// A new set of `o`'s base type with its keys, never `o` itself (it will be changed).
fn fresh_copy(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let ty = if check_set(o) { set_type() } else { frozenset_type() };
    set::new_from(ts, ty, o)
}

/// Applies `step` to a copy of `o` with each argument in turn.
fn fold(
    ts: Ts,
    o: *mut PyObject,
    others: &[*mut PyObject],
    step: impl Fn(Ts, *mut PyObject, *mut PyObject) -> PyResult<*mut PyObject>,
) -> PyResult<*mut PyObject> {
    let mut acc = fresh_copy(ts, o)?;
    for &other in others {
        let next = step(ts, acc, other);
        unsafe { decref(acc) };
        acc = next?;
    }
    Ok(acc)
}

unsafe extern "C" fn set_add(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| set::add(ts, o, key).map(|()| none()))
}

unsafe extern "C" fn set_clear(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|_| {
        set::clear(o);
        Ok::<_, Raised>(none())
    })
}

unsafe extern "C" fn set_copy(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| copy(ts, o))
}

unsafe extern "C" fn set_discard(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| with_key(ts, key, |k| set::discard(ts, o, k)).map(|_| none()))
}

unsafe extern "C" fn set_remove(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        if with_key(ts, key, |k| set::discard(ts, o, k))? {
            return Ok(none());
        }
        Err(super::dict::key_error(ts, key))
    })
}

unsafe extern "C" fn set_pop(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| set::pop(ts, o))
}

unsafe extern "C" fn set_union(o: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| {
        let r = fresh_copy(ts, o)?;
        for &other in positional(args, n) {
            if let Err(e) = set::update(ts, r, other) {
                unsafe { decref(r) };
                return Err(e);
            }
        }
        Ok(r)
    })
}

unsafe extern "C" fn set_intersection(o: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| {
        fold(ts, o, positional(args, n), |ts, acc, other| with_set(ts, other, |s| set::intersection(ts, acc, s)))
    })
}

unsafe extern "C" fn set_difference(o: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| {
        fold(ts, o, positional(args, n), |ts, acc, other| with_set(ts, other, |s| set::difference(ts, acc, s)))
    })
}

unsafe extern "C" fn set_symmetric_difference(o: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| with_set(ts, other, |s| set::symmetric_difference(ts, o, s)))
}

unsafe extern "C" fn set_update(o: *mut PyObject, args: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    boundary::slot(|ts| {
        for &other in positional(args, n) {
            set::update(ts, o, other)?;
        }
        Ok(none())
    })
}

unsafe extern "C" fn set_intersection_update(
    o: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| {
        for &other in positional(args, n) {
            with_set(ts, other, |s| set::intersection_update(ts, o, s))?;
        }
        Ok(none())
    })
}

unsafe extern "C" fn set_difference_update(
    o: *mut PyObject,
    args: *const *mut PyObject,
    n: Py_ssize_t,
) -> *mut PyObject {
    boundary::slot(|ts| {
        for &other in positional(args, n) {
            with_set(ts, other, |s| set::difference_update(ts, o, s))?;
        }
        Ok(none())
    })
}

unsafe extern "C" fn set_symmetric_difference_update(o: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| with_set(ts, other, |s| set::symmetric_difference_update(ts, o, s)).map(|()| none()))
}

unsafe extern "C" fn set_issubset(o: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| with_set(ts, other, |s| set::is_subset(ts, o, s)).map(bool_ref))
}

unsafe extern "C" fn set_issuperset(o: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| with_set(ts, other, |s| set::is_subset(ts, s, o)).map(bool_ref))
}

/// Whether `o` and `other` have no key in common, looking each key of the smaller
/// one up in the larger (an iterable is iterated and looked up in `o`).
unsafe extern "C" fn set_isdisjoint(o: *mut PyObject, other: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| {
        let common = with_set(ts, other, |s| set::intersection(ts, o, s))?;
        let disjoint = set::len(common) == 0;
        unsafe { decref(common) };
        Ok(bool_ref(disjoint))
    })
}
