//! `bytes`: immutable byte strings, NUL-terminated after the data.

use super::object;
use crate::abi::*;
use crate::runtime::errors::PyResult;
use crate::runtime::thread::Ts;

const DATA_OFFSET: usize = core::mem::offset_of!(PyBytesObject, ob_sval);

#[no_mangle]
pub static mut PyBytes_Type: PyTypeObject = PyTypeObject {
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_BYTES_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"bytes", DATA_OFFSET + 1, 1)
};

#[inline]
pub fn bytes_type() -> *mut PyTypeObject {
    &raw mut PyBytes_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_BYTES_SUBCLASS)
}

/// A new bytes object copying `data`.
pub fn from_slice(ts: Ts, data: &[u8]) -> PyResult<*mut PyObject> {
    let o = object::alloc_object(ts, bytes_type(), data.len() as isize)?;
    // SAFETY: the object has room for len + 1 bytes (zeroed, so NUL-terminated).
    unsafe {
        (*(o as *mut PyBytesObject)).ob_shash = -1;
        core::ptr::copy_nonoverlapping(data.as_ptr(), as_ptr(o), data.len());
    }
    Ok(o)
}

pub fn as_ptr(o: *mut PyObject) -> *mut u8 {
    (o as usize + DATA_OFFSET) as *mut u8
}

pub fn len(o: *mut PyObject) -> isize {
    // SAFETY: callers pass bytes objects.
    unsafe { (*(o as *mut PyVarObject)).ob_size }
}

/// `b""`, shared and immortal.
static mut EMPTY: PyBytesObject = PyBytesObject {
    ob_base: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut PyBytes_Type },
        ob_size: 0,
    },
    ob_shash: -1,
    ob_sval: [0],
};

pub fn empty() -> *mut PyObject {
    &raw mut EMPTY as *mut PyObject
}
