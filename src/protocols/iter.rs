//! The iterator protocol: `iter(o)`, `next(it)`, sending into an iterator, and the
//! length hint.

use crate::abi::*;
use crate::objects::containers::OwnedRefs;
use crate::objects::exceptions::{self, Exc};
use crate::objects::iterobject;
use crate::objects::object::{self, decref, type_of};
use crate::objects::typeobject::type_name;
use crate::objects::{list, singletons, tuple};
use crate::protocols::object::{check_result, length};
use crate::protocols::sequence;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;

/// Whether `o` is an iterator: its type can produce a next item.
pub fn is_iterator(o: *mut PyObject) -> bool {
    // SAFETY: a live object's type.
    unsafe { (*type_of(o)).tp_iternext }.is_some()
}

/// `iter(o)`: the type's `tp_iter`, or the generic iterator for sequences.
pub fn get_iter(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: a live object's type.
    let Some(f) = (unsafe { (*type_of(o)).tp_iter }) else {
        if sequence::check(o) {
            return iterobject::seq_iter(ts, o);
        }
        return Err(errors::type_error(ts, &format!("'{}' object is not iterable", type_name(type_of(o)))));
    };
    let it = check_result(ts, unsafe { f(o) }, "__iter__")?;
    if !is_iterator(it) {
        let name = type_name(type_of(it));
        unsafe { decref(it) };
        return Err(errors::type_error(ts, &format!("iter() returned non-iterator of type '{name}'")));
    }
    Ok(it)
}

/// Whether `o` is an async iterator: its type has `am_anext`.
pub fn is_async_iterator(o: *mut PyObject) -> bool {
    // SAFETY: a live type; its async table is null or valid.
    unsafe { (*type_of(o)).tp_as_async.as_ref() }.is_some_and(|a| a.am_anext.is_some())
}

/// `aiter(o)`: the `am_aiter` slot, whose result must be an async iterator.
pub fn get_async_iter(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: as for `is_async_iterator`.
    let Some(f) = (unsafe { (*type_of(o)).tp_as_async.as_ref() }).and_then(|a| a.am_aiter) else {
        return Err(errors::type_error(ts, &format!("'{}' object is not an async iterable", type_name(type_of(o)))));
    };
    let it = check_result(ts, unsafe { f(o) }, "__aiter__")?;
    if !is_async_iterator(it) {
        let name = type_name(type_of(it));
        unsafe { decref(it) };
        return Err(errors::type_error(ts, &format!("aiter() returned not an async iterator of type '{name}'")));
    }
    Ok(it)
}

/// Whether `o` can be iterated (without trying).
pub fn is_iterable(o: *mut PyObject) -> bool {
    unsafe { (*type_of(o)).tp_iter }.is_some() || sequence::check(o)
}

/// `next(it)`: the next item (a new reference), or None at the end. A
/// `StopIteration` raised by the iterator ends the iteration and is cleared.
pub fn next(ts: Ts, it: *mut PyObject) -> PyResult<Option<*mut PyObject>> {
    // SAFETY: a live object's type.
    let Some(f) = (unsafe { (*type_of(it)).tp_iternext }) else {
        return Err(errors::type_error(ts, &format!("'{}' object is not an iterator", type_name(type_of(it)))));
    };
    let x = unsafe { f(it) };
    if !x.is_null() {
        return Ok(Some(x));
    }
    if !errors::occurred(ts) {
        return Ok(None);
    }
    if stop_iteration_pending(ts) {
        errors::clear(ts);
        return Ok(None);
    }
    Err(Raised)
}

/// After `tp_iternext` gave NULL: a pending `StopIteration` is cleared (the end, not
/// an error); any other exception stays. NULL either way.
pub fn after_exhaustion(ts: Ts) -> *mut PyObject {
    if errors::occurred(ts) && stop_iteration_pending(ts) {
        errors::clear(ts);
    }
    core::ptr::null_mut()
}

fn stop_iteration_pending(ts: Ts) -> bool {
    object::is_subtype(type_of(ts.exception()), exceptions::exc(Exc::StopIteration))
}

/// Every item of iterable `o`, as new references (`list(o)` without the list).
/// Exact lists and tuples are read directly.
pub fn collect(ts: Ts, o: *mut PyObject) -> PyResult<OwnedRefs> {
    if list::check_exact(o) {
        return Ok(OwnedRefs::of(list::items(o)));
    }
    if tuple::check_exact(o) {
        return Ok(OwnedRefs::of(tuple::items(o)));
    }
    let hint = length_hint(ts, o, 0)?;
    let it = get_iter(ts, o)?;
    let r = drain(ts, it, hint);
    unsafe { decref(it) };
    r
}

/// Takes every item `it` has left.
pub fn drain(ts: Ts, it: *mut PyObject, hint: isize) -> PyResult<OwnedRefs> {
    let mut out = OwnedRefs(Vec::with_capacity(hint.clamp(0, 1 << 16) as usize));
    while let Some(x) = next(ts, it)? {
        out.0.push(x);
    }
    Ok(out)
}

/// What `PyIter_Send` reports (CPython's `PySendResult`).
pub enum Sent {
    /// The iterator produced a value.
    Next(*mut PyObject),
    /// The iterator finished, with this return value.
    Return(*mut PyObject),
}

/// `PyIter_Send`: `arg` sent into `iter` (a plain `next` when `arg` is None and
/// `iter` is an iterator; otherwise the `am_send` slot, else its `send` method).
pub fn send(ts: Ts, iter: *mut PyObject, arg: *mut PyObject) -> PyResult<Sent> {
    let ty = type_of(iter);
    // SAFETY: a live type; the async table is null or valid.
    if let Some(am_send) = unsafe { (*ty).tp_as_async.as_ref() }.and_then(|a| a.am_send) {
        let mut result = core::ptr::null_mut();
        return match unsafe { am_send(iter, arg, &mut result) } {
            PYGEN_NEXT => Ok(Sent::Next(result)),
            PYGEN_RETURN => Ok(Sent::Return(result)),
            _ => Err(Raised),
        };
    }
    let produced = if arg == singletons::none() && is_iterator(iter) {
        let f = unsafe { (*ty).tp_iternext }.expect("an iterator has tp_iternext");
        unsafe { f(iter) }
    } else {
        call_send_method(ts, iter, arg)?
    };
    if !produced.is_null() {
        return Ok(Sent::Next(produced));
    }
    if !errors::occurred(ts) {
        return Ok(Sent::Return(singletons::none()));
    }
    if stop_iteration_pending(ts) {
        return Ok(Sent::Return(take_stop_iteration_value(ts)));
    }
    Err(Raised)
}

/// `iter.send(arg)` through the attribute and the callee's `tp_call`; null with the
/// callee's exception (or none) set.
fn call_send_method(ts: Ts, iter: *mut PyObject, arg: *mut PyObject) -> PyResult<*mut PyObject> {
    let method = crate::protocols::attr::getattr_str(ts, iter, "send")?;
    let args = tuple::pack(ts, &[arg]);
    let r = args.and_then(|args| {
        // SAFETY: live objects; `tp_call` follows CPython's contract.
        let r = match unsafe { (*type_of(method)).tp_call } {
            Some(call) => Ok(unsafe { call(method, args, core::ptr::null_mut()) }),
            None => Err(errors::type_error(ts, &format!("'{}' object is not callable", type_name(type_of(method))))),
        };
        unsafe { decref(args) };
        r
    });
    unsafe { decref(method) };
    r
}

/// Clears the pending `StopIteration` and returns its value (its first argument, or
/// None), a new reference.
fn take_stop_iteration_value(ts: Ts) -> *mut PyObject {
    let exc = errors::take_raised(ts);
    let args = exceptions::get_field(exc, exceptions::ExcField::Args);
    let value = if !args.is_null() && tuple::check(args) && tuple::size(args) > 0 {
        tuple::item(args, 0)
    } else {
        singletons::none()
    };
    let value = unsafe { object::new_ref(value) };
    unsafe { decref(exc) };
    value
}

/// `PySendResult` values.
pub(crate) const PYGEN_RETURN: c_int = 0;
pub(crate) const PYGEN_ERROR: c_int = -1;
pub(crate) const PYGEN_NEXT: c_int = 1;

/// `PyObject_LengthHint`: `len(o)` when it has one, else what a builtin iterator has
/// left, else `default`. A `TypeError` from `len` counts as no length.
pub fn length_hint(ts: Ts, o: *mut PyObject, default: isize) -> PyResult<isize> {
    if has_len(o) {
        match length(ts, o) {
            Ok(n) => return Ok(n),
            Err(Raised) => {
                if !object::is_subtype(type_of(ts.exception()), exceptions::exc(Exc::TypeError)) {
                    return Err(Raised);
                }
                errors::clear(ts);
            }
        }
    }
    Ok(iterobject::remaining(o).unwrap_or(default))
}

/// Whether the type of `o` defines a length (`sq_length` or `mp_length`).
pub fn has_len(o: *mut PyObject) -> bool {
    let ty = type_of(o);
    // SAFETY: a live type; its method tables are null or valid.
    unsafe {
        (*ty).tp_as_sequence.as_ref().is_some_and(|s| s.sq_length.is_some())
            || (*ty).tp_as_mapping.as_ref().is_some_and(|m| m.mp_length.is_some())
    }
}
