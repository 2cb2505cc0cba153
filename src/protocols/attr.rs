//! Attribute access: `getattr`/`setattr` through the type's slots, the generic lookup
//! every type inherits from `object` (the descriptor protocol over the type's MRO, found
//! by `typestate::lookup`, and the instance dict), and `type`'s own lookup.

use crate::abi::*;
use crate::objects::object::{decref, incref, new_ref, type_of};
use crate::objects::typeobject::type_name;
use crate::objects::{dict, exceptions, object, typestate, unicode};
use crate::protocols::object::check_result;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::c_int;
use core::ptr::null_mut;

#[inline]
fn check_name(ts: Ts, name: *mut PyObject) -> PyResult<()> {
    if unicode::check(name) {
        return Ok(());
    }
    Err(name_not_str(ts, name))
}

#[cold]
fn name_not_str(ts: Ts, name: *mut PyObject) -> Raised {
    errors::type_error(ts, &format!("attribute name must be string, not '{}'", type_name(type_of(name))))
}

type GetattroSlot = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;

/// Whether `slot` is the function `ours` (by address).
#[inline]
fn same_slot(slot: GetattroSlot, ours: GetattroSlot) -> bool {
    slot as usize == ours as usize
}

/// `getattr(o, name)` through the type's `tp_getattro`. The two lookups of isle's own
/// (`object`'s and `type`'s) run as the Rust functions they are, on the thread state
/// and name already checked; any other slot is called and its result checked.
pub fn getattr(ts: Ts, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    check_name(ts, name)?;
    let ty = type_of(o);
    // SAFETY: a live object's type.
    let slot = unsafe { (*ty).tp_getattro };
    let Some(f) = slot else { return generic_getattr_named(ts, o, name) };
    if same_slot(f, generic_getattr) {
        return generic_getattr_named(ts, o, name);
    }
    if same_slot(f, type_getattro) {
        return type_getattr_named(ts, o, name);
    }
    // SAFETY: a getattro slot takes (object, name), both live.
    let r = unsafe { f(o, name) };
    check_result(ts, r, "__getattribute__")
}

pub fn getattr_str(ts: Ts, o: *mut PyObject, name: &str) -> PyResult<*mut PyObject> {
    let n = unicode::from_str(ts, name)?;
    let r = getattr(ts, o, n);
    unsafe { decref(n) };
    r
}

/// Sets (or, with a null value, deletes) an attribute.
pub fn setattr(ts: Ts, o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    check_name(ts, name)?;
    object::refuse_foreign(ts, value)?;
    let ty = type_of(o);
    let r = unsafe {
        match (*ty).tp_setattro {
            Some(f) => f(o, name, value),
            None => return Err(no_attribute_support(ts, o, value.is_null())),
        }
    };
    if r < 0 {
        Err(Raised)
    } else {
        Ok(())
    }
}

fn no_attribute_support(ts: Ts, o: *mut PyObject, deleting: bool) -> Raised {
    let verb = if deleting { "del" } else { "assign to" };
    errors::type_error(ts, &format!("'{}' object has no attributes ({verb} .name)", type_name(type_of(o))))
}

fn attribute_error(ts: Ts, o: *mut PyObject, name: *mut PyObject) -> Raised {
    let n = unicode::to_string_lossy(name);
    let exc = exceptions::exc(exceptions::Exc::AttributeError);
    if object::has_flag(type_of(o), Py_TPFLAGS_TYPE_SUBCLASS) {
        let tn = type_name(o as *mut PyTypeObject);
        errors::set_string(ts, exc, &format!("type object '{tn}' has no attribute '{n}'"))
    } else {
        errors::set_string(ts, exc, &format!("'{}' object has no attribute '{n}'", type_name(type_of(o))))
    }
}

/// The address of an instance's dict slot, if its type has one.
pub fn instance_dict_slot(o: *mut PyObject) -> Option<*mut *mut PyObject> {
    let off = unsafe { (*type_of(o)).tp_dictoffset };
    if off > 0 {
        Some((o as usize + off as usize) as *mut *mut PyObject)
    } else {
        None
    }
}

/// The `__get__` and `__set__` slots of `descr`'s type.
fn descriptor_slots(descr: *mut PyObject) -> (descrgetfunc, descrsetfunc) {
    // SAFETY: a live object's type.
    unsafe {
        let t = type_of(descr);
        ((*t).tp_descr_get, (*t).tp_descr_set)
    }
}

/// Calls `get(descr, obj, owner)`, dropping our reference to `descr`.
fn call_get(
    ts: Ts,
    get: unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject,
    descr: *mut PyObject,
    obj: *mut PyObject,
    owner: *mut PyTypeObject,
) -> PyResult<*mut PyObject> {
    // SAFETY: `descr` is live (we hold a reference); the slot takes borrowed arguments.
    let r = unsafe { get(descr, obj, owner as *mut PyObject) };
    unsafe { decref(descr) };
    check_result(ts, r, "__get__")
}

/// `PyObject_GenericGetAttr`.
pub unsafe extern "C" fn generic_getattr(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| generic_getattr_in(ts, o, name).unwrap_or(null_mut()))
}

/// Attribute lookup on an instance, as CPython does it: a data descriptor found on the
/// type's MRO, else the instance dict, else a non-data descriptor or plain class
/// attribute.
pub fn generic_getattr_in(ts: Ts, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    check_name(ts, name)?;
    generic_getattr_named(ts, o, name)
}

/// `generic_getattr_in` for a name known to be a str.
fn generic_getattr_named(ts: Ts, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let ty = type_of(o);
    let descr = typestate::lookup(ts, ty, name)?;
    let mut get = None;
    if !descr.is_null() {
        // SAFETY: a live object from a type dict; our reference keeps it through calls.
        unsafe { incref(descr) };
        let (g, set) = descriptor_slots(descr);
        if let (Some(g), Some(_)) = (g, set) {
            return call_get(ts, g, descr, o, ty);
        }
        get = g;
    }
    if let Some(slot) = instance_dict_slot(o) {
        let d = unsafe { *slot };
        if !d.is_null() {
            match dict::get_item(ts, d, name) {
                Ok(Some(v)) => {
                    unsafe { object::xdecref(descr) };
                    return Ok(unsafe { new_ref(v) });
                }
                Ok(None) => {}
                Err(e) => {
                    unsafe { object::xdecref(descr) };
                    return Err(e);
                }
            }
        }
    }
    if let Some(g) = get {
        return call_get(ts, g, descr, o, ty);
    }
    if !descr.is_null() {
        return Ok(descr);
    }
    Err(attribute_error(ts, o, name))
}

/// `tp_getattro` of `type`: a data descriptor of the metatype, else the type's own
/// MRO (a descriptor there is bound to no instance), else a metatype attribute.
pub unsafe extern "C" fn type_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| type_getattr_in(ts, o, name).unwrap_or(null_mut()))
}

fn type_getattr_in(ts: Ts, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    check_name(ts, name)?;
    type_getattr_named(ts, o, name)
}

/// `type_getattr_in` for a name known to be a str.
fn type_getattr_named(ts: Ts, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let meta = type_of(o);
    let meta_attr = typestate::lookup(ts, meta, name)?;
    let mut meta_get = None;
    if !meta_attr.is_null() {
        // SAFETY: as in generic_getattr_in.
        unsafe { incref(meta_attr) };
        let (g, set) = descriptor_slots(meta_attr);
        if let (Some(g), Some(_)) = (g, set) {
            return call_get(ts, g, meta_attr, o, meta);
        }
        meta_get = g;
    }
    let attr = match typestate::lookup(ts, o as *mut PyTypeObject, name) {
        Ok(a) => a,
        Err(e) => {
            unsafe { object::xdecref(meta_attr) };
            return Err(e);
        }
    };
    if !attr.is_null() {
        unsafe {
            object::xdecref(meta_attr);
            incref(attr);
        }
        // isle's own descriptors read from their class are themselves: skip the call.
        if crate::objects::descrobject::unbound_is_itself(type_of(attr)) {
            return Ok(attr);
        }
        return match descriptor_slots(attr).0 {
            Some(g) => call_get(ts, g, attr, null_mut(), o as *mut PyTypeObject),
            None => Ok(attr),
        };
    }
    if let Some(g) = meta_get {
        return call_get(ts, g, meta_attr, o, meta);
    }
    if !meta_attr.is_null() {
        return Ok(meta_attr);
    }
    Err(attribute_error(ts, o, name))
}

/// `tp_setattro` of `type`: refuses immutable types; else a metatype data descriptor,
/// else the type's dict, after which the type is marked modified.
pub unsafe extern "C" fn type_setattro(o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| match type_setattr_in(ts, o, name, value) {
        Ok(()) => 0,
        Err(Raised) => -1,
    })
}

fn type_setattr_in(ts: Ts, o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    check_name(ts, name)?;
    let ty = o as *mut PyTypeObject;
    if object::has_flag(ty, Py_TPFLAGS_IMMUTABLETYPE) {
        let n = unicode::to_string_lossy(name);
        return Err(errors::type_error(
            ts,
            &format!("cannot set '{n}' attribute of immutable type '{}'", type_name(ty)),
        ));
    }
    let meta_attr = typestate::lookup(ts, type_of(o), name)?;
    if !meta_attr.is_null() {
        if let (_, Some(set)) = descriptor_slots(meta_attr) {
            unsafe { incref(meta_attr) };
            let r = unsafe { set(meta_attr, o, value) };
            unsafe { decref(meta_attr) };
            typestate::modified(ts, ty);
            return if r < 0 { Err(Raised) } else { Ok(()) };
        }
    }
    let d = typestate::dict_of(ts, ty)?;
    if d.is_null() {
        return Err(no_attribute_support(ts, o, value.is_null()));
    }
    let r = if value.is_null() {
        match dict::del_item(ts, d, name) {
            Ok(true) => Ok(()),
            Ok(false) => Err(attribute_error(ts, o, name)),
            Err(e) => Err(e),
        }
    } else {
        dict::set_item(ts, d, name, value)
    };
    typestate::modified(ts, ty);
    r?;
    crate::objects::slotdispatch::update(ts, ty, name, value)
}

/// `PyObject_GenericSetAttr`: a data descriptor on the type's MRO, else the instance dict.
pub unsafe extern "C" fn generic_setattr(o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| match generic_setattr_in(ts, o, name, value) {
        Ok(()) => 0,
        Err(Raised) => -1,
    })
}

fn generic_setattr_in(ts: Ts, o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    check_name(ts, name)?;
    let ty = type_of(o);
    let descr = typestate::lookup(ts, ty, name)?;
    if !descr.is_null() {
        if let (_, Some(set)) = descriptor_slots(descr) {
            // SAFETY: our reference keeps the descriptor through the call.
            unsafe { incref(descr) };
            let r = unsafe { set(descr, o, value) };
            unsafe { decref(descr) };
            return if r < 0 { Err(Raised) } else { Ok(()) };
        }
    }
    let Some(slot) = instance_dict_slot(o) else {
        let text = unicode::to_string_lossy(name);
        let message = if descr.is_null() {
            format!("'{}' object has no attribute '{text}' and no __dict__ for setting new attributes", type_name(ty))
        } else {
            format!("'{}' object attribute '{text}' is read-only", type_name(ty))
        };
        return Err(errors::set_string(ts, exceptions::exc(exceptions::Exc::AttributeError), &message));
    };
    unsafe {
        if (*slot).is_null() {
            if value.is_null() {
                return Err(attribute_error(ts, o, name));
            }
            *slot = dict::new(ts)?;
        }
        if value.is_null() {
            if !dict::del_item(ts, *slot, name)? {
                return Err(attribute_error(ts, o, name));
            }
            Ok(())
        } else {
            dict::set_item(ts, *slot, name, value)
        }
    }
}
