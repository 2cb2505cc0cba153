//! The Python-visible attributes of `object` itself: `__class__` (reading it, and
//! assigning it under CPython's compatibility rules) and `__init_subclass__`, the
//! class method `type()` calls on a new class's bases.

use super::object::{self, decref, incref, is_heap_type, type_of};
use super::typeobject::type_name;
use super::{singletons, tuple};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::{c_int, c_void};
use core::ptr::null_mut;

/// `object.__class__`: the object's type.
unsafe extern "C" fn class_get(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    boundary::guard(|| super::typeobject::type_of_new(o))
}

/// `obj.__class__ = cls`.
unsafe extern "C" fn class_set(o: *mut PyObject, value: *mut PyObject, _: *mut c_void) -> c_int {
    boundary::with_thread_state(|ts| match set_class(ts, o, value) {
        Ok(()) => 0,
        Err(_) => -1,
    })
}

/// Changes the type of `o` to `value` when the two types are interchangeable (see
/// `check_compatible`), with CPython's messages otherwise.
fn set_class(ts: Ts, o: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    if value.is_null() {
        return Err(errors::type_error(ts, "can't delete __class__ attribute"));
    }
    if !object::has_flag(type_of(value), Py_TPFLAGS_TYPE_SUBCLASS) {
        let got = type_name(type_of(value));
        return Err(errors::type_error(ts, &format!("__class__ must be set to a class, not '{got}' object")));
    }
    let new = value as *mut PyTypeObject;
    let old = type_of(o);
    let module = super::module::module_type();
    let both_modules = object::is_subtype(new, module) && object::is_subtype(old, module);
    let immutable = object::has_flag(new, Py_TPFLAGS_IMMUTABLETYPE) || object::has_flag(old, Py_TPFLAGS_IMMUTABLETYPE);
    if !both_modules && immutable {
        return Err(errors::type_error(
            ts,
            "__class__ assignment only supported for mutable types or ModuleType subclasses",
        ));
    }
    check_compatible(ts, old, new)?;
    // SAFETY: `o` is live; a heap type is kept alive by each of its instances, so the
    // new one gains a reference before the old one loses its.
    unsafe {
        if is_heap_type(new) {
            incref(new as *mut PyObject);
        }
        (*o).ob_type = new;
        if is_heap_type(old) {
            decref(old as *mut PyObject);
        }
    }
    Ok(())
}

/// True when `child` adds nothing to its layout base's instances: same sizes, dict
/// and weak-list places, GC-ness, and a dealloc that is its base's (or `type()`'s,
/// which only adds the release of what the class itself added).
fn same_layout_as_base(child: *mut PyTypeObject) -> bool {
    // SAFETY: a live type and its live base.
    unsafe {
        let c = &*child;
        let Some(p) = c.tp_base.as_ref() else { return false };
        let same_dealloc = super::heaptype::is_subtype_dealloc(c.tp_dealloc)
            || c.tp_dealloc.map(|f| f as usize) == p.tp_dealloc.map(|f| f as usize);
        c.tp_basicsize == p.tp_basicsize
            && c.tp_itemsize == p.tp_itemsize
            && c.tp_dictoffset == p.tp_dictoffset
            && c.tp_weaklistoffset == p.tp_weaklistoffset
            && (c.tp_flags & Py_TPFLAGS_HAVE_GC) == (p.tp_flags & Py_TPFLAGS_HAVE_GC)
            && same_dealloc
    }
}

/// Whether instances of `old` may become instances of `new` (CPython's rule): the same
/// dealloc and free, and, going up from each to the first base whose layout it
/// extends, either the same type or two siblings that added the same slots.
fn check_compatible(ts: Ts, old: *mut PyTypeObject, new: *mut PyTypeObject) -> PyResult<()> {
    // SAFETY: live types.
    let (same_dealloc, same_free) = unsafe {
        (
            (*new).tp_dealloc.map(|f| f as usize) == (*old).tp_dealloc.map(|f| f as usize),
            (*new).tp_free.map(|f| f as usize) == (*old).tp_free.map(|f| f as usize),
        )
    };
    if !same_dealloc || !same_free {
        let text = format!("__class__ assignment: '{}' deallocator differs from '{}'", type_name(new), type_name(old));
        return Err(errors::type_error(ts, &text));
    }
    let mut new_base = new;
    while same_layout_as_base(new_base) {
        // SAFETY: same_layout_as_base found a base.
        new_base = unsafe { (*new_base).tp_base };
    }
    let mut old_base = old;
    while same_layout_as_base(old_base) {
        // SAFETY: as above.
        old_base = unsafe { (*old_base).tp_base };
    }
    // SAFETY: live types.
    let siblings = unsafe { (*new_base).tp_base == (*old_base).tp_base };
    if new_base == old_base || (siblings && same_slots_added(ts, new_base, old_base)?) {
        return Ok(());
    }
    let text = format!("__class__ assignment: '{}' object layout differs from '{}'", type_name(new), type_name(old));
    Err(errors::type_error(ts, &text))
}

/// Whether two heap types with one layout base added the same things after it: the
/// dict and weak-list slots in the same places and equal `__slots__`, ending at the
/// same size.
fn same_slots_added(ts: Ts, a: *mut PyTypeObject, b: *mut PyTypeObject) -> PyResult<bool> {
    if !is_heap_type(a) || !is_heap_type(b) {
        return Ok(false);
    }
    let word = core::mem::size_of::<*mut PyObject>() as Py_ssize_t;
    // SAFETY: live heap types (laid out as PyHeapTypeObject) with a live base.
    unsafe {
        let mut size = (*(*a).tp_base).tp_basicsize;
        if (*a).tp_dictoffset == size && (*b).tp_dictoffset == size {
            size += word;
        }
        if (*a).tp_weaklistoffset == size && (*b).tp_weaklistoffset == size {
            size += word;
        }
        let slots_a = (*(a as *mut PyHeapTypeObject)).ht_slots;
        let slots_b = (*(b as *mut PyHeapTypeObject)).ht_slots;
        if !slots_a.is_null() && !slots_b.is_null() {
            if !crate::protocols::object::richcompare_bool(ts, slots_a, slots_b, Py_EQ)? {
                return Ok(false);
            }
            size += word * tuple::size(slots_a);
        }
        Ok(size == (*a).tp_basicsize && size == (*b).tp_basicsize)
    }
}

/// `object.__init_subclass__()`: does nothing; as a `METH_NOARGS` class method it
/// refuses keyword arguments with CPython's message.
unsafe extern "C" fn init_subclass(_cls: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    boundary::guard(singletons::none)
}

pub static mut OBJECT_GETSET: [PyGetSetDef; 2] = [
    PyGetSetDef {
        name: c"__class__".as_ptr(),
        get: Some(class_get),
        set: Some(class_set),
        doc: core::ptr::null(),
        closure: null_mut(),
    },
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
];

pub static mut OBJECT_METHODS: [PyMethodDef; 2] =
    [super::methodargs::simple(c"__init_subclass__", init_subclass, METH_CLASS | METH_NOARGS), super::methodargs::END];
