//! `pycapsule.h`: C pointers wrapped in objects.

use super::{api, IntoC};
use crate::abi::*;
use crate::objects::capsule;
use crate::runtime::boundary;
use core::ffi::{c_char, c_int, c_void};
use core::ptr::null_mut;

#[no_mangle]
pub unsafe extern "C" fn PyCapsule_New(
    pointer: *mut c_void,
    name: *const c_char,
    destructor: PyCapsule_Destructor,
) -> *mut PyObject {
    api!(null_mut(), |ts| capsule::new(ts, pointer, name, destructor).into_c())
}

/// The pointer, if `o` is a live capsule called `name`; NULL and `ValueError` otherwise.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_GetPointer(o: *mut PyObject, name: *const c_char) -> *mut c_void {
    api!(null_mut(), |ts| capsule::pointer(ts, o, name).unwrap_or(null_mut()))
}

#[no_mangle]
pub unsafe extern "C" fn PyCapsule_GetName(o: *mut PyObject) -> *const c_char {
    api!(core::ptr::null(), |ts| capsule::name(ts, o).unwrap_or(core::ptr::null()))
}

#[no_mangle]
pub unsafe extern "C" fn PyCapsule_GetContext(o: *mut PyObject) -> *mut c_void {
    api!(null_mut(), |ts| capsule::context(ts, o).unwrap_or(null_mut()))
}

#[no_mangle]
pub unsafe extern "C" fn PyCapsule_GetDestructor(o: *mut PyObject) -> PyCapsule_Destructor {
    api!(None, |ts| capsule::destructor(ts, o).unwrap_or(None))
}

#[no_mangle]
pub unsafe extern "C" fn PyCapsule_SetPointer(o: *mut PyObject, pointer: *mut c_void) -> c_int {
    api!(-1, |ts| capsule::set_pointer(ts, o, pointer).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyCapsule_SetName(o: *mut PyObject, name: *const c_char) -> c_int {
    api!(-1, |ts| capsule::set_name(ts, o, name).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyCapsule_SetContext(o: *mut PyObject, context: *mut c_void) -> c_int {
    api!(-1, |ts| capsule::set_context(ts, o, context).into_c())
}

#[no_mangle]
pub unsafe extern "C" fn PyCapsule_SetDestructor(o: *mut PyObject, destructor: PyCapsule_Destructor) -> c_int {
    api!(-1, |ts| capsule::set_destructor(ts, o, destructor).into_c())
}

/// 1 if `o` is a live capsule called `name`, else 0; never raises.
#[no_mangle]
pub unsafe extern "C" fn PyCapsule_IsValid(o: *mut PyObject, name: *const c_char) -> c_int {
    boundary::guard(|| capsule::is_valid(o, name) as c_int)
}
