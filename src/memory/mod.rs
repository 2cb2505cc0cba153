//! Memory: the per-interpreter heap, and the routing of `PyMem_*` / `PyObject_*`
//! allocations to the current interpreter's heap.

pub mod heap;
mod memcheck;

use crate::runtime::thread::Ts;
use heap::Heap;
use parking_lot::Mutex;

/// Serves allocations made while no thread state is current (before `Py_Initialize`,
/// or from a thread that released the GIL). Rare, so a lock is fine.
struct Orphan(Heap);
static ORPHAN: Mutex<Orphan> = Mutex::new(Orphan(Heap::new()));

fn orphan_ptr() -> *mut Heap {
    // The address is stable: the mutex lives in a static.
    ORPHAN.data_ptr() as *mut Heap
}

/// Allocates from the current interpreter's heap (the orphan heap when none is current).
pub fn alloc(size: usize) -> *mut u8 {
    match Ts::current() {
        // SAFETY: the current thread state's heap is ours while we hold the GIL.
        Some(ts) => unsafe { ts.heap().alloc(size) },
        None => unsafe { ORPHAN.lock().0.alloc(size) },
    }
}

/// Allocates from the heap of `ts`.
#[inline]
pub fn alloc_in(ts: Ts, size: usize) -> *mut u8 {
    // SAFETY: the caller holds the GIL of `ts`'s interpreter.
    unsafe { ts.heap().alloc(size) }
}

pub fn alloc_zeroed(size: usize) -> *mut u8 {
    let p = alloc(size);
    if !p.is_null() {
        // SAFETY: `p` holds at least `size` bytes.
        unsafe { core::ptr::write_bytes(p, 0, size) };
    }
    p
}

/// Frees a block of any heap.
///
/// # Safety
/// `p` is null or a live block from `alloc`.
#[inline]
pub unsafe fn free(p: *mut u8) {
    if p.is_null() {
        return;
    }
    let owner = unsafe { heap::owner_of(p) };
    // The common case first: a block of the heap this thread holds.
    if unsafe { heap::held_by_this_thread(owner) } {
        unsafe { (*owner).free_local(p) };
    } else if owner == orphan_ptr() {
        let mut guard = ORPHAN.lock();
        let h: *mut Heap = &mut guard.0;
        unsafe { heap::free(p, h) };
    } else {
        // Another interpreter's block (or one freed without its GIL): handed back.
        unsafe { heap::free(p, core::ptr::null_mut()) };
    }
}

/// Resizes a block, moving it when it does not fit.
///
/// # Safety
/// `p` is null or a live block from `alloc`.
pub unsafe fn realloc(p: *mut u8, size: usize) -> *mut u8 {
    if p.is_null() {
        return alloc(size);
    }
    let old = unsafe { heap::usable_size(p) };
    if size <= old && size > old / 2 {
        return p;
    }
    let q = alloc(size);
    if !q.is_null() {
        // SAFETY: both blocks hold at least min(old, size) bytes and are distinct.
        unsafe {
            core::ptr::copy_nonoverlapping(p, q, old.min(size));
            free(p);
        }
    }
    q
}
