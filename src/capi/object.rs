//! `object.h`: reference counts, constants, and the generic object protocol.

use super::{api, boundary, c_str, require, IntoC};
use crate::abi::*;
use crate::objects::object::{self as core_object, decref, incref, new_ref};
use crate::objects::{bool_, bytes, long, singletons, tuple, typeobject, unicode};
use crate::protocols::{attr, object as proto};
use crate::runtime::boundary;
use crate::runtime::errors;
use core::ffi::{c_char, c_int, c_uint, c_ulong};
use core::ptr::null_mut;

/// Adds a reference; NULL is allowed.
#[no_mangle]
pub unsafe extern "C" fn Py_IncRef(o: *mut PyObject) {
    boundary::guard(|| unsafe { core_object::xincref(o) })
}

/// Drops a reference; NULL is allowed.
#[no_mangle]
pub unsafe extern "C" fn Py_DecRef(o: *mut PyObject) {
    boundary!((), unsafe { core_object::xdecref(o) })
}

/// `Py_INCREF` of the limited API (3.12+): `o` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn _Py_IncRef(o: *mut PyObject) {
    boundary::guard(|| unsafe { incref(o) })
}

/// `Py_DECREF` of the limited API (3.12+): `o` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn _Py_DecRef(o: *mut PyObject) {
    boundary!((), unsafe { decref(o) })
}

/// Called by the inline `Py_DECREF` when a count reaches zero.
#[no_mangle]
pub unsafe extern "C" fn _Py_Dealloc(o: *mut PyObject) {
    boundary!((), unsafe { core_object::dealloc(o) })
}

/// `Py_SET_REFCNT` of the limited API; immortal objects keep their count.
#[no_mangle]
pub unsafe extern "C" fn _Py_SetRefcnt(o: *mut PyObject, n: Py_ssize_t) {
    boundary::guard(|| {
        if !o.is_null() && !core_object::is_immortal(o) {
            unsafe { (*o).ob_refcnt = n };
        }
    })
}

fn constant(id: c_uint) -> *mut PyObject {
    match id {
        Py_CONSTANT_NONE => singletons::none(),
        Py_CONSTANT_FALSE => bool_::py_false(),
        Py_CONSTANT_TRUE => bool_::py_true(),
        Py_CONSTANT_ELLIPSIS => singletons::ellipsis(),
        Py_CONSTANT_NOT_IMPLEMENTED => singletons::not_implemented(),
        Py_CONSTANT_EMPTY_STR => unicode::empty(),
        Py_CONSTANT_EMPTY_BYTES => bytes::empty(),
        Py_CONSTANT_EMPTY_TUPLE => tuple::empty(),
        _ => null_mut(),
    }
}

fn constant_in(ts: crate::runtime::thread::Ts, id: c_uint) -> *mut PyObject {
    let c = match id {
        Py_CONSTANT_ZERO => long::from_i64(ts, 0).unwrap_or(null_mut()),
        Py_CONSTANT_ONE => long::from_i64(ts, 1).unwrap_or(null_mut()),
        _ => constant(id),
    };
    if c.is_null() {
        errors::system_error(ts, "invalid constant identifier");
    }
    c
}

/// One of the `Py_CONSTANT_*` objects, as a new reference.
#[no_mangle]
pub unsafe extern "C" fn Py_GetConstant(id: c_uint) -> *mut PyObject {
    api!(null_mut(), |ts| constant_in(ts, id))
}

/// One of the `Py_CONSTANT_*` objects, borrowed (they are all immortal).
#[no_mangle]
pub unsafe extern "C" fn Py_GetConstantBorrowed(id: c_uint) -> *mut PyObject {
    api!(null_mut(), |ts| constant_in(ts, id))
}

#[no_mangle]
pub unsafe extern "C" fn Py_Is(a: *mut PyObject, b: *mut PyObject) -> c_int {
    boundary::guard(|| (a == b) as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn Py_IsNone(o: *mut PyObject) -> c_int {
    boundary::guard(|| (o == singletons::none()) as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn Py_IsTrue(o: *mut PyObject) -> c_int {
    boundary::guard(|| (o == bool_::py_true()) as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn Py_IsFalse(o: *mut PyObject) -> c_int {
    boundary::guard(|| (o == bool_::py_false()) as c_int)
}

#[no_mangle]
pub unsafe extern "C" fn Py_NewRef(o: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| unsafe { new_ref(o) })
}

#[no_mangle]
pub unsafe extern "C" fn Py_XNewRef(o: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| {
        unsafe { core_object::xincref(o) };
        o
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Repr(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if o.is_null() {
            return unicode::from_str(ts, "<NULL>").into_c();
        }
        proto::repr(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Str(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if o.is_null() {
            return unicode::from_str(ts, "<NULL>").into_c();
        }
        proto::str(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Hash(o: *mut PyObject) -> Py_hash_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        proto::hash(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_RichCompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), a, b);
        proto::richcompare(ts, a, b, op).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_RichCompareBool(a: *mut PyObject, b: *mut PyObject, op: c_int) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, a, b);
        proto::richcompare_bool(ts, a, b, op).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_IsTrue(o: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        proto::is_true(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Not(o: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        proto::is_true(ts, o).map(|t| !t).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Size(o: *mut PyObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, o);
        proto::length(ts, o).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Length(o: *mut PyObject) -> Py_ssize_t {
    boundary::guard(|| unsafe { PyObject_Size(o) })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_IsInstance(o: *mut PyObject, cls: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o, cls);
        proto::is_instance(ts, o, cls).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_IsSubclass(derived: *mut PyObject, cls: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, derived, cls);
        proto::is_subclass(ts, derived, cls).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_IsSubtype(a: *mut PyTypeObject, b: *mut PyTypeObject) -> c_int {
    boundary::guard(|| {
        if a.is_null() || b.is_null() {
            return 0;
        }
        typeobject::is_subtype(a, b) as c_int
    })
}

/// Readies a type: for an extension's static type, once per process (it becomes
/// immortal, and keeps a dict per interpreter).
#[no_mangle]
pub unsafe extern "C" fn PyType_Ready(t: *mut PyTypeObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, t);
        typeobject::ready(ts, t).into_c()
    })
}

/// Tells the interpreter that `t`'s dict (or a base's) changed: its cached lookups go.
#[no_mangle]
pub unsafe extern "C" fn PyType_Modified(t: *mut PyTypeObject) {
    api!((), |ts| {
        if !t.is_null() {
            crate::objects::typestate::modified(ts, t);
        }
    })
}

/// The type's namespace in the current interpreter (a new reference).
#[no_mangle]
pub unsafe extern "C" fn PyType_GetDict(t: *mut PyTypeObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        match crate::objects::typestate::dict_of(ts, t) {
            Ok(d) if d.is_null() => {
                let name = typeobject::type_name(t);
                crate::runtime::errors::system_error(ts, &format!("type '{name}' is not ready"));
                null_mut()
            }
            // SAFETY: a live dict; the caller gets its own reference.
            r => r.map(|d| unsafe { crate::objects::object::new_ref(d) }).into_c(),
        }
    })
}

/// `name` looked up along `t`'s MRO (borrowed; NULL when absent), without raising.
#[no_mangle]
pub unsafe extern "C" fn _PyType_Lookup(t: *mut PyTypeObject, name: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if t.is_null() || name.is_null() {
            return null_mut();
        }
        match crate::objects::typestate::lookup(ts, t, name) {
            Ok(v) => v,
            Err(_) => {
                crate::runtime::errors::clear(ts);
                null_mut()
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_GetFlags(t: *mut PyTypeObject) -> c_ulong {
    boundary::guard(|| {
        if t.is_null() {
            return 0;
        }
        unsafe { (*t).tp_flags }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Type(o: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        typeobject::type_of_new(o)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyCallable_Check(o: *mut PyObject) -> c_int {
    boundary::guard(|| {
        if o.is_null() {
            return 0;
        }
        proto::is_callable(o) as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_GetAttr(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o, name);
        attr::getattr(ts, o, name).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_GetAttrString(o: *mut PyObject, name: *const c_char) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o);
        unsafe { c_str(ts, name) }.and_then(|n| attr::getattr_str(ts, o, n)).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_SetAttr(o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o, name);
        attr::setattr(ts, o, name, value).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_SetAttrString(o: *mut PyObject, name: *const c_char, value: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        let r = unsafe { c_str(ts, name) }.and_then(|n| {
            let key = unicode::from_str(ts, n)?;
            let r = attr::setattr(ts, o, key, value);
            unsafe { decref(key) };
            r
        });
        r.into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_DelAttr(o: *mut PyObject, name: *mut PyObject) -> c_int {
    boundary::guard(|| unsafe { PyObject_SetAttr(o, name, null_mut()) })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_DelAttrString(o: *mut PyObject, name: *const c_char) -> c_int {
    boundary::guard(|| unsafe { PyObject_SetAttrString(o, name, null_mut()) })
}

/// Like `getattr(o, name)` but a missing attribute is 0 rather than an error.
#[no_mangle]
pub unsafe extern "C" fn PyObject_HasAttrWithError(o: *mut PyObject, name: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o, name);
        match attr::getattr(ts, o, name) {
            Ok(v) => {
                unsafe { decref(v) };
                1
            }
            Err(_) => missing_attribute_is_zero(ts),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_HasAttrStringWithError(o: *mut PyObject, name: *const c_char) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        match unsafe { c_str(ts, name) }.and_then(|n| attr::getattr_str(ts, o, n)) {
            Ok(v) => {
                unsafe { decref(v) };
                1
            }
            Err(_) => missing_attribute_is_zero(ts),
        }
    })
}

fn missing_attribute_is_zero(ts: crate::runtime::thread::Ts) -> c_int {
    let exc = errors::take_raised(ts);
    let attr_error = crate::objects::exceptions::exc(crate::objects::exceptions::Exc::AttributeError);
    if core_object::is_subtype(core_object::type_of(exc), attr_error) {
        unsafe { decref(exc) };
        0
    } else {
        errors::set_raised(ts, exc);
        -1
    }
}

/// Like `hasattr`: any error counts as absent and is cleared.
#[no_mangle]
pub unsafe extern "C" fn PyObject_HasAttr(o: *mut PyObject, name: *mut PyObject) -> c_int {
    api!(0, |ts| {
        match unsafe { PyObject_HasAttrWithError(o, name) } {
            1 => 1,
            _ => {
                errors::clear(ts);
                0
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_HasAttrString(o: *mut PyObject, name: *const c_char) -> c_int {
    api!(0, |ts| {
        match unsafe { PyObject_HasAttrStringWithError(o, name) } {
            1 => 1,
            _ => {
                errors::clear(ts);
                0
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_GenericGetAttr(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o, name);
        unsafe { attr::generic_getattr(o, name) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_GenericSetAttr(o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o, name);
        unsafe { attr::generic_setattr(o, name, value) }
    })
}

/// Starts a recursion-safe repr of `o`: 0 the first time, 1 when `o` is already being
/// repr'd further up this thread's stack (print `...` then, and do not call
/// `Py_ReprLeave`).
#[no_mangle]
pub unsafe extern "C" fn Py_ReprEnter(o: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, o);
        if crate::objects::containers::repr_mark(ts, o) {
            0
        } else {
            1
        }
    })
}

/// Ends what `Py_ReprEnter` returning 0 started.
#[no_mangle]
pub unsafe extern "C" fn Py_ReprLeave(o: *mut PyObject) {
    api!((), |ts| crate::objects::containers::repr_unmark(ts, o))
}
