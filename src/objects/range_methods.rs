//! The Python-visible methods and attributes of `range` (its `tp_methods` and
//! `tp_getset`), as CPython 3.13 has them.

use super::methodargs::{simple, END};
use super::range;
use crate::abi::*;
use crate::runtime::boundary;
use core::ffi::c_void;

pub static mut RANGE_METHODS: [PyMethodDef; 3] =
    [simple(c"count", range_count, METH_O), simple(c"index", range_index, METH_O), END];

unsafe extern "C" fn range_count(o: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| range::count(ts, o, x))
}

unsafe extern "C" fn range_index(o: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| range::index(ts, o, x))
}

unsafe extern "C" fn range_start(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| range::bound(o, range::Bound::Start))
}

unsafe extern "C" fn range_stop(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| range::bound(o, range::Bound::Stop))
}

unsafe extern "C" fn range_step(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| range::bound(o, range::Bound::Step))
}

pub static mut RANGE_GETSET: [PyGetSetDef; 4] = [
    super::typeobject::getset(c"start", range_start),
    super::typeobject::getset(c"stop", range_stop),
    super::typeobject::getset(c"step", range_step),
    PyGetSetDef {
        name: core::ptr::null(),
        get: None,
        set: None,
        doc: core::ptr::null(),
        closure: core::ptr::null_mut(),
    },
];
