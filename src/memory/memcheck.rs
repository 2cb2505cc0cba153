//! Client requests that describe heap blocks to valgrind's memcheck (`csrc/memcheck.c`).
//! Each heap is a memcheck memory pool; outside valgrind every call is a no-op.

use core::ffi::c_void;
use core::sync::atomic::{AtomicU8, Ordering};

#[allow(unused_doc_comments)] // the comment below is read by cbindgen
/// cbindgen:ignore
extern "C" {
    fn isle_vg_running() -> core::ffi::c_int;
    fn isle_vg_pool_create(pool: *mut c_void);
    fn isle_vg_pool_destroy(pool: *mut c_void);
    fn isle_vg_alloc(pool: *mut c_void, block: *mut c_void, size: usize);
    fn isle_vg_free(pool: *mut c_void, block: *mut c_void);
    fn isle_vg_noaccess(p: *mut c_void, size: usize);
    fn isle_vg_defined(p: *mut c_void, size: usize);
}

/// 0: not asked yet, 1: not under valgrind, 2: under valgrind.
static RUNNING: AtomicU8 = AtomicU8::new(0);

/// Whether the process runs under valgrind; asked once, so that the heap's hot paths
/// pay one predictable branch outside valgrind.
#[inline]
pub fn active() -> bool {
    match RUNNING.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => {
            // SAFETY: a client request with no arguments. ISLE_NO_MEMCHECK=1 keeps the
            // requests off under valgrind's other tools (callgrind counts).
            let on = unsafe { isle_vg_running() } != 0 && std::env::var_os("ISLE_NO_MEMCHECK").is_none();
            RUNNING.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
    }
}

// SAFETY (all below): client requests only update memcheck's shadow state; they
// never touch the memory itself.
#[inline]
pub fn pool_create<T>(pool: *mut T) {
    if active() {
        unsafe { isle_vg_pool_create(pool.cast()) }
    }
}
#[inline]
pub fn pool_destroy<T>(pool: *mut T) {
    if active() {
        unsafe { isle_vg_pool_destroy(pool.cast()) }
    }
}
#[inline]
pub fn block_allocated<T>(pool: *mut T, block: *mut u8, size: usize) {
    if active() {
        unsafe { isle_vg_alloc(pool.cast(), block.cast(), size) }
    }
}
#[inline]
pub fn block_freed<T>(pool: *mut T, block: *mut u8) {
    if active() {
        unsafe { isle_vg_free(pool.cast(), block.cast()) }
    }
}
#[inline]
pub fn no_access(p: *mut u8, size: usize) {
    if active() {
        unsafe { isle_vg_noaccess(p.cast(), size) }
    }
}
/// Lets the heap read a free block's link word.
#[inline]
pub fn defined(p: *mut u8, size: usize) {
    if active() {
        unsafe { isle_vg_defined(p.cast(), size) }
    }
}
