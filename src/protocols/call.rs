//! Calling objects: `tp_call` with an argument tuple and keyword dict, and the
//! vectorcall protocol (PEP 590) with an argument array and a tuple of keyword names.
//! Each entry point uses the callee's vectorcall function when it has one, else its
//! `tp_call`, converting the arguments between the two shapes as needed.

use crate::abi::*;
use crate::objects::object::{decref, type_of};
use crate::objects::typeobject::type_name;
use crate::objects::{containers, dict, object, tuple, unicode};
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ptr::null_mut;

/// The vectorcall function of `callable`, if its type enables the protocol and the
/// instance holds one (`PyVectorcall_Function`).
#[inline]
pub fn vectorcall_function(callable: *mut PyObject) -> vectorcallfunc {
    let ty = type_of(callable);
    if !object::has_flag(ty, Py_TPFLAGS_HAVE_VECTORCALL) {
        return None;
    }
    // SAFETY: a type with HAVE_VECTORCALL stores a vectorcall pointer (or null) at
    // tp_vectorcall_offset inside every instance.
    unsafe {
        let offset = (*ty).tp_vectorcall_offset;
        if offset <= 0 {
            return None;
        }
        *((callable as *mut u8).add(offset as usize) as *const vectorcallfunc)
    }
}

/// The number of positional arguments in a vectorcall's `nargsf`.
#[inline]
pub fn nargs_of(nargsf: usize) -> usize {
    nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET
}

fn not_callable(ts: Ts, callable: *mut PyObject) -> Raised {
    errors::type_error(ts, &format!("'{}' object is not callable", type_name(type_of(callable))))
}

/// Checks a callee kept CPython's contract: NULL exactly when an exception is set.
#[inline]
pub fn check_call_result(ts: Ts, callable: *mut PyObject, r: *mut PyObject) -> PyResult<*mut PyObject> {
    let raised = errors::occurred(ts);
    if !r.is_null() && !raised {
        return Ok(r);
    }
    misbehaved(ts, callable, r, raised)
}

/// A result that breaks the rule "NULL exactly when an exception is set".
#[cold]
fn misbehaved(ts: Ts, callable: *mut PyObject, r: *mut PyObject, raised: bool) -> PyResult<*mut PyObject> {
    if r.is_null() {
        if !raised {
            let who = describe(ts, callable);
            return Err(errors::system_error(ts, &format!("{who} returned NULL without setting an exception")));
        }
        return Err(Raised);
    }
    if raised {
        // SAFETY: the callee handed us a new reference we will not return.
        unsafe { decref(r) };
        let cause = errors::take_raised(ts);
        let who = describe(ts, callable);
        errors::system_error(ts, &format!("{who} returned a result with an exception set"));
        errors::chain_cause(ts, cause);
        return Err(Raised);
    }
    Ok(r)
}

fn describe(ts: Ts, callable: *mut PyObject) -> String {
    errors::preserving(ts, || match crate::protocols::object::repr(ts, callable) {
        Ok(r) => {
            let text = unicode::to_string_lossy(r);
            // SAFETY: `r` is the new reference repr returned.
            unsafe { decref(r) };
            text
        }
        Err(_) => {
            errors::clear(ts);
            format!("<{} object>", type_name(type_of(callable)))
        }
    })
}

/// `callable(*args, **kwargs)` with `args` a tuple and `kwargs` a dict or null
/// (`PyObject_Call`).
pub fn call(ts: Ts, callable: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> PyResult<*mut PyObject> {
    if let Some(vc) = vectorcall_function(callable) {
        return vectorcall_with_dict(ts, callable, vc, tuple::items(args), kwargs);
    }
    let Some(call) = (unsafe { (*type_of(callable)).tp_call }) else { return Err(not_callable(ts, callable)) };
    let _depth = containers::enter_nested(ts, "while calling a Python object")?;
    // SAFETY: tp_call takes (callable, tuple, dict or NULL).
    let r = unsafe { call(callable, args, kwargs) };
    check_call_result(ts, callable, r)
}

/// `callable(*args)` with the arguments in a Rust slice.
pub fn call_slice(ts: Ts, callable: *mut PyObject, args: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    vectorcall(ts, callable, args.as_ptr(), args.len(), null_mut())
}

/// A vectorcall (`PyObject_Vectorcall`): `args` holds the positional arguments, then
/// the values of the keyword arguments named by `kwnames` (a tuple of str, or null).
/// Inlined into its callers: a call to a vectorcall function is the hot path.
#[inline]
pub fn vectorcall(
    ts: Ts,
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let Some(vc) = vectorcall_function(callable) else {
        return vectorcall_through_tp_call(ts, callable, args, nargsf, kwnames);
    };
    let _depth = containers::enter_nested(ts, "while calling a Python object")?;
    // SAFETY: the caller passes an array of nargs + len(kwnames) live objects.
    let r = unsafe { vc(callable, args, nargsf, kwnames) };
    check_call_result(ts, callable, r)
}

/// A vectorcall of an object without a vectorcall function: its `tp_call` gets the
/// positional arguments as a tuple and the keyword ones as a dict.
#[inline(never)]
fn vectorcall_through_tp_call(
    ts: Ts,
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let nkw = if kwnames.is_null() { 0 } else { tuple::size(kwnames) as usize };
    let all = arg_slice(args, nargs_of(nargsf) + nkw);
    let (positional, values) = all.split_at(nargs_of(nargsf));
    let t = tuple::pack(ts, positional)?;
    let kwargs = if nkw == 0 { Ok(null_mut()) } else { kwnames_to_dict(ts, kwnames, values) };
    let r = kwargs.and_then(|d| {
        let r = call(ts, callable, t, d);
        // SAFETY: `d` is null or the dict made above.
        unsafe { object::xdecref(d) };
        r
    });
    // SAFETY: the tuple made above.
    unsafe { decref(t) };
    r
}

/// A vectorcall with the keyword arguments in a dict (`PyObject_VectorcallDict`).
pub fn vectorcall_dict(
    ts: Ts,
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwargs: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let positional = arg_slice(args, nargs_of(nargsf));
    match vectorcall_function(callable) {
        Some(vc) => vectorcall_with_dict(ts, callable, vc, positional, kwargs),
        None => {
            let t = tuple::pack(ts, positional)?;
            let r = call(ts, callable, t, kwargs);
            // SAFETY: the tuple made above.
            unsafe { decref(t) };
            r
        }
    }
}

/// The slice of `n` arguments at `args` (which may be null when `n` is 0).
#[inline]
pub fn arg_slice<'a>(args: *const *mut PyObject, n: usize) -> &'a [*mut PyObject] {
    if n == 0 || args.is_null() {
        return &[];
    }
    // SAFETY: vectorcall callers pass at least `n` live arguments.
    unsafe { core::slice::from_raw_parts(args, n) }
}

fn vectorcall_with_dict(
    ts: Ts,
    callable: *mut PyObject,
    vc: unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, usize, *mut PyObject) -> *mut PyObject,
    positional: &[*mut PyObject],
    kwargs: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let _depth = containers::enter_nested(ts, "while calling a Python object")?;
    if kwargs.is_null() || dict::len(kwargs) == 0 {
        // SAFETY: `positional` holds live objects; no keyword arguments.
        let r = unsafe { vc(callable, positional.as_ptr(), positional.len(), null_mut()) };
        return check_call_result(ts, callable, r);
    }
    let (all, kwnames) = dict_to_kwnames(ts, positional, kwargs)?;
    // SAFETY: `all` holds the positional arguments then one value per name.
    let r = unsafe { vc(callable, all.as_ptr(), positional.len(), kwnames) };
    // SAFETY: the names tuple made by dict_to_kwnames; `all` borrows from the dict.
    unsafe { decref(kwnames) };
    check_call_result(ts, callable, r)
}

/// The positional arguments followed by the dict's values, and the tuple of its keys
/// (which must be str, as CPython requires of keyword names).
pub fn dict_to_kwnames(
    ts: Ts,
    positional: &[*mut PyObject],
    kwargs: *mut PyObject,
) -> PyResult<(Vec<*mut PyObject>, *mut PyObject)> {
    let entries = dict::entries(kwargs);
    let names = tuple::new(ts, entries.len() as isize)?;
    let mut all = positional.to_vec();
    for (i, e) in entries.iter().enumerate() {
        if !unicode::check(e.key) {
            // SAFETY: the tuple is ours; unfilled slots are null and skipped.
            unsafe { decref(names) };
            return Err(errors::type_error(ts, "keywords must be strings"));
        }
        // SAFETY: `names` has a slot per entry; the key is live and gets a reference.
        unsafe {
            object::incref(e.key);
            *tuple::slots(names).add(i) = e.key;
        }
        all.push(e.value);
    }
    Ok((all, names))
}

/// A dict mapping each name of `kwnames` to the value at the same index of `values`.
pub fn kwnames_to_dict(ts: Ts, kwnames: *mut PyObject, values: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    let d = dict::new(ts)?;
    for (&k, &v) in tuple::items(kwnames).iter().zip(values) {
        if let Err(e) = dict::set_item(ts, d, k, v) {
            // SAFETY: the dict made above.
            unsafe { decref(d) };
            return Err(e);
        }
    }
    Ok(d)
}

/// `args[0].name(*args[1:], **kw)`: the method is looked up on the first argument and
/// called with the rest (`PyObject_VectorcallMethod`; `nargsf` counts the receiver).
pub fn vectorcall_method(
    ts: Ts,
    name: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> PyResult<*mut PyObject> {
    // SAFETY: the caller passes at least the receiver.
    let receiver = unsafe { *args };
    let method = crate::protocols::attr::getattr(ts, receiver, name)?;
    // SAFETY: the rest of the array follows the receiver.
    let rest = unsafe { args.add(1) };
    let r = vectorcall(ts, method, rest, nargs_of(nargsf) - 1, kwnames);
    // SAFETY: the bound method fetched above.
    unsafe { decref(method) };
    r
}
