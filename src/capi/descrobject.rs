//! Descriptors (`descrobject.h`, `structmember.h`): `PyDescr_New*`, `PyMember_GetOne`
//! and `SetOne`, `PyStaticMethod_New`.

use super::{api, boundary, require, IntoC};
use crate::abi::*;
use crate::objects::descrobject as descr;
use crate::objects::object;
use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

#[no_mangle]
pub unsafe extern "C" fn PyDescr_NewMethod(ty: *mut PyTypeObject, def: *mut PyMethodDef) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), ty, def);
        descr::new_method(ts, ty, def).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyDescr_NewClassMethod(ty: *mut PyTypeObject, def: *mut PyMethodDef) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), ty, def);
        descr::new_classmethod(ts, ty, def).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyDescr_NewMember(ty: *mut PyTypeObject, def: *mut PyMemberDef) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), ty, def);
        descr::new_member(ts, ty, def).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyDescr_NewGetSet(ty: *mut PyTypeObject, def: *mut PyGetSetDef) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), ty, def);
        descr::new_getset(ts, ty, def).into_c()
    })
}

/// The member `m` of the object at `obj_addr` (a new reference).
#[no_mangle]
pub unsafe extern "C" fn PyMember_GetOne(obj_addr: *const c_char, m: *mut PyMemberDef) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), obj_addr, m);
        descr::get_one(ts, obj_addr as *mut PyObject, m).into_c()
    })
}

/// Stores `value` in member `m` of the object at `obj_addr`; a null value deletes.
#[no_mangle]
pub unsafe extern "C" fn PyMember_SetOne(obj_addr: *mut c_char, m: *mut PyMemberDef, value: *mut PyObject) -> c_int {
    api!(-1, |ts| {
        require!(ts, -1, obj_addr, m);
        descr::set_one(ts, obj_addr as *mut PyObject, m, value).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyStaticMethod_New(callable: *mut PyObject) -> *mut PyObject {
    api!(null_mut(), |ts| {
        require!(ts, null_mut(), callable);
        descr::new_staticmethod(ts, callable).into_c()
    })
}

/// True when `d`'s type defines `__set__` (a data descriptor).
#[no_mangle]
pub unsafe extern "C" fn PyDescr_IsData(d: *mut PyObject) -> c_int {
    boundary!({
        if d.is_null() {
            return 0;
        }
        // SAFETY: a live object's type.
        unsafe { (*object::type_of(d)).tp_descr_set.is_some() as c_int }
    })
}
