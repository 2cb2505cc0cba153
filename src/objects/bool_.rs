//! `bool`: the two immortal ints `True` and `False`.
//!
//! `bool` derives from `int`: it takes int's slots except its repr and the bitwise
//! `&`, `|`, `^`, which give a bool when both operands are bools.

use super::long::{self, long_type, INT_NUMBER_METHODS};
use super::unicode;
use crate::abi::*;
use crate::runtime::boundary;

static mut BOOL_AS_NUMBER: PyNumberMethods =
    PyNumberMethods { nb_and: Some(bool_and), nb_or: Some(bool_or), nb_xor: Some(bool_xor), ..INT_NUMBER_METHODS };

#[no_mangle]
pub static mut PyBool_Type: PyTypeObject = PyTypeObject {
    tp_base: &raw mut super::long::PyLong_Type,
    tp_repr: Some(bool_repr),
    tp_as_number: &raw mut BOOL_AS_NUMBER,
    tp_flags: Py_TPFLAGS_LONG_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
    ..PyTypeObject::blank(c"bool", long::HEADER_SIZE, core::mem::size_of::<u32>())
};

#[no_mangle]
pub static mut _Py_TrueStruct: PyLongObject = PyLongObject::immortal(&raw mut PyBool_Type, 1);
#[no_mangle]
pub static mut _Py_FalseStruct: PyLongObject = PyLongObject::immortal(&raw mut PyBool_Type, 0);

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

pub fn check(o: *mut PyObject) -> bool {
    crate::objects::object::type_of(o) == bool_type()
}

unsafe extern "C" fn bool_repr(o: *mut PyObject) -> *mut PyObject {
    boundary::slot(|ts| unicode::from_str(ts, if o == py_true() { "True" } else { "False" }))
}

/// Both operands bools: `op` on their truth values; otherwise int's `int_op`.
fn bitwise(
    a: *mut PyObject,
    b: *mut PyObject,
    op: fn(bool, bool) -> bool,
    int_op: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject,
) -> *mut PyObject {
    if check(a) && check(b) {
        return from_bool(op(a == py_true(), b == py_true()));
    }
    unsafe { int_op(a, b) }
}

unsafe extern "C" fn bool_and(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| bitwise(a, b, |x, y| x & y, long::int_and))
}

unsafe extern "C" fn bool_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| bitwise(a, b, |x, y| x | y, long::int_or))
}

unsafe extern "C" fn bool_xor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    boundary::guard(|| bitwise(a, b, |x, y| x ^ y, long::int_xor))
}
