//! The sequence protocol (`PySequence_*`), dispatching through `tp_as_sequence`.

use crate::abi::*;
use crate::objects::object::{decref, new_ref, type_of};
use crate::objects::typeobject::type_name;
use crate::objects::{dict, list, long, slice, tuple};
use crate::protocols::number::{self, BinOp};
use crate::protocols::object::check_result;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;

/// The sequence methods of the type of `o`, when it has a table.
pub fn methods<'a>(o: *mut PyObject) -> Option<&'a PySequenceMethods> {
    // SAFETY: a live type; its table is null or valid for the type's life.
    unsafe { (*type_of(o)).tp_as_sequence.as_ref() }
}

/// The mapping methods of the type of `o`, when it has a table.
pub fn mapping_methods<'a>(o: *mut PyObject) -> Option<&'a PyMappingMethods> {
    // SAFETY: as for `methods`.
    unsafe { (*type_of(o)).tp_as_mapping.as_ref() }
}

/// `PySequence_Check`: has `sq_item` and is not a dict.
pub fn check(o: *mut PyObject) -> bool {
    !dict::check(o) && methods(o).is_some_and(|m| m.sq_item.is_some())
}

fn ssize_result(ts: Ts, v: Py_ssize_t) -> PyResult<Py_ssize_t> {
    if v < 0 && errors::occurred(ts) {
        Err(Raised)
    } else {
        Ok(v)
    }
}

/// A negative index counts from the end, when the sequence has a length.
fn from_end(ts: Ts, o: *mut PyObject, m: &PySequenceMethods, i: isize) -> PyResult<isize> {
    match m.sq_length {
        Some(len) if i < 0 => Ok(i + ssize_result(ts, unsafe { len(o) })?),
        _ => Ok(i),
    }
}

/// `o[i]` through `sq_item`; a negative `i` counts from the end.
pub fn get_item(ts: Ts, o: *mut PyObject, i: isize) -> PyResult<*mut PyObject> {
    if let Some(m) = methods(o) {
        if let Some(item) = m.sq_item {
            let i = from_end(ts, o, m, i)?;
            return check_result(ts, unsafe { item(o, i) }, "__getitem__");
        }
    }
    Err(not_a_sequence(ts, o, "does not support indexing"))
}

/// `'T' object <what>`, or `T is not a sequence` for mappings.
fn not_a_sequence(ts: Ts, o: *mut PyObject, what: &str) -> Raised {
    let name = type_name(type_of(o));
    if mapping_methods(o).is_some_and(|m| m.mp_subscript.is_some()) {
        return errors::type_error(ts, &format!("{name} is not a sequence"));
    }
    errors::type_error(ts, &format!("'{name}' object {what}"))
}

/// The items of `o` for `PySequence_Fast`: exact lists and tuples as they are, any
/// other iterable drained; a `TypeError` from `iter(o)` becomes `TypeError(message)`.
pub fn fast_items(ts: Ts, o: *mut PyObject, message: &str) -> PyResult<crate::objects::containers::OwnedRefs> {
    use crate::objects::{list, tuple};
    use crate::protocols::iter;
    if list::check_exact(o) || tuple::check_exact(o) {
        return iter::collect(ts, o);
    }
    let it = match iter::get_iter(ts, o) {
        Ok(it) => it,
        Err(Raised) => return Err(replace_type_error(ts, message)),
    };
    let r = iter::drain(ts, it, 0);
    unsafe { crate::objects::object::decref(it) };
    r
}

/// Replaces a pending `TypeError` with `TypeError(message)`; other errors stay.
pub fn replace_type_error(ts: Ts, message: &str) -> Raised {
    use crate::objects::exceptions::{self, Exc};
    let pending = type_of(ts.exception());
    if crate::objects::object::is_subtype(pending, exceptions::exc(Exc::TypeError)) {
        errors::clear(ts);
        return errors::type_error(ts, message);
    }
    Raised
}

/// `ob in seq`: `sq_contains`, else a search through the iterator.
pub fn contains(ts: Ts, seq: *mut PyObject, ob: *mut PyObject) -> PyResult<bool> {
    if let Some(f) = methods(seq).and_then(|m| m.sq_contains) {
        let r = unsafe { f(seq, ob) };
        if r < 0 {
            return Err(check_error_set(ts, "__contains__"));
        }
        return Ok(r > 0);
    }
    Ok(search(ts, seq, ob, Search::Contains)? > 0)
}

/// An error result from a slot: the slot's exception, or `SystemError` if it set none.
fn check_error_set(ts: Ts, what: &str) -> Raised {
    if errors::occurred(ts) {
        Raised
    } else {
        errors::system_error(ts, &format!("{what} returned an error without setting an exception"))
    }
}

/// What `search` looks for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// How many items equal `ob`.
    Count,
    /// The index of the first item equal to `ob` (`ValueError` if none).
    Index,
    /// Whether any item equals `ob` (1 or 0).
    Contains,
}

/// Walks the items of `seq` comparing each with `ob` (CPython's
/// `_PySequence_IterSearch`).
pub fn search(ts: Ts, seq: *mut PyObject, ob: *mut PyObject, what: Search) -> PyResult<isize> {
    use crate::protocols::{iter, object::richcompare_bool};
    let it = iter::get_iter(ts, seq).map_err(|_| {
        let name = type_name(type_of(seq));
        replace_type_error(ts, &format!("argument of type '{name}' is not iterable"))
    })?;
    let mut found = 0isize;
    let mut index = 0isize;
    let r = loop {
        let item = match iter::next(ts, it) {
            Ok(Some(x)) => x,
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        };
        let same = richcompare_bool(ts, item, ob, Py_EQ);
        unsafe { crate::objects::object::decref(item) };
        match same {
            Err(e) => break Err(e),
            Ok(true) if what == Search::Count => found += 1,
            Ok(true) => {
                found = if what == Search::Index { index } else { 1 };
                unsafe { crate::objects::object::decref(it) };
                return Ok(found);
            }
            Ok(false) => {}
        }
        if what == Search::Index {
            index = match index.checked_add(1) {
                Some(i) => i,
                None => break Err(errors::overflow_error(ts, "index exceeds C integer size")),
            };
        }
    };
    unsafe { crate::objects::object::decref(it) };
    r?;
    if what == Search::Index {
        return Err(errors::value_error(ts, "sequence.index(x): x not in sequence"));
    }
    Ok(found)
}

fn int_result(ts: Ts, r: c_int, what: &str) -> PyResult<()> {
    if r < 0 {
        return Err(check_error_set(ts, what));
    }
    Ok(())
}

/// `len(seq)` through `sq_length` (`PySequence_Size`).
pub fn size(ts: Ts, o: *mut PyObject) -> PyResult<isize> {
    if let Some(f) = methods(o).and_then(|m| m.sq_length) {
        return ssize_result(ts, unsafe { f(o) });
    }
    if mapping_methods(o).is_some_and(|m| m.mp_length.is_some()) {
        return Err(errors::type_error(ts, &format!("{} is not a sequence", type_name(type_of(o)))));
    }
    Err(errors::type_error(ts, &format!("object of type '{}' has no len()", type_name(type_of(o)))))
}

/// `o[i] = v`, or `del o[i]` when `v` is null, through `sq_ass_item`.
pub fn set_item(ts: Ts, o: *mut PyObject, i: isize, v: *mut PyObject) -> PyResult<()> {
    if let Some(m) = methods(o) {
        if let Some(f) = m.sq_ass_item {
            let i = from_end(ts, o, m, i)?;
            return int_result(ts, unsafe { f(o, i, v) }, "__setitem__");
        }
    }
    let what = if v.is_null() { "doesn't support item deletion" } else { "does not support item assignment" };
    Err(not_a_sequence_for_assignment(ts, o, what))
}

fn not_a_sequence_for_assignment(ts: Ts, o: *mut PyObject, what: &str) -> Raised {
    let name = type_name(type_of(o));
    if mapping_methods(o).is_some_and(|m| m.mp_ass_subscript.is_some()) {
        return errors::type_error(ts, &format!("{name} is not a sequence"));
    }
    errors::type_error(ts, &format!("'{name}' object {what}"))
}

/// `slice(i1, i2)` as an object.
fn slice_of(ts: Ts, i1: isize, i2: isize) -> PyResult<*mut PyObject> {
    let a = long::from_i64(ts, i1 as i64)?;
    let b = long::from_i64(ts, i2 as i64);
    let s = b.and_then(|b| {
        let s = slice::new(ts, a, b, core::ptr::null_mut());
        unsafe { decref(b) };
        s
    });
    unsafe { decref(a) };
    s
}

/// `o[i1:i2]` through `mp_subscript`.
pub fn get_slice(ts: Ts, o: *mut PyObject, i1: isize, i2: isize) -> PyResult<*mut PyObject> {
    let Some(f) = mapping_methods(o).and_then(|m| m.mp_subscript) else {
        return Err(errors::type_error(ts, &format!("'{}' object is unsliceable", type_name(type_of(o)))));
    };
    let s = slice_of(ts, i1, i2)?;
    let r = check_result(ts, unsafe { f(o, s) }, "__getitem__");
    unsafe { decref(s) };
    r
}

/// `o[i1:i2] = v`, or `del o[i1:i2]` when `v` is null, through `mp_ass_subscript`.
pub fn set_slice(ts: Ts, o: *mut PyObject, i1: isize, i2: isize, v: *mut PyObject) -> PyResult<()> {
    let Some(f) = mapping_methods(o).and_then(|m| m.mp_ass_subscript) else {
        let what = if v.is_null() { "slice deletion" } else { "slice assignment" };
        return Err(errors::type_error(ts, &format!("'{}' object doesn't support {what}", type_name(type_of(o)))));
    };
    let s = slice_of(ts, i1, i2)?;
    let r = int_result(ts, unsafe { f(o, s, v) }, "__setitem__");
    unsafe { decref(s) };
    r
}

/// `s + o`: `sq_concat`, else `+` between two sequences.
pub fn concat(ts: Ts, s: *mut PyObject, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if let Some(f) = methods(s).and_then(|m| m.sq_concat) {
        return check_result(ts, unsafe { f(s, o) }, "sq_concat");
    }
    if check(s) && check(o) {
        if let Some(r) = number::binary_op1(ts, BinOp::Add, s, o)? {
            return Ok(r);
        }
    }
    Err(errors::type_error(ts, &format!("'{}' object can't be concatenated", type_name(type_of(s)))))
}

/// `s += o`: `sq_inplace_concat`, `sq_concat`, then `+=` between two sequences.
pub fn inplace_concat(ts: Ts, s: *mut PyObject, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if let Some(f) = methods(s).and_then(|m| m.sq_inplace_concat.or(m.sq_concat)) {
        return check_result(ts, unsafe { f(s, o) }, "sq_concat");
    }
    if check(s) && check(o) {
        if let Some(r) = number::inplace_op1(ts, BinOp::Add, s, o)? {
            return Ok(r);
        }
    }
    Err(errors::type_error(ts, &format!("'{}' object can't be concatenated", type_name(type_of(s)))))
}

/// `o * count`: `sq_repeat`, else `*` with an int for a sequence.
pub fn repeat(ts: Ts, o: *mut PyObject, count: isize) -> PyResult<*mut PyObject> {
    if let Some(f) = methods(o).and_then(|m| m.sq_repeat) {
        return check_result(ts, unsafe { f(o, count) }, "sq_repeat");
    }
    repeat_by_number(ts, o, count, false)
}

/// `o *= count`: `sq_inplace_repeat`, `sq_repeat`, then `*=` with an int.
pub fn inplace_repeat(ts: Ts, o: *mut PyObject, count: isize) -> PyResult<*mut PyObject> {
    if let Some(f) = methods(o).and_then(|m| m.sq_inplace_repeat.or(m.sq_repeat)) {
        return check_result(ts, unsafe { f(o, count) }, "sq_repeat");
    }
    repeat_by_number(ts, o, count, true)
}

fn repeat_by_number(ts: Ts, o: *mut PyObject, count: isize, in_place: bool) -> PyResult<*mut PyObject> {
    if check(o) {
        let n = long::from_i64(ts, count as i64)?;
        let r = if in_place {
            number::inplace_op1(ts, BinOp::Multiply, o, n)
        } else {
            number::binary_op1(ts, BinOp::Multiply, o, n)
        };
        unsafe { decref(n) };
        if let Some(r) = r? {
            return Ok(r);
        }
    }
    Err(errors::type_error(ts, &format!("'{}' object can't be repeated", type_name(type_of(o)))))
}

/// `tuple(v)`: an exact tuple itself, a list's items, any iterable drained.
pub fn to_tuple(ts: Ts, v: *mut PyObject) -> PyResult<*mut PyObject> {
    if tuple::check_exact(v) {
        return Ok(unsafe { new_ref(v) });
    }
    let items = crate::protocols::iter::collect(ts, v)?;
    tuple::pack(ts, &items.0)
}

/// `list(v)`: a new list of the items of any iterable.
pub fn to_list(ts: Ts, v: *mut PyObject) -> PyResult<*mut PyObject> {
    let items = crate::protocols::iter::collect(ts, v)?;
    list::from_slice(ts, &items.0)
}

/// `PySequence_Fast`: an exact list or tuple itself, else a list of the items;
/// `TypeError(message)` when `v` is not iterable.
pub fn fast(ts: Ts, v: *mut PyObject, message: &str) -> PyResult<*mut PyObject> {
    if list::check_exact(v) || tuple::check_exact(v) {
        return Ok(unsafe { new_ref(v) });
    }
    let items = fast_items(ts, v, message)?;
    list::from_slice(ts, &items.0)
}
