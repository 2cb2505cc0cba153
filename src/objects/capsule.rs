//! `PyCapsule`: a C pointer wrapped in an object, with a name checked on every read,
//! a context pointer, and a destructor run when the capsule dies.

use super::object::{self, type_of};
use super::unicode;
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::{c_char, c_void, CStr};

#[repr(C)]
struct CapsuleObject {
    ob_base: PyObject,
    pointer: *mut c_void,
    name: *const c_char,
    context: *mut c_void,
    destructor: PyCapsule_Destructor,
}

#[no_mangle]
pub static mut PyCapsule_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(capsule_dealloc),
    tp_repr: Some(capsule_repr),
    tp_flags: Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"PyCapsule", core::mem::size_of::<CapsuleObject>(), 0)
};

#[inline]
pub fn capsule_type() -> *mut PyTypeObject {
    &raw mut PyCapsule_Type
}

fn c(o: *mut PyObject) -> *mut CapsuleObject {
    o as *mut CapsuleObject
}

/// A new capsule; `ValueError` for a null pointer.
pub fn new(
    ts: Ts,
    pointer: *mut c_void,
    name: *const c_char,
    destructor: PyCapsule_Destructor,
) -> PyResult<*mut PyObject> {
    if pointer.is_null() {
        return Err(errors::value_error(ts, "PyCapsule_New called with null pointer"));
    }
    let o = object::alloc_fixed::<CapsuleObject>(ts, capsule_type())?;
    // SAFETY: a fresh capsule.
    unsafe {
        (*o).pointer = pointer;
        (*o).name = name;
        (*o).destructor = destructor;
    }
    Ok(o as *mut PyObject)
}

/// A live capsule: exactly a capsule, with a pointer set.
fn is_live(o: *mut PyObject) -> bool {
    // SAFETY: the pointer is read only once the type says it is a capsule.
    !o.is_null() && type_of(o) == capsule_type() && !unsafe { (*c(o)).pointer }.is_null()
}

/// The capsule behind `o`, or `ValueError` "<function> called with invalid PyCapsule
/// object".
fn live(ts: Ts, o: *mut PyObject, function: &str) -> PyResult<*mut CapsuleObject> {
    if !is_live(o) {
        return Err(errors::value_error(ts, &format!("{function} called with invalid PyCapsule object")));
    }
    Ok(c(o))
}

/// Two capsule names match when both are null or both hold the same text.
fn names_match(a: *const c_char, b: *const c_char) -> bool {
    if a.is_null() || b.is_null() {
        return a == b;
    }
    // SAFETY: capsule names are NUL-terminated strings.
    unsafe { CStr::from_ptr(a) == CStr::from_ptr(b) }
}

/// `PyCapsule_IsValid`: a live capsule of that name; never raises.
pub fn is_valid(o: *mut PyObject, name: *const c_char) -> bool {
    is_live(o) && names_match(unsafe { (*c(o)).name }, name)
}

pub fn pointer(ts: Ts, o: *mut PyObject, name: *const c_char) -> PyResult<*mut c_void> {
    let cap = live(ts, o, "PyCapsule_GetPointer")?;
    // SAFETY: a live capsule; field reads.
    unsafe {
        if !names_match((*cap).name, name) {
            return Err(errors::value_error(ts, "PyCapsule_GetPointer called with incorrect name"));
        }
        Ok((*cap).pointer)
    }
}

pub fn name(ts: Ts, o: *mut PyObject) -> PyResult<*const c_char> {
    live(ts, o, "PyCapsule_GetName").map(|cap| unsafe { (*cap).name })
}

pub fn context(ts: Ts, o: *mut PyObject) -> PyResult<*mut c_void> {
    live(ts, o, "PyCapsule_GetContext").map(|cap| unsafe { (*cap).context })
}

pub fn destructor(ts: Ts, o: *mut PyObject) -> PyResult<PyCapsule_Destructor> {
    live(ts, o, "PyCapsule_GetDestructor").map(|cap| unsafe { (*cap).destructor })
}

pub fn set_pointer(ts: Ts, o: *mut PyObject, pointer: *mut c_void) -> PyResult<()> {
    if pointer.is_null() {
        return Err(errors::value_error(ts, "PyCapsule_SetPointer called with null pointer"));
    }
    let cap = live(ts, o, "PyCapsule_SetPointer")?;
    unsafe { (*cap).pointer = pointer };
    Ok(())
}

pub fn set_name(ts: Ts, o: *mut PyObject, name: *const c_char) -> PyResult<()> {
    let cap = live(ts, o, "PyCapsule_SetName")?;
    unsafe { (*cap).name = name };
    Ok(())
}

pub fn set_context(ts: Ts, o: *mut PyObject, context: *mut c_void) -> PyResult<()> {
    let cap = live(ts, o, "PyCapsule_SetContext")?;
    unsafe { (*cap).context = context };
    Ok(())
}

pub fn set_destructor(ts: Ts, o: *mut PyObject, destructor: PyCapsule_Destructor) -> PyResult<()> {
    let cap = live(ts, o, "PyCapsule_SetDestructor")?;
    unsafe { (*cap).destructor = destructor };
    Ok(())
}

/// `<capsule object "name" at 0x...>`, or `NULL` unquoted for a nameless one.
pub fn repr(ts: Ts, o: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: a capsule; a field read, and its name is a NUL-terminated string.
    let name = unsafe { (*c(o)).name };
    let shown = if name.is_null() {
        "NULL".to_string()
    } else {
        format!("\"{}\"", unsafe { CStr::from_ptr(name) }.to_string_lossy())
    };
    unicode::from_str(ts, &format!("<capsule object {shown} at {o:p}>"))
}

unsafe extern "C" fn capsule_dealloc(o: *mut PyObject) {
    boundary::guard(|| unsafe {
        if let Some(destroy) = (*c(o)).destructor {
            destroy(o);
        }
        object::free_object(o);
    })
}

unsafe extern "C" fn capsule_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| repr(ts, o))
}
