//! `float`: IEEE 754 doubles.

use super::object;
use crate::abi::*;
use crate::runtime::errors::PyResult;
use crate::runtime::thread::Ts;

#[no_mangle]
pub static mut PyFloat_Type: PyTypeObject = PyTypeObject {
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"float", core::mem::size_of::<PyFloatObject>(), 0)
};

#[inline]
pub fn float_type() -> *mut PyTypeObject {
    &raw mut PyFloat_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::is_subtype(object::type_of(o), float_type())
}

pub fn from_f64(ts: Ts, v: f64) -> PyResult<*mut PyObject> {
    let o = object::alloc_object(ts, float_type(), 0)?;
    // SAFETY: fresh float object.
    unsafe { (*(o as *mut PyFloatObject)).ob_fval = v };
    Ok(o)
}

/// # Safety
/// `o` is a float (or subclass) object.
#[inline]
pub unsafe fn value(o: *mut PyObject) -> f64 {
    unsafe { (*(o as *mut PyFloatObject)).ob_fval }
}
