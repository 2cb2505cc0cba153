//! Objects of types with `Py_TPFLAGS_HAVE_GC`: each is allocated with the 16-byte
//! pre-header CPython 3.13 puts before such objects (room for a future cycle
//! collector's links). isle has no collector yet; the pre-header records only whether
//! the object is tracked (`PyObject_GC_Track`/`UnTrack`/`IsTracked`).

use super::object::{self, instance_size};
use crate::abi::*;
use crate::runtime::boundary;
use crate::runtime::errors::{self, PyResult};
use crate::runtime::thread::Ts;
use core::ffi::c_void;

/// The size of the pre-header (CPython's `PyGC_Head`: two words).
pub const PRE_HEADER: usize = 16;
const TRACKED: usize = 1;

fn pre_header(o: *mut PyObject) -> *mut usize {
    (o as *mut u8).wrapping_sub(PRE_HEADER) as *mut usize
}

/// A zeroed, untracked instance of the GC type `ty` with `nitems` items
/// (`_PyObject_GC_New` / `_NewVar`).
pub fn alloc(ts: Ts, ty: *mut PyTypeObject, nitems: Py_ssize_t) -> PyResult<*mut PyObject> {
    let Some(size) = instance_size(ty, nitems).and_then(|n| n.checked_add(PRE_HEADER)) else {
        return Err(errors::no_memory(ts));
    };
    let block = crate::memory::alloc_in(ts, size);
    if block.is_null() {
        return Err(errors::no_memory(ts));
    }
    // SAFETY: a fresh block of `size` bytes; the object starts after the pre-header.
    unsafe {
        core::ptr::write_bytes(block, 0, size);
        let o = block.add(PRE_HEADER) as *mut PyObject;
        object::init_header(o, ty);
        if (*ty).tp_itemsize != 0 {
            (*(o as *mut PyVarObject)).ob_size = nitems;
        }
        Ok(o)
    }
}

/// True when `ty`'s instances carry the pre-header.
pub fn is_gc_type(ty: *mut PyTypeObject) -> bool {
    object::has_flag(ty, Py_TPFLAGS_HAVE_GC)
}

pub fn track(o: *mut PyObject) {
    // SAFETY: `o` was allocated by `alloc`, so its pre-header is ours.
    unsafe { *pre_header(o) |= TRACKED };
}

pub fn untrack(o: *mut PyObject) {
    // SAFETY: as in `track`.
    unsafe { *pre_header(o) &= !TRACKED };
}

pub fn is_tracked(o: *mut PyObject) -> bool {
    // SAFETY: as in `track`.
    unsafe { *pre_header(o) & TRACKED != 0 }
}

// Exported under CPython's name from here: types name it as their `tp_free`, and
// readying a GC type compares `tp_free` with it, so the slot and the export are one.
/// `PyObject_GC_Del`: frees a GC object's memory, pre-header included.
#[export_name = "PyObject_GC_Del"]
pub unsafe extern "C" fn gc_del(p: *mut c_void) {
    boundary::guard(|| {
        if p.is_null() {
            return;
        }
        // SAFETY: `p` is a GC object from `alloc`; its block starts at the pre-header.
        unsafe { crate::memory::free(pre_header(p as *mut PyObject) as *mut u8) }
    })
}

/// Gives a GC type the GC `tp_free` when it would free with the plain one (readying).
pub fn fix_free(ty: *mut PyTypeObject) {
    if !is_gc_type(ty) {
        return;
    }
    // SAFETY: a type being readied, not yet shared.
    unsafe {
        let plain = match ((*ty).tp_free, object::DEFAULT_FREE) {
            (None, _) => true,
            (Some(f), Some(d)) => core::ptr::fn_addr_eq(f, d),
            _ => false,
        };
        if plain {
            (*ty).tp_free = Some(gc_del);
        }
    }
}
