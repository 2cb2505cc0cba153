//! `bool`: the two immortal ints `True` and `False`.

use super::long::{long_type, LongObject};
use crate::abi::*;

#[no_mangle]
pub static mut PyBool_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut super::long::PyLong_Type,
    tp_flags: Py_TPFLAGS_LONG_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
    ..PyTypeObject::blank(c"bool", core::mem::size_of::<LongObject>(), 0)
};

#[no_mangle]
pub static mut _Py_TrueStruct: LongObject = LongObject::immortal(&raw mut PyBool_Type, 1);
#[no_mangle]
pub static mut _Py_FalseStruct: LongObject = LongObject::immortal(&raw mut PyBool_Type, 0);

#[inline]
pub fn py_true() -> *mut PyObject {
    &raw mut _Py_TrueStruct as *mut PyObject
}

#[inline]
pub fn py_false() -> *mut PyObject {
    &raw mut _Py_FalseStruct as *mut PyObject
}

/// `True` or `False` (immortal: no reference to count).
#[inline]
pub fn from_bool(b: bool) -> *mut PyObject {
    if b {
        py_true()
    } else {
        py_false()
    }
}

pub fn bool_type() -> *mut PyTypeObject {
    let _ = long_type();
    &raw mut PyBool_Type
}
