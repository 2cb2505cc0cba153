//! What `type(name, bases, dict, **kwargs)` runs once the class exists, in CPython's
//! order: `__set_name__(cls, name)` on each value of its dict whose type defines it,
//! then the `__init_subclass__` of the class's MRO after the class itself (as
//! `super(cls, cls).__init_subclass__(**kwargs)` finds it), with the keyword arguments.

use super::object::{decref, new_ref, type_of};
use super::typeobject::type_name;
use super::{dict, slotdispatch, tuple, typestate, unicode};
use crate::abi::*;
use crate::protocols::call;
use crate::protocols::object::check_result;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ptr::null_mut;

/// Runs both hooks on the new class `cls`; `kwargs` is null or a dict.
pub fn run(ts: Ts, cls: *mut PyTypeObject, kwargs: *mut PyObject) -> PyResult<()> {
    set_names(ts, cls)?;
    init_subclass(ts, cls, kwargs)
}

/// Calls `value.__set_name__(cls, key)` for each entry of the class dict whose value's
/// type defines it. A copy of the dict is walked: the calls may change the class.
fn set_names(ts: Ts, cls: *mut PyTypeObject) -> PyResult<()> {
    // SAFETY: a heap type's dict.
    let copy = dict::copy(ts, unsafe { (*cls).tp_dict })?;
    let r = (|| {
        for e in dict::entries(copy) {
            let Some(hook) = slotdispatch::lookup_bound(ts, e.value, "__set_name__")? else { continue };
            let r = call::call_slice(ts, hook, &[cls as *mut PyObject, e.key]);
            // SAFETY: our reference.
            unsafe { decref(hook) };
            match r {
                // SAFETY: the call's result.
                Ok(v) => unsafe { decref(v) },
                Err(raised) => {
                    note_failed_set_name(ts, cls, e.key, e.value);
                    return Err(raised);
                }
            }
        }
        Ok(())
    })();
    // SAFETY: our copy.
    unsafe { decref(copy) };
    r
}

/// Adds to the pending exception the note CPython adds when `__set_name__` fails:
/// which value, under which name, in which class. The exception stays pending; a
/// failure to add the note is dropped.
fn note_failed_set_name(ts: Ts, cls: *mut PyTypeObject, key: *mut PyObject, value: *mut PyObject) {
    let exc = errors::take_raised(ts);
    if !exc.is_null() && super::exceptions::is_exception_instance(exc) {
        let key_repr = unicode::repr_text(unicode::chars(key));
        let text = format!(
            "Error calling __set_name__ on '{}' instance {} in '{}'",
            type_name(type_of(value)),
            key_repr,
            type_name(cls)
        );
        if add_note(ts, exc, &text).is_err() {
            errors::clear(ts);
        }
    }
    errors::set_raised(ts, exc);
}

/// `BaseException.add_note`: appends `text` to the exception's `__notes__` list (in
/// its instance dict), making the list when there is none.
fn add_note(ts: Ts, exc: *mut PyObject, text: &str) -> PyResult<()> {
    let Some(slot) = crate::protocols::attr::instance_dict_slot(exc) else { return Ok(()) };
    // SAFETY: the exception's dict slot: null or a dict it owns.
    unsafe {
        if (*slot).is_null() {
            *slot = dict::new(ts)?;
        }
    }
    let d = unsafe { *slot };
    let key = unicode::intern_str(ts, "__notes__")?;
    let r = (|| {
        let note = unicode::from_str(ts, text)?;
        let r = match dict::get_item(ts, d, key)? {
            Some(notes) if super::list::check(notes) => super::list::append(ts, notes, note),
            Some(_) => Err(errors::type_error(ts, "Cannot add note: __notes__ is not a list")),
            None => super::list::from_slice(ts, &[note]).and_then(|notes| {
                let r = dict::set_item(ts, d, key, notes);
                // SAFETY: our list; the dict holds its own.
                unsafe { decref(notes) };
                r
            }),
        };
        // SAFETY: our str; the list holds its own.
        unsafe { decref(note) };
        r
    })();
    // SAFETY: our reference to the interned name.
    unsafe { decref(key) };
    r
}

/// The first `__init_subclass__` of `cls`'s MRO after `cls`, bound as `super` binds it
/// (its `__get__` with no instance and `cls` as the owner), called with `kwargs`.
fn init_subclass(ts: Ts, cls: *mut PyTypeObject, kwargs: *mut PyObject) -> PyResult<()> {
    let Some(hook) = lookup_after(ts, cls, "__init_subclass__")? else { return Ok(()) };
    let empty = tuple::empty();
    let r = call::call(ts, hook, empty, kwargs);
    // SAFETY: our references.
    unsafe { decref(hook) };
    unsafe { decref(r?) };
    Ok(())
}

/// `super(cls, cls).name`: the entry `name` of the first dict along `cls`'s MRO after
/// `cls` itself that has one, bound to `cls` (a new reference).
fn lookup_after(ts: Ts, cls: *mut PyTypeObject, name: &str) -> PyResult<Option<*mut PyObject>> {
    let key = unicode::intern_str(ts, name)?;
    let found = (|| {
        for t in super::mro::mro_list(cls).into_iter().skip(1) {
            let d = typestate::dict_of(ts, t)?;
            if d.is_null() {
                continue;
            }
            if let Some(v) = dict::get_item(ts, d, key)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    })();
    // SAFETY: our reference to the interned name.
    unsafe { decref(key) };
    let Some(attr) = found? else { return Ok(None) };
    // SAFETY: a live attribute of a live type; the dict keeps it alive through `get`.
    match unsafe { (*type_of(attr)).tp_descr_get } {
        Some(get) => {
            let r = unsafe { get(attr, null_mut(), cls as *mut PyObject) };
            check_result(ts, r, "__get__").map(Some)
        }
        None => Ok(Some(unsafe { new_ref(attr) })),
    }
}
