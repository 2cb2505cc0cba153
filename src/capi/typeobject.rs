//! Types from specs and type queries (`object.h`): `PyType_FromSpec` and its variants,
//! `PyType_GenericAlloc`/`GenericNew`, `PyType_GetSlot`, `GetModule*`, `GetName`...,
//! PEP 697's type data, and `PyObject_Init`/`_New` for static types' instances.

use super::{api, boundary, require, IntoC};
use crate::abi::*;
use crate::objects::object;
use crate::objects::{gc, typeobject, typespec};
use crate::runtime::errors;
use core::ffi::{c_int, c_void};
use core::ptr::null_mut;

#[no_mangle]
pub unsafe extern "C" fn PyType_FromMetaclass(
    meta: *mut PyTypeObject,
    module: *mut PyObject,
    spec: *mut PyType_Spec,
    bases: *mut PyObject,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), spec);
        typespec::from_metaclass(ts, meta, module, spec, bases).map(|t| t as *mut PyObject).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_FromModuleAndSpec(
    module: *mut PyObject,
    spec: *mut PyType_Spec,
    bases: *mut PyObject,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), spec);
        typespec::from_metaclass(ts, null_mut(), module, spec, bases).map(|t| t as *mut PyObject).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_FromSpecWithBases(spec: *mut PyType_Spec, bases: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), spec);
        typespec::from_metaclass(ts, null_mut(), null_mut(), spec, bases).map(|t| t as *mut PyObject).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_FromSpec(spec: *mut PyType_Spec) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), spec);
        typespec::from_metaclass(ts, null_mut(), null_mut(), spec, null_mut()).map(|t| t as *mut PyObject).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_GenericAlloc(t: *mut PyTypeObject, nitems: Py_ssize_t) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        typeobject::generic_alloc_in(ts, t, nitems).into_c()
    })
}

/// An instance from the type's `tp_alloc`, arguments ignored.
#[no_mangle]
pub unsafe extern "C" fn PyType_GenericNew(
    t: *mut PyTypeObject,
    _args: *mut PyObject,
    _kw: *mut PyObject,
) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        match unsafe { (*t).tp_alloc } {
            Some(alloc) => unsafe { alloc(t, 0) },
            None => typeobject::generic_alloc_in(ts, t, 0).into_c(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_GetSlot(t: *mut PyTypeObject, slot: c_int) -> *mut c_void {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        typespec::get_slot(ts, t, slot).unwrap_or(null_mut())
    })
}

/// The module a heap type was made for (borrowed).
#[no_mangle]
pub unsafe extern "C" fn PyType_GetModule(t: *mut PyTypeObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        typespec::get_module(ts, t).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_GetModuleState(t: *mut PyTypeObject) -> *mut c_void {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        typespec::get_module(ts, t).map(typespec::module_state).unwrap_or(null_mut())
    })
}

/// The module of the first type of `t`'s MRO made for a module of `def` (borrowed).
#[no_mangle]
pub unsafe extern "C" fn PyType_GetModuleByDef(t: *mut PyTypeObject, def: *mut PyModuleDef) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t, def);
        typespec::get_module_by_def(ts, t, def).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_GetName(t: *mut PyTypeObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        typespec::get_name(ts, t).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_GetQualName(t: *mut PyTypeObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        typespec::get_qualname(ts, t).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_GetFullyQualifiedName(t: *mut PyTypeObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        typespec::get_fully_qualified_name(ts, t).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_GetModuleName(t: *mut PyTypeObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        typespec::get_module_name(ts, t).into_c()
    })
}

/// Where the data `cls` adds to its base starts in `o` (PEP 697).
#[no_mangle]
pub unsafe extern "C" fn PyObject_GetTypeData(o: *mut PyObject, cls: *mut PyTypeObject) -> *mut c_void {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), o, cls);
        typespec::type_data(o, cls)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyType_GetTypeDataSize(cls: *mut PyTypeObject) -> Py_ssize_t {
    api!(-1, |ts| {
        require!(ts, -1, cls);
        typespec::type_data_size(cls)
    })
}

/// Sets the refcount and type of memory the caller allocated (`PyObject_Init`).
#[no_mangle]
pub unsafe extern "C" fn PyObject_Init(o: *mut PyObject, t: *mut PyTypeObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        if o.is_null() {
            errors::no_memory(ts);
            return null_mut();
        }
        require!(ts, null_mut(), t);
        // SAFETY: the caller passes writable memory of at least the type's basic size.
        unsafe { object::init_header(o, t) };
        o
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_InitVar(
    o: *mut PyVarObject,
    t: *mut PyTypeObject,
    size: Py_ssize_t,
) -> *mut PyVarObject {
    api!(null_mut(), |ts| {
        if o.is_null() {
            errors::no_memory(ts);
            return null_mut();
        }
        require!(ts, null_mut(), t);
        // SAFETY: as above, for a variable-size object.
        unsafe {
            object::init_header(o as *mut PyObject, t);
            (*o).ob_size = size;
        }
        o
    })
}

/// A new instance of `t` from the object allocator, zeroed (`PyObject_New`'s function).
#[no_mangle]
pub unsafe extern "C" fn _PyObject_New(t: *mut PyTypeObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        object::alloc_object(ts, t, 0).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn _PyObject_NewVar(t: *mut PyTypeObject, n: Py_ssize_t) -> *mut PyVarObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        object::alloc_object(ts, t, n).map(|o| o as *mut PyVarObject).unwrap_or(null_mut())
    })
}

/// A new, untracked instance of the GC type `t` (`PyObject_GC_New`'s function).
#[no_mangle]
pub unsafe extern "C" fn _PyObject_GC_New(t: *mut PyTypeObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        gc::alloc(ts, t, 0).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn _PyObject_GC_NewVar(t: *mut PyTypeObject, n: Py_ssize_t) -> *mut PyVarObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), t);
        if n < 0 {
            crate::runtime::errors::bad_internal_call(ts);
            return null_mut();
        }
        gc::alloc(ts, t, n).map(|o| o as *mut PyVarObject).unwrap_or(null_mut())
    })
}

/// Marks a GC object as tracked (isle has no collector yet; the mark is kept).
#[no_mangle]
pub unsafe extern "C" fn PyObject_GC_Track(o: *mut c_void) {
    boundary!({
        if !o.is_null() {
            gc::track(o as *mut PyObject);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_GC_UnTrack(o: *mut c_void) {
    boundary!({
        if !o.is_null() {
            gc::untrack(o as *mut PyObject);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_GC_IsTracked(o: *mut PyObject) -> c_int {
    boundary!({
        if o.is_null() || !gc::is_gc_type(object::type_of(o)) {
            return 0;
        }
        gc::is_tracked(o) as c_int
    })
}
