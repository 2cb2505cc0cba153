//! `list`: mutable sequences; items in a separate array that grows geometrically.

use super::object::{self, xdecref};
use crate::abi::*;
use crate::memory;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;

#[no_mangle]
pub static mut PyList_Type: PyTypeObject = PyTypeObject {
    tp_dealloc: Some(list_dealloc),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_LIST_SUBCLASS | Py_TPFLAGS_SEQUENCE,
    tp_free: object::DEFAULT_FREE,
    ..PyTypeObject::blank(c"list", core::mem::size_of::<PyListObject>(), 0)
};

#[inline]
pub fn list_type() -> *mut PyTypeObject {
    &raw mut PyList_Type
}

pub fn check(o: *mut PyObject) -> bool {
    object::has_flag(object::type_of(o), Py_TPFLAGS_LIST_SUBCLASS)
}

fn l(o: *mut PyObject) -> &'static mut PyListObject {
    // SAFETY: callers pass lists.
    unsafe { &mut *(o as *mut PyListObject) }
}

pub fn size(o: *mut PyObject) -> isize {
    l(o).ob_base.ob_size
}

/// A list of `n` null slots (to be filled by the caller).
pub fn new(ts: Ts, n: isize) -> PyResult<*mut PyObject> {
    if n < 0 {
        return Err(errors::bad_internal_call(ts));
    }
    let o = object::alloc_object(ts, list_type(), 0)?;
    if n > 0 {
        if let Err(e) = reserve(ts, o, n as usize) {
            unsafe { object::decref(o) };
            return Err(e);
        }
        // SAFETY: `reserve` made room for n zeroed slots.
        unsafe { core::ptr::write_bytes(l(o).ob_item, 0, n as usize) };
    }
    l(o).ob_base.ob_size = n;
    Ok(o)
}

/// Makes room for at least `want` items.
pub fn reserve(ts: Ts, o: *mut PyObject, want: usize) -> PyResult<()> {
    let lo = l(o);
    if want <= lo.allocated as usize {
        return Ok(());
    }
    let cap = want.max(lo.allocated as usize + lo.allocated as usize / 8 + 6);
    let Some(bytes) = cap.checked_mul(core::mem::size_of::<*mut PyObject>()) else {
        return Err(errors::no_memory(ts));
    };
    // SAFETY: ob_item is null or a block of ours.
    let p = unsafe { memory::realloc(lo.ob_item as *mut u8, bytes) } as *mut *mut PyObject;
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    lo.ob_item = p;
    lo.allocated = cap as isize;
    Ok(())
}

/// Appends a new reference to `item`.
pub fn append(ts: Ts, o: *mut PyObject, item: *mut PyObject) -> PyResult<()> {
    let n = size(o) as usize;
    reserve(ts, o, n + 1)?;
    let lo = l(o);
    // SAFETY: slot n is within the allocation.
    unsafe {
        object::incref(item);
        *lo.ob_item.add(n) = item;
    }
    lo.ob_base.ob_size += 1;
    Ok(())
}

/// The items as a slice.
pub fn items<'a>(o: *mut PyObject) -> &'a [*mut PyObject] {
    let lo = l(o);
    if lo.ob_item.is_null() {
        return &[];
    }
    // SAFETY: `ob_size` slots are initialised.
    unsafe { core::slice::from_raw_parts(lo.ob_item, lo.ob_base.ob_size as usize) }
}

unsafe extern "C" fn list_dealloc(o: *mut PyObject) {
    for &it in items(o) {
        unsafe { xdecref(it) };
    }
    unsafe {
        memory::free(l(o).ob_item as *mut u8);
        object::free_object(o);
    }
}
