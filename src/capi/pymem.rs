//! `pymem.h` and `objimpl.h`: raw memory (the C library), and interpreter memory
//! (the current interpreter's heap, released when the interpreter ends).

use crate::memory;
use crate::runtime::boundary;
use crate::runtime::thread::Ts;
use core::ffi::c_void;

/// The heap of the current thread state, or null (the orphan heap) without one.
#[inline]
fn current_heap() -> *mut memory::heap::Heap {
    Ts::current().map_or(core::ptr::null_mut(), |ts| ts.heap_ptr())
}

fn checked_total(n: usize, size: usize) -> Option<usize> {
    n.checked_mul(size).filter(|&t| t <= isize::MAX as usize)
}

#[no_mangle]
pub unsafe extern "C" fn PyMem_RawMalloc(size: usize) -> *mut c_void {
    boundary::guard(|| {
        if size > isize::MAX as usize {
            return core::ptr::null_mut();
        }
        // malloc(0) may return NULL; CPython promises a unique pointer.
        unsafe { libc::malloc(size.max(1)) }
    })
}

/// Zeroed memory for `n` items of `size` bytes; a request for no bytes (either factor
/// 0) still gets a unique pointer.
#[no_mangle]
pub unsafe extern "C" fn PyMem_RawCalloc(n: usize, size: usize) -> *mut c_void {
    boundary::guard(|| match checked_total(n, size) {
        Some(0) => unsafe { libc::calloc(1, 1) },
        Some(_) => unsafe { libc::calloc(n, size) },
        None => core::ptr::null_mut(),
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyMem_RawRealloc(p: *mut c_void, size: usize) -> *mut c_void {
    boundary::guard(|| {
        if size > isize::MAX as usize {
            return core::ptr::null_mut();
        }
        unsafe { libc::realloc(p, size.max(1)) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyMem_RawFree(p: *mut c_void) {
    boundary::guard(|| unsafe { libc::free(p) })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Malloc(size: usize) -> *mut c_void {
    boundary::guard(|| {
        if size > isize::MAX as usize {
            return core::ptr::null_mut();
        }
        memory::alloc_in(current_heap(), size) as *mut c_void
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Calloc(n: usize, size: usize) -> *mut c_void {
    boundary::guard(|| match checked_total(n, size) {
        Some(total) => memory::alloc_zeroed_in(current_heap(), total) as *mut c_void,
        None => core::ptr::null_mut(),
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Realloc(p: *mut c_void, size: usize) -> *mut c_void {
    boundary::guard(|| {
        if size > isize::MAX as usize {
            return core::ptr::null_mut();
        }
        unsafe { memory::realloc_in(current_heap(), p as *mut u8, size) as *mut c_void }
    })
}

#[no_mangle]
pub unsafe extern "C" fn PyObject_Free(p: *mut c_void) {
    boundary::guard(|| unsafe { memory::free(p as *mut u8) })
}

#[no_mangle]
pub unsafe extern "C" fn PyMem_Malloc(size: usize) -> *mut c_void {
    boundary::guard(|| unsafe { PyObject_Malloc(size) })
}

#[no_mangle]
pub unsafe extern "C" fn PyMem_Calloc(n: usize, size: usize) -> *mut c_void {
    boundary::guard(|| unsafe { PyObject_Calloc(n, size) })
}

#[no_mangle]
pub unsafe extern "C" fn PyMem_Realloc(p: *mut c_void, size: usize) -> *mut c_void {
    boundary::guard(|| unsafe { PyObject_Realloc(p, size) })
}

#[no_mangle]
pub unsafe extern "C" fn PyMem_Free(p: *mut c_void) {
    boundary::guard(|| unsafe { memory::free(p as *mut u8) })
}
