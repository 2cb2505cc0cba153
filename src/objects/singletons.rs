//! `None`, `NotImplemented` and `Ellipsis`: immortal objects shared by every interpreter.

use super::typeobject::type_type;
use super::unicode;
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::thread::Ts;
use core::ptr::null_mut;

macro_rules! singleton_type {
    ($ty:ident, $name:literal, $repr_fn:ident, $text:literal) => {
        unsafe extern "C" fn $repr_fn(_: *mut PyObject) -> *mut PyObject {
            boundary::guard(|| match Ts::current() {
                Some(ts) => unicode::from_str(ts, $text).unwrap_or(null_mut()),
                None => null_mut(),
            })
        }
        static mut $ty: PyTypeObject = PyTypeObject {
            ob_base: PyVarObject {
                ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut super::typeobject::PyType_Type },
                ob_size: 0,
            },
            tp_repr: Some($repr_fn),
            ..PyTypeObject::blank($name, core::mem::size_of::<PyObject>(), 0)
        };
    };
}

singleton_type!(NONE_TYPE, c"NoneType", none_repr, "None");
singleton_type!(NOT_IMPLEMENTED_TYPE, c"NotImplementedType", not_implemented_repr, "NotImplemented");
singleton_type!(ELLIPSIS_TYPE, c"ellipsis", ellipsis_repr, "Ellipsis");

unsafe extern "C" fn none_bool(_: *mut PyObject) -> core::ffi::c_int {
    boundary::guard(|| 0)
}
/// None hashes to a constant, as in CPython 3.12+ (not to its address), so hashes
/// of tuples, slices and ranges holding it agree with CPython's.
unsafe extern "C" fn none_hash(_: *mut PyObject) -> Py_hash_t {
    boundary::guard(|| 0xFCA8_6420)
}

static mut NONE_AS_NUMBER: PyNumberMethods = PyNumberMethods { nb_bool: Some(none_bool), ..PyNumberMethods::EMPTY };

#[no_mangle]
pub static mut _Py_NoneStruct: PyObject = PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut NONE_TYPE };
#[no_mangle]
pub static mut _Py_NotImplementedStruct: PyObject =
    PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut NOT_IMPLEMENTED_TYPE };
#[no_mangle]
pub static mut _Py_EllipsisObject: PyObject =
    PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut ELLIPSIS_TYPE };

/// `None` (immortal, so no reference counting is needed).
#[inline]
pub fn none() -> *mut PyObject {
    &raw mut _Py_NoneStruct
}

#[inline]
pub fn not_implemented() -> *mut PyObject {
    &raw mut _Py_NotImplementedStruct
}

#[inline]
pub fn ellipsis() -> *mut PyObject {
    &raw mut _Py_EllipsisObject
}

/// The static types of this file, for start-up.
pub fn static_types() -> [*mut PyTypeObject; 3] {
    // SAFETY: start-up runs before any other thread can see these types.
    unsafe {
        NONE_TYPE.tp_as_number = &raw mut NONE_AS_NUMBER;
        NONE_TYPE.tp_hash = Some(none_hash);
    }
    let _ = type_type();
    [&raw mut NONE_TYPE, &raw mut NOT_IMPLEMENTED_TYPE, &raw mut ELLIPSIS_TYPE]
}
