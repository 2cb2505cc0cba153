//! `tuple`: immutable sequences, items stored inline after the header.

use super::object::{self, xdecref};
use crate::abi::*;
use crate::runtime::errors::PyResult;
use crate::runtime::thread::Ts;

#[no_mangle]
pub static mut PyTuple_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(tuple_dealloc),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TUPLE_SUBCLASS | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_SEQUENCE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(
        c"tuple",
        core::mem::offset_of!(PyTupleObject, ob_item),
        core::mem::size_of::<*mut PyObject>(),
    )
};

#[inline]
pub fn tuple_type() -> *mut PyTypeObject {
    &raw mut PyTuple_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_TUPLE_SUBCLASS)
}

pub fn check_exact(o: *mut PyObject) -> bool {
    object::type_of(o) == tuple_type()
}

/// A tuple of `n` empty (null) slots, to be filled before it is shared.
pub fn new(ts: Ts, n: isize) -> PyResult<*mut PyObject> {
    object::alloc_object(ts, tuple_type(), n)
}

/// A tuple holding new references to `items`.
pub fn pack(ts: Ts, items: &[*mut PyObject]) -> PyResult<*mut PyObject> {
    let t = new(ts, items.len() as isize)?;
    for (i, &it) in items.iter().enumerate() {
        // SAFETY: `t` has `items.len()` slots; items are live objects.
        unsafe {
            object::incref(it);
            *slots(t).add(i) = it;
        }
    }
    Ok(t)
}

#[inline]
pub fn size(t: *mut PyObject) -> isize {
    // SAFETY: callers pass tuples.
    unsafe { (*(t as *mut PyVarObject)).ob_size }
}

/// The item array.
#[inline]
pub fn slots(t: *mut PyObject) -> *mut *mut PyObject {
    // SAFETY: callers pass tuples; items start at ob_item.
    unsafe { (*(t as *mut PyTupleObject)).ob_item.as_mut_ptr() }
}

/// Borrowed item `i` (unchecked).
#[inline]
pub fn item(t: *mut PyObject, i: isize) -> *mut PyObject {
    // SAFETY: callers check `i` against the size.
    unsafe { *slots(t).add(i as usize) }
}

/// The items as a slice (slots may be null while a tuple is being filled).
pub fn items<'a>(t: *mut PyObject) -> &'a [*mut PyObject] {
    // SAFETY: `size(t)` slots follow the header.
    unsafe { core::slice::from_raw_parts(slots(t), size(t) as usize) }
}

unsafe extern "C" fn tuple_dealloc(t: *mut PyObject) {
    for &it in items(t) {
        unsafe { xdecref(it) };
    }
    unsafe { object::free_object(t) }
}

#[repr(C)]
struct EmptyTuple {
    head: PyVarObject,
}

/// `()`, shared and immortal.
static mut EMPTY: EmptyTuple = EmptyTuple {
    head: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut PyTuple_Type },
        ob_size: 0,
    },
};

pub fn empty() -> *mut PyObject {
    &raw mut EMPTY as *mut PyObject
}
