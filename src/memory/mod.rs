//! Memory: the per-interpreter heap, and allocation from a heap the caller names.
//! This module knows heaps only: which heap is current is the caller's business (the
//! runtime's thread state implements `HeapSource`).

pub mod heap;
mod memcheck;

use heap::Heap;
use parking_lot::Mutex;

/// Where an allocation comes from: a heap the caller may use now (it holds that
/// heap's GIL), or null for the shared orphan heap.
pub trait HeapSource: Copy {
    fn heap_ptr(self) -> *mut Heap;
}

impl HeapSource for *mut Heap {
    #[inline]
    fn heap_ptr(self) -> *mut Heap {
        self
    }
}

/// Serves allocations made while no thread state is current (before `Py_Initialize`,
/// or from a thread that released the GIL). Rare, so a lock is fine.
struct Orphan(Heap);
static ORPHAN: Mutex<Orphan> = Mutex::new(Orphan(Heap::new()));

fn orphan_ptr() -> *mut Heap {
    // The address is stable: the mutex lives in a static.
    ORPHAN.data_ptr() as *mut Heap
}

/// Allocates from the heap `src` names (the orphan heap for null).
#[inline]
pub fn alloc_in(src: impl HeapSource, size: usize) -> *mut u8 {
    let h = src.heap_ptr();
    if h.is_null() {
        return alloc_orphan(size);
    }
    // SAFETY: a `HeapSource` names a heap whose GIL the caller holds.
    unsafe { (*h).alloc(size) }
}

#[cold]
fn alloc_orphan(size: usize) -> *mut u8 {
    // SAFETY: the orphan heap is only used under its lock, and lives in a static.
    unsafe { ORPHAN.lock().0.alloc(size) }
}

pub fn alloc_zeroed_in(src: impl HeapSource, size: usize) -> *mut u8 {
    let p = alloc_in(src, size);
    if !p.is_null() {
        // SAFETY: `p` holds at least `size` bytes.
        unsafe { core::ptr::write_bytes(p, 0, size) };
    }
    p
}

/// Frees a block of any heap.
///
/// # Safety
/// `p` is null or a live block from `alloc_in`.
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

/// Resizes a block, moving it (into the heap `src` names) when it does not fit.
///
/// # Safety
/// `p` is null or a live block from `alloc_in`.
pub unsafe fn realloc_in(src: impl HeapSource, p: *mut u8, size: usize) -> *mut u8 {
    if p.is_null() {
        return alloc_in(src, size);
    }
    let old = unsafe { heap::usable_size(p) };
    if size <= old && size > old / 2 {
        return p;
    }
    let q = alloc_in(src, size);
    if !q.is_null() {
        // SAFETY: both blocks hold at least min(old, size) bytes and are distinct.
        unsafe {
            core::ptr::copy_nonoverlapping(p, q, old.min(size));
            free(p);
        }
    }
    q
}
