//! Attribute access: `getattr`/`setattr` through the type's slots, and the generic
//! lookup every type inherits from `object` (getset and member descriptors along the
//! base chain, the type's dict, then the instance dict).

use crate::abi::*;
use crate::objects::object::{decref, new_ref, type_of};
use crate::objects::typeobject::type_name;
use crate::objects::{dict, exceptions, object, unicode};
use crate::protocols::object::check_result;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult, Raised};
use crate::runtime::thread::Ts;
use core::ffi::{c_int, CStr};
use core::ptr::null_mut;

fn check_name(ts: Ts, name: *mut PyObject) -> PyResult<()> {
    if unicode::check(name) {
        return Ok(());
    }
    Err(errors::type_error(ts, &format!("attribute name must be string, not '{}'", type_name(type_of(name)))))
}

pub fn getattr(ts: Ts, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    check_name(ts, name)?;
    let ty = type_of(o);
    let r = unsafe {
        match (*ty).tp_getattro {
            Some(f) => f(o, name),
            None => generic_getattr(o, name),
        }
    };
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

fn name_matches(c: *const core::ffi::c_char, name: &str) -> bool {
    // SAFETY: descriptor names are NUL-terminated static strings.
    !c.is_null() && unsafe { CStr::from_ptr(c) }.to_bytes() == name.as_bytes()
}

/// Finds the getset entry named `name` on `ty` or its bases.
fn find_getset(ty: *mut PyTypeObject, name: &str) -> Option<*mut PyGetSetDef> {
    let mut t = ty;
    while !t.is_null() {
        // SAFETY: tp_getset arrays end with a null name.
        unsafe {
            let mut gs = (*t).tp_getset;
            while !gs.is_null() && !(*gs).name.is_null() {
                if name_matches((*gs).name, name) {
                    return Some(gs);
                }
                gs = gs.add(1);
            }
            t = (*t).tp_base;
        }
    }
    None
}

/// Looks `name` up in the dicts of `ty` and its bases (borrowed result).
fn find_in_type_dicts(ts: Ts, ty: *mut PyTypeObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let mut t = ty;
    while !t.is_null() {
        let d = unsafe { (*t).tp_dict };
        if !d.is_null() {
            if let Some(v) = dict::get_item(ts, d, name)? {
                return Ok(v);
            }
        }
        t = unsafe { (*t).tp_base };
    }
    Ok(null_mut())
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

/// `PyObject_GenericGetAttr`.
pub unsafe extern "C" fn generic_getattr(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    boundary::with_thread_state(|ts| generic_getattr_in(ts, o, name).unwrap_or(null_mut()))
}

fn generic_getattr_in(ts: Ts, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    check_name(ts, name)?;
    let text = unicode::to_string_lossy(name);
    let ty = type_of(o);
    if let Some(gs) = find_getset(ty, &text) {
        if let Some(get) = unsafe { (*gs).get } {
            return check_result(ts, unsafe { get(o, (*gs).closure) }, "getter");
        }
    }
    if let Some(slot) = instance_dict_slot(o) {
        let d = unsafe { *slot };
        if !d.is_null() {
            if let Some(v) = dict::get_item(ts, d, name)? {
                return Ok(unsafe { new_ref(v) });
            }
        }
    }
    let v = find_in_type_dicts(ts, ty, name)?;
    if !v.is_null() {
        return Ok(unsafe { new_ref(v) });
    }
    // A type's own attributes are those of its dict chain too.
    if object::has_flag(ty, Py_TPFLAGS_TYPE_SUBCLASS) {
        let v = find_in_type_dicts(ts, o as *mut PyTypeObject, name)?;
        if !v.is_null() {
            return Ok(unsafe { new_ref(v) });
        }
    }
    Err(attribute_error(ts, o, name))
}

/// `PyObject_GenericSetAttr`: a settable getset, else the instance dict.
pub unsafe extern "C" fn generic_setattr(o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> c_int {
    boundary::with_thread_state(|ts| match generic_setattr_in(ts, o, name, value) {
        Ok(()) => 0,
        Err(Raised) => -1,
    })
}

fn generic_setattr_in(ts: Ts, o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    check_name(ts, name)?;
    let text = unicode::to_string_lossy(name);
    if let Some(gs) = find_getset(type_of(o), &text) {
        return match unsafe { (*gs).set } {
            Some(set) => {
                if unsafe { set(o, value, (*gs).closure) } < 0 {
                    Err(Raised)
                } else {
                    Ok(())
                }
            }
            None => Err(errors::set_string(
                ts,
                exceptions::exc(exceptions::Exc::AttributeError),
                &format!("attribute '{text}' of '{}' objects is not writable", type_name(type_of(o))),
            )),
        };
    }
    let Some(slot) = instance_dict_slot(o) else {
        return Err(errors::set_string(
            ts,
            exceptions::exc(exceptions::Exc::AttributeError),
            &format!("'{}' object has no attribute '{text}' and no __dict__", type_name(type_of(o))),
        ));
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
