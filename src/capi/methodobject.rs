//! `methodobject.h`: builtin functions made from a `PyMethodDef`.

use super::{api, require, IntoC};
use crate::abi::*;
use crate::objects::methodobject as meth;
use crate::runtime::errors;
use core::ffi::c_int;
use core::ptr::null_mut;

#[no_mangle]
pub unsafe extern "C" fn PyCFunction_New(ml: *mut PyMethodDef, self_: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        require!(ts; ml);
        meth::new_function(ts, ml, self_, null_mut(), null_mut()).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyCFunction_NewEx(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    module: *mut PyObject,
) -> *mut PyObject {
    api!(|ts| {
        require!(ts; ml);
        meth::new_function(ts, ml, self_, module, null_mut()).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyCMethod_New(
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    module: *mut PyObject,
    cls: *mut PyTypeObject,
) -> *mut PyObject {
    api!(|ts| {
        require!(ts; ml);
        meth::new_function(ts, ml, self_, module, cls).into_c()
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyCFunction_GetFunction(op: *mut PyObject) -> PyCFunction {
    api!(None, |ts| {
        if op.is_null() || !meth::check(op) {
            errors::bad_internal_call(ts);
            return None;
        }
        // SAFETY: a live function object's def.
        unsafe { (*meth::def_of(op)).ml_meth }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyCFunction_GetSelf(op: *mut PyObject) -> *mut PyObject {
    api!(|ts| {
        if op.is_null() || !meth::check(op) {
            errors::bad_internal_call(ts);
            return null_mut();
        }
        meth::self_of(op)
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyCFunction_GetFlags(op: *mut PyObject) -> c_int {
    api!(|ts| {
        if op.is_null() || !meth::check(op) {
            errors::bad_internal_call(ts);
            return -1;
        }
        // SAFETY: a live function object's def.
        unsafe { (*meth::def_of(op)).ml_flags }
    })
}
