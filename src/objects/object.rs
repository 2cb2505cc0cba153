//! The object header: reference counts, allocation and deallocation, and the root
//! type `object`.

use crate::abi::*;
use crate::memory;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ptr::null_mut;

#[inline]
pub fn is_immortal(o: *mut PyObject) -> bool {
    // SAFETY: callers pass live objects.
    (unsafe { (*o).ob_refcnt } as u32 as i32) < 0
}

/// Adds a reference, leaving immortal objects alone (as `Py_INCREF` does in 3.13).
///
/// # Safety
/// `o` is a live object.
#[inline]
pub unsafe fn incref(o: *mut PyObject) {
    unsafe {
        let low = ((*o).ob_refcnt as u64 as u32).wrapping_add(1);
        if low != 0 {
            (*o).ob_refcnt = (((*o).ob_refcnt as u64 & !0xFFFF_FFFF) | low as u64) as isize;
        }
    }
}

/// Drops a reference, deallocating at zero.
///
/// # Safety
/// `o` is a live object the caller owns a reference to.
#[inline]
pub unsafe fn decref(o: *mut PyObject) {
    if is_immortal(o) {
        return;
    }
    unsafe {
        (*o).ob_refcnt -= 1;
        if (*o).ob_refcnt == 0 {
            dealloc(o);
        }
    }
}

/// # Safety
/// `o` is null or a live object.
#[inline]
pub unsafe fn xincref(o: *mut PyObject) {
    if !o.is_null() {
        unsafe { incref(o) }
    }
}

/// # Safety
/// `o` is null or a live object the caller owns a reference to.
#[inline]
pub unsafe fn xdecref(o: *mut PyObject) {
    if !o.is_null() {
        unsafe { decref(o) }
    }
}

/// Returns a new reference to `o`.
///
/// # Safety
/// `o` is a live object.
#[inline]
pub unsafe fn new_ref(o: *mut PyObject) -> *mut PyObject {
    unsafe { incref(o) };
    o
}

/// Drops the reference in `*slot` and nulls it (`Py_CLEAR`).
///
/// # Safety
/// `*slot` is null or an owned reference.
pub unsafe fn clear_slot(slot: &mut *mut PyObject) {
    let old = core::mem::replace(slot, null_mut());
    unsafe { xdecref(old) };
}

/// # Safety
/// `o` is a live object whose refcount reached zero.
pub unsafe fn dealloc(o: *mut PyObject) {
    unsafe {
        let ty = (*o).ob_type;
        match (*ty).tp_dealloc {
            // The plain types' own (int, float, ...): skip the indirect call.
            Some(d) if core::ptr::fn_addr_eq(d, object_dealloc as unsafe extern "C" fn(_)) => free_object(o),
            Some(d) => d(o),
            None => free_object(o),
        }
    }
}

#[inline]
pub fn type_of(o: *mut PyObject) -> *mut PyTypeObject {
    // SAFETY: callers pass live objects.
    unsafe { (*o).ob_type }
}

#[inline]
pub fn has_flag(ty: *mut PyTypeObject, flag: core::ffi::c_ulong) -> bool {
    // SAFETY: callers pass live type objects.
    unsafe { (*ty).tp_flags & flag != 0 }
}

#[inline]
pub fn is_heap_type(ty: *mut PyTypeObject) -> bool {
    has_flag(ty, Py_TPFLAGS_HEAPTYPE)
}

/// True when `ty` is `base` or derives from it (`PyType_IsSubtype`): `base` is in
/// `ty`'s MRO or, for a type without one yet, on its `tp_base` chain, which ends at
/// `object` whether it says so or not.
#[inline]
pub fn is_subtype(ty: *mut PyTypeObject, base: *mut PyTypeObject) -> bool {
    ty == base || derives_from(ty, base)
}

/// `is_subtype` past the exact match.
fn derives_from(ty: *mut PyTypeObject, base: *mut PyTypeObject) -> bool {
    // SAFETY: callers pass live types; tp_mro is null or a tuple of types.
    let mro = unsafe { (*ty).tp_mro };
    if !mro.is_null() {
        return super::tuple::items(mro).contains(&(base as *mut PyObject));
    }
    let mut t = ty;
    while !t.is_null() {
        if t == base {
            return true;
        }
        t = unsafe { (*t).tp_base };
    }
    base == base_object_type()
}

/// Refuses `o` when it lives in another interpreter's heap: storing it would make one
/// mutable object reachable from two interpreters. Immortal objects are shared by
/// design and always accepted.
#[inline]
pub fn refuse_foreign(ts: Ts, o: *mut PyObject) -> PyResult<()> {
    if o.is_null() || is_immortal(o) {
        return Ok(());
    }
    // SAFETY: `o` is a live object; its page header lies in the same OS page. A
    // matching owner settles it; anything else is looked at closely, off the hot path.
    if unsafe { crate::memory::heap::claimed_owner(o as *const u8) } == ts.heap_ptr() {
        return Ok(());
    }
    refuse_unless_ours(ts, o)
}

#[cold]
fn refuse_unless_ours(ts: Ts, o: *mut PyObject) -> PyResult<()> {
    // SAFETY: as above; the magic number tells our pages from other memory.
    match unsafe { crate::memory::heap::heap_holding(o as *const u8) } {
        Some(h) if h != ts.heap_ptr() => Err(errors::system_error(
            ts,
            &format!(
                "a '{}' object of another interpreter cannot be stored here: objects are not shared between interpreters",
                super::typeobject::type_name(type_of(o))
            ),
        )),
        _ => Ok(()),
    }
}

/// The byte size of an instance of `ty` with `nitems` items.
pub fn instance_size(ty: *mut PyTypeObject, nitems: isize) -> Option<usize> {
    // SAFETY: `ty` is a live type.
    let (basic, item) = unsafe { ((*ty).tp_basicsize, (*ty).tp_itemsize) };
    let extra = (item.max(0) as usize).checked_mul(nitems.max(0) as usize)?;
    (basic.max(0) as usize).checked_add(extra)
}

/// Allocates a zeroed instance of `ty` in the current interpreter, with refcount 1.
/// Heap types are kept alive by their instances.
pub fn alloc_object(ts: Ts, ty: *mut PyTypeObject, nitems: isize) -> PyResult<*mut PyObject> {
    let Some(size) = instance_size(ty, nitems) else { return Err(errors::no_memory(ts)) };
    let p = memory::alloc_in(ts, size) as *mut PyObject;
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `p` is a fresh block of `size` bytes, at least a PyVarObject for var types.
    unsafe {
        core::ptr::write_bytes(p as *mut u8, 0, size);
        init_header(p, ty);
        if (*ty).tp_itemsize != 0 {
            (*(p as *mut PyVarObject)).ob_size = nitems;
        }
    }
    Ok(p)
}

/// Allocates a zeroed instance of the fixed-size layout `T` for the exact type `ty`:
/// the hot constructors' path, with the size known at compile time.
#[inline]
pub fn alloc_fixed<T>(ts: Ts, ty: *mut PyTypeObject) -> PyResult<*mut T> {
    let p = memory::alloc_in(ts, core::mem::size_of::<T>()) as *mut PyObject;
    if p.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: `p` is a fresh block the size of `T`, which starts with a PyObject.
    unsafe {
        core::ptr::write_bytes(p as *mut u8, 0, core::mem::size_of::<T>());
        init_header(p, ty);
    }
    Ok(p as *mut T)
}

/// Sets refcount 1 and the type of a fresh object (`PyObject_Init`).
///
/// # Safety
/// `p` points to writable memory of at least a `PyObject`.
#[inline]
pub unsafe fn init_header(p: *mut PyObject, ty: *mut PyTypeObject) {
    unsafe {
        (*p).ob_refcnt = 1;
        (*p).ob_type = ty;
        if is_heap_type(ty) {
            incref(ty as *mut PyObject);
        }
    }
}

/// Returns the memory of a dead object and, for heap types, the instance's reference
/// to its type. The default `tp_dealloc`.
///
/// # Safety
/// `o` is an object whose refcount reached zero, and is not used afterwards.
pub unsafe fn free_object(o: *mut PyObject) {
    unsafe {
        let ty = (*o).ob_type;
        match (*ty).tp_free {
            // The builtin types' own: skip the indirect call.
            Some(f) if core::ptr::fn_addr_eq(f, object_free as unsafe extern "C" fn(_)) => memory::free(o as *mut u8),
            Some(f) => f(o as *mut core::ffi::c_void),
            None => memory::free(o as *mut u8),
        }
        if is_heap_type(ty) {
            decref(ty as *mut PyObject);
        }
    }
}

unsafe extern "C" fn object_dealloc(o: *mut PyObject) {
    boundary::guard(|| unsafe { free_object(o) })
}

unsafe extern "C" fn object_free(p: *mut core::ffi::c_void) {
    boundary::guard(|| unsafe { memory::free(p as *mut u8) })
}

/// `tp_free` of every static type.
pub const DEFAULT_FREE: freefunc = Some(object_free);

#[no_mangle]
pub static mut PyBaseObject_Type: PyTypeObject = PyTypeObject {
    ob_base: PyVarObject {
        ob_base: PyObject { ob_refcnt: _Py_IMMORTAL_REFCNT, ob_type: &raw mut super::typeobject::PyType_Type },
        ob_size: 0,
    },
    tp_dealloc: Some(object_dealloc),
    tp_repr: Some(super::typeobject::default_repr),
    tp_hash: Some(super::typeobject::identity_hash),
    tp_richcompare: Some(super::typeobject::identity_richcompare),
    tp_getattro: Some(crate::protocols::attr::generic_getattr),
    tp_setattro: Some(crate::protocols::attr::generic_setattr),
    tp_flags: Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE | Py_TPFLAGS_READY,
    tp_free: DEFAULT_FREE,
    tp_new: Some(super::typeobject::object_new),
    tp_init: Some(super::typeobject::object_init),
    tp_alloc: Some(super::typeobject::generic_alloc),
    tp_getset: &raw mut super::object_methods::OBJECT_GETSET as *mut PyGetSetDef,
    tp_methods: &raw mut super::object_methods::OBJECT_METHODS as *mut PyMethodDef,
    ..PyTypeObject::blank(c"object", core::mem::size_of::<PyObject>(), 0)
};

#[inline]
pub fn base_object_type() -> *mut PyTypeObject {
    &raw mut PyBaseObject_Type
}
